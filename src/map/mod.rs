//! Records → quads, as `docs/mapping.md` describes. This is the one place
//! that decides which triples a record gives.
//!
//! The mapper writes into a [`QuadSink`], so the same code fills a store or
//! streams N-Triples to a file.

mod tables;
mod writer;

pub use tables::map_tables;
pub use writer::{confidence_iri, Mapper, QuadSink};
use writer::{iri, lang};

use crate::iri::{Iris, RecordKind, INFERRED_GRAPH, PROVENANCE_GRAPH};
use crate::model::*;
use crate::vocab::*;
use oxigraph::model::{LiteralRef, NamedNodeRef};
use std::io;

/// Maps a whole dataset: every record, then the source descriptions.
pub fn map_dataset(dataset: &Dataset, iris: &Iris, sink: &mut impl QuadSink) -> io::Result<()> {
    let mut mapper = Mapper::new(iris, sink);
    for r in &dataset.organizations {
        mapper.organization(r)?;
    }
    for r in &dataset.people {
        mapper.person(r)?;
    }
    for r in &dataset.events {
        mapper.event(r)?;
    }
    for r in &dataset.talks {
        mapper.talk(r)?;
    }
    for r in &dataset.documents {
        mapper.document(r)?;
    }
    for r in &dataset.decisions {
        mapper.decision(r)?;
    }
    let provenance = iris.graph(PROVENANCE_GRAPH);
    for r in &dataset.sources {
        mapper.source(r, &provenance)?;
    }
    mapper.describe_graphs(&dataset.sources, &provenance)
}

/// The ontology class of each organisation kind.
pub fn org_class(kind: OrgKind) -> NamedNodeRef<'static> {
    match kind {
        OrgKind::Ministry => pg::MINISTRY,
        OrgKind::StateSecretariat => pg::STATE_SECRETARIAT,
        OrgKind::Directorate => pg::DIRECTORATE,
        OrgKind::Service => pg::SERVICE,
        OrgKind::Agency => pg::AGENCY,
        OrgKind::InterministerialBody => pg::INTERMINISTERIAL_BODY,
        OrgKind::InterministerialCommittee => pg::INTERMINISTERIAL_COMMITTEE,
        OrgKind::RegionalOffice => pg::REGIONAL_OFFICE,
        OrgKind::Pole => pg::POLE,
        OrgKind::Programme => pg::PROGRAMME,
        OrgKind::HeadOfGovernment => pg::HEAD_OF_GOVERNMENT,
    }
}

fn pole_category(category: PoleCategory) -> NamedNodeRef<'static> {
    match category {
        PoleCategory::Mondial => pg::MONDIAL,
        PoleCategory::VocationMondiale => pg::VOCATION_MONDIALE,
        PoleCategory::National => pg::NATIONAL,
    }
}

fn event_class(kind: EventKind) -> NamedNodeRef<'static> {
    match kind {
        EventKind::NationalDay => pg::NATIONAL_DAY,
        EventKind::Session => pg::SESSION,
        EventKind::Meeting => pg::MEETING,
    }
}

fn source_class(kind: SourceKind) -> NamedNodeRef<'static> {
    match kind {
        SourceKind::SeedPage => pg::SEED_PAGE,
        SourceKind::WebPage => pg::WEB_PAGE,
        SourceKind::ReferenceTable => pg::REFERENCE_TABLE,
        SourceKind::DataFile => pg::DATA_FILE,
    }
}

