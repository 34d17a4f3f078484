//! Compact JSON-LD that people can read: a `@context` of short terms for
//! the classes and properties polegraph uses (shipped as
//! `ontology/context.jsonld`), and a compaction of sorted quads written
//! here: one node object per subject, inside one `@graph` per named graph.
//!
//! The context is defined once, in [`TERMS`]; `ontology/context.jsonld` is
//! its rendering ([`context_document`]), which a test keeps identical. The
//! export embeds the same context object inline (followed by a second
//! object with the prefixes of the base IRI, such as `organization:`), so
//! that parsers need no network access.
//!
//! Values are written under a term only when the term's definition
//! (`@type: @id`, a datatype, a `@language` container) expands them back to
//! the same RDF term; other values go under the property's compact IRI, as
//! explicit value objects. Expansion therefore gives back exactly the quads.

use crate::vocab::*;
use oxigraph::model::vocab::xsd as oxsd;
use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// How a term's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coercion {
    /// A class (used in `@type`), or a property whose values are written as
    /// they come (strings, numbers, value objects).
    None,
    /// `"@type": "@id"`: the values are IRIs, written as strings.
    Id,
    /// `"@container": "@language"`: a map from language tag to text.
    Language,
    /// `"@type": datatype`: the values are literals of that datatype,
    /// written as their lexical form.
    Datatype(NamedNodeRef<'static>),
}

/// One term of the context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermDefinition {
    pub name: &'static str,
    pub iri: NamedNodeRef<'static>,
    pub coercion: Coercion,
}

const fn term(
    name: &'static str,
    iri: NamedNodeRef<'static>,
    coercion: Coercion,
) -> TermDefinition {
    TermDefinition {
        name,
        iri,
        coercion,
    }
}

use Coercion::{Id, Language, None as Plain};

/// The prefixes of the context (the vocabularies, and IANA media types).
pub fn context_prefixes() -> Vec<(&'static str, &'static str)> {
    let mut prefixes: Vec<(&str, &str)> = PREFIXES.to_vec();
    prefixes.push(("iana", IANA_MEDIA_TYPES));
    prefixes
}

