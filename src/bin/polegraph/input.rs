//! The graph the arguments name: the store at `--store`, or the graph
//! built from the input `--data` names (the library chooses the input:
//! `polegraph::load::Input`).

use crate::args::DataArgs;
use crate::config::usage;
use crate::progress::StreamProgressBar;
use anyhow::Result;
use polegraph::load::{CsvTable, Input};
use polegraph::push::Spool;
use polegraph::store::KnowledgeGraph;
use std::path::PathBuf;

/// CSV tables, each with its file.
type Tables = Vec<(CsvTable, PathBuf)>;

/// The input `--data` names, for the commands that read data.
pub fn input(args: &DataArgs) -> Result<Input> {
    Ok(Input::choose(args.data.as_deref())?)
}

/// Loads and builds (or opens, with `--store`) the graph the arguments
/// name. Streamed tables show a progress bar.
pub fn graph(args: &DataArgs) -> Result<KnowledgeGraph> {
    if let Some(path) = &args.store {
        if args.data.is_some() {
            return Err(usage(
                "give --data or --store, not both (only `build` takes both: it writes the store from the data)",
            ));
        }
        return open_store(path);
    }
    let input = input(args)?;
    let mut progress = StreamProgressBar::new(!matches!(input, Input::Tables { .. }));
    let graph = polegraph::store::build_input(&input, args.base.as_deref(), &mut |state| {
        progress.update(state)
    })?;
    progress.clear();
    Ok(graph)
}

/// The folder and its CSV tables when the arguments name tables to stream
/// (a folder of CSV tables alone, and no `--store`): the one rule for the
/// commands that stream rows straight to their output (`export`, `push`).
pub fn streamed_tables(args: &DataArgs) -> Result<Option<(PathBuf, Tables)>> {
    if args.store.is_some() {
        return Ok(None);
    }
    Ok(match input(args)? {
        Input::Tables { dir, tables } => Some((dir, tables)),
        Input::Builtin | Input::Folder(_) => None,
    })
}

/// The graphs `push` sends, written aside in a first pass: CSV tables are
/// streamed (checked and mapped row by row, never held whole), the rest
/// built in memory or read from the store.
pub fn spool(args: &DataArgs, quiet: bool) -> Result<Spool> {
    if let Some((dir, tables)) = streamed_tables(args)? {
        let mut progress = StreamProgressBar::new(quiet);
        let spool =
            polegraph::push::spool_tables(&dir, &tables, args.base.as_deref(), &mut |state| {
                progress.update(state)
            })?;
        progress.clear();
        return Ok(spool);
    }
    Ok(polegraph::push::spool_graph(&graph(args)?)?)
}

#[cfg(feature = "rocksdb")]
fn open_store(path: &std::path::Path) -> Result<KnowledgeGraph> {
    Ok(polegraph::store::open_store(path)?)
}

#[cfg(not(feature = "rocksdb"))]
fn open_store(_: &std::path::Path) -> Result<KnowledgeGraph> {
    Err(no_store_support())
}

/// The message for `--store` in a binary built without the feature.
#[cfg(not(feature = "rocksdb"))]
pub fn no_store_support() -> anyhow::Error {
    usage(
        "this polegraph was built without the persistent store; rebuild it with `cargo build --release --features rocksdb` (needs clang and libclang, see the README)",
    )
}
