//! Reads a shapes graph into [`Shape`]s: the roots (shapes with targets)
//! and every shape they reach through `sh:property`, `sh:node`, `sh:not`,
//! `sh:and`, `sh:or`, `sh:xone` and `sh:qualifiedValueShape`.

use super::path::{list, Path};
use super::shapes::{Constraint, Shape, ShapeId, Shapes, Target};
use crate::error::ValidateError;
use crate::vocab::sh;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, TripleRef,
};
use std::collections::{HashMap, HashSet};

impl Shapes {
    /// Reads a shapes graph written in Turtle.
    pub fn parse(turtle: &str) -> Result<Self, ValidateError> {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = quad.map_err(|e| ValidateError::ShapesSyntax(e.into()))?;
            graph.insert(TripleRef::new(
                quad.subject.as_ref(),
                quad.predicate.as_ref(),
                quad.object.as_ref(),
            ));
        }
        Self::from_graph(graph)
    }

    /// Reads the shapes of a graph: every shape with a target is a root,
    /// evaluated over the data; the others count only where a root uses
    /// them (a shapes graph may hold unused, even ill-formed, nodes).
    pub fn from_graph(graph: Graph) -> Result<Self, ValidateError> {
        let (shapes, roots) = read(&graph)?;
        Ok(Shapes {
            graph,
            shapes,
            roots,
        })
    }
}

const OWL_CLASS: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");
const CLOSED: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#closed");
const IGNORED_PROPERTIES: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#ignoredProperties");
const EQUALS: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#equals");
const DISJOINT: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#disjoint");
const LESS_THAN: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#lessThan");
const LESS_THAN_OR_EQUALS: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#lessThanOrEquals");

