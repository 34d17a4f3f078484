//! Diagrams drawn by the endpoint: `/diagram` answers SVG (or DOT), and the
//! pages show the same pictures ([`super::figure`]).
//!
//! A diagram is asked by the parameters of `polegraph dot`: `focus` and
//! `depth`, `query` (a CONSTRUCT), `all`, `lang`, `cluster-by`,
//! `expand-poles`, `include`, `exclude`, `rankdir`, and `format` (`svg` or
//! `dot`). Drawing is bounded:
//! - a focus diagram keeps the records nearest the focus within the
//!   endpoint's node limit and says how many it left out; any other
//!   diagram over the limit is refused (422) before Graphviz runs;
//! - Graphviz runs with only `-Tsvg` on its command line (the DOT text,
//!   which holds user text, goes through its input), at most one per core
//!   at once, and is killed at the endpoint's time limit (503);
//! - where Graphviz is missing, the answer says so at once (503) and
//!   points to the DOT text.
//!
//! The served graph does not change, so pictures are kept and the records
//! are read from the store once per language ([`super::pictures`]).

use super::endpoint::Endpoint;
use super::pictures::{Picture, MAX_PICTURE_BYTES};
use super::response::{response, Failure};
use super::routing::parameters;
use super::sparql::{evaluate, Outcome, QueryRequest};
use crate::diagram::{
    self, ClusterBy, Diagram, DiagramError, DiagramOptions, Lang, OutputFormat, RankDir, Records,
    Selection,
};
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::model::Triple;
use std::sync::Arc;
use std::time::Instant;

/// What a diagram request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DiagramRequest {
    pub options: DiagramOptions,
    /// A CONSTRUCT (or DESCRIBE) query whose result is drawn, with its
    /// dataset (`default-graph-uri`, `named-graph-uri`).
    pub query: Option<QueryRequest>,
    pub format: OutputFormat,
}

