package scheduling

import (
	"cmp"
	"maps"
	"slices"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/taints"
)

// The strings the scheduler writes.
const (
	// ReasonPodUnschedulable is the reason of the PodScheduled=False
	// condition of a pod no node fits (v1.PodReasonUnschedulable).
	ReasonPodUnschedulable = "Unschedulable"
	// EventFailedScheduling is the reason of the Warning event of a pod no
	// node fits.
	EventFailedScheduling = "FailedScheduling"
	// EventScheduled is the reason of the Normal event of a bound pod,
	// whose message is "Successfully assigned <namespace>/<name> to
	// <node>".
	EventScheduled = "Scheduled"
)

// Scheduler is the default-scheduler stand-in, a [cluster.Controller]. It
// binds each pending pod whose spec.schedulerName is "default-scheduler"
// (or empty) to the node that fits it best, or marks it unschedulable:
//
//  1. The candidates are every node, or, when every required node-affinity
//     term pins matchFields metadata.name In, only the nodes named there
//     (upstream's NodeAffinity PreFilter; this is how DaemonSet pods are
//     placed, in O(1) per pod whatever the size of the cluster).
//  2. Each candidate is filtered with [Filter.Check], counting the pods
//     bound to it.
//  3. Among the nodes that fit, the one with the highest least-allocated
//     score wins (see the package documentation); ties go to the node
//     whose name sorts first. The pod is bound to it ([cluster.Bind]) and
//     a Normal "Scheduled" event is recorded.
//  4. When no node fits, a Warning "FailedScheduling" event is recorded and
//     the pod's PodScheduled condition is set to False, reason
//     "Unschedulable", with the [FitErrorMessage] as its message; both are
//     skipped when the condition already says exactly that.
//
// Pods that no node fits are retried when a change could make them fit: a
// node is added, or its labels, taints, unschedulable flag or allocatable
// resources change; or a pod bound to a node is deleted, or Succeeded or
// Failed. The scheduler keeps the pods waiting for such a change indexed
// by the nodes they are pinned to, so a change costs time in proportion to
// the pods waiting for that node (plus those not pinned), not to the size
// of the cluster, and a pod is retried only when it fits the changed node.
//
// A Scheduler keeps that index as state: it implements [cluster.Forker].
// It is not safe for concurrent use.
type Scheduler struct {
	// waiting holds the pods known (from their PodScheduled=False
	// Unschedulable condition) to fit no node, with their compiled
	// filters.
	waiting map[cluster.Ref]*Filter
	// byNode indexes the waiting pods pinned to nodes, by node name.
	byNode map[string][]cluster.Ref
	// floating holds the waiting pods not pinned to nodes.
	floating map[cluster.Ref]struct{}
	// buf is scratch space for the pods bound to one node.
	buf []*cluster.Pod
}

var (
	_ cluster.Controller = (*Scheduler)(nil)
	_ cluster.Forker     = (*Scheduler)(nil)
)

// NewScheduler returns a new default-scheduler stand-in, a *[Scheduler].
func NewScheduler() cluster.Controller {
	return &Scheduler{
		waiting:  map[cluster.Ref]*Filter{},
		byNode:   map[string][]cluster.Ref{},
		floating: map[cluster.Ref]struct{}{},
	}
}

// Name returns "default-scheduler".
func (s *Scheduler) Name() string { return cluster.DefaultSchedulerName }

// Fork returns a copy of the scheduler for a forked cluster.
func (s *Scheduler) Fork() cluster.Controller {
	f := &Scheduler{
		waiting:  maps.Clone(s.waiting),
		byNode:   make(map[string][]cluster.Ref, len(s.byNode)),
		floating: maps.Clone(s.floating),
	}
	for n, refs := range s.byNode {
		f.byNode[n] = slices.Clone(refs)
	}
	return f
}

// responsible reports whether the scheduler should place p: it is not
// bound, not terminating, not terminated, and asks for this scheduler.
func responsible(p *cluster.Pod) bool {
	return p.Spec.NodeName == "" && !p.Terminating() && !p.IsTerminal() &&
		(p.Spec.SchedulerName == "" || p.Spec.SchedulerName == cluster.DefaultSchedulerName)
}

// markedUnschedulable reports whether p's PodScheduled condition says no
// node fits it.
func markedUnschedulable(p *cluster.Pod) bool {
	c := p.Condition(cluster.PodScheduled)
	return c != nil && c.Status == cluster.ConditionFalse && c.Reason == ReasonPodUnschedulable
}

// Watch enqueues pending pods of this scheduler when they appear or their
// scheduling constraints change, keeps the index of pods waiting for a
// change, and retries those a node or pod change may let fit.
func (s *Scheduler) Watch(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	switch ch.Kind() {
	case cluster.KindPod:
		s.watchPod(v, ch, q)
	case cluster.KindNode:
		if ch.Heartbeat || ch.New == nil {
			return
		}
		n := ch.New.(*cluster.Node)
		if ch.Old != nil && !nodeChanged(ch.Old.(*cluster.Node), n) {
			return
		}
		s.retry(v, q, n.Name)
	}
}

