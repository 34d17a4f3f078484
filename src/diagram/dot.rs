//! A small Graphviz DOT writer over the diagram's petgraph graph.
//!
//! petgraph's own `Dot` cannot draw clusters (petgraph#417), hence this
//! writer. Every id and attribute value is a quoted string:
//!
//! - [`quote`] (ids and plain values) doubles backslashes and escapes
//!   quotes, so any text, even one ending in a backslash, stays one string;
//! - [`quote_label`] (labels and tooltips, which Graphviz reads as "escape
//!   strings" with HTML entities) also writes `&` as `&amp;`, new lines as
//!   `\n`, and other control characters as spaces (they are not allowed in
//!   the SVG that Graphviz writes). Tooltips are read as escape strings
//!   twice, so there a backslash is written `⧵` (U+29F5) and the text is
//!   cut at [`MAX_TOOLTIP`] characters: otherwise `\N` in the data would
//!   come back as the node's name, which holds the text again.
//!
//! Lines are put together as bytes in a buffer handed to the writer a
//! megabyte at a time (a diagram of every record of 100,000-row tables is
//! 230 MB of DOT).
//!
//! Output is deterministic: clusters, nodes and edges are written sorted by
//! id, whatever the order of the graph.

use super::scene::{Diagram, DiagramEdge, DiagramNode};
use super::style::{line_style, NodeStyle};
use crate::io::write_behind::{chunk_buffer, hand_over_when_full, ChunkOut};
use crate::model::Confidence;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::io::{self, Write};

/// `text` as a DOT quoted string, read back by Graphviz as exactly `text`
/// (for ids and attribute values that are not labels).
#[cfg(test)]
pub fn quote(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    push_quoted(&mut out, text, Escape::Plain);
    into_string(out)
}

/// `text` as a DOT quoted label that Graphviz shows as `text`: `\n` breaks
/// lines, and nothing else is interpreted (escape sequences such as `\N`
/// or `\l`, HTML entities such as `&eacute;`).
#[cfg(test)]
pub fn quote_label(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    push_quoted(&mut out, text, Escape::Label);
    into_string(out)
}

/// The escaping only replaces whole characters by ASCII, so UTF-8 in gives
/// UTF-8 out.
#[cfg(test)]
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Which quoting a value gets.
#[derive(Clone, Copy, PartialEq)]
enum Escape {
    /// An id or a plain value ([`quote`]).
    Plain,
    /// A label ([`quote_label`]).
    Label,
    /// A tooltip: as a label, but Graphviz reads tooltips as escape
    /// strings twice, so a backslash cannot be escaped: it is written as
    /// `⧵` (U+29F5), and `\N` (the node's name) cannot come back.
    Tooltip,
}

/// The most characters of a tooltip: hover texts stay short, and no text
/// of the data can make a picture large.
pub const MAX_TOOLTIP: usize = 500;

/// Bytes that may need escaping in an id or plain value.
const PLAIN_SPECIAL: [bool; 256] = special_bytes(false);
/// Bytes that may need escaping in a label.
const LABEL_SPECIAL: [bool; 256] = special_bytes(true);

const fn special_bytes(label: bool) -> [bool; 256] {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    if label {
        table[b'&' as usize] = true;
        let mut b = 0;
        while b < 0x20 {
            table[b] = true;
            b += 1;
        }
        table[0x7F] = true;
        table[0xC2] = true; // may start a C1 control
    }
    table
}

