//! Step 1, load: the records and the links between them go into a petgraph
//! graph, from a store, from the mapper's quads (a [`QuadSink`]) or from a
//! CONSTRUCT query's triples.

use super::style::{self, Lang};
use crate::iri::{Iris, ONTOLOGY_GRAPH, VOID_GRAPH};
use crate::map::{self, QuadSink};
use crate::model::Dataset;
use crate::vocab::{pg, rdf};
use oxigraph::model::{
    BlankNode, GraphName, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, QuadRef, Term, TermRef, Triple,
};
use oxigraph::store::{StorageError, Store};
use petgraph::graph::{DiGraph, NodeIndex};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The maps of a diagram hash millions of IRIs and small integers, where
/// SipHash's resistance to chosen keys buys nothing: foldhash, with a
/// fixed seed (nothing drawn depends on the order of these maps, but a
/// fixed seed keeps every run the same).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
pub(super) type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// The terms every load looks for, interned first so that their ids are
/// these constants.
const ACRONYM: u32 = 0;
const SHORT_NAME: u32 = 1;
const CATEGORY: u32 = 2;
/// The ids of [`style::NAME_PROPERTIES`] start here.
const FIRST_NAME_PROPERTY: u32 = 3;

/// Interned class and property IRIs.
#[derive(Debug)]
pub(super) struct Terms {
    pub(super) names: Vec<Box<str>>,
    ids: FastMap<Box<str>, u32>,
}

impl Terms {
    fn new() -> Self {
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
    pub(super) id: Rc<str>,
    /// The lexical value, for a literal node.
    pub(super) literal: Option<Box<str>>,
    pub(super) classes: Vec<u32>,
    pub(super) acronym: Option<Box<str>>,
    pub(super) short_name: Option<Box<str>>,
    /// The best name so far and its rank (lower is better).
    pub(super) name: Option<(u8, Box<str>)>,
    /// The `pg:category` of a pole.
    pub(super) category: Option<u32>,
}

impl Resource {
    fn new(id: Rc<str>) -> Self {
        Resource {
            id,
            literal: None,
            classes: Vec::new(),
            acronym: None,
            short_name: None,
            name: None,
            category: None,
        }
    }

    pub(super) fn has_class(&self, class: Option<u32>) -> bool {
        class.is_some_and(|c| self.classes.contains(&c))
    }

    /// Keeps `value` for `slot` when it is better than what is there (the
    /// smallest value wins a tie, so the order of the quads never matters).
    fn offer(slot: &mut Option<Box<str>>, value: &str) {
        let better = match slot.as_deref() {
            None => true,
            Some(v) => value < v,
        };
        if better {
            *slot = Some(value.into());
        }
    }

    fn offer_name(&mut self, rank: u8, value: &str) {
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
}

/// The records and links a diagram is drawn from.
pub(super) struct Loaded {
    pub(super) graph: DiGraph<Resource, Link>,
    pub(super) index: FastMap<Rc<str>, NodeIndex>,
    pub(super) terms: Terms,
    /// `(source, property, target)` of every link, to skip duplicates (the
    /// same triple in two named graphs) and find inverses.
    links: FastSet<(u32, u32, u32)>,
    lang: Lang,
    mode: Mode,
    /// The last subject looked up (the mapper writes a record's quads
    /// together).
    last_subject: Option<NodeIndex>,
}

/// Where the loaded graph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// A store: typed subjects are nodes; links to anything else are left
    /// out.
    Store,
    /// The mapper's quads: every IRI gets a node, and only typed nodes are
    /// [`present`](Loaded::present), as in a store.
    Mapper,
    /// A CONSTRUCT result: every subject and object is a node, literals
    /// included.
    Query,
}

/// The store key of a subject: the IRI, or `_:id`.
fn subject_key(subject: &NamedOrBlankNode) -> Cow<'_, str> {
    match subject {
        NamedOrBlankNode::NamedNode(n) => Cow::Borrowed(n.as_str()),
        NamedOrBlankNode::BlankNode(b) => Cow::Owned(b.to_string()),
    }
}

impl Loaded {
    pub(super) fn new(lang: Lang, mode: Mode) -> Self {
        Loaded {
            graph: DiGraph::new(),
            index: FastMap::default(),
            terms: Terms::new(),
            links: FastSet::default(),
            lang,
            mode,
            last_subject: None,
        }
    }

    /// Every typed resource of the data graphs and the links between them.
    pub(super) fn from_store(store: &Store, iris: &Iris, lang: Lang) -> Result<Self, StorageError> {
        let skipped = [iris.graph(ONTOLOGY_GRAPH), iris.graph(VOID_GRAPH)];
        let in_scope = |graph: &GraphName| match graph {
            GraphName::NamedNode(g) => !skipped.iter().any(|s| s == g.as_str()),
            _ => true,
        };
        let mut loaded = Loaded::new(lang, Mode::Store);
        for quad in store.quads_for_pattern(None, Some(rdf::TYPE), None, None) {
            let quad = quad?;
            if in_scope(&quad.graph_name) {
                if let Term::NamedNode(class) = &quad.object {
                    let node = loaded.node(&subject_key(&quad.subject));
                    loaded.add_class(node, class.as_str());
                }
            }
        }
        for quad in store.iter() {
            let quad = quad?;
            if quad.predicate.as_ref() == rdf::TYPE || !in_scope(&quad.graph_name) {
                continue;
            }
            if let Some(&subject) = loaded.index.get(subject_key(&quad.subject).as_ref()) {
                loaded.add_fact(subject, quad.predicate.as_ref(), quad.object.as_ref());
            }
        }
        loaded.mark_hidden();
        Ok(loaded)
    }