func (s *Scheduler) watchPod(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	oldPod, _ := ch.Old.(*cluster.Pod)
	newPod, _ := ch.New.(*cluster.Pod)
	ref := cluster.RefOf(ch.Object())
	if newPod != nil && responsible(newPod) {
		same := oldPod != nil && responsible(oldPod) && sameInputs(oldPod, newPod)
		marked := markedUnschedulable(newPod)
		// Retry a pod whose constraints changed, and one waiting for a
		// change whose Unschedulable mark someone else removed.
		if !same || (!marked && s.waiting[ref] != nil) {
			q.Add(cluster.Key{Ref: ref})
		}
		switch {
		case !marked:
			s.untrack(ref)
		case !same || s.waiting[ref] == nil:
			s.untrack(ref)
			s.track(ref, NewFilter(newPod))
		}
		return
	}
	s.untrack(ref)
	// A bound pod that goes away or terminates frees resources and ports.
	if oldPod != nil && oldPod.Spec.NodeName != "" && !oldPod.IsTerminal() &&
		(newPod == nil || newPod.IsTerminal() || newPod.Spec.NodeName != oldPod.Spec.NodeName) {
		s.retry(v, q, oldPod.Spec.NodeName)
	}
}

// sameInputs reports whether two versions of a pending pod have the same
// scheduling constraints. Stored objects are immutable and status updates
// share the spec's slices, so identity is a cheap, conservative test.
func sameInputs(a, b *cluster.Pod) bool {
	x, y := &a.Spec, &b.Spec
	return x.NodeName == y.NodeName && x.SchedulerName == y.SchedulerName && x.HostNetwork == y.HostNetwork &&
		x.Affinity == y.Affinity && maps.Equal(x.NodeSelector, y.NodeSelector) &&
		sameSlice(x.Containers, y.Containers) && sameSlice(x.InitContainers, y.InitContainers) &&
		sameSlice(x.Tolerations, y.Tolerations)
}

func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// nodeChanged reports whether a node update can change which pods fit it.
func nodeChanged(old, cur *cluster.Node) bool {
	return old.Spec.Unschedulable != cur.Spec.Unschedulable ||
		!maps.Equal(old.Labels, cur.Labels) ||
		!slices.EqualFunc(old.Spec.Taints, cur.Spec.Taints, func(a, b taints.Taint) bool {
			return a.Key == b.Key && a.Value == b.Value && a.Effect == b.Effect
		}) ||
		!maps.EqualFunc(old.Status.Allocatable, cur.Status.Allocatable, func(a, b cluster.Quantity) bool {
			return a.MilliValue() == b.MilliValue()
		})
}

// track records that the pod ref, compiled as f, fits no node.
func (s *Scheduler) track(ref cluster.Ref, f *Filter) {
	s.waiting[ref] = f
	switch {
	case f.pinned:
		for _, n := range f.names {
			s.byNode[n] = append(s.byNode[n], ref)
		}
	case !f.conflict:
		s.floating[ref] = struct{}{}
	}
}

// untrack forgets a waiting pod.
func (s *Scheduler) untrack(ref cluster.Ref) {
	f, ok := s.waiting[ref]
	if !ok {
		return
	}
	delete(s.waiting, ref)
	delete(s.floating, ref)
	for _, n := range f.names {
		refs := slices.DeleteFunc(s.byNode[n], func(r cluster.Ref) bool { return r == ref })
		if len(refs) == 0 {
			delete(s.byNode, n)
		} else {
			s.byNode[n] = refs
		}
	}
}

