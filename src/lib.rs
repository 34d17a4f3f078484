//! polegraph: a sourced RDF knowledge graph of the French
//! competitiveness-cluster policy (the *pôles de compétitivité*, the State
//! bodies that steer them and the events where they meet).
//!
//! The pipeline runs one way:
//!
//! ```text
//! load ──▶ map ──▶ store ──▶ query
//!                    │ ├───▶ export   (every RDF format, the publication bundle)
//!                    │ ├───▶ diagram  (Graphviz DOT of the GTI's relationships)
//!                    │ ├───▶ validate (SHACL Core)
//!                    │ ├───▶ serve    (SPARQL endpoint and record pages)
//!                    │ └───▶ push     (into a triple store)
//! ```
//!
//! - [`load`] reads and checks data files into a [`model::Dataset`], or
//!   streams a folder of CSV tables row by row ([`load::stream`]);
//! - [`map`] turns records into quads, into any [`map::QuadSink`];
//! - [`store`] builds the queryable graph (in memory, or on disk with the
//!   `rocksdb` feature) and describes it (VoID, DCAT);
//! - the rest read it out. [`iri`], [`vocab`], [`format`] and [`error`]
//!   sit below them all; [`io`] is plumbing (files written aside, outputs,
//!   interruption, write-behind threads, direct I/O).
//!
//! Each step is a module whose files are private: what it offers is
//! re-exported at its door (`polegraph::load::Input`,
//! `polegraph::store::Stats`, `polegraph::export::export_tables`), so a
//! file can move inside its room without changing the API. `io` is a
//! toolbox whose modules are its API.
//!
//! The library never prints: it takes writers and returns typed errors.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod error;
pub mod format;
pub mod iri;
pub mod model;
pub mod vocab;

pub mod load;
pub mod map;
pub mod store;

pub mod diagram;
pub mod export;
pub mod push;
pub mod query;
pub mod serve;
pub mod validate;

mod hashing;
pub mod io;
