package daemonset_test

import (
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// TestControllerRefNameUIDMismatch follows a pod whose controller
// reference names one DaemonSet and carries the UID of another, which
// claims it (claims go by UID, as upstream's ClaimPods does). The
// claiming DaemonSet's view of the node must count the pod from its
// creation, so that an event of its own pod there, before the garbage
// collector deletes the stray one, is summarised with both pods (this
// package's tests check every summary shortcut against the node's pods).
func TestControllerRefNameUIDMismatch(t *testing.T) {
	c := standardCluster(t, cluster.Config{})
	n := &cluster.Node{}
	n.Name = "n1"
	n.Status.Conditions = []cluster.NodeCondition{{Type: cluster.NodeReady, Status: cluster.ConditionTrue}}
	if err := c.Apply(n, newDS("a"), newDS("b")); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	b, _ := c.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: "b"})
	var own *cluster.Pod
	for p := range c.View().PodsOnNode("n1") {
		if ref := p.ControllerRef(); ref != nil && ref.UID == b.Meta().UID {
			own = p
		}
	}
	if own == nil {
		t.Fatal("DaemonSet b has no pod on n1")
	}

	stray := &cluster.Pod{}
	stray.Name, stray.Namespace = "stray", "default"
	stray.Labels = map[string]string{"app": "b"}
	yes := true
	stray.OwnerReferences = []cluster.OwnerReference{{APIVersion: daemonset.APIVersion, Kind: string(daemonset.KindDaemonSet), Name: "a", UID: b.Meta().UID, Controller: &yes}}
	stray.Spec.NodeName = "n1"
	stray.Spec.Containers = []cluster.Container{{Name: "main", Image: "fluentd:1"}}
	if _, err := c.Create(stray); err != nil {
		t.Fatal(err)
	}
	// No settle: b's own pod changes while the stray pod is there.
	if err := c.Label(cluster.RefOf(own), "touched=yes"); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, c, "after the stray pod")
}
