//! The checks of the one-pass reader: ids, references and the
//! organisation hierarchy, kept in memory that grows with the number of
//! ids only. The rules themselves are in [`super::rules`], shared with the
//! loader's checks.

use super::csv_tables::open_without_bom;
use super::csv_tables::{csv_reader, CsvRecord, CsvTable};
use super::files::MAX_ERRORS;
use super::rules::{self, find_cycles, register, IdIndex, Wording};
use crate::error::DataError;
use crate::hashing::PassThrough;
use crate::model::{closest, Common, Origin};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The ids of one table. Ids that are small decimal numbers (as in most
/// database exports) are bits of a bitmap, 1 bit an id, in pages of 4,096
/// ids made when an id first falls in them: a million ids from 1 take
/// 125 kB, which stays in the processor's cache, and a lone id of
/// 60,000,000 takes one page (and the 128 kB list of pages). Other ids are
/// kept as 64-bit hashes (8 bytes an id, whatever its length): two
/// different ids of the same table would have to share a hash to be
/// confused, which among millions of ids is improbable enough (about 1 in
/// 10^7 for 10^6 ids). Which of the two holds an id depends on its text
/// alone. The first ids are also kept as text, for "did you mean" hints.
#[derive(Default)]
struct IdSet {
    pages: Vec<Option<Box<BitPage>>>,
    numbers_len: usize,
    hashes: HashSet<u64, PassThrough>,
    names: Vec<Box<str>>,
}

/// 4,096 bits.
type BitPage = [u64; 64];

/// Where the bit of number `n` is: page, word in the page, bit in the word.
fn bit_place(n: usize) -> (usize, usize, u64) {
    (n >> 12, (n >> 6) & 63, 1 << (n & 63))
}

/// Rows read before the id sets are sized from the table's length.
pub(super) const SIZE_SAMPLE_ROWS: u64 = 4096;

/// Ids kept as text for hints, per table.
const NAMED_IDS: usize = 10_000;

/// Numeric ids below this go to the bitmap (at most 8 MiB of it).
const BITMAP_IDS: usize = 1 << 26;

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6964_7365_7473).hash_one(id)
}

/// The number an id spells, if it is written as a decimal number without
/// leading zeros (so `7` and `07`, two different ids, never meet) and is
/// below [`BITMAP_IDS`].
fn small_number(id: &str) -> Option<usize> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > 8 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    let mut number = 0usize;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        number = number * 10 + usize::from(b - b'0');
    }
    (number < BITMAP_IDS).then_some(number)
}

impl IdSet {
    fn contains(&self, id: &str) -> bool {
        match small_number(id) {
            Some(n) => {
                let (page, word, bit) = bit_place(n);
                self.pages
                    .get(page)
                    .and_then(Option::as_ref)
                    .is_some_and(|page| page[word] & bit != 0)
            }
            None => self.hashes.contains(&id_hash(id)),
        }
    }

    /// Adds `id`; false if it was there already.
    fn insert(&mut self, id: &str) -> bool {
        let new = match small_number(id) {
            Some(n) => {
                let (page, word, bit) = bit_place(n);
                if self.pages.len() <= page {
                    self.pages.resize(page + 1, None);
                }
                let word = &mut self.pages[page].get_or_insert_with(|| Box::new([0; 64]))[word];
                let new = *word & bit == 0;
                *word |= bit;
                self.numbers_len += usize::from(new);
                new
            }
            None => self.hashes.insert(id_hash(id)),
        };
        if new && self.names.len() < NAMED_IDS {
            self.names.push(id.into());
        }
        new
    }

    /// Makes room for `total` ids in all, shared between the bitmap and the
    /// hashes as the ids so far are.
    fn reserve_total(&mut self, total: usize) {
        let hashed_share = self.hashes.len() as f64 / self.len().max(1) as f64;
        let hashed_total = (total as f64 * hashed_share) as usize;
        self.hashes
            .reserve(hashed_total.saturating_sub(self.hashes.len()));
    }

    fn len(&self) -> usize {
        self.numbers_len + self.hashes.len()
    }
}

