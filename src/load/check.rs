//! The checks that run once every file is read: ids, references, dates,
//! IRIs, required fields and cycles.

use super::MAX_ERRORS;
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
struct IdIndex<'a> {
    /// What the kind is called in messages ("organisation").
    noun: &'static str,
    ids: HashMap<&'a str, &'a Origin>,
}

impl<'a> IdIndex<'a> {
    fn new(noun: &'static str) -> Self {
        IdIndex {
            noun,
            ids: HashMap::new(),
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// The closest known id, if one is close enough to be a likely typo.
    fn suggestion(&self, unknown: &str) -> Option<&'a str> {
        if self.ids.len() > 100_000 {
            return None; // too many to compare against; the message still says what is wrong
        }
        let ids: Vec<&'a str> = self.ids.keys().copied().collect();
        closest(unknown, &ids)
    }
}

struct Checker<'a, 'e> {
    dataset: &'a Dataset,
    errors: &'e mut Vec<DataError>,
    sources: IdIndex<'a>,
    organizations: IdIndex<'a>,
    people: IdIndex<'a>,
    posts: IdIndex<'a>,
    events: IdIndex<'a>,
    talks: IdIndex<'a>,
    documents: IdIndex<'a>,
    decisions: IdIndex<'a>,
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
            sources: IdIndex::new("source"),
            organizations: IdIndex::new("organisation"),
            people: IdIndex::new("person"),
            posts: IdIndex::new("post"),
            events: IdIndex::new("event"),
            talks: IdIndex::new("talk"),
            documents: IdIndex::new("document"),
            decisions: IdIndex::new("decision"),
        }
    }

    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }

    fn fault(&mut self, origin: &Origin, field: &str, message: String) {
        if self.full() {
            return;
        }
        let (field, line, column) = origin.locate(field);
        self.errors.push(DataError {
            file: origin.file.to_string(),
            line: Some(line),
            column,
            field: Some(field),
            message,
        });
    }

    fn index(&self, kind: Kind) -> &IdIndex<'a> {
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
            register(&mut self.sources, &s.id, &s.origin, &mut faults);
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
                register(index, &c.id, &c.origin, &mut faults);
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
        let noun = index.noun;
        let message = match index.suggestion(id) {
            Some(close) => format!("unknown {noun} id `{id}` (did you mean `{close}`?)"),
            None if id.is_empty() => format!("empty {noun} id (write the id of a {noun} record)"),
            None => format!("unknown {noun} id `{id}` (no {noun} record has this id; add one or fix the reference)"),
        };
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

    fn required_text(&mut self, origin: &Origin, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fault(
                origin,
                field,
                format!("`{field}` is empty (it is required)"),
            );
        }
    }

    fn date(&mut self, origin: &Origin, field: &str, value: &str) {
        if let Err(message) = check_date(value) {
            self.fault(origin, field, message);
        }
    }

    fn iri(&mut self, origin: &Origin, field: &str, value: &str) {
        if let Err(e) = oxigraph::model::NamedNode::new(value) {
            self.fault(
                origin,
                field,
                format!("`{value}` is not an absolute IRI ({e}); write a full address such as https://example.org/page"),
            );
        }
    }

    fn common(&mut self, c: &Common) {
        if c.sources.is_empty() {
            self.fault(
                &c.origin,
                "sources",
                "a record needs at least one source (add `sources = [\"<source id>\"]`)".into(),
            );
        }
        self.references(&c.origin, "sources", Kind::Source, &c.sources);
    }

    /// Checks the fields of every record.
    fn records(&mut self) {
        let d = self.dataset;
        for s in &d.sources {
            let o = &s.origin;
            if s.title.as_deref().is_none_or(|t| t.trim().is_empty()) && s.url.is_none() {
                self.fault(o, "title", "a source needs a `title` or a `url`".into());
            }
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
            self.common(&p.common);
            self.required_text(o, "name", &p.name);
            self.optional_reference(o, "organization", Kind::Organization, &p.organization);
            for post in &p.posts {
                let po = &post.common.origin;
                self.common(&post.common);
                self.required_text(po, "title", &post.title);
                self.reference(po, "organization", Kind::Organization, &post.organization);
            }
        }
        for e in &d.events {
            let o = &e.common.origin;
            self.common(&e.common);
            self.required_text(o, "name", &e.name);
            if let Some(date) = &e.date {
                self.date(o, "date", date);
            }
            self.references(o, "organizers", Kind::Organization, &e.organizers);
            self.references(o, "opened_by", Kind::Person, &e.opened_by);
            self.optional_reference(o, "part_of", Kind::Event, &e.part_of);
            self.optional_reference(o, "follows", Kind::Event, &e.follows);
            self.references(o, "documents", Kind::Document, &e.documents);
        }
        for t in &d.talks {
            let o = &t.common.origin;
            self.common(&t.common);
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
            self.common(&doc.common);
            self.required_text(o, "title", &doc.title);
            if let Some(media_type) = &doc.media_type {
                if !is_media_type(media_type) {
                    self.fault(o, "media_type", format!("`{media_type}` is not a media type (write `type/subtype`, e.g. `application/vnd.ms-powerpoint`)"));
                }
            }
            if let Some(url) = &doc.url {
                self.iri(o, "url", url);
            }
        }
        for dec in &d.decisions {
            let o = &dec.common.origin;
            self.common(&dec.common);
            self.required_text(o, "name", &dec.name);
            self.date(o, "date", &dec.date);
            self.reference(o, "decided_by", Kind::Organization, &dec.decided_by);
        }
    }

    fn organization(&mut self, r: &Organization) {
        let o = &r.common.origin;
        self.common(&r.common);
        self.required_text(o, "name", &r.name);
        self.optional_reference(o, "parent", Kind::Organization, &r.parent);
        self.optional_reference(
            o,
            "placed_at_disposal_of",
            Kind::Organization,
            &r.placed_at_disposal_of,
        );
        self.references(o, "members", Kind::Organization, &r.members);
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
        } else {
            for field in r.pole.fields_set() {
                self.fault(
                    o,
                    field,
                    format!("`{field}` is for poles only, and this organisation's kind is `{}` (remove it, or set `kind = \"pole\"`)", r.kind.as_str()),
                );
            }
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
                let message = format!(
                    "the {what} has a cycle: {} (break it by changing one `{field}`)",
                    ring.join(" → ")
                );
                self.fault(origin, field, message);
            }
        }
    }
}