/// The terms of the context: every class and property the mapper and the
/// VoID/DCAT description write. Names follow the vocabularies' local names;
/// where two vocabularies share one, schema.org's gets a `schema` prefix
/// (`schemaName`), and `dcterms:source` is `sources` (`source` is the
/// prefix of source records).
pub const TERMS: &[TermDefinition] = &[
    // classes
    term("Organization", org::ORGANIZATION, Plain),
    term("Post", org::POST, Plain),
    term("Person", foaf::PERSON, Plain),
    term("Document", foaf::DOCUMENT, Plain),
    term("Event", schema::EVENT, Plain),
    term("Activity", prov::ACTIVITY, Plain),
    term("Entity", prov::ENTITY, Plain),
    term("Distribution", dcat::DISTRIBUTION, Plain),
    term("Ministry", pg::MINISTRY, Plain),
    term("StateSecretariat", pg::STATE_SECRETARIAT, Plain),
    term("Directorate", pg::DIRECTORATE, Plain),
    term("Service", pg::SERVICE, Plain),
    term("Agency", pg::AGENCY, Plain),
    term("InterministerialBody", pg::INTERMINISTERIAL_BODY, Plain),
    term(
        "InterministerialCommittee",
        pg::INTERMINISTERIAL_COMMITTEE,
        Plain,
    ),
    term("RegionalOffice", pg::REGIONAL_OFFICE, Plain),
    term("Pole", pg::POLE, Plain),
    term("Programme", pg::PROGRAMME, Plain),
    term("HeadOfGovernment", pg::HEAD_OF_GOVERNMENT, Plain),
    term("NationalDay", pg::NATIONAL_DAY, Plain),
    term("Session", pg::SESSION, Plain),
    term("Meeting", pg::MEETING, Plain),
    term("Talk", pg::TALK, Plain),
    term("SlideDeck", pg::SLIDE_DECK, Plain),
    term("EventProgramme", pg::EVENT_PROGRAMME, Plain),
    term("Decision", pg::DECISION, Plain),
    term("LabellingDecision", pg::LABELLING_DECISION, Plain),
    term("Source", pg::SOURCE, Plain),
    term("SeedPage", pg::SEED_PAGE, Plain),
    term("WebPage", pg::WEB_PAGE, Plain),
    term("ReferenceTable", pg::REFERENCE_TABLE, Plain),
    term("DataFile", pg::DATA_FILE, Plain),
    term("PoleCategory", pg::POLE_CATEGORY, Plain),
    // labels and texts
    term("label", rdfs::LABEL, Language),
    term("comment", rdfs::COMMENT, Language),
    term("prefLabel", skos::PREF_LABEL, Language),
    term("altLabel", skos::ALT_LABEL, Language),
    term("title", dcterms::TITLE, Language),
    term("description", dcterms::DESCRIPTION, Language),
    term("schemaName", schema::NAME, Language),
    term("schemaDescription", schema::DESCRIPTION, Language),
    term("domain", pg::DOMAIN, Language),
    term("acronym", pg::ACRONYM, Plain),
    term("shortName", pg::SHORT_NAME, Plain),
    term("region", pg::REGION, Plain),
    term("name", foaf::NAME, Plain),
    term("givenName", foaf::GIVEN_NAME, Plain),
    term("familyName", foaf::FAMILY_NAME, Plain),
    term("identifier", dcterms::IDENTIFIER, Plain),
    term("uncertain", pg::UNCERTAIN, Plain),
    // dates
    term(
        "startDate",
        schema::START_DATE,
        Coercion::Datatype(oxsd::DATE),
    ),
    term("date", dcterms::DATE, Coercion::Datatype(oxsd::DATE)),
    term("issued", dcterms::ISSUED, Coercion::Datatype(oxsd::DATE)),
    // links
    term("subOrganizationOf", org::SUB_ORGANIZATION_OF, Id),
    term("hasSubOrganization", org::HAS_SUB_ORGANIZATION, Id),
    term("hasMember", org::HAS_MEMBER, Id),
    term("memberOf", org::MEMBER_OF, Id),
    term("postIn", org::POST_IN, Id),
    term("hasPost", org::HAS_POST, Id),
    term("heldBy", org::HELD_BY, Id),
    term("holds", org::HOLDS, Id),
    term("headOf", org::HEAD_OF, Id),
    term("placedAtDisposalOf", pg::PLACED_AT_DISPOSAL_OF, Id),
    term("secretariat", pg::SECRETARIAT, Id),
    term("coordinatesSupportTo", pg::COORDINATES_SUPPORT_TO, Id),
    term("openedBy", pg::OPENED_BY, Id),
    term("follows", pg::FOLLOWS, Id),
    term("labelledBy", pg::LABELLED_BY, Id),
    term("labelled", pg::LABELLED, Id),
    term("decidedBy", pg::DECIDED_BY, Id),
    term("category", pg::CATEGORY, Id),
    term("homepage", foaf::HOMEPAGE, Id),
    term("page", foaf::PAGE, Id),
    term("organizer", schema::ORGANIZER, Id),
    term("subEvent", schema::SUB_EVENT, Id),
    term("superEvent", schema::SUPER_EVENT, Id),
    term("performer", schema::PERFORMER, Id),
    term("about", schema::ABOUT, Id),
    term("subjectOf", schema::SUBJECT_OF, Id),
    term("sources", dcterms::SOURCE, Id),
    term("format", dcterms::FORMAT, Id),
    term("license", dcterms::LICENSE, Id),
    term("publisher", dcterms::PUBLISHER, Id),
    term("wasDerivedFrom", prov::WAS_DERIVED_FROM, Id),
    term("wasAssociatedWith", prov::WAS_ASSOCIATED_WITH, Id),
    // the dataset's description (VoID, DCAT)
    term("triples", void::TRIPLES, Plain),
    term("entities", void::ENTITIES, Plain),
    term("classes", void::CLASSES, Plain),
    term("properties", void::PROPERTIES, Plain),
    term("distinctSubjects", void::DISTINCT_SUBJECTS, Plain),
    term("classPartition", void::CLASS_PARTITION, Id),
    term("propertyPartition", void::PROPERTY_PARTITION, Id),
    term("class", void::CLASS, Id),
    term("property", void::PROPERTY, Id),
    term("dataDump", void::DATA_DUMP, Id),
    term("vocabulary", void::VOCABULARY, Id),
    term("sparqlEndpoint", void::SPARQL_ENDPOINT, Id),
    term("distribution", dcat::HAS_DISTRIBUTION, Id),
    term("mediaType", dcat::MEDIA_TYPE, Id),
    term("downloadURL", dcat::DOWNLOAD_URL, Id),
    term("accessURL", dcat::ACCESS_URL, Id),
];

