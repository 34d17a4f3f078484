//! The `polegraph` command: parses arguments, calls the library, prints,
//! and picks the exit code (0 ok, 1 runtime failure, 2 bad usage or data).

mod cli;
mod output;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{BuildArgs, Cli, Command, DataArgs, ExportArgs, QueryArgs, StatsArgs};
use output::Output;
use polegraph::error::{BuildError, DataErrors, LoadError, QueryError};
use polegraph::format::{GraphFormat, QueryFormat, SolutionsFormat};
use polegraph::model::Dataset;
use polegraph::query::{abbreviate, OutputFormats};
use polegraph::store::KnowledgeGraph;
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

/// A mistake in the command line that clap cannot see (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Query(args) => query(args),
        Command::Export(args) => export(args),
        Command::Stats(args) => stats(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "polegraph: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// 2 for faults in what the user gave (arguments, data, query text), 1 for
/// everything else.
fn exit_code(error: &anyhow::Error) -> u8 {
    let user_fault = error.chain().any(|cause| {
        cause.is::<UsageError>()
            || cause.is::<DataErrors>()
            || matches!(cause.downcast_ref::<LoadError>(), Some(LoadError::Data(_)))
            || matches!(
                cause.downcast_ref::<polegraph::stream::StreamError>(),
                Some(
                    polegraph::stream::StreamError::Load(LoadError::Data(_))
                        | polegraph::stream::StreamError::Build(
                            BuildError::BaseIri { .. } | BuildError::BaseIriEnd(_)
                        )
                )
            )
            || matches!(
                cause.downcast_ref::<QueryError>(),
                Some(QueryError::Syntax(_) | QueryError::Format(_))
            )
            || matches!(
                cause.downcast_ref::<BuildError>(),
                Some(BuildError::BaseIri { .. } | BuildError::BaseIriEnd(_))
            )
    });
    if user_fault {
        2
    } else {
        1
    }
}

/// A closed pipe (`polegraph export | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Loads the dataset the arguments name.
fn load(args: &DataArgs) -> Result<Dataset> {
    match &args.data {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(UsageError(format!(
                    "--data {}: not a folder (give the folder that holds the *.toml and *.csv files)",
                    dir.display()
                ))
                .into());
            }
            Ok(polegraph::load::load_dir(dir)?)
        }
        None => Ok(polegraph::load::load_builtin()?),
    }
}

/// Loads and builds the graph the arguments name.
fn build_graph(args: &DataArgs) -> Result<(Dataset, KnowledgeGraph)> {
    let dataset = load(args)?;
    let graph = polegraph::store::build(&dataset, args.base.as_deref())?;
    Ok((dataset, graph))
}

fn build(args: BuildArgs) -> Result<()> {
    let (dataset, graph) = build_graph(&args.data)?;
    let mut out = Output::stdout();
    let w = out.writer();
    writeln!(w, "records:")?;
    for (kind, count) in dataset.record_counts() {
        writeln!(w, "  {kind:<14} {count:>8}")?;
    }
    let all = polegraph::stats::Stats::of_store(&graph.store, None)?;
    writeln!(w, "graph:")?;
    writeln!(w, "  {:<14} {:>8}", "quads", all.quads)?;
    writeln!(w, "  {:<14} {:>8}", "triples", all.triples)?;
    writeln!(w, "  {:<14} {:>8}", "named graphs", all.graphs.len())?;
    writeln!(w, "  {:<14} {:>8}", "entities", graph.stats.entities)?;
    writeln!(w, "base IRI: {}", graph.iris.base())?;
    out.finish()
}

/// The query text: the argument, `-f FILE` (`-` is stdin), or stdin.
fn query_text(args: &QueryArgs) -> Result<String> {
    if let Some(text) = &args.query {
        return Ok(text.clone());
    }
    match &args.file {
        Some(path) if path.as_os_str() != "-" => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the query file {}", path.display())),
        _ => {
            let mut stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(UsageError(
                    "no query given (pass it as an argument, with -f FILE, or on standard input)"
                        .into(),
                )
                .into());
            }
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .context("cannot read the query from standard input")?;
            Ok(text)
        }
    }
}

