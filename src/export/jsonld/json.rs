//! The JSON text of a document: a small value tree written with stable
//! key order and the layout people read (short values on one line).

use std::io::{self, Write};

/// A JSON value, written with stable key order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Json {
    String(String),
    /// A number or boolean, written as is.
    Raw(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub(super) fn str(value: impl Into<String>) -> Json {
        Json::String(value.into())
    }

    fn is_scalar(&self) -> bool {
        matches!(self, Json::String(_) | Json::Raw(_))
    }

    /// Written on one line: scalars, arrays of scalars, and small objects
    /// of those (term definitions, language maps, value objects).
    fn is_inline(&self) -> bool {
        match self {
            Json::String(_) | Json::Raw(_) => true,
            Json::Array(items) => items.iter().all(Json::is_scalar),
            Json::Object(entries) => {
                entries.len() <= 3
                    && entries.iter().all(|(_, v)| match v {
                        Json::Array(items) => items.iter().all(Json::is_scalar),
                        other => other.is_scalar(),
                    })
            }
        }
    }

    pub(super) fn write(&self, w: &mut dyn Write, indent: usize) -> io::Result<()> {
        match self {
            Json::String(s) => write_string(w, s),
            Json::Raw(r) => w.write_all(r.as_bytes()),
            Json::Array(items) if self.is_inline() => {
                w.write_all(b"[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        w.write_all(b", ")?;
                    }
                    item.write(w, indent)?;
                }
                w.write_all(b"]")
            }
            Json::Object(entries) if self.is_inline() => {
                w.write_all(b"{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        w.write_all(b", ")?;
                    }
                    write_string(w, key)?;
                    w.write_all(b": ")?;
                    value.write(w, indent)?;
                }
                w.write_all(b"}")
            }
            Json::Array(items) => {
                w.write_all(b"[\n")?;
                for (i, item) in items.iter().enumerate() {
                    write!(w, "{:width$}", "", width = indent + 2)?;
                    item.write(w, indent + 2)?;
                    w.write_all(if i + 1 < items.len() { b",\n" } else { b"\n" })?;
                }
                write!(w, "{:indent$}]", "")
            }
            Json::Object(entries) => {
                w.write_all(b"{\n")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    write!(w, "{:width$}", "", width = indent + 2)?;
                    write_string(w, key)?;
                    w.write_all(b": ")?;
                    value.write(w, indent + 2)?;
                    w.write_all(if i + 1 < entries.len() { b",\n" } else { b"\n" })?;
                }
                write!(w, "{:indent$}}}", "")
            }
        }
    }
}

fn write_string(w: &mut dyn Write, s: &str) -> io::Result<()> {
    w.write_all(b"\"")?;
    for c in s.chars() {
        match c {
            '"' => w.write_all(b"\\\"")?,
            '\\' => w.write_all(b"\\\\")?,
            '\n' => w.write_all(b"\\n")?,
            '\r' => w.write_all(b"\\r")?,
            '\t' => w.write_all(b"\\t")?,
            c if (c as u32) < 0x20 => write!(w, "\\u{:04x}", c as u32)?,
            c => write!(w, "{c}")?,
        }
    }
    w.write_all(b"\"")
}
