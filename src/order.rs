//! One stable sort for the whole crate.
//!
//! The standard sort is instantiated once per element type and comparator, ~3.5 KB of wasm each;
//! with a dozen sorted types that was the largest block of code in the module (BENCHMARKS.md). Here
//! the standard sort runs on indices with a `dyn` comparator, so it exists once; each element type
//! only adds the small permutation below. Native builds and the Node wasm build (feature
//! `wasm-speed`), which have no size budget, use the standard sort directly: no index and slot vectors per call (both are stable, so the order is
//! the same).

use std::cmp::Ordering;

/// The one instantiation of the standard stable sort.
#[cfg(any(test, all(target_arch = "wasm32", not(feature = "wasm-speed"))))]
fn sort_indices(indices: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    indices.sort_by(|a, b| compare(*a, *b));
}

/// Sorts `items` stably by `compare`.
#[allow(clippy::ptr_arg)] // the wasm sort rebuilds the vector
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(any(not(target_arch = "wasm32"), feature = "wasm-speed"))]
    items.sort_by(compare);
    #[cfg(all(target_arch = "wasm32", not(feature = "wasm-speed")))]
    by_indices(items, compare);
}

/// The size-saving stable sort of the wasm build.
#[cfg(any(test, all(target_arch = "wasm32", not(feature = "wasm-speed"))))]
fn by_indices<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut indices: Vec<usize> = (0..items.len()).collect();
    sort_indices(
        &mut indices,
        &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        },
    );
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        indices
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `items` stably by a key.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_sort_orders_as_the_standard_sort() {
        let mut state = 7u64;
        for len in 0..40 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 60) as u8, i)
                })
                .collect();
            let (mut a, mut b) = (v.clone(), v);
            by_indices(&mut a, |x, y| x.0.cmp(&y.0));
            b.sort_by_key(|x| x.0);
            assert_eq!(a, b);
        }
    }

    #[test]
    fn stable_and_complete() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
