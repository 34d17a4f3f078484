//! `polegraph serve` against real clients: a small HTTP client of the
//! test's own (always), curl, rdflib's SPARQLStore and headless Chromium
//! (each skipped with a message when missing, unless
//! POLEGRAPH_REQUIRE_TOOLS=1).

mod support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};
use support::server::{chromium_dom, encode, Reply, Server};
use support::{polegraph, python_with, root, stdout, tool_available};

fn query_target(query: &str) -> String {
    format!("/query?query={}", encode(query))
}

/// The triples of an N-Triples or Turtle document, as canonical strings.
fn triples(text: &str, format: oxigraph::io::RdfFormat) -> BTreeSet<String> {
    oxigraph::io::RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|q| {
            let q = q.expect("valid RDF");
            format!("{} {} {}", q.subject, q.predicate, q.object)
        })
        .collect()
}

#[test]
fn sparql_protocol_answers_get_post_and_negotiates() {
    let server = Server::start(&[]);
    let ask = "ASK { ?s a pg:Pole }";

    // GET, no Accept: SPARQL JSON.
    let r = server.request("GET", &query_target(ask), &[], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .content_type()
        .starts_with("application/sparql-results+json"));
    assert!(r.body.contains("\"boolean\":true"), "{}", r.body);

    // POST urlencoded, XML asked.
    let form = format!("query={}", encode(ask));
    let r = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/sparql-results+xml"),
        ],
        form.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .content_type()
        .starts_with("application/sparql-results+xml"));
    assert!(r.body.contains("<boolean>true</boolean>"), "{}", r.body);

    // POST direct, CSV and TSV by Accept (with quality values).
    let select = "SELECT DISTINCT ?acronym WHERE { ?gti pg:acronym \"GTI\" ; pg:secretariat/pg:acronym ?acronym } ORDER BY ?acronym";
    let r = server.request(
        "POST",
        "/query",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json;q=0.5, text/csv"),
        ],
        select.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.content_type().starts_with("text/csv"));
    assert_eq!(r.body.replace("\r\n", "\n"), "acronym\nDGE\nDIACT\n");
    let r = server.get(&query_target(select), "text/tab-separated-values");
    assert!(r.content_type().starts_with("text/tab-separated-values"));
    assert!(r.body.contains("\"DIACT\""), "{}", r.body);
    assert_eq!(r.header("vary"), Some("Accept"));

    // CONSTRUCT in each graph format.
    let construct = "CONSTRUCT WHERE { organization:dge ?p ?o }";
    for (accept, expected) in [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
    ] {
        let r = server.get(&query_target(construct), accept);
        assert_eq!(r.status, 200, "{accept}: {}", r.body);
        assert!(
            r.content_type().starts_with(expected),
            "{accept}: {}",
            r.content_type()
        );
        assert!(r.body.contains("dge"), "{accept}: {}", r.body);
    }
    // `format=` overrides Accept.
    let r = server.get(
        &format!("{}&format=csv", query_target(select)),
        "application/json",
    );
    assert!(r.content_type().starts_with("text/csv"));
    // Nothing acceptable: 406.
    let r = server.get(&query_target(select), "image/png");
    assert_eq!(r.status, 406, "{}", r.body);

    // A GET without query: the service description.
    let r = server.get("/query", "text/turtle");
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("sd:Service") || r.body.contains("sparql-service-description#Service"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("<http://{}/query>", server.address)),
        "{}",
        r.body
    );
    assert!(r.body.contains("UnionDefaultGraph"), "{}", r.body);

    // Dataset parameters: one named graph as the default graph.
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let ontology = "https://example.org/polegraph/graph/ontology";
    let r = server.get(
        &format!(
            "{}&default-graph-uri={}",
            query_target(count),
            encode(ontology)
        ),
        "text/csv",
    );
    let in_ontology: usize = r
        .body
        .lines()
        .nth(1)
        .expect("a row")
        .trim()
        .parse()
        .expect("a count");
    let all: usize = server
        .get(&query_target(count), "text/csv")
        .body
        .lines()
        .nth(1)
        .expect("a row")
        .trim()
        .parse()
        .expect("a count");
    assert!(0 < in_ontology && in_ontology < all, "{in_ontology} {all}");

    // One log line per request, on stderr.
    let log = server.log();
    assert!(log.contains("GET /query?query=ASK"), "{log}");
    assert!(log.contains("POST /sparql 200"), "{log}");
}

