//! The graph's description of itself: a `void:Dataset` and `dcat:Dataset`
//! in the `void` named graph, with the counts of [`Stats`].

use super::stats::Stats;
use crate::format::GraphFormat;
use crate::iri::{Iris, RecordKind, VOID_GRAPH};
use crate::model::Dataset;
use crate::vocab::*;
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

/// The quads of the description.
pub fn description(dataset: &Dataset, iris: &Iris, stats: &Stats) -> Vec<Quad> {
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(iris.graph(VOID_GRAPH)));
    let subject = NamedNode::new_unchecked(iris.dataset());
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
        quads.push(Quad::new(s.clone(), p.into_owned(), o, graph.clone()));
    };
    let count = |n: usize| Term::from(Literal::new_typed_literal(n.to_string(), xsd::INTEGER));
    let iri = |value: &str| Term::from(NamedNode::new_unchecked(value));

    add(&subject, rdf::TYPE, void::DATASET.into_owned().into());
    add(&subject, rdf::TYPE, dcat::DATASET.into_owned().into());
    let info = &dataset.info;
    for (value, language) in [(&info.title, "fr"), (&info.title_en, "en")] {
        if let Some(value) = value {
            let literal = Literal::new_language_tagged_literal_unchecked(value.clone(), language);
            add(&subject, dcterms::TITLE, literal.clone().into());
            add(&subject, rdfs::LABEL, literal.into());
        }
    }
    for (value, language) in [(&info.description, "fr"), (&info.description_en, "en")] {
        if let Some(value) = value {
            let literal = Literal::new_language_tagged_literal_unchecked(value.clone(), language);
            add(&subject, dcterms::DESCRIPTION, literal.into());
        }
    }
    if let Some(license) = info
        .license
        .as_deref()
        .filter(|l| NamedNode::new(*l).is_ok())
    {
        add(&subject, dcterms::LICENSE, iri(license));
    }
    if let Some(issued) = &info.issued {
        add(
            &subject,
            dcterms::ISSUED,
            Literal::new_typed_literal(issued.clone(), xsd::DATE).into(),
        );
    }
    for source in &dataset.sources {
        add(
            &subject,
            dcterms::SOURCE,
            iri(&iris.record(RecordKind::Source, &source.id)),
        );
    }
    for format in GraphFormat::ALL.iter().copied() {
        let distribution = NamedNode::new_unchecked(format!(
            "{}/distribution/{}",
            iris.dataset(),
            format.file_extension()
        ));
        let download = iri(&download_url(iris, format));
        add(
            &subject,
            dcat::HAS_DISTRIBUTION,
            distribution.clone().into(),
        );
        add(&subject, void::DATA_DUMP, download.clone());
        add(
            &distribution,
            rdf::TYPE,
            dcat::DISTRIBUTION.into_owned().into(),
        );
        add(
            &distribution,
            dcterms::TITLE,
            Literal::new_simple_literal(format.to_string()).into(),
        );
        add(&distribution, dcat::DOWNLOAD_URL, download.clone());
        add(&distribution, dcat::ACCESS_URL, download);
        add(
            &distribution,
            dcat::MEDIA_TYPE,
            iri(&format!("{IANA_MEDIA_TYPES}{}", format.media_type())),
        );
        add(
            &distribution,
            dcterms::FORMAT,
            iri(&format!("{EU_FILE_TYPES}{}", eu_file_type(format))),
        );
    }
    add(&subject, void::TRIPLES, count(stats.triples));
    add(&subject, void::ENTITIES, count(stats.entities));
    add(
        &subject,
        void::DISTINCT_SUBJECTS,
        count(stats.distinct_subjects),
    );
    add(&subject, void::CLASSES, count(stats.classes.len()));
    add(&subject, void::PROPERTIES, count(stats.properties.len()));
    for (n, (class, instances)) in stats.classes.iter().enumerate() {
        let partition = NamedNode::new_unchecked(format!("{}/class/{}", iris.dataset(), n + 1));
        add(&subject, void::CLASS_PARTITION, partition.clone().into());
        add(&partition, void::CLASS, iri(class));
        add(&partition, void::ENTITIES, count(*instances));
    }
    for (n, (property, triples)) in stats.properties.iter().enumerate() {
        let partition = NamedNode::new_unchecked(format!("{}/property/{}", iris.dataset(), n + 1));
        add(&subject, void::PROPERTY_PARTITION, partition.clone().into());
        add(&partition, void::PROPERTY, iri(property));
        add(&partition, void::TRIPLES, count(*triples));
    }
    quads
}

/// The EU Publications Office's file-type authority table, the usual
/// `dcterms:format` vocabulary of DCAT-AP distributions.
pub const EU_FILE_TYPES: &str = "http://publications.europa.eu/resource/authority/file-type/";

/// The file name of the dataset in `format` (in a bundle, and in the
/// download URLs of the distributions): `dataset.ttl`, `dataset.nq`, …
pub fn dump_file_name(format: GraphFormat) -> String {
    format!("dataset.{}", format.file_extension())
}

/// Where the dump in `format` is published: `{base}dataset.{ext}`, next to
/// the dataset's IRI.
pub fn download_url(iris: &Iris, format: GraphFormat) -> String {
    format!("{}{}", iris.base(), dump_file_name(format))
}

/// The EU file type of each format.
fn eu_file_type(format: GraphFormat) -> &'static str {
    match format {
        GraphFormat::Turtle => "RDF_TURTLE",
        GraphFormat::TriG => "RDF_TRIG",
        GraphFormat::NTriples => "RDF_N_TRIPLES",
        GraphFormat::NQuads => "RDF_N_QUADS",
        GraphFormat::RdfXml => "RDF_XML",
        GraphFormat::JsonLd => "JSON_LD",
    }
}
