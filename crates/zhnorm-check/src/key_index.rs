//! [`KeyIndex`]: the map the corpus indexes are kept in, a key (a digest) to a small value, at
//! about the size of its entries; and [`reserve_by_eighths`] for the lists beside them.

use std::collections::HashMap;
use std::hash::Hash;

/// Entries added since the last merge stay in a hash map until they are this share of the
/// sorted entries (or [`MIN_RECENT`]): each entry is then moved about eight times over its life,
/// and the map adds an eighth to the memory of the whole.
const RECENT_SHARE: usize = 8;
const MIN_RECENT: usize = 1024;

/// A map from digests to small values whose memory stays near the size of its entries: the
/// entries are kept in two sorted, exactly sized arrays (keys and values), plus a small hash map
/// of those added since the last merge.
///
/// The corpus indexes (every title, id and link target of a run) are the part of a streaming
/// run's memory that grows with the dump. A `HashMap` keeps them in a table doubled as it
/// fills, 44–87 % full, with the entry's padding: for a `u64` key and a `u32` value, 27 bytes an
/// entry at the table's usual fill against 12 here (measured over a 1 GB dump: the corpus rules'
/// indexes 12.7 MB with `HashMap`s). A lookup is a binary search in the sorted keys (a few cache
/// lines for an index that fits the core's cache) and one in the recent map. Written here
/// because the other sorted maps either keep nodes with their own overhead (`BTreeMap`) or
/// shift the whole array on every insert (sorted-vec maps).
#[derive(Debug, Clone)]
pub struct KeyIndex<K, V> {
    /// Sorted, distinct, and disjoint from `recent`'s keys.
    keys: Vec<K>,
    /// `values[i]` belongs to `keys[i]`.
    values: Vec<V>,
    recent: HashMap<K, V, foldhash::fast::RandomState>,
}

impl<K, V> Default for KeyIndex<K, V> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            values: Vec::new(),
            recent: HashMap::default(),
        }
    }
}

