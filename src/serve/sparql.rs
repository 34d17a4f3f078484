//! Running one query for the endpoint: polegraph's prefixes and union
//! default graph (as `polegraph query`), the protocol's dataset parameters,
//! a time limit enforced by a cancellation token, and a bound on the number
//! of results.

use crate::export::write_quads;
use crate::format::{GraphFormat, SolutionsFormat};
use crate::iri::prefixes_for;
use crate::store::KnowledgeGraph;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, QuerySolution,
    SparqlEvaluator, SparqlSyntaxError, Variable,
};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// A query as the SPARQL 1.1 Protocol carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryRequest {
    pub query: String,
    /// `default-graph-uri` parameters (they override the query's `FROM`).
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` parameters (they override `FROM NAMED`).
    pub named_graphs: Vec<String>,
}

/// What bounds a query's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub timeout: Duration,
    /// The most solutions (or triples) a query may give.
    pub max_results: usize,
}

/// A query's results, collected.
#[derive(Debug)]
pub enum Outcome {
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<QuerySolution>,
    },
    Boolean(bool),
    /// Distinct triples (quads in the default graph), sorted.
    Graph(Vec<Quad>),
}

impl Outcome {
    /// Whether the results are solutions or a boolean (else a graph).
    pub fn is_solutions(&self) -> bool {
        !matches!(self, Outcome::Graph(_))
    }
}

/// Why a query gave no results.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluateError {
    #[error("{0}")]
    Syntax(#[from] SparqlSyntaxError),
    #[error("`{iri}` is not a valid graph IRI: {message}")]
    GraphIri { iri: String, message: String },
    #[error("the query ran longer than the time limit of {} s and was stopped", .0.as_secs_f64())]
    Timeout(Duration),
    #[error("the query gives more than {0} results, the server's limit; add a LIMIT (or ask for fewer results)")]
    TooManyResults(usize),
    #[error("the query failed: {0}")]
    Evaluation(#[source] QueryEvaluationError),
    #[error("cannot prepare the query: {0}")]
    Prepare(String),
}

/// Runs `request` on the graph within `limits`.
///
/// The query runs on a worker thread while the caller waits at most
/// `limits.timeout`: past it, the query's cancellation token is cancelled
/// (the evaluation stops at its next step) and the caller gets
/// [`EvaluateError::Timeout`] at once, without waiting for the worker.
pub fn evaluate(
    graph: &KnowledgeGraph,
    request: &QueryRequest,
    limits: Limits,
) -> Result<Outcome, EvaluateError> {
    let token = CancellationToken::new();
    let prepared = prepare(graph, request, token.clone())?;
    let store = graph.store.clone();
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .name("polegraph query".into())
        .spawn(move || {
            // The caller may be gone (timed out): then nobody reads this.
            let _ = send.send(collect(prepared, &store, limits.max_results));
        })
        .map_err(|e| EvaluateError::Prepare(format!("cannot start the query: {e}")))?;
    let outcome = match receive.recv_timeout(limits.timeout) {
        Ok(outcome) => outcome,
        Err(RecvTimeoutError::Timeout) => {
            token.cancel();
            return Err(EvaluateError::Timeout(limits.timeout));
        }
        Err(RecvTimeoutError::Disconnected) => {
            return Err(EvaluateError::Prepare("the query thread failed".into()))
        }
    };
    outcome.map_err(|e| match e {
        EvaluateError::Evaluation(QueryEvaluationError::Cancelled) => {
            EvaluateError::Timeout(limits.timeout)
        }
        other => other,
    })
}

/// Parses the query with the predeclared prefixes and sets its dataset: the
/// protocol's graphs if given, else the query's `FROM`, else the union.
fn prepare(
    graph: &KnowledgeGraph,
    request: &QueryRequest,
    token: CancellationToken,
) -> Result<PreparedSparqlQuery, EvaluateError> {
    let mut evaluator = SparqlEvaluator::new().with_cancellation_token(token);
    for (prefix, namespace) in prefixes_for(&graph.iris) {
        evaluator = evaluator
            .with_prefix(&prefix, &namespace)
            .map_err(|e| EvaluateError::Prepare(format!("bad prefix {prefix}: {e}")))?;
    }
    let mut prepared = evaluator.parse_query(&request.query)?;
    let graph_iri = |iri: &String| {
        NamedNode::new(iri.as_str()).map_err(|e| EvaluateError::GraphIri {
            iri: iri.clone(),
            message: e.to_string(),
        })
    };
    if !request.default_graphs.is_empty() || !request.named_graphs.is_empty() {
        let defaults = request
            .default_graphs
            .iter()
            .map(|iri| graph_iri(iri).map(GraphName::from))
            .collect::<Result<Vec<_>, _>>()?;
        let named = request
            .named_graphs
            .iter()
            .map(|iri| graph_iri(iri).map(NamedOrBlankNode::from))
            .collect::<Result<Vec<_>, _>>()?;
        let dataset = prepared.dataset_mut();
        dataset.set_default_graph(defaults);
        dataset.set_available_named_graphs(named);
    } else if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// Executes and collects at most `max_results` results.
fn collect(
    prepared: PreparedSparqlQuery,
    store: &oxigraph::store::Store,
    max_results: usize,
) -> Result<Outcome, EvaluateError> {
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(EvaluateError::Evaluation)?;
    match results {
        QueryResults::Boolean(value) => Ok(Outcome::Boolean(value)),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for solution in solutions {
                if rows.len() == max_results {
                    return Err(EvaluateError::TooManyResults(max_results));
                }
                rows.push(solution.map_err(EvaluateError::Evaluation)?);
            }
            Ok(Outcome::Solutions { variables, rows })
        }
        QueryResults::Graph(triples) => crate::query::collect_graph(triples, max_results)
            .map_err(EvaluateError::Evaluation)?
            .map(Outcome::Graph)
            .ok_or(EvaluateError::TooManyResults(max_results)),
    }
}

/// Writes solutions (or a boolean) in a SPARQL results format.
pub fn write_solutions(outcome: &Outcome, format: SolutionsFormat) -> std::io::Result<Vec<u8>> {
    let results_format = format
        .results_format()
        .unwrap_or(oxigraph::sparql::results::QueryResultsFormat::Json);
    let serializer = QueryResultsSerializer::from_format(results_format);
    match outcome {
        Outcome::Boolean(value) => serializer.serialize_boolean_to_writer(Vec::new(), *value),
        Outcome::Solutions { variables, rows } => {
            let mut writer =
                serializer.serialize_solutions_to_writer(Vec::new(), variables.clone())?;
            for row in rows {
                writer.serialize(row)?;
            }
            writer.finish()
        }
        Outcome::Graph(_) => Err(std::io::Error::other(
            "a graph cannot be written as SPARQL results",
        )),
    }
}

/// Writes triples in an RDF format, with polegraph's prefixes.
pub fn write_graph(
    graph: &KnowledgeGraph,
    quads: &[Quad],
    format: GraphFormat,
) -> std::io::Result<Vec<u8>> {
    write_quads(quads, format, &prefixes_for(&graph.iris), Vec::new())
}
