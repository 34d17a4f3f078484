//! Loading a data folder: TOML records and CSV tables → a checked
//! [`Dataset`].
//!
//! Loading never stops at the first fault: every file is read, every check
//! runs, and all faults come back together in one [`DataErrors`].

mod check;
mod csv_tables;
mod files;
mod folder;
mod input;
mod rules;
mod stream;
mod stream_check;
mod toml_records;

pub use csv_tables::{
    csv_error, csv_reader, unknown_table_message, Columns, CsvRecord, CsvTable, RowParser, TABLES,
};
pub use files::{DataFile, MAX_ERRORS, SETTINGS_FILE};
pub use folder::{load_builtin, load_dir, load_files, read_data_files};
pub use input::{streamed_dataset, Input};
pub use stream::{
    folder_iris, read_settings, stream_rows, streamable_tables, total_bytes, ReadSoFar, RowsRead,
    StreamProgress, StreamReport,
};
