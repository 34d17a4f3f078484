//! The library's error types.

use std::fmt;
use std::path::PathBuf;

/// One fault in the data: where it is, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (CSV column number, or TOML column), when known.
    pub column: Option<usize>,
    /// The field (or CSV column) at fault, when there is one.
    pub field: Option<String>,
    /// What is wrong, with the fix when there is an obvious one.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line.filter(|&l| l > 0) {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All the faults found in a data folder (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(
            f,
            "the data has {count} error{}:",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DataErrors {}

/// Loading a data folder failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file or folder could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The data is faulty; every fault found is listed.
    #[error(transparent)]
    Data(#[from] DataErrors),
}

/// Building the graph failed (after the data was loaded and checked).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error("invalid base IRI `{iri}` (give an absolute IRI ending with `/` or `#`, e.g. https://example.org/polegraph/)")]
    BaseIri {
        iri: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
    #[error(
        "the base IRI `{0}` must end with `/` or `#` so that record IRIs can be appended to it"
    )]
    BaseIriEnd(String),
    #[error("the embedded ontology does not parse")]
    Ontology(#[source] oxigraph::io::RdfParseError),
    #[error("the store failed")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("mapping the records failed")]
    Map(#[source] std::io::Error),
    #[error("a record produced an invalid IRI `{iri}`")]
    Iri {
        iri: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
}

/// Running a SPARQL query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    #[error("the query does not parse")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    #[error("the query failed")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    #[error("cannot write the results")]
    Write(#[from] std::io::Error),
    #[error("{0}")]
    Format(String),
}

/// Writing an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error("cannot write the export")]
    Write(#[from] std::io::Error),
    #[error("the store failed")]
    Storage(#[from] oxigraph::store::StorageError),
}

/// Validating the graph against SHACL shapes failed, or found violations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// The shapes graph is not valid Turtle.
    #[error("the shapes graph does not parse")]
    ShapesSyntax(#[source] oxigraph::io::RdfParseError),
    /// A shape is malformed, or uses a SHACL feature polegraph does not
    /// implement.
    #[error("shape {shape}: {message}")]
    Shape { shape: String, message: String },
    #[error("the store failed")]
    Storage(#[from] oxigraph::store::StorageError),
    /// The graph has validation results of severity `sh:Violation`.
    #[error(
        "the graph does not conform to the shapes: {violations} violation{}",
        if *violations == 1 { "" } else { "s" }
    )]
    DoesNotConform { violations: usize },
    #[error("cannot write the validation report")]
    Write(#[from] std::io::Error),
}

/// Writing a publication bundle (`export --bundle`) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The target exists and is not an empty folder (and `--force` was not
    /// given), or is not a folder at all.
    #[error("{}: {}", .0.display(), .1)]
    NotEmpty(PathBuf, &'static str),
    #[error("cannot write {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the store failed")]
    Storage(#[from] oxigraph::store::StorageError),
}

/// The data a command was given cannot be read as an input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("--data {}: not a folder (give the folder that holds the *.toml and *.csv files)", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot read the folder {}", dir.display())]
    Unreadable {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Reading, mapping or building the graph of an input failed (a streamed
/// input's faults are found as it is read, so they come with the rest).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("cannot write the export")]
    Write(#[from] std::io::Error),
}

// Whether an error is the user's to fix (what they gave: arguments, data,
// query or shapes text) rather than a failure of the machine. The binary
// reads it for the exit code (2, or 1).

impl LoadError {
    pub fn is_usage(&self) -> bool {
        matches!(self, LoadError::Data(_))
    }
}

impl BuildError {
    pub fn is_usage(&self) -> bool {
        matches!(self, BuildError::BaseIri { .. } | BuildError::BaseIriEnd(_))
    }
}

impl InputError {
    pub fn is_usage(&self) -> bool {
        matches!(self, InputError::NotAFolder(_))
    }
}

impl StreamError {
    pub fn is_usage(&self) -> bool {
        match self {
            StreamError::Load(e) => e.is_usage(),
            StreamError::Build(e) => e.is_usage(),
            StreamError::Write(_) => false,
        }
    }
}

impl QueryError {
    pub fn is_usage(&self) -> bool {
        matches!(self, QueryError::Syntax(_) | QueryError::Format(_))
    }
}

impl ExportError {
    pub fn is_usage(&self) -> bool {
        false
    }
}

impl ValidateError {
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ValidateError::DoesNotConform { .. }
                | ValidateError::ShapesSyntax(_)
                | ValidateError::Shape { .. }
        )
    }
}

impl BundleError {
    pub fn is_usage(&self) -> bool {
        matches!(self, BundleError::NotEmpty(..))
    }
}
