package cluster

// garbageCollector is the garbage collector of kube-controller-manager
// (pkg/controller/garbagecollector). It keeps no graph of its own: the
// store's dependents index is the graph, read through the View.
type garbageCollector struct{}

// NewGarbageCollector returns the garbage collector, actor
// "garbage-collector". It implements the three deletion propagation
// policies as upstream's garbage collector and API server do together:
//
//   - Background: when an owner goes, each dependent whose owners are all
//     absent is deleted (Background, or the policy its own orphan or
//     foregroundDeletion finalizer asks for). A dependent that still has a
//     present owner (a "solid" one) is kept, and its references to absent
//     owners and to owners waiting for their dependents are removed.
//   - Foreground: an owner with a deletionTimestamp and the
//     foregroundDeletion finalizer has all its dependents deleted
//     (dependents that have dependents of their own with Foreground); the
//     finalizer is removed once no dependent that references it with
//     blockOwnerDeletion=true remains, pods included until they are fully
//     gone.
//   - Orphan: an owner with a deletionTimestamp and the orphan finalizer
//     has its owner references removed from every dependent (detail
//     "owner -Kind/name"), then loses the finalizer.
//
// Owner references resolve by kind, namespace (the dependent's, for a
// namespaced owner kind), name and UID; an owner recreated under another
// UID counts as absent. A dependent with a reference to a kind the cluster
// does not know (see [Cluster.RegisterTypes]) is left alone, as upstream's
// collector cannot resolve it either, and so is a cluster-scoped object
// that references a namespaced owner. Mirror pods, owned by their Node,
// stay while the node exists.
//
// Registered on a cluster that already holds objects, it sees every one
// (as an informer's initial list), so dangling dependents already present
// are collected.
//
// Not simulated: the absent-owner cache and REST discovery (kinds are
// known at once), the cycle breaking for dependents that are themselves
// deleting dependents, and retries of upstream's workers (the cluster's
// own per-key backoff retries failed actions).
func NewGarbageCollector() Controller { return garbageCollector{} }

// Name returns "garbage-collector".
func (garbageCollector) Name() string { return GarbageCollectorName }

// waitingForDependents reports whether an object is being deleted in the
// foreground (upstream's isDeletingDependents).
func waitingForDependents(m *ObjectMeta) bool {
	return m.DeletionTimestamp != nil && m.HasFinalizer(FinalizerForeground)
}

// orphaning reports whether an object waits for its dependents to be
// orphaned.
func orphaning(m *ObjectMeta) bool {
	return m.DeletionTimestamp != nil && m.HasFinalizer(FinalizerOrphan)
}

// ownerState classifies an owner reference (upstream's
// classifyReferences).
type ownerState int

const (
	ownerSolid      ownerState = iota // present, not deleting its dependents
	ownerDangling                     // absent, or present under another UID
	ownerWaiting                      // present, deleting its dependents
	ownerUnresolved                   // unknown kind, or a namespaced owner of a cluster-scoped object
)

// resolveOwner looks up the owner that ref, a reference of dep, points to.
func resolveOwner(v *View, dep Object, ref *OwnerReference) (Object, ownerState) {
	t, ok := v.TypeOf(Kind(ref.Kind))
	if !ok {
		return nil, ownerUnresolved
	}
	ns := ""
	if t.Namespaced {
		ns = dep.Meta().Namespace
		if ns == "" {
			return nil, ownerUnresolved
		}
	}
	o, ok := v.Get(Ref{Kind: t.Kind, Namespace: ns, Name: ref.Name})
	if !ok || o.Meta().UID != ref.UID {
		return nil, ownerDangling
	}
	if waitingForDependents(o.Meta()) {
		return o, ownerWaiting
	}
	return o, ownerSolid
}

// Watch enqueues objects whose owners are absent or deleting their
// dependents, owners that start a foreground or orphan deletion (and, for
// the foreground, their dependents), the dependents of removed objects,
// and owners waiting for dependents when one of those goes or drops its
// reference.
func (gc garbageCollector) Watch(v *View, ch Change, q Enqueuer) {
	if ch.Heartbeat {
		return
	}
	if ch.New == nil {
		om := ch.Old.Meta()
		for dep := range v.Dependents(om.UID, "") {
			q.Add(Key{Ref: RefOf(dep)})
		}
		gc.wakeWaitingOwners(v, ch.Old, om.OwnerReferences, nil, q)
		return
	}
	nm := ch.New.Meta()
	var om *ObjectMeta
	if ch.Old != nil {
		om = ch.Old.Meta()
	}
	if waitingForDependents(nm) && (om == nil || !waitingForDependents(om)) {
		q.Add(Key{Ref: RefOf(ch.New)})
		for dep := range v.Dependents(nm.UID, "") {
			q.Add(Key{Ref: RefOf(dep)})
		}
	}
	if orphaning(nm) && (om == nil || !orphaning(om)) {
		q.Add(Key{Ref: RefOf(ch.New)})
	}
	if len(nm.OwnerReferences) > 0 && (om == nil || !ownerRefsEqual(om.OwnerReferences, nm.OwnerReferences)) {
		for i := range nm.OwnerReferences {
			if _, st := resolveOwner(v, ch.New, &nm.OwnerReferences[i]); st == ownerDangling || st == ownerWaiting {
				q.Add(Key{Ref: RefOf(ch.New)})
				break
			}
		}
	}
	if om != nil {
		gc.wakeWaitingOwners(v, ch.Old, om.OwnerReferences, nm, q)
	}
}

