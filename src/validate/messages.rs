//! The message of a result whose shape has no `sh:message`.

use super::shapes::{Constraint, Shapes};
use oxigraph::model::{NamedOrBlankNode, Term};

pub(crate) fn default_message(shapes: &Shapes, constraint: &Constraint) -> String {
    let shape_name = |id| match &shapes.shape(id).id {
        NamedOrBlankNode::NamedNode(n) => n.to_string(),
        NamedOrBlankNode::BlankNode(_) => "a nested shape".to_owned(),
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
        Constraint::Pattern { pattern, flags, .. } => format!(
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
        Constraint::Equals(p) => format!("the values differ from those of {p}"),
        Constraint::Disjoint(p) => format!("the value is also a value of {p}"),
        Constraint::LessThan(p) => format!("the value is not less than the values of {p}"),
        Constraint::LessThanOrEquals(p) => {
            format!("the value is greater than a value of {p}")
        }
        Constraint::Closed { .. } => "the property is not allowed by the closed shape".to_owned(),
        Constraint::Node(shape) => {
            format!("the value does not conform to {}", shape_name(*shape))
        }
        Constraint::Not(shape) => format!("the value conforms to {}", shape_name(*shape)),
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
