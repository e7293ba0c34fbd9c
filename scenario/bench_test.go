package scenario

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
)

// The benchmarks of BENCHMARKS.md. Their names and sub-benchmark names
// are a contract: other tools run them.

// benchNodes returns n Ready nodes with eight labels each; node i has
// tier=a for even i and tier=b for odd i.
func benchNodes(n int) []cluster.Object {
	zones := []string{"zone-a", "zone-b", "zone-c"}
	objs := make([]cluster.Object, n)
	for i := range objs {
		node := &cluster.Node{TypeMeta: cluster.TypeMeta{APIVersion: "v1", Kind: "Node"}}
		node.Name = fmt.Sprintf("node-%06d", i)
		tier := "a"
		if i%2 == 1 {
			tier = "b"
		}
		node.Labels = map[string]string{
			"kubernetes.io/hostname":        node.Name,
			"kubernetes.io/os":              "linux",
			"kubernetes.io/arch":            "amd64",
			"topology.kubernetes.io/zone":   zones[i%3],
			"topology.kubernetes.io/region": "region-1",
			"node.kubernetes.io/instance":   "m5.large",
			"node-role.kubernetes.io/node":  "",
			"tier":                          tier,
		}
		node.Status.Conditions = []cluster.NodeCondition{{Type: cluster.NodeReady, Status: cluster.ConditionTrue}}
		objs[i] = node
	}
	return objs
}

// benchDaemonSet returns DaemonSet name; with tier set, its pods run on
// the nodes labelled tier=<tier> only.
func benchDaemonSet(name, tier string) *daemonset.DaemonSet {
	ds := &daemonset.DaemonSet{TypeMeta: cluster.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}}
	ds.Name = name
	ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": name}}
	ds.Spec.Template.Labels = map[string]string{"app": name}
	ds.Spec.Template.Spec.Containers = []cluster.Container{{Name: "main", Image: name + ":1"}}
	ds.Spec.Template.Spec.TerminationGracePeriodSeconds = cluster.Int64(0)
	if tier != "" {
		ds.Spec.Template.Spec.NodeSelector = map[string]string{"tier": tier}
	}
	return ds
}

// benchCluster returns a standard cluster that keeps no log, with the
// nodes loaded.
func benchCluster(b *testing.B, nodes int) *Env {
	env, err := NewCluster(cluster.Config{Log: cluster.LogConfig{Discard: true}})
	if err != nil {
		b.Fatal(err)
	}
	if err := env.Load(benchNodes(nodes)...); err != nil {
		b.Fatal(err)
	}
	return env
}

