package cluster

import (
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/taints"
	"github.com/google/go-cmp/cmp"
)

// nodeFailureSetup builds two nodes with every built-in controller: on
// node-a a bare pod (DefaultTolerationSeconds gives it 300s) and a daemon
// pod (the DaemonSet tolerations, without tolerationSeconds), on node-b
// another bare pod.
func nodeFailureSetup(t *testing.T, cfg Config) *Cluster {
	t.Helper()
	ctrls, _ := builtins()
	c := btCluster(t, cfg, ctrls...)
	check(t, c.Apply(btNode("node-a"), btNode("node-b")))
	check(t, c.Apply(
		btPod("bare", "node-a"),
		withTolerations(btPod("daemon", "node-a"), taints.DaemonTolerations(false, cfg.Profile == Legacy)...),
		btPod("other", "node-b")))
	check(t, c.Settle())
	return c
}

// TestNodeFailure is claim S17 and S24 end to end: a node's kubelet stops
// posting status; after the grace period the node is Unknown and tainted;
// the bare pod is evicted after its default 300s toleration, the daemon
// pod stays; reconnecting restores the node.
func TestNodeFailure(t *testing.T) {
	c := nodeFailureSetup(t, Config{})
	wantLines(t, "disconnect, 49s", []string{
		"0s user disconnect Node/node-a",
		"0s user advance 49s",
	}, step(t, c, func() error {
		if err := c.Disconnect("node-a"); err != nil {
			return err
		}
		return c.Advance(49 * time.Second)
	}))
	wantLines(t, "50s = nodeMonitorGracePeriod", []string{
		"49s user advance 1s",
		"50s node-lifecycle-controller update-status Node/node-a Ready=Unknown",
		`50s node-lifecycle-controller event Node/node-a Normal NodeNotReady "Node node-a status is now: NodeNotReady"`,
		"50s node-lifecycle-controller update-status Pod/default/bare phase=Running ready=false",
		`50s node-lifecycle-controller event Pod/default/bare Warning NodeNotReady "Node is not ready"`,
		"50s node-lifecycle-controller update-status Pod/default/daemon phase=Running ready=false",
		`50s node-lifecycle-controller event Pod/default/daemon Warning NodeNotReady "Node is not ready"`,
		"50s node-lifecycle-controller update Node/node-a taints +node.kubernetes.io/unreachable:NoSchedule",
		"50s node-lifecycle-controller update Node/node-a taints +node.kubernetes.io/unreachable:NoExecute",
	}, step(t, c, func() error { return c.Advance(time.Second) }))

	n := getNode(c, "node-a")
	ready := n.Condition(NodeReady)
	wantReady := NodeCondition{Type: NodeReady, Status: ConditionUnknown, Reason: "NodeStatusUnknown",
		Message: "Kubelet stopped posting node status.", LastHeartbeatTime: Epoch, LastTransitionTime: Epoch.Add(50 * time.Second)}
	if diff := cmp.Diff(wantReady, *ready); diff != "" {
		t.Errorf("Ready condition mismatch (-want +got):\n%s", diff)
	}
	at := Epoch.Add(50 * time.Second)
	wantTaints := []taints.Taint{
		{Key: taints.NodeUnreachable, Effect: taints.NoSchedule, TimeAdded: &at},
		{Key: taints.NodeUnreachable, Effect: taints.NoExecute, TimeAdded: &at},
	}
	if diff := cmp.Diff(wantTaints, n.Spec.Taints); diff != "" {
		t.Errorf("taints mismatch (-want +got):\n%s", diff)
	}

	wantLines(t, "5m49s: nothing yet", []string{"50s user advance 4m59s"},
		step(t, c, func() error { return c.Advance(299 * time.Second) }))
	wantLines(t, "5m50s: the bare pod is evicted", []string{
		"5m49s user advance 1s",
		`5m50s taint-eviction-controller event Pod/default/bare Normal TaintManagerEviction "Marking for deletion Pod default/bare"`,
		"5m50s taint-eviction-controller update-status Pod/default/bare phase=Running ready=false DisruptionTarget=DeletionByTaintManager",
		"5m50s taint-eviction-controller evict Pod/default/bare grace=30s",
	}, step(t, c, func() error { return c.Advance(time.Second) }))
	if p := getPod(c, "default", "daemon"); p == nil || p.Terminating() {
		t.Errorf("daemon pod = %v, want it kept", p)
	}
	if p := getPod(c, "default", "other"); p == nil || p.Terminating() || !p.IsReady() {
		t.Errorf("pod on the healthy node = %v, want it running and ready", p)
	}

	wantLines(t, "reconnect", []string{
		"5m50s user reconnect Node/node-a",
		"5m50s user advance 30s",
		"5m50s kubelet/node-a update-status Node/node-a Ready=True",
		"5m50s kubelet/node-a update-status Pod/default/daemon phase=Running ready=true",
		"5m50s node-lifecycle-controller update Node/node-a taints -node.kubernetes.io/unreachable:NoSchedule",
		"5m50s node-lifecycle-controller update Node/node-a taints -node.kubernetes.io/unreachable:NoExecute",
		"6m20s kubelet/node-a delete Pod/default/bare",
	}, step(t, c, func() error {
		if err := c.Reconnect("node-a"); err != nil {
			return err
		}
		return c.Advance(30 * time.Second)
	}))
	if got := getNode(c, "node-a"); len(got.Spec.Taints) != 0 || !nodeIsReady(got) {
		t.Errorf("node-a after reconnect: taints %v, Ready %v; want none, True", got.Spec.Taints, got.Condition(NodeReady))
	}
}

