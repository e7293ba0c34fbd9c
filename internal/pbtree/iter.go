package pbtree

import "iter"

// All returns an iterator over the entries of m in ascending key order.
// The map must not be modified (Set, Delete) while an iteration is in
// progress; the result of doing so is undefined. To modify a map while
// iterating, iterate over a [Map.Clone] of it.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if m.root != nil {
			m.root.all(yield)
		}
	}
}

// Ascend returns an iterator over the entries of m with keys >= from, in
// ascending key order. The rules of [Map.All] about writes apply.
func (m *Map[K, V]) Ascend(from K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if m.root != nil {
			var to K
			m.root.walk(true, from, false, to, m.cmp, yield)
		}
	}
}

// Range returns an iterator over the entries of m with from <= key < to,
// in ascending key order. It yields nothing if from >= to. The rules of
// [Map.All] about writes apply.
func (m *Map[K, V]) Range(from, to K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if m.root != nil && m.cmp(from, to) < 0 {
			m.root.walk(true, from, true, to, m.cmp, yield)
		}
	}
}

// all yields every entry of the subtree of n in order. It returns false if
// yield did.
func (n *node[K, V]) all(yield func(K, V) bool) bool {
	if n.leaf() {
		for i := range n.n {
			if !yield(n.items[i].k, n.items[i].v) {
				return false
			}
		}
		return true
	}
	for i := range n.n {
		if !n.children[i].all(yield) || !yield(n.items[i].k, n.items[i].v) {
			return false
		}
	}
	return n.children[n.n].all(yield)
}

// walk yields the entries of the subtree of n with key >= from (if lo)
// and key < to (if hi), in order. It returns false if iteration must stop:
// yield returned false or a key >= to was reached.
func (n *node[K, V]) walk(lo bool, from K, hi bool, to K, cmp func(a, b K) int, yield func(K, V) bool) bool {
	i, found := 0, false
	if lo {
		i, found = n.search(from, cmp)
	}
	if !n.leaf() && !found {
		// Child i holds the keys between items i-1 and i, some of which
		// may be >= from.
		if !n.children[i].walk(lo, from, hi, to, cmp, yield) {
			return false
		}
	}
	for ; i < n.n; i++ {
		it := &n.items[i]
		if hi && cmp(it.k, to) >= 0 {
			return false
		}
		if !yield(it.k, it.v) {
			return false
		}
		if n.leaf() {
			continue
		}
		// Every key of child i+1 is below the next separator, if any, so
		// the child needs no upper bound check when that separator <= to.
		c := n.children[i+1]
		if !hi || (i+1 < n.n && cmp(n.items[i+1].k, to) <= 0) {
			if !c.all(yield) {
				return false
			}
		} else if !c.walk(false, from, hi, to, cmp, yield) {
			return false
		}
	}
	return true
}