/// The ids of one table, as the rules see them.
struct TableIds {
    noun: &'static str,
    set: IdSet,
    /// Line of each id's first row, kept for tables up to 100,000 rows (for
    /// the message of a duplicate).
    first_lines: HashMap<u64, usize, PassThrough>,
}

impl TableIds {
    fn new(table: CsvTable) -> Self {
        TableIds {
            noun: noun(table),
            set: IdSet::default(),
            first_lines: HashMap::default(),
        }
    }
}

impl<'a> IdIndex<'a> for TableIds {
    fn noun(&self) -> &'static str {
        self.noun
    }

    fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    /// A duplicate is told with the line of the first, if it is kept.
    fn insert(&mut self, id: &'a str, origin: &'a Origin) -> Result<(), Option<String>> {
        if !self.set.insert(id) {
            return Err(self
                .first_lines
                .get(&id_hash(id))
                .map(|line| format!("line {line}")));
        }
        if self.set.len() <= 100_000 {
            self.first_lines.insert(id_hash(id), origin.line);
        }
        Ok(())
    }

    /// Looks among the ids kept as text, while they are all the ids.
    fn suggestion(&self, unknown: &str) -> Option<&str> {
        if self.set.len() > NAMED_IDS {
            return None;
        }
        let candidates: Vec<&str> = self.set.names.iter().map(|s| &**s).collect();
        closest(unknown, &candidates)
    }
}

/// The ids read so far, and what is still to check once every table is read.
pub(super) struct Checker {
    /// The ids of each table, by [`slot`].
    ids: [TableIds; 4],
    /// Tables read to the end: a reference into one of them is checked at once.
    done: [bool; 4],
    /// References to tables not read to the end yet.
    pending: Vec<Pending>,
    /// (organisation id hash, parent id hash, line) of each `parent` link,
    /// for the cycle check.
    parents: Vec<(u64, u64, usize)>,
    /// The organisations whose parent comes later in the file (or is
    /// themselves): every cycle has one, since links that all point back
    /// to earlier rows cannot close a ring.
    forward_links: Vec<u64>,
    organizations_file: Option<PathBuf>,
    /// The source ids rows may cite: the table files.
    sources: std::collections::BTreeSet<&'static str>,
    pub(super) errors: Vec<DataError>,
}

/// A reference checked once every table is read.
struct Pending {
    target: CsvTable,
    id: Box<str>,
    file: std::sync::Arc<str>,
    line: usize,
    column: Option<usize>,
    field: String,
}

fn slot(table: CsvTable) -> usize {
    match table {
        CsvTable::Organizations => 0,
        CsvTable::People => 1,
        CsvTable::Events => 2,
        CsvTable::Talks => 3,
    }
}

fn noun(table: CsvTable) -> &'static str {
    match table {
        CsvTable::Organizations => "organisation",
        CsvTable::People => "person",
        CsvTable::Events => "event",
        CsvTable::Talks => "talk",
    }
}

impl Checker {
    pub(super) fn new(tables: &[(CsvTable, PathBuf)]) -> Self {
        Checker {
            ids: [
                CsvTable::Organizations,
                CsvTable::People,
                CsvTable::Events,
                CsvTable::Talks,
            ]
            .map(TableIds::new),
            done: [false; 4],
            pending: Vec::new(),
            parents: Vec::new(),
            forward_links: Vec::new(),
            organizations_file: tables
                .iter()
                .find(|(t, _)| *t == CsvTable::Organizations)
                .map(|(_, p)| p.clone()),
            sources: tables.iter().map(|(t, _)| t.source_id()).collect(),
            errors: Vec::new(),
        }
    }

    fn fault(&mut self, common: &Common, field: &str, message: String) {
        self.errors
            .push(rules::fault_at(&common.origin, field, message));
    }

    /// Reports `rule`'s fault, if any, at `field`.
    fn rule(&mut self, common: &Common, field: &str, rule: Result<(), String>) {
        if let Err(message) = rule {
            self.fault(common, field, message);
        }
    }