// nodeIsReady reports whether the node's Ready condition is True.
func nodeIsReady(n *Node) bool {
	st, ok := nodeReady(n)
	return ok && st == ConditionTrue
}

// TestNodeFailureReconnectCancels shows that reconnecting before the
// toleration runs out cancels the eviction, with upstream's event.
func TestNodeFailureReconnectCancels(t *testing.T) {
	c := nodeFailureSetup(t, Config{})
	check(t, c.Disconnect("node-a"))
	check(t, c.Advance(100*time.Second))
	wantLines(t, "reconnect", []string{
		"1m40s user reconnect Node/node-a",
		"1m40s user advance 10m0s",
		"1m40s kubelet/node-a update-status Node/node-a Ready=True",
		"1m40s kubelet/node-a update-status Pod/default/bare phase=Running ready=true",
		"1m40s kubelet/node-a update-status Pod/default/daemon phase=Running ready=true",
		"1m40s node-lifecycle-controller update Node/node-a taints -node.kubernetes.io/unreachable:NoSchedule",
		"1m40s node-lifecycle-controller update Node/node-a taints -node.kubernetes.io/unreachable:NoExecute",
		`1m40s taint-eviction-controller event Pod/default/bare Normal TaintManagerEviction "Cancelling deletion of Pod default/bare"`,
	}, step(t, c, func() error {
		if err := c.Reconnect("node-a"); err != nil {
			return err
		}
		return c.Advance(10 * time.Minute)
	}))
}

// TestNodeFailureLegacy is the legacy profile: a 40s grace period, only
// the alpha NoExecute taint, no DisruptionTarget condition.
func TestNodeFailureLegacy(t *testing.T) {
	c := nodeFailureSetup(t, Config{Profile: Legacy})
	check(t, c.Disconnect("node-a"))
	wantLines(t, "40s = nodeMonitorGracePeriod, legacy", []string{
		"0s user advance 40s",
		"40s node-lifecycle-controller update-status Node/node-a Ready=Unknown",
		`40s node-lifecycle-controller event Node/node-a Normal NodeNotReady "Node node-a status is now: NodeNotReady"`,
		"40s node-lifecycle-controller update-status Pod/default/bare phase=Running ready=false",
		`40s node-lifecycle-controller event Pod/default/bare Warning NodeNotReady "Node is not ready"`,
		"40s node-lifecycle-controller update-status Pod/default/daemon phase=Running ready=false",
		`40s node-lifecycle-controller event Pod/default/daemon Warning NodeNotReady "Node is not ready"`,
		"40s node-lifecycle-controller update Node/node-a taints +node.alpha.kubernetes.io/unreachable:NoExecute",
	}, step(t, c, func() error { return c.Advance(40 * time.Second) }))
	wantLines(t, "5m40s: the bare pod is evicted", []string{
		"40s user advance 5m0s",
		`5m40s taint-eviction-controller event Pod/default/bare Normal TaintManagerEviction "Marking for deletion Pod default/bare"`,
		"5m40s taint-eviction-controller evict Pod/default/bare grace=30s",
	}, step(t, c, func() error { return c.Advance(300 * time.Second) }))
}

