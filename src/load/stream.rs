//! The one-pass reader of a folder of CSV tables: each row is read,
//! parsed and checked as it comes, and handed on (to be mapped) at once.
//!
//! What the checks need is all that is kept ([`super::stream_check`]): the
//! ids of each table, the organisation hierarchy (for cycles), and the
//! references to ids not read yet, checked at the end. Memory grows with
//! the number of ids, never with the number of triples. A fault found at
//! the end means what was handed on is to be thrown away (an export's file
//! is never put in place).

use super::csv_tables::open_without_bom;
use super::csv_tables::{csv_error, csv_reader, CsvRecord, CsvTable, RowParser, TABLES};
use super::files::{MAX_ERRORS, SETTINGS_FILE};
use super::stream_check::{Checker, SIZE_SAMPLE_ROWS};
use crate::error::{DataError, DataErrors, LoadError, StreamError};
use crate::iri::{resolve_base, Iris};
use crate::model::Dataset;
use std::io;
use std::path::{Path, PathBuf};

/// What a stream wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamReport {
    pub rows: u64,
    pub quads: u64,
    /// The sources the rows cite (the table files).
    pub sources: Vec<crate::model::Source>,
}

/// How far a stream has come, reported every few thousand rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamProgress {
    /// Bytes of the tables read, out of `bytes_total`.
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Rows mapped and quads written so far.
    pub rows: u64,
    pub quads: u64,
}

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

/// The CSV tables of `dir` when the folder holds nothing else to load (no
/// TOML records; `polegraph.toml` settings are fine), else `None`.
pub fn streamable_tables(dir: &Path) -> io::Result<Option<Vec<(CsvTable, PathBuf)>>> {
    let mut tables = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".toml") && name != SETTINGS_FILE {
            return Ok(None);
        }
        if name.ends_with(".csv") {
            match CsvTable::from_file_name(&name) {
                Some(table) => tables.push((table, path)),
                None => return Ok(None), // the loader reports the unknown table
            }
        }
    }
    tables.sort_by_key(|(table, _)| TABLES.iter().position(|t| t == table));
    Ok((!tables.is_empty()).then_some(tables))
}

/// The IRIs of a data folder: `--base`, else its `polegraph.toml`, else
/// the default base.
pub fn folder_iris(dir: &Path, cli_base: Option<&str>) -> Result<Iris, StreamError> {
    let settings = read_settings(dir)?;
    Ok(Iris::new(resolve_base(cli_base, &settings)?))
}

/// How far the reading has come when a batch is handed over.
#[derive(Debug, Clone, Copy)]
pub struct ReadSoFar {
    pub rows: u64,
    pub bytes_done: u64,
}

/// What the whole reading found, once every row passed its checks.
#[derive(Debug, Clone)]
pub struct RowsRead {
    pub rows: u64,
    /// The sources the rows cite (the table files).
    pub sources: Vec<crate::model::Source>,
}

/// The bytes of every table, for progress.
pub fn total_bytes(tables: &[(CsvTable, PathBuf)]) -> u64 {
    tables
        .iter()
        .map(|(_, path)| std::fs::metadata(path).map_or(0, |m| m.len()))
        .sum()
}

/// Reads, parses and checks the rows of `tables` on a thread of its own
/// and hands the good ones to `each_batch` on the calling thread, in file
/// order, a few thousand at a time. The first fault stops the handing over
/// (the reader only looks for more faults); then every fault found comes
/// back as [`LoadError::Data`], and what `each_batch` received is to be
/// thrown away. An error of `each_batch` stops the reading.
pub fn stream_rows<E: From<LoadError>>(
    tables: &[(CsvTable, PathBuf)],
    mut each_batch: impl FnMut(&[CsvRecord], ReadSoFar) -> Result<(), E>,
) -> Result<RowsRead, E> {
    let read = std::thread::scope(|scope| -> Result<ReadOutcome, E> {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Batch>(8);
        // Handled batches go back to the reader, which frees them: memory
        // is then freed by the thread that allocated it (cheaper with
        // malloc's per-thread arenas).
        let (give_back, returned) = std::sync::mpsc::channel::<Vec<CsvRecord>>();
        let reader = scope.spawn(move || read_tables(tables, &sender, &returned));
        let mut handled = Ok(());
        for batch in batches {
            let so_far = ReadSoFar {
                rows: batch.rows,
                bytes_done: batch.bytes_done,
            };
            handled = each_batch(&batch.records, so_far);
            if handled.is_err() {
                break; // dropping `batches` stops the reader
            }
            let _ = give_back.send(batch.records);
        }
        let outcome = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        handled?;
        Ok(outcome?)
    })?;
    if !read.errors.is_empty() {
        return Err(LoadError::Data(DataErrors(read.errors)).into());
    }
    Ok(RowsRead {
        rows: read.rows,
        sources: read.sources,
    })
}

