//! `polegraph push`: uploads every named graph into a triple store through
//! the SPARQL 1.1 Graph Store HTTP Protocol.
//!
//! A push has two passes. The first ([`spool_tables`], [`spool_graph`])
//! reads, checks and maps the input as the streaming export does and
//! writes each graph's triples into a temporary file: a fault of the data,
//! however late, is found before anything is sent, and the graph is never
//! held in memory. The second ([`push`]) sends the files in chunks of
//! N-Triples with several requests in flight.
//!
//! A graph that fits in one request is sent with one `PUT {endpoint}?graph=IRI`
//! (with `merge`, `POST`), which the store applies whole. A graph that
//! takes several requests and that the store does not hold (asked on its
//! query endpoint) goes straight in; one it holds goes into a staging
//! graph first and is swapped in by one SPARQL Update `MOVE` (with
//! `merge`, `ADD`) once every graph has gone up (`plan.rs`). A push that
//! fails or is interrupted before drops its staging graphs and the graphs
//! it created (`cleanup.rs`). Each graph is thus either as it was or fully
//! replaced. With `dataset`, the chunks go as N-Quads to the store's
//! dataset endpoint (Fuseki's `/DATASET`).
//!
//! A graph with blank nodes goes in one request, so that no blank node is
//! split. HTTP basic and digest (RFC 7616, MD5, `qop=auth`) authentication
//! are supported; credentials never appear in messages or events. 5xx
//! answers and connection failures are retried with an exponential
//! backoff; any other 4xx fails at once. `verify` counts each graph's
//! triples afterwards with a SPARQL `COUNT` on the store's query endpoint.
//!
//! The HTTP client is `oxhttp`'s (plain HTTP; HTTPS with the `tls` feature).

mod auth;
mod cleanup;
mod client;
mod error;
mod events;
mod options;
mod plan;
mod send;
mod spool;
mod swap;
mod verify;

pub use auth::{AuthScheme, Credentials};
pub use error::PushError;
pub use events::{GraphReport, PushEvent};
pub use options::PushOptions;
pub use spool::{spool_graph, spool_tables, Spool};

use auth::Auth;
use cleanup::Cleanup;
use client::HttpClient;
use events::retry_event;
use oxigraph::model::NamedNode;
use plan::{graphs_held, plan};
use send::{send_all, Destination, Door, Outcome, Route};
use swap::Updater;

