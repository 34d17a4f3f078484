//! The `polegraph` command: parses arguments, turns them into the
//! library's options ([`config`]), runs the command ([`cmd`]) and picks the
//! exit code (0 ok, 1 runtime failure, 2 bad usage or data).

mod args;
mod cmd;
mod config;
mod input;
mod output;
mod progress;
mod report;

use args::{Cli, Command};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// mimalloc: the streaming export and the bulk loads allocate and free
/// millions of small strings, across two threads, where it is markedly
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    stop_on_signals();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Query(args) => cmd::query::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Stats(args) => cmd::stats::run(args),
        Command::Dot(args) => cmd::dot::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Push(args) => cmd::push::run(args),
        Command::Validate(args) => cmd::validate::run(args),
    };
    if polegraph::io::interrupt::interrupted() {
        // The signal handler is ending the process (what failed here, it
        // may have caused): wait for it.
        loop {
            std::thread::park();
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "polegraph: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// Ctrl-C (SIGINT) or `kill` (SIGTERM): remove what was being written
/// aside (a temporary export, a store being built), then end as the signal
/// would have (the shell sees an interrupted command). Exit handlers and
/// static destructors do not run: those of RocksDB abort while its
/// background threads still write.
#[cfg(unix)]
fn stop_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // no handler: the default, without the clean-up
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            polegraph::io::interrupt::stop(|| {
                let _ = writeln!(std::io::stderr(), "\npolegraph: interrupted");
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                signal_hook::low_level::exit(128 + signal);
            });
        }
    });
}

#[cfg(not(unix))]
fn stop_on_signals() {}

/// 2 when a cause is the user's to fix (arguments, data, query or shapes
/// text: each library error type says so with `is_usage`), 1 otherwise.
fn exit_code(error: &anyhow::Error) -> u8 {
    use polegraph::error::*;
    macro_rules! is_usage {
        ($cause:expr, $($kind:ty),*) => {
            $($cause.downcast_ref::<$kind>().is_some_and(<$kind>::is_usage))||*
        };
    }
    let user_fault = error.chain().any(|cause| {
        cause.is::<config::UsageError>()
            || cause.is::<DataErrors>()
            || is_usage!(
                cause,
                InputError,
                LoadError,
                BuildError,
                StreamError,
                QueryError,
                ValidateError,
                BundleError,
                polegraph::io::target::TargetError,
                polegraph::diagram::DiagramError,
                polegraph::push::PushError
            )
            || is_persist_usage(cause)
    });
    if user_fault {
        2
    } else {
        1
    }
}

#[cfg(feature = "rocksdb")]
fn is_persist_usage(cause: &(dyn std::error::Error + 'static)) -> bool {
    use polegraph::store::PersistError;
    cause
        .downcast_ref::<PersistError>()
        .is_some_and(PersistError::is_usage)
}

#[cfg(not(feature = "rocksdb"))]
fn is_persist_usage(_: &(dyn std::error::Error + 'static)) -> bool {
    false
}

/// A closed pipe (`polegraph export | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
