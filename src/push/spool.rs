//! The first pass of a push: every quad is read, checked and mapped, and
//! written as an N-Triples line into a file of its graph in a temporary
//! folder. Nothing is sent before the whole input has passed, so a fault
//! found late (a reference to an id never defined) leaves the store as it
//! was; and the graph is never held in memory, only the id sets of the
//! check and one buffer per graph.

use super::error::PushError;
use crate::error::StreamError;
use crate::export::LineWriter;
use crate::io::interrupt::{pending, Pending};
use crate::load::{folder_iris, CsvTable, StreamProgress};
use crate::map::{map_tables, QuadSink};
use crate::store::{graph_quads, named_graphs, KnowledgeGraph};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNodeRef, QuadRef, TermRef};
use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The graphs to push, each in a file of N-Triples lines.
pub struct Spool {
    /// Removed with the spool.
    dir: tempfile::TempDir,
    /// Removed by the signal handler, should the push be interrupted.
    _pending: Pending,
    pub(super) graphs: Vec<SpooledGraph>,
}

/// One graph of a [`Spool`].
pub(super) struct SpooledGraph {
    pub name: NamedNode,
    pub path: PathBuf,
    pub triples: u64,
    /// Blank nodes must not be split between requests.
    pub has_blank: bool,
}

impl Spool {
    /// The graphs, sorted by IRI, with their triple counts.
    pub fn graphs(&self) -> impl Iterator<Item = (&NamedNode, u64)> {
        self.graphs.iter().map(|g| (&g.name, g.triples))
    }

    /// Triples over all graphs.
    pub fn triples(&self) -> u64 {
        self.graphs.iter().map(|g| g.triples).sum()
    }

    /// The folder the files are in (removed when the spool is dropped).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Spools the named graphs of a built graph or an opened store, one
/// graph at a time (a store on disk is never read whole into memory).
pub fn spool_graph(graph: &KnowledgeGraph) -> Result<Spool, PushError> {
    let mut sink = GraphFiles::new()?;
    for name in named_graphs(&graph.store)? {
        for quad in graph_quads(&graph.store, name.as_ref()) {
            sink.add(quad?.as_ref()).map_err(|e| sink.error(e))?;
        }
    }
    sink.finish()
}

/// Spools a folder of CSV tables as the streaming export reads them:
/// rows are checked and mapped as they come, and every fault of the data
/// is found before this returns, so before anything is sent.
pub fn spool_tables(
    dir: &Path,
    tables: &[(CsvTable, PathBuf)],
    cli_base: Option<&str>,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<Spool, PushError> {
    let iris = folder_iris(dir, cli_base).map_err(PushError::input)?;
    let mut sink = GraphFiles::new()?;
    match map_tables(tables, &iris, &mut sink, progress) {
        Ok(_) => sink.finish(),
        Err(StreamError::Write(e)) => Err(sink.error(e)),
        Err(e) => Err(PushError::input(e)),
    }
}

/// A sink that writes each quad's triple into the file of its graph.
struct GraphFiles {
    dir: tempfile::TempDir,
    pending: Pending,
    open: HashMap<NamedNode, (LineWriter<io::BufWriter<File>>, SpooledGraph)>,
    /// The last graph written to, to skip the look-up on runs of quads.
    last: Option<NamedNode>,
}

impl GraphFiles {
    fn new() -> Result<Self, PushError> {
        let dir = tempfile::Builder::new()
            .prefix("polegraph-push-")
            .tempdir()
            .map_err(|e| PushError::Spool {
                dir: std::env::temp_dir(),
                source: e,
            })?;
        Ok(GraphFiles {
            pending: pending(dir.path()),
            dir,
            open: HashMap::new(),
            last: None,
        })
    }

    fn error(&self, source: io::Error) -> PushError {
        PushError::Spool {
            dir: self.dir.path().to_owned(),
            source,
        }
    }

    fn open(&mut self, name: &NamedNode) -> io::Result<()> {
        let path = self.dir.path().join(format!("{}.nt", self.open.len()));
        let file = io::BufWriter::new(File::create(&path)?);
        let graph = SpooledGraph {
            name: name.clone(),
            path,
            triples: 0,
            has_blank: false,
        };
        self.open
            .insert(name.clone(), (LineWriter::new(file, false), graph));
        Ok(())
    }

    fn finish(self) -> Result<Spool, PushError> {
        let mut graphs = Vec::with_capacity(self.open.len());
        for (writer, graph) in self.open.into_values() {
            let mut file = writer.finish().map_err(|source| PushError::Spool {
                dir: self.dir.path().to_owned(),
                source,
            })?;
            io::Write::flush(&mut file).map_err(|source| PushError::Spool {
                dir: self.dir.path().to_owned(),
                source,
            })?;
            graphs.push(graph);
        }
        graphs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Spool {
            dir: self.dir,
            _pending: self.pending,
            graphs,
        })
    }
}

impl QuadSink for GraphFiles {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        // The default graph and blank graph names have no Graph Store
        // address: what polegraph maps always has a named graph.
        let GraphNameRef::NamedNode(name) = quad.graph_name else {
            return Ok(());
        };
        if self.last.as_ref().map(NamedNode::as_ref) != Some(name) {
            let name = name.into_owned();
            if !self.open.contains_key(&name) {
                self.open(&name)?;
            }
            self.last = Some(name);
        }
        let Some((writer, graph)) = self.last.as_ref().and_then(|n| self.open.get_mut(n)) else {
            return Ok(());
        };
        graph.triples += 1;
        graph.has_blank |= matches!(quad.subject, NamedOrBlankNodeRef::BlankNode(_))
            || matches!(quad.object, TermRef::BlankNode(_));
        writer.add(quad)
    }
}
