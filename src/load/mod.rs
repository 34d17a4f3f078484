//! Loading a data folder: TOML records and CSV tables → a checked
//! [`Dataset`].
//!
//! Loading never stops at the first fault: every file is read, every check
//! runs, and all faults come back together in one [`DataErrors`].

mod check;
pub mod csv_tables;
mod input;
mod rules;
pub mod stream;
mod stream_check;
mod toml_records;

use crate::error::{DataError, DataErrors, LoadError};
use crate::model::Dataset;
use std::path::Path;

pub use csv_tables::{
    csv_error, csv_reader, unknown_table_message, Columns, CsvRecord, CsvTable, RowParser, TABLES,
};
pub use input::{streamed_dataset, Input};

include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

/// The name of the settings file of a data folder.
pub const SETTINGS_FILE: &str = "polegraph.toml";

/// At most this many faults are reported; past it the loader stops looking.
pub const MAX_ERRORS: usize = 100;

/// One data file: its name (relative to the data folder) and its text.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub name: String,
    pub text: String,
}

/// Loads the built-in dataset embedded in the binary.
pub fn load_builtin() -> Result<Dataset, LoadError> {
    let files = BUILTIN_DATA
        .iter()
        .map(|(name, text)| DataFile {
            name: format!("data/{name}"),
            text: (*text).to_owned(),
        })
        .collect();
    load_files(files)
}

/// Loads every `*.toml` file and the CSV tables of `dir`.
pub fn load_dir(dir: &Path) -> Result<Dataset, LoadError> {
    load_files(read_data_files(dir)?)
}

/// Reads the data files of a folder (not its subfolders), sorted by name.
pub fn read_data_files(dir: &Path) -> Result<Vec<DataFile>, LoadError> {
    let io_error = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        let is_data = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "csv")
        );
        if is_data && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        match String::from_utf8(bytes) {
            Ok(text) => files.push(DataFile { name, text }),
            Err(e) => errors.push(DataError {
                file: name,
                line: Some(line_of(&e.as_bytes()[..e.utf8_error().valid_up_to()])),
                column: None,
                field: None,
                message:
                    "the file is not UTF-8 (save it as UTF-8, e.g. \"CSV UTF-8\" in a spreadsheet)"
                        .into(),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(DataErrors(errors).into());
    }
    if files.is_empty() {
        return Err(DataErrors(vec![DataError {
            file: dir.display().to_string(),
            line: None,
            column: None,
            field: None,
            message: format!(
                "no data files here (expected `*.toml` records or the CSV tables {})",
                TABLES
                    .iter()
                    .map(|t| format!("`{}`", t.file_name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }])
        .into());
    }
    Ok(files)
}

/// Parses and checks a set of data files.
pub fn load_files(files: Vec<DataFile>) -> Result<Dataset, LoadError> {
    let mut dataset = Dataset::default();
    let mut errors = Vec::new();
    for file in &files {
        let base_name = file.name.rsplit(['/', '\\']).next().unwrap_or(&file.name);
        if base_name.ends_with(".toml") {
            toml_records::read(file, base_name == SETTINGS_FILE, &mut dataset, &mut errors);
        } else {
            csv_tables::read(file, base_name, &mut dataset, &mut errors);
        }
    }
    if errors.is_empty() {
        check::check(&dataset, &mut errors);
    }
    if errors.is_empty() {
        Ok(dataset)
    } else {
        errors.truncate(MAX_ERRORS);
        Err(DataErrors(errors).into())
    }
}

/// The 1-based line of the end of `before`.
pub(crate) fn line_of(before: &[u8]) -> usize {
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// The 1-based line and column of a byte offset in `text`.
pub(crate) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = line_of(before.as_bytes());
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
