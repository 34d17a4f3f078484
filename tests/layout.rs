//! The layout of `src/` keeps its shape: data flows one way between the
//! modules of the library, and files stay small enough to read in one
//! sitting. A regression here means a module came to import one that
//! imports it back, or a file grew past the limit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lines a source file may have, its unit tests aside.
const MAX_LINES: usize = 600;

/// The library's source files, by module path (`load::stream`).
fn library_modules() -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], modules: &mut BTreeMap<String, PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if prefix.is_empty() && name == "bin" {
                    continue; // the binary is not the library
                }
                let mut inner = prefix.to_vec();
                inner.push(name);
                walk(&path, &inner, modules);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut module = prefix.to_vec();
                if name != "mod" && name != "lib" {
                    module.push(name);
                }
                modules.insert(module.join("::"), path);
            }
        }
    }
    let mut modules = BTreeMap::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &[],
        &mut modules,
    );
    modules
}

/// The code of a file without its unit tests and comments.
fn code_of(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .take_while(|line| *line != "#[cfg(test)]")
        .map(|line| match line.find("//") {
            Some(at) => line[..at].to_owned(),
            None => line.to_owned(),
        })
        .collect()
}

/// The paths a line names, each as the list of its segments, with
/// `use a::{b, c::d}` groups expanded.
fn paths_in(line: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = at == 0
            || !(bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b':');
        if starts_word && (bytes[at].is_ascii_lowercase() || bytes[at] == b'_') {
            let (expansions, end) = read_path(line, at);
            paths.extend(expansions.into_iter().filter(|path| path.len() > 1));
            at = end.max(at + 1);
        } else {
            at += 1;
        }
    }
    paths
}

/// Reads a path starting at `at`: its expansions and where it ends.
fn read_path(line: &str, at: usize) -> (Vec<Vec<String>>, usize) {
    let bytes = line.as_bytes();
    let mut segments = Vec::new();
    let mut i = at;
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == start {
            break;
        }
        segments.push(line[start..i].to_owned());
        if line[i..].starts_with("::{") {
            // A group: each item is a path of its own under the prefix.
            let mut expanded = Vec::new();
            let mut j = i + 3;
            while j < bytes.len() && bytes[j] != b'}' {
                if bytes[j].is_ascii_alphabetic() || bytes[j] == b'_' {
                    let (inner, end) = read_path(line, j);
                    for tail in inner {
                        let mut path = segments.clone();
                        path.extend(tail);
                        expanded.push(path);
                    }
                    j = end;
                } else {
                    j += 1;
                }
            }
            if expanded.is_empty() {
                expanded.push(segments);
            }
            return (expanded, j + 1);
        }
        if line[i..].starts_with("::") {
            i += 2;
        } else {
            break;
        }
    }
    (vec![segments], i)
}

/// The module a path names from `module`, if it is another module of the
/// library (the longest known prefix).
fn target_of(module: &str, path: &[String], modules: &BTreeMap<String, PathBuf>) -> Option<String> {
    let own: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(str::to_owned).collect()
    };
    let mut absolute: Vec<String> = match path[0].as_str() {
        "crate" => path[1..].to_vec(),
        "super" => {
            let mut base = own.clone();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            base
        }
        "self" => own.iter().chain(&path[1..]).cloned().collect(),
        // A child module named bare, from its parent.
        child => {
            let mut candidate = own.clone();
            candidate.push(child.to_owned());
            if !modules.contains_key(&candidate.join("::")) {
                return None;
            }
            candidate.extend(path[1..].iter().cloned());
            candidate
        }
    };
    while !absolute.is_empty() {
        let name = absolute.join("::");
        if modules.contains_key(&name) {
            return (name != module).then_some(name);
        }
        absolute.pop();
    }
    None
}

/// Which modules each module uses. A parent's `mod child;` and its
/// `pub use child::…` re-exports are not uses: they publish the child.
fn uses(modules: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    for (module, path) in modules {
        let mut used = BTreeSet::new();
        for line in code_of(path) {
            let trimmed = line.trim_start();
            let publishes = ["pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .any(|p| trimmed.starts_with(p))
                && !trimmed.contains("crate::")
                && !trimmed.contains("super::");
            if publishes || trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ") {
                continue;
            }
            for found in paths_in(&line) {
                if let Some(target) = target_of(module, &found, modules) {
                    used.insert(target);
                }
            }
        }
        edges.insert(module.clone(), used);
    }
    edges
}

/// A cycle through `start`, if any.
fn cycle_from(start: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        start: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        trail: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in edges.get(node).into_iter().flatten() {
            if next == start {
                trail.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                trail.push(next.clone());
                if visit(next, start, edges, trail, seen) {
                    return true;
                }
                trail.pop();
            }
        }
        false
    }
    let mut trail = vec![start.to_owned()];
    visit(start, start, edges, &mut trail, &mut BTreeSet::new()).then_some(trail)
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let modules = library_modules();
    assert!(modules.contains_key("load::stream"), "{modules:?}");
    let edges = uses(&modules);
    // The scanner sees what it must: the store maps records, the stream
    // export writes N-Triples.
    assert!(edges["store"].contains("map"), "{:?}", edges["store"]);
    assert!(edges["export::stream"].contains("export::ntriples"));
    let cycles: BTreeSet<Vec<String>> = modules
        .keys()
        .filter_map(|m| cycle_from(m, &edges))
        .map(|mut ring| {
            ring.pop();
            let first = (0..ring.len()).min_by_key(|&i| &ring[i]).unwrap();
            ring.rotate_left(first);
            ring
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "modules that import each other back:\n{}",
        cycles
            .iter()
            .map(|ring| format!("  {} → {}", ring.join(" → "), ring[0]))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_cycle_is_found_where_there_is_one() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("store", &["map"][..]),
        ("map", &["load"]),
        ("load", &["store"]),
        ("query", &["store"]),
    ]
    .iter()
    .map(|(m, used)| (m.to_string(), used.iter().map(|u| u.to_string()).collect()))
    .collect();
    assert_eq!(
        cycle_from("store", &edges),
        Some(vec![
            "store".into(),
            "map".into(),
            "load".into(),
            "store".into()
        ])
    );
    assert_eq!(cycle_from("query", &edges), None);
}

#[test]
fn group_imports_are_expanded() {
    assert_eq!(
        paths_in("use crate::load::{stream::{folder_iris, X}, Input};"),
        vec![
            vec!["crate", "load", "stream", "folder_iris"],
            vec!["crate", "load", "stream", "X"],
            vec!["crate", "load", "Input"],
        ]
        .into_iter()
        .map(|p| p.into_iter().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
}

#[test]
fn source_files_stay_readable_in_one_sitting() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let too_long: Vec<String> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let lines = text.lines().take_while(|l| *l != "#[cfg(test)]").count();
            (path, lines)
        })
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| format!("{} ({lines} lines)", path.display()))
        .collect();
    assert!(
        too_long.is_empty(),
        "files over {MAX_LINES} lines (tests aside): {too_long:?}"
    );
}
