//! Tools nobody here wrote agree with polegraph: pySHACL validates the
//! Turtle export with the same shapes and reports what `polegraph
//! validate` reports; Rasqal's roqet answers the shipped queries as
//! polegraph does; rdflib and Raptor's rapper read every file of a
//! publication bundle. Plus the bundle's own rules and the VoID/DCAT
//! description and the JSON-LD context.

mod support;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use polegraph::format::GraphFormat;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

fn tool(name: &str) -> PathBuf {
    root().join("tests/tools").join(name)
}

/// Exports the graph of `data` (None: the built-in data) as Turtle.
fn export_turtle(data: Option<&Path>, to: &Path) {
    let mut args = vec!["export", "-o", to.to_str().unwrap()];
    if let Some(dir) = data {
        args.extend(["--data", dir.to_str().unwrap()]);
    }
    assert_exit(&polegraph(&args), 0);
}

/// pySHACL's results over the Turtle export of `data`, as
/// tests/tools/shacl_results.py prints them, and whether it conforms.
fn pyshacl_lines(turtle: &Path, shapes: &Path) -> (Vec<String>, bool) {
    let output = Command::new("python3")
        .arg(tool("shacl_results.py"))
        .arg("pyshacl")
        .arg(turtle)
        .arg(shapes)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pySHACL failed: {}",
        stderr(&output)
    );
    let conforms = stderr(&output).contains("conforms True");
    (
        stdout(&output).lines().map(str::to_owned).collect(),
        conforms,
    )
}

/// polegraph's results, from the TSV report and from the Turtle report read
/// by the same Python helper (they must be the same).
fn polegraph_lines(data: Option<&Path>, shapes: Option<&Path>) -> Vec<String> {
    let mut args = vec!["validate"];
    if let Some(dir) = data {
        args.extend(["--data", dir.to_str().unwrap()]);
    }
    if let Some(shapes) = shapes {
        args.extend(["--shapes", shapes.to_str().unwrap()]);
    }
    let tsv = polegraph(&[args.as_slice(), &["--format", "tsv"]].concat());
    let code = tsv.status.code();
    assert!(matches!(code, Some(0 | 2)), "{}", stderr(&tsv));
    let lines: Vec<String> = stdout(&tsv).lines().map(str::to_owned).collect();

    let ttl = polegraph(&[args.as_slice(), &["--format", "ttl"]].concat());
    assert_eq!(ttl.status.code(), code);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.ttl");
    std::fs::write(&report, &ttl.stdout).unwrap();
    let mut command = Command::new("python3");
    command
        .arg(tool("shacl_results.py"))
        .arg("report")
        .arg(&report);
    if let Some(shapes) = shapes {
        command.arg(shapes);
    }
    let read = command.output().unwrap();
    assert!(read.status.success(), "{}", stderr(&read));
    let from_ttl: Vec<String> = stdout(&read).lines().map(str::to_owned).collect();
    assert_eq!(lines, from_ttl, "the TSV and Turtle reports differ");
    assert_eq!(
        stderr(&read).contains("conforms true"),
        lines.is_empty(),
        "sh:conforms"
    );
    lines
}

fn assert_same_results(what: &str, ours: &[String], theirs: &[String]) {
    let ours_set: BTreeSet<&String> = ours.iter().collect();
    let theirs_set: BTreeSet<&String> = theirs.iter().collect();
    assert!(
        ours == theirs,
        "{what}: polegraph and pySHACL differ\nonly polegraph:\n{:#?}\nonly pySHACL:\n{:#?}",
        ours_set.difference(&theirs_set).collect::<Vec<_>>(),
        theirs_set.difference(&ours_set).collect::<Vec<_>>()
    );
}