impl<K: Ord + Hash + Copy, V> KeyIndex<K, V> {
    pub fn len(&self) -> usize {
        self.keys.len() + self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        match self.keys.binary_search(key) {
            Ok(at) => self.values.get(at),
            Err(_) => self.recent.get(key),
        }
    }

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.keys.binary_search(key) {
            Ok(at) => self.values.get_mut(at),
            Err(_) => self.recent.get_mut(key),
        }
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`'s value; returns the value it had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if let Some(old) = self.get_mut(&key) {
            return Some(std::mem::replace(old, value));
        }
        self.make_room();
        self.recent.insert(key, value);
        None
    }

    /// The value of `key`, made by `make` if it has none.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        if let Ok(at) = self.keys.binary_search(&key) {
            return &mut self.values[at];
        }
        if !self.recent.contains_key(&key) {
            self.make_room();
        }
        self.recent.entry(key).or_insert_with(make)
    }

    /// The entries in key order.
    pub fn iter(&mut self) -> impl Iterator<Item = (&K, &V)> {
        self.merge();
        self.keys.iter().zip(&self.values)
    }

    /// Before a new key goes into `recent`: merges when `recent` has its share.
    fn make_room(&mut self) {
        if self.recent.len() >= MIN_RECENT.max(self.keys.len() / RECENT_SHARE) {
            self.merge();
        }
    }

    /// Moves the recent entries into the sorted arrays, which are rebuilt at their exact size.
    fn merge(&mut self) {
        if self.recent.is_empty() {
            return;
        }
        let mut recent: Vec<(K, V)> = self.recent.drain().collect();
        recent.sort_unstable_by_key(|&(key, _)| key);
        let total = self.keys.len() + recent.len();
        let mut keys = Vec::with_capacity(total);
        let mut values = Vec::with_capacity(total);
        let mut old = std::mem::take(&mut self.keys)
            .into_iter()
            .zip(std::mem::take(&mut self.values))
            .peekable();
        let mut new = recent.into_iter().peekable();
        loop {
            let take_old = match (old.peek(), new.peek()) {
                (Some((a, _)), Some((b, _))) => a < b,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_old { old.next() } else { new.next() };
            if let Some((key, value)) = next {
                keys.push(key);
                values.push(value);
            }
        }
        self.keys = keys;
        self.values = values;
    }
}

/// The least a list that grows with the run grows by, in elements (or bytes of a string).
const MIN_GROWTH: usize = 1024;

/// Makes room for `extra` more elements in a list that grows with the whole run (the ids of
/// every document, first spellings, redirects), by an eighth of its length when it is full:
/// `Vec`'s doubling leaves such a list a quarter empty on average and up to half, which over a
/// dump is memory the peak keeps. Appending stays amortized O(1) (each element is copied about
/// eight times in all).
pub(crate) fn reserve_by_eighths<T>(list: &mut Vec<T>, extra: usize) {
    if let Some(growth) = growth_by_eighths(list.len(), list.capacity(), extra) {
        list.reserve_exact(growth);
    }
}

/// [`reserve_by_eighths`] for a string, by bytes.
pub(crate) fn reserve_str_by_eighths(text: &mut String, extra: usize) {
    if let Some(growth) = growth_by_eighths(text.len(), text.capacity(), extra) {
        text.reserve_exact(growth);
    }
}

/// How much a list of `len` in `capacity` grows by to take `extra` more, if it must grow.
fn growth_by_eighths(len: usize, capacity: usize, extra: usize) -> Option<usize> {
    (capacity - len < extra).then(|| extra.max(len / 8).max(MIN_GROWTH))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entries_are_found_before_and_after_a_merge() {
        let mut index = KeyIndex::default();
        for key in (0..5000u64).rev() {
            assert_eq!(index.insert(key * 7, key), None);
        }
        assert!(index.recent.len() < MIN_RECENT, "merged as it grew");
        assert_eq!(index.len(), 5000);
        assert_eq!(index.get(&(4999 * 7)), Some(&4999));
        assert_eq!(index.get(&0), Some(&0));
        assert_eq!(index.get(&8), None);
        assert_eq!(index.insert(14, 100), Some(2));
        *index.get_or_insert_with(21, || 0) += 1;
        *index.get_or_insert_with(22, || 0) += 1;
        assert_eq!((index.get(&21), index.get(&22)), (Some(&4), Some(&1)));
        let keys: Vec<u64> = index.iter().map(|(&key, _)| key).take(4).collect();
        assert_eq!(keys, [0, 7, 14, 21]);
        assert!(index.recent.is_empty());
    }

    #[test]
    fn lists_grow_by_an_eighth() {
        let mut list: Vec<u64> = Vec::new();
        let mut text = String::new();
        for n in 0..100_000u64 {
            reserve_by_eighths(&mut list, 1);
            list.push(n);
            reserve_str_by_eighths(&mut text, 3);
            text.push('字');
        }
        assert!(list.capacity() <= list.len() + list.len() / 8 + MIN_GROWTH);
        assert!(text.capacity() <= text.len() + text.len() / 8 + MIN_GROWTH);
        assert_eq!((list[99_999], text.chars().count()), (99_999, 100_000));
    }

    proptest! {
        /// Any sequence of inserts, updates and lookups answers as a `HashMap` does, and
        /// `iter` gives its entries in key order.
        #[test]
        fn answers_as_a_hash_map(ops in proptest::collection::vec((0u8..3, 0u16..3000, 0u32..1_000_000), 0..6000)) {
            let mut index = KeyIndex::default();
            let mut model = HashMap::new();
            for (op, key, value) in ops {
                match op {
                    0 => prop_assert_eq!(index.insert(key, value), model.insert(key, value)),
                    1 => {
                        *index.get_or_insert_with(key, || value) += 1;
                        *model.entry(key).or_insert(value) += 1;
                    }
                    _ => prop_assert_eq!(index.get(&key), model.get(&key)),
                }
                prop_assert_eq!(index.len(), model.len());
            }
            let mut expected: Vec<(u16, u32)> = model.into_iter().collect();
            expected.sort_unstable();
            let got: Vec<(u16, u32)> = index.iter().map(|(&k, &v)| (k, v)).collect();
            prop_assert_eq!(got, expected);
        }
    }
}