/// Rows checked and ready to map, with how far the reading has come.
struct Batch {
    records: Vec<CsvRecord>,
    rows: u64,
    bytes_done: u64,
}

/// What the reading thread found.
struct ReadOutcome {
    rows: u64,
    errors: Vec<DataError>,
    sources: Vec<crate::model::Source>,
}

/// Reads, parses and checks every row, sending the good ones in batches
/// until the first fault (then it only looks for more faults).
fn read_tables(
    tables: &[(CsvTable, PathBuf)],
    sender: &std::sync::mpsc::SyncSender<Batch>,
    returned: &std::sync::mpsc::Receiver<Vec<CsvRecord>>,
) -> Result<ReadOutcome, LoadError> {
    let mut checker = Checker::new(tables);
    let mut sources = Vec::new();
    let mut rows = 0u64;
    let mut bytes_done = 0u64;
    let mut records = Vec::with_capacity(PROGRESS_EVERY as usize);
    for (table, path) in tables {
        let name = path.display().to_string();
        let bytes_before = bytes_done;
        let mut csv = csv_reader(open_without_bom(path)?);
        let mut parser = RowParser::new(&name, *table, &mut csv).map_err(one_error)?;
        let mut row = csv::StringRecord::new();
        let table_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        let mut table_rows = 0u64;
        while checker.errors.len() < MAX_ERRORS {
            match csv.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {
                    rows += 1;
                    table_rows += 1;
                    if table_rows == SIZE_SAMPLE_ROWS {
                        // Size the id sets once from the first rows, rather
                        // than growing them a dozen times.
                        let read = row.position().map_or(0, |p| p.byte()).max(1);
                        let expected = table_rows * table_bytes / read;
                        checker.expect_rows(*table, expected as usize * 21 / 20);
                    }
                    match parser.parse(&row) {
                        Ok(record) => {
                            checker.check(&record);
                            if checker.errors.is_empty() {
                                records.push(record);
                            }
                        }
                        Err(e) => checker.errors.push(e),
                    }
                    if records.len() == PROGRESS_EVERY as usize {
                        // Free the batches the mapper is done with, here.
                        let mut spare = Vec::new();
                        for mut done in returned.try_iter() {
                            done.clear();
                            spare = done;
                        }
                        let batch = Batch {
                            records: std::mem::replace(&mut records, spare),
                            rows,
                            bytes_done: bytes_before + row.position().map_or(0, |p| p.byte()),
                        };
                        if sender.send(batch).is_err() {
                            return Ok(ReadOutcome {
                                rows,
                                errors: checker.finish(),
                                sources,
                            });
                        }
                    }
                }
                Err(e) => checker.errors.push(csv_error(&name, &e)),
            }
        }
        checker.table_done(*table);
        sources.extend(parser.file_source());
        bytes_done = bytes_before + table_bytes;
    }
    if checker.errors.is_empty() && !records.is_empty() {
        let _ = sender.send(Batch {
            records,
            rows,
            bytes_done,
        });
    }
    Ok(ReadOutcome {
        rows,
        errors: checker.finish(),
        sources,
    })
}

fn one_error(error: DataError) -> LoadError {
    LoadError::Data(DataErrors(vec![error]))
}

/// The base IRI setting of `polegraph.toml`, if the folder has one.
pub fn read_settings(dir: &Path) -> Result<Dataset, LoadError> {
    let path = dir.join(SETTINGS_FILE);
    if !path.is_file() {
        return Ok(Dataset::default());
    }
    let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
        path: path.clone(),
        source,
    })?;
    super::folder::load_files(vec![super::files::DataFile {
        name: path.display().to_string(),
        text,
    }])
}