    /// A reference from `common`'s record to `id` in `target`; whether
    /// that id was read already.
    fn reference(&mut self, common: &Common, field: &str, target: CsvTable, id: &str) -> bool {
        let slot = slot(target);
        if self.ids[slot].contains(id) {
            return true;
        }
        if self.done[slot] {
            let message = rules::unknown_id(&self.ids[slot], id, Wording::Stream);
            self.fault(common, field, message);
            return false;
        }
        let (field, line, column) = common.origin.locate(field);
        self.pending.push(Pending {
            target,
            id: id.into(),
            file: common.origin.file.clone(),
            line,
            column,
            field,
        });
        false
    }

    /// Checks one row: its id, values and references.
    pub(super) fn check(&mut self, record: &CsvRecord) {
        let (table, common, name) = match record {
            CsvRecord::Organization(r) => (CsvTable::Organizations, &r.common, &r.name),
            CsvRecord::Person(r) => (CsvTable::People, &r.common, &r.name),
            CsvRecord::Event(r) => (CsvTable::Events, &r.common, &r.name),
            CsvRecord::Talk(r) => (CsvTable::Talks, &r.common, &r.title),
        };
        let id = common.id.as_str();
        if let Err(message) = register(&mut self.ids[slot(table)], id, &common.origin) {
            return self.fault(common, "id", message);
        }
        for source in &common.sources {
            if !self.sources.contains(source.as_str()) {
                let message = rules::unknown_table_source(source, self.sources.iter());
                self.fault(common, "sources", message);
            }
        }
        let name_field = if matches!(record, CsvRecord::Talk(_)) {
            "title"
        } else {
            "name"
        };
        self.rule(common, name_field, rules::required_text(name_field, name));
        match record {
            CsvRecord::Organization(r) => {
                for (field, message) in rules::pole_fields_of_non_pole(r, Wording::Stream) {
                    self.fault(common, field, message);
                }
                if let Some(parent) = &r.parent {
                    let link = (id_hash(id), id_hash(parent), common.origin.line);
                    self.parents.push(link);
                    let read_before =
                        self.reference(common, "parent", CsvTable::Organizations, parent);
                    if parent == id || !read_before {
                        self.forward_links.push(link.0);
                    }
                }
            }
            CsvRecord::Person(r) => {
                if let Some(organization) = &r.organization {
                    self.reference(
                        common,
                        "organization",
                        CsvTable::Organizations,
                        organization,
                    );
                }
            }
            CsvRecord::Event(r) => {
                for organizer in &r.organizers {
                    self.reference(common, "organizers", CsvTable::Organizations, organizer);
                }
                if let Some(date) = &r.date {
                    self.rule(common, "date", rules::check_date(date));
                }
            }
            CsvRecord::Talk(r) => {
                self.reference(common, "event", CsvTable::Events, &r.event);
                for speaker in &r.speakers {
                    self.reference(common, "speakers", CsvTable::People, speaker);
                }
                if let Some(url) = &r.document_url {
                    let iri = rules::absolute_iri(url, Wording::Stream);
                    self.rule(common, "document_url", iri);
                }
            }
        }
    }

    /// Makes room for the ids of `table`, expected to have `rows` rows.
    pub(super) fn expect_rows(&mut self, table: CsvTable, rows: usize) {
        self.ids[slot(table)].set.reserve_total(rows);
        if table == CsvTable::Organizations {
            self.parents
                .reserve(rows.saturating_sub(self.parents.len()));
        }
    }

    pub(super) fn table_done(&mut self, table: CsvTable) {
        self.done[slot(table)] = true;
    }

