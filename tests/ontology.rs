//! The ontology and the mapper agree both ways: every own term the mapper
//! emits is declared in `ontology/polegraph.ttl`, and every declared term is
//! emitted by the built-in data or by the CSV fixture (which uses the terms
//! only bulk tables produce), or is listed below as used by the ontology
//! itself.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
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
