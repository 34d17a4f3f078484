//! Writing a large file around the page cache (`O_DIRECT`, Linux only).
//!
//! A streamed export writes gigabytes that nothing reads back at once.
//! Through the page cache, every byte is first copied into a freshly taken
//! page of memory — on virtual machines the dearest part of the export
//! (measured here: 4.4 GB took 2–10 s of kernel time, against 0.2 s of
//! kernel time and 1.6–2 s of waiting for the device when written
//! direct) — and gigabytes of dirty pages push other programs' memory out.
//! Written direct, the bytes go from an aligned buffer to the device, and
//! memory stays flat.
//!
//! Direct writes need aligned memory, offsets and lengths, so bytes are
//! gathered in aligned buffers of [`STAGING`] bytes. Two buffers take
//! turns: while one fills, a thread of its own writes the other's whole
//! blocks, so the device's time overlaps the caller's. The last partial
//! block is written once direct writes are turned off; a file smaller than
//! a block is written the ordinary way only. Where the filesystem refuses
//! direct writes (tmpfs before Linux 6.6, some network filesystems, a
//! device with larger blocks), the file is written the ordinary way from
//! then on: the bytes are the same either way.
//!
//! Direct writes skip the page cache; they do not make the file durable
//! (the device's own cache, and the filesystem's journal for the file's
//! size and blocks, still come later).

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Alignment of direct writes: memory, file offsets and lengths (the
/// logical block size of nearly every device; a larger one makes the
/// direct write fail, and ordinary writes take over).
const ALIGN: usize = 4096;

/// Bytes gathered before a direct write. Two such buffers take turns: one
/// fills while the other is written.
pub const STAGING: usize = 4 << 20;

/// An aligned buffer: `STAGING + ALIGN` bytes, used from `start`.
struct Staging {
    bytes: Vec<u8>,
    start: usize,
}

impl Staging {
    fn new() -> Self {
        let bytes = vec![0u8; STAGING + ALIGN];
        let start = bytes.as_ptr().align_offset(ALIGN);
        Staging { bytes, start }
    }

    fn filled(&self, len: usize) -> &[u8] {
        &self.bytes[self.start..self.start + len]
    }
}

/// Whole blocks to write at `offset`, on the writing thread.
struct Job {
    staging: Staging,
    len: usize,
    offset: u64,
}

/// A job's buffer, back for reuse, and how its write went.
struct Done {
    staging: Staging,
    result: io::Result<()>,
}

/// A file written from offset 0, direct where the filesystem allows it.
/// The caller's writes copy bytes into a buffer; the device's time is
/// spent on the writing thread.
///
/// [`DirectFile::finish`] writes the last bytes: a `DirectFile` dropped
/// without it leaves the file short (as after a failure, when the file is
/// to be thrown away). `flush` writes every whole block, not the last
/// partial one.
pub struct DirectFile {
    /// Open for direct writes until they are refused (see [`is_direct`]).
    file: File,
    current: Staging,
    staged: usize,
    /// Bytes handed to the writing thread so far.
    written: u64,
    jobs: Option<SyncSender<Job>>,
    done: Receiver<Done>,
    /// Whether a job is out (its buffer comes back through `done`).
    in_flight: bool,
    /// The other buffer, when it is back and not in use.
    spare: Option<Staging>,
    writer: Option<JoinHandle<()>>,
}

impl DirectFile {
    /// Writes `file` (empty, such as a fresh temporary file) from its
    /// start. The file's open description turns direct: a handle cloned
    /// from the same one writes direct too until [`DirectFile::finish`].
    pub fn new(file: File) -> io::Result<Self> {
        // Refused: the file is written the ordinary way.
        let _ = set_direct(&file, true);
        let (jobs, to_do) = sync_channel::<Job>(0);
        let (give_back, done) = sync_channel::<Done>(1);
        let target = file.try_clone()?;
        let writer = std::thread::Builder::new()
            .name("direct-write".into())
            .spawn(move || {
                for job in to_do {
                    let result = write_blocks(&target, job.staging.filled(job.len), job.offset);
                    let failed = result.is_err();
                    let _ = give_back.send(Done {
                        staging: job.staging,
                        result,
                    });
                    if failed {
                        break;
                    }
                }
            })?;
        Ok(DirectFile {
            file,
            current: Staging::new(),
            staged: 0,
            written: 0,
            jobs: Some(jobs),
            done,
            in_flight: false,
            spare: None,
            writer: Some(writer),
        })
    }

    /// Whether writes still go around the page cache.
    pub fn is_direct(&self) -> bool {
        is_direct(&self.file)
    }

    /// Writes every staged byte, and returns the file, no longer direct.
    pub fn finish(mut self) -> io::Result<File> {
        self.flush()?;
        if let Err(panic) = self.end_writer() {
            std::panic::resume_unwind(panic);
        }
        if is_direct(&self.file) {
            set_direct(&self.file, false)?;
        }
        write_all_at(&self.file, self.current.filled(self.staged), self.written)?;
        self.file.try_clone()
    }

    /// Ends the writing thread once it has written the job it has.
    fn end_writer(&mut self) -> std::thread::Result<()> {
        self.jobs = None;
        self.writer.take().map_or(Ok(()), JoinHandle::join)
    }

    /// Waits for the job out, and keeps its buffer as the spare one.
    fn wait(&mut self) -> io::Result<()> {
        if !self.in_flight {
            return Ok(());
        }
        self.in_flight = false;
        let done = self
            .done
            .recv()
            .map_err(|_| io::Error::other("the direct-write thread stopped"))?;
        self.spare = Some(done.staging);
        done.result
    }

    /// Hands the staged whole blocks to the writing thread and keeps the
    /// partial one staged, in the other buffer.
    fn write_staged(&mut self) -> io::Result<()> {
        let whole = self.staged / ALIGN * ALIGN;
        if whole == 0 {
            return Ok(());
        }
        self.wait()?;
        let mut next = self.spare.take().unwrap_or_else(Staging::new);
        let rest = self.staged - whole;
        let from = self.current.start + whole;
        next.bytes[next.start..next.start + rest]
            .copy_from_slice(&self.current.bytes[from..from + rest]);
        let staging = std::mem::replace(&mut self.current, next);
        let job = Job {
            staging,
            len: whole,
            offset: self.written,
        };
        let jobs = self.jobs.as_ref().expect("jobs are open until finish");
        jobs.send(job)
            .map_err(|_| io::Error::other("the direct-write thread stopped"))?;
        self.in_flight = true;
        self.written += whole as u64;
        self.staged = rest;
        Ok(())
    }
}

/// Lets the writing thread finish the job it has, and ends it.
impl Drop for DirectFile {
    fn drop(&mut self) {
        let _ = self.end_writer();
    }
}

impl Write for DirectFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.staged == STAGING {
            self.write_staged()?;
        }
        let room = STAGING - self.staged;
        let taken = bytes.len().min(room);
        let at = self.current.start + self.staged;
        self.current.bytes[at..at + taken].copy_from_slice(&bytes[..taken]);
        self.staged += taken;
        Ok(taken)
    }

    /// Writes every whole block staged, and waits for the writes; the
    /// last partial block waits for [`DirectFile::finish`] (or for more
    /// bytes).
    fn flush(&mut self) -> io::Result<()> {
        self.write_staged()?;
        self.wait()
    }
}

