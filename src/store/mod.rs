//! The built graph: a checked dataset mapped into an oxigraph store, with
//! the ontology in its own graph and a VoID/DCAT description of the whole.

mod bulk;
#[cfg(feature = "rocksdb")]
mod persist;
mod stats;
mod void;

use crate::error::{BuildError, StreamError};
use crate::iri::{resolve_base, Iris, ONTOLOGY_GRAPH};
use crate::load::{folder_iris, StreamProgress};
use crate::load::{streamed_dataset, Input};
use crate::map::map_tables;
use crate::map::{self, QuadSink};
use crate::model::Dataset;
pub use bulk::BulkSink;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef};
use oxigraph::store::Store;
#[cfg(feature = "rocksdb")]
pub use persist::{build_store, open_store, PersistError, PersistReport};
pub use stats::{Stats, StatsCounter};
pub use void::{download_url, dump_file_name, EU_FILE_TYPES};

/// The ontology, embedded so the binary works from any folder.
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/polegraph.ttl");

/// A built graph, ready to query and export.
pub struct KnowledgeGraph {
    pub store: Store,
    pub iris: Iris,
    /// Counts over every graph but the VoID graph (what the VoID describes).
    pub stats: Stats,
    /// The quads of the VoID graph (each a distinct triple too), so that the
    /// totals of the whole store need no second count.
    pub void_quads: usize,
}

impl KnowledgeGraph {
    /// Quads in the whole store (what TriG, N-Quads and JSON-LD hold).
    pub fn total_quads(&self) -> usize {
        self.stats.quads + self.void_quads
    }

    /// Distinct triples in the whole store (what Turtle, N-Triples and
    /// RDF/XML hold).
    pub fn total_triples(&self) -> usize {
        self.stats.triples + self.void_quads
    }
}

impl KnowledgeGraph {
    /// The named graph IRI of `name` (a source id, `ontology`, `void`, …).
    pub fn graph_iri(&self, name: &str) -> String {
        self.iris.graph(name)
    }
}

/// Builds the in-memory graph of an input. A folder of CSV tables is
/// streamed into the store's bulk loader, row by row.
pub fn build_input(
    input: &Input,
    cli_base: Option<&str>,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<KnowledgeGraph, StreamError> {
    let store = Store::new().map_err(BuildError::from)?;
    let mut sink = BulkSink::in_memory(&store);
    let (iris, dataset) = fill(input, cli_base, &mut sink, progress)?;
    let stats = sink.finish().map_err(BuildError::from)?;
    Ok(describe(store, iris, &dataset, stats)?)
}

/// Builds the in-memory graph of a checked dataset.
pub fn build(dataset: &Dataset, cli_base: Option<&str>) -> Result<KnowledgeGraph, BuildError> {
    let store = Store::new()?;
    let mut sink = BulkSink::in_memory(&store);
    let iris = Iris::new(resolve_base(cli_base, dataset)?);
    map::map_dataset(dataset, &iris, &mut sink).map_err(BuildError::Map)?;
    add_ontology(&mut sink, &iris)?;
    let stats = sink.finish()?;
    describe(store, iris, dataset, stats)
}

/// Maps the records of `input` and the ontology into `sink`; returns the
/// IRIs chosen and the dataset the VoID graph is to describe (for tables,
/// their settings and sources: the rows themselves went by).
fn fill(
    input: &Input,
    cli_base: Option<&str>,
    sink: &mut impl QuadSink,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<(Iris, Dataset), StreamError> {
    let (iris, dataset) = match input {
        Input::Tables { dir, tables } => {
            let iris = folder_iris(dir, cli_base)?;
            let report = map_tables(tables, &iris, sink, progress)?;
            (iris, streamed_dataset(dir, report.sources)?)
        }
        Input::Builtin | Input::Folder(_) => {
            let dataset = input.load()?;
            let iris = Iris::new(resolve_base(cli_base, &dataset)?);
            map::map_dataset(&dataset, &iris, sink).map_err(BuildError::Map)?;
            (iris, dataset)
        }
    };
    add_ontology(sink, &iris)?;
    Ok((iris, dataset))
}

/// Adds the VoID/DCAT description of what the store holds (`stats`, counted
/// as the quads went in).
pub fn describe(
    store: Store,
    iris: Iris,
    dataset: &Dataset,
    stats: Stats,
) -> Result<KnowledgeGraph, BuildError> {
    let description = void::description(dataset, &iris, &stats);
    let void_quads = description.len();
    store.extend(description)?;
    Ok(KnowledgeGraph {
        store,
        iris,
        stats,
        void_quads,
    })
}

/// Adds the ontology, in its own named graph.
pub fn add_ontology(sink: &mut impl QuadSink, iris: &Iris) -> Result<(), BuildError> {
    let graph = NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH));
    let quads = RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(graph)
        .for_slice(ONTOLOGY_TTL.as_bytes());
    for quad in quads {
        let quad = quad.map_err(|e| BuildError::Ontology(e.into()))?;
        sink.add(quad.as_ref()).map_err(BuildError::Map)?;
    }
    Ok(())
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
