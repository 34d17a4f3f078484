//! Diagrams in `polegraph serve` (issue 15): `/diagram` as SVG and DOT,
//! pictures in the home, record and query pages (checked in headless
//! Chromium), and the bounds: the node limit, a missing Graphviz, a
//! Graphviz that does not finish. Tests that need Graphviz or Chromium say
//! they skipped when it is missing (unless POLEGRAPH_REQUIRE_TOOLS=1).

mod support;

use std::process::Command;
use std::time::{Duration, Instant};
use support::server::{chromium_dom, encode, Server};
use support::tool_available;

fn graphviz_available() -> bool {
    tool_available("Graphviz `dot`", Command::new("dot").arg("-V"))
}

/// The CONSTRUCT the query page draws in these tests.
const HIERARCHY: &str =
    "CONSTRUCT { ?s org:subOrganizationOf ?o } WHERE { ?s org:subOrganizationOf ?o }";

#[test]
fn the_diagram_is_svg_whose_nodes_link_to_their_pages() {
    if !graphviz_available() {
        return;
    }
    let server = Server::start(&[]);
    let reply = server.get("/diagram", "*/*");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.content_type(), "image/svg+xml");
    let csp = reply.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(reply.body.contains("<svg"), "{}", reply.body);
    assert!(reply.body.contains("xlink:href=\"/organization/dge\""));
    // Each link's tooltip names its property and the sources stating it.
    assert!(
        reply
            .body
            .contains("xlink:title=\"http://www.w3.org/ns/org#hasMember&#10;sources : seed"),
        "{}",
        reply.body
    );
    // Every linked page exists.
    let mut linked: Vec<&str> = reply
        .body
        .split("xlink:href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    linked.sort();
    linked.dedup();
    assert!(linked.len() > 10, "{linked:?}");
    for path in linked {
        assert_eq!(server.get(path, "text/html").status, 200, "{path}");
    }
}

#[test]
fn focus_query_and_options_are_those_of_dot() {
    let server = Server::start(&[]);
    let dot = |target: &str| {
        let reply = server.get(target, "*/*");
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        assert!(reply.content_type().starts_with("text/vnd.graphviz"));
        reply.body
    };
    let focus = dot("/diagram?focus=dge&depth=2&format=dot");
    assert!(focus.contains("Voisinage de DGE (profondeur 2)"));
    assert!(focus.contains("pole-group:"), "poles are grouped");
    let english = dot("/diagram?focus=dge&lang=en&cluster-by=none&format=dot");
    assert!(english.contains("Neighbourhood of DGE (depth 1)"));
    assert!(!english.contains("cluster_0"));
    let query = dot(&format!("/diagram?query={}&format=dot", encode(HIERARCHY)));
    assert!(query.contains("Résultat de la requête CONSTRUCT"));
    assert!(query.contains("URL=\"/organization/dge\""));
    // The same DOT as `polegraph dot` linking to a server's pages.
    let base = "http://localhost:7878/";
    let cli = support::polegraph(&["dot", "--focus", "dge", "--depth", "2", "--links", base]);
    assert!(
        String::from_utf8_lossy(&cli.stdout).replace(base, "/") == focus,
        "the endpoint and `polegraph dot --links` differ"
    );
    for (target, status, message) in [
        (
            "/diagram?focus=nothing-here",
            404,
            "unknown record `nothing-here`",
        ),
        ("/diagram?lang=de", 400, "lang is fr or en"),
        (
            "/diagram?query=SELECT+*+WHERE+%7B%3Fs+%3Fp+%3Fo%7D+LIMIT+1",
            400,
            "CONSTRUCT",
        ),
        ("/diagram?query=CONSTRUCT+%7B", 400, "does not parse"),
    ] {
        let reply = server.get(target, "*/*");
        assert_eq!(reply.status, status, "{target}: {}", reply.body);
        assert!(reply.body.contains(message), "{target}: {}", reply.body);
    }
}

#[test]
fn a_diagram_over_the_node_limit_gets_a_clear_answer_at_once() {
    // No Graphviz: a 422 rather than a 503 shows the refusal comes first.
    let server = Server::start(&[
        "--diagram-max-nodes",
        "12",
        "--graphviz",
        "/nonexistent/dot",
    ]);
    for target in ["/diagram", "/diagram?format=dot", "/diagram?all"] {
        let started = Instant::now();
        let reply = server.get(target, "*/*");
        assert!(started.elapsed() < Duration::from_secs(1), "{target}");
        assert_eq!(reply.status, 422, "{target}: {}", reply.body);
        assert!(
            reply
                .body
                .contains("nodes, more than the 12 this endpoint draws"),
            "{target}: {}",
            reply.body
        );
    }
    // A neighbourhood is cut instead, and says so.
    let reply = server.get("/diagram?focus=gti&expand-poles&format=dot", "*/*");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply
        .body
        .contains("plus éloignés non dessinés (limite : 12 nœuds)"));
    // The home page says why there is no picture, and offers no DOT text
    // that would be refused too.
    let page = server.get("/", "text/html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("more than the 12 this endpoint draws"));
    assert!(!page.body.contains("format=dot"));
}