impl DiagramRequest {
    /// The diagram of `parameters` (a query string's pairs).
    pub fn from_parameters(parameters: &[(String, String)]) -> Result<Self, Failure> {
        let bad = |name: &str, value: &str, expected: &str| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                format!("`{name}={value}` is not understood: {name} is {expected}"),
            )
        };
        let mut options = DiagramOptions::default();
        let mut query: Option<String> = None;
        let (mut default_graphs, mut named_graphs) = (Vec::new(), Vec::new());
        let mut format = OutputFormat::Svg;
        let (mut focus, mut depth, mut all) = (None, None, false);
        for (name, value) in parameters {
            let value = value.as_str();
            match name.as_str() {
                "focus" => focus = Some(value.to_owned()),
                "depth" => {
                    depth = Some(value.parse::<usize>().ok().filter(|d| *d <= 10).ok_or_else(
                        || bad(name, value, "a number of links from 0 to 10"),
                    )?)
                }
                "query" => query = Some(value.to_owned()),
                "default-graph-uri" => default_graphs.push(value.to_owned()),
                "named-graph-uri" => named_graphs.push(value.to_owned()),
                "all" => all = flag(value).ok_or_else(|| bad(name, value, "true or false"))?,
                "expand-poles" => {
                    options.expand_poles =
                        flag(value).ok_or_else(|| bad(name, value, "true or false"))?
                }
                "lang" => {
                    options.lang = match value {
                        "fr" => Lang::Fr,
                        "en" => Lang::En,
                        _ => return Err(bad(name, value, "fr or en")),
                    }
                }
                "cluster-by" => {
                    options.cluster_by = match value {
                        "ministry" => ClusterBy::Ministry,
                        "kind" => ClusterBy::Kind,
                        "none" => ClusterBy::None,
                        _ => return Err(bad(name, value, "ministry, kind or none")),
                    }
                }
                "rankdir" => {
                    options.rankdir = match value.to_ascii_uppercase().as_str() {
                        "TB" => RankDir::TopBottom,
                        "LR" => RankDir::LeftRight,
                        "BT" => RankDir::BottomTop,
                        "RL" => RankDir::RightLeft,
                        _ => return Err(bad(name, value, "TB, LR, BT or RL")),
                    }
                }
                "include" | "exclude" => {
                    let terms = value
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned);
                    match name.as_str() {
                        "include" => options.include.extend(terms),
                        _ => options.exclude.extend(terms),
                    }
                }
                "format" => {
                    format = match value {
                        "svg" => OutputFormat::Svg,
                        "dot" | "gv" => OutputFormat::Dot,
                        _ => return Err(bad(name, value, "svg or dot")),
                    }
                }
                _ => {
                    return Err(Failure::new(
                        StatusCode::BAD_REQUEST,
                        format!("unknown parameter `{name}`: a diagram takes focus, depth, query (with default-graph-uri and named-graph-uri), all, lang, cluster-by, expand-poles, include, exclude, rankdir and format"),
                    ))
                }
            }
        }
        options.selection = match (focus, all) {
            (Some(_), true) => {
                return Err(Failure::new(
                    StatusCode::BAD_REQUEST,
                    "`focus` and `all` exclude each other",
                ))
            }
            (Some(record), false) => Selection::Focus {
                record,
                depth: depth.unwrap_or(1),
            },
            (None, true) => Selection::All,
            (None, false) if depth.is_some() => {
                return Err(Failure::new(
                    StatusCode::BAD_REQUEST,
                    "`depth` needs `focus`",
                ))
            }
            (None, false) => Selection::Default,
        };
        let query = match query {
            Some(query) => Some(QueryRequest {
                query,
                default_graphs,
                named_graphs,
            }),
            None if default_graphs.is_empty() && named_graphs.is_empty() => None,
            None => {
                return Err(Failure::new(
                    StatusCode::BAD_REQUEST,
                    "`default-graph-uri` and `named-graph-uri` go with a `query`",
                ))
            }
        };
        Ok(DiagramRequest {
            options,
            query,
            format,
        })
    }

    /// The default diagram (the GTI's), as the home page shows it.
    pub fn gti(lang: Lang) -> Self {
        DiagramRequest {
            options: DiagramOptions {
                lang,
                ..DiagramOptions::default()
            },
            query: None,
            format: OutputFormat::Svg,
        }
    }

    /// The graph a CONSTRUCT query builds, as the query page shows it.
    pub fn of_query(query: &QueryRequest, lang: Lang) -> Self {
        DiagramRequest {
            query: Some(query.clone()),
            ..DiagramRequest::gti(lang)
        }
    }

    /// The neighbourhood of a record at depth 1, as a record page shows it
    /// (`record`: a prefixed name such as `organization:dge`, or `<IRI>`).
    pub fn neighbourhood(record: String, lang: Lang) -> Self {
        DiagramRequest {
            options: DiagramOptions {
                selection: Selection::Focus { record, depth: 1 },
                lang,
                ..DiagramOptions::default()
            },
            query: None,
            format: OutputFormat::Svg,
        }
    }

    /// The same diagram in `format`.
    pub fn with_format(&self, format: OutputFormat) -> Self {
        DiagramRequest {
            format,
            ..self.clone()
        }
    }

    /// The path and query string that ask for this diagram at `/diagram`
    /// (also the key of its picture).
    pub fn url(&self) -> String {
        let o = &self.options;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match &o.selection {
            Selection::Focus { record, depth } => {
                pairs.push(("focus", record.clone()));
                pairs.push(("depth", depth.to_string()));
            }
            Selection::All => pairs.push(("all", "true".into())),
            Selection::Default => {}
        }
        if let Some(query) = &self.query {
            pairs.push(("query", query.query.clone()));
            for graph in &query.default_graphs {
                pairs.push(("default-graph-uri", graph.clone()));
            }
            for graph in &query.named_graphs {
                pairs.push(("named-graph-uri", graph.clone()));
            }
        }
        if o.lang != Lang::default() {
            pairs.push(("lang", o.lang.tag().into()));
        }
        let cluster_by = match o.cluster_by {
            ClusterBy::Ministry => None,
            ClusterBy::Kind => Some("kind"),
            ClusterBy::None => Some("none"),
        };
        pairs.extend(cluster_by.map(|c| ("cluster-by", c.to_owned())));
        if o.expand_poles {
            pairs.push(("expand-poles", "true".into()));
        }
        if !o.include.is_empty() {
            pairs.push(("include", o.include.join(",")));
        }
        if !o.exclude.is_empty() {
            pairs.push(("exclude", o.exclude.join(",")));
        }
        if o.rankdir != RankDir::default() {
            pairs.push(("rankdir", o.rankdir.as_str().into()));
        }
        if self.format == OutputFormat::Dot {
            pairs.push(("format", "dot".into()));
        }
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        match query.is_empty() {
            true => "/diagram".to_owned(),
            false => format!("/diagram?{query}"),
        }
    }
}

