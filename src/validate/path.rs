//! SHACL property paths: read from a shapes graph, written in SPARQL
//! syntax for reports, and evaluated over the data graph.

use super::data::DataGraph;
use crate::vocab::sh;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use std::collections::HashSet;

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(Box<Path>),
    Sequence(Vec<Path>),
    Alternative(Vec<Path>),
    ZeroOrMore(Box<Path>),
    OneOrMore(Box<Path>),
    ZeroOrOne(Box<Path>),
}

/// How deeply a path may nest, and how long its lists may be, before it is
/// taken for a cycle.
const DEPTH: usize = 64;
const LIST_LIMIT: usize = 10_000;

impl Path {
    /// The path in SPARQL property-path syntax, each IRI written by `iri`
    /// (`<…>` for SPARQL and the TSV report, prefixed names for people).
    pub fn render(&self, iri: &dyn Fn(&str) -> String) -> String {
        let group = |path: &Path| match path {
            Path::Predicate(_) | Path::Sequence(_) | Path::Alternative(_) => path.render(iri),
            _ => format!("({})", path.render(iri)),
        };
        let join = |paths: &[Path], separator: &str| {
            let parts: Vec<String> = paths.iter().map(group).collect();
            format!("({})", parts.join(separator))
        };
        match self {
            Path::Predicate(p) => iri(p.as_str()),
            Path::Inverse(p) => format!("^{}", group(p)),
            Path::Sequence(paths) => join(paths, "/"),
            Path::Alternative(paths) => join(paths, "|"),
            Path::ZeroOrMore(p) => format!("{}*", group(p)),
            Path::OneOrMore(p) => format!("{}+", group(p)),
            Path::ZeroOrOne(p) => format!("{}?", group(p)),
        }
    }

    /// The path in SPARQL syntax with full IRIs.
    pub fn sparql(&self) -> String {
        self.render(&|iri| format!("<{iri}>"))
    }

    /// Reads the SHACL path whose node is `node` in `graph` (an IRI, or a
    /// blank node for a sequence, inverse, alternative or repeated path).
    /// The error says what is wrong with it.
    pub fn from_graph(graph: &Graph, node: TermRef<'_>) -> Result<Path, String> {
        read(graph, node, 0)
    }

    /// The value nodes of the path from `start`: the set of nodes it
    /// reaches, each once, in the order first reached.
    pub(crate) fn values(&self, data: &DataGraph<'_>, start: TermRef<'_>) -> Vec<Term> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for node in self.walk(data, start, true) {
            if seen.insert(node.clone()) {
                out.push(node);
            }
        }
        out
    }

    /// The nodes reached from `start`, following the path forwards or
    /// (for inverse paths) backwards; may repeat a node.
    fn walk(&self, data: &DataGraph<'_>, start: TermRef<'_>, forward: bool) -> Vec<Term> {
        match self {
            Path::Predicate(p) => {
                if forward {
                    data.objects(start, p.as_ref())
                } else {
                    data.subjects(p.as_ref(), start)
                }
            }
            Path::Inverse(inner) => inner.walk(data, start, !forward),
            Path::Sequence(steps) => {
                let mut current = vec![start.into_owned()];
                let ordered: Vec<&Path> = if forward {
                    steps.iter().collect()
                } else {
                    steps.iter().rev().collect()
                };
                for step in ordered {
                    let mut next = Vec::new();
                    let mut seen = HashSet::new();
                    for node in &current {
                        for reached in step.walk(data, node.as_ref(), forward) {
                            if seen.insert(reached.clone()) {
                                next.push(reached);
                            }
                        }
                    }
                    current = next;
                }
                current
            }
            Path::Alternative(options) => options
                .iter()
                .flat_map(|option| option.walk(data, start, forward))
                .collect(),
            Path::ZeroOrMore(inner) => closure(inner, data, start, forward, true),
            Path::OneOrMore(inner) => closure(inner, data, start, forward, false),
            Path::ZeroOrOne(inner) => {
                let mut out = vec![start.into_owned()];
                out.extend(inner.walk(data, start, forward));
                out
            }
        }
    }
}

