//! Where the records come from: the one place that chooses.
//!
//! Every command that reads data takes an [`Input`]: the built-in dataset,
//! a data folder loaded whole (TOML records, CSV tables, or both), or a
//! folder of CSV tables alone, which is streamed row by row so that
//! memory stays bounded however long the tables are.

use super::csv_tables::CsvTable;
use super::folder::{load_builtin, load_dir};
use super::stream::{read_settings, streamable_tables};
use crate::error::{InputError, LoadError};
use crate::model::Dataset;
use std::path::{Path, PathBuf};

/// The data a command reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The dataset embedded in the binary.
    Builtin,
    /// A data folder, loaded and checked whole.
    Folder(PathBuf),
    /// A folder of CSV tables alone (settings aside), streamed.
    Tables {
        dir: PathBuf,
        tables: Vec<(CsvTable, PathBuf)>,
    },
}

impl Input {
    /// The input `--data DIR` names (`None`: the built-in dataset). A
    /// folder that holds CSV tables and nothing else to load is streamed.
    pub fn choose(data: Option<&Path>) -> Result<Input, InputError> {
        let Some(dir) = data else {
            return Ok(Input::Builtin);
        };
        if !dir.is_dir() {
            return Err(InputError::NotAFolder(dir.to_owned()));
        }
        let tables = streamable_tables(dir).map_err(|source| InputError::Unreadable {
            dir: dir.to_owned(),
            source,
        })?;
        Ok(match tables {
            Some(tables) => Input::Tables {
                dir: dir.to_owned(),
                tables,
            },
            None => Input::Folder(dir.to_owned()),
        })
    }

    /// The whole dataset, loaded and checked in memory (tables too, for
    /// the callers that need every record at once).
    pub fn load(&self) -> Result<Dataset, LoadError> {
        match self {
            Input::Builtin => load_builtin(),
            Input::Folder(dir) | Input::Tables { dir, .. } => load_dir(dir),
        }
    }

    /// The folder whose `polegraph.toml` settings apply, if any.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Input::Builtin => None,
            Input::Folder(dir) | Input::Tables { dir, .. } => Some(dir),
        }
    }
}

/// What a streamed build describes in its VoID graph: the folder's
/// settings, with the sources its rows cited.
pub fn streamed_dataset(
    dir: &Path,
    sources: Vec<crate::model::Source>,
) -> Result<Dataset, LoadError> {
    Ok(Dataset {
        sources,
        ..read_settings(dir)?
    })
}
