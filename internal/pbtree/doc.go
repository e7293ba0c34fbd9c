// Package pbtree provides [Map], a persistent (copy-on-write) ordered map:
// the storage behind a cluster that can be forked in O(1) time and diffed
// against its forks in time proportional to their differences.
//
// A Map is a B-tree of at most 31 entries per node. Every node records the
// ownership token of the map that created it, and a map writes a node in
// place only if it owns it; otherwise it copies the node (and so, the path
// from the root to it) and owns the copy. [Map.Clone] gives both the
// original and the clone fresh tokens, so every existing node becomes
// shared, read-only, and copied by whichever side first writes through
// it. Between clones a map writes in place and allocates only when a node
// splits. [Diff] walks two maps side by side and skips every subtree they
// share without entering it.
//
// # Complexity
//
// With n entries, B = 31 entries per node, and h = O(log n) levels:
//
//	operation                           time              allocations
//	Len                                 O(1)              none
//	Get, Find, Min, Max                 O(log n)          none
//	FindAt, SetAt with a good Finger    O(1)              none
//	Set, Delete on owned nodes          O(B·h)            none, except a node per split
//	first Set, Delete after Clone       O(B·h)            one copy per level on the path
//	Clone                               O(1)              3 small objects, independent of n
//	All, Ascend, Range (k yielded)      O(log n + k)      none
//	Diff, a clone after k writes        O(k·B·h)          none
//	Diff, unrelated maps                O(n_a + n_b)      none
//
// More precisely, Diff enters about as many nodes as are reachable from
// only one of the two maps, and compares the entries of those nodes.
// Memory: with 10^6 entries the tree holds 3–19 bytes per entry on top of
// the keys and values themselves (less for ascending insertion, which
// fills nodes almost completely; see BenchmarkMemory).
//
// # Determinism
//
// Every result depends only on the sequence of calls and on the cmp
// function given to [New]: iteration order and Diff order are ascending
// cmp order, and the tree's shape is a function of the history of writes.
// The package iterates over no Go map, reads no clock, uses no random
// source and starts no goroutines.
//
// # Concurrency
//
// A Map is not safe for concurrent use if any goroutine writes it (Set,
// Delete, and also Clone, which replaces the map's token). Distinct maps
// may be used from different goroutines even when they share nodes,
// because shared nodes are never written. Writing a map while one of its
// iterators, or a Diff involving it, is running is undefined.
//
// # Fidelity
//
// pbtree is an internal data structure and models no Kubernetes behaviour.
// Its limits:
//   - [Diff] orders keys with its first argument's cmp; both maps must use
//     the same ordering.
//   - Diff skips shared subtrees without calling same, so same must be
//     reflexive (same(v, v) is true), as pointer equality is.
//   - Nodes are fixed arrays of 31 entries: a map of a few entries still
//     takes one full node.
//   - There are no bulk operations (range deletion, bulk loading); build
//     a map by repeated Set.
package pbtree
