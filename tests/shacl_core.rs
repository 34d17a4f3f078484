//! The W3C SHACL Core test suite (tests/fixtures/w3c-shacl-core, 98
//! `sht:Validate` tests), run through `polegraph::validate`: for each test,
//! `sh:conforms` and the multiset of results — focus node, result path,
//! value, source shape, source constraint component, severity — must be
//! those the test expects. Each file is read with its own `file://` IRI as
//! base, as the expected reports name nodes relative to it; a file that
//! is data, shapes and manifest at once is read once, so its blank nodes
//! are the same in all three.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, TripleRef,
};
use polegraph::validate::{validate_graph, Path, Shapes};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use url::Url;

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";
const SH: &str = "http://www.w3.org/ns/shacl#";

fn iri(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

fn suite() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/w3c-shacl-core")
}

/// The files read so far, by IRI.
#[derive(Default)]
struct Files {
    graphs: HashMap<String, Graph>,
}

impl Files {
    fn get(&mut self, iri: &str) -> &Graph {
        if !self.graphs.contains_key(iri) {
            let path = Url::parse(iri)
                .ok()
                .and_then(|u| u.to_file_path().ok())
                .unwrap_or_else(|| panic!("{iri} is not a file IRI"));
            let text = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let parser = RdfParser::from_format(RdfFormat::Turtle)
                .with_base_iri(iri)
                .unwrap_or_else(|e| panic!("{iri}: {e}"));
            let mut graph = Graph::new();
            for quad in parser.for_slice(&text) {
                let quad = quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                graph.insert(TripleRef::new(
                    quad.subject.as_ref(),
                    quad.predicate.as_ref(),
                    quad.object.as_ref(),
                ));
            }
            self.graphs.insert(iri.to_owned(), graph);
        }
        &self.graphs[iri]
    }
}

fn subject(term: TermRef<'_>) -> NamedOrBlankNodeRef<'_> {
    match term {
        TermRef::NamedNode(n) => n.into(),
        TermRef::BlankNode(b) => b.into(),
        other => panic!("{other} is not a node"),
    }
}

fn object<'g>(
    graph: &'g Graph,
    node: TermRef<'g>,
    predicate: NamedNodeRef<'_>,
) -> Option<TermRef<'g>> {
    graph.object_for_subject_predicate(subject(node), predicate)
}

fn list<'g>(graph: &'g Graph, mut node: TermRef<'g>) -> Vec<TermRef<'g>> {
    let mut items = Vec::new();
    while node != rdf::NIL.into() {
        items.push(object(graph, node, rdf::FIRST).expect("a list item"));
        node = object(graph, node, rdf::REST).expect("a list rest");
    }
    items
}

/// One validation test.
struct Test {
    name: String,
    data: String,
    shapes: String,
    manifest: String,
    result: Term,
}

/// The tests of the manifest at `iri` and of those it includes.
fn collect(files: &mut Files, at: &str, tests: &mut Vec<Test>) {
    let graph = files.get(at).clone();
    let manifest = TermRef::NamedNode(NamedNodeRef::new_unchecked(at));
    for include in
        graph.objects_for_subject_predicate(subject(manifest), iri_mf("include").as_ref())
    {
        let TermRef::NamedNode(include) = include else {
            panic!("mf:include {include}")
        };
        collect(files, include.as_str(), tests);
    }
    let Some(entries) = object(&graph, manifest, iri_mf("entries").as_ref()) else {
        return;
    };
    for entry in list(&graph, entries) {
        let is_validate = graph.contains(TripleRef::new(
            subject(entry),
            rdf::TYPE,
            iri(SHT, "Validate").as_ref(),
        ));
        if !is_validate {
            continue;
        }
        let action = object(&graph, entry, iri_mf("action").as_ref()).expect("mf:action");
        let file = |p: &str| match object(&graph, action, iri(SHT, p).as_ref()) {
            Some(TermRef::NamedNode(n)) => n.as_str().to_owned(),
            other => panic!("{entry}: sht:{p} {other:?}"),
        };
        let name = match entry {
            TermRef::NamedNode(n) => n
                .as_str()
                .trim_start_matches(suite_iri().as_str())
                .to_owned(),
            other => other.to_string(),
        };
        tests.push(Test {
            name,
            data: file("dataGraph"),
            shapes: file("shapesGraph"),
            manifest: at.to_owned(),
            result: object(&graph, entry, iri_mf("result").as_ref())
                .expect("mf:result")
                .into_owned(),
        });
    }
}

fn iri_mf(local: &str) -> NamedNode {
    iri(MF, local)
}

fn suite_iri() -> String {
    Url::from_directory_path(suite().canonicalize().expect("the suite folder"))
        .expect("a file IRI")
        .to_string()
}

/// A result as compared: focus, path, value, source shape, component,
/// severity.
type Key = (String, String, String, String, String, String);

fn key(
    focus: &Term,
    path: Option<&Path>,
    value: Option<&Term>,
    shape: &str,
    component: &str,
    severity: &str,
) -> Key {
    (
        focus.to_string(),
        path.map_or_else(|| "-".to_owned(), Path::sparql),
        value.map_or_else(|| "-".to_owned(), ToString::to_string),
        shape.to_owned(),
        component.to_owned(),
        severity.to_owned(),
    )
}

