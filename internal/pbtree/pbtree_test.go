package pbtree

// These tests check the map against a model (a plain Go map plus sorted
// keys) under seeded random histories, including chains of clones written
// on every side, and check the B-tree and ownership invariants after each
// batch of operations.

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// kv is one entry, as listed by entries and modelEntries.
type kv struct{ K, V int }

// entries lists m's entries via All.
func entries(m *Map[int, int]) []kv {
	var out []kv
	for k, v := range m.All() {
		out = append(out, kv{k, v})
	}
	return out
}

// modelEntries lists the model's entries in key order.
func modelEntries(model map[int]int) []kv {
	keys := make([]int, 0, len(model))
	for k := range model {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]kv, 0, len(keys))
	for _, k := range keys {
		out = append(out, kv{k, model[k]})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// cheapDiff returns "" if want and got are equal, else their cmp.Diff.
// go-cmp is slow on long slices, so it only runs to explain a mismatch.
func cheapDiff[T comparable](want, got []T) string {
	if slices.Equal(want, got) && (want == nil) == (got == nil) {
		return ""
	}
	return gocmp.Diff(want, got)
}

// checkInvariants fails t if m's tree is malformed: keys out of order,
// leaves at different depths, nodes over- or underfull (only the last
// node of a level may have fewer than minItems items), dirty unused slots,
// or a count that differs from Len.
func checkInvariants[K, V any](t *testing.T, m *Map[K, V]) {
	t.Helper()
	if m.root == nil {
		if m.len != 0 {
			t.Fatalf("empty tree with Len %d", m.len)
		}
		return
	}
	if m.root.n == 0 {
		t.Fatalf("root has no items")
	}
	leafDepth := -1
	count := 0
	var walk func(n *node[K, V], depth int, lo, hi *K, rightmost bool)
	walk = func(n *node[K, V], depth int, lo, hi *K, rightmost bool) {
		if n != m.root {
			if n.n < 1 || n.n > maxItems {
				t.Fatalf("node at depth %d has %d items", depth, n.n)
			}
			if n.n < minItems && !rightmost {
				t.Fatalf("node at depth %d (not the last of its level) has %d < %d items", depth, n.n, minItems)
			}
		}
		count += n.n
		for i := range n.n {
			k := n.items[i].k
			if lo != nil && m.cmp(*lo, k) >= 0 || hi != nil && m.cmp(k, *hi) >= 0 {
				t.Fatalf("key %v at depth %d is outside its bounds", k, depth)
			}
			if i > 0 && m.cmp(n.items[i-1].k, k) >= 0 {
				t.Fatalf("keys %v, %v at depth %d are out of order", n.items[i-1].k, k, depth)
			}
		}
		for i := n.n; i < maxItems; i++ {
			if !reflect.ValueOf(n.items[i]).IsZero() {
				t.Fatalf("unused item slot %d of a node at depth %d is not zero", i, depth)
			}
		}
		if n.leaf() {
			if leafDepth == -1 {
				leafDepth = depth
			}
			if depth != leafDepth {
				t.Fatalf("leaves at depths %d and %d", leafDepth, depth)
			}
			return
		}
		for i := n.n + 1; i <= maxItems; i++ {
			if n.children[i] != nil {
				t.Fatalf("unused child slot %d of a node at depth %d is not nil", i, depth)
			}
		}
		for i := 0; i <= n.n; i++ {
			clo, chi := lo, hi
			if i > 0 {
				clo = &n.items[i-1].k
			}
			if i < n.n {
				chi = &n.items[i].k
			}
			walk(n.children[i], depth+1, clo, chi, rightmost && i == n.n)
		}
	}
	walk(m.root, 0, nil, nil, true)
	if count != m.len {
		t.Fatalf("tree holds %d entries, Len is %d", count, m.len)
	}
}

// checkOwnership fails t if the copy-on-write discipline is broken among
// maps: a node owned by one map (which that map may write in place) must
// be reachable from no other map, and its parent must be owned by the same
// map (writes copy whole root-to-node paths).
func checkOwnership[K, V any](t *testing.T, maps []*Map[K, V]) {
	t.Helper()
	ownerOf := map[*epoch]int{}
	for i, m := range maps {
		if j, ok := ownerOf[m.owner]; ok {
			t.Fatalf("maps %d and %d share an ownership token", j, i)
		}
		ownerOf[m.owner] = i
	}
	for j, m := range maps {
		var walk func(n *node[K, V], parentOwned bool)
		walk = func(n *node[K, V], parentOwned bool) {
			if i, ok := ownerOf[n.owner]; ok && i != j {
				t.Fatalf("map %d reaches a node owned by map %d", j, i)
			}
			owned := n.owner == m.owner
			if owned && !parentOwned {
				t.Fatalf("map %d owns a node whose parent it does not own", j)
			}
			if !n.leaf() {
				for i := 0; i <= n.n; i++ {
					walk(n.children[i], owned)
				}
			}
		}
		if m.root != nil {
			walk(m.root, true)
		}
	}
}

// version is one map of a random history with its model.
type version struct {
	m      *Map[int, int]
	model  map[int]int
	finger Finger[int, int] // from the last Find on m, maybe stale
}

// checkVersion fails t unless v's map matches its model exactly.
func checkVersion(t *testing.T, v *version, label string) {
	t.Helper()
	checkInvariants(t, v.m)
	if diff := cheapDiff(modelEntries(v.model), entries(v.m)); diff != "" {
		t.Fatalf("%s: All mismatch (-want +got):\n%s", label, diff)
	}
	if v.m.Len() != len(v.model) {
		t.Fatalf("%s: Len = %d, want %d", label, v.m.Len(), len(v.model))
	}
	want := modelEntries(v.model)
	gotK, gotV, gotOK := v.m.Min()
	gotMax, gotMaxV, gotMaxOK := v.m.Max()
	if len(want) == 0 {
		if gotOK || gotMaxOK {
			t.Fatalf("%s: Min/Max of an empty map reported an entry", label)
		}
		return
	}
	if (kv{gotK, gotV}) != want[0] || !gotOK {
		t.Fatalf("%s: Min = %d, %d, %t, want %v", label, gotK, gotV, gotOK, want[0])
	}
	if (kv{gotMax, gotMaxV}) != want[len(want)-1] || !gotMaxOK {
		t.Fatalf("%s: Max = %d, %d, %t, want %v", label, gotMax, gotMaxV, gotMaxOK, want[len(want)-1])
	}
}

func TestModelRandomHistories(t *testing.T) {
	tests := []struct {
		seed     uint64
		keySpace int
		steps    int
	}{
		{seed: 1, keySpace: 40, steps: 20000},     // heavy churn, often empty
		{seed: 2, keySpace: 500, steps: 30000},    // two or three levels
		{seed: 3, keySpace: 5000, steps: 40000},   // deeper trees, many clones
		{seed: 4, keySpace: 100000, steps: 20000}, // mostly inserts
		{seed: 5, keySpace: 2000, steps: 40000},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("seed=%d/keys=%d", tt.seed, tt.keySpace), func(t *testing.T) {
			runHistory(t, tt.seed, tt.keySpace, tt.steps)
		})
	}
}

