package cluster

import (
	"slices"

	"github.com/daemonsim/daemonsim/taints"
)

// nodeLifecycle is the node lifecycle controller of kube-controller-manager
// (pkg/controller/nodelifecycle), without its taint manager (see
// [NewTaintEvictionController]).
type nodeLifecycle struct{}

// NewNodeLifecycleController returns the node lifecycle controller, actor
// "node-lifecycle-controller". It watches node heartbeats and keeps the
// condition taints of every node in line with its conditions:
//
//  1. A node whose kubelet is connected is healthy. When it disconnects
//     ([Cluster.Disconnect]), the controller waits
//     Config.NodeMonitorGracePeriod and then, exactly at
//     disconnect+grace, sets the Ready condition, and the MemoryPressure,
//     DiskPressure and PIDPressure conditions the node has, to Unknown
//     with reason NodeStatusUnknown, "Kubelet stopped posting node
//     status." (a node without a Ready condition gets one, reason
//     NodeStatusNeverUpdated). When Ready was True it records the event
//     NodeNotReady "Node <name> status is now: NodeNotReady" and marks the
//     node's pods not ready (Warning NodeNotReady "Node is not ready"), as
//     upstream's MarkPodsNotReady. A pod later bound to a node whose Ready
//     is not True is marked too.
//  2. Modern profile (TaintNodesByCondition): NoSchedule taints
//     node.kubernetes.io/not-ready (Ready=False), unreachable
//     (Ready=Unknown), memory-pressure, disk-pressure, pid-pressure,
//     network-unavailable (their conditions True) and unschedulable
//     (spec.unschedulable) are added when their condition holds and
//     removed when it does not, whoever added them.
//  3. NoExecute taints (taint-based evictions): not-ready while Ready is
//     False, unreachable while it is Unknown, swapped when it flips and
//     removed when it is True, each with timeAdded set when added. A
//     manually added one on a Ready node is removed too, as upstream does.
//     Nodes without a Ready condition keep their NoExecute taints.
//
// In the legacy profile (Kubernetes 1.6–1.9 with the TaintBasedEvictions
// alpha feature on, as the simulation assumes) only the NoExecute taints
// exist, with the keys node.alpha.kubernetes.io/notReady and
// node.alpha.kubernetes.io/unreachable; there are no NoSchedule condition
// taints and no unschedulable taint.
//
// Each taint change is an Update of the node, logged with a detail such as
// "taints +node.kubernetes.io/unreachable:NoExecute"; NoSchedule changes
// and NoExecute changes are separate writes, as upstream's two passes are.
//
// Not simulated: the 5 s node monitor period (the change happens exactly
// at the end of the grace period, and the NoExecute taint follows at the
// same instant rather than one period later), node leases, the startup
// grace period of new nodes, zones: the per-zone rate limit of NoExecute
// tainting, and the partial and full disruption modes that slow or stop
// it (upstream stops tainting, and removes the NoExecute taints, when
// every node is not ready), the RegisteredNode and RemovingNode events,
// and label reconciliation. Conditions the node lacks are not added as
// Unknown, except Ready.
func NewNodeLifecycleController() Controller { return nodeLifecycle{} }

// Name returns "node-lifecycle-controller".
func (nodeLifecycle) Name() string { return NodeLifecycleName }

// Watch enqueues a node on every change to it, at the end of the grace
// period when its kubelet disconnects, and a pod when it is bound to a
// node whose Ready condition is not True while the pod is ready.
func (nodeLifecycle) Watch(v *View, ch Change, q Enqueuer) {
	switch ch.Kind() {
	case KindNode:
		if ch.New == nil {
			return
		}
		k := Key{Ref: RefOf(ch.New)}
		if connected, since := v.Connected(k.Name); !connected {
			q.AddAfter(k, since+v.Config().NodeMonitorGracePeriod-v.Elapsed())
		}
		q.Add(k)
	case KindPod:
		if ch.New == nil {
			return
		}
		p := ch.New.(*Pod)
		if p.Spec.NodeName == "" || (ch.Old != nil && ch.Old.(*Pod).Spec.NodeName == p.Spec.NodeName) {
			return
		}
		if podNeedsNotReady(v, p) {
			q.Add(Key{Ref: RefOf(p)})
		}
	}
}

