//! What every reader of data files shares: a file with its name, where a
//! byte of it is (line and column), and the limits of a report.

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

/// The 1-based line of the end of `before`.
pub fn line_of(before: &[u8]) -> usize {
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// The 1-based line and column of a byte offset in `text`.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = line_of(before.as_bytes());
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
