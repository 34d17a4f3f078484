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

use crate::store::{graph_quads, named_graphs, KnowledgeGraph};
use md5::{Digest, Md5};
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::fmt;
use std::time::{Duration, Instant};

/// User name and password for the store.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"***")
            .finish()
    }
}

/// Which HTTP authentication to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// The one the server's `WWW-Authenticate` challenge asks for (digest
    /// preferred); nothing is sent before a challenge.
    #[default]
    Auto,
    /// Basic, sent with every request.
    Basic,
    /// Digest, after the server's challenge.
    Digest,
}

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

/// Pushing failed. `request` says what was asked of whom, as
/// `PUT graph <IRI> to http://host/path` (never with credentials).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    #[error("`{url}` is not a usable endpoint URL: {message}")]
    Endpoint { url: String, message: String },
    #[error("{request}: cannot reach the server ({attempts} attempt{})", plural(*.attempts))]
    Unreachable {
        request: String,
        attempts: u32,
        #[source]
        source: std::io::Error,
    },
    #[error("{request}: the server failed with {status} ({attempts} attempt{}){}", plural(*.attempts), excerpt(.body))]
    Server {
        request: String,
        status: u16,
        attempts: u32,
        body: String,
    },
    #[error("{request}: the server refused it with {status}{}{}", hint(*.status), excerpt(.body))]
    Refused {
        request: String,
        status: u16,
        body: String,
    },
    #[error("{request}: the server asks for authentication (401); give --user and --password, or set POLEGRAPH_PUSH_USER and POLEGRAPH_PUSH_PASSWORD")]
    NoCredentials { request: String },
    #[error("{request}: authentication failed for user `{user}` ({scheme}): wrong user name or password?{}", if *.scheme == "Basic" { " (or the server wants digest: try --auth auto)" } else { "" })]
    Unauthorized {
        request: String,
        user: String,
        scheme: &'static str,
    },
    #[error("{request}: the server asks for authentication polegraph does not support ({challenge}); it supports Basic and Digest with MD5")]
    UnsupportedAuth { request: String, challenge: String },
    #[error("graph <{graph}>: {local} triples pushed, but the store counts {remote}")]
    CountMismatch {
        graph: String,
        local: usize,
        remote: usize,
    },
    #[error("{request}: cannot read the count: {message}")]
    Verify { request: String, message: String },
    #[error("the store failed")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("cannot serialize the triples")]
    Serialize(#[source] std::io::Error),
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A hint for the statuses that mean a wrong URL.
fn hint(status: u16) -> &'static str {
    match status {
        404 | 405 | 501 => {
            " (is the URL the store's Graph Store endpoint? docs/serve.md lists them)"
        }
        _ => "",
    }
}

/// ": first line of the body", or nothing.
fn excerpt(body: &str) -> String {
    let body = if body.to_ascii_lowercase().contains("<html") {
        strip_tags(body)
    } else {
        body.to_owned()
    };
    let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        String::new()
    } else if text.chars().count() > 300 {
        format!(": {}…", text.chars().take(300).collect::<String>())
    } else {
        format!(": {text}")
    }
}