// wakeWaitingOwners enqueues the owners, among refs (the references of
// old), that are deleting their dependents and that cur (nil when the
// object went) no longer references.
func (garbageCollector) wakeWaitingOwners(v *View, old Object, refs []OwnerReference, cur *ObjectMeta, q Enqueuer) {
	for i := range refs {
		if cur != nil && ownerRefByUID(cur, refs[i].UID) != nil {
			continue
		}
		if o, st := resolveOwner(v, old, &refs[i]); st == ownerWaiting {
			q.Add(Key{Ref: RefOf(o)})
		}
	}
}

// Reconcile processes one object, first as an owner (orphaning its
// dependents, or finishing a foreground deletion), then as a dependent
// (upstream's attemptToDeleteItem).
func (gc garbageCollector) Reconcile(v *View, k Key) Result {
	o, ok := v.Get(k.Ref)
	if !ok {
		return Result{}
	}
	m := o.Meta()
	switch {
	case orphaning(m):
		return gc.orphanDependents(v, o)
	case waitingForDependents(m):
		return gc.finishForeground(v, o)
	case m.Terminating(), len(m.OwnerReferences) == 0:
		// Being deleted is a one-way trip: its dependents are looked at
		// when it is gone.
		return Result{}
	}
	var stale []string
	solid, waiting := 0, 0
	for i := range m.OwnerReferences {
		ref := &m.OwnerReferences[i]
		switch _, st := resolveOwner(v, o, ref); st {
		case ownerUnresolved:
			return Result{}
		case ownerSolid:
			solid++
		case ownerDangling:
			stale = append(stale, ref.UID)
		case ownerWaiting:
			waiting++
			stale = append(stale, ref.UID)
		}
	}
	switch {
	case solid > 0:
		if len(stale) == 0 {
			return Result{}
		}
		return Result{Actions: []Action{withOwnersRemoved(o, stale...)}}
	case waiting > 0 && gc.hasDependents(v, m.UID):
		return Result{Actions: []Action{Delete{Object: RefOf(o), UID: m.UID, Propagation: DeletePropagationForeground}}}
	}
	policy := DeletePropagationBackground
	switch {
	case m.HasFinalizer(FinalizerOrphan):
		policy = DeletePropagationOrphan
	case m.HasFinalizer(FinalizerForeground):
		policy = DeletePropagationForeground
	}
	return Result{Actions: []Action{Delete{Object: RefOf(o), UID: m.UID, Propagation: policy}}}
}

func (garbageCollector) hasDependents(v *View, uid string) bool {
	for range v.Dependents(uid, "") {
		return true
	}
	return false
}

// orphanDependents removes the owner's references from all its
// dependents, then the orphan finalizer (upstream's attemptToOrphanWorker).
func (garbageCollector) orphanDependents(v *View, owner Object) Result {
	uid := owner.Meta().UID
	var actions []Action
	for dep := range v.Dependents(uid, "") {
		actions = append(actions, withOwnersRemoved(dep, uid))
	}
	actions = append(actions, withFinalizerRemoved(owner, FinalizerOrphan))
	return Result{Actions: actions}
}

// finishForeground removes the foregroundDeletion finalizer once no
// dependent blocks the owner's deletion (upstream's
// processDeletingDependentsItem). The dependents were enqueued when the
// deletion began; each one that goes, or drops its reference, enqueues the
// owner again.
func (garbageCollector) finishForeground(v *View, owner Object) Result {
	uid := owner.Meta().UID
	for dep := range v.Dependents(uid, "") {
		if r := ownerRefByUID(dep.Meta(), uid); r != nil && r.Blocks() {
			return Result{}
		}
	}
	return Result{Actions: []Action{withFinalizerRemoved(owner, FinalizerForeground)}}
}