/// A JSON value, written with stable key order.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    String(String),
    /// A number or boolean, written as is.
    Raw(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn str(value: impl Into<String>) -> Json {
        Json::String(value.into())
    }

    fn is_scalar(&self) -> bool {
        matches!(self, Json::String(_) | Json::Raw(_))
    }

    /// Written on one line: scalars, arrays of scalars, and small objects
    /// of those (term definitions, language maps, value objects).
    fn is_inline(&self) -> bool {
        match self {
            Json::String(_) | Json::Raw(_) => true,
            Json::Array(items) => items.iter().all(Json::is_scalar),
            Json::Object(entries) => {
                entries.len() <= 3
                    && entries.iter().all(|(_, v)| match v {
                        Json::Array(items) => items.iter().all(Json::is_scalar),
                        other => other.is_scalar(),
                    })
            }
        }
    }

    fn write(&self, w: &mut dyn Write, indent: usize) -> io::Result<()> {
        match self {
            Json::String(s) => write_string(w, s),
            Json::Raw(r) => w.write_all(r.as_bytes()),
            Json::Array(items) if self.is_inline() => {
                w.write_all(b"[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        w.write_all(b", ")?;
                    }
                    item.write(w, indent)?;
                }
                w.write_all(b"]")
            }
            Json::Object(entries) if self.is_inline() => {
                w.write_all(b"{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        w.write_all(b", ")?;
                    }
                    write_string(w, key)?;
                    w.write_all(b": ")?;
                    value.write(w, indent)?;
                }
                w.write_all(b"}")
            }
            Json::Array(items) => {
                w.write_all(b"[\n")?;
                for (i, item) in items.iter().enumerate() {
                    write!(w, "{:width$}", "", width = indent + 2)?;
                    item.write(w, indent + 2)?;
                    w.write_all(if i + 1 < items.len() { b",\n" } else { b"\n" })?;
                }
                write!(w, "{:indent$}]", "")
            }
            Json::Object(entries) => {
                w.write_all(b"{\n")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    write!(w, "{:width$}", "", width = indent + 2)?;
                    write_string(w, key)?;
                    w.write_all(b": ")?;
                    value.write(w, indent + 2)?;
                    w.write_all(if i + 1 < entries.len() { b",\n" } else { b"\n" })?;
                }
                write!(w, "{:indent$}}}", "")
            }
        }
    }
}

fn write_string(w: &mut dyn Write, s: &str) -> io::Result<()> {
    w.write_all(b"\"")?;
    for c in s.chars() {
        match c {
            '"' => w.write_all(b"\\\"")?,
            '\\' => w.write_all(b"\\\\")?,
            '\n' => w.write_all(b"\\n")?,
            '\r' => w.write_all(b"\\r")?,
            '\t' => w.write_all(b"\\t")?,
            c if (c as u32) < 0x20 => write!(w, "\\u{:04x}", c as u32)?,
            c => write!(w, "{c}")?,
        }
    }
    w.write_all(b"\"")
}

