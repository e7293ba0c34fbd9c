package replicaset

import (
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scheduling"
	"github.com/google/go-cmp/cmp"
)

// newTestCluster returns a cluster with this package's kinds and both
// controllers, the default scheduler, the kubelet stand-in and the garbage
// collector, and three nodes with room for pods.
func newTestCluster(t testing.TB, cfg cluster.Config) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	Register(c)
	check(t, c.Register(NewController(), NewReplicationController(), scheduling.NewScheduler(),
		cluster.NewKubelet(), cluster.NewGarbageCollector()))
	for _, n := range []string{"node-a", "node-b", "node-c"} {
		node := &cluster.Node{}
		node.Name = n
		node.Status.Allocatable = cluster.ResourceList{
			cluster.ResourceCPU:    cluster.MustParseQuantity("2"),
			cluster.ResourceMemory: cluster.MustParseQuantity("4Gi"),
			"pods":                 cluster.MustParseQuantity("110"),
		}
		check(t, c.Apply(node))
	}
	return c
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// step runs f and returns the log lines it added.
func step(t testing.TB, c *cluster.Cluster, f func() error) []string {
	t.Helper()
	seq := c.LastSeq()
	check(t, f())
	var out []string
	for _, r := range c.LogSince(seq) {
		out = append(out, r.String())
	}
	return out
}

func wantLines(t testing.TB, what string, want, got []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: log mismatch (-want +got):\n%s", what, diff)
	}
}

// applyAndSettle applies objects and settles.
func applyAndSettle(c *cluster.Cluster, objs ...cluster.Object) func() error {
	return func() error {
		if err := c.Apply(objs...); err != nil {
			return err
		}
		return c.Settle()
	}
}

// podsByNode returns "name@node" for the live pods of the namespace
// "default", in name order ("@" alone for an unbound pod).
func podsByNode(c *cluster.Cluster) []string {
	var out []string
	for o := range c.List(cluster.KindPod, "default") {
		p := o.(*cluster.Pod)
		if p.Terminating() {
			continue
		}
		out = append(out, p.Name+"@"+p.Spec.NodeName)
	}
	return out
}

func getRS(c *cluster.Cluster, name string) *ReplicaSet {
	o, ok := c.Get(cluster.Ref{Kind: KindReplicaSet, Namespace: "default", Name: name})
	if !ok {
		return nil
	}
	return o.(*ReplicaSet)
}
