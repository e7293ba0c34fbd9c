package scenario

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reversed runs the tasks one after the other, last first.
func reversed(n int, task func(int)) {
	for i := n - 1; i >= 0; i-- {
		task(i)
	}
}

// concurrent runs every task on a goroutine of its own, at once.
func concurrent(n int, task func(int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { task(i) })
	}
	wg.Wait()
}

// TestParallelDecodeMatchesSequential decodes the CLI's dumps, as YAML and
// as JSON, and Lists with items the fast paths leave to the decoder or
// that it refuses, in chunks of every size, with the chunks run in order,
// last first and all at once: the objects, lines, skipped kinds and errors
// must be those of decoding on the caller's goroutine in one chunk.
func TestParallelDecodeMatchesSequential(t *testing.T) {
	inputs := map[string][]byte{}
	for p, data := range cliDumps(t) { // inputs is a map: order does not matter here
		inputs[p] = data
		inputs[p+" as JSON"] = asKubectlJSON(t, data)
	}
	node := func(name, extra string) string {
		return "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: " + name + "\n" + extra
	}
	list := "apiVersion: v1\nkind: List\nitems:\n"
	// The second item is in flow style, which only the decoder reads; the
	// third has a label the decoder refuses.
	inputs["fallback"] = []byte(list + node("a", "") + "- {apiVersion: v1, kind: Node, metadata: {name: b}}\n" + node("c", "") + "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n")
	inputs["refused"] = []byte(list + node("a", "") + node("b", "    labels: [x]\n") + node("c", ""))
	inputs["refused JSON"] = []byte(`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Node","metadata":{"name":"b","labels":{"a":["b"]}}},{"apiVersion":"v1","kind":"Node","metadata":{"name":"c"}}]}`)

	defer func(n int) { chunkBytes = n }(chunkBytes)
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		data := inputs[name]
		want, wantErr := decodeState(data, name, nil)
		if name != "refused" && name != "refused JSON" && wantErr != nil {
			t.Fatalf("%s: %v", name, wantErr)
		}
		chunks := 0
		for _, size := range []int{1, 1000, 20000, 1 << 30} {
			chunkBytes = size
			for _, run := range []struct {
				name string
				par  Parallel
			}{{"reversed", reversed}, {"concurrent", concurrent}} {
				calls := 0
				got, gotErr := decodeState(data, name, func(n int, task func(int)) {
					calls++
					chunks = max(chunks, n)
					run.par(n, task)
				})
				where := fmt.Sprintf("%s, chunks of %d bytes, %s", name, size, run.name)
				if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Fatalf("%s: error %v, want %v", where, gotErr, wantErr)
				}
				if calls > 1 {
					t.Fatalf("%s: Parallel called %d times", where, calls)
				}
				if wantErr != nil {
					continue
				}
				if diff := resultDiff(t, want, got); diff != "" {
					t.Fatalf("%s (-sequential +parallel): %s", where, diff)
				}
			}
		}
		// Every input is a List of several items, cut item by item when
		// chunks are one byte.
		if chunks < 3 {
			t.Errorf("%s: at most %d chunks; the test runs nothing in parallel", name, chunks)
		}
	}
}

// TestFastItemsChunks checks where fastItems cuts: after the item that
// brings a chunk to chunkBytes, never inside an item; and that each chunk
// has a decoder of its own.
func TestFastItemsChunks(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 10
	var items []listItem
	at := 0
	for _, size := range []int{4, 4, 4, 20, 1, 9, 1} {
		items = append(items, listItem{start: at, end: at + size})
		at += size
	}
	var chunks [][]int // the items each decoder saw
	results := fastItems(items, reversed, func() func(listItem) itemResult {
		c := len(chunks)
		chunks = append(chunks, nil)
		return func(it listItem) itemResult {
			chunks[c] = append(chunks[c], it.start)
			return itemResult{skipped: fmt.Sprint(it.start), ok: true}
		}
	})
	slices.SortFunc(chunks, func(a, b []int) int { return a[0] - b[0] })
	want := [][]int{{0, 4, 8}, {12}, {32, 33}, {42}}
	if diff := cmp.Diff(want, chunks); diff != "" {
		t.Errorf("chunks (-want +got):\n%s", diff)
	}
	for i, r := range results {
		if r.skipped != fmt.Sprint(items[i].start) {
			t.Errorf("item %d: result %q, want its own", i, r.skipped)
		}
	}
}

// TestDecodedStateDoesNotAliasInput decodes the CLI's dumps, as YAML and
// as JSON, then overwrites the input: the objects, kinds and skipped
// counts must not change (the fast paths read the input without copying
// it, and must copy what they keep).
func TestDecodedStateDoesNotAliasInput(t *testing.T) {
	dumps := cliDumps(t)
	nodesOnly, err := os.ReadFile("../testdata/cli/nodes-only.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dumps["../testdata/cli/nodes-only.yaml"] = nodesOnly
	for _, p := range slices.Sorted(maps.Keys(dumps)) {
		data := dumps[p]
		for _, in := range []struct {
			name string
			data []byte
		}{{p, data}, {p + " as JSON", asKubectlJSON(t, data)}} {
			res, err := decodeState(in.data, in.name, nil)
			if err != nil {
				t.Fatal(err)
			}
			render := func() string {
				return fmt.Sprint(renderObjects(t, res.Objects), res.Skipped)
			}
			before := render()
			for i := range in.data {
				in.data[i] = 'x'
			}
			if after := render(); after != before {
				t.Errorf("%s: the decoded state changed with the input:\n%s", in.name, cmp.Diff(before, after))
			}
		}
	}
}
