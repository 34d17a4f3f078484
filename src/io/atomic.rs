//! The one rule for every output polegraph writes to disk: write it aside,
//! then rename it into place.
//!
//! Every file (an export, a diagram in any format) and every folder (a
//! publication bundle, a persistent store) is written beside its target,
//! under a hidden name, and renamed over the target only once it is
//! complete. So:
//!
//! - **nothing half-written**: a failed or interrupted command never
//!   leaves anything at the target, and what was there stays as it was;
//!   the temporary is registered with [`super::interrupt`], so Ctrl-C or
//!   `kill` removes it too;
//! - **permissions**: a new file gets `0666 & umask` and a new folder
//!   `0777 & umask`, as a shell redirection or `mkdir` would make them; an
//!   output that replaces an existing one keeps that one's permissions;
//! - **sync**: an output that replaces an existing one is synced to disk
//!   before the rename (on filesystems that may write a renamed file's data
//!   after the rename — XFS, ext4 mounted `noauto_da_alloc` — a crash could
//!   otherwise leave an empty file where the user's previous output was);
//!   a new output is not synced, as `cp` and `rsync` do not: after a crash
//!   soon after polegraph finished it may come back empty under its final
//!   name (export again then), but nothing the user had is lost, and a
//!   4.7 GB export does not wait for the disk.

use super::interrupt::{pending, Pending};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder that holds `target` (`.` for a bare file name).
fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// What is at `target` now, without following a last link (links were
/// followed before, by [`super::target::place_of`]): `None` when nothing
/// is. When that cannot be told, as if something were, with no
/// permissions to keep.
fn existing(target: &Path) -> Option<Option<std::fs::Permissions>> {
    match std::fs::symlink_metadata(target) {
        Ok(found) => Some(Some(found.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(_) => Some(None),
    }
}

/// A file being written beside its target; [`AsideFile::commit`] puts it
/// in place. Dropped without a commit, it is removed.
#[derive(Debug)]
pub struct AsideFile {
    temporary: tempfile::NamedTempFile,
    target: PathBuf,
    pending: Pending,
}

impl AsideFile {
    /// A new, empty temporary file in the folder of `target`.
    pub fn beside(target: &Path) -> io::Result<Self> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".polegraph-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temporary = builder.tempfile_in(folder_of(target))?;
        Ok(AsideFile {
            pending: pending(temporary.path()),
            temporary,
            target: target.to_owned(),
        })
    }

    /// The temporary file, for writers that need it as it is (a second
    /// handle for direct writes, a child process's standard output).
    pub fn file(&self) -> &File {
        self.temporary.as_file()
    }

    /// Where the file goes.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the file in place: synced and given the permissions of the
    /// file it replaces, if any, then renamed over the target with no
    /// interruption between.
    pub fn commit(self) -> io::Result<()> {
        if let Some(replaced) = existing(&self.target) {
            self.temporary.as_file().sync_all()?;
            if let Some(permissions) = replaced {
                self.temporary.as_file().set_permissions(permissions)?;
            }
        }
        let AsideFile {
            temporary,
            target,
            pending,
        } = self;
        pending
            .commit(|| temporary.persist(&target))
            .map(drop)
            .map_err(|e| e.error)
    }
}

// Through the file itself: `NamedTempFile`'s own writes add the temporary
// path to an error, a name the user never gave and that is gone by then.
impl Write for AsideFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temporary.as_file_mut().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temporary.as_file_mut().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temporary.as_file_mut().flush()
    }
}

