//! Where each graph goes, so that it is either as it was or fully replaced:
//!
//! - a graph that fits in one request goes straight, with one `PUT` (with
//!   `merge`, `POST`), which the store applies whole;
//! - a graph of several requests that the store does not hold yet (asked
//!   first on its query endpoint) has nothing to protect: it is loaded
//!   straight, and dropped if the push stops before every graph is up;
//! - any other graph of several requests (or any graph the store holds,
//!   through a dataset endpoint) goes into a staging graph, swapped in once
//!   every graph is up.

use super::client::HttpClient;
use super::error::PushError;
use super::events::PushEvent;
use super::options::PushOptions;
use super::send::{chunk_limit, Destination, Route};
use super::spool::Spool;
use super::swap::{staging_iri, staging_token};
use super::verify::holds_triples;
use oxhttp::model::Method;

/// Which graphs of `spool` the store holds triples of, asked on
/// `query_url` for the graphs that take several requests (the others go
/// whole whatever the answer: `false` for them).
pub(super) fn graphs_held(
    spool: &Spool,
    options: &PushOptions,
    client: &mut HttpClient,
    query_url: &url::Url,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<Vec<bool>, PushError> {
    let mut held = Vec::with_capacity(spool.graphs.len());
    for graph in &spool.graphs {
        let one_request = chunks(spool, options, held.len()) == 1 && options.dataset.is_none();
        held.push(!one_request && holds_triples(client, query_url, &graph.name, on_event)?);
    }
    Ok(held)
}

fn chunks(spool: &Spool, options: &PushOptions, index: usize) -> u64 {
    let graph = &spool.graphs[index];
    graph
        .triples
        .div_ceil(chunk_limit(graph, options.chunk_triples))
        .max(1)
}

/// Where each graph goes. `held` says which graphs the store holds
/// (unknown: every graph is taken as held, and staged). Staging and
/// dropping a created graph need an update endpoint (`can_update`).
pub(super) fn plan(
    spool: &Spool,
    options: &PushOptions,
    can_update: bool,
    held: Option<&[bool]>,
) -> Result<Vec<Destination>, PushError> {
    let token = staging_token();
    let mut destinations = Vec::with_capacity(spool.graphs.len());
    for (index, graph) in spool.graphs.iter().enumerate() {
        let chunks = chunks(spool, options, index);
        let is_held = held.is_none_or(|held| held[index]);
        let route = if chunks == 1 && options.dataset.is_none() {
            Route::Whole
        } else if !is_held && !options.stage_all {
            Route::Created
        } else {
            Route::Staged
        };
        if route != Route::Whole && !can_update {
            return Err(PushError::NeedsUpdate {
                graph: graph.name.as_str().to_owned(),
                triples: graph.triples,
                chunk: options.chunk_triples,
                dataset: options.dataset.is_some(),
            });
        }
        destinations.push(Destination {
            iri: match route {
                Route::Staged => staging_iri(&token, index),
                Route::Whole | Route::Created => graph.name.clone(),
            },
            method: if route == Route::Whole && !options.merge {
                Method::PUT
            } else {
                Method::POST
            },
            chunks,
            route,
        });
    }
    Ok(destinations)
}
