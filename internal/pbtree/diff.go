package pbtree

// Diff calls fn for every key whose presence or value differs between a and
// b, in ascending key order, and stops early if fn returns false. inA and
// inB report where the key is present; va (vb) is the zero V when inA (inB)
// is false. For a key in both maps fn is called only if same(va, vb) is
// false; same is typically pointer equality, and must be reflexive
// (same(v, v) is true), because entries in shared subtrees are never
// passed to it. The key passed is a's stored key when inA, else b's.
//
// a and b must be ordered by the same cmp (Diff uses a's). They may be
// unrelated maps, in which case Diff merges them in O(len(a)+len(b)) time.
// Subtrees that a and b share (because one descends from a [Map.Clone] of
// the other) are skipped without being visited, so diffing a clone
// against its origin after k writes costs O(k log n). Neither map may be
// written while Diff runs, including from fn.
func Diff[K, V any](a, b *Map[K, V], same func(va, vb V) bool, fn func(k K, va V, inA bool, vb V, inB bool) bool) {
	diff(a, b, same, fn, nil)
}

// diffStats counts the work of one diff, for tests.
type diffStats struct {
	visits int // nodes descended into, on either side
	skips  int // shared subtrees skipped, counted once per pair
}

// diff is Diff, counting into st if it is non-nil.
func diff[K, V any](a, b *Map[K, V], same func(va, vb V) bool, fn func(k K, va V, inA bool, vb V, inB bool) bool, st *diffStats) {
	ca := cursor[K, V]{st: st}
	cb := cursor[K, V]{st: st}
	ca.start(a.root)
	cb.start(b.root)
	cmp := a.cmp
	var zero V
	for {
		switch {
		case ca.sub != nil && cb.sub != nil:
			if ca.sub == cb.sub {
				// The same node holds the same entries in both maps, and
				// since each cursor stands at its first entry, no other
				// entry of either map lies within its key range.
				if st != nil {
					st.skips++
				}
				ca.skip()
				cb.skip()
				continue
			}
			// A shared node has the same height in both trees (leaves are
			// all at height 0), so descend the taller side, or both when
			// the heights are equal, until the pointers match or the
			// cursors reach items.
			switch {
			case ca.subH > cb.subH:
				ca.descend()
			case ca.subH < cb.subH:
				cb.descend()
			default:
				ca.descend()
				cb.descend()
			}
		case ca.sub != nil:
			ca.descend()
		case cb.sub != nil:
			cb.descend()
		case ca.cur == nil && cb.cur == nil:
			return
		case cb.cur == nil:
			if !fn(ca.cur.k, ca.cur.v, true, zero, false) {
				return
			}
			ca.next()
		case ca.cur == nil:
			if !fn(cb.cur.k, zero, false, cb.cur.v, true) {
				return
			}
			cb.next()
		default:
			switch c := cmp(ca.cur.k, cb.cur.k); {
			case c < 0:
				if !fn(ca.cur.k, ca.cur.v, true, zero, false) {
					return
				}
				ca.next()
			case c > 0:
				if !fn(cb.cur.k, zero, false, cb.cur.v, true) {
					return
				}
				cb.next()
			default:
				if !same(ca.cur.v, cb.cur.v) && !fn(ca.cur.k, ca.cur.v, true, cb.cur.v, true) {
					return
				}
				ca.next()
				cb.next()
			}
		}
	}
}

// frame is a node being walked by a cursor. For a leaf, p is the index of
// the next item. For an internal node, p counts positions child 0, item 0,
// child 1, …, item n-1, child n: even p is child p/2, odd p is item p/2.
type frame[K, V any] struct {
	n *node[K, V]
	p int
	h int // height of n: 0 for a leaf
}

// maxDepth bounds the height of a tree. Every node below the root but the
// last of its level has at least minItems+1 children, so a tree of this
// height would hold more than 16^(maxDepth-2) entries.
const maxDepth = 32

// cursor walks a tree in key order, one step at a time. Its head is one of:
// a whole subtree not yet entered (sub != nil), an item (cur != nil), or
// the end (both nil). The stack is a fixed array so that Diff does not
// allocate.
type cursor[K, V any] struct {
	stack [maxDepth]frame[K, V]
	depth int
	sub   *node[K, V]
	subH  int
	cur   *item[K, V]
	st    *diffStats
}

// start places c before the whole tree rooted at root.
func (c *cursor[K, V]) start(root *node[K, V]) {
	if root == nil {
		return
	}
	h := 0
	for n := root; !n.leaf(); n = n.children[0] {
		h++
	}
	c.sub, c.subH = root, h
}

// skip moves past the pending subtree without entering it.
func (c *cursor[K, V]) skip() {
	c.sub = nil
	c.settle()
}

// descend enters the pending subtree.
func (c *cursor[K, V]) descend() {
	if c.depth == maxDepth {
		panic("pbtree: internal error: tree deeper than maxDepth")
	}
	c.stack[c.depth] = frame[K, V]{n: c.sub, h: c.subH}
	c.depth++
	c.sub = nil
	if c.st != nil {
		c.st.visits++
	}
	c.settle()
}

// next moves past the current item.
func (c *cursor[K, V]) next() {
	c.stack[c.depth-1].p++
	c.cur = nil
	c.settle()
}

// settle sets the head from the top frame, popping finished frames.
func (c *cursor[K, V]) settle() {
	for c.depth > 0 {
		f := &c.stack[c.depth-1]
		if f.n.leaf() {
			if f.p < f.n.n {
				c.cur = &f.n.items[f.p]
				return
			}
		} else if f.p <= 2*f.n.n {
			if f.p%2 == 0 {
				c.sub, c.subH = f.n.children[f.p/2], f.h-1
				f.p++
				return
			}
			c.cur = &f.n.items[f.p/2]
			return
		}
		c.depth--
	}
}
