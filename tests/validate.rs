//! `polegraph validate`: the built-in data conforms to the shapes; each
//! broken fixture (a data folder that loads but violates a shape) exits 2
//! and names its focus node and shape; the three report formats agree; and
//! the engine's corner cases (ill-formed literals, literals as written,
//! nested shapes, malformed and unsupported shapes). The W3C SHACL Core
//! suite runs in tests/shacl_core.rs.

mod support;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphNameRef, Literal, NamedNode, QuadRef, TripleRef};
use oxigraph::store::Store;
use polegraph::validate::{validate, validate_graph, Shapes};
use std::path::PathBuf;
use support::*;

/// Each broken fixture of tests/fixtures/shacl: the focus node (its IRI
/// as the text report abbreviates it), the shape of the result and the
/// constraint component, one line per result.
/// (focus node, shape, constraint component) of one expected result.
type Expected = (&'static str, &'static str, &'static str);

const BROKEN: &[(&str, &[Expected])] = &[
    (
        "dataset-title-not-french",
        &[(
            "<https://example.org/polegraph/dataset>",
            "pgsh:dataset-title",
            "sh:QualifiedMinCountConstraintComponent",
        )],
    ),
    (
        "orphan-labelling-decision",
        &[(
            "decision:ciadt-2005-07-12",
            "pgsh:labellingDecision-labelled",
            "sh:MinCountConstraintComponent",
        )],
    ),
    (
        "pole-without-region",
        &[(
            "organization:lyonbiopole",
            "pgsh:pole-region",
            "sh:MinCountConstraintComponent",
        )],
    ),
    (
        "shared-homepage",
        &[
            (
                "organization:dge",
                "pgsh:organization-homepage-unique",
                "sh:MaxCountConstraintComponent",
            ),
            (
                "organization:min-eco",
                "pgsh:organization-homepage-unique",
                "sh:MaxCountConstraintComponent",
            ),
        ],
    ),
    (
        "support-to-non-pole",
        &[(
            "organization:gti",
            "pgsh:organization-coordinatesSupportTo",
            "sh:ClassConstraintComponent",
        )],
    ),
];

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/shacl")
}

#[test]
fn validate_help_matches_its_snapshot() {
    let output = polegraph(&["validate", "--help"]);
    assert_exit(&output, 0);
    assert_snapshot("help-validate.txt", &stdout(&output));
}

#[test]
fn the_builtin_data_conforms() {
    let output = polegraph(&["validate"]);
    assert_exit(&output, 0);
    let report = stdout(&output);
    assert!(report.starts_with("Conforms: yes."), "{report}");
    for shape in [
        "pgsh:OrganizationShape",
        "pgsh:PoleShape",
        "pgsh:PersonShape",
        "pgsh:PostShape",
        "pgsh:EventShape",
        "pgsh:TalkShape",
        "pgsh:DocumentShape",
        "pgsh:DecisionShape",
        "pgsh:SourceShape",
        "pgsh:DatasetShape",
        "pgsh:DistributionShape",
        "pgsh:StatementShape",
        "pgsh:SourceGraphShape",
        "pgsh:InferredGraphShape",
    ] {
        let line = report
            .lines()
            .find(|l| l.trim_start().starts_with(shape))
            .unwrap_or_else(|| panic!("{shape} is not listed: {report}"));
        let count: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        assert!(count > 0, "{shape} selected no focus node: {line}");
    }
    let tsv = polegraph(&["validate", "--format", "tsv"]);
    assert_exit(&tsv, 0);
    assert_eq!(stdout(&tsv), "");
}

#[test]
fn every_broken_fixture_loads_and_is_listed() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let listed: Vec<&str> = BROKEN.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, listed, "every fixture has its expected results here");
    assert!(names.len() >= 5);
    for name in &names {
        // The data checks accept the folder: only the shapes can tell.
        let dir = fixtures().join(name);
        assert_exit(&polegraph(&["build", "--data", dir.to_str().unwrap()]), 0);
    }
}

