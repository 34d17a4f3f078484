//! The HTML pages: the query page at `/` (a form, the example queries, a
//! results table) and the page of a resource (its statements, with links to
//! the related records). Pages are rendered on the server, need no script,
//! and load nothing from elsewhere, so they work offline.

use super::describe::{self, Statement};
use super::sparql::Outcome;
use crate::iri::{abbreviate, prefixes_for};
use crate::store::KnowledgeGraph;
use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode, Term};
use std::fmt::Write as _;

/// An example query of `queries/`, embedded at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The file name without `.rq` (`cq01-date`).
    pub name: &'static str,
    pub text: &'static str,
}

impl Example {
    /// The first comment line, without `#` (the question it answers).
    pub fn title(&self) -> &'static str {
        self.text
            .lines()
            .find_map(|l| l.strip_prefix('#'))
            .map_or(self.name, str::trim)
    }
}

macro_rules! examples {
    ($($name:literal),* $(,)?) => {
        &[$(Example {
            name: $name,
            text: include_str!(concat!("../../queries/", $name, ".rq")),
        }),*]
    };
}

/// The example queries (a test checks that every file of `queries/` is here).
pub const EXAMPLES: &[Example] = examples!(
    "cq01-date",
    "cq02-opened-by",
    "cq03-gti-secretariat",
    "cq04-dge-ministry",
    "cq05-training-speakers",
    "cq06-anr-head",
    "cq07-slides",
    "cq08-research-schemes",
    "cq09-gti-poles",
    "cq10-session-kinds",
    "cq11-uncertain-facts",
    "cq12-sources-of-a-fact",
    "cq13-posts-on-a-date",
);

