//! The persistent store (cargo feature `rocksdb`): `build --store` writes
//! it atomically, and `query`/`export` read it.
#![cfg(feature = "rocksdb")]

mod support;

use support::*;

fn copy_fixture(to: &std::path::Path) {
    for file in ["organizations.csv", "people.csv", "events.csv", "talks.csv"] {
        std::fs::copy(
            root().join("tests/fixtures/csv-only").join(file),
            to.join(file),
        )
        .unwrap();
    }
}

fn count_organizations(store: &str) -> String {
    let output = polegraph(&[
        "query",
        "--store",
        store,
        "--format",
        "csv",
        "SELECT (COUNT(?o) AS ?n) WHERE { ?o a org:Organization }",
    ]);
    assert_exit(&output, 0);
    stdout(&output)
}

#[test]
fn a_store_built_from_csv_tables_answers_queries() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("graph.db");
    let output = polegraph(&[
        "build",
        "--data",
        "tests/fixtures/csv-only",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert_exit(&output, 0);
    assert_eq!(count_organizations(store.to_str().unwrap()), "n\r\n3\r\n");
    // Transitive hierarchy: the organisations under ministry 1.
    let output = polegraph(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
        "SELECT (COUNT(?o) AS ?n) WHERE { ?o org:subOrganizationOf+ organization:1 }",
    ]);
    assert_eq!(stdout(&output), "n\r\n1\r\n");
    // The store keeps the base IRI: record IRIs are the data's.
    let output = polegraph(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "table",
        "ASK { organization:2 skos:altLabel \"DGE\" }",
    ]);
    assert_eq!(stdout(&output), "true\n");
}

#[test]
fn the_built_in_data_goes_into_a_store_with_its_ontology_and_void() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("builtin.db");
    assert_exit(
        &polegraph(&["build", "--store", store.to_str().unwrap()]),
        0,
    );
    let in_memory = stdout(&polegraph(&["query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRENDS(STR(?g), \"/void\")) }"]));
    let on_disk = stdout(&polegraph(&["query", "--store", store.to_str().unwrap(), "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRENDS(STR(?g), \"/void\")) }"]));
    assert_eq!(in_memory, on_disk);
    let answer = polegraph(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "-f",
        "queries/cq09-gti-poles.rq",
        "--format",
        "csv",
    ]);
    assert!(stdout(&answer).contains(",71"), "{}", stdout(&answer));
}

/// A build that fails halfway (an unknown id in the last table, after the
/// other tables went into the new store) leaves the previous store as it was.
#[test]
fn a_failed_build_leaves_the_previous_store_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("graph.db");
    assert_exit(
        &polegraph(&[
            "build",
            "--data",
            "tests/fixtures/csv-only",
            "--store",
            store.to_str().unwrap(),
        ]),
        0,
    );

    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    copy_fixture(&broken);
    std::fs::write(
        broken.join("talks.csv"),
        "id,title,event_id,speaker_ids,document_url\n1,Table ronde,1,,\n2,Atelier,99,,\n",
    )
    .unwrap();
    let output = polegraph(&[
        "build",
        "--data",
        broken.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("talks.csv:3:3: field `event_id`: unknown event id `99`"),
        "{}",
        stderr(&output)
    );

    assert_eq!(count_organizations(store.to_str().unwrap()), "n\r\n3\r\n");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

/// Ctrl-C during a build removes the folder being built and leaves the
/// previous store as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_build_leaves_the_previous_store_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("graph.db");
    let store_arg = store.to_str().unwrap();
    let built = polegraph(&[
        "build",
        "--data",
        "tests/fixtures/csv-only",
        "--store",
        store_arg,
    ]);
    assert_exit(&built, 0);
    let tables = tempfile::tempdir().unwrap();
    write_tables(tables.path(), 100_000);
    let args = [
        "build",
        "--data",
        tables.path().to_str().unwrap(),
        "--store",
        store_arg,
    ];
    interrupted(&args, dir.path(), ".graph.db.building-");
    assert_eq!(count_organizations(store_arg), "n\r\n3\r\n");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["graph.db"], "left beside the store");
}

#[test]
fn a_folder_that_is_not_a_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = polegraph(&[
        "query",
        "--store",
        dir.path().join("missing").to_str().unwrap(),
        "ASK {}",
    ]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("holds no polegraph graph"),
        "{}",
        stderr(&output)
    );
}
