//! One module a command: each turns its arguments into the library's
//! options, runs the library and writes what the user asked for.

pub mod build;
pub mod dot;
pub mod export;
pub mod push;
pub mod query;
pub mod serve;
pub mod stats;
pub mod validate;
