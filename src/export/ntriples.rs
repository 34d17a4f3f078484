//! A fast N-Triples / N-Quads writer for the streaming export.
//!
//! It puts lines together as bytes, with the escaping of
//! oxigraph's serializer (so a streamed file and an export through the
//! store write the same lines), without going through `fmt`.

use crate::io::write_behind::{chunk_buffer, hand_over_when_full, ChunkOut};
use crate::map::QuadSink;
use oxigraph::model::{GraphNameRef, LiteralRef, NamedOrBlankNodeRef, QuadRef, TermRef};
use std::io::{self, Write};

/// Writes quads as N-Quads lines, or as N-Triples lines (graphs dropped).
///
/// Lines are put together in an in-memory buffer, handed to the writer a
/// megabyte at a time (to any writer, or whole to a writing thread).
pub struct LineWriter<W: ChunkOut> {
    out: W,
    buffer: Vec<u8>,
    keep_graphs: bool,
    /// Quads written so far.
    pub written: u64,
}

impl<W: ChunkOut> LineWriter<W> {
    pub fn new(out: W, keep_graphs: bool) -> Self {
        LineWriter {
            out,
            buffer: chunk_buffer(),
            keep_graphs,
            written: 0,
        }
    }

    /// Writes what is buffered and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.put(&mut self.buffer)?;
        self.out.finish()?;
        Ok(self.out)
    }

    fn iri(&mut self, iri: &str) {
        self.buffer.push(b'<');
        self.buffer.extend_from_slice(iri.as_bytes());
        self.buffer.push(b'>');
    }

    fn blank(&mut self, node: oxigraph::model::BlankNodeRef<'_>) {
        self.buffer.extend_from_slice(b"_:");
        self.buffer.extend_from_slice(node.as_str().as_bytes());
    }

    fn literal(&mut self, literal: LiteralRef<'_>) {
        write_quoted(&mut self.buffer, literal.value());
        if let Some(language) = literal.language() {
            self.buffer.push(b'@');
            self.buffer.extend_from_slice(language.as_bytes());
        } else if literal.datatype() != oxigraph::model::vocab::xsd::STRING {
            self.buffer.extend_from_slice(b"^^");
            self.iri(literal.datatype().as_str());
        }
    }
}

impl<W: ChunkOut> QuadSink for LineWriter<W> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        match quad.subject {
            NamedOrBlankNodeRef::NamedNode(n) => self.iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => self.blank(b),
        }
        self.buffer.push(b' ');
        self.iri(quad.predicate.as_str());
        self.buffer.push(b' ');
        match quad.object {
            TermRef::NamedNode(n) => self.iri(n.as_str()),
            TermRef::BlankNode(b) => self.blank(b),
            TermRef::Literal(l) => self.literal(l),
            #[allow(unreachable_patterns)]
            other => write!(self.buffer, "{other}")?,
        }
        if self.keep_graphs {
            match quad.graph_name {
                GraphNameRef::NamedNode(g) => {
                    self.buffer.push(b' ');
                    self.iri(g.as_str());
                }
                GraphNameRef::BlankNode(b) => {
                    self.buffer.push(b' ');
                    self.blank(b);
                }
                GraphNameRef::DefaultGraph => {}
            }
        }
        self.buffer.extend_from_slice(b" .\n");
        self.written += 1;
        hand_over_when_full(&mut self.out, &mut self.buffer)
    }
}

/// Whether a byte may start a character that must be escaped in a quoted
/// N-Triples string (controls, `"`, `\\`, DEL, and the lead byte of
/// U+FFFE/U+FFFF), the same set as oxigraph's serializer.
fn may_need_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\' || byte == 0x7F || byte == 0xEF
}

/// `"value"` with N-Triples escapes.
fn write_quoted(out: &mut Vec<u8>, value: &str) {
    out.push(b'"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if !may_need_escape(byte) || at < start {
            continue;
        }
        let c = value[at..].chars().next().unwrap_or('\0');
        let escape: &[u8] = match c {
            '\u{8}' => b"\\b",
            '\t' => b"\\t",
            '\n' => b"\\n",
            '\u{C}' => b"\\f",
            '\r' => b"\\r",
            '"' => b"\\\"",
            '\\' => b"\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => b"",
            _ => continue, // another character starting with 0xEF
        };
        out.extend_from_slice(&bytes[start..at]);
        if escape.is_empty() {
            out.extend_from_slice(format!("\\u{:04X}", u32::from(c)).as_bytes());
        } else {
            out.extend_from_slice(escape);
        }
        start = at + c.len_utf8();
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    /// The writer's lines are oxigraph's own N-Quads lines, escapes included.
    #[test]
    fn lines_match_oxigraphs_serialization() {
        let s = NamedNode::new("https://example.org/s").unwrap();
        let p = NamedNode::new("https://example.org/p").unwrap();
        let g = NamedNode::new("https://example.org/g").unwrap();
        let objects: [oxigraph::model::Term; 5] = [
            Literal::new_simple_literal("plain « é » text").into(),
            Literal::new_simple_literal(
                "quote \" backslash \\ tab \t new\nline \r \u{1} \u{7F} \u{FFFE} end",
            )
            .into(),
            Literal::new_language_tagged_literal("Pôle", "fr")
                .unwrap()
                .into(),
            Literal::new_typed_literal("2007-07-10", oxigraph::model::vocab::xsd::DATE).into(),
            NamedNode::new("https://example.org/o").unwrap().into(),
        ];
        for object in objects {
            let quad = Quad::new(
                s.clone(),
                p.clone(),
                object,
                GraphName::NamedNode(g.clone()),
            );
            let mut writer = LineWriter::new(Vec::new(), true);
            writer.add(quad.as_ref()).unwrap();
            assert_eq!(
                String::from_utf8(writer.finish().unwrap()).unwrap(),
                format!("{quad} .\n")
            );
        }
    }
}
