//! `polegraph stats`: counts triples per graph, class and property.

use crate::args::StatsArgs;
use crate::input::graph;
use crate::output::Output;
use crate::report;
use anyhow::Result;
use polegraph::iri::{prefixes_for, VOID_GRAPH};
use polegraph::store::Stats;

pub fn run(args: StatsArgs) -> Result<()> {
    let graph = graph(&args.data)?;
    let all = Stats::of_store(&graph.store, None)?;
    // A store opened from disk was counted when it was built; count it again
    // here rather than trust a description the store may not hold.
    let recounted;
    let described = if graph.stats.quads == 0 && all.quads > 0 {
        let void_graph = graph.iris.graph(VOID_GRAPH);
        recounted = Stats::of_store(&graph.store, Some(&void_graph))?;
        &recounted
    } else {
        &graph.stats
    };
    let mut out = Output::stdout();
    report::stats(out.writer(), &all, described, &prefixes_for(&graph.iris))?;
    out.finish()
}
