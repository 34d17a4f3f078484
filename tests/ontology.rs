//! The ontology and the mapper agree both ways: every own term the mapper
//! emits is declared in `ontology/polegraph.ttl`, and every declared term is
//! emitted by the built-in data or by the CSV fixture (which uses the terms
//! only bulk tables produce), or is listed below as used by the ontology
//! itself.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use polegraph::iri::{Iris, DEFAULT_BASE};
use polegraph::vocab::pg;
use std::collections::BTreeSet;

/// Own terms that only the ontology graph uses: the class of the pole
/// categories and their concept scheme.
const USED_BY_THE_ONTOLOGY_ITSELF: &[&str] = &["PoleCategory", "poleCategories", "Confidence"];

fn pg_terms<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    let mut note = |iri: &str| {
        if let Some(local) = iri.strip_prefix(pg::NAMESPACE) {
            terms.insert(local.to_owned());
        }
    };
    for quad in quads {
        if let NamedOrBlankNode::NamedNode(s) = &quad.subject {
            note(s.as_str());
        }
        note(quad.predicate.as_str());
        if let Term::NamedNode(o) = &quad.object {
            note(o.as_str());
        }
    }
    terms
}

fn declared() -> BTreeSet<String> {
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(polegraph::store::ONTOLOGY_TTL.as_bytes())
        .map(Result::unwrap)
        .collect();
    quads
        .iter()
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(s) => {
                s.as_str().strip_prefix(pg::NAMESPACE).map(str::to_owned)
            }
            _ => None,
        })
        .filter(|local| !local.is_empty())
        .collect()
}

/// The own terms the mapper emits (outside the ontology graph).
fn emitted(dataset: &polegraph::model::Dataset) -> BTreeSet<String> {
    let iris = polegraph::iri::Iris::new(polegraph::iri::DEFAULT_BASE);
    let mut quads: Vec<Quad> = Vec::new();
    polegraph::map::map_dataset(dataset, &iris, &mut quads).unwrap();
    pg_terms(&quads)
}

#[test]
fn every_emitted_term_is_declared_and_every_declared_term_is_used() {
    let declared = declared();
    let mut used = emitted(&polegraph::load::load_builtin().unwrap());
    let csv_only = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv-only");
    used.extend(emitted(&polegraph::load::load_dir(&csv_only).unwrap()));

    let undeclared: Vec<_> = used.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "emitted but not declared in the ontology: {undeclared:?}"
    );

    let unused: Vec<_> = declared
        .iter()
        .filter(|t| !used.contains(*t) && !USED_BY_THE_ONTOLOGY_ITSELF.contains(&t.as_str()))
        .collect();
    assert!(unused.is_empty(), "declared but never emitted: {unused:?}");
}

#[test]
fn the_vocabulary_module_lists_exactly_the_declared_terms() {
    let in_code: BTreeSet<String> = pg::ALL
        .iter()
        .map(|t| t.as_str().strip_prefix(pg::NAMESPACE).unwrap().to_owned())
        .collect();
    assert_eq!(in_code, declared());
}

#[test]
fn every_own_term_has_french_and_english_labels_and_comments() {
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(polegraph::store::ONTOLOGY_TTL.as_bytes())
        .map(Result::unwrap)
        .collect();
    for term in pg::ALL {
        for property in [
            "http://www.w3.org/2000/01/rdf-schema#label",
            "http://www.w3.org/2000/01/rdf-schema#comment",
        ] {
            let languages: BTreeSet<&str> = quads
                .iter()
                .filter(
                    |q| matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s.as_ref() == *term),
                )
                .filter(|q| q.predicate.as_str() == property)
                .filter_map(|q| match &q.object {
                    Term::Literal(l) => l.language(),
                    _ => None,
                })
                .collect();
            assert!(
                languages.contains("fr") && languages.contains("en"),
                "{term} lacks a French or English {property}: {languages:?}"
            );
        }
    }
}

