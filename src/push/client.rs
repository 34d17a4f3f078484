//! The push's HTTP client: one request at a time, retried with an
//! exponential backoff after a 5xx answer or a connection failure, with the
//! authentication of [`Auth`] settled before any body is sent.

use super::auth::{Auth, AuthScheme};
use super::error::PushError;
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use std::time::Duration;

/// Sends requests with retries and authentication.
pub(super) struct HttpClient {
    client: oxhttp::Client,
    auth: Auth,
    retries: u32,
    backoff: Duration,
    /// Whether the credentials were checked before sending a body.
    checked: bool,
}

/// A request failed and is tried again after `delay` (`PushEvent::Retry`).
#[derive(Clone)]
pub(super) struct Retry {
    pub request: String,
    pub reason: String,
    pub attempt: u32,
    pub attempts: u32,
    pub delay: Duration,
}

/// What a request gave, for the retry loop.
enum Attempt {
    Done(Response<Body>),
    /// A 401: take its challenge, try again.
    Challenged(Response<Body>),
    Retry(String),
}

impl HttpClient {
    /// A client whose requests time out after `timeout`. `endpoint` names
    /// the store in the error, should the client not build.
    pub(super) fn new(
        endpoint: &str,
        timeout: Duration,
        retries: u32,
        backoff: Duration,
        auth: Auth,
    ) -> Result<Self, PushError> {
        let client = oxhttp::Client::new()
            .with_global_timeout(timeout)
            .with_user_agent(concat!("polegraph/", env!("CARGO_PKG_VERSION")))
            .map_err(|e| PushError::Endpoint {
                url: endpoint.to_owned(),
                message: e.to_string(),
            })?;
        Ok(HttpClient {
            client,
            auth,
            retries,
            backoff,
            checked: false,
        })
    }

    /// Sends one request; `Ok` for a 2xx answer. `request` describes it in
    /// messages.
    pub(super) fn send(
        &mut self,
        request: &str,
        method: Method,
        url: &url::Url,
        body: Option<(&str, Vec<u8>)>,
        accept: Option<&str>,
        on_retry: &mut dyn FnMut(Retry),
    ) -> Result<Response<Body>, PushError> {
        let attempts = self.retries + 1;
        self.send_attempts(request, method, url, body, accept, attempts, on_retry)
    }

