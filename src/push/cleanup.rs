//! What a push undoes when it fails or is interrupted before every graph
//! is up: its staging graphs, and the graphs it created by loading them
//! straight (they held nothing before, so dropping them leaves them as
//! they were). A failure is cleaned up by the push itself; an interruption
//! (Ctrl-C, `kill`) by the hook of [`Cleanup::on_interrupt`], which stops
//! the senders, waits for the requests in flight and drops the graphs.

use super::error::PushError;
use super::events::PushEvent;
use super::swap::Updater;
use oxigraph::model::NamedNode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The senders' shared state: whether to stop, and how many requests are
/// in flight.
#[derive(Default)]
pub(super) struct Flight {
    stop: AtomicBool,
    busy: AtomicUsize,
}

impl Flight {
    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    pub(super) fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Runs `request` unless the push is stopping (`None` then). Counted in
    /// flight before the stop is read: whoever stops the push and then
    /// waits for no request in flight sees every request that will be sent.
    pub(super) fn run<T>(&self, request: impl FnOnce() -> T) -> Option<T> {
        self.busy.fetch_add(1, Ordering::SeqCst);
        let done = (!self.stopped()).then(request);
        self.busy.fetch_sub(1, Ordering::SeqCst);
        done
    }

    /// Waits until no request is in flight, for at most `limit`.
    fn settle(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.busy.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The graphs to drop should the push stop before they are whole.
pub(super) struct Cleanup {
    pub flight: Arc<Flight>,
    graphs: Mutex<Vec<NamedNode>>,
}

impl Cleanup {
    pub(super) fn new(graphs: Vec<NamedNode>) -> Arc<Self> {
        Arc::new(Cleanup {
            flight: Arc::new(Flight::default()),
            graphs: Mutex::new(graphs),
        })
    }

    fn graphs(&self) -> MutexGuard<'_, Vec<NamedNode>> {
        self.graphs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops the push and takes the graphs to drop (none if taken before).
    fn take(&self) -> Vec<NamedNode> {
        let mut graphs = self.graphs();
        self.flight.stop();
        std::mem::take(&mut *graphs)
    }

    /// Every graph is up: `created` are whole and are no longer dropped.
    /// False if the push is stopping.
    pub(super) fn keep(&self, created: &[NamedNode]) -> bool {
        let mut graphs = self.graphs();
        graphs.retain(|g| !created.contains(g));
        !self.flight.stopped()
    }

    /// Before `staging` is swapped in: no longer to drop (dropping a
    /// staging graph while its `MOVE` runs could empty the graph it
    /// replaces). False if the push is stopping: then no swap may start.
    pub(super) fn swapping(&self, staging: &NamedNode) -> bool {
        let mut graphs = self.graphs();
        if self.flight.stopped() {
            return false;
        }
        graphs.retain(|g| g != staging);
        true
    }

    /// After a failure (no request in flight): drops the graphs, and
    /// `more`; a failure to drop them is added to `cause`.
    pub(super) fn drop_now(
        &self,
        updater: Option<&mut Updater>,
        more: &[NamedNode],
        cause: PushError,
        on_event: &mut dyn FnMut(PushEvent),
    ) -> PushError {
        let graphs = [more.to_vec(), self.take()].concat();
        match updater {
            Some(updater) => updater.drop_all(&graphs, cause, on_event),
            None => cause,
        }
    }

    /// The interruption's clean-up: stops the senders, waits for the
    /// requests in flight (at most `limit`), then drops the graphs with a
    /// client of its own.
    pub(super) fn on_interrupt(
        self: &Arc<Self>,
        limit: Duration,
        updater: impl Fn() -> Result<Updater, PushError> + Send + Sync + 'static,
    ) -> crate::io::interrupt::OnStop {
        let cleanup = Arc::clone(self);
        crate::io::interrupt::on_stop(move || {
            let graphs = cleanup.take();
            cleanup.flight.settle(limit);
            if let (false, Ok(mut updater)) = (graphs.is_empty(), updater()) {
                let _ = updater.drop_all(&graphs, PushError::Interrupted, &mut |_| {});
            }
        })
    }
}
