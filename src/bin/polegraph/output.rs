//! Where a command writes: standard output, or a file written aside and
//! renamed into place at the end, by the library's one rule for outputs
//! (`polegraph::io::atomic`: permissions, sync, interruption).
//!
//! A streamed export ([`Output::streamed_file`]) writes its temporary
//! file around the page cache (`polegraph::io::direct_file`), not through it.
//!
//! A device or pipe at the target (`/dev/null`, a FIFO) is written as it
//! is, and receives what was written before a failure; a link is followed;
//! a folder is refused (see `polegraph::io::target`).

use anyhow::{Context, Result};
use polegraph::io::atomic::AsideFile;
use polegraph::io::target::{open_existing, place_of, Place};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        writer: BufWriter<AsideFile>,
        /// Writes the temporary file around the page cache, in place of
        /// `writer` (see [`Output::streamed_file`]).
        #[cfg(target_os = "linux")]
        direct: Option<polegraph::io::direct_file::DirectFile>,
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
        let file = AsideFile::beside(&target)
            .with_context(|| format!("cannot write in the folder of {}", target.display()))?;
        Ok(Output::File {
            writer: BufWriter::new(file),
            #[cfg(target_os = "linux")]
            direct: None,
        })
    }

    /// As [`Output::file`], for streamed exports (gigabytes): on Linux a
    /// regular file is written around the page cache where the filesystem
    /// allows it (see `polegraph::io::direct_file`).
    pub fn streamed_file(target: &Path) -> Result<Self> {
        #[allow(unused_mut)]
        let mut output = Output::file(target)?;
        #[cfg(target_os = "linux")]
        if let Output::File { writer, direct } = &mut output {
            let file = writer.get_ref().file().try_clone();
            *direct = Some(
                file.and_then(polegraph::io::direct_file::DirectFile::new)
                    .with_context(|| {
                        format!("cannot write {}", writer.get_ref().target().display())
                    })?,
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

    /// Flushes, and for a file, puts it in place.
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
            } => {
                let target = writer.get_ref().target().to_owned();
                let cannot_write = || format!("cannot write {}", target.display());
                #[cfg(target_os = "linux")]
                if let Some(direct) = direct {
                    direct.finish().with_context(cannot_write)?;
                }
                let file = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(cannot_write)?;
                file.commit().with_context(cannot_write)
            }
        }
    }
}
