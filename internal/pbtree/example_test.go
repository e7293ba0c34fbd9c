package pbtree_test

import (
	"fmt"
	"strings"

	"github.com/daemonsim/daemonsim/internal/pbtree"
)

func ExampleMap_Range() {
	m := pbtree.New[string, int](strings.Compare)
	for i, name := range []string{"node-c", "node-a", "node-d", "node-b"} {
		m.Set(name, i)
	}
	for k, v := range m.Range("node-b", "node-d") {
		fmt.Println(k, v)
	}
	// Output:
	// node-b 3
	// node-c 0
}

func ExampleMap_Clone() {
	cluster := pbtree.New[string, string](strings.Compare)
	cluster.Set("pods/default/web-0", "Running")
	cluster.Set("pods/default/web-1", "Running")

	fork := cluster.Clone()
	fork.Set("pods/default/web-1", "Failed")
	fork.Delete("pods/default/web-0")

	for k, v := range cluster.All() {
		fmt.Println("cluster:", k, v)
	}
	for k, v := range fork.All() {
		fmt.Println("fork:   ", k, v)
	}
	// Output:
	// cluster: pods/default/web-0 Running
	// cluster: pods/default/web-1 Running
	// fork:    pods/default/web-1 Failed
}

func ExampleDiff() {
	before := pbtree.New[string, string](strings.Compare)
	before.Set("a", "1")
	before.Set("b", "2")
	before.Set("c", "3")

	after := before.Clone()
	after.Delete("a")
	after.Set("b", "20")
	after.Set("d", "4")

	same := func(x, y string) bool { return x == y }
	pbtree.Diff(before, after, same, func(k, va string, inA bool, vb string, inB bool) bool {
		switch {
		case !inB:
			fmt.Printf("deleted %s (was %s)\n", k, va)
		case !inA:
			fmt.Printf("created %s = %s\n", k, vb)
		default:
			fmt.Printf("changed %s: %s -> %s\n", k, va, vb)
		}
		return true
	})
	// Output:
	// deleted a (was 1)
	// changed b: 2 -> 20
	// created d = 4
}