impl<'a, S: QuadSink> Mapper<'a, S> {
    pub fn organization(&mut self, r: &Organization) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Organization, &r.common)?;
        rec.class(org::ORGANIZATION)?;
        rec.class(org_class(r.kind))?;
        rec.names(("name", &r.name), ("name_en", r.name_en.as_deref()), true)?;
        if let Some(acronym) = &r.acronym {
            rec.field("acronym", None);
            rec.plain(pg::ACRONYM, acronym)?;
            rec.plain(skos::ALT_LABEL, acronym)?;
        }
        if let Some(short) = &r.short_name {
            rec.field("short_name", None);
            rec.plain(pg::SHORT_NAME, short)?;
            rec.plain(skos::ALT_LABEL, short)?;
        }
        if let Some(parent) = &r.parent {
            rec.field("parent", Some(parent));
            rec.link_inverse(
                org::SUB_ORGANIZATION_OF,
                RecordKind::Organization,
                parent,
                org::HAS_SUB_ORGANIZATION,
            )?;
        }
        if let Some(chair) = &r.chaired_by {
            rec.field("chaired_by", Some(chair));
            rec.link(pg::CHAIRED_BY, RecordKind::Organization, chair)?;
        }
        if let Some(ministry) = &r.placed_at_disposal_of {
            rec.field("placed_at_disposal_of", Some(ministry));
            rec.link(
                pg::PLACED_AT_DISPOSAL_OF,
                RecordKind::Organization,
                ministry,
            )?;
        }
        for member in &r.members {
            rec.field("members", Some(member));
            rec.link_inverse(
                org::HAS_MEMBER,
                RecordKind::Organization,
                member,
                org::MEMBER_OF,
            )?;
        }
        rec.links(
            "secretariat",
            pg::SECRETARIAT,
            RecordKind::Organization,
            &r.secretariat,
        )?;
        rec.links(
            "coordinates_support_to",
            pg::COORDINATES_SUPPORT_TO,
            RecordKind::Organization,
            &r.coordinates_support_to,
        )?;
        for field in &r.not_exhaustive {
            if let Some(property) = list_property(field) {
                rec.field("not_exhaustive", Some(field));
                rec.object(pg::NOT_EXHAUSTIVE, property.into())?;
            }
        }
        if let Some(homepage) = &r.homepage {
            rec.field("homepage", None);
            rec.object(foaf::HOMEPAGE, iri(homepage).into())?;
        }
        if let Some(category) = r.pole.category {
            rec.field("category", None);
            rec.object(pg::CATEGORY, pole_category(category).into())?;
        }
        for region in &r.pole.regions {
            rec.field("regions", Some(region));
            rec.plain(pg::REGION, region)?;
        }
        if let Some(domain) = &r.pole.domain {
            rec.field("domain", None);
            rec.object(pg::DOMAIN, lang(domain, "fr").into())?;
        }
        if let Some(decision) = &r.pole.labelled_by {
            rec.field("labelled_by", Some(decision));
            rec.link_inverse(
                pg::LABELLED_BY,
                RecordKind::Decision,
                decision,
                pg::LABELLED,
            )?;
        }
        Ok(())
    }

    pub fn person(&mut self, r: &Person) -> io::Result<()> {
        let person_iri = self.iris.record(RecordKind::Person, &r.common.id);
        {
            let mut rec = self.record(RecordKind::Person, &r.common)?;
            rec.class(foaf::PERSON)?;
            rec.field("name", None);
            rec.plain(foaf::NAME, &r.name)?;
            rec.plain(rdfs::LABEL, &r.name)?;
            rec.plain(skos::PREF_LABEL, &r.name)?;
            if let Some(given) = &r.given_name {
                rec.field("given_name", None);
                rec.plain(foaf::GIVEN_NAME, given)?;
            }
            if let Some(family) = &r.family_name {
                rec.field("family_name", None);
                rec.plain(foaf::FAMILY_NAME, family)?;
            }
            if let Some(organization) = &r.organization {
                rec.field("organization", Some(organization));
                rec.link_inverse(
                    org::MEMBER_OF,
                    RecordKind::Organization,
                    organization,
                    org::HAS_MEMBER,
                )?;
            }
        }
        for post in &r.posts {
            let mut rec = self.record(RecordKind::Post, &post.common)?;
            rec.class(org::POST)?;
            rec.names(
                ("title", &post.title),
                ("title_en", post.title_en.as_deref()),
                true,
            )?;
            rec.field("organization", Some(&post.organization));
            rec.link_inverse(
                org::POST_IN,
                RecordKind::Organization,
                &post.organization,
                org::HAS_POST,
            )?;
            rec.own();
            rec.object(org::HELD_BY, iri(&person_iri).into())?;
            let post_iri = rec.subject.clone();
            rec.quad(&person_iri, org::HOLDS, iri(&post_iri).into())?;
            if post.head {
                rec.field("head", None);
                let organization = rec
                    .mapper
                    .iris
                    .record(RecordKind::Organization, &post.organization);
                rec.quad(&person_iri, org::HEAD_OF, iri(&organization).into())?;
            }
            let times = [
                ("start", pg::START_DATE, &post.start),
                ("end", pg::END_DATE, &post.end),
                ("attested_on", pg::ATTESTED_ON, &post.attested_on),
            ];
            for (field, predicate, date) in times {
                if let Some(date) = date {
                    rec.field(field, None);
                    rec.object(
                        predicate,
                        LiteralRef::new_typed_literal(date, xsd::DATE).into(),
                    )?;
                }
            }
        }
        Ok(())
    }

    pub fn event(&mut self, r: &Event) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Event, &r.common)?;
        rec.class(schema::EVENT)?;
        rec.class(event_class(r.kind))?;
        rec.field("name", None);
        rec.object(schema::NAME, lang(&r.name, "fr").into())?;
        rec.names(("name", &r.name), ("name_en", r.name_en.as_deref()), false)?;
        if let Some(date) = &r.date {
            rec.field("date", None);
            rec.object(
                schema::START_DATE,
                LiteralRef::new_typed_literal(date, xsd::DATE).into(),
            )?;
        }
        rec.links(
            "organizers",
            schema::ORGANIZER,
            RecordKind::Organization,
            &r.organizers,
        )?;
        rec.links("opened_by", pg::OPENED_BY, RecordKind::Person, &r.opened_by)?;
        rec.links(
            "attendees",
            schema::ATTENDEE,
            RecordKind::Organization,
            &r.attendees,
        )?;
        if let Some(parent) = &r.part_of {
            rec.field("part_of", Some(parent));
            rec.link_inverse(
                schema::SUPER_EVENT,
                RecordKind::Event,
                parent,
                schema::SUB_EVENT,
            )?;
        }
        if let Some(previous) = &r.follows {
            rec.field("follows", Some(previous));
            rec.link(pg::FOLLOWS, RecordKind::Event, previous)?;
        }
        rec.links(
            "documents",
            schema::SUBJECT_OF,
            RecordKind::Document,
            &r.documents,
        )?;
        if let Some(description) = &r.description {
            rec.field("description", None);
            rec.object(schema::DESCRIPTION, lang(description, "fr").into())?;
        }
        Ok(())
    }

    pub fn talk(&mut self, r: &Talk) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Talk, &r.common)?;
        rec.class(schema::EVENT)?;
        rec.class(pg::TALK)?;
        rec.field("title", None);
        rec.object(schema::NAME, lang(&r.title, "fr").into())?;
        rec.names(("title", &r.title), ("title", None), false)?;
        match &r.part_of {
            Some(talk) => {
                rec.field("part_of", Some(talk));
                rec.link_inverse(
                    schema::SUPER_EVENT,
                    RecordKind::Talk,
                    talk,
                    schema::SUB_EVENT,
                )?
            }
            None => {
                rec.field("event", Some(&r.event));
                rec.link_inverse(
                    schema::SUPER_EVENT,
                    RecordKind::Event,
                    &r.event,
                    schema::SUB_EVENT,
                )?
            }
        }
        rec.links(
            "speakers",
            schema::PERFORMER,
            RecordKind::Person,
            &r.speakers,
        )?;
        rec.links(
            "speaker_organizations",
            schema::PERFORMER,
            RecordKind::Organization,
            &r.speaker_organizations,
        )?;
        rec.links("topics", schema::ABOUT, RecordKind::Organization, &r.topics)?;
        rec.links(
            "documents",
            schema::SUBJECT_OF,
            RecordKind::Document,
            &r.documents,
        )?;
        if let Some(url) = &r.document_url {
            rec.field("document_url", None);
            rec.object(schema::SUBJECT_OF, iri(url).into())?;
            rec.quad(url, rdf::TYPE, foaf::DOCUMENT.into())?;
        }
        Ok(())
    }

    pub fn document(&mut self, r: &Document) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Document, &r.common)?;
        rec.class(foaf::DOCUMENT)?;
        rec.class(match r.kind {
            DocumentKind::Slides => pg::SLIDE_DECK,
            DocumentKind::Programme => pg::EVENT_PROGRAMME,
        })?;
        rec.field("title", None);
        rec.object(dcterms::TITLE, lang(&r.title, "fr").into())?;
        rec.object(rdfs::LABEL, lang(&r.title, "fr").into())?;
        if let Some(media_type) = &r.media_type {
            rec.field("media_type", None);
            let format = format!("{IANA_MEDIA_TYPES}{media_type}");
            rec.object(dcterms::FORMAT, iri(&format).into())?;
        }
        if let Some(url) = &r.url {
            rec.field("url", None);
            rec.object(foaf::PAGE, iri(url).into())?;
        }
        Ok(())
    }

    pub fn decision(&mut self, r: &Decision) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Decision, &r.common)?;
        rec.class(prov::ACTIVITY)?;
        rec.class(pg::DECISION)?;
        rec.class(match r.kind {
            DecisionKind::Labelling => pg::LABELLING_DECISION,
        })?;
        rec.names(("name", &r.name), ("name_en", r.name_en.as_deref()), false)?;
        rec.field("date", None);
        rec.object(
            dcterms::DATE,
            LiteralRef::new_typed_literal(&r.date, xsd::DATE).into(),
        )?;
        rec.field("decided_by", Some(&r.decided_by));
        rec.link(pg::DECIDED_BY, RecordKind::Organization, &r.decided_by)?;
        rec.link(
            prov::WAS_ASSOCIATED_WITH,
            RecordKind::Organization,
            &r.decided_by,
        )?;
        if let Some(description) = &r.description {
            rec.field("description", None);
            rec.object(dcterms::DESCRIPTION, lang(description, "fr").into())?;
        }
        Ok(())
    }

    pub fn source(&mut self, r: &Source, graph: &str) -> io::Result<()> {
        let mut rec = self.record_in(RecordKind::Source, &r.id, graph);
        rec.class(prov::ENTITY)?;
        rec.class(pg::SOURCE)?;
        rec.class(source_class(r.kind))?;
        let label = r.title.as_deref().or(r.url.as_deref()).unwrap_or(&r.id);
        rec.plain(rdfs::LABEL, label)?;
        if let Some(title) = &r.title {
            rec.plain(dcterms::TITLE, title)?;
        }
        if let Some(date) = &r.date {
            rec.object(
                dcterms::DATE,
                LiteralRef::new_typed_literal(date, xsd::DATE).into(),
            )?;
        }
        if let Some(url) = &r.url {
            rec.object(foaf::PAGE, iri(url).into())?;
        }
        for origin in &r.derived_from {
            rec.link(prov::WAS_DERIVED_FROM, RecordKind::Source, origin)?;
        }
        Ok(())
    }

    /// Describes, in the provenance graph, the graph of every source that
    /// stated a fact (its kind, title, URL and source) and the inferred
    /// graph (with the sources of its premises).
    pub fn describe_graphs(&mut self, sources: &[Source], provenance: &str) -> io::Result<()> {
        let stated = std::mem::take(&mut self.stated);
        for id in &stated {
            let graph = self.iris.graph(id);
            let mut rec = self.record_in(RecordKind::Source, id, provenance);
            rec.subject = graph;
            rec.class(pg::SOURCE_GRAPH)?;
            rec.link(dcterms::SOURCE, RecordKind::Source, id)?;
            if let Some(source) = sources.iter().find(|s| &s.id == id) {
                rec.object(dcterms::TYPE, source_class(source.kind).into())?;
                let label = source
                    .title
                    .as_deref()
                    .or(source.url.as_deref())
                    .unwrap_or(id);
                rec.object(rdfs::LABEL, lang(&graph_label(label), "fr").into())?;
                if let Some(title) = &source.title {
                    rec.plain(dcterms::TITLE, title)?;
                }
                if let Some(url) = &source.url {
                    rec.object(foaf::PAGE, iri(url).into())?;
                }
            }
        }
        self.stated = stated;
        let premises = std::mem::take(&mut self.premises);
        if !premises.is_empty() {
            let graph = self.iris.graph(INFERRED_GRAPH);
            let mut rec = self.record_in(RecordKind::Source, INFERRED_GRAPH, provenance);
            rec.subject = graph;
            rec.class(pg::INFERRED_GRAPH)?;
            rec.object(
                rdfs::LABEL,
                lang("Faits inférés des faits des sources", "fr").into(),
            )?;
            for id in &premises {
                rec.link(prov::WAS_DERIVED_FROM, RecordKind::Source, id)?;
            }
        }
        self.premises = premises;
        Ok(())
    }
}

/// The label of a source's graph.
fn graph_label(source: &str) -> String {
    format!("Faits énoncés par : {source}")
}

/// The property whose values a list field of an organisation gives (for
/// `not_exhaustive`).
pub fn list_property(field: &str) -> Option<NamedNodeRef<'static>> {
    match field {
        "members" => Some(org::HAS_MEMBER),
        "secretariat" => Some(pg::SECRETARIAT),
        "coordinates_support_to" => Some(pg::COORDINATES_SUPPORT_TO),
        _ => None,
    }
}
