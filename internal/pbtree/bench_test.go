package pbtree

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// benchMap returns a map of n entries with keys 0, 2, …, 2n-2 (so odd keys
// are absent), inserted in random order.
func benchMap(n int) *Map[int, int] {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	m := New[int, int](cmp.Compare[int])
	for _, k := range r.Perm(n) {
		m.Set(2*k, k)
	}
	return m
}

// randomKeys returns count keys drawn from the keys of benchMap(n).
func randomKeys(n, count int) []int {
	r := rand.New(rand.NewPCG(7, 7))
	keys := make([]int, count)
	for i := range keys {
		keys[i] = 2 * r.IntN(n)
	}
	return keys
}

var sizes = []int{1e4, 1e5, 1e6}

func BenchmarkSet(b *testing.B) {
	b.Run("insert", func(b *testing.B) {
		// Inserts distinct random keys into one map, starting a new map
		// (untimed) after 1<<20 inserts: the mean cost of growing a map
		// from empty to 10^6 entries.
		const span = 1 << 20
		keys := rand.New(rand.NewPCG(1, 1)).Perm(span)
		b.ReportAllocs()
		m := New[int, int](cmp.Compare[int])
		for i := 0; i < b.N; i++ {
			if i%span == 0 && i > 0 {
				b.StopTimer()
				m = New[int, int](cmp.Compare[int])
				b.StartTimer()
			}
			m.Set(keys[i%span], i)
		}
	})
	for _, n := range sizes {
		b.Run(fmt.Sprintf("replace/n=%d", n), func(b *testing.B) {
			m := benchMap(n)
			keys := randomKeys(n, 1<<16)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Set(keys[i&(1<<16-1)], i)
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			m := benchMap(n)
			keys := randomKeys(n, 1<<16)
			b.ReportAllocs()
			b.ResetTimer()
			sum := 0
			for i := 0; i < b.N; i++ {
				v, _ := m.Get(keys[i&(1<<16-1)])
				sum += v
			}
			runtime.KeepAlive(sum)
		})
	}
}

func BenchmarkDelete(b *testing.B) {
	for _, n := range []int{1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			// Deletes every key in random order, rebuilding the map
			// (untimed) when it is empty.
			order := rand.New(rand.NewPCG(2, 2)).Perm(n)
			m := benchMap(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%n == 0 && i > 0 {
					b.StopTimer()
					m = benchMap(n)
					b.StartTimer()
				}
				m.Delete(2 * order[i%n])
			}
		})
	}
}

func BenchmarkClone(b *testing.B) {
	for _, n := range []int{1e4, 1e5} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			m := benchMap(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Clone()
			}
		})
	}
}

func BenchmarkSetAfterClone(b *testing.B) {
	for _, n := range []int{1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			// Clone, then one Set on the clone: the clone copies the
			// root-to-leaf path. This is the cost of a fork plus its
			// first write.
			m := benchMap(n)
			keys := randomKeys(n, 1<<16)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Clone().Set(keys[i&(1<<16-1)], i)
			}
		})
	}
}

func BenchmarkDiffSmallChange(b *testing.B) {
	const n, changes = 100000, 10
	m := benchMap(n)
	c := m.Clone()
	r := rand.New(rand.NewPCG(3, 3))
	for range changes {
		c.Set(2*r.IntN(n), -1)
	}
	same := func(a, b int) bool { return a == b }
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		Diff(m, c, same, func(int, int, bool, int, bool) bool {
			found++
			return true
		})
	}
	if found != changes*b.N {
		b.Fatalf("Diff found %d changes per run, want %d", found/b.N, changes)
	}
}

func BenchmarkAll(b *testing.B) {
	const n = 100000
	m := benchMap(n)
	b.ReportAllocs()
	b.ResetTimer()
	sum := 0
	for i := 0; i < b.N; i++ {
		for _, v := range m.All() {
			sum += v
		}
	}
	runtime.KeepAlive(sum)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/entry")
}

// BenchmarkMemory measures the heap held by a map of 10^6 entries and
// reports it per entry, in total and beyond the size of the key and value
// themselves (overhead-B/entry).
func BenchmarkMemory(b *testing.B) {
	const n = 1000000
	strKeys := make([]string, n)
	for i := range strKeys {
		strKeys[i] = fmt.Sprintf("default/pod-%07d", i)
	}
	order := rand.New(rand.NewPCG(5, 5)).Perm(n)
	v := new(int)
	tests := []struct {
		name  string
		entry uintptr
		build func() any
	}{
		{"int-int/random", unsafe.Sizeof(item[int, int]{}), func() any {
			m := New[int, int](cmp.Compare[int])
			for _, k := range order {
				m.Set(k, k)
			}
			return m
		}},
		{"int-int/ascending", unsafe.Sizeof(item[int, int]{}), func() any {
			m := New[int, int](cmp.Compare[int])
			for k := range n {
				m.Set(k, k)
			}
			return m
		}},
		{"string-pointer/random", unsafe.Sizeof(item[string, *int]{}), func() any {
			m := New[string, *int](strings.Compare)
			for _, k := range order {
				m.Set(strKeys[k], v)
			}
			return m
		}},
		{"string-pointer/ascending", unsafe.Sizeof(item[string, *int]{}), func() any {
			m := New[string, *int](strings.Compare)
			for _, k := range strKeys {
				m.Set(k, v)
			}
			return m
		}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			var total uint64
			for i := 0; i < b.N; i++ {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				m := tt.build()
				runtime.GC()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(m)
				total += after.HeapAlloc - before.HeapAlloc
			}
			perEntry := float64(total) / float64(b.N) / n
			b.ReportMetric(perEntry, "B/entry")
			b.ReportMetric(perEntry-float64(tt.entry), "overhead-B/entry")
		})
	}
}
