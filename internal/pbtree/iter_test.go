package pbtree

// These tests pin the bounds of Ascend and Range on a tree of three levels
// (keys at node boundaries included) and check that every iterator stops
// cleanly when the loop breaks.

import (
	"cmp"
	"fmt"
	"testing"
)

// tens returns a map with keys 0, 10, …, 10(n-1), each mapped to itself.
func tens(n int) *Map[int, int] {
	m := New[int, int](cmp.Compare[int])
	for k := range n {
		m.Set(10*k, 10*k)
	}
	return m
}

// keysOf collects the keys of an iterator.
func keysOf(seq func(func(int, int) bool)) []int {
	var out []int
	for k := range seq {
		out = append(out, k)
	}
	return out
}

// span returns from, from+10, …, up to and excluding to.
func span(from, to int) []int {
	var out []int
	for k := from; k < to; k += 10 {
		out = append(out, k)
	}
	return out
}

func TestIteratorBounds(t *testing.T) {
	const n = 2000 // keys 0 … 19990: three levels
	m := tens(n)
	if h := height(m); h < 2 {
		t.Fatalf("test map has height %d, want at least 2", h)
	}
	// Keys at the edges of the root's first child and of a leaf, so that
	// bounds fall exactly on separators.
	sep := m.root.items[0].k
	leafEnd := m.root.children[0].children[0].items[m.root.children[0].children[0].n-1].k
	tests := []struct {
		name string
		seq  func(func(int, int) bool)
		want []int
	}{
		{"Ascend below min", m.Ascend(-5), span(0, 10*n)},
		{"Ascend at min", m.Ascend(0), span(0, 10*n)},
		{"Ascend between keys", m.Ascend(5), span(10, 10*n)},
		{"Ascend at max", m.Ascend(10 * (n - 1)), []int{10 * (n - 1)}},
		{"Ascend above max", m.Ascend(10 * n), nil},
		{"Ascend at root separator", m.Ascend(sep), span(sep, 10*n)},
		{"Ascend just after root separator", m.Ascend(sep + 1), span(sep+10, 10*n)},
		{"Ascend at end of first leaf", m.Ascend(leafEnd), span(leafEnd, 10*n)},
		{"Range inside one leaf", m.Range(10, 30), []int{10, 20}},
		{"Range between keys", m.Range(15, 35), []int{20, 30}},
		{"Range empty, from == to", m.Range(30, 30), nil},
		{"Range empty, from > to", m.Range(40, 30), nil},
		{"Range empty, no key inside", m.Range(31, 39), nil},
		{"Range covering everything", m.Range(-100, 100*n), span(0, 10*n)},
		{"Range to just past max", m.Range(10*(n-1), 10*(n-1)+1), []int{10 * (n - 1)}},
		{"Range below min", m.Range(-100, 0), nil},
		{"Range above max", m.Range(10*n, 20*n), nil},
		{"Range to root separator", m.Range(0, sep), span(0, sep)},
		{"Range from root separator", m.Range(sep, sep+50), span(sep, sep+50)},
		{"Range across root separator", m.Range(sep-20, sep+21), span(sep-20, sep+21)},
		{"Range to end of first leaf", m.Range(0, leafEnd), span(0, leafEnd)},
		{"Range to just past end of first leaf", m.Range(0, leafEnd+1), span(0, leafEnd+1)},
		{"All", m.All(), span(0, 10*n)},
		{"empty map All", tens(0).All(), nil},
		{"empty map Ascend", tens(0).Ascend(0), nil},
		{"empty map Range", tens(0).Range(0, 10), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cheapDiff(tt.want, keysOf(tt.seq)); diff != "" {
				t.Errorf("keys mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIteratorsStopOnBreak(t *testing.T) {
	// Breaking out of a range-over-func loop makes yield return false; an
	// iterator that called yield again would make the runtime panic.
	m := tens(5000)
	iters := []struct {
		name string
		seq  func(func(int, int) bool)
		from int
	}{
		{"All", m.All(), 0},
		{"Ascend", m.Ascend(1234), 1240},
		{"Range", m.Range(1234, 40000), 1240},
	}
	for _, it := range iters {
		for _, stop := range []int{1, 2, 31, 32, 100, 1000} {
			t.Run(fmt.Sprintf("%s/stop=%d", it.name, stop), func(t *testing.T) {
				var got []int
				for k := range it.seq {
					got = append(got, k)
					if len(got) == stop {
						break
					}
				}
				if diff := cheapDiff(span(it.from, it.from+10*stop), got); diff != "" {
					t.Errorf("keys mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}