/// The context object: prefixes, then terms.
fn context_object() -> Json {
    let prefixes = context_prefixes();
    let compact = |iri: &str| -> String {
        prefixes
            .iter()
            .filter_map(|(p, ns)| iri.strip_prefix(ns).map(|local| (p, ns.len(), local)))
            .filter(|(_, _, local)| !local.is_empty())
            .max_by_key(|(_, len, _)| *len)
            .map_or_else(|| iri.to_owned(), |(p, _, local)| format!("{p}:{local}"))
    };
    let mut entries: Vec<(String, Json)> = prefixes
        .iter()
        .map(|(p, ns)| ((*p).to_owned(), Json::str(*ns)))
        .collect();
    for t in TERMS {
        let id = compact(t.iri.as_str());
        let definition = match t.coercion {
            Plain => Json::String(id),
            Id => Json::Object(vec![
                ("@id".into(), Json::String(id)),
                ("@type".into(), Json::str("@id")),
            ]),
            Language => Json::Object(vec![
                ("@id".into(), Json::String(id)),
                ("@container".into(), Json::str("@language")),
            ]),
            Coercion::Datatype(datatype) => Json::Object(vec![
                ("@id".into(), Json::String(id)),
                ("@type".into(), Json::String(compact(datatype.as_str()))),
            ]),
        };
        entries.push((t.name.to_owned(), definition));
    }
    Json::Object(entries)
}

