//! An interrupted command leaves nothing aside and the previous output
//! intact: `kill` (SIGTERM) as well as Ctrl-C (SIGINT), for a streamed
//! export, an export serialized whole (Turtle), a bundle and a Graphviz
//! image. (SIGINT on a streamed export is in `cli.rs`, on a store build in
//! `store.rs`.)
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};
use support::{interrupted_by, tool_available, write_tables};

/// A folder with generated tables of `rows` rows in `tables/` and an
/// `out/` folder holding `previous` (a file, or a bundle folder).
struct Setup {
    _dir: tempfile::TempDir,
    tables: PathBuf,
    out: PathBuf,
}

fn setup(rows: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    let out = dir.path().join("out");
    std::fs::create_dir(&tables).unwrap();
    std::fs::create_dir(&out).unwrap();
    write_tables(&tables, rows);
    Setup {
        _dir: dir,
        tables,
        out,
    }
}

/// Asserts that `out` holds only `previous` with its old content.
fn assert_previous_intact(out: &Path, previous: &Path) {
    let left: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        [previous.file_name().unwrap().to_string_lossy()],
        "something was left aside"
    );
    let content = if previous.is_dir() {
        previous.join("previous.txt")
    } else {
        previous.to_owned()
    };
    assert_eq!(std::fs::read_to_string(content).unwrap(), "previous");
}

#[test]
fn sigterm_during_a_streamed_export_leaves_the_previous_file_alone() {
    let setup = setup(100_000);
    let target = setup.out.join("graph.nt");
    std::fs::write(&target, "previous").unwrap();
    let tables = setup.tables.to_str().unwrap();
    let args = ["export", "--data", tables, "-o", target.to_str().unwrap()];
    interrupted_by("TERM", &args, &setup.out, ".polegraph-");
    assert_previous_intact(&setup.out, &target);
}

/// Turtle is serialized from the whole graph, not streamed.
#[test]
fn an_interrupted_turtle_export_leaves_the_previous_file_alone() {
    let setup = setup(5_000);
    let target = setup.out.join("graph.ttl");
    std::fs::write(&target, "previous").unwrap();
    let tables = setup.tables.to_str().unwrap();
    let args = ["export", "--data", tables, "-o", target.to_str().unwrap()];
    for signal in ["INT", "TERM"] {
        interrupted_by(signal, &args, &setup.out, ".polegraph-");
        assert_previous_intact(&setup.out, &target);
    }
}

#[test]
fn an_interrupted_bundle_leaves_the_previous_bundle_alone() {
    let setup = setup(2_000);
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
        assert_previous_intact(&setup.out, &bundle);
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
    let setup = setup(300);
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
    assert_previous_intact(&setup.out, &target);
}
