//! The handlers: the SPARQL 1.1 Protocol (`/query`), the Graph Store
//! Protocol (`/store`), record paths and the query page.

use super::describe;
use super::drawing::DiagramRequest;
use super::endpoint::Endpoint;
use super::figure::{figure, page_lang};
use super::negotiation::{self, Representation, GRAPHS, HTML, SOLUTIONS};
use super::pages::{self, QueryResult};
use super::response::{response, Failure};
use super::routing::{decode_path, has_parameter, parameter, parameters};
use super::sparql::{evaluate, write_graph, write_solutions, Outcome, QueryRequest};
use crate::diagram::Lang;
use crate::export::{sort_quads, sorted_quads};
use crate::format::GraphFormat;
use crate::iri::{abbreviate, prefixes_for};
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad,
    Term, Triple,
};
use std::io::Read;

/// `name=value` pairs of a query string or form.
type Parameters = Vec<(String, String)>;

const FORM: &str = "application/x-www-form-urlencoded";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";

/// The media type of the request body, lower case, without parameters.
fn content_type(request: &Request<Body>) -> Option<String> {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

fn accept(request: &Request<Body>) -> Option<String> {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The request body, refused with 413 past `max` bytes.
fn read_body(request: &mut Request<Body>, max: usize) -> Result<Vec<u8>, Failure> {
    let too_large = || Failure::too_large(max);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .body_mut()
        .take(max as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {e}"),
            )
        })?;
    if body.len() > max {
        return Err(too_large());
    }
    Ok(body)
}

fn query_parameters(request: &Request<Body>) -> Vec<(String, String)> {
    parameters(request.uri().query().unwrap_or("").as_bytes())
}

fn refuse_update() -> Failure {
    Failure::new(
        StatusCode::FORBIDDEN,
        "updates are refused: this endpoint is read-only (SPARQL 1.1 Query only)",
    )
}

/// The protocol's query and dataset from the URL's and the body's
/// parameters. `None` when no query is given.
fn query_request(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
) -> Result<Option<(QueryRequest, Parameters)>, Failure> {
    let mut params = query_parameters(request);
    let mut direct = None;
    if request.method() == Method::POST {
        let media_type = content_type(request);
        let body = read_body(request, endpoint.options.max_body)?;
        match media_type.as_deref() {
            Some(SPARQL_UPDATE) => return Err(refuse_update()),
            Some(SPARQL_QUERY) => {
                direct = Some(String::from_utf8(body).map_err(|_| {
                    Failure::new(StatusCode::BAD_REQUEST, "the query is not UTF-8")
                })?);
            }
            Some(FORM) => params.extend(parameters(&body)),
            Some(other) => {
                return Err(Failure::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("a POST body of type {other} is not a query (send {FORM} with query=…, or {SPARQL_QUERY})"),
                ))
            }
            None if body.is_empty() => {}
            None => {
                return Err(Failure::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("a POST body needs a Content-Type: {FORM} or {SPARQL_QUERY}"),
                ))
            }
        }
    }
    if has_parameter(&params, "update") {
        return Err(refuse_update());
    }
    let query = match direct {
        Some(text) => text,
        None => match parameter(&params, "query") {
            Some(text) => text.to_owned(),
            None => return Ok(None),
        },
    };
    let values = |name: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let query_request = QueryRequest {
        query,
        default_graphs: values("default-graph-uri"),
        named_graphs: values("named-graph-uri"),
    };
    Ok(Some((query_request, params)))
}

/// The representation to answer with: `format=` if given, else `Accept`.
fn negotiate(
    request: &Request<Body>,
    params: &[(String, String)],
    offers: &[&[(&str, Representation)]],
) -> Result<Representation, Failure> {
    if let Some(name) = parameter(params, "format").or(parameter(params, "output")) {
        return negotiation::from_parameter(name, offers).ok_or_else(|| {
            Failure::new(
                StatusCode::NOT_ACCEPTABLE,
                format!(
                    "format `{name}` is not offered here (offered: {})",
                    negotiation::describe(offers)
                ),
            )
        });
    }
    negotiation::choose(accept(request).as_deref(), offers).ok_or_else(|| {
        Failure::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "none of the Accept header's media types is offered here (offered: {})",
                negotiation::describe(offers)
            ),
        )
    })
}

