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
//! A streamed export ([`Output::streamed_file`]) writes its temporary
//! file around the page cache (`polegraph::direct_file`), not through it.
//!
//! An interrupted command (Ctrl-C, `kill`) removes its temporary file
//! (`polegraph::interrupt`).
//!
//! A device or pipe at the target (`/dev/null`, a FIFO) is written as it
//! is, and receives what was written before a failure; a link is followed;
//! a folder is refused (see `polegraph::target`).

use anyhow::{Context, Result};
use polegraph::interrupt::{pending, Pending};
use polegraph::target::{open_existing, place_of, Place};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        writer: BufWriter<tempfile::NamedTempFile>,
        /// Writes the temporary file around the page cache, in place of
        /// `writer` (see [`Output::streamed_file`]).
        #[cfg(target_os = "linux")]
        direct: Option<polegraph::direct_file::DirectFile>,
        target: PathBuf,
        /// Removes the temporary file if the command is interrupted.
        pending: Pending,
    },
    /// A device or a pipe, written as it is.
    InPlace {
        writer: BufWriter<std::fs::File>,
        target: PathBuf,
    },
}

impl Output {
    pub fn stdout() -> Self {
        Output::Stdout(BufWriter::new(std::io::stdout()))
    }

    /// A file that appears at `target` only when [`Output::finish`]
    /// succeeds (a device or pipe at `target` is written as it is).
    pub fn file(target: &Path) -> Result<Self> {
        let target = match place_of(target)? {
            Place::File(path) => path,
            Place::InPlace(path) => {
                let file = open_existing(&path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                return Ok(Output::InPlace {
                    writer: BufWriter::new(file),
                    target: path,
                });
            }
            Place::Stdout => return Ok(Output::stdout()),
        };
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let temporary = tempfile::Builder::new()
            .prefix(".polegraph-")
            .tempfile_in(folder)
            .with_context(|| format!("cannot write in {}", folder.display()))?;
        Ok(Output::File {
            pending: pending(temporary.path()),
            writer: BufWriter::new(temporary),
            #[cfg(target_os = "linux")]
            direct: None,
            target,
        })
    }

    /// As [`Output::file`], for streamed exports (gigabytes): on Linux a
    /// regular file is written around the page cache where the filesystem
    /// allows it (see `polegraph::direct_file`).
    pub fn streamed_file(target: &Path) -> Result<Self> {
        #[allow(unused_mut)]
        let mut output = Output::file(target)?;
        #[cfg(target_os = "linux")]
        if let Output::File {
            writer,
            direct,
            target,
            ..
        } = &mut output
        {
            let file = writer.get_ref().as_file().try_clone();
            *direct = Some(
                file.and_then(polegraph::direct_file::DirectFile::new)
                    .with_context(|| format!("cannot write {}", target.display()))?,
            );
        }
        Ok(output)
    }

    pub fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Output::Stdout(w) => w,
            #[cfg(target_os = "linux")]
            Output::File {
                direct: Some(direct),
                ..
            } => direct,
            Output::File { writer, .. } => writer,
            Output::InPlace { writer, .. } => writer,
        }
    }

    /// Flushes, and for a file, renames it into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::InPlace { mut writer, target } => writer
                .flush()
                .with_context(|| format!("cannot write {}", target.display())),
            Output::File {
                writer,
                #[cfg(target_os = "linux")]
                direct,
                target,
                pending,
            } => {
                #[cfg(target_os = "linux")]
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
                pending
                    .commit(|| file.persist(&target))
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                Ok(())
            }
        }
    }
}

/// Whether something is at `target` (links were followed before); when
/// that cannot be told, as if something were.
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
