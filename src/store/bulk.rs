//! Feeding a store's bulk loader from the mapper.

use super::stats::Stats;
use crate::map::QuadSink;
use oxigraph::model::{Quad, QuadRef};
use oxigraph::store::{BulkLoader, StorageError, Store};
use std::io;

/// Feeds a store's bulk loader in batches, counting what VoID describes.
pub struct BulkSink<'a> {
    loader: BulkLoader<'a>,
    batch: Vec<Quad>,
    batch_size: usize,
    counter: super::stats::StatsCounter,
}

/// Quads per batch for an in-memory store, which inserts quads one by one
/// whatever the batch: a small batch keeps the owned quads waiting to go in
/// few (at 10,000 rows per table the whole graph used to wait in one batch,
/// 100 MiB).
const MEMORY_BATCH: usize = 16_000;
// The loader's own batch is set in thousands of quads (see `in_memory`).
const _: () = assert!(MEMORY_BATCH % 1000 == 0);

/// Quads per batch for a RocksDB store, whose bulk loader sorts each batch
/// into files of its own: large batches make few files.
#[cfg_attr(not(feature = "rocksdb"), allow(dead_code))]
const DISK_BATCH: usize = 500_000;

impl<'a> BulkSink<'a> {
    /// A sink into an in-memory store.
    pub fn in_memory(store: &'a Store) -> Self {
        // The loader gathers `max memory × 1000 / threads` quads before
        // inserting them: as many as a batch here.
        let loader = store
            .bulk_loader()
            .with_num_threads(1)
            .with_max_memory_size_in_megabytes(MEMORY_BATCH / 1000);
        Self::with_loader(loader, MEMORY_BATCH)
    }

    /// A sink into an on-disk store.
    #[cfg_attr(not(feature = "rocksdb"), allow(dead_code))]
    pub fn on_disk(store: &'a Store) -> Self {
        Self::with_loader(store.bulk_loader(), DISK_BATCH)
    }

    fn with_loader(loader: BulkLoader<'a>, batch_size: usize) -> Self {
        BulkSink {
            loader,
            batch: Vec::with_capacity(batch_size),
            batch_size,
            counter: super::stats::StatsCounter::default(),
        }
    }

    fn flush(&mut self) -> Result<(), StorageError> {
        self.loader.load_quads(self.batch.drain(..))
    }

    /// Loads what is left, commits, and returns the counts.
    pub fn finish(mut self) -> Result<Stats, StorageError> {
        self.flush()?;
        self.loader.commit()?;
        Ok(self.counter.finish())
    }
}

impl QuadSink for BulkSink<'_> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.counter.observe(quad);
        self.batch.push(quad.into_owned());
        if self.batch.len() >= self.batch_size {
            self.flush().map_err(io::Error::other)?;
        }
        Ok(())
    }
}