    /// The records of a dataset, mapped straight into the graph (the quads
    /// a store would hold, without the store).
    pub(super) fn from_dataset(dataset: &Dataset, iris: &Iris, lang: Lang) -> Self {
        let mut loaded = Loaded::new(lang, Mode::Mapper);
        // The sink never fails, so neither does the mapper.
        let _ = map::map_dataset(dataset, iris, &mut loaded);
        loaded.mark_hidden();
        loaded
    }

    /// The triples of a CONSTRUCT result; every subject and object is a
    /// node. What the result does not say of a resource (its classes, its
    /// names) comes from the store.
    pub(super) fn from_triples(
        triples: &[Triple],
        store: &Store,
        iris: &Iris,
        lang: Lang,
    ) -> Result<Self, StorageError> {
        let mut loaded = Loaded::new(lang, Mode::Query);
        for triple in triples {
            let subject = loaded.node(&subject_key(&triple.subject));
            match &triple.object {
                Term::NamedNode(class) if triple.predicate.as_ref() == rdf::TYPE => {
                    loaded.add_class(subject, class.as_str())
                }
                object => loaded.add_fact(subject, triple.predicate.as_ref(), object.as_ref()),
            }
        }
        loaded.complete_from_store(store, iris)?;
        loaded.mark_hidden();
        Ok(loaded)
    }