#[test]
fn unsafe_and_bad_requests_are_refused() {
    let server = Server::start(&["--timeout", "1"]);

    // Updates: 403 with a message, whichever way they come.
    let update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }";
    let r = server.request(
        "POST",
        "/query",
        &[("Content-Type", "application/sparql-update")],
        update.as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("read-only"), "{}", r.body);
    let form = format!("update={}", encode(update));
    let r = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // An update sent as a query does not parse as a query.
    let r = server.get(&query_target(update), "*/*");
    assert_eq!(r.status, 400, "{}", r.body);
    let r = server.request(
        "PUT",
        "/store?default",
        &[("Content-Type", "text/turtle")],
        b"",
    );
    assert_eq!(r.status, 403, "{}", r.body);

    // Bad SPARQL: 400 with the parser's message (line and column).
    let r = server.get(&query_target("SELECT ?x WHERE { ?x ?y }"), "*/*");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("does not parse"), "{}", r.body);
    assert!(
        r.body.contains("line 1") || r.body.contains("1:"),
        "{}",
        r.body
    );

    // Unknown paths: 404.
    assert_eq!(server.get("/nothing/here", "*/*").status, 404);
    assert_eq!(
        server
            .get("/organization/no-such-record", "text/turtle")
            .status,
        404
    );

    // A 10 MB body: 413.
    let big = vec![b'#'; 10 * 1024 * 1024];
    let r = server.request(
        "POST",
        "/query",
        &[("Content-Type", "application/sparql-query")],
        &big,
    );
    assert_eq!(r.status, 413, "{}", r.body);

    // A query past --timeout: stopped, 503.
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = Instant::now();
    let r = server.get(&query_target(slow), "*/*");
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("time limit"), "{}", r.body);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // The server still answers.
    assert_eq!(server.get(&query_target("ASK {}"), "*/*").status, 200);

    // No CORS header unless --cors.
    assert!(server
        .get("/query", "*/*")
        .header("access-control-allow-origin")
        .is_none());
    let with_cors = Server::start(&["--cors"]);
    let r = with_cors.get(&query_target("ASK {}"), "*/*");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = with_cors.request(
        "OPTIONS",
        "/query",
        &[("Origin", "http://example.net")],
        b"",
    );
    assert_eq!(r.status, 204);
    // GET and POST need no Access-Control-Allow-Methods (oxhttp does not
    // send that header); a direct POST's Content-Type needs Allow-Headers.
    assert!(r
        .header("access-control-allow-headers")
        .is_some_and(|h| h.contains("Content-Type")));
}

#[test]
fn result_sizes_are_bounded() {
    let server = Server::start(&["--max-results", "10"]);
    let r = server.get(&query_target("SELECT * WHERE { ?s ?p ?o }"), "*/*");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("more than 10 results"), "{}", r.body);
    let r = server.get(&query_target("SELECT * WHERE { ?s ?p ?o } LIMIT 10"), "*/*");
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn graph_store_gives_graphs_and_the_union() {
    let server = Server::start(&[]);
    let nt = oxigraph::io::RdfFormat::NTriples;
    let seed = "https://example.org/polegraph/graph/seed";
    let r = server.get(
        &format!("/store?graph={}", encode(seed)),
        "application/n-triples",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let in_seed = triples(&r.body, nt);
    let expected = polegraph(&[
        "query",
        "--format",
        "nt",
        &format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{seed}> {{ ?s ?p ?o }} }}"),
    ]);
    assert_eq!(in_seed, triples(&stdout(&expected), nt));

    let union = triples(
        &server.get("/store?default", "application/n-triples").body,
        nt,
    );
    let no_parameter = triples(&server.get("/store", "application/n-triples").body, nt);
    assert_eq!(union, no_parameter);
    assert!(in_seed.is_subset(&union) && in_seed.len() < union.len());

    // The whole dataset keeps its named graphs in N-Quads.
    let r = server.get("/store", "application/n-quads");
    assert!(r.content_type().starts_with("application/n-quads"));
    assert!(r.body.lines().any(|l| l.ends_with(&format!("<{seed}> ."))));

    let r = server.get(
        "/store?graph=https%3A%2F%2Fexample.org%2Fnone",
        "text/turtle",
    );
    assert_eq!(r.status, 404, "{}", r.body);
}