/// The nodes reached by one or more steps of `inner` (and `start` itself
/// when `reflexive`), each once.
fn closure(
    inner: &Path,
    data: &DataGraph<'_>,
    start: TermRef<'_>,
    forward: bool,
    reflexive: bool,
) -> Vec<Term> {
    let mut seen: HashSet<Term> = HashSet::new();
    let mut out = Vec::new();
    if reflexive {
        seen.insert(start.into_owned());
        out.push(start.into_owned());
    }
    let mut queue = vec![start.into_owned()];
    while let Some(node) = queue.pop() {
        for reached in inner.walk(data, node.as_ref(), forward) {
            if seen.insert(reached.clone()) {
                out.push(reached.clone());
                queue.push(reached);
            }
        }
    }
    out
}

/// The members of the RDF list `head` in `graph`.
pub(crate) fn list<'g>(graph: &'g Graph, head: TermRef<'g>) -> Result<Vec<TermRef<'g>>, String> {
    let mut items = Vec::new();
    let mut node = head;
    while node != rdf::NIL.into() {
        let cell = match node {
            TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
            TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
            _ => return Err(format!("{node} is not an RDF list")),
        };
        let mut firsts = graph.objects_for_subject_predicate(cell, rdf::FIRST);
        let mut rests = graph.objects_for_subject_predicate(cell, rdf::REST);
        let (Some(first), Some(rest)) = (firsts.next(), rests.next()) else {
            return Err(format!("{node} is not a well-formed RDF list"));
        };
        if firsts.next().is_some() || rests.next().is_some() {
            return Err(format!(
                "{node} is not a well-formed RDF list (two rdf:first or rdf:rest)"
            ));
        }
        items.push(first);
        if items.len() > LIST_LIMIT {
            return Err("an RDF list does not end (cycle?)".to_owned());
        }
        node = rest;
    }
    Ok(items)
}

fn read(graph: &Graph, node: TermRef<'_>, depth: usize) -> Result<Path, String> {
    if depth > DEPTH {
        return Err("the sh:path is nested too deeply (cycle?)".to_owned());
    }
    let blank = match node {
        TermRef::NamedNode(n) => return Ok(Path::Predicate(n.into_owned())),
        TermRef::BlankNode(b) => b,
        _ => return Err(format!("{node} is not a SHACL path")),
    };
    let subject = NamedOrBlankNodeRef::from(blank);
    if graph
        .object_for_subject_predicate(subject, rdf::FIRST)
        .is_some()
    {
        let mut steps = list(graph, node)?
            .into_iter()
            .map(|step| read(graph, step, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        return match steps.len() {
            0 => Err("an empty sequence path".to_owned()),
            1 => Ok(steps.remove(0)),
            _ => Ok(Path::Sequence(steps)),
        };
    }
    let single =
        |predicate: NamedNodeRef<'_>| graph.object_for_subject_predicate(subject, predicate);
    let inner = |inner: TermRef<'_>| read(graph, inner, depth + 1).map(Box::new);
    if let Some(target) = single(sh::INVERSE_PATH) {
        return Ok(Path::Inverse(inner(target)?));
    }
    if let Some(options) = single(sh::ALTERNATIVE_PATH) {
        let options = list(graph, options)?
            .into_iter()
            .map(|option| read(graph, option, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        if options.is_empty() {
            return Err("an empty sh:alternativePath".to_owned());
        }
        return Ok(Path::Alternative(options));
    }
    if let Some(target) = single(sh::ZERO_OR_MORE_PATH) {
        return Ok(Path::ZeroOrMore(inner(target)?));
    }
    if let Some(target) = single(sh::ONE_OR_MORE_PATH) {
        return Ok(Path::OneOrMore(inner(target)?));
    }
    if let Some(target) = single(sh::ZERO_OR_ONE_PATH) {
        return Ok(Path::ZeroOrOne(inner(target)?));
    }
    Err(format!("{node} is not a SHACL path"))
}
