package scheduling_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scheduling"
	"github.com/daemonsim/daemonsim/taints"
)

// newCluster returns a cluster with the scheduler registered and objs
// applied and settled.
func newCluster(t *testing.T, objs ...cluster.Object) *cluster.Cluster {
	t.Helper()
	c := cluster.MustNew(cluster.Config{CheckImmutable: true})
	if err := c.Register(scheduling.NewScheduler()); err != nil {
		t.Fatal(err)
	}
	if len(objs) > 0 {
		if err := c.Apply(objs...); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	return c
}

// step runs do, settles, and returns the log lines appended meanwhile.
func step(t *testing.T, c *cluster.Cluster, do func() error) []string {
	t.Helper()
	seq := c.LastSeq()
	if err := do(); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range c.LogSince(seq) {
		lines = append(lines, r.String())
	}
	return lines
}

func apply(c *cluster.Cluster, objs ...cluster.Object) func() error {
	return func() error { return c.Apply(objs...) }
}

func checkLines(t *testing.T, what string, want, got []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: log mismatch (-want +got):\n%s", what, diff)
	}
}

func getPod(t *testing.T, c *cluster.Cluster, name string) *cluster.Pod {
	t.Helper()
	o, ok := c.Get(cluster.Ref{Kind: cluster.KindPod, Namespace: "default", Name: name})
	if !ok {
		t.Fatalf("pod %s not found", name)
	}
	return o.(*cluster.Pod)
}

// checkUnschedulable checks that the pod is pending, unbound, with a
// PodScheduled=False Unschedulable condition carrying msg.
func checkUnschedulable(t *testing.T, c *cluster.Cluster, name, msg string) {
	t.Helper()
	p := getPod(t, c, name)
	if p.Spec.NodeName != "" || p.Status.Phase != cluster.PodPending {
		t.Errorf("pod %s: nodeName %q phase %s, want unbound and Pending", name, p.Spec.NodeName, p.Status.Phase)
	}
	want := &cluster.PodCondition{Type: cluster.PodScheduled, Status: cluster.ConditionFalse,
		Reason: "Unschedulable", Message: msg, LastTransitionTime: c.Now()}
	if diff := cmp.Diff(want, p.Condition(cluster.PodScheduled)); diff != "" {
		t.Errorf("pod %s PodScheduled condition mismatch (-want +got):\n%s", name, diff)
	}
}

func checkBound(t *testing.T, c *cluster.Cluster, name, node string) {
	t.Helper()
	p := getPod(t, c, name)
	if p.Spec.NodeName != node {
		t.Errorf("pod %s bound to %q, want %q", name, p.Spec.NodeName, node)
	}
	if cond := p.Condition(cluster.PodScheduled); node != "" && (cond == nil || cond.Status != cluster.ConditionTrue) {
		t.Errorf("pod %s PodScheduled condition %+v, want True", name, cond)
	}
}

const suffix1Unhelpful = " no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

func TestSchedulerName(t *testing.T) {
	if got := scheduling.NewScheduler().Name(); got != "default-scheduler" {
		t.Errorf("Name() = %q, want default-scheduler", got)
	}
}

func TestSchedulerLeastAllocated(t *testing.T) {
	res := allocatable("cpu=4,memory=8Gi")
	c := newCluster(t,
		newNode("node-a", res), newNode("node-b", res), newNode("node-c", res),
		newPod("busy", nodeName("node-a"), requests("cpu=3,memory=1Gi")),
		newPod("half", nodeName("node-c"), requests("cpu=1,memory=1Gi")),
	)
	got := step(t, c, apply(c, newPod("web", requests("cpu=1,memory=1Gi"))))
	checkLines(t, "web", []string{
		"0s user create Pod/default/web",
		"0s default-scheduler bind Pod/default/web node=node-b",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-b"`,
	}, got)
	checkBound(t, c, "web", "node-b")
}