// nodeWithStatus returns a node with the given conditions (status only).
func nodeWithStatus(name string, conds ...NodeConditionType) func(...ConditionStatus) *Node {
	return func(sts ...ConditionStatus) *Node {
		n := btNode(name)
		for i, ct := range conds {
			n.Status.Conditions = append(n.Status.Conditions, NodeCondition{Type: ct, Status: sts[i]})
		}
		return n
	}
}

// TestNodeConditionTaints checks the condition → taint mapping of both
// profiles on a connected node.
func TestNodeConditionTaints(t *testing.T) {
	pressure := nodeWithStatus("n", NodeReady, NodeMemoryPressure, NodeDiskPressure, NodePIDPressure, NodeNetworkUnavailable)
	manual := btNode("n")
	manual.Spec.Taints = []taints.Taint{
		{Key: taints.NodeNotReady, Effect: taints.NoExecute},
		{Key: "foo", Value: "bar", Effect: taints.NoSchedule},
		{Key: taints.NodeUnreachable, Effect: taints.NoSchedule},
	}
	cordoned := btNode("n")
	cordoned.Spec.Unschedulable = true
	noReady := btNode("n")
	noReady.Spec.Taints = []taints.Taint{{Key: taints.NodeUnreachable, Effect: taints.NoExecute}}
	tests := []struct {
		name       string
		profile    Profile
		node       *Node
		load       bool // store with Load (no Ready condition added)
		wantLog    []string
		wantTaints []string
	}{{
		name: "Ready=False",
		node: nodeWithStatus("n", NodeReady)(ConditionFalse),
		wantLog: []string{
			"0s node-lifecycle-controller update Node/n taints +node.kubernetes.io/not-ready:NoSchedule",
			"0s node-lifecycle-controller update Node/n taints +node.kubernetes.io/not-ready:NoExecute",
		},
		wantTaints: []string{"node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"},
	}, {
		name: "Ready=Unknown",
		node: nodeWithStatus("n", NodeReady)(ConditionUnknown),
		wantLog: []string{
			"0s node-lifecycle-controller update Node/n taints +node.kubernetes.io/unreachable:NoSchedule",
			"0s node-lifecycle-controller update Node/n taints +node.kubernetes.io/unreachable:NoExecute",
		},
		wantTaints: []string{"node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"},
	}, {
		name: "pressure and network conditions",
		node: pressure(ConditionTrue, ConditionTrue, ConditionTrue, ConditionTrue, ConditionTrue),
		wantLog: []string{
			"0s node-lifecycle-controller update Node/n taints +node.kubernetes.io/memory-pressure:NoSchedule +node.kubernetes.io/disk-pressure:NoSchedule +node.kubernetes.io/pid-pressure:NoSchedule +node.kubernetes.io/network-unavailable:NoSchedule",
		},
		wantTaints: []string{"node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/disk-pressure:NoSchedule",
			"node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/network-unavailable:NoSchedule"},
	}, {
		name: "healthy conditions",
		node: pressure(ConditionTrue, ConditionFalse, ConditionFalse, ConditionFalse, ConditionFalse),
	}, {
		name: "cordoned",
		node: cordoned,
		wantLog: []string{
			"0s node-lifecycle-controller update Node/n taints +node.kubernetes.io/unschedulable:NoSchedule",
		},
		wantTaints: []string{"node.kubernetes.io/unschedulable:NoSchedule"},
	}, {
		name: "condition taints on a Ready node are removed",
		node: manual,
		wantLog: []string{
			"0s node-lifecycle-controller update Node/n taints -node.kubernetes.io/unreachable:NoSchedule",
			"0s node-lifecycle-controller update Node/n taints -node.kubernetes.io/not-ready:NoExecute",
		},
		wantTaints: []string{"foo=bar:NoSchedule"},
	}, {
		name:       "a node without Ready keeps its NoExecute taints",
		node:       noReady,
		load:       true,
		wantTaints: []string{"node.kubernetes.io/unreachable:NoExecute"},
	}, {
		name:    "legacy Ready=False",
		profile: Legacy,
		node:    nodeWithStatus("n", NodeReady)(ConditionFalse),
		wantLog: []string{
			"0s node-lifecycle-controller update Node/n taints +node.alpha.kubernetes.io/notReady:NoExecute",
		},
		wantTaints: []string{"node.alpha.kubernetes.io/notReady:NoExecute"},
	}, {
		name:    "legacy has no NoSchedule condition taints",
		profile: Legacy,
		node:    pressure(ConditionTrue, ConditionTrue, ConditionTrue, ConditionTrue, ConditionTrue),
	}, {
		name:    "legacy ignores cordoning",
		profile: Legacy,
		node:    cordoned,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := btCluster(t, Config{Profile: tc.profile}, NewNodeLifecycleController())
			if tc.load {
				check(t, c.Load(tc.node))
			} else {
				check(t, c.Apply(tc.node))
			}
			got := step(t, c, c.Settle)
			wantLines(t, tc.name, tc.wantLog, got)
			if diff := cmp.Diff(tc.wantTaints, taintStrings(getNode(c, "n"))); diff != "" {
				t.Errorf("taints mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNodeReadySwap shows the NoSchedule and NoExecute taints following
// the Ready condition as the kubelet reports it: swapped when it flips,
// removed when it is True.
func TestNodeReadySwap(t *testing.T) {
	c := btCluster(t, Config{}, NewNodeLifecycleController())
	check(t, c.Apply(nodeWithStatus("n", NodeReady)(ConditionUnknown)))
	check(t, c.Settle())
	report := func(st ConditionStatus) func() error {
		return func() error {
			if _, err := c.UpdateStatus(nodeWithStatus("n", NodeReady)(st)); err != nil {
				return err
			}
			return c.Settle()
		}
	}
	wantLines(t, "Unknown → False", []string{
		"0s user update-status Node/n Ready=False",
		"0s node-lifecycle-controller update Node/n taints -node.kubernetes.io/unreachable:NoSchedule +node.kubernetes.io/not-ready:NoSchedule",
		"0s node-lifecycle-controller update Node/n taints -node.kubernetes.io/unreachable:NoExecute +node.kubernetes.io/not-ready:NoExecute",
	}, step(t, c, report(ConditionFalse)))
	wantLines(t, "False → True", []string{
		"0s user update-status Node/n Ready=True",
		"0s node-lifecycle-controller update Node/n taints -node.kubernetes.io/not-ready:NoSchedule",
		"0s node-lifecycle-controller update Node/n taints -node.kubernetes.io/not-ready:NoExecute",
	}, step(t, c, report(ConditionTrue)))
}

// TestNodeLifecyclePodBoundToNotReadyNode shows upstream's processPod: a
// ready pod that appears on a node whose Ready condition is not True is
// marked not ready.
func TestNodeLifecyclePodBoundToNotReadyNode(t *testing.T) {
	c := btCluster(t, Config{}, NewNodeLifecycleController())
	check(t, c.Apply(nodeWithStatus("n", NodeReady)(ConditionFalse)))
	check(t, c.Settle())
	p := btPod("p", "n")
	p.Status = PodStatus{Phase: PodRunning, Conditions: []PodCondition{{Type: PodReady, Status: ConditionTrue}}}
	wantLines(t, "load", []string{
		"0s user load Pod/default/p",
		"0s node-lifecycle-controller update-status Pod/default/p phase=Running ready=false",
		`0s node-lifecycle-controller event Pod/default/p Warning NodeNotReady "Node is not ready"`,
	}, step(t, c, func() error {
		if err := c.Load(p); err != nil {
			return err
		}
		return c.Settle()
	}))
}
