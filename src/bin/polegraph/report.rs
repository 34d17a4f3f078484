//! What the commands print on standard output besides their data: the
//! summaries of `build` and `build --store`, and the tables of `stats`.

use polegraph::iri::abbreviate;
use polegraph::store::KnowledgeGraph;
use polegraph::store::Stats;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `build`: the records of each kind and what the graph holds.
pub fn graph_summary(w: &mut dyn Write, graph: &KnowledgeGraph) -> io::Result<()> {
    writeln!(w, "records:")?;
    for (kind, count) in record_counts(&graph.stats) {
        writeln!(w, "  {kind:<14} {count:>8}")?;
    }
    writeln!(w, "graph:")?;
    writeln!(w, "  {:<14} {:>8}", "quads", graph.total_quads())?;
    writeln!(w, "  {:<14} {:>8}", "triples", graph.total_triples())?;
    writeln!(
        w,
        "  {:<14} {:>8}",
        "named graphs",
        graph.stats.graphs.len() + 1
    )?;
    writeln!(w, "  {:<14} {:>8}", "entities", graph.stats.entities)?;
    writeln!(w, "base IRI: {}", graph.iris.base())
}

/// `build --store`: what the store holds.
#[cfg_attr(not(feature = "rocksdb"), allow(dead_code))]
pub fn store_summary(
    w: &mut dyn Write,
    path: &std::path::Path,
    quads: u64,
    stats: &Stats,
) -> io::Result<()> {
    writeln!(w, "store: {}", path.display())?;
    writeln!(w, "  {:<14} {:>10}", "quads", quads)?;
    writeln!(w, "  {:<14} {:>10}", "named graphs", stats.graphs.len() + 1)?;
    writeln!(w, "  {:<14} {:>10}", "entities", stats.entities)
}

/// How many records of each kind the graph holds, read from its classes.
fn record_counts(stats: &Stats) -> Vec<(&'static str, usize)> {
    use polegraph::vocab::{foaf, org, pg};
    let count = |classes: &[oxigraph::model::NamedNodeRef<'_>]| -> usize {
        classes
            .iter()
            .map(|c| stats.classes.get(c.as_str()).copied().unwrap_or(0))
            .sum()
    };
    vec![
        ("sources", count(&[pg::SOURCE])),
        ("organisations", count(&[org::ORGANIZATION])),
        ("people", count(&[foaf::PERSON])),
        ("posts", count(&[org::POST])),
        (
            "events",
            count(&[pg::NATIONAL_DAY, pg::SESSION, pg::MEETING]),
        ),
        ("talks", count(&[pg::TALK])),
        ("documents", count(&[pg::SLIDE_DECK, pg::EVENT_PROGRAMME])),
        ("decisions", count(&[pg::DECISION])),
    ]
}

/// `stats`: the counts of every export, then those the VoID graph
/// describes (`described`), with its partitions.
pub fn stats(
    w: &mut dyn Write,
    all: &Stats,
    described: &Stats,
    prefixes: &[(String, String)],
) -> io::Result<()> {
    writeln!(w, "In every export:")?;
    writeln!(
        w,
        "  quads (TriG, N-Quads, JSON-LD)              {:>9}",
        all.quads
    )?;
    writeln!(
        w,
        "  triples (Turtle, N-Triples, RDF/XML)        {:>9}",
        all.triples
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "Described by the VoID graph (every graph but the VoID graph itself):"
    )?;
    writeln!(w, "  triples            {:>9}", described.triples)?;
    writeln!(w, "  entities           {:>9}", described.entities)?;
    writeln!(w, "  distinct subjects  {:>9}", described.distinct_subjects)?;
    writeln!(w, "  classes            {:>9}", described.classes.len())?;
    writeln!(w, "  properties         {:>9}", described.properties.len())?;
    let tables = [
        ("Quads per named graph (all graphs):", "graph", &all.graphs),
        (
            "Instances per class (VoID class partitions):",
            "class",
            &described.classes,
        ),
        (
            "Triples per property (VoID property partitions):",
            "property",
            &described.properties,
        ),
    ];
    for (title, header, rows) in tables {
        count_table(w, title, header, rows, prefixes)?;
    }
    Ok(())
}

/// A titled table of names (abbreviated IRIs) and counts.
fn count_table(
    w: &mut dyn Write,
    title: &str,
    header: &str,
    rows: &BTreeMap<String, usize>,
    prefixes: &[(String, String)],
) -> io::Result<()> {
    writeln!(w)?;
    writeln!(w, "{title}")?;
    let names: Vec<String> = rows.keys().map(|k| abbreviate(k, prefixes)).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    writeln!(w, "  {header:<width$}  {:>9}", "count")?;
    for (name, count) in names.iter().zip(rows.values()) {
        let pad = width - name.chars().count();
        writeln!(w, "  {name}{}  {count:>9}", " ".repeat(pad))?;
    }
    Ok(())
}
