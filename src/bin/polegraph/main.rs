//! The `polegraph` command: parses arguments, calls the library, prints,
//! and picks the exit code (0 ok, 1 runtime failure, 2 bad usage or data).

mod args;
mod output;
mod progress;

use anyhow::{Context, Result};
use args::{BuildArgs, Cli, Command, DataArgs, ExportArgs, QueryArgs, StatsArgs};
use clap::Parser;
use output::Output;
use polegraph::error::{BuildError, DataErrors, LoadError, QueryError};
use polegraph::format::{GraphFormat, QueryFormat, SolutionsFormat};
use polegraph::iri::abbreviate;
use polegraph::load::CsvTable;
use polegraph::model::Dataset;
use polegraph::query::OutputFormats;
use polegraph::store::KnowledgeGraph;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the streaming export and the bulk loads allocate and free
/// millions of small strings, across two threads, where it is markedly
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A mistake in the command line that clap cannot see (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    stop_on_signals();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Query(args) => query(args),
        Command::Export(args) => export(args),
        Command::Stats(args) => stats(args),
        Command::Dot(args) => dot(args),
        Command::Serve(args) => serve(args),
        Command::Push(args) => push(args),
        Command::Validate(args) => validate(args),
    };
    if polegraph::io::interrupt::interrupted() {
        // The signal handler is ending the process (what failed here, it
        // may have caused): wait for it.
        loop {
            std::thread::park();
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "polegraph: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// Ctrl-C (SIGINT) or `kill` (SIGTERM): remove what was being written
/// aside (a temporary export, a store being built), then end as the signal
/// would have (the shell sees an interrupted command). Exit handlers and
/// static destructors do not run: those of RocksDB abort while its
/// background threads still write.
#[cfg(unix)]
fn stop_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // no handler: the default, without the clean-up
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            polegraph::io::interrupt::stop(|| {
                let _ = writeln!(std::io::stderr(), "\npolegraph: interrupted");
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                signal_hook::low_level::exit(128 + signal);
            });
        }
    });
}

#[cfg(not(unix))]
fn stop_on_signals() {}

