//! The context: its terms ([`TERMS`]), defined once, and its rendering as
//! the JSON object every export embeds and `ontology/context.jsonld` holds.

use super::json::Json;
use crate::vocab::*;
use oxigraph::model::vocab::xsd as oxsd;
use oxigraph::model::NamedNodeRef;

/// How a term's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coercion {
    /// A class (used in `@type`), or a property whose values are written as
    /// they come (strings, numbers, value objects).
    None,
    /// `"@type": "@id"`: the values are IRIs, written as strings.
    Id,
    /// `"@container": "@language"`: a map from language tag to text.
    Language,
    /// `"@type": datatype`: the values are literals of that datatype,
    /// written as their lexical form.
    Datatype(NamedNodeRef<'static>),
}

/// One term of the context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermDefinition {
    pub name: &'static str,
    pub iri: NamedNodeRef<'static>,
    pub coercion: Coercion,
}

const fn term(
    name: &'static str,
    iri: NamedNodeRef<'static>,
    coercion: Coercion,
) -> TermDefinition {
    TermDefinition {
        name,
        iri,
        coercion,
    }
}

pub(super) use Coercion::{Id, Language, None as Plain};

/// The prefixes of the context (the vocabularies, and IANA media types).
pub fn context_prefixes() -> Vec<(&'static str, &'static str)> {
    let mut prefixes: Vec<(&str, &str)> = PREFIXES.to_vec();
    prefixes.push(("iana", IANA_MEDIA_TYPES));
    prefixes
}

/// The terms of the context: every class and property the mapper and the
/// VoID/DCAT description write. Names follow the vocabularies' local names;
/// where two vocabularies share one, schema.org's gets a `schema` prefix
/// (`schemaName`), and `dcterms:source` is `sources` (`source` is the
/// prefix of source records).
pub const TERMS: &[TermDefinition] = &[
    // classes
    term("Organization", org::ORGANIZATION, Plain),
    term("Post", org::POST, Plain),
    term("Person", foaf::PERSON, Plain),
    term("Document", foaf::DOCUMENT, Plain),
    term("Event", schema::EVENT, Plain),
    term("Activity", prov::ACTIVITY, Plain),
    term("Entity", prov::ENTITY, Plain),
    term("Distribution", dcat::DISTRIBUTION, Plain),
    term("Ministry", pg::MINISTRY, Plain),
    term("StateSecretariat", pg::STATE_SECRETARIAT, Plain),
    term("Directorate", pg::DIRECTORATE, Plain),
    term("Service", pg::SERVICE, Plain),
    term("Agency", pg::AGENCY, Plain),
    term("InterministerialBody", pg::INTERMINISTERIAL_BODY, Plain),
    term(
        "InterministerialCommittee",
        pg::INTERMINISTERIAL_COMMITTEE,
        Plain,
    ),
    term("RegionalOffice", pg::REGIONAL_OFFICE, Plain),
    term("Pole", pg::POLE, Plain),
    term("Programme", pg::PROGRAMME, Plain),
    term("HeadOfGovernment", pg::HEAD_OF_GOVERNMENT, Plain),
    term("NationalDay", pg::NATIONAL_DAY, Plain),
    term("Session", pg::SESSION, Plain),
    term("Meeting", pg::MEETING, Plain),
    term("Talk", pg::TALK, Plain),
    term("SlideDeck", pg::SLIDE_DECK, Plain),
    term("EventProgramme", pg::EVENT_PROGRAMME, Plain),
    term("Decision", pg::DECISION, Plain),
    term("LabellingDecision", pg::LABELLING_DECISION, Plain),
    term("Source", pg::SOURCE, Plain),
    term("SeedPage", pg::SEED_PAGE, Plain),
    term("WebPage", pg::WEB_PAGE, Plain),
    term("ReferenceTable", pg::REFERENCE_TABLE, Plain),
    term("DataFile", pg::DATA_FILE, Plain),
    term("PoleCategory", pg::POLE_CATEGORY, Plain),
    term("Statement", rdf::STATEMENT, Plain),
    term("SourceGraph", pg::SOURCE_GRAPH, Plain),
    term("InferredGraph", pg::INFERRED_GRAPH, Plain),
    // labels and texts
    term("label", rdfs::LABEL, Language),
    term("comment", rdfs::COMMENT, Language),
    term("prefLabel", skos::PREF_LABEL, Language),
    term("altLabel", skos::ALT_LABEL, Language),
    term("hiddenLabel", skos::HIDDEN_LABEL, Language),
    term("title", dcterms::TITLE, Language),
    term("description", dcterms::DESCRIPTION, Language),
    term("schemaName", schema::NAME, Language),
    term("schemaDescription", schema::DESCRIPTION, Language),
    term("domain", pg::DOMAIN, Language),
    term("acronym", pg::ACRONYM, Plain),
    term("shortName", pg::SHORT_NAME, Plain),
    term("region", pg::REGION, Plain),
    term("name", foaf::NAME, Plain),
    term("givenName", foaf::GIVEN_NAME, Plain),
    term("familyName", foaf::FAMILY_NAME, Plain),
    term("identifier", dcterms::IDENTIFIER, Plain),
    term("uncertain", pg::UNCERTAIN, Plain),
    // dates
    term(
        "startDate",
        schema::START_DATE,
        Coercion::Datatype(oxsd::DATE),
    ),
    term("date", dcterms::DATE, Coercion::Datatype(oxsd::DATE)),
    term("issued", dcterms::ISSUED, Coercion::Datatype(oxsd::DATE)),
    term("termStart", pg::START_DATE, Coercion::Datatype(oxsd::DATE)),
    term("termEnd", pg::END_DATE, Coercion::Datatype(oxsd::DATE)),
    term(
        "attestedOn",
        pg::ATTESTED_ON,
        Coercion::Datatype(oxsd::DATE),
    ),
    // links
    term("subOrganizationOf", org::SUB_ORGANIZATION_OF, Id),
    term("hasSubOrganization", org::HAS_SUB_ORGANIZATION, Id),
    term("hasMember", org::HAS_MEMBER, Id),
    term("memberOf", org::MEMBER_OF, Id),
    term("postIn", org::POST_IN, Id),
    term("hasPost", org::HAS_POST, Id),
    term("heldBy", org::HELD_BY, Id),
    term("holds", org::HOLDS, Id),
    term("headOf", org::HEAD_OF, Id),
    term("placedAtDisposalOf", pg::PLACED_AT_DISPOSAL_OF, Id),
    term("secretariat", pg::SECRETARIAT, Id),
    term("coordinatesSupportTo", pg::COORDINATES_SUPPORT_TO, Id),
    term("openedBy", pg::OPENED_BY, Id),
    term("follows", pg::FOLLOWS, Id),
    term("labelledBy", pg::LABELLED_BY, Id),
    term("labelled", pg::LABELLED, Id),
    term("decidedBy", pg::DECIDED_BY, Id),
    term("chairedBy", pg::CHAIRED_BY, Id),
    term("notExhaustive", pg::NOT_EXHAUSTIVE, Id),
    term("attendee", schema::ATTENDEE, Id),
    term("kind", dcterms::TYPE, Id),
    // statement nodes (RDF 1.1 reification): the object may be a literal
    term("subject", rdf::SUBJECT, Id),
    term("predicate", rdf::PREDICATE, Id),
    term("object", rdf::OBJECT, Plain),
    term("confidence", pg::CONFIDENCE, Id),
    term("category", pg::CATEGORY, Id),
    term("homepage", foaf::HOMEPAGE, Id),
    term("page", foaf::PAGE, Id),
    term("organizer", schema::ORGANIZER, Id),
    term("subEvent", schema::SUB_EVENT, Id),
    term("superEvent", schema::SUPER_EVENT, Id),
    term("performer", schema::PERFORMER, Id),
    term("about", schema::ABOUT, Id),
    term("subjectOf", schema::SUBJECT_OF, Id),
    term("sources", dcterms::SOURCE, Id),
    term("format", dcterms::FORMAT, Id),
    term("license", dcterms::LICENSE, Id),
    term("publisher", dcterms::PUBLISHER, Id),
    term("wasDerivedFrom", prov::WAS_DERIVED_FROM, Id),
    term("wasAssociatedWith", prov::WAS_ASSOCIATED_WITH, Id),
    // the dataset's description (VoID, DCAT)
    term("triples", void::TRIPLES, Plain),
    term("entities", void::ENTITIES, Plain),
    term("classes", void::CLASSES, Plain),
    term("properties", void::PROPERTIES, Plain),
    term("distinctSubjects", void::DISTINCT_SUBJECTS, Plain),
    term("classPartition", void::CLASS_PARTITION, Id),
    term("propertyPartition", void::PROPERTY_PARTITION, Id),
    term("class", void::CLASS, Id),
    term("property", void::PROPERTY, Id),
    term("dataDump", void::DATA_DUMP, Id),
    term("vocabulary", void::VOCABULARY, Id),
    term("sparqlEndpoint", void::SPARQL_ENDPOINT, Id),
    term("distribution", dcat::HAS_DISTRIBUTION, Id),
    term("mediaType", dcat::MEDIA_TYPE, Id),
    term("downloadURL", dcat::DOWNLOAD_URL, Id),
    term("accessURL", dcat::ACCESS_URL, Id),
];

