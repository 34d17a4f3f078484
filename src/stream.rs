//! Streaming export of the four CSV tables to N-Triples or N-Quads.
//!
//! Two passes over the files: the first collects what validation needs
//! (the ids of each table and the organisation hierarchy); the second maps
//! each row as it is read and writes its triples at once. Memory grows with
//! the number of ids, never with the number of triples.
//!
//! The stream holds the records and the sources of the tables (the graph a
//! store build would hold, without the ontology and VoID graphs); the rows
//! come out in file order.

use crate::error::{DataError, DataErrors, LoadError};
use crate::format::GraphFormat;
use crate::load::check::{check_date, check_id, find_cycles};
use crate::load::{
    csv_error, csv_reader, CsvRecord, CsvTable, RowParser, MAX_ERRORS, SETTINGS_FILE, TABLES,
};
use crate::map::{Iris, Mapper, QuadSink, PROVENANCE_GRAPH};
use crate::model::{closest, Common, Dataset};
use oxigraph::io::{RdfSerializer, WriterQuadSerializer};
use oxigraph::model::QuadRef;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// What a stream wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamReport {
    pub rows: usize,
    pub quads: usize,
}

/// Streaming failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Build(#[from] crate::error::BuildError),
    #[error("cannot write the export")]
    Write(#[from] io::Error),
}

/// Whether `format` can be streamed.
pub fn streams(format: GraphFormat) -> bool {
    matches!(format, GraphFormat::NTriples | GraphFormat::NQuads)
}

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

/// Streams the tables of `dir` into `writer`.
pub fn export_tables<W: Write>(
    dir: &Path,
    tables: &[(CsvTable, PathBuf)],
    cli_base: Option<&str>,
    format: GraphFormat,
    writer: W,
) -> Result<(W, StreamReport), StreamError> {
    let settings = read_settings(dir)?;
    let iris = Iris::new(crate::store::resolve_base(cli_base, &settings)?);
    let ids = collect_ids(tables)?;
    let mut sink = SerializerSink {
        serializer: RdfSerializer::from_format(format.rdf_format())
            .for_writer(io::BufWriter::with_capacity(1 << 20, writer)),
        keep_graphs: format.keeps_graphs(),
        quads: 0,
    };
    let mut errors = Vec::new();
    let mut report = StreamReport::default();
    let mut sources = Vec::new();
    for (table, path) in tables {
        let name = path.display().to_string();
        let mut csv = csv_reader(open_without_bom(path)?);
        let mut parser = RowParser::new(&name, *table, &mut csv).map_err(one_error)?;
        let mut row = csv::StringRecord::new();
        while errors.len() < MAX_ERRORS {
            match csv.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {
                    report.rows += 1;
                    match parser.parse(&row) {
                        Ok(record) => {
                            ids.check(&record, &mut errors);
                            if errors.is_empty() {
                                map_record(&mut Mapper::new(&iris, &mut sink), &record)?;
                            }
                        }
                        Err(e) => errors.push(e),
                    }
                }
                Err(e) => errors.push(csv_error(&name, &e)),
            }
        }
        sources.extend(parser.file_source());
    }
    if !errors.is_empty() {
        return Err(LoadError::Data(DataErrors(errors)).into());
    }
    let provenance = iris.graph(PROVENANCE_GRAPH);
    for source in &sources {
        Mapper::new(&iris, &mut sink).source(source, &provenance)?;
    }
    report.quads = sink.quads;
    let writer = sink
        .serializer
        .finish()?
        .into_inner()
        .map_err(|e| e.into_error())?;
    Ok((writer, report))
}

fn map_record<S: QuadSink>(mapper: &mut Mapper<'_, S>, record: &CsvRecord) -> io::Result<()> {
    match record {
        CsvRecord::Organization(r) => mapper.organization(r),
        CsvRecord::Person(r) => mapper.person(r),
        CsvRecord::Event(r) => mapper.event(r),
        CsvRecord::Talk(r) => mapper.talk(r),
    }
}

fn one_error(error: DataError) -> StreamError {
    LoadError::Data(DataErrors(vec![error])).into()
}

