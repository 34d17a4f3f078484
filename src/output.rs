//! Where a command writes: standard output, or a file written atomically
//! (a temporary file in the same folder, renamed over the target only once
//! everything is written and flushed).
//!
//! A file that replaces an existing one is synced to disk before the
//! rename: on filesystems that do not write a renamed file's data before
//! the rename (XFS; ext4 mounted `noauto_da_alloc`), a crash could
//! otherwise leave an empty file where the user's previous export was. A
//! new file is not synced (as `rsync` and `cp` do not): if the machine
//! crashes (power, kernel) soon after polegraph finished, the new file may
//! come back empty or with zeroed parts under its final name — so export
//! again after such a crash — but no file the user had is lost, and a
//! 4.7 GB export does not wait ten seconds for the disk. A failed or
//! interrupted polegraph never leaves anything at the target.
//!
//! A target that is not a regular file (`/dev/null`, a named pipe, a
//! terminal) is written in place: renaming over it would replace the
//! device. A target that is a symbolic link is followed: the file it
//! points at is replaced, and the link stays.

use anyhow::{Context, Result};
use polegraph::direct_file::DirectFile;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        writer: BufWriter<tempfile::NamedTempFile>,
        /// Writes the temporary file around the page cache, in place of
        /// `writer` (see [`Output::large_file`]).
        direct: Option<DirectFile>,
        target: PathBuf,
    },
    /// A device or a pipe, written as it is.
    Special {
        writer: BufWriter<std::fs::File>,
        target: PathBuf,
    },
}

impl Output {
    pub fn stdout() -> Self {
        Output::Stdout(BufWriter::new(std::io::stdout()))
    }

    /// A file that appears at `target` only when [`Output::finish`]
    /// succeeds; a device or pipe at `target` is written as it is.
    pub fn file(target: &Path) -> Result<Self> {
        if let Ok(found) = std::fs::metadata(target) {
            if found.is_dir() {
                return Err(crate::UsageError(format!(
                    "{} is a folder: give the path of a file to write",
                    target.display()
                ))
                .into());
            }
            if !found.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                return Ok(Output::Special {
                    writer: BufWriter::new(file),
                    target: target.to_owned(),
                });
            }
        }
        let target = &followed(target);
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let temporary = tempfile::Builder::new()
            .prefix(".polegraph-")
            .tempfile_in(folder)
            .with_context(|| format!("cannot write in {}", folder.display()))?;
        Ok(Output::File {
            writer: BufWriter::new(temporary),
            direct: None,
            target: target.to_owned(),
        })
    }

    /// As [`Output::file`], for outputs of gigabytes (streamed exports): a
    /// regular file is written around the page cache where the system
    /// allows it (see `polegraph::direct_file`).
    pub fn large_file(target: &Path) -> Result<Self> {
        let mut output = Output::file(target)?;
        if let Output::File { writer, direct, .. } = &mut output {
            let file = writer.get_ref().as_file().try_clone();
            *direct = Some(file.and_then(DirectFile::new).with_context(|| {
                format!("cannot write in {}", writer.get_ref().path().display())
            })?);
        }
        Ok(output)
    }

    pub fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Output::Stdout(w) => w,
            Output::File {
                direct: Some(direct),
                ..
            } => direct,
            Output::File { writer, .. } => writer,
            Output::Special { writer, .. } => writer,
        }
    }

    /// Flushes, and for a file, renames it into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::Special { mut writer, target } => writer
                .flush()
                .with_context(|| format!("cannot write {}", target.display())),
            Output::File {
                writer,
                direct,
                target,
            } => {
                if let Some(direct) = direct {
                    direct
                        .finish()
                        .with_context(|| format!("cannot write {}", target.display()))?;
                }
                let file = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {}", target.display()))?;
                if replaces_a_file(&target) {
                    file.as_file()
                        .sync_all()
                        .with_context(|| format!("cannot write {}", target.display()))?;
                }
                keep_usual_permissions(file.as_file(), &target);
                file.persist(&target)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                Ok(())
            }
        }
    }
}

/// The file a symbolic link at `target` points at (through every link),
/// or `target` itself.
fn followed(target: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        if let Ok(real) = std::fs::canonicalize(target) {
            return real;
        }
    }
    target.to_owned()
}

/// Whether something is at `target` (a file, or a link, which the rename
/// replaces); when that cannot be told, as if something were.
fn replaces_a_file(target: &Path) -> bool {
    match std::fs::symlink_metadata(target) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    }
}

/// A temporary file is private (0600); the file put in place gets the
/// permissions of the file it replaces, or the usual 0644.
#[cfg(unix)]
fn keep_usual_permissions(file: &std::fs::File, target: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let permissions = std::fs::metadata(target)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
    let _ = file.set_permissions(permissions);
}

#[cfg(not(unix))]
fn keep_usual_permissions(_: &std::fs::File, _: &Path) {}