// podNeedsNotReady reports whether p is bound to a node whose Ready
// condition is not True while p's own Ready condition is not False.
func podNeedsNotReady(v *View, p *Pod) bool {
	// The pod first: a pod just bound has no Ready condition, and then
	// the node need not be looked up.
	if c := p.Condition(PodReady); c == nil || c.Status == ConditionFalse {
		return false
	}
	n, ok := v.Node(p.Spec.NodeName)
	if !ok {
		return false
	}
	st, ok := nodeReady(n)
	return ok && st != ConditionTrue
}

// Reconcile brings one node's health and condition taints up to date, or
// marks one pod not ready.
func (nl nodeLifecycle) Reconcile(v *View, k Key) Result {
	if k.Kind == KindPod {
		p, ok := v.Pod(k.Namespace, k.Name)
		if !ok || !podNeedsNotReady(v, p) {
			return Result{}
		}
		return Result{Actions: markPodNotReady(v, p, nil)}
	}
	n, ok := v.Node(k.Name)
	if !ok {
		return Result{}
	}
	var res Result
	if connected, since := v.Connected(n.Name); !connected {
		due := since + v.Config().NodeMonitorGracePeriod
		if v.Elapsed() < due {
			res.RequeueAfter = due - v.Elapsed()
		} else if actions := nl.markUnknown(v, n); actions != nil {
			return Result{Actions: actions}
		}
	}
	if v.Profile() != Legacy {
		if nn := nl.noScheduleTaints(v, n); nn != nil {
			res.Actions = []Action{Update{Object: nn}}
			return res
		}
	}
	if nn := nl.noExecuteTaints(v, n); nn != nil {
		res.Actions = []Action{Update{Object: nn}}
	}
	return res
}

// unknownConditions are the conditions the controller sets to Unknown when
// a kubelet stops posting status; NetworkUnavailable is left alone.
var unknownConditions = []NodeConditionType{NodeReady, NodeMemoryPressure, NodeDiskPressure, NodePIDPressure}

// markUnknown returns the actions that record that n's kubelet stopped
// posting status (upstream's tryUpdateNodeHealth and the
// MarkPodsNotReady that follows), or nil when n's conditions are
// Unknown already.
func (nodeLifecycle) markUnknown(v *View, n *Node) []Action {
	now := v.Now()
	conds := slices.Clone(n.Status.Conditions)
	changed, wasReady, hasReady := false, false, false
	for i := range conds {
		c := &conds[i]
		if !slices.Contains(unknownConditions, c.Type) {
			continue
		}
		if c.Type == NodeReady {
			hasReady = true
			wasReady = c.Status == ConditionTrue
		}
		if c.Status == ConditionUnknown {
			continue
		}
		c.Status = ConditionUnknown
		c.Reason = "NodeStatusUnknown"
		c.Message = "Kubelet stopped posting node status."
		c.LastTransitionTime = now
		changed = true
	}
	if !hasReady {
		conds = append(conds, NodeCondition{Type: NodeReady, Status: ConditionUnknown,
			Reason: "NodeStatusNeverUpdated", Message: "Kubelet never posted node status.",
			LastHeartbeatTime: n.CreationTimestamp, LastTransitionTime: now})
		changed = true
	}
	if !changed {
		return nil
	}
	nn := *n
	nn.Status.Conditions = conds
	actions := []Action{UpdateStatus{Object: &nn}}
	if wasReady {
		actions = append(actions, Emit{Event: Event{Object: RefOf(n), Type: EventNormal, Reason: "NodeNotReady",
			Message: "Node " + n.Name + " status is now: NodeNotReady"}})
		for p := range boundPods(v, n.Name) {
			actions = markPodNotReady(v, p, actions)
		}
	}
	return actions
}

// markPodNotReady appends to actions the update that sets p's Ready
// condition False, and the Warning NodeNotReady event on p, when p has a
// Ready condition that is not False (upstream's MarkPodsNotReady).
func markPodNotReady(v *View, p *Pod, actions []Action) []Action {
	c := p.Condition(PodReady)
	if c == nil || c.Status == ConditionFalse {
		return actions
	}
	cond := *c
	cond.Status = ConditionFalse
	cond.LastTransitionTime = v.Now()
	np := withPodCondition(p, cond)
	detail := ""
	if v.Logging() {
		detail = DescribePodStatus(np)
	}
	return append(actions,
		UpdateStatus{Object: np, Detail: detail},
		Emit{Event: Event{Object: RefOf(p), Type: EventWarning, Reason: "NodeNotReady", Message: "Node is not ready"}})
}