    /// The faults found, with the pending references and the cycles checked.
    pub(super) fn finish(mut self) -> Vec<DataError> {
        for pending in std::mem::take(&mut self.pending) {
            let ids = &self.ids[slot(pending.target)];
            if !ids.contains(&pending.id) {
                let message = rules::unknown_id(ids, &pending.id, Wording::Stream);
                self.errors.push(DataError {
                    file: pending.file.to_string(),
                    line: Some(pending.line),
                    column: pending.column,
                    field: Some(pending.field),
                    message,
                });
            }
        }
        if self.errors.is_empty() {
            if let Some(file) = &self.organizations_file {
                if let Some(error) = first_cycle(&self.parents, &self.forward_links, file) {
                    self.errors.push(error);
                }
            }
        }
        self.errors
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.errors.truncate(MAX_ERRORS);
        self.errors
    }
}

/// The cycle of `child → parent` links with the row that comes first in
/// the file, if any, as a fault, told from that row. The links are kept as
/// hashes; the ids of the cycle are read back from the rows of its lines.
fn first_cycle(
    links: &[(u64, u64, usize)],
    forward_links: &[u64],
    file: &Path,
) -> Option<DataError> {
    if forward_links.is_empty() {
        return None;
    }
    let parent_of: HashMap<u64, (u64, usize), PassThrough> = links
        .iter()
        .map(|&(id, parent, line)| (id, (parent, line)))
        .collect();
    // Of all the rings, the one with the row that comes first in the file,
    // told from that row.
    let line_of = |id: &u64| parent_of.get(id).map(|(_, line)| *line);
    let mut lines = find_cycles(forward_links.to_vec(), |id| {
        parent_of.get(&id).map(|(parent, _)| *parent)
    })
    .into_iter()
    .map(|ring| {
        let mut lines: Vec<usize> = ring[1..].iter().filter_map(line_of).collect();
        let first = (0..lines.len()).min_by_key(|&i| lines[i]).unwrap_or(0);
        lines.rotate_left(first);
        lines
    })
    .filter(|lines| !lines.is_empty())
    .min()?;
    lines.extend(lines.first().copied());
    let ids = ids_at_lines(file, &lines);
    let names: Vec<String> = lines
        .iter()
        .map(|line| {
            ids.get(line)
                .cloned()
                .unwrap_or_else(|| format!("(line {line})"))
        })
        .collect();
    Some(DataError {
        file: file.display().to_string(),
        line: lines.first().copied(),
        column: Some(5),
        field: Some("parent_id".into()),
        message: rules::cycle("organisation hierarchy", &names, "parent_id"),
    })
}

/// The ids of the rows at `lines` of a table (read again, for a message).
fn ids_at_lines(file: &Path, lines: &[usize]) -> HashMap<usize, String> {
    let mut ids = HashMap::new();
    let Ok(reader) = open_without_bom(file) else {
        return ids;
    };
    let mut csv = csv_reader(reader);
    let mut row = csv::StringRecord::new();
    while let Ok(true) = csv.read_record(&mut row) {
        let line = row.position().map_or(0, |p| p.line() as usize);
        if lines.contains(&line) {
            ids.insert(line, row.get(0).unwrap_or_default().trim().to_owned());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ids_and_other_ids_are_told_apart() {
        let mut ids = IdSet::default();
        assert!(ids.insert("7"));
        assert!(!ids.insert("7"));
        assert!(ids.insert("07"), "`07` is another id than `7`");
        assert!(ids.insert("0"));
        assert!(ids.insert("99999999"), "past the bitmap: hashed");
        assert!(ids.insert("dge"));
        assert!(ids.contains("7") && ids.contains("07") && ids.contains("0"));
        assert!(ids.contains("99999999") && ids.contains("dge"));
        assert!(!ids.contains("8") && !ids.contains("70") && !ids.contains("100000000"));
        assert_eq!(ids.len(), 5);
        // A lone large number takes one page of the bitmap, not all below it.
        let mut sparse = IdSet::default();
        assert!(sparse.insert("60000000") && sparse.contains("60000000"));
        assert!(!sparse.contains("59999999") && !sparse.contains("1"));
        assert_eq!(sparse.pages.iter().filter(|p| p.is_some()).count(), 1);
        assert_eq!(small_number("12"), Some(12));
        assert_eq!(small_number("012"), None);
        assert_eq!(small_number("1a"), None);
        assert_eq!(small_number(""), None);
    }
}