/// Pushes every graph of `spool`, swaps the staged ones in, then verifies
/// the counts if asked.
pub fn push(
    spool: &Spool,
    options: &PushOptions,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<Vec<GraphReport>, PushError> {
    let (endpoint, url_credentials) = parse_endpoint(&options.endpoint)?;
    let credentials = options.credentials.clone().or(url_credentials);
    let update = match &options.update {
        Some(update) => {
            let (url, from_url) = parse_endpoint(update)?;
            Some((url, credentials.clone().or(from_url)))
        }
        None => None,
    };
    let make_updater = {
        let (options, update) = (options.clone(), update.clone());
        move || -> Result<Option<Updater>, PushError> {
            let Some((url, credentials)) = &update else {
                return Ok(None);
            };
            let client = http_client(&options, credentials.clone())?;
            Ok(Some(Updater {
                client,
                url: url.clone(),
            }))
        }
    };
    let mut updater = make_updater()?;
    let door = match &options.dataset {
        Some(dataset) => Door::Dataset(parse_endpoint(dataset)?.0),
        None => Door::Graph {
            endpoint,
            parameter: options.graph_parameter.clone(),
        },
    };
    let held = match options.query.as_ref().or(options.verify.as_ref()) {
        Some(query) if updater.is_some() && !options.stage_all => {
            let (url, from_url) = parse_endpoint(query)?;
            let mut client = http_client(options, credentials.clone().or(from_url))?;
            Some(graphs_held(spool, options, &mut client, &url, on_event)?)
        }
        _ => None,
    };
    let destinations = plan(spool, options, updater.is_some(), held.as_deref())?;
    let of_route = |route: Route| -> Vec<NamedNode> {
        destinations
            .iter()
            .filter(|d| d.route == route)
            .map(|d| d.iri.clone())
            .collect()
    };
    let created = of_route(Route::Created);
    let cleanup = Cleanup::new([of_route(Route::Staged), created.clone()].concat());
    let _on_interrupt = updater.is_some().then(|| {
        cleanup.on_interrupt(options.timeout, move || {
            make_updater()?.ok_or(PushError::Interrupted)
        })
    });
    let mut reports: Vec<GraphReport> = spool
        .graphs
        .iter()
        .map(|g| GraphReport {
            graph: g.name.clone(),
            triples: usize::try_from(g.triples).unwrap_or(usize::MAX),
            requests: 0,
            remote: None,
            created: false,
        })
        .collect();
    let mut tally = Tally {
        graphs: spool.graphs.len(),
        triples: spool.triples(),
        ..Tally::default()
    };
    let sent = send_all(
        spool,
        &destinations,
        &door,
        options.chunk_triples,
        options.jobs,
        &|| http_client(options, credentials.clone()),
        &cleanup.flight,
        &mut |outcome| match outcome {
            Outcome::Sent { graph, triples } => {
                let report = &mut reports[*graph];
                report.requests += 1;
                let done = report.requests as u64 == destinations[*graph].chunks;
                tally.add(*triples, done);
                on_event(tally.event());
                if done && destinations[*graph].route == Route::Whole {
                    on_event(PushEvent::Sent(report.clone()));
                }
            }
            Outcome::Retry(retry) => on_event(retry_event(retry.clone())),
            Outcome::Failed(_) => {}
        },
    );
    if let Err(error) = sent {
        return Err(cleanup.drop_now(updater.as_mut(), &[], error, on_event));
    }
    // Stopped with no failure: interrupted; the hook drops the graphs.
    if !cleanup.keep(&created) {
        return Err(PushError::Interrupted);
    }
    for (destination, report) in destinations.iter().zip(&mut reports) {
        if destination.route == Route::Created {
            report.created = true;
            on_event(PushEvent::Sent(report.clone()));
        }
    }
    if let Some(updater) = &mut updater {
        swap_all(
            updater,
            &destinations,
            &reports,
            options.merge,
            &cleanup,
            on_event,
        )?;
    }
    if let Some(verify) = &options.verify {
        verify_all(options, verify, credentials, &mut reports, on_event)?;
    }
    Ok(reports)
}

/// Swaps each staged graph in, one request each; after a failure the
/// staging graphs not yet swapped are dropped.
fn swap_all(
    updater: &mut Updater,
    destinations: &[Destination],
    reports: &[GraphReport],
    merge: bool,
    cleanup: &Cleanup,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<(), PushError> {
    for (destination, report) in destinations.iter().zip(reports) {
        if destination.route != Route::Staged {
            continue;
        }
        if !cleanup.swapping(&destination.iri) {
            return Err(PushError::Interrupted);
        }
        if let Err(error) = updater.swap(&destination.iri, &report.graph, merge) {
            // The store refused it: its staging graph goes too. Unsure
            // whether the store applies it: that one stays.
            let failed = match error {
                PushError::SwapUnsure { .. } => vec![],
                _ => vec![destination.iri.clone()],
            };
            return Err(cleanup.drop_now(Some(updater), &failed, error, on_event));
        }
        on_event(PushEvent::Sent(report.clone()));
    }
    Ok(())
}

/// Counts each graph on the store's query endpoint.
fn verify_all(
    options: &PushOptions,
    verify: &str,
    credentials: Option<Credentials>,
    reports: &mut [GraphReport],
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<(), PushError> {
    let (query_url, verify_credentials) = parse_endpoint(verify)?;
    let mut client = http_client(options, credentials.or(verify_credentials))?;
    for report in reports {
        let remote = verify::count_remote(&mut client, &query_url, &report.graph, on_event)?;
        report.remote = Some(remote);
        on_event(PushEvent::Verified {
            graph: report.graph.clone(),
            local: report.triples,
            remote,
        });
        // Merging may leave triples that were there before.
        let mismatch = if options.merge {
            remote < report.triples
        } else {
            remote != report.triples
        };
        if mismatch {
            return Err(PushError::CountMismatch {
                graph: report.graph.as_str().to_owned(),
                local: report.triples,
                remote,
            });
        }
    }
    Ok(())
}

/// How far the sending has come.
#[derive(Default)]
struct Tally {
    graphs: usize,
    graphs_done: usize,
    triples: u64,
    triples_sent: u64,
}

impl Tally {
    fn add(&mut self, triples: u64, graph_done: bool) {
        self.triples_sent += triples;
        self.graphs_done += usize::from(graph_done);
    }

    fn event(&self) -> PushEvent {
        PushEvent::Progress {
            graphs_done: self.graphs_done,
            graphs: self.graphs,
            triples_sent: self.triples_sent,
            triples: self.triples,
        }
    }
}

/// A client with the options' timeout, retries and authentication.
fn http_client(
    options: &PushOptions,
    credentials: Option<Credentials>,
) -> Result<HttpClient, PushError> {
    HttpClient::new(
        &options.endpoint,
        options.timeout,
        options.retries,
        options.backoff,
        Auth::new(options.auth, credentials),
    )
}

/// The endpoint without user info, and the credentials the URL held.
fn parse_endpoint(text: &str) -> Result<(url::Url, Option<Credentials>), PushError> {
    let mut url = url::Url::parse(text).map_err(|e| PushError::Endpoint {
        url: redact_url(text),
        message: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(PushError::Endpoint {
            url: redact_url(text),
            message: "give an http:// or https:// URL".into(),
        });
    }
    if url.scheme() == "https" && !cfg!(feature = "tls") {
        return Err(PushError::Endpoint {
            url: redact_url(text),
            message: "this polegraph was built without HTTPS support; rebuild it with `cargo build --release --features tls`".into(),
        });
    }
    let credentials = (!url.username().is_empty()).then(|| Credentials {
        user: decode(url.username()),
        password: decode(url.password().unwrap_or("")),
    });
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok((url, credentials))
}

fn decode(text: &str) -> String {
    form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map_or_else(|| text.to_owned(), |(_, v)| v.into_owned())
}

/// A URL for messages: without its user name and password.
pub fn redact_url(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => match text.split_once('@') {
            Some((_, rest)) if text.contains("://") => {
                format!("{}://…@{rest}", text.split("://").next().unwrap_or(""))
            }
            _ => text.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        let c = Credentials {
            user: "dba".into(),
            password: "secret".into(),
        };
        assert!(!format!("{c:?}").contains("secret"));
        let (url, from_url) =
            parse_endpoint("http://me:p%40ss@localhost:8890/sparql-graph-crud-auth")
                .expect("a URL");
        assert_eq!(url.as_str(), "http://localhost:8890/sparql-graph-crud-auth");
        let from_url = from_url.expect("credentials in the URL");
        assert_eq!(
            (from_url.user.as_str(), from_url.password.as_str()),
            ("me", "p@ss")
        );
        assert!(!redact_url("http://me:secret@host/x").contains("secret"));
    }
}
