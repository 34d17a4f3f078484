//! The typed records of a polegraph dataset, as they come out of the loader.
//!
//! Every record keeps its [`Origin`] (file and position) so that checks can
//! point users at the line to fix. References between records are ids
//! (checked by `load::check`).

use std::sync::Arc;

/// Where a record was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file as the user named it (relative to the data folder).
    pub file: Arc<str>,
    /// 1-based line of the record's start.
    pub line: usize,
    /// How to find a field inside the record.
    pub layout: Layout,
}

/// How the fields of a record are laid out in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A TOML table: the file's text and where the record starts in it.
    Toml { text: Arc<str>, start: usize },
    /// A CSV row: the header, to turn a field name into a column number.
    Csv { header: Arc<[String]> },
    /// Made by the loader, not read from a file.
    Generated,
}

impl Origin {
    /// A record the loader made itself (e.g. the source of a CSV table).
    pub fn generated(file: Arc<str>) -> Self {
        Origin {
            file,
            line: 0,
            layout: Layout::Generated,
        }
    }

    /// Where `field` is within this record: its name as the file writes
    /// it (a CSV column may differ from the record field), its line and (for
    /// CSV) its column. Falls back to the record's own line when the field is
    /// not written out.
    pub fn locate(&self, field: &str) -> (String, usize, Option<usize>) {
        match &self.layout {
            Layout::Toml { text, start, .. } => {
                // The span starts at the record's table header; the record runs
                // until the next table header.
                let record = text.get(*start..).unwrap_or_default();
                let offset = record
                    .lines()
                    .enumerate()
                    .take_while(|(i, line)| *i == 0 || !line.trim_start().starts_with('['))
                    .find(|(_, line)| toml_key_of(line) == Some(field))
                    .map_or(0, |(i, _)| i);
                (field.to_owned(), self.line + offset, None)
            }
            Layout::Csv { header } => {
                let column_name = csv_column_of(field);
                let column = header.iter().position(|h| h == column_name).map(|i| i + 1);
                (column_name.to_owned(), self.line, column)
            }
            Layout::Generated => (field.to_owned(), self.line, None),
        }
    }
}

/// The CSV column that holds a record field.
fn csv_column_of(field: &str) -> &str {
    match field {
        "parent" => "parent_id",
        "organization" => "organization_id",
        "organizers" => "organizer_id",
        "event" => "event_id",
        "speakers" => "speaker_ids",
        "sources" => "source",
        other => other,
    }
}

/// The key of a `key = value` TOML line, if the line is one.
pub(crate) fn toml_key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty()).then_some(key)
}

/// How sure the sources are of a record or of one fact: `inferred` facts
/// are stated by no source but follow from the facts of their sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    #[default]
    Confirmed,
    Uncertain,
    Inferred,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Uncertain => "uncertain",
            Confidence::Inferred => "inferred",
        }
    }
}

/// What one fact of a record says of itself when it differs from the
/// record: its sources, confidence and note (`facts.FIELD` or
/// `facts."FIELD:VALUE"` in TOML).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactMeta {
    pub sources: Option<Vec<String>>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

/// One `facts` entry: the field (and, for one element of a list, the
/// value) it qualifies, and the line of its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactOverride {
    pub field: String,
    pub value: Option<String>,
    pub meta: FactMeta,
    pub line: usize,
}

/// The candidate closest to `text`, if it is close enough to be a likely
/// typo.
pub fn closest<'a>(text: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(c, text), *c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The fields every record (but sources) carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    pub id: String,
    pub sources: Vec<String>,
    pub confidence: Confidence,
    pub notes: Option<String>,
    pub alt_labels: Vec<String>,
    /// Misspellings a source uses, kept for search (`skos:hiddenLabel`).
    pub hidden_labels: Vec<String>,
    /// Per-fact sources, confidence and notes.
    pub facts: Vec<FactOverride>,
    pub origin: Origin,
}

impl Common {
    /// The override of `field` (for `value`, if one names it), if any.
    pub fn fact(&self, field: &str, value: Option<&str>) -> Option<&FactMeta> {
        if self.facts.is_empty() {
            return None;
        }
        let exact = value.and_then(|v| {
            self.facts
                .iter()
                .find(|f| f.field == field && f.value.as_deref() == Some(v))
        });
        exact
            .or_else(|| {
                self.facts
                    .iter()
                    .find(|f| f.field == field && f.value.is_none())
            })
            .map(|f| &f.meta)
    }
}

/// Declares a closed vocabulary of `kind` values: the enum, its spelling in
/// the data files, and the list shown in errors.
macro_rules! kind_enum {
    ($(#[$meta:meta])* $name:ident ($noun:literal) { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every value, in the order of the documentation.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value as written in data files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses the spelling used in data files.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }

            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|k| format!("`{}`", k.as_str())).collect::<Vec<_>>().join(", ")
            }

            /// The message for a value that is not one of the kinds.
            pub fn unknown_message(text: &str) -> String {
                let spellings: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
                match closest(text, &spellings) {
                    Some(close) => format!("unknown {} `{text}` (did you mean `{close}`? expected one of {})", $noun, Self::expected()),
                    None => format!("unknown {} `{text}` (expected one of {})", $noun, Self::expected()),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).ok_or_else(|| serde::de::Error::custom(Self::unknown_message(&text)))
            }
        }
    };
}

