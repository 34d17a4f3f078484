//! SHACL validation of the built graph, in process.
//!
//! polegraph reads the shapes graph ([`Shapes`]) and evaluates each
//! constraint component of SHACL Core as one generated SPARQL query over
//! the store, whose default graph is the union of the named graphs (the
//! same triples as the Turtle export, ontology included, so `sh:class`
//! sees the `rdfs:subClassOf` axioms). Each query selects the focus nodes
//! (and values) that violate the constraint; [`ValidationReport`] collects
//! them as `sh:ValidationResult`s.
//!
//! The components covered are listed in `docs/validate.md`; a shapes graph
//! using anything else is refused with [`ValidateError::Shape`] rather than
//! half-checked.

mod report;
mod shapes;

pub use report::{CheckedShape, ValidationReport, ValidationResult};
pub use shapes::{Constraint, Path, Shape, Shapes, Target};

use crate::error::ValidateError;
use crate::vocab::sh;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNodeRef, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

/// The shapes polegraph ships (`ontology/shapes.ttl`), embedded.
pub const SHAPES_TTL: &str = include_str!("../../ontology/shapes.ttl");

/// The namespace of polegraph's shapes, for reports.
pub const SHAPES_NAMESPACE: &str = "https://example.org/polegraph/shapes#";

/// The shipped shapes, read.
pub fn builtin_shapes() -> Result<Shapes, ValidateError> {
    Shapes::parse(SHAPES_TTL)
}

/// Validates the union of the graphs of `store` against `shapes`.
pub fn validate(store: &Store, shapes: &Shapes) -> Result<ValidationReport, ValidateError> {
    let mut engine = Engine {
        store,
        results: Vec::new(),
    };
    let mut checked = Vec::new();
    for root in shapes.roots() {
        if root.deactivated {
            continue;
        }
        let focus = Focus::Targets(&root.targets);
        let count = engine.count(root, &focus)?;
        checked.push(CheckedShape {
            shape: root.id.clone(),
            label: root.label.clone(),
            focus_nodes: count,
        });
        if count > 0 {
            engine.shape(root, root, &focus)?;
        }
    }
    Ok(ValidationReport::new(engine.results, checked))
}

/// The focus nodes of a shape, as a SPARQL pattern.
enum Focus<'a> {
    /// The targets of a root shape.
    Targets(&'a [Target]),
    /// The value nodes of `path` from the focus nodes of a property shape
    /// (the focus nodes of the property shapes nested in it).
    ValuesOf(&'a Focus<'a>, &'a Path),
}

impl Focus<'_> {
    /// A group pattern binding `?{var}` to each focus node once.
    fn pattern(&self, var: &str) -> String {
        match self {
            Focus::Targets(targets) => {
                let alternatives: Vec<String> = targets
                    .iter()
                    .map(|target| match target {
                        Target::Class(class) => format!(
                            "{{ ?{var} <{}>/<{}>* {class} }}",
                            oxigraph::model::vocab::rdf::TYPE.as_str(),
                            oxigraph::model::vocab::rdfs::SUB_CLASS_OF.as_str()
                        ),
                        Target::Node(node) => format!("{{ VALUES ?{var} {{ {node} }} }}"),
                        Target::SubjectsOf(p) => format!("{{ ?{var} {p} ?{var}_object }}"),
                        Target::ObjectsOf(p) => format!("{{ ?{var}_subject {p} ?{var} }}"),
                    })
                    .collect();
                if alternatives.is_empty() {
                    return format!("{{ VALUES ?{var} {{ }} }}");
                }
                format!(
                    "{{ SELECT DISTINCT ?{var} WHERE {{ {} }} }}",
                    alternatives.join(" UNION ")
                )
            }
            Focus::ValuesOf(parent, path) => {
                let outer = format!("{var}_parent");
                format!(
                    "{{ SELECT DISTINCT ?{var} WHERE {{ {} ?{outer} {} ?{var} }} }}",
                    parent.pattern(&outer),
                    path.sparql()
                )
            }
        }
    }
}

struct Engine<'a> {
    store: &'a Store,
    results: Vec<ValidationResult>,
}

/// What one generated query reports.
struct Found {
    focus: Term,
    value: Option<Term>,
}

