//! What an interrupted command leaves behind: nothing.
//!
//! Outputs are written aside (a temporary file, a folder being built) and
//! renamed into place at the end. A command stopped by Ctrl-C or `kill`
//! never reaches its clean-up code, so the half-written file — gigabytes,
//! for a large export — would stay. Each such path is registered here
//! while it is being written; the binary's signal handler calls
//! [`remove_pending`] before it exits.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A path being written, removed if the command is interrupted; dropping
/// the guard (once the path is renamed into place, or removed after a
/// failure) takes it off the list.
#[derive(Debug)]
pub struct Pending(PathBuf);

/// Registers `path` (a file or a folder) as being written.
pub fn pending(path: &Path) -> Pending {
    lock().push(path.to_owned());
    Pending(path.to_owned())
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut paths = lock();
        if let Some(at) = paths.iter().rposition(|p| *p == self.0) {
            paths.remove(at);
        }
    }
}

/// Removes every path being written (for the signal handler; the process
/// is to exit right after). Returns the paths removed.
pub fn remove_pending() -> Vec<PathBuf> {
    let paths = std::mem::take(&mut *lock());
    remove_paths(paths)
}

fn remove_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths
        .into_iter()
        .filter(|path| match std::fs::symlink_metadata(path) {
            Ok(found) if found.is_dir() => remove_folder(path),
            Ok(_) => std::fs::remove_file(path).is_ok(),
            Err(_) => false,
        })
        .collect()
}

/// Removes a folder that other threads may still be writing into (a
/// store's background threads): a file created during the removal makes
/// it fail, so it is tried again, for at most half a second.
fn remove_folder(path: &Path) -> bool {
    for _ in 0..50 {
        match std::fs::remove_dir_all(path) {
            Ok(()) => return true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return true,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    false
}

/// The list, even if a thread panicked while holding it.
fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    // (The list is shared by the whole test process: this test looks at
    // its own paths only, and removes nothing that others registered.)
    #[test]
    fn pending_paths_are_listed_until_their_guard_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("half.nt");
        let folder = dir.path().join("building");
        let done = dir.path().join("done.nt");
        std::fs::write(&file, "half").unwrap();
        std::fs::create_dir_all(folder.join("inner")).unwrap();
        std::fs::write(&done, "whole").unwrap();
        let file_guard = pending(&file);
        let folder_guard = pending(&folder);
        drop(pending(&done));
        let listed: Vec<PathBuf> = lock()
            .iter()
            .filter(|p| p.starts_with(dir.path()))
            .cloned()
            .collect();
        assert_eq!(listed, [file.clone(), folder.clone()]);
        let removed = remove_paths(listed);
        assert_eq!(removed, [file.clone(), folder.clone()]);
        assert!(!file.exists() && !folder.exists() && done.exists());
        drop((file_guard, folder_guard));
        assert!(!lock().iter().any(|p| p.starts_with(dir.path())));
    }
}
