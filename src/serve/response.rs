//! Responses built in one place: a body with its type, and the failures
//! (a status and a message for people).

use super::sparql::EvaluateError;
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Response, StatusCode};

/// A response that is an error: its status and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// A request body over the server's limit of `max` bytes.
    pub fn too_large(max: usize) -> Self {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than the server's limit of {max} bytes"),
        )
    }

    pub(super) fn into_response(self) -> Response<Body> {
        let mut text = self.message;
        text.push('\n');
        let mut response = response(self.status, "text/plain; charset=utf-8", text.into_bytes());
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(ALLOWED));
        }
        response
    }
}

impl From<EvaluateError> for Failure {
    fn from(error: EvaluateError) -> Self {
        let status = match &error {
            EvaluateError::Syntax(_) | EvaluateError::GraphIri { .. } => StatusCode::BAD_REQUEST,
            EvaluateError::TooManyResults(_) => StatusCode::BAD_REQUEST,
            EvaluateError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = match &error {
            EvaluateError::Syntax(e) => format!("the query does not parse: {e}"),
            other => other.to_string(),
        };
        Failure::new(status, message)
    }
}

/// The methods the endpoint answers.
pub(super) const ALLOWED: &str = "GET, HEAD, POST, OPTIONS";

pub(crate) fn response(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

pub(super) fn not_allowed(method: &Method) -> Failure {
    Failure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed here (allowed: {ALLOWED})"),
    )
}
