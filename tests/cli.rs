//! The command line as users see it: help, error messages, exit codes,
//! data faults, CSV-only folders, output files and determinism.

mod support;

use support::*;

#[test]
fn help_texts_match_their_snapshots() {
    for command in ["", "build", "query", "export", "stats"] {
        let args: Vec<&str> = command.split_whitespace().chain(["--help"]).collect();
        let output = polegraph(&args);
        assert_exit(&output, 0);
        let name = if command.is_empty() {
            "polegraph"
        } else {
            command
        };
        assert_snapshot(&format!("help-{name}.txt"), &stdout(&output));
    }
}

#[test]
fn clap_definition_is_consistent() {
    // The binary's own parser rejects a bad definition at start-up; this runs
    // every subcommand's parser once.
    for command in ["build", "query", "export", "stats"] {
        assert_exit(&polegraph(&[command, "--help"]), 0);
    }
    assert_exit(&polegraph(&["no-such-command"]), 2);
}

/// Every folder of tests/fixtures/faults holds one class of data fault.
/// Each must exit 2, name the file and the line, and never panic.
#[test]
fn each_data_fault_exits_2_with_file_and_line() {
    let faults = root().join("tests/fixtures/faults");
    let mut names: Vec<String> = std::fs::read_dir(&faults)
        .expect("the fault fixtures exist")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert!(names.len() >= 19, "fault classes: {names:?}");
    for name in names {
        let output = polegraph_in(&faults, &["build", "--data", &name]);
        assert_exit(&output, 2);
        let message = stderr(&output);
        assert!(
            message.starts_with("polegraph: the data has 1 error:\n"),
            "{name}: {message}"
        );
        assert!(
            message.contains(&format!("  {name}/")),
            "{name} names the file: {message}"
        );
        assert_snapshot(&format!("fault-{name}.txt"), &message);
    }
}

#[test]
fn all_faults_of_a_folder_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let records =
        std::fs::read_to_string(root().join("tests/fixtures/valid-toml/records.toml")).unwrap();
    let broken = records
        .replace(
            "parent = \"min-eco\"",
            "parent = \"min-ecco\"\nmembers = [\"nobody\"]",
        )
        .replace(
            "kind = \"web_page\"",
            "kind = \"web_page\"\ndate = \"2007-13-01\"",
        );
    std::fs::write(dir.path().join("records.toml"), broken).unwrap();
    let output = polegraph(&["build", "--data", dir.path().to_str().unwrap()]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("the data has 3 errors"), "{message}");
    assert!(message.contains("there is no month 13"), "{message}");
    assert!(
        message.contains("unknown organisation id `nobody`"),
        "{message}"
    );
    assert!(message.contains("did you mean `min-eco`?"), "{message}");
}

#[test]
fn a_folder_of_only_csv_tables_builds() {
    let output = polegraph(&["build", "--data", "tests/fixtures/csv-only"]);
    assert_exit(&output, 0);
    let report = stdout(&output);
    for line in [
        "organisations         3",
        "people                2",
        "talks                 2",
    ] {
        assert!(report.contains(line), "{line}:\n{report}");
    }
}

#[test]
fn csv_values_keep_their_accents_quotes_and_commas() {
    let output = polegraph(&[
        "query",
        "--data",
        "tests/fixtures/csv-only",
        "--format",
        "csv",
        "SELECT ?name WHERE { ?o a pg:Pole ; skos:prefLabel ?name }",
    ]);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "name\r\n\"Pôle « Mer » \"\"Bretagne\"\"\"\r\n"
    );
}

#[test]
fn a_csv_table_without_a_source_column_cites_the_table_file() {
    let output = polegraph(&[
        "query",
        "--data",
        "tests/fixtures/csv-only",
        "--format",
        "csv",
        "SELECT ?title WHERE { organization:2 dcterms:source ?s . ?s dcterms:title ?title }",
    ]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "title\r\norganizations.csv\r\n");
}

