//! `polegraph query`: runs a SPARQL query on the graph.

use crate::args::QueryArgs;
use crate::config::{query_format, usage};
use crate::input::graph;
use crate::output::Output;
use anyhow::{Context, Result};
use polegraph::format::{GraphFormat, SolutionsFormat};
use polegraph::query::OutputFormats;
use std::io::{IsTerminal, Read};

pub fn run(args: QueryArgs) -> Result<()> {
    let text = query_text(&args)?;
    if text.trim().is_empty() {
        return Err(usage("the query is empty"));
    }
    let formats = OutputFormats {
        requested: query_format(args.format.as_deref())?,
        // A table for people, tab-separated values for programs.
        default_solutions: if std::io::stdout().is_terminal() {
            SolutionsFormat::Table
        } else {
            SolutionsFormat::Tsv
        },
        default_graph: GraphFormat::Turtle,
    };
    let graph = graph(&args.data)?;
    let mut out = Output::stdout();
    polegraph::query::run(&graph, &text, formats, out.writer())?;
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
                return Err(usage(
                    "no query given (pass it as an argument, with -f FILE, or on standard input)",
                ));
            }
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .context("cannot read the query from standard input")?;
            Ok(text)
        }
    }
}
