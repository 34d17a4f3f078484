//! The IRIs of every term the mapper emits: polegraph's own terms (`pg:`)
//! and the standard vocabularies of DESIGN §3.
//!
//! Each namespace is a module of `NamedNodeRef` constants, so a typo in a
//! term is a compile error and the list of own terms ([`pg::ALL`]) is the
//! single place the ontology test reads.

use oxigraph::model::NamedNodeRef;

/// Declares one namespace module: its IRI, its prefix and its terms.
macro_rules! namespace {
    ($module:ident, $prefix:literal, $iri:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        pub mod $module {
            use super::NamedNodeRef;
            /// The namespace IRI.
            pub const NAMESPACE: &str = $iri;
            /// The usual prefix.
            pub const PREFIX: &str = $prefix;
            $(
                pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($iri, $local));
            )*
            /// Every term of this module that polegraph uses.
            pub const ALL: &[NamedNodeRef<'static>] = &[$($name),*];
        }
    };
}

namespace!(pg, "pg", "https://example.org/polegraph/ns#", {
    // organisation kinds (subclasses of org:Organization)
    MINISTRY = "Ministry",
    STATE_SECRETARIAT = "StateSecretariat",
    DIRECTORATE = "Directorate",
    SERVICE = "Service",
    AGENCY = "Agency",
    INTERMINISTERIAL_BODY = "InterministerialBody",
    INTERMINISTERIAL_COMMITTEE = "InterministerialCommittee",
    REGIONAL_OFFICE = "RegionalOffice",
    POLE = "Pole",
    PROGRAMME = "Programme",
    HEAD_OF_GOVERNMENT = "HeadOfGovernment",
    // events
    NATIONAL_DAY = "NationalDay",
    SESSION = "Session",
    MEETING = "Meeting",
    TALK = "Talk",
    // documents
    SLIDE_DECK = "SlideDeck",
    EVENT_PROGRAMME = "EventProgramme",
    // decisions
    DECISION = "Decision",
    LABELLING_DECISION = "LabellingDecision",
    // sources
    SOURCE = "Source",
    SEED_PAGE = "SeedPage",
    WEB_PAGE = "WebPage",
    REFERENCE_TABLE = "ReferenceTable",
    DATA_FILE = "DataFile",
    // pole categories (SKOS)
    POLE_CATEGORY = "PoleCategory",
    POLE_CATEGORIES = "poleCategories",
    MONDIAL = "mondial",
    VOCATION_MONDIALE = "vocationMondiale",
    NATIONAL = "national",
    // properties
    ACRONYM = "acronym",
    SHORT_NAME = "shortName",
    PLACED_AT_DISPOSAL_OF = "placedAtDisposalOf",
    SECRETARIAT = "secretariat",
    COORDINATES_SUPPORT_TO = "coordinatesSupportTo",
    OPENED_BY = "openedBy",
    FOLLOWS = "follows",
    LABELLED_BY = "labelledBy",
    LABELLED = "labelled",
    DECIDED_BY = "decidedBy",
    CATEGORY = "category",
    REGION = "region",
    DOMAIN = "domain",
    UNCERTAIN = "uncertain",
    CHAIRED_BY = "chairedBy",
    NOT_EXHAUSTIVE = "notExhaustive",
    START_DATE = "startDate",
    END_DATE = "endDate",
    ATTESTED_ON = "attestedOn",
    // statement-level provenance
    CONFIDENCE_CLASS = "Confidence",
    CONFIDENCE = "confidence",
    CONFIRMED = "confidence-confirmed",
    UNCERTAIN_VALUE = "confidence-uncertain",
    INFERRED = "confidence-inferred",
    SOURCE_GRAPH = "SourceGraph",
    INFERRED_GRAPH = "InferredGraph",
});

namespace!(rdf, "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", {
    TYPE = "type",
    STATEMENT = "Statement",
    SUBJECT = "subject",
    PREDICATE = "predicate",
    OBJECT = "object",
});

