//! Streaming push, staging graphs and the swap, against the fake store of
//! `fake_store.rs` (no outside tool).

use super::fake_store;
use super::push;
use super::support::{self, assert_exit, stderr, stdout};
use std::process::Output;
use std::time::Duration;

/// CSV tables of `n` rows each; returns polegraph's triples of each graph
/// (from the streaming export) as N-Triples lines.
pub fn tables_and_graphs(dir: &std::path::Path, n: usize) -> fake_store::Graphs {
    support::write_tables(dir, n);
    let out = support::polegraph(&[
        "export",
        "--data",
        &dir.display().to_string(),
        "--format",
        "nq",
    ]);
    assert_exit(&out, 0);
    let mut graphs = fake_store::Graphs::new();
    for line in stdout(&out).lines() {
        let body = line.strip_suffix(" .").expect("an N-Quads line");
        let (triple, graph) = body.rsplit_once(' ').expect("a graph");
        graphs
            .entry(graph.trim_matches(['<', '>']).to_owned())
            .or_default()
            .insert(format!("{triple} ."));
    }
    graphs
}

/// Every graph holding one old triple.
fn old_graphs(new: &fake_store::Graphs) -> fake_store::Graphs {
    new.keys()
        .map(|g| (g.clone(), ["<urn:old> <urn:p> \"old\" .".to_owned()].into()))
        .collect()
}

fn push_to_fake(store: &fake_store::FakeStore, data: &std::path::Path, extra: &[&str]) -> Output {
    let data = data.display().to_string();
    let (crud, update) = (store.url("/store"), store.url("/update"));
    let mut args = vec!["--data", &data, "--endpoint", &crud, "--update", &update];
    args.extend_from_slice(&["--chunk-size", "100", "--retries", "0", "--quiet"]);
    args.extend_from_slice(extra);
    push(&args, "pw")
}

/// Each graph is either as it was or fully replaced, and no staging graph
/// is left behind.
fn assert_whole(
    after: &fake_store::Graphs,
    old: &fake_store::Graphs,
    new: &fake_store::Graphs,
) -> usize {
    assert!(
        after
            .keys()
            .all(|g| !g.starts_with("urn:polegraph:staging:")),
        "staging graphs left: {:?}",
        after.keys().collect::<Vec<_>>()
    );
    let mut replaced = 0;
    for (graph, triples) in new {
        let now = &after[graph];
        assert!(
            now == &old[graph] || now == triples,
            "<{graph}> half-replaced: {} triples",
            now.len()
        );
        replaced += usize::from(now == triples);
    }
    replaced
}

#[test]
fn a_push_failing_half_way_leaves_each_graph_as_it_was_or_replaced() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let new = tables_and_graphs(dir.path(), 300);
    let old = old_graphs(&new);
    assert!(
        new.values().filter(|t| t.len() > 100).count() >= 3,
        "graphs of several chunks"
    );

    // 1. The 7th upload fails: no staging graph is swapped in (a graph of
    //    one request may already be replaced, whole).
    let store = fake_store::FakeStore::start(
        fake_store::State {
            fail_upload: Some(7),
            ..Default::default()
        },
        old.clone(),
    );
    let out = push_to_fake(&store, dir.path(), &["--jobs", "3"]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("500"), "{}", stderr(&out));
    assert!(assert_whole(&store.graphs(), &old, &new) < new.len());

    // 2. The swap of the people graph fails: the graphs swapped before it
    //    are whole, it and those after are as they were.
    let store = fake_store::FakeStore::start(
        fake_store::State {
            fail_update: Some("people-csv>".into()),
            ..Default::default()
        },
        old.clone(),
    );
    let out = push_to_fake(&store, dir.path(), &[]);
    assert_exit(&out, 1);
    let replaced = assert_whole(&store.graphs(), &old, &new);
    assert!(
        replaced >= 1 && replaced < new.len(),
        "{replaced} of {}",
        new.len()
    );

    // 3. No failure: every graph replaced, in several requests, 4 in flight.
    let store = fake_store::FakeStore::start(fake_store::State::default(), old.clone());
    let out = push_to_fake(&store, dir.path(), &["--jobs", "4"]);
    assert_exit(&out, 0);
    assert_eq!(assert_whole(&store.graphs(), &old, &new), new.len());
    assert!(stdout(&out).contains("requests"), "{}", stdout(&out));

    // 4. Through the dataset endpoint (N-Quads), into a store as it was.
    let store = fake_store::FakeStore::start(fake_store::State::default(), old.clone());
    let dataset = store.url("/dataset");
    let out = push_to_fake(&store, dir.path(), &["--dataset", &dataset]);
    assert_exit(&out, 0);
    assert_eq!(assert_whole(&store.graphs(), &old, &new), new.len());

    // 5. --merge adds through the staging graphs: the old triples stay.
    let store = fake_store::FakeStore::start(fake_store::State::default(), old.clone());
    let out = push_to_fake(&store, dir.path(), &["--merge"]);
    assert_exit(&out, 0);
    let merged = store.graphs();
    for (graph, triples) in &new {
        let both: std::collections::BTreeSet<String> =
            triples.union(&old[graph]).cloned().collect();
        assert_eq!(merged[graph], both, "<{graph}>");
    }
}