// heapMB returns the live heap after a collection, in MiB.
func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkConverge builds a standard cluster of N Ready nodes, applies
// the DaemonSet(s) and settles until every daemon pod is Running and
// Ready. It reports pods/s, the live heap at the end (MB) and its share
// per daemon pod (B/pod, including the nodes).
func BenchmarkConverge(b *testing.B) {
	for _, tc := range []struct {
		nodes, ds int
	}{{1000, 1}, {10000, 1}, {100000, 1}, {100000, 10}} {
		name := fmt.Sprintf("nodes=%d", tc.nodes)
		if tc.ds > 1 {
			name += fmt.Sprintf(",ds=%d", tc.ds)
		}
		b.Run(name, func(b *testing.B) {
			base := heapMB()
			var live float64
			for b.Loop() {
				env := benchCluster(b, tc.nodes)
				for d := 0; d < tc.ds; d++ {
					if err := env.Apply(benchDaemonSet(fmt.Sprintf("ds-%d", d), "")); err != nil {
						b.Fatal(err)
					}
				}
				if err := env.Settle(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				checkConverged(b, env, tc.nodes*tc.ds)
				live = heapMB() - base
				runtime.KeepAlive(env)
				b.StartTimer()
			}
			pods := float64(tc.nodes * tc.ds)
			b.ReportMetric(pods*float64(b.N)/b.Elapsed().Seconds(), "pods/s")
			b.ReportMetric(live, "MB")
			b.ReportMetric(live*(1<<20)/pods, "B/pod")
		})
	}
}

// checkConverged fails unless every DaemonSet reports all its pods ready.
func checkConverged(b *testing.B, env *Env, pods int) {
	ready := 0
	for o := range env.List(daemonset.KindDaemonSet, "") {
		s := o.(*daemonset.DaemonSet).Status
		if s.NumberReady != s.DesiredNumberScheduled {
			b.Fatalf("%s: %s", o.Meta().Name, daemonset.DescribeStatus(&s))
		}
		ready += int(s.NumberReady)
	}
	if ready != pods {
		b.Fatalf("%d pods ready, want %d", ready, pods)
	}
}

// relabelCluster returns a settled cluster of n nodes with 20 DaemonSets:
// ten on tier=a nodes, ten on tier=b nodes.
func relabelCluster(b *testing.B, n int) *Env {
	env := benchCluster(b, n)
	for d := 0; d < 20; d++ {
		tier := "a"
		if d%2 == 1 {
			tier = "b"
		}
		if err := env.Apply(benchDaemonSet(fmt.Sprintf("ds-%02d", d), tier)); err != nil {
			b.Fatal(err)
		}
	}
	if err := env.Settle(); err != nil {
		b.Fatal(err)
	}
	return env
}

// BenchmarkRelabel flips one node's tier label per op on a settled
// cluster with 20 DaemonSets, so that ten DaemonSets delete their pod from
// the node and ten create one, and settles.
func BenchmarkRelabel(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("nodes=%d,ds=20", n), func(b *testing.B) {
			env := relabelCluster(b, n)
			node := cluster.Ref{Kind: cluster.KindNode, Name: "node-000000"}
			tiers := [2]string{"tier=b", "tier=a"}
			i := 0
			for b.Loop() {
				if err := env.Label(node, tiers[i%2]); err != nil {
					b.Fatal(err)
				}
				if err := env.Settle(); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkWhatIf asks what a relabel would do on a settled cluster: fork,
// relabel, settle, diff, report.
func BenchmarkWhatIf(b *testing.B) {
	b.Run("nodes=10000,ds=20", func(b *testing.B) {
		env := relabelCluster(b, 10000)
		for b.Loop() {
			r, err := WhatIf(env, "label node/node-000000 tier=b --overwrite")
			if err != nil {
				b.Fatal(err)
			}
			if len(r.DaemonSets) != 20 || len(r.Refused) != 0 {
				b.Fatalf("report on %d DaemonSets, %d refusals: want 20 and none", len(r.DaemonSets), len(r.Refused))
			}
			gaining, losing := 0, 0
			for _, d := range r.DaemonSets {
				gaining += len(d.NodesGaining)
				losing += len(d.NodesLosing)
			}
			if gaining != 10 || losing != 10 {
				b.Fatalf("%d DaemonSets gain node-000000 and %d lose it, want 10 and 10", gaining, losing)
			}
		}
	})
}

// BenchmarkFork forks a cluster holding about N objects.
func BenchmarkFork(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			env := benchCluster(b, n/2)
			if err := env.Apply(benchDaemonSet("ds-0", "")); err != nil {
				b.Fatal(err)
			}
			if err := env.Settle(); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				_ = env.Fork()
			}
		})
	}
}

// BenchmarkRollingUpdate rolls a template change out to completion with
// maxUnavailable 10%.
func BenchmarkRollingUpdate(b *testing.B) {
	b.Run("nodes=10000", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			env := benchCluster(b, 10000)
			ds := benchDaemonSet("ds-0", "")
			mu := cluster.FromString("10%")
			ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy,
				RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &mu}}
			if err := env.Apply(ds); err != nil {
				b.Fatal(err)
			}
			if err := env.Settle(); err != nil {
				b.Fatal(err)
			}
			ds.Spec.Template.Spec.Containers[0].Image = "ds-0:2"
			b.StartTimer()
			if err := env.Apply(ds); err != nil {
				b.Fatal(err)
			}
			if err := env.Settle(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			o, _ := env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: "ds-0"})
			if msg, done, _ := daemonset.RolloutStatus(o.(*daemonset.DaemonSet)); !done {
				b.Fatal(msg)
			}
			b.StartTimer()
		}
	})
}
