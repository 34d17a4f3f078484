//! The HTTP/1.1 server: hyper on a small tokio runtime.
//!
//! Connections cost a task and a read buffer (a few KiB), not a thread, so
//! thousands of idle or slow clients cannot starve the others:
//!
//! - the request head must arrive within `header_timeout` after the
//!   connection opens or the previous answer ends (hyper's header read
//!   timeout), which also closes idle keep-alive connections;
//! - a request body must arrive within the same deadline;
//! - past `max_connections`, a new connection gets a canned 503 at once
//!   and is closed;
//! - queries run on blocking threads (at most [`HANDLER_THREADS`]), so a
//!   long query never holds the threads that read and write sockets.

use super::endpoint::Endpoint;
use super::log::{log_target, RequestLog};
use super::response::Failure;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The most requests answered at once (each on a blocking thread); more
/// wait their turn.
pub const HANDLER_THREADS: usize = 64;

/// The most connections being turned away with 503 at once; past that a
/// connection is closed without a word.
const MAX_REFUSING: usize = 1024;

/// Sent to a connection over the limit, written before reading anything.
fn full() -> Vec<u8> {
    let message = "the server holds too many connections: retry in a moment\n";
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{message}",
        message.len()
    )
    .into_bytes()
}

/// What every connection shares.
struct Shared {
    endpoint: Endpoint,
    logger: Box<dyn Fn(&RequestLog) + Send + Sync>,
    header_timeout: Duration,
}

/// The runtime that serves: a few threads for sockets, and
/// [`HANDLER_THREADS`] blocking threads for answers.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .max_blocking_threads(HANDLER_THREADS)
        .thread_name("polegraph-serve")
        .enable_io()
        .enable_time()
        .build()
}

/// A listening socket with a backlog large enough for bursts of clients.
pub fn listen(
    runtime: &tokio::runtime::Runtime,
    address: SocketAddr,
) -> std::io::Result<TcpListener> {
    let _entered = runtime.enter();
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(4096)
}

/// Serves on `listener` until the process ends.
pub fn run(
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
    endpoint: Endpoint,
    logger: Box<dyn Fn(&RequestLog) + Send + Sync>,
) {
    let max_connections = endpoint.options().max_connections;
    let shared = Arc::new(Shared {
        header_timeout: endpoint.options().header_timeout,
        endpoint,
        logger,
    });
    runtime.block_on(accept_loop(listener, shared, max_connections));
}

fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(4))
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, max_connections: usize) {
    let connections = Arc::new(Semaphore::new(max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // out of file descriptors, or a connection reset before it was
            // accepted: wait a little rather than spin
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        match Arc::clone(&connections).try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(serve_connection(stream, Arc::clone(&shared), permit));
            }
            Err(_) => {
                if let Ok(permit) = Arc::clone(&refusing).try_acquire_owned() {
                    tokio::spawn(refuse(stream, permit));
                }
            }
        }
    }
}

/// Answers 503 without reading the request, then lets the client close
/// first (closing with its request unread would reset the connection and
/// could lose the answer).
async fn refuse(mut stream: TcpStream, _permit: OwnedSemaphorePermit) {
    let deadline = Duration::from_secs(1);
    let _ = tokio::time::timeout(deadline, async {
        stream.write_all(&full()).await?;
        stream.shutdown().await?;
        let mut sink = [0; 1024];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>, _permit: OwnedSemaphorePermit) {
    let header_timeout = shared.header_timeout;
    let service = hyper::service::service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, std::convert::Infallible>(answer(request, shared).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// One request: its body read (bounded in size and time), then the
/// endpoint's answer computed on a blocking thread.
async fn answer(request: Request<Incoming>, shared: Arc<Shared>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let max_body = shared.endpoint.options().max_body;
    let body = match read_body(&parts, body, max_body, shared.header_timeout).await {
        Ok(body) => body,
        Err(failure) => {
            let response = shared.endpoint.finish(failure.into_response(), false);
            let (head, body) = response.into_parts();
            let body = body.to_vec().unwrap_or_default();
            let response = Response::from_parts(head, Full::new(Bytes::from(body)));
            log(&shared, &parts, &response, started);
            return response;
        }
    };
    let worker = Arc::clone(&shared);
    let answered = tokio::task::spawn_blocking(move || {
        let mut request =
            oxhttp::model::Request::from_parts(parts, oxhttp::model::Body::from(body));
        let response = worker.endpoint.handle(&mut request);
        let (head, mut body) = response.into_parts();
        let mut bytes = Vec::new();
        let read = body.read_to_end(&mut bytes);
        (request.into_parts().0, head, bytes, read.is_ok())
    })
    .await;
    match answered {
        Ok((parts, head, bytes, true)) => {
            let response = Response::from_parts(head, Full::new(Bytes::from(bytes)));
            log(&shared, &parts, &response, started);
            response
        }
        // the handler panicked, or its body could not be read
        _ => {
            let mut response = Response::new(Full::new(Bytes::from_static(
                b"the server failed to answer this request\n",
            )));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

/// The request body: at most `max + 1` bytes (so the endpoint can answer
/// 413 past `max`), nothing when `Content-Length` already says too much,
/// and 408 if it does not arrive within `deadline`.
async fn read_body(
    parts: &hyper::http::request::Parts,
    body: Incoming,
    max: usize,
    deadline: Duration,
) -> Result<Vec<u8>, Failure> {
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return Err(Failure::too_large(max));
    }
    let limited = Limited::new(body, max);
    match tokio::time::timeout(deadline, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes().to_vec()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            Err(Failure::too_large(max))
        }
        Ok(Err(error)) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            format!("cannot read the request body: {error}"),
        )),
        Err(_) => Err(Failure::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body did not arrive within {} s",
                deadline.as_secs_f64()
            ),
        )),
    }
}

fn log(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    response: &Response<Full<Bytes>>,
    started: Instant,
) {
    use hyper::body::Body as _;
    (shared.logger)(&RequestLog {
        method: parts.method.to_string(),
        target: log_target(&parts.uri),
        status: response.status().as_u16(),
        bytes: response.body().size_hint().exact(),
        elapsed: started.elapsed(),
    });
}
