//! How many connections the process can hold: each takes a file
//! descriptor, and a server past its open-file limit can neither accept
//! nor answer 503, so the limit is raised to the hard limit where the
//! system allows and the connection cap kept below it.

/// Descriptors kept for everything else (the store, logs, refusals).
const RESERVED: u64 = 256;

/// `requested`, lowered to what the open-file limit allows (after raising
/// the soft limit towards the hard one).
pub fn connections_allowed(requested: usize) -> usize {
    match open_files(requested as u64 + RESERVED) {
        Some(limit) => requested.min(limit.saturating_sub(RESERVED).max(1) as usize),
        None => requested,
    }
}

/// Raises the soft open-file limit to `wanted` (at most the hard limit);
/// gives the soft limit then in force, `None` if unlimited or unknown.
#[cfg(target_os = "linux")]
fn open_files(wanted: u64) -> Option<u64> {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut limit = getrlimit(Resource::Nofile);
    let current = limit.current?;
    if current < wanted {
        let raised = limit.maximum.map_or(wanted, |hard| hard.min(wanted));
        limit.current = Some(raised);
        if setrlimit(Resource::Nofile, limit).is_ok() {
            return Some(raised);
        }
    }
    Some(current)
}

#[cfg(not(target_os = "linux"))]
fn open_files(_wanted: u64) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_request_is_kept() {
        assert_eq!(connections_allowed(10), 10);
    }
}
