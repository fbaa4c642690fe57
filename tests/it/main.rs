//! The whole test suite as one binary: every integration test links polars,
//! and linking it once instead of eight times saves minutes on each CI build.
//! Each module is one topic; `common` holds the fixture writers they share.

mod cli;
#[macro_use]
mod common;
mod corpus;
mod docs;
mod hostile;
mod html_article;
mod ingest_rules;
mod properties;
mod sample_data;
mod stats_definitions;
mod xlsx;
