package daemonset

import (
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/internal/pbtree"
	"github.com/daemonsim/daemonsim/selector"
)

// ControllerName is the DaemonSet controller's actor name in the log, and
// the event source of upstream's controller.
const ControllerName = "daemonset-controller"

// Event reasons of the DaemonSet controller (upstream's constants).
const (
	ReasonSelectingAll       = "SelectingAll"
	ReasonFailedDaemonPod    = "FailedDaemonPod"
	ReasonSucceededDaemonPod = "SucceededDaemonPod"
	ReasonFailedPlacement    = "FailedPlacement"
)

// Controller is the DaemonSet controller: a re-implementation of
// upstream's DaemonSetsController (pkg/controller/daemon) as a
// [cluster.Controller]. Register it with a cluster together with
// [Register]'s kinds; see the package documentation for what it does.
//
// It keeps derived state (see controller_state.go) and implements
// [cluster.Forker].
type Controller struct {
	epoch   *epoch
	states  *pbtree.Map[dsKey, *dsState]
	backoff *pbtree.Map[string, backoffEntry]
	pins    pinCache
	scratch []*cluster.Pod
}

// backoffEntry is one failed-pod backoff (flowcontrol.Backoff entry).
type backoffEntry struct {
	delay      time.Duration
	lastUpdate time.Duration
}

// NewController returns a DaemonSet controller.
func NewController() *Controller {
	return &Controller{
		epoch:   &epoch{},
		states:  pbtree.New[dsKey, *dsState](cmpDSKey),
		backoff: pbtree.New[string, backoffEntry](strings.Compare),
	}
}

// Name returns [ControllerName].
func (c *Controller) Name() string { return ControllerName }

// Fork returns an independent copy of the controller for a forked
// cluster, in O(1): both copies share their state until they change it.
func (c *Controller) Fork() cluster.Controller {
	f := &Controller{epoch: &epoch{}, states: c.states.Clone(), backoff: c.backoff.Clone()}
	c.epoch = &epoch{}
	return f
}

// Register makes the cluster know the kinds of this package, so that
// owner references to DaemonSets resolve before any is stored.
func Register(c *cluster.Cluster) {
	c.RegisterTypes(DaemonSetType, ControllerRevisionType)
}

// mutable returns the state of k, copied first if another epoch owns it,
// or nil.
func (c *Controller) mutable(k dsKey) *dsState {
	st, ok := c.states.Get(k)
	if !ok {
		return nil
	}
	if st.owner != c.epoch {
		// st is from before a fork, which gave both sides new epochs:
		// nothing writes it again, and the other side may be copying it
		// on another goroutine.
		st = st.clone(c.epoch, true)
		c.states.Set(k, st)
	}
	return st
}

// build (re)creates the state of ds from the view.
func (c *Controller) build(v *cluster.View, ds *DaemonSet) *dsState {
	k := dsKey{ds.Namespace, ds.Name}
	st := &dsState{owner: c.epoch}
	if old, ok := c.states.Get(k); ok && old.uid == ds.UID {
		st.prev = old.nodes
	}
	st.configure(ds, v.Profile(), currentHash(v, ds, v.Profile()))
	c.rebuild(v, st)
	c.states.Set(k, st)
	return st
}

func keyOf(ds *DaemonSet) cluster.Key {
	return cluster.Key{Ref: cluster.Ref{Kind: KindDaemonSet, Namespace: ds.Namespace, Name: ds.Name}}
}

// Watch updates the controller's derived state after a store change and
// enqueues the DaemonSets the change concerns, as upstream's informer
// event handlers do.
func (c *Controller) Watch(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	if ch.Heartbeat {
		return
	}
	switch ch.Kind() {
	case KindDaemonSet:
		c.watchDaemonSet(v, ch, q)
	case cluster.KindPod:
		c.watchPod(v, ch, q)
	case cluster.KindNode:
		c.watchNode(v, ch, q)
	case KindControllerRevision:
		c.watchRevision(v, ch, q)
	}
}