/// The base IRI setting of `polegraph.toml`, if the folder has one.
fn read_settings(dir: &Path) -> Result<Dataset, LoadError> {
    let path = dir.join(SETTINGS_FILE);
    if !path.is_file() {
        return Ok(Dataset::default());
    }
    let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
        path: path.clone(),
        source,
    })?;
    crate::load::load_files(vec![crate::load::DataFile {
        name: path.display().to_string(),
        text,
    }])
}

/// A reader of `path` past its UTF-8 byte-order mark, if any.
fn open_without_bom(path: &Path) -> Result<BufReader<File>, LoadError> {
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

/// Writes mapped quads with an oxigraph serializer.
struct SerializerSink<W: Write> {
    serializer: WriterQuadSerializer<W>,
    keep_graphs: bool,
    quads: usize,
}

impl<W: Write> QuadSink for SerializerSink<W> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.quads += 1;
        if self.keep_graphs {
            self.serializer.serialize_quad(quad)
        } else {
            self.serializer
                .serialize_triple(oxigraph::model::TripleRef::new(
                    quad.subject,
                    quad.predicate,
                    quad.object,
                ))
        }
    }
}

/// What the second pass checks rows against: the ids of each table.
#[derive(Default)]
struct Ids {
    organizations: HashSet<Box<str>>,
    people: HashSet<Box<str>>,
    events: HashSet<Box<str>>,
    talks: HashSet<Box<str>>,
    /// The source ids rows may cite: the table files.
    sources: std::collections::BTreeSet<&'static str>,
}

/// First pass: the ids of every table (syntax, duplicates) and the
/// organisation hierarchy (cycles).
fn collect_ids(tables: &[(CsvTable, PathBuf)]) -> Result<Ids, StreamError> {
    let mut ids = Ids::default();
    let mut errors = Vec::new();
    let mut parents: HashMap<Box<str>, (Box<str>, usize)> = HashMap::new();
    let mut org_file = String::new();
    ids.sources = tables.iter().map(|(t, _)| t.source_id()).collect();
    for (table, path) in tables {
        let name = path.display().to_string();
        let mut csv = csv_reader(open_without_bom(path)?);
        RowParser::new(&name, *table, &mut csv).map_err(one_error)?;
        let set = match table {
            CsvTable::Organizations => &mut ids.organizations,
            CsvTable::People => &mut ids.people,
            CsvTable::Events => &mut ids.events,
            CsvTable::Talks => &mut ids.talks,
        };
        if *table == CsvTable::Organizations {
            org_file.clone_from(&name);
        }
        let mut first_line: HashMap<Box<str>, usize> = HashMap::new();
        let mut row = csv::ByteRecord::new();
        while errors.len() < MAX_ERRORS {
            match csv.read_byte_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    errors.push(csv_error(&name, &e));
                    continue;
                }
            }
            let line = row.position().map_or(0, |p| p.line() as usize);
            let fault = |message: String| DataError {
                file: name.clone(),
                line: Some(line),
                column: Some(1),
                field: Some("id".into()),
                message,
            };
            let Ok(id) = std::str::from_utf8(row.get(0).unwrap_or_default()).map(str::trim) else {
                errors.push(fault("the id is not UTF-8".into()));
                continue;
            };
            if let Err(message) = check_id(id) {
                errors.push(fault(message));
                continue;
            }
            if !set.insert(id.into()) {
                let first = first_line.get(id).copied().unwrap_or(0);
                errors.push(fault(format!(
                    "duplicate id `{id}` (first defined at {name}:{first}; give one of them another id)"
                )));
                continue;
            }
            if set.len() <= 100_000 {
                first_line.insert(id.into(), line);
            }
            if *table == CsvTable::Organizations {
                let parent = row
                    .get(4)
                    .and_then(|p| std::str::from_utf8(p).ok())
                    .map(str::trim)
                    .unwrap_or_default();
                if !parent.is_empty() {
                    parents.insert(id.into(), (parent.into(), line));
                }
            }
        }
    }
    if let Some(error) = first_cycle(&parents, &org_file) {
        errors.push(error);
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(LoadError::Data(DataErrors(errors)).into())
    }
}