fn query(args: QueryArgs) -> Result<()> {
    let text = query_text(&args)?;
    if text.trim().is_empty() {
        return Err(UsageError("the query is empty".into()).into());
    }
    let requested = match args.format.as_deref() {
        None => None,
        Some(name) => Some(QueryFormat::from_name(name).ok_or_else(|| {
            UsageError(format!(
                "unknown format `{name}` (expected {})",
                QueryFormat::expected()
            ))
        })?),
    };
    let formats = OutputFormats {
        requested,
        default_solutions: if std::io::stdout().is_terminal() {
            SolutionsFormat::Table
        } else {
            SolutionsFormat::Tsv
        },
        default_graph: GraphFormat::Turtle,
    };
    let (_, graph) = build_graph(&args.data)?;
    let mut out = Output::stdout();
    polegraph::query::run(&graph, &text, formats, out.writer())?;
    out.finish()
}

/// The export format: `--format`, else the extension of `-o`, else Turtle.
fn export_format(args: &ExportArgs) -> Result<GraphFormat> {
    if let Some(name) = &args.format {
        return GraphFormat::from_name(name).ok_or_else(|| {
            UsageError(format!(
                "unknown format `{name}` (expected one of {})",
                GraphFormat::expected()
            ))
            .into()
        });
    }
    match &args.output {
        None => Ok(GraphFormat::Turtle),
        Some(path) => GraphFormat::from_path(path).ok_or_else(|| {
            UsageError(format!(
                "cannot tell the format of {} from its extension (use .ttl, .trig, .nt, .nq, .rdf or .jsonld, or give --format)",
                path.display()
            ))
            .into()
        }),
    }
}

fn export(args: ExportArgs) -> Result<()> {
    let format = export_format(&args)?;
    if let Some(dir) = args
        .data
        .data
        .as_deref()
        .filter(|_| polegraph::stream::streams(format))
    {
        let tables = polegraph::stream::streamable_tables(dir)
            .with_context(|| format!("cannot read the folder {}", dir.display()))?;
        if let Some(tables) = tables {
            let mut out = match &args.output {
                Some(path) => Output::file(path)?,
                None => Output::stdout(),
            };
            polegraph::stream::export_tables(
                dir,
                &tables,
                args.data.base.as_deref(),
                format,
                out.writer(),
            )?;
            return out.finish();
        }
    }
    let (_, graph) = build_graph(&args.data)?;
    let mut out = match &args.output {
        Some(path) => Output::file(path)?,
        None => Output::stdout(),
    };
    polegraph::export::export(&graph, format, out.writer())?;
    out.finish()
}

fn stats(args: StatsArgs) -> Result<()> {
    let (_, graph) = build_graph(&args.data)?;
    let all = polegraph::stats::Stats::of_store(&graph.store, None)?;
    let prefixes = polegraph::export::prefixes_for(&graph.iris);
    let described = &graph.stats;
    let mut out = Output::stdout();
    let w = out.writer();
    writeln!(w, "In every export:")?;
    writeln!(
        w,
        "  quads (TriG, N-Quads, JSON-LD)              {:>9}",
        all.quads
    )?;
    writeln!(
        w,
        "  triples (Turtle, N-Triples, RDF/XML)        {:>9}",
        all.triples
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "Described by the VoID graph (every graph but the VoID graph itself):"
    )?;
    writeln!(w, "  triples            {:>9}", described.triples)?;
    writeln!(w, "  entities           {:>9}", described.entities)?;
    writeln!(w, "  distinct subjects  {:>9}", described.distinct_subjects)?;
    writeln!(w, "  classes            {:>9}", described.classes.len())?;
    writeln!(w, "  properties         {:>9}", described.properties.len())?;
    let table = |w: &mut dyn Write,
                 title: &str,
                 header: &str,
                 rows: &std::collections::BTreeMap<String, usize>|
     -> std::io::Result<()> {
        writeln!(w)?;
        writeln!(w, "{title}")?;
        let names: Vec<String> = rows.keys().map(|k| abbreviate(k, &prefixes)).collect();
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .chain([header.len()])
            .max()
            .unwrap_or(0);
        writeln!(w, "  {header:<width$}  {:>9}", "count")?;
        for (name, count) in names.iter().zip(rows.values()) {
            let pad = width - name.chars().count();
            writeln!(w, "  {name}{}  {count:>9}", " ".repeat(pad))?;
        }
        Ok(())
    };
    table(
        w,
        "Quads per named graph (all graphs):",
        "graph",
        &all.graphs,
    )?;
    table(
        w,
        "Instances per class (VoID class partitions):",
        "class",
        &described.classes,
    )?;
    table(
        w,
        "Triples per property (VoID property partitions):",
        "property",
        &described.properties,
    )?;
    out.finish()
}
