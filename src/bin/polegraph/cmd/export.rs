//! `polegraph export`: writes the graph in an RDF format, or the
//! publication bundle. A folder of CSV tables streams to N-Triples and
//! N-Quads without building the graph.

use crate::args::ExportArgs;
use crate::config::export_format;
use crate::input::{graph, streamed_tables};
use crate::output::Output;
use crate::progress::StreamProgressBar;
use anyhow::Result;
use polegraph::error::{ExportError, StreamError};
use polegraph::export::{export_tables, streams};
use std::io::Write;
use std::path::Path;

pub fn run(args: ExportArgs) -> Result<()> {
    if let Some(dir) = &args.bundle {
        let graph = graph(&args.data)?;
        let files = polegraph::export::write_bundle(&graph, dir, args.force)?;
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
    if streams(format) {
        if let Some((dir, tables)) = streamed_tables(&args.data)? {
            let mut out = match &args.output {
                Some(path) if !args.page_cache => Output::streamed_file(path)?,
                Some(path) => Output::file(path)?,
                None => Output::stdout(),
            };
            let started = std::time::Instant::now();
            let mut progress = StreamProgressBar::new(args.quiet);
            let (_, report) = export_tables(
                &dir,
                &tables,
                args.data.base.as_deref(),
                format,
                out.writer(),
                &mut |state| progress.update(state),
            )
            .map_err(|e| match e {
                StreamError::Write(source) => write_failure(args.output.as_deref(), source),
                other => other.into(),
            })?;
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
    let graph = graph(&args.data)?;
    polegraph::export::export(&graph, format, out.writer()).map_err(|e| match e {
        ExportError::Write(source) => write_failure(args.output.as_deref(), source),
        other => other.into(),
    })?;
    out.finish()
}

/// A failure to write the export, with the file it was for: "cannot write
/// graph.ttl: File too large (os error 27)".
fn write_failure(output: Option<&Path>, source: std::io::Error) -> anyhow::Error {
    let what = output.map_or_else(
        || "cannot write the export".to_owned(),
        |path| format!("cannot write {}", path.display()),
    );
    anyhow::Error::from(source).context(what)
}
