//! Graphviz diagrams of the graph, built on petgraph.
//!
//! Drawing runs in four steps:
//!
//! 1. **Load**: the records of the store (every typed resource of the data
//!    graphs, not the ontology or VoID graphs) and the links between them
//!    go into a petgraph graph, with each node's classes, acronym, short
//!    name and best label ([`from_store`]). A CONSTRUCT query's result can
//!    stand in for the store ([`from_construct`]); a dataset can skip it,
//!    its mapped quads going straight into the graph ([`from_dataset`],
//!    same result, several times faster on large data).
//! 2. **Filter**: `--include` and `--exclude` keep or drop classes of nodes
//!    and kinds of links. Provenance links (`dcterms:source`, …) and the
//!    reverse half of each pair of inverse links are left out unless
//!    `--include` names them.
//! 3. **Select** with petgraph's traversals: the GTI and its relationships
//!    (the default), the neighbourhood of a record (`--focus`), or all.
//! 4. **Draw**: the selection becomes a [`Diagram`] (another petgraph
//!    graph, with poles grouped by category in the default diagram,
//!    clusters and a legend), which [`Diagram::write_dot`] writes as DOT.
//!
//! The same graph and options always give the same DOT bytes.
//!
//! The files follow the steps: [`options`](DiagramOptions) (what is asked),
//! `load`, `filter`, `select`, `draw` (with `text` for the labels), then
//! the diagram itself (`scene`), which [`dot`] writes and `render` turns
//! into an image; `style` holds the tables of styles and texts, `error`
//! what can fail. Data flows one way: this module only declares them and
//! holds the entry points; no file below imports it.

mod dot;
mod draw;
mod error;
mod filter;
mod load;
mod options;
mod render;
mod resource;
mod scene;
mod select;
mod style;
mod text;

pub use error::DiagramError;
pub use options::{ClusterBy, DiagramOptions, RankDir, Selection, CENTRE, DEFAULT_MAX_NODES};
pub use render::{render, render_to_memory, OutputFormat};
pub use scene::{Cluster, Diagram, DiagramEdge, DiagramNode, LegendEntry};
pub use style::{Lang, NodeStyle};

use crate::error::QueryError;
use crate::iri::{Iris, ONTOLOGY_GRAPH};
use crate::model::Dataset;
use crate::store::KnowledgeGraph;
use draw::draw;
use load::{canonical_blank_nodes, Loaded, Mode};
use oxigraph::model::{NamedNode, Triple};
use oxigraph::sparql::QueryResults;
use oxigraph::store::{StorageError, Store};

/// Draws a diagram of the records in `store`.
pub fn from_store(
    store: &Store,
    iris: &Iris,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    Records::from_store(store, iris, options.lang)?.draw(store, iris, options)
}

/// The records of a store and their links, read once to draw many
/// diagrams of it (the endpoint keeps one per language).
pub struct Records {
    loaded: Loaded,
}

impl Records {
    /// Reads the records of `store`, labelled in `lang`.
    pub fn from_store(store: &Store, iris: &Iris, lang: Lang) -> Result<Self, DiagramError> {
        Ok(Records {
            loaded: Loaded::from_store(store, iris, lang)?,
        })
    }

    /// The language of the records' labels.
    pub fn lang(&self) -> Lang {
        self.loaded.lang()
    }

    /// Draws a diagram of these records (`store` is the one they were read
    /// from: it gives the ontology's labels). The labels are those of
    /// [`Records::lang`], whatever `options.lang` says.
    pub fn draw(
        &self,
        store: &Store,
        iris: &Iris,
        options: &DiagramOptions,
    ) -> Result<Diagram, DiagramError> {
        draw(&self.loaded, store, iris, options, false)
    }
}

