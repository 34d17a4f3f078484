//! The command line, as clap sees it. Nothing here leaves the binary:
//! `config.rs` turns these into the library's plain options before any work.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Build, query, export and draw a sourced RDF knowledge graph of the
/// French competitiveness-cluster policy (pôles de compétitivité).
///
/// Without --data, polegraph uses its built-in dataset: the page on the 2e
/// journée nationale des pôles (10 July 2007) and the reference tables of
/// the 71 poles of 2007, the State bodies and the people involved.
#[derive(Debug, Parser)]
#[command(
    name = "polegraph",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load, check and map the data; report what the graph holds
    Build(BuildArgs),
    /// Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the graph
    Query(QueryArgs),
    /// Write the graph as Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD
    Export(ExportArgs),
    /// Count triples per graph, class and property (the VoID partitions)
    Stats(StatsArgs),
    /// Draw the graph with Graphviz: by default the GTI and its relationships
    Dot(DotArgs),
    /// Serve the graph over HTTP: a read-only SPARQL endpoint, the Graph
    /// Store, record pages and a query page
    Serve(ServeArgs),
    /// Upload every named graph into a triple store (SPARQL 1.1 Graph Store
    /// HTTP Protocol)
    Push(PushArgs),
    /// Check the data, then the graph against the SHACL shapes of
    /// ontology/shapes.ttl (exit 2 on a violation)
    Validate(ValidateArgs),
}

