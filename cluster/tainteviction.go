package cluster

import (
	"maps"
	"time"

	"github.com/daemonsim/daemonsim/taints"
)

// taintEviction is the taint eviction controller of kube-controller-manager
// (pkg/controller/tainteviction, formerly the node lifecycle controller's
// taint manager). Like upstream's TimedWorkerQueue it remembers, per pod,
// the eviction it has scheduled; it implements [Forker].
type taintEviction struct {
	pending map[Ref]eviction
}

// eviction is a scheduled eviction of one pod.
type eviction struct {
	fire time.Duration // when it is due, as virtual time
	// fired marks an eviction that is due now or was carried out: it can
	// no longer be cancelled (no "Cancelling deletion" event), and is
	// retried while the pod is neither terminating nor gone.
	fired bool
}

// subEvict is the sub-key of a pod's eviction timer.
const subEvict = "evict"

// NewTaintEvictionController returns the taint eviction controller, actor
// "taint-eviction-controller". For each pod bound to a node with NoExecute
// taints (upstream's processPodOnNode):
//
//  1. If a NoExecute taint is not tolerated, the pod is evicted at once.
//  2. Otherwise the tolerations that tolerate the taints (the first one
//     per taint, as upstream's GetMatchingTolerations) decide: none with
//     tolerationSeconds means never (any scheduled eviction is
//     cancelled); else the minimum tolerationSeconds (≤ 0 means now)
//     after the instant the controller sees the taint or the binding,
//     which in this synchronous simulation is when the taint was added or
//     the pod was bound (for state present when the controller is
//     registered, the registration: upstream's count also restarts with
//     the controller).
//  3. An eviction once scheduled keeps its time until cancelled: upstream
//     compares "scheduled-at + new minimum" with "now + new minimum",
//     which keeps the existing one whenever it was scheduled earlier.
//  4. When the node's NoExecute taints are gone, or the pod now
//     tolerates them for ever, or the pod is deleted, a scheduled
//     eviction is cancelled with the event Normal TaintManagerEviction
//     "Cancelling deletion of Pod <namespace>/<name>".
//
// An eviction records the event Normal TaintManagerEviction "Marking for
// deletion Pod <namespace>/<name>" on the pod, sets the pod's
// DisruptionTarget condition (reason DeletionByTaintManager; modern
// profile only, as upstream since PodDisruptionConditions), and deletes
// the pod with its own grace period; the log verb is evict. Pods that are
// already terminating are left alone.
//
// Not simulated: upstream's worker sharding and its five immediate
// retries (a failed eviction is retried with the cluster's per-key
// backoff instead).
func NewTaintEvictionController() Controller {
	return &taintEviction{pending: map[Ref]eviction{}}
}

// Name returns "taint-eviction-controller".
func (*taintEviction) Name() string { return TaintEvictionName }

// Fork returns a copy with its own scheduled evictions.
func (te *taintEviction) Fork() Controller {
	return &taintEviction{pending: maps.Clone(te.pending)}
}

