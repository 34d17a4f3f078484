//! The four bulk CSV tables of DESIGN §2 (spreadsheet-edited files).

use super::files::{DataFile, MAX_ERRORS};
use crate::error::{DataError, LoadError};
use crate::model::*;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// One of the CSV tables polegraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvTable {
    Organizations,
    People,
    Events,
    Talks,
}

/// Every table, in load order.
pub const TABLES: &[CsvTable] = &[
    CsvTable::Organizations,
    CsvTable::People,
    CsvTable::Events,
    CsvTable::Talks,
];

impl CsvTable {
    /// The file name of the table.
    pub fn file_name(self) -> &'static str {
        match self {
            CsvTable::Organizations => "organizations.csv",
            CsvTable::People => "people.csv",
            CsvTable::Events => "events.csv",
            CsvTable::Talks => "talks.csv",
        }
    }

    /// The columns the table must have, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            CsvTable::Organizations => &["id", "name", "acronym", "kind", "parent_id"],
            CsvTable::People => &["id", "name", "organization_id", "post"],
            CsvTable::Events => &["id", "name", "date", "organizer_id"],
            CsvTable::Talks => &["id", "title", "event_id", "speaker_ids", "document_url"],
        }
    }

    /// The table a file name stands for.
    pub fn from_file_name(name: &str) -> Option<Self> {
        TABLES.iter().copied().find(|t| t.file_name() == name)
    }

    /// The id of the source record that stands for this table file.
    pub fn source_id(self) -> &'static str {
        match self {
            CsvTable::Organizations => "organizations-csv",
            CsvTable::People => "people-csv",
            CsvTable::Events => "events-csv",
            CsvTable::Talks => "talks-csv",
        }
    }
}

/// The columns of one table file, located by name.
pub struct Columns {
    header: Arc<[String]>,
    indexes: Vec<usize>,
    source: Option<usize>,
    confidence: Option<usize>,
    name_en: Option<usize>,
    notes: Option<usize>,
    regions: Option<usize>,
}

impl Columns {
    /// Checks the header row: the table's columns first, in order, then
    /// optional ones. Returns a message on a bad header.
    pub fn new(table: CsvTable, header: &csv::StringRecord) -> Result<Self, String> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
        let expected = table.columns();
        if names.len() == 1 && names[0].contains(';') {
            return Err(format!(
                "the table is separated by `;`, not `,` (export it as comma-separated CSV; expected header `{}`)",
                expected.join(",")
            ));
        }
        if names.len() < expected.len() || names[..expected.len()] != *expected {
            return Err(format!(
                "the header is `{}`, expected `{}` (extra columns may follow)",
                names.join(","),
                expected.join(",")
            ));
        }
        let find = |name: &str| {
            names
                .iter()
                .skip(expected.len())
                .position(|n| n == name)
                .map(|i| i + expected.len())
        };
        Ok(Columns {
            indexes: (0..expected.len()).collect(),
            source: find("source"),
            confidence: find("confidence"),
            name_en: find("name_en"),
            notes: find("notes"),
            regions: find("regions"),
            header: names.into(),
        })
    }
}

/// The message for an unknown table file name.
pub fn unknown_table_message(base_name: &str) -> String {
    let names: Vec<&str> = TABLES.iter().map(|t| t.file_name()).collect();
    let hint = closest(base_name, &names)
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    format!(
        "unknown table `{base_name}` ({hint}polegraph reads only {})",
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A CSV reader set up for spreadsheet exports.
pub fn csv_reader<R: std::io::Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(reader)
}

/// The fault for a row the CSV reader rejects.
pub fn csv_error(file: &str, error: &csv::Error) -> DataError {
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} fields, the header has {expected_len} (quote fields that contain commas)"
        ),
        csv::ErrorKind::Utf8 { .. } => {
            "the file is not UTF-8 (save it as UTF-8, e.g. \"CSV UTF-8\" in a spreadsheet)".into()
        }
        _ => error.to_string(),
    };
    DataError {
        file: file.to_owned(),
        line: error.position().map(|p| p.line() as usize),
        column: None,
        field: None,
        message,
    }
}

