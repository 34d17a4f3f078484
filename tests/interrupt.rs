//! An interrupted command leaves nothing aside and the previous output
//! intact: `kill` (SIGTERM) as well as Ctrl-C (SIGINT), for a streamed
//! export, an export serialized whole (Turtle), a bundle and a Graphviz
//! image. (SIGINT on a streamed export is in `cli.rs`, on a store build in
//! `store.rs`.)
#![cfg(unix)]

mod support;

use support::{assert_only_previous, interrupted_by, tables_and_out, tool_available};

/// Exports tables of `rows` rows to `out/NAME` over a previous file, and
/// interrupts the export with each of `signals` in turn.
fn interrupt_export(rows: usize, name: &str, signals: &[&str]) {
    let setup = tables_and_out(rows);
    let target = setup.out.join(name);
    std::fs::write(&target, "previous").unwrap();
    let tables = setup.tables.to_str().unwrap();
    let args = ["export", "--data", tables, "-o", target.to_str().unwrap()];
    for signal in signals {
        interrupted_by(signal, &args, &setup.out, ".polegraph-");
        assert_only_previous(&setup.out, &target);
    }
}

#[test]
fn sigterm_during_a_streamed_export_leaves_the_previous_file_alone() {
    interrupt_export(30_000, "graph.nt", &["TERM"]);
}

/// Turtle is serialized from the whole graph, not streamed.
#[test]
fn an_interrupted_turtle_export_leaves_the_previous_file_alone() {
    interrupt_export(2_000, "graph.ttl", &["INT", "TERM"]);
}

#[test]
fn an_interrupted_bundle_leaves_the_previous_bundle_alone() {
    let setup = tables_and_out(2_000);
    let bundle = setup.out.join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    std::fs::write(bundle.join("previous.txt"), "previous").unwrap();
    let tables = setup.tables.to_str().unwrap();
    let args = [
        "export",
        "--data",
        tables,
        "--force",
        "--bundle",
        bundle.to_str().unwrap(),
    ];
    for signal in ["INT", "TERM"] {
        interrupted_by(signal, &args, &setup.out, ".bundle.bundle-");
        assert_only_previous(&setup.out, &bundle);
    }
}

/// Interrupted while Graphviz draws into the file written aside.
#[test]
fn an_interrupted_graphviz_image_leaves_the_previous_image_alone() {
    if !tool_available(
        "Graphviz `dot`",
        std::process::Command::new("dot").arg("-V"),
    ) {
        return;
    }
    let setup = tables_and_out(300);
    let target = setup.out.join("graph.svg");
    std::fs::write(&target, "previous").unwrap();
    let tables = setup.tables.to_str().unwrap();
    let args = [
        "dot",
        "--all",
        "--data",
        tables,
        "-o",
        target.to_str().unwrap(),
    ];
    interrupted_by("TERM", &args, &setup.out, ".polegraph-");
    assert_only_previous(&setup.out, &target);
}