/// Writes whole blocks at `offset`; where direct writes are refused
/// (alignment, filesystem), the same bytes go the ordinary way, and so do
/// all later ones (the open description is shared).
fn write_blocks(file: &File, blocks: &[u8], offset: u64) -> io::Result<()> {
    match write_all_at(file, blocks, offset) {
        Err(e) if e.kind() == io::ErrorKind::InvalidInput && is_direct(file) => {
            set_direct(file, false)?;
            write_all_at(file, blocks, offset)
        }
        other => other,
    }
}

fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

/// Turns direct writes on or off for `file`'s open description.
fn set_direct(file: &File, direct: bool) -> io::Result<()> {
    use rustix::fs::{fcntl_getfl, fcntl_setfl, OFlags};
    let flags = fcntl_getfl(file)?;
    let flags = if direct {
        flags | OFlags::DIRECT
    } else {
        flags - OFlags::DIRECT
    };
    Ok(fcntl_setfl(file, flags)?)
}

/// Whether `file`'s open description writes direct.
fn is_direct(file: &File) -> bool {
    rustix::fs::fcntl_getfl(file).is_ok_and(|flags| flags.contains(rustix::fs::OFlags::DIRECT))
}

/// The tests' rule for a check that cannot run here (shared with the
/// integration tests): said where `cargo test` shows it, a failure under
/// `POLEGRAPH_REQUIRE_TOOLS=1`.
#[cfg(test)]
#[path = "../../tests/support/skip.rs"]
mod skip;

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the sizes of the writes, the file holds exactly the bytes
    /// written: whole staging buffers, partial blocks, an empty file.
    #[test]
    fn the_file_holds_exactly_the_bytes_written() {
        let dir = tempfile::tempdir().unwrap();
        // Elsewhere, the bytes are still checked; that they went direct not.
        let direct = takes_direct_writes(dir.path());
        for total in [0, 1, ALIGN - 1, ALIGN, 3 * STAGING / 2 + 17, 2 * STAGING] {
            let path = dir.path().join(format!("out-{total}"));
            let bytes: Vec<u8> = (0..total).map(|n| (n * 7 % 251) as u8).collect();
            let mut file = DirectFile::new(File::create(&path).unwrap()).unwrap();
            for piece in bytes.chunks(1_000_003) {
                file.write_all(piece).unwrap();
                file.flush().unwrap();
            }
            if direct {
                assert!(file.is_direct(), "{total} bytes: not written direct");
            }
            file.finish().unwrap();
            assert!(std::fs::read(&path).unwrap() == bytes, "{total} bytes");
        }
    }

    /// Whether the filesystem of `folder` is one known to take direct
    /// writes (ext4, XFS, Btrfs): there, the tests check they were made.
    /// Elsewhere the test says it skipped that check (a failure under
    /// `POLEGRAPH_REQUIRE_TOOLS=1`: point TMPDIR at such a filesystem).
    fn takes_direct_writes(folder: &std::path::Path) -> bool {
        const EXT4: i64 = 0xEF53;
        const XFS: i64 = 0x5846_5342;
        const BTRFS: i64 = 0x9123_683E;
        // `f_type` is an i64 on some targets, a u32 or i32 on others.
        #[allow(clippy::unnecessary_cast)]
        let known = rustix::fs::statfs(folder)
            .is_ok_and(|fs| [EXT4, XFS, BTRFS].contains(&(fs.f_type as i64)));
        if !known {
            super::skip::skip(
                &format!("{} is not on ext4, XFS or Btrfs", folder.display()),
                "set TMPDIR to a folder on one of them",
            );
        }
        known
    }

    /// A direct write refused (here: memory not aligned) is made the
    /// ordinary way, and later writes are ordinary.
    #[test]
    fn a_refused_direct_write_is_made_the_ordinary_way() {
        let dir = tempfile::tempdir().unwrap();
        if !takes_direct_writes(dir.path()) {
            return; // nothing to refuse (the skip is said)
        }
        let path = dir.path().join("out");
        let file = File::create(&path).unwrap();
        set_direct(&file, true).unwrap();
        let bytes: Vec<u8> = (0..2 * ALIGN + 1).map(|n| (n % 13) as u8).collect();
        let start = bytes.as_ptr().align_offset(ALIGN) + 1; // never aligned
        let blocks = &bytes[start..start + ALIGN];
        assert_eq!(
            write_all_at(&file, blocks, 0).map_err(|e| e.kind()),
            Err(io::ErrorKind::InvalidInput),
            "the filesystem took an unaligned direct write"
        );
        write_blocks(&file, blocks, 0).unwrap();
        assert!(!is_direct(&file));
        assert_eq!(std::fs::read(&path).unwrap(), blocks);
    }

    /// A write that fails on the writing thread comes back as an error of
    /// the caller's next write, flush or finish, and nothing hangs.
    #[test]
    fn a_failed_write_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read-only");
        File::create(&path).unwrap();
        let mut file = DirectFile::new(File::open(&path).unwrap()).unwrap();
        let written = file
            .write_all(&vec![1u8; 3 * STAGING])
            .and_then(|()| file.flush());
        assert!(written.is_err(), "writing a read-only handle succeeded");
        let mut file = DirectFile::new(File::open(&path).unwrap()).unwrap();
        file.write_all(&[1u8; 10]).unwrap();
        assert!(file.finish().is_err());
    }
}
