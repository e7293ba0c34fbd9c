package pbtree

// Node geometry. maxItems is odd so that maxItems == 2*minItems+1: an
// underfull node (fewer than minItems items), its separator and a sibling
// with at most minItems items always fit in one node when merged.
// 31 was chosen by benchmark (bench_test.go): against 15 it makes Get and
// Delete on 10^6 entries about 25% faster; against 63 it makes the first
// write after a Clone 30% cheaper and Diff after small changes twice as
// fast, at a cost of a few percent on Get, Set and Delete.
const (
	maxItems = 31
	minItems = maxItems / 2
)

// epoch is an ownership token. A [Map] may write a node in place only if
// the node's owner is the map's current token. The field gives the struct
// a non-zero size, so every allocation has a distinct address.
type epoch struct{ _ byte }

// item is one key/value pair.
type item[K, V any] struct {
	k K
	v V
}

// node is a B-tree node. Leaves have nil children. An internal node with n
// items has n+1 children. Slots at and beyond n are kept zero so that the
// garbage collector can free removed keys and values.
type node[K, V any] struct {
	owner    *epoch
	children *[maxItems + 1]*node[K, V]
	n        int
	items    [maxItems]item[K, V]
}

// leaf reports whether n has no children.
func (n *node[K, V]) leaf() bool { return n.children == nil }

// search returns the index of k in n's items and true, or the index at
// which k would be inserted and false.
func (n *node[K, V]) search(k K, cmp func(a, b K) int) (int, bool) {
	lo, hi := 0, n.n
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		c := cmp(n.items[h].k, k)
		switch {
		case c == 0:
			return h, true
		case c < 0:
			lo = h + 1
		default:
			hi = h
		}
	}
	return lo, false
}

// insertAt puts it at item index i and, for an internal node, child as the
// child right of it (index i+1). n must have room.
func (n *node[K, V]) insertAt(i int, it item[K, V], child *node[K, V]) {
	copy(n.items[i+1:n.n+1], n.items[i:n.n])
	n.items[i] = it
	if n.children != nil {
		copy(n.children[i+2:n.n+2], n.children[i+1:n.n+1])
		n.children[i+1] = child
	}
	n.n++
}

// removeAt deletes item i and, for an internal node, the child right of it
// (index i+1).
func (n *node[K, V]) removeAt(i int) {
	copy(n.items[i:n.n-1], n.items[i+1:n.n])
	n.items[n.n-1] = item[K, V]{}
	if n.children != nil {
		copy(n.children[i+1:n.n], n.children[i+2:n.n+1])
		n.children[n.n] = nil
	}
	n.n--
}

// mutable returns n if m owns it, else a copy of n owned by m. The caller
// must store the result where it found n.
func (m *Map[K, V]) mutable(n *node[K, V]) *node[K, V] {
	if n.owner == m.owner {
		return n
	}
	c := &node[K, V]{owner: m.owner, n: n.n}
	copy(c.items[:n.n], n.items[:n.n])
	if n.children != nil {
		c.children = new([maxItems + 1]*node[K, V])
		copy(c.children[:n.n+1], n.children[:n.n+1])
	}
	return c
}

// mutableChild makes child i of n (which m owns) owned by m and returns it.
func (m *Map[K, V]) mutableChild(n *node[K, V], i int) *node[K, V] {
	c := m.mutable(n.children[i])
	n.children[i] = c
	return c
}

// split moves the items after index mid of n (which m owns) into a new
// node, and returns the item at mid (removed from n) and the new node.
func (m *Map[K, V]) split(n *node[K, V], mid int) (item[K, V], *node[K, V]) {
	med := n.items[mid]
	right := &node[K, V]{owner: m.owner, n: n.n - mid - 1}
	copy(right.items[:], n.items[mid+1:n.n])
	clear(n.items[mid:n.n])
	if n.children != nil {
		right.children = new([maxItems + 1]*node[K, V])
		copy(right.children[:], n.children[mid+1:n.n+1])
		clear(n.children[mid+1 : n.n+1])
	}
	n.n = mid
	return med, right
}