/// Writes `bytes` as the file `target`, by the rule above.
pub fn write_file(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AsideFile::beside(target)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A folder being filled beside its target; [`AsideFolder::commit`] puts
/// it in place. Dropped without a commit, it is removed.
#[derive(Debug)]
pub struct AsideFolder {
    path: PathBuf,
    target: PathBuf,
    pending: Option<Pending>,
    /// Made by [`AsideFolder::beside`], with the usual permissions already;
    /// a reserved folder's writer made it with its own.
    made_here: bool,
}

impl AsideFolder {
    /// A new, empty folder next to `target` (`.{name}.{what}-…`).
    pub fn beside(target: &Path, what: &str) -> io::Result<Self> {
        let mut folder = Self::reserve_beside(target, what)?;
        std::fs::create_dir(&folder.path)?;
        folder.made_here = true;
        Ok(folder)
    }

    /// A free name next to `target` for a folder that its writer creates
    /// itself (a store: RocksDB makes its folder when it opens it). Made
    /// by the writer, the folder appears only once the writer is past the
    /// point where it would make it again, so an interruption that removes
    /// it cannot see it come back. On commit, a new folder is given the
    /// usual permissions.
    pub fn reserve_beside(target: &Path, what: &str) -> io::Result<Self> {
        let path = sibling(target, what)?;
        Ok(AsideFolder {
            pending: Some(pending(&path)),
            path,
            target: target.to_owned(),
            made_here: false,
        })
    }

    /// The folder to fill.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Puts the folder in place: when it replaces one, its files are
    /// synced and it takes that one's permissions; the old folder is moved
    /// aside, the new one renamed in (the old one put back should that
    /// fail), with no interruption between; then the old one is removed.
    pub fn commit(mut self) -> io::Result<()> {
        let replaced = existing(&self.target);
        match &replaced {
            Some(permissions) => {
                sync_tree(&self.path)?;
                if let Some(permissions) = permissions {
                    std::fs::set_permissions(&self.path, permissions.clone())?;
                }
            }
            None if !self.made_here => {
                std::fs::set_permissions(&self.path, usual_folder_permissions(&self.path)?)?
            }
            None => {}
        }
        let Some(building) = self.pending.take() else {
            unreachable!("an AsideFolder holds its registration until committed")
        };
        let old = building.commit(|| -> io::Result<Option<PathBuf>> {
            let old = match replaced {
                Some(_) => {
                    let old = sibling(&self.target, "old")?;
                    std::fs::rename(&self.target, &old)?;
                    Some(old)
                }
                None => None,
            };
            if let Err(e) = std::fs::rename(&self.path, &self.target) {
                if let Some(old) = &old {
                    let _ = std::fs::rename(old, &self.target); // put it back
                }
                return Err(e);
            }
            Ok(old)
        });
        let old = match old {
            Ok(old) => old,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&self.path);
                return Err(e);
            }
        };
        if let Some(old) = old {
            // The previous folder, moved aside: removed even if the command
            // is interrupted now.
            let _pending = pending(&old);
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for AsideFolder {
    fn drop(&mut self) {
        if self.pending.is_some() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A fresh, unused name next to `target`: `.{name}.{what}-{pid}-{n}`.
fn sibling(target: &Path, what: &str) -> io::Result<PathBuf> {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let folder = folder_of(target);
    for n in 0u32.. {
        let path = folder.join(format!(".{name}.{what}-{}-{n}", std::process::id()));
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
    unreachable!("some name of the 2^32 is free")
}

/// What `mkdir` makes of a new folder beside `path` (0777 less the umask),
/// read off a folder made and removed for the purpose: the umask cannot be
/// read without changing it.
fn usual_folder_permissions(path: &Path) -> io::Result<std::fs::Permissions> {
    let probe = sibling(path, "mode")?;
    std::fs::create_dir(&probe)?;
    let permissions = std::fs::metadata(&probe).map(|m| m.permissions());
    std::fs::remove_dir(&probe)?;
    permissions
}

/// Syncs every regular file under `dir`, then `dir` itself.
fn sync_tree(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            sync_tree(&entry.path())?;
        } else if kind.is_file() {
            File::open(entry.path())?.sync_all()?;
        }
    }
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// What a new file gets: 0666 less the umask, read off a file that
    /// `File::create` makes the same way.
    #[cfg(unix)]
    fn usual_file_mode(dir: &Path) -> u32 {
        let probe = dir.join("probe");
        File::create(&probe).unwrap();
        let mode = mode(&probe);
        std::fs::remove_file(probe).unwrap();
        mode
    }

    #[test]
    #[cfg(unix)]
    fn a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.ttl");
        write_file(&target, b"first").unwrap();
        assert_eq!(mode(&target), usual_file_mode(dir.path()));
        set_mode(&target, 0o600);
        write_file(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        assert_eq!(mode(&target), 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }

    #[test]
    fn a_file_dropped_without_commit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.ttl");
        std::fs::write(&target, b"kept").unwrap();
        let mut file = AsideFile::beside(&target).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(std::fs::read(&target).unwrap(), b"kept");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    #[cfg(unix)]
    fn a_folder_replaces_the_old_one_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bundle");
        let first = AsideFolder::beside(&target, "building").unwrap();
        std::fs::write(first.path().join("a"), b"1").unwrap();
        first.commit().unwrap();
        let probe = dir.path().join("probe");
        std::fs::create_dir(&probe).unwrap();
        assert_eq!(mode(&target), mode(&probe), "as `mkdir` makes it");
        std::fs::remove_dir(probe).unwrap();
        set_mode(&target, 0o750);
        let second = AsideFolder::beside(&target, "building").unwrap();
        std::fs::write(second.path().join("b"), b"2").unwrap();
        second.commit().unwrap();
        assert!(target.join("b").exists() && !target.join("a").exists());
        assert_eq!(mode(&target), 0o750);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_dropped_without_commit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("store");
        let building = AsideFolder::beside(&target, "building").unwrap();
        std::fs::write(building.path().join("a"), b"1").unwrap();
        drop(building);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
