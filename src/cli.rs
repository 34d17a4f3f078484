//! The command line, as clap sees it. Nothing here leaves the binary:
//! `main.rs` turns these into plain values before calling the library.

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
}

#[derive(Debug, Args)]
pub struct BuildArgs {
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

    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub data: DataArgs,
}
