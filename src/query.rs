//! SPARQL 1.1 queries over the built graph.
//!
//! The default graph of a query is the union of all named graphs (unless
//! the query names its own dataset with `FROM`), and polegraph's prefixes
//! are predeclared, so `pg:Pole` works without a `PREFIX` line.

use crate::error::QueryError;
use crate::export::{sort_quads, write_quads};
use crate::format::{GraphFormat, QueryFormat, SolutionsFormat};
use crate::iri::{abbreviate, prefixes_for};
use crate::store::KnowledgeGraph;
use oxigraph::model::{GraphName, Quad, Term};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator, Variable};
use std::io::Write;

/// What a query gave, for callers that pick an exit code or a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryOutcome {
    Solutions(usize),
    Boolean(bool),
    Graph(usize),
}

/// How to write each kind of result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputFormats {
    /// The format the user asked for, if any. Asking for a graph format on
    /// a SELECT (or the reverse) is an error.
    pub requested: Option<QueryFormat>,
    pub default_solutions: SolutionsFormat,
    pub default_graph: GraphFormat,
}

impl OutputFormats {
    fn solutions(&self) -> Result<SolutionsFormat, QueryError> {
        match self.requested {
            None => Ok(self.default_solutions),
            Some(QueryFormat { solutions: Some(f), .. }) => Ok(f),
            Some(QueryFormat { graph: Some(g), .. }) => Err(QueryError::Format(format!(
                "`{}` is a graph format, and a SELECT or ASK query gives solutions (use table, csv, tsv, json or xml)",
                g.names()[0]
            ))),
            Some(_) => Ok(self.default_solutions),
        }
    }

    fn graph(&self) -> Result<GraphFormat, QueryError> {
        match self.requested {
            None => Ok(self.default_graph),
            Some(QueryFormat { graph: Some(f), .. }) => Ok(f),
            Some(QueryFormat { solutions: Some(s), .. }) => Err(QueryError::Format(format!(
                "`{}` is a results format, and a CONSTRUCT or DESCRIBE query gives a graph (use {})",
                s.name(),
                GraphFormat::expected()
            ))),
            Some(_) => Ok(self.default_graph),
        }
    }
}

/// Parses `query` with polegraph's prefixes and the union default graph.
pub fn prepare(
    graph: &KnowledgeGraph,
    query: &str,
) -> Result<oxigraph::sparql::PreparedSparqlQuery, QueryError> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, namespace) in prefixes_for(&graph.iris) {
        evaluator = evaluator
            .with_prefix(&prefix, &namespace)
            .map_err(|e| QueryError::Format(format!("bad prefix {prefix}: {e}")))?;
    }
    let mut prepared = evaluator.parse_query(query)?;
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// Runs `query` and writes its results to `out`.
pub fn run<W: Write>(
    graph: &KnowledgeGraph,
    query: &str,
    formats: OutputFormats,
    mut out: W,
) -> Result<(W, QueryOutcome), QueryError> {
    let results = prepare(graph, query)?.on_store(&graph.store).execute()?;
    let outcome = match results {
        QueryResults::Boolean(value) => {
            out = match formats.solutions()?.results_format() {
                Some(format) => QueryResultsSerializer::from_format(format)
                    .serialize_boolean_to_writer(out, value)?,
                None => {
                    writeln!(out, "{value}")?;
                    out
                }
            };
            QueryOutcome::Boolean(value)
        }
        QueryResults::Solutions(solutions) => {
            let format = formats.solutions()?;
            let variables = solutions.variables().to_vec();
            let rows = solutions.collect::<Result<Vec<_>, _>>()?;
            out = write_solutions(graph, &variables, &rows, format, out)?;
            QueryOutcome::Solutions(rows.len())
        }
        QueryResults::Graph(triples) => {
            let format = formats.graph()?;
            let quads = collect_graph(triples, usize::MAX)?.unwrap_or_default();
            out = write_quads(&quads, format, &prefixes_for(&graph.iris), out)?;
            QueryOutcome::Graph(quads.len())
        }
    };
    Ok((out, outcome))
}

/// The triples of a CONSTRUCT or DESCRIBE result as default-graph quads,
/// sorted as exports are and without repeats; `None` if more than `max`
/// come.
pub fn collect_graph(
    triples: oxigraph::sparql::QueryTripleIter<'_>,
    max: usize,
) -> Result<Option<Vec<Quad>>, oxigraph::sparql::QueryEvaluationError> {
    let mut quads = Vec::new();
    for triple in triples {
        if quads.len() == max {
            return Ok(None);
        }
        let t = triple?;
        quads.push(Quad::new(
            t.subject,
            t.predicate,
            t.object,
            GraphName::DefaultGraph,
        ));
    }
    sort_quads(&mut quads);
    quads.dedup();
    Ok(Some(quads))
}

fn write_solutions<W: Write>(
    graph: &KnowledgeGraph,
    variables: &[Variable],
    rows: &[QuerySolution],
    format: SolutionsFormat,
    mut out: W,
) -> Result<W, QueryError> {
    let Some(results_format) = format.results_format() else {
        write_table(graph, variables, rows, &mut out)?;
        return Ok(out);
    };
    let mut serializer = QueryResultsSerializer::from_format(results_format)
        .serialize_solutions_to_writer(out, variables.to_vec())?;
    for row in rows {
        serializer.serialize(row)?;
    }
    Ok(serializer.finish()?)
}

/// An aligned text table: IRIs as prefixed names where a prefix fits,
/// literals as their text (without language tag or datatype).
fn write_table<W: Write>(
    graph: &KnowledgeGraph,
    variables: &[Variable],
    rows: &[QuerySolution],
    out: &mut W,
) -> std::io::Result<()> {
    let prefixes = prefixes_for(&graph.iris);
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            variables
                .iter()
                .map(|v| {
                    row.get(v)
                        .map_or_else(String::new, |t| display_term(t, &prefixes))
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain(std::iter::once(header[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut W, values: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        writeln!(out, "{}", padded.join(" | ").trim_end())
    };
    line(out, &header)?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

/// How a term reads in a table.
pub fn display_term(term: &Term, prefixes: &[(String, String)]) -> String {
    match term {
        Term::NamedNode(n) => abbreviate(n.as_str(), prefixes),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().replace('\n', " "),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}