#[test]
fn pyshacl_agrees_on_the_builtin_data_and_on_every_broken_fixture() {
    if !python_with("pyshacl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shapes = root().join("ontology/shapes.ttl");

    let turtle = dir.path().join("builtin.ttl");
    export_turtle(None, &turtle);
    let (theirs, conforms) = pyshacl_lines(&turtle, &shapes);
    assert!(
        conforms,
        "pySHACL finds violations in the built-in data:\n{theirs:#?}"
    );
    assert_same_results("built-in data", &polegraph_lines(None, None), &theirs);

    let fixtures = root().join("tests/fixtures/shacl");
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 5);
    for folder in names {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let turtle = dir.path().join(format!("{name}.ttl"));
        export_turtle(Some(&folder), &turtle);
        let (theirs, conforms) = pyshacl_lines(&turtle, &shapes);
        assert!(!conforms, "{name}: pySHACL finds no violation");
        let ours = polegraph_lines(Some(&folder), None);
        assert!(!ours.is_empty(), "{name}: polegraph finds no violation");
        assert_same_results(&name, &ours, &theirs);
    }
}

/// A shapes file that the built-in data violates on purpose, with every
/// constraint component polegraph implements: both engines must give the
/// same results, component by component.
#[test]
fn pyshacl_agrees_on_every_constraint_component() {
    if !python_with("pyshacl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shapes = root().join("tests/fixtures/shacl-shapes/every-component.ttl");
    let turtle = dir.path().join("builtin.ttl");
    export_turtle(None, &turtle);
    let (theirs, _) = pyshacl_lines(&turtle, &shapes);
    let ours = polegraph_lines(None, Some(&shapes));
    assert_same_results("every-component.ttl", &ours, &theirs);
    let components: BTreeSet<&str> = ours.iter().filter_map(|l| l.split('\t').nth(2)).collect();
    for name in [
        "Class",
        "Datatype",
        "NodeKind",
        "MinCount",
        "MaxCount",
        "MinLength",
        "MaxLength",
        "MinExclusive",
        "MinInclusive",
        "MaxExclusive",
        "MaxInclusive",
        "Pattern",
        "LanguageIn",
        "UniqueLang",
        "In",
        "HasValue",
        "Node",
        "Not",
        "And",
        "Or",
        "Xone",
        "QualifiedMinCount",
        "QualifiedMaxCount",
    ] {
        let iri = format!("<http://www.w3.org/ns/shacl#{name}ConstraintComponent>");
        assert!(components.contains(iri.as_str()), "no result for {name}");
    }
    let severities: BTreeSet<&str> = ours.iter().filter_map(|l| l.split('\t').nth(4)).collect();
    assert_eq!(severities.len(), 3, "{severities:?}");
}

/// One row of a query's answer, normalised: each variable's term in
/// N-Triples form, or a sorted set of text values for the variables that
/// concatenate values (split) or that a roqet version returns one row per
/// value of (gathered).
type Row = BTreeMap<String, String>;

/// The SPARQL XML results of a SELECT, as rows.
fn parse_xml_results(xml: &[u8]) -> Vec<BTreeMap<String, oxigraph::model::Term>> {
    match QueryResultsParser::from_format(QueryResultsFormat::Xml)
        .for_slice(xml)
        .unwrap_or_else(|e| {
            panic!(
                "bad SPARQL XML results: {e}\n{}",
                String::from_utf8_lossy(xml)
            )
        }) {
        SliceQueryResultsParserOutput::Solutions(solutions) => solutions
            .map(|s| {
                s.unwrap()
                    .iter()
                    .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                    .collect()
            })
            .collect(),
        SliceQueryResultsParserOutput::Boolean(b) => {
            vec![BTreeMap::from([(
                "ASK".to_owned(),
                oxigraph::model::Literal::from(b).into(),
            )])]
        }
    }
}

/// The variables of `query` bound by `GROUP_CONCAT(… SEPARATOR="s") AS ?v`.
fn concatenations(query: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = query;
    while let Some(at) = rest.find("GROUP_CONCAT(") {
        rest = &rest[at..];
        let separator = rest
            .split_once("SEPARATOR")
            .and_then(|(_, s)| s.split_once('"'))
            .and_then(|(_, s)| s.split_once('"'))
            .map_or(" ", |(sep, _)| sep);
        let var = rest
            .split_once(" AS ?")
            .map(|(_, s)| {
                s.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .unwrap_or_default();
        found.push((var, separator.to_owned()));
        rest = &rest["GROUP_CONCAT(".len()..];
    }
    found
}

fn text(term: &oxigraph::model::Term) -> String {
    match term {
        oxigraph::model::Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

/// Normalises an answer: split concatenations, gather the rows of
/// `gathered` into sets, and sort the rows (blank nodes become `_`).
fn normalise(
    rows: Vec<BTreeMap<String, oxigraph::model::Term>>,
    concatenated: &[(String, String)],
    gathered: Option<&str>,
) -> Vec<Row> {
    let mut out: BTreeMap<Row, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut plain = Vec::new();
    for row in rows {
        let mut normal = Row::new();
        let mut gathered_value = None;
        for (var, term) in &row {
            if Some(var.as_str()) == gathered {
                gathered_value = Some(text(term));
                continue;
            }
            let value = match (concatenated.iter().find(|(v, _)| v == var), term) {
                (Some((_, separator)), oxigraph::model::Term::Literal(l)) => {
                    let parts: BTreeSet<&str> = l.value().split(separator.as_str()).collect();
                    format!("{parts:?}")
                }
                (_, oxigraph::model::Term::BlankNode(_)) => "_".to_owned(),
                _ => term.to_string(),
            };
            normal.insert(var.clone(), value);
        }
        match gathered {
            Some(_) => {
                let entry = out.entry(normal).or_default();
                if let Some(value) = gathered_value {
                    entry.get_or_insert_with(BTreeSet::new).insert(value);
                }
            }
            None => plain.push(normal),
        }
    }
    if let Some(var) = gathered {
        for (mut row, values) in out {
            if let Some(values) = values {
                row.insert(var.to_owned(), format!("{values:?}"));
            }
            plain.push(row);
        }
    }
    plain.sort();
    plain
}

fn polegraph_answer(query_file: &Path) -> Vec<BTreeMap<String, oxigraph::model::Term>> {
    let output = polegraph(&[
        "query",
        "-f",
        query_file.to_str().unwrap(),
        "--format",
        "xml",
    ]);
    assert_exit(&output, 0);
    parse_xml_results(&output.stdout)
}

fn roqet_answer(query_file: &Path, data: &Path) -> Vec<BTreeMap<String, oxigraph::model::Term>> {
    let output = Command::new("roqet")
        .args(["-q", "-i", "sparql", "-r", "xml", "-D"])
        .arg(data)
        .arg(query_file)
        .output()
        .unwrap();
    // roqet exits 2 when it only warned (it does on GROUP BY, silently).
    assert!(
        matches!(output.status.code(), Some(0 | 2)) && !stderr(&output).contains("Error"),
        "roqet failed on {}: {}",
        query_file.display(),
        stderr(&output)
    );
    // roqet writes <unbound/> bindings, which SPARQL XML results leave out.
    let xml = String::from_utf8(output.stdout).unwrap();
    let mut cleaned = String::new();
    let mut rest = xml.as_str();
    while let Some(at) = rest.find("<binding ") {
        let end = rest[at..]
            .find("</binding>")
            .map_or(rest.len(), |e| at + e + "</binding>".len());
        cleaned.push_str(&rest[..at]);
        if !rest[at..end].contains("<unbound/>") {
            cleaned.push_str(&rest[at..end]);
        }
        rest = &rest[end..];
    }
    cleaned.push_str(rest);
    parse_xml_results(cleaned.as_bytes())
}

/// Rasqal's roqet, over the Turtle export (the union of the graphs, as
/// polegraph's default graph), answers every query of queries/ as polegraph
/// does. roqet 0.9.33 implements SPARQL 1.0 and part of 1.1: for a query it
/// cannot run as written, tests/fixtures/roqet/ holds a version in the
/// subset it handles, which polegraph must answer as it answers the
/// original.
#[test]
fn roqet_answers_every_shipped_query_as_polegraph_does() {
    if !tool_available("Rasqal's roqet", Command::new("roqet").arg("--version")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("export.ttl");
    export_turtle(None, &data);
    let mut queries: Vec<PathBuf> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    queries.sort();
    assert!(queries.len() >= 10);
    let mut rewritten = 0;
    for query in &queries {
        let name = query.file_name().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read_to_string(query).unwrap();
        if original.contains("GRAPH ?") {
            // The Turtle export merges the named graphs: a query that reads
            // which graph holds a triple has no roqet answer to compare.
            continue;
        }
        let expected = normalise(polegraph_answer(query), &concatenations(&original), None);
        assert!(!expected.is_empty(), "{name}: polegraph gives no answer");
        let version = root().join("tests/fixtures/roqet").join(&name);
        let (roqet_query, gathered) = if version.exists() {
            rewritten += 1;
            let text = std::fs::read_to_string(&version).unwrap();
            let gathered = text
                .lines()
                .find_map(|l| l.strip_prefix("# roqet-rows-per: "))
                .map(|v| v.trim().to_owned());
            let concatenated = concatenations(&text);
            let ours = normalise(
                polegraph_answer(&version),
                &concatenated,
                gathered.as_deref(),
            );
            assert_eq!(
                ours, expected,
                "{name}: polegraph answers the roqet version differently from the original"
            );
            (version, gathered)
        } else {
            (query.clone(), None)
        };
        let text = std::fs::read_to_string(&roqet_query).unwrap();
        let theirs = normalise(
            roqet_answer(&roqet_query, &data),
            &concatenations(&text),
            gathered.as_deref(),
        );
        assert_eq!(theirs, expected, "{name}: roqet and polegraph differ");
    }
    assert!(
        rewritten * 2 <= queries.len(),
        "most queries run on roqet as written"
    );
}

/// The dumps of a bundle, with rdflib's and rapper's names for their format.
const DUMPS: &[(GraphFormat, &str, Option<&str>)] = &[
    (GraphFormat::Turtle, "turtle", Some("turtle")),
    (GraphFormat::TriG, "trig", Some("trig")),
    (GraphFormat::NTriples, "nt", Some("ntriples")),
    (GraphFormat::NQuads, "nquads", Some("nquads")),
    (GraphFormat::RdfXml, "xml", Some("rdfxml")),
    (GraphFormat::JsonLd, "json-ld", None),
];

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

fn write_bundle(dir: &Path) {
    let output = polegraph(&["export", "--bundle", dir.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("wrote the bundle"),
        "{}",
        stderr(&output)
    );
}

fn oxigraph_count(path: &Path, format: RdfFormat) -> usize {
    let bytes = std::fs::read(path).unwrap();
    let mut count = 0;
    for quad in RdfParser::from_format(format).for_slice(&bytes) {
        quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        count += 1;
    }
    count
}

#[test]
fn the_bundle_holds_every_format_and_the_support_files() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("bundle");
    write_bundle(&dir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "README.md",
            "context.jsonld",
            "dataset.jsonld",
            "dataset.nq",
            "dataset.nt",
            "dataset.rdf",
            "dataset.trig",
            "dataset.ttl",
            "ontology.ttl",
            "shapes.ttl",
            "void.ttl",
        ]
    );
    // Nothing left next to it.
    let siblings: Vec<_> = std::fs::read_dir(parent.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "temporary folders left behind");

    let (quads, triples) = stats_counts();
    for (format, _, _) in DUMPS {
        let path = dir.join(format!("dataset.{}", format.file_extension()));
        let expected = if format.keeps_graphs() {
            quads
        } else {
            triples
        };
        assert_eq!(
            oxigraph_count(&path, format.rdf_format()),
            expected,
            "{format}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("ontology.ttl")).unwrap(),
        std::fs::read_to_string(root().join("ontology/polegraph.ttl")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("shapes.ttl")).unwrap(),
        std::fs::read_to_string(root().join("ontology/shapes.ttl")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("context.jsonld")).unwrap(),
        std::fs::read_to_string(root().join("ontology/context.jsonld")).unwrap()
    );
    // The VoID/DCAT description is the void graph of the dataset.
    let void_quads = oxigraph_count(&dir.join("dataset.nq"), RdfFormat::NQuads);
    let void_triples = oxigraph_count(&dir.join("void.ttl"), RdfFormat::Turtle);
    assert!(void_triples > 50 && void_triples < void_quads);
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    for name in &names {
        if name != "README.md" {
            assert!(readme.contains(&format!("`{name}`")), "README lists {name}");
        }
    }
    assert!(readme.contains(&format!("({quads} quads)")), "{readme}");
}

#[test]
fn rdflib_and_rapper_read_every_format_of_the_bundle_to_the_same_counts() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("bundle");
    write_bundle(&dir);
    let (quads, triples) = stats_counts();
    if python_with("rdflib") {
        let mut args = vec![tool("rdflib_read.py").display().to_string()];
        for (format, name, _) in DUMPS {
            args.push((*name).to_owned());
            args.push(
                dir.join(format!("dataset.{}", format.file_extension()))
                    .display()
                    .to_string(),
            );
        }
        for support in ["ontology.ttl", "shapes.ttl", "void.ttl"] {
            args.push("turtle".to_owned());
            args.push(dir.join(support).display().to_string());
        }
        let output = Command::new("python3").args(&args).output().unwrap();
        assert!(output.status.success(), "rdflib: {}", stderr(&output));
        let counts: Vec<usize> = stdout(&output)
            .lines()
            .map(|l| l.rsplit('\t').next().unwrap().parse().unwrap())
            .collect();
        for ((format, _, _), count) in DUMPS.iter().zip(&counts) {
            let expected = if format.keeps_graphs() {
                quads
            } else {
                triples
            };
            assert_eq!(*count, expected, "rdflib's count for {format}");
        }
        for (support, count) in ["ontology.ttl", "shapes.ttl", "void.ttl"]
            .iter()
            .zip(&counts[DUMPS.len()..])
        {
            let expected = oxigraph_count(&dir.join(support), RdfFormat::Turtle);
            assert_eq!(*count, expected, "rdflib's count for {support}");
        }
        // JSON-LD round-trips: rdflib finds it isomorphic to the N-Triples.
        let output = Command::new("python3")
            .arg(tool("rdflib_read.py"))
            .args(["--isomorphic", "nt"])
            .arg(dir.join("dataset.nt"))
            .arg("json-ld")
            .arg(dir.join("dataset.jsonld"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}{}",
            stdout(&output),
            stderr(&output)
        );
    }
    if tool_available("Raptor's rapper", Command::new("rapper").arg("--version")) {
        let files = DUMPS
            .iter()
            .filter_map(|(format, _, rapper)| {
                let expected = if format.keeps_graphs() {
                    quads
                } else {
                    triples
                };
                rapper.map(|r| (format!("dataset.{}", format.file_extension()), r, expected))
            })
            .chain(["ontology.ttl", "shapes.ttl", "void.ttl"].map(|name| {
                let expected = oxigraph_count(&dir.join(name), RdfFormat::Turtle);
                (name.to_owned(), "turtle", expected)
            }));
        for (name, syntax, expected) in files {
            let count = rapper_count(syntax, &dir.join(&name));
            assert_eq!(count, expected, "rapper's count for {name}");
        }
    }
}

#[test]
fn the_bundle_never_overwrites_a_folder_by_surprise() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("bundle");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    let output = polegraph(&["export", "--bundle", dir.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert!(dir.join("keep.txt").exists());
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 1);

    let output = polegraph(&["export", "--bundle", dir.to_str().unwrap(), "--force", "-q"]);
    assert_exit(&output, 0);
    assert_eq!(stderr(&output), "");
    assert!(!dir.join("keep.txt").exists());
    assert!(dir.join("dataset.ttl").exists());
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 1);

    // An empty folder is fine without --force.
    let empty = parent.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_exit(
        &polegraph(&["export", "--bundle", empty.to_str().unwrap()]),
        0,
    );
    // A file is not a folder.
    let file = parent.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert_exit(
        &polegraph(&["export", "--bundle", file.to_str().unwrap(), "--force"]),
        2,
    );
    // --bundle takes neither -o nor --format.
    assert_exit(
        &polegraph(&[
            "export",
            "--bundle",
            empty.to_str().unwrap(),
            "--format",
            "nt",
        ]),
        2,
    );
}

#[test]
fn the_shipped_context_is_the_one_the_export_embeds() {
    let path = root().join("ontology/context.jsonld");
    if blessing() {
        std::fs::write(&path, polegraph::export::context_document()).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap();
    assert!(
        shipped == polegraph::export::context_document(),
        "ontology/context.jsonld differs from jsonld::TERMS (POLEGRAPH_BLESS=1 rewrites it)"
    );
    let context: serde_json::Value = serde_json::from_str(&shipped).unwrap();
    let export = polegraph(&["export", "--format", "jsonld"]);
    assert_exit(&export, 0);
    let document: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(document["@context"][0], context["@context"]);
    // The second context object holds the prefixes under the base IRI.
    assert_eq!(
        document["@context"][1]["organization"],
        "https://example.org/polegraph/organization/"
    );
    // One node object per subject inside one @graph per named graph, with
    // the terms of the context.
    let graphs = document["@graph"].as_array().unwrap();
    let seed = graphs
        .iter()
        .find(|g| g["@id"] == "graph:seed")
        .expect("the seed graph");
    let dge = seed["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@id"] == "organization:dge")
        .expect("the DGE in the seed graph");
    assert_eq!(dge["label"]["fr"], "Direction générale des entreprises");
    assert_eq!(dge["acronym"], "DGE");
    assert_eq!(
        dge["@type"],
        serde_json::json!(["Organization", "Directorate"])
    );
    assert!(dge["subOrganizationOf"].is_string(), "{dge}");
}

/// The VoID/DCAT description: one distribution per format, and the issued
/// date and license only when the data gives them.
#[test]
fn the_dcat_description_has_its_distributions_and_the_data_s_dates() {
    let query = |args: &[&str], text: &str| -> String {
        let output = polegraph(&[&["query", "--format", "tsv", text], args].concat());
        assert_exit(&output, 0);
        stdout(&output)
    };
    let distributions = query(
        &[],
        "SELECT ?url ?media ?format WHERE { ?d a dcat:Dataset ; dcat:distribution ?x ; void:dataDump ?url . \
         ?x dcat:downloadURL ?url ; dcat:accessURL ?url ; dcat:mediaType ?media ; dcterms:format ?format } ORDER BY ?url",
    );
    let rows: Vec<&str> = distributions.lines().skip(1).collect();
    assert_eq!(rows.len(), 6, "{distributions}");
    assert!(rows.contains(
        &"<https://example.org/polegraph/dataset.ttl>\t<http://www.iana.org/assignments/media-types/text/turtle>\t<http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE>"
    ), "{distributions}");
    let issued = "SELECT ?issued ?license WHERE { ?d a dcat:Dataset OPTIONAL { ?d dcterms:issued ?issued } OPTIONAL { ?d dcterms:license ?license } }";
    assert_eq!(query(&[], issued), "?issued\t?license\n\t\n");

    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/valid-toml/records.toml"),
        dir.path().join("records.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("polegraph.toml"),
        "[dataset]\ntitle = \"Essai\"\ndescription = \"Un essai.\"\nissued = \"2026-11-28\"\nlicense = \"https://www.etalab.gouv.fr/licence-ouverte-open-licence\"\n",
    )
    .unwrap();
    let data = dir.path().to_str().unwrap();
    assert_eq!(
        query(&["--data", data], issued),
        "?issued\t?license\n\"2026-11-28\"^^<http://www.w3.org/2001/XMLSchema#date>\t<https://www.etalab.gouv.fr/licence-ouverte-open-licence>\n"
    );
    assert_exit(&polegraph(&["validate", "--data", data]), 0);
}