// TestSchedulerSpreads: equal nodes tie and go by name; the pods' default
// requests then spread them.
func TestSchedulerSpreads(t *testing.T) {
	res := allocatable("cpu=4,memory=8Gi")
	c := newCluster(t, newNode("node-c", res), newNode("node-b", res), newNode("node-a", res))
	got := step(t, c, apply(c, newPod("p1"), newPod("p2"), newPod("p3"), newPod("p4")))
	checkLines(t, "p1-p4", []string{
		"0s user create Pod/default/p1",
		"0s user create Pod/default/p2",
		"0s user create Pod/default/p3",
		"0s user create Pod/default/p4",
		"0s default-scheduler bind Pod/default/p1 node=node-a",
		`0s default-scheduler event Pod/default/p1 Normal Scheduled "Successfully assigned default/p1 to node-a"`,
		"0s default-scheduler bind Pod/default/p2 node=node-b",
		`0s default-scheduler event Pod/default/p2 Normal Scheduled "Successfully assigned default/p2 to node-b"`,
		"0s default-scheduler bind Pod/default/p3 node=node-c",
		`0s default-scheduler event Pod/default/p3 Normal Scheduled "Successfully assigned default/p3 to node-c"`,
		"0s default-scheduler bind Pod/default/p4 node=node-a",
		`0s default-scheduler event Pod/default/p4 Normal Scheduled "Successfully assigned default/p4 to node-a"`,
	}, got)
}

// TestSchedulerNoAllocatable: nodes that report nothing all score 0; the
// first by name wins every time.
func TestSchedulerNoAllocatable(t *testing.T) {
	c := newCluster(t, newNode("node-b"), newNode("node-a"))
	step(t, c, apply(c, newPod("p1"), newPod("p2")))
	checkBound(t, c, "p1", "node-a")
	checkBound(t, c, "p2", "node-a")
}

