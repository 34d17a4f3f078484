//! Graphviz diagrams of the graph, built on petgraph.
//!
//! Drawing runs in four steps:
//!
//! 1. **Load**: the records of the store (every typed resource of the data
//!    graphs, not the ontology or VoID graphs) and the links between them
//!    go into a petgraph graph, with each node's classes, acronym, short
//!    name and best label ([`from_store`]). A CONSTRUCT query's result can
//!    stand in for the store ([`from_construct`]); a dataset can skip it,
//!    its mapped quads going straight into the graph ([`from_dataset`],
//!    same result, several times faster on large data).
//! 2. **Filter**: `--include` and `--exclude` keep or drop classes of nodes
//!    and kinds of links. Provenance links (`dcterms:source`, …) and the
//!    reverse half of each pair of inverse links are left out unless
//!    `--include` names them.
//! 3. **Select** with petgraph's traversals: the GTI and its relationships
//!    (the default), the neighbourhood of a record (`--focus`), or all.
//! 4. **Draw**: the selection becomes a [`Diagram`] (another petgraph
//!    graph, with poles grouped by category in the default diagram,
//!    clusters and a legend), which [`Diagram::write_dot`] writes as DOT.
//!
//! The same graph and options always give the same DOT bytes.

pub mod dot;
pub mod style;

use crate::error::QueryError;
use crate::iri::abbreviate;
use crate::iri::{prefixes_for, Iris, RecordKind, ONTOLOGY_GRAPH, VOID_GRAPH};
use crate::map::{self, QuadSink};
use crate::model::Dataset;
use crate::store::KnowledgeGraph;
use crate::vocab::{org, pg, rdf, rdfs};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, QuadRef, Term, TermRef, Triple,
};
use oxigraph::sparql::QueryResults;
use oxigraph::store::{StorageError, Store};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, EdgeFiltered, EdgeRef, VisitMap};
use petgraph::Direction;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

pub use style::{Lang, NodeStyle};

/// The id of the organisation at the centre of the default diagram.
pub const CENTRE: &str = "gti";

/// What part of the graph to draw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// The GTI and its relationships: its members and secretariat, the
    /// ministries these belong to or are placed at the disposal of, the
    /// Prime Minister's services, the decisions that labelled its poles,
    /// the events it organised, and its poles. On a CONSTRUCT result:
    /// everything.
    #[default]
    Default,
    /// The records at most `depth` links away from `record` (an id such
    /// as `dge`, a prefixed name such as `organization:dge`, or an IRI).
    Focus { record: String, depth: usize },
    /// Every record.
    All,
}

/// How nodes are grouped into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClusterBy {
    /// Each organisation inside its ministry (or the Prime Minister).
    #[default]
    Ministry,
    /// One box per class.
    Kind,
    /// No boxes.
    None,
}

/// The direction of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankDir {
    #[default]
    TopBottom,
    LeftRight,
    BottomTop,
    RightLeft,
}

impl RankDir {
    /// The Graphviz value (`TB`, `LR`, `BT`, `RL`).
    pub fn as_str(self) -> &'static str {
        match self {
            RankDir::TopBottom => "TB",
            RankDir::LeftRight => "LR",
            RankDir::BottomTop => "BT",
            RankDir::RightLeft => "RL",
        }
    }
}

/// Everything that shapes a diagram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagramOptions {
    pub selection: Selection,
    /// Draw every pole of the default diagram instead of one node per
    /// category.
    pub expand_poles: bool,
    /// Classes and properties to keep (prefixed names or IRIs); empty keeps
    /// all.
    pub include: Vec<String>,
    /// Classes and properties to leave out.
    pub exclude: Vec<String>,
    pub lang: Lang,
    pub cluster_by: ClusterBy,
    pub rankdir: RankDir,
}

/// Drawing a diagram failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiagramError {
    #[error("the store failed")]
    Storage(#[from] StorageError),
    #[error("cannot read the tables")]
    Stream(#[source] crate::error::StreamError),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("--query needs a CONSTRUCT query (it draws the graph the query builds); this is a {0} query")]
    NotConstruct(&'static str),
    #[error("the default diagram centres on the GTI, and the data has no organisation `{CENTRE}` ({iri}); draw a record with --focus ID, or everything with --all")]
    NoCentre { iri: String },
    #[error("unknown record `{given}`{}", did_you_mean(suggestion))]
    UnknownRecord {
        given: String,
        suggestion: Option<String>,
    },
    #[error("`{given}` names several records ({}); give one of these IRIs", iris.join(", "))]
    AmbiguousRecord { given: String, iris: Vec<String> },
    #[error("unknown class or property `{given}`{}", did_you_mean(suggestion))]
    UnknownTerm {
        given: String,
        suggestion: Option<String>,
    },
    #[error("`{given}` is not a prefixed name (like `pg:Pole`) or an IRI")]
    BadTerm { given: String },
    #[error("Graphviz `dot` was not found: install Graphviz (`apt-get install graphviz` on Debian and Ubuntu, `brew install graphviz` on macOS), or write DOT with `-o FILE.dot`")]
    GraphvizMissing,
    #[error("cannot run Graphviz `dot`")]
    GraphvizSpawn(#[source] std::io::Error),
    #[error("Graphviz `dot` failed ({status}): {stderr}")]
    Graphviz { status: String, stderr: String },
    #[error(transparent)]
    Target(#[from] crate::io::target::TargetError),
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DiagramError {
    /// Whether the fault is in what the user asked for (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            DiagramError::Query(QueryError::Syntax(_) | QueryError::Format(_))
                | DiagramError::NotConstruct(_)
                | DiagramError::NoCentre { .. }
                | DiagramError::UnknownRecord { .. }
                | DiagramError::AmbiguousRecord { .. }
                | DiagramError::UnknownTerm { .. }
                | DiagramError::BadTerm { .. }
        )
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map_or_else(String::new, |s| format!(" (did you mean `{s}`?)"))
}

/// A diagram ready to write: the drawn nodes and links as a petgraph graph,
/// with the clusters, the legend and the title.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub graph: DiGraph<DiagramNode, DiagramEdge>,
    pub clusters: Vec<Cluster>,
    pub legend: Vec<LegendEntry>,
    pub legend_title: String,
    pub title: String,
    pub rankdir: RankDir,
}

/// A drawn node: a record, a literal (in a query result), or a group of
/// poles.
#[derive(Debug, Clone)]
pub struct DiagramNode {
    /// The DOT node id: the IRI, `_:id` for a blank node, the N-Triples
    /// form of a literal, or `pole-group:{category IRI | none}`.
    pub id: String,
    /// The text shown, lines separated by `\n`.
    pub label: String,
    /// The text shown on hover: the full name and the IRI.
    pub tooltip: String,
    pub style: &'static NodeStyle,
    /// For a group of poles, how many poles it stands for.
    pub group: Option<usize>,
}

/// A drawn link. The texts are shared by the links of one property (a
/// diagram of every record has hundreds of thousands of links and a few
/// dozen properties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramEdge {
    /// The property IRI.
    pub property: Arc<str>,
    /// Its label in the diagram's language, with the count of links it
    /// stands for when it joins a group of poles.
    pub label: Arc<str>,
    /// How many links of the graph this edge stands for.
    pub count: usize,
}

/// A box around nodes: a ministry and its organisations, or a class.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// What the box stands for: the ministry's IRI, or the class IRI.
    pub key: String,
    pub label: String,
    pub members: Vec<NodeIndex>,
}

/// One line of the legend.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    pub label: String,
    pub style: &'static NodeStyle,
    /// The entry of the grouped poles (drawn with a double outline).
    pub group: bool,
}

impl Diagram {
    /// Writes the diagram as Graphviz DOT.
    pub fn write_dot<W: Write>(&self, writer: W) -> std::io::Result<W> {
        dot::write(self, writer)
    }