#[test]
fn a_query_diagram_is_drawn_over_the_dataset_it_was_asked_on() {
    let server = Server::start(&[]);
    let seed = "https://example.org/polegraph/graph/seed";
    let target = |dataset: &str, format: &str| {
        format!("/diagram?query={}{dataset}{format}", encode(HIERARCHY))
    };
    let on_seed = format!("&default-graph-uri={}", encode(seed));
    let narrow = server.get(&target(&on_seed, "&format=dot"), "*/*").body;
    let whole = server.get(&target("", "&format=dot"), "*/*").body;
    assert!(narrow.matches(" -> ").count() < whole.matches(" -> ").count());
    if graphviz_available() {
        // The page of each shows its own picture (asked narrow first).
        let caption = |body: &str| {
            let start = body.find("A diagram of ").expect("a caption");
            body[start..start + 40].to_owned()
        };
        let page = |dataset: &str| {
            let target = format!("/?query={}{dataset}", encode(HIERARCHY));
            server.get(&target, "text/html").body
        };
        assert_ne!(caption(&page(&on_seed)), caption(&page("")));
    }
}

#[test]
fn data_text_cannot_make_the_picture_explode() {
    if !graphviz_available() {
        return;
    }
    let server = Server::start(&[]);
    // `\N` in a tooltip would come back as the node's name, which holds
    // the text again: 1,000 of them made a 1 MB picture before.
    let query = format!(
        "CONSTRUCT {{ <https://example.org/x> rdfs:label \"{}\" }} WHERE {{}}",
        "\\\\N".repeat(1000)
    );
    let reply = server.get(&format!("/diagram?query={}", encode(&query)), "*/*");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.len() < 100_000, "{} bytes", reply.body.len());
}

#[test]
fn without_graphviz_the_endpoint_says_so_at_once_and_offers_dot() {
    let server = Server::start(&["--graphviz", "/nonexistent/graphviz/dot"]);
    let started = Instant::now();
    let reply = server.get("/diagram?focus=dge", "*/*");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(
        reply.body.contains("Graphviz (`dot`) is not installed"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("/diagram?focus=dge&depth=1&format=dot"),
        "{}",
        reply.body
    );
    assert_eq!(
        server.get("/diagram?focus=dge&format=dot", "*/*").status,
        200
    );
    // The pages still work, and say why there is no picture.
    for target in ["/", "/organization/dge"] {
        let page = server.get(target, "text/html");
        assert_eq!(page.status, 200, "{target}");
        assert!(
            page.body.contains("id=\"diagram-missing\""),
            "{target}: {}",
            page.body
        );
        assert!(!page.body.contains("<svg"), "{target}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_graphviz_that_never_finishes_is_stopped_at_the_time_limit() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let slow = dir.path().join("slow-dot");
    // Graphviz's stand-in starts a program of its own and waits for it.
    let pid_file = dir.path().join("pid");
    let script = format!(
        "#!/bin/sh\nsleep 60 &\necho $! > '{}'\nwait\n",
        pid_file.display()
    );
    std::fs::write(&slow, script).unwrap();
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = Server::start(&["--graphviz", slow.to_str().unwrap(), "--timeout", "0.5"]);
    let started = Instant::now();
    let reply = server.get("/diagram", "*/*");
    let took = started.elapsed();
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(
        reply.body.contains("ran longer than 0.5 s and was stopped"),
        "{}",
        reply.body
    );
    assert!(took < Duration::from_secs(2), "answered after {took:?}");
    // What it started was stopped too (gone, or a zombie awaiting its reaper).
    let pid = std::fs::read_to_string(&pid_file).expect("the slow program ran");
    let stat = std::path::Path::new("/proc").join(pid.trim()).join("stat");
    if let Ok(stat) = std::fs::read_to_string(&stat) {
        let state = stat.rsplit(')').next().unwrap_or("").trim_start();
        assert!(
            state.starts_with('Z'),
            "the program Graphviz started still runs: {stat}"
        );
    }
}

/// Headless Chromium loads the home page, a record page and a query page
/// with a CONSTRUCT: each holds the diagram as inline SVG, titled by its
/// caption, and the DGE's node links to its page.
#[test]
fn chromium_sees_the_diagrams_in_the_pages() {
    if !graphviz_available()
        || !tool_available("chromium", Command::new("chromium").arg("--version"))
    {
        return;
    }
    let server = Server::start(&[]);
    let pages = [
        ("/", "Relations du GTI"),
        ("/organization/dge", "Voisinage de DGE (profondeur 1)"),
        (
            &*format!("/?query={}", encode(HIERARCHY)),
            "Résultat de la requête CONSTRUCT",
        ),
    ];
    for (target, title) in pages {
        let dom = chromium_dom(&server.url(target));
        assert!(dom.contains("<figure id=\"diagram\""), "{target}: {dom}");
        assert!(
            dom.contains(&format!(
                "<strong id=\"diagram-title\" lang=\"fr\">{title}</strong>"
            )),
            "{target}: {dom}"
        );
        assert!(
            dom.contains("<svg aria-labelledby=\"diagram-title\""),
            "{target}: {dom}"
        );
        assert!(
            dom.contains("xlink:href=\"/organization/dge\""),
            "{target}: {dom}"
        );
        // Text first: the caption comes before the picture, the table after.
        let caption = dom.find("<figcaption").unwrap();
        assert!(caption < dom.find("<svg").unwrap(), "{target}");
        if let Some(table) = dom.find("<table") {
            assert!(dom.find("</figure>").unwrap() < table, "{target}");
        }
    }
}