/// The text of `ontology/context.jsonld`.
pub fn context_document() -> String {
    let document = Json::Object(vec![("@context".into(), context_object())]);
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = document.write(&mut out, 0);
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// Writes `quads` (sorted as `export::sort_quads` sorts them) as a
/// compacted JSON-LD document. `prefixes` are the candidates for a second
/// context object (those the quads use and the shipped context lacks,
/// such as `organization:` under the base IRI).
pub fn write<W: Write>(
    quads: &[Quad],
    prefixes: &[(String, String)],
    mut writer: W,
) -> io::Result<W> {
    let compactor = Compactor::new(quads, prefixes);
    let document = compactor.document(quads);
    document.write(&mut writer, 0)?;
    writer.write_all(b"\n")?;
    Ok(writer)
}

struct Compactor {
    /// Prefix → namespace, the shipped ones then the extra ones.
    prefixes: Vec<(String, String)>,
    extra: Vec<(String, String)>,
    terms: HashMap<&'static str, &'static TermDefinition>,
}

impl Compactor {
    fn new(quads: &[Quad], candidates: &[(String, String)]) -> Self {
        let shipped: Vec<(String, String)> = context_prefixes()
            .into_iter()
            .map(|(p, ns)| (p.to_owned(), ns.to_owned()))
            .collect();
        let taken = |name: &str| {
            shipped.iter().any(|(p, ns)| p == name || ns == name)
                || TERMS.iter().any(|t| t.name == name)
        };
        let mut extra: Vec<(String, String)> = Vec::new();
        for (prefix, namespace) in candidates {
            if taken(prefix) || shipped.iter().any(|(_, ns)| ns == namespace) {
                continue;
            }
            if extra.iter().any(|(p, _)| p == prefix) {
                continue;
            }
            let used = quads.iter().any(|q| {
                let uses = |iri: &str| {
                    iri.strip_prefix(namespace.as_str())
                        .is_some_and(|l| !l.is_empty())
                };
                matches!(&q.subject, NamedOrBlankNode::NamedNode(n) if uses(n.as_str()))
                    || matches!(&q.object, Term::NamedNode(n) if uses(n.as_str()))
                    || matches!(&q.graph_name, GraphName::NamedNode(n) if uses(n.as_str()))
            });
            if used {
                extra.push((prefix.clone(), namespace.clone()));
            }
        }
        let mut prefixes = shipped;
        prefixes.extend(extra.iter().cloned());
        Compactor {
            prefixes,
            extra,
            terms: TERMS.iter().map(|t| (t.iri.as_str(), t)).collect(),
        }
    }

    /// `prefix:local` for the longest namespace of `iri`, else `iri`.
    fn compact_iri(&self, iri: &str) -> String {
        self.prefixes
            .iter()
            .filter_map(|(p, ns)| iri.strip_prefix(ns.as_str()).map(|l| (p, ns.len(), l)))
            .filter(|(_, _, local)| !local.is_empty() && !local.starts_with("//"))
            .max_by_key(|(_, len, _)| *len)
            .map_or_else(|| iri.to_owned(), |(p, _, local)| format!("{p}:{local}"))
    }

    /// A class for `@type`: its term, else its compact IRI.
    fn compact_vocab(&self, iri: &str) -> String {
        match self.terms.get(iri) {
            Some(t) if t.coercion == Plain => t.name.to_owned(),
            _ => self.compact_iri(iri),
        }
    }

    fn node_id(&self, node: &NamedOrBlankNode) -> String {
        match node {
            NamedOrBlankNode::NamedNode(n) => self.compact_iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        }
    }

    /// A value under a key with no coercion.
    fn value(&self, term: &Term) -> Json {
        match term {
            Term::NamedNode(n) => Json::Object(vec![(
                "@id".into(),
                Json::String(self.compact_iri(n.as_str())),
            )]),
            Term::BlankNode(b) => Json::Object(vec![("@id".into(), Json::String(b.to_string()))]),
            Term::Literal(l) => {
                if let Some(language) = l.language() {
                    return Json::Object(vec![
                        ("@value".into(), Json::str(l.value())),
                        ("@language".into(), Json::str(language)),
                    ]);
                }
                let datatype = l.datatype();
                if datatype == oxsd::STRING {
                    Json::str(l.value())
                } else if (datatype == oxsd::BOOLEAN && matches!(l.value(), "true" | "false"))
                    || (datatype == oxsd::INTEGER && is_canonical_integer(l.value()))
                {
                    // JSON numbers and booleans expand to these literals.
                    Json::Raw(l.value().to_owned())
                } else {
                    Json::Object(vec![
                        ("@value".into(), Json::str(l.value())),
                        (
                            "@type".into(),
                            Json::String(self.compact_vocab(datatype.as_str())),
                        ),
                    ])
                }
            }
            #[allow(unreachable_patterns)]
            _ => Json::str(term.to_string()),
        }
    }

    fn document(&self, quads: &[Quad]) -> Json {
        let mut context = vec![context_object()];
        if !self.extra.is_empty() {
            context.push(Json::Object(
                self.extra
                    .iter()
                    .map(|(p, ns)| (p.clone(), Json::str(ns.as_str())))
                    .collect(),
            ));
        }
        let context = if context.len() == 1 {
            context.remove(0)
        } else {
            Json::Array(context)
        };
        // Quads come sorted by graph, then subject: split them in runs.
        let mut default_nodes: Vec<(NamedOrBlankNode, Vec<(String, Json)>)> = Vec::new();
        let mut graphs: Vec<(NamedOrBlankNode, Vec<Json>)> = Vec::new();
        let mut start = 0;
        while start < quads.len() {
            let graph = &quads[start].graph_name;
            let end = start
                + quads[start..]
                    .iter()
                    .take_while(|q| &q.graph_name == graph)
                    .count();
            let nodes = self.nodes(&quads[start..end]);
            match graph {
                GraphName::DefaultGraph => default_nodes.extend(nodes),
                GraphName::NamedNode(n) => graphs.push((
                    n.clone().into(),
                    nodes.into_iter().map(|(_, n)| Json::Object(n)).collect(),
                )),
                GraphName::BlankNode(b) => graphs.push((
                    b.clone().into(),
                    nodes.into_iter().map(|(_, n)| Json::Object(n)).collect(),
                )),
            }
            start = end;
        }
        for (name, nodes) in graphs {
            let graph_entry = ("@graph".to_owned(), Json::Array(nodes));
            match default_nodes.iter_mut().find(|(id, _)| *id == name) {
                Some((_, node)) => node.push(graph_entry),
                None => default_nodes.push((
                    name.clone(),
                    vec![
                        ("@id".to_owned(), Json::String(self.node_id(&name))),
                        graph_entry,
                    ],
                )),
            }
        }
        Json::Object(vec![
            ("@context".into(), context),
            (
                "@graph".into(),
                Json::Array(
                    default_nodes
                        .into_iter()
                        .map(|(_, n)| Json::Object(n))
                        .collect(),
                ),
            ),
        ])
    }

    /// The node objects of the quads of one graph (sorted by subject).
    fn nodes(&self, quads: &[Quad]) -> Vec<(NamedOrBlankNode, Vec<(String, Json)>)> {
        let mut nodes = Vec::new();
        let mut start = 0;
        while start < quads.len() {
            let subject = &quads[start].subject;
            let end = start
                + quads[start..]
                    .iter()
                    .take_while(|q| &q.subject == subject)
                    .count();
            nodes.push((subject.clone(), self.node(subject, &quads[start..end])));
            start = end;
        }
        nodes
    }

    fn node(&self, subject: &NamedOrBlankNode, quads: &[Quad]) -> Vec<(String, Json)> {
        let mut entries = vec![("@id".to_owned(), Json::String(self.node_id(subject)))];
        // Group the objects by predicate, keeping the sorted order.
        let mut groups: Vec<(NamedNodeRef<'_>, Vec<&Term>)> = Vec::new();
        for quad in quads {
            match groups.last_mut() {
                Some((p, objects)) if *p == quad.predicate.as_ref() => objects.push(&quad.object),
                _ => groups.push((quad.predicate.as_ref(), vec![&quad.object])),
            }
        }
        for (predicate, objects) in groups {
            let mut under_term: Vec<Json> = Vec::new();
            let mut languages: BTreeMap<String, Vec<Json>> = BTreeMap::new();
            let mut others: Vec<Json> = Vec::new();
            if predicate == rdf::TYPE {
                for object in &objects {
                    match object {
                        Term::NamedNode(n) => {
                            under_term.push(Json::String(self.compact_vocab(n.as_str())))
                        }
                        Term::BlankNode(b) => under_term.push(Json::String(b.to_string())),
                        other => others.push(self.value(other)),
                    }
                }
                push_values(&mut entries, "@type".into(), under_term);
                push_values(&mut entries, self.compact_iri(predicate.as_str()), others);
                continue;
            }
            let definition = self.terms.get(predicate.as_str()).copied();
            let coercion = definition.map(|d| d.coercion);
            let all_plain = objects
                .iter()
                .all(|o| matches!(o, Term::Literal(l) if l.datatype() == oxsd::STRING));
            for object in &objects {
                match (coercion, object) {
                    (Some(Id), Term::NamedNode(n)) => {
                        under_term.push(Json::String(self.compact_iri(n.as_str())))
                    }
                    (Some(Id), Term::BlankNode(b)) => under_term.push(Json::String(b.to_string())),
                    (Some(Coercion::Datatype(datatype)), Term::Literal(l))
                        if l.datatype() == datatype =>
                    {
                        under_term.push(Json::str(l.value()))
                    }
                    (Some(Language), Term::Literal(l)) if l.language().is_some() => languages
                        .entry(l.language().unwrap_or_default().to_owned())
                        .or_default()
                        .push(Json::str(l.value())),
                    // A plain string expands to itself under a language
                    // container, but only alone (a map cannot hold it).
                    (Some(Language), Term::Literal(_)) if all_plain => {
                        under_term.push(self.value(object))
                    }
                    (Some(Plain), _) => under_term.push(self.value(object)),
                    _ => others.push(self.value(object)),
                }
            }
            if let Some(definition) = definition {
                if !languages.is_empty() {
                    let map = languages
                        .into_iter()
                        .map(|(language, mut values)| {
                            let value = if values.len() == 1 {
                                values.remove(0)
                            } else {
                                Json::Array(values)
                            };
                            (language, value)
                        })
                        .collect();
                    entries.push((definition.name.to_owned(), Json::Object(map)));
                }
                push_values(&mut entries, definition.name.to_owned(), under_term);
            }
            push_values(&mut entries, self.compact_iri(predicate.as_str()), others);
        }
        entries
    }
}

/// Adds `key: value` (or `key: [values]`) when there are values.
fn push_values(entries: &mut Vec<(String, Json)>, key: String, mut values: Vec<Json>) {
    match values.len() {
        0 => {}
        1 => entries.push((key, values.remove(0))),
        _ => entries.push((key, Json::Array(values))),
    }
}

/// `xsd:integer` lexical forms that a JSON number gives back unchanged.
fn is_canonical_integer(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && value != "-0"
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{BlankNode, Literal, NamedNode};

    fn iri(value: &str) -> NamedNode {
        NamedNode::new_unchecked(value)
    }

    /// Values a term cannot hold go under the compact IRI: the document
    /// still expands to exactly the quads written.
    #[test]
    fn awkward_values_round_trip_through_a_json_ld_parser() {
        let graph = GraphName::NamedNode(iri("https://example.org/polegraph/graph/seed"));
        let org = iri("https://example.org/polegraph/organization/dge");
        let blank = BlankNode::new_unchecked("b1");
        let mut quads = vec![
            Quad::new(
                org.clone(),
                skos::ALT_LABEL,
                Literal::new_simple_literal("DGE"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                skos::ALT_LABEL,
                Literal::new_language_tagged_literal_unchecked("D.G.E.", "fr"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                skos::ALT_LABEL,
                Literal::new_language_tagged_literal_unchecked("la \"DGE\"\n", "fr"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                dcterms::DATE,
                Literal::new_typed_literal("2007", iri("http://www.w3.org/2001/XMLSchema#gYear")),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                dcterms::DATE,
                Literal::new_typed_literal("2007-07-10", oxsd::DATE),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                void::TRIPLES,
                Literal::new_typed_literal("007", oxsd::INTEGER),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                void::ENTITIES,
                Literal::new_typed_literal("12", oxsd::INTEGER),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                pg::UNCERTAIN,
                Literal::new_typed_literal("1", oxsd::BOOLEAN),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                org::SUB_ORGANIZATION_OF,
                Literal::new_simple_literal("not an IRI"),
                graph.clone(),
            ),
            Quad::new(org.clone(), org::HAS_MEMBER, blank.clone(), graph.clone()),
            Quad::new(
                org.clone(),
                foaf::HOMEPAGE,
                iri("urn:x-polegraph:home"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                iri("http://example.com/other#p"),
                iri("http://example.com/x"),
                graph.clone(),
            ),
            Quad::new(blank.clone(), rdf::TYPE, org::ORGANIZATION, graph.clone()),
            Quad::new(
                iri("https://example.org/polegraph/graph/seed"),
                dcterms::TITLE,
                Literal::new_simple_literal("the seed graph"),
                GraphName::DefaultGraph,
            ),
        ];
        crate::export::sort_quads(&mut quads);
        let prefixes =
            crate::iri::prefixes_for(&crate::iri::Iris::new("https://example.org/polegraph/"));
        let written = write(&quads, &prefixes, Vec::new()).unwrap();
        let text = String::from_utf8(written.clone()).unwrap();
        assert!(
            text.contains("\"altLabel\": {\"fr\": [\"D.G.E.\", \"la \\\"DGE\\\"\\n\"]}"),
            "{text}"
        );
        assert!(text.contains("\"skos:altLabel\": \"DGE\""), "{text}");
        assert!(text.contains("\"entities\": 12"), "{text}");
        let read: Vec<Quad> = RdfParser::from_format(RdfFormat::JsonLd {
            profile: oxjsonld::JsonLdProfileSet::empty(),
        })
        .for_slice(&written)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let canonical = |quads: &[Quad]| {
            let mut lines: Vec<String> = quads
                .iter()
                .map(|q| q.to_string().replace("_:b1", "_:x"))
                .map(|line| {
                    // The parser names blank nodes itself.
                    let mut out = String::new();
                    for part in line.split(' ') {
                        out.push_str(if part.starts_with("_:") { "_:x" } else { part });
                        out.push(' ');
                    }
                    out
                })
                .collect();
            lines.sort();
            lines
        };
        assert_eq!(canonical(&read), canonical(&quads), "{text}");
    }

    #[test]
    fn canonical_integers_are_those_json_gives_back() {
        for good in ["0", "12", "-3", "123456789012345"] {
            assert!(is_canonical_integer(good), "{good}");
        }
        for bad in ["007", "+1", "-0", "", "1.0", "1234567890123456"] {
            assert!(!is_canonical_integer(bad), "{bad}");
        }
    }
}