    /// The node with this DOT id.
    pub fn node(&self, id: &str) -> Option<&DiagramNode> {
        self.graph.node_weights().find(|n| n.id == id)
    }
}

/// Draws a diagram of the records in `store`.
pub fn from_store(
    store: &Store,
    iris: &Iris,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let loaded = Loaded::from_store(store, iris, options.lang)?;
    draw(loaded, store, iris, options, false)
}

/// Draws a diagram of a dataset's records without building a store: the
/// mapper's quads go straight into the petgraph graph, and the ontology
/// (for labels) into a small store of its own. Gives the same diagram as
/// [`from_store`] over the store of the same dataset, faster.
pub fn from_dataset(
    dataset: &Dataset,
    iris: &Iris,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let loaded = Loaded::from_dataset(dataset, iris, options.lang);
    let ontology = ontology_store(iris)?;
    draw(loaded, &ontology, iris, options, false)
}

/// Draws a diagram of a folder of CSV tables, streaming its rows into the
/// petgraph graph (the same diagram as [`from_dataset`] over the same
/// records).
pub fn from_tables(
    tables: &[(crate::load::CsvTable, std::path::PathBuf)],
    iris: &Iris,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let mut loaded = Loaded::new(options.lang, Mode::Mapper);
    crate::map::tables::map_tables(tables, iris, &mut loaded, &mut |_| {})
        .map_err(DiagramError::Stream)?;
    loaded.mark_hidden();
    let ontology = ontology_store(iris)?;
    draw(loaded, &ontology, iris, options, false)
}

/// A store holding only the ontology, in its named graph.
fn ontology_store(iris: &Iris) -> Result<Store, DiagramError> {
    let store = Store::new()?;
    let graph = NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH));
    let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .with_default_graph(graph);
    store
        .load_from_slice(parser, crate::store::ONTOLOGY_TTL.as_bytes())
        .map_err(|e| match e {
            oxigraph::store::LoaderError::Storage(e) => DiagramError::Storage(e),
            other => DiagramError::Storage(StorageError::Other(Box::new(other))),
        })?;
    Ok(store)
}

/// Draws the graph a CONSTRUCT query builds over `graph`. Nodes the result
/// does not type or name take their classes and labels from the store.
pub fn from_construct(
    graph: &KnowledgeGraph,
    query: &str,
    options: &DiagramOptions,
) -> Result<Diagram, DiagramError> {
    let results = crate::query::prepare(graph, query)?
        .on_store(&graph.store)
        .execute()
        .map_err(QueryError::from)?;
    let triples = match results {
        QueryResults::Graph(triples) => triples
            .collect::<Result<Vec<Triple>, _>>()
            .map_err(QueryError::from)?,
        QueryResults::Solutions(_) => return Err(DiagramError::NotConstruct("SELECT")),
        QueryResults::Boolean(_) => return Err(DiagramError::NotConstruct("ASK")),
    };
    let triples = canonical_blank_nodes(triples);
    let loaded = Loaded::from_triples(&triples, &graph.store, &graph.iris, options.lang)?;
    draw(loaded, &graph.store, &graph.iris, options, true)
}

/// Renames the blank nodes of a query result `_:b0`, `_:b1`, … in the order
/// they first appear once the triples are sorted with blank nodes left out
/// of the sort key: a query engine names them at random, and the same
/// result must give the same diagram.
fn canonical_blank_nodes(mut triples: Vec<Triple>) -> Vec<Triple> {
    triples.sort_by_cached_key(|t| {
        let subject = match &t.subject {
            NamedOrBlankNode::BlankNode(_) => String::new(),
            other => other.to_string(),
        };
        let object = match &t.object {
            Term::BlankNode(_) => String::new(),
            other => other.to_string(),
        };
        (subject, t.predicate.as_str().to_owned(), object)
    });
    let mut names: HashMap<BlankNode, BlankNode> = HashMap::new();
    let mut rename = |blank: &BlankNode| {
        let next = names.len();
        names
            .entry(blank.clone())
            .or_insert_with(|| BlankNode::new_unchecked(format!("b{next}")))
            .clone()
    };
    triples
        .into_iter()
        .map(|t| {
            let subject = match t.subject {
                NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::BlankNode(rename(&b)),
                other => other,
            };
            let object = match t.object {
                Term::BlankNode(b) => Term::BlankNode(rename(&b)),
                other => other,
            };
            Triple::new(subject, t.predicate, object)
        })
        .collect()
}

/// The output formats of `polegraph dot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Dot,
    Svg,
    Png,
    Pdf,
}

impl OutputFormat {
    /// The extensions understood, for messages.
    pub const EXTENSIONS: &'static str = ".dot, .gv, .svg, .png or .pdf";

    /// The format a file name's extension gives.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "dot" | "gv" => Some(OutputFormat::Dot),
            "svg" => Some(OutputFormat::Svg),
            "png" => Some(OutputFormat::Png),
            "pdf" => Some(OutputFormat::Pdf),
            _ => None,
        }
    }

    /// The `-T` value of Graphviz `dot` (none for DOT itself).
    pub fn graphviz_name(self) -> Option<&'static str> {
        match self {
            OutputFormat::Dot => None,
            OutputFormat::Svg => Some("svg"),
            OutputFormat::Png => Some("png"),
            OutputFormat::Pdf => Some("pdf"),
        }
    }
}

/// Runs Graphviz (`program`, usually `dot`) on DOT text and writes the
/// image to `target` by the rule for every output (written aside, see
/// [`crate::io::atomic`]; a device or pipe is written as it is, see
/// [`crate::io::target`]). Returns what Graphviz printed on stderr (its
/// warnings).
pub fn render(
    program: &std::ffi::OsStr,
    dot_text: &[u8],
    format: OutputFormat,
    target: &Path,
) -> Result<String, DiagramError> {
    use crate::io::atomic::AsideFile;
    use crate::io::target::{open_existing, place_of, Place};
    let place = place_of(target)?;
    let write_error = |source| DiagramError::Write {
        path: target.to_owned(),
        source,
    };
    let open_in_place = |path: &Path| open_existing(path).map_err(write_error);
    let Some(name) = format.graphviz_name() else {
        match &place {
            Place::File(path) => {
                crate::io::atomic::write_file(path, dot_text).map_err(write_error)?
            }
            Place::InPlace(path) => open_in_place(path)?
                .write_all(dot_text)
                .map_err(write_error)?,
            Place::Stdout => std::io::stdout().write_all(dot_text).map_err(write_error)?,
        }
        return Ok(String::new());
    };
    let (aside, image_out) = match &place {
        Place::File(path) => {
            let aside = AsideFile::beside(path).map_err(write_error)?;
            let out = aside.file().try_clone().map_err(write_error)?;
            (Some(aside), std::process::Stdio::from(out))
        }
        Place::InPlace(path) => (None, std::process::Stdio::from(open_in_place(path)?)),
        Place::Stdout => (None, std::process::Stdio::inherit()),
    };
    let mut child = std::process::Command::new(program)
        .arg(format!("-T{name}"))
        .stdin(std::process::Stdio::piped())
        .stdout(image_out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DiagramError::GraphvizMissing,
            _ => DiagramError::GraphvizSpawn(e),
        })?;
    let mut stdin = child.stdin.take();
    let output = std::thread::scope(|scope| {
        let feeder = scope.spawn(move || -> std::io::Result<()> {
            if let Some(stdin) = stdin.as_mut() {
                stdin.write_all(dot_text)?;
            }
            Ok(())
        });
        let output = child.wait_with_output();
        let fed = feeder.join().unwrap_or(Ok(()));
        output.and_then(|o| fed.map(|()| o))
    })
    .map_err(DiagramError::GraphvizSpawn)?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(DiagramError::Graphviz {
            status: output.status.to_string(),
            stderr: stderr.trim().to_owned(),
        });
    }
    if let Some(aside) = aside {
        aside.commit().map_err(write_error)?;
    }
    Ok(stderr)
}

