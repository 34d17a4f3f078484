//! Writing a large file around the page cache (Linux `O_DIRECT`).
//!
//! A streamed export writes gigabytes that nothing reads back at once.
//! Through the page cache, every byte is first copied into a freshly taken
//! page of memory — on virtual machines the dearest part of the export
//! (measured: 4.4 GB took 5–9 s of kernel time, against 0.2 s and 1.6–2 s
//! of waiting for the device when written direct) — and gigabytes of dirty
//! pages push other programs' memory out. Written direct, the bytes go from
//! an aligned staging buffer to the device, and memory stays flat.
//!
//! Direct writes need aligned memory, offsets and lengths, so bytes are
//! staged in a buffer of [`STAGING`] bytes and written a buffer at a time;
//! the last partial block is written once direct writes are turned off. A
//! file smaller than a block is written the ordinary way only. Where the
//! system or the filesystem refuses direct writes (not Linux, tmpfs before
//! Linux 6.6, some network filesystems, a device with larger blocks), the
//! file is written the ordinary way from then on: the bytes are the same
//! either way.

use std::fs::File;
use std::io::{self, Write};

/// Alignment of direct writes: memory, file offsets and lengths (the
/// logical block size of nearly every device; a larger one makes the
/// direct write fail, and ordinary writes take over).
const ALIGN: usize = 4096;

/// Bytes gathered before a direct write.
pub const STAGING: usize = 8 << 20;

/// A file written from offset 0, direct where the system allows it.
pub struct DirectFile {
    file: File,
    /// Whether `file` is open for direct writes (until they are refused).
    direct: bool,
    /// Holds `STAGING + ALIGN` bytes; the staged bytes start at `start`,
    /// which is aligned.
    staging: Vec<u8>,
    start: usize,
    staged: usize,
    /// Bytes written to the file so far.
    written: u64,
}

impl DirectFile {
    /// Writes `file` (empty, such as a fresh temporary file) from its
    /// start. The file's open description turns direct: a handle cloned
    /// from the same one writes direct too until [`DirectFile::finish`].
    pub fn new(file: File) -> Self {
        let staging = vec![0u8; STAGING + ALIGN];
        let start = staging.as_ptr().align_offset(ALIGN);
        let direct = set_direct(&file, true).is_ok();
        DirectFile {
            file,
            direct,
            staging,
            start,
            staged: 0,
            written: 0,
        }
    }

    /// Whether writes still go around the page cache.
    pub fn is_direct(&self) -> bool {
        self.direct
    }

    /// Writes every staged byte, and returns the file, no longer direct.
    pub fn finish(mut self) -> io::Result<File> {
        self.write_staged()?;
        self.stop_direct()?;
        let tail = &self.staging[self.start..self.start + self.staged];
        write_all_at(&self.file, tail, self.written)?;
        Ok(self.file)
    }

    fn stop_direct(&mut self) -> io::Result<()> {
        if self.direct {
            set_direct(&self.file, false)?;
            self.direct = false;
        }
        Ok(())
    }

    /// Writes the staged whole blocks and keeps the partial one staged.
    fn write_staged(&mut self) -> io::Result<()> {
        let whole = self.staged / ALIGN * ALIGN;
        if whole == 0 {
            return Ok(());
        }
        let blocks = self.start..self.start + whole;
        match write_all_at(&self.file, &self.staging[blocks.clone()], self.written) {
            Ok(()) => {}
            Err(e) if self.direct && e.kind() == io::ErrorKind::InvalidInput => {
                // Refused (alignment, filesystem): write the same bytes at
                // the same place the ordinary way, from now on.
                self.stop_direct()?;
                write_all_at(&self.file, &self.staging[blocks], self.written)?;
            }
            Err(e) => return Err(e),
        }
        self.written += whole as u64;
        self.staging
            .copy_within(self.start + whole..self.start + self.staged, self.start);
        self.staged -= whole;
        Ok(())
    }
}

impl Write for DirectFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.staged == STAGING {
            self.write_staged()?;
        }
        let room = STAGING - self.staged;
        let taken = bytes.len().min(room);
        let at = self.start + self.staged;
        self.staging[at..at + taken].copy_from_slice(&bytes[..taken]);
        self.staged += taken;
        Ok(taken)
    }

    /// Writes every whole block staged; the last partial block waits for
    /// [`DirectFile::finish`] (or for more bytes).
    fn flush(&mut self) -> io::Result<()> {
        self.write_staged()
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

/// Turns direct writes on or off for `file`'s open description.
#[cfg(target_os = "linux")]
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

#[cfg(not(target_os = "linux"))]
fn set_direct(_: &File, direct: bool) -> io::Result<()> {
    if direct {
        Err(io::ErrorKind::Unsupported.into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the sizes of the writes, the file holds exactly the bytes
    /// written: whole staging buffers, partial blocks, an empty file.
    #[test]
    fn the_file_holds_exactly_the_bytes_written() {
        let dir = tempfile::tempdir().unwrap();
        for total in [0, 1, ALIGN - 1, ALIGN, 3 * STAGING / 2 + 17, 2 * STAGING] {
            let path = dir.path().join(format!("out-{total}"));
            let bytes: Vec<u8> = (0..total).map(|n| (n * 7 % 251) as u8).collect();
            let mut file = DirectFile::new(File::create(&path).unwrap());
            for piece in bytes.chunks(1_000_003) {
                file.write_all(piece).unwrap();
                file.flush().unwrap();
            }
            file.finish().unwrap();
            assert!(std::fs::read(&path).unwrap() == bytes, "{total} bytes");
        }
    }
}
