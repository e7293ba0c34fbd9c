package pbtree

// These tests check Diff against a brute-force diff of the models, for
// related maps (clones with writes on both sides, whose tree shapes drift
// apart through splits and merges) and unrelated ones, and check that
// shared subtrees are skipped: diffing a clone after k writes visits
// O(k log n) nodes.

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// diffRec is one call of Diff's fn.
type diffRec struct {
	K   int
	VA  int
	InA bool
	VB  int
	InB bool
}

// bruteDiff is the specification of Diff on models, with value equality.
func bruteDiff(a, b map[int]int) []diffRec {
	keys := map[int]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	all := make([]int, 0, len(keys))
	for k := range keys {
		all = append(all, k)
	}
	var out []diffRec
	slices.Sort(all)
	for _, k := range all {
		va, inA := a[k]
		vb, inB := b[k]
		if inA && inB && va == vb {
			continue
		}
		out = append(out, diffRec{k, va, inA, vb, inB})
	}
	return out
}

// collectDiff runs Diff with value equality, stopping after limit calls
// (no limit if negative), and returns the calls.
func collectDiff(a, b *Map[int, int], limit int, st *diffStats) []diffRec {
	var out []diffRec
	diff(a, b, func(x, y int) bool { return x == y }, func(k, va int, inA bool, vb int, inB bool) bool {
		out = append(out, diffRec{k, va, inA, vb, inB})
		return limit < 0 || len(out) < limit
	}, st)
	return out
}

// checkDiff compares Diff(a, b) with the brute-force diff of the models,
// in full and stopped early at a random point.
func checkDiff(t *testing.T, a, b *version, r *rand.Rand) {
	t.Helper()
	want := bruteDiff(a.model, b.model)
	if diff := cheapDiff(want, collectDiff(a.m, b.m, -1, nil)); diff != "" {
		t.Fatalf("Diff mismatch (-want +got):\n%s", diff)
	}
	if len(want) > 0 {
		limit := 1 + r.IntN(len(want))
		if diff := cheapDiff(want[:limit], collectDiff(a.m, b.m, limit, nil)); diff != "" {
			t.Fatalf("Diff stopped after %d calls mismatch (-want +got):\n%s", limit, diff)
		}
	}
}

// buildVersion makes a map and model from random operations on keys in
// [0, keySpace).
func buildVersion(r *rand.Rand, ops, keySpace int) *version {
	v := &version{m: New[int, int](cmp.Compare[int]), model: map[int]int{}}
	for range ops {
		mutate(r, v, keySpace)
	}
	return v
}

// mutate applies one random write (two thirds Set, one third Delete) to v.
func mutate(r *rand.Rand, v *version, keySpace int) {
	k := r.IntN(keySpace)
	if r.IntN(3) == 0 {
		v.m.Delete(k)
		delete(v.model, k)
		return
	}
	val := r.IntN(4) // small values: some Sets rewrite the same value
	v.m.Set(k, val)
	v.model[k] = val
}