// runHistory applies steps random operations to a growing set of versions
// (clones of clones), checking every result against the models.
func runHistory(t *testing.T, seed uint64, keySpace, steps int) {
	r := rand.New(rand.NewPCG(seed, 1))
	versions := []*version{{m: New[int, int](cmp.Compare[int]), model: map[int]int{}}}
	const maxVersions = 8
	checks, diffs := 0, 0
	checkEvery := steps / 200
	for step := range steps {
		vi := r.IntN(len(versions))
		if r.IntN(2) == 0 {
			vi = len(versions) - 1 // favour the newest version
		}
		v := versions[vi]
		k := r.IntN(keySpace)
		switch op := r.IntN(100); {
		case op < 50:
			val := r.Int()
			wantOld, wantReplaced := v.model[k]
			set := v.m.Set
			if op >= 40 {
				// SetAt with the last finger, which may point at k, at
				// another key, at a node since moved or shared, or nowhere.
				set = func(k, val int) (int, bool) { return v.m.SetAt(v.finger, k, val) }
			}
			old, replaced := set(k, val)
			if old != wantOld || replaced != wantReplaced {
				t.Fatalf("step %d: Set(%d) = %d, %t, want %d, %t", step, k, old, replaced, wantOld, wantReplaced)
			}
			v.model[k] = val
		case op < 80:
			if r.IntN(2) == 0 && len(v.model) > 0 {
				// Delete a present key: pick the entry after a random key.
				for kk := range v.m.Ascend(k) {
					k = kk
					break
				}
			}
			wantOld, wantDeleted := v.model[k]
			old, deleted := v.m.Delete(k)
			if old != wantOld || deleted != wantDeleted {
				t.Fatalf("step %d: Delete(%d) = %d, %t, want %d, %t", step, k, old, deleted, wantOld, wantDeleted)
			}
			delete(v.model, k)
		case op < 90:
			wantV, wantOK := v.model[k]
			if got, ok := v.m.Get(k); got != wantV || ok != wantOK {
				t.Fatalf("step %d: Get(%d) = %d, %t, want %d, %t", step, k, got, ok, wantV, wantOK)
			}
			got, f, ok := v.m.Find(k)
			if got != wantV || ok != wantOK {
				t.Fatalf("step %d: Find(%d) = %d, %t, want %d, %t", step, k, got, ok, wantV, wantOK)
			}
			if got, _, ok := v.m.FindAt(v.finger, k); got != wantV || ok != wantOK {
				t.Fatalf("step %d: FindAt(%d) = %d, %t, want %d, %t", step, k, got, ok, wantV, wantOK)
			}
			if ok || r.IntN(2) == 0 {
				v.finger = f
			}
		case op < 95:
			c := &version{m: v.m.Clone(), model: maps.Clone(v.model)}
			if len(versions) < maxVersions {
				versions = append(versions, c)
			} else {
				versions[r.IntN(len(versions))] = c
			}
		default:
			from, to := r.IntN(keySpace+2)-1, r.IntN(keySpace+2)-1
			checkRange(t, v, from, to)
		}
		if step%checkEvery == checkEvery-1 {
			for i, v := range versions {
				checkVersion(t, v, fmt.Sprintf("step %d version %d", step, i))
			}
			ms := make([]*Map[int, int], len(versions))
			for i, v := range versions {
				ms[i] = v.m
			}
			checkOwnership(t, ms)
			checks++
			a, b := versions[r.IntN(len(versions))], versions[r.IntN(len(versions))]
			checkDiff(t, a, b, r)
			diffs++
		}
	}
	for i, v := range versions {
		checkVersion(t, v, fmt.Sprintf("final version %d", i))
	}
	t.Logf("%d steps, %d full checks of up to %d versions, %d diffs", steps, checks, maxVersions, diffs)
}