#[test]
fn record_paths_give_their_description() {
    let server = Server::start(&[]);
    let r = server.get("/organization/dge", "text/turtle");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.content_type().starts_with("text/turtle"));
    let described = triples(&r.body, oxigraph::io::RdfFormat::Turtle);
    let expected = polegraph(&["query", "--format", "nt", "DESCRIBE organization:dge"]);
    assert_eq!(
        described,
        triples(&stdout(&expected), oxigraph::io::RdfFormat::NTriples)
    );
    assert_eq!(
        r.header("link"),
        Some("<https://example.org/polegraph/organization/dge>; rel=\"describes\"")
    );

    let r = server.get("/organization/dge", "application/ld+json");
    assert!(r.content_type().starts_with("application/ld+json"));
    assert!(
        r.body.contains("organization:dge") || r.body.contains("organization/dge"),
        "{}",
        r.body
    );
    // The base IRI's path may lead.
    assert_eq!(
        server
            .get("/polegraph/organization/dge", "text/turtle")
            .status,
        200
    );

    let r = server.get("/organization/dge", "text/html");
    assert_eq!(r.status, 200);
    assert!(r.content_type().starts_with("text/html"));
    assert!(
        r.body.contains("Direction générale des entreprises"),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"/organization/"), "{}", r.body);
    assert!(r
        .header("content-security-policy")
        .is_some_and(|c| c.contains("default-src 'none'")));

    // The query page, with a query: a results table.
    let r = server.get(
        &format!(
            "/?query={}",
            encode("SELECT ?a WHERE { ?o pg:acronym ?a } ORDER BY ?a LIMIT 3")
        ),
        "text/html",
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<table id=\"results\">"), "{}", r.body);
    assert!(!r.body.contains("<script src"), "no external script");
}

/// The acceptance checks with curl, as a person would run them.
#[test]
fn curl_checks() {
    if !tool_available("curl", Command::new("curl").arg("--version")) {
        return;
    }
    let server = Server::start(&["--timeout", "1"]);
    let curl = |args: &[&str]| -> (String, String) {
        let out = Command::new("curl")
            .args(["-s", "-S", "-w", "\n%{http_code}"])
            .args(args)
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').expect("curl prints the status");
        (body.to_owned(), code.to_owned())
    };
    let (body, code) = curl(&[
        "-H",
        "Accept: text/turtle",
        &server.url("/organization/dge"),
    ]);
    assert_eq!(code, "200", "{body}");
    assert!(
        body.contains("org:subOrganizationOf") || body.contains("subOrganizationOf"),
        "{body}"
    );
    let (body, code) = curl(&["-H", "Accept: text/html", &server.url("/organization/dge")]);
    assert_eq!(code, "200");
    assert!(body.contains("<html"), "{body}");

    let (body, code) = curl(&[
        "--data-urlencode",
        "update=INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        &server.url("/sparql"),
    ]);
    assert_eq!(code, "403", "{body}");

    let (body, code) = curl(&[
        "--data-urlencode",
        "query=SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        &server.url("/sparql"),
    ]);
    assert_eq!(code, "503", "{body}");

    let big = tempfile::NamedTempFile::new().expect("a temp file");
    std::fs::write(big.path(), vec![b' '; 10 * 1024 * 1024]).expect("10 MB written");
    let (body, code) = curl(&[
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        &format!("@{}", big.path().display()),
        &server.url("/query"),
    ]);
    assert_eq!(code, "413", "{body}");

    let (body, code) = curl(&[
        "--data-urlencode",
        "query=SELEKT * {}",
        &server.url("/query"),
    ]);
    assert_eq!(code, "400", "{body}");
    let (_, code) = curl(&[&server.url("/no/such/path")]);
    assert_eq!(code, "404");
}

/// rdflib's SPARQLStore runs three competency queries (GET, POST and POST
/// form) and gets polegraph's own answers.
#[test]
fn rdflib_sparqlstore_gets_polegraphs_answers() {
    if !python_with("rdflib") {
        return;
    }
    let server = Server::start(&[]);
    let queries = [
        ("GET", "queries/cq01-date.rq"),
        ("POST", "queries/cq03-gti-secretariat.rq"),
        ("POST_FORM", "queries/cq04-dge-ministry.rq"),
    ];
    let mut args = vec![
        root()
            .join("tests/tools/sparqlstore_query.py")
            .display()
            .to_string(),
        server.url("/sparql"),
    ];
    for (method, file) in queries {
        args.push(method.into());
        args.push(root().join(file).display().to_string());
    }
    let out = Command::new("python3")
        .args(&args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "rdflib failed:\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.log()
    );
    let answers: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("the helper prints JSON");
    for (i, (_, file)) in queries.iter().enumerate() {
        let ours = polegraph(&["query", "--format", "json", "-f", file]);
        let ours: serde_json::Value = serde_json::from_slice(&ours.stdout).expect("JSON results");
        let vars: Vec<String> = ours["head"]["vars"]
            .as_array()
            .expect("vars")
            .iter()
            .map(|v| v.as_str().expect("a name").to_owned())
            .collect();
        let expected: Vec<Vec<serde_json::Value>> = ours["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .map(|b| {
                vars.iter()
                    .map(|v| b[v.as_str()]["value"].clone())
                    .collect()
            })
            .collect();
        let theirs = &answers[i];
        assert_eq!(theirs["vars"], serde_json::json!(vars), "{file}");
        assert!(!expected.is_empty(), "{file} has answers");
        assert_eq!(theirs["rows"], serde_json::json!(expected), "{file}");
    }
}

