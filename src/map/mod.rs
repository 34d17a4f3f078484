//! Records → quads, as `docs/mapping.md` describes. This is the one place
//! that decides which triples a record gives.
//!
//! The mapper writes into a [`QuadSink`], so the same code fills a store or
//! streams N-Triples to a file.

mod tables;

pub use tables::map_tables;

use crate::iri::{Iris, RecordKind, PROVENANCE_GRAPH};
use crate::model::*;
use crate::vocab::*;
use oxigraph::model::{
    GraphNameRef, LiteralRef, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, TermRef,
};
use std::io;

/// Where mapped quads go.
pub trait QuadSink {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()>;
}

impl QuadSink for Vec<oxigraph::model::Quad> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.push(quad.into_owned());
        Ok(())
    }
}

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
    Ok(())
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

/// Maps records one at a time (for callers that stream records instead of
/// holding a whole [`Dataset`]).
pub struct Mapper<'a, S> {
    iris: &'a Iris,
    sink: &'a mut S,
    /// Reused for the IRIs of linked records, to spare an allocation each.
    scratch: String,
    /// Reused for each record's subject and graph IRIs.
    subject_buffer: String,
    graph_buffer: String,
}

/// The triples of one record: its subject IRI and its graph.
struct Record<'m, 'a, S> {
    mapper: &'m mut Mapper<'a, S>,
    subject: String,
    graph: String,
}

impl<S> Drop for Record<'_, '_, S> {
    /// Gives the IRI buffers back to the mapper for the next record.
    fn drop(&mut self) {
        self.mapper.subject_buffer = std::mem::take(&mut self.subject);
        self.mapper.graph_buffer = std::mem::take(&mut self.graph);
    }
}

/// IRIs made by the mapper are built from a checked base and checked slugs
/// (or from IRIs the loader validated), so they need no second parse.
fn iri(value: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(value)
}

fn lang<'v>(value: &'v str, language: &'v str) -> LiteralRef<'v> {
    LiteralRef::new_language_tagged_literal_unchecked(value, language)
}

impl<'a, S: QuadSink> Mapper<'a, S> {
    pub fn new(iris: &'a Iris, sink: &'a mut S) -> Self {
        Mapper {
            iris,
            sink,
            scratch: String::new(),
            subject_buffer: String::new(),
            graph_buffer: String::new(),
        }
    }

    /// The sink the quads go to.
    pub fn sink(&self) -> &S {
        self.sink
    }

