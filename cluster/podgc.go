package cluster

import (
	"slices"
	"time"

	"github.com/daemonsim/daemonsim/taints"
)

// podGC is the pod garbage collector of kube-controller-manager
// (pkg/controller/podgc).
type podGC struct{}

// PodGCQuarantine is how long the pod garbage collector waits after it
// finds pods bound to a missing node before it deletes them, in case the
// node shows up again (upstream's quarantineTime).
const PodGCQuarantine = 40 * time.Second

// subOutOfService is the sub-key of a node checked for terminating pods
// on an out-of-service node.
const subOutOfService = "out-of-service"

// NewPodGC returns the pod garbage collector, actor "pod-gc". It
// force-deletes (grace period 0), after first setting the pod's phase to
// Failed as upstream's markFailedAndDeletePod does:
//
//  1. pods bound to a node that does not exist, [PodGCQuarantine] after
//     the node went missing (or the pod was bound to a missing node),
//     if the node is still missing then; the pods also get the
//     condition DisruptionTarget, reason DeletionByPodGC, "PodGC: node no
//     longer exists";
//  2. terminating pods that are not bound to a node, at once;
//  3. terminating pods on a node that is not Ready and carries the
//     node.kubernetes.io/out-of-service taint, at once, evicted pods first,
//     then oldest first.
//
// Not simulated: the 20 s check period (the quarantine is exactly 40 s,
// where upstream's is 40–60 s), the deletion of terminated pods above
// --terminated-pod-gc-threshold, and the legacy profile's older pod GC
// (Kubernetes 1.6–1.9 had no quarantine and no Failed phase or condition
// before deletion): both profiles behave as Kubernetes v1.37.
func NewPodGC() Controller { return podGC{} }

// Name returns "pod-gc".
func (podGC) Name() string { return PodGCName }

// outOfService reports whether terminating pods on n are force-deleted:
// n is not Ready and has the out-of-service taint (upstream's
// gcTerminating).
func outOfService(n *Node) bool {
	if st, ok := nodeReady(n); ok && st == ConditionTrue {
		return false
	}
	return slices.ContainsFunc(n.Spec.Taints, func(t taints.Taint) bool { return t.Key == taints.NodeOutOfService })
}

// Watch starts the quarantine of a node when it goes or when a pod is
// bound to it while it is missing, and enqueues terminating pods that are
// unbound or on an out-of-service node, and nodes that become out of
// service.
func (podGC) Watch(v *View, ch Change, q Enqueuer) {
	if ch.Heartbeat {
		return
	}
	switch ch.Kind() {
	case KindNode:
		if ch.New == nil {
			q.AddAfter(Key{Ref: RefOf(ch.Old)}, PodGCQuarantine)
			return
		}
		n := ch.New.(*Node)
		if outOfService(n) && (ch.Old == nil || !outOfService(ch.Old.(*Node))) {
			q.Add(Key{Ref: RefOf(n), Sub: subOutOfService})
		}
	case KindPod:
		if ch.New == nil {
			return
		}
		p := ch.New.(*Pod)
		var old *Pod
		if ch.Old != nil {
			old = ch.Old.(*Pod)
		}
		node := p.Spec.NodeName
		if node != "" && (old == nil || old.Spec.NodeName != node) {
			if _, ok := v.Node(node); !ok {
				q.AddAfter(Key{Ref: Ref{Kind: KindNode, Name: node}}, PodGCQuarantine)
			}
		}
		if p.Terminating() && (old == nil || !old.Terminating()) {
			if node == "" {
				q.Add(Key{Ref: RefOf(p)})
			} else if n, ok := v.Node(node); ok && outOfService(n) {
				q.Add(Key{Ref: RefOf(p)})
			}
		}
	}
}

// Reconcile deletes the pods of a missing node, the terminating pods of an
// out-of-service node, or one terminating pod.
func (gc podGC) Reconcile(v *View, k Key) Result {
	var actions []Action
	switch {
	case k.Kind == KindPod:
		p, ok := v.Pod(k.Namespace, k.Name)
		if !ok || !p.Terminating() {
			return Result{}
		}
		if p.Spec.NodeName != "" {
			n, ok := v.Node(p.Spec.NodeName)
			if !ok || !outOfService(n) {
				return Result{}
			}
		}
		actions = gc.markFailedAndDelete(v, p, nil, actions)
	case k.Sub == subOutOfService:
		n, ok := v.Node(k.Name)
		if !ok || !outOfService(n) {
			return Result{}
		}
		var pods []*Pod
		for p := range boundPods(v, k.Name) {
			if p.Terminating() {
				pods = append(pods, p)
			}
		}
		slices.SortStableFunc(pods, byEvictionAndCreation)
		for _, p := range pods {
			actions = gc.markFailedAndDelete(v, p, nil, actions)
		}
	default:
		if _, ok := v.Node(k.Name); ok {
			return Result{}
		}
		cond := &PodCondition{Type: DisruptionTarget, Status: ConditionTrue, Reason: "DeletionByPodGC",
			Message: "PodGC: node no longer exists", LastTransitionTime: v.Now()}
		for p := range boundPods(v, k.Name) {
			actions = gc.markFailedAndDelete(v, p, cond, actions)
		}
	}
	return Result{Actions: actions}
}

// byEvictionAndCreation orders pods evicted by the kubelet first, then by
// creation time, then by name (upstream's byEvictionAndCreationTimestamp).
func byEvictionAndCreation(a, b *Pod) int {
	ae, be := a.Status.Reason == "Evicted", b.Status.Reason == "Evicted"
	switch {
	case ae != be && ae:
		return -1
	case ae != be:
		return 1
	case !a.CreationTimestamp.Equal(b.CreationTimestamp):
		return a.CreationTimestamp.Compare(b.CreationTimestamp)
	case a.Name < b.Name:
		return -1
	case a.Name > b.Name:
		return 1
	}
	return 0
}

// markFailedAndDelete appends the actions that set p's phase to Failed
// (with cond, when given) unless it is terminal already, and then delete
// it with grace period 0 (upstream's markFailedAndDeletePodWithCondition).
func (podGC) markFailedAndDelete(v *View, p *Pod, cond *PodCondition, actions []Action) []Action {
	r := RefOf(p)
	if !p.IsTerminal() {
		np := *p
		np.Status.Phase = PodFailed
		detail := ""
		if cond != nil {
			np.Status.Conditions = setPodCondition(p.Status.Conditions, *cond)
		}
		if v.Logging() {
			detail = DescribePodStatus(&np)
			if cond != nil {
				detail += " " + string(cond.Type) + "=" + cond.Reason
			}
		}
		actions = append(actions, UpdateStatus{Object: &np, Detail: detail})
	}
	return append(actions, Delete{Object: r, GracePeriod: graceZero(), IgnoreNotFound: true})
}
