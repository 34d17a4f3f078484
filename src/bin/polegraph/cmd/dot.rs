//! `polegraph dot`: draws a diagram, writes DOT or has Graphviz render it.

use crate::args::DotArgs;
use crate::config::{diagram_format, diagram_options, usage};
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
    let (mut diagram, iris) = match &query {
        // A query sees the same graph as `polegraph query` (or the store).
        Some(text) => {
            let graph = graph(&args.data)?;
            (diagram::from_construct(&graph, text, &options)?, graph.iris)
        }
        None if args.data.store.is_some() => {
            let graph = graph(&args.data)?;
            let drawn = diagram::from_store(&graph.store, &graph.iris, &options)?;
            (drawn, graph.iris)
        }
        // From data, the records are mapped straight into the diagram's
        // graph: the same quads, without filling a store to read them back.
        None => match input(&args.data)? {
            Input::Tables { dir, tables } => {
                let iris = folder_iris(&dir, args.data.base.as_deref())?;
                (diagram::from_tables(&tables, &iris, &options)?, iris)
            }
            input => {
                let dataset = input.load()?;
                let iris = Iris::new(resolve_base(args.data.base.as_deref(), &dataset)?);
                (diagram::from_dataset(&dataset, &iris, &options)?, iris)
            }
        },
    };
    if diagram.omitted > 0 {
        let drawn = diagram.graph.node_count();
        writeln!(
            std::io::stderr(),
            "polegraph: warning: {} records of the neighbourhood are left out to keep the diagram to {} nodes; draw them with --max-nodes {} (or a smaller --depth, --exclude, or --include)",
            diagram.omitted,
            args.max_nodes,
            drawn + diagram.omitted
        )?;
    }
    if let Some(base) = &args.links {
        // A base given is checked as every base IRI is (absolute, ending
        // in `/` or `#`).
        let base = match base.as_str() {
            "" => iris.base().to_owned(),
            given => resolve_base(Some(given), &Default::default())
                .map_err(|e| usage(format!("--links: {e}")))?,
        };
        diagram.link_records(&iris, &base);
    }
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
