//! The second stage of the arguments: clap's values become the library's
//! plain, checked options before any work is done. The mistakes clap
//! cannot see are found here, as [`UsageError`]s (exit code 2).

use crate::args::{
    DotArgs, DotClusterBy, DotLang, DotRankDir, ExportArgs, PushArgs, PushAuth, ServeArgs,
};
use anyhow::Result;
use polegraph::diagram::{self, DiagramOptions, OutputFormat, Selection};
use polegraph::format::{GraphFormat, QueryFormat};
use polegraph::push::{AuthScheme, Credentials, PushOptions};
use polegraph::serve::ServeOptions;
use std::time::Duration;

/// A mistake in the command line that clap cannot see (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The error of a usage mistake.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

/// A number of seconds from the command line as a duration.
fn seconds(option: &str, value: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            usage(format!(
                "{option} {value}: give a positive number of seconds"
            ))
        })
}

fn at_least_one(option: &str, value: usize) -> Result<usize> {
    if value == 0 {
        return Err(usage(format!("{option} 0: give at least 1")));
    }
    Ok(value)
}

/// `query --format`: a named format, or `None` to choose by the result.
pub fn query_format(name: Option<&str>) -> Result<Option<QueryFormat>> {
    let Some(name) = name else {
        return Ok(None);
    };
    QueryFormat::from_name(name).map(Some).ok_or_else(|| {
        usage(format!(
            "unknown format `{name}` (expected {})",
            QueryFormat::expected()
        ))
    })
}

/// The export format: `--format`, else the extension of `-o`, else Turtle.
pub fn export_format(args: &ExportArgs) -> Result<GraphFormat> {
    if let Some(name) = &args.format {
        return GraphFormat::from_name(name).ok_or_else(|| {
            usage(format!(
                "unknown format `{name}` (expected one of {})",
                GraphFormat::expected()
            ))
        });
    }
    match &args.output {
        None => Ok(GraphFormat::Turtle),
        Some(path) => GraphFormat::from_path(path).ok_or_else(|| {
            usage(format!(
                "cannot tell the format of {} from its extension (use .ttl, .trig, .nt, .nq, .rdf or .jsonld, or give --format)",
                path.display()
            ))
        }),
    }
}

/// The diagram's format: the extension of `-o`, else DOT.
pub fn diagram_format(args: &DotArgs) -> Result<OutputFormat> {
    let Some(path) = &args.output else {
        return Ok(OutputFormat::Dot);
    };
    OutputFormat::from_path(path).ok_or_else(|| {
        usage(format!(
            "cannot tell the format of {} from its extension (use {})",
            path.display(),
            OutputFormat::EXTENSIONS
        ))
    })
}

/// What the diagram shows and how.
pub fn diagram_options(args: &DotArgs) -> DiagramOptions {
    DiagramOptions {
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
        lang: args.lang.into(),
        cluster_by: args.cluster_by.into(),
        rankdir: args.rankdir.into(),
        max_nodes: args.focus.as_ref().map(|_| args.max_nodes),
    }
}

impl From<DotLang> for diagram::Lang {
    fn from(lang: DotLang) -> Self {
        match lang {
            DotLang::Fr => diagram::Lang::Fr,
            DotLang::En => diagram::Lang::En,
        }
    }
}

impl From<DotClusterBy> for diagram::ClusterBy {
    fn from(by: DotClusterBy) -> Self {
        match by {
            DotClusterBy::Ministry => diagram::ClusterBy::Ministry,
            DotClusterBy::Kind => diagram::ClusterBy::Kind,
            DotClusterBy::None => diagram::ClusterBy::None,
        }
    }
}

impl From<DotRankDir> for diagram::RankDir {
    fn from(direction: DotRankDir) -> Self {
        match direction {
            DotRankDir::Tb => diagram::RankDir::TopBottom,
            DotRankDir::Lr => diagram::RankDir::LeftRight,
            DotRankDir::Bt => diagram::RankDir::BottomTop,
            DotRankDir::Rl => diagram::RankDir::RightLeft,
        }
    }
}

/// The endpoint's limits.
pub fn serve_options(args: &ServeArgs) -> Result<ServeOptions> {
    Ok(ServeOptions {
        bind: args.bind,
        timeout: seconds("--timeout", args.timeout)?,
        max_body: args.max_body,
        max_results: args.max_results,
        cors: args.cors,
        max_connections: at_least_one("--max-connections", args.max_connections)?,
        header_timeout: seconds("--header-timeout", args.header_timeout)?,
        graphviz: args.graphviz.clone(),
        diagram_max_nodes: args.diagram_max_nodes,
    })
}

/// Where and how to push, with the credentials from the options or the
/// environment (`POLEGRAPH_PUSH_USER`, `POLEGRAPH_PUSH_PASSWORD`).
pub fn push_options(args: &PushArgs) -> Result<PushOptions> {
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
            return Err(usage(
                "a password without a user name: give --user or set POLEGRAPH_PUSH_USER",
            ))
        }
        (None, None) => None,
    };
    if args.chunk_size == 0 {
        return Err(usage("--chunk-size 0: give at least 1"));
    }
    if args.jobs == 0 {
        return Err(usage("--jobs 0: give at least 1"));
    }
    if args.dataset.is_some() && args.update.is_none() {
        return Err(usage(
            "--dataset sends every graph through a staging graph: give --update URL too (the store's SPARQL Update endpoint)",
        ));
    }
    Ok(PushOptions {
        merge: args.merge,
        chunk_triples: args.chunk_size,
        credentials,
        auth: match args.auth {
            PushAuth::Auto => AuthScheme::Auto,
            PushAuth::Basic => AuthScheme::Basic,
            PushAuth::Digest => AuthScheme::Digest,
        },
        graph_parameter: args.graph_param.clone(),
        retries: args.retries,
        timeout: seconds("--timeout", args.timeout)?,
        verify: args.verify.clone(),
        update: args.update.clone(),
        query: args.query.clone(),
        stage_all: args.stage_all,
        dataset: args.dataset.clone(),
        jobs: args.jobs,
        ..PushOptions::new(args.endpoint.clone())
    })
}