/// Headless Chromium finds the record page's links and the query page's
/// results table.
#[test]
fn chromium_sees_links_and_the_results_table() {
    if !tool_available("chromium", Command::new("chromium").arg("--version")) {
        return;
    }
    let server = Server::start(&[]);
    let dom = |url: &str| chromium_dom(url);
    let page = dom(&server.url("/organization/dge"));
    assert!(
        page.contains("<h1>Direction générale des entreprises</h1>"),
        "{page}"
    );
    // Links to related records: its ministry, and who points at it.
    assert!(page.contains("href=\"/organization/min-eco\""), "{page}");
    assert!(page.contains("id=\"referenced-by\""), "{page}");

    let query = std::fs::read_to_string(root().join("queries/cq03-gti-secretariat.rq"))
        .expect("the query file");
    let page = dom(&server.url(&format!("/?query={}", encode(&query))));
    assert!(page.contains("<table id=\"results\">"), "{page}");
    assert!(page.contains("DIACT") && page.contains("DGE"), "{page}");
    // The example queries are listed.
    assert!(page.contains("Competency question 9"), "{page}");
}

/// Regression (issue 13): a talk whose IRI value was `javascript:alert(5)`
/// was rendered as `<a href="javascript:alert(5)">`; only http(s) IRIs and
/// the endpoint's own paths become links.
#[test]
fn non_web_iris_are_text_not_links() {
    let server = Server::start(&[]);
    let query = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(5)> <https://example.org/a> } }";
    let page = server.get(&format!("/?query={}", encode(query)), "text/html");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("href=\"javascript:"), "{}", page.body);
    assert!(
        page.body
            .contains("<span class=\"iri\" title=\"javascript:alert(5)\">"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"https://example.org/a\""));
}

/// Up to `count` connections that each sent half a request head and then
/// nothing (fewer if the open-file limit stops them).
fn slow_clients(server: &Server, count: usize) -> Vec<TcpStream> {
    let mut held = Vec::with_capacity(count);
    for _ in 0..count {
        let Ok(mut stream) = TcpStream::connect(&server.address) else {
            break;
        };
        if stream
            .write_all(b"GET /query?query=ASK%20%7B%7D HTTP/1.1\r\nHost: slow\r\n")
            .is_err()
        {
            break;
        }
        held.push(stream);
    }
    held
}

/// Whether the server still holds `stream` open (nothing to read yet).
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).expect("non-blocking");
    let mut byte = [0u8; 1];
    let open = matches!(
        (&*stream).read(&mut byte),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    );
    stream.set_nonblocking(false).expect("blocking");
    open
}

/// Regression (issue 13): 65 connections that sent half a request took the
/// endpoint down. With 2,000 held (the sockets close when the test ends,
/// and the server would drop them after its header deadline), a normal
/// query is still answered in under a second, every time.
#[test]
fn slow_clients_do_not_starve_a_query() {
    let server = Server::start(&[]);
    let slow = slow_clients(&server, 2000);
    assert!(
        slow.len() >= 900,
        "only {} slow connections opened",
        slow.len()
    );
    for _ in 0..10 {
        let started = Instant::now();
        let reply = server.get(&query_target("ASK {}"), "application/sparql-results+json");
        let elapsed = started.elapsed();
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(elapsed < Duration::from_secs(1), "answered in {elapsed:?}");
    }
    let open = slow.iter().filter(|s| still_open(s)).count();
    assert_eq!(open, slow.len(), "the slow connections were held meanwhile");
}

