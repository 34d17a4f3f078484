//! `polegraph push`: uploads every named graph into a triple store through
//! the SPARQL 1.1 Graph Store HTTP Protocol.
//!
//! Each graph is sent as N-Triples: `PUT {endpoint}?graph=IRI` replaces
//! it; with `merge`, `POST` adds to it. A graph larger than the chunk size
//! goes up in several requests (the first a PUT, the others POSTs), cut
//! between subjects; a graph with blank nodes goes in one request, so that
//! no blank node is split. HTTP basic and digest (RFC 7616, MD5, `qop=auth`)
//! authentication are supported; credentials never appear in messages or
//! events. 5xx answers and connection failures are retried with an
//! exponential backoff; any other 4xx fails at once. `verify` counts each
//! graph's triples afterwards with a SPARQL `COUNT` on the store's query
//! endpoint.
//!
//! The HTTP client is `oxhttp`'s (plain HTTP; HTTPS with the `tls` feature).

mod auth;
mod client;
mod error;

pub use auth::{AuthScheme, Credentials};
pub use error::PushError;

use crate::store::{graph_quads, named_graphs, KnowledgeGraph};
use auth::Auth;
use client::{HttpClient, Retry};
use oxhttp::model::{header, Method};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
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
        }
    }
}

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
}

/// What happens during a push, for a progress display or a log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushEvent {
    /// A graph has been sent.
    Sent(GraphReport),
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
fn retry_event(retry: Retry) -> PushEvent {
    PushEvent::Retry {
        request: retry.request,
        reason: retry.reason,
        attempt: retry.attempt,
        attempts: retry.attempts,
        delay: retry.delay,
    }
}

