//! Compact JSON-LD that people can read: a `@context` of short terms for
//! the classes and properties polegraph uses (shipped as
//! `ontology/context.jsonld`), and a compaction of sorted quads written
//! here: one node object per subject, inside one `@graph` per named graph.
//!
//! The context is defined once, in [`TERMS`]; `ontology/context.jsonld` is
//! its rendering ([`context_document`]), which a test keeps identical. The
//! export embeds the same context object inline (followed by a second
//! object with the prefixes of the base IRI, such as `organization:`), so
//! that parsers need no network access.
//!
//! Values are written under a term only when the term's definition
//! (`@type: @id`, a datatype, a `@language` container) expands them back to
//! the same RDF term; other values go under the property's compact IRI, as
//! explicit value objects. Expansion therefore gives back exactly the quads.
//!
//! The module's rooms: `context` (the terms and the context document),
//! `compact` (quads → node objects) and `json` (the writer of the JSON
//! text).

mod compact;
mod context;
mod json;

pub use context::context_document;

use compact::Compactor;
use oxigraph::model::Quad;
use std::io::{self, Write};

/// Writes `quads` (sorted as `export::sort_quads` sorts them) as a
/// compacted JSON-LD document. `prefixes` are the candidates for a second
/// context object (those the quads use and the shipped context lacks,
/// such as `organization:` under the base IRI).
pub fn write<W: Write>(
    quads: &[Quad],
    prefixes: &[(String, String)],
    mut writer: W,
) -> io::Result<W> {
    let compactor = Compactor::new(quads, prefixes);
    let document = compactor.document(quads);
    document.write(&mut writer, 0)?;
    writer.write_all(b"\n")?;
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::vocab::xsd as oxsd;
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode};

    fn iri(value: &str) -> NamedNode {
        NamedNode::new_unchecked(value)
    }

    /// Values a term cannot hold go under the compact IRI: the document
    /// still expands to exactly the quads written.
    #[test]
    fn awkward_values_round_trip_through_a_json_ld_parser() {
        let graph = GraphName::NamedNode(iri("https://example.org/polegraph/graph/seed"));
        let org = iri("https://example.org/polegraph/organization/dge");
        let blank = BlankNode::new_unchecked("b1");
        let mut quads = vec![
            Quad::new(
                org.clone(),
                skos::ALT_LABEL,
                Literal::new_simple_literal("DGE"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                skos::ALT_LABEL,
                Literal::new_language_tagged_literal_unchecked("D.G.E.", "fr"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                skos::ALT_LABEL,
                Literal::new_language_tagged_literal_unchecked("la \"DGE\"\n", "fr"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                dcterms::DATE,
                Literal::new_typed_literal("2007", iri("http://www.w3.org/2001/XMLSchema#gYear")),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                dcterms::DATE,
                Literal::new_typed_literal("2007-07-10", oxsd::DATE),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                void::TRIPLES,
                Literal::new_typed_literal("007", oxsd::INTEGER),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                void::ENTITIES,
                Literal::new_typed_literal("12", oxsd::INTEGER),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                pg::UNCERTAIN,
                Literal::new_typed_literal("1", oxsd::BOOLEAN),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                org::SUB_ORGANIZATION_OF,
                Literal::new_simple_literal("not an IRI"),
                graph.clone(),
            ),
            Quad::new(org.clone(), org::HAS_MEMBER, blank.clone(), graph.clone()),
            Quad::new(
                org.clone(),
                foaf::HOMEPAGE,
                iri("urn:x-polegraph:home"),
                graph.clone(),
            ),
            Quad::new(
                org.clone(),
                iri("http://example.com/other#p"),
                iri("http://example.com/x"),
                graph.clone(),
            ),
            Quad::new(blank.clone(), rdf::TYPE, org::ORGANIZATION, graph.clone()),
            Quad::new(
                iri("https://example.org/polegraph/graph/seed"),
                dcterms::TITLE,
                Literal::new_simple_literal("the seed graph"),
                GraphName::DefaultGraph,
            ),
        ];
        crate::export::sort_quads(&mut quads);
        let prefixes =
            crate::iri::prefixes_for(&crate::iri::Iris::new("https://example.org/polegraph/"));
        let written = write(&quads, &prefixes, Vec::new()).unwrap();
        let text = String::from_utf8(written.clone()).unwrap();
        assert!(
            text.contains("\"altLabel\": {\"fr\": [\"D.G.E.\", \"la \\\"DGE\\\"\\n\"]}"),
            "{text}"
        );
        assert!(text.contains("\"skos:altLabel\": \"DGE\""), "{text}");
        assert!(text.contains("\"entities\": 12"), "{text}");
        let read: Vec<Quad> = RdfParser::from_format(RdfFormat::JsonLd {
            profile: oxjsonld::JsonLdProfileSet::empty(),
        })
        .for_slice(&written)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let canonical = |quads: &[Quad]| {
            let mut lines: Vec<String> = quads
                .iter()
                .map(|q| q.to_string().replace("_:b1", "_:x"))
                .map(|line| {
                    // The parser names blank nodes itself.
                    let mut out = String::new();
                    for part in line.split(' ') {
                        out.push_str(if part.starts_with("_:") { "_:x" } else { part });
                        out.push(' ');
                    }
                    out
                })
                .collect();
            lines.sort();
            lines
        };
        assert_eq!(canonical(&read), canonical(&quads), "{text}");
    }
}
