//! Dereferenceable IRIs: from a request path to a resource of the graph,
//! and what the graph says about it (its concise bounded description, the
//! statements that point at it, its label).

use crate::export::sort_quads;
use crate::store::KnowledgeGraph;
use crate::vocab::{foaf, rdfs, schema, skos};
use oxigraph::model::{
    GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef,
};
use oxigraph::store::{StorageError, Store};
use std::collections::{BTreeMap, HashSet};

/// The IRI that a request path stands for, if the graph describes it.
///
/// `/organization/dge` is `{base}organization/dge`, whatever the host that
/// serves it; when the base IRI has a path (`https://example.org/polegraph/`),
/// that path may lead: `/polegraph/organization/dge` is the same record.
pub fn resolve(graph: &KnowledgeGraph, path: &str) -> Result<Option<NamedNode>, StorageError> {
    let base = graph.iris.base();
    let mut candidates = Vec::new();
    if let Some(rest) = path.strip_prefix(base_path(base)) {
        candidates.push(format!("{base}{rest}"));
    }
    candidates.push(format!("{base}{}", path.trim_start_matches('/')));
    for candidate in candidates {
        let Ok(iri) = NamedNode::new(candidate) else {
            continue;
        };
        if is_described(&graph.store, iri.as_ref())? {
            return Ok(Some(iri));
        }
    }
    Ok(None)
}

/// The path part of a base IRI: `/polegraph/` for
/// `https://example.org/polegraph/`, `/` when it has none.
fn base_path(base: &str) -> &str {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => {
            let path = &after_scheme[i..];
            // A hash base (`https://x.org/data#`) serves from its document path.
            path.split('#').next().unwrap_or(path)
        }
        None => "/",
    }
}

/// The server path of an IRI when this endpoint describes it (an IRI under
/// the base, without fragment or query), else `None`.
pub fn local_path(graph: &KnowledgeGraph, iri: &str) -> Option<String> {
    let rest = iri.strip_prefix(graph.iris.base())?;
    // a rest starting with `/` would make `//host/…`, a link to another site
    if rest.is_empty() || rest.starts_with('/') || rest.contains(['#', '?', '\\']) {
        return None;
    }
    let node = NamedNodeRef::new(iri).ok()?;
    is_described(&graph.store, node)
        .ok()
        .filter(|d| *d)
        .map(|_| format!("/{rest}"))
}

/// Whether the graph has a statement about `node`.
pub fn is_described(store: &Store, node: NamedNodeRef<'_>) -> Result<bool, StorageError> {
    store
        .quads_for_pattern(Some(node.into()), None, None, None)
        .next()
        .transpose()
        .map(|q| q.is_some())
}

/// The concise bounded description of `subject` over the union of the
/// graphs: its statements, and recursively those of the blank nodes they
/// reach. The triples are in the default graph, sorted and distinct.
pub fn concise_bounded_description(
    store: &Store,
    subject: NamedOrBlankNodeRef<'_>,
) -> Result<Vec<Quad>, StorageError> {
    let mut triples = Vec::new();
    let mut seen: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut pending = vec![subject.into_owned()];
    while let Some(node) = pending.pop() {
        if !seen.insert(node.clone()) {
            continue;
        }
        for quad in store.quads_for_pattern(Some(node.as_ref()), None, None, None) {
            let quad = quad?;
            if let Term::BlankNode(b) = &quad.object {
                pending.push(b.clone().into());
            }
            triples.push(Quad::new(
                quad.subject,
                quad.predicate,
                quad.object,
                GraphName::DefaultGraph,
            ));
        }
    }
    sort_quads(&mut triples);
    triples.dedup();
    Ok(triples)
}

/// One statement, with the named graphs that hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub subject: NamedOrBlankNode,
    pub predicate: NamedNode,
    pub object: Term,
    pub graphs: Vec<GraphName>,
}

/// The statements about `subject` (`outgoing`) or pointing at it, grouped
/// so that each triple appears once with its graphs, sorted.
pub fn statements(
    store: &Store,
    node: NamedNodeRef<'_>,
    outgoing: bool,
) -> Result<Vec<Statement>, StorageError> {
    let quads = if outgoing {
        store.quads_for_pattern(Some(node.into()), None, None, None)
    } else {
        store.quads_for_pattern(None, None, Some(node.into()), None)
    };
    let mut grouped: BTreeMap<(String, String, String), Statement> = BTreeMap::new();
    for quad in quads {
        let quad = quad?;
        let key = (
            quad.predicate.to_string(),
            quad.subject.to_string(),
            quad.object.to_string(),
        );
        grouped
            .entry(key)
            .or_insert_with(|| Statement {
                subject: quad.subject.clone(),
                predicate: quad.predicate.clone(),
                object: quad.object.clone(),
                graphs: Vec::new(),
            })
            .graphs
            .push(quad.graph_name);
    }
    Ok(grouped.into_values().collect())
}

/// A name for people to read: the first of `skos:prefLabel`, `rdfs:label`,
/// `foaf:name`, `schema:name` that the node has, in French if there is one,
/// else English, else any.
pub fn label(store: &Store, node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    for predicate in [skos::PREF_LABEL, rdfs::LABEL, foaf::NAME, schema::NAME] {
        let mut found: Vec<(u8, String)> = store
            .quads_for_pattern(Some(node), Some(predicate), None, None)
            .filter_map(Result::ok)
            .filter_map(|q| match q.object.as_ref() {
                TermRef::Literal(l) => {
                    let rank = match l.language() {
                        Some("fr") => 0,
                        Some("en") => 1,
                        None => 2,
                        Some(_) => 3,
                    };
                    Some((rank, l.value().to_owned()))
                }
                _ => None,
            })
            .collect();
        found.sort();
        if let Some((_, text)) = found.into_iter().next() {
            return Some(text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/polegraph/"), "/polegraph/");
        assert_eq!(base_path("http://127.0.0.1:7878/"), "/");
        assert_eq!(base_path("https://x.org/data#"), "/data");
        assert_eq!(base_path("https://x.org"), "/");
    }
}