/// The context object: prefixes, then terms.
pub(super) fn context_object() -> Json {
    let prefixes = context_prefixes();
    let compact = |iri: &str| -> String {
        prefixes
            .iter()
            .filter_map(|(p, ns)| iri.strip_prefix(ns).map(|local| (p, ns.len(), local)))
            .filter(|(_, _, local)| !local.is_empty())
            .max_by_key(|(_, len, _)| *len)
            .map_or_else(|| iri.to_owned(), |(p, _, local)| format!("{p}:{local}"))
    };
    let mut entries: Vec<(String, Json)> = prefixes
        .iter()
        .map(|(p, ns)| ((*p).to_owned(), Json::str(*ns)))
        .collect();
    for t in TERMS {
        let id = compact(t.iri.as_str());
        let definition = match t.coercion {
            Plain => Json::String(id),
            Id => Json::Object(vec![
                ("@id".into(), Json::String(id)),
                ("@type".into(), Json::str("@id")),
            ]),
            Language => Json::Object(vec![
                ("@id".into(), Json::String(id)),
                ("@container".into(), Json::str("@language")),
            ]),
            Coercion::Datatype(datatype) => Json::Object(vec![
                ("@id".into(), Json::String(id)),
                ("@type".into(), Json::String(compact(datatype.as_str()))),
            ]),
        };
        entries.push((t.name.to_owned(), definition));
    }
    Json::Object(entries)
}

/// The text of `ontology/context.jsonld`.
pub fn context_document() -> String {
    let document = Json::Object(vec![("@context".into(), context_object())]);
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = document.write(&mut out, 0);
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}
