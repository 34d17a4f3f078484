//! Why drawing a diagram failed, and the suggestion an unknown name gets.

use super::options::CENTRE;
use crate::error::QueryError;
use oxigraph::store::StorageError;
use std::path::PathBuf;

/// Drawing a diagram failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiagramError {
    #[error("the store failed")]
    Storage(#[from] StorageError),
    #[error("cannot read the tables")]
    Stream(#[source] crate::error::StreamError),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("--query needs a CONSTRUCT query (it draws the graph the query builds); this is a {0} query")]
    NotConstruct(&'static str),
    #[error("the default diagram centres on the GTI, and the data has no organisation `{CENTRE}` ({iri}); draw a record with --focus ID, or everything with --all")]
    NoCentre { iri: String },
    #[error("unknown record `{given}`{}", did_you_mean(suggestion))]
    UnknownRecord {
        given: String,
        suggestion: Option<String>,
    },
    #[error("`{given}` names several records ({}); give one of these IRIs", iris.join(", "))]
    AmbiguousRecord { given: String, iris: Vec<String> },
    #[error("unknown class or property `{given}`{}", did_you_mean(suggestion))]
    UnknownTerm {
        given: String,
        suggestion: Option<String>,
    },
    #[error("`{given}` is not a prefixed name (like `pg:Pole`) or an IRI")]
    BadTerm { given: String },
    #[error("Graphviz `dot` was not found: install Graphviz (`apt-get install graphviz` on Debian and Ubuntu, `brew install graphviz` on macOS), or write DOT with `-o FILE.dot`")]
    GraphvizMissing,
    #[error("cannot run Graphviz `dot`")]
    GraphvizSpawn(#[source] std::io::Error),
    #[error("Graphviz `dot` failed ({status}): {stderr}")]
    Graphviz { status: String, stderr: String },
    #[error("Graphviz `dot` ran longer than {} s and was stopped", .0.as_secs_f64())]
    GraphvizTimeout(std::time::Duration),
    #[error("this diagram has {nodes} nodes, more than the {max} allowed: ask for less (a smaller selection, --include or --exclude, a LIMIT in the query)")]
    TooManyNodes { nodes: usize, max: usize },
    #[error("Graphviz `dot` drew more than {0} bytes and was stopped")]
    GraphvizTooLarge(usize),
    #[error(transparent)]
    Target(#[from] crate::io::target::TargetError),
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DiagramError {
    /// Whether the fault is in what the user asked for (exit code 2).
    pub fn is_usage(&self) -> bool {
        match self {
            DiagramError::Query(e) => e.is_usage(),
            DiagramError::Stream(e) => e.is_usage(),
            DiagramError::Target(e) => e.is_usage(),
            _ => self.is_request_fault(),
        }
    }

    /// The faults in what the diagram was asked to show.
    fn is_request_fault(&self) -> bool {
        matches!(
            self,
            DiagramError::NotConstruct(_)
                | DiagramError::NoCentre { .. }
                | DiagramError::UnknownRecord { .. }
                | DiagramError::AmbiguousRecord { .. }
                | DiagramError::UnknownTerm { .. }
                | DiagramError::BadTerm { .. }
        )
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map_or_else(String::new, |s| format!(" (did you mean `{s}`?)"))
}

/// The candidate closest to `given`, if one is close enough to suggest (by
/// the rule of every "did you mean", [`crate::model::closest`]).
pub(super) fn suggest(given: &str, candidates: impl Iterator<Item = String>) -> Option<String> {
    let candidates: Vec<String> = candidates.collect();
    let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
    crate::model::closest(given, &candidates).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_or_absent() {
        let ids = || ["dge", "diact", "gti"].into_iter().map(String::from);
        assert_eq!(suggest("dgee", ids()), Some("dge".to_owned()));
        assert_eq!(suggest("zzzzzzzz", ids()), None);
        // Two letters of three wrong is no typo.
        assert_eq!(suggest("xyi", ids()), None);
    }
}
