//! The rule for checks that cannot run here (`tests/support/skip.rs`):
//! a skip shows in a plain `cargo test`, fails under
//! `POLEGRAPH_REQUIRE_TOOLS=1`, and snapshots are rewritten only with
//! `POLEGRAPH_BLESS=1`. Each test runs this binary again on one of the
//! probes below (ignored in a normal run), with libtest's own capture of
//! output, as `cargo test` runs it.

mod support;

use std::process::{Command, Output};
use support::{assert_snapshot, tool_available};

/// This test binary run on the ignored probe `name`, with `env` set.
fn probe(name: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command
        .args(["--ignored", "--exact", name])
        .env_remove("POLEGRAPH_REQUIRE_TOOLS")
        .env_remove("POLEGRAPH_BLESS");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the test binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
#[ignore = "a probe, run by a_skip_shows_in_a_plain_run_and_fails_when_tools_are_required"]
fn probe_missing_tool() {
    let found = tool_available(
        "the tool polegraph-no-such-tool",
        &mut Command::new("polegraph-no-such-tool"),
    );
    assert!(!found);
}

#[test]
#[ignore = "a probe, run by blessing_takes_only_1"]
fn probe_snapshot() {
    assert_snapshot("no-such-snapshot.probe", "actual");
}

/// Before, the `skipped:` line went through `eprintln!`, which libtest
/// captures for a passing test: a plain `cargo test` never showed it.
#[test]
fn a_skip_shows_in_a_plain_run_and_fails_when_tools_are_required() {
    let plain = probe("probe_missing_tool", &[]);
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    let expected = "SKIPPED probe_missing_tool: the tool polegraph-no-such-tool not found";
    assert!(
        text(&plain.stderr).contains(expected),
        "not shown by a plain run; stdout:\n{}\nstderr:\n{}",
        text(&plain.stdout),
        text(&plain.stderr)
    );
    let required = probe("probe_missing_tool", &[("POLEGRAPH_REQUIRE_TOOLS", "1")]);
    assert!(!required.status.success(), "passed with tools required");
    assert!(
        text(&required.stdout).contains("POLEGRAPH_REQUIRE_TOOLS=1 requires it"),
        "{}",
        text(&required.stdout)
    );
}

/// Before, any value of `POLEGRAPH_BLESS`, even `0`, rewrote snapshots.
#[test]
fn blessing_takes_only_1() {
    let snapshot = support::root().join("tests/snapshots/no-such-snapshot.probe");
    for value in ["0", "", "yes"] {
        let run = probe("probe_snapshot", &[("POLEGRAPH_BLESS", value)]);
        assert!(
            !run.status.success(),
            "POLEGRAPH_BLESS={value:?} blessed a snapshot"
        );
        assert!(!snapshot.exists(), "POLEGRAPH_BLESS={value:?} wrote it");
    }
}
