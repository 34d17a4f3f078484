//! The checks that run once every file is read: ids, references, dates,
//! IRIs, required fields and cycles, over the whole dataset. The rules
//! themselves are in [`super::rules`], shared with the stream's checks.

use super::files::MAX_ERRORS;
use super::rules::{self, find_cycles, register, IdIndex, Wording};
use crate::error::DataError;
use crate::model::*;
use std::collections::HashMap;

/// Runs every check, appending faults to `errors`.
pub(super) fn check(dataset: &Dataset, errors: &mut Vec<DataError>) {
    let mut checker = Checker::new(dataset, errors);
    checker.ids();
    checker.records();
    checker.cycles();
}

/// The ids of one record kind, with the origin of each.
struct Ids<'a> {
    noun: &'static str,
    ids: HashMap<&'a str, &'a Origin>,
}

impl<'a> Ids<'a> {
    fn new(noun: &'static str) -> Self {
        Ids {
            noun,
            ids: HashMap::new(),
        }
    }
}

impl<'a> IdIndex<'a> for Ids<'a> {
    fn noun(&self) -> &'static str {
        self.noun
    }

    fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// A duplicate is told with the file and line of the first.
    fn insert(&mut self, id: &'a str, origin: &'a Origin) -> Result<(), Option<String>> {
        if let Some(first) = self.ids.get(id) {
            return Err(Some(format!("{}:{}", first.file, first.line)));
        }
        self.ids.insert(id, origin);
        Ok(())
    }

    fn suggestion(&self, unknown: &str) -> Option<&str> {
        if self.ids.len() > 100_000 {
            return None; // too many to compare against; the message still says what is wrong
        }
        let ids: Vec<&'a str> = self.ids.keys().copied().collect();
        closest(unknown, &ids)
    }
}

/// The list fields of an organisation that `not_exhaustive` may name.
const LIST_FIELDS: &[&str] = &["members", "secretariat", "coordinates_support_to"];

/// The fields a `facts` entry may qualify, per record kind.
const ORGANIZATION_FIELDS: &[&str] = &[
    "name",
    "name_en",
    "acronym",
    "short_name",
    "parent",
    "chaired_by",
    "placed_at_disposal_of",
    "members",
    "secretariat",
    "coordinates_support_to",
    "not_exhaustive",
    "homepage",
    "category",
    "regions",
    "domain",
    "labelled_by",
    "notes",
    "alt_labels",
    "hidden_labels",
];
const PERSON_FIELDS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "organization",
    "notes",
    "alt_labels",
    "hidden_labels",
];
const POST_FIELDS: &[&str] = &[
    "title",
    "title_en",
    "organization",
    "head",
    "start",
    "end",
    "attested_on",
    "notes",
    "alt_labels",
    "hidden_labels",
];
const EVENT_FIELDS: &[&str] = &[
    "name",
    "name_en",
    "date",
    "organizers",
    "opened_by",
    "attendees",
    "part_of",
    "follows",
    "documents",
    "description",
    "notes",
    "alt_labels",
    "hidden_labels",
];
const TALK_FIELDS: &[&str] = &[
    "title",
    "event",
    "part_of",
    "speakers",
    "speaker_organizations",
    "topics",
    "documents",
    "document_url",
    "notes",
    "alt_labels",
    "hidden_labels",
];
const DOCUMENT_FIELDS: &[&str] = &[
    "title",
    "media_type",
    "url",
    "notes",
    "alt_labels",
    "hidden_labels",
];
const DECISION_FIELDS: &[&str] = &[
    "name",
    "name_en",
    "date",
    "decided_by",
    "description",
    "notes",
    "alt_labels",
    "hidden_labels",
];

struct Checker<'a, 'e> {
    dataset: &'a Dataset,
    errors: &'e mut Vec<DataError>,
    sources: Ids<'a>,
    organizations: Ids<'a>,
    people: Ids<'a>,
    posts: Ids<'a>,
    events: Ids<'a>,
    talks: Ids<'a>,
    documents: Ids<'a>,
    decisions: Ids<'a>,
}

/// Which id index a reference points into.
#[derive(Clone, Copy)]
enum Kind {
    Source,
    Organization,
    Person,
    Event,
    Talk,
    Document,
    Decision,
}

