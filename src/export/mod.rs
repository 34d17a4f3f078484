//! Writing the graph (or a query's graph result) as RDF files.
//!
//! Output is deterministic: quads are sorted (graph, subject, `rdf:type`
//! first, predicate, object) before they are written, and Turtle, TriG,
//! RDF/XML and JSON-LD declare only the prefixes the document uses.

mod bundle;
mod jsonld;
mod ntriples;
mod stream;

pub use bundle::{write_bundle, SUPPORT_FILES};
pub use jsonld::context_document;
pub use ntriples::LineWriter;
pub use stream::{export_tables, streams};

use crate::error::ExportError;
use crate::format::GraphFormat;
use crate::iri::prefixes_for;
use crate::store::KnowledgeGraph;
use crate::vocab::rdf;
use oxigraph::io::RdfSerializer;
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, QuadRef, Term};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::io::Write;

/// Writes the whole graph in `format`. Formats without named graphs get
/// the union of the graphs (each distinct triple once).
pub fn export<W: Write>(
    graph: &KnowledgeGraph,
    format: GraphFormat,
    writer: W,
) -> Result<W, ExportError> {
    let quads = sorted_quads(&graph.store)?;
    let prefixes = prefixes_for(&graph.iris);
    Ok(write_quads(&quads, format, &prefixes, writer)?)
}

/// Every quad of the store, in the canonical order.
pub fn sorted_quads(store: &Store) -> Result<Vec<Quad>, oxigraph::store::StorageError> {
    let mut quads = store.iter().collect::<Result<Vec<_>, _>>()?;
    sort_quads(&mut quads);
    Ok(quads)
}

/// Sorts quads in the canonical order of polegraph's exports.
pub fn sort_quads(quads: &mut [Quad]) {
    quads.sort_by_cached_key(|q| {
        (
            graph_key(&q.graph_name),
            q.subject.to_string(),
            q.predicate.as_ref() != rdf::TYPE,
            q.predicate.as_str().to_owned(),
            q.object.to_string(),
        )
    });
}

fn graph_key(graph: &GraphName) -> String {
    match graph {
        GraphName::DefaultGraph => String::new(),
        other => other.to_string(),
    }
}

/// Writes quads (already sorted) in `format`, declaring the prefixes of
/// `prefixes` that the quads use.
pub fn write_quads<W: Write>(
    quads: &[Quad],
    format: GraphFormat,
    prefixes: &[(String, String)],
    writer: W,
) -> std::io::Result<W> {
    let triples_only;
    let quads = if format.keeps_graphs() {
        quads
    } else {
        triples_only = union_triples(quads);
        triples_only.as_slice()
    };
    let used = used_prefixes(quads, prefixes);
    if format == GraphFormat::JsonLd {
        // Compacted with the context of ontology/context.jsonld (see jsonld.rs).
        return jsonld::write(quads, prefixes, writer);
    }
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    for (prefix, namespace) in &used {
        serializer = serializer
            .with_prefix(prefix, namespace)
            .map_err(std::io::Error::other)?;
    }
    let mut serializer = serializer.for_writer(writer);
    for quad in quads {
        serializer.serialize_quad(QuadRef::from(quad))?;
    }
    serializer.finish()
}

/// The distinct triples of `quads`, in the default graph, sorted.
fn union_triples(quads: &[Quad]) -> Vec<Quad> {
    let mut triples: Vec<Quad> = quads
        .iter()
        .map(|q| {
            Quad::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
                GraphName::DefaultGraph,
            )
        })
        .collect();
    sort_quads(&mut triples);
    triples.dedup();
    triples
}

/// The prefixes of `candidates` whose namespace starts an IRI of `quads`
/// that can be written as a prefixed name.
fn used_prefixes(quads: &[Quad], candidates: &[(String, String)]) -> Vec<(String, String)> {
    let mut used = BTreeSet::new();
    let mut note = |iri: &str| {
        for (i, (_, namespace)) in candidates.iter().enumerate() {
            if let Some(local) = iri.strip_prefix(namespace.as_str()) {
                if is_simple_local_name(local) {
                    used.insert(i);
                }
            }
        }
    };
    for quad in quads {
        if let NamedOrBlankNode::NamedNode(s) = &quad.subject {
            note(s.as_str());
        }
        note(quad.predicate.as_str());
        match &quad.object {
            Term::NamedNode(o) => note(o.as_str()),
            Term::Literal(l)
                if l.language().is_none()
                    && l.datatype() != oxigraph::model::vocab::xsd::STRING =>
            {
                note(l.datatype().as_str())
            }
            _ => {}
        }
        if let GraphName::NamedNode(g) = &quad.graph_name {
            note(g.as_str());
        }
    }
    used.into_iter().map(|i| candidates[i].clone()).collect()
}

/// A local name every serializer can write after a prefix: ASCII letters,
/// digits, `_` and `-` (not first), non-empty.
fn is_simple_local_name(local: &str) -> bool {
    !local.is_empty()
        && !local.starts_with('-')
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
