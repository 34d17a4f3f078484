//! The rules of the data checks, each written once. Two checkers apply
//! them: the loader's ([`super::check`]), over a whole dataset once every
//! file is read, and the stream's ([`super::stream_check`]), row by row in
//! memory that grows with the number of ids only. What differs between
//! the two is how they walk the records and keep the ids; what a fault is,
//! and how its message reads, is here.
//!
//! The two checkers word four faults differently (tests and snapshots pin
//! both wordings): see [`Wording`].

use crate::error::DataError;
use crate::model::{OrgKind, Organization, Origin};
use std::collections::HashMap;

/// Which checker reports a fault, for the faults the two word differently:
/// an IRI field (the loader adds the parser's reason and an example), a
/// pole field on another kind of organisation (the loader's hint speaks
/// TOML, the stream's a CSV cell), an empty reference (the loader names it
/// as empty, the stream as an unknown id ``) and a duplicate id (the loader
/// tells the first definition's file and line, the stream its line, and
/// only while the table is small).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wording {
    Loader,
    Stream,
}

/// The ids of one record kind, as a checker keeps them: the loader every
/// id with its origin, the stream a bitmap and hashes (see
/// `stream_check::IdSet`).
pub(super) trait IdIndex<'a> {
    /// What the kind is called in messages ("organisation").
    fn noun(&self) -> &'static str;

    fn contains(&self, id: &str) -> bool;

    /// Adds `id`, defined at `origin`. If the index holds it already: where
    /// the first was defined, as a message says it, if the index knows.
    fn insert(&mut self, id: &'a str, origin: &'a Origin) -> Result<(), Option<String>>;

    /// The closest known id, if one is close enough to be a likely typo
    /// (and the index is small enough to look).
    fn suggestion(&self, unknown: &str) -> Option<&str>;
}

/// Adds a record's id to `index`, or says why it cannot be added: it is
/// not a slug, or the index holds it already.
pub(super) fn register<'a>(
    index: &mut impl IdIndex<'a>,
    id: &'a str,
    origin: &'a Origin,
) -> Result<(), String> {
    check_id(id)?;
    index
        .insert(id, origin)
        .map_err(|first| duplicate_id(index.noun(), id, first.as_deref()))
}

/// The fault of a second record with the id `id`, first defined at `first`
/// (`file:line`, or `line N`) if known.
fn duplicate_id(noun: &str, id: &str, first: Option<&str>) -> String {
    match first {
        Some(first) => format!(
            "duplicate {noun} id `{id}` (first defined at {first}; give one of them another id)"
        ),
        None => format!("duplicate {noun} id `{id}`"),
    }
}

/// The fault of a reference to `id`, an id that `index` does not hold.
pub(super) fn unknown_id<'a>(index: &impl IdIndex<'a>, id: &str, wording: Wording) -> String {
    let noun = index.noun();
    match index.suggestion(id) {
        Some(close) => format!("unknown {noun} id `{id}` (did you mean `{close}`?)"),
        None if id.is_empty() && wording == Wording::Loader => {
            format!("empty {noun} id (write the id of a {noun} record)")
        }
        None => format!(
            "unknown {noun} id `{id}` (no {noun} record has this id; add one or fix the reference)"
        ),
    }
}

/// The fault of a row of a folder of CSV tables alone that cites a source
/// other than the tables (`sources`, their ids).
pub(super) fn unknown_table_source<'s>(
    source: &str,
    sources: impl Iterator<Item = &'s &'static str>,
) -> String {
    format!(
        "unknown source id `{source}` (a folder of CSV tables alone only has the tables themselves as sources: {})",
        sources.map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
    )
}

/// A fault of the field `field` of the record read at `origin`.
pub(super) fn fault_at(origin: &Origin, field: &str, message: String) -> DataError {
    let (field, line, column) = origin.locate(field);
    DataError {
        file: origin.file.to_string(),
        line: Some(line),
        column,
        field: Some(field),
        message,
    }
}

/// An id is a slug: lowercase ASCII letters, digits and `-`.
pub(super) fn check_id(id: &str) -> Result<(), String> {
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

/// A required text field (`name`, `title`) holds more than white space.
pub(super) fn required_text(field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("`{field}` is empty (it is required)"));
    }
    Ok(())
}

