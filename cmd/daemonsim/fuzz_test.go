package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scenario"
)

// FuzzParseChanges checks the command line's CHANGE arguments: any
// arguments parse into changes or fail with a message, never a panic, and
// changes that parse run through the what-if analysis of a loaded dump
// without panicking and without changing the analysed cluster. A "|" in
// the input separates arguments, so that one argument may hold spaces as
// a quoted one does. apply is left out: it reads files.
//
// Longer runs, for maintainers:
//
//	go test ./cmd/daemonsim -run '^$' -fuzz '^FuzzParseChanges$' -fuzztime 10m
func FuzzParseChanges(f *testing.F) {
	for _, s := range []string{
		"label|node/worker-a|disk=ssd", "label nodes -l disk=ssd gpu=true", "taint|nodes|worker-b|dedicated=x:NoExecute",
		"cordon|worker-a|uncordon|worker-b", "delete ds/fluentd -n kube-system --cascade=orphan", "delete|pods|-l|app=x",
		"label", "taint nodes -l", "drain worker-a", "worker-a|label|node/worker-a|a=b", " ", "label| |x", "",
	} {
		f.Add(s)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cli", "kubectl-dump.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	_, env, err := scenario.LoadState(data, "kubectl-dump.yaml", cluster.Config{})
	if err != nil {
		f.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "|")
		for _, a := range args {
			if slices.Contains(strings.Fields(a), "apply") {
				return
			}
		}
		changes, err := parseChanges(args, "default", false)
		if err != nil {
			if changes != nil || err.Error() == "" {
				t.Fatalf("parseChanges(%q) = %d changes, error %q", args, len(changes), err)
			}
			return
		}
		if len(changes) == 0 {
			return
		}
		e := env.Fork()
		before := e.Fork()
		seq, pending := e.LastSeq(), e.Pending()
		rep, err := whatIf(e, changes, 0)
		if err == nil && rep == nil {
			t.Fatalf("whatIf(%q) returned no report and no error", args)
		}
		if d := cluster.Diff(before.Cluster, e.Cluster); len(d) > 0 {
			t.Fatalf("whatIf(%q) changed %s in the analysed cluster", args, d[0].Ref)
		}
		if e.LastSeq() != seq || e.Pending() != pending {
			t.Fatalf("whatIf(%q) changed the analysed cluster's log or queue", args)
		}
	})
}
