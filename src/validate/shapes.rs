//! The shapes graph, read into the SHACL Core constructs that
//! [`super::validate`] evaluates.
//!
//! Reading is strict: a `sh:` term polegraph does not implement is an
//! error naming the shape, never silently ignored, so a shape cannot pass
//! because a constraint was skipped.

use crate::error::ValidateError;
use crate::vocab::sh;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    TripleRef,
};

/// A SHACL shapes graph, read.
#[derive(Debug, Clone)]
pub struct Shapes {
    graph: Graph,
    roots: Vec<Shape>,
}

/// A node or property shape.
#[derive(Debug, Clone, PartialEq)]
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
    pub properties: Vec<Shape>,
}

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(Box<Path>),
    Sequence(Vec<Path>),
    Alternative(Vec<Path>),
    ZeroOrMore(Box<Path>),
    OneOrMore(Box<Path>),
    ZeroOrOne(Box<Path>),
}

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
#[derive(Debug, Clone, PartialEq)]
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
    },
    LanguageIn(Vec<String>),
    UniqueLang,
    In(Vec<Term>),
    HasValue(Term),
    Node(Box<Shape>),
    Not(Box<Shape>),
    And(Vec<Shape>),
    Or(Vec<Shape>),
    Xone(Vec<Shape>),
    QualifiedMinCount {
        shape: Box<Shape>,
        count: u64,
    },
    QualifiedMaxCount {
        shape: Box<Shape>,
        count: u64,
    },
}

impl Constraint {
    /// The IRI of the constraint component, e.g. `sh:MinCountConstraintComponent`.
    pub fn component(&self) -> NamedNode {
        let name = match self {
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
            Constraint::Node(_) => "Node",
            Constraint::Not(_) => "Not",
            Constraint::And(_) => "And",
            Constraint::Or(_) => "Or",
            Constraint::Xone(_) => "Xone",
            Constraint::QualifiedMinCount { .. } => "QualifiedMinCount",
            Constraint::QualifiedMaxCount { .. } => "QualifiedMaxCount",
        };
        NamedNode::new_unchecked(format!("{}{name}ConstraintComponent", sh::NAMESPACE))
    }

    /// Whether the constraint is a test of each value node on its own (so
    /// it can apply to the focus node of a node shape, and inside nested
    /// shapes), as opposed to a test of the set of values of a path.
    pub fn is_per_value(&self) -> bool {
        !matches!(
            self,
            Constraint::MinCount(_)
                | Constraint::MaxCount(_)
                | Constraint::UniqueLang
                | Constraint::QualifiedMinCount { .. }
                | Constraint::QualifiedMaxCount { .. }
        )
    }
}

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
    /// evaluated over the data; the others count only where a root uses them.
    pub fn from_graph(graph: Graph) -> Result<Self, ValidateError> {
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
        for class in [
            rdfs::CLASS,
            oxigraph::model::NamedNodeRef::new_unchecked(OWL_CLASS),
        ] {
            for subject in graph.subjects_for_predicate_object(rdf::TYPE, class) {
                let is_shape = [sh::NODE_SHAPE, sh::PROPERTY_SHAPE]
                    .iter()
                    .any(|kind| graph.contains(TripleRef::new(subject, rdf::TYPE, *kind)));
                if is_shape {
                    ids.push(subject.into_owned());
                }
            }
        }
        ids.sort_by_key(ToString::to_string);
        ids.dedup();
        let mut reader = Reader {
            graph: &graph,
            stack: Vec::new(),
        };
        let roots = ids
            .iter()
            .map(|id| reader.shape(id.as_ref(), false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Shapes { graph, roots })
    }

    /// The shapes that have targets, sorted by IRI.
    pub fn roots(&self) -> &[Shape] {
        &self.roots
    }

    /// The shapes graph as read.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
}

const OWL_CLASS: &str = "http://www.w3.org/2002/07/owl#Class";

/// How many list items or nested shapes a shapes graph may chain, to stop
/// on cyclic lists and recursive shapes.
const LIMIT: usize = 10_000;

struct Reader<'g> {
    graph: &'g Graph,
    /// The shapes being read, to refuse recursion.
    stack: Vec<NamedOrBlankNode>,
}

fn name(node: NamedOrBlankNodeRef<'_>) -> String {
    node.to_string()
}

impl<'g> Reader<'g> {
    fn fail(&self, shape: NamedOrBlankNodeRef<'_>, message: impl Into<String>) -> ValidateError {
        ValidateError::Shape {
            shape: name(shape),
            message: message.into(),
        }
    }

