//! Counts over a graph: quads, distinct triples, entities, and the class
//! and property partitions that VoID describes.

use crate::vocab::rdf;
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::store::{StorageError, Store};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Counts over a set of quads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Quads, graph by graph (what TriG, N-Quads and JSON-LD hold).
    pub quads: usize,
    /// Distinct triples over all graphs (what Turtle, N-Triples and RDF/XML hold).
    pub triples: usize,
    /// Distinct subjects.
    pub distinct_subjects: usize,
    /// Distinct IRI subjects that have a type.
    pub entities: usize,
    /// Class IRI → number of distinct instances.
    pub classes: BTreeMap<String, usize>,
    /// Property IRI → number of distinct triples.
    pub properties: BTreeMap<String, usize>,
    /// Named graph IRI → number of quads.
    pub graphs: BTreeMap<String, usize>,
}

impl Stats {
    /// Counts every quad of `store`, but those of the graph `except`.
    pub fn of_store(store: &Store, except: Option<&str>) -> Result<Self, StorageError> {
        let mut quads = Vec::new();
        for quad in store.iter() {
            quads.push(quad?);
        }
        Ok(Self::of_quads(quads.iter().filter(
            |q| !matches!(&q.graph_name, GraphName::NamedNode(g) if Some(g.as_str()) == except),
        )))
    }

    /// Counts a set of quads.
    pub fn of_quads<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Self {
        let mut stats = Stats::default();
        let mut triples: HashSet<Triple> = HashSet::new();
        for quad in quads {
            stats.quads += 1;
            let graph = match &quad.graph_name {
                GraphName::NamedNode(g) => g.as_str().to_owned(),
                GraphName::BlankNode(b) => b.to_string(),
                GraphName::DefaultGraph => String::from("(default graph)"),
            };
            *stats.graphs.entry(graph).or_default() += 1;
            triples.insert(Triple::new(
                quad.subject.clone(),
                quad.predicate.clone(),
                quad.object.clone(),
            ));
        }
        let mut subjects: HashSet<&NamedOrBlankNode> = HashSet::new();
        let mut instances: HashMap<&str, HashSet<&NamedOrBlankNode>> = HashMap::new();
        for triple in &triples {
            subjects.insert(&triple.subject);
            *stats
                .properties
                .entry(triple.predicate.as_str().to_owned())
                .or_default() += 1;
            if triple.predicate.as_ref() == rdf::TYPE {
                if let Term::NamedNode(class) = &triple.object {
                    instances
                        .entry(class.as_str())
                        .or_default()
                        .insert(&triple.subject);
                }
            }
        }
        let typed: HashSet<&NamedOrBlankNode> = instances.values().flatten().copied().collect();
        stats.entities = typed
            .iter()
            .filter(|s| matches!(s, NamedOrBlankNode::NamedNode(_)))
            .count();
        stats.classes = instances
            .into_iter()
            .map(|(class, members)| (class.to_owned(), members.len()))
            .collect();
        stats.distinct_subjects = subjects.len();
        stats.triples = triples.len();
        stats
    }
}
