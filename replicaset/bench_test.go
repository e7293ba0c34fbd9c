package replicaset

import (
	"fmt"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
)

// BenchmarkReconcileSteady measures a sync of a ReplicaSet of 100 ready
// replicas with nothing to do, in a namespace of 1000 pods (the other 900
// belong to a DaemonSet-like owner).
func BenchmarkReconcileSteady(b *testing.B) {
	c := cluster.MustNew(cluster.Config{})
	Register(c)
	ctrl := NewController()
	if err := c.Register(ctrl); err != nil {
		b.Fatal(err)
	}
	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(100)
	if err := c.Apply(rs); err != nil {
		b.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		b.Fatal(err)
	}
	for i := range 900 {
		p := &cluster.Pod{}
		p.Name = fmt.Sprintf("daemon-%03d", i)
		p.Labels = map[string]string{"app": "daemon"}
		p.OwnerReferences = []cluster.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "d", UID: "d", Controller: cluster.Bool(true)}}
		p.Spec.Containers = []cluster.Container{{Name: "d", Image: "d:1"}}
		if err := c.Apply(p); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		b.Fatal(err)
	}
	key := cluster.Key{Ref: cluster.RefOf(getRS(c, "web"))}
	b.ReportAllocs()
	for b.Loop() {
		if res := ctrl.Reconcile(c.View(), key); len(res.Actions) != 0 {
			b.Fatalf("steady sync acted: %v", res.Actions)
		}
	}
}

// BenchmarkPodsToDelete measures ranking 1000 pods to delete 500.
func BenchmarkPodsToDelete(b *testing.B) {
	pods := make([]*cluster.Pod, 1000)
	for i := range pods {
		pods[i] = rankPod(fmt.Sprintf("web-%04d", i), fmt.Sprintf("node-%02d", i%37), i%100, i%50)
	}
	now := cluster.Epoch.Add(1000e9)
	b.ReportAllocs()
	for b.Loop() {
		PodsToDelete(pods, pods, 500, now)
	}
}