// checkRange compares Ascend(from) and Range(from, to) with the model.
func checkRange(t *testing.T, v *version, from, to int) {
	t.Helper()
	var wantAsc, wantRange []kv
	for _, e := range modelEntries(v.model) {
		if e.K >= from {
			wantAsc = append(wantAsc, e)
			if e.K < to {
				wantRange = append(wantRange, e)
			}
		}
	}
	var gotAsc, gotRange []kv
	for k, val := range v.m.Ascend(from) {
		gotAsc = append(gotAsc, kv{k, val})
	}
	for k, val := range v.m.Range(from, to) {
		gotRange = append(gotRange, kv{k, val})
	}
	if diff := cheapDiff(wantAsc, gotAsc); diff != "" {
		t.Fatalf("Ascend(%d) mismatch (-want +got):\n%s", from, diff)
	}
	if diff := cheapDiff(wantRange, gotRange); diff != "" {
		t.Fatalf("Range(%d, %d) mismatch (-want +got):\n%s", from, to, diff)
	}
}

func TestSetDeleteReturnValues(t *testing.T) {
	m := New[string, int](strings.Compare)
	steps := []struct {
		op     string
		k      string
		v      int
		wantV  int
		wantOK bool
	}{
		{op: "set", k: "b", v: 1, wantV: 0, wantOK: false},
		{op: "set", k: "b", v: 2, wantV: 1, wantOK: true},
		{op: "get", k: "b", wantV: 2, wantOK: true},
		{op: "get", k: "a", wantV: 0, wantOK: false},
		{op: "delete", k: "a", wantV: 0, wantOK: false},
		{op: "delete", k: "b", wantV: 2, wantOK: true},
		{op: "delete", k: "b", wantV: 0, wantOK: false},
		{op: "get", k: "b", wantV: 0, wantOK: false},
	}
	for i, s := range steps {
		var got int
		var ok bool
		switch s.op {
		case "set":
			got, ok = m.Set(s.k, s.v)
		case "get":
			got, ok = m.Get(s.k)
		case "delete":
			got, ok = m.Delete(s.k)
		}
		if got != s.wantV || ok != s.wantOK {
			t.Errorf("step %d: %s(%q) = %d, %t, want %d, %t", i, s.op, s.k, got, ok, s.wantV, s.wantOK)
		}
	}
	if m.Len() != 0 {
		t.Errorf("Len = %d, want 0", m.Len())
	}
}