impl Engine<'_> {
    fn run(
        &self,
        shape: &Shape,
        component: &str,
        query: &str,
        value_var: Option<&str>,
    ) -> Result<Vec<Found>, ValidateError> {
        let mut prepared = SparqlEvaluator::new()
            .parse_query(query)
            .map_err(|source| ValidateError::Query {
                shape: shape.id.to_string(),
                component: component.to_owned(),
                source,
            })?;
        prepared.dataset_mut().set_default_graph_as_union();
        let QueryResults::Solutions(solutions) = prepared.on_store(self.store).execute()? else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for solution in solutions {
            let solution = solution?;
            let Some(focus) = solution.get("this") else {
                continue;
            };
            found.push(Found {
                focus: focus.clone(),
                value: value_var.and_then(|v| solution.get(v)).cloned(),
            });
        }
        Ok(found)
    }

    /// The number of focus nodes of a root shape.
    fn count(&self, shape: &Shape, focus: &Focus<'_>) -> Result<usize, ValidateError> {
        let query = format!("SELECT ?this WHERE {{ {} }}", focus.pattern("this"));
        Ok(self.run(shape, "targets", &query, None)?.len())
    }

    /// Evaluates `shape` (and the property shapes it holds) on `focus`.
    fn shape(
        &mut self,
        shape: &Shape,
        root: &Shape,
        focus: &Focus<'_>,
    ) -> Result<(), ValidateError> {
        if shape.deactivated {
            return Ok(());
        }
        let this = focus.pattern("this");
        for constraint in &shape.constraints {
            let component = constraint.component();
            let (query, value) = match &shape.path {
                None => {
                    let test = condition(constraint, "?this").unwrap_or_else(|| "true".into());
                    (
                        format!("SELECT DISTINCT ?this WHERE {{ {this} FILTER(!{test}) }}"),
                        Some("this"),
                    )
                }
                Some(path) => match property_query(constraint, &this, &path.sparql()) {
                    Some(query) => query,
                    None => continue,
                },
            };
            let messages = if shape.messages.is_empty() {
                vec![
                    oxigraph::model::Literal::new_language_tagged_literal_unchecked(
                        default_message(constraint),
                        "en",
                    ),
                ]
            } else {
                shape.messages.clone()
            };
            for found in self.run(shape, component.as_str(), &query, value)? {
                let value = match (&shape.path, found.value) {
                    (None, _) => Some(found.focus.clone()),
                    (Some(_), value) => value,
                };
                self.results.push(ValidationResult {
                    focus: found.focus,
                    path: shape.path.clone(),
                    path_node: shape.path_node.clone(),
                    value,
                    component: component.clone(),
                    source_shape: shape.id.clone(),
                    root_shape: root.id.clone(),
                    root_label: root.label.clone(),
                    severity: shape.severity.clone(),
                    messages: messages.clone(),
                });
            }
        }
        match &shape.path {
            None => {
                for property in &shape.properties {
                    self.shape(property, root, focus)?;
                }
            }
            Some(path) => {
                let values = Focus::ValuesOf(focus, path);
                for property in &shape.properties {
                    self.shape(property, root, &values)?;
                }
            }
        }
        Ok(())
    }
}

/// The query that finds the violations of a constraint of a property
/// shape: `?this` the focus node, and `?value` the value node when the
/// result has one. `None` when the constraint cannot be violated.
fn property_query(
    constraint: &Constraint,
    this: &str,
    path: &str,
) -> Option<(String, Option<&'static str>)> {
    let counted = |filter: &str, optional: bool, comparison: &str| {
        let values = if optional {
            format!("OPTIONAL {{ ?this {path} ?value {filter} }}")
        } else {
            format!("?this {path} ?value {filter}")
        };
        format!(
            "SELECT ?this WHERE {{ {this} {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {comparison})"
        )
    };
    let query = match constraint {
        Constraint::MinCount(0) | Constraint::QualifiedMinCount { count: 0, .. } => return None,
        Constraint::MinCount(n) => (counted("", true, &format!("< {n}")), None),
        Constraint::MaxCount(n) => (counted("", false, &format!("> {n}")), None),
        Constraint::QualifiedMinCount { shape, count } => (
            counted(
                &format!("FILTER({})", conforms(shape, "?value")),
                true,
                &format!("< {count}"),
            ),
            None,
        ),
        Constraint::QualifiedMaxCount { shape, count } => (
            counted(
                &format!("FILTER({})", conforms(shape, "?value")),
                false,
                &format!("> {count}"),
            ),
            None,
        ),
        Constraint::UniqueLang => (
            format!(
                "SELECT DISTINCT ?this ?lang WHERE {{ {this} ?this {path} ?a . ?this {path} ?b \
                 FILTER(isLiteral(?a) && isLiteral(?b) && !sameTerm(?a, ?b) && lang(?a) != \"\" \
                 && LCASE(lang(?a)) = LCASE(lang(?b))) BIND(LCASE(lang(?a)) AS ?lang) }}"
            ),
            None,
        ),
        Constraint::HasValue(value) => (
            format!("SELECT ?this WHERE {{ {this} FILTER NOT EXISTS {{ ?this {path} {value} }} }}"),
            None,
        ),
        other => {
            let test = condition(other, "?value")?;
            (
                format!(
                    "SELECT DISTINCT ?this ?value WHERE {{ {this} ?this {path} ?value FILTER(!{test}) }}"
                ),
                Some("value"),
            )
        }
    };
    Some(query)
}