func (c *Controller) watchDaemonSet(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	if ch.New == nil {
		old := ch.Old.(*DaemonSet)
		c.states.Delete(dsKey{old.Namespace, old.Name})
		return
	}
	ds := ch.New.(*DaemonSet)
	k := dsKey{ds.Namespace, ds.Name}
	st, ok := c.states.Get(k)
	if !ok || st.uid != ds.UID || st.ds.Generation != ds.Generation ||
		!equalInt32Ptr(st.ds.Status.CollisionCount, ds.Status.CollisionCount) ||
		(st.ds.DeletionTimestamp == nil) != (ds.DeletionTimestamp == nil) ||
		st.ds.Annotations[TemplateGenerationAnnotation] != ds.Annotations[TemplateGenerationAnnotation] {
		c.build(v, ds)
		q.Add(keyOf(ds))
		return
	}
	st = c.mutable(k)
	st.ds = ds
}

func equalInt32Ptr(a, b *int32) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (c *Controller) watchNode(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	name := ch.Object().Meta().Name
	// A node's summary depends on the node only through whether it
	// exists and what the DaemonSet's eligibility says of it, so an
	// update that changes neither leaves it alone (upstream's updateNode
	// enqueues a DaemonSet only when nodeShouldRunDaemonPod's answer
	// changes).
	oldNode, _ := ch.Old.(*cluster.Node)
	curNode, _ := ch.New.(*cluster.Node)
	var keys []dsKey
	for k, st := range c.states.All() {
		if oldNode != nil && curNode != nil && st.elig != nil {
			oldRun, oldCont := st.elig.ShouldRun(oldNode)
			curRun, curCont := st.elig.ShouldRun(curNode)
			if oldRun == curRun && oldCont == curCont {
				continue
			}
		}
		keys = append(keys, k)
	}
	for _, k := range keys {
		st := c.mutable(k)
		if c.refresh(v, st, name) {
			q.Add(keyOf(st.ds))
		}
	}
}

