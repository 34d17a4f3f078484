//! `polegraph push` into a real Virtuoso (Debian `virtuoso-opensource`),
//! started by the test on loopback with its database in a temporary
//! folder. Skipped with a message when Virtuoso is missing, unless
//! POLEGRAPH_REQUIRE_TOOLS=1.

mod support;
// Streaming push, staging graphs and the swap, against a fake store.
#[path = "push/fake_store.rs"]
mod fake_store;
#[path = "push/staging.rs"]
mod staging;
// Graphs the store does not hold: loaded straight, dropped if the push stops.
#[path = "push/created.rs"]
mod created;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{assert_exit, root, stderr, stdout, tool_available};

const VIRTUOSO: &str = "/usr/bin/virtuoso-t";
const INI: &str = "/etc/virtuoso-opensource-7/virtuoso.ini";

/// A private Virtuoso: its own database, loopback ports picked free,
/// stopped (SIGTERM to its own pid) on drop.
struct Virtuoso {
    dir: tempfile::TempDir,
    /// The process the test spawned (it may be the server, or its parent).
    launcher: std::process::Child,
    pid: Option<u32>,
    http_port: u16,
    sql_port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Virtuoso {
    fn start() -> Virtuoso {
        let dir = tempfile::tempdir().expect("a temp folder");
        let db = dir.path().join("db");
        std::fs::create_dir_all(&db).expect("the database folder");
        let (sql_port, http_port) = (free_port(), free_port());
        let ini = std::fs::read_to_string(INI).expect("the packaged virtuoso.ini");
        let mut section = String::new();
        let mut config = String::new();
        for line in ini.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                section = trimmed.to_owned();
            }
            let line = line.replace(
                "/var/lib/virtuoso-opensource-7/db/",
                &format!("{}/", db.display()),
            );
            let line = if trimmed.starts_with("ServerPort") && section == "[Parameters]" {
                format!("ServerPort = 127.0.0.1:{sql_port}")
            } else if trimmed.starts_with("ServerPort") && section == "[HTTPServer]" {
                format!("ServerPort = 127.0.0.1:{http_port}")
            } else {
                line
            };
            config.push_str(&line);
            config.push('\n');
        }
        let ini_path = dir.path().join("virtuoso.ini");
        std::fs::write(&ini_path, config).expect("virtuoso.ini written");
        let log_path = dir.path().join("server.log");
        let log = std::fs::File::create(&log_path).expect("the log file");
        // virtuoso-t forks once even with +foreground: its pid comes from
        // the "Server online at … (pid N)" line.
        let mut launcher = Command::new(VIRTUOSO)
            .args(["+foreground", "+configfile"])
            .arg(&ini_path)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log file"))
            .stderr(log)
            .spawn()
            .expect("virtuoso-t starts");
        let started = Instant::now();
        let pid = loop {
            let text = std::fs::read_to_string(&log_path).unwrap_or_default();
            if let Some(pid) = text
                .lines()
                .filter(|l| l.contains("Server online at"))
                .find_map(|l| {
                    l.rsplit_once("(pid ")
                        .and_then(|(_, p)| p.trim_end_matches(')').parse().ok())
                })
            {
                break pid;
            }
            if started.elapsed() > Duration::from_secs(120) {
                let _ = launcher.kill();
                panic!("Virtuoso did not come up:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        Virtuoso {
            dir,
            launcher,
            pid: Some(pid),
            http_port,
            sql_port,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http_port)
    }

    /// Runs SQL (or `SPARQL …`) as dba through isql.
    fn isql(&self, statement: &str) {
        let out = Command::new("isql-vt")
            .arg(format!("127.0.0.1:{}", self.sql_port))
            .args(["dba", "dba"])
            .arg(format!("exec={statement}"))
            .current_dir(self.dir.path())
            .output()
            .expect("isql-vt runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !text.contains("*** Error"),
            "isql: {text}"
        );
    }

    fn stop(&mut self) {
        let Some(pid) = self.pid.take() else { return };
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            // Reap the launcher (the server itself, or the parent of its fork).
            let _ = self.launcher.try_wait();
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
            if stat.is_empty() || state == Some(Some('Z')) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.launcher.try_wait();
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A SPARQL SELECT on Virtuoso's anonymous endpoint, as TSV lines, with
/// the test's own HTTP client (no outside tool).
fn sparql_tsv(virtuoso: &Virtuoso, query: &str) -> Vec<String> {
    use std::io::{Read, Write};
    let encoded: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", virtuoso.http_port)).expect("Virtuoso listens");
    write!(
        stream,
        "GET /sparql?query={encoded} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/tab-separated-values\r\nConnection: close\r\n\r\n"
    )
    .expect("request sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("an answer");
    let text = String::from_utf8(raw).expect("UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}\n{body}");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    body.lines().skip(1).map(str::to_owned).collect()
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || size > rest.len() {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The store's triple count of each of polegraph's graphs.
fn remote_counts(virtuoso: &Virtuoso, graphs: &BTreeMap<String, usize>) -> BTreeMap<String, usize> {
    graphs
        .keys()
        .map(|g| {
            // FROM, not GRAPH: Virtuoso is stricter with GRAPH.
            let rows = sparql_tsv(
                virtuoso,
                &format!("SELECT (COUNT(*) AS ?n) FROM <{g}> WHERE {{ ?s ?p ?o }}"),
            );
            let n = rows
                .first()
                .and_then(|r| r.trim().parse().ok())
                .unwrap_or(0);
            (g.clone(), n)
        })
        .collect()
}

/// polegraph's own count of each named graph.
fn local_counts() -> BTreeMap<String, usize> {
    let out = support::polegraph(&[
        "query",
        "--format",
        "tsv",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ]);
    assert_exit(&out, 0);
    stdout(&out)
        .lines()
        .skip(1)
        .map(|l| {
            let (g, n) = l.split_once('\t').expect("two columns");
            let n = n.split("^^").next().unwrap_or(n).trim_matches('"');
            (
                g.trim_matches(['<', '>']).to_owned(),
                n.parse().expect("a count"),
            )
        })
        .collect()
}

fn push(args: &[&str], password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .arg("push")
        .args(args)
        .current_dir(root())
        .env("POLEGRAPH_PUSH_USER", "dba")
        .env("POLEGRAPH_PUSH_PASSWORD", password)
        .stdin(Stdio::null())
        .output()
        .expect("polegraph push runs")
}

/// Whether Virtuoso is installed (else the test says it skips).
fn virtuoso_available() -> bool {
    // virtuoso-t has no option that exits 0: look for the program itself.
    tool_available(
        "Virtuoso (virtuoso-t, Debian package virtuoso-opensource)",
        Command::new("test").args(["-x", VIRTUOSO]),
    )
}

#[test]
fn push_into_virtuoso() {
    if !virtuoso_available() {
        return;
    }
    let mut virtuoso = Virtuoso::start();
    let crud = virtuoso.url("/sparql-graph-crud-auth");
    let query = virtuoso.url("/sparql");
    let local = local_counts();
    assert!(local.len() >= 5, "{local:?}");

    // 1. Into the empty store, in chunks of 500 triples, with digest
    //    auth, verified by polegraph itself: a graph larger than one request
    //    goes straight into its graph (the store holds none of it, asked on
    //    the --verify endpoint); then again, when the store holds them: into
    //    a staging graph, then MOVE.
    let chunked = [
        "--endpoint",
        &crud,
        "--chunk-size",
        "500",
        "--update",
        &virtuoso.url("/sparql-auth"),
        "--verify",
        &query,
    ];
    let out = push(&chunked, "dba");
    assert_exit(&out, 0);
    let report = stdout(&out);
    for (graph, count) in &local {
        let verb = if *count > 500 { "new" } else { "replaced" };
        assert!(
            report.contains(&format!("{graph}: {count} triples sent ({verb})")),
            "{graph}: {report}"
        );
        assert!(
            report.contains(&format!("{graph}: the store counts {count} triples")),
            "{report}"
        );
    }
    assert!(
        report.contains("requests"),
        "a graph went up in chunks: {report}"
    );
    // 2. The counts, read independently.
    assert_eq!(remote_counts(&virtuoso, &local), local);
    let out = push(&chunked, "dba");
    assert_exit(&out, 0);
    let report = stdout(&out);
    assert!(!report.contains("(new)"), "{report}");
    assert_eq!(remote_counts(&virtuoso, &local), local);

    // 3. Accents round-trip.
    let names = sparql_tsv(
        &virtuoso,
        "SELECT ?name WHERE { ?day <http://schema.org/name> ?name FILTER(CONTAINS(STR(?name), \"journée nationale\")) }",
    );
    assert!(
        names
            .iter()
            .any(|n| n.contains("2e journée nationale des pôles")),
        "{names:?}"
    );
    let ask = sparql_tsv(
        &virtuoso,
        "SELECT DISTINCT ?o WHERE { ?o <http://www.w3.org/2004/02/skos/core#prefLabel> \"Direction générale des entreprises\"@fr }",
    );
    assert_eq!(ask.len(), 1, "{ask:?}");

    // 4. --merge adds: a triple put there by someone else stays.
    let (seed, seed_count) = local
        .iter()
        .find(|(g, _)| g.ends_with("/graph/seed"))
        .map(|(g, n)| (g.clone(), *n))
        .expect("the seed graph");
    virtuoso.isql(&format!(
        "SPARQL INSERT DATA {{ GRAPH <{seed}> {{ <urn:other:s> <urn:other:p> \"kept by --merge\" }} }}"
    ));
    let out = push(&["--endpoint", &crud, "--merge", "--verify", &query], "dba");
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("(merged into)"), "{}", stdout(&out));
    let after_merge = remote_counts(&virtuoso, &local);
    assert_eq!(after_merge[&seed], seed_count + 1);
    //    … and a plain push replaces: the extra triple is gone.
    let out = push(&["--endpoint", &crud, "--verify", &query], "dba");
    assert_exit(&out, 0);
    assert_eq!(remote_counts(&virtuoso, &local), local);

    // 5. A wrong password: a clear message, exit 1, the password not shown.
    let secret = "wrong-secret-4711";
    let out = push(&["--endpoint", &crud], secret);
    assert_exit(&out, 1);
    let message = stderr(&out);
    assert!(
        message.contains("authentication failed for user `dba`"),
        "{message}"
    );
    assert!(
        !message.contains(secret) && !stdout(&out).contains(secret),
        "{message}"
    );

    // 6. The server stopped: a clear message, exit 1 (after the retries).
    virtuoso.stop();
    let out = push(&["--endpoint", &crud, "--retries", "1"], "dba");
    assert_exit(&out, 1);
    let message = stderr(&out);
    assert!(
        message.contains("cannot reach") && message.contains("2 attempts"),
        "{message}"
    );
    assert!(
        message.contains("attempt 2 of 2"),
        "the retry is announced: {message}"
    );
}

/// The bulk-loader path of docs/push.md: `polegraph export` to N-Quads,
/// then Virtuoso's `ld_dir` + `rdf_loader_run()` + `checkpoint` through
/// isql-vt; Virtuoso then counts each graph's triples as polegraph wrote them.
#[test]
fn virtuoso_bulk_loads_the_exported_quads() {
    if !virtuoso_available() {
        return;
    }
    let tables = tempfile::tempdir().expect("a temp folder");
    let local = staging::tables_and_graphs(tables.path(), 500);
    let virtuoso = Virtuoso::start();
    // The server's own folder is in its DirsAllowed (`.`).
    let quads = virtuoso.dir.path().join("polegraph.nq");
    let out = support::polegraph(&[
        "export",
        "--data",
        &tables.path().display().to_string(),
        "-o",
        &quads.display().to_string(),
    ]);
    assert_exit(&out, 0);
    virtuoso.isql(&format!(
        "ld_dir('{}', 'polegraph.nq', 'urn:polegraph:default'); rdf_loader_run(); checkpoint;",
        virtuoso.dir.path().display()
    ));
    let expected: BTreeMap<String, usize> =
        local.iter().map(|(g, t)| (g.clone(), t.len())).collect();
    assert_eq!(remote_counts(&virtuoso, &expected), expected);
}

/// Pushing without a server needs no outside tool: it fails the same way.
#[test]
fn push_to_a_closed_port_fails_clearly() {
    let port = free_port();
    let endpoint = format!("http://127.0.0.1:{port}/store");
    let out = push(&["--endpoint", &endpoint, "--retries", "0"], "x");
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("cannot reach"), "{}", stderr(&out));
    let out = push(&["--endpoint", "ftp://example.org/x"], "x");
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("http://"), "{}", stderr(&out));
}
