//! Plumbing that is not the domain: where outputs go and how they are
//! written.
//!
//! - [`atomic`]: the one rule for writing a file or folder aside and
//!   renaming it into place;
//! - [`target`]: what an output path names (a file, a device or pipe,
//!   standard output);
//! - [`interrupt`]: what an interrupted command leaves behind (nothing);
//! - [`write_behind`]: a writing thread that takes whole buffers;
//! - [`direct_file`] (Linux): files written around the page cache.

pub mod atomic;
#[cfg(target_os = "linux")]
pub mod direct_file;
pub mod interrupt;
pub mod target;
pub mod write_behind;
