//! The persistent store (cargo feature `rocksdb`): a graph built once into
//! an on-disk oxigraph store, then queried, exported and drawn from there.
//!
//! Building is atomic: the store is built in a fresh folder next to the
//! target and renamed over it only once it is complete, so a failed build
//! never leaves a half-built store where a good one was.

use super::stats::Stats;
use super::{describe, fill, BulkSink, KnowledgeGraph};
use crate::error::{BuildError, LoadError, StreamError};
use crate::io::atomic::AsideFolder;
use crate::iri::{Iris, VOID_GRAPH};
use crate::load::Input;
use crate::load::StreamProgress;
use crate::vocab::{rdf, void};
use oxigraph::model::{GraphName, NamedOrBlankNode};
use oxigraph::store::{StorageError, Store};
use std::io;
use std::path::{Path, PathBuf};

/// Building or opening a persistent store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PersistError {
    #[error(transparent)]
    Stream(#[from] StreamError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("the store at {} failed", path.display())]
    Storage {
        path: PathBuf,
        #[source]
        source: StorageError,
    },
    #[error("cannot prepare {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} holds no polegraph graph (no VoID description found); build one with `polegraph build --data DIR --store {}`", path.display(), path.display())]
    NotAGraph { path: PathBuf },
}

/// What a persistent build wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistReport {
    /// Every quad of the store, the VoID graph's included.
    pub quads: u64,
    /// The counts the VoID graph describes (every graph but itself).
    pub stats: Stats,
}

/// Builds a store at `target` (replacing the one there, if any, only on
/// success: the store is built aside, see [`crate::io::atomic`]).
pub fn build_store(
    input: &Input,
    cli_base: Option<&str>,
    target: &Path,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<PersistReport, PersistError> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| PersistError::Io { path, source }
    };
    let building = AsideFolder::reserve_beside(target, "building").map_err(io_error(target))?;
    let report = build_into(building.path(), input, cli_base, progress)?;
    building.commit().map_err(io_error(target))?;
    Ok(report)
}

fn build_into(
    folder: &Path,
    input: &Input,
    cli_base: Option<&str>,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<PersistReport, PersistError> {
    let storage = |source| PersistError::Storage {
        path: folder.to_owned(),
        source,
    };
    let store = Store::open(folder).map_err(storage)?;
    let mut sink = BulkSink::on_disk(&store);
    let (iris, dataset) = fill(input, cli_base, &mut sink, progress)?;
    let stats = sink.finish().map_err(storage)?;
    let graph = describe(store, iris, &dataset, stats)?;
    graph.store.flush().map_err(storage)?;
    Ok(PersistReport {
        quads: graph.total_quads() as u64,
        stats: graph.stats,
    })
}

impl PersistError {
    /// Whether the fault is in what the user gave (see [`crate::error`]).
    pub fn is_usage(&self) -> bool {
        match self {
            PersistError::Stream(e) => e.is_usage(),
            PersistError::Build(e) => e.is_usage(),
            PersistError::Load(e) => e.is_usage(),
            PersistError::NotAGraph { .. } => true,
            PersistError::Storage { .. } | PersistError::Io { .. } => false,
        }
    }
}

/// Opens a store that `build --store` wrote, read-only.
pub fn open_store(path: &Path) -> Result<KnowledgeGraph, PersistError> {
    if !path.is_dir() {
        return Err(PersistError::NotAGraph {
            path: path.to_owned(),
        });
    }
    let store = Store::open_read_only(path).map_err(|source| PersistError::Storage {
        path: path.to_owned(),
        source,
    })?;
    let base = find_base(&store).ok_or_else(|| PersistError::NotAGraph {
        path: path.to_owned(),
    })?;
    Ok(KnowledgeGraph {
        store,
        iris: Iris::new(base),
        stats: Stats::default(),
        void_quads: 0,
    })
}

/// The base IRI of a built graph: its VoID dataset is `{base}dataset`.
fn find_base(store: &Store) -> Option<String> {
    let quads = store.quads_for_pattern(None, Some(rdf::TYPE), Some(void::DATASET.into()), None);
    for quad in quads.flatten() {
        if let (NamedOrBlankNode::NamedNode(subject), GraphName::NamedNode(graph)) =
            (&quad.subject, &quad.graph_name)
        {
            let base = subject.as_str().strip_suffix("dataset")?;
            if graph.as_str() == format!("{base}graph/{VOID_GRAPH}") {
                return Some(base.to_owned());
            }
        }
    }
    None
}
