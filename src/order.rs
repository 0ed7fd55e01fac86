//! One stable sort for the whole crate, by a `u64` key.
//!
//! Every `sort_by_key` call with its own element type and closure compiles
//! to its own copy of the standard library's sort, about 3 KB of WASM each;
//! with nine of them that was a tenth of the module's code. Here the keys
//! are sorted once as `(key, position)` pairs, one instantiation for the
//! whole crate, and the elements are then put in that order. The position
//! breaks ties, so equal keys keep their order, as `sort_by_key` would.

/// Sort `items` by `key`, stably, in O(n log n).
pub(crate) fn sort_by_u64<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<(u64, usize)> = items.iter().map(&key).zip(0..).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|(_, i)| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::sort_by_u64;

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        let mut x = 0x2545_f491_u64;
        let mut v: Vec<(u64, usize)> = (0..500)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 17, i)
            })
            .collect();
        let mut want = v.clone();
        want.sort_by_key(|p| p.0);
        sort_by_u64(&mut v, |p| p.0);
        assert_eq!(v, want);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_u64(&mut empty, |&b| u64::from(b));
        assert!(empty.is_empty());
    }

    #[test]
    fn sorted_map_finds_what_it_holds() {
        let mut m = super::SortedMap::default();
        for k in [5u32, 1, 9, 5, 3] {
            m.insert(k, k * 10);
        }
        assert_eq!(m.len(), 4);
        assert_eq!(m.get(&9), Some(&90));
        assert_eq!(m.get(&4), None);
        assert!(!m.insert(1, 0), "a second insert keeps the first value");
        assert_eq!(m.get(&1), Some(&10));
    }
}

/// A small map kept as a sorted vector: look-ups by binary search, inserts
/// shift the tail. It replaces `HashMap`/`HashSet` for the few bounded maps
/// the crate keeps (findings by id, report rows, seen tokens), which saves
/// the hash table and hasher code in the WASM module.
#[derive(Clone, Debug)]
pub(crate) struct SortedMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// The value for `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.0
            .binary_search_by(|(k, _)| k.cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Add `key` unless it is there; true when it was added.
    pub(crate) fn insert(&mut self, key: K, value: V) -> bool {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, (key, value));
                true
            }
        }
    }

    /// How many keys.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}
