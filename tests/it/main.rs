//! The whole test suite as one binary: every integration test links polars,
//! and linking it once instead of eight times saves minutes on each CI build.
//! Each module is one topic; `common` holds the fixture writers they share.

// `common` first, with its macros (`row!`), so every module below can use them.
#[macro_use]
mod common;

mod cli;
mod corpus;
mod docs;
mod docx;
mod hostile;
mod html_article;
mod indicator_shapes;
mod ingest_rules;
mod properties;
mod real_ledgers;
mod sample_data;
mod scale;
mod serve;
mod stats_definitions;
mod templates;
mod town_files;
mod xlsx;
