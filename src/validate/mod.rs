//! SHACL Core validation, in process.
//!
//! polegraph reads the shapes graph ([`Shapes`]) and evaluates every SHACL
//! Core constraint component over an in-memory data graph (an oxigraph
//! [`Graph`]), walking paths and checking values itself rather than through
//! SPARQL: [`validate_graph`] validates a graph whose literals are kept as
//! written (`"5"^^xsd:int` stays an `xsd:int`), which is how `sh:datatype`
//! must see them; [`validate`] validates the union of the named graphs of
//! a store (the same triples as the Turtle export, ontology included, so
//! `sh:class` sees the `rdfs:subClassOf` axioms). [`ValidationReport`]
//! collects the `sh:ValidationResult`s.
//!
//! The engine passes the whole W3C SHACL Core test suite
//! (`tests/shacl_core.rs`); what it refuses (SHACL-SPARQL, recursive
//! shapes) is listed in `docs/validate.md` and refused with
//! [`ValidateError::Shape`] rather than half-checked.

mod compare;
mod data;
mod datatypes;
mod engine;
mod messages;
mod path;
mod reader;
mod report;
mod shapes;

pub use path::Path;
pub use report::{CheckedShape, ValidationReport, ValidationResult};
pub use shapes::{Constraint, Shape, ShapeId, Shapes, Target};

use crate::error::ValidateError;
use engine::{Engine, Report};
use oxigraph::model::{Graph, TripleRef};
use oxigraph::store::Store;

/// The shapes polegraph ships (`ontology/shapes.ttl`), embedded.
pub const SHAPES_TTL: &str = include_str!("../../ontology/shapes.ttl");

/// The namespace of polegraph's shapes, for reports.
pub const SHAPES_NAMESPACE: &str = "https://example.org/polegraph/shapes#";

/// The shipped shapes, read.
pub fn builtin_shapes() -> Result<Shapes, ValidateError> {
    Shapes::parse(SHAPES_TTL)
}

/// Validates the union of the named graphs of `store` against `shapes`.
///
/// The store holds literals of the numeric, date and time datatypes by
/// value: it keeps `"5"^^xsd:int` as `"5"^^xsd:integer` and `"+05"^^xsd:integer`
/// as `"5"`, so this validates the graph as the store (and so every export
/// of it) holds it. To validate literals as written, read them into a
/// [`Graph`] and use [`validate_graph`].
pub fn validate(store: &Store, shapes: &Shapes) -> Result<ValidationReport, ValidateError> {
    let mut graph = Graph::new();
    for quad in store.iter() {
        let quad = quad?;
        if quad.graph_name.is_default_graph() {
            continue;
        }
        graph.insert(TripleRef::new(
            quad.subject.as_ref(),
            quad.predicate.as_ref(),
            quad.object.as_ref(),
        ));
    }
    Ok(validate_graph(&graph, shapes))
}

/// Validates `data` against `shapes`, each literal with its datatype and
/// lexical form as written.
pub fn validate_graph(data: &Graph, shapes: &Shapes) -> ValidationReport {
    let engine = Engine::new(data::DataGraph::new(data), shapes);
    let mut results = Vec::new();
    let mut checked = Vec::new();
    for &id in &shapes.roots {
        let root = shapes.shape(id);
        if root.deactivated {
            continue;
        }
        let focus_nodes = engine.focus_nodes(root);
        checked.push(CheckedShape {
            shape: root.id.clone(),
            label: root.label.clone(),
            focus_nodes: focus_nodes.len(),
        });
        let mut report = Report {
            root,
            results: &mut results,
        };
        for focus in &focus_nodes {
            engine.validate(id, focus, Some(&mut report));
        }
    }
    ValidationReport::new(results, checked)
}
