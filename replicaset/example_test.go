package replicaset_test

import (
	"fmt"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/replicaset"
	"github.com/daemonsim/daemonsim/scheduling"
)

// Claim S26: a ReplicationController keeps a number of pods running; the
// scheduler, not the controller, decides where. Compare a DaemonSet, which
// runs one pod on every (matching) node.
func ExampleNewReplicationController() {
	c := cluster.MustNew(cluster.Config{})
	replicaset.Register(c)
	c.Register(replicaset.NewReplicationController(), scheduling.NewScheduler(), cluster.NewKubelet())
	for _, name := range []string{"node-a", "node-b", "node-c", "node-d"} {
		n := &cluster.Node{}
		n.Name = name
		n.Status.Allocatable = cluster.ResourceList{
			cluster.ResourceCPU: cluster.MustParseQuantity("2"), cluster.ResourceMemory: cluster.MustParseQuantity("4Gi"),
		}
		c.Apply(n)
	}
	rc := &replicaset.ReplicationController{}
	rc.Name = "frontend"
	rc.Spec.Replicas = cluster.Int32(3)
	rc.Spec.Template = &cluster.PodTemplateSpec{}
	rc.Spec.Template.Labels = map[string]string{"app": "frontend"} // the selector defaults to these
	rc.Spec.Template.Spec.Containers = []cluster.Container{{Name: "php", Image: "php:8.3-apache"}}
	c.Apply(rc)
	c.Settle()

	for o := range c.List(cluster.KindPod, "default") {
		p := o.(*cluster.Pod)
		fmt.Println(p.Name, p.Spec.NodeName, p.Status.Phase)
	}
	o, _ := c.Get(cluster.Ref{Kind: replicaset.KindReplicationController, Namespace: "default", Name: "frontend"})
	fmt.Println(replicaset.DescribeStatus(&o.(*replicaset.ReplicationController).Status))
	// Output:
	// frontend-28929 node-b Running
	// frontend-fbzt6 node-c Running
	// frontend-llgnm node-a Running
	// replicas=3 ready=3 available=3
}

// PodsToDelete ranks the pods of a scale-down: an unscheduled pod goes
// before a scheduled one, a not-ready pod before a ready one.
func ExamplePodsToDelete() {
	pod := func(name, node string, ready cluster.ConditionStatus) *cluster.Pod {
		p := &cluster.Pod{}
		p.Name, p.Spec.NodeName = name, node
		p.Status.Phase = cluster.PodRunning
		if node == "" {
			p.Status.Phase = cluster.PodPending
		}
		p.Status.Conditions = []cluster.PodCondition{{Type: cluster.PodReady, Status: ready, LastTransitionTime: cluster.Epoch}}
		return p
	}
	pods := []*cluster.Pod{
		pod("web-1", "node-a", cluster.ConditionTrue),
		pod("web-2", "node-b", cluster.ConditionFalse),
		pod("web-3", "", cluster.ConditionFalse),
	}
	for _, p := range replicaset.PodsToDelete(pods, nil, 2, cluster.Epoch.Add(60e9)) {
		fmt.Println(p.Name)
	}
	// Output:
	// web-3
	// web-2
}