// ---------------------------------------------------------------------------
// 1. Load
// ---------------------------------------------------------------------------

/// FxHash (as in rustc): the maps of a diagram hash millions of IRIs and
/// small integers, where SipHash's resistance to chosen keys buys nothing.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The low bits of a product mix poorly, and the map picks buckets
        // with them: bring the well-mixed high bits down (as rustc-hash 2
        // does). Without this, drawing from 100k records took twice as long.
        self.0.rotate_left(26)
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// The terms every load looks for, interned first so that their ids are
/// these constants.
const ACRONYM: u32 = 0;
const SHORT_NAME: u32 = 1;
const CATEGORY: u32 = 2;
/// The ids of [`style::NAME_PROPERTIES`] start here.
const FIRST_NAME_PROPERTY: u32 = 3;

/// Interned class and property IRIs.
#[derive(Debug)]
struct Terms {
    names: Vec<Box<str>>,
    ids: FastMap<Box<str>, u32>,
}

impl Terms {
    fn new() -> Self {
        let mut terms = Terms {
            names: Vec::new(),
            ids: FastMap::default(),
        };
        for term in [pg::ACRONYM, pg::SHORT_NAME, pg::CATEGORY]
            .iter()
            .chain(style::NAME_PROPERTIES)
        {
            terms.intern(term.as_str());
        }
        terms
    }

    fn intern(&mut self, iri: &str) -> u32 {
        if let Some(&id) = self.ids.get(iri) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(iri.into());
        self.ids.insert(iri.into(), id);
        id
    }

    fn id(&self, iri: &str) -> Option<u32> {
        self.ids.get(iri).copied()
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// A node of the loaded graph.
#[derive(Debug)]
struct Resource {
    /// IRI, `_:id`, or the N-Triples form of a literal (shared with the
    /// index of nodes by id).
    id: Rc<str>,
    /// The lexical value, for a literal node.
    literal: Option<Box<str>>,
    classes: Vec<u32>,
    acronym: Option<Box<str>>,
    short_name: Option<Box<str>>,
    /// The best name so far and its rank (lower is better).
    name: Option<(u8, Box<str>)>,
    /// The `pg:category` of a pole.
    category: Option<u32>,
}

impl Resource {
    fn new(id: Rc<str>) -> Self {
        Resource {
            id,
            literal: None,
            classes: Vec::new(),
            acronym: None,
            short_name: None,
            name: None,
            category: None,
        }
    }

    fn has_class(&self, class: Option<u32>) -> bool {
        class.is_some_and(|c| self.classes.contains(&c))
    }

    /// Keeps `value` for `slot` when it is better than what is there (the
    /// smallest value wins a tie, so the order of the quads never matters).
    fn offer(slot: &mut Option<Box<str>>, value: &str) {
        let better = match slot.as_deref() {
            None => true,
            Some(v) => value < v,
        };
        if better {
            *slot = Some(value.into());
        }
    }

    fn offer_name(&mut self, rank: u8, value: &str) {
        let better = match &self.name {
            None => true,
            Some((r, v)) => (rank, value) < (*r, v.as_ref()),
        };
        if better {
            self.name = Some((rank, value.into()));
        }
    }
}

/// A link of the loaded graph.
#[derive(Debug, Clone, Copy)]
struct Link {
    property: u32,
    /// Left out unless `--include` names the property.
    hidden: bool,
}

/// The records and links a diagram is drawn from.
struct Loaded {
    graph: DiGraph<Resource, Link>,
    index: FastMap<Rc<str>, NodeIndex>,
    terms: Terms,
    /// `(source, property, target)` of every link, to skip duplicates (the
    /// same triple in two named graphs) and find inverses.
    links: FastSet<(u32, u32, u32)>,
    lang: Lang,
    mode: Mode,
    /// The last subject looked up (the mapper writes a record's quads
    /// together).
    last_subject: Option<NodeIndex>,
}

/// Where the loaded graph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A store: typed subjects are nodes; links to anything else are left
    /// out.
    Store,
    /// The mapper's quads: every IRI gets a node, and only typed nodes are
    /// [`present`](Loaded::present), as in a store.
    Mapper,
    /// A CONSTRUCT result: every subject and object is a node, literals
    /// included.
    Query,
}

/// The store key of a subject: the IRI, or `_:id`.
fn subject_key(subject: &NamedOrBlankNode) -> Cow<'_, str> {
    match subject {
        NamedOrBlankNode::NamedNode(n) => Cow::Borrowed(n.as_str()),
        NamedOrBlankNode::BlankNode(b) => Cow::Owned(b.to_string()),
    }
}

impl Loaded {
    fn new(lang: Lang, mode: Mode) -> Self {
        Loaded {
            graph: DiGraph::new(),
            index: FastMap::default(),
            terms: Terms::new(),
            links: FastSet::default(),
            lang,
            mode,
            last_subject: None,
        }
    }

    /// Every typed resource of the data graphs and the links between them.
    fn from_store(store: &Store, iris: &Iris, lang: Lang) -> Result<Self, StorageError> {
        let skipped = [iris.graph(ONTOLOGY_GRAPH), iris.graph(VOID_GRAPH)];
        let in_scope = |graph: &GraphName| match graph {
            GraphName::NamedNode(g) => !skipped.iter().any(|s| s == g.as_str()),
            _ => true,
        };
        let mut loaded = Loaded::new(lang, Mode::Store);
        for quad in store.quads_for_pattern(None, Some(rdf::TYPE), None, None) {
            let quad = quad?;
            if in_scope(&quad.graph_name) {
                if let Term::NamedNode(class) = &quad.object {
                    let node = loaded.node(&subject_key(&quad.subject));
                    loaded.add_class(node, class.as_str());
                }
            }
        }
        for quad in store.iter() {
            let quad = quad?;
            if quad.predicate.as_ref() == rdf::TYPE || !in_scope(&quad.graph_name) {
                continue;
            }
            if let Some(&subject) = loaded.index.get(subject_key(&quad.subject).as_ref()) {
                loaded.add_fact(subject, quad.predicate.as_ref(), quad.object.as_ref());
            }
        }
        loaded.mark_hidden();
        Ok(loaded)
    }

    /// The records of a dataset, mapped straight into the graph (the quads
    /// a store would hold, without the store).
    fn from_dataset(dataset: &Dataset, iris: &Iris, lang: Lang) -> Self {
        let mut loaded = Loaded::new(lang, Mode::Mapper);
        // The sink never fails, so neither does the mapper.
        let _ = map::map_dataset(dataset, iris, &mut loaded);
        loaded.mark_hidden();
        loaded
    }

    /// The triples of a CONSTRUCT result; every subject and object is a
    /// node. What the result does not say of a resource (its classes, its
    /// names) comes from the store.
    fn from_triples(
        triples: &[Triple],
        store: &Store,
        iris: &Iris,
        lang: Lang,
    ) -> Result<Self, StorageError> {
        let mut loaded = Loaded::new(lang, Mode::Query);
        for triple in triples {
            let subject = loaded.node(&subject_key(&triple.subject));
            match &triple.object {
                Term::NamedNode(class) if triple.predicate.as_ref() == rdf::TYPE => {
                    loaded.add_class(subject, class.as_str())
                }
                object => loaded.add_fact(subject, triple.predicate.as_ref(), object.as_ref()),
            }
        }
        loaded.complete_from_store(store, iris)?;
        loaded.mark_hidden();
        Ok(loaded)
    }

