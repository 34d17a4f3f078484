//! Questions to the store's query endpoint: whether a graph holds
//! anything before the push, and `--verify`'s count of each graph after.

use super::client::HttpClient;
use super::error::PushError;
use super::events::{retry_event, PushEvent};
use oxhttp::model::{header, Method};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};

/// `SELECT (COUNT(*) AS ?n) FROM <g> WHERE { ?s ?p ?o }` on the store.
/// (`FROM` rather than `GRAPH`: some stores, Virtuoso among them, are
/// stricter with `GRAPH`.)
pub(super) fn count_remote(
    client: &mut HttpClient,
    query_url: &url::Url,
    graph: &NamedNode,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<usize, PushError> {
    let query = format!(
        "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ ?s ?p ?o }}",
        graph.as_str()
    );
    let request = format!("count of graph <{}> from {query_url}", graph.as_str());
    let failed = |message: String| PushError::Verify {
        request: request.clone(),
        message,
    };
    let (body, format) = ask(client, query_url, &query, &request, on_event)?;
    let parsed = QueryResultsParser::from_format(format)
        .for_slice(&body)
        .map_err(|e| failed(e.to_string()))?;
    let SliceQueryResultsParserOutput::Solutions(mut solutions) = parsed else {
        return Err(failed("the answer is a boolean".into()));
    };
    let solution = solutions
        .next()
        .ok_or_else(|| failed("the answer has no row".into()))?
        .map_err(|e| failed(e.to_string()))?;
    match solution
        .get("n")
        .or_else(|| solution.values().iter().flatten().next())
    {
        Some(Term::Literal(l)) => l
            .value()
            .parse::<usize>()
            .map_err(|_| failed(format!("`{}` is not a count", l.value()))),
        other => Err(failed(format!("no count in the answer ({other:?})"))),
    }
}

/// Whether the store's graph holds any triple: `ASK FROM <g> { ?s ?p ?o }`.
pub(super) fn holds_triples(
    client: &mut HttpClient,
    query_url: &url::Url,
    graph: &NamedNode,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<bool, PushError> {
    let query = format!("ASK FROM <{}> WHERE {{ ?s ?p ?o }}", graph.as_str());
    let request = format!(
        "whether graph <{}> holds triples, from {query_url}",
        graph.as_str()
    );
    let failed = |message: String| PushError::Verify {
        request: request.clone(),
        message,
    };
    let (body, format) = ask(client, query_url, &query, &request, on_event)?;
    match QueryResultsParser::from_format(format).for_slice(&body) {
        Ok(SliceQueryResultsParserOutput::Boolean(answer)) => Ok(answer),
        Ok(SliceQueryResultsParserOutput::Solutions(_)) => {
            Err(failed("the answer is not a boolean".into()))
        }
        Err(e) => Err(failed(e.to_string())),
    }
}

/// Sends `query` and returns the answer's body and results format.
fn ask(
    client: &mut HttpClient,
    query_url: &url::Url,
    query: &str,
    request: &str,
    on_event: &mut dyn FnMut(PushEvent),
) -> Result<(Vec<u8>, QueryResultsFormat), PushError> {
    let mut url = query_url.clone();
    url.query_pairs_mut().append_pair("query", query);
    let failed = |message: String| PushError::Verify {
        request: request.to_owned(),
        message,
    };
    let response = client.send(
        request,
        Method::GET,
        &url,
        None,
        Some("application/sparql-results+json, application/sparql-results+xml;q=0.9"),
        &mut |retry| on_event(retry_event(retry)),
    )?;
    let media_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let format = QueryResultsFormat::from_media_type(&media_type)
        .or_else(|| {
            media_type
                .contains("json")
                .then_some(QueryResultsFormat::Json)
        })
        .or_else(|| {
            media_type
                .contains("xml")
                .then_some(QueryResultsFormat::Xml)
        })
        .ok_or_else(|| failed(format!("the answer is `{media_type}`, not SPARQL results")))?;
    let body = response
        .into_body()
        .to_vec()
        .map_err(|e| failed(format!("cannot read the answer: {e}")))?;
    Ok((body, format))
}
