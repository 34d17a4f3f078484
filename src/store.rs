//! The built graph: a checked dataset mapped into an oxigraph store, with
//! the ontology in its own graph and a VoID/DCAT description of the whole.

use crate::error::BuildError;
use crate::map::{self, Iris, QuadSink, ONTOLOGY_GRAPH, VOID_GRAPH};
use crate::model::Dataset;
use crate::stats::Stats;
use crate::void;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, QuadRef};
use oxigraph::store::{Store, Transaction};
use std::io;

/// The ontology, embedded so the binary works from any folder.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/polegraph.ttl");

/// The base IRI used when neither `--base` nor `polegraph.toml` sets one.
/// It is a placeholder: replace it before publishing the graph.
pub const DEFAULT_BASE: &str = "https://example.org/polegraph/";

/// A built graph, ready to query and export.
pub struct KnowledgeGraph {
    pub store: Store,
    pub iris: Iris,
    /// Counts over every graph but the VoID graph (what the VoID describes).
    pub stats: Stats,
}

impl KnowledgeGraph {
    /// The named graph IRI of `name` (a source id, `ontology`, `void`, …).
    pub fn graph_iri(&self, name: &str) -> String {
        self.iris.graph(name)
    }
}

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

/// Builds the in-memory graph of a checked dataset.
pub fn build(dataset: &Dataset, cli_base: Option<&str>) -> Result<KnowledgeGraph, BuildError> {
    let iris = Iris::new(resolve_base(cli_base, dataset)?);
    let store = Store::new()?;
    fill(&store, dataset, &iris)?;
    let stats = Stats::of_store(&store, Some(&iris.graph(VOID_GRAPH)))?;
    void::describe(&store, dataset, &iris, &stats)?;
    Ok(KnowledgeGraph { store, iris, stats })
}

/// Loads the records and the ontology into `store`.
pub fn fill(store: &Store, dataset: &Dataset, iris: &Iris) -> Result<(), BuildError> {
    let mut transaction = store.start_transaction()?;
    let mut sink = TransactionSink(&mut transaction);
    map::map_dataset(dataset, iris, &mut sink).map_err(|e| {
        // The in-memory sink never fails; keep the cause if a future one does.
        BuildError::Storage(oxigraph::store::StorageError::Io(e))
    })?;
    transaction.commit()?;
    let ontology_graph = NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH));
    let parser = RdfParser::from_format(RdfFormat::Turtle).with_default_graph(ontology_graph);
    store
        .load_from_slice(parser, ONTOLOGY_TTL.as_bytes())
        .map_err(|e| match e {
            oxigraph::store::LoaderError::Parsing(e) => BuildError::Ontology(e),
            oxigraph::store::LoaderError::Storage(e) => BuildError::Storage(e),
            other => BuildError::Storage(oxigraph::store::StorageError::Other(Box::new(other))),
        })?;
    Ok(())
}

/// Inserts mapped quads into a store transaction.
struct TransactionSink<'a, 'b>(&'a mut Transaction<'b>);

impl QuadSink for TransactionSink<'_, '_> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.0.insert(quad);
        Ok(())
    }
}

/// The named graphs of a store, sorted by IRI.
pub fn named_graphs(store: &Store) -> Result<Vec<NamedNode>, oxigraph::store::StorageError> {
    let mut graphs = Vec::new();
    for graph in store.named_graphs() {
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = graph? {
            graphs.push(n);
        }
    }
    graphs.sort();
    Ok(graphs)
}

/// The quads of one named graph.
pub fn graph_quads<'a>(store: &'a Store, graph: NamedNodeRef<'a>) -> oxigraph::store::QuadIter<'a> {
    store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph)))
}