kind_enum!(
    /// The kinds of organisation (DESIGN §2).
    OrgKind("organisation kind") {
        Ministry = "ministry",
        StateSecretariat = "state_secretariat",
        Directorate = "directorate",
        Service = "service",
        Agency = "agency",
        InterministerialBody = "interministerial_body",
        InterministerialCommittee = "interministerial_committee",
        RegionalOffice = "regional_office",
        Pole = "pole",
        Programme = "programme",
        HeadOfGovernment = "head_of_government",
    }
);

kind_enum!(
    /// The 2007 category of a pole.
    PoleCategory("pole category") {
        Mondial = "mondial",
        VocationMondiale = "vocation_mondiale",
        National = "national",
    }
);

kind_enum!(
    /// The kinds of event.
    EventKind("event kind") {
        NationalDay = "national_day",
        Session = "session",
        Meeting = "meeting",
    }
);

kind_enum!(
    /// The kinds of document.
    DocumentKind("document kind") {
        Slides = "slides",
        Programme = "programme",
    }
);

kind_enum!(
    /// The kinds of decision.
    DecisionKind("decision kind") {
        Labelling = "labelling",
    }
);

kind_enum!(
    /// The kinds of source.
    SourceKind("source kind") {
        SeedPage = "seed_page",
        WebPage = "web_page",
        ReferenceTable = "reference_table",
        DataFile = "data_file",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub kind: SourceKind,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub derived_from: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub common: Common,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: OrgKind,
    pub acronym: Option<String>,
    pub short_name: Option<String>,
    pub parent: Option<String>,
    pub placed_at_disposal_of: Option<String>,
    pub members: Vec<String>,
    pub secretariat: Vec<String>,
    pub coordinates_support_to: Vec<String>,
    pub homepage: Option<String>,
    /// Chaired (presided) by, where the sources say so rather than "part of".
    pub chaired_by: Option<String>,
    /// List fields whose values the sources do not give completely.
    pub not_exhaustive: Vec<String>,
    pub pole: PoleFacts,
}

/// The fields only a pole may have.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoleFacts {
    pub category: Option<PoleCategory>,
    pub regions: Vec<String>,
    pub domain: Option<String>,
    pub labelled_by: Option<String>,
}

impl PoleFacts {
    /// The names of the pole-only fields that are set, for the check that
    /// non-poles leave them empty.
    pub fn fields_set(&self) -> Vec<&'static str> {
        let mut set = Vec::new();
        if self.category.is_some() {
            set.push("category");
        }
        if !self.regions.is_empty() {
            set.push("regions");
        }
        if self.domain.is_some() {
            set.push("domain");
        }
        if self.labelled_by.is_some() {
            set.push("labelled_by");
        }
        set
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub common: Common,
    pub name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub organization: Option<String>,
    pub posts: Vec<Post>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub common: Common,
    pub title: String,
    pub title_en: Option<String>,
    pub organization: String,
    pub head: bool,
    /// Start and end of the term, where a source gives them.
    pub start: Option<String>,
    pub end: Option<String>,
    /// A date on which a source shows the post held.
    pub attested_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub common: Common,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: EventKind,
    pub date: Option<String>,
    pub organizers: Vec<String>,
    pub opened_by: Vec<String>,
    /// Organisations that took part, as a source states.
    pub attendees: Vec<String>,
    pub part_of: Option<String>,
    pub follows: Option<String>,
    pub documents: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Talk {
    pub common: Common,
    pub title: String,
    pub event: String,
    pub part_of: Option<String>,
    pub speakers: Vec<String>,
    pub speaker_organizations: Vec<String>,
    pub topics: Vec<String>,
    pub documents: Vec<String>,
    pub document_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub common: Common,
    pub title: String,
    pub kind: DocumentKind,
    pub media_type: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub common: Common,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: DecisionKind,
    pub date: String,
    pub decided_by: String,
    pub description: Option<String>,
}

/// The description of the dataset (VoID/DCAT) from `polegraph.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetInfo {
    pub title: Option<String>,
    pub title_en: Option<String>,
    pub description: Option<String>,
    pub description_en: Option<String>,
    pub license: Option<String>,
    pub issued: Option<String>,
}

/// Everything a data folder holds, loaded and checked.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The base IRI from `polegraph.toml`, if it sets one.
    pub base: Option<String>,
    pub info: DatasetInfo,
    pub sources: Vec<Source>,
    pub organizations: Vec<Organization>,
    pub people: Vec<Person>,
    pub events: Vec<Event>,
    pub talks: Vec<Talk>,
    pub documents: Vec<Document>,
    pub decisions: Vec<Decision>,
}

impl Dataset {
    /// How many records of each kind, in a fixed order.
    pub fn record_counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("sources", self.sources.len()),
            ("organisations", self.organizations.len()),
            ("people", self.people.len()),
            ("posts", self.people.iter().map(|p| p.posts.len()).sum()),
            ("events", self.events.len()),
            ("talks", self.talks.len()),
            ("documents", self.documents.len()),
            ("decisions", self.decisions.len()),
        ]
    }
}
