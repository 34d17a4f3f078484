//! What an interrupted command leaves behind: nothing.
//!
//! Outputs are written aside (a temporary file, a folder being built) and
//! renamed into place at the end. A command stopped by Ctrl-C or `kill`
//! never reaches its clean-up code, so the half-written file — gigabytes,
//! for a large export — would stay. Each such path is registered here
//! while it is being written; the binary's signal handler calls [`stop`].
//!
//! One lock orders the two threads: the handler takes it and keeps it
//! until the process ends, and a path is renamed into place only under it
//! ([`Pending::commit`]). So the handler never removes a path that has
//! become the user's output, and never stops a command between the
//! renames that swap a new store or bundle in for the old one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Clean-ups of what is not a path (a push's graphs in a remote store),
/// run by [`stop`] before the paths are removed.
static HOOKS: Mutex<Vec<(u64, Hook)>> = Mutex::new(Vec::new());
static NEXT_HOOK: AtomicU64 = AtomicU64::new(0);

/// A path being written, removed if the command is interrupted. Dropping
/// the guard (after removing the path on a failure) takes it off the list;
/// [`Pending::commit`] puts it in place.
#[derive(Debug)]
pub struct Pending(Option<PathBuf>);

/// Registers `path` (a file or a folder) as being written.
pub fn pending(path: &Path) -> Pending {
    lock().push(path.to_owned());
    Pending(Some(path.to_owned()))
}

impl Pending {
    /// Runs `put_in_place` (the renames that make the path the user's
    /// output) and takes the path off the list, with no interruption
    /// between: an interruption waits for both, or comes before both.
    pub fn commit<R>(mut self, put_in_place: impl FnOnce() -> R) -> R {
        let mut paths = lock();
        let done = put_in_place();
        if let Some(path) = self.0.take() {
            unlist(&mut paths, &path);
        }
        done
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            unlist(&mut lock(), &path);
        }
    }
}

fn unlist(paths: &mut Vec<PathBuf>, path: &Path) {
    if let Some(at) = paths.iter().rposition(|p| p == path) {
        paths.remove(at);
    }
}

/// A clean-up that [`stop`] runs while the guard lives (dropping the
/// guard takes it off the list).
#[derive(Debug)]
pub struct OnStop(u64);

/// Registers `hook`, to run if the command is interrupted: it undoes what
/// the command was doing outside the file system (a push drops the graphs
/// it was loading). It runs on the signal handler's thread while the
/// command's threads go on, so it must stop them itself.
pub fn on_stop(hook: impl Fn() + Send + Sync + 'static) -> OnStop {
    let id = NEXT_HOOK.fetch_add(1, Ordering::SeqCst);
    hooks().push((id, Arc::new(hook)));
    OnStop(id)
}

impl Drop for OnStop {
    fn drop(&mut self) {
        hooks().retain(|(id, _)| *id != self.0);
    }
}

type Hook = Arc<dyn Fn() + Send + Sync>;

fn hooks() -> std::sync::MutexGuard<'static, Vec<(u64, Hook)>> {
    HOOKS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// For the signal handler: runs the clean-ups of [`on_stop`], removes
/// every path being written, then runs
/// `end`, which is to end the process, without letting go of the list, so
/// that nothing is put in place meanwhile (should `end` return, the
/// process aborts).
pub fn stop(end: impl FnOnce()) -> ! {
    INTERRUPTED.store(true, Ordering::SeqCst);
    // Run without holding the list: a hook's guard may be dropped meanwhile.
    let running: Vec<_> = hooks().iter().map(|(_, hook)| Arc::clone(hook)).collect();
    for hook in running {
        hook();
    }
    let mut paths = lock();
    remove_paths(std::mem::take(&mut *paths));
    end();
    std::process::abort()
}

/// Whether the command is being stopped (the main thread then waits for
/// the end rather than report a failure the interruption caused).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
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
