//! Renderers: each output is one module that reads the model and writes a file
//! (or the terminal). Nothing here computes a figure.

pub mod console;
pub mod tidy;
