// The rule for checks that cannot run here, shared by the integration
// tests (`tests/support/mod.rs`) and the library's unit tests that need
// something of the machine (`src/io/direct_file.rs`), so both skip alike.
//
// libtest captures what a passing test prints with `print!` and
// `eprint!` (`std::io::set_output_capture` takes only those macros), so a
// skip announced that way never shows in a plain `cargo test`. A write to
// the `std::io::stderr()` handle goes to file descriptor 2 itself, which
// cargo passes through: the line shows among the `test … ok` lines, with
// the test's name (libtest names each test's thread after the test),
// whatever the number of test threads.

use std::io::Write;

/// Whether `POLEGRAPH_REQUIRE_TOOLS=1`: then a check that cannot run
/// fails instead of being skipped.
pub fn tools_required() -> bool {
    std::env::var("POLEGRAPH_REQUIRE_TOOLS").as_deref() == Ok("1")
}

/// The running test skips its check (or part of it) because of `reason`,
/// e.g. "Graphviz `dot` not found"; `remedy` says how to make it run.
/// Under `POLEGRAPH_REQUIRE_TOOLS=1` this panics: the test fails.
pub fn skip(reason: &str, remedy: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    if tools_required() {
        panic!("{test}: {reason}, and POLEGRAPH_REQUIRE_TOOLS=1 requires it ({remedy})");
    }
    let line = format!(
        "SKIPPED {test}: {reason} ({remedy}; POLEGRAPH_REQUIRE_TOOLS=1 makes this a failure)\n"
    );
    // Not `eprintln!`: libtest would capture it (see above).
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
