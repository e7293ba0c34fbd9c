package cluster_test

import (
	"fmt"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/taints"
)

// printSince prints the log records after seq, one line each.
func printSince(c *cluster.Cluster, seq uint64) {
	for _, r := range c.LogSince(seq) {
		fmt.Println(r.String())
	}
}

func node(name string) *cluster.Node {
	n := &cluster.Node{}
	n.Name = name
	return n
}

func pod(name, nodeName string, tols ...taints.Toleration) *cluster.Pod {
	p := &cluster.Pod{}
	p.Name = name
	p.Spec.NodeName = nodeName
	p.Spec.Containers = []cluster.Container{{Name: "main", Image: "busybox:1"}}
	p.Spec.Tolerations = tols
	return p
}

// A node's kubelet stops posting status. After the 50s grace period the
// node is Unknown and tainted unreachable; the bare pod (300s default
// toleration) is evicted five minutes later, while the daemon pod, which
// tolerates the taint for ever, stays (claims S17, S24).
func ExampleNewNodeLifecycleController() {
	c := cluster.MustNew(cluster.Config{})
	c.Register(cluster.NewNodeLifecycleController(), cluster.NewTaintEvictionController(), cluster.NewKubelet())
	c.Apply(node("node-a"), node("node-b"))
	c.Apply(pod("bare", "node-a"), pod("daemon", "node-a", taints.DaemonTolerations(false, false)...))
	c.Settle()

	seq := c.LastSeq()
	c.Disconnect("node-a")
	c.Advance(50 * time.Second) // nodeMonitorGracePeriod
	c.Advance(300 * time.Second)
	printSince(c, seq)
	// Output:
	// 0s user disconnect Node/node-a
	// 0s user advance 50s
	// 50s node-lifecycle-controller update-status Node/node-a Ready=Unknown
	// 50s node-lifecycle-controller event Node/node-a Normal NodeNotReady "Node node-a status is now: NodeNotReady"
	// 50s node-lifecycle-controller update-status Pod/default/bare phase=Running ready=false
	// 50s node-lifecycle-controller event Pod/default/bare Warning NodeNotReady "Node is not ready"
	// 50s node-lifecycle-controller update-status Pod/default/daemon phase=Running ready=false
	// 50s node-lifecycle-controller event Pod/default/daemon Warning NodeNotReady "Node is not ready"
	// 50s node-lifecycle-controller update Node/node-a taints +node.kubernetes.io/unreachable:NoSchedule
	// 50s node-lifecycle-controller update Node/node-a taints +node.kubernetes.io/unreachable:NoExecute
	// 50s user advance 5m0s
	// 5m50s taint-eviction-controller event Pod/default/bare Normal TaintManagerEviction "Marking for deletion Pod default/bare"
	// 5m50s taint-eviction-controller update-status Pod/default/bare phase=Running ready=false DisruptionTarget=DeletionByTaintManager
	// 5m50s taint-eviction-controller evict Pod/default/bare grace=30s
}

// A NoExecute taint evicts the pods that do not tolerate it at once, and
// those that tolerate it for a while when their time is up.
func ExampleNewTaintEvictionController() {
	c := cluster.MustNew(cluster.Config{})
	c.Register(cluster.NewTaintEvictionController())
	c.Apply(node("n"))
	minute := int64(60)
	c.Apply(pod("intolerant", "n"), pod("patient", "n", taints.Toleration{
		Key: "maintenance", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: &minute}))
	c.Settle()

	seq := c.LastSeq()
	c.Taint("n", "maintenance=true:NoExecute")
	c.Advance(time.Minute)
	printSince(c, seq)
	// Output:
	// 0s user update Node/n taints +maintenance=true:NoExecute
	// 0s user advance 1m0s
	// 0s taint-eviction-controller event Pod/default/intolerant Normal TaintManagerEviction "Marking for deletion Pod default/intolerant"
	// 0s taint-eviction-controller update-status Pod/default/intolerant phase=Pending ready=false DisruptionTarget=DeletionByTaintManager
	// 0s taint-eviction-controller evict Pod/default/intolerant grace=30s
	// 1m0s taint-eviction-controller event Pod/default/patient Normal TaintManagerEviction "Marking for deletion Pod default/patient"
	// 1m0s taint-eviction-controller update-status Pod/default/patient phase=Pending ready=false DisruptionTarget=DeletionByTaintManager
	// 1m0s taint-eviction-controller evict Pod/default/patient grace=30s
}