/// Every cycle of `child → parent` links, each once, as the ring of ids
/// from its smallest id back to that id. `parent_of` gives a key's parent;
/// the walks start from `starts` in sorted order (so the rings come out in
/// the same order every time), and each key is visited once: a walk stops
/// where an earlier walk went.
pub(crate) fn find_cycles<K>(mut starts: Vec<K>, parent_of: impl Fn(K) -> Option<K>) -> Vec<Vec<K>>
where
    K: Copy + Eq + Ord + std::hash::Hash,
{
    starts.sort_unstable();
    let mut rings = Vec::new();
    // Key → the walk that first reached it.
    let mut walk_of: HashMap<K, usize, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(starts.len(), Default::default());
    let mut path: Vec<K> = Vec::new();
    for (walk, start) in starts.into_iter().enumerate() {
        path.clear();
        let mut current = start;
        loop {
            match walk_of.get(&current) {
                Some(&earlier) if earlier != walk => break,
                Some(_) => {
                    // Back on this walk's own path: a new cycle.
                    let at = path.iter().position(|k| *k == current).unwrap_or(0);
                    let cycle = &path[at..];
                    let from = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, id)| **id)
                        .map_or(0, |(i, _)| i);
                    let mut ring: Vec<K> = cycle[from..]
                        .iter()
                        .chain(&cycle[..from])
                        .copied()
                        .collect();
                    ring.push(ring[0]);
                    rings.push(ring);
                    break;
                }
                None => {
                    walk_of.insert(current, walk);
                    path.push(current);
                    match parent_of(current) {
                        Some(parent) => current = parent,
                        None => break,
                    }
                }
            }
        }
    }
    rings
}

