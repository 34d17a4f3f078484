//! The output formats, one enum per family, each with `from_name`,
//! `from_extension` and `file_extension`.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use std::fmt;
use std::path::Path;

/// An RDF serialization polegraph writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphFormat {
    Turtle,
    TriG,
    NTriples,
    NQuads,
    RdfXml,
    JsonLd,
}

impl GraphFormat {
    pub const ALL: &'static [GraphFormat] = &[
        GraphFormat::Turtle,
        GraphFormat::TriG,
        GraphFormat::NTriples,
        GraphFormat::NQuads,
        GraphFormat::RdfXml,
        GraphFormat::JsonLd,
    ];

    /// The names accepted by `--format` (the first is the canonical one).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            GraphFormat::Turtle => &["ttl", "turtle"],
            GraphFormat::TriG => &["trig"],
            GraphFormat::NTriples => &["nt", "ntriples", "n-triples"],
            GraphFormat::NQuads => &["nq", "nquads", "n-quads"],
            GraphFormat::RdfXml => &["rdf", "xml", "rdfxml", "rdf-xml", "owl"],
            GraphFormat::JsonLd => &["jsonld", "json-ld", "json"],
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.names().contains(&name.as_str()))
    }

    /// The format a file name's extension stands for.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "ttl" => Some(GraphFormat::Turtle),
            "trig" => Some(GraphFormat::TriG),
            "nt" => Some(GraphFormat::NTriples),
            "nq" => Some(GraphFormat::NQuads),
            "rdf" | "owl" | "xml" => Some(GraphFormat::RdfXml),
            "jsonld" | "json" => Some(GraphFormat::JsonLd),
            _ => None,
        }
    }

    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::from_extension)
    }

    pub fn file_extension(self) -> &'static str {
        match self {
            GraphFormat::Turtle => "ttl",
            GraphFormat::TriG => "trig",
            GraphFormat::NTriples => "nt",
            GraphFormat::NQuads => "nq",
            GraphFormat::RdfXml => "rdf",
            GraphFormat::JsonLd => "jsonld",
        }
    }

    pub fn media_type(self) -> &'static str {
        self.rdf_format().media_type()
    }

    /// Whether the format keeps named graphs (otherwise the union is written).
    pub fn keeps_graphs(self) -> bool {
        matches!(
            self,
            GraphFormat::TriG | GraphFormat::NQuads | GraphFormat::JsonLd
        )
    }

    pub fn rdf_format(self) -> RdfFormat {
        match self {
            GraphFormat::Turtle => RdfFormat::Turtle,
            GraphFormat::TriG => RdfFormat::TriG,
            GraphFormat::NTriples => RdfFormat::NTriples,
            GraphFormat::NQuads => RdfFormat::NQuads,
            GraphFormat::RdfXml => RdfFormat::RdfXml,
            GraphFormat::JsonLd => RdfFormat::JsonLd {
                profile: oxjsonld::JsonLdProfileSet::empty(),
            },
        }
    }

    /// The accepted names, for messages.
    pub fn expected() -> String {
        Self::ALL
            .iter()
            .map(|f| f.names()[0])
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for GraphFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GraphFormat::Turtle => "Turtle",
            GraphFormat::TriG => "TriG",
            GraphFormat::NTriples => "N-Triples",
            GraphFormat::NQuads => "N-Quads",
            GraphFormat::RdfXml => "RDF/XML",
            GraphFormat::JsonLd => "JSON-LD",
        })
    }
}

/// A format for SELECT and ASK results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SolutionsFormat {
    /// An aligned text table for people to read.
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

impl SolutionsFormat {
    pub const ALL: &'static [SolutionsFormat] = &[
        SolutionsFormat::Table,
        SolutionsFormat::Csv,
        SolutionsFormat::Tsv,
        SolutionsFormat::Json,
        SolutionsFormat::Xml,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SolutionsFormat::Table => "table",
            SolutionsFormat::Csv => "csv",
            SolutionsFormat::Tsv => "tsv",
            SolutionsFormat::Json => "json",
            SolutionsFormat::Xml => "xml",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The sparesults format, or `None` for the text table.
    pub fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            SolutionsFormat::Table => None,
            SolutionsFormat::Csv => Some(QueryResultsFormat::Csv),
            SolutionsFormat::Tsv => Some(QueryResultsFormat::Tsv),
            SolutionsFormat::Json => Some(QueryResultsFormat::Json),
            SolutionsFormat::Xml => Some(QueryResultsFormat::Xml),
        }
    }
}

/// What `query --format` asked for: a results format, a graph format, or
/// one name that means both (`json`: SPARQL JSON results or JSON-LD; `xml`:
/// SPARQL XML results or RDF/XML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryFormat {
    pub solutions: Option<SolutionsFormat>,
    pub graph: Option<GraphFormat>,
}

impl QueryFormat {
    pub fn from_name(name: &str) -> Option<Self> {
        let format = QueryFormat {
            solutions: SolutionsFormat::from_name(name),
            graph: GraphFormat::from_name(name),
        };
        (format.solutions.is_some() || format.graph.is_some()).then_some(format)
    }

    pub fn expected() -> String {
        let solutions: Vec<&str> = SolutionsFormat::ALL.iter().map(|f| f.name()).collect();
        format!(
            "{} for SELECT/ASK; {} for CONSTRUCT/DESCRIBE",
            solutions.join(", "),
            GraphFormat::expected()
        )
    }
}