#[test]
fn each_broken_fixture_exits_2_naming_focus_node_and_shape() {
    for (name, expected) in BROKEN {
        let dir = fixtures().join(name);
        let output = polegraph(&["validate", "--data", dir.to_str().unwrap()]);
        assert_exit(&output, 2);
        let report = stdout(&output);
        assert!(report.starts_with("Conforms: no."), "{name}: {report}");
        let message = stderr(&output);
        assert!(
            message.starts_with("polegraph: the graph does not conform to the shapes: "),
            "{name}: {message}"
        );
        let results: Vec<&str> = report.split("\n\n  focus     ").skip(1).collect();
        assert_eq!(results.len(), expected.len(), "{name}: {report}");
        for ((focus, shape, component), result) in expected.iter().zip(&results) {
            assert!(result.starts_with(focus), "{name}: {focus} in {result}");
            assert!(
                result.contains(&format!("  shape     {shape} ({component})")),
                "{name}: {shape} {component} in {result}"
            );
            for field in ["path", "severity", "message"] {
                assert!(result.contains(&format!("  {field} ")), "{name}: {field}");
            }
        }
    }
}

#[test]
fn the_text_report_of_a_broken_fixture_matches_its_snapshot() {
    let output = polegraph_in(&fixtures(), &["validate", "--data", "support-to-non-pole"]);
    assert_exit(&output, 2);
    assert_snapshot(
        "validate-support-to-non-pole.txt",
        &format!("{}--- stderr\n{}", stdout(&output), stderr(&output)),
    );
}

/// The Turtle report is a standard sh:ValidationReport with one result per
/// TSV line.
#[test]
fn the_turtle_report_is_a_validation_report() {
    for (name, expected) in BROKEN {
        let dir = fixtures().join(name);
        let ttl = polegraph(&[
            "validate",
            "--data",
            dir.to_str().unwrap(),
            "--format",
            "ttl",
        ]);
        assert_exit(&ttl, 2);
        let store = Store::new().unwrap();
        store
            .load_from_slice(RdfParser::from_format(RdfFormat::Turtle), &ttl.stdout)
            .unwrap();
        let ask = |query: &str| -> bool {
            let query = format!("PREFIX sh: <http://www.w3.org/ns/shacl#> {query}");
            match oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(&query)
                .unwrap()
                .on_store(&store)
                .execute()
                .unwrap()
            {
                oxigraph::sparql::QueryResults::Boolean(b) => b,
                _ => unreachable!(),
            }
        };
        assert!(
            ask("ASK { ?r a sh:ValidationReport ; sh:conforms false }"),
            "{name}"
        );
        for (_, shape, component) in expected.iter() {
            let shape = shape.replace("pgsh:", "https://example.org/polegraph/shapes#");
            let component = component.replace("sh:", "http://www.w3.org/ns/shacl#");
            assert!(
                ask(&format!(
                    "ASK {{ ?r sh:result ?x . ?x a sh:ValidationResult ; sh:focusNode ?f ; \
                     sh:resultSeverity sh:Violation ; sh:sourceShape <{shape}> ; \
                     sh:sourceConstraintComponent <{component}> ; sh:resultMessage ?m }}"
                )),
                "{name}: {shape}"
            );
        }
        let tsv = polegraph(&[
            "validate",
            "--data",
            dir.to_str().unwrap(),
            "--format",
            "tsv",
        ]);
        assert_exit(&tsv, 2);
        assert_eq!(stdout(&tsv).lines().count(), expected.len(), "{name}");
    }
    let ttl = polegraph(&["validate", "--format", "ttl"]);
    assert_exit(&ttl, 0);
    assert!(
        stdout(&ttl).contains("sh:conforms true"),
        "{}",
        stdout(&ttl)
    );
}

#[test]
fn a_shapes_file_with_an_unsupported_feature_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = dir.path().join("sparql.ttl");
    std::fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
         <http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;\n\
             sh:sparql [ sh:select \"SELECT $this WHERE { }\" ] .\n",
    )
    .unwrap();
    let output = polegraph(&["validate", "--shapes", shapes.to_str().unwrap()]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("sparql.ttl"), "{message}");
    assert!(
        message.contains("http://www.w3.org/ns/shacl#sparql"),
        "{message}"
    );
    assert!(message.contains("is not supported"), "{message}");

    std::fs::write(&shapes, "this is not turtle").unwrap();
    let output = polegraph(&["validate", "--shapes", shapes.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("does not parse"),
        "{}",
        stderr(&output)
    );
}

