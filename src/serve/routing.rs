//! Which handler a request path goes to.

/// A route of the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the query page.
    Home,
    /// `/query` and `/sparql`: the SPARQL 1.1 Protocol.
    Query,
    /// `/store`: the Graph Store Protocol (read only).
    Store,
    /// `/diagram`: a diagram as SVG or DOT.
    Diagram,
    /// Anything else: perhaps the path of a resource IRI (`/organization/dge`),
    /// which the describe module resolves.
    Resource(String),
}

/// The route of a request path (without its query string).
pub fn route(path: &str) -> Route {
    match path {
        "" | "/" | "/index.html" => Route::Home,
        "/query" | "/sparql" => Route::Query,
        "/store" => Route::Store,
        "/diagram" => Route::Diagram,
        other => Route::Resource(other.to_owned()),
    }
}

/// The `name=value` pairs of a query string or an urlencoded body.
pub fn parameters(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of `name`.
pub fn parameter<'a>(parameters: &'a [(String, String)], name: &str) -> Option<&'a str> {
    parameters
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Whether `name` is present (with or without a value, as in `?default`).
pub fn has_parameter(parameters: &[(String, String)], name: &str) -> bool {
    parameters.iter().any(|(k, _)| k == name)
}

/// `%XX` escapes of a path decoded (as UTF-8); `None` when that is not
/// valid UTF-8.
pub fn decode_path(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route("/"), Route::Home);
        assert_eq!(route("/sparql"), Route::Query);
        assert_eq!(route("/query"), Route::Query);
        assert_eq!(route("/store"), Route::Store);
        assert_eq!(route("/diagram"), Route::Diagram);
        assert_eq!(
            route("/organization/dge"),
            Route::Resource("/organization/dge".into())
        );
    }

    #[test]
    fn parameters_are_decoded() {
        let p = parameters(b"query=SELECT+%3Fs&default&graph=http%3A%2F%2Fa%2Fb");
        assert_eq!(parameter(&p, "query"), Some("SELECT ?s"));
        assert!(has_parameter(&p, "default"));
        assert_eq!(parameter(&p, "graph"), Some("http://a/b"));
    }

    #[test]
    fn paths_are_percent_decoded() {
        assert_eq!(
            decode_path("/person/h%C3%A9l%C3%A8ne").as_deref(),
            Some("/person/hélène")
        );
        assert_eq!(decode_path("/a%2").as_deref(), Some("/a%2"));
        assert_eq!(decode_path("/a%zz").as_deref(), Some("/a%zz"));
        assert_eq!(decode_path("/a%ff"), None);
    }
}