func TestDiffFixed(t *testing.T) {
	build := func(pairs ...int) *Map[int, int] {
		m := New[int, int](cmp.Compare[int])
		for i := 0; i < len(pairs); i += 2 {
			m.Set(pairs[i], pairs[i+1])
		}
		return m
	}
	big := New[int, int](cmp.Compare[int])
	for k := range 1000 {
		big.Set(k, k)
	}
	bigClone := big.Clone()
	bigClone.Set(500, -1)
	bigClone.Delete(10)
	bigClone.Set(2000, 2000)
	tests := []struct {
		name string
		a, b *Map[int, int]
		want []diffRec
	}{
		{"both empty", build(), build(), nil},
		{"a empty", build(), build(1, 10, 2, 20), []diffRec{{1, 0, false, 10, true}, {2, 0, false, 20, true}}},
		{"b empty", build(1, 10), build(), []diffRec{{1, 10, true, 0, false}}},
		{"same map", big, big, nil},
		{"equal unrelated", build(1, 1, 2, 2), build(2, 2, 1, 1), nil},
		{"value change", build(1, 1, 2, 2), build(1, 1, 2, 3), []diffRec{{2, 2, true, 3, true}}},
		{"interleaved", build(1, 1, 3, 3, 5, 5), build(2, 2, 3, 3, 4, 4), []diffRec{
			{1, 1, true, 0, false}, {2, 0, false, 2, true}, {4, 0, false, 4, true}, {5, 5, true, 0, false},
		}},
		{"clone after writes", big, bigClone, []diffRec{
			{10, 10, true, 0, false}, {500, 500, true, -1, true}, {2000, 0, false, 2000, true},
		}},
		{"clone after writes, reversed", bigClone, big, []diffRec{
			{10, 0, false, 10, true}, {500, -1, true, 500, true}, {2000, 2000, true, 0, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cheapDiff(tt.want, collectDiff(tt.a, tt.b, -1, nil)); diff != "" {
				t.Errorf("Diff mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffRandom(t *testing.T) {
	tests := []struct {
		name     string
		seed     uint64
		keySpace int
		base     int // writes before the fork
		writesA  int // writes to a after the fork
		writesB  int // writes to b after the fork
		related  bool
		shrinkB  bool // then delete six keys in seven from b
	}{
		{"clone, few writes one side", 1, 10000, 20000, 0, 20, true, false},
		{"clone, few writes both sides", 2, 10000, 20000, 15, 15, true, false},
		{"clone, many writes both sides", 3, 3000, 10000, 3000, 3000, true, false},
		{"clone, deletes shrink one side", 4, 3000, 6000, 0, 0, true, true},
		{"clone of tiny map grown large", 5, 50000, 10, 20000, 0, true, false},
		{"unrelated, overlapping keys", 6, 2000, 3000, 0, 0, false, false},
		{"unrelated, very different sizes", 7, 100000, 0, 5, 20000, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for round := range 20 {
				r := rand.New(rand.NewPCG(tt.seed, uint64(round)))
				var a, b *version
				if tt.related {
					a = buildVersion(r, tt.base, tt.keySpace)
					b = &version{m: a.m.Clone(), model: maps.Clone(a.model)}
				} else {
					a = buildVersion(r, tt.base, tt.keySpace)
					b = buildVersion(r, tt.base, tt.keySpace)
				}
				for range tt.writesA {
					mutate(r, a, tt.keySpace)
				}
				for range tt.writesB {
					mutate(r, b, tt.keySpace)
				}
				if tt.shrinkB {
					// Merges and root collapses reshape b's tree around
					// the nodes it still shares with a.
					for k := range tt.keySpace {
						if k%7 != 0 {
							b.m.Delete(k)
							delete(b.model, k)
						}
					}
				}
				checkDiff(t, a, b, r)
				checkDiff(t, b, a, r)
			}
		})
	}
}

func TestDiffSkipsSharedSubtrees(t *testing.T) {
	const n = 100000
	r := rand.New(rand.NewPCG(42, 1))
	base := &version{m: New[int, int](cmp.Compare[int]), model: map[int]int{}}
	for _, k := range r.Perm(n) {
		base.m.Set(2*k, k)
		base.model[2*k] = k
	}
	height := 0
	for nd := base.m.root; !nd.leaf(); nd = nd.children[0] {
		height++
	}
	totalNodes := countNodes(base.m.root)
	for _, k := range []int{0, 1, 10, 100, 1000} {
		t.Run(fmt.Sprintf("writes=%d", k), func(t *testing.T) {
			c := &version{m: base.m.Clone(), model: maps.Clone(base.model)}
			for range k {
				key := r.IntN(2 * n)
				switch r.IntN(3) {
				case 0:
					c.m.Delete(key)
					delete(c.model, key)
				default:
					c.m.Set(key, -1)
					c.model[key] = -1
				}
			}
			var st diffStats
			got := collectDiff(base.m, c.m, -1, &st)
			if diff := cheapDiff(bruteDiff(base.model, c.model), got); diff != "" {
				t.Fatalf("Diff mismatch (-want +got):\n%s", diff)
			}
			// Each write copies at most one node per level on the clone's
			// side, plus the siblings a split, borrow or merge touches; the
			// diff enters those nodes and their originals, and nothing else
			// except where the two walks realign after a shape change.
			limit := 6 * k * (height + 1)
			t.Logf("n=%d height=%d writes=%d: visited %d of %d nodes per side, skipped %d shared subtrees (limit %d)",
				n, height, k, st.visits, totalNodes, st.skips, limit)
			if st.visits > limit {
				t.Errorf("Diff visited %d nodes after %d writes, want at most %d", st.visits, k, limit)
			}
		})
	}
	t.Run("unrelated equal maps", func(t *testing.T) {
		// The same entries built independently share nothing, so Diff must
		// enter every node: this shows the counter counts.
		other := New[int, int](cmp.Compare[int])
		for k := range n {
			other.Set(2*k, k)
		}
		var st diffStats
		if got := collectDiff(base.m, other, -1, &st); got != nil {
			t.Fatalf("Diff of equal maps reported %d differences", len(got))
		}
		if want := totalNodes + countNodes(other.root); st.visits != want || st.skips != 0 {
			t.Errorf("visits = %d, skips = %d, want %d, 0", st.visits, st.skips, want)
		}
	})
}

// countNodes returns the number of nodes of the subtree of n.
func countNodes(n *node[int, int]) int {
	if n == nil {
		return 0
	}
	c := 1
	if !n.leaf() {
		for i := 0; i <= n.n; i++ {
			c += countNodes(n.children[i])
		}
	}
	return c
}

// nodeSet returns the nodes of the subtree of n.
func nodeSet(n *node[int, int], into map[*node[int, int]]bool) map[*node[int, int]]bool {
	if n == nil {
		return into
	}
	into[n] = true
	if !n.leaf() {
		for i := 0; i <= n.n; i++ {
			nodeSet(n.children[i], into)
		}
	}
	return into
}

// unshared counts the nodes reachable from exactly one of a and b.
func unshared(a, b *Map[int, int]) int {
	na, nb := nodeSet(a.root, map[*node[int, int]]bool{}), nodeSet(b.root, map[*node[int, int]]bool{})
	c := 0
	for n := range na {
		if !nb[n] {
			c++
		}
	}
	for n := range nb {
		if !na[n] {
			c++
		}
	}
	return c
}

// height returns the height of m's tree (0 for a single leaf).
func height(m *Map[int, int]) int {
	h := 0
	if m.root == nil {
		return -1
	}
	for n := m.root; !n.leaf(); n = n.children[0] {
		h++
	}
	return h
}

func TestDiffVisitsOnlyUnsharedNodes(t *testing.T) {
	// Diff may enter a node only to find what differs under it. Apart from
	// realigning its two walks where the tree shapes differ, it should
	// enter little more than the nodes that are not shared, even when
	// splits, merges and a change of height reshape one tree around nodes
	// it still shares with the other.
	ascending := func(n int) *version {
		v := &version{m: New[int, int](cmp.Compare[int]), model: map[int]int{}}
		for k := range n {
			v.m.Set(2*k, k)
			v.model[2*k] = k
		}
		return v
	}
	tests := []struct {
		name  string
		base  func() *version
		write func(t *testing.T, c *version)
	}{
		{"appends until the height grows", func() *version { return ascending(20000) }, func(t *testing.T, c *version) {
			h := height(c.m)
			for k := 40000; height(c.m) == h; k += 2 {
				if k > 10000000 {
					t.Fatal("height never grew")
				}
				c.m.Set(k, k)
				c.model[k] = k
			}
		}},
		{"deletes from the top until the height shrinks", func() *version { return ascending(20000) }, func(t *testing.T, c *version) {
			h := height(c.m)
			for k := 19999; k >= 0; k-- {
				c.m.Delete(2 * k)
				delete(c.model, 2*k)
				if height(c.m) < h {
					return
				}
			}
			t.Fatal("height never shrank")
		}},
		{"fill a narrow gap", func() *version { return ascending(50000) }, func(_ *testing.T, c *version) {
			for k := 10001; k < 14000; k += 2 {
				c.m.Set(k, k)
				c.model[k] = k
			}
		}},
		{"empty a narrow range", func() *version { return ascending(50000) }, func(_ *testing.T, c *version) {
			for k := 10000; k < 30000; k += 2 {
				c.m.Delete(k)
				delete(c.model, k)
			}
		}},
		{"scattered writes", func() *version { return ascending(50000) }, func(_ *testing.T, c *version) {
			r := rand.New(rand.NewPCG(4, 1))
			for range 200 {
				k := r.IntN(100000)
				if r.IntN(2) == 0 {
					c.m.Delete(k)
					delete(c.model, k)
				} else {
					c.m.Set(k, -1)
					c.model[k] = -1
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base()
			c := &version{m: base.m.Clone(), model: maps.Clone(base.model)}
			tt.write(t, c)
			var st diffStats
			if diff := cheapDiff(bruteDiff(base.model, c.model), collectDiff(base.m, c.m, -1, &st)); diff != "" {
				t.Fatalf("Diff mismatch (-want +got):\n%s", diff)
			}
			u := unshared(base.m, c.m)
			total := countNodes(base.m.root) + countNodes(c.m.root)
			limit := u + u/4 + 2*(max(height(base.m), height(c.m))+1)
			t.Logf("heights %d→%d: visited %d nodes; %d unshared of %d (limit %d)", height(base.m), height(c.m), st.visits, u, total, limit)
			if st.visits > limit {
				t.Errorf("Diff visited %d nodes, want at most %d (%d unshared + slack)", st.visits, limit, u)
			}
		})
	}
}
