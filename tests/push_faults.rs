//! `polegraph push` against a scripted server on loopback
//! (`support::http`): retries after a 5xx, none after a 4xx, Basic
//! credentials, a stale Digest nonce, and a failure half-way through the
//! chunks of a graph. No outside tool is needed.

mod support;

use md5::{Digest, Md5};
use std::process::{Command, Output, Stdio};
use support::http::{Answer, Received, ScriptedServer};
use support::{assert_exit, root, stderr};

/// A small dataset: seven graphs, the largest of 375 triples.
const DATA: &str = "tests/fixtures/csv-only";

/// `polegraph push --data DATA --endpoint URL ARGS`, no credentials from
/// the environment unless `args` give them, one request at a time (`--jobs
/// 1`) so that the server's script sees the requests in order.
fn push(server: &ScriptedServer, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(["push", "--data", DATA, "--endpoint", &server.url("/store")])
        .args(["--jobs", "1"])
        .args(args)
        .current_dir(root())
        .env_remove("POLEGRAPH_PUSH_USER")
        .env_remove("POLEGRAPH_PUSH_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("polegraph push runs")
}

/// The requests that carried triples.
fn uploads(server: &ScriptedServer) -> Vec<Received> {
    server
        .received()
        .into_iter()
        .filter(|r| r.method == "PUT" || r.method == "POST")
        .collect()
}

/// The number of named graphs polegraph pushes from DATA.
fn graph_count() -> usize {
    let server = ScriptedServer::start(|_, _| Answer::status(204));
    assert_exit(&push(&server, &[]), 0);
    let graphs = uploads(&server).len();
    assert!(graphs > 1, "{graphs} graphs");
    graphs
}

#[test]
fn a_5xx_answer_is_retried_and_the_push_completes() {
    let graphs = graph_count();
    // The first upload fails twice with 503, then everything is taken.
    let flaky = ScriptedServer::start(|_, n| Answer::status(if n < 2 { 503 } else { 204 }));
    assert_exit(&push(&flaky, &["--retries", "2"]), 0);
    let sent = uploads(&flaky);
    assert_eq!(
        sent.len(),
        graphs + 2,
        "two retries, then one request a graph"
    );
    assert!(
        sent[0].target == sent[2].target && sent[0].body == sent[2].body,
        "the retry sends the same request"
    );
    // Every attempt fails: as many requests as attempts, then a failure.
    let down = ScriptedServer::start(|_, _| Answer::status(503));
    let out = push(&down, &["--retries", "1"]);
    assert_exit(&out, 1);
    assert_eq!(uploads(&down).len(), 2, "one request and one retry");
    let message = stderr(&out);
    assert!(message.contains("attempt 2 of 2"), "{message}");
    assert!(
        message.contains("failed with 503 (2 attempts)"),
        "{message}"
    );
}

#[test]
fn a_4xx_answer_is_not_retried() {
    let server = ScriptedServer::start(|_, _| Answer::status(400));
    let out = push(&server, &["--retries", "3"]);
    assert_exit(&out, 1);
    assert_eq!(uploads(&server).len(), 1, "a 4xx was sent again");
    let message = stderr(&out);
    assert!(message.contains("refused it with 400"), "{message}");
    assert!(!message.contains("attempt"), "{message}");
}

/// `user:secret` in Base64.
const BASIC: &str = "Basic dXNlcjpzZWNyZXQ=";

/// A server that wants Basic credentials `user:secret`.
fn basic_server() -> ScriptedServer {
    ScriptedServer::start(|request, _| {
        if request.header("authorization") == Some(BASIC) {
            Answer::status(204)
        } else {
            Answer::status(401).with_header("WWW-Authenticate", "Basic realm=\"store\"")
        }
    })
}

#[test]
fn basic_credentials_go_with_every_upload() {
    for scheme in ["basic", "auto"] {
        let server = basic_server();
        let credentials = ["--user", "user", "--password", "secret", "--auth", scheme];
        assert_exit(&push(&server, &credentials), 0);
        let sent = uploads(&server);
        assert!(!sent.is_empty());
        assert!(
            sent.iter()
                .all(|r| r.header("authorization") == Some(BASIC)),
            "--auth {scheme}: an upload without the credentials"
        );
    }
    // A wrong password fails before any triple is sent.
    let server = basic_server();
    let out = push(&server, &["--user", "user", "--password", "wrong"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("authentication failed"),
        "{}",
        stderr(&out)
    );
    assert!(
        uploads(&server).is_empty(),
        "triples sent with a wrong password"
    );
}

/// The parameters of a `Digest …` header.
fn digest_params(header: &str) -> Vec<(String, String)> {
    let rest = header.strip_prefix("Digest ").unwrap_or_default();
    rest.split(", ")
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
        .collect()
}

/// Whether `request` carries a correct Digest answer (RFC 7616, MD5,
/// qop=auth) for `user:secret` and `nonce`.
fn digest_answers(request: &Received, nonce: &str) -> bool {
    let Some(header) = request.header("authorization") else {
        return false;
    };
    let params = digest_params(header);
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let hex = |text: String| -> String {
        Md5::digest(text.as_bytes())
            .iter()
            .fold(String::new(), |hex, b| hex + &format!("{b:02x}"))
    };
    let user = hex(format!("user:{}:secret", get("realm")));
    let target = hex(format!("{}:{}", request.method, get("uri")));
    let expected = hex(format!(
        "{user}:{nonce}:{}:{}:auth:{target}",
        get("nc"),
        get("cnonce")
    ));
    get("nonce") == nonce && get("uri") == request.target && get("response") == expected
}

/// A Digest server whose nonce goes stale after two answered requests:
/// the client must take the new nonce and send the request again.
#[test]
fn a_stale_digest_nonce_is_renewed() {
    let mut nonce = String::from("nonce-0");
    let mut answered = 0;
    let stale_sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stale_count = std::sync::Arc::clone(&stale_sent);
    let server = ScriptedServer::start(move |request, _| {
        if digest_answers(request, &nonce) {
            answered += 1;
            if answered % 2 == 0 {
                nonce = format!("nonce-{answered}");
            }
            return Answer::status(204);
        }
        // An answer computed for another nonce: that nonce is stale.
        let old = digest_params(request.header("authorization").unwrap_or_default());
        let stale = old.iter().any(|(k, v)| k == "nonce" && *v != nonce);
        if stale {
            stale_count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        Answer::status(401).with_header(
            "WWW-Authenticate",
            &format!(
                "Digest realm=\"store\", nonce=\"{nonce}\", qop=\"auth\", algorithm=MD5{}",
                if stale { ", stale=true" } else { "" }
            ),
        )
    });
    // The server answers 204 only to a correct answer for the current
    // nonce: a push that succeeds took every new nonce.
    let out = push(&server, &["--user", "user", "--password", "secret"]);
    assert_exit(&out, 0);
    let stale = stale_sent.load(std::sync::atomic::Ordering::SeqCst);
    assert!(stale > 1, "the nonce went stale {stale} times");
    assert!(uploads(&server).len() > 1);
}

/// Chunks of 50 triples: the largest graphs take several requests, and
/// the second request that adds to a graph (its third chunk) fails. The
/// push stops there, says which request failed, and sends nothing more.
#[test]
fn a_failure_half_way_through_the_chunks_stops_the_push() {
    // A graph of several chunks goes into a staging graph (`--update`), to
    // be swapped in whole once every graph is up: the second chunk sent
    // after a PUT fails, so nothing may be swapped in.
    let mut posts = 0;
    let server = ScriptedServer::start(move |request, _| {
        let upload = request.method == "POST" && request.target.starts_with("/store");
        posts += usize::from(upload);
        Answer::status(if upload && posts == 2 { 400 } else { 204 })
    });
    let update = server.url("/update");
    let out = push(
        &server,
        &["--chunk-size", "50", "--retries", "0", "--update", &update],
    );
    assert_exit(&out, 1);
    let received = server.received();
    let sent: Vec<&Received> = received
        .iter()
        .filter(|r| r.target.starts_with("/store"))
        .collect();
    let last_two = &sent[sent.len() - 2..];
    let targets: Vec<&str> = sent.iter().map(|r| r.target.as_str()).collect();
    assert!(
        last_two
            .iter()
            .all(|r| r.method == "POST" && r.target == last_two[0].target),
        "the failing request is the last upload, the second chunk of its graph: {targets:?}"
    );
    assert!(
        last_two[0].target.contains("staging"),
        "a graph of several chunks goes into a staging graph: {targets:?}"
    );
    let swapped = received
        .iter()
        .any(|r| String::from_utf8_lossy(&r.body).contains("MOVE"));
    assert!(!swapped, "a graph was swapped in after the failure");
    let message = stderr(&out);
    assert!(message.contains("refused it with 400"), "{message}");
}
