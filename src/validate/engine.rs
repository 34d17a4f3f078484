//! Evaluates shapes on focus nodes, as SHACL Core defines it: the value
//! nodes of a shape (the focus node itself, or the set of nodes its path
//! reaches), each constraint component on them, then the property shapes
//! on each value node. Results are reported one per focus node, value node
//! and constraint (and, for `sh:lessThan`, per pair of values); shapes
//! used by `sh:node`, `sh:not`, `sh:and`, `sh:or`, `sh:xone` and
//! `sh:qualifiedValueShape` are only checked for conformance.

use super::compare::compare;
use super::data::DataGraph;
use super::datatypes::well_formed;
use super::messages::default_message;
use super::path::Path;
use super::report::ValidationResult;
use super::shapes::{Constraint, Shape, ShapeId, Shapes, Target};
use crate::vocab::sh;
use oxigraph::model::{Literal, NamedNode, Term, TermRef};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

pub(crate) struct Engine<'a> {
    pub(crate) data: DataGraph<'a>,
    shapes: &'a Shapes,
    /// Whether a node conforms to a shape, once known.
    conforms: RefCell<HashMap<(ShapeId, Term), bool>>,
}

/// Where the results of a root shape go.
pub(crate) struct Report<'r> {
    pub(crate) root: &'r Shape,
    pub(crate) results: &'r mut Vec<ValidationResult>,
}

/// One failure of a constraint: the value node it is about, and the
/// predicate that stands for the path (for `sh:closed`).
struct Finding {
    value: Option<Term>,
    predicate: Option<NamedNode>,
}

fn value(term: &Term) -> Finding {
    Finding {
        value: Some(term.clone()),
        predicate: None,
    }
}

const NONE: Finding = Finding {
    value: None,
    predicate: None,
};

impl<'a> Engine<'a> {
    pub(crate) fn new(data: DataGraph<'a>, shapes: &'a Shapes) -> Self {
        Engine {
            data,
            shapes,
            conforms: RefCell::new(HashMap::new()),
        }
    }

