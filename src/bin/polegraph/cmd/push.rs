//! `polegraph push`: uploads the named graphs into a triple store, saying
//! each graph as it is sent, with a progress bar on a terminal.

use crate::args::PushArgs;
use crate::config::push_options;
use crate::input::spool;
use crate::output::Output;
use crate::progress::PushProgressBar;
use anyhow::Result;
use polegraph::push::{redact_url, PushEvent};
use std::io::Write;

pub fn run(args: PushArgs) -> Result<()> {
    let options = push_options(&args)?;
    let spool = spool(&args.data, args.quiet)?;
    let verb = if args.merge {
        "merged into"
    } else {
        "replaced"
    };
    let mut out = Output::stdout();
    let mut total = 0;
    let mut failure = None;
    let progress = PushProgressBar::new(args.quiet);
    let result = polegraph::push::push(&spool, &options, &mut |event| {
        // Flushed line by line: a push stopped half-way has said which
        // graphs the store already holds.
        let mut say = |line: String| {
            let written = progress
                .suspend(|| writeln!(out.writer(), "{line}").and_then(|()| out.writer().flush()));
            if let Err(e) = written {
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
                let verb = if report.created { "new" } else { verb };
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
            PushEvent::Progress {
                graphs_done,
                graphs,
                triples_sent,
                triples,
            } => progress.update(graphs_done, graphs, triples_sent, triples),
            PushEvent::Retry {
                request,
                reason,
                attempt,
                attempts,
                delay,
            } => progress.suspend(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "polegraph: {request}: {reason}; attempt {attempt} of {attempts} in {:.1} s",
                    delay.as_secs_f64()
                );
            }),
            _ => {}
        }
    });
    progress.clear();
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