    fn record<'m>(
        &'m mut self,
        kind: RecordKind,
        common: &Common,
    ) -> io::Result<Record<'m, 'a, S>> {
        let mut subject = std::mem::take(&mut self.subject_buffer);
        self.iris.write_record(&mut subject, kind, &common.id);
        let primary = common.sources.first().map_or("unsourced", String::as_str);
        let mut graph = std::mem::take(&mut self.graph_buffer);
        self.iris.write_graph(&mut graph, primary);
        let mut record = Record {
            mapper: self,
            subject,
            graph,
        };
        record.common(common)?;
        Ok(record)
    }

    pub fn organization(&mut self, r: &Organization) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Organization, &r.common)?;
        rec.class(org::ORGANIZATION)?;
        rec.class(org_class(r.kind))?;
        rec.names(&r.name, r.name_en.as_deref(), true)?;
        if let Some(acronym) = &r.acronym {
            rec.plain(pg::ACRONYM, acronym)?;
            rec.plain(skos::ALT_LABEL, acronym)?;
        }
        if let Some(short) = &r.short_name {
            rec.plain(pg::SHORT_NAME, short)?;
            rec.plain(skos::ALT_LABEL, short)?;
        }
        if let Some(parent) = &r.parent {
            rec.link_inverse(
                org::SUB_ORGANIZATION_OF,
                RecordKind::Organization,
                parent,
                org::HAS_SUB_ORGANIZATION,
            )?;
        }
        if let Some(ministry) = &r.placed_at_disposal_of {
            rec.link(
                pg::PLACED_AT_DISPOSAL_OF,
                RecordKind::Organization,
                ministry,
            )?;
        }
        for member in &r.members {
            rec.link_inverse(
                org::HAS_MEMBER,
                RecordKind::Organization,
                member,
                org::MEMBER_OF,
            )?;
        }
        for body in &r.secretariat {
            rec.link(pg::SECRETARIAT, RecordKind::Organization, body)?;
        }
        for pole in &r.coordinates_support_to {
            rec.link(pg::COORDINATES_SUPPORT_TO, RecordKind::Organization, pole)?;
        }
        if let Some(homepage) = &r.homepage {
            rec.object(foaf::HOMEPAGE, iri(homepage).into())?;
        }
        if let Some(category) = r.pole.category {
            rec.object(pg::CATEGORY, pole_category(category).into())?;
        }
        for region in &r.pole.regions {
            rec.plain(pg::REGION, region)?;
        }
        if let Some(domain) = &r.pole.domain {
            rec.object(pg::DOMAIN, lang(domain, "fr").into())?;
        }
        if let Some(decision) = &r.pole.labelled_by {
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
            rec.plain(foaf::NAME, &r.name)?;
            rec.plain(rdfs::LABEL, &r.name)?;
            rec.plain(skos::PREF_LABEL, &r.name)?;
            if let Some(given) = &r.given_name {
                rec.plain(foaf::GIVEN_NAME, given)?;
            }
            if let Some(family) = &r.family_name {
                rec.plain(foaf::FAMILY_NAME, family)?;
            }
            if let Some(organization) = &r.organization {
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
            rec.names(&post.title, post.title_en.as_deref(), true)?;
            rec.link_inverse(
                org::POST_IN,
                RecordKind::Organization,
                &post.organization,
                org::HAS_POST,
            )?;
            rec.object(org::HELD_BY, iri(&person_iri).into())?;
            let post_iri = rec.subject.clone();
            rec.quad(&person_iri, org::HOLDS, iri(&post_iri).into())?;
            if post.head {
                let organization = rec
                    .mapper
                    .iris
                    .record(RecordKind::Organization, &post.organization);
                rec.quad(&person_iri, org::HEAD_OF, iri(&organization).into())?;
            }
        }
        Ok(())
    }

    pub fn event(&mut self, r: &Event) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Event, &r.common)?;
        rec.class(schema::EVENT)?;
        rec.class(event_class(r.kind))?;
        rec.object(schema::NAME, lang(&r.name, "fr").into())?;
        rec.names(&r.name, r.name_en.as_deref(), false)?;
        if let Some(date) = &r.date {
            rec.object(
                schema::START_DATE,
                LiteralRef::new_typed_literal(date, xsd::DATE).into(),
            )?;
        }
        for organizer in &r.organizers {
            rec.link(schema::ORGANIZER, RecordKind::Organization, organizer)?;
        }
        for person in &r.opened_by {
            rec.link(pg::OPENED_BY, RecordKind::Person, person)?;
        }
        if let Some(parent) = &r.part_of {
            rec.link_inverse(
                schema::SUPER_EVENT,
                RecordKind::Event,
                parent,
                schema::SUB_EVENT,
            )?;
        }
        if let Some(previous) = &r.follows {
            rec.link(pg::FOLLOWS, RecordKind::Event, previous)?;
        }
        for document in &r.documents {
            rec.link(schema::SUBJECT_OF, RecordKind::Document, document)?;
        }
        if let Some(description) = &r.description {
            rec.object(schema::DESCRIPTION, lang(description, "fr").into())?;
        }
        Ok(())
    }

    pub fn talk(&mut self, r: &Talk) -> io::Result<()> {
        let mut rec = self.record(RecordKind::Talk, &r.common)?;
        rec.class(schema::EVENT)?;
        rec.class(pg::TALK)?;
        rec.object(schema::NAME, lang(&r.title, "fr").into())?;
        rec.names(&r.title, None, false)?;
        match &r.part_of {
            Some(talk) => rec.link_inverse(
                schema::SUPER_EVENT,
                RecordKind::Talk,
                talk,
                schema::SUB_EVENT,
            )?,
            None => rec.link_inverse(
                schema::SUPER_EVENT,
                RecordKind::Event,
                &r.event,
                schema::SUB_EVENT,
            )?,
        }
        for person in &r.speakers {
            rec.link(schema::PERFORMER, RecordKind::Person, person)?;
        }
        for organization in &r.speaker_organizations {
            rec.link(schema::PERFORMER, RecordKind::Organization, organization)?;
        }
        for topic in &r.topics {
            rec.link(schema::ABOUT, RecordKind::Organization, topic)?;
        }
        for document in &r.documents {
            rec.link(schema::SUBJECT_OF, RecordKind::Document, document)?;
        }
        if let Some(url) = &r.document_url {
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
        rec.object(dcterms::TITLE, lang(&r.title, "fr").into())?;
        rec.object(rdfs::LABEL, lang(&r.title, "fr").into())?;
        if let Some(media_type) = &r.media_type {
            let format = format!("{IANA_MEDIA_TYPES}{media_type}");
            rec.object(dcterms::FORMAT, iri(&format).into())?;
        }
        if let Some(url) = &r.url {
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
        rec.names(&r.name, r.name_en.as_deref(), false)?;
        rec.object(
            dcterms::DATE,
            LiteralRef::new_typed_literal(&r.date, xsd::DATE).into(),
        )?;
        rec.link(pg::DECIDED_BY, RecordKind::Organization, &r.decided_by)?;
        rec.link(
            prov::WAS_ASSOCIATED_WITH,
            RecordKind::Organization,
            &r.decided_by,
        )?;
        if let Some(description) = &r.description {
            rec.object(dcterms::DESCRIPTION, lang(description, "fr").into())?;
        }
        Ok(())
    }

    pub fn source(&mut self, r: &Source, graph: &str) -> io::Result<()> {
        let mut rec = Record {
            subject: self.iris.record(RecordKind::Source, &r.id),
            graph: graph.to_owned(),
            mapper: self,
        };
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
}

impl<S: QuadSink> Record<'_, '_, S> {
    fn quad(
        &mut self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> io::Result<()> {
        self.mapper.sink.add(QuadRef::new(
            NamedOrBlankNodeRef::NamedNode(iri(subject)),
            predicate,
            object,
            GraphNameRef::NamedNode(iri(&self.graph)),
        ))
    }

    fn object(&mut self, predicate: NamedNodeRef<'_>, object: TermRef<'_>) -> io::Result<()> {
        let subject = std::mem::take(&mut self.subject);
        let result = self.quad(&subject, predicate, object);
        self.subject = subject;
        result
    }

    fn class(&mut self, class: NamedNodeRef<'_>) -> io::Result<()> {
        self.object(rdf::TYPE, class.into())
    }

    fn plain(&mut self, predicate: NamedNodeRef<'_>, value: &str) -> io::Result<()> {
        self.object(predicate, LiteralRef::new_simple_literal(value).into())
    }

    /// `rdfs:label` (and `skos:prefLabel` when `pref`) in French and English.
    fn names(&mut self, fr: &str, en: Option<&str>, pref: bool) -> io::Result<()> {
        for (value, language) in std::iter::once((fr, "fr")).chain(en.map(|en| (en, "en"))) {
            self.object(rdfs::LABEL, lang(value, language).into())?;
            if pref {
                self.object(skos::PREF_LABEL, lang(value, language).into())?;
            }
        }
        Ok(())
    }

    /// `subject predicate target`.
    fn link(&mut self, predicate: NamedNodeRef<'_>, kind: RecordKind, id: &str) -> io::Result<()> {
        let mut target = std::mem::take(&mut self.mapper.scratch);
        self.mapper.iris.write_record(&mut target, kind, id);
        let result = self.object(predicate, iri(&target).into());
        self.mapper.scratch = target;
        result
    }

    /// `subject predicate target` and `target inverse subject`.
    fn link_inverse(
        &mut self,
        predicate: NamedNodeRef<'_>,
        kind: RecordKind,
        id: &str,
        inverse: NamedNodeRef<'_>,
    ) -> io::Result<()> {
        let mut target = std::mem::take(&mut self.mapper.scratch);
        self.mapper.iris.write_record(&mut target, kind, id);
        let subject = std::mem::take(&mut self.subject);
        let result = self
            .quad(&subject, predicate, iri(&target).into())
            .and_then(|()| self.quad(&target, inverse, iri(&subject).into()));
        self.subject = subject;
        self.mapper.scratch = target;
        result
    }

    /// What every record carries: sources, confidence, notes, other labels.
    fn common(&mut self, common: &Common) -> io::Result<()> {
        for source in &common.sources {
            self.link(dcterms::SOURCE, RecordKind::Source, source)?;
        }
        if common.confidence == Confidence::Uncertain {
            self.object(
                pg::UNCERTAIN,
                LiteralRef::new_typed_literal("true", xsd::BOOLEAN).into(),
            )?;
        }
        if let Some(notes) = &common.notes {
            self.object(rdfs::COMMENT, lang(notes, "fr").into())?;
        }
        for label in &common.alt_labels {
            self.object(skos::ALT_LABEL, lang(label, "fr").into())?;
        }
        Ok(())
    }
}
