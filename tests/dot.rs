//! `polegraph dot`: the default diagram checked against the data, focus,
//! CONSTRUCT diagrams, filters, hostile names, Graphviz acceptance and the
//! committed `docs/gti.dot` / `docs/gti.svg`.
//!
//! Tests that need Graphviz `dot` skip with a message when it is missing,
//! unless `POLEGRAPH_REQUIRE_TOOLS=1`, which turns the skip into a failure.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::tool_available;

const BASE: &str = "https://example.org/polegraph/";

fn polegraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(args)
        .output()
        .expect("the polegraph binary runs")
}

/// Runs polegraph and returns its stdout, failing on a non-zero exit.
fn run(args: &[&str]) -> String {
    let output = polegraph(args);
    assert!(
        output.status.success(),
        "polegraph {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn record(kind: &str, id: &str) -> String {
    format!("{BASE}{kind}/{id}")
}

fn org(id: &str) -> String {
    record("organization", id)
}

/// The single number a `SELECT (COUNT(…) AS ?count)` query gives.
fn sparql_count(query: &str, extra: &[&str]) -> usize {
    let mut args = vec!["query", "--format", "csv", query];
    args.extend_from_slice(extra);
    let out = run(&args);
    let value = out.lines().nth(1).expect("one result row").trim();
    value
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {out}"))
}

/// Graphviz `dot`, or None (the test says it skipped) when it is missing
/// and not required.
fn graphviz() -> Option<&'static str> {
    tool_available("Graphviz `dot`", Command::new("dot").arg("-V")).then_some("dot")
}

/// Renders a DOT file to SVG with Graphviz and asserts it printed nothing.
fn assert_graphviz_accepts(dot: &str, dot_file: &Path) -> String {
    let output = Command::new(dot)
        .arg("-Tsvg")
        .arg(dot_file)
        .output()
        .expect("dot runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "dot -Tsvg {} failed: {stderr}",
        dot_file.display()
    );
    assert!(
        stderr.trim().is_empty(),
        "Graphviz warned on {}: {stderr}",
        dot_file.display()
    );
    let svg = String::from_utf8(output.stdout).expect("UTF-8 SVG");
    assert_well_formed_text(&svg);
    svg
}

/// Every `&` of the SVG starts an entity, and no control character but
/// tab and new lines appears (what XML requires of text).
fn assert_well_formed_text(svg: &str) {
    for (i, _) in svg.match_indices('&') {
        let rest = &svg[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "bare & in the SVG: {}",
            &rest[..rest.len().min(30)]
        );
    }
    assert!(
        !svg.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
        "control character in the SVG"
    );
}

// ---------------------------------------------------------------------------
// A reader for the DOT polegraph writes (one statement per line).
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Dot {
    /// Node id → attributes (legend samples left out).
    nodes: BTreeMap<String, BTreeMap<String, String>>,
    /// (from, to, label on one line), invisible legend edges left out.
    edges: Vec<(String, String, String)>,
    /// Cluster labels → member ids.
    clusters: Vec<(String, Vec<String>)>,
}

impl Dot {
    fn parse(text: &str) -> Self {
        let mut dot = Dot::default();
        let mut cluster: Option<(String, Vec<String>)> = None;
        for line in text.lines().map(str::trim) {
            if line.starts_with("subgraph ") {
                cluster = Some((String::new(), Vec::new()));
                continue;
            }
            if line == "}" {
                if let Some(c) = cluster.take() {
                    dot.clusters.push(c);
                }
                continue;
            }
            if !line.starts_with('"') {
                if let (Some(c), Some(attrs)) = (cluster.as_mut(), line.strip_prefix("graph ")) {
                    c.0 = attributes(attrs).remove("label").unwrap_or_default();
                }
                continue;
            }
            let (first, rest) = unquote(line);
            let rest = rest.trim_start();
            if let Some(rest) = rest.strip_prefix("->") {
                let (second, rest) = unquote(rest.trim_start());
                let attrs = attributes(rest);
                if attrs.get("style").map(String::as_str) != Some("invis") {
                    // Long edge labels are wrapped: compare them on one line.
                    let label = attrs
                        .get("label")
                        .map_or_else(String::new, |l| l.replace('\n', " "));
                    dot.edges.push((first, second, label));
                }
            } else if !first.starts_with("polegraph:legend/") {
                if let Some(c) = cluster.as_mut() {
                    c.1.push(first.clone());
                }
                dot.nodes.insert(first, attributes(rest));
            }
        }
        dot
    }

    fn label(&self, id: &str) -> &str {
        self.nodes
            .get(id)
            .and_then(|a| a.get("label"))
            .map_or("", String::as_str)
    }

    fn has_edge(&self, from: &str, to: &str, label: &str) -> bool {
        self.edges
            .iter()
            .any(|(f, t, l)| f == from && t == to && l == label)
    }

