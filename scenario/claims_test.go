package scenario

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// behaviouralClaims lists the claims of the seed page (the project's
// seed/CLAIMS.md) that describe behaviour; S5 and S23 are context, served
// by the examples package.
var behaviouralClaims = []string{
	"S1", "S2", "S3", "S4", "S6", "S7", "S8", "S9", "S10", "S11", "S12", "S13",
	"S14", "S15", "S16", "S17", "S18", "S19", "S20", "S21", "S22", "S24", "S25", "S26",
}

// TestClaimsCovered fails when a behavioural claim has no scenario file
// under testdata/seed, or when a seed file's claim: does not match its
// name.
func TestClaimsCovered(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "seed", "S*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string][]string{}
	for _, path := range files {
		f, err := ParseFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		id, _, _ := strings.Cut(filepath.Base(path), "-")
		if f.Claim != id {
			t.Errorf("%s: claim: %q, want %q (the file-name prefix)", path, f.Claim, id)
		}
		covered[f.Claim] = append(covered[f.Claim], filepath.Base(path))
	}
	for _, id := range behaviouralClaims {
		if len(covered[id]) == 0 {
			t.Errorf("claim %s has no scenario file testdata/seed/%s-*.yaml", id, id)
		}
	}
	for id := range covered {
		if !slices.Contains(behaviouralClaims, id) {
			t.Errorf("claim %s (files %v) is not a behavioural claim", id, covered[id])
		}
	}
	t.Logf("%d claims, %d files", len(covered), len(files))
	if _, err := os.Stat(filepath.Join("..", "examples")); err != nil {
		t.Errorf("claims S5 and S23 are served by the examples package: %v", err)
	}
}
