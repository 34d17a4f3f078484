//! Counts over a graph: quads, distinct triples, entities, and the class
//! and property partitions that VoID describes.
//!
//! The counts stream over the quads and never hold the triples: a triple
//! (or a subject) is told apart from the others by a 64-bit hash of it. A
//! collision among millions of triples is improbable, and would only lower
//! a count by one.

use crate::hashing::PassThrough;
use crate::vocab::rdf;
use oxigraph::model::{NamedOrBlankNodeRef, QuadRef, TermRef};
use oxigraph::store::{StorageError, Store};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

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
        let mut counter = StatsCounter::default();
        for quad in store.iter() {
            let quad = quad?;
            let skipped = matches!(quad.graph_name.as_ref(), oxigraph::model::GraphNameRef::NamedNode(g) if Some(g.as_str()) == except);
            if !skipped {
                counter.observe(quad.as_ref());
            }
        }
        Ok(counter.finish())
    }

    /// Counts a set of quads.
    pub fn of_quads<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Self {
        let mut counter = StatsCounter::default();
        for quad in quads {
            counter.observe(quad);
        }
        counter.finish()
    }
}

/// Gathers [`Stats`] one quad at a time.
#[derive(Default)]
pub struct StatsCounter {
    quads: HashSet<u64, PassThrough>,
    triples: HashSet<u64, PassThrough>,
    /// Subject hash → whether the subject is an IRI with a type.
    subjects: HashMap<u64, bool, PassThrough>,
    classes: Counts,
    properties: Counts,
    graphs: Counts,
}

/// Counts by IRI, looked up for every quad (foldhash, not SipHash: the keys
/// are our own IRIs, not an attacker's).
type Counts = HashMap<String, usize, foldhash::fast::FixedState>;

/// Adds one to `key`'s count, allocating the key only the first time.
fn increment(counts: &mut Counts, key: &str) {
    match counts.get_mut(key) {
        Some(count) => *count += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

/// A 64-bit hash of a term or quad: foldhash's quality variant with a
/// fixed seed, so counts never depend on the run.
fn hash_of(value: impl Hash) -> u64 {
    foldhash::quality::FixedState::with_seed(0x706f_6c65_6772_6170).hash_one(value)
}

impl StatsCounter {
    /// Counts a quad; a quad seen before is not counted again.
    pub fn observe(&mut self, quad: QuadRef<'_>) {
        // Each term is hashed once: the triple's hash builds on the
        // subject's, the quad's on the triple's.
        let subject = hash_of(quad.subject);
        let triple = hash_of((subject, quad.predicate, quad.object));
        if !self.quads.insert(hash_of((triple, quad.graph_name))) {
            return;
        }
        match quad.graph_name {
            oxigraph::model::GraphNameRef::NamedNode(g) => increment(&mut self.graphs, g.as_str()),
            oxigraph::model::GraphNameRef::BlankNode(b) => {
                increment(&mut self.graphs, &b.to_string())
            }
            oxigraph::model::GraphNameRef::DefaultGraph => {
                increment(&mut self.graphs, "(default graph)")
            }
        }
        if !self.triples.insert(triple) {
            return; // the same triple in another graph: counted once
        }
        increment(&mut self.properties, quad.predicate.as_str());
        let typed = self.subjects.entry(subject).or_default();
        if quad.predicate == rdf::TYPE {
            if let TermRef::NamedNode(class) = quad.object {
                increment(&mut self.classes, class.as_str());
                *typed |= matches!(quad.subject, NamedOrBlankNodeRef::NamedNode(_));
            }
        }
    }

    pub fn finish(self) -> Stats {
        Stats {
            quads: self.quads.len(),
            triples: self.triples.len(),
            distinct_subjects: self.subjects.len(),
            entities: self.subjects.values().filter(|typed| **typed).count(),
            classes: self.classes.into_iter().collect(),
            properties: self.properties.into_iter().collect(),
            graphs: self.graphs.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, NamedNode, Quad};

    #[test]
    fn a_triple_in_two_graphs_counts_once_as_a_triple_and_twice_as_a_quad() {
        // (and a quad repeated counts once, as a store holds it once)
        let n = |s: &str| NamedNode::new(format!("https://example.org/{s}")).unwrap();
        let typed = |g: &str| {
            Quad::new(
                n("a"),
                rdf::TYPE.into_owned(),
                n("C"),
                GraphName::NamedNode(n(g)),
            )
        };
        let quads = [
            typed("g1"),
            typed("g2"),
            typed("g2"),
            Quad::new(n("b"), n("p"), n("a"), GraphName::NamedNode(n("g1"))),
        ];
        let stats = Stats::of_quads(quads.iter().map(Quad::as_ref));
        assert_eq!((stats.quads, stats.triples), (3, 2));
        assert_eq!((stats.distinct_subjects, stats.entities), (2, 1));
        assert_eq!(stats.classes.get("https://example.org/C"), Some(&1));
        assert_eq!(stats.graphs.get("https://example.org/g1"), Some(&2));
    }
}