/// Reads one file of the data folder that ends in `.csv`.
pub(super) fn read(
    file: &DataFile,
    base_name: &str,
    dataset: &mut Dataset,
    errors: &mut Vec<DataError>,
) {
    let fault = |line, message| DataError {
        file: file.name.clone(),
        line,
        column: None,
        field: None,
        message,
    };
    let Some(table) = CsvTable::from_file_name(base_name) else {
        return errors.push(fault(None, unknown_table_message(base_name)));
    };
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let mut csv = csv_reader(text.as_bytes());
    let mut parser = match RowParser::new(&file.name, table, &mut csv) {
        Ok(parser) => parser,
        Err(e) => return errors.push(e),
    };
    let mut row = csv::StringRecord::new();
    while errors.len() < MAX_ERRORS {
        match csv.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => match parser.parse(&row) {
                Ok(CsvRecord::Organization(r)) => dataset.organizations.push(r),
                Ok(CsvRecord::Person(r)) => dataset.people.push(r),
                Ok(CsvRecord::Event(r)) => dataset.events.push(r),
                Ok(CsvRecord::Talk(r)) => dataset.talks.push(r),
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(csv_error(&file.name, &e)),
        }
    }
    if let Some(source) = parser.file_source() {
        dataset.sources.push(source);
    }
}

/// A record read from one CSV row.
#[derive(Debug, Clone)]
pub enum CsvRecord {
    Organization(Organization),
    Person(Person),
    Event(Event),
    Talk(Talk),
}

/// Turns the rows of one table into records.
pub struct RowParser {
    file: Arc<str>,
    table: CsvTable,
    columns: Columns,
    uses_file_source: bool,
}

impl RowParser {
    /// Reads and checks the header of `csv`.
    pub fn new<R: std::io::Read>(
        file: &str,
        table: CsvTable,
        csv: &mut csv::Reader<R>,
    ) -> Result<Self, DataError> {
        let header = csv.headers().map_err(|e| csv_error(file, &e))?.clone();
        let columns = Columns::new(table, &header).map_err(|message| DataError {
            file: file.to_owned(),
            line: Some(1),
            column: None,
            field: None,
            message,
        })?;
        Ok(RowParser {
            file: file.into(),
            table,
            columns,
            uses_file_source: false,
        })
    }

    fn fault(&self, line: usize, column: &str, message: String) -> DataError {
        let column_number = self
            .columns
            .header
            .iter()
            .position(|n| n == column)
            .map(|i| i + 1);
        DataError {
            file: self.file.to_string(),
            line: Some(line),
            column: column_number,
            field: Some(column.to_owned()),
            message,
        }
    }