/// Appends `text` quoted. Runs of characters that need no escaping are
/// copied as they are. Only ASCII and the C1 controls (U+0080 to U+009F,
/// `C2 80` to `C2 9F` in UTF-8) can need escaping, so the scan looks at
/// bytes, through a table of the bytes to look at twice.
fn push_quoted(out: &mut Vec<u8>, text: &str, escape: Escape) {
    let label = escape != Escape::Plain;
    let backslash: &[u8] = match escape {
        Escape::Tooltip => "⧵".as_bytes(),
        _ => b"\\\\",
    };
    let special = if label {
        &LABEL_SPECIAL
    } else {
        &PLAIN_SPECIAL
    };
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !special[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let (replacement, width): (&[u8], usize) = match bytes[i] {
            b'"' => (b"\\\"", 1),
            b'\\' => (backslash, 1),
            b'\n' => (b"\\n", 1),
            b'\r' if !label => (b"\\r", 1),
            b'\r' if next == Some(b'\n') => (b"", 1),
            b'\r' => (b"\\n", 1),
            b'&' => (b"&amp;", 1),
            0xC2 if next.is_some_and(|n| (0x80..0xA0).contains(&n)) => (b" ", 2),
            0xC2 => {
                i += 1;
                continue;
            }
            _ => (b" ", 1), // another control character of a label
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        i += width;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// DOT text put together in a buffer, line by line.
struct DotWriter<W: Write> {
    out: W,
    buffer: Vec<u8>,
}

impl<W: Write> DotWriter<W> {
    /// Text written as it is (DOT syntax, never data).
    fn raw(&mut self, text: &str) -> &mut Self {
        self.buffer.extend_from_slice(text.as_bytes());
        self
    }

    /// An id or plain value, quoted.
    fn quoted(&mut self, text: &str) -> &mut Self {
        push_quoted(&mut self.buffer, text, Escape::Plain);
        self
    }

    /// A label, quoted.
    fn label(&mut self, text: &str) -> &mut Self {
        push_quoted(&mut self.buffer, text, Escape::Label);
        self
    }

    /// A tooltip, quoted, cut at [`MAX_TOOLTIP`] characters.
    fn tooltip(&mut self, text: &str) -> &mut Self {
        let cut;
        let text = match text.char_indices().nth(MAX_TOOLTIP) {
            Some((end, _)) => {
                cut = format!("{}…", &text[..end]);
                cut.as_str()
            }
            None => text,
        };
        push_quoted(&mut self.buffer, text, Escape::Tooltip);
        self
    }

    /// Ends the line; hands the buffer over once it holds a megabyte.
    fn end_line(&mut self) -> io::Result<()> {
        self.buffer.push(b'\n');
        hand_over_when_full(&mut self.out, &mut self.buffer)
    }

    fn finish(mut self) -> io::Result<W> {
        self.out.put(&mut self.buffer)?;
        Ok(self.out)
    }
}

const FONT: &str = "Helvetica";

impl Diagram {
    /// Writes the diagram as Graphviz DOT.
    pub fn write_dot<W: Write>(&self, writer: W) -> io::Result<W> {
        write(self, writer)
    }
}

/// Writes `diagram` as DOT.
pub fn write<W: Write>(diagram: &Diagram, w: W) -> io::Result<W> {
    let graph = &diagram.graph;
    let mut w = DotWriter {
        out: w,
        buffer: chunk_buffer(),
    };
    w.raw("digraph ").quoted("polegraph").raw(" {").end_line()?;
    w.raw("  graph [charset=")
        .quoted("UTF-8")
        .raw(", rankdir=")
        .quoted(diagram.rankdir.as_str())
        .raw(", fontname=")
        .quoted(FONT)
        .raw(", fontsize=\"16\", label=")
        .label(&diagram.title)
        .raw(", labelloc=\"t\", newrank=\"true\", nodesep=\"0.3\", ranksep=\"0.5\"];")
        .end_line()?;
    w.raw("  node [fontname=")
        .quoted(FONT)
        .raw(", fontsize=\"10\", margin=\"0.1,0.05\"];")
        .end_line()?;
    w.raw("  edge [fontname=")
        .quoted(FONT)
        .raw(", fontsize=\"8\", color=\"#555555\", fontcolor=\"#333333\"];")
        .end_line()?;

    let mut in_cluster = vec![false; graph.node_count()];
    for (number, cluster) in diagram.clusters.iter().enumerate() {
        w.raw("  subgraph ")
            .quoted(&format!("cluster_{number}"))
            .raw(" {")
            .end_line()?;
        w.raw("    graph [label=")
            .label(&cluster.label)
            .raw(", tooltip=")
            .tooltip(&cluster.key)
            .raw(", fontsize=\"11\", labeljust=\"l\", style=\"rounded,filled\", fillcolor=\"#f7f9fc\", color=\"#9aa5b1\"];")
            .end_line()?;
        for &member in &cluster.members {
            in_cluster[member.index()] = true;
            write_node(&mut w, "    ", &graph[member])?;
        }
        w.raw("  }").end_line()?;
    }

    // Nodes by id; edges in the order of their ends' ids (comparing ranks
    // rather than long IRIs).
    let mut ranked: Vec<NodeIndex> = graph.node_indices().collect();
    // Ids are unique, so an unstable sort gives the one order.
    ranked.sort_unstable_by(|a, b| graph[*a].id.cmp(&graph[*b].id));
    let mut rank = vec![0; graph.node_count()];
    for (position, node) in ranked.iter().enumerate() {
        rank[node.index()] = position;
        if !in_cluster[node.index()] {
            write_node(&mut w, "  ", &graph[*node])?;
        }
    }
    let mut edges: Vec<_> = graph.edge_references().collect();
    edges.sort_by(|a, b| {
        let key = |e: &petgraph::graph::EdgeReference<'_, DiagramEdge>| {
            (rank[e.source().index()], rank[e.target().index()])
        };
        key(a).cmp(&key(b)).then_with(|| {
            (&a.weight().property, &a.weight().label)
                .cmp(&(&b.weight().property, &b.weight().label))
        })
    });
    for edge in edges {
        w.raw("  ")
            .quoted(&graph[edge.source()].id)
            .raw(" -> ")
            .quoted(&graph[edge.target()].id)
            .raw(" [label=")
            .label(&edge.weight().label)
            .raw(", tooltip=")
            .tooltip(&edge.weight().tooltip);
        if edge.weight().confidence != Confidence::Confirmed {
            w.raw(", style=")
                .quoted(line_style(edge.weight().confidence));
        }
        w.raw("];").end_line()?;
    }

    write_legend(&mut w, diagram)?;
    w.raw("}").end_line()?;
    w.finish()
}

fn write_node<W: Write>(w: &mut DotWriter<W>, indent: &str, node: &DiagramNode) -> io::Result<()> {
    let text = NodeText {
        id: &node.id,
        label: &node.label,
        tooltip: &node.tooltip,
        url: node.url.as_deref(),
    };
    node_line(w, indent, text, node.style, "", node.group.is_some())
}

/// What a node statement says of its node.
struct NodeText<'a> {
    id: &'a str,
    label: &'a str,
    tooltip: &'a str,
    /// Where a click goes, if anywhere.
    url: Option<&'a str>,
}

/// One node statement: its texts, its class's look, `extra` attributes
/// (each with its leading `, `), and a double outline for a group of poles.
fn node_line<W: Write>(
    w: &mut DotWriter<W>,
    indent: &str,
    text: NodeText<'_>,
    style: &NodeStyle,
    extra: &str,
    double_outline: bool,
) -> io::Result<()> {
    w.raw(indent)
        .quoted(text.id)
        .raw(" [label=")
        .label(text.label)
        .raw(", tooltip=")
        .tooltip(text.tooltip)
        .raw(", shape=")
        .quoted(style.shape)
        .raw(", style=")
        .quoted(style.style)
        .raw(", fillcolor=")
        .quoted(style.fill)
        .raw(extra);
    if let Some(url) = text.url {
        w.raw(", URL=").quoted(url).raw(", target=\"_top\"");
    }
    if double_outline {
        w.raw(", peripheries=\"2\"");
    }
    w.raw("];").end_line()
}

/// The legend: one sample node per class drawn, in a box, in up to three
/// columns.
fn write_legend<W: Write>(w: &mut DotWriter<W>, diagram: &Diagram) -> io::Result<()> {
    let (title, entries) = (&diagram.legend_title, &diagram.legend);
    if entries.is_empty() && diagram.legend_lines.is_empty() {
        return Ok(());
    }
    w.raw("  subgraph ")
        .quoted("cluster_legend")
        .raw(" {")
        .end_line()?;
    w.raw("    graph [label=")
        .label(title)
        .raw(", tooltip=")
        .tooltip(title)
        .raw(", fontsize=\"11\", labeljust=\"l\", style=\"rounded\", color=\"#9aa5b1\"];")
        .end_line()?;
    let id = |i: usize| format!("polegraph:legend/{i}");
    for (i, entry) in entries.iter().enumerate() {
        let text = NodeText {
            id: &id(i),
            label: &entry.label,
            tooltip: &entry.label,
            url: None,
        };
        node_line(
            w,
            "    ",
            text,
            entry.style,
            ", fontsize=\"9\"",
            entry.group,
        )?;
    }
    let per_row = match entries.len() {
        0..=4 => 1,
        5..=10 => 2,
        _ => 3,
    };
    // One invisible chain per column: entries i and i + per_row stack, and
    // the chains sit side by side (no `rank=same`, which Graphviz's dot
    // cannot always honour inside a cluster).
    for i in per_row..entries.len() {
        w.raw("    ")
            .quoted(&id(i - per_row))
            .raw(" -> ")
            .quoted(&id(i))
            .raw(" [style=\"invis\"];")
            .end_line()?;
    }
    // A sample of each line style of the links that are not confirmed: two
    // points joined by a labelled line.
    for (confidence, text) in &diagram.legend_lines {
        let end = |side: &str| format!("polegraph:legend/line-{}-{side}", confidence.as_str());
        for side in ["from", "to"] {
            w.raw("    ")
                .quoted(&end(side))
                .raw(" [label=\"\", shape=\"point\", width=\"0.05\"];")
                .end_line()?;
        }
        w.raw("    ")
            .quoted(&end("from"))
            .raw(" -> ")
            .quoted(&end("to"))
            .raw(" [label=")
            .label(text)
            .raw(", tooltip=")
            .tooltip(text)
            .raw(", style=")
            .quoted(line_style(*confidence))
            .raw(", fontsize=\"9\"];")
            .end_line()?;
    }
    w.raw("  }").end_line()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_quotes_and_backslashes() {
        assert_eq!(quote("plain"), r#""plain""#);
        assert_eq!(quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote(r"C:\dir\"), r#""C:\\dir\\""#);
        assert_eq!(quote(r#"\""#), r#""\\\"""#);
        assert_eq!(quote("two\nlines\r"), r#""two\nlines\r""#);
    }

    #[test]
    fn quote_keeps_dot_syntax_characters_and_non_ascii() {
        assert_eq!(quote("<a>&{b}|c;[d]=e,f"), r#""<a>&{b}|c;[d]=e,f""#);
        assert_eq!(
            quote("Pôle « Mer » — ŒÉ 日本"),
            "\"Pôle « Mer » — ŒÉ 日本\""
        );
    }

    #[test]
    fn quote_is_injective_on_tricky_inputs() {
        let inputs = ["a\\nb", "a\nb", "a\\\"", "a\"", "a\\", "a\\\\", "a"];
        let quoted: std::collections::HashSet<String> = inputs.iter().map(|s| quote(s)).collect();
        assert_eq!(quoted.len(), inputs.len());
    }

    #[test]
    fn quote_label_neutralises_escapes_entities_and_controls() {
        assert_eq!(quote_label(r"\N \l \G"), r#""\\N \\l \\G""#);
        assert_eq!(quote_label("R&D &eacute;"), r#""R&amp;D &amp;eacute;""#);
        assert_eq!(quote_label("a\r\nb\rc\nd"), r#""a\nb\nc\nd""#);
        assert_eq!(quote_label("tab\there\u{1}"), r#""tab here ""#);
        assert_eq!(quote_label(r#"<b>{x}|"y""#), r#""<b>{x}|\"y\"""#);
        assert_eq!(quote_label("Écologie"), "\"Écologie\"");
        // C1 controls are two bytes in UTF-8; their neighbours stay intact.
        assert_eq!(quote_label("é\u{85}è\u{9f}\"ü"), "\"é è \\\"ü\"");
        assert_eq!(quote("é\u{85}\"ü"), "\"é\u{85}\\\"ü\"");
        assert_eq!(quote_label("\u{a0}\u{c2}\u{7f}"), "\"\u{a0}\u{c2} \"");
    }
}
