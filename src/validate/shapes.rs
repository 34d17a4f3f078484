//! The shapes graph, read into the SHACL Core constructs that
//! [`super::validate`] evaluates: shapes, their targets, paths and
//! constraint components. Shapes refer to each other by [`ShapeId`] (a
//! shape used in two places, as `sh:property` of two shapes or in
//! `sh:node` and `sh:or`, is read once).
//!
//! Reading ([`super::reader`]) is strict: a `sh:` term polegraph does not
//! implement, or a malformed parameter, is an error naming the shape, never
//! silently ignored, so a shape cannot pass because a constraint was skipped.

use super::path::Path;
use crate::error::ValidateError;
use crate::vocab::sh;
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNode, Term};
use regex::Regex;
use std::collections::HashSet;

/// A SHACL shapes graph, read.
#[derive(Debug, Clone)]
pub struct Shapes {
    pub(crate) graph: Graph,
    pub(crate) shapes: Vec<Shape>,
    pub(crate) roots: Vec<ShapeId>,
}

/// The index of a shape in its [`Shapes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeId(pub(crate) usize);

/// A node or property shape.
#[derive(Debug, Clone)]
pub struct Shape {
    pub id: NamedOrBlankNode,
    /// `sh:path`, for property shapes.
    pub path: Option<Path>,
    /// The `sh:path` node itself (a blank node for complex paths), to copy
    /// into reports.
    pub path_node: Option<Term>,
    pub targets: Vec<Target>,
    pub severity: NamedNode,
    /// `sh:message` values.
    pub messages: Vec<Literal>,
    /// `rdfs:label` (English preferred) or `sh:name`, for reports.
    pub label: Option<String>,
    pub deactivated: bool,
    pub constraints: Vec<Constraint>,
    /// The shapes of `sh:property`.
    pub properties: Vec<ShapeId>,
}

/// How a shape selects its focus nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `sh:targetClass` (and implicit class targets): the SHACL instances
    /// of the class, through `rdf:type/rdfs:subClassOf*`.
    Class(NamedNode),
    /// `sh:targetNode`.
    Node(Term),
    /// `sh:targetSubjectsOf`.
    SubjectsOf(NamedNode),
    /// `sh:targetObjectsOf`.
    ObjectsOf(NamedNode),
}

/// One constraint component with its parameters.
#[derive(Debug, Clone)]
pub enum Constraint {
    Class(NamedNode),
    Datatype(NamedNode),
    NodeKind(NamedNode),
    MinCount(u64),
    MaxCount(u64),
    MinLength(u64),
    MaxLength(u64),
    MinExclusive(Term),
    MinInclusive(Term),
    MaxExclusive(Term),
    MaxInclusive(Term),
    Pattern {
        pattern: String,
        flags: Option<String>,
        regex: Regex,
    },
    LanguageIn(Vec<String>),
    UniqueLang,
    In(Vec<Term>),
    HasValue(Term),
    Equals(NamedNode),
    Disjoint(NamedNode),
    LessThan(NamedNode),
    LessThanOrEquals(NamedNode),
    Closed {
        /// The predicates of the property shapes' (IRI) paths and
        /// `sh:ignoredProperties`.
        allowed: HashSet<NamedNode>,
    },
    Node(ShapeId),
    Not(ShapeId),
    And(Vec<ShapeId>),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    QualifiedMinCount {
        shape: ShapeId,
        count: u64,
        /// With `sh:qualifiedValueShapesDisjoint true`, the sibling shapes
        /// a counted value must not conform to.
        siblings: Vec<ShapeId>,
    },
    QualifiedMaxCount {
        shape: ShapeId,
        count: u64,
        siblings: Vec<ShapeId>,
    },
}

