//! Whether a literal is well-formed: its lexical form is in the lexical
//! space of its datatype, for every XSD datatype RDF 1.1 lists (and
//! `rdf:langString`). `sh:datatype` fails on ill-formed literals, so
//! `"c"^^xsd:byte` and `"300"^^xsd:byte` are not `xsd:byte`s.
//!
//! Numbers and strings are checked here by their XSD grammar and range
//! (`xsd:integer` is unbounded, so no machine integer is used); dates,
//! times and durations by `oxsdatatypes`, the parser oxigraph itself uses,
//! which checks their ranges (months, days of the month, leap years,
//! timezones).

use oxigraph::model::vocab::rdf;
use oxigraph::model::LiteralRef;
use oxsdatatypes::{
    Date, DateTime, DayTimeDuration, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth, Time,
    YearMonthDuration,
};
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Whether `literal` is well-formed for its datatype. Literals of
/// datatypes that are not listed by RDF 1.1 are taken as well-formed.
pub(crate) fn well_formed(literal: LiteralRef<'_>) -> bool {
    let value = literal.value();
    let datatype = literal.datatype();
    if datatype == rdf::LANG_STRING {
        return literal.language().is_some();
    }
    let Some(name) = datatype.as_str().strip_prefix(XSD) else {
        return true;
    };
    match name {
        "string" => chars(value),
        "normalizedString" => normalized(value),
        "token" => token(value),
        "language" => language(value),
        "NMTOKEN" => !value.is_empty() && value.chars().all(name_char),
        "Name" => xml_name(value),
        "NCName" => xml_name(value) && !value.contains(':'),
        "anyURI" => chars(value),
        "boolean" => matches!(value, "true" | "false" | "1" | "0"),
        "decimal" => decimal(value),
        "float" | "double" => floating(value),
        "integer" => integer(value).is_some(),
        "nonNegativeInteger" => in_range(value, Some(0), None),
        "positiveInteger" => in_range(value, Some(1), None),
        "nonPositiveInteger" => in_range(value, None, Some(0)),
        "negativeInteger" => in_range(value, None, Some(-1)),
        "long" => in_range(value, Some(i64::MIN.into()), Some(i64::MAX.into())),
        "int" => in_range(value, Some(i32::MIN.into()), Some(i32::MAX.into())),
        "short" => in_range(value, Some(i16::MIN.into()), Some(i16::MAX.into())),
        "byte" => in_range(value, Some(i8::MIN.into()), Some(i8::MAX.into())),
        "unsignedLong" => in_range(value, Some(0), Some(u64::MAX.into())),
        "unsignedInt" => in_range(value, Some(0), Some(u32::MAX.into())),
        "unsignedShort" => in_range(value, Some(0), Some(u16::MAX.into())),
        "unsignedByte" => in_range(value, Some(0), Some(u8::MAX.into())),
        "hexBinary" => value.len() % 2 == 0 && value.bytes().all(|b| b.is_ascii_hexdigit()),
        "base64Binary" => base64(value),
        "date" => Date::from_str(value).is_ok(),
        "time" => Time::from_str(value).is_ok(),
        "dateTime" => DateTime::from_str(value).is_ok(),
        "dateTimeStamp" => DateTime::from_str(value).is_ok_and(|d| d.timezone_offset().is_some()),
        "gYear" => GYear::from_str(value).is_ok(),
        "gMonth" => GMonth::from_str(value).is_ok(),
        "gDay" => GDay::from_str(value).is_ok(),
        "gYearMonth" => GYearMonth::from_str(value).is_ok(),
        "gMonthDay" => GMonthDay::from_str(value).is_ok(),
        "duration" => Duration::from_str(value).is_ok(),
        "yearMonthDuration" => YearMonthDuration::from_str(value).is_ok(),
        "dayTimeDuration" => DayTimeDuration::from_str(value).is_ok(),
        _ => true,
    }
}

/// XML's `Char`: no control characters but tab, line feed and carriage
/// return, no U+FFFE or U+FFFF.
fn chars(value: &str) -> bool {
    value.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    })
}

/// `xsd:normalizedString`: no carriage return, line feed or tab.
fn normalized(value: &str) -> bool {
    chars(value) && !value.contains(['\r', '\n', '\t'])
}

/// `xsd:token`: normalized, no leading, trailing or double space.
fn token(value: &str) -> bool {
    normalized(value) && !value.starts_with(' ') && !value.ends_with(' ') && !value.contains("  ")
}

/// `xsd:language`: `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`.
fn language(value: &str) -> bool {
    value.split('-').enumerate().all(|(n, part)| {
        (1..=8).contains(&part.len())
            && if n == 0 {
                part.bytes().all(|b| b.is_ascii_alphabetic())
            } else {
                part.bytes().all(|b| b.is_ascii_alphanumeric())
            }
    })
}

/// XML's `NameStartChar`.
fn name_start_char(c: char) -> bool {
    matches!(c, ':' | '_' | 'A'..='Z' | 'a'..='z')
        || matches!(c,
            '\u{C0}'..='\u{D6}'
            | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{2FF}'
            | '\u{370}'..='\u{37D}'
            | '\u{37F}'..='\u{1FFF}'
            | '\u{200C}'..='\u{200D}'
            | '\u{2070}'..='\u{218F}'
            | '\u{2C00}'..='\u{2FEF}'
            | '\u{3001}'..='\u{D7FF}'
            | '\u{F900}'..='\u{FDCF}'
            | '\u{FDF0}'..='\u{FFFD}'
            | '\u{10000}'..='\u{EFFFF}')
}