    /// Sends a request that must not be sent twice (a swap: a second
    /// `MOVE` after the first went through would move an empty graph):
    /// one attempt, whatever the retries (authentication aside).
    pub(super) fn send_once(
        &mut self,
        request: &str,
        method: Method,
        url: &url::Url,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<Response<Body>, PushError> {
        self.send_attempts(request, method, url, body, None, 1, &mut |_| {})
    }

    #[allow(clippy::too_many_arguments)]
    fn send_attempts(
        &mut self,
        request: &str,
        method: Method,
        url: &url::Url,
        body: Option<(&str, Vec<u8>)>,
        accept: Option<&str>,
        attempts: u32,
        on_retry: &mut dyn FnMut(Retry),
    ) -> Result<Response<Body>, PushError> {
        let mut attempt = 1;
        let mut challenges = 0;
        loop {
            // A server that wants credentials may answer 401 and close the
            // connection before reading a body, which the client sees as a
            // broken pipe: settle authentication with bodyless requests first.
            if body.is_some() && !self.checked {
                self.check_credentials(request, url)?;
                self.checked = true;
            }
            let sent = self.build(&method, url, body.as_ref(), accept)?;
            let reason = match self.attempt(request, sent, attempt, attempts)? {
                Attempt::Done(response) => return Ok(response),
                Attempt::Challenged(response) => {
                    challenges += 1;
                    self.auth
                        .answer_challenge(request, &challenges_of(&response), challenges)?;
                    continue;
                }
                Attempt::Retry(reason) => reason,
            };
            if body.is_some() && self.auth.scheme() != AuthScheme::Basic {
                // The nonce may have gone stale: check again before resending.
                self.checked = false;
            }
            let delay = self.backoff * 2u32.saturating_pow(attempt - 1);
            on_retry(Retry {
                request: request.to_owned(),
                reason,
                attempt: attempt + 1,
                attempts,
                delay,
            });
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    /// Sends once and sorts the outcome: done, challenged, to retry, or an
    /// error (4xx, or the last attempt failed).
    fn attempt(
        &self,
        request: &str,
        sent: Request<Body>,
        attempt: u32,
        attempts: u32,
    ) -> Result<Attempt, PushError> {
        let last = attempt >= attempts;
        match self.client.request(sent) {
            Ok(response) if response.status().is_success() => Ok(Attempt::Done(response)),
            Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                Ok(Attempt::Challenged(response))
            }
            // 501 and 505 will not change: no retry.
            Ok(response)
                if response.status().is_server_error()
                    && !matches!(response.status().as_u16(), 501 | 505) =>
            {
                let status = response.status().as_u16();
                if last {
                    return Err(PushError::Server {
                        request: request.to_owned(),
                        status,
                        attempts,
                        body: body_text(response),
                    });
                }
                Ok(Attempt::Retry(format!("the server answered {status}")))
            }
            Ok(response) => {
                let status = response.status().as_u16();
                Err(PushError::Refused {
                    request: request.to_owned(),
                    status,
                    body: body_text(response),
                })
            }
            Err(error) if is_connection_error(&error) && !last => {
                Ok(Attempt::Retry(error.to_string()))
            }
            Err(error) => Err(PushError::Unreachable {
                request: request.to_owned(),
                attempts: attempt,
                source: error,
            }),
        }
    }

    /// HEAD requests until the server takes the credentials (or says it
    /// needs none): a wrong password fails here, before any upload.
    fn check_credentials(&mut self, request: &str, url: &url::Url) -> Result<(), PushError> {
        if !self.auth.has_credentials() {
            return Ok(());
        }
        for challenges in 1..=3 {
            let head = self.build(&Method::HEAD, url, None, None)?;
            match self.client.request(head) {
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                    self.auth
                        .answer_challenge(request, &challenges_of(&response), challenges)?;
                }
                // Any other answer (even 405 or 501 to HEAD) got past
                // authentication; a failure to connect shows on the upload.
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    fn build(
        &mut self,
        method: &Method,
        url: &url::Url,
        body: Option<&(&str, Vec<u8>)>,
        accept: Option<&str>,
    ) -> Result<Request<Body>, PushError> {
        let mut builder = Request::builder().method(method.clone()).uri(url.as_str());
        if let Some(accept) = accept {
            builder = builder.header(header::ACCEPT, accept);
        }
        if let Some(authorization) = self.auth.authorization(method.as_str(), url) {
            let mut value =
                HeaderValue::from_str(&authorization).map_err(|_| PushError::Endpoint {
                    url: url.to_string(),
                    message: "the user name or password cannot go in an HTTP header".into(),
                })?;
            value.set_sensitive(true);
            builder = builder.header(header::AUTHORIZATION, value);
        }
        let body = match body {
            Some((content_type, bytes)) => {
                builder = builder.header(header::CONTENT_TYPE, *content_type);
                Body::from(bytes.clone())
            }
            None => Body::empty(),
        };
        builder.body(body).map_err(|e| PushError::Endpoint {
            url: url.to_string(),
            message: e.to_string(),
        })
    }
}

/// The `WWW-Authenticate` values of a 401.
fn challenges_of(response: &Response<Body>) -> Vec<String> {
    response
        .headers()
        .get_all(header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().to_vec().unwrap_or_default();
    String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned()
}

fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        ConnectionRefused
            | ConnectionReset
            | ConnectionAborted
            | NotConnected
            | BrokenPipe
            | TimedOut
            | WouldBlock
            | UnexpectedEof
            | Interrupted
    ) || error.raw_os_error().is_some()
}