/// The expected conforms and results of a test.
fn expected(graph: &Graph, report: TermRef<'_>) -> (bool, Vec<Key>) {
    let conforms = match object(graph, report, iri(SH, "conforms").as_ref()) {
        Some(TermRef::Literal(l)) => l.value() == "true",
        other => panic!("sh:conforms {other:?}"),
    };
    let mut results = Vec::new();
    for result in graph.objects_for_subject_predicate(subject(report), iri(SH, "result").as_ref()) {
        let get = |p: &str| object(graph, result, iri(SH, p).as_ref());
        let path = get("resultPath").map(|p| Path::from_graph(graph, p).expect("a result path"));
        results.push(key(
            &get("focusNode").expect("sh:focusNode").into_owned(),
            path.as_ref(),
            get("value").map(TermRef::into_owned).as_ref(),
            &get("sourceShape").expect("sh:sourceShape").to_string(),
            &get("sourceConstraintComponent")
                .expect("sh:sourceConstraintComponent")
                .to_string(),
            &get("resultSeverity")
                .expect("sh:resultSeverity")
                .to_string(),
        ));
    }
    results.sort();
    (conforms, results)
}

/// What differs between the expected and the actual multisets, or `None`.
fn differences(expected: &[Key], actual: &[Key]) -> Option<String> {
    let mut counts: BTreeMap<&Key, i64> = BTreeMap::new();
    for k in expected {
        *counts.entry(k).or_default() += 1;
    }
    for k in actual {
        *counts.entry(k).or_default() -= 1;
    }
    let lines: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(k, n)| {
            let what = if n > 0 { "missing" } else { "unexpected" };
            format!(
                "    {what} ×{}: focus {} path {} value {} shape {} {} {}",
                n.abs(),
                k.0,
                k.1,
                k.2,
                k.3,
                k.4.trim_start_matches(&format!("<{SH}"))
                    .trim_end_matches('>'),
                k.5.trim_start_matches(&format!("<{SH}"))
                    .trim_end_matches('>'),
            )
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

#[test]
fn the_w3c_shacl_core_suite_passes_whole() {
    let mut files = Files::default();
    let mut tests = Vec::new();
    collect(
        &mut files,
        &format!("{}manifest.ttl", suite_iri()),
        &mut tests,
    );
    assert_eq!(tests.len(), 98, "the suite has 98 sht:Validate tests");
    let mut failures = Vec::new();
    for test in &tests {
        let (conforms, expected) = {
            let manifest = files.get(&test.manifest).clone();
            expected(&manifest, test.result.as_ref())
        };
        let shapes_graph = files.get(&test.shapes).clone();
        let shapes = match Shapes::from_graph(shapes_graph) {
            Ok(shapes) => shapes,
            Err(e) => {
                failures.push(format!("{}: the shapes are refused: {e}", test.name));
                continue;
            }
        };
        let data = files.get(&test.data).clone();
        let report = validate_graph(&data, &shapes);
        let mut actual: Vec<Key> = report
            .results
            .iter()
            .map(|r| {
                key(
                    &r.focus,
                    r.path.as_ref(),
                    r.value.as_ref(),
                    &r.source_shape.to_string(),
                    &format!("<{}>", r.component.as_str()),
                    &format!("<{}>", r.severity.as_str()),
                )
            })
            .collect();
        actual.sort();
        let mut problems = Vec::new();
        if report.conforms() != conforms {
            problems.push(format!(
                "    conforms {} (expected {conforms})",
                report.conforms()
            ));
        }
        problems.extend(differences(&expected, &actual));
        if !problems.is_empty() {
            failures.push(format!("{}:\n{}", test.name, problems.join("\n")));
        }
    }
    let passed = tests.len() - failures.len();
    println!(
        "W3C SHACL Core: {passed}/{} tests with every result right",
        tests.len()
    );
    assert!(
        failures.is_empty(),
        "{passed}/{} W3C SHACL Core tests pass; the others:\n{}",
        tests.len(),
        failures.join("\n")
    );
}

/// Every file of the suite read as shapes, against every file as data:
/// the engine answers or refuses, never panics.
#[test]
fn any_file_as_shapes_against_any_file_as_data_never_panics() {
    let mut files = Files::default();
    let mut names: Vec<String> = Vec::new();
    for dir in std::fs::read_dir(suite()).expect("the suite folder") {
        let dir = dir.expect("an entry").path();
        let entries: Vec<PathBuf> = if dir.is_dir() {
            std::fs::read_dir(&dir)
                .expect("a folder")
                .map(|e| e.expect("an entry").path())
                .collect()
        } else {
            vec![dir]
        };
        for path in entries {
            if path.extension().is_some_and(|e| e == "ttl") {
                let path = path.canonicalize().expect("a path");
                names.push(Url::from_file_path(path).expect("a file IRI").to_string());
            }
        }
    }
    names.sort();
    let mut refused = 0;
    let mut validated = 0;
    for shapes_file in &names {
        let shapes = match Shapes::from_graph(files.get(shapes_file).clone()) {
            Ok(shapes) => shapes,
            Err(_) => {
                refused += 1;
                continue;
            }
        };
        for data_file in &names {
            let report = validate_graph(files.get(data_file), &shapes);
            assert_eq!(report.conforms(), report.results.is_empty());
            validated += 1;
        }
    }
    println!(
        "{} files: {refused} refused as shapes, {validated} validations",
        names.len()
    );
}
