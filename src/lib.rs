//! statbrief: a folder of monthly statistics ledgers (台账) in, a checked
//! quarterly briefing out.
//!
//! Data flows one way: [`ingest`] reads and validates every ledger into four
//! normalised polars tables plus a [`quality::DataQuality`] report; later
//! stages compute the statistics and render the outputs from them.

pub mod app;
pub mod column_access;
pub mod config;
pub mod definitions;
pub mod error;
pub mod ingest;
pub mod memory;
pub mod model;
pub mod outputs;
pub mod progress;
pub mod quality;
pub mod report;
pub mod row_index;
pub mod sample;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod template;

pub use error::Error;
