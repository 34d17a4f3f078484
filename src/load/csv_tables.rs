//! The four bulk CSV tables of DESIGN §2 (spreadsheet-edited files).

use super::DataFile;
use crate::error::DataError;
use crate::model::*;
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
pub(crate) struct Columns {
    header: Arc<[String]>,
    indexes: Vec<usize>,
    source: Option<usize>,
    confidence: Option<usize>,
    name_en: Option<usize>,
    notes: Option<usize>,
}

impl Columns {
    /// Checks the header row: the table's columns first, in order, then
    /// optional ones. Returns a message on a bad header.
    pub(crate) fn new(table: CsvTable, header: &csv::StringRecord) -> Result<Self, String> {
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
            header: names.into(),
        })
    }

    pub(crate) fn header(&self) -> &Arc<[String]> {
        &self.header
    }
}

/// Reads one file of the data folder that ends in `.csv`.
pub(super) fn read(
    file: &DataFile,
    base_name: &str,
    dataset: &mut Dataset,
    errors: &mut Vec<DataError>,
) {
    let Some(table) = CsvTable::from_file_name(base_name) else {
        let suggestion = TABLES
            .iter()
            .map(|t| t.file_name())
            .max_by(|a, b| {
                strsim::jaro_winkler(a, base_name).total_cmp(&strsim::jaro_winkler(b, base_name))
            })
            .unwrap_or("organizations.csv");
        errors.push(DataError {
            file: file.name.clone(),
            line: None,
            column: None,
            field: None,
            message: format!(
                "unknown table `{base_name}` (did you mean `{suggestion}`? polegraph reads only {})",
                TABLES.iter().map(|t| format!("`{}`", t.file_name())).collect::<Vec<_>>().join(", ")
            ),
        });
        return;
    };
    let mut reader = TableReader::new(file, table, dataset, errors);
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = match csv.headers() {
        Ok(header) => header.clone(),
        Err(e) => return reader.fault(csv_line(&e), None, e.to_string()),
    };
    let columns = match Columns::new(table, &header) {
        Ok(columns) => columns,
        Err(message) => return reader.fault(Some(1), None, message),
    };
    let mut row = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                reader.row(&columns, &row, line);
            }
            Err(e) => {
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
                        "this row has {len} fields, the header has {expected_len} (quote fields that contain commas)"
                    ),
                    _ => e.to_string(),
                };
                reader.fault(csv_line(&e), None, message);
                if reader.errors.len() >= super::MAX_ERRORS {
                    break;
                }
            }
        }
    }
    reader.finish();
}

fn csv_line(e: &csv::Error) -> Option<usize> {
    e.position().map(|p| p.line() as usize)
}

/// Turns the rows of one table into records.
struct TableReader<'a> {
    file: Arc<str>,
    table: CsvTable,
    dataset: &'a mut Dataset,
    errors: &'a mut Vec<DataError>,
    uses_file_source: bool,
}

impl<'a> TableReader<'a> {
    fn new(
        file: &DataFile,
        table: CsvTable,
        dataset: &'a mut Dataset,
        errors: &'a mut Vec<DataError>,
    ) -> Self {
        TableReader {
            file: file.name.as_str().into(),
            table,
            dataset,
            errors,
            uses_file_source: false,
        }
    }

    fn fault(&mut self, line: Option<usize>, column: Option<&str>, message: String) {
        let column_number = column
            .and_then(|c| self.table.columns().iter().position(|n| *n == c))
            .map(|i| i + 1);
        self.errors.push(DataError {
            file: self.file.to_string(),
            line,
            column: column_number,
            field: column.map(str::to_owned),
            message,
        });
    }

    fn row(&mut self, columns: &Columns, row: &csv::StringRecord, line: usize) {
        let cell = |i: usize| {
            row.get(i)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let values: Vec<Option<String>> = columns.indexes.iter().map(|&i| cell(i)).collect();
        let origin = Origin {
            file: self.file.clone(),
            line,
            layout: Layout::Csv {
                header: columns.header().clone(),
            },
        };
        let confidence = match columns.confidence.and_then(cell).as_deref() {
            None | Some("confirmed") => Confidence::Confirmed,
            Some("uncertain") => Confidence::Uncertain,
            Some(other) => {
                self.errors.push(DataError {
                    file: self.file.to_string(),
                    line: Some(line),
                    column: columns.confidence.map(|i| i + 1),
                    field: Some("confidence".into()),
                    message: format!(
                        "unknown confidence `{other}` (expected `confirmed` or `uncertain`)"
                    ),
                });
                Confidence::Confirmed
            }
        };
        let sources = match columns.source.and_then(cell) {
            Some(list) => split_list(&list),
            None => {
                self.uses_file_source = true;
                vec![self.table.source_id().to_owned()]
            }
        };
        let common = Common {
            id: values[0].clone().unwrap_or_default(),
            sources,
            confidence,
            notes: columns.notes.and_then(cell),
            alt_labels: Vec::new(),
            origin,
        };
        let name_en = columns.name_en.and_then(cell);
        let take = |i: usize| values[i].clone();
        match self.table {
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
                    return self.fault(Some(line), Some("kind"), message);
                };
                self.dataset.organizations.push(Organization {
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
                    pole: PoleFacts::default(),
                    common,
                });
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
                    }],
                    (Some(_), None) => {
                        return self.fault(
                            Some(line),
                            Some("organization_id"),
                            "a person with a `post` needs the `organization_id` the post is in"
                                .into(),
                        )
                    }
                };
                self.dataset.people.push(Person {
                    name: take(1).unwrap_or_default(),
                    given_name: None,
                    family_name: None,
                    organization,
                    posts,
                    common,
                });
            }
            CsvTable::Events => self.dataset.events.push(Event {
                name: take(1).unwrap_or_default(),
                name_en,
                kind: EventKind::Meeting,
                date: take(2),
                organizers: take(3).into_iter().collect(),
                opened_by: Vec::new(),
                part_of: None,
                follows: None,
                documents: Vec::new(),
                description: None,
                common,
            }),
            CsvTable::Talks => self.dataset.talks.push(Talk {
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
        }
    }

    /// Adds the source record standing for the table file, if a row cites it.
    fn finish(self) {
        if self.uses_file_source {
            let name = self
                .file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(&self.file)
                .to_owned();
            self.dataset.sources.push(Source {
                id: self.table.source_id().to_owned(),
                kind: SourceKind::DataFile,
                title: Some(name),
                url: None,
                date: None,
                derived_from: Vec::new(),
                origin: Origin::generated(self.file.clone()),
            });
        }
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
