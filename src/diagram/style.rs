//! How a diagram looks: the shape and colour of each class, the built-in
//! French and English labels of standard terms (the ontology graph labels
//! polegraph's own terms), which links are drawn one way only, and the
//! words of titles and legends.

use crate::vocab::{dcterms, foaf, org, pg, prov, rdf, rdfs, schema, skos};
use oxigraph::model::NamedNodeRef;

/// The language of labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// The BCP 47 tag of the language.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The French or the English text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

/// How the nodes of one class are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStyle {
    /// The class IRI (empty for the styles of untyped resources and
    /// literals).
    pub class: &'static str,
    /// A Graphviz shape.
    pub shape: &'static str,
    /// The fill colour.
    pub fill: &'static str,
    /// The Graphviz `style` (always includes `filled`).
    pub style: &'static str,
    /// The legend's label when the ontology graph has none.
    pub fr: &'static str,
    pub en: &'static str,
}

const fn class_style(
    class: NamedNodeRef<'static>,
    shape: &'static str,
    fill: &'static str,
    style: &'static str,
    fr: &'static str,
    en: &'static str,
) -> NodeStyle {
    NodeStyle {
        class: class.as_str(),
        shape,
        fill,
        style,
        fr,
        en,
    }
}

const FILLED: &str = "filled";
const ROUNDED: &str = "rounded,filled";

/// The style of each class, most specific first: a node takes the first
/// style whose class it has.
#[rustfmt::skip]
pub const CLASS_STYLES: &[NodeStyle] = &[
    class_style(pg::MINISTRY, "box", "#9fc5e8", FILLED, "ministère", "ministry"),
    class_style(pg::HEAD_OF_GOVERNMENT, "house", "#ffd966", FILLED, "chef du Gouvernement", "head of government"),
    class_style(pg::STATE_SECRETARIAT, "box", "#d9d2e9", FILLED, "secrétariat d'État", "state secretariat"),
    class_style(pg::DIRECTORATE, "box", "#cfe2f3", ROUNDED, "direction", "directorate"),
    class_style(pg::SERVICE, "box", "#d0e0e3", ROUNDED, "service", "service"),
    class_style(pg::AGENCY, "hexagon", "#fce5cd", FILLED, "agence", "agency"),
    class_style(pg::INTERMINISTERIAL_BODY, "doubleoctagon", "#f4cccc", FILLED, "instance interministérielle", "interministerial body"),
    class_style(pg::INTERMINISTERIAL_COMMITTEE, "octagon", "#ead1dc", FILLED, "comité interministériel", "interministerial committee"),
    class_style(pg::REGIONAL_OFFICE, "box3d", "#e2efd9", FILLED, "service régional", "regional office"),
    class_style(pg::POLE, "ellipse", "#b6d7a8", FILLED, "pôle de compétitivité", "competitiveness cluster"),
    class_style(pg::PROGRAMME, "tab", "#fff2cc", FILLED, "programme", "programme"),
    class_style(org::ORGANIZATION, "box", "#eeeeee", FILLED, "organisation", "organisation"),
    class_style(foaf::PERSON, "egg", "#f9f9f9", FILLED, "personne", "person"),
    class_style(org::POST, "underline", "#ffffff", FILLED, "poste", "post"),
    class_style(pg::TALK, "cds", "#e1d5f0", FILLED, "intervention", "talk"),
    class_style(pg::NATIONAL_DAY, "parallelogram", "#ffe599", FILLED, "journée nationale", "national day"),
    class_style(pg::SESSION, "parallelogram", "#fff2cc", FILLED, "session", "session"),
    class_style(pg::MEETING, "parallelogram", "#f9cb9c", FILLED, "réunion", "meeting"),
    class_style(schema::EVENT, "parallelogram", "#fdf3e1", FILLED, "événement", "event"),
    class_style(pg::SLIDE_DECK, "note", "#e6e6e6", FILLED, "diaporama", "slide deck"),
    class_style(pg::EVENT_PROGRAMME, "note", "#d5dbe5", FILLED, "programme d'événement", "event programme"),
    class_style(foaf::DOCUMENT, "note", "#f3f3f3", FILLED, "document", "document"),
    class_style(pg::LABELLING_DECISION, "folder", "#f6b26b", FILLED, "décision de labellisation", "labelling decision"),
    class_style(pg::DECISION, "folder", "#f9cb9c", FILLED, "décision", "decision"),
    class_style(pg::SOURCE, "cylinder", "#eeeeee", FILLED, "source", "source"),
    class_style(prov::ACTIVITY, "folder", "#fce5cd", FILLED, "activité", "activity"),
    class_style(prov::ENTITY, "cylinder", "#f3f3f3", FILLED, "entité", "entity"),
];

