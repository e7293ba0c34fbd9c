package daemonsim_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/daemonsim/daemonsim"

// allowedImports is the layering of DESIGN.md §1: for each package of the
// module, the packages of the module it may import. Imports only point
// down: field ← selector ← taints ← cluster ← scheduling ← daemonset ←
// scenario ← cmd, examples. (taints uses selector's label key and value
// rules: taint keys are label keys.) A package missing from this table fails the
// test, so a new package has to be placed in the layering on purpose.
var allowedImports = map[string][]string{
	"field":                {},
	"internal/pbtree":      {},
	"internal/verify":      {},
	"internal/conformance": {},
	"internal/dsoracle":    {"field", "selector", "taints", "cluster", "scheduling", "daemonset", "internal/pbtree"},
	"selector":             {"field"},
	"taints":               {"field", "selector"},
	"cluster":              {"field", "selector", "taints", "internal/pbtree"},
	"scheduling":           {"field", "selector", "taints", "cluster"},
	"daemonset":            {"field", "selector", "taints", "cluster", "scheduling", "internal/pbtree", "internal/verify"},
	"replicaset":           {"field", "selector", "taints", "cluster", "scheduling"},
	"scenario":             {"field", "selector", "taints", "cluster", "scheduling", "daemonset", "replicaset", "internal/pbtree"},
	"cmd/daemonsim":        {"field", "selector", "taints", "cluster", "scheduling", "daemonset", "replicaset", "scenario"},
	"examples":             {"field", "selector", "taints", "cluster", "scheduling", "daemonset", "replicaset", "scenario"},
}

// testOnlyImports may be imported by _test.go files of any package.
var testOnlyImports = []string{"internal/conformance", "internal/dsoracle", "internal/verify"}

func TestLayering(t *testing.T) {
	pkgs := goFilesByPackage(t)
	if len(pkgs) == 0 {
		t.Fatal("no Go packages found")
	}
	for pkg, files := range pkgs {
		allowed, ok := allowedImports[pkg]
		if !ok {
			t.Errorf("package %q is not in the layering table of layering_test.go; add it where DESIGN.md §1 puts it", pkg)
			continue
		}
		for _, file := range files {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			isTest := strings.HasSuffix(file, "_test.go")
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, "k8s.io/") || strings.HasPrefix(path, "sigs.k8s.io/") {
					t.Errorf("%s imports %s: no Kubernetes module, ever", file, path)
				}
				if path != module && !strings.HasPrefix(path, module+"/") {
					continue
				}
				dep := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
				if dep == pkg {
					continue // an external test package importing its own package
				}
				if slices.Contains(allowed, dep) || (isTest && slices.Contains(testOnlyImports, dep)) {
					continue
				}
				if isTest && pkg == "" {
					continue
				}
				t.Errorf("%s imports %s: package %s may import only %v", file, path, pkg, allowed)
			}
		}
	}
}

// goFilesByPackage maps each package directory (relative to the module
// root, "" for the root) to its .go files, skipping testdata.
func goFilesByPackage(t *testing.T) map[string][]string {
	t.Helper()
	pkgs := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			dir := filepath.ToSlash(filepath.Dir(path))
			if dir == "." {
				dir = ""
			}
			pkgs[dir] = append(pkgs[dir], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(pkgs, "") // the root holds only these tests
	return pkgs
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
