//! polegraph: a sourced RDF knowledge graph of the French
//! competitiveness-cluster policy (the *pôles de compétitivité*, the State
//! bodies that steer them and the events where they meet).
//!
//! The pipeline runs one way: [`load`] reads and checks data files into a
//! [`model::Dataset`]; [`map`] turns records into quads; [`store`] builds
//! the queryable graph; [`query`] and [`export`] read it out.
//!
//! The library never prints: it takes writers and returns typed errors.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod bundle;
pub mod diagram;
#[cfg(target_os = "linux")]
pub mod direct_file;
pub mod error;
pub mod export;
pub mod format;
pub mod interrupt;
pub mod jsonld;
pub mod load;
pub mod map;
pub mod model;
pub mod ntriples;
#[cfg(feature = "rocksdb")]
pub mod persist;
pub mod push;
pub mod query;
pub mod serve;
pub mod stats;
pub mod store;
pub mod stream;
pub mod target;
pub mod validate;
pub mod vocab;
pub mod void;
pub mod write_behind;
