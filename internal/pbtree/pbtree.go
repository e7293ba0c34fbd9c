package pbtree

// Map is an ordered map from K to V, kept as a copy-on-write B-tree. The
// zero value is not usable; create maps with [New].
//
// A Map is not safe for concurrent use. Reads (Get, Find, FindAt, Len,
// Min, Max, the iterators and Diff) may run concurrently with each other,
// but not with a write (Set, SetAt, Delete or Clone: Clone writes the
// map's ownership token) to the same Map. Distinct Maps, including clones
// sharing nodes, may be used from different goroutines, since shared
// nodes are never written.
type Map[K, V any] struct {
	cmp   func(a, b K) int
	root  *node[K, V]
	owner *epoch
	len   int
	gen   uint64 // counts insertions and deletions, which move entries between nodes (see Finger)
}

// A Finger is where [Map.Find] found a key: [Map.FindAt] and [Map.SetAt]
// read and replace the value of that key there, without a search, as long
// as the map has had no insertion or deletion since and owns the node (it
// has not been cloned since). Otherwise they are Find and Set. The zero
// Finger points nowhere.
type Finger[K, V any] struct {
	n   *node[K, V]
	i   int
	gen uint64
}

// New returns an empty Map ordered by cmp, which must return a negative
// number, zero or a positive number when a < b, a == b or a > b, and must
// be a strict weak order (cmp.Compare and strings.Compare are). New panics
// if cmp is nil.
func New[K, V any](cmp func(a, b K) int) *Map[K, V] {
	if cmp == nil {
		panic("pbtree: New called with a nil cmp")
	}
	return &Map[K, V]{cmp: cmp, owner: new(epoch)}
}

// mustBeNew panics if m was not created by New.
func (m *Map[K, V]) mustBeNew() {
	if m.cmp == nil {
		panic("pbtree: Map used without New")
	}
}

// Len returns the number of entries of m.
func (m *Map[K, V]) Len() int { return m.len }

// Get returns the value of k and true, or the zero V and false if m has no
// entry for k.
func (m *Map[K, V]) Get(k K) (V, bool) {
	v, _, ok := m.Find(k)
	return v, ok
}

// Find is Get, and also returns where it found k, for a [Map.SetAt] of k
// that follows.
func (m *Map[K, V]) Find(k K) (V, Finger[K, V], bool) {
	for n := m.root; n != nil; {
		i, found := n.search(k, m.cmp)
		if found {
			return n.items[i].v, Finger[K, V]{n, i, m.gen}, true
		}
		if n.leaf() {
			break
		}
		n = n.children[i]
	}
	var zero V
	return zero, Finger[K, V]{}, false
}

// Set sets the value of k to v. If m already had an entry for k, Set
// replaces it — the stored key with k too, which matters for keys that
// compare equal but carry more (a pointer, say) — and returns the old
// value and true.
// Nodes that m shares with a clone are copied first, so the clone is not
// affected.
func (m *Map[K, V]) Set(k K, v V) (old V, replaced bool) {
	m.mustBeNew()
	if m.root == nil {
		r := &node[K, V]{owner: m.owner, n: 1}
		r.items[0] = item[K, V]{k, v}
		m.root, m.len = r, 1
		m.gen++
		return old, false
	}
	m.root = m.mutable(m.root)
	old, replaced, sep, right := m.insert(m.root, k, v, true)
	if right != nil {
		r := &node[K, V]{owner: m.owner, n: 1, children: new([maxItems + 1]*node[K, V])}
		r.items[0] = sep
		r.children[0], r.children[1] = m.root, right
		m.root = r
	}
	if !replaced {
		m.len++
		m.gen++
	}
	return old, replaced
}

// FindAt is Find, for a k that f, from Find, may point at: when f is
// still good (see [Finger]) and points at k, it reads the value there.
func (m *Map[K, V]) FindAt(f Finger[K, V], k K) (V, Finger[K, V], bool) {
	if m.points(f, k) {
		return f.n.items[f.i].v, f, true
	}
	return m.Find(k)
}

// SetAt is Set, for a k that f, from Find, may point at: when f is still
// good (see [Finger]) and points at k, it replaces the value in place.
func (m *Map[K, V]) SetAt(f Finger[K, V], k K, v V) (old V, replaced bool) {
	if m.points(f, k) {
		old = f.n.items[f.i].v
		f.n.items[f.i] = item[K, V]{k, v}
		return old, true
	}
	return m.Set(k, v)
}

// points reports whether f is good for m and points at k. A node m owns
// is in m's tree and written in place, until an insertion or deletion
// moves entries; a node m does not own may have been replaced by a copy.
func (m *Map[K, V]) points(f Finger[K, V], k K) bool {
	n := f.n
	return n != nil && f.gen == m.gen && n.owner == m.owner && m.cmp(n.items[f.i].k, k) == 0
}

// Delete removes the entry for k and returns its value and true, or the
// zero V and false if m had no entry for k (then m is left untouched: no
// node is copied).
func (m *Map[K, V]) Delete(k K) (old V, deleted bool) {
	m.mustBeNew()
	if m.root == nil {
		return old, false
	}
	root, old, deleted := m.remove(m.root, k)
	if !deleted {
		return old, false
	}
	if root.n == 0 {
		if root.leaf() {
			root = nil
		} else {
			root = root.children[0]
		}
	}
	m.root = root
	m.len--
	m.gen++
	return old, true
}

// Clone returns a copy of m in O(1) time. Afterwards m and the clone are
// independent: a write to either never shows in the other. They share all
// nodes until written; each node is copied at most once per side, on the
// first write that passes through it.
func (m *Map[K, V]) Clone() *Map[K, V] {
	m.mustBeNew()
	// Both maps get fresh tokens, so neither owns any existing node.
	m.owner = new(epoch)
	return &Map[K, V]{cmp: m.cmp, root: m.root, owner: new(epoch), len: m.len}
}

// CloneFrozen returns a copy of m in O(1) time, as Clone does, without
// writing to m: m must never be written again (m's own nodes stay
// writable by m, and the copy shares them). It suits maps nested in
// values of another persistent structure, which may be shared with other
// goroutines and are replaced, never written, once shared.
func (m *Map[K, V]) CloneFrozen() *Map[K, V] {
	m.mustBeNew()
	return &Map[K, V]{cmp: m.cmp, root: m.root, owner: new(epoch), len: m.len}
}

// Min returns the entry with the least key, or false if m is empty.
func (m *Map[K, V]) Min() (K, V, bool) {
	n := m.root
	if n == nil {
		var k K
		var v V
		return k, v, false
	}
	for !n.leaf() {
		n = n.children[0]
	}
	return n.items[0].k, n.items[0].v, true
}

// Max returns the entry with the greatest key, or false if m is empty.
func (m *Map[K, V]) Max() (K, V, bool) {
	n := m.root
	if n == nil {
		var k K
		var v V
		return k, v, false
	}
	for !n.leaf() {
		n = n.children[n.n]
	}
	it := n.items[n.n-1]
	return it.k, it.v, true
}