/// The query shown on an empty query page.
const DEFAULT_QUERY: &str = "SELECT ?class (COUNT(?s) AS ?instances)\nWHERE { ?s a ?class }\nGROUP BY ?class\nORDER BY DESC(?instances)\nLIMIT 20";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:75em;padding:0 1em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}\
textarea{width:100%;font-family:monospace;font-size:.9em}\
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}code,.iri{font-family:monospace;font-size:.9em}.meta{color:#666;font-size:.85em}\
.error{background:#fee;border:1px solid #c66;padding:.5em;white-space:pre-wrap}nav a{margin-right:1em}\
figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto;display:block}figcaption{margin-bottom:.5em}";

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `name=value` for a link's query string.
fn query_string(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<nav><a href=\"/\">Query</a><a href=\"/query\">Service description</a><a href=\"/store\">Whole graph (Turtle)</a></nav>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// What the query page shows under the form.
pub enum QueryResult<'a> {
    /// No query was run.
    None,
    Ok(&'a Outcome),
    Err(&'a str),
}

/// The query page: the form (holding `query`), the results, the examples.
/// `figure` is a diagram ([`super::figure`]): the GTI's when no query ran,
/// else the CONSTRUCT result's, above its table.
pub fn home(
    graph: &KnowledgeGraph,
    quads: usize,
    query: Option<&str>,
    result: QueryResult<'_>,
    figure: &str,
) -> String {
    let text = query.unwrap_or(DEFAULT_QUERY);
    let mut body = String::new();
    body.push_str("<h1>polegraph SPARQL endpoint</h1>\n");
    let _ = writeln!(
        body,
        "<p class=\"meta\">{} quads in {} named graphs; queries see the union of the graphs as their default graph, and the prefixes <code>pg: rdfs: skos: org: foaf: schema: dcterms:</code> … are predeclared. Read only.</p>",
        quads,
        crate::store::named_graphs(&graph.store).map_or(0, |g| g.len())
    );
    let _ = writeln!(
        body,
        "<form method=\"get\" action=\"/\">\n<textarea name=\"query\" rows=\"12\" spellcheck=\"false\">{}</textarea>\n<p><button type=\"submit\">Run the query</button></p>\n</form>",
        escape(text)
    );
    match result {
        QueryResult::None => {
            if !figure.is_empty() {
                body.push_str("<h2>The GTI and its relationships</h2>\n");
                body.push_str(figure);
            }
        }
        QueryResult::Err(message) => {
            let _ = writeln!(
                body,
                "<h2>Error</h2>\n<div class=\"error\" id=\"error\">{}</div>",
                escape(message)
            );
        }
        QueryResult::Ok(outcome) => {
            body.push_str("<h2>Results</h2>\n");
            body.push_str(figure);
            results_table(graph, outcome, &mut body);
            let formats: &[(&str, &str)] = if outcome.is_solutions() {
                &[
                    ("JSON", "json"),
                    ("XML", "xml"),
                    ("CSV", "csv"),
                    ("TSV", "tsv"),
                ]
            } else {
                &[
                    ("Turtle", "ttl"),
                    ("N-Triples", "nt"),
                    ("RDF/XML", "rdf"),
                    ("JSON-LD", "jsonld"),
                ]
            };
            body.push_str("<p class=\"meta\">Download:");
            for (label, format) in formats {
                let _ = write!(
                    body,
                    " <a href=\"/query?{}\">{label}</a>",
                    escape(&query_string(&[("query", text), ("format", format)]))
                );
            }
            body.push_str("</p>\n");
        }
    }
    body.push_str("<h2>Example queries</h2>\n<ul id=\"examples\">\n");
    for example in EXAMPLES {
        let _ = writeln!(
            body,
            "<li><a href=\"/?{}\">{}</a> <span class=\"meta\">{}</span></li>",
            escape(&query_string(&[("query", example.text)])),
            escape(example.title()),
            escape(example.name)
        );
    }
    body.push_str("</ul>\n<h2>For programs</h2>\n<ul>\n<li><code>/query</code> (or <code>/sparql</code>): the SPARQL 1.1 Protocol, GET and POST; results as JSON, XML, CSV or TSV, graphs as Turtle, N-Triples, RDF/XML or JSON-LD, by <code>Accept</code> or <code>format=</code>.</li>\n<li><code>/store</code>: the Graph Store Protocol (GET): <code>?default</code>, <code>?graph=IRI</code>, or the whole dataset.</li>\n<li>Record paths (<code>/organization/dge</code>) give the record's description as Turtle, JSON-LD or a page.</li>\n</ul>\n<h2>Named graphs</h2>\n<ul>\n");
    if let Ok(graphs) = crate::store::named_graphs(&graph.store) {
        for g in graphs {
            let _ = writeln!(
                body,
                "<li><a href=\"/store?{}\" class=\"iri\">{}</a></li>",
                escape(&query_string(&[("graph", g.as_str())])),
                escape(g.as_str())
            );
        }
    }
    body.push_str("</ul>\n");
    page("polegraph SPARQL endpoint", &body)
}

/// The results of a query as an HTML table (`id="results"`).
fn results_table(graph: &KnowledgeGraph, outcome: &Outcome, body: &mut String) {
    let prefixes = prefixes_for(&graph.iris);
    match outcome {
        Outcome::Boolean(value) => {
            let _ = writeln!(
                body,
                "<table id=\"results\"><tr><th>answer</th></tr><tr><td>{value}</td></tr></table>"
            );
        }
        Outcome::Solutions { variables, rows } => {
            body.push_str("<table id=\"results\">\n<tr>");
            for v in variables {
                let _ = write!(body, "<th>{}</th>", escape(v.as_str()));
            }
            body.push_str("</tr>\n");
            for row in rows {
                body.push_str("<tr>");
                for v in variables {
                    body.push_str("<td>");
                    if let Some(term) = row.get(v) {
                        body.push_str(&term_html(graph, term, &prefixes));
                    }
                    body.push_str("</td>");
                }
                body.push_str("</tr>\n");
            }
            body.push_str("</table>\n");
            let _ = writeln!(
                body,
                "<p class=\"meta\">{} row{}</p>",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            );
        }
        Outcome::Graph(quads) => {
            body.push_str(
                "<table id=\"results\">\n<tr><th>subject</th><th>predicate</th><th>object</th></tr>\n",
            );
            for q in quads {
                let subject: Term = q.subject.clone().into();
                let predicate: Term = q.predicate.clone().into();
                let _ = writeln!(
                    body,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    term_html(graph, &subject, &prefixes),
                    term_html(graph, &predicate, &prefixes),
                    term_html(graph, &q.object, &prefixes)
                );
            }
            body.push_str("</table>\n");
            let _ = writeln!(body, "<p class=\"meta\">{} triples</p>", quads.len());
        }
    }
}

/// A term in a page: an IRI as a link (to its page here when this endpoint
/// describes it), a literal with its language or datatype.
fn term_html(graph: &KnowledgeGraph, term: &Term, prefixes: &[(String, String)]) -> String {
    match term {
        Term::NamedNode(n) => iri_link(graph, n.as_str(), prefixes),
        Term::BlankNode(b) => format!("<span class=\"iri\">{}</span>", escape(&b.to_string())),
        Term::Literal(l) => {
            let mut html = escape(l.value());
            if let Some(language) = l.language() {
                let _ = write!(html, " <span class=\"meta\">@{}</span>", escape(language));
            } else if l.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string" {
                let _ = write!(
                    html,
                    " <span class=\"meta\">{}</span>",
                    escape(&abbreviate(l.datatype().as_str(), prefixes))
                );
            }
            html
        }
        #[allow(unreachable_patterns)]
        other => escape(&other.to_string()),
    }
}

/// An IRI as a link: to its local path when the endpoint serves it, to
/// itself when it is an http(s) URL, and as plain text otherwise (RDF
/// allows any scheme; `javascript:` or `data:` must not become a link).
fn iri_link(graph: &KnowledgeGraph, iri: &str, prefixes: &[(String, String)]) -> String {
    let text = escape(&abbreviate(iri, prefixes));
    let href = describe::local_path(graph, iri).or_else(|| web_url(iri).map(str::to_owned));
    match href {
        Some(href) => format!(
            "<a href=\"{}\" class=\"iri\" title=\"{}\">{text}</a>",
            escape(&href),
            escape(iri),
        ),
        None => format!(
            "<span class=\"iri\" title=\"{}\">{text}</span>",
            escape(iri)
        ),
    }
}

/// `iri` when its scheme is http or https.
fn web_url(iri: &str) -> Option<&str> {
    let (scheme, _) = iri.split_once(':')?;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(iri)
}

/// A resource's page: its label, its neighbourhood's diagram (`figure`),
/// its statements, the statements that point at it, and links to its other
/// representations.
pub fn resource(
    graph: &KnowledgeGraph,
    iri: NamedNodeRef<'_>,
    outgoing: &[Statement],
    incoming: &[Statement],
    figure: &str,
) -> String {
    let prefixes = prefixes_for(&graph.iris);
    let node = NamedOrBlankNode::from(iri.into_owned());
    let label = describe::label(&graph.store, node.as_ref());
    let title = label
        .clone()
        .unwrap_or_else(|| abbreviate(iri.as_str(), &prefixes));
    let mut body = String::new();
    let _ = writeln!(body, "<h1>{}</h1>", escape(&title));
    let kind = graph
        .iris
        .parse_record(iri.as_str())
        .map(|(kind, id)| format!("{} record <code>{}</code> · ", kind.path(), escape(id)))
        .unwrap_or_default();
    let _ = writeln!(
        body,
        "<p class=\"meta\">{kind}<span class=\"iri\" id=\"iri\">{}</span></p>",
        escape(iri.as_str())
    );
    body.push_str("<p class=\"meta\">As");
    for (label, format) in [
        ("Turtle", "ttl"),
        ("JSON-LD", "jsonld"),
        ("N-Triples", "nt"),
        ("RDF/XML", "rdf"),
    ] {
        let _ = write!(
            body,
            " <a href=\"?format={format}\" rel=\"alternate\">{label}</a>"
        );
    }
    body.push_str("</p>\n");
    body.push_str(figure);
    body.push_str("<h2>Statements</h2>\n<table id=\"statements\">\n<tr><th>property</th><th>value</th><th>graph</th></tr>\n");
    for s in outgoing {
        let value = match &s.object {
            Term::NamedNode(n) => with_label(graph, n.as_ref(), &prefixes),
            other => term_html(graph, other, &prefixes),
        };
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{value}</td><td>{}</td></tr>",
            iri_link(graph, s.predicate.as_str(), &prefixes),
            graphs_html(&s.graphs, &prefixes)
        );
    }
    body.push_str("</table>\n");
    if !incoming.is_empty() {
        body.push_str("<h2>Referenced by</h2>\n<table id=\"referenced-by\">\n<tr><th>record</th><th>property</th><th>graph</th></tr>\n");
        for s in incoming {
            let subject = match &s.subject {
                NamedOrBlankNode::NamedNode(n) => with_label(graph, n.as_ref(), &prefixes),
                other => escape(&other.to_string()),
            };
            let _ = writeln!(
                body,
                "<tr><td>{subject}</td><td>{}</td><td>{}</td></tr>",
                iri_link(graph, s.predicate.as_str(), &prefixes),
                graphs_html(&s.graphs, &prefixes)
            );
        }
        body.push_str("</table>\n");
    }
    page(&title, &body)
}

/// A link to a resource, with its label when it has one.
fn with_label(
    graph: &KnowledgeGraph,
    iri: NamedNodeRef<'_>,
    prefixes: &[(String, String)],
) -> String {
    let link = iri_link(graph, iri.as_str(), prefixes);
    match describe::label(
        &graph.store,
        NamedOrBlankNode::from(iri.into_owned()).as_ref(),
    ) {
        Some(label) => format!("{link} <span class=\"meta\">{}</span>", escape(&label)),
        None => link,
    }
}

fn graphs_html(graphs: &[GraphName], prefixes: &[(String, String)]) -> String {
    graphs
        .iter()
        .map(|g| match g {
            GraphName::NamedNode(n) => format!(
                "<a href=\"/store?{}\" class=\"iri\">{}</a>",
                escape(&query_string(&[("graph", n.as_str())])),
                escape(&abbreviate(n.as_str(), prefixes))
            ),
            other => escape(&other.to_string()),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    /// Every query of `queries/` is on the query page.
    #[test]
    fn every_example_query_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("queries/ is readable")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".rq").map(str::to_owned))
            .collect();
        files.sort();
        let embedded: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        assert_eq!(
            embedded, files,
            "add the new query to EXAMPLES in src/serve/pages.rs"
        );
    }

    #[test]
    fn only_web_urls_are_link_targets() {
        assert_eq!(
            web_url("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(web_url("HTTP://example.org/"), Some("HTTP://example.org/"));
        assert_eq!(web_url("javascript:alert(5)"), None);
        assert_eq!(web_url("data:text/html,x"), None);
        assert_eq!(web_url("urn:isbn:123"), None);
    }

    #[test]
    fn example_titles_are_their_first_comment() {
        assert!(EXAMPLES[0].title().starts_with("Competency question 1:"));
    }
}