/// A resource with none of the classes above.
pub const OTHER: NodeStyle = NodeStyle {
    class: "",
    shape: "box",
    fill: "#ffffff",
    style: "dashed,filled",
    fr: "autre ressource",
    en: "other resource",
};

/// A literal value in the result of a CONSTRUCT query.
pub const LITERAL: NodeStyle = NodeStyle {
    class: "",
    shape: "plaintext",
    fill: "#ffffff",
    style: FILLED,
    fr: "valeur",
    en: "value",
};

/// The style of a node with these classes.
pub fn style_of(mut has_class: impl FnMut(&str) -> bool) -> &'static NodeStyle {
    CLASS_STYLES
        .iter()
        .find(|style| has_class(style.class))
        .unwrap_or(&OTHER)
}

/// Labels of the standard properties and classes polegraph uses, for those
/// the ontology graph does not label (it labels polegraph's own terms).
#[rustfmt::skip]
const BUILTIN_LABELS: &[(NamedNodeRef<'static>, &str, &str)] = &[
    (org::SUB_ORGANIZATION_OF, "fait partie de", "part of"),
    (org::HAS_SUB_ORGANIZATION, "a pour sous-organisation", "has sub-organisation"),
    (org::HAS_MEMBER, "a pour membre", "has member"),
    (org::MEMBER_OF, "membre de", "member of"),
    (org::POST_IN, "poste au sein de", "post in"),
    (org::HAS_POST, "a pour poste", "has post"),
    (org::HELD_BY, "occupé par", "held by"),
    (org::HOLDS, "occupe", "holds"),
    (org::HEAD_OF, "dirige", "head of"),
    (schema::ORGANIZER, "organisé par", "organised by"),
    (schema::ATTENDEE, "participant", "attendee"),
    (schema::SUB_EVENT, "comprend", "has part"),
    (schema::SUPER_EVENT, "fait partie de", "part of"),
    (schema::PERFORMER, "intervenant", "speaker"),
    (schema::ABOUT, "porte sur", "about"),
    (schema::SUBJECT_OF, "document", "document"),
    (dcterms::SOURCE, "source", "source"),
    (dcterms::FORMAT, "format", "format"),
    (prov::WAS_DERIVED_FROM, "tiré de", "derived from"),
    (prov::WAS_ASSOCIATED_WITH, "associé à", "associated with"),
    (foaf::HOMEPAGE, "site web", "homepage"),
    (foaf::PAGE, "page", "page"),
    (org::ORGANIZATION, "organisation", "organisation"),
    (org::POST, "poste", "post"),
    (foaf::PERSON, "personne", "person"),
    (foaf::DOCUMENT, "document", "document"),
    (schema::EVENT, "événement", "event"),
    (prov::ACTIVITY, "activité", "activity"),
    (prov::ENTITY, "entité", "entity"),
];

/// The built-in label of a standard term, if it has one.
pub fn builtin_label(iri: &str, lang: Lang) -> Option<&'static str> {
    BUILTIN_LABELS
        .iter()
        .find(|(term, _, _)| term.as_str() == iri)
        .map(|(_, fr, en)| lang.pick(fr, en))
}

/// Pairs of inverse properties, `(drawn, redundant)`: the mapper writes
/// both directions, and a diagram draws the first only. A redundant link
/// whose inverse is absent (in a CONSTRUCT result, say) is drawn.
pub const INVERSES: &[(NamedNodeRef<'static>, NamedNodeRef<'static>)] = &[
    (org::SUB_ORGANIZATION_OF, org::HAS_SUB_ORGANIZATION),
    (org::HAS_MEMBER, org::MEMBER_OF),
    (org::POST_IN, org::HAS_POST),
    (org::HOLDS, org::HELD_BY),
    (schema::SUPER_EVENT, schema::SUB_EVENT),
    (pg::LABELLED_BY, pg::LABELLED),
];

/// Links left out unless `--include` names them: provenance (every record
/// cites its sources) and `prov:wasAssociatedWith`, which repeats
/// `pg:decidedBy`.
pub const HIDDEN_PROPERTIES: &[NamedNodeRef<'static>] = &[
    dcterms::SOURCE,
    prov::WAS_DERIVED_FROM,
    prov::WAS_ASSOCIATED_WITH,
];

