//! What the endpoint keeps to draw diagrams: the records read once per
//! language, the pictures drawn (the served graph does not change; up to
//! [`CACHE_BYTES`] and [`CACHE_ENTRIES`], oldest out first), and leave to
//! run Graphviz (one run per core at once).

use crate::diagram::{DiagramError, Lang, OutputFormat, Records};
use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The most bytes of pictures (and their keys) kept.
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// The most pictures kept.
pub const CACHE_ENTRIES: usize = 4096;

/// A key (a diagram's URL, which may hold a query) longer than this is not
/// kept.
pub const MAX_KEY_BYTES: usize = 16 * 1024;

/// The largest picture Graphviz may draw for the endpoint.
pub const MAX_PICTURE_BYTES: usize = 32 * 1024 * 1024;

/// A drawn diagram: the picture (SVG, or the DOT text) and what a text
/// alternative says of it.
#[derive(Debug)]
pub(super) struct Picture {
    pub bytes: Vec<u8>,
    pub format: OutputFormat,
    pub title: String,
    pub nodes: usize,
    pub links: usize,
    /// Records of a focus neighbourhood left out (the node limit).
    pub omitted: usize,
}

/// What the endpoint keeps to draw: the records per language, the
/// pictures drawn, and the Graphviz runs allowed at once.
pub(super) struct Drawings {
    /// The Graphviz program.
    pub program: OsString,
    /// The most nodes a diagram draws.
    pub max_nodes: usize,
    /// The records per language, read by the first diagram that needs
    /// them while the others wait.
    records: [Mutex<Option<Arc<Records>>>; 2],
    pictures: Mutex<Pictures>,
    renders: Slots,
}

impl Drawings {
    pub fn new(program: OsString, max_nodes: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Drawings {
            program,
            max_nodes,
            records: Default::default(),
            pictures: Mutex::default(),
            renders: Slots::new(cores),
        }
    }

    /// The picture kept under `key`.
    pub fn kept(&self, key: &str) -> Option<Arc<Picture>> {
        self.pictures.lock().ok()?.get(key)
    }

    /// Keeps `picture` under `key`.
    pub fn keep(&self, key: String, picture: Arc<Picture>) {
        if let Ok(mut pictures) = self.pictures.lock() {
            pictures.insert(key, picture);
        }
    }

    /// The records labelled in `lang`, read by `read` the first time (a
    /// request that needs them meanwhile waits for that reading).
    pub fn records(
        &self,
        lang: Lang,
        read: impl FnOnce() -> Result<Records, DiagramError>,
    ) -> Result<Arc<Records>, DiagramError> {
        let mut slot = self.records[usize::from(lang == Lang::En)]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(records) = slot.as_ref() {
            return Ok(records.clone());
        }
        let records = Arc::new(read()?);
        *slot = Some(records.clone());
        Ok(records)
    }

    /// Leave to run Graphviz, waiting at most `timeout` for it; given back
    /// when dropped.
    pub fn render_slot(&self, timeout: Duration) -> Option<impl Drop + '_> {
        self.renders.acquire(timeout)
    }
}

/// The pictures drawn, oldest first out past [`CACHE_BYTES`].
#[derive(Default)]
struct Pictures {
    by_key: HashMap<String, Arc<Picture>>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Pictures {
    fn get(&self, key: &str) -> Option<Arc<Picture>> {
        self.by_key.get(key).cloned()
    }

    fn insert(&mut self, key: String, picture: Arc<Picture>) {
        let size = key.len() + picture.bytes.len();
        if key.len() > MAX_KEY_BYTES || size > CACHE_BYTES || self.by_key.contains_key(&key) {
            return;
        }
        self.bytes += size;
        while self.bytes > CACHE_BYTES || self.by_key.len() >= CACHE_ENTRIES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.by_key.remove(&oldest) {
                self.bytes -= oldest.len() + old.bytes.len();
            }
        }
        self.order.push_back(key.clone());
        self.by_key.insert(key, picture);
    }
}

/// A counting semaphore: at most `max` holders at once.
struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

/// A held slot, given back when dropped.
struct Slot<'s>(&'s Slots);

impl Slots {
    fn new(max: usize) -> Self {
        Slots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            max: max.max(1),
        }
    }

    /// A slot, waiting at most `timeout` for one.
    fn acquire(&self, timeout: Duration) -> Option<Slot<'_>> {
        let busy = self.busy.lock().ok()?;
        let (mut busy, _) = self
            .freed
            .wait_timeout_while(busy, timeout, |busy| *busy >= self.max)
            .ok()?;
        if *busy >= self.max {
            return None;
        }
        *busy += 1;
        Some(Slot(self))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Ok(mut busy) = self.0.busy.lock() {
            *busy -= 1;
        }
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_given_back() {
        let slots = Slots::new(1);
        let held = slots.acquire(Duration::ZERO).unwrap();
        assert!(slots.acquire(Duration::from_millis(10)).is_none());
        drop(held);
        assert!(slots.acquire(Duration::ZERO).is_some());
    }

    #[test]
    fn pictures_past_the_budget_push_the_oldest_out() {
        let picture = |size| {
            Arc::new(Picture {
                bytes: vec![0; size],
                format: OutputFormat::Svg,
                title: String::new(),
                nodes: 0,
                links: 0,
                omitted: 0,
            })
        };
        let mut pictures = Pictures::default();
        pictures.insert("a".into(), picture(CACHE_BYTES / 2 - 1));
        pictures.insert("b".into(), picture(CACHE_BYTES / 2));
        pictures.insert("c".into(), picture(1));
        assert!(pictures.get("a").is_none());
        assert!(pictures.get("b").is_some() && pictures.get("c").is_some());
        assert_eq!(pictures.bytes, "b".len() + CACHE_BYTES / 2 + "c".len() + 1);
        // A key is charged too, and a very long one is not kept.
        pictures.insert("q".repeat(MAX_KEY_BYTES + 1), picture(1));
        assert_eq!(pictures.by_key.len(), 2);
    }
}
