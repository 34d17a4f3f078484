//! Where an output file given on the command line (`-o FILE`) really goes.
//!
//! Outputs are written beside their target and renamed over it, so that a
//! failed command never leaves half a file. That is right for a regular
//! file only:
//! - a device, a named pipe or a terminal (`/dev/null`, a FIFO) is written
//!   as it is: renaming over it would replace the device;
//! - the file that standard output already writes to (`-o /dev/stdout`
//!   while standard output goes to a file) is written through standard
//!   output, at its place in that file, rather than replaced;
//! - a symbolic link is followed, and the file it points at is replaced
//!   (the link stays), when the system lets that file be opened for
//!   writing through the link (the kernel's rules for links in shared
//!   folders then hold); a link to nothing is refused;
//! - a folder is refused.

use std::path::{Path, PathBuf};

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A regular file, existing or not, at this path (links followed): to
    /// be written beside it and renamed over it.
    File(PathBuf),
    /// A device, a pipe or a terminal: to be written as it is.
    InPlace(PathBuf),
    /// The file that standard output writes to.
    Stdout,
}

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{0} is a folder: give the path of a file to write")]
    Folder(PathBuf),
    #[error("{link} is a link to {to}, which does not exist: create it first, or remove the link")]
    DanglingLink { link: PathBuf, to: PathBuf },
    #[error("{0} is standard error: give the path of a file to write")]
    StandardError(PathBuf),
    #[error("cannot write {path}")]
    Unwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl TargetError {
    /// Whether the fault is in the path the user gave (exit code 2).
    pub fn is_usage(&self) -> bool {
        !matches!(self, TargetError::Unwritable { .. })
    }
}

/// Links followed at most, as the kernel does (`ELOOP` beyond).
const MAX_LINKS: usize = 40;

/// Where an output named `target` goes.
pub fn place_of(target: &Path) -> Result<Place, TargetError> {
    let unwritable = |source| TargetError::Unwritable {
        path: target.to_owned(),
        source,
    };
    let found = match std::fs::metadata(target) {
        Ok(found) => found,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return match std::fs::symlink_metadata(target) {
                Ok(_) => Err(TargetError::DanglingLink {
                    link: target.to_owned(),
                    to: resolve_links(target).map_err(unwritable)?,
                }),
                Err(_) => Ok(Place::File(target.to_owned())),
            };
        }
        Err(e) => return Err(unwritable(e)), // a loop of links, no permission
    };
    if found.is_dir() {
        return Err(TargetError::Folder(target.to_owned()));
    }
    match standard_stream(&found) {
        Some(1) => return Ok(Place::Stdout),
        Some(_) => return Err(TargetError::StandardError(target.to_owned())),
        None => {}
    }
    if !found.is_file() {
        return Ok(Place::InPlace(target.to_owned()));
    }
    let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(Place::File(target.to_owned()));
    }
    // Opening through the link lets the kernel apply its rules
    // (`fs.protected_symlinks`, permissions) before the file behind the
    // link is replaced.
    open_existing(target).map_err(unwritable)?;
    Ok(Place::File(resolve_links(target).map_err(unwritable)?))
}

/// Opens what is at `path` for writing, as it is: no creation, no
/// truncation (how a [`Place::InPlace`] is written).
pub fn open_existing(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open(path)
}

/// The path a chain of links at `path` ends at (relative links read from
/// their own folder).
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_owned();
    for _ in 0..MAX_LINKS {
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Ok(path);
        }
        let to = std::fs::read_link(&path)?;
        path = match path.parent() {
            Some(folder) if to.is_relative() => folder.join(to),
            _ => to,
        };
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// 1 or 2 when `found` is the file that standard output or standard error
/// writes to.
#[cfg(unix)]
fn standard_stream(found: &std::fs::Metadata) -> Option<u8> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let same = |fd: std::os::fd::BorrowedFd<'_>| {
        fd.try_clone_to_owned()
            .and_then(|fd| std::fs::File::from(fd).metadata())
            .is_ok_and(|m| m.dev() == found.dev() && m.ino() == found.ino())
    };
    if same(std::io::stdout().as_fd()) {
        Some(1)
    } else if same(std::io::stderr().as_fd()) {
        Some(2)
    } else {
        None
    }
}

#[cfg(not(unix))]
fn standard_stream(_: &std::fs::Metadata) -> Option<u8> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn files_links_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        std::fs::create_dir(at("sub")).unwrap();
        std::fs::write(at("sub/real.nt"), "").unwrap();
        // A relative link in another folder, reached through a second link.
        symlink("sub/real.nt", at("link.nt")).unwrap();
        symlink("link.nt", at("link2.nt")).unwrap();
        symlink("nowhere.nt", at("dangling.nt")).unwrap();
        symlink("loop-b", at("loop-a")).unwrap();
        symlink("loop-a", at("loop-b")).unwrap();

        assert_eq!(place_of(&at("new.nt")).unwrap(), Place::File(at("new.nt")));
        assert_eq!(
            place_of(&at("sub/real.nt")).unwrap(),
            Place::File(at("sub/real.nt"))
        );
        assert_eq!(
            place_of(&at("link2.nt")).unwrap(),
            Place::File(at("sub/real.nt"))
        );
        assert!(matches!(
            place_of(&at("dangling.nt")),
            Err(TargetError::DanglingLink { to, .. }) if to == at("nowhere.nt")
        ));
        assert!(matches!(
            place_of(&at("loop-a")),
            Err(TargetError::Unwritable { .. })
        ));
        assert!(matches!(place_of(&at("sub")), Err(TargetError::Folder(_))));
        assert_eq!(
            place_of(Path::new("/dev/null")).unwrap(),
            Place::InPlace("/dev/null".into())
        );
    }
}