fn negotiated(representation: Representation, body: Vec<u8>) -> Response<Body> {
    let mut response = response(StatusCode::OK, representation.content_type(), body);
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

fn see_other(location: &str) -> Result<Response<Body>, Failure> {
    let mut response = response(
        StatusCode::SEE_OTHER,
        "text/plain; charset=utf-8",
        Vec::new(),
    );
    let value = HeaderValue::from_str(location)
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    response.headers_mut().insert(header::LOCATION, value);
    Ok(response)
}

fn html(page: String, status: StatusCode) -> Response<Body> {
    let mut response = response(
        status,
        Representation::Html.content_type(),
        page.into_bytes(),
    );
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    // Nothing loads from elsewhere: no script at all, inline style only.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    response
}

fn write_failed(e: std::io::Error) -> Failure {
    Failure::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("cannot write the results: {e}"),
    )
}

/// `/query`: runs a query, or describes the service when none is given.
pub fn query(endpoint: &Endpoint, request: &mut Request<Body>) -> Result<Response<Body>, Failure> {
    let Some((query, params)) = query_request(endpoint, request)? else {
        return service_description(endpoint, request);
    };
    // Parse first, so a bad query is a 400 whatever the Accept header says.
    let outcome = evaluate(&endpoint.graph, &query, endpoint.limits())?;
    let offers: &[&[(&str, Representation)]] = if outcome.is_solutions() {
        &[SOLUTIONS, HTML]
    } else {
        &[GRAPHS, HTML]
    };
    match negotiate(request, &params, offers)? {
        Representation::Html => {
            let page = results_page(endpoint, &query, &outcome, page_lang(&params));
            Ok(html(page, StatusCode::OK))
        }
        Representation::Solutions(format) => {
            let body = write_solutions(&outcome, format).map_err(write_failed)?;
            Ok(negotiated(Representation::Solutions(format), body))
        }
        Representation::Graph(format) => {
            let Outcome::Graph(quads) = &outcome else {
                unreachable!("graph formats are offered for graphs only")
            };
            let body = write_graph(&endpoint.graph, quads, format).map_err(write_failed)?;
            Ok(negotiated(Representation::Graph(format), body))
        }
    }
}

/// The SPARQL 1.1 Service Description of the endpoint.
fn service_description(
    endpoint: &Endpoint,
    request: &Request<Body>,
) -> Result<Response<Body>, Failure> {
    let params = query_parameters(request);
    let representation = negotiate(request, &params, &[GRAPHS, HTML])?;
    let format = match representation {
        Representation::Html => return see_other("/"),
        Representation::Graph(format) => format,
        Representation::Solutions(_) => GraphFormat::Turtle,
    };
    // The Host header names the endpoint as the client reached it; an
    // unusable one falls back to the address the server listens on.
    let path = request.uri().path();
    let url = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| format!("http://{host}{path}"))
        .filter(|url| NamedNode::new(url.as_str()).is_ok())
        .unwrap_or_else(|| format!("http://{}{path}", endpoint.options.bind));
    let quads = describe_service(endpoint, &url)
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let body = write_graph(&endpoint.graph, &quads, format).map_err(write_failed)?;
    Ok(negotiated(representation, body))
}

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const VOID_TRIPLES: &str = "http://rdfs.org/ns/void#triples";

