//! The data graph as the engine reads it: an in-memory [`Graph`] whose
//! literals are kept as written (lexical form and datatype), with the
//! look-ups SHACL needs and a cache of the `rdfs:subClassOf*` closure.

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

pub(crate) struct DataGraph<'a> {
    graph: &'a Graph,
    /// For each class met, itself and its superclasses (`rdfs:subClassOf*`).
    superclasses: RefCell<HashMap<Term, Rc<HashSet<Term>>>>,
}

/// `node` as a subject, if it can be one.
fn subject(node: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match node {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

impl<'a> DataGraph<'a> {
    pub(crate) fn new(graph: &'a Graph) -> Self {
        DataGraph {
            graph,
            superclasses: RefCell::new(HashMap::new()),
        }
    }

    /// The objects of `node predicate ?o`.
    pub(crate) fn objects(&self, node: TermRef<'_>, predicate: NamedNodeRef<'_>) -> Vec<Term> {
        match subject(node) {
            Some(s) => self
                .graph
                .objects_for_subject_predicate(s, predicate)
                .map(TermRef::into_owned)
                .collect(),
            None => Vec::new(),
        }
    }

    /// The subjects of `?s predicate node`.
    pub(crate) fn subjects(&self, predicate: NamedNodeRef<'_>, node: TermRef<'_>) -> Vec<Term> {
        self.graph
            .subjects_for_predicate_object(predicate, node)
            .map(|s| s.into_owned().into())
            .collect()
    }

    /// The (predicate, object) pairs of the triples whose subject is `node`.
    pub(crate) fn outgoing(&self, node: TermRef<'_>) -> Vec<(NamedNodeRef<'a>, TermRef<'a>)> {
        match subject(node) {
            Some(s) => self
                .graph
                .triples_for_subject(s)
                .map(|t| (t.predicate, t.object))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The subjects of the triples with `predicate`, each once.
    pub(crate) fn subjects_of(&self, predicate: NamedNodeRef<'_>) -> Vec<Term> {
        let mut seen = HashSet::new();
        self.graph
            .triples_for_predicate(predicate)
            .map(|t| Term::from(t.subject.into_owned()))
            .filter(|s| seen.insert(s.clone()))
            .collect()
    }

    /// The objects of the triples with `predicate`, each once.
    pub(crate) fn objects_of(&self, predicate: NamedNodeRef<'_>) -> Vec<Term> {
        let mut seen = HashSet::new();
        self.graph
            .triples_for_predicate(predicate)
            .map(|t| t.object.into_owned())
            .filter(|o| seen.insert(o.clone()))
            .collect()
    }

    /// The SHACL instances of `class`: the nodes with an `rdf:type` that
    /// is `class` or one of its subclasses (`rdf:type/rdfs:subClassOf*`).
    pub(crate) fn instances(&self, class: TermRef<'_>) -> Vec<Term> {
        let mut classes = vec![class.into_owned()];
        let mut seen: HashSet<Term> = classes.iter().cloned().collect();
        let mut next = 0;
        while next < classes.len() {
            let current = classes[next].clone();
            next += 1;
            for sub in self.subjects(rdfs::SUB_CLASS_OF, current.as_ref()) {
                if seen.insert(sub.clone()) {
                    classes.push(sub);
                }
            }
        }
        let mut found = HashSet::new();
        let mut out = Vec::new();
        for class in &classes {
            for instance in self.subjects(rdf::TYPE, class.as_ref()) {
                if found.insert(instance.clone()) {
                    out.push(instance);
                }
            }
        }
        out
    }

    /// Whether `node` is a SHACL instance of `class`.
    pub(crate) fn is_instance(&self, node: TermRef<'_>, class: TermRef<'_>) -> bool {
        let class = class.into_owned();
        self.objects(node, rdf::TYPE)
            .into_iter()
            .any(|t| self.superclasses(t).contains(&class))
    }

    /// `class` and its superclasses, cached.
    fn superclasses(&self, class: Term) -> Rc<HashSet<Term>> {
        if let Some(known) = self.superclasses.borrow().get(&class) {
            return Rc::clone(known);
        }
        let mut seen: HashSet<Term> = HashSet::new();
        let mut queue = vec![class.clone()];
        seen.insert(class.clone());
        while let Some(current) = queue.pop() {
            for sup in self.objects(current.as_ref(), rdfs::SUB_CLASS_OF) {
                if seen.insert(sup.clone()) {
                    queue.push(sup);
                }
            }
        }
        let closure = Rc::new(seen);
        self.superclasses
            .borrow_mut()
            .insert(class, Rc::clone(&closure));
        closure
    }
}
