//! An output that cannot be written to the end (the disk full, a quota)
//! fails with a message, removes what it wrote aside and leaves the
//! previous output intact: an export serialized whole (Turtle), a streamed
//! export, and a bundle failing half-way through its files.
//!
//! The disk is "full" by the file-size limit (`ulimit -f`, RLIMIT_FSIZE)
//! with SIGXFSZ ignored (an ignored signal stays ignored across `exec`):
//! a write past the limit then fails with EFBIG, as one past the free
//! space fails with ENOSPC, on the same code path. Unlike a small tmpfs it
//! needs neither root nor a mount, so it runs everywhere and skips nowhere.
#![cfg(unix)]

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{assert_exit, assert_only_previous, root, stderr, tables_and_out, TablesAndOut};

/// `polegraph ARGS` with files limited to `kib` KiB (`ulimit -f` counts
/// blocks of 512 bytes in dash, of 1,024 in bash: the limit is `kib` or
/// twice that, and each test leaves room for both).
fn polegraph_limited(kib: u64, args: &[&str]) -> Output {
    let line = format!("trap '' XFSZ; ulimit -f {}; exec \"$0\" \"$@\"", kib * 2);
    Command::new("sh")
        .args(["-c", &line, env!("CARGO_BIN_EXE_polegraph")])
        .args(args)
        .current_dir(root())
        .output()
        .expect("sh runs polegraph")
}

/// Asserts the command failed for want of room, and that `out` holds only
/// `previous`, with its old content.
fn assert_failed_and_previous_intact(output: &Output, out: &Path, previous: &Path) {
    assert_exit(output, 1);
    let message = stderr(output);
    assert!(message.contains("File too large"), "{message}");
    // The message names the output the user gave, not a temporary file.
    // Before, a failed export said "cannot write the export: … at path
    // \"…/.polegraph-aEm4eg\"" (or named nothing, for a streamed one).
    assert!(
        message.contains(&previous.display().to_string()) && !message.contains(".polegraph-"),
        "{message}"
    );
    assert_only_previous(out, previous);
}

#[test]
fn a_turtle_export_without_room_leaves_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("graph.ttl");
    std::fs::write(&target, "previous").unwrap();
    let whole = support::polegraph(&["export", "--format", "ttl"]);
    assert!(
        whole.stdout.len() > 2 * 64 * 1024,
        "the export fits in the limit"
    );
    let output = polegraph_limited(64, &["export", "-o", target.to_str().unwrap()]);
    assert_failed_and_previous_intact(&output, dir.path(), &target);
}

#[test]
fn a_streamed_export_without_room_leaves_the_previous_file() {
    let TablesAndOut { tables, out, .. } = &tables_and_out(2_000);
    let target = out.join("graph.nt");
    for extra in [&[][..], &["--page-cache"][..]] {
        std::fs::write(&target, "previous").unwrap();
        let mut args = vec![
            "export",
            "--data",
            tables.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let output = polegraph_limited(64, &args);
        assert_failed_and_previous_intact(&output, out, &target);
    }
}

/// The limit lets the first files of the bundle be written (Turtle, TriG:
/// 170 KB each), not N-Triples (525 KB) or N-Quads (685 KB): the bundle
/// fails half-way.
#[test]
fn a_bundle_failing_half_way_leaves_the_previous_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    std::fs::write(bundle.join("previous.txt"), "previous").unwrap();
    let args = ["export", "--force", "--bundle", bundle.to_str().unwrap()];
    let output = polegraph_limited(300, &args);
    let message = stderr(&output);
    assert!(
        message.contains("dataset.nt") || message.contains("dataset.nq"),
        "not half-way: {message}"
    );
    assert_failed_and_previous_intact(&output, dir.path(), &bundle);
}
