//! How to push: what `polegraph push`'s arguments become.

use super::auth::{AuthScheme, Credentials};
use std::time::Duration;

/// How to push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOptions {
    /// The Graph Store endpoint (`http://localhost:3030/ds/data`, …).
    pub endpoint: String,
    /// POST (add to the graphs) instead of PUT (replace them).
    pub merge: bool,
    /// The most triples in one request.
    pub chunk_triples: usize,
    pub credentials: Option<Credentials>,
    pub auth: AuthScheme,
    /// The query parameter that names the graph (`graph`, standard; some
    /// stores also take `graph-uri` or `context`).
    pub graph_parameter: String,
    /// Retries after a 5xx answer or a connection failure.
    pub retries: u32,
    /// The first retry's delay; each next one doubles it.
    pub backoff: Duration,
    /// Connection, read and write timeout of each request.
    pub timeout: Duration,
    /// A SPARQL query endpoint to count each graph's triples on afterwards.
    pub verify: Option<String>,
    /// The store's SPARQL Update endpoint: needed for a graph that takes
    /// several requests (staging graph, then `MOVE`).
    pub update: Option<String>,
    /// A SPARQL query endpoint to ask which graphs the store holds (a
    /// graph of several requests it does not hold is loaded straight,
    /// without staging); `verify`'s when not given.
    pub query: Option<String>,
    /// Stage every graph of several requests, even one the store does not
    /// hold.
    pub stage_all: bool,
    /// A dataset endpoint taking N-Quads (Fuseki's `/DATASET`), used
    /// instead of the Graph Store endpoint for the triples (needs `update`).
    pub dataset: Option<String>,
    /// Requests in flight at once.
    pub jobs: usize,
}

impl PushOptions {
    pub fn new(endpoint: impl Into<String>) -> Self {
        PushOptions {
            endpoint: endpoint.into(),
            merge: false,
            chunk_triples: 50_000,
            credentials: None,
            auth: AuthScheme::Auto,
            graph_parameter: "graph".into(),
            retries: 3,
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(120),
            verify: None,
            update: None,
            query: None,
            stage_all: false,
            dataset: None,
            jobs: 2,
        }
    }
}
