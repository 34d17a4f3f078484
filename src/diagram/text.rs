//! The texts drawn: labels of terms (from the ontology), of nodes and of
//! titles, cleaned and wrapped.

use super::load::Resource;
use super::style::{self, Lang};
use crate::iri::{abbreviate, prefixes_for, Iris, ONTOLOGY_GRAPH};
use crate::vocab::rdfs;
use oxigraph::model::{GraphNameRef, NamedNode, Term};
use oxigraph::store::{StorageError, Store};
use std::collections::HashMap;

/// Reads the labels of terms from the ontology graph.
pub(super) struct Labels<'a> {
    store: &'a Store,
    ontology: NamedNode,
    pub(super) lang: Lang,
    prefixes: Vec<(String, String)>,
    cache: HashMap<String, Option<String>>,
}

impl<'a> Labels<'a> {
    pub(super) fn new(store: &'a Store, iris: &Iris, lang: Lang) -> Self {
        Labels {
            store,
            ontology: NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH)),
            lang,
            prefixes: prefixes_for(iris),
            cache: HashMap::new(),
        }
    }

    /// The ontology's `rdfs:label` of `iri` in the language (else French,
    /// else any), if it has one.
    pub(super) fn ontology_label(&mut self, iri: &str) -> Result<Option<String>, StorageError> {
        if let Some(cached) = self.cache.get(iri) {
            return Ok(cached.clone());
        }
        let mut best: Option<(u8, String)> = None;
        if let Ok(term) = NamedNode::new(iri) {
            for quad in self.store.quads_for_pattern(
                Some(term.as_ref().into()),
                Some(rdfs::LABEL),
                None,
                Some(GraphNameRef::NamedNode(self.ontology.as_ref())),
            ) {
                if let Term::Literal(literal) = quad?.object {
                    let rank = match literal.language() {
                        Some(l) if l == self.lang.tag() => 0,
                        Some("fr") => 1,
                        _ => 2,
                    };
                    let candidate = (rank, literal.value().to_owned());
                    let better = match &best {
                        None => true,
                        Some(b) => candidate < *b,
                    };
                    if better {
                        best = Some(candidate);
                    }
                }
            }
        }
        let label = best.map(|(_, l)| l);
        self.cache.insert(iri.to_owned(), label.clone());
        Ok(label)
    }

    /// A property's or class's label: the ontology's, else the built-in
    /// one, else its prefixed name.
    pub(super) fn term(&mut self, iri: &str) -> Result<String, StorageError> {
        Ok(match self.ontology_label(iri)? {
            Some(label) => label,
            None => style::builtin_label(iri, self.lang)
                .map_or_else(|| abbreviate(iri, &self.prefixes), str::to_owned),
        })
    }
}

pub(super) const WRAP: usize = 30;
pub(super) const EDGE_WRAP: usize = 22;
pub(super) const MAX_LINES: usize = 5;

/// The label (acronym, then short name or name) and tooltip of a node.
pub(super) fn node_text(r: &Resource) -> (String, String) {
    if let Some(value) = &r.literal {
        let text = clean(value);
        return (wrap(&text, WRAP, MAX_LINES), text);
    }
    let name = r
        .name
        .as_ref()
        .map(|(_, n)| clean(n))
        .unwrap_or_else(|| local_name(&r.id).to_owned());
    let shown = r.short_name.as_deref().map_or_else(|| name.clone(), clean);
    let acronym = r.acronym.as_deref().map(clean);
    let label = match &acronym {
        Some(acronym) if shown != *acronym => {
            format!("{acronym}\n{}", wrap(&shown, WRAP, MAX_LINES))
        }
        Some(acronym) => acronym.clone(),
        None => wrap(&shown, WRAP, MAX_LINES),
    };
    let mut tooltip = match acronym {
        Some(acronym) if name != acronym => format!("{acronym}: {name}"),
        _ => name,
    };
    tooltip.push('\n');
    tooltip.push_str(&r.id);
    (label, tooltip)
}

/// The acronym, else the short name, else the name (titles).
pub(super) fn short_name(r: &Resource) -> String {
    r.acronym
        .as_deref()
        .or(r.short_name.as_deref())
        .or(r.name.as_ref().map(|(_, n)| n.as_ref()))
        .map_or_else(|| local_name(&r.id).to_owned(), clean)
}

/// Whitespace runs (new lines included) as one space.
fn clean(text: &str) -> String {
    let mut after_space = true; // no space may lead
    let already_clean = text.chars().all(|c| {
        let fine = if c == ' ' {
            !after_space
        } else {
            !c.is_whitespace()
        };
        after_space = c == ' ';
        fine
    }) && !after_space;
    if already_clean || text.is_empty() {
        return text.to_owned();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last segment of an IRI.
pub(super) fn local_name(iri: &str) -> &str {
    iri.rsplit(['/', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or(iri)
}

/// Breaks `text` into lines of about `width` characters at spaces, keeping
/// at most `max_lines` (the last one ends with `…` when text is cut).
pub(super) fn wrap(text: &str, width: usize, max_lines: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    lines.join("\n")
}

/// The name of a record, else its acronym.
pub(super) fn full_name(r: &Resource) -> String {
    r.name
        .as_ref()
        .map(|(_, n)| clean(n))
        .unwrap_or_else(|| short_name(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_joins_whitespace_runs_with_one_space() {
        for (text, cleaned) in [
            ("Pôle Mer Bretagne", "Pôle Mer Bretagne"),
            ("", ""),
            (" ", ""),
            ("a  b", "a b"),
            (" a b", "a b"),
            ("a b ", "a b"),
            ("a\nb\tc\u{a0}d", "a b c d"),
            ("é", "é"),
        ] {
            assert_eq!(clean(text), cleaned, "{text:?}");
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_text() {
        assert_eq!(
            wrap("Direction générale des entreprises", 20, 4),
            "Direction générale\ndes entreprises"
        );
        assert_eq!(wrap("a b c d e f", 1, 2), "a\nb …");
        assert_eq!(wrap("", 10, 2), "");
    }
}