#[test]
fn an_uncertain_csv_row_is_marked_in_the_graph() {
    let output = polegraph(&[
        "query",
        "--data",
        "tests/fixtures/csv-only",
        "--format",
        "csv",
        "SELECT ?p WHERE { ?p pg:uncertain true } ORDER BY ?p",
    ]);
    assert_exit(&output, 0);
    let expected =
        "p\r\nhttps://example.org/polegraph/person/2\r\nhttps://example.org/polegraph/post/2\r\n";
    assert_eq!(stdout(&output), expected);
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["export", "--format", "docx"],
            "usage-unknown-export-format.txt",
        ),
        (
            &["export", "-o", "graph.docx"],
            "usage-unknown-extension.txt",
        ),
        (
            &[
                "query",
                "--format",
                "ttl",
                "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            ],
            "usage-graph-format-for-select.txt",
        ),
        (
            &["query", "--format", "csv", "CONSTRUCT WHERE { ?s ?p ?o }"],
            "usage-results-format-for-construct.txt",
        ),
        (
            &["query", "SELEC ?s WHERE { ?s ?p ?o }"],
            "usage-bad-sparql.txt",
        ),
        (
            &["build", "--data", "no/such/folder"],
            "usage-no-data-folder.txt",
        ),
        (&["build", "--base", "not an iri"], "usage-bad-base.txt"),
        (
            &["export", "--page-cache"],
            "usage-page-cache-without-output.txt",
        ),
        (
            &["build", "--base", "https://example.org/kg"],
            "usage-base-without-slash.txt",
        ),
    ];
    for (args, snapshot) in cases {
        let output = polegraph(args);
        assert_exit(&output, 2);
        assert_snapshot(snapshot, &stderr(&output));
    }
}

#[test]
fn the_built_in_data_works_from_any_folder() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = polegraph_in(elsewhere.path(), &["build"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("organisations        92"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn base_iri_changes_every_record_and_graph_iri() {
    let output = polegraph(&[
        "query",
        "--base",
        "https://data.example.fr/poles/",
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRSTARTS(STR(?g), \"https://data.example.fr/poles/graph/\")) }",
    ]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "n\r\n0\r\n");
    let output = polegraph(&[
        "query",
        "--base",
        "https://data.example.fr/poles/",
        "--format",
        "table",
        "ASK { <https://data.example.fr/poles/organization/dge> a org:Organization }",
    ]);
    assert_eq!(stdout(&output), "true\n");
}

#[test]
fn exports_are_byte_identical_across_runs() {
    for format in ["ttl", "trig", "nt", "nq", "rdf", "jsonld"] {
        let first = polegraph(&["export", "--format", format]);
        let second = polegraph(&["export", "--format", format]);
        assert_exit(&first, 0);
        assert!(!first.stdout.is_empty());
        assert!(
            first.stdout == second.stdout,
            "{format} export differs between runs"
        );
    }
}

#[test]
fn export_to_a_file_infers_the_format_and_writes_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("graph.nq");
    let output = polegraph(&["export", "-o", target.to_str().unwrap()]);
    assert_exit(&output, 0);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.lines().all(|l| l.ends_with(" .")), "N-Quads lines");
    assert!(text.contains("<https://example.org/polegraph/graph/seed> ."));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1);

    // A failed export leaves the previous file untouched.
    std::fs::write(&target, "previous").unwrap();
    let output = polegraph(&[
        "export",
        "-o",
        target.to_str().unwrap(),
        "--base",
        "bad base",
    ]);
    assert_exit(&output, 2);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous");
    // Nor anything aside after the failure.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

/// `-o` on a named pipe writes into the pipe (a device such as /dev/null
/// is the same case): renaming a file over it would replace the pipe. A
/// link is followed and kept, a link to nothing refused, and so is a
/// folder.
#[cfg(unix)]
#[test]
fn export_to_a_pipe_a_link_or_a_folder() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("graph.nt");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };
    let output = polegraph(&["export", "-o", pipe.to_str().unwrap()]);
    assert_exit(&output, 0);
    // (Checked before waiting for the reader, which a replaced pipe would
    // leave waiting for ever.)
    assert!(std::fs::symlink_metadata(&pipe)
        .unwrap()
        .file_type()
        .is_fifo());
    let piped = reader.join().unwrap();
    assert_eq!(piped, stdout(&polegraph(&["export", "--format", "nt"])));

    let real = dir.path().join("real.ttl");
    let link = dir.path().join("link.ttl");
    std::fs::write(&real, "previous").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_exit(&polegraph(&["export", "-o", link.to_str().unwrap()]), 0);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .starts_with("@prefix"));

    let refused = |target: &std::path::Path, reason: &str| {
        let output = polegraph(&["export", "-o", target.to_str().unwrap()]);
        assert_exit(&output, 2);
        assert!(stderr(&output).contains(reason), "{}", stderr(&output));
    };
    let dangling = dir.path().join("dangling.ttl");
    std::os::unix::fs::symlink("nowhere.ttl", &dangling).unwrap();
    refused(&dangling, "which does not exist");
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    let folder = dir.path().join("folder.nt");
    std::fs::create_dir(&folder).unwrap();
    refused(&folder, "is a folder");
}

