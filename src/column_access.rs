//! Reading a frame's column by row index, in constant time and without a copy.
//!
//! The statistics and the re-sent dedupe walk a million rows and look at
//! several columns of each. Collecting a column into a `Vec<Option<&str>>`
//! costs 16 bytes per row per column (about 170 MB for the visits of a
//! province), and polars' `ChunkedArray::get` searches the chunks on every
//! call when there are many (a concatenated ledger has one chunk per
//! sheet). A reader rechunks once (string views are copied, their text is
//! not; a column already in one chunk is not copied at all) and keeps that
//! chunk's arrow array itself. Reading it directly, not through polars'
//! `get` (a chunk search, a call through `dyn Array` for the length and two
//! asserts on every call), took the visit figures' column reads from 129 M
//! to 36 M instructions on the province tenth (callgrind), 18 % of those
//! figures' whole cost. Out-of-range rows read as null, never panic.

use polars::prelude::*;

/// One column in one chunk: the chunk's arrow array (None when the column
/// has no chunk at all) and its length.
pub struct ColumnReader<T: PolarsDataType> {
    arr: Option<T::Array>,
    len: usize,
}

/// A text column.
pub type StrCol = ColumnReader<StringType>;
/// A 32-bit integer column; dates read as days since 1970-01-01.
pub type I32Col = ColumnReader<Int32Type>;

impl<T: PolarsDataType> ColumnReader<T> {
    pub fn of(ca: &ChunkedArray<T>) -> Self {
        let one = ca.rechunk();
        let arr = one.downcast_iter().next().cloned();
        ColumnReader { arr, len: ca.len() }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<T::Physical<'_>> {
        // StaticArray::get checks the bound, then the validity bit.
        self.arr.as_ref()?.get(i)
    }
}

impl StrCol {
    /// The named column of a frame, as text (cast when it is not).
    pub fn named(df: &DataFrame, name: &str) -> PolarsResult<Self> {
        let s = df.column(name)?.as_materialized_series().cast(&DataType::String)?;
        Ok(Self::of(s.str()?))
    }
}

impl I32Col {
    /// The named column of a frame as 32-bit integers (dates as days).
    pub fn named(df: &DataFrame, name: &str) -> PolarsResult<Self> {
        let s = df.column(name)?.as_materialized_series().cast(&DataType::Int32)?;
        Ok(Self::of(s.i32()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_across_chunks_and_out_of_range_is_null() {
        let mut a = StringChunked::new("s".into(), &[Some("甲"), None]);
        a.append(&StringChunked::new("s".into(), &[Some("乙")])).unwrap();
        assert_eq!(a.chunks().len(), 2);
        let c = StrCol::of(&a);
        assert_eq!((c.get(0), c.get(1), c.get(2), c.get(3)), (Some("甲"), None, Some("乙"), None));
        let n = I32Col::of(&Int32Chunked::new("n".into(), &[Some(3), None]));
        assert_eq!((n.get(0), n.get(1), n.get(9)), (Some(3), None, None));
        let empty = StrCol::of(&StringChunked::new("e".into(), &[] as &[Option<&str>]));
        assert_eq!((empty.len(), empty.get(0)), (0, None));
    }
}