/// A swap that outlasts --timeout: the store may still apply it, so it
/// is not sent again (a second `MOVE`, after the first went through,
/// would move an empty staging graph and empty the graph) nor is its
/// staging graph dropped; the graph ends whole.
#[test]
fn a_swap_that_times_out_is_not_sent_again() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let new = tables_and_graphs(dir.path(), 300);
    let old = old_graphs(&new);
    let store = fake_store::FakeStore::start(
        fake_store::State {
            slow_update: Some(("people-csv>".into(), Duration::from_millis(2500))),
            ..Default::default()
        },
        old.clone(),
    );
    // (Retries allowed: the uploads may be retried, the swap must not be.)
    let data = dir.path().display().to_string();
    let (crud, update) = (store.url("/store"), store.url("/update"));
    let out = push(
        &[
            "--data",
            &data,
            "--endpoint",
            &crud,
            "--update",
            &update,
            "--chunk-size",
            "100",
            "--quiet",
            "--timeout",
            "1",
            "--retries",
            "2",
        ],
        "pw",
    );
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("may still be swapping"),
        "{}",
        stderr(&out)
    );
    std::thread::sleep(Duration::from_millis(3000));
    let after = store.graphs();
    let people = "https://example.org/polegraph/graph/people-csv";
    assert!(
        after[people] == new[people],
        "the swap that timed out left {} triples of {}",
        after[people].len(),
        new[people].len()
    );
    assert_whole(&after, &old, &new);
}

/// A fault in the last row is found before anything is sent.
#[test]
fn a_push_of_tables_with_a_late_fault_sends_nothing() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let new = tables_and_graphs(dir.path(), 300);
    let talks = dir.path().join("talks.csv");
    let mut text = std::fs::read_to_string(&talks).expect("talks.csv");
    text.push_str("9999,Exposé fantôme,77777,1,\n");
    std::fs::write(&talks, text).expect("talks.csv");
    let store = fake_store::FakeStore::start(fake_store::State::default(), old_graphs(&new));
    let out = push_to_fake(&store, dir.path(), &[]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("77777"), "{}", stderr(&out));
    assert_eq!(store.uploads(), 0);
    assert_eq!(store.graphs(), old_graphs(&new));
}

/// A graph too large for one request, without --update: refused before
/// anything is sent, with the fix.
#[test]
fn a_push_of_a_large_graph_without_update_says_how() {
    let dir = tempfile::tempdir().expect("a temp folder");
    let new = tables_and_graphs(dir.path(), 300);
    let store = fake_store::FakeStore::start(fake_store::State::default(), old_graphs(&new));
    let data = dir.path().display().to_string();
    let crud = store.url("/store");
    let out = push(
        &["--data", &data, "--endpoint", &crud, "--chunk-size", "100"],
        "pw",
    );
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("give --update URL"),
        "{}",
        stderr(&out)
    );
    assert_eq!(store.uploads(), 0);
}