/// `-o /dev/stdout` while standard output goes to a file writes through
/// standard output (after what the file held), rather than renaming a new
/// file over it.
#[cfg(target_os = "linux")]
#[test]
fn export_to_dev_stdout_keeps_a_redirected_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.nt");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"# header\n").unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(["export", "--format", "nt", "-o", "/dev/stdout"])
        .stdout(file)
        .status()
        .unwrap();
    assert!(status.success());
    let expected = stdout(&polegraph(&["export", "--format", "nt"]));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("# header\n{expected}")
    );
}

#[test]
fn turtle_declares_only_the_prefixes_it_uses() {
    let output = polegraph(&["export", "--format", "ttl"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    let prefixes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("@prefix "))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert!(
        prefixes.contains(&"pg") && prefixes.contains(&"organization"),
        "{prefixes:?}"
    );
    assert!(!prefixes.contains(&"sh"), "sh: is declared but unused");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("@prefix"))
        .collect::<Vec<_>>()
        .join("\n");
    for prefix in prefixes {
        assert!(
            body.contains(&format!("{prefix}:")),
            "prefix {prefix} is declared but unused"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(["export", "--format", "nt"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn stats_counts_match_a_sparql_count() {
    let stats = stdout(&polegraph(&["stats"]));
    let quads_line = stats.lines().find(|l| l.contains("quads (TriG")).unwrap();
    let quads: usize = quads_line
        .split_whitespace()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    let counted = stdout(&polegraph(&[
        "query",
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ]));
    assert_eq!(counted, format!("n\r\n{quads}\r\n"));
    let poles_line = stats
        .lines()
        .find(|l| l.trim_start().starts_with("pg:Pole "))
        .unwrap();
    assert!(poles_line.ends_with(" 71"), "{poles_line}");
}

/// The streaming export of a folder of CSV tables holds the same records as
/// the graph built in memory (without the ontology and VoID graphs).
/// Each line of `text`, with the number of times it occurs.
fn line_counts(text: &str) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for line in text.lines() {
        *counts.entry(line.to_owned()).or_insert(0) += 1;
    }
    counts
}

/// The streamed N-Quads and N-Triples hold each quad (each triple of the
/// union) of the built graph exactly once. Before, the lines were compared
/// as a set, so a line written twice passed, and N-Triples was never
/// compared.
#[test]
fn streamed_csv_export_matches_the_built_graph() {
    let dataset = polegraph::load::load_dir(&root().join("tests/fixtures/csv-only")).unwrap();
    let graph = polegraph::store::build(&dataset, None).unwrap();
    let quads: Vec<_> = graph
        .store
        .iter()
        .map(Result::unwrap)
        .filter(|q| {
            !q.graph_name.to_string().ends_with("/graph/ontology>")
                && !q.graph_name.to_string().ends_with("/graph/void>")
        })
        .collect();
    let nq: String = quads.iter().map(|q| format!("{q} .\n")).collect();
    let union: std::collections::BTreeSet<String> = quads
        .iter()
        .map(|q| format!("{} {} {} .\n", q.subject, q.predicate, q.object))
        .collect();
    let nt: String = union.into_iter().collect();
    for (format, expected) in [("nq", nq), ("nt", nt)] {
        let streamed = polegraph(&[
            "export",
            "--data",
            "tests/fixtures/csv-only",
            "--format",
            format,
        ]);
        assert_exit(&streamed, 0);
        assert_eq!(
            line_counts(&stdout(&streamed)),
            line_counts(&expected),
            "{format}: the streamed lines (with their counts) differ from the built graph"
        );
    }
}

/// Ctrl-C during an export removes the temporary file (gigabytes, for a
/// large export) and leaves the previous file where it was.
#[cfg(unix)]
#[test]
fn an_interrupted_export_leaves_the_previous_file_alone() {
    let setup = tables_and_out(100_000);
    let target = setup.out.join("graph.nt");
    std::fs::write(&target, "previous").unwrap();
    let args = [
        "export",
        "--data",
        setup.tables.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ];
    interrupted(&args, &setup.out, ".polegraph-");
    assert_only_previous(&setup.out, &target);
}

/// A streamed export to a file (written around the page cache where the
/// system allows it) holds the bytes of the export to standard output, and
/// so does one written through the page cache; a fault leaves no file.
#[test]
fn streamed_csv_export_to_a_file_holds_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // Tables large enough that whole staging buffers are written direct.
    let generated = dir.path().join("tables");
    std::fs::create_dir(&generated).unwrap();
    write_tables(&generated, 40_000);
    let data = generated.to_str().unwrap();
    let expected = polegraph(&["export", "--data", data, "--format", "nq", "-q"]);
    assert_exit(&expected, 0);
    assert!(expected.stdout.len() > 2 * polegraph::io::direct_file::STAGING);
    for extra in [&[][..], &["--page-cache"][..]] {
        let target = dir.path().join("graph.nq");
        let mut args = vec!["export", "--data", data, "-o", target.to_str().unwrap()];
        args.extend_from_slice(extra);
        assert_exit(&polegraph(&args), 0);
        assert!(
            std::fs::read(&target).unwrap() == expected.stdout,
            "{extra:?}: the file differs from standard output"
        );
        std::fs::remove_file(&target).unwrap();
    }
    // A fault at the end of the last table: nothing appears at the target.
    let mut talks = std::fs::read_to_string(generated.join("talks.csv")).unwrap();
    talks.push_str("t-bad,Titre,no-such-event,,\n");
    std::fs::write(generated.join("talks.csv"), talks).unwrap();
    let target = dir.path().join("graph.nq");
    let output = polegraph(&["export", "--data", data, "-o", target.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert!(!target.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn streamed_csv_export_reports_faults_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["organizations.csv", "people.csv", "events.csv", "talks.csv"] {
        std::fs::copy(
            root().join("tests/fixtures/csv-only").join(file),
            dir.path().join(file),
        )
        .unwrap();
    }
    let talks =
        "id,title,event_id,speaker_ids,document_url\n1,Table ronde,1,3,\n2,Table ronde,9,,\n";
    std::fs::write(dir.path().join("talks.csv"), talks).unwrap();
    let target = dir.path().join("out.nt");
    let output = polegraph(&[
        "export",
        "--data",
        dir.path().to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("talks.csv:2:4: field `speaker_ids`: unknown person id `3` (no person record has this id"), "{message}");
    assert!(
        message.contains("talks.csv:3:3: field `event_id`: unknown event id `9`"),
        "{message}"
    );
    assert!(!target.exists(), "a failed export leaves no file");

    std::fs::write(
        dir.path().join("talks.csv"),
        "id,title,event_id,speaker_ids,document_url\n1,A,1,,\n1,B,1,,\n",
    )
    .unwrap();
    let output = polegraph(&[
        "export",
        "--data",
        dir.path().to_str().unwrap(),
        "--format",
        "nt",
    ]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("talks.csv:3:1: field `id`: duplicate talk id `1`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_pole_in_a_csv_table_can_name_its_regions() {
    let output = polegraph(&[
        "query",
        "--data",
        "tests/fixtures/csv-only",
        "--format",
        "csv",
        "SELECT ?region WHERE { ?pole pg:region ?region } ORDER BY ?region",
    ]);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "region\r\nBretagne\r\nPays de la Loire\r\n"
    );
}

#[test]
fn streamed_csv_export_finds_a_cycle_in_the_hierarchy() {
    let dir = tempfile::tempdir().unwrap();
    let organizations = "id,name,acronym,kind,parent_id\nm,Ministère,,ministry,\na,A,,directorate,b\nb,B,,directorate,a\n";
    std::fs::write(dir.path().join("organizations.csv"), organizations).unwrap();
    let output = polegraph(&[
        "export",
        "--data",
        dir.path().to_str().unwrap(),
        "--format",
        "nt",
    ]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(
        message.contains("field `parent_id`: the organisation hierarchy has a cycle: a → b → a"),
        "{message}"
    );
}

/// `dot` reads a folder of CSV tables with the streaming reader: it draws
/// them, and reports their faults like the other commands.
#[test]
fn dot_draws_a_folder_of_csv_tables_and_reports_its_faults() {
    let output = polegraph(&["dot", "--data", "tests/fixtures/csv-only", "--all"]);
    assert_exit(&output, 0);
    let dot = stdout(&output);
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.contains("Direction générale des entreprises"), "{dot}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("organizations.csv"),
        "id,name,acronym,kind,parent_id\n1,Ministère,,ministry,7\n",
    )
    .unwrap();
    let output = polegraph(&["dot", "--data", dir.path().to_str().unwrap(), "--all"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output)
            .contains("organizations.csv:2:5: field `parent_id`: unknown organisation id `7`"),
        "{}",
        stderr(&output)
    );
}

/// Every output written to disk follows one rule (`polegraph::io::atomic`):
/// a new file gets `0666` less the umask, as the shell's `>` makes it, a
/// new folder `0777` less the umask, and an output that replaces another
/// keeps that one's permissions. Before, `dot -o g.svg` and `dot -o g.dot`
/// followed different rules, and `export` gave every new file `0644`
/// whatever the umask. The commands run under umask 027 here, which tells
/// the rules apart.
#[test]
#[cfg(unix)]
fn every_output_gets_the_same_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let svg = tool_available(
        "Graphviz `dot`",
        std::process::Command::new("dot").arg("-V"),
    );
    let mut outputs = vec![
        ("g.ttl", "export -o", 0o640),
        ("g.dot", "dot -o", 0o640),
        ("bundle", "export --force --bundle", 0o750),
    ];
    if svg {
        outputs.push(("g.svg", "dot -o", 0o640));
    }
    for (name, command, usual) in outputs {
        let target = dir.path().join(name);
        let run = || {
            let line = format!("umask 027 && exec \"$0\" {command} \"$1\"",);
            let output = std::process::Command::new("sh")
                .args(["-c", &line, env!("CARGO_BIN_EXE_polegraph")])
                .arg(&target)
                .output()
                .unwrap();
            assert_exit(&output, 0);
        };
        run();
        assert_eq!(mode(&target), usual, "{name}: a new output, umask 027");
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o604)).unwrap();
        run();
        assert_eq!(
            mode(&target),
            0o604,
            "{name}: a replaced output keeps its permissions"
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "nothing is left aside: {left:?}");
}