/// XML's `NameChar`.
fn name_char(c: char) -> bool {
    name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// XML's `Name`.
fn xml_name(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next().is_some_and(name_start_char) && chars.all(name_char)
}

/// The digits of an `xsd:integer` lexical form (`[+-]?[0-9]+`), with its
/// sign: `(negative, digits without leading zeros)`.
fn integer(value: &str) -> Option<(bool, &str)> {
    let (negative, digits) = match value.as_bytes().first()? {
        b'+' => (false, &value[1..]),
        b'-' => (true, &value[1..]),
        _ => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((negative, digits.trim_start_matches('0')))
}

/// Whether `value` is an integer within `[min, max]` (bounds that fit in
/// an `i128`; a number too long for one is out of any bounded range).
fn in_range(value: &str, min: Option<i128>, max: Option<i128>) -> bool {
    let Some((negative, digits)) = integer(value) else {
        return false;
    };
    if digits.len() > 38 {
        // Beyond every bounded XSD integer type, but fine if unbounded
        // on that side.
        return if negative {
            min.is_none()
        } else {
            max.is_none()
        };
    }
    let magnitude: i128 = if digits.is_empty() {
        0
    } else {
        match digits.parse() {
            Ok(n) => n,
            Err(_) => return false,
        }
    };
    let number = if negative { -magnitude } else { magnitude };
    min.is_none_or(|min| number >= min) && max.is_none_or(|max| number <= max)
}

/// `xsd:decimal`: `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)`.
fn decimal(value: &str) -> bool {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && fraction.is_none_or(digits)
        && !(whole.is_empty() && fraction.is_none_or(str::is_empty))
}

/// `xsd:float` and `xsd:double`: a decimal with an optional exponent, or
/// `INF`, `+INF`, `-INF`, `NaN`.
fn floating(value: &str) -> bool {
    if matches!(value, "INF" | "+INF" | "-INF" | "NaN") {
        return true;
    }
    let (mantissa, exponent) = match value.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (value, None),
    };
    decimal(mantissa) && exponent.is_none_or(|e| integer(e).is_some())
}

/// `xsd:base64Binary`: groups of four base64 characters (single spaces
/// allowed between characters), the last possibly padded with `=`.
fn base64(value: &str) -> bool {
    if value.starts_with(' ') || value.ends_with(' ') || value.contains("  ") {
        return false;
    }
    let compact: Vec<u8> = value.bytes().filter(|b| *b != b' ').collect();
    if compact.len() % 4 != 0 {
        return false;
    }
    let is_b64 = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let padding = compact.iter().rev().take_while(|b| **b == b'=').count();
    let body = &compact[..compact.len() - padding];
    if padding > 2 || !body.iter().all(|b| is_b64(*b)) {
        return false;
    }
    // The last character before the padding may only carry the bits that
    // the decoded bytes use.
    match (padding, body.last()) {
        (1, Some(last)) => b"AEIMQUYcgkosw048".contains(last),
        (2, Some(last)) => b"AQgw".contains(last),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNodeRef};

    fn ok(value: &str, datatype: &str) -> bool {
        let datatype = NamedNodeRef::new_unchecked(datatype);
        well_formed(Literal::new_typed_literal(value, datatype).as_ref())
    }

    #[test]
    fn numbers_are_checked_by_lexical_form_and_range() {
        let x = |name: &str| format!("{XSD}{name}");
        for (value, name, expected) in [
            ("c", "byte", false),
            ("300", "byte", false),
            ("-128", "byte", true),
            ("127", "byte", true),
            ("+0", "positiveInteger", false),
            ("-0", "nonNegativeInteger", true),
            ("18446744073709551615", "unsignedLong", true),
            ("18446744073709551616", "unsignedLong", false),
            (
                "123456789012345678901234567890123456789012",
                "integer",
                true,
            ),
            ("123456789012345678901234567890123456789012", "long", false),
            ("-5", "unsignedInt", false),
            (" 5", "integer", false),
            ("1.", "decimal", true),
            (".5", "decimal", true),
            (".", "decimal", false),
            ("1e5", "double", true),
            ("-INF", "float", true),
            ("inf", "double", false),
            ("1e", "double", false),
        ] {
            assert_eq!(ok(value, &x(name)), expected, "{value:?}^^xsd:{name}");
        }
    }

    #[test]
    fn strings_dates_and_binaries() {
        let x = |name: &str| format!("{XSD}{name}");
        for (value, name, expected) in [
            ("en-GB", "language", true),
            ("englishes-x", "language", false),
            ("a b", "token", true),
            (" a", "token", false),
            ("a\tb", "normalizedString", false),
            ("a:b", "Name", true),
            ("a:b", "NCName", false),
            ("1a", "NCName", false),
            ("0FB7", "hexBinary", true),
            ("0FB", "hexBinary", false),
            ("aGVsbG8=", "base64Binary", true),
            ("aGVsbG8", "base64Binary", false),
            ("2007-13-01", "date", false),
            ("2007-02-29", "date", false),
            ("2008-02-29", "date", true),
            ("2002-10-10T12:00:00", "dateTimeStamp", false),
            ("2002-10-10T12:00:00Z", "dateTimeStamp", true),
            ("P1Y2M", "yearMonthDuration", true),
            ("P1D", "yearMonthDuration", false),
            ("--05", "gMonth", true),
            ("---32", "gDay", false),
        ] {
            assert_eq!(ok(value, &x(name)), expected, "{value:?}^^xsd:{name}");
        }
    }
}
