//! Progress of long work on standard error: a bar (indicatif) when stderr
//! is a terminal, otherwise one summary line at the end; nothing with
//! `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polegraph::load::{StreamProgress, StreamReport};
use std::io::{IsTerminal, Write};
use std::time::Duration;

pub struct StreamProgressBar {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl StreamProgressBar {
    pub fn new(quiet: bool) -> Self {
        StreamProgressBar {
            bar: progress_bar(quiet),
            quiet,
        }
    }

    pub fn update(&mut self, state: &StreamProgress) {
        let Some(bar) = &self.bar else { return };
        show_after_a_second(bar);
        bar.set_length(state.bytes_total);
        bar.set_position(state.bytes_done);
        let seconds = bar.elapsed().as_secs_f64().max(1e-3);
        bar.set_prefix("writing");
        bar.set_message(format!(
            "{} rows, {} triples, {}/s",
            group(state.rows),
            group(state.quads),
            group((state.quads as f64 / seconds) as u64)
        ));
    }

    /// Clears the bar, printing nothing.
    pub fn clear(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }

    /// Clears the bar and prints the one summary line.
    pub fn finish(self, report: &StreamReport, elapsed: Duration) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
        if self.quiet || elapsed < Duration::from_secs(1) && !std::io::stderr().is_terminal() {
            return;
        }
        let seconds = elapsed.as_secs_f64().max(1e-3);
        let _ = writeln!(
            std::io::stderr(),
            "polegraph: {} rows → {} triples in {:.1} s ({} triples/s)",
            group(report.rows),
            group(report.quads),
            seconds,
            group((report.quads as f64 / seconds) as u64)
        );
    }
}

/// The bar of `polegraph push`: graphs and triples sent, the rate, and
/// the time left.
pub struct PushProgressBar {
    bar: Option<ProgressBar>,
}

impl PushProgressBar {
    pub fn new(quiet: bool) -> Self {
        let bar = progress_bar(quiet);
        if let Some(bar) = &bar {
            bar.set_prefix("sending");
        }
        PushProgressBar { bar }
    }

    pub fn update(&self, graphs_done: usize, graphs: usize, sent: u64, total: u64) {
        let Some(bar) = &self.bar else { return };
        show_after_a_second(bar);
        bar.set_length(total);
        bar.set_position(sent);
        let seconds = bar.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{graphs_done}/{graphs} graphs, {} triples, {}/s",
            group(sent),
            group((sent as f64 / seconds) as u64)
        ));
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn clear(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A bar on standard error when it is a terminal (and not `quiet`), shown
/// only once the work has lasted a second.
fn progress_bar(quiet: bool) -> Option<ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(4));
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {prefix:<14} [{bar:30}] {percent:>3}%  {msg}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        // Work shorter than about a second never shows a bar.
        bar.enable_steady_tick(Duration::from_millis(250));
        bar.set_draw_target(ProgressDrawTarget::hidden());
        bar
    })
}

fn show_after_a_second(bar: &ProgressBar) {
    if bar.is_hidden() && bar.elapsed() > Duration::from_secs(1) {
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    }
}

/// `1234567` → `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
