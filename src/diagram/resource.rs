//! The pieces of a loaded graph: interned terms, resources (nodes) and
//! links, with what a link's statement node says of it.

use super::style;
use crate::model::Confidence;
use crate::vocab::pg;
use petgraph::graph::NodeIndex;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The maps of a diagram hash millions of IRIs and small integers, where
/// SipHash's resistance to chosen keys buys nothing: foldhash, with a
/// fixed seed (nothing drawn depends on the order of these maps, but a
/// fixed seed keeps every run the same).
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
pub(super) type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// The terms every load looks for, interned first so that their ids are
/// these constants.
pub(super) const ACRONYM: u32 = 0;
pub(super) const SHORT_NAME: u32 = 1;
pub(super) const CATEGORY: u32 = 2;
/// The ids of [`style::NAME_PROPERTIES`] start here.
pub(super) const FIRST_NAME_PROPERTY: u32 = 3;

/// Interned class and property IRIs.
#[derive(Debug)]
pub(super) struct Terms {
    pub(super) names: Vec<Box<str>>,
    ids: FastMap<Box<str>, u32>,
}

impl Terms {
    pub(super) fn new() -> Self {
        let mut terms = Terms {
            names: Vec::new(),
            ids: FastMap::default(),
        };
        for term in [pg::ACRONYM, pg::SHORT_NAME, pg::CATEGORY]
            .iter()
            .chain(style::NAME_PROPERTIES)
        {
            terms.intern(term.as_str());
        }
        terms
    }

    pub(super) fn intern(&mut self, iri: &str) -> u32 {
        if let Some(&id) = self.ids.get(iri) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(iri.into());
        self.ids.insert(iri.into(), id);
        id
    }

    pub(super) fn id(&self, iri: &str) -> Option<u32> {
        self.ids.get(iri).copied()
    }

    pub(super) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// A node of the loaded graph.
#[derive(Debug)]
pub(super) struct Resource {
    /// IRI, `_:id`, or the N-Triples form of a literal (shared with the
    /// index of nodes by id).
    pub(super) id: Arc<str>,
    /// The lexical value, for a literal node.
    pub(super) literal: Option<Box<str>>,
    pub(super) classes: Vec<u32>,
    pub(super) acronym: Option<Box<str>>,
    pub(super) short_name: Option<Box<str>>,
    /// The best name so far and its rank (lower is better).
    pub(super) name: Option<(u8, Box<str>)>,
    /// The `pg:category` of a pole.
    pub(super) category: Option<u32>,
    /// Whether that category is inferred (its statement node says so).
    pub(super) category_inferred: bool,
}

impl Resource {
    pub(super) fn new(id: Arc<str>) -> Self {
        Resource {
            id,
            literal: None,
            classes: Vec::new(),
            acronym: None,
            short_name: None,
            name: None,
            category: None,
            category_inferred: false,
        }
    }

    pub(super) fn has_class(&self, class: Option<u32>) -> bool {
        class.is_some_and(|c| self.classes.contains(&c))
    }

    /// Keeps `value` for `slot` when it is better than what is there (the
    /// smallest value wins a tie, so the order of the quads never matters).
    pub(super) fn offer(slot: &mut Option<Box<str>>, value: &str) {
        let better = match slot.as_deref() {
            None => true,
            Some(v) => value < v,
        };
        if better {
            *slot = Some(value.into());
        }
    }

    pub(super) fn offer_name(&mut self, rank: u8, value: &str) {
        let better = match &self.name {
            None => true,
            Some((r, v)) => (rank, value) < (*r, v.as_ref()),
        };
        if better {
            self.name = Some((rank, value.into()));
        }
    }
}

/// A link of the loaded graph.
#[derive(Debug, Clone, Copy)]
pub(super) struct Link {
    pub(super) property: u32,
    /// Left out unless `--include` names the property.
    pub(super) hidden: bool,
    /// How sure its sources are (a statement node says so when it is not
    /// confirmed).
    pub(super) confidence: Confidence,
    /// The interned, sorted list of the sources whose graphs hold it
    /// (`seed, ref-state-actors`), or [`NO_SOURCES`].
    pub(super) sources: u32,
}

/// The less sure of two confidences.
pub(super) fn weaker(a: Confidence, b: Confidence) -> Confidence {
    let rank = |c: Confidence| match c {
        Confidence::Confirmed => 0,
        Confidence::Uncertain => 1,
        Confidence::Inferred => 2,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// The `sources` of a link read from no named graph (a query result).
pub(super) const NO_SOURCES: u32 = u32::MAX;

/// What the parts of a statement node say, as they are read.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Statement {
    pub(super) subject: Option<NodeIndex>,
    pub(super) predicate: Option<u32>,
    pub(super) object: Option<NodeIndex>,
    /// The object's interned IRI (a pole category is no node).
    pub(super) object_term: Option<u32>,
    pub(super) confidence: Confidence,
    /// For an inferred fact: the interned list of its premises' sources.
    pub(super) premises: Option<u32>,
}
