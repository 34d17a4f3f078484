//! `polegraph serve`: the read-only SPARQL endpoint, until interrupted.

use crate::args::ServeArgs;
use crate::config::serve_options;
use crate::input::graph;
use anyhow::{Context, Result};
use std::io::Write;

pub fn run(args: ServeArgs) -> Result<()> {
    let options = serve_options(&args)?;
    let options_max = options.max_connections;
    let graph = graph(&args.data)?;
    let quads = graph.store.len().context("cannot count the quads")?;
    let base = graph.iris.base().to_owned();
    let running = polegraph::serve::start(graph, options, |log| {
        let _ = writeln!(std::io::stderr(), "polegraph: {log}");
    })?;
    let address = running.address;
    let mut err = std::io::stderr();
    writeln!(
        err,
        "polegraph: serving {quads} quads at http://{address}/ (SPARQL endpoint http://{address}/query; records of {base} at http://{address}/{{kind}}/{{id}}); Ctrl-C stops"
    )?;
    if running.max_connections < options_max {
        writeln!(
            err,
            "polegraph: holding at most {} connections (the open-file limit allows no more; raise it with `ulimit -n`)",
            running.max_connections
        )?;
    }
    if !address.ip().is_loopback() {
        writeln!(
            err,
            "polegraph: warning: {address} is not a loopback address: other machines can query this endpoint"
        )?;
    }
    running.join()?;
    Ok(())
}
