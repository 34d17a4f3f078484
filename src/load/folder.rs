//! Loading whole: the built-in dataset, or every data file of a folder,
//! read, parsed and checked into one [`Dataset`].

use super::files::{line_of, DataFile, MAX_ERRORS, SETTINGS_FILE};
use super::{check, csv_tables, toml_records, TABLES};
use crate::error::{DataError, DataErrors, LoadError};
use crate::model::Dataset;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

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