    /// Gives the nodes of a query result the classes and names the store
    /// holds for them, where the result gave none.
    fn complete_from_store(&mut self, store: &Store, iris: &Iris) -> Result<(), StorageError> {
        let ontology = iris.graph(ONTOLOGY_GRAPH);
        let nodes: Vec<NodeIndex> = self.graph.node_indices().collect();
        for node in nodes {
            let resource = &self.graph[node];
            if resource.literal.is_some() || resource.id.starts_with("_:") {
                continue;
            }
            let Ok(subject) = NamedNode::new(resource.id.as_ref()) else {
                continue;
            };
            let needs_classes = resource.classes.is_empty();
            let needs_names = resource.name.is_none() && resource.acronym.is_none();
            if !needs_classes && !needs_names {
                continue;
            }
            for quad in store.quads_for_pattern(Some(subject.as_ref().into()), None, None, None) {
                let quad = quad?;
                let from_ontology =
                    matches!(&quad.graph_name, GraphName::NamedNode(g) if g.as_str() == ontology);
                match &quad.object {
                    Term::NamedNode(class)
                        if quad.predicate.as_ref() == rdf::TYPE
                            && needs_classes
                            && !from_ontology =>
                    {
                        self.add_class(node, class.as_str());
                    }
                    Term::Literal(literal) if needs_names => {
                        let predicate = self.terms.intern(quad.predicate.as_str());
                        self.add_name(node, predicate, literal.as_ref());
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Whether a node stands for something a store would hold: in the
    /// mapper's graph, only typed resources (records) do.
    pub(super) fn present(&self, node: NodeIndex) -> bool {
        self.mode != Mode::Mapper || !self.graph[node].classes.is_empty()
    }

    /// The present node of `key`, if any.
    pub(super) fn find(&self, key: &str) -> Option<NodeIndex> {
        self.index.get(key).copied().filter(|&n| self.present(n))
    }

    fn node(&mut self, key: &str) -> NodeIndex {
        if let Some(&node) = self.index.get(key) {
            return node;
        }
        let id: Rc<str> = key.into();
        let node = self.graph.add_node(Resource::new(id.clone()));
        self.index.insert(id, node);
        node
    }

    fn add_class(&mut self, node: NodeIndex, class: &str) {
        let class = self.terms.intern(class);
        let classes = &mut self.graph[node].classes;
        if !classes.contains(&class) {
            classes.push(class);
        }
    }

    /// One non-type triple about `subject`.
    fn add_fact(&mut self, subject: NodeIndex, predicate: NamedNodeRef<'_>, object: TermRef<'_>) {
        let property = self.terms.intern(predicate.as_str());
        let open = self.mode != Mode::Store;
        let target = match object {
            TermRef::Literal(literal) => {
                if self.add_name(subject, property, literal) || self.mode != Mode::Query {
                    return;
                }
                let key = literal.to_string();
                let node = self.node(&key);
                self.graph[node].literal = Some(literal.value().into());
                node
            }
            TermRef::NamedNode(iri) => {
                if property == CATEGORY {
                    self.graph[subject].category = Some(self.terms.intern(iri.as_str()));
                    if self.mode != Mode::Query {
                        return;
                    }
                }
                match self.index.get(iri.as_str()) {
                    Some(&node) => node,
                    None if open => self.node(iri.as_str()),
                    None => return,
                }
            }
            TermRef::BlankNode(blank) => {
                let key = blank.to_string();
                match self.index.get(key.as_str()) {
                    Some(&node) => node,
                    None if open => self.node(&key),
                    None => return,
                }
            }
            #[allow(unreachable_patterns)]
            _ => return,
        };
        let key = (subject.index() as u32, property, target.index() as u32);
        if self.links.insert(key) {
            self.graph.add_edge(
                subject,
                target,
                Link {
                    property,
                    hidden: false,
                },
            );
        }
    }

    /// Takes a literal as the acronym, short name or name of `subject`;
    /// false when `property` is none of these.
    fn add_name(&mut self, subject: NodeIndex, property: u32, literal: LiteralRef<'_>) -> bool {
        let resource = &mut self.graph[subject];
        match property {
            ACRONYM => Resource::offer(&mut resource.acronym, literal.value()),
            SHORT_NAME => Resource::offer(&mut resource.short_name, literal.value()),
            p if (FIRST_NAME_PROPERTY
                ..FIRST_NAME_PROPERTY + style::NAME_PROPERTIES.len() as u32)
                .contains(&p) =>
            {
                let language_rank = match literal.language() {
                    Some(l) if l == self.lang.tag() => 0,
                    None => 1,
                    Some("fr") => 2,
                    Some(_) => 3,
                };
                let rank = (p - FIRST_NAME_PROPERTY) * 4 + language_rank;
                resource.offer_name(u8::try_from(rank).unwrap_or(u8::MAX), literal.value());
            }
            _ => return false,
        }
        true
    }

    /// Hides provenance links and the redundant half of inverse pairs.
    pub(super) fn mark_hidden(&mut self) {
        let hidden: FastSet<u32> = style::HIDDEN_PROPERTIES
            .iter()
            .filter_map(|p| self.terms.id(p.as_str()))
            .collect();
        let inverses: FastMap<u32, u32> = style::INVERSES
            .iter()
            .filter_map(|(drawn, redundant)| {
                Some((
                    self.terms.id(redundant.as_str())?,
                    self.terms.id(drawn.as_str())?,
                ))
            })
            .collect();
        for edge in self.graph.edge_indices() {
            let Some((source, target)) = self.graph.edge_endpoints(edge) else {
                continue;
            };
            let link = &mut self.graph[edge];
            link.hidden = hidden.contains(&link.property)
                || inverses.get(&link.property).is_some_and(|&drawn| {
                    self.links
                        .contains(&(target.index() as u32, drawn, source.index() as u32))
                });
        }
    }

    pub(super) fn term_id(&self, term: NamedNodeRef<'_>) -> Option<u32> {
        self.terms.id(term.as_str())
    }

    /// The node of a subject, remembering the last one.
    fn subject_node(&mut self, key: &str) -> NodeIndex {
        if let Some(node) = self.last_subject {
            if *self.graph[node].id == *key {
                return node;
            }
        }
        let node = self.node(key);
        self.last_subject = Some(node);
        node
    }
}

impl QuadSink for Loaded {
    fn add(&mut self, quad: QuadRef<'_>) -> std::io::Result<()> {
        let subject = match quad.subject {
            NamedOrBlankNodeRef::NamedNode(n) => self.subject_node(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => self.subject_node(&b.to_string()),
        };
        match quad.object {
            TermRef::NamedNode(class) if quad.predicate == rdf::TYPE => {
                self.add_class(subject, class.as_str())
            }
            object => self.add_fact(subject, quad.predicate, object),
        }
        Ok(())
    }
}

/// Renames the blank nodes of a query result `_:b0`, `_:b1`, … in the order
/// they first appear once the triples are sorted with blank nodes left out
/// of the sort key: a query engine names them at random, and the same
/// result must give the same diagram.
pub(super) fn canonical_blank_nodes(mut triples: Vec<Triple>) -> Vec<Triple> {
    triples.sort_by_cached_key(|t| {
        let subject = match &t.subject {
            NamedOrBlankNode::BlankNode(_) => String::new(),
            other => other.to_string(),
        };
        let object = match &t.object {
            Term::BlankNode(_) => String::new(),
            other => other.to_string(),
        };
        (subject, t.predicate.as_str().to_owned(), object)
    });
    let mut names: HashMap<BlankNode, BlankNode> = HashMap::new();
    let mut rename = |blank: &BlankNode| {
        let next = names.len();
        names
            .entry(blank.clone())
            .or_insert_with(|| BlankNode::new_unchecked(format!("b{next}")))
            .clone()
    };
    triples
        .into_iter()
        .map(|t| {
            let subject = match t.subject {
                NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::BlankNode(rename(&b)),
                other => other,
            };
            let object = match t.object {
                Term::BlankNode(b) => Term::BlankNode(rename(&b)),
                other => other,
            };
            Triple::new(subject, t.predicate, object)
        })
        .collect()
}
