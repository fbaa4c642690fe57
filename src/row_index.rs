//! Rows grouped by a key without copying the key.
//!
//! The re-sent dedupe and the visit figures find, for a million rows, the
//! row that stands for each key (a project, a visit, a problem). A hash map
//! from owned or borrowed key tuples costs 80–130 bytes per row at that
//! scale, several hundred MB at province size. Here the table holds only row
//! indices (4 bytes each): the caller says how to hash a row's key and
//! whether two rows' keys are equal, both read from the frame's columns.
//! Written by hand because it is this pairing with polars columns, not the
//! table, that is specific: the table itself is hashbrown's `HashTable`,
//! and callers hash with polars' own hasher (foldhash).

use hashbrown::hash_table::{Entry, HashTable};

/// Row indices, one per distinct key.
#[derive(Default)]
pub struct RowIndex {
    table: HashTable<u32>,
}

impl RowIndex {
    pub fn with_capacity(n: usize) -> Self {
        RowIndex { table: HashTable::with_capacity(n) }
    }

    /// The row already standing for `row`'s key, to read or replace; when
    /// there is none, `row` becomes it and the answer is None.
    pub fn find_or_insert(
        &mut self,
        row: u32,
        hash: impl Fn(u32) -> u64,
        eq: impl Fn(u32, u32) -> bool,
    ) -> Option<&mut u32> {
        match self.table.entry(hash(row), |&j| eq(j, row), |&j| hash(j)) {
            Entry::Occupied(o) => Some(o.into_mut()),
            Entry::Vacant(v) => {
                v.insert(row);
                None
            }
        }
    }

    /// How many distinct keys.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The rows standing for the keys, in no particular order.
    pub fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.table.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn one_row_per_key_and_the_caller_chooses_which() {
        // Keys by row: a b a c b a. Keep the last row of each key.
        let keys = ["a", "b", "a", "c", "b", "a"];
        let state = foldhash::quality::RandomState::default();
        let hash = |i: u32| state.hash_one(keys[i as usize]);
        let eq = |i: u32, j: u32| keys[i as usize] == keys[j as usize];
        let mut index = RowIndex::default();
        let mut replaced = Vec::new();
        for i in 0..keys.len() as u32 {
            if let Some(prev) = index.find_or_insert(i, hash, eq) {
                replaced.push(*prev);
                *prev = i;
            }
        }
        assert_eq!(index.len(), 3);
        let mut rows: Vec<u32> = index.rows().collect();
        rows.sort_unstable();
        assert_eq!(rows, vec![3, 4, 5]);
        assert_eq!(replaced, vec![0, 1, 2]);
    }

    #[test]
    fn colliding_hashes_still_compare_keys() {
        // Every key hashes alike: only the comparison tells them apart.
        let keys = [1, 2, 1, 3];
        let mut index = RowIndex::with_capacity(2);
        for i in 0..keys.len() as u32 {
            index.find_or_insert(i, |_| 7, |a, b| keys[a as usize] == keys[b as usize]);
        }
        assert_eq!(index.len(), 3);
    }
}