/// A request head that does not arrive within --header-timeout closes its
/// connection; a full server answers 503 at once instead of hanging.
#[test]
fn header_deadline_and_a_full_server() {
    let server = Server::start(&["--header-timeout", "1", "--max-connections", "8"]);
    let slow = slow_clients(&server, 8);
    assert_eq!(slow.len(), 8);
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let refused = server.get(&query_target("ASK {}"), "application/sparql-results+json");
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(refused.body.contains("too many connections"));

    let closed = slow
        .iter()
        .filter(|stream| {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .expect("timeout");
            let mut rest = Vec::new();
            match Read::read_to_end(&mut &**stream, &mut rest) {
                Ok(_) => true,
                Err(e) => !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
            }
        })
        .count();
    assert_eq!(closed, 8, "every slow connection closed by the deadline");
    assert!(started.elapsed() < Duration::from_secs(4));

    // an idle keep-alive connection is closed after the same deadline
    let mut idle = TcpStream::connect(&server.address).expect("connects");
    let head = format!(
        "GET {} HTTP/1.1\r\nHost: idle\r\nAccept: application/sparql-results+json\r\n\r\n",
        query_target("ASK {}")
    );
    idle.write_all(head.as_bytes()).expect("request sent");
    idle.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let answered = Instant::now();
    let mut raw = Vec::new();
    let _ = idle.read_to_end(&mut raw);
    assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 200"));
    assert!(
        answered.elapsed() < Duration::from_secs(3),
        "closed after {:?}",
        answered.elapsed()
    );
    // and the server answers again once they are gone
    let reply = server.get(&query_target("ASK {}"), "application/sparql-results+json");
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// `request` (head and body, as bytes) sent as it is; the reply.
fn raw_request(server: &Server, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(&server.address).expect("the server accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    // A refused body may be cut short by the server: that is fine.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    Reply::parse(&raw)
}

/// A POST of `query` in chunks of `size` bytes (no Content-Length).
fn chunked_query(server: &Server, query: &[u8], size: usize) -> Reply {
    let mut request = format!(
        "POST /query HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.address
    )
    .into_bytes();
    for chunk in query.chunks(size) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    raw_request(server, &request)
}

/// A chunked body declares no length: it is counted as it comes, and
/// refused past --max-body.
#[test]
fn a_chunked_body_over_max_body_is_refused() {
    let server = Server::start(&["--max-body", "1000"]);
    let small = b"ASK { ?s ?p ?o }";
    let r = chunked_query(&server, small, 5);
    assert_eq!(r.status, 200, "{}", r.body);
    let mut large = small.to_vec();
    large.extend(std::iter::repeat_n(b' ', 2000));
    let r = chunked_query(&server, &large, 300);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("1000 bytes"), "{}", r.body);
}

/// --max-results bounds the triples of CONSTRUCT and DESCRIBE too.
#[test]
fn max_results_bounds_construct_and_describe() {
    let server = Server::start(&["--max-results", "10"]);
    for query in [
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DESCRIBE ?s WHERE { ?s a ?class }",
    ] {
        let r = server.get(&query_target(query), "application/n-triples");
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        assert!(
            r.body.contains("more than 10 results"),
            "{query}: {}",
            r.body
        );
    }
    let r = server.get(
        &query_target("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10"),
        "application/n-triples",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        triples(&r.body, oxigraph::io::RdfFormat::NTriples).len(),
        10
    );
}

/// The CPU time (user and system) process `pid` has used so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // The fields after the command name (which is in parentheses).
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // Linux reports in USER_HZ, 100 per second on every architecture it supports.
    Duration::from_millis(ticks * 10)
}

/// A query past --timeout is answered 503, and its evaluation stops: the
/// server then uses no CPU while idle.
///
/// It does not yet: oxigraph checks the cancellation token only when it
/// reads the store, and a cross product joined in memory (this query, or
/// the 3-way one of `unsafe_and_bad_requests_are_refused`) runs on after
/// the 503, a core's worth per query, until it ends.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "known failure: a timed-out cross product keeps its thread busy (oxigraph checks cancellation only on store reads)"]
fn a_timed_out_query_stops_working() {
    let server = Server::start(&["--timeout", "1"]);
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let r = server.get(&query_target(slow), "*/*");
    assert_eq!(r.status, 503, "{}", r.body);
    // Time for the evaluation to notice its cancellation.
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_time(server.child.id());
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_time(server.child.id()) - before;
    assert!(
        used < Duration::from_millis(500),
        "the server used {used:?} of CPU in 2 s after the timeout"
    );
}