fn describe_service(
    endpoint: &Endpoint,
    url: &str,
) -> Result<Vec<Quad>, Box<dyn std::error::Error>> {
    let store = &endpoint.graph.store;
    let mut quads = Vec::new();
    let mut add = |s: &NamedOrBlankNode, p: &str, o: Term| {
        quads.push(Quad::new(
            s.clone(),
            NamedNode::new_unchecked(p),
            o,
            GraphName::DefaultGraph,
        ));
    };
    let sd = |local: &str| Term::NamedNode(NamedNode::new_unchecked(format!("{SD}{local}")));
    let service: NamedOrBlankNode = NamedNode::new(url)?.into();
    add(&service, RDF_TYPE, sd("Service"));
    add(
        &service,
        &format!("{SD}endpoint"),
        NamedNode::new(url)?.into(),
    );
    add(
        &service,
        &format!("{SD}supportedLanguage"),
        sd("SPARQL11Query"),
    );
    add(&service, &format!("{SD}feature"), sd("UnionDefaultGraph"));
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ] {
        add(
            &service,
            &format!("{SD}resultFormat"),
            NamedNode::new_unchecked(format!("{FORMATS}{format}")).into(),
        );
    }
    let dataset: NamedOrBlankNode = BlankNode::new_unchecked("dataset").into();
    add(
        &service,
        &format!("{SD}defaultDataset"),
        dataset.clone().into(),
    );
    add(&dataset, RDF_TYPE, sd("Dataset"));
    add(
        &dataset,
        "http://purl.org/dc/terms/source",
        NamedNode::new(endpoint.graph.iris.dataset())?.into(),
    );
    let default_graph: NamedOrBlankNode = BlankNode::new_unchecked("default").into();
    add(
        &dataset,
        &format!("{SD}defaultGraph"),
        default_graph.clone().into(),
    );
    add(&default_graph, RDF_TYPE, sd("Graph"));
    let union = endpoint.union_triples()?;
    add(
        &default_graph,
        VOID_TRIPLES,
        Literal::from(union as i64).into(),
    );
    for (i, name) in crate::store::named_graphs(store)?.into_iter().enumerate() {
        let named: NamedOrBlankNode = BlankNode::new_unchecked(format!("named{i}")).into();
        let graph: NamedOrBlankNode = BlankNode::new_unchecked(format!("graph{i}")).into();
        let count = store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(name.as_ref())),
            )
            .count();
        add(&dataset, &format!("{SD}namedGraph"), named.clone().into());
        add(&named, RDF_TYPE, sd("NamedGraph"));
        add(&named, &format!("{SD}name"), name.into());
        add(&named, &format!("{SD}graph"), graph.clone().into());
        add(&graph, RDF_TYPE, sd("Graph"));
        add(&graph, VOID_TRIPLES, Literal::from(count as i64).into());
    }
    sort_quads(&mut quads);
    Ok(quads)
}

/// `/store`: the Graph Store Protocol, read only. `?graph=IRI` gives one
/// named graph, `?default` the default graph (the union of the graphs, as
/// queries see it), and no parameter the whole dataset (with its named
/// graphs in TriG, N-Quads and JSON-LD; as the union in triple formats).
pub fn graph_store(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
) -> Result<Response<Body>, Failure> {
    let params = query_parameters(request);
    let representation = negotiate(request, &params, &[GRAPHS])?;
    let Representation::Graph(format) = representation else {
        unreachable!("only graph formats are offered")
    };
    let store = &endpoint.graph.store;
    let storage = |e: oxigraph::store::StorageError| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the store failed: {e}"),
        )
    };
    let quads = if let Some(iri) = parameter(&params, "graph") {
        let name = NamedNode::new(iri).map_err(|e| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                format!("`{iri}` is not a valid graph IRI: {e}"),
            )
        })?;
        if !store.contains_named_graph(name.as_ref()).map_err(storage)? {
            return Err(Failure::new(
                StatusCode::NOT_FOUND,
                format!("there is no graph <{iri}> (the home page lists the named graphs)"),
            ));
        }
        let mut quads: Vec<Quad> = crate::store::graph_quads(store, name.as_ref())
            .map(|q| {
                q.map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph))
            })
            .collect::<Result<_, _>>()
            .map_err(storage)?;
        sort_quads(&mut quads);
        quads
    } else if has_parameter(&params, "default") {
        let mut quads: Vec<Quad> = sorted_quads(store)
            .map_err(storage)?
            .into_iter()
            .map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph))
            .collect();
        sort_quads(&mut quads);
        quads.dedup();
        quads
    } else {
        sorted_quads(store).map_err(storage)?
    };
    let body = write_graph(&endpoint.graph, &quads, format).map_err(write_failed)?;
    Ok(negotiated(representation, body))
}