#[test]
fn the_shapes_parse_and_target_every_record_class() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/shapes.ttl"),
    )
    .unwrap();
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(text.as_bytes())
        .map(Result::unwrap)
        .collect();
    let targets: BTreeSet<String> = quads
        .iter()
        .filter(|q| q.predicate.as_str() == "http://www.w3.org/ns/shacl#targetClass")
        .map(|q| q.object.to_string())
        .collect();
    for class in [
        "<http://www.w3.org/ns/org#Organization>",
        "<https://example.org/polegraph/ns#Pole>",
        "<http://xmlns.com/foaf/0.1/Person>",
        "<http://www.w3.org/ns/org#Post>",
        "<http://schema.org/Event>",
        "<https://example.org/polegraph/ns#Talk>",
        "<https://example.org/polegraph/ns#SlideDeck>",
        "<https://example.org/polegraph/ns#Decision>",
        "<https://example.org/polegraph/ns#Source>",
    ] {
        assert!(
            targets.contains(class),
            "no shape targets {class}: {targets:?}"
        );
    }
}

/// The built-in data, the IRIs under the default base, and its quads.
fn builtin_quads() -> (polegraph::model::Dataset, Iris, Vec<Quad>) {
    let dataset = polegraph::load::load_builtin().unwrap();
    let iris = Iris::new(DEFAULT_BASE);
    let mut quads: Vec<Quad> = Vec::new();
    polegraph::map::map_dataset(&dataset, &iris, &mut quads).unwrap();
    (dataset, iris, quads)
}

/// The graph never says more than its sources: over the built-in data,
/// every triple outside the ontology and VoID graphs (which the mapper does
/// not write) is in the graph of a source that the provenance graph
/// describes, or in the inferred graph, whose statements each cite the
/// sources of their premises; the provenance graph itself only describes
/// sources and graphs.
#[test]
fn every_triple_is_in_the_graph_of_a_source_or_inferred_from_cited_premises() {
    let (dataset, iris, quads) = builtin_quads();

    let graph_prefix = format!("{DEFAULT_BASE}graph/");
    let source_prefix = format!("{DEFAULT_BASE}source/");
    let provenance = iris.graph("provenance");
    let inferred = iris.graph("inferred");
    let sources: BTreeSet<String> = dataset.sources.iter().map(|s| s.id.clone()).collect();
    let in_graph = |graph: &str, s: &str, p: &str, o: &str| {
        quads.iter().any(|q| {
            q.graph_name.to_string() == format!("<{graph}>")
                && q.subject.to_string() == format!("<{s}>")
                && q.predicate.as_str() == p
                && q.object.to_string() == o
        })
    };
    const DCTERMS_SOURCE: &str = "http://purl.org/dc/terms/source";
    const DERIVED: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
    const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    let mut seen_graphs = BTreeSet::new();
    for quad in &quads {
        let graph = match &quad.graph_name {
            oxigraph::model::GraphName::NamedNode(g) => g.as_str().to_owned(),
            other => panic!("a quad outside the named graphs: {other} in {quad}"),
        };
        assert!(!graph.ends_with("/ontology") && !graph.ends_with("/void"));
        let name = graph
            .strip_prefix(&graph_prefix)
            .unwrap_or_else(|| panic!("not a polegraph graph: {graph}"));
        if graph == provenance {
            let subject = quad.subject.to_string();
            assert!(
                subject.starts_with(&format!("<{source_prefix}"))
                    || subject.starts_with(&format!("<{graph_prefix}")),
                "the provenance graph describes sources and graphs only: {quad}"
            );
            continue;
        }
        if graph != inferred {
            assert!(sources.contains(name), "graph of no source: {graph}");
        }
        seen_graphs.insert(graph);
    }
    // Each graph is described in the provenance graph and linked to its
    // source, or (the inferred graph) to the sources of its premises.
    for graph in &seen_graphs {
        if *graph == inferred {
            assert!(quads
                .iter()
                .any(|q| q.graph_name.to_string() == format!("<{provenance}>")
                    && q.subject.to_string() == format!("<{inferred}>")
                    && q.predicate.as_str() == DERIVED));
            continue;
        }
        let name = graph.strip_prefix(&graph_prefix).unwrap();
        assert!(
            in_graph(
                &provenance,
                graph,
                DCTERMS_SOURCE,
                &format!("<{source_prefix}{name}>")
            ),
            "{graph} is not described with its source"
        );
    }
    // Every statement node of the inferred graph is inferred and cites at
    // least one premise's source, and the description of the graph cites
    // each of these sources.
    let statements: BTreeSet<String> = quads
        .iter()
        .filter(|q| {
            q.graph_name.to_string() == format!("<{inferred}>")
                && q.predicate.as_str() == RDF_TYPE
                && q.object.to_string() == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>"
        })
        .map(|q| q.subject.to_string())
        .collect();
    assert!(!statements.is_empty());
    for statement in &statements {
        let premises: Vec<String> = quads
            .iter()
            .filter(|q| q.subject.to_string() == *statement && q.predicate.as_str() == DERIVED)
            .map(|q| q.object.to_string())
            .collect();
        assert!(!premises.is_empty(), "{statement} cites no premise");
        for premise in premises {
            assert!(
                in_graph(&provenance, &inferred, DERIVED, &premise),
                "{premise}"
            );
        }
        assert!(quads.iter().any(|q| q.subject.to_string() == *statement
            && q.predicate == pg::CONFIDENCE
            && q.object == Term::from(pg::INFERRED)));
    }
}