/// `true`, `false`, or empty (a bare `?all`) for true.
fn flag(value: &str) -> Option<bool> {
    match value {
        "" | "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

impl Endpoint {
    /// The picture `asked` for, drawn or kept from before.
    pub(super) fn picture(&self, asked: &DiagramRequest) -> Result<Arc<Picture>, Failure> {
        self.kept_or_drawn(asked, |started| {
            let diagram = match &asked.query {
                Some(query) => {
                    let triples = self.construct(query)?;
                    self.diagram_of_result(triples, &asked.options)?
                }
                None => self.diagram(&asked.options)?,
            };
            self.render(diagram, asked.format, started)
        })
    }

    /// The picture of a CONSTRUCT result the query page already holds
    /// (`asked` names the query, see [`DiagramRequest::of_query`]).
    pub(super) fn picture_of_result(
        &self,
        asked: &DiagramRequest,
        triples: Vec<Triple>,
    ) -> Result<Arc<Picture>, Failure> {
        self.kept_or_drawn(asked, |started| {
            let diagram = self.diagram_of_result(triples, &asked.options)?;
            self.render(diagram, asked.format, started)
        })
    }

    /// The picture kept for `asked`, or the one `draw` makes (given when
    /// the work started), kept for next time.
    fn kept_or_drawn(
        &self,
        asked: &DiagramRequest,
        draw: impl FnOnce(Instant) -> Result<Picture, Failure>,
    ) -> Result<Arc<Picture>, Failure> {
        let key = asked.url();
        if let Some(picture) = self.drawings.kept(&key) {
            return Ok(picture);
        }
        let picture = Arc::new(draw(Instant::now())?);
        self.drawings.keep(key, picture.clone());
        Ok(picture)
    }

    /// The diagram of the served records.
    fn diagram(&self, options: &DiagramOptions) -> Result<Diagram, Failure> {
        let records = self
            .drawings
            .records(options.lang, || {
                Records::from_store(&self.graph.store, &self.graph.iris, options.lang)
            })
            .map_err(diagram_failure)?;
        let diagram = records
            .draw(&self.graph.store, &self.graph.iris, &self.bounded(options))
            .map_err(diagram_failure)?;
        Ok(self.linked(diagram))
    }

    fn diagram_of_result(
        &self,
        triples: Vec<Triple>,
        options: &DiagramOptions,
    ) -> Result<Diagram, Failure> {
        let diagram = diagram::from_query_result(&self.graph, triples, &self.bounded(options))
            .map_err(diagram_failure)?;
        Ok(self.linked(diagram))
    }

    /// `options` within the endpoint's node limit.
    fn bounded(&self, options: &DiagramOptions) -> DiagramOptions {
        DiagramOptions {
            max_nodes: Some(self.drawings.max_nodes),
            ..options.clone()
        }
    }

    /// The diagram with each record's node linked to its page.
    fn linked(&self, mut diagram: Diagram) -> Diagram {
        diagram.link_records(&self.graph.iris, "/");
        diagram
    }

    /// Runs a CONSTRUCT (or DESCRIBE) within the endpoint's limits.
    fn construct(&self, request: &QueryRequest) -> Result<Vec<Triple>, Failure> {
        match evaluate(&self.graph, request, self.limits())? {
            Outcome::Graph(quads) => Ok(quads.into_iter().map(Triple::from).collect()),
            _ => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "a diagram draws the graph a CONSTRUCT or DESCRIBE query builds; this query gives solutions",
            )),
        }
    }

    /// The picture of `diagram`, Graphviz allowed what remains of the
    /// endpoint's time limit counted from `started`.
    fn render(
        &self,
        diagram: Diagram,
        format: OutputFormat,
        started: Instant,
    ) -> Result<Picture, Failure> {
        let dot = diagram.write_dot(Vec::new()).map_err(|e| {
            Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot write the DOT text: {e}"),
            )
        })?;
        let timeout = self.options.timeout;
        let bytes = match format {
            OutputFormat::Dot => dot,
            format => {
                let remaining = timeout.saturating_sub(started.elapsed());
                let _slot = self.drawings.render_slot(remaining).ok_or_else(|| {
                    Failure::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "the server is busy drawing other diagrams; try again",
                    )
                })?;
                let remaining = timeout.saturating_sub(started.elapsed());
                if remaining.is_zero() {
                    return Err(diagram_failure(DiagramError::GraphvizTimeout(timeout)));
                }
                let program = &self.drawings.program;
                diagram::render_to_memory(program, &dot, format, remaining, MAX_PICTURE_BYTES)
                    .map_err(|e| match e {
                        // The limit the user knows is the endpoint's.
                        DiagramError::GraphvizTimeout(_) => DiagramError::GraphvizTimeout(timeout),
                        other => other,
                    })
                    .map_err(diagram_failure)?
            }
        };
        Ok(Picture {
            bytes,
            format,
            title: diagram.title.replace('\n', " — "),
            nodes: diagram.graph.node_count(),
            links: diagram.graph.edge_count(),
            omitted: diagram.omitted,
        })
    }
}

