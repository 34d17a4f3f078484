//! The built graph: a checked dataset mapped into an oxigraph store, with
//! the ontology in its own graph and a VoID/DCAT description of the whole.

use crate::error::BuildError;
use crate::map::{self, Iris, QuadSink, ONTOLOGY_GRAPH};
use crate::model::Dataset;
use crate::stats::Stats;
use crate::void;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Quad, QuadRef};
use oxigraph::store::{BulkLoader, StorageError, Store};
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
    let mut sink = BulkSink::in_memory(&store);
    map::map_dataset(dataset, &iris, &mut sink).map_err(BuildError::Map)?;
    add_ontology(&mut sink, &iris)?;
    let stats = sink.finish()?;
    describe(store, iris, dataset, stats)
}

/// Builds the in-memory graph of a folder of CSV tables, streaming the rows
/// into the store's bulk loader.
pub fn build_from_tables(
    dir: &std::path::Path,
    tables: &[(crate::load::CsvTable, std::path::PathBuf)],
    cli_base: Option<&str>,
    progress: &mut dyn FnMut(&crate::stream::StreamProgress),
) -> Result<KnowledgeGraph, crate::stream::StreamError> {
    let iris = crate::stream::folder_iris(dir, cli_base)?;
    let store = Store::new().map_err(BuildError::from)?;
    let mut sink = BulkSink::in_memory(&store);
    let report = crate::stream::map_tables(tables, &iris, &mut sink, progress)?;
    add_ontology(&mut sink, &iris)?;
    let stats = sink.finish().map_err(BuildError::from)?;
    let dataset = Dataset {
        sources: report.sources,
        ..crate::stream::read_settings(dir)?
    };
    Ok(describe(store, iris, &dataset, stats)?)
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

/// Feeds a store's bulk loader in batches, counting what VoID describes.
pub struct BulkSink<'a> {
    loader: BulkLoader<'a>,
    batch: Vec<Quad>,
    batch_size: usize,
    counter: crate::stats::StatsCounter,
}

/// Quads per batch for an in-memory store, which inserts quads one by one
/// whatever the batch: a small batch keeps the owned quads waiting to go in
/// few (at 10,000 rows per table the whole graph used to wait in one batch,
/// 100 MiB).
const MEMORY_BATCH: usize = 16_000;
// The loader's own batch is set in thousands of quads (see `in_memory`).
const _: () = assert!(MEMORY_BATCH % 1000 == 0);

/// Quads per batch for a RocksDB store, whose bulk loader sorts each batch
/// into files of its own: large batches make few files.
#[cfg_attr(not(feature = "rocksdb"), allow(dead_code))]
const DISK_BATCH: usize = 500_000;

impl<'a> BulkSink<'a> {
    /// A sink into an in-memory store.
    pub fn in_memory(store: &'a Store) -> Self {
        // The loader gathers `max memory × 1000 / threads` quads before
        // inserting them: as many as a batch here.
        let loader = store
            .bulk_loader()
            .with_num_threads(1)
            .with_max_memory_size_in_megabytes(MEMORY_BATCH / 1000);
        Self::with_loader(loader, MEMORY_BATCH)
    }

    /// A sink into an on-disk store.
    #[cfg_attr(not(feature = "rocksdb"), allow(dead_code))]
    pub fn on_disk(store: &'a Store) -> Self {
        Self::with_loader(store.bulk_loader(), DISK_BATCH)
    }

    fn with_loader(loader: BulkLoader<'a>, batch_size: usize) -> Self {
        BulkSink {
            loader,
            batch: Vec::with_capacity(batch_size),
            batch_size,
            counter: crate::stats::StatsCounter::default(),
        }
    }

    fn flush(&mut self) -> Result<(), StorageError> {
        self.loader.load_quads(self.batch.drain(..))
    }

    /// Loads what is left, commits, and returns the counts.
    pub fn finish(mut self) -> Result<Stats, StorageError> {
        self.flush()?;
        self.loader.commit()?;
        Ok(self.counter.finish())
    }
}

impl QuadSink for BulkSink<'_> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.counter.observe(quad);
        self.batch.push(quad.into_owned());
        if self.batch.len() >= self.batch_size {
            self.flush().map_err(io::Error::other)?;
        }
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
