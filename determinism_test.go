package daemonsim_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// bannedTime lists the functions of package time that read or wait on the
// wall clock.
var bannedTime = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
	"AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
}

// allowedRand lists the functions of math/rand and math/rand/v2 that build
// an explicit, seeded source; every other top-level function uses the
// global source.
var allowedRand = map[string]bool{
	"New": true, "NewSource": true, "NewPCG": true, "NewChaCha8": true, "NewZipf": true,
}

// goroutinesAllowed lists the one non-test file that starts goroutines:
// the command's runner that decodes a dump's chunks on every core
// (scenario.LoadOptions.Parallel), whose output does not depend on their
// order. It may use goroutines, nothing else on the list.
var goroutinesAllowed = map[string]bool{"cmd/daemonsim/parallel.go": true}

// TestDeterminismSource enforces STYLE.md §2.7 on library code (every
// non-test file): no wall clock, no global random source, no goroutines,
// channels or select.
func TestDeterminismSource(t *testing.T) {
	for pkg, files := range goFilesByPackage(t) {
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			for _, p := range determinismProblems(t, file, nil) {
				if goroutinesAllowed[filepath.ToSlash(file)] && strings.Contains(p, "goroutine") {
					continue
				}
				t.Errorf("package %s: %s", pkg, p)
			}
		}
	}
}

// TestDeterminismSourceCatches proves the check above can fail.
func TestDeterminismSourceCatches(t *testing.T) {
	src := `package bad

import (
	"fmt"
	"math/rand/v2"
	"sync"
	clock "time"
)

func f() {
	_ = clock.Now()
	_ = rand.IntN(3)
	_ = rand.New(rand.NewPCG(1, 2)).IntN(3)
	var c chan int
	go func() {}()
	var wg sync.WaitGroup
	wg.Go(func() {})
	select {
	case <-c:
	}
}
`
	got := determinismProblems(t, "bad.go", src)
	want := []string{
		"bad.go:11:6: time.Now reads the wall clock; use the cluster's virtual clock",
		"bad.go:12:6: rand.IntN uses the global random source; use a seeded rand.New",
		"bad.go:14:8: channel type: library code uses no channels",
		"bad.go:15:2: go statement: library code runs on the caller's goroutine",
		"bad.go:17:2: a Go method (sync.WaitGroup.Go) starts a goroutine: library code runs on the caller's goroutine",
		"bad.go:18:2: select statement: library code uses no channels",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("determinismProblems mismatch:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// determinismProblems parses file (or src, when non-nil) and lists every
// use of the wall clock, the global random source, goroutines and
// channels, each prefixed with its position.
func determinismProblems(t *testing.T, file string, src any) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	// Local names of the imported time and rand packages.
	timeNames, randNames := map[string]bool{}, map[string]bool{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		switch path {
		case "time":
			timeNames[name] = true
		case "math/rand", "math/rand/v2":
			if name == "v2" {
				name = "rand"
			}
			randNames[name] = true
		}
	}
	report := func(n ast.Node, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: "+format, append([]any{fset.Position(n.Pos())}, args...)...))
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			report(n, "go statement: library code runs on the caller's goroutine")
		case *ast.SelectStmt:
			report(n, "select statement: library code uses no channels")
		case *ast.ChanType:
			report(n, "channel type: library code uses no channels")
		case *ast.CallExpr:
			// Without types, any method or function named Go is taken for
			// sync.WaitGroup.Go (or errgroup's), which starts a goroutine.
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" {
				report(n, "a Go method (sync.WaitGroup.Go) starts a goroutine: library code runs on the caller's goroutine")
			}
		case *ast.SelectorExpr:
			id, ok := n.X.(*ast.Ident)
			if !ok {
				return true
			}
			if timeNames[id.Name] && bannedTime[n.Sel.Name] {
				report(n, "time.%s reads the wall clock; use the cluster's virtual clock", n.Sel.Name)
			}
			if randNames[id.Name] && !allowedRand[n.Sel.Name] && ast.IsExported(n.Sel.Name) && !isRandType(n.Sel.Name) {
				report(n, "rand.%s uses the global random source; use a seeded rand.New", n.Sel.Name)
			}
		}
		return true
	})
	return problems
}

// isRandType reports whether name is a type of math/rand, which may be
// named freely (rand.Rand, rand.Source, …).
func isRandType(name string) bool {
	switch name {
	case "Rand", "Source", "Source64", "PCG", "ChaCha8", "Zipf":
		return true
	}
	return false
}