/// Where the data comes from.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Read the data files of DIR (*.toml records and the CSV tables)
    /// instead of the built-in dataset
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Base IRI of records and named graphs (overrides `base` in
    /// polegraph.toml; default https://example.org/polegraph/)
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,

    /// The persistent store at PATH (cargo feature `rocksdb`): `build`
    /// writes it (atomically); the other commands read it instead of
    /// loading data
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// No progress bar and no summary line on standard error
    #[arg(short = 'q', long)]
    pub quiet: bool,

    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query text; without it, the query is read from -f FILE or from
    /// standard input
    #[arg(value_name = "QUERY", conflicts_with = "file")]
    pub query: Option<String>,

    /// Read the query from FILE (`-` for standard input)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Output format: table, csv, tsv, json, xml for SELECT and ASK;
    /// ttl, trig, nt, nq, rdf, jsonld for CONSTRUCT and DESCRIBE
    /// [default: table on a terminal, else tsv; ttl for graphs]
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to FILE (atomically); the format follows its extension
    /// (.ttl .trig .nt .nq .rdf .jsonld) unless --format is given
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Format: ttl, trig, nt, nq, rdf, jsonld [default: from -o's
    /// extension, else ttl]
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// No progress bar and no summary line on standard error
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Write FILE through the page cache. A folder of CSV tables streamed to
    /// an N-Triples or N-Quads FILE is otherwise written around it (direct
    /// I/O, on Linux): gigabytes then cost little memory and kernel time.
    /// The page cache may be faster for exports that fit in memory, on a
    /// slow or network disk
    #[arg(long, requires = "output")]
    pub page_cache: bool,

    /// Write a publication folder to DIR instead: the dataset in every
    /// format, the ontology, the shapes, the JSON-LD context, the VoID/DCAT
    /// description and a README (built aside, then renamed into place)
    #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "format"])]
    pub bundle: Option<PathBuf>,

    /// With --bundle: replace DIR even if it is not empty
    #[arg(long, requires = "bundle")]
    pub force: bool,

    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub data: DataArgs,
}

/// Draws the GTI with its members, its secretariat, the ministries these
/// belong to or are placed at the disposal of, the Prime Minister's
/// services, the decisions that labelled its poles, the event it held, and
/// its poles grouped by category. --focus, --query and --all draw other
/// parts of the graph.
#[derive(Debug, Args)]
pub struct DotArgs {
    /// Write to FILE (atomically); the format follows the extension: .dot
    /// or .gv (DOT), .svg, .png, .pdf (through Graphviz `dot`) [default: DOT
    /// on standard output]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Draw the neighbourhood of a record: its id (`dge`, looked up across
    /// record kinds), a prefixed name (`organization:dge`) or its IRI
    #[arg(long, value_name = "ID|IRI", conflicts_with = "all")]
    pub focus: Option<String>,

    /// How many links away from --focus to draw [default: 1]
    #[arg(long, value_name = "N", requires = "focus")]
    pub depth: Option<usize>,

    /// Draw the graph that the SPARQL CONSTRUCT query in FILE builds
    #[arg(long, value_name = "FILE.rq", conflicts_with = "all")]
    pub query: Option<PathBuf>,

    /// Draw every record (sources excepted)
    #[arg(long)]
    pub all: bool,

    /// Draw every pole instead of one node per category (in the default
    /// and --focus diagrams)
    #[arg(long)]
    pub expand_poles: bool,

    /// The most nodes a --focus diagram draws (a group of poles counts as
    /// one); past it the farthest records are left out, and the diagram
    /// and a warning say how many
    #[arg(long, value_name = "N", default_value_t = polegraph::diagram::DEFAULT_MAX_NODES, requires = "focus", value_parser = at_least_one)]
    pub max_nodes: usize,

    /// Make each record's node a link: to its IRI, or with BASE to
    /// BASE{kind}/{id} (e.g. http://localhost:7878/ for `polegraph serve`);
    /// SVG and PDF keep the links
    #[arg(long, value_name = "BASE", num_args = 0..=1, default_missing_value = "")]
    pub links: Option<String>,

    /// Keep only these classes and properties (prefixed names such as
    /// pg:Pole or org:memberOf, or IRIs; repeat or separate with commas)
    #[arg(long, value_name = "TERM", value_delimiter = ',')]
    pub include: Vec<String>,

    /// Leave out these classes and properties
    #[arg(long, value_name = "TERM", value_delimiter = ',')]
    pub exclude: Vec<String>,

    /// Language of labels
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: DotLang,

    /// Group nodes in boxes: each organisation in its ministry, one box per
    /// class, or none
    #[arg(long, value_enum, value_name = "BY", default_value = "ministry")]
    pub cluster_by: DotClusterBy,

    /// Direction of the layout
    #[arg(
        long,
        value_enum,
        value_name = "DIR",
        default_value = "TB",
        ignore_case = true
    )]
    pub rankdir: DotRankDir,

    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DotLang {
    Fr,
    En,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DotClusterBy {
    Ministry,
    Kind,
    None,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DotRankDir {
    #[value(name = "TB")]
    Tb,
    #[value(name = "LR")]
    Lr,
    #[value(name = "BT")]
    Bt,
    #[value(name = "RL")]
    Rl,
}

/// Serves a read-only SPARQL 1.1 endpoint: /query and /sparql (the SPARQL
/// Protocol), /store (the Graph Store Protocol, GET), record paths such as
/// /organization/dge (Turtle, JSON-LD or a page), and a query page at /.
/// Updates are refused; each request is logged on standard error.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one); anything
    /// but a loopback address makes the endpoint reachable from other
    /// machines
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: std::net::SocketAddr,

    /// Stop a query after SECONDS (503)
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    pub timeout: f64,

    /// Refuse request bodies larger than BYTES (413)
    #[arg(long, value_name = "BYTES", default_value = "1048576")]
    pub max_body: usize,

    /// Refuse queries that give more than N solutions or triples
    #[arg(long, value_name = "N", default_value = "100000")]
    pub max_results: usize,

    /// Allow pages of other origins to query the endpoint (CORS)
    #[arg(long)]
    pub cors: bool,

    /// Hold at most N connections; past it a new connection gets 503 at
    /// once (lowered to what the open-file limit allows)
    #[arg(long, value_name = "N", default_value = "10000")]
    pub max_connections: usize,

    /// Close a connection whose request head (or body) has not arrived
    /// SECONDS after it opened or after its previous answer; idle
    /// keep-alive connections are closed after it too
    #[arg(long, value_name = "SECONDS", default_value = "10")]
    pub header_timeout: f64,

    /// The Graphviz program that draws the diagrams of /diagram and the
    /// pages (without it, they offer the DOT text)
    #[arg(long, value_name = "PROGRAM", default_value = "dot")]
    pub graphviz: std::ffi::OsString,

    /// The most nodes a served diagram draws: a record's neighbourhood
    /// past it leaves the farthest records out, another diagram is refused
    #[arg(long, value_name = "N", default_value_t = polegraph::diagram::DEFAULT_MAX_NODES, value_parser = at_least_one)]
    pub diagram_max_nodes: usize,

    #[command(flatten)]
    pub data: DataArgs,
}

/// Uploads every named graph through the SPARQL 1.1 Graph Store HTTP
/// Protocol: PUT (replace) per graph, or POST (add) with --merge; large
/// graphs go up in chunks. Credentials come from --user and --password or
/// from POLEGRAPH_PUSH_USER and POLEGRAPH_PUSH_PASSWORD, and are never
/// printed. See docs/serve.md for the endpoint URLs of common stores.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The store's Graph Store endpoint, e.g.
    /// http://localhost:8890/sparql-graph-crud-auth (Virtuoso) or
    /// http://localhost:3030/DATASET/data (Fuseki)
    #[arg(long, value_name = "URL")]
    pub endpoint: String,

    /// Add the triples to the store's graphs (POST) instead of replacing
    /// the graphs (PUT)
    #[arg(long)]
    pub merge: bool,

    /// User name [env: POLEGRAPH_PUSH_USER]
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,

    /// Password (prefer the environment variable: arguments are visible to
    /// other users of the machine) [env: POLEGRAPH_PUSH_PASSWORD]
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,

    /// HTTP authentication: as the server asks (auto), basic (sent
    /// up front) or digest
    #[arg(long, value_enum, value_name = "SCHEME", default_value = "auto")]
    pub auth: PushAuth,

    /// The most triples in one request (a graph with more goes into a
    /// staging graph first, which needs --update)
    #[arg(long, value_name = "N", default_value = "50000")]
    pub chunk_size: usize,

    /// Requests in flight at once
    #[arg(long, value_name = "N", default_value = "2")]
    pub jobs: usize,

    /// The store's SPARQL Update endpoint (e.g.
    /// http://localhost:8890/sparql-auth for Virtuoso): a graph larger
    /// than one request that the store holds goes into a staging graph,
    /// swapped in whole with MOVE once every graph is up; one it does not
    /// hold is loaded straight, and dropped if the push fails or is
    /// interrupted
    #[arg(long, value_name = "URL")]
    pub update: Option<String>,

    /// The store's SPARQL query endpoint, to ask which graphs it holds
    /// (default: --verify's URL; with neither, every graph larger than one
    /// request is staged)
    #[arg(long, value_name = "URL")]
    pub query: Option<String>,

    /// Stage every graph larger than one request, even one the store does
    /// not hold (slower; a `kill -9` then leaves no graph half-loaded, only
    /// staging graphs)
    #[arg(long)]
    pub stage_all: bool,

    /// Send the triples as N-Quads to this dataset endpoint (e.g.
    /// http://localhost:3030/DATASET for Fuseki) instead of graph by graph
    /// (needs --update)
    #[arg(long, value_name = "URL")]
    pub dataset: Option<String>,

    /// No progress bar on standard error
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// The query parameter that names the graph (the standard is `graph`)
    #[arg(long, value_name = "NAME", default_value = "graph")]
    pub graph_param: String,

    /// Retries after a 5xx answer or a connection failure (the delay
    /// doubles from half a second)
    #[arg(long, value_name = "N", default_value = "3")]
    pub retries: u32,

    /// Timeout of each request
    #[arg(long, value_name = "SECONDS", default_value = "120")]
    pub timeout: f64,

    /// Afterwards, count each graph's triples through this SPARQL query
    /// endpoint (e.g. http://localhost:8890/sparql) and fail if they differ
    #[arg(long, value_name = "URL")]
    pub verify: Option<String>,

    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PushAuth {
    Auto,
    Basic,
    Digest,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Report format: text (grouped by shape), ttl (the standard
    /// sh:ValidationReport), tsv (one line per result: focus node, path,
    /// constraint component, shape, severity)
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "ttl", "tsv"])]
    pub format: String,

    /// Validate against the SHACL shapes of FILE (Turtle) instead of the
    /// built-in ontology/shapes.ttl
    #[arg(long, value_name = "FILE")]
    pub shapes: Option<PathBuf>,

    #[command(flatten)]
    pub data: DataArgs,
}

/// A count of at least one (a diagram of no node draws nothing).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}