/// 2 for faults in what the user gave (arguments, data, query text), 1 for
/// everything else.
fn exit_code(error: &anyhow::Error) -> u8 {
    let user_fault = error.chain().any(|cause| {
        cause.is::<UsageError>()
            || cause.is::<DataErrors>()
            || matches!(cause.downcast_ref::<LoadError>(), Some(LoadError::Data(_)))
            || matches!(
                cause.downcast_ref::<polegraph::error::StreamError>(),
                Some(
                    polegraph::error::StreamError::Load(LoadError::Data(_))
                        | polegraph::error::StreamError::Build(
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
            || matches!(
                cause.downcast_ref::<polegraph::error::ValidateError>(),
                Some(
                    polegraph::error::ValidateError::DoesNotConform { .. }
                        | polegraph::error::ValidateError::ShapesSyntax(_)
                        | polegraph::error::ValidateError::Shape { .. }
                )
            )
            || cause
                .downcast_ref::<polegraph::io::target::TargetError>()
                .is_some_and(polegraph::io::target::TargetError::is_usage)
            || matches!(
                cause.downcast_ref::<polegraph::diagram::DiagramError>(),
                Some(polegraph::diagram::DiagramError::Target(target)) if target.is_usage()
            )
            || matches!(
                cause.downcast_ref::<polegraph::error::BundleError>(),
                Some(polegraph::error::BundleError::NotEmpty(..))
            )
    });
    #[cfg(feature = "rocksdb")]
    let user_fault = user_fault
        || error.chain().any(|cause| {
            use polegraph::error::StreamError;
            use polegraph::store::persist::PersistError;
            matches!(
                cause.downcast_ref::<PersistError>(),
                Some(
                    PersistError::NotAGraph { .. }
                        | PersistError::Load(LoadError::Data(_))
                        | PersistError::Stream(StreamError::Load(LoadError::Data(_)))
                        | PersistError::Build(
                            BuildError::BaseIri { .. } | BuildError::BaseIriEnd(_)
                        )
                        | PersistError::Stream(StreamError::Build(
                            BuildError::BaseIri { .. } | BuildError::BaseIriEnd(_)
                        ))
                )
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

/// `--data DIR` must name a folder.
fn check_data_folder(dir: &std::path::Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    Err(UsageError(format!(
        "--data {}: not a folder (give the folder that holds the *.toml and *.csv files)",
        dir.display()
    ))
    .into())
}

/// The CSV tables of a data folder, each with its file.
type Tables = Vec<(CsvTable, PathBuf)>;

/// The tables of `--data DIR` when the folder holds the CSV tables and
/// nothing else to load: then the commands stream them.
fn csv_tables(args: &DataArgs) -> Result<Option<(&std::path::Path, Tables)>> {
    let Some(dir) = &args.data else {
        return Ok(None);
    };
    check_data_folder(dir)?;
    let tables = polegraph::load::stream::streamable_tables(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    Ok(tables.map(|tables| (dir.as_path(), tables)))
}

/// Loads the dataset the arguments name.
fn load(args: &DataArgs) -> Result<Dataset> {
    match &args.data {
        Some(dir) => {
            check_data_folder(dir)?;
            Ok(polegraph::load::load_dir(dir)?)
        }
        None => Ok(polegraph::load::load_builtin()?),
    }
}

/// Loads and builds the graph the arguments name.
/// With `--store`, the store is opened instead (and the dataset is empty).
fn build_graph(args: &DataArgs) -> Result<(Dataset, KnowledgeGraph)> {
    if let Some(path) = &args.store {
        if args.data.is_some() {
            return Err(UsageError(
                "give --data or --store, not both (only `build` takes both: it writes the store from the data)".into(),
            )
            .into());
        }
        return Ok((Dataset::default(), open_store(path)?));
    }
    // A folder of CSV tables alone streams into the store's bulk loader.
    if let Some((dir, tables)) = csv_tables(args)? {
        let mut progress = progress::StreamProgressBar::new(false);
        let graph = polegraph::store::build_from_tables(
            dir,
            &tables,
            args.base.as_deref(),
            &mut |state| progress.update(state),
        )?;
        progress.clear();
        return Ok((Dataset::default(), graph));
    }
    let dataset = load(args)?;
    let graph = polegraph::store::build(&dataset, args.base.as_deref())?;
    Ok((dataset, graph))
}

/// How many records of each kind the graph holds, read from its classes.
fn record_counts(stats: &polegraph::store::stats::Stats) -> Vec<(&'static str, usize)> {
    use polegraph::vocab::{foaf, org, pg};
    let count = |classes: &[oxigraph::model::NamedNodeRef<'_>]| -> usize {
        classes
            .iter()
            .map(|c| stats.classes.get(c.as_str()).copied().unwrap_or(0))
            .sum()
    };
    vec![
        ("sources", count(&[pg::SOURCE])),
        ("organisations", count(&[org::ORGANIZATION])),
        ("people", count(&[foaf::PERSON])),
        ("posts", count(&[org::POST])),
        (
            "events",
            count(&[pg::NATIONAL_DAY, pg::SESSION, pg::MEETING]),
        ),
        ("talks", count(&[pg::TALK])),
        ("documents", count(&[pg::SLIDE_DECK, pg::EVENT_PROGRAMME])),
        ("decisions", count(&[pg::DECISION])),
    ]
}

/// The message for `--store` in a binary built without the feature.
#[cfg(not(feature = "rocksdb"))]
fn no_store_support() -> anyhow::Error {
    UsageError(
        "this polegraph was built without the persistent store; rebuild it with `cargo build --release --features rocksdb` (needs clang and libclang, see the README)".into(),
    )
    .into()
}

#[cfg(feature = "rocksdb")]
fn open_store(path: &std::path::Path) -> Result<KnowledgeGraph> {
    Ok(polegraph::store::persist::open_store(path)?)
}

#[cfg(not(feature = "rocksdb"))]
fn open_store(_: &std::path::Path) -> Result<KnowledgeGraph> {
    Err(no_store_support())
}

/// `build --store PATH`: writes the persistent store.
#[cfg(feature = "rocksdb")]
fn build_store(args: &BuildArgs, path: &std::path::Path) -> Result<()> {
    use polegraph::store::persist::{build_store, Source};
    let started = std::time::Instant::now();
    let mut progress = progress::StreamProgressBar::new(args.quiet);
    let report = match csv_tables(&args.data)? {
        Some((dir, tables)) => build_store(
            Source::Tables {
                dir,
                tables: &tables,
            },
            args.data.base.as_deref(),
            path,
            &mut |state| progress.update(state),
        )?,
        None => {
            let dataset = load(&args.data)?;
            build_store(
                Source::Dataset(&dataset),
                args.data.base.as_deref(),
                path,
                &mut |state| progress.update(state),
            )?
        }
    };
    let summary = polegraph::load::stream::StreamReport {
        quads: report.quads,
        ..Default::default()
    };
    progress.finish(&summary, started.elapsed());
    let mut out = Output::stdout();
    let w = out.writer();
    writeln!(w, "store: {}", path.display())?;
    writeln!(w, "  {:<14} {:>10}", "quads", report.quads)?;
    writeln!(
        w,
        "  {:<14} {:>10}",
        "named graphs",
        report.stats.graphs.len() + 1
    )?;
    writeln!(w, "  {:<14} {:>10}", "entities", report.stats.entities)?;
    out.finish()
}

#[cfg(not(feature = "rocksdb"))]
fn build_store(_: &BuildArgs, _: &std::path::Path) -> Result<()> {
    Err(no_store_support())
}

fn build(args: BuildArgs) -> Result<()> {
    if let Some(path) = &args.data.store {
        return build_store(&args, path);
    }
    let (_, graph) = build_graph(&args.data)?;
    let mut out = Output::stdout();
    let w = out.writer();
    writeln!(w, "records:")?;
    for (kind, count) in record_counts(&graph.stats) {
        writeln!(w, "  {kind:<14} {count:>8}")?;
    }
    writeln!(w, "graph:")?;
    writeln!(w, "  {:<14} {:>8}", "quads", graph.total_quads())?;
    writeln!(w, "  {:<14} {:>8}", "triples", graph.total_triples())?;
    writeln!(
        w,
        "  {:<14} {:>8}",
        "named graphs",
        graph.stats.graphs.len() + 1
    )?;
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
    if let Some(dir) = &args.bundle {
        let (_, graph) = build_graph(&args.data)?;
        let files = polegraph::export::bundle::write_bundle(&graph, dir, args.force)?;
        if !args.quiet {
            writeln!(
                std::io::stderr(),
                "polegraph: wrote the bundle {} ({} files)",
                dir.display(),
                files.len()
            )?;
        }
        return Ok(());
    }
    let format = export_format(&args)?;
    if polegraph::export::stream::streams(format) {
        if let Some((dir, tables)) = csv_tables(&args.data)? {
            let mut out = match &args.output {
                Some(path) if !args.page_cache => Output::streamed_file(path)?,
                Some(path) => Output::file(path)?,
                None => Output::stdout(),
            };
            let started = std::time::Instant::now();
            let mut progress = progress::StreamProgressBar::new(args.quiet);
            let (_, report) = polegraph::export::stream::export_tables(
                dir,
                &tables,
                args.data.base.as_deref(),
                format,
                out.writer(),
                &mut |state| progress.update(state),
            )?;
            out.finish()?;
            progress.finish(&report, started.elapsed());
            return Ok(());
        }
    }
    // The target is checked (a folder, a link to nothing) before the work.
    let mut out = match &args.output {
        Some(path) => Output::file(path)?,
        None => Output::stdout(),
    };
    let (_, graph) = build_graph(&args.data)?;
    polegraph::export::export(&graph, format, out.writer())?;
    out.finish()
}

fn stats(args: StatsArgs) -> Result<()> {
    let (_, graph) = build_graph(&args.data)?;
    let all = polegraph::store::stats::Stats::of_store(&graph.store, None)?;
    let prefixes = polegraph::iri::prefixes_for(&graph.iris);
    // A store opened from disk was counted when it was built; count it again
    // here rather than trust a description the store may not hold.
    let recounted;
    let described = if graph.stats.quads == 0 && all.quads > 0 {
        let void_graph = graph.iris.graph(polegraph::iri::VOID_GRAPH);
        recounted = polegraph::store::stats::Stats::of_store(&graph.store, Some(&void_graph))?;
        &recounted
    } else {
        &graph.stats
    };
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

/// `polegraph dot`: draws a diagram, writes DOT or has Graphviz render it.
fn dot(args: args::DotArgs) -> Result<()> {
    use polegraph::diagram::{self, DiagramOptions, OutputFormat, Selection};
    let format = match &args.output {
        None => OutputFormat::Dot,
        Some(path) => OutputFormat::from_path(path).ok_or_else(|| {
            UsageError(format!(
                "cannot tell the format of {} from its extension (use {})",
                path.display(),
                OutputFormat::EXTENSIONS
            ))
        })?,
    };
    if let Some(path) = &args.output {
        // A folder or a link to nothing is refused before the drawing.
        polegraph::io::target::place_of(path)?;
    }
    let query = match &args.query {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the query file {}", path.display()))?,
        ),
        None => None,
    };
    let options = DiagramOptions {
        selection: match (&args.focus, args.all) {
            (Some(record), _) => Selection::Focus {
                record: record.clone(),
                depth: args.depth.unwrap_or(1),
            },
            (None, true) => Selection::All,
            (None, false) => Selection::Default,
        },
        expand_poles: args.expand_poles,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        lang: match args.lang {
            args::DotLang::Fr => diagram::Lang::Fr,
            args::DotLang::En => diagram::Lang::En,
        },
        cluster_by: match args.cluster_by {
            args::DotClusterBy::Ministry => diagram::ClusterBy::Ministry,
            args::DotClusterBy::Kind => diagram::ClusterBy::Kind,
            args::DotClusterBy::None => diagram::ClusterBy::None,
        },
        rankdir: match args.rankdir {
            args::DotRankDir::Tb => diagram::RankDir::TopBottom,
            args::DotRankDir::Lr => diagram::RankDir::LeftRight,
            args::DotRankDir::Bt => diagram::RankDir::BottomTop,
            args::DotRankDir::Rl => diagram::RankDir::RightLeft,
        },
    };
    let drawn = match &query {
        // A query sees the same graph as `polegraph query` (or the store).
        Some(text) => {
            let (_, graph) = build_graph(&args.data)?;
            diagram::from_construct(&graph, text, &options)
        }
        None if args.data.store.is_some() => {
            let (_, graph) = build_graph(&args.data)?;
            diagram::from_store(&graph.store, &graph.iris, &options)
        }
        // From data, the records are mapped straight into the diagram's
        // graph: the same quads, without filling a store to read them back.
        None => {
            match csv_tables(&args.data)? {
                // A folder of CSV tables alone streams into the diagram.
                Some((dir, tables)) => {
                    let iris =
                        polegraph::load::stream::folder_iris(dir, args.data.base.as_deref())?;
                    diagram::from_tables(&tables, &iris, &options)
                }
                None => {
                    let dataset = load(&args.data)?;
                    let base = polegraph::iri::resolve_base(args.data.base.as_deref(), &dataset)?;
                    let iris = polegraph::iri::Iris::new(base);
                    diagram::from_dataset(&dataset, &iris, &options)
                }
            }
        }
    };
    let diagram = drawn.map_err(|e| -> anyhow::Error {
        if e.is_usage() {
            UsageError(e.to_string()).into()
        } else {
            e.into()
        }
    })?;
    match (&args.output, format) {
        (Some(path), OutputFormat::Dot) => {
            let mut out = Output::file(path)?;
            diagram.write_dot(out.writer())?;
            out.finish()
        }
        (Some(path), format) => {
            let text = diagram.write_dot(Vec::new())?;
            let warnings = diagram::render(std::ffi::OsStr::new("dot"), &text, format, path)?;
            for line in warnings.lines().filter(|l| !l.trim().is_empty()) {
                writeln!(std::io::stderr(), "polegraph: Graphviz: {line}")?;
            }
            Ok(())
        }
        (None, _) => {
            let mut out = Output::stdout();
            diagram.write_dot(out.writer())?;
            out.finish()
        }
    }
}

/// A number of seconds from the command line as a duration.
fn seconds(option: &str, value: f64) -> Result<std::time::Duration> {
    std::time::Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            UsageError(format!(
                "{option} {value}: give a positive number of seconds"
            ))
            .into()
        })
}

/// `polegraph serve`: the read-only SPARQL endpoint, until interrupted.
fn serve(args: args::ServeArgs) -> Result<()> {
    use polegraph::serve::{self, ServeOptions};
    let options = ServeOptions {
        bind: args.bind,
        timeout: seconds("--timeout", args.timeout)?,
        max_body: args.max_body,
        max_results: args.max_results,
        cors: args.cors,
        ..ServeOptions::default()
    };
    let (_, graph) = build_graph(&args.data)?;
    let quads = graph.store.len().context("cannot count the quads")?;
    let base = graph.iris.base().to_owned();
    let running = serve::start(graph, options, |log| {
        let _ = writeln!(std::io::stderr(), "polegraph: {log}");
    })?;
    let address = running.address;
    let mut err = std::io::stderr();
    writeln!(
        err,
        "polegraph: serving {quads} quads at http://{address}/ (SPARQL endpoint http://{address}/query; records of {base} at http://{address}/{{kind}}/{{id}}); Ctrl-C stops"
    )?;
    if !address.ip().is_loopback() {
        writeln!(
            err,
            "polegraph: warning: {address} is not a loopback address: other machines can query this endpoint"
        )?;
    }
    running.join()?;
    Ok(())
}

/// `polegraph push`: uploads the named graphs into a triple store.
fn push(args: args::PushArgs) -> Result<()> {
    use polegraph::push::{AuthScheme, Credentials, PushEvent, PushOptions};
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let user = args.user.clone().or_else(|| env("POLEGRAPH_PUSH_USER"));
    let password = args
        .password
        .clone()
        .or_else(|| env("POLEGRAPH_PUSH_PASSWORD"));
    let credentials = match (user, password) {
        (Some(user), password) => Some(Credentials {
            user,
            password: password.unwrap_or_default(),
        }),
        (None, Some(_)) => {
            return Err(UsageError(
                "a password without a user name: give --user or set POLEGRAPH_PUSH_USER".into(),
            )
            .into())
        }
        (None, None) => None,
    };
    if args.chunk_size == 0 {
        return Err(UsageError("--chunk-size 0: give at least 1".into()).into());
    }
    let options = PushOptions {
        merge: args.merge,
        chunk_triples: args.chunk_size,
        credentials,
        auth: match args.auth {
            args::PushAuth::Auto => AuthScheme::Auto,
            args::PushAuth::Basic => AuthScheme::Basic,
            args::PushAuth::Digest => AuthScheme::Digest,
        },
        graph_parameter: args.graph_param.clone(),
        retries: args.retries,
        timeout: seconds("--timeout", args.timeout)?,
        verify: args.verify.clone(),
        ..PushOptions::new(args.endpoint.clone())
    };
    let (_, graph) = build_graph(&args.data)?;
    let verb = if args.merge {
        "merged into"
    } else {
        "replaced"
    };
    let mut out = Output::stdout();
    let mut total = 0;
    let mut failure = None;
    let result = polegraph::push::push(&graph, &options, &mut |event| match event {
        PushEvent::Sent(report) => {
            total += report.triples;
            let requests = if report.requests == 1 {
                String::new()
            } else {
                format!(" in {} requests", report.requests)
            };
            // Flushed line by line: a push stopped half-way has said which
            // graphs the store already holds.
            if let Err(e) = writeln!(
                out.writer(),
                "{}: {} triples sent ({verb}){requests}",
                report.graph.as_str(),
                report.triples
            )
            .and_then(|()| out.writer().flush())
            {
                failure.get_or_insert(e);
            }
        }
        PushEvent::Verified { graph, remote, .. } => {
            if let Err(e) = writeln!(
                out.writer(),
                "{}: the store counts {remote} triples",
                graph.as_str()
            )
            .and_then(|()| out.writer().flush())
            {
                failure.get_or_insert(e);
            }
        }
        PushEvent::Retry {
            request,
            reason,
            attempt,
            attempts,
            delay,
        } => {
            let _ = writeln!(
                std::io::stderr(),
                "polegraph: {request}: {reason}; attempt {attempt} of {attempts} in {:.1} s",
                delay.as_secs_f64()
            );
        }
        _ => {}
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    let reports = result?;
    writeln!(
        out.writer(),
        "{total} triples in {} graphs sent to {}",
        reports.len(),
        polegraph::push::redact_url(&args.endpoint)
    )?;
    out.finish()
}

/// `polegraph validate`: the data checks (loading), then the SHACL shapes.
/// Prints the report; a violation makes the exit code 2.
fn validate(args: args::ValidateArgs) -> Result<()> {
    let (_, graph) = build_graph(&args.data)?;
    let shapes = match &args.shapes {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the shapes file {}", path.display()))?;
            polegraph::validate::Shapes::parse(&text)
                .with_context(|| format!("in the shapes file {}", path.display()))?
        }
        None => polegraph::validate::builtin_shapes()?,
    };
    let report = polegraph::validate::validate(&graph.store, &shapes)?;
    let mut prefixes = polegraph::iri::prefixes_for(&graph.iris);
    prefixes.push((
        "pgsh".to_owned(),
        polegraph::validate::SHAPES_NAMESPACE.to_owned(),
    ));
    let mut out = Output::stdout();
    match args.format.as_str() {
        "ttl" => {
            report.write_turtle(shapes.graph(), &prefixes, out.writer())?;
        }
        "tsv" => report.write_tsv(out.writer())?,
        _ => report.write_text(&prefixes, out.writer())?,
    }
    out.finish()?;
    match report.violations() {
        0 => Ok(()),
        violations => Err(polegraph::error::ValidateError::DoesNotConform { violations }.into()),
    }
}