/// The seed page is French: its graph holds no English label or comment;
/// and a triple two sources state is in both their graphs.
#[test]
fn the_seed_graph_is_french_and_a_shared_fact_is_in_both_graphs() {
    let (_, iris, quads) = builtin_quads();
    let seed = iris.graph("seed");
    let english: Vec<&Quad> = quads
        .iter()
        .filter(|q| q.graph_name.to_string() == format!("<{seed}>"))
        .filter(|q| matches!(&q.object, Term::Literal(l) if l.language() == Some("en")))
        .collect();
    assert!(
        english.is_empty(),
        "English in the seed's graph: {english:#?}"
    );
    let graphs: BTreeSet<String> = quads
        .iter()
        .filter(|q| {
            q.subject.to_string() == format!("<{DEFAULT_BASE}organization/diact>")
                && q.predicate == pg::PLACED_AT_DISPOSAL_OF
        })
        .map(|q| q.graph_name.to_string())
        .collect();
    assert_eq!(
        graphs,
        BTreeSet::from([
            format!("<{}>", iris.graph("ref-state-actors")),
            format!("<{seed}>")
        ])
    );
}

/// The shapes hold the graph to its promise: a fact whose statement node
/// cites no source is a violation (of `pgsh:statement-source`).
#[test]
fn a_fact_without_a_source_violates_the_shapes() {
    use oxigraph::model::{Graph, TripleRef};
    let (_, _, quads) = builtin_quads();
    let shapes = polegraph::validate::builtin_shapes().unwrap();
    let graph_of = |quads: &[Quad]| {
        let mut graph = Graph::new();
        for q in quads {
            graph.insert(TripleRef::new(
                q.subject.as_ref(),
                q.predicate.as_ref(),
                q.object.as_ref(),
            ));
        }
        graph
    };
    assert!(polegraph::validate::validate_graph(&graph_of(&quads), &shapes).conforms());

    let anr_parent = format!("<{DEFAULT_BASE}statement/organization/anr/parent>");
    let stripped: Vec<Quad> = quads
        .iter()
        .filter(|q| {
            !(q.subject.to_string() == anr_parent
                && q.predicate.as_str() == "http://www.w3.org/ns/prov#wasDerivedFrom")
        })
        .cloned()
        .collect();
    assert!(
        stripped.len() < quads.len(),
        "no statement node {anr_parent}"
    );
    let report = polegraph::validate::validate_graph(&graph_of(&stripped), &shapes);
    let violations: Vec<String> = report
        .results
        .iter()
        .map(|r| format!("{} {}", r.focus, r.source_shape))
        .collect();
    assert_eq!(
        violations,
        [format!(
            "{anr_parent} <https://example.org/polegraph/shapes#statement-source>"
        )]
    );
}