/// Whether the value `var` conforms to a nested shape (one that tests the
/// value node only; [`Shapes`] refuses others).
fn conforms(shape: &Shape, var: &str) -> String {
    if shape.deactivated {
        return "true".into();
    }
    let tests: Vec<String> = shape
        .constraints
        .iter()
        .filter_map(|c| condition(c, var))
        .collect();
    if tests.is_empty() {
        "true".into()
    } else {
        format!("({})", tests.join(" && "))
    }
}

/// The SPARQL expression that holds when the value `var` satisfies a
/// per-value constraint (never an error: errors count as false, so a
/// value that cannot be compared is a violation, as SHACL says). `None`
/// for the constraints on a set of values.
fn condition(constraint: &Constraint, var: &str) -> Option<String> {
    let quote =
        |text: &str| Term::from(oxigraph::model::Literal::new_simple_literal(text)).to_string();
    let test = match constraint {
        Constraint::Class(class) => format!(
            "EXISTS {{ {var} <{}>/<{}>* {class} }}",
            oxigraph::model::vocab::rdf::TYPE.as_str(),
            oxigraph::model::vocab::rdfs::SUB_CLASS_OF.as_str()
        ),
        Constraint::Datatype(datatype) => {
            let mut test = format!("isLiteral({var}) && sameTerm(datatype({var}), {datatype})");
            if castable(datatype.as_ref()) {
                // Ill-formed literals ("2007-13-01"^^xsd:date) are violations.
                test.push_str(&format!(
                    " && sameTerm(datatype({datatype}(STR({var}))), {datatype})"
                ));
            }
            test
        }
        Constraint::NodeKind(kind) => {
            let kind = kind.as_ref();
            let test = if kind == sh::IRI {
                "isIRI"
            } else if kind == sh::BLANK_NODE {
                "isBlank"
            } else if kind == sh::LITERAL {
                "isLiteral"
            } else if kind == sh::BLANK_NODE_OR_IRI {
                "!isLiteral"
            } else if kind == sh::BLANK_NODE_OR_LITERAL {
                "!isIRI"
            } else {
                "!isBlank"
            };
            format!("{test}({var})")
        }
        Constraint::MinLength(n) => format!("!isBlank({var}) && STRLEN(STR({var})) >= {n}"),
        Constraint::MaxLength(n) => format!("!isBlank({var}) && STRLEN(STR({var})) <= {n}"),
        Constraint::MinExclusive(bound) => format!("{var} > {bound}"),
        Constraint::MinInclusive(bound) => format!("{var} >= {bound}"),
        Constraint::MaxExclusive(bound) => format!("{var} < {bound}"),
        Constraint::MaxInclusive(bound) => format!("{var} <= {bound}"),
        Constraint::Pattern { pattern, flags } => format!(
            "!isBlank({var}) && REGEX(STR({var}), {}, {})",
            quote(pattern),
            quote(flags.as_deref().unwrap_or(""))
        ),
        Constraint::LanguageIn(tags) => {
            let tests: Vec<String> = tags
                .iter()
                .map(|tag| format!("langMatches(lang({var}), {})", quote(tag)))
                .collect();
            if tests.is_empty() {
                "false".into()
            } else {
                format!("isLiteral({var}) && ({})", tests.join(" || "))
            }
        }
        Constraint::In(values) => {
            let tests: Vec<String> = values
                .iter()
                .map(|value| format!("sameTerm({var}, {value})"))
                .collect();
            if tests.is_empty() {
                "false".into()
            } else {
                tests.join(" || ")
            }
        }
        Constraint::HasValue(value) => format!("sameTerm({var}, {value})"),
        Constraint::Node(shape) => conforms(shape, var),
        Constraint::Not(shape) => format!("!{}", conforms(shape, var)),
        Constraint::And(shapes) => {
            let tests: Vec<String> = shapes.iter().map(|s| conforms(s, var)).collect();
            if tests.is_empty() {
                "true".into()
            } else {
                tests.join(" && ")
            }
        }
        Constraint::Or(shapes) => {
            let tests: Vec<String> = shapes.iter().map(|s| conforms(s, var)).collect();
            if tests.is_empty() {
                "false".into()
            } else {
                tests.join(" || ")
            }
        }
        Constraint::Xone(shapes) => {
            let tests: Vec<String> = shapes
                .iter()
                .map(|s| format!("IF({}, 1, 0)", conforms(s, var)))
                .collect();
            if tests.is_empty() {
                "false".into()
            } else {
                format!("({}) = 1", tests.join(" + "))
            }
        }
        Constraint::MinCount(_)
        | Constraint::MaxCount(_)
        | Constraint::UniqueLang
        | Constraint::QualifiedMinCount { .. }
        | Constraint::QualifiedMaxCount { .. } => return None,
    };
    Some(format!("COALESCE(({test}), false)"))
}