    fn record_nodes(&self) -> BTreeSet<&str> {
        self.nodes
            .keys()
            .map(String::as_str)
            .filter(|id| !id.starts_with("pole-group:"))
            .collect()
    }
}

/// Reads one quoted DOT string at the start of `text` (undoing polegraph's
/// escaping: `\"`, `\\`, `\n` and `&amp;`) and returns it with the rest.
fn unquote(text: &str) -> (String, &str) {
    let mut chars = text.char_indices();
    assert_eq!(
        chars.next().map(|(_, c)| c),
        Some('"'),
        "not a string: {text}"
    );
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value.replace("&amp;", "&"), &text[i + 1..]),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => value.push('\n'),
                Some('r') => value.push('\r'),
                Some(other) => value.push(other),
                None => break,
            },
            c => value.push(c),
        }
    }
    panic!("unterminated string: {text}")
}

/// `[a="x", b="y"]` → map.
fn attributes(text: &str) -> BTreeMap<String, String> {
    let mut attrs = BTreeMap::new();
    let mut rest = text.trim().trim_start_matches('[');
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_owned();
        let (value, after) = unquote(rest[eq + 1..].trim_start());
        attrs.insert(key, value);
        rest = after;
    }
    attrs
}

// ---------------------------------------------------------------------------
// The default diagram
// ---------------------------------------------------------------------------

/// The default diagram's selection, written independently in SPARQL.
const SELECTION: &str = "
  { BIND(organization:gti AS ?n) }
  UNION { organization:gti org:hasMember|pg:secretariat ?n }
  UNION { organization:gti (org:hasMember|pg:secretariat)?/(org:subOrganizationOf|pg:placedAtDisposalOf)+ ?n }
  UNION { organization:gti (org:hasMember|pg:secretariat)?/(org:subOrganizationOf|pg:placedAtDisposalOf)+ ?head .
          ?head a pg:HeadOfGovernment . ?n org:subOrganizationOf ?head }
  UNION { organization:gti pg:coordinatesSupportTo/pg:labelledBy ?n }
  UNION { organization:gti pg:coordinatesSupportTo/pg:labelledBy/pg:decidedBy ?n }
  UNION { ?n schema:organizer|schema:attendee organization:gti }";

#[test]
fn default_diagram_holds_the_gti_its_secretariat_and_their_links() {
    let dot = Dot::parse(&run(&["dot"]));
    let (gti, diact, dge) = (org("gti"), org("diact"), org("dge"));
    for id in [
        &gti,
        &diact,
        &dge,
        &org("pm"),
        &org("min-eco"),
        &org("min-ecologie"),
    ] {
        assert!(dot.nodes.contains_key(id.as_str()), "missing node {id}");
    }
    assert!(dot.label(&gti).starts_with("GTI\n"), "{}", dot.label(&gti));
    assert!(dot.label(&dge).starts_with("DGE\n"));
    assert!(dot.has_edge(&gti, &diact, "secrétariat assuré par"));
    assert!(dot.has_edge(&gti, &dge, "secrétariat assuré par"));
    assert!(dot.has_edge(&dge, &org("min-eco"), "fait partie de"));
    assert!(dot.has_edge(&diact, &org("pm"), "fait partie de"));
    assert!(dot.has_edge(&diact, &org("min-ecologie"), "mis à disposition de"));
    // The sources say the Prime Minister convenes and chairs the CIACT, not
    // that it is part of his services.
    assert!(dot.has_edge(&org("ciact"), &org("pm"), "présidé par"));
    assert!(!dot.has_edge(&org("ciact"), &org("pm"), "fait partie de"));
    assert!(dot.has_edge(&gti, &org("anr"), "a pour membre"));
    assert!(dot.has_edge(
        &record("event", "journee-nationale-poles-2007"),
        &gti,
        "participant"
    ));
    assert!(dot.has_edge(
        &record("decision", "ciact-2007-07-05"),
        &org("ciact"),
        "décidé par"
    ));
    // One drawing of each link: the inverse halves are left out.
    assert!(!dot.edges.iter().any(|(_, _, l)| l == "membre de"));
    assert!(!dot
        .edges
        .iter()
        .any(|(_, _, l)| l == "a pour sous-organisation"));
    // The DGE sits in its ministry's box, the DIACT in the Prime Minister's.
    let cluster_of = |id: &str| {
        dot.clusters
            .iter()
            .find(|(_, members)| members.iter().any(|m| m == id))
            .map(|(label, _)| label.clone())
    };
    assert_eq!(
        cluster_of(&dge).as_deref(),
        Some("Ministère de l'Économie, des Finances et\nde l'Emploi")
    );
    assert_eq!(cluster_of(&diact).as_deref(), Some("Premier ministre"));
}

