//! Step 1, load: the records and the links between them go into a petgraph
//! graph, from a store, from the mapper's quads (a [`QuadSink`]) or from a
//! CONSTRUCT query's triples.

use super::resource::{
    weaker, FastMap, Statement, ACRONYM, CATEGORY, FIRST_NAME_PROPERTY, SHORT_NAME,
};
pub(super) use super::resource::{FastSet, Link, Resource, Terms, NO_SOURCES};
use super::style::{self, Lang};
use crate::iri::{Iris, ONTOLOGY_GRAPH, VOID_GRAPH};
use crate::map::{self, QuadSink};
use crate::model::{Confidence, Dataset};
use crate::vocab::{pg, prov, rdf};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, QuadRef, Term, TermRef, Triple,
};
use oxigraph::store::{StorageError, Store};
use petgraph::graph::{DiGraph, NodeIndex};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// The records and links a diagram is drawn from.
pub(super) struct Loaded {
    pub(super) graph: DiGraph<Resource, Link>,
    pub(super) index: FastMap<Arc<str>, NodeIndex>,
    pub(super) terms: Terms,
    /// `(source, property, target)` of every link, to merge duplicates (the
    /// same triple in two named graphs) and find inverses.
    links: FastMap<(u32, u32, u32), petgraph::graph::EdgeIndex>,
    /// `{base}graph/`: a graph IRI minus this is a source id.
    graph_prefix: String,
    /// `{base}statement/` and `{base}source/`, to read statement nodes'
    /// premises.
    statement_prefix: String,
    source_prefix: String,
    /// The statement nodes read so far, by subject.
    statements: FastMap<Arc<str>, Statement>,
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
            links: FastMap::default(),
            graph_prefix: String::new(),
            statement_prefix: String::new(),
            source_prefix: String::new(),
            statements: FastMap::default(),
            lang,
            mode,
            last_subject: None,
        }
    }

    /// Every typed resource of the data graphs and the links between them.
    pub(super) fn lang(&self) -> Lang {
        self.lang
    }

    pub(super) fn from_store(store: &Store, iris: &Iris, lang: Lang) -> Result<Self, StorageError> {
        let skipped = [iris.graph(ONTOLOGY_GRAPH), iris.graph(VOID_GRAPH)];
        let in_scope = |graph: &GraphName| match graph {
            GraphName::NamedNode(g) => !skipped.iter().any(|s| s == g.as_str()),
            _ => true,
        };
        let mut loaded = Loaded::new(lang, Mode::Store);
        loaded.set_prefixes(iris);
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
            let key = subject_key(&quad.subject);
            if loaded.statement_part(&key, quad.predicate.as_ref(), quad.object.as_ref()) {
                continue;
            }
            if let Some(&subject) = loaded.index.get(key.as_ref()) {
                let graph = match &quad.graph_name {
                    GraphName::NamedNode(g) => Some(g.as_str()),
                    _ => None,
                };
                loaded.add_fact(
                    subject,
                    quad.predicate.as_ref(),
                    quad.object.as_ref(),
                    graph,
                );
            }
        }
        loaded.mark_hidden();
        Ok(loaded)
    }

    /// The records of a dataset, mapped straight into the graph (the quads
    /// a store would hold, without the store).
    pub(super) fn from_dataset(dataset: &Dataset, iris: &Iris, lang: Lang) -> Self {
        let mut loaded = Loaded::new(lang, Mode::Mapper);
        loaded.set_prefixes(iris);
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
                object => {
                    loaded.add_fact(subject, triple.predicate.as_ref(), object.as_ref(), None)
                }
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
        let id: Arc<str> = key.into();
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

    fn set_prefixes(&mut self, iris: &Iris) {
        self.graph_prefix = iris.graph("");
        self.statement_prefix = format!("{}statement/", iris.base());
        self.source_prefix = iris.record(crate::iri::RecordKind::Source, "");
    }

    /// Takes a part of a statement node (`rdf:subject`, `rdf:predicate`,
    /// `rdf:object`, `pg:confidence`); false for any other triple.
    fn statement_part(
        &mut self,
        key: &str,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> bool {
        if predicate == prov::WAS_DERIVED_FROM {
            return self.statement_premise(key, object);
        }
        let is_part =
            [rdf::SUBJECT, rdf::PREDICATE, rdf::OBJECT, pg::CONFIDENCE].contains(&predicate);
        if !is_part {
            return false;
        }
        let node = match object {
            TermRef::NamedNode(iri) if predicate != pg::CONFIDENCE => {
                self.index.get(iri.as_str()).copied()
            }
            _ => None,
        };
        let predicate_id = match object {
            TermRef::NamedNode(iri) if predicate == rdf::PREDICATE => {
                Some(self.terms.intern(iri.as_str()))
            }
            _ => None,
        };
        let object_term = match object {
            TermRef::NamedNode(iri) if predicate == rdf::OBJECT => {
                Some(self.terms.intern(iri.as_str()))
            }
            _ => None,
        };
        let statement = self.statements.entry(key.into()).or_default();
        if predicate == rdf::SUBJECT {
            statement.subject = node;
        } else if predicate == rdf::PREDICATE {
            statement.predicate = predicate_id;
        } else if predicate == rdf::OBJECT {
            statement.object = node;
            statement.object_term = object_term;
        } else if object == pg::UNCERTAIN_VALUE.into() {
            statement.confidence = Confidence::Uncertain;
        } else if object == pg::INFERRED.into() {
            statement.confidence = Confidence::Inferred;
        }
        true
    }

    /// Takes the source of a premise of a statement node (its
    /// `prov:wasDerivedFrom`); false when `key` is no statement node.
    fn statement_premise(&mut self, key: &str, object: TermRef<'_>) -> bool {
        if self.statement_prefix.is_empty() || !key.starts_with(self.statement_prefix.as_str()) {
            return false;
        }
        let TermRef::NamedNode(source) = object else {
            return true;
        };
        let Some(id) = source.as_str().strip_prefix(self.source_prefix.as_str()) else {
            return true;
        };
        let graph = format!("{}{id}", self.graph_prefix);
        let premises = self
            .statements
            .get(key)
            .and_then(|s| s.premises)
            .unwrap_or(NO_SOURCES);
        let premises = self.with_source(premises, Some(&graph));
        self.statements.entry(key.into()).or_default().premises = Some(premises);
        true
    }

    /// Gives each link its statement node's confidence (and an inferred
    /// link the sources of its premises).
    fn apply_statements(&mut self) {
        for statement in std::mem::take(&mut self.statements).into_values() {
            if let (Some(s), Some(CATEGORY), Some(_), Confidence::Inferred) = (
                statement.subject,
                statement.predicate,
                statement.object_term,
                statement.confidence,
            ) {
                self.graph[s].category_inferred = true;
            }
            let (Some(s), Some(p), Some(o)) =
                (statement.subject, statement.predicate, statement.object)
            else {
                continue;
            };
            if let Some(&edge) = self.links.get(&(s.index() as u32, p, o.index() as u32)) {
                let link = &mut self.graph[edge];
                link.confidence = weaker(link.confidence, statement.confidence);
                if let (Confidence::Inferred, Some(premises)) =
                    (statement.confidence, statement.premises)
                {
                    link.sources = premises;
                }
            }
        }
    }

    /// The interned source list of a link once `graph` is added to `sources`.
    fn with_source(&mut self, sources: u32, graph: Option<&str>) -> u32 {
        let Some(id) = graph.and_then(|g| g.strip_prefix(self.graph_prefix.as_str())) else {
            return sources;
        };
        if self.graph_prefix.is_empty() {
            return sources;
        }
        let mut list: Vec<&str> = match sources {
            NO_SOURCES => Vec::new(),
            s => self.terms.name(s).split(", ").collect(),
        };
        if list.contains(&id) {
            return sources;
        }
        list.push(id);
        list.sort_unstable();
        let joined = list.join(", ");
        self.terms.intern(&joined)
    }

    /// One non-type triple about `subject`, read from `graph`.
    fn add_fact(
        &mut self,
        subject: NodeIndex,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
        graph: Option<&str>,
    ) {
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
        match self.links.get(&key) {
            Some(&edge) => {
                let sources = self.with_source(self.graph[edge].sources, graph);
                self.graph[edge].sources = sources;
            }
            None => {
                let sources = self.with_source(NO_SOURCES, graph);
                let edge = self.graph.add_edge(
                    subject,
                    target,
                    Link {
                        property,
                        hidden: false,
                        confidence: Confidence::Confirmed,
                        sources,
                    },
                );
                self.links.insert(key, edge);
            }
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

    /// Hides provenance links and the redundant half of inverse pairs (and
    /// first gives links the confidence of their statement nodes).
    pub(super) fn mark_hidden(&mut self) {
        self.apply_statements();
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
                        .contains_key(&(target.index() as u32, drawn, source.index() as u32))
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
        if let NamedOrBlankNodeRef::NamedNode(n) = quad.subject {
            if self.statement_part(n.as_str(), quad.predicate, quad.object) {
                return Ok(());
            }
        }
        let subject = match quad.subject {
            NamedOrBlankNodeRef::NamedNode(n) => self.subject_node(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => self.subject_node(&b.to_string()),
        };
        match quad.object {
            TermRef::NamedNode(class) if quad.predicate == rdf::TYPE => {
                self.add_class(subject, class.as_str())
            }
            object => {
                let graph = match quad.graph_name {
                    GraphNameRef::NamedNode(g) => Some(g.as_str()),
                    _ => None,
                };
                self.add_fact(subject, quad.predicate, object, graph)
            }
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