// retry enqueues the waiting pods that now fit the node named nodeName, in
// namespace and name order.
func (s *Scheduler) retry(v *cluster.View, q cluster.Enqueuer, nodeName string) {
	pinned := s.byNode[nodeName]
	if len(pinned) == 0 && len(s.floating) == 0 {
		return
	}
	node, ok := v.Node(nodeName)
	if !ok {
		return
	}
	onNode := s.boundPods(v, nodeName)
	defer s.releaseBuf()
	var due []cluster.Ref
	var verdict Verdict
	fits := func(ref cluster.Ref) bool {
		verdict = Verdict{}
		s.waiting[ref].check(node, onNode, modeFits, &verdict)
		return verdict.Fits
	}
	for _, ref := range pinned {
		if fits(ref) {
			due = append(due, ref)
		}
	}
	for ref := range s.floating {
		if fits(ref) {
			due = append(due, ref)
		}
	}
	slices.SortFunc(due, func(a, b cluster.Ref) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	for _, ref := range due {
		q.Add(cluster.Key{Ref: ref})
	}
}

// boundPods returns the pods bound to the node, in s.buf.
func (s *Scheduler) boundPods(v *cluster.View, nodeName string) []*cluster.Pod {
	s.buf = s.buf[:0]
	for p := range v.PodsOnNode(nodeName) {
		if p.Spec.NodeName == nodeName {
			s.buf = append(s.buf, p)
		}
	}
	return s.buf
}

// releaseBuf drops the scratch buffer's references to stored pods.
func (s *Scheduler) releaseBuf() {
	clear(s.buf)
	s.buf = s.buf[:0]
}

// placement is the search for the best node of one pod.
type placement struct {
	best      *cluster.Node
	bestScore int64
	verdict   Verdict
	d         diagnosis
}

// evaluate checks node for the pod of f, noting why it does not fit or
// whether it is the best so far.
func (pl *placement) evaluate(s *Scheduler, v *cluster.View, f *Filter, node *cluster.Node) {
	onNode := s.boundPods(v, node.Name)
	pl.verdict = Verdict{Reasons: pl.verdict.Reasons[:0]}
	f.check(node, onNode, modeFirst, &pl.verdict)
	if !pl.verdict.Fits {
		pl.d.add(pl.verdict.Reasons)
		return
	}
	// Nodes come in name order: a later node must score higher to win.
	if sc := f.score(node, onNode); sc > pl.bestScore {
		pl.best, pl.bestScore = node, sc
	}
}

// pickPinned evaluates the nodes a pod is pinned to (a daemon pod's one
// node). It is apart from pickAny so that its search stays on the stack.
func (s *Scheduler) pickPinned(v *cluster.View, f *Filter, d diagnosis) (*cluster.Node, diagnosis) {
	pl := placement{bestScore: -1, d: d}
	for _, name := range f.names {
		if node, ok := v.Node(name); ok {
			pl.evaluate(s, v, f, node)
		}
	}
	return pl.best, pl.d
}

// pickAny evaluates every node.
func (s *Scheduler) pickAny(v *cluster.View, f *Filter, d diagnosis) (*cluster.Node, diagnosis) {
	pl := placement{bestScore: -1, d: d}
	for node := range v.Nodes() {
		pl.evaluate(s, v, f, node)
	}
	return pl.best, pl.d
}

// Reconcile schedules one pending pod: it binds the pod to the best node
// that fits, or records why none does.
func (s *Scheduler) Reconcile(v *cluster.View, k cluster.Key) cluster.Result {
	if k.Kind != cluster.KindPod {
		return cluster.Result{}
	}
	p, ok := v.Pod(k.Namespace, k.Name)
	if !ok || !responsible(p) {
		return cluster.Result{}
	}
	f := NewFilter(p)
	d := diagnosis{numNodes: v.Count(cluster.KindNode)}
	if d.numNodes == 0 {
		return unschedulable(v, p, d.message())
	}
	if f.conflict {
		d.preFilter = ReasonAffinityTermsConflict
		return unschedulable(v, p, d.message())
	}

	var best *cluster.Node
	if f.pinned {
		best, d = s.pickPinned(v, f, d)
	} else {
		best, d = s.pickAny(v, f, d)
	}
	s.releaseBuf()

	if best == nil {
		return unschedulable(v, p, d.message())
	}
	ref := cluster.RefOf(p)
	bind := cluster.Bind{Pod: ref, UID: p.UID, Node: best.Name}
	if !v.Logging() {
		return cluster.Result{Actions: []cluster.Action{bind}} // the event would go nowhere
	}
	return cluster.Result{Actions: []cluster.Action{bind,
		cluster.Emit{Event: cluster.Event{Object: ref, Type: cluster.EventNormal, Reason: EventScheduled,
			Message: "Successfully assigned " + p.Namespace + "/" + p.Name + " to " + best.Name}},
	}}
}

// unschedulable records that no node fits p, unless p's PodScheduled
// condition already says so with the same message. As upstream's
// handleSchedulingFailure, it records the event, then updates the
// condition.
func unschedulable(v *cluster.View, p *cluster.Pod, msg string) cluster.Result {
	if c := p.Condition(cluster.PodScheduled); c != nil && c.Status == cluster.ConditionFalse &&
		c.Reason == ReasonPodUnschedulable && c.Message == msg {
		return cluster.Result{}
	}
	np := p.Clone().(*cluster.Pod)
	np.Status.Conditions = cluster.SetPodCondition(p.Status.Conditions, cluster.PodCondition{
		Type:               cluster.PodScheduled,
		Status:             cluster.ConditionFalse,
		Reason:             ReasonPodUnschedulable,
		Message:            msg,
		LastTransitionTime: v.Now(),
	})
	return cluster.Result{Actions: []cluster.Action{
		cluster.Emit{Event: cluster.Event{Object: cluster.RefOf(p), Type: cluster.EventWarning,
			Reason: EventFailedScheduling, Message: truncateEventMessage(msg)}},
		cluster.UpdateStatus{Object: np, Detail: "PodScheduled=False reason=" + ReasonPodUnschedulable},
	}}
}
