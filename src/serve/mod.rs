//! `polegraph serve`: a read-only SPARQL endpoint over the built graph.
//!
//! - `/query` and `/sparql`: the SPARQL 1.1 Protocol (GET, POST urlencoded,
//!   POST `application/sparql-query`), with content negotiation and a
//!   service description on a GET without query;
//! - `/store`: the SPARQL 1.1 Graph Store Protocol, GET only;
//! - `/diagram`: a Graphviz diagram as SVG (or DOT), with the options of
//!   `polegraph dot` (`drawing.rs`); the pages show the same pictures
//!   (`figure.rs`);
//! - record paths (`/organization/dge`): the record's concise bounded
//!   description as RDF, or a page;
//! - `/`: a query page, with the GTI diagram.
//!
//! The HTTP stack is hyper on tokio (`server.rs`): a connection costs a
//! task, not a thread, request heads have a deadline and a full server
//! answers 503 at once. Requests are answered by [`Endpoint::handle`] on
//! blocking threads, with oxhttp's model types (the `http` crate's). Safe
//! by default: it binds to loopback, refuses updates (403), stops queries
//! past a time limit (503), bounds request bodies (413) and result sizes,
//! and sends no CORS header unless asked. The library never prints: each
//! request gives a [`RequestLog`] to the caller's logger.

mod describe;
mod drawing;
mod endpoint;
mod figure;
mod limits;
mod log;
mod negotiation;
mod pages;
mod pictures;
mod protocol;
mod response;
mod routing;
mod server;
mod sparql;

pub use endpoint::{Endpoint, ServeOptions};
pub use log::RequestLog;
pub use negotiation::Representation;
pub use pages::{Example, EXAMPLES};
pub use sparql::{evaluate, EvaluateError, Limits, Outcome, QueryRequest};

use crate::store::KnowledgeGraph;
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use response::{not_allowed, response, Failure, ALLOWED};
use routing::Route;
use std::net::SocketAddr;
use std::thread::JoinHandle;

/// Starting the endpoint failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    #[error("cannot listen on {address} (is another server using it?)")]
    Bind {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the server's threads")]
    Runtime(#[source] std::io::Error),
    #[error("the server stopped")]
    Stopped(#[source] std::io::Error),
}

/// A running endpoint.
pub struct Running {
    /// The address it listens on (with the port picked when 0 was asked).
    pub address: SocketAddr,
    /// The most connections it holds: the asked limit, lowered to what the
    /// process's open-file limit allows.
    pub max_connections: usize,
    server: JoinHandle<()>,
}

impl Running {
    /// Waits until the server stops (it does not, short of a crash).
    pub fn join(self) -> Result<(), ServeError> {
        self.server
            .join()
            .map_err(|_| ServeError::Stopped(std::io::Error::other("the server thread panicked")))
    }
}

/// Starts serving `graph`; each request's [`RequestLog`] goes to `logger`.
pub fn start(
    graph: KnowledgeGraph,
    mut options: ServeOptions,
    logger: impl Fn(&RequestLog) + Send + Sync + 'static,
) -> Result<Running, ServeError> {
    let requested = options.bind;
    let bind_error = |source| ServeError::Bind {
        address: requested,
        source,
    };
    let runtime = server::runtime().map_err(ServeError::Runtime)?;
    let listener = server::listen(&runtime, requested).map_err(bind_error)?;
    let address = listener.local_addr().map_err(bind_error)?;
    options.max_connections = limits::connections_allowed(options.max_connections);
    let max_connections = options.max_connections;
    let endpoint = Endpoint::new(graph, options);
    let server = std::thread::Builder::new()
        .name("polegraph-serve".into())
        .spawn(move || server::run(runtime, listener, endpoint, Box::new(logger)))
        .map_err(ServeError::Runtime)?;
    Ok(Running {
        address,
        max_connections,
        server,
    })
}

impl Endpoint {
    /// Answers one request.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let head = request.method() == Method::HEAD;
        let response = self
            .dispatch(request)
            .unwrap_or_else(Failure::into_response);
        self.finish(response, head)
    }

    /// The headers every answer carries; no body for HEAD.
    fn finish(&self, mut response: Response<Body>, head: bool) -> Response<Body> {
        let headers = response.headers_mut();
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if self.options.cors {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        if head {
            *response.body_mut() = Body::empty();
        }
        response
    }

    fn dispatch(&self, request: &mut Request<Body>) -> Result<Response<Body>, Failure> {
        if request.method() == Method::OPTIONS {
            return Ok(self.options_response());
        }
        let path = request.uri().path().to_owned();
        let method = request.method().clone();
        match routing::route(&path) {
            Route::Query => match method {
                Method::GET | Method::HEAD | Method::POST => protocol::query(self, request),
                _ => Err(not_allowed(&method)),
            },
            Route::Store => match method {
                Method::GET | Method::HEAD => protocol::graph_store(self, request),
                Method::PUT | Method::POST | Method::DELETE | Method::PATCH => Err(Failure::new(
                    StatusCode::FORBIDDEN,
                    "this endpoint is read-only: the Graph Store accepts GET only (load data with `polegraph push` into a store that takes writes)",
                )),
                _ => Err(not_allowed(&method)),
            },
            Route::Diagram => match method {
                Method::GET | Method::HEAD => drawing::diagram(self, request),
                _ => Err(not_allowed(&method)),
            },
            Route::Home => match method {
                Method::GET | Method::HEAD | Method::POST => protocol::home(self, request),
                _ => Err(not_allowed(&method)),
            },
            Route::Resource(path) => match method {
                Method::GET | Method::HEAD => protocol::resource(self, request, &path),
                _ => Err(not_allowed(&method)),
            },
        }
    }

    fn options_response(&self) -> Response<Body> {
        let mut response = response(StatusCode::NO_CONTENT, "text/plain", Vec::new());
        let headers = response.headers_mut();
        headers.insert(header::ALLOW, HeaderValue::from_static(ALLOWED));
        if self.options.cors {
            // GET and POST are CORS-safelisted methods, so no
            // Access-Control-Allow-Methods is needed (oxhttp would drop it);
            // a direct POST's Content-Type needs Allow-Headers.
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("Accept, Content-Type"),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        response
    }
}
