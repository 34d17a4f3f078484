//! Streaming export of a folder of CSV tables to N-Triples or N-Quads:
//! rows are read, checked, mapped and written as they come.

use super::ntriples::LineWriter;
use crate::error::StreamError;
use crate::format::GraphFormat;
use crate::io::write_behind::write_behind;
use crate::load::CsvTable;
use crate::load::{folder_iris, StreamProgress, StreamReport};
use crate::map::map_tables;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether `format` can be streamed.
pub fn streams(format: GraphFormat) -> bool {
    matches!(format, GraphFormat::NTriples | GraphFormat::NQuads)
}

/// Streams the tables of `dir` into `writer` as N-Triples or N-Quads.
pub fn export_tables<W: Write + Send>(
    dir: &Path,
    tables: &[(CsvTable, PathBuf)],
    cli_base: Option<&str>,
    format: GraphFormat,
    writer: W,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<(W, StreamReport), StreamError> {
    let iris = folder_iris(dir, cli_base)?;
    // Reading and mapping each have a thread; the writing has one more
    // (and a file written direct, one more again), so that neither the
    // copy of gigabytes nor the wait for the disk holds the mapping up.
    let (written, mapped) = write_behind(writer, |behind| {
        let mut sink = LineWriter::new(behind, format.keeps_graphs());
        let report = map_tables(tables, &iris, &mut sink, progress)?;
        sink.finish()?;
        Ok::<_, StreamError>(report)
    });
    let writer = written?;
    Ok((writer, mapped?))
}
