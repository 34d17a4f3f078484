//! Content negotiation: picks a response format from the `Accept` header
//! (RFC 9110 §12.5.1, with quality values) or from an explicit `format`
//! parameter, among the formats a route offers.

use crate::format::{GraphFormat, SolutionsFormat};

/// What a response can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    Solutions(SolutionsFormat),
    Graph(GraphFormat),
    Html,
}

impl Representation {
    /// The `Content-Type` of a response in this representation.
    pub fn content_type(self) -> &'static str {
        match self {
            Representation::Solutions(f) => match f.results_format() {
                Some(results) => match results {
                    oxigraph::sparql::results::QueryResultsFormat::Csv => "text/csv; charset=utf-8",
                    oxigraph::sparql::results::QueryResultsFormat::Tsv => {
                        "text/tab-separated-values; charset=utf-8"
                    }
                    other => other.media_type(),
                },
                None => "text/plain; charset=utf-8",
            },
            Representation::Graph(f) => match f {
                GraphFormat::Turtle => "text/turtle; charset=utf-8",
                other => other.media_type(),
            },
            Representation::Html => "text/html; charset=utf-8",
        }
    }
}

/// The media types of SELECT and ASK results, in the server's order of
/// preference (the first is the default).
pub const SOLUTIONS: &[(&str, Representation)] = &[
    (
        "application/sparql-results+json",
        Representation::Solutions(SolutionsFormat::Json),
    ),
    (
        "application/sparql-results+xml",
        Representation::Solutions(SolutionsFormat::Xml),
    ),
    ("text/csv", Representation::Solutions(SolutionsFormat::Csv)),
    (
        "text/tab-separated-values",
        Representation::Solutions(SolutionsFormat::Tsv),
    ),
    (
        "application/json",
        Representation::Solutions(SolutionsFormat::Json),
    ),
    (
        "application/xml",
        Representation::Solutions(SolutionsFormat::Xml),
    ),
    ("text/xml", Representation::Solutions(SolutionsFormat::Xml)),
];

/// The media types of graphs (CONSTRUCT, DESCRIBE, records, the Graph
/// Store), in the server's order of preference.
pub const GRAPHS: &[(&str, Representation)] = &[
    ("text/turtle", Representation::Graph(GraphFormat::Turtle)),
    (
        "application/n-triples",
        Representation::Graph(GraphFormat::NTriples),
    ),
    (
        "application/rdf+xml",
        Representation::Graph(GraphFormat::RdfXml),
    ),
    (
        "application/ld+json",
        Representation::Graph(GraphFormat::JsonLd),
    ),
    ("application/trig", Representation::Graph(GraphFormat::TriG)),
    (
        "application/n-quads",
        Representation::Graph(GraphFormat::NQuads),
    ),
    (
        "application/x-turtle",
        Representation::Graph(GraphFormat::Turtle),
    ),
    ("text/plain", Representation::Graph(GraphFormat::NTriples)),
    (
        "application/json",
        Representation::Graph(GraphFormat::JsonLd),
    ),
    (
        "application/xml",
        Representation::Graph(GraphFormat::RdfXml),
    ),
    ("text/xml", Representation::Graph(GraphFormat::RdfXml)),
];

/// A web page.
pub const HTML: &[(&str, Representation)] = &[
    ("text/html", Representation::Html),
    ("application/xhtml+xml", Representation::Html),
];

/// One range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    quality: f32,
}

impl Range {
    /// How well this range matches `media_type`: `None` if it does not, else
    /// its specificity (2 exact, 1 `type/*`, 0 `*/*`).
    fn matches(&self, media_type: &str) -> Option<u8> {
        let (kind, subtype) = media_type.split_once('/')?;
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k.eq_ignore_ascii_case(kind) => Some(1),
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => Some(2),
            _ => None,
        }
    }
}

fn parse_accept(header: &str) -> Vec<Range> {
    header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim();
            let (kind, subtype) = media.split_once('/')?;
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0)
                .clamp(0.0, 1.0);
            Some(Range {
                kind: kind.trim().to_owned(),
                subtype: subtype.trim().to_owned(),
                quality,
            })
        })
        .collect()
}

