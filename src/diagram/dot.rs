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
//!   the SVG that Graphviz writes).
//!
//! Output is deterministic: clusters, nodes and edges are written sorted by
//! id, whatever the order of the graph.

use super::{Diagram, DiagramNode, LegendEntry};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

/// `text` as a DOT quoted string, read back by Graphviz as exactly `text`
/// (for ids and attribute values that are not labels).
pub fn quote(text: &str) -> String {
    Quoted(text).to_string()
}

/// `text` as a DOT quoted label that Graphviz shows as `text`: `\n` breaks
/// lines, and nothing else is interpreted (escape sequences such as `\N`
/// or `\l`, HTML entities such as `&eacute;`).
pub fn quote_label(text: &str) -> String {
    QuotedLabel(text).to_string()
}

/// Writes `text` quoted, replacing each character `escape` maps; runs of
/// other characters are copied as they are. Only ASCII and the C1 controls
/// (U+0080 to U+009F, `C2 80` to `C2 9F` in UTF-8) can need escaping, so
/// the scan looks at bytes.
fn write_quoted(
    f: &mut fmt::Formatter<'_>,
    text: &str,
    escape: impl Fn(char, Option<char>) -> Option<&'static str>,
) -> fmt::Result {
    f.write_char('"')?;
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, width) = if b < 0x80 {
            (char::from(b), 1)
        } else if b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..0xA0).contains(n)) {
            (
                char::from_u32(u32::from(bytes[i + 1]) & 0x3F | 0x80).unwrap_or(' '),
                2,
            )
        } else {
            i += 1;
            continue;
        };
        let next = bytes.get(i + width).map(|&n| char::from(n));
        if let Some(replacement) = escape(c, next) {
            f.write_str(&text[start..i])?;
            f.write_str(replacement)?;
            start = i + width;
        }
        i += width;
    }
    f.write_str(&text[start..])?;
    f.write_char('"')
}

/// Displays as [`quote`] returns.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_quoted(f, self.0, |c, _| match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            _ => None,
        })
    }
}

/// Displays as [`quote_label`] returns.
struct QuotedLabel<'a>(&'a str);

impl fmt::Display for QuotedLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_quoted(f, self.0, |c, next| match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '&' => Some("&amp;"),
            '\r' if next == Some('\n') => Some(""),
            '\n' | '\r' => Some("\\n"),
            c if c.is_control() => Some(" "),
            _ => None,
        })
    }
}

const FONT: &str = "Helvetica";

/// Writes `diagram` as DOT.
pub fn write<W: Write>(diagram: &Diagram, mut w: W) -> io::Result<W> {
    let graph = &diagram.graph;
    writeln!(w, "digraph {} {{", Quoted("polegraph"))?;
    writeln!(
        w,
        "  graph [charset={}, rankdir={}, fontname={}, fontsize=\"16\", label={}, labelloc=\"t\", newrank=\"true\", nodesep=\"0.3\", ranksep=\"0.5\"];",
        Quoted("UTF-8"),
        Quoted(diagram.rankdir.as_str()),
        Quoted(FONT),
        QuotedLabel(&diagram.title),
    )?;
    writeln!(
        w,
        "  node [fontname={}, fontsize=\"10\", margin=\"0.1,0.05\"];",
        Quoted(FONT)
    )?;
    writeln!(
        w,
        "  edge [fontname={}, fontsize=\"8\", color=\"#555555\", fontcolor=\"#333333\"];",
        Quoted(FONT)
    )?;

    // Each node and edge is formatted into `line`, then written at once.
    let mut line = String::new();
    let mut in_cluster = vec![false; graph.node_count()];
    for (number, cluster) in diagram.clusters.iter().enumerate() {
        writeln!(w, "  subgraph {} {{", Quoted(&format!("cluster_{number}")))?;
        writeln!(
            w,
            "    graph [label={}, tooltip={}, fontsize=\"11\", labeljust=\"l\", style=\"rounded,filled\", fillcolor=\"#f7f9fc\", color=\"#9aa5b1\"];",
            QuotedLabel(&cluster.label),
            QuotedLabel(&cluster.key),
        )?;
        for &member in &cluster.members {
            in_cluster[member.index()] = true;
            write_node(&mut w, &mut line, "    ", &graph[member])?;
        }
        writeln!(w, "  }}")?;
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
            write_node(&mut w, &mut line, "  ", &graph[*node])?;
        }
    }
    let mut edges: Vec<_> = graph.edge_references().collect();
    edges.sort_by(|a, b| {
        let key = |e: &petgraph::graph::EdgeReference<'_, super::DiagramEdge>| {
            (rank[e.source().index()], rank[e.target().index()])
        };
        key(a).cmp(&key(b)).then_with(|| {
            (&a.weight().property, &a.weight().label)
                .cmp(&(&b.weight().property, &b.weight().label))
        })
    });
    for edge in edges {
        line.clear();
        let _ = writeln!(
            line,
            "  {} -> {} [label={}, tooltip={}];",
            Quoted(&graph[edge.source()].id),
            Quoted(&graph[edge.target()].id),
            QuotedLabel(&edge.weight().label),
            QuotedLabel(&edge.weight().property),
        );
        w.write_all(line.as_bytes())?;
    }

    write_legend(&mut w, &diagram.legend_title, &diagram.legend)?;
    writeln!(w, "}}")?;
    Ok(w)
}

fn write_node<W: Write>(
    w: &mut W,
    line: &mut String,
    indent: &str,
    node: &DiagramNode,
) -> io::Result<()> {
    let peripheries = if node.group.is_some() {
        ", peripheries=\"2\""
    } else {
        ""
    };
    line.clear();
    // Writing into a String cannot fail.
    let _ = writeln!(
        line,
        "{indent}{} [label={}, tooltip={}, shape={}, style={}, fillcolor={}{peripheries}];",
        Quoted(&node.id),
        QuotedLabel(&node.label),
        QuotedLabel(&node.tooltip),
        Quoted(node.style.shape),
        Quoted(node.style.style),
        Quoted(node.style.fill),
    );
    w.write_all(line.as_bytes())
}

/// The legend: one sample node per class drawn, in a box, in up to three
/// columns.
fn write_legend<W: Write>(w: &mut W, title: &str, entries: &[LegendEntry]) -> io::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    writeln!(w, "  subgraph {} {{", Quoted("cluster_legend"))?;
    writeln!(
        w,
        "    graph [label={}, tooltip={}, fontsize=\"11\", labeljust=\"l\", style=\"rounded\", color=\"#9aa5b1\"];",
        QuotedLabel(title),
        QuotedLabel(title),
    )?;
    let id = |i: usize| quote(&format!("polegraph:legend/{i}"));
    for (i, entry) in entries.iter().enumerate() {
        let peripheries = if entry.group {
            ", peripheries=\"2\""
        } else {
            ""
        };
        writeln!(
            w,
            "    {} [label={}, tooltip={}, shape={}, style={}, fillcolor={}, fontsize=\"9\"{peripheries}];",
            id(i),
            QuotedLabel(&entry.label),
            QuotedLabel(&entry.label),
            Quoted(entry.style.shape),
            Quoted(entry.style.style),
            Quoted(entry.style.fill),
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
        writeln!(w, "    {} -> {} [style=\"invis\"];", id(i - per_row), id(i))?;
    }
    writeln!(w, "  }}")
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