    /// The focus nodes a shape's targets select, each once.
    pub(crate) fn focus_nodes(&self, shape: &Shape) -> Vec<Term> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for target in &shape.targets {
            let nodes = match target {
                Target::Class(class) => self.data.instances(class.as_ref().into()),
                Target::Node(node) => vec![node.clone()],
                Target::SubjectsOf(p) => self.data.subjects_of(p.as_ref()),
                Target::ObjectsOf(p) => self.data.objects_of(p.as_ref()),
            };
            for node in nodes {
                if seen.insert(node.clone()) {
                    out.push(node);
                }
            }
        }
        out
    }

    /// Whether `node` conforms to shape `id` (has no result of any
    /// severity).
    fn conforms(&self, id: ShapeId, node: &Term) -> bool {
        let key = (id, node.clone());
        if let Some(known) = self.conforms.borrow().get(&key) {
            return *known;
        }
        let conforms = self.validate(id, node, None);
        self.conforms.borrow_mut().insert(key, conforms);
        conforms
    }

    /// Validates `focus` against shape `id`, reporting the results when
    /// `report` is given (else stopping at the first). Whether it conforms.
    pub(crate) fn validate(
        &self,
        id: ShapeId,
        focus: &Term,
        mut report: Option<&mut Report<'_>>,
    ) -> bool {
        let shape = self.shapes.shape(id);
        if shape.deactivated {
            return true;
        }
        let values = match &shape.path {
            None => vec![focus.clone()],
            Some(path) => path.values(&self.data, focus.as_ref()),
        };
        let mut conforms = true;
        for constraint in &shape.constraints {
            let found = self.check(constraint, focus, &values);
            if found.is_empty() {
                continue;
            }
            conforms = false;
            let Some(report) = report.as_deref_mut() else {
                return false;
            };
            let messages = if shape.messages.is_empty() {
                vec![Literal::new_language_tagged_literal_unchecked(
                    default_message(self.shapes, constraint),
                    "en",
                )]
            } else {
                shape.messages.clone()
            };
            for finding in found {
                let (path, path_node) = match finding.predicate {
                    Some(p) => (Some(Path::Predicate(p.clone())), Some(Term::from(p))),
                    None => (shape.path.clone(), shape.path_node.clone()),
                };
                report.results.push(ValidationResult {
                    focus: focus.clone(),
                    path,
                    path_node,
                    value: finding.value,
                    component: constraint.component(),
                    source_shape: shape.id.clone(),
                    root_shape: report.root.id.clone(),
                    root_label: report.root.label.clone(),
                    severity: shape.severity.clone(),
                    messages: messages.clone(),
                });
            }
        }
        for property in &shape.properties {
            for value in &values {
                if !self.validate(*property, value, report.as_deref_mut()) {
                    conforms = false;
                    if report.is_none() {
                        return false;
                    }
                }
            }
        }
        conforms
    }

    /// The failures of one constraint at `focus`, whose value
    /// nodes are `values`.
    fn check(&self, constraint: &Constraint, focus: &Term, values: &[Term]) -> Vec<Finding> {
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        let others = |p: &NamedNode| self.data.objects(focus.as_ref(), p.as_ref());
        match constraint {
            Constraint::MinCount(min) => {
                if count(values.len()) < *min {
                    vec![NONE]
                } else {
                    Vec::new()
                }
            }
            Constraint::MaxCount(max) => {
                if count(values.len()) > *max {
                    vec![NONE]
                } else {
                    Vec::new()
                }
            }
            Constraint::UniqueLang => {
                let mut tags: BTreeMap<String, usize> = BTreeMap::new();
                for v in values {
                    if let Term::Literal(l) = v {
                        if let Some(tag) = l.language() {
                            *tags.entry(tag.to_ascii_lowercase()).or_default() += 1;
                        }
                    }
                }
                tags.values().filter(|n| **n > 1).map(|_| NONE).collect()
            }
            Constraint::HasValue(expected) => {
                if values.contains(expected) {
                    Vec::new()
                } else {
                    vec![NONE]
                }
            }
            Constraint::Equals(p) => {
                let others = others(p);
                let mut found: Vec<Finding> = values
                    .iter()
                    .filter(|v| !others.contains(v))
                    .map(value)
                    .collect();
                found.extend(others.iter().filter(|o| !values.contains(o)).map(value));
                found
            }
            Constraint::Disjoint(p) => {
                let others = others(p);
                values
                    .iter()
                    .filter(|v| others.contains(v))
                    .map(value)
                    .collect()
            }
            Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                let or_equal = matches!(constraint, Constraint::LessThanOrEquals(_));
                let others = others(p);
                let mut found = Vec::new();
                for v in values {
                    for o in &others {
                        let ok = match compare(v.as_ref(), o.as_ref()) {
                            Some(Ordering::Less) => true,
                            Some(Ordering::Equal) => or_equal,
                            _ => false,
                        };
                        if !ok {
                            found.push(value(v));
                        }
                    }
                }
                found
            }
            Constraint::QualifiedMinCount {
                shape: qualified,
                count: min,
                siblings,
            } => {
                if count(self.qualified(*qualified, siblings, values)) < *min {
                    vec![NONE]
                } else {
                    Vec::new()
                }
            }
            Constraint::QualifiedMaxCount {
                shape: qualified,
                count: max,
                siblings,
            } => {
                if count(self.qualified(*qualified, siblings, values)) > *max {
                    vec![NONE]
                } else {
                    Vec::new()
                }
            }
            Constraint::Closed { allowed } => {
                let mut found = Vec::new();
                for v in values {
                    for (predicate, object) in self.data.outgoing(v.as_ref()) {
                        if !allowed.contains(&predicate.into_owned()) {
                            found.push(Finding {
                                value: Some(object.into_owned()),
                                predicate: Some(predicate.into_owned()),
                            });
                        }
                    }
                }
                found
            }
            per_value => values
                .iter()
                .filter(|v| !self.holds(per_value, v))
                .map(value)
                .collect(),
        }
    }

    /// How many of `values` conform to `shape` and to none of `siblings`.
    fn qualified(&self, shape: ShapeId, siblings: &[ShapeId], values: &[Term]) -> usize {
        values
            .iter()
            .filter(|v| self.conforms(shape, v) && !siblings.iter().any(|s| self.conforms(*s, v)))
            .count()
    }

    /// Whether the value node `v` satisfies a per-value constraint.
    fn holds(&self, constraint: &Constraint, v: &Term) -> bool {
        let text = || match v {
            Term::NamedNode(n) => Some(n.as_str()),
            Term::Literal(l) => Some(l.value()),
            _ => None,
        };
        let compared = |bound: &Term, accept: &[Ordering]| {
            compare(v.as_ref(), bound.as_ref()).is_some_and(|o| accept.contains(&o))
        };
        match constraint {
            Constraint::Class(class) => self.data.is_instance(v.as_ref(), class.as_ref().into()),
            Constraint::Datatype(datatype) => match v {
                Term::Literal(l) => l.datatype() == datatype.as_ref() && well_formed(l.as_ref()),
                _ => false,
            },
            Constraint::NodeKind(kind) => node_kind(kind, v.as_ref()),
            Constraint::MinLength(n) => text().is_some_and(|t| chars(t) >= *n),
            Constraint::MaxLength(n) => text().is_some_and(|t| chars(t) <= *n),
            Constraint::MinExclusive(bound) => compared(bound, &[Ordering::Greater]),
            Constraint::MinInclusive(bound) => {
                compared(bound, &[Ordering::Greater, Ordering::Equal])
            }
            Constraint::MaxExclusive(bound) => compared(bound, &[Ordering::Less]),
            Constraint::MaxInclusive(bound) => compared(bound, &[Ordering::Less, Ordering::Equal]),
            Constraint::Pattern { regex, .. } => text().is_some_and(|t| regex.is_match(t)),
            Constraint::LanguageIn(ranges) => match v {
                Term::Literal(l) => l
                    .language()
                    .is_some_and(|tag| ranges.iter().any(|r| lang_matches(tag, r))),
                _ => false,
            },
            Constraint::In(members) => members.contains(v),
            Constraint::Node(shape) => self.conforms(*shape, v),
            Constraint::Not(shape) => !self.conforms(*shape, v),
            Constraint::And(shapes) => shapes.iter().all(|s| self.conforms(*s, v)),
            Constraint::Or(shapes) => shapes.iter().any(|s| self.conforms(*s, v)),
            Constraint::Xone(shapes) => {
                shapes.iter().filter(|s| self.conforms(**s, v)).count() == 1
            }
            // Components on the set of value nodes are evaluated by `check`.
            _ => true,
        }
    }
}

fn chars(text: &str) -> u64 {
    u64::try_from(text.chars().count()).unwrap_or(u64::MAX)
}

fn node_kind(kind: &NamedNode, v: TermRef<'_>) -> bool {
    let (iri, blank, literal) = (v.is_named_node(), v.is_blank_node(), v.is_literal());
    match kind.as_ref() {
        k if k == sh::IRI => iri,
        k if k == sh::BLANK_NODE => blank,
        k if k == sh::LITERAL => literal,
        k if k == sh::BLANK_NODE_OR_IRI => blank || iri,
        k if k == sh::BLANK_NODE_OR_LITERAL => blank || literal,
        _ => iri || literal,
    }
}

/// SPARQL's `langMatches`: basic filtering of RFC 4647.
fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    if tag.eq_ignore_ascii_case(range) {
        return true;
    }
    tag.len() > range.len()
        && tag.as_bytes().get(range.len()) == Some(&b'-')
        && tag
            .get(..range.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(range))
}