/// A record path: the resource's description, or a page about it.
pub fn resource(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
    path: &str,
) -> Result<Response<Body>, Failure> {
    let graph = &endpoint.graph;
    let storage = |e: oxigraph::store::StorageError| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the store failed: {e}"),
        )
    };
    let not_found = || {
        Failure::new(
            StatusCode::NOT_FOUND,
            format!("nothing here: {path} is neither an endpoint (/, /query, /sparql, /store) nor the path of a resource of the graph ({}{{kind}}/{{id}} is served at /{{kind}}/{{id}})", graph.iris.base()),
        )
    };
    let decoded = decode_path(path).ok_or_else(not_found)?;
    let iri = describe::resolve(graph, &decoded)
        .map_err(storage)?
        .ok_or_else(not_found)?;
    let params = query_parameters(request);
    match negotiate(request, &params, &[GRAPHS, HTML])? {
        Representation::Html => {
            let outgoing =
                describe::statements(&graph.store, iri.as_ref(), true).map_err(storage)?;
            let incoming =
                describe::statements(&graph.store, iri.as_ref(), false).map_err(storage)?;
            let record = abbreviate(iri.as_str(), &prefixes_for(&graph.iris));
            let asked = DiagramRequest::neighbourhood(record, page_lang(&params));
            let drawn = endpoint.picture(&asked);
            let figure = figure(&asked, drawn, "the table below lists the same statements.");
            Ok(html(
                pages::resource(graph, iri.as_ref(), &outgoing, &incoming, &figure),
                StatusCode::OK,
            ))
        }
        Representation::Graph(format) => {
            let subject = NamedOrBlankNode::from(iri.clone());
            let quads = describe::concise_bounded_description(&graph.store, subject.as_ref())
                .map_err(storage)?;
            let body = write_graph(graph, &quads, format).map_err(write_failed)?;
            let mut response = negotiated(Representation::Graph(format), body);
            link_header(&mut response, iri.as_ref());
            Ok(response)
        }
        Representation::Solutions(_) => Err(Failure::new(
            StatusCode::NOT_ACCEPTABLE,
            "a resource is described as RDF or HTML",
        )),
    }
}

/// `Link: <IRI>; rel="describes"`, so a client knows which IRI the
/// document is about when the served host differs from the base IRI.
fn link_header(response: &mut Response<Body>, iri: NamedNodeRef<'_>) {
    if let Ok(value) = HeaderValue::from_str(&format!("<{}>; rel=\"describes\"", iri.as_str())) {
        response.headers_mut().insert(header::LINK, value);
    }
}

/// `/`: the query page; with `query=…` it runs the query and shows a table
/// (and draws the graph of a CONSTRUCT); without, it shows the GTI diagram.
pub fn home(endpoint: &Endpoint, request: &mut Request<Body>) -> Result<Response<Body>, Failure> {
    let lang = page_lang(&query_parameters(request));
    let Some((query, _)) = query_request(endpoint, request)? else {
        let asked = DiagramRequest::gti(lang);
        let drawn = endpoint.picture(&asked);
        let figure = figure(
            &asked,
            drawn,
            "each node's page lists its statements; the example queries below ask the same questions.",
        );
        return Ok(html(
            pages::home(
                &endpoint.graph,
                endpoint.quads,
                None,
                QueryResult::None,
                &figure,
            ),
            StatusCode::OK,
        ));
    };
    match evaluate(&endpoint.graph, &query, endpoint.limits()) {
        Ok(outcome) => Ok(html(
            results_page(endpoint, &query, &outcome, lang),
            StatusCode::OK,
        )),
        Err(error) => {
            let failure = Failure::from(error);
            Ok(html(
                pages::home(
                    &endpoint.graph,
                    endpoint.quads,
                    Some(&query.query),
                    QueryResult::Err(&failure.message),
                    "",
                ),
                failure.status,
            ))
        }
    }
}

/// The query page with a query's results: a table, and above it the
/// diagram of a CONSTRUCT's graph.
fn results_page(
    endpoint: &Endpoint,
    query: &QueryRequest,
    outcome: &Outcome,
    lang: Lang,
) -> String {
    let figure = match outcome {
        Outcome::Graph(quads) => {
            let asked = DiagramRequest::of_query(query, lang);
            let triples = quads.iter().cloned().map(Triple::from).collect();
            let drawn = endpoint.picture_of_result(&asked, triples);
            figure(&asked, drawn, "the table below lists the same triples.")
        }
        _ => String::new(),
    };
    pages::home(
        &endpoint.graph,
        endpoint.quads,
        Some(&query.query),
        QueryResult::Ok(outcome),
        &figure,
    )
}
