// Package conformance loads the conformance vectors that the real
// Kubernetes libraries produced (see testdata/conformance/README.md), for
// the conformance tests of each package.
//
// The directory is $CONFORMANCE_DIR when set, and otherwise
// testdata/conformance at the module root, so the same tests can be run
// against other vector sets of the same schema.
package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that overrides the directory.
const EnvVar = "CONFORMANCE_DIR"

// Dir returns the directory the vectors are read from.
func Dir() (string, error) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "testdata", "conformance"), nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("conformance: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Load reads file (a JSON array of cases, conventionally one per line) from
// [Dir] and decodes every case into a T. It fails the test when the file is
// missing, malformed or holds no case; decoding errors name the line.
func Load[T any](t testing.TB, file string) []T {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("conformance vectors: %v", err)
	}
	var cases []T
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("%s:%d: %v", path, errorLine(data, err), err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	return cases
}

// errorLine returns the 1-based line of a JSON decoding error, or 0.
func errorLine(data []byte, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	off = min(off, int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