fn store_with(triples: &[(&str, &str, oxigraph::model::Term)]) -> Store {
    let store = Store::new().unwrap();
    let graph = NamedNode::new("http://example.org/g").unwrap();
    for (s, p, o) in triples {
        let s = NamedNode::new(*s).unwrap();
        let p = NamedNode::new(*p).unwrap();
        store
            .insert(QuadRef::new(
                &s,
                &p,
                o,
                GraphNameRef::NamedNode(graph.as_ref()),
            ))
            .unwrap();
    }
    store
}

/// `sh:datatype` fails on ill-formed literals, as SHACL says, and a node
/// shape can have several targets without reporting a node twice.
#[test]
fn datatype_checks_the_lexical_form_and_targets_are_a_set() {
    const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    let class = |c: &str| oxigraph::model::Term::from(NamedNode::new(c).unwrap());
    let date = |d: &str| {
        oxigraph::model::Term::from(Literal::new_typed_literal(
            d,
            oxigraph::model::vocab::xsd::DATE,
        ))
    };
    let store = store_with(&[
        (
            "http://example.org/a",
            RDF_TYPE,
            class("http://example.org/C"),
        ),
        (
            "http://example.org/a",
            RDF_TYPE,
            class("http://example.org/D"),
        ),
        (
            "http://example.org/a",
            "http://example.org/date",
            date("2007-13-01"),
        ),
        (
            "http://example.org/b",
            RDF_TYPE,
            class("http://example.org/C"),
        ),
        (
            "http://example.org/b",
            "http://example.org/date",
            date("2007-07-10"),
        ),
    ]);
    let shapes = Shapes::parse(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
         <http://example.org/S> a sh:NodeShape ;
             sh:targetClass <http://example.org/C> , <http://example.org/D> ;
             sh:property [ sh:path <http://example.org/date> ; sh:datatype xsd:date ; sh:maxCount 1 ] .",
    )
    .unwrap();
    let report = validate(&store, &shapes).unwrap();
    assert_eq!(report.checked[0].focus_nodes, 2);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let result = &report.results[0];
    assert_eq!(result.focus.to_string(), "<http://example.org/a>");
    assert_eq!(
        result.component.as_str(),
        "http://www.w3.org/ns/shacl#DatatypeConstraintComponent"
    );
    assert_eq!(
        result.message(),
        "the value is not a well-formed literal of datatype <http://www.w3.org/2001/XMLSchema#date>"
    );
    assert_eq!(report.violations(), 1);
}

/// Reads Turtle into a graph that keeps each literal as written.
fn graph(turtle: &str) -> Graph {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
        let quad = quad.unwrap();
        graph.insert(TripleRef::new(
            quad.subject.as_ref(),
            quad.predicate.as_ref(),
            quad.object.as_ref(),
        ));
    }
    graph
}

