package daemonset_test

import (
	"fmt"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// benchDaemonSet returns a DaemonSet whose template has a nodeSelector, a
// required node-affinity term and a toleration.
func benchDaemonSet() *daemonset.DaemonSet {
	ds := newDS("agent")
	s := &ds.Spec.Template.Spec
	s.NodeSelector = map[string]string{"kubernetes.io/os": "linux"}
	s.Affinity = requiredAffinity(
		selector.NodeSelectorRequirement{Key: "topology.kubernetes.io/zone", Operator: "In", Values: []string{"eu-west-1a", "eu-west-1b"}},
		selector.NodeSelectorRequirement{Key: "node-role.kubernetes.io/infra", Operator: "DoesNotExist"},
	)
	s.Tolerations = []taints.Toleration{{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.NoSchedule}}
	ds.Default(cluster.Modern)
	return ds
}

// benchNodes returns n nodes with eight labels and two taints each, a
// mix of eligible and ineligible ones.
func benchNodes(n int) []*cluster.Node {
	zones := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	nodes := make([]*cluster.Node, n)
	for i := range nodes {
		name := fmt.Sprintf("node-%05d", i)
		labels := map[string]string{
			"kubernetes.io/hostname":           name,
			"kubernetes.io/os":                 "linux",
			"kubernetes.io/arch":               "amd64",
			"beta.kubernetes.io/instance-type": "m5.large",
			"node.kubernetes.io/instance-type": "m5.large",
			"topology.kubernetes.io/region":    "eu-west-1",
			"topology.kubernetes.io/zone":      zones[i%3],
			"node-role.kubernetes.io/worker":   "",
		}
		if i%5 == 2 {
			delete(labels, "node-role.kubernetes.io/worker")
			labels["node-role.kubernetes.io/infra"] = ""
		}
		t1 := taints.Taint{Key: "dedicated", Value: "gpu", Effect: taints.NoSchedule}
		t2 := taints.Taint{Key: "example.com/maint", Effect: taints.PreferNoSchedule}
		if i%7 == 0 {
			t2 = taints.Taint{Key: taints.NodeUnreachable, Effect: taints.NoExecute}
		}
		nodes[i] = newNode(name, labels, t1, t2)
	}
	return nodes
}

// BenchmarkEligibility checks every node once per op for one DaemonSet.
func BenchmarkEligibility(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			e := daemonset.NewEligibility(benchDaemonSet(), cluster.Modern)
			nodes := benchNodes(n)
			eligible, ops := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				ops++
				eligible = 0
				for _, node := range nodes {
					if run, _ := e.ShouldRun(node); run {
						eligible++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(ops*n), "ns/node")
			if eligible == 0 {
				b.Fatal("no node is eligible")
			}
		})
	}
}
