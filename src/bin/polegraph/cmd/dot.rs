//! `polegraph dot`: draws a diagram, writes DOT or has Graphviz render it.

use crate::args::DotArgs;
use crate::config::{diagram_format, diagram_options};
use crate::input::{graph, input};
use crate::output::Output;
use anyhow::{Context, Result};
use polegraph::diagram::{self, OutputFormat};
use polegraph::iri::{resolve_base, Iris};
use polegraph::load::folder_iris;
use polegraph::load::Input;
use std::io::Write;

pub fn run(args: DotArgs) -> Result<()> {
    let format = diagram_format(&args)?;
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
    let options = diagram_options(&args);
    let diagram = match &query {
        // A query sees the same graph as `polegraph query` (or the store).
        Some(text) => diagram::from_construct(&graph(&args.data)?, text, &options)?,
        None if args.data.store.is_some() => {
            let graph = graph(&args.data)?;
            diagram::from_store(&graph.store, &graph.iris, &options)?
        }
        // From data, the records are mapped straight into the diagram's
        // graph: the same quads, without filling a store to read them back.
        None => match input(&args.data)? {
            Input::Tables { dir, tables } => {
                let iris = folder_iris(&dir, args.data.base.as_deref())?;
                diagram::from_tables(&tables, &iris, &options)?
            }
            input => {
                let dataset = input.load()?;
                let iris = Iris::new(resolve_base(args.data.base.as_deref(), &dataset)?);
                diagram::from_dataset(&dataset, &iris, &options)?
            }
        },
    };
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