    /// Reads the shape `id`. `nested` shapes (in `sh:node`, `sh:not`,
    /// `sh:and`, `sh:or`, `sh:xone`, `sh:qualifiedValueShape`) may only
    /// test the value node itself.
    fn shape(&mut self, id: NamedOrBlankNodeRef<'_>, nested: bool) -> Result<Shape, ValidateError> {
        if self.stack.iter().any(|s| s.as_ref() == id) || self.stack.len() > LIMIT {
            return Err(self.fail(
                id,
                "the shape refers to itself (recursive shapes are not supported)",
            ));
        }
        self.stack.push(id.into_owned());
        let shape = self.read_shape(id, nested);
        self.stack.pop();
        shape
    }

    fn read_shape(
        &mut self,
        id: NamedOrBlankNodeRef<'_>,
        nested: bool,
    ) -> Result<Shape, ValidateError> {
        let graph = self.graph;
        let mut triples: Vec<TripleRef<'_>> = graph.triples_for_subject(id).collect();
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
        let mut qualified_shape = None;
        let mut qualified_min = None;
        let mut qualified_max = None;
        let mut pattern = None;
        let mut flags = None;
        for triple in &triples {
            let object = triple.object;
            let predicate = triple.predicate;
            if predicate == rdf::TYPE {
                let is_class = object == rdfs::CLASS.into()
                    || object == NamedNodeRef::new_unchecked(OWL_CLASS).into();
                let is_shape = [sh::NODE_SHAPE, sh::PROPERTY_SHAPE]
                    .iter()
                    .any(|kind| graph.contains(TripleRef::new(id, rdf::TYPE, *kind)));
                if let (true, true, NamedOrBlankNodeRef::NamedNode(class)) =
                    (is_class, is_shape, id)
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
                    shape.targets.push(Target::Class(self.iri(id, predicate, object)?));
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
                    shape.targets.push(Target::SubjectsOf(self.iri(id, predicate, object)?));
                    None
                }
                p if p == sh::TARGET_OBJECTS_OF => {
                    shape.targets.push(Target::ObjectsOf(self.iri(id, predicate, object)?));
                    None
                }
                p if p == sh::PATH => {
                    if shape.path.is_some() {
                        return Err(self.fail(id, "a shape has at most one sh:path"));
                    }
                    shape.path = Some(self.path(id, object, 0)?);
                    shape.path_node = Some(object.into_owned());
                    None
                }
                p if p == sh::PROPERTY => {
                    let property = self.node(id, predicate, object)?;
                    let property = self.shape(property.as_ref(), false)?;
                    if property.path.is_none() {
                        return Err(self.fail(
                            property.id.as_ref(),
                            "a property shape (value of sh:property) needs an sh:path",
                        ));
                    }
                    shape.properties.push(property);
                    None
                }
                p if p == sh::SEVERITY => {
                    shape.severity = self.iri(id, predicate, object)?;
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
                    shape.deactivated = matches!(object, TermRef::Literal(l) if l.value() == "true" || l.value() == "1");
                    None
                }
                p if [sh::DESCRIPTION, sh::ORDER, sh::GROUP, sh::DEFAULT_VALUE].contains(&p) => None,
                p if p == sh::CLASS => Some(Constraint::Class(self.iri(id, predicate, object)?)),
                p if p == sh::DATATYPE => Some(Constraint::Datatype(self.iri(id, predicate, object)?)),
                p if p == sh::NODE_KIND => {
                    let kind = self.iri(id, predicate, object)?;
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
                p if p == sh::MIN_COUNT => Some(Constraint::MinCount(self.count(id, predicate, object)?)),
                p if p == sh::MAX_COUNT => Some(Constraint::MaxCount(self.count(id, predicate, object)?)),
                p if p == sh::MIN_LENGTH => Some(Constraint::MinLength(self.count(id, predicate, object)?)),
                p if p == sh::MAX_LENGTH => Some(Constraint::MaxLength(self.count(id, predicate, object)?)),
                p if p == sh::MIN_EXCLUSIVE => Some(Constraint::MinExclusive(self.literal(id, predicate, object)?)),
                p if p == sh::MIN_INCLUSIVE => Some(Constraint::MinInclusive(self.literal(id, predicate, object)?)),
                p if p == sh::MAX_EXCLUSIVE => Some(Constraint::MaxExclusive(self.literal(id, predicate, object)?)),
                p if p == sh::MAX_INCLUSIVE => Some(Constraint::MaxInclusive(self.literal(id, predicate, object)?)),
                p if p == sh::PATTERN => {
                    pattern = Some(self.string(id, predicate, object)?);
                    None
                }
                p if p == sh::FLAGS => {
                    flags = Some(self.string(id, predicate, object)?);
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
                    let on = self.boolean(id, predicate, object)?;
                    on.then_some(Constraint::UniqueLang)
                }
                p if p == sh::IN => {
                    let values = self.list(id, object)?;
                    if values.iter().any(|v| v.is_blank_node()) {
                        return Err(self.fail(id, "sh:in values must be IRIs or literals"));
                    }
                    Some(Constraint::In(values.into_iter().map(TermRef::into_owned).collect()))
                }
                p if p == sh::HAS_VALUE => {
                    if object.is_blank_node() {
                        return Err(self.fail(id, "sh:hasValue must be an IRI or a literal"));
                    }
                    Some(Constraint::HasValue(object.into_owned()))
                }
                p if p == sh::NODE => Some(Constraint::Node(Box::new(self.nested(id, predicate, object)?))),
                p if p == sh::NOT => Some(Constraint::Not(Box::new(self.nested(id, predicate, object)?))),
                p if p == sh::AND || p == sh::OR || p == sh::XONE => {
                    let members = self
                        .list(id, object)?
                        .into_iter()
                        .map(|member| self.nested(id, predicate, member))
                        .collect::<Result<Vec<_>, _>>()?;
                    Some(if p == sh::AND {
                        Constraint::And(members)
                    } else if p == sh::OR {
                        Constraint::Or(members)
                    } else {
                        Constraint::Xone(members)
                    })
                }
                p if p == sh::QUALIFIED_VALUE_SHAPE => {
                    qualified_shape = Some(self.nested(id, predicate, object)?);
                    None
                }
                p if p == sh::QUALIFIED_MIN_COUNT => {
                    qualified_min = Some(self.count(id, predicate, object)?);
                    None
                }
                p if p == sh::QUALIFIED_MAX_COUNT => {
                    qualified_max = Some(self.count(id, predicate, object)?);
                    None
                }
                p if p == sh::QUALIFIED_VALUE_SHAPES_DISJOINT => {
                    if self.boolean(id, predicate, object)? {
                        return Err(self.fail(
                            id,
                            "sh:qualifiedValueShapesDisjoint true is not supported",
                        ));
                    }
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
            shape
                .constraints
                .push(Constraint::Pattern { pattern, flags });
        } else if flags.is_some() {
            return Err(self.fail(id, "sh:flags without sh:pattern"));
        }
        match (qualified_shape, qualified_min, qualified_max) {
            (None, None, None) => {}
            (Some(_), None, None) => {
                return Err(self.fail(
                    id,
                    "sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount",
                ))
            }
            (Some(qualified), min, max) => {
                if let Some(count) = min {
                    shape.constraints.push(Constraint::QualifiedMinCount {
                        shape: Box::new(qualified.clone()),
                        count,
                    });
                }
                if let Some(count) = max {
                    shape.constraints.push(Constraint::QualifiedMaxCount {
                        shape: Box::new(qualified),
                        count,
                    });
                }
            }
            (None, _, _) => {
                return Err(self.fail(
                    id,
                    "sh:qualifiedMinCount and sh:qualifiedMaxCount need sh:qualifiedValueShape",
                ))
            }
        }
        labels.sort();
        shape.label = labels.into_iter().next().map(|(_, label)| label);
        shape.targets.sort_by_key(|t| format!("{t:?}"));
        shape.targets.dedup();
        shape.properties.sort_by_key(|p| p.id.to_string());
        if shape.path.is_none() {
            if let Some(c) = shape.constraints.iter().find(|c| !c.is_per_value()) {
                return Err(self.fail(
                    id,
                    format!(
                        "{} applies to property shapes only (add an sh:path)",
                        c.component()
                    ),
                ));
            }
        }
        if nested && (shape.path.is_some() || !shape.properties.is_empty()) {
            return Err(self.fail(
                id,
                "shapes inside sh:node, sh:not, sh:and, sh:or, sh:xone and sh:qualifiedValueShape may only test the value node itself (no sh:path, no sh:property)",
            ));
        }
        Ok(shape)
    }

    fn nested(
        &mut self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Shape, ValidateError> {
        let node = self.node(id, predicate, object)?;
        self.shape(node.as_ref(), true)
    }

    fn node(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<NamedOrBlankNode, ValidateError> {
        match object {
            TermRef::NamedNode(n) => Ok(n.into_owned().into()),
            TermRef::BlankNode(b) => Ok(b.into_owned().into()),
            _ => Err(self.fail(
                id,
                format!("{predicate} must be a shape (an IRI or a blank node)"),
            )),
        }
    }

    fn iri(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<NamedNode, ValidateError> {
        match object {
            TermRef::NamedNode(n) => Ok(n.into_owned()),
            _ => Err(self.fail(id, format!("{predicate} must be an IRI, not {object}"))),
        }
    }

    fn literal(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Term, ValidateError> {
        match object {
            TermRef::Literal(l) => Ok(l.into_owned().into()),
            _ => Err(self.fail(id, format!("{predicate} must be a literal, not {object}"))),
        }
    }

    fn string(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<String, ValidateError> {
        match object {
            TermRef::Literal(l) => Ok(l.value().to_owned()),
            _ => Err(self.fail(id, format!("{predicate} must be a string, not {object}"))),
        }
    }

    fn count(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<u64, ValidateError> {
        match object {
            TermRef::Literal(l) => l.value().trim_start_matches('+').parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            self.fail(
                id,
                format!("{predicate} must be a non-negative integer, not {object}"),
            )
        })
    }

    fn boolean(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<bool, ValidateError> {
        match object {
            TermRef::Literal(l) if matches!(l.value(), "true" | "1") => Ok(true),
            TermRef::Literal(l) if matches!(l.value(), "false" | "0") => Ok(false),
            _ => Err(self.fail(id, format!("{predicate} must be a boolean, not {object}"))),
        }
    }

    /// The members of the RDF list `head`.
    fn list(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        head: TermRef<'g>,
    ) -> Result<Vec<TermRef<'g>>, ValidateError> {
        let mut items = Vec::new();
        let mut node = head;
        while node != rdf::NIL.into() {
            let cell = match node {
                TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                _ => return Err(self.fail(id, format!("{node} is not an RDF list"))),
            };
            let first = self.graph.object_for_subject_predicate(cell, rdf::FIRST);
            let rest = self.graph.object_for_subject_predicate(cell, rdf::REST);
            let (Some(first), Some(rest)) = (first, rest) else {
                return Err(self.fail(id, format!("{node} is not a well-formed RDF list")));
            };
            items.push(first);
            if items.len() > LIMIT {
                return Err(self.fail(id, "an RDF list does not end (cycle?)"));
            }
            node = rest;
        }
        Ok(items)
    }

    /// Reads the SHACL path at `node`.
    fn path(
        &self,
        id: NamedOrBlankNodeRef<'_>,
        node: TermRef<'g>,
        depth: usize,
    ) -> Result<Path, ValidateError> {
        if depth > 64 {
            return Err(self.fail(id, "the sh:path is nested too deeply (cycle?)"));
        }
        let blank = match node {
            TermRef::NamedNode(n) => return Ok(Path::Predicate(n.into_owned())),
            TermRef::BlankNode(b) => b,
            _ => return Err(self.fail(id, format!("{node} is not a SHACL path"))),
        };
        let subject = NamedOrBlankNodeRef::from(blank);
        if self
            .graph
            .object_for_subject_predicate(subject, rdf::FIRST)
            .is_some()
        {
            let steps = self
                .list(id, node)?
                .into_iter()
                .map(|step| self.path(id, step, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            let mut steps = steps;
            return match steps.len() {
                0 => Err(self.fail(id, "an empty sequence path")),
                1 => Ok(steps.remove(0)),
                _ => Ok(Path::Sequence(steps)),
            };
        }
        let single = |predicate: NamedNodeRef<'_>| {
            self.graph.object_for_subject_predicate(subject, predicate)
        };
        if let Some(inner) = single(sh::INVERSE_PATH) {
            return Ok(Path::Inverse(Box::new(self.path(id, inner, depth + 1)?)));
        }
        if let Some(list) = single(sh::ALTERNATIVE_PATH) {
            let options = self
                .list(id, list)?
                .into_iter()
                .map(|option| self.path(id, option, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            if options.is_empty() {
                return Err(self.fail(id, "an empty sh:alternativePath"));
            }
            return Ok(Path::Alternative(options));
        }
        if let Some(inner) = single(sh::ZERO_OR_MORE_PATH) {
            return Ok(Path::ZeroOrMore(Box::new(self.path(
                id,
                inner,
                depth + 1,
            )?)));
        }
        if let Some(inner) = single(sh::ONE_OR_MORE_PATH) {
            return Ok(Path::OneOrMore(Box::new(self.path(
                id,
                inner,
                depth + 1,
            )?)));
        }
        if let Some(inner) = single(sh::ZERO_OR_ONE_PATH) {
            return Ok(Path::ZeroOrOne(Box::new(self.path(
                id,
                inner,
                depth + 1,
            )?)));
        }
        Err(self.fail(id, format!("{node} is not a SHACL path")))
    }
}