namespace!(rdfs, "rdfs", "http://www.w3.org/2000/01/rdf-schema#", {
    LABEL = "label",
    COMMENT = "comment",
});

namespace!(xsd, "xsd", "http://www.w3.org/2001/XMLSchema#", {
    DATE = "date",
    BOOLEAN = "boolean",
    INTEGER = "integer",
});

namespace!(owl, "owl", "http://www.w3.org/2002/07/owl#", {
    ONTOLOGY = "Ontology",
});

namespace!(skos, "skos", "http://www.w3.org/2004/02/skos/core#", {
    PREF_LABEL = "prefLabel",
    ALT_LABEL = "altLabel",
    HIDDEN_LABEL = "hiddenLabel",
});

namespace!(org, "org", "http://www.w3.org/ns/org#", {
    ORGANIZATION = "Organization",
    POST = "Post",
    SUB_ORGANIZATION_OF = "subOrganizationOf",
    HAS_SUB_ORGANIZATION = "hasSubOrganization",
    HAS_MEMBER = "hasMember",
    MEMBER_OF = "memberOf",
    POST_IN = "postIn",
    HAS_POST = "hasPost",
    HELD_BY = "heldBy",
    HOLDS = "holds",
    HEAD_OF = "headOf",
});

namespace!(foaf, "foaf", "http://xmlns.com/foaf/0.1/", {
    PERSON = "Person",
    DOCUMENT = "Document",
    NAME = "name",
    GIVEN_NAME = "givenName",
    FAMILY_NAME = "familyName",
    HOMEPAGE = "homepage",
    PAGE = "page",
});

namespace!(schema, "schema", "http://schema.org/", {
    EVENT = "Event",
    NAME = "name",
    START_DATE = "startDate",
    ORGANIZER = "organizer",
    SUB_EVENT = "subEvent",
    SUPER_EVENT = "superEvent",
    PERFORMER = "performer",
    ABOUT = "about",
    SUBJECT_OF = "subjectOf",
    DESCRIPTION = "description",
    ATTENDEE = "attendee",
});

namespace!(dcterms, "dcterms", "http://purl.org/dc/terms/", {
    TITLE = "title",
    DESCRIPTION = "description",
    FORMAT = "format",
    SOURCE = "source",
    DATE = "date",
    ISSUED = "issued",
    LICENSE = "license",
    PUBLISHER = "publisher",
    IDENTIFIER = "identifier",
    TYPE = "type",
});

namespace!(prov, "prov", "http://www.w3.org/ns/prov#", {
    ENTITY = "Entity",
    ACTIVITY = "Activity",
    WAS_DERIVED_FROM = "wasDerivedFrom",
    WAS_ASSOCIATED_WITH = "wasAssociatedWith",
});

namespace!(void, "void", "http://rdfs.org/ns/void#", {
    DATASET = "Dataset",
    TRIPLES = "triples",
    ENTITIES = "entities",
    CLASSES = "classes",
    PROPERTIES = "properties",
    DISTINCT_SUBJECTS = "distinctSubjects",
    CLASS_PARTITION = "classPartition",
    PROPERTY_PARTITION = "propertyPartition",
    CLASS = "class",
    PROPERTY = "property",
    SPARQL_ENDPOINT = "sparqlEndpoint",
    VOCABULARY = "vocabulary",
    DATA_DUMP = "dataDump",
});

