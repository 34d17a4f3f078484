//! What a push tells its caller as it goes.

use super::client::Retry;
use oxigraph::model::NamedNode;
use std::time::Duration;

/// What `push` did for one graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphReport {
    pub graph: NamedNode,
    /// Triples sent.
    pub triples: usize,
    /// Requests that succeeded (one per chunk).
    pub requests: usize,
    /// The store's count after the push, when verified.
    pub remote: Option<usize>,
    /// The store held none of its triples: it was loaded straight, in
    /// several requests, without a staging graph.
    pub created: bool,
}

/// What happens during a push, for a progress display or a log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushEvent {
    /// A graph has been sent (and swapped in, if it was staged).
    Sent(GraphReport),
    /// A request went up, for a progress display.
    Progress {
        graphs_done: usize,
        graphs: usize,
        triples_sent: u64,
        triples: u64,
    },
    /// A request failed and is tried again after `delay`.
    Retry {
        /// What was asked (`PUT graph <IRI> to URL`).
        request: String,
        reason: String,
        attempt: u32,
        attempts: u32,
        delay: Duration,
    },
    /// The store's count of a graph was checked.
    Verified {
        graph: NamedNode,
        local: usize,
        remote: usize,
    },
}

/// The client's retry, as the caller sees it.
pub(super) fn retry_event(retry: Retry) -> PushEvent {
    PushEvent::Retry {
        request: retry.request,
        reason: retry.reason,
        attempt: retry.attempt,
        attempts: retry.attempts,
        delay: retry.delay,
    }
}