// TestSetReplacesKey shows that Set stores the key it is given when an
// equal key is present, in leaves and in internal nodes alike: an index
// whose key carries the value (a pointer compared by what it points to)
// relies on it.
func TestSetReplacesKey(t *testing.T) {
	type tagged struct{ k, tag int }
	m := New[tagged, struct{}](func(a, b tagged) int { return cmp.Compare(a.k, b.k) })
	const n = 1000 // several levels, so some keys sit in internal nodes
	for k := range n {
		m.Set(tagged{k, 0}, struct{}{})
	}
	for k := range n {
		if _, replaced := m.Set(tagged{k, 1}, struct{}{}); !replaced {
			t.Fatalf("Set(%d) did not find the key", k)
		}
	}
	got := 0
	for key := range m.All() {
		if key.tag != 1 {
			t.Errorf("key %d keeps tag %d after Set, want 1", key.k, key.tag)
		}
		got++
	}
	if got != n {
		t.Errorf("%d keys, want %d", got, n)
	}
}

func TestDeleteDownToEmpty(t *testing.T) {
	orders := map[string]func(n int, r *rand.Rand) []int{
		"ascending": func(n int, _ *rand.Rand) []int {
			return seq(n)
		},
		"descending": func(n int, _ *rand.Rand) []int {
			s := seq(n)
			slices.Reverse(s)
			return s
		},
		"random": func(n int, r *rand.Rand) []int {
			return r.Perm(n)
		},
	}
	orderNames := []string{"ascending", "descending", "random"}
	for _, n := range []int{1, 2, maxItems, maxItems + 1, 200, 3000} {
		for _, insName := range orderNames {
			for _, delName := range orderNames {
				t.Run(fmt.Sprintf("n=%d/insert=%s/delete=%s", n, insName, delName), func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(n), 1))
					m := New[int, int](cmp.Compare[int])
					for _, k := range orders[insName](n, r) {
						m.Set(k, -k)
					}
					checkInvariants(t, m)
					every := max(1, n/50)
					for i, k := range orders[delName](n, r) {
						if old, ok := m.Delete(k); old != -k || !ok {
							t.Fatalf("Delete(%d) = %d, %t, want %d, true", k, old, ok, -k)
						}
						if i%every == 0 {
							checkInvariants(t, m)
						}
					}
					checkInvariants(t, m)
					if m.Len() != 0 || m.root != nil {
						t.Fatalf("after deleting everything: Len = %d, root nil = %t", m.Len(), m.root == nil)
					}
					if _, _, ok := m.Min(); ok {
						t.Errorf("Min of an empty map reported an entry")
					}
					if _, _, ok := m.Max(); ok {
						t.Errorf("Max of an empty map reported an entry")
					}
					if got := entries(m); got != nil {
						t.Errorf("All of an empty map = %v, want nothing", got)
					}
					m.Set(7, 7)
					if diff := cheapDiff([]kv{{7, 7}}, entries(m)); diff != "" {
						t.Errorf("reuse after emptying mismatch (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

// seq returns 0, 1, …, n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestClonePersistence(t *testing.T) {
	// A readable instance of what the random histories check at scale:
	// v0 → v1 → v2 by cloning, every version then written, every version
	// still holding exactly its own writes.
	v0 := New[int, int](cmp.Compare[int])
	for k := range 1000 {
		v0.Set(k, 0)
	}
	v1 := v0.Clone()
	v2 := v1.Clone()
	v0.Set(1000, 0)
	v0.Delete(0)
	v1.Set(500, 1)
	v1.Delete(999)
	v2.Set(-1, 2)
	for k := range 300 {
		v2.Delete(k * 3)
	}
	want := func(edit func(model map[int]int)) []kv {
		model := map[int]int{}
		for k := range 1000 {
			model[k] = 0
		}
		edit(model)
		return modelEntries(model)
	}
	tests := []struct {
		name string
		m    *Map[int, int]
		want []kv
	}{
		{"v0", v0, want(func(m map[int]int) { m[1000] = 0; delete(m, 0) })},
		{"v1", v1, want(func(m map[int]int) { m[500] = 1; delete(m, 999) })},
		{"v2", v2, want(func(m map[int]int) {
			m[-1] = 2
			for k := range 300 {
				delete(m, k*3)
			}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInvariants(t, tt.m)
			if diff := cheapDiff(tt.want, entries(tt.m)); diff != "" {
				t.Errorf("entries mismatch (-want +got):\n%s", diff)
			}
		})
	}
	checkOwnership(t, []*Map[int, int]{v0, v1, v2})
}

func TestCloneOfEmptyAndSingle(t *testing.T) {
	m := New[int, int](cmp.Compare[int])
	c := m.Clone()
	c.Set(1, 1)
	if m.Len() != 0 || entries(m) != nil {
		t.Fatalf("write to a clone of an empty map showed in the original: %v", entries(m))
	}
	m.Set(2, 2)
	c2 := m.Clone()
	c2.Delete(2)
	if diff := cheapDiff([]kv{{2, 2}}, entries(m)); diff != "" {
		t.Errorf("original mismatch (-want +got):\n%s", diff)
	}
	if diff := cheapDiff([]kv{{1, 1}}, entries(c)); diff != "" {
		t.Errorf("first clone mismatch (-want +got):\n%s", diff)
	}
	if got := entries(c2); got != nil {
		t.Errorf("second clone = %v, want empty", got)
	}
}

func TestSequentialInsertFill(t *testing.T) {
	// Ascending insertion keeps nodes nearly full (see insert): with n
	// entries there are at most n/(maxItems-1)+levels leaves.
	tests := []struct {
		name  string
		keys  func(n int) []int
		limit float64 // max leaves per entry×maxItems, i.e. 1/fill
	}{
		{"ascending", seq, 1.01},
		{"random", func(n int) []int { return rand.New(rand.NewPCG(9, 1)).Perm(n) }, 1.7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 100000
			m := New[int, int](cmp.Compare[int])
			for _, k := range tt.keys(n) {
				m.Set(k, k)
			}
			checkInvariants(t, m)
			leaves := 0
			var walk func(*node[int, int])
			walk = func(nd *node[int, int]) {
				if nd.leaf() {
					leaves++
					return
				}
				for i := 0; i <= nd.n; i++ {
					walk(nd.children[i])
				}
			}
			walk(m.root)
			ratio := float64(leaves*maxItems) / n
			t.Logf("%d leaves, mean fill %.0f%%", leaves, 100/ratio)
			if ratio > tt.limit {
				t.Errorf("%d leaves for %d entries: fill %.0f%%, want at least %.0f%%", leaves, n, 100/ratio, 100/tt.limit)
			}
		})
	}
}

func TestMisusePanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"New with nil cmp", func() { New[int, int](nil) }, "pbtree: New called with a nil cmp"},
		{"Set on zero Map", func() { var m Map[int, int]; m.Set(1, 1) }, "pbtree: Map used without New"},
		{"Delete on zero Map", func() { var m Map[int, int]; m.Delete(1) }, "pbtree: Map used without New"},
		{"Clone of zero Map", func() { var m Map[int, int]; m.Clone() }, "pbtree: Map used without New"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := func() (msg any) {
				defer func() { msg = recover() }()
				tt.f()
				return nil
			}()
			if got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}

func TestAllocations(t *testing.T) {
	m := New[int, int](cmp.Compare[int])
	for k := range 100000 {
		m.Set(2*k, k) // odd keys fit in leaves with room
	}
	changed := m.Clone()
	changed.Set(7, 7)
	changed.Delete(5000)
	sum := 0
	tests := []struct {
		name string
		f    func()
		max  float64
	}{
		{"Get", func() { m.Get(5000) }, 0},
		{"Set replace", func() { m.Set(5000, 1) }, 0},
		{"Delete absent", func() { m.Delete(-1) }, 0},
		{"Set and Delete in a leaf with room", func() { m.Set(5001, 0); m.Delete(5001) }, 0},
		{"All", func() {
			for _, v := range m.All() {
				sum += v
			}
		}, 0},
		{"Range", func() {
			for _, v := range m.Range(10, 5000) {
				sum += v
			}
		}, 0},
		{"Diff", func() {
			Diff(m, changed, func(a, b int) bool { return a == b }, func(int, int, bool, int, bool) bool { sum++; return true })
		}, 0},
		{"Clone", func() { m.Clone() }, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(20, tt.f); got > tt.max {
				t.Errorf("allocations = %v, want at most %v", got, tt.max)
			}
		})
	}
}

func TestClonesConcurrentUse(t *testing.T) {
	// Clones share nodes but never write shared ones, so distinct clones
	// may be written from different goroutines; the race detector checks
	// this under go test -race.
	base := New[int, int](cmp.Compare[int])
	for k := range 20000 {
		base.Set(k, k)
	}
	clones := make([]*Map[int, int], 4)
	for i := range clones {
		clones[i] = base.Clone()
	}
	var wg sync.WaitGroup
	for i, c := range clones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := i; k < 20000; k += 3 {
				c.Set(k, -i)
				c.Delete(k + 1)
			}
		}()
	}
	wg.Wait()
	for i, c := range clones {
		model := map[int]int{}
		for k := range 20000 {
			model[k] = k
		}
		for k := i; k < 20000; k += 3 {
			model[k] = -i
			delete(model, k+1)
		}
		checkVersion(t, &version{m: c, model: model}, fmt.Sprintf("clone %d", i))
	}
	checkVersion(t, &version{m: base, model: func() map[int]int {
		model := map[int]int{}
		for k := range 20000 {
			model[k] = k
		}
		return model
	}()}, "base")
	checkOwnership(t, append(clones, base))
}