func TestSchedulerPinned(t *testing.T) {
	res := allocatable("cpu=4,memory=8Gi")
	c := newCluster(t,
		newNode("node-a", res), newNode("node-b", res),
		newPod("busy", nodeName("node-a"), requests("cpu=3")),
	)
	got := step(t, c, apply(c, newPod("ds-a", pinTo("node-a"), requests("cpu=1")), newPod("ds-big", pinTo("node-a"), requests("cpu=2"))))
	msg := "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
	checkLines(t, "pinned", []string{
		"0s user create Pod/default/ds-a",
		"0s user create Pod/default/ds-big",
		"0s default-scheduler bind Pod/default/ds-a node=node-a",
		`0s default-scheduler event Pod/default/ds-a Normal Scheduled "Successfully assigned default/ds-a to node-a"`,
		`0s default-scheduler event Pod/default/ds-big Warning FailedScheduling "` + msg + `"`,
		"0s default-scheduler update-status Pod/default/ds-big PodScheduled=False reason=Unschedulable",
	}, got)
	checkBound(t, c, "ds-a", "node-a")
	checkUnschedulable(t, c, "ds-big", msg)

	// Changes that do not let it fit do not retry it: nothing is queued.
	if err := c.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-a"}, "zone=b"); err != nil {
		t.Fatal(err)
	}
	if n := c.Pending(); n != 0 {
		t.Errorf("after labelling node-a: %d keys queued, want 0", n)
	}
	got = step(t, c, func() error { return c.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-a"}, "zone=a") })
	checkLines(t, "label node-a", []string{"0s user update Node/node-a labels ~zone=b→a"}, got)
	if err := c.Apply(newNode("node-c")); err != nil {
		t.Fatal(err)
	}
	if n := c.Pending(); n != 0 {
		t.Errorf("after adding node-c: %d keys queued, want 0", n)
	}
	got = step(t, c, apply(c, newNode("node-b", allocatable("cpu=64,memory=8Gi"))))
	checkLines(t, "grow node-b", []string{"0s user update Node/node-b allocatable=cpu=64,memory=8Gi"}, got)

	// Growing its own node does.
	got = step(t, c, apply(c, newNode("node-a", allocatable("cpu=8,memory=8Gi"))))
	checkLines(t, "grow node-a", []string{
		"0s user update Node/node-a labels -zone allocatable=cpu=8,memory=8Gi",
		"0s default-scheduler bind Pod/default/ds-big node=node-a",
		`0s default-scheduler event Pod/default/ds-big Normal Scheduled "Successfully assigned default/ds-big to node-a"`,
	}, got)
	checkBound(t, c, "ds-big", "node-a")
}

func TestSchedulerPinnedToMissingNode(t *testing.T) {
	c := newCluster(t, newNode("node-a"), newNode("node-b"))
	msg := "0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
	got := step(t, c, apply(c, newPod("ds-x", pinTo("node-x"))))
	checkLines(t, "create", []string{
		"0s user create Pod/default/ds-x",
		`0s default-scheduler event Pod/default/ds-x Warning FailedScheduling "` + msg + `"`,
		"0s default-scheduler update-status Pod/default/ds-x PodScheduled=False reason=Unschedulable",
	}, got)
	checkUnschedulable(t, c, "ds-x", msg)
	got = step(t, c, apply(c, newNode("node-x")))
	checkLines(t, "node-x added", []string{
		"0s user create Node/node-x",
		"0s default-scheduler bind Pod/default/ds-x node=node-x",
		`0s default-scheduler event Pod/default/ds-x Normal Scheduled "Successfully assigned default/ds-x to node-x"`,
	}, got)
}

func TestSchedulerAffinityTermsConflict(t *testing.T) {
	c := newCluster(t, newNode("node-a"), newNode("node-b"))
	conflicting := affinity(nameTerm("node-a"))
	p := newPod("odd", conflicting)
	req := &p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0]
	req.MatchFields = append(req.MatchFields, nameTerm("node-b").MatchFields...)
	step(t, c, apply(c, p))
	checkUnschedulable(t, c, "odd", "0/2 nodes are available: pod affinity terms conflict. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
}

func TestSchedulerRelabel(t *testing.T) {
	c := newCluster(t, newNode("node-a"), newNode("node-b"))
	msg := "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
	got := step(t, c, apply(c, newPod("ssd-monitor", nodeSelector("disk", "ssd"))))
	checkLines(t, "create", []string{
		"0s user create Pod/default/ssd-monitor",
		`0s default-scheduler event Pod/default/ssd-monitor Warning FailedScheduling "` + msg + `"`,
		"0s default-scheduler update-status Pod/default/ssd-monitor PodScheduled=False reason=Unschedulable",
	}, got)
	checkUnschedulable(t, c, "ssd-monitor", msg)

	if err := c.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-a"}, "disk=hdd"); err != nil {
		t.Fatal(err)
	}
	if n := c.Pending(); n != 0 {
		t.Errorf("after labelling node-a disk=hdd: %d keys queued, want 0", n)
	}
	got = step(t, c, func() error { return c.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-b"}, "disk=ssd") })
	checkLines(t, "label", []string{
		"0s user update Node/node-b labels +disk=ssd",
		"0s default-scheduler bind Pod/default/ssd-monitor node=node-b",
		`0s default-scheduler event Pod/default/ssd-monitor Normal Scheduled "Successfully assigned default/ssd-monitor to node-b"`,
	}, got)
	checkBound(t, c, "ssd-monitor", "node-b")
}

func TestSchedulerUncordon(t *testing.T) {
	c := newCluster(t, newNode("node-a", cordoned))
	got := step(t, c, apply(c, newPod("web")))
	msg := "0/1 nodes are available: 1 node(s) were unschedulable." + suffix1Unhelpful
	checkLines(t, "create", []string{
		"0s user create Pod/default/web",
		`0s default-scheduler event Pod/default/web Warning FailedScheduling "` + msg + `"`,
		"0s default-scheduler update-status Pod/default/web PodScheduled=False reason=Unschedulable",
	}, got)
	got = step(t, c, func() error { return c.Uncordon("node-a") })
	checkLines(t, "uncordon", []string{
		"0s user update Node/node-a unschedulable=false",
		"0s default-scheduler bind Pod/default/web node=node-a",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-a"`,
	}, got)
}

func TestSchedulerUntaint(t *testing.T) {
	c := newCluster(t, newNode("node-a", tainted("dedicated=db:NoSchedule")))
	step(t, c, apply(c, newPod("web")))
	checkUnschedulable(t, c, "web", "0/1 nodes are available: 1 node(s) had untolerated taint(s)."+suffix1Unhelpful)
	got := step(t, c, func() error { return c.Taint("node-a", "dedicated:NoSchedule-") })
	checkLines(t, "untaint", []string{
		"0s user update Node/node-a taints -dedicated=db:NoSchedule",
		"0s default-scheduler bind Pod/default/web node=node-a",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-a"`,
	}, got)
}

// TestSchedulerPodUpdate: a pending pod whose constraints change is
// retried.
func TestSchedulerPodUpdate(t *testing.T) {
	c := newCluster(t, newNode("node-a", tainted("dedicated=db:NoSchedule")))
	step(t, c, apply(c, newPod("db")))
	checkUnschedulable(t, c, "db", "0/1 nodes are available: 1 node(s) had untolerated taint(s)."+suffix1Unhelpful)
	db := getPod(t, c, "db").Clone().(*cluster.Pod)
	db.Spec.Tolerations = append(slices.Clip(db.Spec.Tolerations), taints.Toleration{Key: "dedicated", Operator: taints.OpExists, Effect: taints.NoSchedule})
	got := step(t, c, func() error { _, err := c.Update(db); return err })
	checkLines(t, "tolerate", []string{
		"0s user update Pod/default/db",
		"0s default-scheduler bind Pod/default/db node=node-a",
		`0s default-scheduler event Pod/default/db Normal Scheduled "Successfully assigned default/db to node-a"`,
	}, got)
}

func TestSchedulerResourcesFreed(t *testing.T) {
	msg := "0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
	setup := func(t *testing.T) *cluster.Cluster {
		c := newCluster(t, newNode("node-a", allocatable("cpu=1")), newPod("old", nodeName("node-a"), requests("cpu=1")))
		got := step(t, c, apply(c, newPod("p1", requests("cpu=1")), newPod("p2", requests("cpu=1"))))
		checkLines(t, "create", []string{
			"0s user create Pod/default/p1",
			"0s user create Pod/default/p2",
			`0s default-scheduler event Pod/default/p1 Warning FailedScheduling "` + msg + `"`,
			"0s default-scheduler update-status Pod/default/p1 PodScheduled=False reason=Unschedulable",
			`0s default-scheduler event Pod/default/p2 Warning FailedScheduling "` + msg + `"`,
			"0s default-scheduler update-status Pod/default/p2 PodScheduled=False reason=Unschedulable",
		}, got)
		return c
	}
	t.Run("deleted", func(t *testing.T) {
		c := setup(t)
		got := step(t, c, func() error {
			return c.Delete(cluster.Ref{Kind: cluster.KindPod, Name: "old"}, cluster.DeleteOptions{GracePeriod: cluster.Int64(0)})
		})
		// Both are retried; p1 takes the room, p2 fails again with the
		// same message, which is not recorded again.
		checkLines(t, "delete", []string{
			"0s user delete Pod/default/old",
			"0s default-scheduler bind Pod/default/p1 node=node-a",
			`0s default-scheduler event Pod/default/p1 Normal Scheduled "Successfully assigned default/p1 to node-a"`,
		}, got)
		checkBound(t, c, "p1", "node-a")
		checkUnschedulable(t, c, "p2", msg)
	})
	t.Run("terminating-holds", func(t *testing.T) {
		c := setup(t)
		got := step(t, c, func() error {
			return c.Delete(cluster.Ref{Kind: cluster.KindPod, Name: "old"}, cluster.DeleteOptions{})
		})
		checkLines(t, "delete", []string{"0s user delete Pod/default/old grace=30s"}, got)
	})
	t.Run("failed", func(t *testing.T) {
		c := setup(t)
		old := getPod(t, c, "old").Clone().(*cluster.Pod)
		old.Status.Phase = cluster.PodFailed
		got := step(t, c, func() error { _, err := c.UpdateStatus(old); return err })
		checkLines(t, "failed", []string{
			"0s user update-status Pod/default/old",
			"0s default-scheduler bind Pod/default/p1 node=node-a",
			`0s default-scheduler event Pod/default/p1 Normal Scheduled "Successfully assigned default/p1 to node-a"`,
		}, got)
	})
}

func TestSchedulerNoNodes(t *testing.T) {
	c := newCluster(t)
	got := step(t, c, apply(c, newPod("web")))
	checkLines(t, "create", []string{
		"0s user create Pod/default/web",
		`0s default-scheduler event Pod/default/web Warning FailedScheduling "no nodes available to schedule pods"`,
		"0s default-scheduler update-status Pod/default/web PodScheduled=False reason=Unschedulable",
	}, got)
	checkUnschedulable(t, c, "web", "no nodes available to schedule pods")
	got = step(t, c, apply(c, newNode("node-a")))
	checkLines(t, "node added", []string{
		"0s user create Node/node-a",
		"0s default-scheduler bind Pod/default/web node=node-a",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-a"`,
	}, got)
}

func TestSchedulerIgnores(t *testing.T) {
	c := newCluster(t, newNode("node-a"))
	got := step(t, c, apply(c,
		newPod("custom", schedulerName("my-scheduler")),
		newPod("prebound", nodeName("node-a")),
	))
	checkLines(t, "create", []string{
		"0s user create Pod/default/custom",
		"0s user create Pod/default/prebound",
	}, got)
	checkBound(t, c, "custom", "")
}

// TestSchedulerRegisteredLate: pods pending before the scheduler is
// registered are scheduled at its first settle.
func TestSchedulerRegisteredLate(t *testing.T) {
	c := cluster.MustNew(cluster.Config{})
	if err := c.Apply(newNode("node-a"), newPod("web")); err != nil {
		t.Fatal(err)
	}
	got := step(t, c, func() error { return c.Register(scheduling.NewScheduler()) })
	checkLines(t, "register", []string{
		"0s default-scheduler bind Pod/default/web node=node-a",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-a"`,
	}, got)
}

// TestSchedulerFork: a fork gets its own copy of the waiting pods.
func TestSchedulerFork(t *testing.T) {
	c := newCluster(t, newNode("node-a", cordoned))
	step(t, c, apply(c, newPod("web")))
	f := c.Fork()
	step(t, f, func() error { return f.Uncordon("node-a") })
	checkBound(t, f, "web", "node-a")
	checkBound(t, c, "web", "")
	got := step(t, c, func() error { return c.Uncordon("node-a") })
	checkLines(t, "uncordon original", []string{
		"0s user update Node/node-a unschedulable=false",
		"0s default-scheduler bind Pod/default/web node=node-a",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-a"`,
	}, got)
}

// TestSchedulerDeterministic: the same steps give the same log.
func TestSchedulerDeterministic(t *testing.T) {
	run := func() []string {
		res := allocatable("cpu=2,memory=4Gi")
		c := newCluster(t, newNode("node-c", res), newNode("node-a", res), newNode("node-b", res, tainted("x=y:NoSchedule")))
		var all []string
		for i := range 12 {
			name := "p" + string(rune('a'+i))
			all = append(all, step(t, c, apply(c, newPod(name, requests("cpu=500m"))))...)
		}
		all = append(all, step(t, c, func() error { return c.Taint("node-b", "x:NoSchedule-") })...)
		return all
	}
	first, second := run(), run()
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second run differs (-first +second):\n%s", diff)
	}
}

// TestSchedulerMarkRemoved: a waiting pod whose Unschedulable mark is
// removed by someone else is tried again, and marked again.
func TestSchedulerMarkRemoved(t *testing.T) {
	c := newCluster(t, newNode("node-a", cordoned))
	step(t, c, apply(c, newPod("web")))
	web := getPod(t, c, "web").Clone().(*cluster.Pod)
	web.Status.Conditions = nil
	msg := "0/1 nodes are available: 1 node(s) were unschedulable." + suffix1Unhelpful
	got := step(t, c, func() error { _, err := c.UpdateStatus(web); return err })
	checkLines(t, "clear", []string{
		"0s user update-status Pod/default/web",
		`0s default-scheduler event Pod/default/web Warning FailedScheduling "` + msg + `"`,
		"0s default-scheduler update-status Pod/default/web PodScheduled=False reason=Unschedulable",
	}, got)
	// And it still waits for the node.
	got = step(t, c, func() error { return c.Uncordon("node-a") })
	checkLines(t, "uncordon", []string{
		"0s user update Node/node-a unschedulable=false",
		"0s default-scheduler bind Pod/default/web node=node-a",
		`0s default-scheduler event Pod/default/web Normal Scheduled "Successfully assigned default/web to node-a"`,
	}, got)
}
