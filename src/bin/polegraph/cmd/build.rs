//! `polegraph build`: load, check and map the data; say what the graph
//! holds. With `--store`, write the persistent store.

use crate::args::BuildArgs;
use crate::input::graph;
use crate::output::Output;
use crate::report;
use anyhow::Result;

pub fn run(args: BuildArgs) -> Result<()> {
    if let Some(path) = &args.data.store {
        return build_store(&args, path);
    }
    let graph = graph(&args.data)?;
    let mut out = Output::stdout();
    report::graph_summary(out.writer(), &graph)?;
    out.finish()
}

/// `build --store PATH`: writes the persistent store.
#[cfg(feature = "rocksdb")]
fn build_store(args: &BuildArgs, path: &std::path::Path) -> Result<()> {
    use crate::progress::StreamProgressBar;
    use polegraph::load::StreamReport;
    let started = std::time::Instant::now();
    let input = crate::input::input(&args.data)?;
    let mut progress = StreamProgressBar::new(args.quiet);
    let report =
        polegraph::store::build_store(&input, args.data.base.as_deref(), path, &mut |state| {
            progress.update(state)
        })?;
    let summary = StreamReport {
        quads: report.quads,
        ..Default::default()
    };
    progress.finish(&summary, started.elapsed());
    let mut out = Output::stdout();
    report::store_summary(out.writer(), path, report.quads, &report.stats)?;
    out.finish()
}

#[cfg(not(feature = "rocksdb"))]
fn build_store(_: &BuildArgs, _: &std::path::Path) -> Result<()> {
    Err(crate::input::no_store_support())
}
