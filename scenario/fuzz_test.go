package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that parsing any input either succeeds or returns an
// *Error, and never panics.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/scenario-selftest/*.yaml")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("steps: [settle: ]\n"))
	f.Add([]byte(aliasBomb))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := Parse("f.yaml", data); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse error is a %T, want *Error: %v", err, err)
			}
		}
	})
}

// FuzzDecode checks that decoding any input, strictly or leniently,
// never panics.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(renderManifests))
	f.Add([]byte(whatifManifests))
	f.Add([]byte(aliasBomb))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Decode(data)
		_, _ = DecodeLenient(data)
	})
}