#[test]
fn default_diagram_counts_match_sparql() {
    let dot = Dot::parse(&run(&["dot"]));
    // Records: every non-pole node of the selection.
    let expected = sparql_count(
        &format!(
            "SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {{ {{ {SELECTION} }} FILTER NOT EXISTS {{ ?n a pg:Pole }} }}"
        ),
        &[],
    );
    assert_eq!(
        dot.record_nodes().len(),
        expected,
        "{:#?}",
        dot.record_nodes()
    );
    // Members.
    let members = sparql_count(
        "SELECT (COUNT(DISTINCT ?m) AS ?count) WHERE { organization:gti org:hasMember ?m }",
        &[],
    );
    let drawn_members = dot
        .edges
        .iter()
        .filter(|(f, _, l)| *f == org("gti") && l == "a pour membre")
        .count();
    assert_eq!(drawn_members, members);
    // Poles: one node per category with its count, and the total.
    let mut total = 0;
    for (category, group) in [
        (
            "mondial",
            "pole-group:https://example.org/polegraph/ns#mondial",
        ),
        (
            "vocationMondiale",
            "pole-group:https://example.org/polegraph/ns#vocationMondiale",
        ),
        (
            "national",
            "pole-group:https://example.org/polegraph/ns#national",
        ),
    ] {
        let count = sparql_count(
            &format!("SELECT (COUNT(DISTINCT ?p) AS ?count) WHERE {{ organization:gti pg:coordinatesSupportTo ?p . ?p pg:category pg:{category} }}"),
            &[],
        );
        assert!(count > 0);
        assert!(
            dot.label(group).ends_with(&format!("\n{count} pôles")),
            "{group}: {}",
            dot.label(group)
        );
        total += count;
    }
    let uncategorised = sparql_count(
        "SELECT (COUNT(DISTINCT ?p) AS ?count) WHERE { organization:gti pg:coordinatesSupportTo ?p FILTER NOT EXISTS { ?p pg:category ?c } }",
        &[],
    );
    // Every pole has a category now (33 of them inferred), so no group of
    // poles without one is drawn.
    assert_eq!(uncategorised, 0);
    assert!(!dot.nodes.contains_key("pole-group:none"));
    total += uncategorised;
    let all_poles = sparql_count(
        "SELECT (COUNT(DISTINCT ?p) AS ?count) WHERE { organization:gti pg:coordinatesSupportTo ?p }",
        &[],
    );
    assert_eq!(total, all_poles);
    assert_eq!(all_poles, 71);
    // The links to the groups count the poles they stand for.
    let to_groups: usize = dot
        .edges
        .iter()
        .filter(|(f, t, _)| *f == org("gti") && t.starts_with("pole-group:"))
        .map(|(_, _, l)| count_in(l))
        .sum();
    assert_eq!(to_groups, all_poles);
    let labelled: usize = dot
        .edges
        .iter()
        .filter(|(f, _, l)| f.starts_with("pole-group:") && l.starts_with("labellisé par"))
        .map(|(_, _, l)| count_in(l))
        .sum();
    let expected_labelled = sparql_count(
        "SELECT (COUNT(DISTINCT ?p) AS ?count) WHERE { organization:gti pg:coordinatesSupportTo ?p . ?p pg:labelledBy ?d }",
        &[],
    );
    assert_eq!(labelled, expected_labelled);
}

/// The `(n)` at the end of a group link's label.
fn count_in(label: &str) -> usize {
    let open = label.rfind('(').expect("a count");
    label[open + 1..label.len() - 1].parse().expect("a number")
}

#[test]
fn expand_poles_draws_every_pole() {
    let dot = Dot::parse(&run(&["dot", "--expand-poles"]));
    assert!(!dot.nodes.keys().any(|id| id.starts_with("pole-group:")));
    let poles = dot
        .edges
        .iter()
        .filter(|(f, _, l)| *f == org("gti") && l == "coordonne le soutien de l'État à")
        .count();
    assert_eq!(poles, 71);
    assert_eq!(dot.label(&org("aerospace-valley")), "Aerospace Valley");
}

#[test]
fn english_labels_come_from_the_ontology_and_the_builtin_table() {
    let dot = Dot::parse(&run(&["dot", "--lang", "en"]));
    assert!(dot.has_edge(&org("gti"), &org("dge"), "secretariat run by"));
    assert!(dot.has_edge(&org("dge"), &org("min-eco"), "part of"));
    assert!(dot
        .label(&org("dge"))
        .starts_with("DGE\nDirectorate-General"));
}