/// `sh:` properties of a shape that do not validate.
const DOCUMENTATION: [NamedNodeRef<'_>; 4] =
    [sh::DESCRIPTION, sh::ORDER, sh::GROUP, sh::DEFAULT_VALUE];

/// How many shapes a shapes graph may hold, and how deeply they may nest
/// (`sh:node` in `sh:property` in `sh:or`…), as bounds on runaway graphs.
const LIMIT: usize = 1_000_000;
const DEPTH: usize = 64;

/// Reads the shapes of `graph`: all the shapes the roots reach, and the roots.
pub(crate) fn read(graph: &Graph) -> Result<(Vec<Shape>, Vec<ShapeId>), ValidateError> {
    let mut ids: Vec<NamedOrBlankNode> = Vec::new();
    for predicate in [
        sh::TARGET_CLASS,
        sh::TARGET_NODE,
        sh::TARGET_SUBJECTS_OF,
        sh::TARGET_OBJECTS_OF,
    ] {
        ids.extend(
            graph
                .triples_for_predicate(predicate)
                .map(|t| t.subject.into_owned()),
        );
    }
    // Implicit class targets: a shape that is also a class.
    for class in [rdfs::CLASS, OWL_CLASS] {
        for subject in graph.subjects_for_predicate_object(rdf::TYPE, class) {
            if is_shape_type(graph, subject) {
                ids.push(subject.into_owned());
            }
        }
    }
    ids.sort_by_key(ToString::to_string);
    ids.dedup();
    let mut reader = Reader {
        graph,
        shapes: Vec::new(),
        index: HashMap::new(),
        pending: Vec::new(),
    };
    let roots = ids
        .iter()
        .map(|id| reader.shape(id.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    // Read each shape met, one at a time (no recursion on deep nestings).
    while let Some((index, node)) = reader.pending.pop() {
        let shape = reader.read_shape(node.as_ref())?;
        reader.shapes[index.0] = Some(shape);
    }
    let shapes = reader
        .shapes
        .into_iter()
        .collect::<Option<Vec<Shape>>>()
        .ok_or_else(|| ValidateError::Shape {
            shape: "(shapes graph)".to_owned(),
            message: "a shape was left unread (a bug)".to_owned(),
        })?;
    for shape in &shapes {
        for property in &shape.properties {
            let property = &shapes[property.0];
            if property.path.is_none() {
                return Err(ValidateError::Shape {
                    shape: property.id.to_string(),
                    message: "a property shape (value of sh:property) needs an sh:path".to_owned(),
                });
            }
        }
    }
    super::shapes::check_nesting(&shapes, DEPTH)?;
    Ok((shapes, roots))
}

fn is_shape_type(graph: &Graph, subject: NamedOrBlankNodeRef<'_>) -> bool {
    [sh::NODE_SHAPE, sh::PROPERTY_SHAPE]
        .iter()
        .any(|kind| graph.contains(TripleRef::new(subject, rdf::TYPE, *kind)))
}

struct Reader<'g> {
    graph: &'g Graph,
    /// The shapes read so far (`None` while a shape is being read).
    shapes: Vec<Option<Shape>>,
    index: HashMap<NamedOrBlankNode, ShapeId>,
    /// The shapes met but not read yet.
    pending: Vec<(ShapeId, NamedOrBlankNode)>,
}

impl<'g> Reader<'g> {
    fn fail(&self, shape: NamedOrBlankNodeRef<'_>, message: impl Into<String>) -> ValidateError {
        ValidateError::Shape {
            shape: shape.to_string(),
            message: message.into(),
        }
    }

    /// The shape at `id`: its index, the shape itself read later.
    fn shape(&mut self, id: NamedOrBlankNodeRef<'_>) -> Result<ShapeId, ValidateError> {
        if let Some(known) = self.index.get(&id.into_owned()) {
            return Ok(*known);
        }
        if self.shapes.len() >= LIMIT {
            return Err(self.fail(id, "the shapes graph has too many shapes"));
        }
        let index = ShapeId(self.shapes.len());
        self.shapes.push(None);
        self.index.insert(id.into_owned(), index);
        self.pending.push((index, id.into_owned()));
        Ok(index)
    }

    /// The shape that is the object of `predicate`.
    fn shape_at(
        &mut self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<ShapeId, ValidateError> {
        match object {
            TermRef::NamedNode(n) => self.shape(n.into()),
            TermRef::BlankNode(b) => self.shape(b.into()),
            _ => Err(self.fail(
                id,
                format!("{predicate} must be a shape (an IRI or a blank node), not {object}"),
            )),
        }
    }

    fn read_shape(&mut self, id: NamedOrBlankNodeRef<'_>) -> Result<Shape, ValidateError> {
        let graph = self.graph;
        let mut triples: Vec<TripleRef<'g>> = graph.triples_for_subject(id).collect();
        triples.sort_by_key(|t| (t.predicate.as_str(), t.object.to_string()));
        let mut shape = Shape {
            id: id.into_owned(),
            path: None,
            path_node: None,
            targets: Vec::new(),
            severity: sh::VIOLATION.into_owned(),
            messages: Vec::new(),
            label: None,
            deactivated: false,
            constraints: Vec::new(),
            properties: Vec::new(),
        };
        let mut labels: Vec<(bool, String)> = Vec::new();
        let mut pattern = None;
        let mut flags = None;
        let mut qualified: Vec<TermRef<'g>> = Vec::new();
        let mut qualified_min = None;
        let mut qualified_max = None;
        let mut qualified_disjoint = false;
        let mut closed = false;
        let mut ignored: Vec<NamedNode> = Vec::new();
        for triple in &triples {
            let (predicate, object) = (triple.predicate, triple.object);
            if predicate == rdf::TYPE {
                let is_class = object == rdfs::CLASS.into() || object == OWL_CLASS.into();
                if let (true, true, NamedOrBlankNodeRef::NamedNode(class)) =
                    (is_class, is_shape_type(graph, id), id)
                {
                    shape.targets.push(Target::Class(class.into_owned()));
                }
                continue;
            }
            if predicate == rdfs::LABEL {
                if let TermRef::Literal(l) = object {
                    labels.push((l.language() != Some("en"), l.value().to_owned()));
                }
                continue;
            }
            if !predicate.as_str().starts_with(sh::NAMESPACE) {
                continue; // rdfs:comment, dcterms:…: documentation
            }
            let constraint = match predicate {
                p if p == sh::TARGET_CLASS => {
                    shape.targets.push(Target::Class(self.expect(id, p, object, IRI)?));
                    None
                }
                p if p == sh::TARGET_NODE => {
                    if object.is_blank_node() {
                        return Err(self.fail(id, "sh:targetNode must be an IRI or a literal"));
                    }
                    shape.targets.push(Target::Node(object.into_owned()));
                    None
                }
                p if p == sh::TARGET_SUBJECTS_OF => {
                    shape.targets.push(Target::SubjectsOf(self.expect(id, p, object, IRI)?));
                    None
                }
                p if p == sh::TARGET_OBJECTS_OF => {
                    shape.targets.push(Target::ObjectsOf(self.expect(id, p, object, IRI)?));
                    None
                }
                p if p == sh::PATH => {
                    if shape.path.is_some() {
                        return Err(self.fail(id, "a shape has at most one sh:path"));
                    }
                    let path = Path::from_graph(graph, object)
                        .map_err(|message| self.fail(id, format!("sh:path: {message}")))?;
                    shape.path = Some(path);
                    shape.path_node = Some(object.into_owned());
                    None
                }
                p if p == sh::PROPERTY => {
                    let property = self.shape_at(id, p, object)?;
                    shape.properties.push(property);
                    None
                }
                p if p == sh::SEVERITY => {
                    shape.severity = self.expect(id, p, object, IRI)?;
                    None
                }
                p if p == sh::MESSAGE => {
                    match object {
                        TermRef::Literal(l) => shape.messages.push(l.into_owned()),
                        _ => return Err(self.fail(id, "sh:message must be a literal")),
                    }
                    None
                }
                p if p == sh::NAME => {
                    if let TermRef::Literal(l) = object {
                        labels.push((true, l.value().to_owned()));
                    }
                    None
                }
                p if p == sh::DEACTIVATED => {
                    shape.deactivated = self.expect(id, p, object, BOOLEAN)?;
                    None
                }
                p if DOCUMENTATION.contains(&p) => None,
                p if p == sh::CLASS => Some(Constraint::Class(self.expect(id, p, object, IRI)?)),
                p if p == sh::DATATYPE => Some(Constraint::Datatype(self.expect(id, p, object, IRI)?)),
                p if p == sh::NODE_KIND => {
                    let kind = self.expect(id, p, object, IRI)?;
                    let known = [
                        sh::IRI,
                        sh::BLANK_NODE,
                        sh::LITERAL,
                        sh::BLANK_NODE_OR_IRI,
                        sh::BLANK_NODE_OR_LITERAL,
                        sh::IRI_OR_LITERAL,
                    ];
                    if !known.contains(&kind.as_ref()) {
                        return Err(self.fail(id, format!("unknown sh:nodeKind {kind}")));
                    }
                    Some(Constraint::NodeKind(kind))
                }
                p if p == sh::MIN_COUNT => Some(Constraint::MinCount(self.expect(id, p, object, COUNT)?)),
                p if p == sh::MAX_COUNT => Some(Constraint::MaxCount(self.expect(id, p, object, COUNT)?)),
                p if p == sh::MIN_LENGTH => Some(Constraint::MinLength(self.expect(id, p, object, COUNT)?)),
                p if p == sh::MAX_LENGTH => Some(Constraint::MaxLength(self.expect(id, p, object, COUNT)?)),
                p if p == sh::MIN_EXCLUSIVE => {
                    Some(Constraint::MinExclusive(self.expect(id, p, object, LITERAL)?))
                }
                p if p == sh::MIN_INCLUSIVE => {
                    Some(Constraint::MinInclusive(self.expect(id, p, object, LITERAL)?))
                }
                p if p == sh::MAX_EXCLUSIVE => {
                    Some(Constraint::MaxExclusive(self.expect(id, p, object, LITERAL)?))
                }
                p if p == sh::MAX_INCLUSIVE => {
                    Some(Constraint::MaxInclusive(self.expect(id, p, object, LITERAL)?))
                }
                p if p == sh::PATTERN => {
                    if pattern.is_some() {
                        return Err(self.fail(id, "a shape has at most one sh:pattern"));
                    }
                    pattern = Some(self.expect(id, p, object, STRING)?);
                    None
                }
                p if p == sh::FLAGS => {
                    if flags.is_some() {
                        return Err(self.fail(id, "a shape has at most one sh:flags"));
                    }
                    flags = Some(self.expect(id, p, object, STRING)?);
                    None
                }
                p if p == sh::LANGUAGE_IN => {
                    let tags = self
                        .list(id, object)?
                        .into_iter()
                        .map(|t| match t {
                            TermRef::Literal(l) => Ok(l.value().to_owned()),
                            _ => Err(self.fail(id, "sh:languageIn lists language tags (literals)")),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Some(Constraint::LanguageIn(tags))
                }
                p if p == sh::UNIQUE_LANG => {
                    self.expect(id, p, object, BOOLEAN)?.then_some(Constraint::UniqueLang)
                }
                p if p == sh::IN => {
                    let values = self.list(id, object)?;
                    Some(Constraint::In(values.into_iter().map(TermRef::into_owned).collect()))
                }
                p if p == sh::HAS_VALUE => Some(Constraint::HasValue(object.into_owned())),
                p if p == EQUALS => Some(Constraint::Equals(self.expect(id, p, object, IRI)?)),
                p if p == DISJOINT => Some(Constraint::Disjoint(self.expect(id, p, object, IRI)?)),
                p if p == LESS_THAN => Some(Constraint::LessThan(self.expect(id, p, object, IRI)?)),
                p if p == LESS_THAN_OR_EQUALS => {
                    Some(Constraint::LessThanOrEquals(self.expect(id, p, object, IRI)?))
                }
                p if p == CLOSED => {
                    closed = self.expect(id, p, object, BOOLEAN)?;
                    None
                }
                p if p == IGNORED_PROPERTIES => {
                    for item in self.list(id, object)? {
                        ignored.push(self.expect(id, p, item, IRI)?);
                    }
                    None
                }
                p if p == sh::NODE => Some(Constraint::Node(self.shape_at(id, p, object)?)),
                p if p == sh::NOT => Some(Constraint::Not(self.shape_at(id, p, object)?)),
                p if p == sh::AND || p == sh::OR || p == sh::XONE => {
                    let mut members = Vec::new();
                    for member in self.list(id, object)? {
                        members.push(self.shape_at(id, p, member)?);
                    }
                    Some(if p == sh::AND {
                        Constraint::And(members)
                    } else if p == sh::OR {
                        Constraint::Or(members)
                    } else {
                        Constraint::Xone(members)
                    })
                }
                p if p == sh::QUALIFIED_VALUE_SHAPE => {
                    qualified.push(object);
                    None
                }
                p if p == sh::QUALIFIED_MIN_COUNT => {
                    qualified_min = Some(self.expect(id, p, object, COUNT)?);
                    None
                }
                p if p == sh::QUALIFIED_MAX_COUNT => {
                    qualified_max = Some(self.expect(id, p, object, COUNT)?);
                    None
                }
                p if p == sh::QUALIFIED_VALUE_SHAPES_DISJOINT => {
                    qualified_disjoint = self.expect(id, p, object, BOOLEAN)?;
                    None
                }
                other => {
                    return Err(self.fail(
                        id,
                        format!(
                            "{other} is not supported (polegraph implements the SHACL Core components listed in docs/validate.md)"
                        ),
                    ))
                }
            };
            shape.constraints.extend(constraint);
        }
        if let Some(pattern) = pattern {
            let regex = super::shapes::compile_pattern(&pattern, flags.as_deref())
                .map_err(|message| self.fail(id, message))?;
            shape.constraints.push(Constraint::Pattern {
                pattern,
                flags,
                regex,
            });
        }
        // A component applies only with all its mandatory parameters:
        // sh:qualifiedMinCount without sh:qualifiedValueShape is inert.
        for value_shape in &qualified {
            let value_shape = self.shape_at(id, sh::QUALIFIED_VALUE_SHAPE, *value_shape)?;
            let siblings = if qualified_disjoint {
                self.siblings(id, &qualified)?
            } else {
                Vec::new()
            };
            if let Some(count) = qualified_min {
                shape.constraints.push(Constraint::QualifiedMinCount {
                    shape: value_shape,
                    count,
                    siblings: siblings.clone(),
                });
            }
            if let Some(count) = qualified_max {
                shape.constraints.push(Constraint::QualifiedMaxCount {
                    shape: value_shape,
                    count,
                    siblings,
                });
            }
        }
        if closed {
            shape.constraints.push(Constraint::Closed {
                allowed: self.allowed(id, ignored)?,
            });
        }
        labels.sort();
        shape.label = labels.into_iter().next().map(|(_, label)| label);
        shape.targets.sort_by_key(|t| format!("{t:?}"));
        shape.targets.dedup();
        if shape.path.is_none() {
            if let Some(c) = shape.constraints.iter().find(|c| c.is_property_only()) {
                return Err(self.fail(
                    id,
                    format!(
                        "{} applies to property shapes only (add an sh:path)",
                        c.component()
                    ),
                ));
            }
        }
        Ok(shape)
    }

    /// The sibling shapes of the qualified value shapes of `id`: the
    /// `sh:qualifiedValueShape`s of the property shapes of the shapes
    /// that have `id` as an `sh:property`, but `id`'s own.
    fn siblings(
        &mut self,
        id: NamedOrBlankNodeRef<'_>,
        own: &[TermRef<'g>],
    ) -> Result<Vec<ShapeId>, ValidateError> {
        let graph = self.graph;
        let mut found: Vec<TermRef<'g>> = Vec::new();
        for parent in graph.subjects_for_predicate_object(sh::PROPERTY, id) {
            for sibling in graph.objects_for_subject_predicate(parent, sh::PROPERTY) {
                let sibling = match sibling {
                    TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                    TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                    _ => continue,
                };
                for value_shape in
                    graph.objects_for_subject_predicate(sibling, sh::QUALIFIED_VALUE_SHAPE)
                {
                    if !own.contains(&value_shape) && !found.contains(&value_shape) {
                        found.push(value_shape);
                    }
                }
            }
        }
        found.sort_by_key(ToString::to_string);
        found
            .into_iter()
            .map(|s| self.shape_at(id, sh::QUALIFIED_VALUE_SHAPE, s))
            .collect()
    }

    /// The predicates a closed shape allows: its property shapes' IRI
    /// paths and its `sh:ignoredProperties`.
    fn allowed(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        ignored: Vec<NamedNode>,
    ) -> Result<HashSet<NamedNode>, ValidateError> {
        let mut allowed: HashSet<NamedNode> = ignored.into_iter().collect();
        for property in self.graph.objects_for_subject_predicate(id, sh::PROPERTY) {
            let property = match property {
                TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                _ => continue,
            };
            for path in self.graph.objects_for_subject_predicate(property, sh::PATH) {
                if let TermRef::NamedNode(p) = path {
                    allowed.insert(p.into_owned());
                }
            }
        }
        Ok(allowed)
    }

    /// A parameter's value, as `expected` reads it.
    fn expect<T>(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
        expected: Expected<T>,
    ) -> Result<T, ValidateError> {
        (expected.read)(object).ok_or_else(|| {
            let what = expected.what;
            self.fail(id, format!("{predicate} must be {what}, not {object}"))
        })
    }

    fn list(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        head: TermRef<'g>,
    ) -> Result<Vec<TermRef<'g>>, ValidateError> {
        list(self.graph, head).map_err(|message| self.fail(id, message))
    }
}

/// What a parameter's value must be, and how it is read.
struct Expected<T> {
    what: &'static str,
    read: fn(TermRef<'_>) -> Option<T>,
}

const IRI: Expected<NamedNode> = Expected {
    what: "an IRI",
    read: |object| match object {
        TermRef::NamedNode(n) => Some(n.into_owned()),
        _ => None,
    },
};

const LITERAL: Expected<Term> = Expected {
    what: "a literal",
    read: |object| match object {
        TermRef::Literal(l) => Some(l.into_owned().into()),
        _ => None,
    },
};

const STRING: Expected<String> = Expected {
    what: "a string",
    read: |object| match object {
        TermRef::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    },
};

const COUNT: Expected<u64> = Expected {
    what: "a non-negative integer",
    read: |object| match object {
        TermRef::Literal(l) => l.value().trim_start_matches('+').parse().ok(),
        _ => None,
    },
};

/// A boolean parameter: on only for the literal `true` (SHACL names
/// `true`; `"1"^^xsd:boolean` leaves it off, as the W3C suite says).
const BOOLEAN: Expected<bool> = Expected {
    what: "a boolean",
    read: |object| match object {
        TermRef::Literal(l)
            if l.datatype() == xsd::BOOLEAN
                && matches!(l.value(), "true" | "false" | "1" | "0") =>
        {
            Some(l.value() == "true")
        }
        _ => None,
    },
};