/// The quality the ranges give `media_type`: that of the most specific
/// range that matches it, 0 when none does.
fn quality(ranges: &[Range], media_type: &str) -> f32 {
    ranges
        .iter()
        .filter_map(|r| r.matches(media_type).map(|s| (s, r.quality)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map_or(0.0, |(_, q)| q)
}

/// Picks among `offers` (groups of media types in the server's order of
/// preference) the one the `Accept` header rates highest; ties go to the
/// earlier offer. No header (or an empty one) takes the first offer;
/// `None` means nothing offered is acceptable (406).
pub fn choose(
    accept: Option<&str>,
    offers: &[&[(&str, Representation)]],
) -> Option<Representation> {
    let all = offers.iter().flat_map(|group| group.iter());
    let ranges = match accept.map(str::trim) {
        None | Some("") => return all.map(|(_, r)| *r).next(),
        Some(header) => parse_accept(header),
    };
    if ranges.is_empty() {
        return all.map(|(_, r)| *r).next();
    }
    let mut best: Option<(f32, Representation)> = None;
    for (media_type, representation) in all {
        let q = quality(&ranges, media_type);
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, *representation));
        }
    }
    best.map(|(_, r)| r)
}

/// The representation a `format=` parameter names (`json`, `csv`, `ttl`,
/// `jsonld`, `html`, …), among those that fit `offers`.
pub fn from_parameter(name: &str, offers: &[&[(&str, Representation)]]) -> Option<Representation> {
    let wanted: Vec<Representation> = if name.eq_ignore_ascii_case("html") {
        vec![Representation::Html]
    } else {
        // A media type works too (`format=text/csv`).
        let by_media_type = offers
            .iter()
            .flat_map(|g| g.iter())
            .filter(|(m, _)| m.eq_ignore_ascii_case(name))
            .map(|(_, r)| *r);
        let by_name = SolutionsFormat::from_name(name)
            .filter(|f| *f != SolutionsFormat::Table)
            .map(Representation::Solutions)
            .into_iter()
            .chain(GraphFormat::from_name(name).map(Representation::Graph));
        by_media_type.chain(by_name).collect()
    };
    wanted
        .into_iter()
        .find(|w| offers.iter().flat_map(|g| g.iter()).any(|(_, r)| r == w))
}

/// The media types of `offers`, for a 406 message.
pub fn describe(offers: &[&[(&str, Representation)]]) -> String {
    offers
        .iter()
        .flat_map(|g| g.iter().map(|(m, _)| *m))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_accept_header_takes_the_default() {
        assert_eq!(
            choose(None, &[SOLUTIONS]),
            Some(Representation::Solutions(SolutionsFormat::Json))
        );
        assert_eq!(
            choose(Some("*/*"), &[GRAPHS]),
            Some(Representation::Graph(GraphFormat::Turtle))
        );
    }

    #[test]
    fn quality_values_rank_the_offers() {
        let accept = "application/sparql-results+json;q=0.5, text/csv";
        assert_eq!(
            choose(Some(accept), &[SOLUTIONS]),
            Some(Representation::Solutions(SolutionsFormat::Csv))
        );
        let accept = "application/rdf+xml;q=0.9, text/turtle;q=0.1, */*;q=0.01";
        assert_eq!(
            choose(Some(accept), &[GRAPHS]),
            Some(Representation::Graph(GraphFormat::RdfXml))
        );
    }

    #[test]
    fn a_browser_gets_html_when_html_is_offered() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
        assert_eq!(
            choose(Some(browser), &[GRAPHS, HTML]),
            Some(Representation::Html)
        );
        assert_eq!(
            choose(Some(browser), &[GRAPHS]),
            Some(Representation::Graph(GraphFormat::RdfXml))
        );
    }

    #[test]
    fn the_most_specific_range_sets_the_quality() {
        let accept = "text/*;q=0.2, text/csv;q=0, */*;q=0.1";
        assert_eq!(
            choose(Some(accept), &[SOLUTIONS]),
            Some(Representation::Solutions(SolutionsFormat::Tsv))
        );
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(choose(Some("image/png"), &[SOLUTIONS]), None);
    }

    #[test]
    fn format_parameter_names_a_format() {
        assert_eq!(
            from_parameter("csv", &[SOLUTIONS]),
            Some(Representation::Solutions(SolutionsFormat::Csv))
        );
        assert_eq!(
            from_parameter("json", &[GRAPHS]),
            Some(Representation::Graph(GraphFormat::JsonLd))
        );
        assert_eq!(
            from_parameter("text/turtle", &[GRAPHS]),
            Some(Representation::Graph(GraphFormat::Turtle))
        );
        assert_eq!(from_parameter("ttl", &[SOLUTIONS]), None);
    }
}
