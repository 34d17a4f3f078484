//! What can go wrong in a push, and how it reads.

/// Pushing failed. `request` says what was asked of whom, as
/// `PUT graph <IRI> to http://host/path` (never with credentials).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    #[error("`{url}` is not a usable endpoint URL: {message}")]
    Endpoint { url: String, message: String },
    #[error("{request}: cannot reach the server ({attempts} attempt{})", plural(*.attempts))]
    Unreachable {
        request: String,
        attempts: u32,
        #[source]
        source: std::io::Error,
    },
    #[error("{request}: the server failed with {status} ({attempts} attempt{}){}", plural(*.attempts), excerpt(.body))]
    Server {
        request: String,
        status: u16,
        attempts: u32,
        body: String,
    },
    #[error("{request}: the server refused it with {status}{}{}", hint(*.status), excerpt(.body))]
    Refused {
        request: String,
        status: u16,
        body: String,
    },
    #[error("{request}: the server asks for authentication (401); give --user and --password, or set POLEGRAPH_PUSH_USER and POLEGRAPH_PUSH_PASSWORD")]
    NoCredentials { request: String },
    #[error("{request}: authentication failed for user `{user}` ({scheme}): wrong user name or password?{}", if *.scheme == "Basic" { " (or the server wants digest: try --auth auto)" } else { "" })]
    Unauthorized {
        request: String,
        user: String,
        scheme: &'static str,
    },
    #[error("{request}: the server asks for authentication polegraph does not support ({challenge}); it supports Basic and Digest with MD5")]
    UnsupportedAuth { request: String, challenge: String },
    #[error("graph <{graph}>: {local} triples pushed, but the store counts {remote}")]
    CountMismatch {
        graph: String,
        local: usize,
        remote: usize,
    },
    #[error("{request}: cannot read the count: {message}")]
    Verify { request: String, message: String },
    #[error("the store failed")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("graph <{graph}> has {triples} triples, more than one request of --chunk-size {chunk} holds{}; nothing was sent: give --update URL (the store's SPARQL Update endpoint, e.g. http://localhost:8890/sparql-auth for Virtuoso, http://localhost:3030/DATASET/update for Fuseki) so that it goes into a staging graph and is swapped in whole, or a larger --chunk-size", if *.dataset { " (and --dataset sends every graph through a staging graph)" } else { "" })]
    NeedsUpdate {
        graph: String,
        triples: u64,
        chunk: usize,
        dataset: bool,
    },
    #[error("cannot write the graphs to send in {}", .dir.display())]
    Spool {
        dir: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Input(Box<crate::error::StreamError>),
    #[error("interrupted")]
    Interrupted,
    #[error("{cause}; the store may still be swapping <{staging}> in for <{graph}>, which is then whole once it ends, or else as it was; once the store is idle, drop the staging graph if it is still there: DROP SILENT GRAPH <{staging}> (for a large graph, give a larger --timeout)")]
    SwapUnsure {
        graph: String,
        staging: String,
        cause: Box<PushError>,
    },
    #[error("{cause}; the staging graphs and the graphs this push created (held nothing before) could not be dropped, the store's other graphs are as they were: drop them with DROP SILENT GRAPH <…> for {}", .graphs.join(", "))]
    StagingLeft {
        cause: Box<PushError>,
        graphs: Vec<String>,
    },
}

impl PushError {
    /// A fault of the input, found in the first pass.
    pub fn input(error: impl Into<crate::error::StreamError>) -> Self {
        PushError::Input(Box::new(error.into()))
    }

    /// Whether the fault is in what the user gave (exit code 2).
    ///
    /// Faults of the data are, as in every command, and a graph too large
    /// for one request without an update endpoint; every other push
    /// failure exits with 1, a bad endpoint URL and a wrong password
    /// included (`tests/push.rs` holds the `ftp://` endpoint and the wrong
    /// password to exit 1). Each variant is named so that a new one has to
    /// be decided here.
    pub fn is_usage(&self) -> bool {
        match self {
            PushError::Input(e) => e.is_usage(),
            PushError::NeedsUpdate { .. } => true,
            PushError::StagingLeft { cause, .. } => cause.is_usage(),
            PushError::Endpoint { .. }
            | PushError::Unreachable { .. }
            | PushError::Server { .. }
            | PushError::Refused { .. }
            | PushError::NoCredentials { .. }
            | PushError::Unauthorized { .. }
            | PushError::UnsupportedAuth { .. }
            | PushError::CountMismatch { .. }
            | PushError::Verify { .. }
            | PushError::Storage(_)
            | PushError::Spool { .. }
            | PushError::Interrupted
            | PushError::SwapUnsure { .. } => false,
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A hint for the statuses that mean a wrong URL.
fn hint(status: u16) -> &'static str {
    match status {
        404 | 405 | 501 => {
            " (is the URL the store's Graph Store endpoint? docs/serve.md lists them)"
        }
        _ => "",
    }
}

/// ": first line of the body", or nothing.
fn excerpt(body: &str) -> String {
    let body = if body.to_ascii_lowercase().contains("<html") {
        strip_tags(body)
    } else {
        body.to_owned()
    };
    let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        String::new()
    } else if text.chars().count() > 300 {
        format!(": {}…", text.chars().take(300).collect::<String>())
    } else {
        format!(": {text}")
    }
}

/// The text of an HTML error page (its tags dropped).
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_the_body_without_its_tags() {
        assert_eq!(excerpt(""), "");
        assert_eq!(
            excerpt("<html><body><h1>Not\n Found</h1></body></html>"),
            ": Not Found"
        );
        let long = "x".repeat(301);
        assert_eq!(excerpt(&long), format!(": {}…", &long[..300]));
        let refused = PushError::Refused {
            request: "PUT graph <http://x/g> to http://host/store".into(),
            status: 404,
            body: "no such path".into(),
        };
        assert_eq!(
            refused.to_string(),
            "PUT graph <http://x/g> to http://host/store: the server refused it with 404 (is the URL the store's Graph Store endpoint? docs/serve.md lists them): no such path"
        );
    }

    /// A bad endpoint exits with 1 today, like every push failure.
    #[test]
    fn no_push_failure_is_a_usage_error() {
        let endpoint = PushError::Endpoint {
            url: "ftp://example.org/x".into(),
            message: "give an http:// or https:// URL".into(),
        };
        assert!(!endpoint.is_usage());
    }
}