// TestSetAtStaleFinger takes a finger from Find, deletes another key (so
// that, over the deletions, the key's entry moves between nodes and its
// node is merged away) and checks that SetAt through the finger writes
// the entry the map holds: a merged-away node keeps its items, so only the
// map's count of insertions and deletions tells such a finger from a good
// one.
func TestSetAtStaleFinger(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 2))
		m := New[int, int](cmp.Compare[int])
		keys := r.Perm(400)
		for _, k := range keys {
			m.Set(k, 0)
		}
		k := keys[0]
		for i, d := range keys[1:] {
			_, f, ok := m.Find(k)
			if !ok {
				t.Fatalf("seed %d: Find(%d) found nothing", seed, k)
			}
			m.Delete(d)
			if _, replaced := m.SetAt(f, k, i+1); !replaced {
				t.Fatalf("seed %d: SetAt(%d) after %d deletions added the key", seed, k, i+1)
			}
			if got, _ := m.Get(k); got != i+1 {
				t.Fatalf("seed %d: after %d deletions, SetAt(%d, %d) through a stale finger: Get = %d", seed, i+1, k, i+1, got)
			}
			if got, _, _ := m.FindAt(f, k); got != i+1 {
				t.Fatalf("seed %d: after %d deletions, FindAt(%d) through a stale finger = %d, want %d", seed, i+1, k, got, i+1)
			}
		}
	}
}
