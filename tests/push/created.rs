//! Graphs the store does not hold go in straight (no staging, no swap),
//! and are dropped if the push fails or is interrupted before every graph
//! is up; graphs it holds still go through staging graphs. Against the
//! fake store of `fake_store.rs`.

use super::fake_store::{FakeStore, Graphs, State};
use super::staging::tables_and_graphs;
use super::support::{assert_exit, root, stderr, stdout};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The store holds one old triple in the first graph of several chunks
/// (of 100 triples) only; returns it with the IRIs of the other graphs of
/// several chunks, which it does not hold.
fn store_holding_one_large_graph(new: &Graphs) -> (Graphs, Vec<String>) {
    let mut large = new
        .iter()
        .filter(|(_, t)| t.len() > 100)
        .map(|(g, _)| g.clone());
    let held = large.next().expect("a graph of several chunks");
    let absent: Vec<String> = large.collect();
    assert!(absent.len() >= 2, "graphs of several chunks: {absent:?}");
    let old = [(held, ["<urn:old> <urn:p> \"old\" .".to_owned()].into())].into();
    (old, absent)
}

fn args<'a>(store: &'a [String; 3], data: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["push", "--data", data, "--endpoint", &store[0]];
    args.extend_from_slice(&["--update", &store[1], "--query", &store[2]]);
    args.extend_from_slice(&["--chunk-size", "100", "--retries", "0", "--quiet"]);
    args.extend_from_slice(extra);
    args
}

fn urls(store: &FakeStore) -> [String; 3] {
    [
        store.url("/store"),
        store.url("/update"),
        store.url("/sparql"),
    ]
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("polegraph push runs")
}

/// Each graph as it was (absent if it was) or fully replaced; no staging
/// graph left.
fn assert_as_it_was_or_replaced(after: &Graphs, old: &Graphs, new: &Graphs) {
    for (graph, triples) in after {
        assert!(
            !graph.starts_with("urn:polegraph:staging:"),
            "<{graph}> left"
        );
        assert!(
            Some(triples) == old.get(graph) || Some(triples) == new.get(graph),
            "<{graph}> half-replaced: {} triples",
            triples.len()
        );
    }
}

#[test]
fn graphs_the_store_does_not_hold_go_straight_and_are_dropped_on_failure() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let new = tables_and_graphs(dir.path(), 300);
    let (old, absent) = store_holding_one_large_graph(&new);
    let held = old.keys().next().expect("the held graph").clone();
    let data = dir.path().display().to_string();

    // 1. No failure: every graph replaced; the absent ones went straight
    //    (uploads to their own IRI), the held one through a staging graph.
    //    One request at a time, so that the uploads come in order.
    let store = FakeStore::start(State::default(), old.clone());
    let out = run(&args(&urls(&store), &data, &["--jobs", "1"]));
    assert_exit(&out, 0);
    assert_eq!(store.graphs(), new);
    let targets = store.state.targets.lock().expect("the targets").clone();
    for graph in &absent {
        assert!(targets.contains(graph), "<{graph}> not loaded straight");
        assert!(
            stdout(&out).contains(&format!("{graph}: ")),
            "{}",
            stdout(&out)
        );
    }
    assert!(
        !targets.contains(&held),
        "<{held}> was held: it must be staged"
    );
    assert!(stdout(&out).contains("(new)"), "{}", stdout(&out));

    // 2. The upload after the second chunk of a graph loaded straight
    //    fails: the graphs this push created are dropped (absent, as they
    //    were), the held graph as it was.
    let second_chunk = targets
        .iter()
        .enumerate()
        .filter(|(_, t)| **t == absent[0])
        .nth(1)
        .map(|(at, _)| at + 1)
        .expect("a graph of several chunks loaded straight");
    let store = FakeStore::start(
        State {
            fail_upload: Some(second_chunk + 1),
            ..Default::default()
        },
        old.clone(),
    );
    let out = run(&args(&urls(&store), &data, &["--jobs", "1"]));
    assert_exit(&out, 1);
    let after = store.graphs();
    assert_as_it_was_or_replaced(&after, &old, &new);
    let targets = store.state.targets.lock().expect("the targets").clone();
    assert!(
        absent.iter().any(|g| targets.contains(g)),
        "no graph was being loaded straight when the push failed: {targets:?}"
    );
    for graph in &absent {
        assert!(!after.contains_key(graph), "<{graph}> left half-loaded");
    }
    assert_eq!(after[&held], old[&held]);

    // 3. --stage-all: no graph of several chunks goes straight.
    let store = FakeStore::start(State::default(), old.clone());
    let out = run(&args(&urls(&store), &data, &["--stage-all"]));
    assert_exit(&out, 0);
    assert_eq!(store.graphs(), new);
    let targets = store.state.targets.lock().expect("the targets").clone();
    assert!(absent.iter().all(|g| !targets.contains(g)), "{targets:?}");
}

/// Ctrl-C or `kill` while graphs are being loaded straight and staged:
/// the push stops its senders, waits for the requests in flight and drops
/// what it created and staged.
#[test]
fn an_interrupted_push_leaves_each_graph_as_it_was_or_replaced() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().expect("a temp folder");
    let new = tables_and_graphs(dir.path(), 300);
    let (old, absent) = store_holding_one_large_graph(&new);
    let data = dir.path().display().to_string();
    for (signal, number) in [("INT", 2), ("TERM", 15)] {
        let store = FakeStore::start(
            State {
                upload_delay: Some(Duration::from_millis(40)),
                ..Default::default()
            },
            old.clone(),
        );
        let child = Command::new(env!("CARGO_BIN_EXE_polegraph"))
            .args(args(&urls(&store), &data, &["--jobs", "2"]))
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("polegraph push runs");
        // Wait until a graph the store did not hold has taken a chunk.
        let started = Instant::now();
        let loading = || {
            let targets = store.state.targets.lock().expect("the targets");
            absent.iter().find(|g| targets.contains(g)).cloned()
        };
        let graph = loop {
            if let Some(graph) = loading() {
                break graph;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no graph loaded straight"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        let sent = Command::new("sh")
            .args(["-c", &format!("kill -{signal} {}", child.id())])
            .status()
            .expect("sh runs");
        assert!(sent.success());
        let out = child.wait_with_output().expect("polegraph ends");
        assert_eq!(out.status.signal(), Some(number), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("polegraph: interrupted"),
            "{}",
            stderr(&out)
        );
        let after = store.graphs();
        assert_as_it_was_or_replaced(&after, &old, &new);
        assert!(
            !after.contains_key(&graph),
            "SIG{signal}: <{graph}>, being loaded straight, was not dropped"
        );
        assert_ne!(after, new, "SIG{signal} came after the push");
    }
}