/// Pushes every named graph of `graph`, then verifies the counts if asked.
pub fn push(
    graph: &KnowledgeGraph,
    options: &PushOptions,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<Vec<GraphReport>, PushError> {
    let (endpoint, url_credentials) = parse_endpoint(&options.endpoint)?;
    let credentials = options.credentials.clone().or(url_credentials);
    let mut client = http_client(options, credentials.clone())?;
    let mut reports = Vec::new();
    for name in named_graphs(&graph.store)? {
        let report = push_graph(graph, &name, &endpoint, options, &mut client, on_event)?;
        on_event(PushEvent::Sent(report.clone()));
        reports.push(report);
    }
    if let Some(verify) = &options.verify {
        let (query_url, verify_credentials) = parse_endpoint(verify)?;
        let mut client = http_client(options, credentials.or(verify_credentials))?;
        for report in &mut reports {
            let remote = count_remote(&mut client, &query_url, &report.graph, on_event)?;
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
    }
    Ok(reports)
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

/// The triples of one named graph, sorted by subject.
fn graph_triples(graph: &KnowledgeGraph, name: &NamedNode) -> Result<Vec<Triple>, PushError> {
    let mut quads = graph_quads(&graph.store, name.as_ref()).collect::<Result<Vec<_>, _>>()?;
    crate::export::sort_quads(&mut quads);
    quads.dedup();
    Ok(quads
        .into_iter()
        .map(|q| Triple::new(q.subject, q.predicate, q.object))
        .collect())
}

/// Cuts the triples in chunks of at most `size`, between subjects; one
/// chunk if any blank node occurs (a blank node must not be split).
fn chunks(triples: &[Triple], size: usize) -> Vec<&[Triple]> {
    let has_blank = triples.iter().any(|t| {
        matches!(t.subject, NamedOrBlankNode::BlankNode(_))
            || matches!(t.object, Term::BlankNode(_))
    });
    if has_blank || triples.len() <= size.max(1) {
        return vec![triples];
    }
    let size = size.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < triples.len() {
        let mut end = (start + size).min(triples.len());
        // Move the cut back to the start of a subject, unless one subject
        // alone is larger than a chunk.
        while end < triples.len() && end > start && triples[end].subject == triples[end - 1].subject
        {
            end -= 1;
        }
        if end == start {
            end = (start + size).min(triples.len());
        }
        out.push(&triples[start..end]);
        start = end;
    }
    out
}

fn ntriples(triples: &[Triple]) -> Result<Vec<u8>, PushError> {
    let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for triple in triples {
        serializer
            .serialize_triple(triple)
            .map_err(PushError::Serialize)?;
    }
    serializer.finish().map_err(PushError::Serialize)
}

fn push_graph(
    graph: &KnowledgeGraph,
    name: &NamedNode,
    endpoint: &url::Url,
    options: &PushOptions,
    client: &mut HttpClient,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<GraphReport, PushError> {
    let triples = graph_triples(graph, name)?;
    let mut url = endpoint.clone();
    url.query_pairs_mut()
        .append_pair(&options.graph_parameter, name.as_str());
    let mut requests = 0;
    for (i, chunk) in chunks(&triples, options.chunk_triples)
        .into_iter()
        .enumerate()
    {
        let method = if i == 0 && !options.merge {
            Method::PUT
        } else {
            Method::POST
        };
        let body = ntriples(chunk)?;
        let request = format!("{method} graph <{}> to {endpoint}", name.as_str());
        client.send(
            &request,
            method,
            &url,
            Some(("application/n-triples", body)),
            None,
            &mut |retry| on_event(retry_event(retry)),
        )?;
        requests += 1;
    }
    Ok(GraphReport {
        graph: name.clone(),
        triples: triples.len(),
        requests,
        remote: None,
    })
}

/// `SELECT (COUNT(*) AS ?n) FROM <g> WHERE { ?s ?p ?o }` on the store.
/// (`FROM` rather than `GRAPH`: some stores, Virtuoso among them, are
/// stricter with `GRAPH`.)
fn count_remote(
    client: &mut HttpClient,
    query_url: &url::Url,
    graph: &NamedNode,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<usize, PushError> {
    let query = format!(
        "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ ?s ?p ?o }}",
        graph.as_str()
    );
    let mut url = query_url.clone();
    url.query_pairs_mut().append_pair("query", &query);
    let request = format!("count of graph <{}> from {query_url}", graph.as_str());
    let failed = |message: String| PushError::Verify {
        request: request.clone(),
        message,
    };
    let response = client.send(
        &request,
        Method::GET,
        &url,
        None,
        Some("application/sparql-results+json, application/sparql-results+xml;q=0.9"),
        &mut |retry| on_event(retry_event(retry)),
    )?;
    let media_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let format = QueryResultsFormat::from_media_type(&media_type)
        .or_else(|| {
            media_type
                .contains("json")
                .then_some(QueryResultsFormat::Json)
        })
        .or_else(|| {
            media_type
                .contains("xml")
                .then_some(QueryResultsFormat::Xml)
        })
        .ok_or_else(|| failed(format!("the answer is `{media_type}`, not SPARQL results")))?;
    let body = response
        .into_body()
        .to_vec()
        .map_err(|e| failed(format!("cannot read the answer: {e}")))?;
    let parsed = QueryResultsParser::from_format(format)
        .for_slice(&body)
        .map_err(|e| failed(e.to_string()))?;
    let SliceQueryResultsParserOutput::Solutions(mut solutions) = parsed else {
        return Err(failed("the answer is a boolean".into()));
    };
    let solution = solutions
        .next()
        .ok_or_else(|| failed("the answer has no row".into()))?
        .map_err(|e| failed(e.to_string()))?;
    match solution
        .get("n")
        .or_else(|| solution.values().iter().flatten().next())
    {
        Some(Term::Literal(l)) => l
            .value()
            .parse::<usize>()
            .map_err(|_| failed(format!("`{}` is not a count", l.value()))),
        other => Err(failed(format!("no count in the answer ({other:?})"))),
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

    #[test]
    fn chunks_cut_between_subjects() {
        let t = |s: &str, o: &str| {
            Triple::new(
                NamedNode::new_unchecked(format!("http://x/{s}")),
                NamedNode::new_unchecked("http://x/p"),
                NamedNode::new_unchecked(format!("http://x/{o}")),
            )
        };
        let triples = vec![
            t("a", "1"),
            t("a", "2"),
            t("b", "1"),
            t("b", "2"),
            t("b", "3"),
            t("c", "1"),
        ];
        let sizes: Vec<usize> = chunks(&triples, 3).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, vec![2, 3, 1]);
        let sizes: Vec<usize> = chunks(&triples, 1).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, vec![1, 1, 1, 1, 1, 1]);
        assert_eq!(chunks(&triples, 100).len(), 1);
        assert_eq!(chunks(&[], 10).len(), 1);
    }
}