namespace!(sh, "sh", "http://www.w3.org/ns/shacl#", {
    // shapes and targets
    NODE_SHAPE = "NodeShape",
    PROPERTY_SHAPE = "PropertyShape",
    TARGET_CLASS = "targetClass",
    TARGET_NODE = "targetNode",
    TARGET_SUBJECTS_OF = "targetSubjectsOf",
    TARGET_OBJECTS_OF = "targetObjectsOf",
    PROPERTY = "property",
    PATH = "path",
    INVERSE_PATH = "inversePath",
    ALTERNATIVE_PATH = "alternativePath",
    ZERO_OR_MORE_PATH = "zeroOrMorePath",
    ONE_OR_MORE_PATH = "oneOrMorePath",
    ZERO_OR_ONE_PATH = "zeroOrOnePath",
    // non-validating and reporting properties
    SEVERITY = "severity",
    MESSAGE = "message",
    NAME = "name",
    DESCRIPTION = "description",
    DEACTIVATED = "deactivated",
    ORDER = "order",
    GROUP = "group",
    DEFAULT_VALUE = "defaultValue",
    VIOLATION = "Violation",
    WARNING = "Warning",
    INFO = "Info",
    // constraint parameters
    CLASS = "class",
    DATATYPE = "datatype",
    NODE_KIND = "nodeKind",
    MIN_COUNT = "minCount",
    MAX_COUNT = "maxCount",
    MIN_LENGTH = "minLength",
    MAX_LENGTH = "maxLength",
    MIN_EXCLUSIVE = "minExclusive",
    MIN_INCLUSIVE = "minInclusive",
    MAX_EXCLUSIVE = "maxExclusive",
    MAX_INCLUSIVE = "maxInclusive",
    PATTERN = "pattern",
    FLAGS = "flags",
    LANGUAGE_IN = "languageIn",
    UNIQUE_LANG = "uniqueLang",
    IN = "in",
    HAS_VALUE = "hasValue",
    NODE = "node",
    NOT = "not",
    AND = "and",
    OR = "or",
    XONE = "xone",
    QUALIFIED_VALUE_SHAPE = "qualifiedValueShape",
    QUALIFIED_MIN_COUNT = "qualifiedMinCount",
    QUALIFIED_MAX_COUNT = "qualifiedMaxCount",
    QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
    // node kinds
    IRI = "IRI",
    BLANK_NODE = "BlankNode",
    LITERAL = "Literal",
    BLANK_NODE_OR_IRI = "BlankNodeOrIRI",
    BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral",
    IRI_OR_LITERAL = "IRIOrLiteral",
    // the validation report
    VALIDATION_REPORT = "ValidationReport",
    VALIDATION_RESULT = "ValidationResult",
    CONFORMS = "conforms",
    RESULT = "result",
    FOCUS_NODE = "focusNode",
    RESULT_PATH = "resultPath",
    VALUE = "value",
    RESULT_SEVERITY = "resultSeverity",
    RESULT_MESSAGE = "resultMessage",
    SOURCE_SHAPE = "sourceShape",
    SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
});

namespace!(dcat, "dcat", "http://www.w3.org/ns/dcat#", {
    DATASET = "Dataset",
    DISTRIBUTION = "Distribution",
    HAS_DISTRIBUTION = "distribution",
    MEDIA_TYPE = "mediaType",
    DOWNLOAD_URL = "downloadURL",
    ACCESS_URL = "accessURL",
});

/// The prefixes polegraph declares in Turtle, TriG, RDF/XML and JSON-LD
/// output (only those a document uses are written).
pub const PREFIXES: &[(&str, &str)] = &[
    (pg::PREFIX, pg::NAMESPACE),
    (rdf::PREFIX, rdf::NAMESPACE),
    (rdfs::PREFIX, rdfs::NAMESPACE),
    (xsd::PREFIX, xsd::NAMESPACE),
    (owl::PREFIX, owl::NAMESPACE),
    (skos::PREFIX, skos::NAMESPACE),
    (org::PREFIX, org::NAMESPACE),
    (foaf::PREFIX, foaf::NAMESPACE),
    (schema::PREFIX, schema::NAMESPACE),
    (dcterms::PREFIX, dcterms::NAMESPACE),
    (prov::PREFIX, prov::NAMESPACE),
    (void::PREFIX, void::NAMESPACE),
    (dcat::PREFIX, dcat::NAMESPACE),
    (sh::PREFIX, sh::NAMESPACE),
];

/// IANA media type IRIs, used as `dcterms:format` values.
pub const IANA_MEDIA_TYPES: &str = "http://www.iana.org/assignments/media-types/";
