//! Helpers shared by the integration tests: running the real binary,
//! snapshots, and the rule for tests that need outside tools.
#![allow(dead_code)]

pub mod http;
pub mod server;
pub mod skip;

pub use skip::skip;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `polegraph ARGS` run in `dir`.
pub fn polegraph_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the polegraph binary runs")
}

/// `polegraph ARGS` run at the project root.
pub fn polegraph(args: &[&str]) -> Output {
    polegraph_in(&root(), args)
}

/// `polegraph ARGS` with `stdin` as standard input.
pub fn polegraph_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the polegraph binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin takes the query");
    child.wait_with_output().expect("polegraph finishes")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts the exit code, showing stderr when it differs.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code; stderr:\n{}",
        stderr(output)
    );
    assert!(
        !stderr(output).contains("panicked"),
        "polegraph panicked:\n{}",
        stderr(output)
    );
}

/// Whether `POLEGRAPH_BLESS=1`: expected outputs are rewritten from the
/// actual ones. Only `1` blesses (`POLEGRAPH_BLESS=0` does not).
pub fn blessing() -> bool {
    std::env::var("POLEGRAPH_BLESS").as_deref() == Ok("1")
}

/// Compares `actual` with `tests/snapshots/NAME`; `POLEGRAPH_BLESS=1`
/// rewrites the snapshot instead.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if blessing() {
        std::fs::write(&path, actual).expect("the snapshot folder is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {} (run the tests with POLEGRAPH_BLESS=1 to write it); actual:\n{actual}",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "output differs from {} (rerun with POLEGRAPH_BLESS=1 if the change is intended)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// Whether an outside tool is present. When it is not, the test says so
/// where `cargo test` shows it and skips ([`skip`]) — unless
/// `POLEGRAPH_REQUIRE_TOOLS=1`, which makes it fail.
pub fn tool_available(name: &str, probe: &mut Command) -> bool {
    let found = probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        skip(&format!("{name} not found"), "install it; .ci/run does");
    }
    found
}

/// A python3 that can import `module`.
pub fn python_with(module: &str) -> bool {
    tool_available(
        &format!("Python module `{module}`"),
        Command::new("python3").args(["-c", &format!("import {module}")]),
    )
}