/// Classes left out unless `--include` names them.
pub const HIDDEN_CLASSES: &[NamedNodeRef<'static>] = &[
    pg::SOURCE,
    pg::SOURCE_GRAPH,
    pg::INFERRED_GRAPH,
    rdf::STATEMENT,
];

/// The label properties a node's name is read from, in order of
/// preference after `rdfs:label` (acronyms and short names come first).
pub const NAME_PROPERTIES: &[NamedNodeRef<'static>] = &[
    rdfs::LABEL,
    skos::PREF_LABEL,
    foaf::NAME,
    schema::NAME,
    dcterms::TITLE,
];

/// Fixed words of a diagram.
pub struct Texts {
    pub legend: &'static str,
    pub sources: &'static str,
    pub uncertain: &'static str,
    pub inferred: &'static str,
    pub uncertain_link: &'static str,
    pub inferred_link: &'static str,
    /// `{n}` stands for the count.
    pub inferred_category: &'static str,
    pub no_category: &'static str,
    pub pole_group: &'static str,
    pub poles_one: &'static str,
    pub poles_many: &'static str,
    pub default_title: &'static str,
    pub focus_title: &'static str,
    pub depth: &'static str,
    pub all_title: &'static str,
    pub query_title: &'static str,
    /// A title's note on the records left out: `{n}` their count, `{max}`
    /// the node limit.
    pub omitted: &'static str,
}

const FR: Texts = Texts {
    legend: "Légende",
    sources: "sources",
    uncertain: "incertain",
    inferred: "inféré",
    uncertain_link: "lien incertain (tirets)",
    inferred_link: "lien inféré (pointillés)",
    inferred_category: "dont {n} de catégorie inférée",
    no_category: "sans catégorie",
    pole_group: "pôles regroupés par catégorie",
    poles_one: "pôle",
    poles_many: "pôles",
    default_title: "Relations du",
    focus_title: "Voisinage de",
    depth: "profondeur",
    all_title: "Graphe complet",
    query_title: "Résultat de la requête CONSTRUCT",
    omitted: "{n} enregistrements plus éloignés non dessinés (limite : {max} nœuds)",
};

const EN: Texts = Texts {
    legend: "Legend",
    sources: "sources",
    uncertain: "uncertain",
    inferred: "inferred",
    uncertain_link: "uncertain link (dashed)",
    inferred_link: "inferred link (dotted)",
    inferred_category: "{n} with an inferred category",
    no_category: "no category",
    pole_group: "clusters grouped by category",
    poles_one: "cluster",
    poles_many: "clusters",
    default_title: "Relationships of the",
    focus_title: "Neighbourhood of",
    depth: "depth",
    all_title: "Whole graph",
    query_title: "Result of the CONSTRUCT query",
    omitted: "{n} farther records not drawn (limit: {max} nodes)",
};

/// The Graphviz line style of a link of this confidence.
pub fn line_style(confidence: crate::model::Confidence) -> &'static str {
    match confidence {
        crate::model::Confidence::Confirmed => "solid",
        crate::model::Confidence::Uncertain => "dashed",
        crate::model::Confidence::Inferred => "dotted",
    }
}

/// The fixed words in `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_has_its_own_look() {
        let mut seen = std::collections::HashSet::new();
        for style in CLASS_STYLES {
            assert!(
                seen.insert((style.shape, style.fill)),
                "{} shares its shape and colour",
                style.class
            );
            assert!(style.style.contains("filled"));
        }
    }

    #[test]
    fn the_most_specific_class_wins() {
        let classes = [org::ORGANIZATION.as_str(), pg::DIRECTORATE.as_str()];
        let style = style_of(|c| classes.contains(&c));
        assert_eq!(style.class, pg::DIRECTORATE.as_str());
        assert_eq!(style_of(|_| false), &OTHER);
    }

    #[test]
    fn standard_links_have_both_labels() {
        assert_eq!(
            builtin_label(org::SUB_ORGANIZATION_OF.as_str(), Lang::Fr),
            Some("fait partie de")
        );
        assert_eq!(
            builtin_label(org::SUB_ORGANIZATION_OF.as_str(), Lang::En),
            Some("part of")
        );
        for (drawn, redundant) in INVERSES {
            if drawn.as_str().starts_with(pg::NAMESPACE) {
                continue; // labelled by the ontology
            }
            assert!(builtin_label(drawn.as_str(), Lang::En).is_some());
            assert!(builtin_label(redundant.as_str(), Lang::En).is_some());
        }
    }
}
