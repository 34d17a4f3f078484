//! A triple store in a test: the Graph Store Protocol (PUT and POST of
//! N-Triples to `?graph=IRI`), N-Quads POSTed to the dataset (as Fuseki
//! takes them), the SPARQL Update operations a push uses (`MOVE`, `ADD`,
//! `DROP SILENT GRAPH`) and the queries it asks (`ASK FROM <g>`, `SELECT
//! (COUNT(*) AS ?n) FROM <g>`), on loopback, each request applied whole
//! under one lock, with failures and slow uploads on demand.

use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Graph IRI → its triples, as N-Triples lines.
pub type Graphs = BTreeMap<String, BTreeSet<String>>;

#[derive(Default)]
pub struct State {
    pub graphs: Mutex<Graphs>,
    /// Uploads (PUT and POST of triples) received.
    pub uploads: AtomicUsize,
    /// The upload with this number (from 1) and every one after fails with 500.
    pub fail_upload: Option<usize>,
    /// An update containing this text fails with 500.
    pub fail_update: Option<String>,
    /// An update containing this text waits this long before it is applied.
    pub slow_update: Option<(String, std::time::Duration)>,
    /// Each upload waits this long before it is applied.
    pub upload_delay: Option<std::time::Duration>,
    /// The graph (or `dataset`) of each upload, in the order received.
    pub targets: Mutex<Vec<String>>,
}

pub struct FakeStore {
    pub state: Arc<State>,
    pub port: u16,
    _server: oxhttp::ListeningServer,
}

impl FakeStore {
    pub fn start(state: State, graphs: Graphs) -> FakeStore {
        *state.graphs.lock().expect("the graphs") = graphs;
        let state = Arc::new(state);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let shared = Arc::clone(&state);
        let server = oxhttp::Server::new(move |request| handle(&shared, request))
            .bind(([127, 0, 0, 1], port))
            .spawn()
            .expect("the fake store listens");
        FakeStore {
            state,
            port,
            _server: server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Uploads received so far.
    pub fn uploads(&self) -> usize {
        self.state.uploads.load(Ordering::SeqCst)
    }

    pub fn graphs(&self) -> Graphs {
        self.state.graphs.lock().expect("the graphs").clone()
    }
}

fn answer(status: StatusCode, text: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .body(Body::from(text.to_owned()))
        .expect("a response")
}

fn handle(state: &State, request: &mut Request<Body>) -> Response<Body> {
    let body = std::mem::take(request.body_mut())
        .to_vec()
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&body).into_owned();
    let query: BTreeMap<String, String> = request
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    if let (&Method::GET, Some(sparql)) = (request.method(), query.get("query")) {
        return ask(state, sparql);
    }
    match (request.method().clone(), query.get("graph")) {
        (Method::HEAD, _) => answer(StatusCode::OK, ""),
        (method @ (Method::PUT | Method::POST), Some(graph)) => {
            let n = uploaded(state, graph);
            if state.fail_upload.is_some_and(|at| n >= at) {
                return answer(StatusCode::INTERNAL_SERVER_ERROR, "injected failure");
            }
            let lines = body.lines().filter(|l| !l.trim().is_empty());
            let mut graphs = state.graphs.lock().expect("the graphs");
            let triples = graphs.entry(graph.clone()).or_default();
            if method == Method::PUT {
                triples.clear();
            }
            triples.extend(lines.map(|l| l.trim().to_owned()));
            answer(StatusCode::CREATED, "")
        }
        (Method::POST, None) if is_quads(request) => {
            let n = uploaded(state, "dataset");
            if state.fail_upload.is_some_and(|at| n >= at) {
                return answer(StatusCode::INTERNAL_SERVER_ERROR, "injected failure");
            }
            let mut graphs = state.graphs.lock().expect("the graphs");
            for line in body.lines().filter(|l| !l.trim().is_empty()) {
                let Some((triple, graph)) = line
                    .trim()
                    .strip_suffix(" .")
                    .and_then(|l| l.rsplit_once(' '))
                else {
                    return answer(StatusCode::BAD_REQUEST, "not N-Quads");
                };
                graphs
                    .entry(graph.trim_matches(['<', '>']).to_owned())
                    .or_default()
                    .insert(format!("{triple} ."));
            }
            answer(StatusCode::OK, "")
        }
        (Method::POST, None) => {
            let form: BTreeMap<String, String> = form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            let Some(update) = form.get("update") else {
                return answer(StatusCode::BAD_REQUEST, "no update");
            };
            if state
                .fail_update
                .as_ref()
                .is_some_and(|f| update.contains(f.as_str()))
            {
                return answer(StatusCode::INTERNAL_SERVER_ERROR, "injected failure");
            }
            if let Some((_, delay)) = state
                .slow_update
                .as_ref()
                .filter(|(text, _)| update.contains(text.as_str()))
            {
                std::thread::sleep(*delay);
            }
            let mut graphs = state.graphs.lock().expect("the graphs");
            let mut changed = graphs.clone();
            for operation in update.split(" ;") {
                if let Err(e) = apply(&mut changed, operation.trim()) {
                    return answer(StatusCode::BAD_REQUEST, &e);
                }
            }
            *graphs = changed;
            answer(StatusCode::OK, "")
        }
        _ => answer(StatusCode::BAD_REQUEST, "not a request of a push"),
    }
}

/// Counts an upload, after the delay; its number (from 1).
fn uploaded(state: &State, target: &str) -> usize {
    if let Some(delay) = state.upload_delay {
        std::thread::sleep(delay);
    }
    state
        .targets
        .lock()
        .expect("the targets")
        .push(target.to_owned());
    state.uploads.fetch_add(1, Ordering::SeqCst) + 1
}

/// `ASK FROM <g> …` or `SELECT (COUNT(*) AS ?n) FROM <g> …`, in SPARQL
/// results JSON.
fn ask(state: &State, sparql: &str) -> Response<Body> {
    let Some(graph) = sparql.split(['<', '>']).nth(1) else {
        return answer(StatusCode::BAD_REQUEST, "no graph");
    };
    let graphs = state.graphs.lock().expect("the graphs");
    let n = graphs.get(graph).map_or(0, BTreeSet::len);
    let json = if sparql.starts_with("ASK") {
        format!(r#"{{"head":{{}},"boolean":{}}}"#, n > 0)
    } else {
        format!(
            r#"{{"head":{{"vars":["n"]}},"results":{{"bindings":[{{"n":{{"type":"literal","value":"{n}"}}}}]}}}}"#
        )
    };
    Response::builder()
        .header("content-type", "application/sparql-results+json")
        .body(Body::from(json))
        .expect("a response")
}

fn is_quads(request: &Request<Body>) -> bool {
    request
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/n-quads"))
}

/// `MOVE <s> TO <g>`, `ADD <s> TO <g>`, `DROP SILENT GRAPH <s>`.
fn apply(graphs: &mut Graphs, operation: &str) -> Result<(), String> {
    let iris: Vec<&str> = operation.split(['<', '>']).skip(1).step_by(2).collect();
    match (operation.split_whitespace().next(), iris.as_slice()) {
        (Some("MOVE"), [from, to]) => {
            let moved = graphs.remove(*from).unwrap_or_default();
            graphs.insert((*to).to_owned(), moved);
        }
        (Some("ADD"), [from, to]) => {
            let added = graphs.get(*from).cloned().unwrap_or_default();
            graphs.entry((*to).to_owned()).or_default().extend(added);
        }
        (Some("DROP"), [graph]) => {
            graphs.remove(*graph);
        }
        _ => return Err(format!("unknown update `{operation}`")),
    }
    Ok(())
}