impl Constraint {
    /// The local name of the constraint component, e.g. `MinCount`.
    pub fn name(&self) -> &'static str {
        match self {
            Constraint::Class(_) => "Class",
            Constraint::Datatype(_) => "Datatype",
            Constraint::NodeKind(_) => "NodeKind",
            Constraint::MinCount(_) => "MinCount",
            Constraint::MaxCount(_) => "MaxCount",
            Constraint::MinLength(_) => "MinLength",
            Constraint::MaxLength(_) => "MaxLength",
            Constraint::MinExclusive(_) => "MinExclusive",
            Constraint::MinInclusive(_) => "MinInclusive",
            Constraint::MaxExclusive(_) => "MaxExclusive",
            Constraint::MaxInclusive(_) => "MaxInclusive",
            Constraint::Pattern { .. } => "Pattern",
            Constraint::LanguageIn(_) => "LanguageIn",
            Constraint::UniqueLang => "UniqueLang",
            Constraint::In(_) => "In",
            Constraint::HasValue(_) => "HasValue",
            Constraint::Equals(_) => "Equals",
            Constraint::Disjoint(_) => "Disjoint",
            Constraint::LessThan(_) => "LessThan",
            Constraint::LessThanOrEquals(_) => "LessThanOrEquals",
            Constraint::Closed { .. } => "Closed",
            Constraint::Node(_) => "Node",
            Constraint::Not(_) => "Not",
            Constraint::And(_) => "And",
            Constraint::Or(_) => "Or",
            Constraint::Xone(_) => "Xone",
            Constraint::QualifiedMinCount { .. } => "QualifiedMinCount",
            Constraint::QualifiedMaxCount { .. } => "QualifiedMaxCount",
        }
    }

    /// The IRI of the constraint component, e.g. `sh:MinCountConstraintComponent`.
    pub fn component(&self) -> NamedNode {
        NamedNode::new_unchecked(format!(
            "{}{}ConstraintComponent",
            sh::NAMESPACE,
            self.name()
        ))
    }

    /// Whether SHACL allows the component on property shapes only (the
    /// syntax rules of SHACL: `sh:minCount`, `sh:maxCount`,
    /// `sh:uniqueLang`, `sh:lessThan`, `sh:lessThanOrEquals`,
    /// `sh:qualifiedValueShape`).
    pub fn is_property_only(&self) -> bool {
        matches!(
            self,
            Constraint::MinCount(_)
                | Constraint::MaxCount(_)
                | Constraint::UniqueLang
                | Constraint::LessThan(_)
                | Constraint::LessThanOrEquals(_)
                | Constraint::QualifiedMinCount { .. }
                | Constraint::QualifiedMaxCount { .. }
        )
    }

    /// The shapes the constraint refers to.
    pub(crate) fn shapes(&self) -> Vec<ShapeId> {
        match self {
            Constraint::Node(s) | Constraint::Not(s) => vec![*s],
            Constraint::And(list) | Constraint::Or(list) | Constraint::Xone(list) => list.clone(),
            Constraint::QualifiedMinCount {
                shape, siblings, ..
            }
            | Constraint::QualifiedMaxCount {
                shape, siblings, ..
            } => std::iter::once(*shape)
                .chain(siblings.iter().copied())
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Shapes {
    /// The shapes that have targets, sorted by IRI.
    pub fn roots(&self) -> impl Iterator<Item = &Shape> {
        self.roots.iter().map(|id| &self.shapes[id.0])
    }

    /// The shape `id`, if it is one of these shapes.
    pub fn get(&self, id: ShapeId) -> Option<&Shape> {
        self.shapes.get(id.0)
    }

    /// The shape `id` (an id these shapes gave out).
    pub(crate) fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id.0]
    }

    /// The shapes graph as read.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
}

/// SHACL Core leaves the validation of recursive shapes undefined: a
/// shape that reaches itself is refused. So is a nesting (`sh:node` in
/// `sh:property` in `sh:or`…) more than `max_depth` shapes deep, which the
/// engine would walk by recursion.
pub(crate) fn check_nesting(shapes: &[Shape], max_depth: usize) -> Result<(), ValidateError> {
    let next = |shape: &Shape| -> Vec<ShapeId> {
        let mut out: Vec<ShapeId> = shape.properties.clone();
        for constraint in &shape.constraints {
            out.extend(constraint.shapes());
        }
        out
    };
    let fail = |shape: &Shape, message: String| ValidateError::Shape {
        shape: shape.id.to_string(),
        message,
    };
    // 0 unvisited, 1 on the stack, 2 done; `height`: the longest chain of
    // shapes from a done shape.
    let mut state = vec![0u8; shapes.len()];
    let mut height = vec![0usize; shapes.len()];
    for start in 0..shapes.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, Vec<ShapeId>)> = vec![(start, next(&shapes[start]))];
        state[start] = 1;
        while let Some((node, pending)) = stack.last_mut() {
            let node = *node;
            match pending.pop() {
                Some(ShapeId(child)) => match state[child] {
                    0 => {
                        state[child] = 1;
                        stack.push((child, next(&shapes[child])));
                    }
                    1 => {
                        return Err(fail(&shapes[child], "the shape refers to itself (recursive shapes are not supported: SHACL leaves their validation undefined)".to_owned()));
                    }
                    _ => {}
                },
                None => {
                    state[node] = 2;
                    let below = next(&shapes[node])
                        .iter()
                        .map(|c| height[c.0])
                        .max()
                        .unwrap_or(0);
                    height[node] = below + 1;
                    if height[node] > max_depth {
                        return Err(fail(
                            &shapes[node],
                            format!("shapes are nested more than {max_depth} deep"),
                        ));
                    }
                    stack.pop();
                }
            }
        }
    }
    Ok(())
}

/// Compiles `sh:pattern` with `sh:flags` as SPARQL's `REGEX` does (flags
/// `s`, `m`, `i`, `x`, `q`).
pub(crate) fn compile_pattern(pattern: &str, flags: Option<&str>) -> Result<regex::Regex, String> {
    let flags = flags.unwrap_or_default();
    let pattern = if flags.contains('q') {
        regex::escape(pattern)
    } else {
        pattern.to_owned()
    };
    let mut builder = regex::RegexBuilder::new(&pattern);
    builder.size_limit(1_000_000);
    for flag in flags.chars() {
        match flag {
            's' => builder.dot_matches_new_line(true),
            'm' => builder.multi_line(true),
            'i' => builder.case_insensitive(true),
            'x' => builder.ignore_whitespace(true),
            'q' => &mut builder,
            other => return Err(format!("unknown sh:flags letter {other:?}")),
        };
    }
    builder
        .build()
        .map_err(|e| format!("sh:pattern {pattern:?} is not a valid regular expression: {e}"))
}
