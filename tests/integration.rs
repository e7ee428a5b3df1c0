//! byline's integration tests: one binary, one module per concept (`util` holds the shared
//! seeds index and the runners).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod alerts;
mod articles;
mod cli;
mod copies;
mod entities;
mod export;
mod facets;
mod fuzzed;
mod hostile;
mod http;
mod indexing;
mod lang;
mod properties;
mod reliability;
mod robust;
mod scale;
mod schema;
mod screen;
mod search;
mod similar;
mod sort;
mod timeline;
mod util;
mod variants;