// insert sets k to v in the subtree of n, which m owns; found reports
// whether k was there, and old is its value. rightmost reports whether n
// is the last node of its level. If n had to split, insert
// returns the separator and the new right sibling, which the caller must
// insert into the parent.
func (m *Map[K, V]) insert(n *node[K, V], k K, v V, rightmost bool) (old V, found bool, sep item[K, V], right *node[K, V]) {
	i, found := n.search(k, m.cmp)
	if found {
		old = n.items[i].v
		n.items[i] = item[K, V]{k, v}
		return old, true, sep, nil
	}
	it, child := item[K, V]{k, v}, (*node[K, V])(nil)
	if !n.leaf() {
		if m.spill(n, i, k) {
			// An item moved between siblings: k may now belong to the
			// other one.
			i, _ = n.search(k, m.cmp)
		}
		c := m.mutableChild(n, i)
		old, found, it, child = m.insert(c, k, v, rightmost && i == n.n)
		if child == nil {
			return old, found, sep, nil
		}
	}
	if n.n < maxItems {
		n.insertAt(i, it, child)
		return old, found, sep, nil
	}
	// n is full. Split it in the middle, except when appending to the last
	// node of a level: then keep the left part full, so that ascending
	// insertion (the common case for generated names) fills nodes
	// completely instead of half. Only the last node of each level can be
	// underfull this way, so the height stays logarithmic.
	mid := maxItems / 2
	if rightmost && i == n.n {
		mid = maxItems - 1
	}
	sep, right = m.split(n, mid)
	if i <= n.n {
		n.insertAt(i, it, child)
	} else {
		right.insertAt(i-n.n-1, it, child)
	}
	return old, found, sep, right
}

// spill makes room in the full leaf child i of n (which m owns) before k
// is inserted into it, by moving items through the separator to a
// sibling leaf that has room and that m owns (spilling into a shared
// sibling would copy it: after a Clone, writes stay one path), left
// first, so that the two hold about as many. Splitting full leaves in the
// middle leaves random insertion with leaves about 58% full; spilling
// first raises that to about 80%, which is most of the tree's memory
// (B*-trees do the same). It reports whether an item moved: not when the
// child has room, holds k already (a replacement), or has no sibling
// with room, and not when k goes past the end of the last leaf of a
// level (ascending insertion, which insert keeps dense by splitting
// unevenly). Only a leaf moves items, so no child pointers move.
func (m *Map[K, V]) spill(n *node[K, V], i int, k K) bool {
	c := n.children[i]
	if !c.leaf() || c.n < maxItems {
		return false
	}
	j, found := c.search(k, m.cmp)
	if found {
		return false
	}
	switch {
	case i > 0 && n.children[i-1].n < maxItems && n.children[i-1].owner == m.owner && j > 0:
		// The smallest items of c go to the end of its left sibling,
		// through the separator, evening the two out.
		left := m.mutableChild(n, i-1)
		c = m.mutableChild(n, i)
		cnt := (c.n - left.n + 1) / 2
		left.items[left.n] = n.items[i-1]
		copy(left.items[left.n+1:], c.items[:cnt-1])
		left.n += cnt
		n.items[i-1] = c.items[cnt-1]
		copy(c.items[:], c.items[cnt:c.n])
		clear(c.items[c.n-cnt : c.n])
		c.n -= cnt
		return true
	case i < n.n && n.children[i+1].n < maxItems && n.children[i+1].owner == m.owner && j < c.n:
		// The greatest items of c go to the start of its right sibling,
		// through the separator, evening the two out.
		right := m.mutableChild(n, i+1)
		c = m.mutableChild(n, i)
		cnt := (c.n - right.n + 1) / 2
		copy(right.items[cnt:], right.items[:right.n])
		right.items[cnt-1] = n.items[i]
		copy(right.items[:cnt-1], c.items[c.n-cnt+1:c.n])
		right.n += cnt
		n.items[i] = c.items[c.n-cnt]
		clear(c.items[c.n-cnt : c.n])
		c.n -= cnt
		return true
	}
	return false
}