// The kubelet starts bound pods after Config.PodStartup and removes
// terminating ones at their deletionTimestamp.
func ExampleNewKubelet() {
	c := cluster.MustNew(cluster.Config{PodStartup: 5 * time.Second})
	c.Register(cluster.NewKubelet())
	c.Apply(node("n"), pod("web", "n"))
	c.Advance(5 * time.Second)
	c.Delete(cluster.Ref{Kind: cluster.KindPod, Name: "web"}, cluster.DeleteOptions{})
	c.Advance(time.Minute)
	printSince(c, 0)
	// Output:
	// 0s user create Node/n
	// 0s user create Pod/default/web
	// 0s user advance 5s
	// 5s kubelet/n update-status Pod/default/web phase=Running ready=true
	// 5s user delete Pod/default/web grace=30s
	// 5s user advance 1m0s
	// 35s kubelet/n delete Pod/default/web
}

// A standing status report holds matching pods unready, including pods
// that start later.
func ExampleKubelet_Report() {
	c := cluster.MustNew(cluster.Config{})
	k := cluster.NewKubelet()
	c.Register(k)
	c.Apply(node("n"), pod("a", "n"))
	c.Settle()
	k.Report(c, cluster.StatusReport{Node: "n", Ready: cluster.Bool(false)})
	c.Apply(pod("b", "n"))
	c.Settle()
	printSince(c, 3)
	// Output:
	// 0s kubelet/n update-status Pod/default/a phase=Running ready=false
	// 0s user create Pod/default/b
	// 0s kubelet/n update-status Pod/default/b phase=Running ready=false
}

// A static pod runs from the kubelet's manifest; the API shows a mirror of
// it, which the kubelet recreates when it is deleted (claim S25).
func ExampleKubelet_AddStaticPod() {
	c := cluster.MustNew(cluster.Config{})
	k := cluster.NewKubelet()
	c.Register(k)
	c.Apply(node("n"))
	etcd := pod("etcd", "")
	etcd.Namespace = "kube-system"
	k.AddStaticPod(c, "n", etcd)
	c.Settle()
	c.Delete(cluster.Ref{Kind: cluster.KindPod, Namespace: "kube-system", Name: "etcd-n"}, cluster.DeleteOptions{})
	c.Settle()
	printSince(c, 1)
	mirror, _ := c.Get(cluster.Ref{Kind: cluster.KindPod, Namespace: "kube-system", Name: "etcd-n"})
	fmt.Println(cluster.IsMirrorPod(mirror.(*cluster.Pod)), mirror.Meta().OwnerReferences[0].Kind)
	// Output:
	// 0s kubelet/n create Pod/kube-system/etcd-n mirror
	// 0s kubelet/n update-status Pod/kube-system/etcd-n phase=Running ready=true
	// 0s user delete Pod/kube-system/etcd-n grace=30s
	// 0s kubelet/n delete Pod/kube-system/etcd-n
	// 0s kubelet/n create Pod/kube-system/etcd-n mirror
	// 0s kubelet/n update-status Pod/kube-system/etcd-n phase=Running ready=true
	// true Node
}

// Objects whose owners are all gone are collected: here a pod owned by a
// node, as mirror pods are.
func ExampleNewGarbageCollector() {
	c := cluster.MustNew(cluster.Config{})
	c.Register(cluster.NewGarbageCollector())
	c.Apply(node("n"))
	n, _ := c.Get(cluster.Ref{Kind: cluster.KindNode, Name: "n"})
	p := pod("owned", "")
	p.OwnerReferences = []cluster.OwnerReference{cluster.NewControllerRef(n)}
	c.Apply(p)
	c.Settle()
	seq := c.LastSeq()
	c.Delete(cluster.Ref{Kind: cluster.KindNode, Name: "n"}, cluster.DeleteOptions{})
	c.Settle()
	printSince(c, seq)
	// Output:
	// 0s user delete Node/n
	// 0s garbage-collector delete Pod/default/owned
}

// Pods bound to a node that no longer exists are force-deleted after a
// 40s quarantine (claim S3).
func ExampleNewPodGC() {
	c := cluster.MustNew(cluster.Config{})
	c.Register(cluster.NewPodGC())
	c.Apply(node("n"), pod("p", "n"))
	c.Settle()
	seq := c.LastSeq()
	c.Delete(cluster.Ref{Kind: cluster.KindNode, Name: "n"}, cluster.DeleteOptions{})
	c.Advance(time.Minute)
	printSince(c, seq)
	// Output:
	// 0s user delete Node/n
	// 0s user advance 1m0s
	// 40s pod-gc update-status Pod/default/p phase=Failed ready=false DisruptionTarget=DeletionByPodGC
	// 40s pod-gc delete Pod/default/p
}
