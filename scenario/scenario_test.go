package scenario

import (
	"flag"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite output: blocks in scenario files")

// testdataDir is the module's testdata directory, seen from this package.
const testdataDir = "../testdata"

// skippedDirs are the directories under testdata that hold no runnable
// scenarios: conformance vectors, deliberately bad files, fuzz corpora,
// the CLI's fixtures (some fail on purpose).
var skippedDirs = []string{"conformance", "bad", "fuzz", "cli"}

// isTempFile reports whether name is an editor's temporary file: ".#x",
// "#x#", "x~", ".x.swp" (datadriven skips the same).
func isTempFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp")
}

// scenarioFiles returns the scenario files under testdata, in lexical
// order, with their subtest names (the path under testdata without the
// extension).
func scenarioFiles(t *testing.T) (paths, names []string) {
	t.Helper()
	err := filepath.WalkDir(testdataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(testdataDir, path)
		if d.IsDir() {
			if path != testdataDir && (slices.Contains(skippedDirs, rel) || isTempFile(d.Name())) {
				return filepath.SkipDir
			}
			return nil
		}
		if isTempFile(d.Name()) || filepath.Ext(path) != ".yaml" {
			return nil
		}
		paths = append(paths, path)
		names = append(names, filepath.ToSlash(strings.TrimSuffix(rel, ".yaml")))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no scenario files under %s", testdataDir)
	}
	return paths, names
}

// TestScenarios runs every scenario file under testdata (except
// testdata/conformance, testdata/bad and testdata/fuzz), one subtest per
// file named by its path without the extension, checking its expect:
// blocks and its output: blocks.
//
// If this test fails, run `go test ./scenario -run TestScenarios -update`,
// read `git diff testdata/`, and commit the new outputs only if you
// understand why they changed and want them. Code changes and golden
// changes land in the same commit, and its message says why the outputs
// moved. CI never passes -update, and fails on any diff. -update never
// touches expect: blocks, so it cannot bless a broken claim.
func TestScenarios(t *testing.T) {
	paths, names := scenarioFiles(t)
	for i, path := range paths {
		t.Run(names[i], func(t *testing.T) {
			RunWith(t, path, Options{Update: *update})
		})
	}
}

// TestScenariosDeterministic runs every scenario file twice in one
// process and demands byte-identical step outputs and logs.
func TestScenariosDeterministic(t *testing.T) {
	paths, names := scenarioFiles(t)
	for i, path := range paths {
		t.Run(names[i], func(t *testing.T) {
			first, err := RunFile(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			second, err := RunFile(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(first.Transcript(), second.Transcript()); diff != "" {
				t.Errorf("%s: outputs differ between two runs (-first +second):\n%s", path, diff)
			}
			if diff := cmp.Diff(logLines(first), logLines(second)); diff != "" {
				t.Errorf("%s: logs differ between two runs (-first +second):\n%s", path, diff)
			}
			if len(first.Steps) == 0 {
				t.Errorf("%s: no step ran: %v", path, first.Failures)
			}
		})
	}
}

func logLines(r *Result) []string {
	out := make([]string, len(r.Log))
	for i, rec := range r.Log {
		out[i] = rec.String()
	}
	return out
}