func (c *Controller) watchPod(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	var old, cur *cluster.Pod
	if ch.Old != nil {
		old = ch.Old.(*cluster.Pod)
	}
	if ch.New != nil {
		cur = ch.New.(*cluster.Pod)
	}
	p := cur
	if p == nil {
		p = old
	}
	ns := p.Namespace
	orphan := false
	var owners, uids [2]string
	for i, x := range [2]*cluster.Pod{old, cur} {
		if x == nil {
			continue
		}
		ref := x.ControllerRef()
		switch {
		case ref == nil:
			orphan = true
		case ref.Kind == string(KindDaemonSet):
			owners[i], uids[i] = ref.Name, ref.UID
		}
	}
	// visit brings the DaemonSet's state up to date with the pod and,
	// when enqueue is set, enqueues it if that changed anything. It
	// returns the DaemonSet's UID, or "" when there is no such DaemonSet.
	visit := func(k dsKey, enqueue bool) (uid string) {
		st := c.mutable(k)
		if st == nil {
			return ""
		}
		uid = st.uid
		changed := c.claimChanged(st, p.Name, cur)
		if onlyBound(old, cur) && st.claimed(cur) {
			// Binding changes nothing a summary depends on, except the
			// order of several pods on the node.
			if s := st.summary(cur.Spec.NodeName); !s.has(fMulti) {
				if changed && enqueue {
					q.Add(keyOf(st.ds))
				}
				return uid
			}
		}
		refreshed := ""
		for _, x := range [2]*cluster.Pod{old, cur} {
			if x == nil || !st.claimed(x) {
				continue
			}
			// A pod that stays on its node: one refresh of the node
			// covers both versions.
			if t := cluster.TargetNodeName(x); t != "" && t != refreshed {
				refreshed = t
				if c.refreshAfter(v, st, t, old, cur) {
					changed = true
				}
			}
		}
		if cur == nil && old != nil && st.claimed(old) && old.Labels[RevisionHashLabel] != st.hash {
			// The last pod of an old revision may be gone: cleanupHistory
			// can now delete the revision (upstream's deletePod enqueues
			// the DaemonSet on every deletion).
			changed = true
		}
		if changed && enqueue {
			q.Add(keyOf(st.ds))
		}
		return uid
	}
	var named [2]string // the UIDs of the DaemonSets the references name
	if owners[0] != "" {
		named[0] = visit(dsKey{ns, owners[0]}, true)
	}
	if owners[1] != "" && owners[1] != owners[0] {
		named[1] = visit(dsKey{ns, owners[1]}, true)
	} else {
		named[1] = named[0]
	}
	// Claims go by UID, as in upstream's ClaimPods: a reference that names
	// one DaemonSet and carries another's UID makes the other count the
	// pod. Upstream's watch resolves the reference by name and enqueues
	// nothing then, so neither does this; but that DaemonSet's state must
	// count the pod all the same.
	for i := range 2 {
		if owners[i] == "" || named[i] == uids[i] || (i == 1 && uids[1] == uids[0]) {
			continue
		}
		var byUID []dsKey
		for k, st := range c.states.Range(dsKey{ns, ""}, dsKey{ns + "\x00", ""}) {
			if st.uid == uids[i] && k.name != owners[0] && k.name != owners[1] {
				byUID = append(byUID, k)
			}
		}
		for _, k := range byUID {
			visit(k, false)
		}
	}
	if !orphan {
		return
	}
	// Orphans concern every DaemonSet of the namespace that selects them.
	var keys []dsKey
	for k := range c.states.Range(dsKey{ns, ""}, dsKey{ns + "\x00", ""}) {
		if k.name != owners[0] && k.name != owners[1] {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		st, _ := c.states.Get(k)
		if (old != nil && st.matchesSelector(old.Labels)) || (cur != nil && st.matchesSelector(cur.Labels)) {
			visit(k, true)
		}
	}
}

// onlyBound reports whether cur differs from old only by being bound to
// the node it was pinned to (the scheduler's binding).
func onlyBound(old, cur *cluster.Pod) bool {
	if old == nil || cur == nil || old.Spec.NodeName != "" || cur.Spec.NodeName == "" {
		return false
	}
	return cluster.TargetNodeName(old) == cur.Spec.NodeName &&
		old.Status.Phase == cur.Status.Phase && old.IsReady() == cur.IsReady() &&
		(old.DeletionTimestamp == nil) == (cur.DeletionTimestamp == nil) &&
		old.Labels[RevisionHashLabel] == cur.Labels[RevisionHashLabel] &&
		old.Labels[TemplateGenerationLabel] == cur.Labels[TemplateGenerationLabel] &&
		len(old.Labels) == len(cur.Labels) && len(old.OwnerReferences) == len(cur.OwnerReferences)
}

// matchesSelector reports whether the DaemonSet's selector selects
// labels (a DaemonSet being deleted selects nothing new).
func (st *dsState) matchesSelector(labels map[string]string) bool {
	return st.selOK && st.sel.Matches(selector.Set(labels))
}

// claimChanged updates whether pod name (now cur, nil when gone) is to be
// adopted or released, and reports whether that changed.
func (c *Controller) claimChanged(st *dsState, name string, cur *cluster.Pod) bool {
	pending := false
	if cur != nil {
		adopt, release := st.claimAction(cur)
		pending = adopt || release
	}
	_, was := st.claims.Get(name)
	if was == pending {
		return pending // still pending: let the sync retry
	}
	setMember(st.claims, name, pending)
	return true
}

func (c *Controller) watchRevision(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	rev := ch.Object().(*ControllerRevision)
	if ref := rev.ControllerRef(); ref != nil {
		if ref.Kind == string(KindDaemonSet) {
			if st, ok := c.states.Get(dsKey{rev.Namespace, ref.Name}); ok && st.uid == ref.UID {
				q.Add(keyOf(st.ds))
			}
		}
		return
	}
	for _, st := range c.states.Range(dsKey{rev.Namespace, ""}, dsKey{rev.Namespace + "\x00", ""}) {
		if st.matchesSelector(rev.Labels) {
			q.Add(keyOf(st.ds))
		}
	}
}