/// Adds `id` to `index`, or records why it cannot be added.
fn register<'a>(
    index: &mut IdIndex<'a>,
    id: &'a str,
    origin: &'a Origin,
    faults: &mut Vec<(&'a Origin, String)>,
) {
    if let Err(message) = check_id(id) {
        return faults.push((origin, message));
    }
    if let Some(first) = index.ids.get(id) {
        let message = format!(
            "duplicate {} id `{id}` (first defined at {}:{}; give one of them another id)",
            index.noun, first.file, first.line
        );
        return faults.push((origin, message));
    }
    index.ids.insert(id, origin);
}

/// An id is a slug: lowercase ASCII letters, digits and `-`.
pub(crate) fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the id is empty (write a slug such as `dge` or `herve-novelli`)".into());
    }
    let valid = id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid && !id.starts_with('-') && !id.ends_with('-') {
        return Ok(());
    }
    let slug: String = id
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    Err(format!(
        "bad id `{id}`: ids are slugs of lowercase ASCII letters, digits and `-`{}",
        if slug.is_empty() {
            String::new()
        } else {
            format!(" (e.g. `{slug}`)")
        }
    ))
}

/// A date is `YYYY-MM-DD`, and a real day of the calendar.
pub(crate) fn check_date(value: &str) -> Result<(), String> {
    let fail = || {
        Err(format!(
            "bad date `{value}` (write `YYYY-MM-DD`, e.g. `2007-07-10`)"
        ))
    };
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return fail();
    };
    if y.len() != 4
        || m.len() != 2
        || d.len() != 2
        || !value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    {
        return fail();
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return fail();
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("bad date `{value}`: there is no month {month}")),
    };
    if day == 0 || day > days_in_month {
        return Err(format!(
            "bad date `{value}`: month {month} of {year} has no day {day}"
        ));
    }
    Ok(())
}

fn is_media_type(value: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    matches!(value.split_once('/'), Some((t, s)) if token(t) && token(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs() {
        assert!(check_id("dge").is_ok());
        assert!(check_id("herve-novelli").is_ok());
        assert!(check_id("2007").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("-dge").is_err());
        let e = check_id("Hervé Novelli").unwrap_err();
        assert!(e.contains("(e.g. `herv-novelli`)"), "{e}");
    }

    #[test]
    fn dates_are_calendar_days() {
        assert!(check_date("2007-07-10").is_ok());
        assert!(check_date("2008-02-29").is_ok());
        assert!(check_date("2007-02-29").is_err());
        assert!(check_date("2007-13-01").is_err());
        assert!(check_date("10/07/2007").is_err());
        assert!(check_date("2007-7-10").is_err());
        assert!(check_date("2007-07-1٠").is_err());
    }

    #[test]
    fn each_cycle_is_found_once_from_its_smallest_id() {
        let parent_of: HashMap<&str, &str> = [
            ("b", "c"),
            ("c", "a"),
            ("a", "b"),
            ("d", "a"),
            ("e", "f"),
            ("x", "x"),
            ("g", "e"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            find_cycles(parent_of.keys().copied().collect(), |id| parent_of
                .get(id)
                .copied()),
            vec![vec!["a", "b", "c", "a"], vec!["x", "x"]]
        );
    }

    #[test]
    fn media_types_have_a_subtype() {
        assert!(is_media_type("application/vnd.ms-powerpoint"));
        assert!(!is_media_type("ppt"));
        assert!(!is_media_type("application/"));
    }
}