/// Property shapes nested in sh:node (and sh:or, sh:not…) are evaluated
/// on the value node; only their conformance counts.
#[test]
fn nested_property_shapes_are_evaluated() {
    let shapes = Shapes::parse(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .
         <http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;
             sh:node [ sh:property [ sh:path <http://example.org/p> ; sh:minCount 1 ] ] .",
    )
    .unwrap();
    let data = graph(
        "<http://example.org/a> a <http://example.org/C> ; <http://example.org/p> 1 .
         <http://example.org/b> a <http://example.org/C> .",
    );
    let report = validate_graph(&data, &shapes);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let result = &report.results[0];
    assert_eq!(result.focus.to_string(), "<http://example.org/b>");
    assert_eq!(result.value.as_ref(), Some(&result.focus));
    assert_eq!(
        result.component.as_str(),
        "http://www.w3.org/ns/shacl#NodeConstraintComponent"
    );
}

/// Shapes SHACL calls ill-formed, or leaves undefined, are refused with an
/// error naming the shape, never a panic.
#[test]
fn malformed_and_recursive_shapes_are_refused() {
    let prefix = "@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;";
    for (shape, expected) in [
        ("sh:minCount 1 .", "property shapes only"),
        (
            "sh:node <http://example.org/T> . <http://example.org/T> sh:node <http://example.org/S> .",
            "recursive shapes are not supported",
        ),
        ("sh:pattern \"(\" .", "not a valid regular expression"),
        ("sh:pattern \"a\" ; sh:flags \"z\" .", "unknown sh:flags letter"),
        ("sh:property [ sh:path \"p\" ] .", "is not a SHACL path"),
        ("sh:property [ sh:class <http://example.org/D> ] .", "needs an sh:path"),
        ("sh:in ( 1 2 .", "does not parse"),
        ("sh:in [ <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> 1 ] .", "not a well-formed RDF list"),
        ("sh:closed \"yes\" .", "must be a boolean"),
        ("sh:datatype \"xsd:int\" .", "must be an IRI"),
        ("sh:node 5 .", "must be a shape"),
        ("sh:property [ sh:path <http://example.org/p> ; sh:maxCount -1 ] .", "non-negative integer"),
    ] {
        let error = Shapes::parse(&format!("{prefix} {shape}")).unwrap_err();
        assert!(error.to_string().contains(expected), "{shape}: {error}");
    }
    let chain: String = (0..300)
        .map(|n| {
            format!(
                "<http://example.org/N{n}> sh:node <http://example.org/N{}> .\n",
                n + 1
            )
        })
        .collect();
    let error = Shapes::parse(&format!(
        "{prefix} sh:node <http://example.org/N0> .\n{chain}"
    ))
    .unwrap_err();
    assert!(error.to_string().contains("nested more than"), "{error}");
    // 64 deep is read and evaluated.
    let chain: String = (0..62)
        .map(|n| {
            format!(
                "<http://example.org/N{n}> sh:node <http://example.org/N{}> .\n",
                n + 1
            )
        })
        .collect();
    let shapes = Shapes::parse(&format!(
        "{prefix} sh:node <http://example.org/N0> .\n{chain} <http://example.org/N62> sh:class <http://example.org/D> ."
    ))
    .unwrap();
    let report = validate_graph(
        &graph("<http://example.org/a> a <http://example.org/C> ."),
        &shapes,
    );
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
}

/// `sh:datatype` sees each literal's datatype as written: a graph keeps
/// `"5"^^xsd:int`, while the store keeps it as `"5"^^xsd:integer`
/// (docs/validate.md).
#[test]
fn datatypes_are_seen_as_written_in_a_graph() {
    let shapes = Shapes::parse(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
         <http://example.org/S> a sh:NodeShape ; sh:targetNode <http://example.org/a> ;
             sh:property [ sh:path <http://example.org/int> ; sh:datatype xsd:int ] ;
             sh:property [ sh:path <http://example.org/n> ; sh:datatype xsd:integer ] .",
    )
    .unwrap();
    let turtle = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://example.org/a> <http://example.org/int> \"5\"^^xsd:int ;
            <http://example.org/n> \"7\"^^xsd:nonNegativeInteger .";
    let values = |report: polegraph::validate::ValidationReport| -> Vec<String> {
        report
            .results
            .iter()
            .map(|r| r.value.as_ref().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        values(validate_graph(&graph(turtle), &shapes)),
        ["\"7\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"],
        "a valid xsd:int passes; a nonNegativeInteger is not an xsd:integer"
    );

    let store = Store::new().unwrap();
    let graph_name = NamedNode::new("http://example.org/g").unwrap();
    store
        .load_from_slice(
            RdfParser::from_format(RdfFormat::Turtle).with_default_graph(graph_name),
            turtle.as_bytes(),
        )
        .unwrap();
    assert_eq!(
        values(validate(&store, &shapes).unwrap()),
        ["\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>"],
        "the store holds both as xsd:integer"
    );
}