    /// The record of one row.
    pub fn parse(&mut self, row: &csv::StringRecord) -> Result<CsvRecord, DataError> {
        let line = row.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| {
            row.get(i)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let take = |i: usize| cell(self.columns.indexes[i]);
        let optional = |column: Option<usize>| column.and_then(cell);
        let confidence = match optional(self.columns.confidence).as_deref() {
            None | Some("confirmed") => Confidence::Confirmed,
            Some("uncertain") => Confidence::Uncertain,
            Some(other) => {
                return Err(self.fault(
                    line,
                    "confidence",
                    format!("unknown confidence `{other}` (expected `confirmed` or `uncertain`)"),
                ))
            }
        };
        let sources = match optional(self.columns.source) {
            Some(list) => split_list(&list),
            None => {
                self.uses_file_source = true;
                vec![self.table.source_id().to_owned()]
            }
        };
        let common = Common {
            id: take(0).unwrap_or_default(),
            sources,
            confidence,
            notes: optional(self.columns.notes),
            alt_labels: Vec::new(),
            hidden_labels: Vec::new(),
            facts: Vec::new(),
            origin: Origin {
                file: self.file.clone(),
                line,
                layout: Layout::Csv {
                    header: self.columns.header.clone(),
                },
            },
        };
        let name_en = optional(self.columns.name_en);
        Ok(match self.table {
            CsvTable::Organizations => {
                let kind_text = take(3).unwrap_or_default();
                let Some(kind) = OrgKind::parse(&kind_text) else {
                    let message = if kind_text.is_empty() {
                        format!(
                            "the kind is empty (expected one of {})",
                            OrgKind::expected()
                        )
                    } else {
                        OrgKind::unknown_message(&kind_text)
                    };
                    return Err(self.fault(line, "kind", message));
                };
                CsvRecord::Organization(Organization {
                    name: take(1).unwrap_or_default(),
                    name_en,
                    kind,
                    acronym: take(2),
                    short_name: None,
                    parent: take(4),
                    placed_at_disposal_of: None,
                    members: Vec::new(),
                    secretariat: Vec::new(),
                    coordinates_support_to: Vec::new(),
                    homepage: None,
                    chaired_by: None,
                    not_exhaustive: Vec::new(),
                    pole: PoleFacts {
                        regions: optional(self.columns.regions)
                            .map(|r| split_list(&r))
                            .unwrap_or_default(),
                        ..PoleFacts::default()
                    },
                    common,
                })
            }
            CsvTable::People => {
                let organization = take(2);
                let posts = match (take(3), &organization) {
                    (None, _) => Vec::new(),
                    (Some(title), Some(org)) => vec![Post {
                        common: Common {
                            alt_labels: Vec::new(),
                            notes: None,
                            ..common.clone()
                        },
                        title,
                        title_en: None,
                        organization: org.clone(),
                        head: false,
                        start: None,
                        end: None,
                        attested_on: None,
                    }],
                    (Some(_), None) => {
                        return Err(self.fault(
                            line,
                            "organization_id",
                            "a person with a `post` needs the `organization_id` the post is in"
                                .into(),
                        ))
                    }
                };
                CsvRecord::Person(Person {
                    name: take(1).unwrap_or_default(),
                    given_name: None,
                    family_name: None,
                    organization,
                    posts,
                    common,
                })
            }
            CsvTable::Events => CsvRecord::Event(Event {
                name: take(1).unwrap_or_default(),
                name_en,
                kind: EventKind::Meeting,
                date: take(2),
                organizers: take(3).into_iter().collect(),
                opened_by: Vec::new(),
                attendees: Vec::new(),
                part_of: None,
                follows: None,
                documents: Vec::new(),
                description: None,
                common,
            }),
            CsvTable::Talks => CsvRecord::Talk(Talk {
                title: take(1).unwrap_or_default(),
                event: take(2).unwrap_or_default(),
                part_of: None,
                speakers: take(3).map(|s| split_list(&s)).unwrap_or_default(),
                speaker_organizations: Vec::new(),
                topics: Vec::new(),
                documents: Vec::new(),
                document_url: take(4),
                common,
            }),
        })
    }

    /// The source record standing for the table file, if a row cites it.
    pub fn file_source(&self) -> Option<Source> {
        self.uses_file_source.then(|| Source {
            id: self.table.source_id().to_owned(),
            kind: SourceKind::DataFile,
            title: Some(
                self.file
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(&self.file)
                    .to_owned(),
            ),
            url: None,
            date: None,
            derived_from: Vec::new(),
            origin: Origin::generated(self.file.clone()),
        })
    }
}

/// Splits a `;`-separated list cell, dropping empty items.
pub(crate) fn split_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A reader of `path` past its UTF-8 byte-order mark, if any.
pub(crate) fn open_without_bom(path: &Path) -> Result<BufReader<File>, LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(io_error)?);
    if reader
        .fill_buf()
        .map_err(io_error)?
        .starts_with(b"\xEF\xBB\xBF")
    {
        reader.consume(3);
    }
    Ok(reader)
}