/// The number of triples Raptor's `rapper` reads from `path` in `syntax`,
/// after checking it read the file without an error or a warning.
pub fn rapper_count(syntax: &str, path: &Path) -> usize {
    let output = Command::new("rapper")
        .args(["-i", syntax, "-c"])
        .arg(path)
        .output()
        .expect("rapper runs");
    let message = stderr(&output);
    assert!(
        output.status.success(),
        "rapper failed on {}: {message}",
        path.display()
    );
    assert!(
        !message.contains("Warning") && !message.contains("Error"),
        "{}: {message}",
        path.display()
    );
    message
        .split("returned ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("rapper's report: {message}"))
}

/// The four CSV tables at scale `n`: `n` organisations under ten
/// ministries, `n` people, an event per 50 and `n` talks.
pub fn write_tables(dir: &Path, n: usize) {
    use std::fmt::Write;
    let mut organizations = String::from("id,name,acronym,kind,parent_id,regions\n");
    let mut people = String::from("id,name,organization_id,post,confidence\n");
    let mut events = String::from("id,name,date,organizer_id\n");
    let mut talks = String::from("id,title,event_id,speaker_ids,document_url\n");
    for i in 1..=n {
        if i <= 10 {
            writeln!(
                organizations,
                "{i},\"Ministère n° {i}, « test »\",M{i},ministry,,"
            )
            .unwrap();
        } else {
            let parent = 1 + i % 10;
            writeln!(
                organizations,
                "{i},Direction {i},D{i},directorate,{parent},"
            )
            .unwrap();
        }
        writeln!(people, "{i},Personne {i},{i},Chef de bureau,").unwrap();
        if i % 50 == 1 {
            writeln!(events, "{i},Journée {i},2007-07-10,{i}").unwrap();
        }
        let event = (i - 1) / 50 * 50 + 1;
        writeln!(
            talks,
            "{i},Exposé {i},{event},{i},https://example.org/slides/{i}.pdf"
        )
        .unwrap();
    }
    for (file, text) in [
        ("organizations.csv", organizations),
        ("people.csv", people),
        ("events.csv", events),
        ("talks.csv", talks),
    ] {
        std::fs::write(dir.join(file), text).unwrap();
    }
}

/// A temporary folder with the tables of [`write_tables`] at scale `rows`
/// in `tables/`, and an empty `out/` for the outputs.
pub struct TablesAndOut {
    _dir: tempfile::TempDir,
    pub tables: PathBuf,
    pub out: PathBuf,
}

pub fn tables_and_out(rows: usize) -> TablesAndOut {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let tables = dir.path().join("tables");
    let out = dir.path().join("out");
    std::fs::create_dir(&tables).expect("tables/");
    std::fs::create_dir(&out).expect("out/");
    write_tables(&tables, rows);
    TablesAndOut {
        _dir: dir,
        tables,
        out,
    }
}

/// Asserts that `folder` holds only `previous`, an output written before
/// (a file holding `previous`, or a folder with such a `previous.txt`):
/// nothing left aside, the old output intact.
pub fn assert_only_previous(folder: &Path, previous: &Path) {
    let left: Vec<String> = std::fs::read_dir(folder)
        .expect("the output folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let name = previous.file_name().expect("a name").to_string_lossy();
    assert_eq!(left, [name], "something was left aside");
    let content = if previous.is_dir() {
        previous.join("previous.txt")
    } else {
        previous.to_owned()
    };
    assert_eq!(
        std::fs::read_to_string(content).expect("the previous output"),
        "previous"
    );
}

/// Runs polegraph with `args`, and once a name starting with `prefix`
/// appears in `folder` (what it writes aside: a folder, or a file with
/// bytes in it), interrupts it as Ctrl-C does (SIGINT). Asserts that it
/// ended as interrupted, and returns its output.
#[cfg(unix)]
pub fn interrupted(args: &[&str], folder: &Path, prefix: &str) -> Output {
    interrupted_by("INT", args, folder, prefix)
}

/// [`interrupted`] with the signal `name` ("INT", or "TERM" as `kill`
/// sends). A file written aside counts once it has bytes, or while
/// polegraph has a child process (Graphviz writing into it).
#[cfg(unix)]
pub fn interrupted_by(name: &str, args: &[&str], folder: &Path, prefix: &str) -> Output {
    use std::os::unix::process::ExitStatusExt;
    let number = match name {
        "INT" => 2,
        "TERM" => 15,
        other => panic!("no signal {other} here"),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_polegraph"))
        .current_dir(root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("polegraph runs");
    let pid = child.id();
    let started = std::time::Instant::now();
    let appeared = || {
        std::fs::read_dir(folder).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name().to_string_lossy().starts_with(prefix)
                    && e.metadata()
                        .is_ok_and(|m| m.is_dir() || m.len() > 0 || has_children(pid))
            })
        })
    };
    while !appeared() {
        let ended = child.try_wait().expect("polegraph can be waited for");
        if ended.is_some() || started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            let output = child.wait_with_output().expect("polegraph ends");
            panic!(
                "nothing named {prefix}* appeared in {} ({}); stderr:\n{}",
                folder.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let sent = Command::new("sh")
        .args(["-c", &format!("kill -{name} {pid}")])
        .status()
        .expect("sh runs");
    assert!(sent.success());
    let output = child.wait_with_output().expect("polegraph ends");
    assert_eq!(
        output.status.signal(),
        Some(number),
        "not ended by SIG{name} ({}); stderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("polegraph: interrupted"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Whether process `pid` has a child process (read in /proc, so always
/// false where there is none).
#[cfg(unix)]
fn has_children(pid: u32) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/task")).is_ok_and(|tasks| {
        tasks.flatten().any(|task| {
            std::fs::read_to_string(task.path().join("children"))
                .is_ok_and(|children| !children.trim().is_empty())
        })
    })
}
