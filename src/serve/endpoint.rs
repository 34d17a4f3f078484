//! The endpoint's state: its options, the graph it serves and the counts
//! it keeps. Requests are answered by [`Endpoint::handle`] (`mod.rs`).

use super::pictures::Drawings;
use super::sparql::Limits;
use crate::store::KnowledgeGraph;
use std::net::SocketAddr;
use std::time::Duration;

/// How the endpoint runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The longest a query may run.
    pub timeout: Duration,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// The most solutions or triples a query may give.
    pub max_results: usize,
    /// Send `Access-Control-Allow-Origin: *` and answer CORS preflights.
    pub cors: bool,
    /// The most connections held at once; past it a new connection gets
    /// 503 at once.
    pub max_connections: usize,
    /// The longest wait for a request's head (and then its body), counted
    /// from the connection's opening or its previous answer: idle
    /// keep-alive connections are closed after it.
    pub header_timeout: Duration,
    /// The Graphviz program that draws diagrams (`dot`, looked up on the
    /// `PATH`).
    pub graphviz: std::ffi::OsString,
    /// The most nodes a diagram draws: a focus diagram past it leaves the
    /// farthest records out, any other is refused.
    pub diagram_max_nodes: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_secs(30),
            max_body: 1024 * 1024,
            max_results: 100_000,
            cors: false,
            max_connections: 10_000,
            header_timeout: Duration::from_secs(10),
            graphviz: "dot".into(),
            diagram_max_nodes: crate::diagram::DEFAULT_MAX_NODES,
        }
    }
}

/// The request handler, without sockets: tests and other servers can call
/// [`Endpoint::handle`] directly.
pub struct Endpoint {
    pub(super) graph: KnowledgeGraph,
    pub(super) options: ServeOptions,
    /// The number of quads (counted once: a persistent store counts slowly).
    pub(super) quads: usize,
    /// The number of distinct triples of the union, counted once.
    union_triples: std::sync::OnceLock<usize>,
    /// What diagrams are drawn from and the pictures drawn.
    pub(super) drawings: Drawings,
}

impl Endpoint {
    pub fn new(graph: KnowledgeGraph, options: ServeOptions) -> Self {
        Endpoint {
            drawings: Drawings::new(options.graphviz.clone(), options.diagram_max_nodes),
            quads: graph.store.len().unwrap_or(0),
            graph,
            options,
            union_triples: std::sync::OnceLock::new(),
        }
    }

    /// The number of distinct triples in the union of the graphs.
    pub(super) fn union_triples(&self) -> Result<usize, oxigraph::store::StorageError> {
        if let Some(count) = self.union_triples.get() {
            return Ok(*count);
        }
        let mut triples = std::collections::HashSet::new();
        for quad in self.graph.store.iter() {
            let quad = quad?;
            triples.insert((quad.subject, quad.predicate, quad.object));
        }
        Ok(*self.union_triples.get_or_init(|| triples.len()))
    }

    pub fn graph(&self) -> &KnowledgeGraph {
        &self.graph
    }

    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    pub(super) fn limits(&self) -> Limits {
        Limits {
            timeout: self.options.timeout,
            max_results: self.options.max_results,
        }
    }
}
