//! Staging graphs and the swap: a graph that takes several requests goes
//! first into a staging graph of its own, and only once every graph has
//! gone up is each one swapped in whole by one SPARQL Update request
//! (`MOVE`, or `ADD` with `--merge`). A push that fails before the swap
//! drops its staging graphs and leaves the store's graphs as they were.

use super::client::HttpClient;
use super::error::PushError;
use super::events::{retry_event, PushEvent};
use oxhttp::model::Method;
use oxigraph::model::NamedNode;

/// A staging graph name no one else uses: `urn:polegraph:staging:` with
/// this process and time, and the graph's rank.
pub(super) fn staging_iri(token: &str, index: usize) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:polegraph:staging:{token}:{index}"))
}

/// This run's part of the staging names.
pub(super) fn staging_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos:x}", std::process::id())
}

/// Runs SPARQL updates on the store's update endpoint.
pub(super) struct Updater {
    pub client: HttpClient,
    pub url: url::Url,
}

impl Updater {
    /// One update request (form-encoded, as every store takes it).
    pub(super) fn run(
        &mut self,
        what: &str,
        update: &str,
        on_event: &mut dyn FnMut(PushEvent),
    ) -> Result<(), PushError> {
        let request = format!("{what} on {}", self.url);
        self.client.send(
            &request,
            Method::POST,
            &self.url,
            Some(form(update)),
            None,
            &mut |retry| on_event(retry_event(retry)),
        )?;
        Ok(())
    }

    /// Swaps `staging` in for `graph` in one request, sent once: replaces
    /// it (`MOVE`), or adds to it (`ADD`, then the staging graph is
    /// dropped). A request whose outcome is unknown (no answer: a
    /// timeout, a dropped connection) may still be applied by the store:
    /// it is neither sent again nor its staging graph dropped
    /// ([`PushError::SwapUnsure`]).
    pub(super) fn swap(
        &mut self,
        staging: &NamedNode,
        graph: &NamedNode,
        merge: bool,
    ) -> Result<(), PushError> {
        let (s, g) = (staging.as_str(), graph.as_str());
        let (what, update) = if merge {
            (
                format!("ADD graph <{s}> to <{g}>"),
                format!("ADD <{s}> TO <{g}> ; DROP SILENT GRAPH <{s}>"),
            )
        } else {
            (
                format!("MOVE graph <{s}> to <{g}>"),
                format!("MOVE <{s}> TO <{g}>"),
            )
        };
        let request = format!("{what} on {}", self.url);
        match self
            .client
            .send_once(&request, Method::POST, &self.url, Some(form(&update)))
        {
            Ok(_) => Ok(()),
            Err(error @ PushError::Unreachable { .. }) => Err(PushError::SwapUnsure {
                graph: g.to_owned(),
                staging: s.to_owned(),
                cause: Box::new(error),
            }),
            Err(error) => Err(error),
        }
    }

    /// Drops the staging graphs after a failure; a failure to drop them
    /// is added to the error, with the names to drop by hand.
    pub(super) fn drop_all(
        &mut self,
        staging: &[NamedNode],
        cause: PushError,
        on_event: &mut dyn FnMut(PushEvent),
    ) -> PushError {
        if staging.is_empty() {
            return cause;
        }
        let update = staging
            .iter()
            .map(|s| format!("DROP SILENT GRAPH <{}>", s.as_str()))
            .collect::<Vec<_>>()
            .join(" ;\n");
        match self.run("drop the staging graphs", &update, on_event) {
            Ok(()) => cause,
            Err(_) => PushError::StagingLeft {
                cause: Box::new(cause),
                graphs: staging.iter().map(|s| s.as_str().to_owned()).collect(),
            },
        }
    }
}

/// An update as the form every store takes.
fn form(update: &str) -> (&'static str, Vec<u8>) {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("update", update)
        .finish()
        .into_bytes();
    ("application/x-www-form-urlencoded", body)
}
