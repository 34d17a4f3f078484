//! The IRIs of the graph: the base IRI, record and named-graph IRIs under
//! it, and the prefixes that abbreviate them.

use crate::error::BuildError;
use crate::model::Dataset;
use crate::vocab::{IANA_MEDIA_TYPES, PREFIXES};
use oxigraph::model::NamedNode;

/// The base IRI used when neither `--base` nor `polegraph.toml` sets one.
/// It is a placeholder: replace it before publishing the graph.
pub const DEFAULT_BASE: &str = "https://example.org/polegraph/";

/// Picks and checks the base IRI: `--base`, then the data's setting, then
/// the placeholder.
pub fn resolve_base(cli_base: Option<&str>, dataset: &Dataset) -> Result<String, BuildError> {
    let base = cli_base.or(dataset.base.as_deref()).unwrap_or(DEFAULT_BASE);
    NamedNode::new(base).map_err(|source| BuildError::BaseIri {
        iri: base.to_owned(),
        source,
    })?;
    if !base.ends_with('/') && !base.ends_with('#') {
        return Err(BuildError::BaseIriEnd(base.to_owned()));
    }
    Ok(base.to_owned())
}

/// The IRIs of a graph: records, sources and named graphs under one base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iris {
    base: String,
}

/// The path segment of each kind of record IRI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Organization,
    Person,
    Post,
    Event,
    Talk,
    Document,
    Decision,
    Source,
}

impl RecordKind {
    /// Every kind, for turning an IRI back into a record.
    pub const ALL: &'static [RecordKind] = &[
        RecordKind::Organization,
        RecordKind::Person,
        RecordKind::Post,
        RecordKind::Event,
        RecordKind::Talk,
        RecordKind::Document,
        RecordKind::Decision,
        RecordKind::Source,
    ];

    pub fn path(self) -> &'static str {
        match self {
            RecordKind::Organization => "organization",
            RecordKind::Person => "person",
            RecordKind::Post => "post",
            RecordKind::Event => "event",
            RecordKind::Talk => "talk",
            RecordKind::Document => "document",
            RecordKind::Decision => "decision",
            RecordKind::Source => "source",
        }
    }
}

/// The named graph of the source descriptions.
pub const PROVENANCE_GRAPH: &str = "provenance";
/// The named graph of the facts inferred from the sources' facts.
pub const INFERRED_GRAPH: &str = "inferred";
/// The named graph of the ontology.
pub const ONTOLOGY_GRAPH: &str = "ontology";
/// The named graph of the VoID/DCAT description.
pub const VOID_GRAPH: &str = "void";

impl Iris {
    /// `base` must be an absolute IRI ending in `/` or `#` (checked by the
    /// caller, `store::build`).
    pub fn new(base: impl Into<String>) -> Self {
        Iris { base: base.into() }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `{base}{kind}/{id}`.
    pub fn record(&self, kind: RecordKind, id: &str) -> String {
        let mut iri = String::with_capacity(self.base.len() + kind.path().len() + 1 + id.len());
        self.write_record(&mut iri, kind, id);
        iri
    }

    /// Writes `{base}{kind}/{id}` into `buffer`, replacing its contents.
    pub fn write_record(&self, buffer: &mut String, kind: RecordKind, id: &str) {
        buffer.clear();
        buffer.push_str(&self.base);
        buffer.push_str(kind.path());
        buffer.push('/');
        buffer.push_str(id);
    }

    /// `{base}graph/{name}`.
    pub fn graph(&self, name: &str) -> String {
        let mut iri = String::new();
        self.write_graph(&mut iri, name);
        iri
    }

    /// Writes `{base}graph/{name}` into `buffer`, replacing its contents.
    pub fn write_graph(&self, buffer: &mut String, name: &str) {
        buffer.clear();
        buffer.push_str(&self.base);
        buffer.push_str("graph/");
        buffer.push_str(name);
    }

    /// `{base}dataset`, the VoID/DCAT description's subject.
    pub fn dataset(&self) -> String {
        format!("{}dataset", self.base)
    }

    /// The kind and id of a record IRI, if it is one.
    pub fn parse_record<'a>(&self, iri: &'a str) -> Option<(RecordKind, &'a str)> {
        let rest = iri.strip_prefix(self.base.as_str())?;
        let (path, id) = rest.split_once('/')?;
        let kind = RecordKind::ALL.iter().copied().find(|k| k.path() == path)?;
        (!id.is_empty() && !id.contains('/')).then_some((kind, id))
    }
}

/// The prefixes polegraph may declare: the vocabularies, one per record
/// kind under the base IRI, the named graphs and IANA media types.
pub fn prefixes_for(iris: &Iris) -> Vec<(String, String)> {
    let mut prefixes: Vec<(String, String)> = PREFIXES
        .iter()
        .map(|(p, ns)| ((*p).to_owned(), (*ns).to_owned()))
        .collect();
    for kind in RecordKind::ALL {
        prefixes.push((
            kind.path().to_owned(),
            format!("{}{}/", iris.base(), kind.path()),
        ));
    }
    prefixes.push(("graph".to_owned(), iris.graph("")));
    prefixes.push(("iana".to_owned(), IANA_MEDIA_TYPES.to_owned()));
    prefixes
}

/// `prefix:local` when a prefix's namespace starts `iri`, else `<iri>`.
pub fn abbreviate(iri: &str, prefixes: &[(String, String)]) -> String {
    prefixes
        .iter()
        .filter_map(|(p, ns)| {
            iri.strip_prefix(ns.as_str())
                .map(|local| (p, ns.len(), local))
        })
        .filter(|(_, _, local)| !local.is_empty() && !local.contains(['/', '#', '?']))
        .max_by_key(|(_, len, _)| *len)
        .map_or_else(
            || format!("<{iri}>"),
            |(p, _, local)| format!("{p}:{local}"),
        )
}
