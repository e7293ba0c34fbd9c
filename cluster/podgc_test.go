package cluster

import (
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/taints"
	"github.com/google/go-cmp/cmp"
)

// TestPodGCOrphaned checks the quarantine of pods whose node is gone (claim
// S3: a removed node's pods are garbage-collected).
func TestPodGCOrphaned(t *testing.T) {
	c := btCluster(t, Config{}, NewPodGC(), NewKubelet())
	check(t, c.Apply(btNode("a"), btNode("b"), btPod("pa", "a"), btPod("pb", "b")))
	check(t, c.Settle())
	check(t, c.Delete(Ref{Kind: KindNode, Name: "a"}, DeleteOptions{}))
	check(t, c.Delete(Ref{Kind: KindNode, Name: "b"}, DeleteOptions{}))
	wantLines(t, "39s", []string{"0s user advance 39s"}, step(t, c, func() error { return c.Advance(39 * time.Second) }))
	// Node b comes back within the quarantine: its pod stays.
	check(t, c.Apply(btNode("b")))
	wantLines(t, "40s", []string{
		"39s user advance 1s",
		"40s pod-gc update-status Pod/default/pa phase=Failed ready=true DisruptionTarget=DeletionByPodGC",
		"40s pod-gc delete Pod/default/pa",
	}, step(t, c, func() error { return c.Advance(time.Second) }))
	if getPod(c, "default", "pb") == nil {
		t.Error("the pod of the node that came back was deleted")
	}
	// A pod bound to a missing node waits 40s from its binding.
	check(t, c.Apply(btPod("late", "gone")))
	wantLines(t, "late", []string{
		"40s user advance 1m0s",
		"1m20s pod-gc update-status Pod/default/late phase=Failed ready=false DisruptionTarget=DeletionByPodGC",
		"1m20s pod-gc delete Pod/default/late",
	}, step(t, c, func() error { return c.Advance(time.Minute) }))
}

// TestPodGCDisruptionCondition checks the condition pod GC sets.
func TestPodGCDisruptionCondition(t *testing.T) {
	c := btCluster(t, Config{}, NewPodGC())
	p := btPod("p", "gone")
	p.Finalizers = []string{"example.com/keep"}
	check(t, c.Apply(p))
	check(t, c.Advance(PodGCQuarantine))
	got := getPod(c, "default", "p")
	want := &PodCondition{Type: DisruptionTarget, Status: ConditionTrue, Reason: "DeletionByPodGC",
		Message: "PodGC: node no longer exists", LastTransitionTime: Epoch.Add(PodGCQuarantine)}
	if diff := cmp.Diff(want, got.Condition(DisruptionTarget)); diff != "" {
		t.Errorf("DisruptionTarget mismatch (-want +got):\n%s", diff)
	}
	if got.Status.Phase != PodFailed || got.DeletionTimestamp == nil || *got.DeletionGracePeriodSeconds != 0 {
		t.Errorf("pod: phase %s, deletionTimestamp %v; want Failed and deleted with grace 0 (kept by its finalizer)", got.Status.Phase, got.DeletionTimestamp)
	}
}

// TestPodGCTerminating checks the force deletion of terminating pods that
// are unbound, or on an out-of-service node.
func TestPodGCTerminating(t *testing.T) {
	c := btCluster(t, Config{}, NewPodGC())
	down := btNode("down")
	down.Status.Conditions = []NodeCondition{{Type: NodeReady, Status: ConditionFalse}}
	keep := func(p *Pod) *Pod { p.Finalizers = []string{"example.com/keep"}; return p }
	check(t, c.Apply(down, keep(btPod("unbound", "")), keep(btPod("on-down", "down"))))
	check(t, c.Settle())
	wantLines(t, "unbound", []string{
		"0s user delete Pod/default/unbound finalizers=[example.com/keep]",
		"0s pod-gc update-status Pod/default/unbound phase=Failed ready=false",
	}, step(t, c, func() error {
		if err := c.Delete(podRef("unbound"), DeleteOptions{}); err != nil {
			return err
		}
		return c.Settle()
	}))
	wantLines(t, "on a not-ready node without the out-of-service taint", []string{
		"0s user delete Pod/default/on-down grace=30s finalizers=[example.com/keep]",
	}, step(t, c, func() error {
		if err := c.Delete(podRef("on-down"), DeleteOptions{}); err != nil {
			return err
		}
		return c.Settle()
	}))
	wantLines(t, "out of service", []string{
		"0s user update Node/down taints +node.kubernetes.io/out-of-service:NoExecute",
		"0s pod-gc update-status Pod/default/on-down phase=Failed ready=false",
		"0s pod-gc delete Pod/default/on-down finalizers=[example.com/keep]",
	}, step(t, c, func() error {
		if err := c.Taint("down", taints.NodeOutOfService+":NoExecute"); err != nil {
			return err
		}
		return c.Settle()
	}))
}

// TestPodGCOrder checks upstream's order for out-of-service pods:
// evicted first, then by creation time, then by name.
func TestPodGCOrder(t *testing.T) {
	pod := func(name string, created time.Duration, evicted bool) *Pod {
		p := btPod(name, "")
		p.CreationTimestamp = Epoch.Add(created)
		if evicted {
			p.Status.Reason = "Evicted"
		}
		return p
	}
	pods := []*Pod{pod("d", 0, false), pod("c", time.Second, true), pod("b", 0, false), pod("a", 2*time.Second, false)}
	var got []string
	for _, p := range sortedPods(pods) {
		got = append(got, p.Name)
	}
	if diff := cmp.Diff([]string{"c", "b", "d", "a"}, got); diff != "" {
		t.Errorf("order mismatch (-want +got):\n%s", diff)
	}
}

func sortedPods(pods []*Pod) []*Pod {
	out := append([]*Pod(nil), pods...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && byEvictionAndCreation(out[j], out[j-1]) < 0; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
