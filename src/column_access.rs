//! Reading a frame's column by row index, in constant time and without a copy.
//!
//! The statistics and the re-sent dedupe walk a million rows and look at
//! several columns of each. Collecting a column into a `Vec<Option<&str>>`
//! costs 16 bytes per row per column (about 170 MB for the visits of a
//! province), and polars' `ChunkedArray::get` searches the chunks on every
//! call (a concatenated ledger has one chunk per sheet). These readers
//! rechunk once (string views are copied, their text is not) and then read
//! the one arrow array directly. Out-of-range rows read as null, never panic.

use polars::prelude::*;

type StrArray = <StringType as PolarsDataType>::Array;
type I32Array = <Int32Type as PolarsDataType>::Array;

/// A text column.
pub struct StrCol {
    arr: StrArray,
}

impl StrCol {
    pub fn of(ca: &StringChunked) -> Self {
        let one = ca.rechunk();
        let arr = one.downcast_iter().next().cloned();
        StrCol { arr: arr.unwrap_or_else(|| StrArray::new_empty(ArrowDataType::Utf8View)) }
    }

    /// The named column of a frame, as text (cast when it is not).
    pub fn named(df: &DataFrame, name: &str) -> PolarsResult<Self> {
        let s = df.column(name)?.as_materialized_series().cast(&DataType::String)?;
        Ok(Self::of(s.str()?))
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        if i < self.arr.len() {
            self.arr.get(i)
        } else {
            None
        }
    }
}

/// A 32-bit integer column; dates read as days since 1970-01-01.
pub struct I32Col {
    arr: I32Array,
}

impl I32Col {
    pub fn of(ca: &Int32Chunked) -> Self {
        let one = ca.rechunk();
        let arr = one.downcast_iter().next().cloned();
        I32Col { arr: arr.unwrap_or_else(|| I32Array::new_empty(ArrowDataType::Int32)) }
    }

    /// The named column of a frame as 32-bit integers (dates as days).
    pub fn named(df: &DataFrame, name: &str) -> PolarsResult<Self> {
        let s = df.column(name)?.as_materialized_series().cast(&DataType::Int32)?;
        Ok(Self::of(s.i32()?))
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<i32> {
        if i >= self.arr.len() {
            return None;
        }
        let valid = self.arr.validity().is_none_or(|v| v.get_bit(i));
        valid.then(|| self.arr.value(i))
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
    }
}