impl<'a, 'e> Checker<'a, 'e> {
    fn new(dataset: &'a Dataset, errors: &'e mut Vec<DataError>) -> Self {
        Checker {
            dataset,
            errors,
            sources: Ids::new("source"),
            organizations: Ids::new("organisation"),
            people: Ids::new("person"),
            posts: Ids::new("post"),
            events: Ids::new("event"),
            talks: Ids::new("talk"),
            documents: Ids::new("document"),
            decisions: Ids::new("decision"),
        }
    }

    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }

    fn fault(&mut self, origin: &Origin, field: &str, message: String) {
        if self.full() {
            return;
        }
        self.errors.push(rules::fault_at(origin, field, message));
    }

    fn index(&self, kind: Kind) -> &Ids<'a> {
        match kind {
            Kind::Source => &self.sources,
            Kind::Organization => &self.organizations,
            Kind::Person => &self.people,
            Kind::Event => &self.events,
            Kind::Talk => &self.talks,
            Kind::Document => &self.documents,
            Kind::Decision => &self.decisions,
        }
    }

    /// Registers every id: checks its syntax and that it is new in its kind.
    fn ids(&mut self) {
        let d = self.dataset;
        let mut faults = Vec::new();
        for s in &d.sources {
            if let Err(message) = register(&mut self.sources, &s.id, &s.origin) {
                faults.push((&s.origin, message));
            }
        }
        let commons = [
            (
                &mut self.organizations,
                d.organizations
                    .iter()
                    .map(|r| &r.common)
                    .collect::<Vec<_>>(),
            ),
            (
                &mut self.people,
                d.people.iter().map(|r| &r.common).collect(),
            ),
            (
                &mut self.posts,
                d.people
                    .iter()
                    .flat_map(|p| &p.posts)
                    .map(|r| &r.common)
                    .collect(),
            ),
            (
                &mut self.events,
                d.events.iter().map(|r| &r.common).collect(),
            ),
            (&mut self.talks, d.talks.iter().map(|r| &r.common).collect()),
            (
                &mut self.documents,
                d.documents.iter().map(|r| &r.common).collect(),
            ),
            (
                &mut self.decisions,
                d.decisions.iter().map(|r| &r.common).collect(),
            ),
        ];
        for (index, records) in commons {
            for c in records {
                if let Err(message) = register(index, &c.id, &c.origin) {
                    faults.push((&c.origin, message));
                }
            }
        }
        for (origin, message) in faults {
            self.fault(origin, "id", message);
        }
    }

    /// Checks one reference field.
    fn reference(&mut self, origin: &Origin, field: &str, kind: Kind, id: &str) {
        let index = self.index(kind);
        if index.contains(id) || self.full() {
            return;
        }
        let message = rules::unknown_id(index, id, Wording::Loader);
        self.fault(origin, field, message);
    }

    fn references(&mut self, origin: &Origin, field: &str, kind: Kind, ids: &[String]) {
        for id in ids {
            self.reference(origin, field, kind, id);
        }
    }

    fn optional_reference(
        &mut self,
        origin: &Origin,
        field: &str,
        kind: Kind,
        id: &Option<String>,
    ) {
        if let Some(id) = id {
            self.reference(origin, field, kind, id);
        }
    }

    /// Reports `rule`'s fault, if any, at `field`.
    fn rule(&mut self, origin: &Origin, field: &str, rule: Result<(), String>) {
        if let Err(message) = rule {
            self.fault(origin, field, message);
        }
    }

    fn required_text(&mut self, origin: &Origin, field: &str, value: &str) {
        self.rule(origin, field, rules::required_text(field, value));
    }

    fn date(&mut self, origin: &Origin, field: &str, value: &str) {
        self.rule(origin, field, rules::check_date(value));
    }

    fn iri(&mut self, origin: &Origin, field: &str, value: &str) {
        self.rule(origin, field, rules::absolute_iri(value, Wording::Loader));
    }

    fn common(&mut self, c: &Common, fields: &[&str]) {
        self.rule(&c.origin, "sources", rules::has_a_source(&c.sources));
        self.references(&c.origin, "sources", Kind::Source, &c.sources);
        if c.confidence == Confidence::Inferred && c.notes.is_none() {
            let message =
                "an inferred record needs `notes` giving the reasoning (in French)".into();
            self.fault(&c.origin, "confidence", message);
        }
        for fact in &c.facts {
            self.fact(c, fact, fields);
        }
    }

    /// One `facts` entry: a field of the record, known sources, and a
    /// note (the reasoning) on an inferred fact.
    fn fact(&mut self, c: &Common, fact: &FactOverride, fields: &[&str]) {
        let key = match &fact.value {
            Some(value) => format!("{}:{value}", fact.field),
            None => fact.field.clone(),
        };
        let mut faults = Vec::new();
        if !fields.contains(&fact.field.as_str()) {
            let hint = closest(&fact.field, fields)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            faults.push(format!(
                "`facts.{key}` names no field of this record ({hint}fields: {}; see data/README.md)",
                fields.join(", ")
            ));
        }
        let sources = fact.meta.sources.as_deref().unwrap_or_default();
        if fact.meta.sources.as_ref().is_some_and(Vec::is_empty) {
            faults.push(format!(
                "`facts.{key}.sources` is empty (name at least one source id)"
            ));
        }
        for id in sources {
            if !self.sources.contains(id) {
                let message = rules::unknown_id(&self.sources, id, Wording::Loader);
                faults.push(format!("`facts.{key}.sources`: {message}"));
            }
        }
        if fact.meta.confidence == Some(Confidence::Inferred) && fact.meta.note.is_none() {
            faults.push(format!(
                "`facts.{key}` is inferred but has no `note` (write the reasoning, in French)"
            ));
        }
        for message in faults {
            if self.full() {
                return;
            }
            self.errors.push(DataError {
                file: c.origin.file.to_string(),
                line: Some(fact.line),
                column: None,
                field: Some(format!("facts.{key}")),
                message,
            });
        }
    }

    /// Checks the fields of every record.
    fn records(&mut self) {
        let d = self.dataset;
        for s in &d.sources {
            let o = &s.origin;
            let named = rules::source_is_named(s.title.as_deref(), s.url.as_deref());
            self.rule(o, "title", named);
            if let Some(url) = &s.url {
                self.iri(o, "url", url);
            }
            if let Some(date) = &s.date {
                self.date(o, "date", date);
            }
            self.references(o, "derived_from", Kind::Source, &s.derived_from);
        }
        for r in &d.organizations {
            self.organization(r);
        }
        for p in &d.people {
            let o = &p.common.origin;
            self.common(&p.common, PERSON_FIELDS);
            self.required_text(o, "name", &p.name);
            self.optional_reference(o, "organization", Kind::Organization, &p.organization);
            for post in &p.posts {
                let po = &post.common.origin;
                self.common(&post.common, POST_FIELDS);
                self.required_text(po, "title", &post.title);
                self.reference(po, "organization", Kind::Organization, &post.organization);
                for (field, date) in [
                    ("start", &post.start),
                    ("end", &post.end),
                    ("attested_on", &post.attested_on),
                ] {
                    if let Some(date) = date {
                        self.date(po, field, date);
                    }
                }
            }
        }
        for e in &d.events {
            let o = &e.common.origin;
            self.common(&e.common, EVENT_FIELDS);
            self.required_text(o, "name", &e.name);
            if let Some(date) = &e.date {
                self.date(o, "date", date);
            }
            self.references(o, "organizers", Kind::Organization, &e.organizers);
            self.references(o, "opened_by", Kind::Person, &e.opened_by);
            self.references(o, "attendees", Kind::Organization, &e.attendees);
            self.optional_reference(o, "part_of", Kind::Event, &e.part_of);
            self.optional_reference(o, "follows", Kind::Event, &e.follows);
            self.references(o, "documents", Kind::Document, &e.documents);
        }
        for t in &d.talks {
            let o = &t.common.origin;
            self.common(&t.common, TALK_FIELDS);
            self.required_text(o, "title", &t.title);
            self.reference(o, "event", Kind::Event, &t.event);
            self.optional_reference(o, "part_of", Kind::Talk, &t.part_of);
            self.references(o, "speakers", Kind::Person, &t.speakers);
            self.references(
                o,
                "speaker_organizations",
                Kind::Organization,
                &t.speaker_organizations,
            );
            self.references(o, "topics", Kind::Organization, &t.topics);
            self.references(o, "documents", Kind::Document, &t.documents);
            if let Some(url) = &t.document_url {
                self.iri(o, "document_url", url);
            }
        }
        for doc in &d.documents {
            let o = &doc.common.origin;
            self.common(&doc.common, DOCUMENT_FIELDS);
            self.required_text(o, "title", &doc.title);
            if let Some(media_type) = &doc.media_type {
                self.rule(o, "media_type", rules::media_type(media_type));
            }
            if let Some(url) = &doc.url {
                self.iri(o, "url", url);
            }
        }
        for dec in &d.decisions {
            let o = &dec.common.origin;
            self.common(&dec.common, DECISION_FIELDS);
            self.required_text(o, "name", &dec.name);
            self.date(o, "date", &dec.date);
            self.reference(o, "decided_by", Kind::Organization, &dec.decided_by);
        }
    }

    fn organization(&mut self, r: &Organization) {
        let o = &r.common.origin;
        self.common(&r.common, ORGANIZATION_FIELDS);
        self.required_text(o, "name", &r.name);
        self.optional_reference(o, "parent", Kind::Organization, &r.parent);
        self.optional_reference(
            o,
            "placed_at_disposal_of",
            Kind::Organization,
            &r.placed_at_disposal_of,
        );
        self.optional_reference(o, "chaired_by", Kind::Organization, &r.chaired_by);
        self.references(o, "members", Kind::Organization, &r.members);
        for field in &r.not_exhaustive {
            if !LIST_FIELDS.contains(&field.as_str()) {
                let message = format!(
                    "`{field}` is not a list field an organisation can mark not exhaustive (expected one of {})",
                    LIST_FIELDS.join(", ")
                );
                self.fault(o, "not_exhaustive", message);
            }
        }
        self.references(o, "secretariat", Kind::Organization, &r.secretariat);
        self.references(
            o,
            "coordinates_support_to",
            Kind::Organization,
            &r.coordinates_support_to,
        );
        if let Some(url) = &r.homepage {
            self.iri(o, "homepage", url);
        }
        if r.kind == OrgKind::Pole {
            self.optional_reference(o, "labelled_by", Kind::Decision, &r.pole.labelled_by);
        }
        for (field, message) in rules::pole_fields_of_non_pole(r, Wording::Loader) {
            self.fault(o, field, message);
        }
    }

    /// Cycles in the organisation hierarchy and in the event and talk
    /// nesting are faults: no organisation can be its own parent.
    fn cycles(&mut self) {
        if !self.errors.is_empty() {
            return; // unknown ids would make the walk report nonsense
        }
        let d = self.dataset;
        let organizations = d
            .organizations
            .iter()
            .map(|r| (&r.common, r.parent.as_deref()));
        self.report_cycles("organisation hierarchy", "parent", organizations);
        let events = d.events.iter().map(|r| (&r.common, r.part_of.as_deref()));
        self.report_cycles("event nesting", "part_of", events);
        let talks = d.talks.iter().map(|r| (&r.common, r.part_of.as_deref()));
        self.report_cycles("talk nesting", "part_of", talks);
    }

    /// Reports each cycle of `field` links once, at the record of its
    /// smallest id.
    fn report_cycles<'r>(
        &mut self,
        what: &str,
        field: &str,
        links: impl Iterator<Item = (&'r Common, Option<&'r str>)>,
    ) {
        let mut parent_of = HashMap::new();
        let mut origin_of = HashMap::new();
        for (common, parent) in links {
            if let Some(parent) = parent {
                parent_of.insert(common.id.as_str(), parent);
                origin_of.insert(common.id.as_str(), &common.origin);
            }
        }
        for ring in find_cycles(parent_of.keys().copied().collect(), |id| {
            parent_of.get(id).copied()
        }) {
            if let Some(origin) = origin_of.get(ring[0]) {
                let message = rules::cycle(what, &ring, field);
                self.fault(origin, field, message);
            }
        }
    }
}
