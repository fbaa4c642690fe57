//! The benchmark's yardstick: calamine alone decoding the same workbooks on
//! the same cores (one rayon task per file, `worksheet_range` for every
//! sheet), with nothing else done. `bench/run.sh` compares statbrief's end
//! to end time with this program's.

use calamine::{open_workbook_auto, Reader};
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        })
        .collect();
    files.sort();
    let cells: usize = files
        .par_iter()
        .map(|p| {
            let Ok(mut book) = open_workbook_auto(p) else { return 0 };
            let names = book.sheet_names();
            names
                .iter()
                .map(|n| book.worksheet_range(n).map(|r| r.get_size().0 * r.get_size().1).unwrap_or(0))
                .sum::<usize>()
        })
        .sum();
    println!("{} files, {} cells", files.len(), cells);
}