#[test]
fn help_lists_every_option() {
    let help = run(&["dot", "--help"]);
    for option in [
        "--output",
        "--focus",
        "--depth",
        "--query",
        "--all",
        "--expand-poles",
        "--max-nodes",
        "--links",
        "--include",
        "--exclude",
        "--lang",
        "--cluster-by",
        "--rankdir",
        "--data",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    // --depth needs --focus; --focus and --all exclude each other.
    assert_eq!(polegraph(&["dot", "--depth", "2"]).status.code(), Some(2));
    assert_eq!(
        polegraph(&["dot", "--focus", "dge", "--all"]).status.code(),
        Some(2)
    );
}

#[test]
fn output_is_deterministic() {
    for args in [&["dot"][..], &["dot", "--all", "--cluster-by", "kind"][..]] {
        assert_eq!(run(args), run(args), "{args:?}");
    }
}

#[test]
fn rankdir_and_cluster_options_reach_the_dot() {
    let out = run(&["dot", "--rankdir", "LR", "--cluster-by", "none"]);
    assert!(out.contains("rankdir=\"LR\""));
    assert!(!out.contains("cluster_0"));
    assert!(out.contains("cluster_legend"));
}

// ---------------------------------------------------------------------------
// Focus, query, filters, errors
// ---------------------------------------------------------------------------

#[test]
fn focus_dge_depth_1_draws_the_dge_and_its_direct_relations() {
    let focus = Dot::parse(&run(&["dot", "--focus", "dge", "--depth", "1"]));
    let default = Dot::parse(&run(&["dot"]));
    let dge = org("dge");
    assert!(focus.nodes.len() < default.nodes.len());
    for id in [&dge, &org("min-eco"), &org("sessi"), &org("gti")] {
        assert!(focus.nodes.contains_key(id.as_str()), "missing {id}");
    }
    assert!(focus.has_edge(&dge, &org("min-eco"), "fait partie de"));
    assert!(focus.has_edge(&org("sessi"), &dge, "fait partie de"));
    assert!(focus.has_edge(&org("gti"), &dge, "secrétariat assuré par"));
    // Every node is the DGE or one link away from it, and every direct
    // relation of the DGE (provenance aside) is drawn.
    let neighbours = sparql_count(
        "SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
           { organization:dge ?p ?n } UNION { ?n ?p organization:dge }
           ?n a ?class .
           FILTER(?p NOT IN (rdf:type, dcterms:source, prov:wasDerivedFrom, prov:wasAssociatedWith))
           FILTER(STRSTARTS(STR(?n), \"https://example.org/polegraph/\") && !STRSTARTS(STR(?n), STR(pg:)))
           FILTER NOT EXISTS { ?n a pg:Source }
         }",
        &[],
    );
    assert_eq!(
        focus.nodes.len(),
        neighbours + 1,
        "{:#?}",
        focus.nodes.keys()
    );
    for id in focus.nodes.keys().filter(|id| **id != dge) {
        assert!(
            focus
                .edges
                .iter()
                .any(|(f, t, _)| (*f == dge && t == id) || (f == id && *t == dge)),
            "{id} is drawn but not linked to the DGE"
        );
    }
    // The IRI and a prefixed name give the same diagram.
    assert_eq!(
        run(&["dot", "--focus", "dge"]),
        run(&["dot", "--focus", &dge, "--depth", "1"])
    );
    assert_eq!(
        run(&["dot", "--focus", "dge"]),
        run(&["dot", "--focus", "organization:dge"])
    );
}

#[test]
fn deeper_focus_draws_more() {
    let one = Dot::parse(&run(&["dot", "--focus", "dge", "--depth", "1"]));
    let two = Dot::parse(&run(&["dot", "--focus", "dge", "--depth", "2"]));
    assert!(two.nodes.len() > one.nodes.len());
    assert!(one.nodes.keys().all(|k| two.nodes.contains_key(k)));
}

/// The width in pixels of a PNG (its IHDR chunk).
fn png_width(png: &[u8]) -> u32 {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    u32::from_be_bytes(png[16..20].try_into().unwrap())
}

#[test]
fn focus_groups_the_poles_and_stays_readable() {
    let grouped = Dot::parse(&run(&["dot", "--focus", "dge", "--depth", "2"]));
    let groups = grouped
        .nodes
        .keys()
        .filter(|id| id.starts_with("pole-group:"))
        .count();
    assert!(groups >= 2, "{:?}", grouped.nodes.keys());
    assert!(!grouped.nodes.contains_key(&org("aerospace-valley")));
    // The group links count every pole, as in the default diagram.
    let poles: usize = grouped
        .edges
        .iter()
        .filter(|(f, t, _)| *f == org("gti") && t.starts_with("pole-group:"))
        .map(|(_, _, l)| count_in(l))
        .sum();
    assert_eq!(poles, 71);
    let expanded = Dot::parse(&run(&[
        "dot",
        "--focus",
        "dge",
        "--depth",
        "2",
        "--expand-poles",
    ]));
    assert!(expanded.nodes.contains_key(&org("aerospace-valley")));
    assert!(!expanded
        .nodes
        .keys()
        .any(|id| id.starts_with("pole-group:")));
    let Some(dot) = graphviz() else { return };
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("dge.png");
    let output = polegraph(&[
        "dot",
        "--focus",
        "dge",
        "--depth",
        "2",
        "-o",
        png.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let width = png_width(&std::fs::read(&png).unwrap());
    assert!(
        width <= 4000,
        "{dot} drew the DGE's neighbourhood {width} px wide"
    );
}

#[test]
fn a_crowded_neighbourhood_says_what_it_left_out() {
    let focus = ["dot", "--focus", "gti", "--expand-poles"];
    let whole = Dot::parse(&run(&[&focus[..], &["--max-nodes", "1000"]].concat()));
    let output = polegraph(&[&focus[..], &["--max-nodes", "20"]].concat());
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let cut = Dot::parse(&text);
    assert_eq!(cut.nodes.len(), 20);
    let left_out = whole.nodes.len() - cut.nodes.len();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{left_out} records of the neighbourhood are left out"
        )) && stderr.contains(&format!("--max-nodes {}", whole.nodes.len())),
        "{stderr}"
    );
    assert!(text.contains(&format!(
        "{left_out} enregistrements plus éloignés non dessinés"
    )));
    // Every node kept hangs on the drawing by a link.
    for id in cut.nodes.keys() {
        assert!(
            cut.edges.iter().any(|(f, t, _)| f == id || t == id),
            "{id} is drawn alone"
        );
    }
    // The GTI itself and every node kept is in the whole neighbourhood.
    assert!(cut.nodes.contains_key(&org("gti")));
    assert!(cut.nodes.keys().all(|k| whole.nodes.contains_key(k)));
    // Grouped poles count once: a small limit still reaches them.
    let grouped = Dot::parse(&run(&[
        "dot",
        "--focus",
        "dge",
        "--depth",
        "2",
        "--max-nodes",
        "8",
    ]));
    assert_eq!(grouped.nodes.len(), 8);
    assert_eq!(
        polegraph(&["dot", "--focus", "dge", "--max-nodes", "0"])
            .status
            .code(),
        Some(2)
    );
    // Within the limit, nothing is said.
    let quiet = polegraph(&["dot", "--focus", "dge"]);
    assert!(String::from_utf8_lossy(&quiet.stderr).trim().is_empty());
}

#[test]
fn unknown_focus_is_a_usage_error_with_a_suggestion() {
    let output = polegraph(&["dot", "--focus", "dgee"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown record `dgee` (did you mean `dge`?)"),
        "{stderr}"
    );
}

#[test]
fn query_turns_a_construct_into_a_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let query = dir.path().join("ministries.rq");
    std::fs::write(
        &query,
        "CONSTRUCT { ?d org:subOrganizationOf ?m } WHERE { ?d org:subOrganizationOf ?m . ?m a pg:Ministry }",
    )
    .unwrap();
    let dot = Dot::parse(&run(&["dot", "--query", query.to_str().unwrap()]));
    let expected = sparql_count(
        "SELECT (COUNT(*) AS ?count) WHERE { SELECT DISTINCT ?d ?m WHERE { ?d org:subOrganizationOf ?m . ?m a pg:Ministry } }",
        &[],
    );
    assert_eq!(dot.edges.len(), expected);
    assert!(dot.edges.iter().all(|(_, _, l)| l == "fait partie de"));
    assert!(dot.has_edge(&org("dge"), &org("min-eco"), "fait partie de"));
    // Nodes the result does not name take their labels from the store.
    assert!(dot.label(&org("dge")).starts_with("DGE\n"));

    // Literals become nodes of their own.
    let regions = dir.path().join("regions.rq");
    std::fs::write(
        &regions,
        "CONSTRUCT { ?p pg:region ?r } WHERE { ?p pg:category pg:mondial ; pg:region ?r }",
    )
    .unwrap();
    let out = run(&["dot", "--query", regions.to_str().unwrap()]);
    let dot = Dot::parse(&out);
    assert!(
        dot.nodes.contains_key("\"Rhône-Alpes\""),
        "{:#?}",
        dot.nodes.keys()
    );
    if let Some(graphviz) = graphviz() {
        let file = dir.path().join("regions.dot");
        std::fs::write(&file, out).unwrap();
        assert_graphviz_accepts(graphviz, &file);
    }
}

#[test]
fn query_with_blank_nodes_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let query = dir.path().join("blank.rq");
    std::fs::write(
        &query,
        "CONSTRUCT { ?d org:memberOf [ rdfs:label \"groupe\" ; org:subOrganizationOf ?m ] } \
         WHERE { ?d org:subOrganizationOf ?m . ?m a pg:Ministry }",
    )
    .unwrap();
    let args = ["dot", "--query", query.to_str().unwrap()];
    let first = run(&args);
    assert!(first.contains("\"_:b0\""), "{first}");
    assert_eq!(first, run(&args));
}

