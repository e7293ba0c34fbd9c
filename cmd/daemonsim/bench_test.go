package main

import (
	"bufio"
	"bytes"
	"fmt"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scenario"
)

// genDump returns the dump generate writes for o.
func genDump(tb testing.TB, o genOptions) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := generate(w, o); err != nil {
		tb.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// benchChange is the change of the by-hand check in the CLI's help.
const benchChange = "label nodes -l zone=a disk=ssd --overwrite"

// loadAndAsk does what `daemonsim whatif -f dump.yaml CHANGE` does,
// without printing: the dump's items are decoded on every core, as the
// command decodes them.
func loadAndAsk(tb testing.TB, data []byte) *scenario.Report {
	_, env, err := scenario.LoadStateWith(data, "dump.yaml", cluster.Config{Log: cluster.LogConfig{Discard: true}},
		scenario.LoadOptions{Parallel: parallel})
	if err != nil {
		tb.Fatal(err)
	}
	return ask(tb, env)
}

func ask(tb testing.TB, env *scenario.Env) *scenario.Report {
	changes, err := parseChanges([]string{benchChange}, "default", false)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := whatIf(env, changes, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// BenchmarkWhatIfDump measures `daemonsim whatif -f dump.yaml 'label
// nodes -l zone=a disk=ssd'` on generated dumps of 10⁴ nodes and 20
// DaemonSets, without and with their daemon pods (generate -pods), and
// with pods and managedFields (generate -pods -managed-fields, as kubectl
// get --show-managed-fields prints them):
//
//   - load+whatif: decode the dump, load it, settle the baseline, ask;
//   - whatif: ask again of the loaded state (fork, change, settle, diff).
//
// It reports the dump's size (MB) and its pods.
func BenchmarkWhatIfDump(b *testing.B) {
	for _, o := range []genOptions{
		{nodes: 10000, daemonSets: 20, seed: 1},
		{nodes: 10000, daemonSets: 20, pods: true, seed: 1},
		{nodes: 10000, daemonSets: 20, pods: true, managedFields: true, seed: 1},
	} {
		data := genDump(b, o)
		name := fmt.Sprintf("nodes=10000,ds=20,pods=%v", o.pods)
		if o.managedFields {
			name += ",managedFields=true"
		}
		var env *scenario.Env
		b.Run(name+"/load+whatif", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep := loadAndAsk(b, data)
				if len(rep.DaemonSets) != 20 {
					b.Fatalf("%d DaemonSets, want 20", len(rep.DaemonSets))
				}
			}
			b.ReportMetric(float64(len(data))/(1<<20), "MB")
		})
		b.Run(name+"/whatif", func(b *testing.B) {
			if env == nil {
				var err error
				if _, env, err = scenario.LoadState(data, "dump.yaml", cluster.Config{Log: cluster.LogConfig{Discard: true}}); err != nil {
					b.Fatal(err)
				}
				if err := env.Settle(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				ask(b, env)
			}
			b.ReportMetric(float64(env.View().Count(cluster.KindPod)), "pods")
		})
	}
}