/// The text of an HTML error page (its tags dropped).
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Pushes every named graph of `graph`, then verifies the counts if asked.
pub fn push(
    graph: &KnowledgeGraph,
    options: &PushOptions,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<Vec<GraphReport>, PushError> {
    let (endpoint, url_credentials) = parse_endpoint(&options.endpoint)?;
    let credentials = options.credentials.clone().or(url_credentials);
    let mut client = HttpClient::new(options, credentials.clone())?;
    let mut reports = Vec::new();
    for name in named_graphs(&graph.store)? {
        let report = push_graph(graph, &name, &endpoint, options, &mut client, on_event)?;
        on_event(PushEvent::Sent(report.clone()));
        reports.push(report);
    }
    if let Some(verify) = &options.verify {
        let (query_url, verify_credentials) = parse_endpoint(verify)?;
        let mut client = HttpClient::new(options, credentials.or(verify_credentials))?;
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
            on_event,
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
        on_event,
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

/// Sends requests with retries and authentication.
struct HttpClient {
    client: oxhttp::Client,
    credentials: Option<Credentials>,
    scheme: AuthScheme,
    retries: u32,
    backoff: Duration,
    /// The digest challenge in use, and the nonce count sent with it.
    digest: Option<(Challenge, u32)>,
    /// Whether to send Basic credentials.
    basic: bool,
    /// Whether the credentials were checked before sending a body.
    checked: bool,
    counter: u64,
}

/// What a request gave, for the retry loop.
enum Attempt {
    Done(Response<Body>),
    /// A 401: take its challenge, try again.
    Challenged(Response<Body>),
    Retry(String),
}

impl HttpClient {
    fn new(options: &PushOptions, credentials: Option<Credentials>) -> Result<Self, PushError> {
        let client = oxhttp::Client::new()
            .with_global_timeout(options.timeout)
            .with_user_agent(concat!("polegraph/", env!("CARGO_PKG_VERSION")))
            .map_err(|e| PushError::Endpoint {
                url: options.endpoint.clone(),
                message: e.to_string(),
            })?;
        Ok(HttpClient {
            client,
            basic: options.auth == AuthScheme::Basic && credentials.is_some(),
            credentials,
            scheme: options.auth,
            retries: options.retries,
            backoff: options.backoff,
            digest: None,
            checked: false,
            counter: 0,
        })
    }

    /// Sends one request; `Ok` for a 2xx answer. `request` describes it in
    /// messages.
    fn send(
        &mut self,
        request: &str,
        method: Method,
        url: &url::Url,
        body: Option<(&str, Vec<u8>)>,
        accept: Option<&str>,
        on_event: &mut dyn FnMut(PushEvent),
    ) -> Result<Response<Body>, PushError> {
        let attempts = self.retries + 1;
        let mut attempt = 1;
        let mut challenges = 0;
        loop {
            // A server that wants credentials may answer 401 and close the
            // connection before reading a body, which the client sees as a
            // broken pipe: settle authentication with bodyless requests first.
            if body.is_some() && !self.checked {
                self.check_credentials(request, url)?;
                self.checked = true;
            }
            let sent = self.build(&method, url, body.as_ref(), accept)?;
            let reason = match self.attempt(request, sent, attempt, attempts)? {
                Attempt::Done(response) => return Ok(response),
                Attempt::Challenged(response) => {
                    challenges += 1;
                    self.answer_challenge(request, &response, challenges)?;
                    continue;
                }
                Attempt::Retry(reason) => reason,
            };
            if body.is_some() && self.scheme != AuthScheme::Basic {
                // The nonce may have gone stale: check again before resending.
                self.checked = false;
            }
            let delay = self.backoff * 2u32.saturating_pow(attempt - 1);
            on_event(PushEvent::Retry {
                request: request.to_owned(),
                reason,
                attempt: attempt + 1,
                attempts,
                delay,
            });
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    /// Sends once and sorts the outcome: done, challenged, to retry, or an
    /// error (4xx, or the last attempt failed).
    fn attempt(
        &self,
        request: &str,
        sent: Request<Body>,
        attempt: u32,
        attempts: u32,
    ) -> Result<Attempt, PushError> {
        let last = attempt >= attempts;
        match self.client.request(sent) {
            Ok(response) if response.status().is_success() => Ok(Attempt::Done(response)),
            Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                Ok(Attempt::Challenged(response))
            }
            // 501 and 505 will not change: no retry.
            Ok(response)
                if response.status().is_server_error()
                    && !matches!(response.status().as_u16(), 501 | 505) =>
            {
                let status = response.status().as_u16();
                if last {
                    return Err(PushError::Server {
                        request: request.to_owned(),
                        status,
                        attempts,
                        body: body_text(response),
                    });
                }
                Ok(Attempt::Retry(format!("the server answered {status}")))
            }
            Ok(response) => {
                let status = response.status().as_u16();
                Err(PushError::Refused {
                    request: request.to_owned(),
                    status,
                    body: body_text(response),
                })
            }
            Err(error) if is_connection_error(&error) && !last => {
                Ok(Attempt::Retry(error.to_string()))
            }
            Err(error) => Err(PushError::Unreachable {
                request: request.to_owned(),
                attempts: attempt,
                source: error,
            }),
        }
    }

    /// HEAD requests until the server takes the credentials (or says it
    /// needs none): a wrong password fails here, before any upload.
    fn check_credentials(&mut self, request: &str, url: &url::Url) -> Result<(), PushError> {
        if self.credentials.is_none() {
            return Ok(());
        }
        for challenges in 1..=3 {
            let head = self.build(&Method::HEAD, url, None, None)?;
            match self.client.request(head) {
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                    self.answer_challenge(request, &response, challenges)?;
                }
                // Any other answer (even 405 or 501 to HEAD) got past
                // authentication; a failure to connect shows on the upload.
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    fn build(
        &mut self,
        method: &Method,
        url: &url::Url,
        body: Option<&(&str, Vec<u8>)>,
        accept: Option<&str>,
    ) -> Result<Request<Body>, PushError> {
        let mut builder = Request::builder().method(method.clone()).uri(url.as_str());
        if let Some(accept) = accept {
            builder = builder.header(header::ACCEPT, accept);
        }
        if let Some(authorization) = self.authorization(method, url) {
            let mut value =
                HeaderValue::from_str(&authorization).map_err(|_| PushError::Endpoint {
                    url: url.to_string(),
                    message: "the user name or password cannot go in an HTTP header".into(),
                })?;
            value.set_sensitive(true);
            builder = builder.header(header::AUTHORIZATION, value);
        }
        let body = match body {
            Some((content_type, bytes)) => {
                builder = builder.header(header::CONTENT_TYPE, *content_type);
                Body::from(bytes.clone())
            }
            None => Body::empty(),
        };
        builder.body(body).map_err(|e| PushError::Endpoint {
            url: url.to_string(),
            message: e.to_string(),
        })
    }

    /// The `Authorization` header for the next request, if any.
    fn authorization(&mut self, method: &Method, url: &url::Url) -> Option<String> {
        let credentials = self.credentials.as_ref()?;
        if let Some((challenge, count)) = &mut self.digest {
            *count += 1;
            self.counter += 1;
            let target = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            };
            let cnonce = cnonce(self.counter);
            return Some(digest_authorization(
                credentials,
                challenge,
                method.as_str(),
                &target,
                *count,
                &cnonce,
            ));
        }
        self.basic.then(|| {
            format!(
                "Basic {}",
                base64(format!("{}:{}", credentials.user, credentials.password).as_bytes())
            )
        })
    }

    /// Takes a 401's challenge for the next request, or fails when the
    /// credentials were already refused.
    fn answer_challenge(
        &mut self,
        request: &str,
        response: &Response<Body>,
        challenges: u32,
    ) -> Result<(), PushError> {
        let Some(credentials) = &self.credentials else {
            return Err(PushError::NoCredentials {
                request: request.to_owned(),
            });
        };
        let headers: Vec<String> = response
            .headers()
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let digest = headers.iter().find_map(|h| Challenge::parse(h));
        let offers_basic = headers
            .iter()
            .any(|h| h.trim_start().to_ascii_lowercase().starts_with("basic"));
        let refused = |scheme| PushError::Unauthorized {
            request: request.to_owned(),
            user: credentials.user.clone(),
            scheme,
        };
        if self.scheme == AuthScheme::Basic {
            // Basic credentials went with the request: they were refused.
            return Err(refused("Basic"));
        }
        match digest {
            Some(challenge) => {
                if !challenge.algorithm_supported() {
                    return Err(PushError::UnsupportedAuth {
                        request: request.to_owned(),
                        challenge: format!("Digest algorithm={}", challenge.algorithm),
                    });
                }
                // A second challenge is a refusal, unless the nonce was stale.
                if challenges > 2 || (self.digest.is_some() && !challenge.stale) {
                    return Err(refused("Digest"));
                }
                self.digest = Some((challenge, 0));
                Ok(())
            }
            None if offers_basic && self.scheme == AuthScheme::Auto => {
                if self.basic || challenges > 1 {
                    return Err(refused("Basic"));
                }
                self.basic = true;
                Ok(())
            }
            None if self.digest.is_some() || self.basic => {
                Err(refused(if self.basic { "Basic" } else { "Digest" }))
            }
            None => Err(PushError::UnsupportedAuth {
                request: request.to_owned(),
                challenge: if headers.is_empty() {
                    "no WWW-Authenticate header".into()
                } else {
                    headers.join(" / ")
                },
            }),
        }
    }
}

fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().to_vec().unwrap_or_default();
    String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned()
}

fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        ConnectionRefused
            | ConnectionReset
            | ConnectionAborted
            | NotConnected
            | BrokenPipe
            | TimedOut
            | WouldBlock
            | UnexpectedEof
            | Interrupted
    ) || error.raw_os_error().is_some()
}

/// A `WWW-Authenticate: Digest …` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    /// `auth` when the server offers it, else none (RFC 2069).
    qop: Option<String>,
    algorithm: String,
    stale: bool,
}

impl Challenge {
    /// Parses the Digest challenge of a header, if it has one.
    fn parse(header: &str) -> Option<Challenge> {
        let lower = header.to_ascii_lowercase();
        let start = lower.find("digest ")?;
        let params = auth_params(&header[start + "digest ".len()..]);
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let qop = get("qop").and_then(|q| {
            q.split(',')
                .map(str::trim)
                .find(|o| o.eq_ignore_ascii_case("auth"))
                .map(str::to_owned)
        });
        Some(Challenge {
            realm: get("realm").unwrap_or_default(),
            nonce: get("nonce")?,
            opaque: get("opaque"),
            qop,
            algorithm: get("algorithm").unwrap_or_else(|| "MD5".into()),
            stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }

    fn algorithm_supported(&self) -> bool {
        self.algorithm.eq_ignore_ascii_case("MD5")
            || self.algorithm.eq_ignore_ascii_case("MD5-sess")
    }
}

/// `name=value` and `name="quoted value"` pairs, comma-separated.
fn auth_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if name.trim().is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        params.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    params
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A client nonce: unpredictable enough for `qop=auth` (it is not a secret).
fn cnonce(counter: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{now}:{}:{counter}:{:?}",
        std::process::id(),
        Instant::now()
    );
    md5_hex(&seed)[..16].to_owned()
}

/// The `Authorization: Digest …` value (RFC 7616 §3.4).
fn digest_authorization(
    credentials: &Credentials,
    challenge: &Challenge,
    method: &str,
    uri: &str,
    nonce_count: u32,
    cnonce: &str,
) -> String {
    let mut ha1 = md5_hex(&format!(
        "{}:{}:{}",
        credentials.user, challenge.realm, credentials.password
    ));
    if challenge.algorithm.eq_ignore_ascii_case("MD5-sess") {
        ha1 = md5_hex(&format!("{ha1}:{}:{cnonce}", challenge.nonce));
    }
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    let nc = format!("{nonce_count:08x}");
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut value = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}",
        quote(&credentials.user),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        challenge.algorithm
    );
    match &challenge.qop {
        Some(qop) => {
            let response = md5_hex(&format!(
                "{ha1}:{}:{nc}:{cnonce}:{qop}:{ha2}",
                challenge.nonce
            ));
            value.push_str(&format!(
                ", qop={qop}, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\""
            ));
        }
        None => {
            let response = md5_hex(&format!("{ha1}:{}:{ha2}", challenge.nonce));
            value.push_str(&format!(", response=\"{response}\""));
        }
    }
    if let Some(opaque) = &challenge.opaque {
        value.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    value
}

/// Standard base64 with padding (RFC 4648 §4), for Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    /// The example of RFC 2617 §3.5 (MD5, qop=auth).
    #[test]
    fn digest_matches_the_rfc_example() {
        let challenge = Challenge::parse(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .expect("a digest challenge");
        assert_eq!(challenge.qop.as_deref(), Some("auth"));
        let credentials = Credentials {
            user: "Mufasa".into(),
            password: "Circle Of Life".into(),
        };
        let value = digest_authorization(
            &credentials,
            &challenge,
            "GET",
            "/dir/index.html",
            1,
            "0a4f113b",
        );
        assert!(
            value.contains("response=\"6629fae49393a05397450978507c4ef1\""),
            "{value}"
        );
        assert!(value.contains("nc=00000001"));
        assert!(value.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
    }

    #[test]
    fn challenges_parse_with_other_schemes_and_stale() {
        let c = Challenge::parse(
            r#"Basic realm="x", Digest realm="SPARQL", domain="/a", nonce="n1", stale="TRUE", qop="auth", algorithm="MD5""#,
        )
        .expect("digest found");
        assert_eq!(c.realm, "SPARQL");
        assert_eq!(c.nonce, "n1");
        assert!(c.stale);
        assert!(Challenge::parse(r#"Basic realm="x""#).is_none());
    }

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
