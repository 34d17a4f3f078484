//! The second pass of a push: the spooled graphs go up in chunks, with
//! several requests in flight.
//!
//! One thread reads the spool files and cuts them into request bodies; a
//! bounded queue hands them to `jobs` senders, each with its own HTTP
//! client; the calling thread hears what each request did. At most
//! `2 × jobs` bodies exist at once, whatever the size of the graphs.

use super::cleanup::Flight;
use super::client::{HttpClient, Retry};
use super::error::PushError;
use super::spool::{Spool, SpooledGraph};
use oxhttp::model::Method;
use oxigraph::model::NamedNode;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Mutex;

/// Where one graph's triples go.
pub(super) struct Destination {
    /// The graph itself, or the staging graph it is swapped in from.
    pub iri: NamedNode,
    /// PUT (replace) or POST (add).
    pub method: Method,
    /// Requests it takes.
    pub chunks: u64,
    pub route: Route,
}

/// How a graph goes in whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    /// In one request, which the store applies whole.
    Whole,
    /// Straight into a graph that held nothing, in several requests;
    /// dropped if the push stops before every graph is up.
    Created,
    /// Into a staging graph, swapped in once every graph is up.
    Staged,
}

/// How the bodies are addressed.
pub(super) enum Door {
    /// Graph Store Protocol: N-Triples to `endpoint?graph=IRI`.
    Graph {
        endpoint: url::Url,
        parameter: String,
    },
    /// N-Quads POSTed to a dataset endpoint (the graph in each line).
    Dataset(url::Url),
}

/// What a sender tells the calling thread.
pub(super) enum Outcome {
    Sent { graph: usize, triples: u64 },
    Retry(Retry),
    Failed(PushError),
}

struct Job {
    graph: usize,
    triples: u64,
    body: Vec<u8>,
}

/// The most triples in one request for a graph (all of them when blank
/// nodes must stay together).
pub(super) fn chunk_limit(graph: &SpooledGraph, chunk_triples: usize) -> u64 {
    if graph.has_blank {
        u64::MAX
    } else {
        chunk_triples.max(1) as u64
    }
}

/// Sends every graph of `spool` to its destination with `jobs` requests in
/// flight; `on_outcome` hears each. Stops at the first failure, which is
/// returned, or when `flight` is stopped from outside.
#[allow(clippy::too_many_arguments)]
pub(super) fn send_all(
    spool: &Spool,
    destinations: &[Destination],
    door: &Door,
    chunk_triples: usize,
    jobs: usize,
    client: &(dyn Fn() -> Result<HttpClient, PushError> + Sync),
    flight: &Flight,
    on_outcome: &mut dyn FnMut(&Outcome),
) -> Result<(), PushError> {
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(jobs.max(1));
    let job_rx = Mutex::new(job_rx);
    let (out_tx, out_rx) = mpsc::channel::<Outcome>();
    let mut failure = None;
    let read = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let read = read_chunks(spool, destinations, door, chunk_triples, &job_tx, flight);
            drop(job_tx);
            read
        });
        for _ in 0..jobs.max(1) {
            let out_tx = out_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || sender(job_rx, &out_tx, flight, destinations, door, client));
        }
        drop(out_tx);
        for outcome in out_rx {
            if let Outcome::Failed(_) = outcome {
                flight.stop();
            }
            on_outcome(&outcome);
            if let Outcome::Failed(error) = outcome {
                failure.get_or_insert(error);
            }
        }
        reader.join()
    });
    if let Some(error) = failure {
        return Err(error);
    }
    match read {
        Ok(result) => result.map_err(|source| PushError::Spool {
            dir: spool.dir().to_owned(),
            source,
        }),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// One sender: takes bodies off the queue until it is closed; after a
/// failure anywhere, it only empties the queue.
fn sender(
    jobs: &Mutex<Receiver<Job>>,
    out: &Sender<Outcome>,
    flight: &Flight,
    destinations: &[Destination],
    door: &Door,
    client: &(dyn Fn() -> Result<HttpClient, PushError> + Sync),
) {
    let mut http = None;
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let Some(outcome) =
            flight.run(|| send_one(&mut http, &job, out, destinations, door, client))
        else {
            continue;
        };
        if outcome.is_err() {
            // Said here, not when the outcome is heard: this sender would
            // otherwise take the next body before the stop is seen.
            flight.stop();
        }
        let _ = out.send(match outcome {
            Ok(()) => Outcome::Sent {
                graph: job.graph,
                triples: job.triples,
            },
            Err(error) => Outcome::Failed(error),
        });
    }
}

fn send_one(
    http: &mut Option<HttpClient>,
    job: &Job,
    out: &Sender<Outcome>,
    destinations: &[Destination],
    door: &Door,
    client: &(dyn Fn() -> Result<HttpClient, PushError> + Sync),
) -> Result<(), PushError> {
    let http = match http {
        Some(http) => http,
        None => http.insert(client()?),
    };
    let destination = &destinations[job.graph];
    let (method, url, media_type) = match door {
        Door::Graph {
            endpoint,
            parameter,
        } => {
            let mut url = endpoint.clone();
            url.query_pairs_mut()
                .append_pair(parameter, destination.iri.as_str());
            (destination.method.clone(), url, "application/n-triples")
        }
        Door::Dataset(url) => (Method::POST, url.clone(), "application/n-quads"),
    };
    let request = format!(
        "{method} {} triples of graph <{}> to {}",
        job.triples,
        destination.iri.as_str(),
        door_url(door)
    );
    http.send(
        &request,
        method,
        &url,
        Some((media_type, job.body.clone())),
        None,
        &mut |retry| {
            let _ = out.send(Outcome::Retry(retry));
        },
    )?;
    Ok(())
}

fn door_url(door: &Door) -> &url::Url {
    match door {
        Door::Graph { endpoint, .. } => endpoint,
        Door::Dataset(url) => url,
    }
}

/// Reads the spool files in order and queues their bodies.
fn read_chunks(
    spool: &Spool,
    destinations: &[Destination],
    door: &Door,
    chunk_triples: usize,
    jobs: &SyncSender<Job>,
    flight: &Flight,
) -> io::Result<()> {
    for (index, graph) in spool.graphs.iter().enumerate() {
        let limit = chunk_limit(graph, chunk_triples);
        // For a dataset endpoint, each line names its graph.
        let suffix = match door {
            Door::Dataset(_) => Some(format!(" <{}> .\n", destinations[index].iri.as_str())),
            Door::Graph { .. } => None,
        };
        let mut reader = BufReader::with_capacity(1 << 20, File::open(&graph.path)?);
        let mut line = Vec::new();
        let mut body = Vec::new();
        let mut triples = 0;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            match &suffix {
                Some(suffix) => {
                    body.extend_from_slice(line.strip_suffix(b" .\n").unwrap_or(&line));
                    body.extend_from_slice(suffix.as_bytes());
                }
                None => body.extend_from_slice(&line),
            }
            triples += 1;
            if triples == limit {
                if !queue(jobs, flight, index, triples, std::mem::take(&mut body)) {
                    return Ok(());
                }
                triples = 0;
            }
        }
        if triples > 0 && !queue(jobs, flight, index, triples, body) {
            return Ok(());
        }
    }
    Ok(())
}

/// Queues a body (waiting while the queue is full); false once the push
/// is stopping.
fn queue(
    jobs: &SyncSender<Job>,
    flight: &Flight,
    graph: usize,
    triples: u64,
    body: Vec<u8>,
) -> bool {
    let job = Job {
        graph,
        triples,
        body,
    };
    !flight.stopped() && jobs.send(job).is_ok()
}