/// A record (but a source) cites at least one source.
pub(super) fn has_a_source(sources: &[String]) -> Result<(), String> {
    if sources.is_empty() {
        return Err(
            "a record needs at least one source (add `sources = [\"<source id>\"]`)".into(),
        );
    }
    Ok(())
}

/// A source has a title or a URL.
pub(super) fn source_is_named(title: Option<&str>, url: Option<&str>) -> Result<(), String> {
    if title.is_none_or(|t| t.trim().is_empty()) && url.is_none() {
        return Err("a source needs a `title` or a `url`".into());
    }
    Ok(())
}

/// The pole fields (`category`, `regions`, `domain`, `labelled_by`) that
/// an organisation of another kind than pole sets, each with its fault.
pub(super) fn pole_fields_of_non_pole(
    organization: &Organization,
    wording: Wording,
) -> Vec<(&'static str, String)> {
    if organization.kind == OrgKind::Pole {
        return Vec::new();
    }
    let hint = match wording {
        Wording::Loader => "remove it, or set `kind = \"pole\"`",
        Wording::Stream => "empty the cell, or set the kind to `pole`",
    };
    let kind = organization.kind.as_str();
    organization
        .pole
        .fields_set()
        .into_iter()
        .map(|field| {
            let message = format!(
                "`{field}` is for poles only, and this organisation's kind is `{kind}` ({hint})"
            );
            (field, message)
        })
        .collect()
}

/// A field that holds an IRI (a URL, a homepage) holds an absolute one.
pub(super) fn absolute_iri(value: &str, wording: Wording) -> Result<(), String> {
    match (oxigraph::model::NamedNode::new(value), wording) {
        (Ok(_), _) => Ok(()),
        (Err(e), Wording::Loader) => Err(format!(
            "`{value}` is not an absolute IRI ({e}); write a full address such as https://example.org/page"
        )),
        (Err(_), Wording::Stream) => Err(format!("`{value}` is not an absolute IRI")),
    }
}

/// A date is `YYYY-MM-DD`, and a real day of the calendar.
pub(super) fn check_date(value: &str) -> Result<(), String> {
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

/// A media type is `type/subtype`.
pub(super) fn media_type(value: &str) -> Result<(), String> {
    if is_media_type(value) {
        return Ok(());
    }
    Err(format!(
        "`{value}` is not a media type (write `type/subtype`, e.g. `application/vnd.ms-powerpoint`)"
    ))
}

fn is_media_type(value: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    matches!(value.split_once('/'), Some((t, s)) if token(t) && token(s))
}

/// The fault of a cycle of `field` links in the `what` ("organisation
/// hierarchy"), told as the ring of its ids.
pub(super) fn cycle<S: std::borrow::Borrow<str>>(what: &str, ring: &[S], field: &str) -> String {
    format!(
        "the {what} has a cycle: {} (break it by changing one `{field}`)",
        ring.join(" → ")
    )
}

/// Every cycle of `child → parent` links, each once, as the ring of ids
/// from its smallest id back to that id. `parent_of` gives a key's parent;
/// the walks start from `starts` in sorted order (so the rings come out in
/// the same order every time), and each key is visited once: a walk stops
/// where an earlier walk went.
pub(super) fn find_cycles<K>(mut starts: Vec<K>, parent_of: impl Fn(K) -> Option<K>) -> Vec<Vec<K>>
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

    /// The faults the two checkers word differently, side by side.
    #[test]
    fn the_two_wordings() {
        let iri = |wording| absolute_iri("example.org/a b", wording).unwrap_err();
        assert_eq!(
            iri(Wording::Loader),
            "`example.org/a b` is not an absolute IRI (Invalid IRI code point ' '); write a full address such as https://example.org/page"
        );
        assert_eq!(
            iri(Wording::Stream),
            "`example.org/a b` is not an absolute IRI"
        );
        assert!(absolute_iri("https://example.org/a", Wording::Stream).is_ok());
        assert_eq!(
            duplicate_id("talk", "1", Some("line 2")),
            "duplicate talk id `1` (first defined at line 2; give one of them another id)"
        );
        assert_eq!(duplicate_id("talk", "1", None), "duplicate talk id `1`");
    }
}