/// The first cycle of `child → parent` links, if any, as a fault.
fn first_cycle(parents: &HashMap<Box<str>, (Box<str>, usize)>, file: &str) -> Option<DataError> {
    let parent_of: HashMap<&str, &str> = parents
        .iter()
        .map(|(id, (parent, _))| (&**id, &**parent))
        .collect();
    let ring = find_cycles(&parent_of).into_iter().next()?;
    Some(DataError {
        file: file.to_owned(),
        line: parents.get(ring[0]).map(|(_, line)| *line),
        column: Some(5),
        field: Some("parent_id".into()),
        message: format!(
            "the organisation hierarchy has a cycle: {} (break it by changing one `parent_id`)",
            ring.join(" → ")
        ),
    })
}

impl Ids {
    /// Checks one row's references and values, as the loader's checks do.
    fn check(&self, record: &CsvRecord, errors: &mut Vec<DataError>) {
        let mut fault = |common: &Common, field: &str, message: String| {
            let (field, line, column) = common.origin.locate(field);
            errors.push(DataError {
                file: common.origin.file.to_string(),
                line: Some(line),
                column,
                field: Some(field),
                message,
            });
        };
        let reference = |set: &HashSet<Box<str>>, noun: &str, id: &str| -> Option<String> {
            if set.contains(id) {
                return None;
            }
            let hint = if set.len() <= 10_000 {
                let candidates: Vec<&str> = set.iter().map(|s| &**s).collect();
                closest(id, &candidates).map(|c| format!(" (did you mean `{c}`?)"))
            } else {
                None
            };
            Some(format!(
                "unknown {noun} id `{id}`{}",
                hint.unwrap_or_else(|| format!(
                    " (no {noun} record has this id; add one or fix the reference)"
                ))
            ))
        };
        let (common, name) = match record {
            CsvRecord::Organization(r) => (&r.common, &r.name),
            CsvRecord::Person(r) => (&r.common, &r.name),
            CsvRecord::Event(r) => (&r.common, &r.name),
            CsvRecord::Talk(r) => (&r.common, &r.title),
        };
        for source in &common.sources {
            if !self.sources.contains(source.as_str()) {
                let message = format!(
                    "unknown source id `{source}` (a folder of CSV tables alone only has the tables themselves as sources: {})",
                    self.sources.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                );
                fault(common, "sources", message);
            }
        }
        if name.is_empty() {
            let field = if matches!(record, CsvRecord::Talk(_)) {
                "title"
            } else {
                "name"
            };
            fault(
                common,
                field,
                format!("`{field}` is empty (it is required)"),
            );
        }
        match record {
            CsvRecord::Organization(r) => {
                if let Some(message) = r
                    .parent
                    .as_deref()
                    .and_then(|p| reference(&self.organizations, "organisation", p))
                {
                    fault(common, "parent", message);
                }
            }
            CsvRecord::Person(r) => {
                if let Some(message) = r
                    .organization
                    .as_deref()
                    .and_then(|o| reference(&self.organizations, "organisation", o))
                {
                    fault(common, "organization", message);
                }
            }
            CsvRecord::Event(r) => {
                for message in r
                    .organizers
                    .iter()
                    .filter_map(|o| reference(&self.organizations, "organisation", o))
                {
                    fault(common, "organizers", message);
                }
                if let Some(Err(message)) = r.date.as_deref().map(check_date) {
                    fault(common, "date", message);
                }
            }
            CsvRecord::Talk(r) => {
                if let Some(message) = reference(&self.events, "event", &r.event) {
                    fault(common, "event", message);
                }
                for message in r
                    .speakers
                    .iter()
                    .filter_map(|p| reference(&self.people, "person", p))
                {
                    fault(common, "speakers", message);
                }
                if let Some(url) = &r.document_url {
                    if oxigraph::model::NamedNode::new(url.as_str()).is_err() {
                        fault(
                            common,
                            "document_url",
                            format!("`{url}` is not an absolute IRI"),
                        );
                    }
                }
            }
        }
    }
}
