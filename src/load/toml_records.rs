//! Records written in TOML (hand-edited files).

use super::files::{line_and_column, DataFile};
use crate::error::DataError;
use crate::model::toml_key_of;
use crate::model::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// `polegraph.toml`: settings, no records.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    base: Option<String>,
    #[serde(default)]
    dataset: DatasetInfo,
}

/// Any other TOML file: arrays of records, one per kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordFile {
    #[serde(default)]
    source: Vec<Spanned<SourceToml>>,
    #[serde(default)]
    organization: Vec<Spanned<OrganizationToml>>,
    #[serde(default)]
    person: Vec<Spanned<PersonToml>>,
    #[serde(default)]
    event: Vec<Spanned<EventToml>>,
    #[serde(default)]
    talk: Vec<Spanned<TalkToml>>,
    #[serde(default)]
    document: Vec<Spanned<DocumentToml>>,
    #[serde(default)]
    decision: Vec<Spanned<DecisionToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceToml {
    id: String,
    kind: SourceKind,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    #[serde(default)]
    derived_from: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationToml {
    id: String,
    name: String,
    name_en: Option<String>,
    kind: OrgKind,
    acronym: Option<String>,
    short_name: Option<String>,
    parent: Option<String>,
    placed_at_disposal_of: Option<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    secretariat: Vec<String>,
    #[serde(default)]
    coordinates_support_to: Vec<String>,
    homepage: Option<String>,
    chaired_by: Option<String>,
    #[serde(default)]
    not_exhaustive: Vec<String>,
    category: Option<PoleCategory>,
    #[serde(default)]
    regions: Vec<String>,
    domain: Option<String>,
    labelled_by: Option<String>,
    sources: Vec<String>,
    #[serde(default)]
    confidence: Confidence,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonToml {
    id: String,
    name: String,
    given_name: Option<String>,
    family_name: Option<String>,
    organization: Option<String>,
    #[serde(default)]
    post: Vec<Spanned<PostToml>>,
    sources: Vec<String>,
    #[serde(default)]
    confidence: Confidence,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostToml {
    id: String,
    title: String,
    title_en: Option<String>,
    organization: String,
    #[serde(default)]
    head: bool,
    start: Option<String>,
    end: Option<String>,
    attested_on: Option<String>,
    sources: Option<Vec<String>>,
    confidence: Option<Confidence>,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventToml {
    id: String,
    name: String,
    name_en: Option<String>,
    kind: EventKind,
    date: Option<String>,
    #[serde(default)]
    organizers: Vec<String>,
    #[serde(default)]
    opened_by: Vec<String>,
    #[serde(default)]
    attendees: Vec<String>,
    part_of: Option<String>,
    follows: Option<String>,
    #[serde(default)]
    documents: Vec<String>,
    description: Option<String>,
    sources: Vec<String>,
    #[serde(default)]
    confidence: Confidence,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TalkToml {
    id: String,
    title: String,
    event: String,
    part_of: Option<String>,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(default)]
    speaker_organizations: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    documents: Vec<String>,
    document_url: Option<String>,
    sources: Vec<String>,
    #[serde(default)]
    confidence: Confidence,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentToml {
    id: String,
    title: String,
    kind: DocumentKind,
    media_type: Option<String>,
    url: Option<String>,
    sources: Vec<String>,
    #[serde(default)]
    confidence: Confidence,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionToml {
    id: String,
    name: String,
    name_en: Option<String>,
    kind: DecisionKind,
    date: String,
    decided_by: String,
    description: Option<String>,
    sources: Vec<String>,
    #[serde(default)]
    confidence: Confidence,
    notes: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    hidden_labels: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactMeta>,
}

/// The [`Common`] fields of a deserialized record (every record struct
/// has `id`, `sources`, `confidence`, `notes`, `alt_labels`,
/// `hidden_labels` and `facts`).
macro_rules! common {
    ($reader:expr, $record:ident, $origin:expr) => {{
        let origin = $origin;
        Common {
            id: $record.id,
            sources: $record.sources,
            confidence: $record.confidence,
            notes: $record.notes,
            alt_labels: $record.alt_labels,
            hidden_labels: $record.hidden_labels,
            facts: $reader.facts($record.facts, &origin),
            origin,
        }
    }};
}

/// Reads one TOML file into `dataset`, or records why it cannot.
pub(super) fn read(
    file: &DataFile,
    is_settings: bool,
    dataset: &mut Dataset,
    errors: &mut Vec<DataError>,
) {
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let fault = |e: toml::de::Error| {
        let start = e.span().map(|span| span.start);
        let (line, column) = start
            .map(|start| line_and_column(text, start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        let line_text = line
            .and_then(|l| text.lines().nth(l - 1))
            .unwrap_or_default();
        DataError {
            file: file.name.clone(),
            line,
            column,
            field: toml_key_of(line_text).map(str::to_owned),
            message: toml_message(&e),
        }
    };
    if is_settings {
        match toml::from_str::<Settings>(text) {
            Ok(settings) => {
                check_settings(file, text, &settings.dataset, errors);
                dataset.base = settings.base;
                dataset.info = settings.dataset;
            }
            Err(e) => errors.push(fault(e)),
        }
        return;
    }
    match toml::from_str::<RecordFile>(text) {
        Ok(records) => Reader::new(file, text).add_to(records, dataset),
        Err(e) => errors.push(fault(e)),
    }
}

/// Checks the values of `[dataset]` that the graph types: the issued date
/// and the license IRI.
fn check_settings(file: &DataFile, text: &str, info: &DatasetInfo, errors: &mut Vec<DataError>) {
    let fault = |field: &str, message: String| {
        let line = text
            .lines()
            .position(|l| toml_key_of(l) == Some(field))
            .map(|i| i + 1);
        DataError {
            file: file.name.clone(),
            line,
            column: None,
            field: Some(field.to_owned()),
            message,
        }
    };
    if let Some(issued) = &info.issued {
        if let Err(message) = super::rules::check_date(issued) {
            errors.push(fault("issued", message));
        }
    }
    if let Some(license) = &info.license {
        if oxigraph::model::NamedNode::new(license.as_str()).is_err() {
            errors.push(fault(
                "license",
                format!("`{license}` is not an absolute IRI (write the license's address)"),
            ));
        }
    }
}

/// The toml crate's message, on one line; an unknown field gets the
/// closest allowed field as a suggestion.
fn toml_message(error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((field, allowed)) = rest.split_once("`, expected one of ") else {
        return message;
    };
    let allowed: Vec<&str> = allowed.split(", ").map(|a| a.trim_matches('`')).collect();
    let hint = closest(field, &allowed)
        .map(|c| format!("did you mean `{c}`? "))
        .unwrap_or_default();
    format!(
        "unknown field `{field}` ({hint}allowed: {}; see data/README.md)",
        allowed.join(", ")
    )
}

/// Turns deserialized records into model records with their origins.
struct Reader {
    file: Arc<str>,
    text: Arc<str>,
}

impl Reader {
    fn new(file: &DataFile, text: &str) -> Self {
        Reader {
            file: file.name.as_str().into(),
            text: text.into(),
        }
    }

    fn origin<T>(&self, spanned: &Spanned<T>) -> Origin {
        let span = spanned.span();
        Origin {
            file: self.file.clone(),
            line: line_and_column(&self.text, span.start).0,
            layout: Layout::Toml {
                text: self.text.clone(),
                start: span.start,
            },
        }
    }

    /// The `facts` entries of a record, each with the line of its table
    /// header (`[KIND.facts.FIELD]`) when it can be found after the
    /// record's start.
    fn facts(&self, facts: BTreeMap<String, FactMeta>, origin: &Origin) -> Vec<FactOverride> {
        let start = match &origin.layout {
            Layout::Toml { start, .. } => *start,
            _ => 0,
        };
        let after = self.text.get(start..).unwrap_or_default();
        facts
            .into_iter()
            .map(|(key, meta)| {
                let quoted = format!("facts.\"{key}\"]");
                let bare = format!("facts.{key}]");
                let line = after
                    .lines()
                    .position(|l| l.contains(&quoted) || l.contains(&bare))
                    .map_or(origin.line, |i| origin.line + i);
                let (field, value) = match key.split_once(':') {
                    Some((field, value)) => (field.to_owned(), Some(value.to_owned())),
                    None => (key, None),
                };
                FactOverride {
                    field,
                    value,
                    meta,
                    line,
                }
            })
            .collect()
    }

    fn add_to(&self, records: RecordFile, dataset: &mut Dataset) {
        for r in records.source {
            let origin = self.origin(&r);
            let r = r.into_inner();
            dataset.sources.push(Source {
                id: r.id,
                kind: r.kind,
                title: r.title,
                url: r.url,
                date: r.date,
                derived_from: r.derived_from,
                origin,
            });
        }
        for r in records.organization {
            let origin = self.origin(&r);
            dataset
                .organizations
                .push(organization(self, r.into_inner(), origin));
        }
        for r in records.person {
            let origin = self.origin(&r);
            let r = r.into_inner();
            let common = common!(self, r, origin);
            let posts = r.post.into_iter().map(|p| self.post(p, &common)).collect();
            dataset.people.push(Person {
                name: r.name,
                given_name: r.given_name,
                family_name: r.family_name,
                organization: r.organization,
                posts,
                common,
            });
        }
        for r in records.event {
            let origin = self.origin(&r);
            let r = r.into_inner();
            dataset.events.push(Event {
                common: common!(self, r, origin),
                name: r.name,
                name_en: r.name_en,
                kind: r.kind,
                date: r.date,
                organizers: r.organizers,
                opened_by: r.opened_by,
                attendees: r.attendees,
                part_of: r.part_of,
                follows: r.follows,
                documents: r.documents,
                description: r.description,
            });
        }
        for r in records.talk {
            let origin = self.origin(&r);
            let r = r.into_inner();
            dataset.talks.push(Talk {
                common: common!(self, r, origin),
                title: r.title,
                event: r.event,
                part_of: r.part_of,
                speakers: r.speakers,
                speaker_organizations: r.speaker_organizations,
                topics: r.topics,
                documents: r.documents,
                document_url: r.document_url,
            });
        }
        for r in records.document {
            let origin = self.origin(&r);
            let r = r.into_inner();
            dataset.documents.push(Document {
                common: common!(self, r, origin),
                title: r.title,
                kind: r.kind,
                media_type: r.media_type,
                url: r.url,
            });
        }
        for r in records.decision {
            let origin = self.origin(&r);
            let r = r.into_inner();
            dataset.decisions.push(Decision {
                common: common!(self, r, origin),
                name: r.name,
                name_en: r.name_en,
                kind: r.kind,
                date: r.date,
                decided_by: r.decided_by,
                description: r.description,
            });
        }
    }

    /// A post inherits its person's sources and confidence unless it sets
    /// its own.
    fn post(&self, spanned: Spanned<PostToml>, person: &Common) -> Post {
        let origin = self.origin(&spanned);
        let p = spanned.into_inner();
        Post {
            common: Common {
                id: p.id,
                sources: p.sources.unwrap_or_else(|| person.sources.clone()),
                confidence: p.confidence.unwrap_or(person.confidence),
                notes: p.notes,
                alt_labels: p.alt_labels,
                hidden_labels: p.hidden_labels,
                facts: self.facts(p.facts, &origin),
                origin,
            },
            title: p.title,
            title_en: p.title_en,
            organization: p.organization,
            head: p.head,
            start: p.start,
            end: p.end,
            attested_on: p.attested_on,
        }
    }
}

fn organization(reader: &Reader, r: OrganizationToml, origin: Origin) -> Organization {
    Organization {
        common: common!(reader, r, origin),
        name: r.name,
        name_en: r.name_en,
        kind: r.kind,
        acronym: r.acronym,
        short_name: r.short_name,
        parent: r.parent,
        placed_at_disposal_of: r.placed_at_disposal_of,
        members: r.members,
        secretariat: r.secretariat,
        coordinates_support_to: r.coordinates_support_to,
        homepage: r.homepage,
        chaired_by: r.chaired_by,
        not_exhaustive: r.not_exhaustive,
        pole: PoleFacts {
            category: r.category,
            regions: r.regions,
            domain: r.domain,
            labelled_by: r.labelled_by,
        },
    }
}
