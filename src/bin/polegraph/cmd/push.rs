//! `polegraph push`: uploads the named graphs into a triple store, saying
//! each graph as it is sent.

use crate::args::PushArgs;
use crate::config::push_options;
use crate::input::graph;
use crate::output::Output;
use anyhow::Result;
use polegraph::push::{redact_url, PushEvent};
use std::io::Write;

pub fn run(args: PushArgs) -> Result<()> {
    let options = push_options(&args)?;
    let graph = graph(&args.data)?;
    let verb = if args.merge {
        "merged into"
    } else {
        "replaced"
    };
    let mut out = Output::stdout();
    let mut total = 0;
    let mut failure = None;
    let result = polegraph::push::push(&graph, &options, &mut |event| {
        // Flushed line by line: a push stopped half-way has said which
        // graphs the store already holds.
        let mut say = |line: String| {
            if let Err(e) = writeln!(out.writer(), "{line}").and_then(|()| out.writer().flush()) {
                failure.get_or_insert(e);
            }
        };
        match event {
            PushEvent::Sent(report) => {
                total += report.triples;
                let requests = if report.requests == 1 {
                    String::new()
                } else {
                    format!(" in {} requests", report.requests)
                };
                say(format!(
                    "{}: {} triples sent ({verb}){requests}",
                    report.graph.as_str(),
                    report.triples
                ));
            }
            PushEvent::Verified { graph, remote, .. } => {
                say(format!(
                    "{}: the store counts {remote} triples",
                    graph.as_str()
                ));
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
        }
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    let reports = result?;
    writeln!(
        out.writer(),
        "{total} triples in {} graphs sent to {}",
        reports.len(),
        redact_url(&args.endpoint)
    )?;
    out.finish()
}