// sameNoExecuteTaints reports whether two taint lists have the same
// NoExecute taints, in the same order (upstream compares them with
// Semantic.DeepEqual).
func sameNoExecuteTaints(a, b []taints.Taint) bool {
	i, j := 0, 0
	for {
		for i < len(a) && a[i].Effect != taints.NoExecute {
			i++
		}
		for j < len(b) && b[j].Effect != taints.NoExecute {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		x, y := a[i], b[j]
		if x.Key != y.Key || x.Value != y.Value {
			return false
		}
		if (x.TimeAdded == nil) != (y.TimeAdded == nil) || (x.TimeAdded != nil && !x.TimeAdded.Equal(*y.TimeAdded)) {
			return false
		}
		i++
		j++
	}
}

// hasNoExecute reports whether n has a NoExecute taint.
func hasNoExecute(n *Node) bool {
	for i := range n.Spec.Taints {
		if n.Spec.Taints[i].Effect == taints.NoExecute {
			return true
		}
	}
	return false
}

// Watch enqueues a node whose NoExecute taints change, a pod bound, or
// whose tolerations change, on a node with NoExecute taints, and a removed
// pod with a scheduled eviction.
func (te *taintEviction) Watch(v *View, ch Change, q Enqueuer) {
	if ch.Heartbeat {
		return
	}
	switch ch.Kind() {
	case KindNode:
		if ch.New == nil {
			return
		}
		n := ch.New.(*Node)
		if ch.Old == nil {
			if !hasNoExecute(n) {
				return
			}
		} else if sameNoExecuteTaints(ch.Old.(*Node).Spec.Taints, n.Spec.Taints) {
			return
		}
		q.Add(Key{Ref: RefOf(n)})
	case KindPod:
		k := Key{Ref: RefOf(ch.Object())}
		if ch.New == nil {
			if _, scheduled := te.pending[k.Ref]; scheduled {
				q.Add(k)
			}
			return
		}
		p := ch.New.(*Pod)
		if ch.Old != nil {
			old := ch.Old.(*Pod)
			if old.Spec.NodeName == p.Spec.NodeName && tolerationsEqual(old.Spec.Tolerations, p.Spec.Tolerations) {
				return
			}
		}
		if p.Spec.NodeName == "" {
			return
		}
		_, scheduled := te.pending[k.Ref]
		if n, ok := v.Node(p.Spec.NodeName); scheduled || (ok && hasNoExecute(n)) {
			q.Add(k)
		}
	}
}

// Reconcile processes a node (all its pods), a pod, or a pod's eviction
// timer.
func (te *taintEviction) Reconcile(v *View, k Key) Result {
	var res Result
	switch {
	case k.Kind == KindNode:
		te.handleNode(v, k.Name, &res)
	case k.Sub == subEvict:
		te.fire(v, k.Ref, &res)
	default:
		te.handlePod(v, k.Ref, &res)
	}
	return res
}

// handleNode mirrors upstream's handleNodeUpdate.
func (te *taintEviction) handleNode(v *View, name string, res *Result) {
	n, ok := v.Node(name)
	if !ok {
		return
	}
	tainted := hasNoExecute(n)
	for p := range boundPods(v, name) {
		if !tainted {
			te.cancel(RefOf(p), res)
			continue
		}
		te.processPod(v, p, n, res)
	}
}

// handlePod mirrors upstream's handlePodUpdate.
func (te *taintEviction) handlePod(v *View, r Ref, res *Result) {
	p, ok := v.Pod(r.Namespace, r.Name)
	if !ok {
		te.cancel(r, res)
		return
	}
	if p.Spec.NodeName == "" {
		return
	}
	n, ok := v.Node(p.Spec.NodeName)
	if !ok || !hasNoExecute(n) {
		return
	}
	te.processPod(v, p, n, res)
}

// processPod decides about one pod on a node with NoExecute taints
// (upstream's processPodOnNode).
func (te *taintEviction) processPod(v *View, p *Pod, n *Node, res *Result) {
	if p.Terminating() {
		return
	}
	r := RefOf(p)
	tolerated, wait, forever := matchNoExecute(n.Spec.Taints, p.Spec.Tolerations)
	if !tolerated {
		te.cancel(r, res)
		te.pending[r] = eviction{fire: v.Elapsed(), fired: true}
		te.evict(v, p, res)
		return
	}
	if forever {
		te.cancel(r, res)
		return
	}
	if w, ok := te.pending[r]; ok {
		if w.fired {
			te.evict(v, p, res) // a failed eviction, retried
		}
		return
	}
	if wait <= 0 {
		te.pending[r] = eviction{fire: v.Elapsed(), fired: true}
		te.evict(v, p, res)
		return
	}
	te.pending[r] = eviction{fire: v.Elapsed() + wait}
	res.Later = append(res.Later, Timer{Key: Key{Ref: r, Sub: subEvict}, After: wait})
}

// matchNoExecute reports whether every NoExecute taint in ts is tolerated
// and, if so, how long the pod may stay: the minimum tolerationSeconds of
// the first toleration that tolerates each taint, or forever when none of
// them has tolerationSeconds (upstream's GetMatchingTolerations and
// getMinTolerationTime).
func matchNoExecute(ts []taints.Taint, tols []taints.Toleration) (tolerated bool, wait time.Duration, forever bool) {
	minSeconds, bounded := int64(0), false
	for i := range ts {
		if ts[i].Effect != taints.NoExecute {
			continue
		}
		j := 0
		for j < len(tols) && !tols[j].Tolerates(&ts[i]) {
			j++
		}
		if j == len(tols) {
			return false, 0, false
		}
		if s := tols[j].TolerationSeconds; s != nil {
			if !bounded || *s < minSeconds {
				minSeconds = *s
			}
			bounded = true
		}
	}
	if !bounded {
		return true, 0, true
	}
	return true, time.Duration(max(minSeconds, 0)) * time.Second, false
}

// cancel drops the eviction scheduled for r, recording upstream's
// cancellation event when it had not fired yet.
func (te *taintEviction) cancel(r Ref, res *Result) {
	w, ok := te.pending[r]
	if !ok {
		return
	}
	delete(te.pending, r)
	if !w.fired {
		res.Actions = append(res.Actions, Emit{Event: Event{Object: r, Type: EventNormal, Reason: "TaintManagerEviction",
			Message: "Cancelling deletion of Pod " + r.Namespace + "/" + r.Name}})
	}
}

// fire carries out the eviction scheduled for r when it is due.
func (te *taintEviction) fire(v *View, r Ref, res *Result) {
	w, ok := te.pending[r]
	if !ok {
		return
	}
	if w.fired {
		// A retry after a failed eviction.
		if p, ok := v.Pod(r.Namespace, r.Name); ok && !p.Terminating() {
			te.evict(v, p, res)
		}
		return
	}
	if now := v.Elapsed(); w.fire > now {
		res.RequeueAfter = w.fire - now
		return
	}
	p, ok := v.Pod(r.Namespace, r.Name)
	if !ok || p.Terminating() {
		delete(te.pending, r)
		return
	}
	w.fired = true
	te.pending[r] = w
	te.evict(v, p, res)
}

// evict appends the actions of an eviction (upstream's deletePodHandler
// and addConditionAndDeletePod).
func (te *taintEviction) evict(v *View, p *Pod, res *Result) {
	r := RefOf(p)
	res.Actions = append(res.Actions, Emit{Event: Event{Object: r, Type: EventNormal, Reason: "TaintManagerEviction",
		Message: "Marking for deletion Pod " + r.Namespace + "/" + r.Name}})
	if v.Profile() != Legacy {
		cond := PodCondition{Type: DisruptionTarget, Status: ConditionTrue, Reason: "DeletionByTaintManager",
			Message: "Taint manager: deleting due to NoExecute taint", LastTransitionTime: v.Now()}
		if !hasPodCondition(p, cond) {
			np := withPodCondition(p, cond)
			detail := ""
			if v.Logging() {
				detail = DescribePodStatus(np) + " DisruptionTarget=DeletionByTaintManager"
			}
			res.Actions = append(res.Actions, UpdateStatus{Object: np, Detail: detail})
		}
	}
	res.Actions = append(res.Actions, Delete{Object: r, Evict: true})
}
