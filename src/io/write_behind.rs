//! Writing on a thread of its own, so that the kernel's work of a large
//! write (copying into the page cache) runs beside the work that produces
//! the bytes instead of after it.
//!
//! The producer fills a buffer and hands the whole buffer over (no copy);
//! the writing thread writes buffers in the order they came and hands the
//! emptied ones back for reuse. A few megabytes are in flight at most.

use std::io::{self, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};

/// Where a producer's full buffers go. `put` takes the bytes of `chunk`
/// and leaves an empty buffer in its place.
pub trait ChunkOut {
    fn put(&mut self, chunk: &mut Vec<u8>) -> io::Result<()>;
    /// Called once, after the last `put`.
    fn finish(&mut self) -> io::Result<()>;
}

/// Bytes a producer gathers before handing them over.
pub const CHUNK: usize = 1 << 20;

/// An empty buffer for a producer: room for a chunk and the line that
/// takes it past [`CHUNK`].
pub fn chunk_buffer() -> Vec<u8> {
    Vec::with_capacity(CHUNK + 4096)
}

/// Hands `buffer` over to `out` once it holds a chunk.
pub fn hand_over_when_full(out: &mut impl ChunkOut, buffer: &mut Vec<u8>) -> io::Result<()> {
    if buffer.len() >= CHUNK {
        out.put(buffer)?;
    }
    Ok(())
}

/// Any writer takes chunks by writing them where it is.
impl<W: Write> ChunkOut for W {
    fn put(&mut self, chunk: &mut Vec<u8>) -> io::Result<()> {
        self.write_all(chunk)?;
        chunk.clear();
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }
}

/// The producer's end: full buffers go to the writing thread.
pub struct WriteBehind {
    full: SyncSender<Vec<u8>>,
    emptied: Receiver<Vec<u8>>,
}

/// Full buffers waiting for the writing thread, beyond the one it writes.
const WAITING: usize = 2;

impl ChunkOut for WriteBehind {
    fn put(&mut self, chunk: &mut Vec<u8>) -> io::Result<()> {
        let spare = self
            .emptied
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(chunk.capacity()));
        let full = std::mem::replace(chunk, spare);
        self.full
            .send(full)
            .map_err(|_| io::Error::other("the writing thread stopped"))
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(()) // the writing thread flushes once the producer is done
    }
}

/// Runs `produce` with a [`WriteBehind`], whose buffers a second thread
/// writes to `out`, then flushes `out`. Returns what the writing thread
/// ended with (`out`, or the first write error, which stops the writing:
/// the producer's next `put` then fails) and what `produce` returned.
/// When both failed, the write error is the cause to report.
pub fn write_behind<W: Write + Send, R>(
    mut out: W,
    produce: impl FnOnce(WriteBehind) -> R,
) -> (io::Result<W>, R) {
    std::thread::scope(|scope| {
        let (full, to_write) = sync_channel::<Vec<u8>>(WAITING);
        let (give_back, emptied) = channel::<Vec<u8>>();
        let writer = scope.spawn(move || -> io::Result<W> {
            for mut chunk in to_write {
                out.put(&mut chunk)?;
                let _ = give_back.send(chunk);
            }
            ChunkOut::finish(&mut out)?;
            Ok(out)
        });
        // `produce` owns the sending end: when it returns, the end is
        // dropped, which ends the writing thread's loop.
        let produced = produce(WriteBehind { full, emptied });
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, produced)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes come out whole and in order, through reused buffers.
    #[test]
    fn chunks_are_written_in_order() {
        let (written, produced) = write_behind(Vec::new(), |mut behind| {
            let mut buffer = Vec::with_capacity(16);
            for n in 0..1000u32 {
                buffer.extend_from_slice(&n.to_le_bytes());
                if buffer.len() >= 12 {
                    behind.put(&mut buffer)?;
                    assert!(buffer.is_empty());
                }
            }
            behind.put(&mut buffer)?;
            behind.finish()
        });
        produced.unwrap();
        let expected: Vec<u8> = (0..1000u32).flat_map(u32::to_le_bytes).collect();
        assert_eq!(written.unwrap(), expected);
    }

    /// A writer that fails after `room` bytes, as a full disk does.
    struct FullDisk {
        room: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room < buf.len() {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.room -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A write error stops the producer and is the error returned.
    #[test]
    fn a_write_error_stops_the_producer() {
        let mut chunks_put = 0;
        let (written, produced) = write_behind(FullDisk { room: 100 }, |mut behind| {
            for _ in 0..1000 {
                behind.put(&mut vec![0; 64])?;
                chunks_put += 1;
            }
            behind.finish()
        });
        assert_eq!(
            written.err().map(|e| e.kind()),
            Some(io::ErrorKind::StorageFull)
        );
        assert!(produced.is_err());
        assert!(chunks_put < 1000, "the producer went on: {chunks_put}");
    }
}
