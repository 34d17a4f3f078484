//! One line per request, for the caller's logger.

use hyper::Uri;
use std::fmt;
use std::time::Duration;

/// What the endpoint did for one request: one log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    /// The path and query string, cut to 200 characters.
    pub target: String,
    pub status: u16,
    /// The size of the response body, when known.
    pub bytes: Option<u64>,
    pub elapsed: Duration,
}

impl fmt::Display for RequestLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.method, self.target, self.status)?;
        if let Some(bytes) = self.bytes {
            write!(f, " {bytes} B")?;
        }
        write!(f, " {} ms", self.elapsed.as_millis())
    }
}

/// The path and query string of a request, cut to 200 characters.
pub(super) fn log_target(uri: &Uri) -> String {
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    if target.chars().count() > 200 {
        target.chars().take(199).chain(['…']).collect()
    } else {
        target
    }
}