/// The XSD datatypes whose lexical forms SPARQL can check by a cast.
fn castable(datatype: NamedNodeRef<'_>) -> bool {
    [
        xsd::BOOLEAN,
        xsd::INTEGER,
        xsd::DECIMAL,
        xsd::DOUBLE,
        xsd::FLOAT,
        xsd::DATE,
        xsd::DATE_TIME,
        xsd::TIME,
    ]
    .contains(&datatype)
}

/// The message of a result whose shape has no `sh:message`.
fn default_message(constraint: &Constraint) -> String {
    let shape_name = |shape: &Shape| match &shape.id {
        oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.to_string(),
        oxigraph::model::NamedOrBlankNode::BlankNode(_) => "a nested shape".to_owned(),
    };
    let list = |values: &[Term]| {
        values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match constraint {
        Constraint::Class(class) => format!("the value is not an instance of {class}"),
        Constraint::Datatype(datatype) => {
            format!("the value is not a well-formed literal of datatype {datatype}")
        }
        Constraint::NodeKind(kind) => format!("the value is not of node kind {kind}"),
        Constraint::MinCount(n) => format!("fewer than {n} values"),
        Constraint::MaxCount(n) => format!("more than {n} values"),
        Constraint::MinLength(n) => format!("the value is shorter than {n} characters"),
        Constraint::MaxLength(n) => format!("the value is longer than {n} characters"),
        Constraint::MinExclusive(bound) => format!("the value is not greater than {bound}"),
        Constraint::MinInclusive(bound) => format!("the value is less than {bound}"),
        Constraint::MaxExclusive(bound) => format!("the value is not less than {bound}"),
        Constraint::MaxInclusive(bound) => format!("the value is greater than {bound}"),
        Constraint::Pattern { pattern, flags } => format!(
            "the value does not match the pattern {pattern:?}{}",
            flags
                .as_deref()
                .map(|f| format!(" (flags {f:?})"))
                .unwrap_or_default()
        ),
        Constraint::LanguageIn(tags) => {
            format!("the value's language tag is not one of {}", tags.join(", "))
        }
        Constraint::UniqueLang => "two values share a language tag".to_owned(),
        Constraint::In(values) => format!("the value is not one of {}", list(values)),
        Constraint::HasValue(value) => format!("the value {value} is missing"),
        Constraint::Node(shape) => {
            format!("the value does not conform to {}", shape_name(shape))
        }
        Constraint::Not(shape) => format!("the value conforms to {}", shape_name(shape)),
        Constraint::And(_) => "the value does not conform to every listed shape".to_owned(),
        Constraint::Or(_) => "the value conforms to none of the listed shapes".to_owned(),
        Constraint::Xone(_) => "the value does not conform to exactly one listed shape".to_owned(),
        Constraint::QualifiedMinCount { count, .. } => {
            format!("fewer than {count} values conform to the qualified value shape")
        }
        Constraint::QualifiedMaxCount { count, .. } => {
            format!("more than {count} values conform to the qualified value shape")
        }
    }
}
