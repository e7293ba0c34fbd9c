package scheduling_test

import (
	"fmt"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scheduling"
	"github.com/daemonsim/daemonsim/taints"
)

// pinnedCluster returns a cluster without a scheduler holding n nodes and
// n pending DaemonSet-style pods, one pinned to each node.
func pinnedCluster(b *testing.B, n int) *cluster.Cluster {
	b.Helper()
	c := cluster.MustNew(cluster.Config{Log: cluster.LogConfig{Discard: true}, MaxSettleSteps: 10 * n})
	objs := make([]cluster.Object, 0, 2*n)
	for i := range n {
		objs = append(objs, newNode(fmt.Sprintf("node-%05d", i), allocatable("cpu=8,memory=32Gi,pods=110"), labels("zone", "z"+fmt.Sprint(i%3))))
	}
	for i := range n {
		objs = append(objs, newPod(fmt.Sprintf("agent-%05d", i), namespace("kube-system"),
			pinTo(fmt.Sprintf("node-%05d", i)), requests("cpu=100m,memory=200Mi"), port(9100, 9100, "TCP", ""),
			tolerate(taints.NodeUnschedulable, taints.OpExists, "", taints.NoSchedule)))
	}
	if err := c.Apply(objs...); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkSchedulePinnedPods binds 10⁴ DaemonSet-style pods, each pinned
// to one of 10⁴ nodes: registering the scheduler (which sees every stored
// object) and settling. The cluster is forked from a prepared one per
// iteration (O(1)).
func BenchmarkSchedulePinnedPods(b *testing.B) {
	const n = 10_000
	base := pinnedCluster(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := base.Fork()
		if err := c.Register(scheduling.NewScheduler()); err != nil {
			b.Fatal(err)
		}
		if err := c.Settle(); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.StopTimer()
			bound := 0
			for o := range c.List(cluster.KindPod, "kube-system") {
				if o.(*cluster.Pod).Spec.NodeName != "" {
					bound++
				}
			}
			if bound != n {
				b.Fatalf("%d of %d pods bound", bound, n)
			}
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/pod")
}

// BenchmarkFilterCheck is the per-node predicate of a compiled pod on a
// node it fits, with ten pods bound there.
func BenchmarkFilterCheck(b *testing.B) {
	node := newNode("node-a", labels("disk", "ssd"), tainted("dedicated=db:NoSchedule"), allocatable("cpu=8,memory=16Gi,pods=110"))
	pod := newPod("p", nodeSelector("disk", "ssd"), pinTo("node-a"),
		tolerate("dedicated", taints.OpExists, "", taints.NoSchedule), port(80, 80, "TCP", ""), requests("cpu=500m,memory=1Gi"))
	onNode := on(manyPods(10)...)
	f := scheduling.NewFilter(pod)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !f.Check(node, onNode).Fits {
			b.Fatal("does not fit")
		}
	}
}
