//! The order of values that `sh:minExclusive`, `sh:minInclusive`,
//! `sh:maxExclusive`, `sh:maxInclusive`, `sh:lessThan` and
//! `sh:lessThanOrEquals` use: SPARQL's `<` and `=` on literals, as oxigraph
//! evaluates them. Numbers compare across numeric datatypes (derived
//! integer types included), strings by code point, date and time values on
//! XSD's partial order (a value without a timezone is not comparable with
//! one that has one when they are within 14 hours). Anything else —
//! IRIs, blank nodes, ill-formed literals, values of unrelated datatypes —
//! is not comparable, which the components count as a failure.

use super::datatypes::well_formed;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{LiteralRef, TermRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};
use std::cmp::Ordering;
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// A literal's value, for comparing.
enum Value<'a> {
    String(&'a str),
    LangString(&'a str, &'a str),
    Boolean(Boolean),
    Integer(Integer),
    Decimal(Decimal),
    Float(Float),
    Double(Double),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    GYear(GYear),
    GYearMonth(GYearMonth),
    GMonth(GMonth),
    GMonthDay(GMonthDay),
    GDay(GDay),
    Duration(Duration),
}

const INTEGER_TYPES: [&str; 13] = [
    "integer",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
];

fn value(literal: LiteralRef<'_>) -> Option<Value<'_>> {
    let text = literal.value();
    if let Some(language) = literal.language() {
        return Some(Value::LangString(text, language));
    }
    let datatype = literal.datatype();
    if datatype == xsd::STRING {
        return Some(Value::String(text));
    }
    if datatype == rdf::LANG_STRING || !well_formed(literal) {
        return None;
    }
    let name = datatype.as_str().strip_prefix(XSD)?;
    let parsed = match name {
        n if INTEGER_TYPES.contains(&n) => match Integer::from_str(text) {
            Ok(i) => Value::Integer(i),
            // Beyond 64 bits: compared as a decimal, or not at all.
            Err(_) => Value::Decimal(Decimal::from_str(text).ok()?),
        },
        "decimal" => Value::Decimal(Decimal::from_str(text).ok()?),
        "float" => Value::Float(Float::from_str(text).ok()?),
        "double" => Value::Double(Double::from_str(text).ok()?),
        "boolean" => Value::Boolean(Boolean::from_str(text).ok()?),
        "dateTime" | "dateTimeStamp" => Value::DateTime(DateTime::from_str(text).ok()?),
        "date" => Value::Date(Date::from_str(text).ok()?),
        "time" => Value::Time(Time::from_str(text).ok()?),
        "gYear" => Value::GYear(GYear::from_str(text).ok()?),
        "gYearMonth" => Value::GYearMonth(GYearMonth::from_str(text).ok()?),
        "gMonth" => Value::GMonth(GMonth::from_str(text).ok()?),
        "gMonthDay" => Value::GMonthDay(GMonthDay::from_str(text).ok()?),
        "gDay" => Value::GDay(GDay::from_str(text).ok()?),
        "duration" => Value::Duration(Duration::from_str(text).ok()?),
        "yearMonthDuration" => Value::Duration(YearMonthDuration::from_str(text).ok()?.into()),
        "dayTimeDuration" => Value::Duration(DayTimeDuration::from_str(text).ok()?.into()),
        _ => return None,
    };
    Some(parsed)
}

/// How `a` compares with `b`, or `None` when they are not comparable.
pub(crate) fn compare(a: TermRef<'_>, b: TermRef<'_>) -> Option<Ordering> {
    let (TermRef::Literal(a), TermRef::Literal(b)) = (a, b) else {
        return None;
    };
    use Value as V;
    match (value(a)?, value(b)?) {
        (V::String(a), V::String(b)) => a.partial_cmp(b),
        (V::LangString(a, la), V::LangString(b, lb)) => {
            if la.eq_ignore_ascii_case(lb) {
                a.partial_cmp(b)
            } else {
                None
            }
        }
        (V::Boolean(a), V::Boolean(b)) => bool::from(a).partial_cmp(&bool::from(b)),
        (V::Integer(a), V::Integer(b)) => a.partial_cmp(&b),
        (V::Integer(a), V::Decimal(b)) => Decimal::from(a).partial_cmp(&b),
        (V::Decimal(a), V::Integer(b)) => a.partial_cmp(&Decimal::from(b)),
        (V::Decimal(a), V::Decimal(b)) => a.partial_cmp(&b),
        (a, b) => match (as_double(&a), as_double(&b)) {
            // float with float stays float, any other pair with a
            // floating-point number becomes double, as in XPath.
            (Some(_), Some(_)) => match (a, b) {
                (V::Float(a), V::Float(b)) => a.partial_cmp(&b),
                (a, b) => as_double(&a)?.partial_cmp(&as_double(&b)?),
            },
            _ => temporal(a, b),
        },
    }
}

/// A numeric value as a double.
fn as_double(value: &Value<'_>) -> Option<Double> {
    match value {
        Value::Integer(i) => Some(Double::from(*i)),
        Value::Decimal(d) => Some(Double::from(*d)),
        Value::Float(f) => Some(Double::from(*f)),
        Value::Double(d) => Some(*d),
        _ => None,
    }
}

fn temporal(a: Value<'_>, b: Value<'_>) -> Option<Ordering> {
    use Value as V;
    match (a, b) {
        (V::DateTime(a), V::DateTime(b)) => a.partial_cmp(&b),
        (V::Date(a), V::Date(b)) => a.partial_cmp(&b),
        (V::Time(a), V::Time(b)) => a.partial_cmp(&b),
        (V::GYear(a), V::GYear(b)) => a.partial_cmp(&b),
        (V::GYearMonth(a), V::GYearMonth(b)) => a.partial_cmp(&b),
        (V::GMonth(a), V::GMonth(b)) => a.partial_cmp(&b),
        (V::GMonthDay(a), V::GMonthDay(b)) => a.partial_cmp(&b),
        (V::GDay(a), V::GDay(b)) => a.partial_cmp(&b),
        (V::Duration(a), V::Duration(b)) => a.partial_cmp(&b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Term};

    fn typed(value: &str, name: &str) -> Term {
        Literal::new_typed_literal(value, NamedNode::new_unchecked(format!("{XSD}{name}"))).into()
    }

    #[test]
    fn numbers_compare_across_types_and_dates_by_timezone() {
        let cmp = |a: &Term, b: &Term| compare(a.as_ref(), b.as_ref());
        assert_eq!(
            cmp(&typed("3.9", "decimal"), &typed("4", "integer")),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(&typed("4.0", "decimal"), &typed("4", "int")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            cmp(&typed("1e1", "double"), &typed("9", "byte")),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp(&typed("c", "byte"), &typed("4", "integer")), None);
        assert_eq!(
            cmp(&Literal::from("Hello").into(), &typed("4", "integer")),
            None
        );
        assert_eq!(
            cmp(
                &typed("2002-10-10T12:00:00", "dateTime"),
                &typed("2002-10-10T12:00:00-05:00", "dateTime")
            ),
            None
        );
        assert_eq!(
            cmp(
                &typed("2002-10-09T12:00:00-05:00", "dateTime"),
                &typed("2002-10-10T12:00:00", "dateTime")
            ),
            Some(Ordering::Less)
        );
    }
}
