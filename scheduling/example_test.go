package scheduling_test

import (
	"fmt"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scheduling"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Check lists every reason a node does not fit a pod, in the scheduler's
// words.
func ExampleCheck() {
	node := &cluster.Node{}
	node.Name = "node-a"
	node.Spec.Unschedulable = true // cordoned
	node.Spec.Taints = []taints.Taint{{Key: "dedicated", Value: "db", Effect: taints.NoSchedule}}
	node.Status.Allocatable = cluster.ResourceList{cluster.ResourceCPU: cluster.MustParseQuantity("2")}

	pod := &cluster.Pod{}
	pod.Name = "web"
	pod.Spec.Containers = []cluster.Container{{Name: "web", Image: "nginx:1.27",
		Resources: cluster.ResourceRequirements{Requests: cluster.ResourceList{cluster.ResourceCPU: cluster.MustParseQuantity("3")}}}}

	v := scheduling.Check(node, pod, nil)
	fmt.Println("fits:", v.Fits)
	for _, r := range v.Reasons {
		fmt.Println(r)
	}
	fmt.Println("untolerated:", v.Taint)
	// Output:
	// fits: false
	// node(s) were unschedulable
	// node(s) had untolerated taint(s)
	// Insufficient cpu
	// untolerated: dedicated=db:NoSchedule
}

// FitErrorMessage summarises why no node fits, as a FailedScheduling event
// does.
func ExampleFitErrorMessage() {
	msg := scheduling.FitErrorMessage(3, map[string][]scheduling.Reason{
		"node-a": {scheduling.ReasonInsufficientCPU},
		"node-b": {scheduling.ReasonNodeAffinity},
		"node-c": {scheduling.ReasonNodeAffinity},
	})
	fmt.Println(msg)
	// Output:
	// 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.
}

// The scheduler binds a DaemonSet-style pod (pinned to its node by node
// affinity) at once, and keeps a pod no node fits pending until a node is
// labelled to fit it.
func ExampleNewScheduler() {
	c := cluster.MustNew(cluster.Config{})
	if err := c.Register(scheduling.NewScheduler()); err != nil {
		panic(err)
	}

	nodeA, nodeB := &cluster.Node{}, &cluster.Node{}
	nodeA.Name, nodeB.Name = "node-a", "node-b"

	daemon := &cluster.Pod{}
	daemon.Name = "fluentd-b7x2k"
	daemon.Spec.Containers = []cluster.Container{{Name: "fluentd", Image: "fluentd:1.17"}}
	daemon.Spec.Affinity = &cluster.Affinity{NodeAffinity: &cluster.NodeAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{{
			MatchFields: []selector.NodeSelectorRequirement{{Key: "metadata.name", Operator: selector.NodeSelectorOpIn, Values: []string{"node-b"}}},
		}}},
	}}

	monitor := &cluster.Pod{}
	monitor.Name = "ssd-monitor"
	monitor.Spec.Containers = []cluster.Container{{Name: "monitor", Image: "busybox:1.36"}}
	monitor.Spec.NodeSelector = map[string]string{"disk": "ssd"}

	if err := c.Apply(nodeA, nodeB, daemon, monitor); err != nil {
		panic(err)
	}
	if err := c.Settle(); err != nil {
		panic(err)
	}
	if err := c.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-a"}, "disk=ssd"); err != nil {
		panic(err)
	}
	if err := c.Settle(); err != nil {
		panic(err)
	}
	for _, r := range c.Log() {
		fmt.Println(r)
	}
	// Output:
	// 0s user create Node/node-a
	// 0s user create Node/node-b
	// 0s user create Pod/default/fluentd-b7x2k
	// 0s user create Pod/default/ssd-monitor
	// 0s default-scheduler bind Pod/default/fluentd-b7x2k node=node-b
	// 0s default-scheduler event Pod/default/fluentd-b7x2k Normal Scheduled "Successfully assigned default/fluentd-b7x2k to node-b"
	// 0s default-scheduler event Pod/default/ssd-monitor Warning FailedScheduling "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
	// 0s default-scheduler update-status Pod/default/ssd-monitor PodScheduled=False reason=Unschedulable
	// 0s user update Node/node-a labels +disk=ssd
	// 0s default-scheduler bind Pod/default/ssd-monitor node=node-a
	// 0s default-scheduler event Pod/default/ssd-monitor Normal Scheduled "Successfully assigned default/ssd-monitor to node-a"
}