/// The status and message of a drawing that failed.
pub(super) fn diagram_failure(error: DiagramError) -> Failure {
    let status = match &error {
        DiagramError::GraphvizMissing | DiagramError::GraphvizTimeout(_) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        DiagramError::NoCentre { .. } | DiagramError::UnknownRecord { .. } => StatusCode::NOT_FOUND,
        DiagramError::GraphvizTooLarge(_) | DiagramError::TooManyNodes { .. } => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        // An ambiguous record, an unknown term, a query that is no
        // CONSTRUCT: what `DiagramError::is_usage` calls the user's fault.
        e if e.is_usage() => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = match &error {
        DiagramError::TooManyNodes { nodes, max } => format!(
            "this diagram has {nodes} nodes, more than the {max} this endpoint draws: ask for less (a focus with a smaller depth, `include` or `exclude`, a LIMIT in the query), or draw it with `polegraph dot`"
        ),
        DiagramError::GraphvizMissing => {
            "Graphviz (`dot`) is not installed on this server, so it cannot draw pictures; the diagram's DOT text is served with format=dot".to_owned()
        }
        other => {
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    };
    Failure::new(status, message)
}

/// `/diagram`: the picture, or the reason there is none.
pub fn diagram(endpoint: &Endpoint, request: &Request<Body>) -> Result<Response<Body>, Failure> {
    let pairs = parameters(request.uri().query().unwrap_or("").as_bytes());
    let asked = DiagramRequest::from_parameters(&pairs)?;
    let picture = endpoint.picture(&asked).map_err(|mut failure| {
        if failure.status == StatusCode::SERVICE_UNAVAILABLE && asked.format != OutputFormat::Dot {
            let dot = asked.with_format(OutputFormat::Dot).url();
            failure.message.push_str(&format!(" (the DOT text: {dot})"));
        }
        failure
    })?;
    let content_type = match picture.format {
        OutputFormat::Dot => "text/vnd.graphviz; charset=utf-8",
        _ => "image/svg+xml",
    };
    let mut answer = response(StatusCode::OK, content_type, picture.bytes.clone());
    // An SVG opened alone runs no script and loads nothing.
    answer.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> Result<DiagramRequest, Failure> {
        DiagramRequest::from_parameters(&parameters(query.as_bytes()))
    }

    #[test]
    fn a_request_reads_the_options_of_dot_and_gives_its_url_back() {
        for url in [
            "/diagram",
            "/diagram?focus=dge&depth=2&lang=en&cluster-by=kind&expand-poles=true&include=pg%3APole%2Corg%3AOrganization&rankdir=LR&format=dot",
            "/diagram?all=true&exclude=org%3AhasMember",
            "/diagram?query=CONSTRUCT+%7B%3Fs+%3Fp+%3Fo%7D+WHERE+%7B%3Fs+%3Fp+%3Fo%7D",
            "/diagram?query=CONSTRUCT+WHERE+%7B%3Fs+%3Fp+%3Fo%7D&default-graph-uri=https%3A%2F%2Fexample.org%2Fg&named-graph-uri=https%3A%2F%2Fexample.org%2Fh",
        ] {
            let asked = request(url.split_once('?').map_or("", |(_, q)| q)).unwrap();
            assert_eq!(asked.url(), url);
        }
        let focus = request("focus=dge").unwrap();
        assert_eq!(
            focus.options.selection,
            Selection::Focus {
                record: "dge".into(),
                depth: 1
            }
        );
    }

    #[test]
    fn bad_parameters_say_what_is_expected() {
        for (query, expected) in [
            ("lang=de", "lang is fr or en"),
            ("depth=2", "`depth` needs `focus`"),
            ("focus=dge&depth=99", "from 0 to 10"),
            ("focus=dge&all", "exclude each other"),
            ("format=png", "svg or dot"),
            ("colour=red", "unknown parameter `colour`"),
            (
                "default-graph-uri=https%3A%2F%2Fexample.org%2Fg",
                "go with a `query`",
            ),
        ] {
            let failure = request(query).unwrap_err();
            assert_eq!(failure.status, StatusCode::BAD_REQUEST);
            assert!(
                failure.message.contains(expected),
                "{query}: {}",
                failure.message
            );
        }
    }
}