// remove deletes k from the subtree of n and returns the subtree's new
// root (n or, if n was shared, its copy). Nothing is copied if k is
// absent. The returned node may be underfull; the caller rebalances.
func (m *Map[K, V]) remove(n *node[K, V], k K) (*node[K, V], V, bool) {
	i, found := n.search(k, m.cmp)
	if n.leaf() {
		if !found {
			var zero V
			return n, zero, false
		}
		n = m.mutable(n)
		old := n.items[i].v
		n.removeAt(i)
		return n, old, true
	}
	if found {
		n = m.mutable(n)
		old := n.items[i].v
		c, pred := m.removeMax(n.children[i])
		n.children[i] = c
		n.items[i] = pred
		m.rebalance(n, i)
		return n, old, true
	}
	c, old, ok := m.remove(n.children[i], k)
	if !ok {
		return n, old, false
	}
	n = m.mutable(n)
	n.children[i] = c
	m.rebalance(n, i)
	return n, old, true
}

// removeMax deletes the greatest item of the subtree of n and returns the
// subtree's new root and the item.
func (m *Map[K, V]) removeMax(n *node[K, V]) (*node[K, V], item[K, V]) {
	n = m.mutable(n)
	if n.leaf() {
		it := n.items[n.n-1]
		n.removeAt(n.n - 1)
		return n, it
	}
	c, it := m.removeMax(n.children[n.n])
	n.children[n.n] = c
	m.rebalance(n, n.n)
	return n, it
}

// rebalance restores the fill of child i of n after a deletion. Both n and
// child i are owned by m. If the child has fewer than minItems items it
// borrows an item from a sibling with more than minItems, or else merges
// with a sibling, which leaves n with one item fewer.
func (m *Map[K, V]) rebalance(n *node[K, V], i int) {
	c := n.children[i]
	if c.n >= minItems {
		return
	}
	switch {
	case i > 0 && n.children[i-1].n > minItems:
		// Rotate right: the separator moves down to the front of c and the
		// left sibling's last item moves up.
		l := m.mutableChild(n, i-1)
		var moved *node[K, V]
		if !l.leaf() {
			moved = l.children[l.n]
		}
		c.insertFront(n.items[i-1], moved)
		n.items[i-1] = l.items[l.n-1]
		l.items[l.n-1] = item[K, V]{}
		if !l.leaf() {
			l.children[l.n] = nil
		}
		l.n--
	case i < n.n && n.children[i+1].n > minItems:
		// Rotate left: the separator moves down to the end of c and the
		// right sibling's first item moves up.
		r := m.mutableChild(n, i+1)
		c.items[c.n] = n.items[i]
		if !c.leaf() {
			c.children[c.n+1] = r.children[0]
		}
		c.n++
		n.items[i] = r.items[0]
		r.removeFront()
	default:
		j := i
		if i > 0 {
			j = i - 1
		}
		// Merge child j+1 and the separator j into child j. Child j+1 is
		// only read, so it need not be owned.
		l := m.mutableChild(n, j)
		r := n.children[j+1]
		l.items[l.n] = n.items[j]
		copy(l.items[l.n+1:], r.items[:r.n])
		if !l.leaf() {
			copy(l.children[l.n+1:], r.children[:r.n+1])
		}
		l.n += 1 + r.n
		n.removeAt(j)
	}
}

// insertFront puts it before all items of n and, for an internal node,
// child before all children.
func (n *node[K, V]) insertFront(it item[K, V], child *node[K, V]) {
	copy(n.items[1:n.n+1], n.items[:n.n])
	n.items[0] = it
	if n.children != nil {
		copy(n.children[1:n.n+2], n.children[:n.n+1])
		n.children[0] = child
	}
	n.n++
}

// removeFront deletes the first item of n and, for an internal node, the
// first child.
func (n *node[K, V]) removeFront() {
	copy(n.items[:n.n-1], n.items[1:n.n])
	n.items[n.n-1] = item[K, V]{}
	if n.children != nil {
		copy(n.children[:n.n], n.children[1:n.n+1])
		n.children[n.n] = nil
	}
	n.n--
}