    /// Gives the nodes of a query result the classes and names the store
    /// holds for them, where the result gave none.
    fn complete_from_store(&mut self, store: &Store, iris: &Iris) -> Result<(), StorageError> {
        let ontology = iris.graph(ONTOLOGY_GRAPH);
        let nodes: Vec<NodeIndex> = self.graph.node_indices().collect();
        for node in nodes {
            let resource = &self.graph[node];
            if resource.literal.is_some() || resource.id.starts_with("_:") {
                continue;
            }
            let Ok(subject) = NamedNode::new(resource.id.as_ref()) else {
                continue;
            };
            let needs_classes = resource.classes.is_empty();
            let needs_names = resource.name.is_none() && resource.acronym.is_none();
            if !needs_classes && !needs_names {
                continue;
            }
            for quad in store.quads_for_pattern(Some(subject.as_ref().into()), None, None, None) {
                let quad = quad?;
                let from_ontology =
                    matches!(&quad.graph_name, GraphName::NamedNode(g) if g.as_str() == ontology);
                match &quad.object {
                    Term::NamedNode(class)
                        if quad.predicate.as_ref() == rdf::TYPE
                            && needs_classes
                            && !from_ontology =>
                    {
                        self.add_class(node, class.as_str());
                    }
                    Term::Literal(literal) if needs_names => {
                        let predicate = self.terms.intern(quad.predicate.as_str());
                        self.add_name(node, predicate, literal.as_ref());
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Whether a node stands for something a store would hold: in the
    /// mapper's graph, only typed resources (records) do.
    fn present(&self, node: NodeIndex) -> bool {
        self.mode != Mode::Mapper || !self.graph[node].classes.is_empty()
    }

    /// The present node of `key`, if any.
    fn find(&self, key: &str) -> Option<NodeIndex> {
        self.index.get(key).copied().filter(|&n| self.present(n))
    }

    fn node(&mut self, key: &str) -> NodeIndex {
        if let Some(&node) = self.index.get(key) {
            return node;
        }
        let id: Rc<str> = key.into();
        let node = self.graph.add_node(Resource::new(id.clone()));
        self.index.insert(id, node);
        node
    }

    fn add_class(&mut self, node: NodeIndex, class: &str) {
        let class = self.terms.intern(class);
        let classes = &mut self.graph[node].classes;
        if !classes.contains(&class) {
            classes.push(class);
        }
    }

    /// One non-type triple about `subject`.
    fn add_fact(&mut self, subject: NodeIndex, predicate: NamedNodeRef<'_>, object: TermRef<'_>) {
        let property = self.terms.intern(predicate.as_str());
        let open = self.mode != Mode::Store;
        let target = match object {
            TermRef::Literal(literal) => {
                if self.add_name(subject, property, literal) || self.mode != Mode::Query {
                    return;
                }
                let key = literal.to_string();
                let node = self.node(&key);
                self.graph[node].literal = Some(literal.value().into());
                node
            }
            TermRef::NamedNode(iri) => {
                if property == CATEGORY {
                    self.graph[subject].category = Some(self.terms.intern(iri.as_str()));
                    if self.mode != Mode::Query {
                        return;
                    }
                }
                match self.index.get(iri.as_str()) {
                    Some(&node) => node,
                    None if open => self.node(iri.as_str()),
                    None => return,
                }
            }
            TermRef::BlankNode(blank) => {
                let key = blank.to_string();
                match self.index.get(key.as_str()) {
                    Some(&node) => node,
                    None if open => self.node(&key),
                    None => return,
                }
            }
            #[allow(unreachable_patterns)]
            _ => return,
        };
        let key = (subject.index() as u32, property, target.index() as u32);
        if self.links.insert(key) {
            self.graph.add_edge(
                subject,
                target,
                Link {
                    property,
                    hidden: false,
                },
            );
        }
    }

    /// Takes a literal as the acronym, short name or name of `subject`;
    /// false when `property` is none of these.
    fn add_name(&mut self, subject: NodeIndex, property: u32, literal: LiteralRef<'_>) -> bool {
        let resource = &mut self.graph[subject];
        match property {
            ACRONYM => Resource::offer(&mut resource.acronym, literal.value()),
            SHORT_NAME => Resource::offer(&mut resource.short_name, literal.value()),
            p if (FIRST_NAME_PROPERTY
                ..FIRST_NAME_PROPERTY + style::NAME_PROPERTIES.len() as u32)
                .contains(&p) =>
            {
                let language_rank = match literal.language() {
                    Some(l) if l == self.lang.tag() => 0,
                    None => 1,
                    Some("fr") => 2,
                    Some(_) => 3,
                };
                let rank = (p - FIRST_NAME_PROPERTY) * 4 + language_rank;
                resource.offer_name(u8::try_from(rank).unwrap_or(u8::MAX), literal.value());
            }
            _ => return false,
        }
        true
    }

    /// Hides provenance links and the redundant half of inverse pairs.
    fn mark_hidden(&mut self) {
        let hidden: FastSet<u32> = style::HIDDEN_PROPERTIES
            .iter()
            .filter_map(|p| self.terms.id(p.as_str()))
            .collect();
        let inverses: FastMap<u32, u32> = style::INVERSES
            .iter()
            .filter_map(|(drawn, redundant)| {
                Some((
                    self.terms.id(redundant.as_str())?,
                    self.terms.id(drawn.as_str())?,
                ))
            })
            .collect();
        for edge in self.graph.edge_indices() {
            let Some((source, target)) = self.graph.edge_endpoints(edge) else {
                continue;
            };
            let link = &mut self.graph[edge];
            link.hidden = hidden.contains(&link.property)
                || inverses.get(&link.property).is_some_and(|&drawn| {
                    self.links
                        .contains(&(target.index() as u32, drawn, source.index() as u32))
                });
        }
    }

    fn term_id(&self, term: NamedNodeRef<'_>) -> Option<u32> {
        self.terms.id(term.as_str())
    }

    /// The node of a subject, remembering the last one.
    fn subject_node(&mut self, key: &str) -> NodeIndex {
        if let Some(node) = self.last_subject {
            if *self.graph[node].id == *key {
                return node;
            }
        }
        let node = self.node(key);
        self.last_subject = Some(node);
        node
    }
}

impl QuadSink for Loaded {
    fn add(&mut self, quad: QuadRef<'_>) -> std::io::Result<()> {
        let subject = match quad.subject {
            NamedOrBlankNodeRef::NamedNode(n) => self.subject_node(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => self.subject_node(&b.to_string()),
        };
        match quad.object {
            TermRef::NamedNode(class) if quad.predicate == rdf::TYPE => {
                self.add_class(subject, class.as_str())
            }
            object => self.add_fact(subject, quad.predicate, object),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// 2. Filter
// ---------------------------------------------------------------------------

/// `--include` and `--exclude`, resolved to term ids.
#[derive(Debug, Default)]
struct Filter {
    include_classes: HashSet<u32>,
    include_properties: HashSet<u32>,
    exclude_classes: HashSet<u32>,
    exclude_properties: HashSet<u32>,
    hidden_classes: HashSet<u32>,
}

const OWL_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");
const RDFS_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#Class");
const PROPERTY_TYPES: &[NamedNodeRef<'static>] = &[
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#ObjectProperty"),
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#DatatypeProperty"),
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#AnnotationProperty"),
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermKind {
    Class,
    Property,
}

impl Filter {
    fn resolve(
        loaded: &mut Loaded,
        store: &Store,
        iris: &Iris,
        options: &DiagramOptions,
    ) -> Result<Self, DiagramError> {
        let prefixes = prefixes_for(iris);
        let mut filter = Filter::default();
        let (used_classes, used_properties) =
            if options.include.is_empty() && options.exclude.is_empty() {
                (HashSet::new(), HashSet::new())
            } else {
                let classes: HashSet<u32> = loaded
                    .graph
                    .node_weights()
                    .flat_map(|r| r.classes.iter().copied())
                    .collect();
                let properties: HashSet<u32> = loaded
                    .graph
                    .edge_references()
                    .filter(|e| loaded.present(e.source()) && loaded.present(e.target()))
                    .map(|e| e.weight().property)
                    .collect();
                (classes, properties)
            };
        for (names, include) in [(&options.include, true), (&options.exclude, false)] {
            for given in names {
                let iri = expand_term(given, &prefixes)?;
                let kind = match loaded.terms.id(&iri) {
                    Some(id) if used_classes.contains(&id) => TermKind::Class,
                    Some(id) if used_properties.contains(&id) => TermKind::Property,
                    _ => declared_kind(store, iris, &iri)?.ok_or_else(|| {
                        DiagramError::UnknownTerm {
                            given: given.clone(),
                            suggestion: closest(
                                given,
                                used_classes
                                    .iter()
                                    .chain(&used_properties)
                                    .map(|&id| abbreviate(loaded.terms.name(id), &prefixes)),
                            ),
                        }
                    })?,
                };
                let id = loaded.terms.intern(&iri);
                let set = match (kind, include) {
                    (TermKind::Class, true) => &mut filter.include_classes,
                    (TermKind::Class, false) => &mut filter.exclude_classes,
                    (TermKind::Property, true) => &mut filter.include_properties,
                    (TermKind::Property, false) => &mut filter.exclude_properties,
                };
                set.insert(id);
            }
        }
        filter.hidden_classes = style::HIDDEN_CLASSES
            .iter()
            .filter_map(|c| loaded.term_id(*c))
            .filter(|c| !filter.include_classes.contains(c))
            .collect();
        Ok(filter)
    }

    fn keeps_node(&self, resource: &Resource) -> bool {
        let has = |set: &HashSet<u32>| resource.classes.iter().any(|c| set.contains(c));
        if has(&self.exclude_classes) || has(&self.hidden_classes) {
            return false;
        }
        self.include_classes.is_empty() || has(&self.include_classes)
    }

    fn keeps_link(&self, link: &Link) -> bool {
        if self.exclude_properties.contains(&link.property) {
            return false;
        }
        if self.include_properties.is_empty() {
            !link.hidden
        } else {
            self.include_properties.contains(&link.property)
        }
    }
}

/// The IRI a `--include`/`--exclude`/`--focus` term names: `<IRI>`, an
/// absolute IRI, or a prefixed name.
fn expand_term(given: &str, prefixes: &[(String, String)]) -> Result<String, DiagramError> {
    let text = given.trim();
    if let Some(inner) = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        return Ok(inner.to_owned());
    }
    if let Some((prefix, local)) = text.split_once(':') {
        if let Some((_, namespace)) = prefixes.iter().find(|(p, _)| p == prefix) {
            return Ok(format!("{namespace}{local}"));
        }
        if NamedNode::new(text).is_ok() {
            return Ok(text.to_owned());
        }
    }
    Err(DiagramError::BadTerm {
        given: given.to_owned(),
    })
}

/// Whether the ontology graph declares `iri` a class or a property.
fn declared_kind(store: &Store, iris: &Iris, iri: &str) -> Result<Option<TermKind>, DiagramError> {
    let Ok(term) = NamedNode::new(iri) else {
        return Ok(None);
    };
    let ontology = NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH));
    let graph = GraphNameRef::NamedNode(ontology.as_ref());
    for quad in store.quads_for_pattern(
        Some(term.as_ref().into()),
        Some(rdf::TYPE),
        None,
        Some(graph),
    ) {
        if let Term::NamedNode(kind) = quad?.object {
            if kind.as_ref() == OWL_CLASS || kind.as_ref() == RDFS_CLASS {
                return Ok(Some(TermKind::Class));
            }
            if PROPERTY_TYPES.contains(&kind.as_ref()) {
                return Ok(Some(TermKind::Property));
            }
        }
    }
    Ok(None)
}

/// The candidate closest to `given`, if one is close enough to suggest.
fn closest(given: &str, candidates: impl Iterator<Item = String>) -> Option<String> {
    let limit = (given.chars().count() / 3).max(2);
    candidates
        .map(|c| (strsim::levenshtein(given, &c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The filtered graph: each node's weight is its index in the loaded graph.
struct View {
    graph: DiGraph<NodeIndex, Link>,
    /// Loaded index → view index.
    of: Vec<Option<NodeIndex>>,
}

impl View {
    fn new(loaded: &Loaded, filter: &Filter, keep: Option<NodeIndex>) -> Self {
        let mut graph = DiGraph::with_capacity(loaded.graph.node_count(), 0);
        let mut of = vec![None; loaded.graph.node_count()];
        for node in loaded.graph.node_indices() {
            let kept = loaded.present(node) && filter.keeps_node(&loaded.graph[node]);
            if Some(node) == keep || kept {
                of[node.index()] = Some(graph.add_node(node));
            }
        }
        for edge in loaded.graph.edge_references() {
            if let (Some(source), Some(target)) =
                (of[edge.source().index()], of[edge.target().index()])
            {
                if filter.keeps_link(edge.weight()) {
                    graph.add_edge(source, target, *edge.weight());
                }
            }
        }
        View { graph, of }
    }

    fn index(&self, loaded: NodeIndex) -> Option<NodeIndex> {
        self.of.get(loaded.index()).copied().flatten()
    }
}

// ---------------------------------------------------------------------------
// 3. Select
// ---------------------------------------------------------------------------

/// The record `given` names: an id looked up across record kinds, a
/// prefixed name, or an IRI.
fn resolve_record(loaded: &Loaded, iris: &Iris, given: &str) -> Result<NodeIndex, DiagramError> {
    let text = given.trim();
    let prefixes = prefixes_for(iris);
    if let Ok(iri) = expand_term(text, &prefixes) {
        if let Some(node) = loaded.find(&iri) {
            return Ok(node);
        }
    }
    let found: Vec<(String, NodeIndex)> = RecordKind::ALL
        .iter()
        .map(|&kind| iris.record(kind, text))
        .filter_map(|iri| loaded.find(&iri).map(|n| (iri, n)))
        .collect();
    match found.as_slice() {
        [(_, node)] => Ok(*node),
        [] => Err(DiagramError::UnknownRecord {
            given: given.to_owned(),
            suggestion: closest(
                text,
                loaded
                    .graph
                    .node_weights()
                    .filter_map(|r| iris.parse_record(&r.id).map(|(_, id)| id.to_owned())),
            ),
        }),
        many => Err(DiagramError::AmbiguousRecord {
            given: given.to_owned(),
            iris: many.iter().map(|(iri, _)| iri.clone()).collect(),
        }),
    }
}

/// The nodes at most `depth` links away from `start`, whichever way the
/// links point.
fn neighbourhood(view: &View, start: NodeIndex, depth: usize) -> Vec<bool> {
    let mut selected = vec![false; view.graph.node_count()];
    selected[start.index()] = true;
    let mut frontier = vec![start];
    for _ in 0..depth {
        let mut next = Vec::new();
        for node in frontier {
            for neighbour in view.graph.neighbors_undirected(node) {
                if !selected[neighbour.index()] {
                    selected[neighbour.index()] = true;
                    next.push(neighbour);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    selected
}

/// The default diagram's selection around `centre` (see
/// [`Selection::Default`]).
fn around_centre(view: &View, loaded: &Loaded, centre: NodeIndex) -> Vec<bool> {
    let graph = &view.graph;
    let property = |term| loaded.term_id(term);
    let out = |node: NodeIndex, term| -> Vec<NodeIndex> {
        let wanted = property(term);
        graph
            .edges_directed(node, Direction::Outgoing)
            .filter(|e| Some(e.weight().property) == wanted)
            .map(|e| e.target())
            .collect()
    };
    let into = |node: NodeIndex, term| -> Vec<NodeIndex> {
        let wanted = property(term);
        graph
            .edges_directed(node, Direction::Incoming)
            .filter(|e| Some(e.weight().property) == wanted)
            .map(|e| e.source())
            .collect()
    };
    let mut selected = vec![false; graph.node_count()];
    let mut select = |nodes: &[NodeIndex]| {
        for n in nodes {
            selected[n.index()] = true;
        }
    };
    // The centre, its members and its secretariat.
    let mut core = vec![centre];
    core.extend(out(centre, org::HAS_MEMBER));
    core.extend(out(centre, pg::SECRETARIAT));
    select(&core);
    // Where they belong: every ancestor by hierarchy or placement.
    let up = [
        property(org::SUB_ORGANIZATION_OF),
        property(pg::PLACED_AT_DISPOSAL_OF),
    ];
    let upward = EdgeFiltered::from_fn(graph, |e: petgraph::graph::EdgeReference<'_, Link>| {
        up.contains(&Some(e.weight().property))
    });
    let mut bfs = Bfs::new(&upward, centre);
    for &node in &core[1..] {
        if bfs.discovered.visit(node) {
            bfs.stack.push_back(node);
        }
    }
    let mut ancestors = Vec::new();
    while let Some(node) = bfs.next(&upward) {
        ancestors.push(node);
    }
    select(&ancestors);
    // The Prime Minister's services: the direct sub-organisations of the
    // heads of government reached so far.
    let head = property(pg::HEAD_OF_GOVERNMENT);
    for &node in &ancestors {
        if loaded.graph[graph[node]].has_class(head) {
            select(&into(node, org::SUB_ORGANIZATION_OF));
        }
    }
    // The poles, the decisions that labelled them and who took these.
    let poles = out(centre, pg::COORDINATES_SUPPORT_TO);
    select(&poles);
    let mut decisions: Vec<NodeIndex> = poles
        .iter()
        .flat_map(|&p| out(p, pg::LABELLED_BY))
        .collect();
    decisions.sort();
    decisions.dedup();
    select(&decisions);
    for &decision in &decisions {
        select(&out(decision, pg::DECIDED_BY));
    }
    // The events it organised.
    select(&into(centre, crate::vocab::schema::ORGANIZER));
    selected
}

// ---------------------------------------------------------------------------
// 4. Draw
// ---------------------------------------------------------------------------

/// Reads the labels of terms from the ontology graph.
struct Labels<'a> {
    store: &'a Store,
    ontology: NamedNode,
    lang: Lang,
    prefixes: Vec<(String, String)>,
    cache: HashMap<String, Option<String>>,
}

impl<'a> Labels<'a> {
    fn new(store: &'a Store, iris: &Iris, lang: Lang) -> Self {
        Labels {
            store,
            ontology: NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH)),
            lang,
            prefixes: prefixes_for(iris),
            cache: HashMap::new(),
        }
    }

    /// The ontology's `rdfs:label` of `iri` in the language (else French,
    /// else any), if it has one.
    fn ontology_label(&mut self, iri: &str) -> Result<Option<String>, StorageError> {
        if let Some(cached) = self.cache.get(iri) {
            return Ok(cached.clone());
        }
        let mut best: Option<(u8, String)> = None;
        if let Ok(term) = NamedNode::new(iri) {
            for quad in self.store.quads_for_pattern(
                Some(term.as_ref().into()),
                Some(rdfs::LABEL),
                None,
                Some(GraphNameRef::NamedNode(self.ontology.as_ref())),
            ) {
                if let Term::Literal(literal) = quad?.object {
                    let rank = match literal.language() {
                        Some(l) if l == self.lang.tag() => 0,
                        Some("fr") => 1,
                        _ => 2,
                    };
                    let candidate = (rank, literal.value().to_owned());
                    let better = match &best {
                        None => true,
                        Some(b) => candidate < *b,
                    };
                    if better {
                        best = Some(candidate);
                    }
                }
            }
        }
        let label = best.map(|(_, l)| l);
        self.cache.insert(iri.to_owned(), label.clone());
        Ok(label)
    }

    /// A property's or class's label: the ontology's, else the built-in
    /// one, else its prefixed name.
    fn term(&mut self, iri: &str) -> Result<String, StorageError> {
        Ok(match self.ontology_label(iri)? {
            Some(label) => label,
            None => style::builtin_label(iri, self.lang)
                .map_or_else(|| abbreviate(iri, &self.prefixes), str::to_owned),
        })
    }
}

fn draw(
    mut loaded: Loaded,
    store: &Store,
    iris: &Iris,
    options: &DiagramOptions,
    query_result: bool,
) -> Result<Diagram, DiagramError> {
    let centre = match &options.selection {
        Selection::Focus { record, .. } => Some(resolve_record(&loaded, iris, record)?),
        Selection::Default if !query_result => {
            let iri = iris.record(RecordKind::Organization, CENTRE);
            Some(loaded.find(&iri).ok_or(DiagramError::NoCentre { iri })?)
        }
        _ => None,
    };
    let filter = Filter::resolve(&mut loaded, store, iris, options)?;
    let view = View::new(&loaded, &filter, centre);
    let start = centre.and_then(|c| view.index(c));
    let selected = match (&options.selection, start) {
        (Selection::Focus { depth, .. }, Some(start)) => neighbourhood(&view, start, *depth),
        (Selection::Default, Some(start)) => around_centre(&view, &loaded, start),
        _ => vec![true; view.graph.node_count()],
    };
    let group_poles =
        matches!(options.selection, Selection::Default) && !query_result && !options.expand_poles;
    let texts = style::texts(options.lang);
    let mut labels = Labels::new(store, iris, options.lang);
    let mut builder = Builder {
        loaded: &loaded,
        styles: class_styles(&loaded.terms),
        diagram: DiGraph::new(),
        origin: Vec::new(),
        drawn: vec![None; view.graph.node_count()],
        edge_texts: Vec::new(),
        groups: BTreeMap::new(),
    };
    let pole_class = loaded.term_id(pg::POLE);
    for node in view.graph.node_indices().filter(|n| selected[n.index()]) {
        let resource = view.graph[node];
        let pole = loaded.graph[resource].has_class(pole_class);
        if group_poles && pole && Some(resource) != centre {
            builder.add_to_group(node, loaded.graph[resource].category);
        } else {
            builder.add_node(node, resource);
        }
    }
    builder.finish_groups(&mut labels, texts)?;
    builder.add_edges(&view, &selected, &mut labels)?;
    let Builder {
        diagram: graph,
        origin,
        ..
    } = builder;
    let clusters = clusters(&graph, &origin, &loaded, options.cluster_by, &mut labels)?;
    let legend = legend(&graph, &mut labels)?;
    let title = match (&options.selection, centre) {
        (_, _) if query_result && !matches!(options.selection, Selection::Focus { .. }) => {
            texts.query_title.to_owned()
        }
        (Selection::Focus { depth, .. }, Some(c)) => format!(
            "{} {} ({} {depth})",
            texts.focus_title,
            short_name(&loaded.graph[c]),
            texts.depth
        ),
        (Selection::Default, Some(c)) => {
            format!("{} {}", texts.default_title, short_name(&loaded.graph[c]))
        }
        _ => texts.all_title.to_owned(),
    };
    Ok(Diagram {
        graph,
        clusters,
        legend,
        legend_title: texts.legend.to_owned(),
        title,
        rankdir: options.rankdir,
    })
}

/// For each interned term, its place in [`style::CLASS_STYLES`] if it is
/// one of the styled classes.
fn class_styles(terms: &Terms) -> Vec<Option<usize>> {
    terms
        .names
        .iter()
        .map(|name| {
            style::CLASS_STYLES
                .iter()
                .position(|style| style.class == name.as_ref())
        })
        .collect()
}

/// Builds the diagram graph from the selected nodes of the view.
struct Builder<'l> {
    loaded: &'l Loaded,
    /// Term id → place in the style table.
    styles: Vec<Option<usize>>,
    diagram: DiGraph<DiagramNode, DiagramEdge>,
    /// Diagram index → loaded index (none for a group of poles).
    origin: Vec<Option<NodeIndex>>,
    /// View index → diagram index.
    drawn: Vec<Option<NodeIndex>>,
    /// Property id → its IRI and label.
    edge_texts: Vec<Option<(Arc<str>, Arc<str>)>>,
    /// Category (None: no category) → the view nodes of its poles.
    groups: BTreeMap<Option<String>, Vec<NodeIndex>>,
}

impl Builder<'_> {
    fn add_node(&mut self, view_node: NodeIndex, resource: NodeIndex) {
        let r = &self.loaded.graph[resource];
        let style = if r.literal.is_some() {
            &style::LITERAL
        } else {
            r.classes
                .iter()
                .filter_map(|&c| self.styles.get(c as usize).copied().flatten())
                .min()
                .map_or(&style::OTHER, |i| &style::CLASS_STYLES[i])
        };
        let (label, tooltip) = node_text(r);
        let index = self.diagram.add_node(DiagramNode {
            id: r.id.to_string(),
            label,
            tooltip,
            style,
            group: None,
        });
        self.drawn[view_node.index()] = Some(index);
        self.origin.push(Some(resource));
    }

    fn add_to_group(&mut self, view_node: NodeIndex, category: Option<u32>) {
        let category = category.map(|c| self.loaded.terms.name(c).to_owned());
        self.groups.entry(category).or_default().push(view_node);
    }

    fn finish_groups(
        &mut self,
        labels: &mut Labels<'_>,
        texts: &style::Texts,
    ) -> Result<(), StorageError> {
        let pole_style = style::style_of(|c| c == pg::POLE.as_str());
        for (category, members) in std::mem::take(&mut self.groups) {
            let name = match &category {
                Some(iri) => labels
                    .ontology_label(iri)?
                    .unwrap_or_else(|| local_name(iri).to_owned()),
                None => texts.no_category.to_owned(),
            };
            let count = members.len();
            let unit = if count == 1 {
                texts.poles_one
            } else {
                texts.poles_many
            };
            let label = format!("{}\n{count} {unit}", wrap(&name, WRAP, MAX_LINES));
            let id = format!("pole-group:{}", category.as_deref().unwrap_or("none"));
            let index = self.diagram.add_node(DiagramNode {
                tooltip: format!("{name}: {count} {unit}"),
                id,
                label,
                style: pole_style,
                group: Some(count),
            });
            self.origin.push(None);
            for member in members {
                self.drawn[member.index()] = Some(index);
            }
        }
        Ok(())
    }

    fn add_edges(
        &mut self,
        view: &View,
        selected: &[bool],
        labels: &mut Labels<'_>,
    ) -> Result<(), StorageError> {
        // Links to or from a group: (source, target, property) → count.
        let mut grouped: BTreeMap<(NodeIndex, NodeIndex, u32), usize> = BTreeMap::new();
        for edge in view.graph.edge_references() {
            let (s, t) = (edge.source(), edge.target());
            if !selected[s.index()] || !selected[t.index()] {
                continue;
            }
            let (Some(a), Some(b)) = (self.drawn[s.index()], self.drawn[t.index()]) else {
                continue;
            };
            let property = edge.weight().property;
            if self.diagram[a].group.is_some() || self.diagram[b].group.is_some() {
                if a != b {
                    *grouped.entry((a, b, property)).or_default() += 1;
                }
                continue;
            }
            let (property, label) = self.edge_texts(property, labels)?;
            self.diagram.add_edge(
                a,
                b,
                DiagramEdge {
                    property,
                    label,
                    count: 1,
                },
            );
        }
        for ((a, b, property), count) in grouped {
            let (property, label) = self.edge_texts(property, labels)?;
            let label = format!("{label} ({count})").into();
            self.diagram.add_edge(
                a,
                b,
                DiagramEdge {
                    property,
                    label,
                    count,
                },
            );
        }
        Ok(())
    }

    /// The IRI and the wrapped label of a property, made once.
    fn edge_texts(
        &mut self,
        property: u32,
        labels: &mut Labels<'_>,
    ) -> Result<(Arc<str>, Arc<str>), StorageError> {
        let slot = property as usize;
        if self.edge_texts.len() <= slot {
            self.edge_texts.resize(slot + 1, None);
        }
        if self.edge_texts[slot].is_none() {
            let iri = self.loaded.terms.name(property);
            let label = wrap(&labels.term(iri)?, EDGE_WRAP, MAX_LINES);
            self.edge_texts[slot] = Some((iri.into(), label.into()));
        }
        Ok(self.edge_texts[slot].clone().unwrap_or_default())
    }
}

const WRAP: usize = 30;
const EDGE_WRAP: usize = 22;
const MAX_LINES: usize = 5;

/// The label (acronym, then short name or name) and tooltip of a node.
fn node_text(r: &Resource) -> (String, String) {
    if let Some(value) = &r.literal {
        let text = clean(value);
        return (wrap(&text, WRAP, MAX_LINES), text);
    }
    let name = r
        .name
        .as_ref()
        .map(|(_, n)| clean(n))
        .unwrap_or_else(|| local_name(&r.id).to_owned());
    let shown = r.short_name.as_deref().map_or_else(|| name.clone(), clean);
    let acronym = r.acronym.as_deref().map(clean);
    let label = match &acronym {
        Some(acronym) if shown != *acronym => {
            format!("{acronym}\n{}", wrap(&shown, WRAP, MAX_LINES))
        }
        Some(acronym) => acronym.clone(),
        None => wrap(&shown, WRAP, MAX_LINES),
    };
    let mut tooltip = match acronym {
        Some(acronym) if name != acronym => format!("{acronym}: {name}"),
        _ => name,
    };
    tooltip.push('\n');
    tooltip.push_str(&r.id);
    (label, tooltip)
}

/// The acronym, else the short name, else the name (titles).
fn short_name(r: &Resource) -> String {
    r.acronym
        .as_deref()
        .or(r.short_name.as_deref())
        .or(r.name.as_ref().map(|(_, n)| n.as_ref()))
        .map_or_else(|| local_name(&r.id).to_owned(), clean)
}

/// Whitespace runs (new lines included) as one space.
fn clean(text: &str) -> String {
    let mut after_space = true; // no space may lead
    let already_clean = text.chars().all(|c| {
        let fine = if c == ' ' {
            !after_space
        } else {
            !c.is_whitespace()
        };
        after_space = c == ' ';
        fine
    }) && !after_space;
    if already_clean || text.is_empty() {
        return text.to_owned();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last segment of an IRI.
fn local_name(iri: &str) -> &str {
    iri.rsplit(['/', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or(iri)
}

/// Breaks `text` into lines of about `width` characters at spaces, keeping
/// at most `max_lines` (the last one ends with `…` when text is cut).
fn wrap(text: &str, width: usize, max_lines: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    lines.join("\n")
}

/// The boxes of the diagram.
fn clusters(
    graph: &DiGraph<DiagramNode, DiagramEdge>,
    origin: &[Option<NodeIndex>],
    loaded: &Loaded,
    cluster_by: ClusterBy,
    labels: &mut Labels<'_>,
) -> Result<Vec<Cluster>, StorageError> {
    let mut boxes: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    match cluster_by {
        ClusterBy::None => {}
        ClusterBy::Kind => {
            for node in graph.node_indices() {
                boxes
                    .entry(graph[node].style.class.to_owned())
                    .or_default()
                    .push(node);
            }
        }
        ClusterBy::Ministry => {
            // Ministries and heads of government drawn, by loaded index.
            let roots: FastSet<NodeIndex> = graph
                .node_indices()
                .filter(|&n| {
                    let class = graph[n].style.class;
                    graph[n].group.is_none()
                        && (class == pg::MINISTRY.as_str()
                            || class == pg::HEAD_OF_GOVERNMENT.as_str())
                })
                .filter_map(|n| origin[n.index()])
                .collect();
            let parent = loaded.term_id(org::SUB_ORGANIZATION_OF);
            for node in graph.node_indices() {
                let Some(start) = origin[node.index()] else {
                    continue;
                };
                let root = if roots.contains(&start) {
                    Some(start)
                } else {
                    nearest_root(loaded, start, parent, &roots)
                };
                if let Some(root) = root {
                    boxes
                        .entry(loaded.graph[root].id.to_string())
                        .or_default()
                        .push(node);
                }
            }
        }
    }
    let mut clusters = Vec::new();
    for (key, mut members) in boxes {
        if members.len() < 2 || key.is_empty() {
            continue;
        }
        members.sort_by(|a, b| graph[*a].id.cmp(&graph[*b].id));
        let label = match cluster_by {
            ClusterBy::Kind => labels.term(&key)?,
            _ => {
                let root = loaded.index.get(key.as_str()).map(|&n| &loaded.graph[n]);
                let name = root.map_or_else(|| local_name(&key).to_owned(), full_name);
                wrap(&name, 40, 2)
            }
        };
        clusters.push(Cluster {
            key,
            label,
            members,
        });
    }
    Ok(clusters)
}

/// The name of a record, else its acronym.
fn full_name(r: &Resource) -> String {
    r.name
        .as_ref()
        .map(|(_, n)| clean(n))
        .unwrap_or_else(|| short_name(r))
}

/// The closest ministry (or head of government) of the diagram above
/// `start` in the organisation hierarchy, searched level by level (the
/// smallest IRI wins a tie).
fn nearest_root(
    loaded: &Loaded,
    start: NodeIndex,
    parent: Option<u32>,
    roots: &FastSet<NodeIndex>,
) -> Option<NodeIndex> {
    let parent = parent?;
    let parents = |node: NodeIndex| {
        loaded
            .graph
            .edges_directed(node, Direction::Outgoing)
            .filter(move |e| e.weight().property == parent)
            .map(|e| e.target())
    };
    let mut seen = vec![start];
    let mut level: Vec<NodeIndex> = parents(start).collect();
    while !level.is_empty() {
        let found = level
            .iter()
            .filter(|n| roots.contains(n))
            .min_by(|a, b| loaded.graph[**a].id.cmp(&loaded.graph[**b].id));
        if let Some(&found) = found {
            return Some(found);
        }
        seen.extend(&level);
        let mut next: Vec<NodeIndex> = level.iter().flat_map(|&n| parents(n)).collect();
        next.retain(|n| !seen.contains(n));
        next.sort();
        next.dedup();
        level = next;
    }
    None
}

/// One legend entry per style drawn, in the order of the style table.
fn legend(
    graph: &DiGraph<DiagramNode, DiagramEdge>,
    labels: &mut Labels<'_>,
) -> Result<Vec<LegendEntry>, StorageError> {
    let used: HashSet<&str> = graph
        .node_weights()
        .filter(|n| n.group.is_none())
        .map(|n| n.style.class)
        .collect();
    let literal_used = graph
        .node_weights()
        .any(|n| std::ptr::eq(n.style, &style::LITERAL));
    let other_used = graph
        .node_weights()
        .any(|n| std::ptr::eq(n.style, &style::OTHER));
    let grouped = graph.node_weights().find(|n| n.group.is_some());
    let mut entries = Vec::new();
    for style in style::CLASS_STYLES {
        if used.contains(style.class) {
            entries.push(LegendEntry {
                label: labels.term(style.class)?,
                style,
                group: false,
            });
        }
        if style.class == pg::POLE.as_str() {
            if let Some(group) = grouped {
                entries.push(LegendEntry {
                    label: style::texts(labels.lang).pole_group.to_owned(),
                    style: group.style,
                    group: true,
                });
            }
        }
    }
    for (used, style) in [(other_used, &style::OTHER), (literal_used, &style::LITERAL)] {
        if used {
            entries.push(LegendEntry {
                label: labels.lang.pick(style.fr, style.en).to_owned(),
                style,
                group: false,
            });
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagram of a dataset is the same whether its records come from
    /// the store or straight from the mapper.
    #[test]
    fn store_and_mapper_give_the_same_bytes() {
        let dataset = crate::load::load_builtin().unwrap();
        let graph = crate::store::build(&dataset, None).unwrap();
        let cases = [
            DiagramOptions::default(),
            DiagramOptions {
                expand_poles: true,
                lang: Lang::En,
                cluster_by: ClusterBy::Kind,
                ..Default::default()
            },
            DiagramOptions {
                selection: Selection::Focus {
                    record: "dge".into(),
                    depth: 2,
                },
                include: vec![
                    "dcterms:source".into(),
                    "pg:Source".into(),
                    "org:Organization".into(),
                ],
                ..Default::default()
            },
            DiagramOptions {
                selection: Selection::All,
                exclude: vec!["org:hasMember".into()],
                ..Default::default()
            },
        ];
        for options in cases {
            let dot = |d: Diagram| String::from_utf8(d.write_dot(Vec::new()).unwrap()).unwrap();
            let from_store = dot(from_store(&graph.store, &graph.iris, &options).unwrap());
            let from_dataset = dot(from_dataset(&dataset, &graph.iris, &options).unwrap());
            assert!(from_store == from_dataset, "{options:?}");
        }
    }

    #[test]
    fn clean_joins_whitespace_runs_with_one_space() {
        for (text, cleaned) in [
            ("Pôle Mer Bretagne", "Pôle Mer Bretagne"),
            ("", ""),
            (" ", ""),
            ("a  b", "a b"),
            (" a b", "a b"),
            ("a b ", "a b"),
            ("a\nb\tc\u{a0}d", "a b c d"),
            ("é", "é"),
        ] {
            assert_eq!(clean(text), cleaned, "{text:?}");
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_text() {
        assert_eq!(
            wrap("Direction générale des entreprises", 20, 4),
            "Direction générale\ndes entreprises"
        );
        assert_eq!(wrap("a b c d e f", 1, 2), "a\nb …");
        assert_eq!(wrap("", 10, 2), "");
    }

    #[test]
    fn terms_expand_from_prefixes_and_iris() {
        let prefixes = vec![(
            "pg".to_owned(),
            "https://example.org/polegraph/ns#".to_owned(),
        )];
        assert_eq!(
            expand_term("pg:Pole", &prefixes).unwrap(),
            "https://example.org/polegraph/ns#Pole"
        );
        assert_eq!(expand_term("<urn:x:y>", &prefixes).unwrap(), "urn:x:y");
        assert_eq!(
            expand_term("http://www.w3.org/ns/org#memberOf", &prefixes).unwrap(),
            "http://www.w3.org/ns/org#memberOf"
        );
        assert!(matches!(
            expand_term("Pole", &prefixes),
            Err(DiagramError::BadTerm { .. })
        ));
    }

    #[test]
    fn suggestions_are_close_or_absent() {
        let ids = || ["dge", "diact", "gti"].into_iter().map(String::from);
        assert_eq!(closest("dgee", ids()), Some("dge".to_owned()));
        assert_eq!(closest("zzzzzzzz", ids()), None);
    }

    #[test]
    fn output_format_follows_the_extension() {
        assert_eq!(
            OutputFormat::from_path(Path::new("a/gti.dot")),
            Some(OutputFormat::Dot)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("gti.SVG")),
            Some(OutputFormat::Svg)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("gti.pdf")),
            Some(OutputFormat::Pdf)
        );
        assert_eq!(OutputFormat::from_path(Path::new("gti.txt")), None);
        assert_eq!(OutputFormat::from_path(Path::new("gti")), None);
    }
}