#[test]
fn query_must_be_a_construct() {
    let dir = tempfile::tempdir().unwrap();
    let query = dir.path().join("select.rq");
    std::fs::write(&query, "SELECT * WHERE { ?s ?p ?o } LIMIT 1").unwrap();
    let output = polegraph(&["dot", "--query", query.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a CONSTRUCT query"));
    std::fs::write(&query, "CONSTRUCT { ?s ?p }").unwrap();
    let output = polegraph(&["dot", "--query", query.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn include_and_exclude_filter_classes_and_properties() {
    // Only the hierarchy below the economy ministry.
    let tree = Dot::parse(&run(&[
        "dot",
        "--focus",
        "min-eco",
        "--depth",
        "3",
        "--include",
        "org:subOrganizationOf",
    ]));
    assert!(tree.edges.iter().all(|(_, _, l)| l == "fait partie de"));
    assert!(tree.nodes.contains_key(&org("sessi")));
    assert!(!tree.nodes.contains_key(&org("gti")));
    // No poles at all.
    let no_poles = Dot::parse(&run(&["dot", "--expand-poles", "--exclude", "pg:Pole"]));
    assert!(!no_poles.nodes.contains_key(&org("aerospace-valley")));
    assert!(no_poles.nodes.contains_key(&org("dge")));
    // The reverse half of an inverse pair, on request.
    let members = Dot::parse(&run(&[
        "dot",
        "--focus",
        "gti",
        "--include",
        "org:memberOf",
    ]));
    assert!(members.has_edge(&org("anr"), &org("gti"), "membre de"));
    // Unknown terms are usage errors with a suggestion.
    let output = polegraph(&["dot", "--include", "pg:Pol"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `pg:Pole`?"));
}

#[test]
fn unknown_output_extension_is_a_usage_error() {
    let output = polegraph(&["dot", "-o", "diagram.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(".svg"));
}

#[test]
fn missing_graphviz_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("gti.svg");
    let output = Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(["dot", "-o", target.to_str().unwrap()])
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("apt-get install graphviz"), "{stderr}");
    assert!(stderr.contains("brew install graphviz"), "{stderr}");
    assert!(!target.exists());
    // DOT itself needs no Graphviz.
    let target = dir.path().join("gti.dot");
    let output = Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(["dot", "-o", target.to_str().unwrap()])
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), run(&["dot"]));
}

// ---------------------------------------------------------------------------
// Graphviz
// ---------------------------------------------------------------------------

#[test]
fn graphviz_renders_every_variant_without_a_warning() {
    let Some(graphviz) = graphviz() else { return };
    let dir = tempfile::tempdir().unwrap();
    let variants: &[&[&str]] = &[
        &[],
        &["--expand-poles"],
        &["--lang", "en", "--rankdir", "LR"],
        &["--cluster-by", "kind"],
        &["--cluster-by", "none", "--rankdir", "BT"],
        &["--focus", "dge", "--depth", "2"],
        &["--all"],
    ];
    for (i, extra) in variants.iter().enumerate() {
        let file = dir.path().join(format!("v{i}.dot"));
        let mut args = vec!["dot", "-o", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&args);
        assert_graphviz_accepts(graphviz, &file);
    }
    // And through polegraph itself.
    for extension in ["svg", "png", "pdf"] {
        let file = dir.path().join(format!("gti.{extension}"));
        let output = polegraph(&["dot", "-o", file.to_str().unwrap()]);
        assert!(output.status.success());
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let bytes = std::fs::read(&file).unwrap();
        let magic: &[u8] = match extension {
            "svg" => b"<?xml",
            "png" => b"\x89PNG",
            _ => b"%PDF",
        };
        assert!(bytes.starts_with(magic), "{extension}");
    }
}

/// An image written to a named pipe goes into the pipe (renaming a file
/// over it would replace the pipe); a folder is refused before drawing.
#[cfg(unix)]
#[test]
fn graphviz_writes_into_a_pipe_and_refuses_a_folder() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder.svg");
    std::fs::create_dir(&folder).unwrap();
    let output = polegraph(&["dot", "-o", folder.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a folder"));

    if graphviz().is_none() {
        return;
    }
    let pipe = dir.path().join("gti.svg");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read(pipe).unwrap())
    };
    let output = polegraph(&["dot", "-o", pipe.to_str().unwrap()]);
    assert!(output.status.success());
    // (Checked before waiting for the reader, which a replaced pipe would
    // leave waiting for ever.)
    assert!(std::fs::symlink_metadata(&pipe)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(reader.join().unwrap().starts_with(b"<?xml"));
}

/// A data folder whose names hold every character DOT, Graphviz labels,
/// HTML entities and XML care about.
fn hostile_data(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    let hostile = r#"Groupe \"quoted\" back\\slash\\ <b>&amp; {x|y} &eacute; \\N \\l"#;
    let toml = format!(
        r#"
[[source]]
id = "src"
kind = "web_page"
title = "Source \"hostile\" <&> {{|}} \\ é"
url = "https://example.org/source?a=1&b=2"

[[organization]]
id = "gti"
kind = "interministerial_body"
name = "{hostile}\nsecond line — Élysée ŒUVRE 日本"
name_en = "English {hostile}"
acronym = "G\"T\\I<&>"
members = ["min-a"]
secretariat = ["dir-b", "svc-c"]
coordinates_support_to = ["pole-1", "pole-2", "pole-3"]
sources = ["src"]

[[organization]]
id = "min-a"
kind = "ministry"
name = "Ministère \"A\" & <Co> {{1|2}}\\"
acronym = "M&A"
sources = ["src"]

[[organization]]
id = "dir-b"
kind = "directorate"
name = "Direction \\\"B\\\" \t tab"
short_name = "Dir. <B> | \"b\""
parent = "min-a"
sources = ["src"]

[[organization]]
id = "pm"
kind = "head_of_government"
name = "Premier ministre \\"
sources = ["src"]

[[organization]]
id = "svc-c"
kind = "service"
name = "Service \"C\"\r\nretour"
parent = "pm"
placed_at_disposal_of = "min-a"
sources = ["src"]

[[organization]]
id = "comite"
kind = "interministerial_committee"
name = "Comité &lt;{hostile}"
parent = "pm"
sources = ["src"]

[[organization]]
id = "pole-1"
kind = "pole"
name = "Pôle \"1\" <mondial> & co"
category = "mondial"
regions = ["Île-de-France \"IDF\""]
labelled_by = "dec"
sources = ["src"]

[[organization]]
id = "pole-2"
kind = "pole"
name = "Pôle \\2\\ sans catégorie"
sources = ["src"]

[[organization]]
id = "pole-3"
kind = "pole"
name = "Pôle {{3}} | national"
category = "national"
labelled_by = "dec"
sources = ["src"]

[[decision]]
id = "dec"
kind = "labelling"
name = "Décision \"<&>\" {hostile}"
date = "2007-07-05"
decided_by = "comite"
sources = ["src"]

[[event]]
id = "journee"
kind = "national_day"
name = "Journée \"<&>\" \\ {{}} |"
date = "2007-07-10"
organizers = ["gti"]
sources = ["src"]

[[person]]
id = "personne"
name = "Zoë \"Z\" O'Brien <&> \\"
organization = "dir-b"
sources = ["src"]

[[talk]]
id = "talk"
title = "Titre \"{hostile}\"\nsur deux lignes"
event = "journee"
speakers = ["personne"]
sources = ["src"]
"#
    );
    std::fs::write(data.join("records.toml"), toml).unwrap();
    data
}

#[test]
fn hostile_names_still_give_dot_that_graphviz_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let data = hostile_data(dir.path());
    let data = data.to_str().unwrap();
    let out = run(&["dot", "--data", data]);
    let dot = Dot::parse(&out);
    // The names come back exactly (whitespace runs aside).
    assert_eq!(dot.label(&org("gti")).lines().next(), Some("G\"T\\I<&>"));
    assert!(dot.label(&org("min-a")).starts_with("M&A\n"));
    assert!(dot.nodes.contains_key("pole-group:none"));
    let graphviz = graphviz();
    let variants: &[&[&str]] = &[
        &[],
        &["--expand-poles", "--lang", "en"],
        &["--all", "--cluster-by", "kind"],
        &["--focus", "gti", "--depth", "3", "--rankdir", "RL"],
        &[
            "--focus",
            "talk",
            "--include",
            "dcterms:source,pg:Source,pg:Talk",
        ],
    ];
    for (i, extra) in variants.iter().enumerate() {
        let file = dir.path().join(format!("hostile{i}.dot"));
        let mut args = vec!["dot", "--data", data, "-o", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&args);
        let text = std::fs::read_to_string(&file).unwrap();
        Dot::parse(&text);
        if let Some(graphviz) = graphviz {
            let svg = assert_graphviz_accepts(graphviz, &file);
            if i == 0 {
                // Graphviz shows the acronym as written, escaped for XML.
                assert!(svg.contains("G&quot;T\\I&lt;&amp;&gt;"), "{svg}");
                assert!(svg.contains("&amp;eacute;"));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The committed diagram of the README
// ---------------------------------------------------------------------------

const REGENERATE: &str = "regenerate with: cargo run --quiet -- dot --links -o docs/gti.dot && cargo run --quiet -- dot --links -o docs/gti.svg";

fn docs(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name)
}

#[test]
fn committed_gti_dot_is_up_to_date() {
    let committed = std::fs::read_to_string(docs("gti.dot"))
        .unwrap_or_else(|e| panic!("docs/gti.dot: {e}; {REGENERATE}"));
    assert!(
        committed == run(&["dot", "--links"]),
        "docs/gti.dot is out of date with the data; {REGENERATE}"
    );
}

#[test]
fn committed_gti_svg_was_made_from_the_committed_dot() {
    // SVG bytes depend on the Graphviz version; its node and edge titles
    // (the DOT ids) do not.
    let svg = std::fs::read_to_string(docs("gti.svg"))
        .unwrap_or_else(|e| panic!("docs/gti.svg: {e}; {REGENERATE}"));
    let dot = std::fs::read_to_string(docs("gti.dot")).unwrap();
    let parsed = Dot::parse(&dot);
    let mut dot_titles: BTreeSet<String> = parsed.nodes.keys().cloned().collect();
    for line in dot.lines().map(str::trim) {
        if line.starts_with("\"polegraph:legend/") && !line.contains("->") {
            dot_titles.insert(unquote(line).0);
        }
    }
    // The legend's edges (its layout chain and its line samples) are left
    // out on both sides.
    for (from, to, _) in &parsed.edges {
        if !from.starts_with("polegraph:legend/") {
            dot_titles.insert(format!("{from}->{to}"));
        }
    }
    let svg_titles: BTreeSet<String> = svg
        .split("<title>")
        .skip(1)
        .filter_map(|s| s.split_once("</title>").map(|(t, _)| xml_text(t)))
        .filter(|t| {
            let legend_edge = t.starts_with("polegraph:legend/") && t.contains("->");
            t != "polegraph" && !t.starts_with("cluster_") && !legend_edge
        })
        .collect();
    assert_eq!(
        svg_titles, dot_titles,
        "docs/gti.svg does not match docs/gti.dot; {REGENERATE}"
    );
    // Published beside the data, its nodes link to the records' IRIs.
    assert!(
        svg.contains(&format!("xlink:href=\"{}\"", org("dge"))),
        "docs/gti.svg has no links; {REGENERATE}"
    );
}

/// XML text with its entities decoded.
fn xml_text(text: &str) -> String {
    text.replace("&#45;", "-")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Links that are not confirmed are drawn as such (uncertain dashed,
/// inferred dotted), the legend says so, and each link's tooltip names the
/// sources that state it (for an inferred link, its premises' sources).
#[test]
fn default_diagram_draws_each_link_with_its_confidence_and_sources() {
    let text = run(&["dot"]);
    let line = |from: &str, to: &str| -> String {
        let start = format!("  \"{from}\" -> \"{to}\" [");
        text.lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("no link {from} -> {to}"))
            .to_owned()
    };
    let anr_parent = line(&org("anr"), &org("min-esr"));
    assert!(anr_parent.contains("style=\"dashed\""), "{anr_parent}");
    assert!(
        anr_parent.contains("sources : ref-state-actors"),
        "{anr_parent}"
    );
    let member = line(&org("gti"), &org("anr"));
    assert!(member.contains("style=\"dotted\""), "{member}");
    assert!(member.contains("sources : seed\\ninféré"), "{member}");
    let placed = line(&org("diact"), &org("min-ecologie"));
    assert!(!placed.contains("style="), "{placed}");
    assert!(
        placed.contains("sources : ref-state-actors, seed"),
        "{placed}"
    );
    assert!(text.contains("label=\"lien incertain (tirets)\""));
    assert!(text.contains("label=\"lien inféré (pointillés)\""));
    // The 33 poles the reference table classes national by inference.
    assert!(
        text.contains("tooltip=\"pôle national: 54 pôles (dont 33 de catégorie inférée)\""),
        "{text}"
    );
}

/// `--links` makes each record's node a link, to its IRI or under a base
/// given (an endpoint's pages); a picture rendered by Graphviz keeps them.
#[test]
fn links_take_a_node_to_its_record() {
    let plain = run(&["dot"]);
    assert!(!plain.contains("URL="), "no links unless asked");
    let to_iris = run(&["dot", "--links"]);
    assert!(
        to_iris.contains("URL=\"https://example.org/polegraph/organization/dge\", target=\"_top\""),
        "{to_iris}"
    );
    let served = run(&["dot", "--links", "http://localhost:7878/"]);
    assert!(served.contains("URL=\"http://localhost:7878/organization/dge\""));
    // A group of poles is not a record: it gets no link.
    let group = served
        .lines()
        .find(|l| l.contains("\"pole-group:") && l.contains("[label="))
        .expect("a group of poles is drawn");
    assert!(!group.contains("URL="), "{group}");
    let refused = polegraph(&["dot", "--links", "http://localhost:7878"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("must end with `/` or `#`"));
    let Some(dot) = graphviz() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("links.dot");
    std::fs::write(&file, &served).unwrap();
    let svg = assert_graphviz_accepts(dot, &file);
    assert!(
        svg.contains("xlink:href=\"http://localhost:7878/organization/dge\""),
        "the SVG keeps the link"
    );
}