/// Draws a diagram of a dataset's records without building a store: the
/// mapper's quads go straight into the petgraph graph, and the ontology
/// (for labels) into a small store of its own. Gives the same diagram as
/// [`from_store`] over the store of the same dataset, faster.
pub fn from_dataset(
    dataset: &Dataset,
    iris: &Iris,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let loaded = Loaded::from_dataset(dataset, iris, options.lang);
    let ontology = ontology_store(iris)?;
    draw(&loaded, &ontology, iris, options, false)
}

/// Draws a diagram of a folder of CSV tables, streaming its rows into the
/// petgraph graph (the same diagram as [`from_dataset`] over the same
/// records).
pub fn from_tables(
    tables: &[(crate::load::CsvTable, std::path::PathBuf)],
    iris: &Iris,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let mut loaded = Loaded::new(options.lang, Mode::Mapper);
    crate::map::map_tables(tables, iris, &mut loaded, &mut |_| {}).map_err(DiagramError::Stream)?;
    loaded.mark_hidden();
    let ontology = ontology_store(iris)?;
    draw(&loaded, &ontology, iris, options, false)
}

/// A store holding only the ontology, in its named graph.
fn ontology_store(iris: &Iris) -> Result<Store, DiagramError> {
    let store = Store::new()?;
    let graph = NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH));
    let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .with_default_graph(graph);
    store
        .load_from_slice(parser, crate::store::ONTOLOGY_TTL.as_bytes())
        .map_err(|e| match e {
            oxigraph::store::LoaderError::Storage(e) => DiagramError::Storage(e),
            other => DiagramError::Storage(StorageError::Other(Box::new(other))),
        })?;
    Ok(store)
}

/// Draws the graph a CONSTRUCT query builds over `graph`. Nodes the result
/// does not type or name take their classes and labels from the store.
pub fn from_construct(
    graph: &KnowledgeGraph,
    query: &str,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let results = crate::query::prepare(graph, query)?
        .on_store(&graph.store)
        .execute()
        .map_err(QueryError::from)?;
    let triples = match results {
        QueryResults::Graph(triples) => triples
            .collect::<Result<Vec<Triple>, _>>()
            .map_err(QueryError::from)?,
        QueryResults::Solutions(_) => return Err(DiagramError::NotConstruct("SELECT")),
        QueryResults::Boolean(_) => return Err(DiagramError::NotConstruct("ASK")),
    };
    from_query_result(graph, triples, options)
}

/// Draws the graph a CONSTRUCT query gave (run by the caller, as the
/// endpoint does within its time limit), as [`from_construct`] does.
pub fn from_query_result(
    graph: &KnowledgeGraph,
    triples: Vec<Triple>,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let triples = canonical_blank_nodes(triples);
    let loaded = Loaded::from_triples(&triples, &graph.store, &graph.iris, options.lang)?;
    draw(&loaded, &graph.store, &graph.iris, options, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagram of a dataset is the same whether its records come from
    /// the store or straight from the mapper.
    #[test]
    fn store_and_mapper_give_the_same_bytes() {
        let dataset = crate::load::load_builtin().unwrap();
        let graph = crate::store::build(&dataset, None).unwrap();
        let cases = [
            DiagramOptions::default(),
            DiagramOptions {
                expand_poles: true,
                lang: Lang::En,
                cluster_by: ClusterBy::Kind,
                ..Default::default()
            },
            DiagramOptions {
                selection: Selection::Focus {
                    record: "dge".into(),
                    depth: 2,
                },
                include: vec![
                    "dcterms:source".into(),
                    "pg:Source".into(),
                    "org:Organization".into(),
                ],
                ..Default::default()
            },
            DiagramOptions {
                selection: Selection::All,
                exclude: vec!["org:hasMember".into()],
                ..Default::default()
            },
        ];
        for options in cases {
            let dot = |d: Diagram| String::from_utf8(d.write_dot(Vec::new()).unwrap()).unwrap();
            let from_store = dot(from_store(&graph.store, &graph.iris, &options).unwrap());
            let from_dataset = dot(from_dataset(&dataset, &graph.iris, &options).unwrap());
            assert!(from_store == from_dataset, "{options:?}");
        }
    }
}
