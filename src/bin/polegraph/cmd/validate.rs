//! `polegraph validate`: the data checks (loading), then the SHACL shapes.
//! Prints the report; a violation makes the exit code 2.

use crate::args::ValidateArgs;
use crate::input::graph;
use crate::output::Output;
use anyhow::{Context, Result};
use polegraph::error::ValidateError;
use polegraph::validate::{builtin_shapes, validate, Shapes, SHAPES_NAMESPACE};

pub fn run(args: ValidateArgs) -> Result<()> {
    let graph = graph(&args.data)?;
    let shapes = match &args.shapes {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the shapes file {}", path.display()))?;
            Shapes::parse(&text)
                .with_context(|| format!("in the shapes file {}", path.display()))?
        }
        None => builtin_shapes()?,
    };
    let report = validate(&graph.store, &shapes)?;
    let mut prefixes = polegraph::iri::prefixes_for(&graph.iris);
    prefixes.push(("pgsh".to_owned(), SHAPES_NAMESPACE.to_owned()));
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
        violations => Err(ValidateError::DoesNotConform { violations }.into()),
    }
}