// conditionTaintKey returns the key of the NoSchedule taint that
// condition c calls for, or "" (upstream's
// nodeConditionToTaintKeyStatusMap).
func conditionTaintKey(c *NodeCondition) string {
	switch {
	case c.Type == NodeReady && c.Status == ConditionFalse:
		return taints.NodeNotReady
	case c.Type == NodeReady && c.Status == ConditionUnknown:
		return taints.NodeUnreachable
	case c.Status != ConditionTrue:
		return ""
	case c.Type == NodeMemoryPressure:
		return taints.NodeMemoryPressure
	case c.Type == NodeDiskPressure:
		return taints.NodeDiskPressure
	case c.Type == NodeNetworkUnavailable:
		return taints.NodeNetworkUnavailable
	case c.Type == NodePIDPressure:
		return taints.NodePIDPressure
	}
	return ""
}

// isConditionTaintKey reports whether key is one the NoSchedule pass
// manages.
func isConditionTaintKey(key string) bool {
	switch key {
	case taints.NodeNotReady, taints.NodeUnreachable, taints.NodeMemoryPressure, taints.NodeDiskPressure,
		taints.NodeNetworkUnavailable, taints.NodePIDPressure, taints.NodeUnschedulable:
		return true
	}
	return false
}

// noScheduleTaints returns a copy of n with its NoSchedule condition
// taints matching its conditions and spec.unschedulable, or nil when they
// do already (upstream's doNoScheduleTaintingPass). Taints are added at
// the end, with timeAdded set, as upstream's AddOrUpdateTaintOnNode does.
func (nodeLifecycle) noScheduleTaints(v *View, n *Node) *Node {
	var want []string
	for i := range n.Status.Conditions {
		if key := conditionTaintKey(&n.Status.Conditions[i]); key != "" && !slices.Contains(want, key) {
			want = append(want, key)
		}
	}
	if n.Spec.Unschedulable {
		want = append(want, taints.NodeUnschedulable)
	}
	managed := func(t *taints.Taint) bool { return t.Effect == taints.NoSchedule && isConditionTaintKey(t.Key) }
	var add []string
	for _, key := range want {
		if !slices.ContainsFunc(n.Spec.Taints, func(t taints.Taint) bool { return t.Key == key && t.Effect == taints.NoSchedule }) {
			add = append(add, key)
		}
	}
	remove := slices.ContainsFunc(n.Spec.Taints, func(t taints.Taint) bool { return managed(&t) && !slices.Contains(want, t.Key) })
	if len(add) == 0 && !remove {
		return nil
	}
	ts := slices.DeleteFunc(slices.Clone(n.Spec.Taints), func(t taints.Taint) bool { return managed(&t) && !slices.Contains(want, t.Key) })
	now := v.Now()
	for _, key := range add {
		ts = append(ts, taints.Taint{Key: key, Effect: taints.NoSchedule, TimeAdded: &now})
	}
	nn := *n
	nn.Spec.Taints = ts
	return &nn
}

// noExecuteTaints returns a copy of n whose not-ready and unreachable
// NoExecute taints match its Ready condition, or nil when they do already
// (upstream's processTaintBaseEviction, doNoExecuteTaintingPass and
// markNodeAsReachable).
func (nodeLifecycle) noExecuteTaints(v *View, n *Node) *Node {
	notReady, unreachable := taints.NodeNotReady, taints.NodeUnreachable
	if v.Profile() == Legacy {
		notReady, unreachable = taints.LegacyNodeNotReady, taints.LegacyNodeUnreachable
	}
	status, ok := nodeReady(n)
	if !ok {
		return nil
	}
	var add string
	var remove []string
	switch status {
	case ConditionFalse:
		add, remove = notReady, []string{unreachable}
	case ConditionUnknown:
		add, remove = unreachable, []string{notReady}
	case ConditionTrue:
		remove = []string{notReady, unreachable}
	default:
		return nil
	}
	has := func(key string) bool {
		return slices.ContainsFunc(n.Spec.Taints, func(t taints.Taint) bool { return t.Key == key && t.Effect == taints.NoExecute })
	}
	needAdd := add != "" && !has(add)
	needRemove := slices.ContainsFunc(remove, has)
	if !needAdd && !needRemove {
		return nil
	}
	ts := slices.DeleteFunc(slices.Clone(n.Spec.Taints), func(t taints.Taint) bool {
		return t.Effect == taints.NoExecute && slices.Contains(remove, t.Key)
	})
	if needAdd {
		now := v.Now()
		ts = append(ts, taints.Taint{Key: add, Effect: taints.NoExecute, TimeAdded: &now})
	}
	nn := *n
	nn.Spec.Taints = ts
	return &nn
}
