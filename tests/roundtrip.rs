//! Every export format, read back by oxigraph and by independent parsers
//! (rdflib, and Raptor's rapper for the formats it reads), gives the same
//! dataset as the store and the counts `polegraph stats` reports.

mod support;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad};
use polegraph::format::GraphFormat;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

/// Exports the built-in graph in every format into `dir`.
fn export_all(dir: &Path) -> Vec<(GraphFormat, PathBuf)> {
    GraphFormat::ALL
        .iter()
        .map(|&format| {
            let path = dir.join(format!("graph.{}", format.file_extension()));
            assert_exit(&polegraph(&["export", "-o", path.to_str().unwrap()]), 0);
            (format, path)
        })
        .collect()
}

fn parse(format: RdfFormat, path: &Path) -> BTreeSet<String> {
    let bytes = std::fs::read(path).unwrap();
    RdfParser::from_format(format)
        .for_slice(&bytes)
        .map(|q| {
            q.unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()))
                .to_string()
        })
        .collect()
}

/// The quads of the store, and their union as default-graph triples.
fn expected() -> (BTreeSet<String>, BTreeSet<String>) {
    let dataset = polegraph::load::load_builtin().unwrap();
    let graph = polegraph::store::build(&dataset, None).unwrap();
    let quads: Vec<Quad> = graph.store.iter().map(Result::unwrap).collect();
    let union = quads
        .iter()
        .map(|q| {
            Quad::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
                GraphName::DefaultGraph,
            )
            .to_string()
        })
        .collect();
    (quads.iter().map(ToString::to_string).collect(), union)
}

/// The two counts `polegraph stats` prints first: quads, then triples.
fn stats_counts() -> (usize, usize) {
    let stats = stdout(&polegraph(&["stats"]));
    let count = |label: &str| -> usize {
        let line = stats
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap();
        line.split_whitespace().last().unwrap().parse().unwrap()
    };
    (count("quads (TriG"), count("triples (Turtle"))
}

#[test]
fn every_format_reads_back_into_the_same_dataset_with_oxigraph() {
    let dir = tempfile::tempdir().unwrap();
    let (quads, triples) = expected();
    let (stats_quads, stats_triples) = stats_counts();
    assert_eq!(quads.len(), stats_quads);
    assert_eq!(triples.len(), stats_triples);
    for (format, path) in export_all(dir.path()) {
        let read = parse(format.rdf_format(), &path);
        let expected = if format.keeps_graphs() {
            &quads
        } else {
            &triples
        };
        assert!(
            &read == expected,
            "{format}: {} read back, {} expected; first difference: {:?}",
            read.len(),
            expected.len(),
            read.symmetric_difference(expected).next()
        );
    }
}

/// rdflib's name for `format`.
fn rdflib_name(format: GraphFormat) -> &'static str {
    match format {
        GraphFormat::Turtle => "turtle",
        GraphFormat::TriG => "trig",
        GraphFormat::NTriples => "nt",
        GraphFormat::NQuads => "nquads",
        GraphFormat::RdfXml => "xml",
        GraphFormat::JsonLd => "json-ld",
    }
}

/// Before, rdflib's report lines were zipped with the formats: a missing
/// line silently dropped a format from the check.
#[test]
fn rdflib_reads_every_format_to_the_stats_counts() {
    if !python_with("rdflib") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (stats_quads, stats_triples) = stats_counts();
    let files = export_all(dir.path());
    let mut args = vec![root()
        .join("tests/tools/rdflib_read.py")
        .display()
        .to_string()];
    for (format, path) in &files {
        args.push(rdflib_name(*format).into());
        args.push(path.display().to_string());
    }
    let output = Command::new("python3").args(&args).output().unwrap();
    assert!(
        output.status.success(),
        "rdflib failed: {}",
        stderr(&output)
    );
    // One line per file, `FILE<TAB>COUNT`: each file looked up by name, so
    // a missing line fails instead of dropping a format from the check.
    let report = stdout(&output);
    let counts: std::collections::BTreeMap<&str, usize> = report
        .lines()
        .map(|line| {
            let (path, count) = line.rsplit_once('\t').expect("FILE<TAB>COUNT");
            (path, count.parse().expect("a count"))
        })
        .collect();
    assert_eq!(counts.len(), files.len(), "rdflib's report:\n{report}");
    for (format, path) in &files {
        let count = *counts
            .get(path.to_str().unwrap())
            .unwrap_or_else(|| panic!("rdflib reported nothing for {format}:\n{report}"));
        let expected = if format.keeps_graphs() {
            stats_quads
        } else {
            stats_triples
        };
        assert_eq!(
            count,
            expected,
            "rdflib's count for {format} ({})",
            path.display()
        );
    }
    // rdflib finds every other format's graph (the union of its graphs)
    // isomorphic to the N-Triples one.
    let nt = dir.path().join("graph.nt");
    for (format, path) in files.iter().filter(|(_, path)| *path != nt) {
        let output = Command::new("python3")
            .arg(root().join("tests/tools/rdflib_read.py"))
            .args(["--isomorphic", "nt"])
            .arg(&nt)
            .arg(rdflib_name(*format))
            .arg(path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{format}: {}{}",
            stdout(&output),
            stderr(&output)
        );
    }
}

#[test]
fn rapper_reads_every_format_it_knows_to_the_stats_counts() {
    if !tool_available("Raptor's rapper", Command::new("rapper").arg("--version")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (stats_quads, stats_triples) = stats_counts();
    for (format, path) in export_all(dir.path()) {
        let (name, expected) = match format {
            GraphFormat::Turtle => ("turtle", stats_triples),
            GraphFormat::TriG => ("trig", stats_quads),
            GraphFormat::NTriples => ("ntriples", stats_triples),
            GraphFormat::NQuads => ("nquads", stats_quads),
            GraphFormat::RdfXml => ("rdfxml", stats_triples),
            GraphFormat::JsonLd => continue, // rapper has no JSON-LD parser
        };
        let count = rapper_count(name, &path);
        assert_eq!(count, expected, "rapper's count for {format}");
    }
}
