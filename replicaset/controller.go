package replicaset

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// The controllers' actor names in the log, and the event sources of
// upstream's controllers.
const (
	ControllerName            = "replicaset-controller"
	ReplicationControllerName = "replication-controller"
)

// BurstReplicas caps the pods one sync creates or deletes (upstream's
// BurstReplicas for both controllers).
const BurstReplicas = 500

// Controller is the ReplicaSet controller, or the replication controller:
// upstream runs the same code (pkg/controller/replicaset) for both kinds.
// Create it with [NewController] or [NewReplicationController]; see the
// package documentation for what it does. It keeps no state.
type Controller struct {
	kind cluster.Kind
	name string
}

// NewController returns the ReplicaSet controller, logged as
// "replicaset-controller".
func NewController() cluster.Controller {
	return &Controller{kind: KindReplicaSet, name: ControllerName}
}

// NewReplicationController returns the controller of
// ReplicationControllers, logged as "replication-controller".
func NewReplicationController() cluster.Controller {
	return &Controller{kind: KindReplicationController, name: ReplicationControllerName}
}

// Name returns the controller's actor name.
func (c *Controller) Name() string { return c.name }

// owner is what the controller needs of a ReplicaSet or a
// ReplicationController (upstream converts the latter into the former).
type owner struct {
	obj      cluster.Object
	meta     *cluster.ObjectMeta
	ref      cluster.Ref
	replicas int32
	minReady int32
	sel      selector.Selector
	template *cluster.PodTemplateSpec // nil for a ReplicationController without one
	status   *Status
}

// ownerOf returns the owner view of o, and false when its selector does
// not compile (upstream gives up on such an object).
func ownerOf(o cluster.Object) (owner, bool) {
	ow := owner{obj: o, meta: o.Meta(), ref: cluster.RefOf(o)}
	switch x := o.(type) {
	case *ReplicaSet:
		sel, err := x.Spec.Selector.AsSelector()
		if err != nil {
			return owner{}, false
		}
		ow.sel, ow.replicas, ow.minReady = sel, replicasOf(x.Spec.Replicas), x.Spec.MinReadySeconds
		ow.template, ow.status = &x.Spec.Template, &x.Status
	case *ReplicationController:
		ow.sel, ow.replicas, ow.minReady = selector.SelectorFromSet(x.Spec.Selector), replicasOf(x.Spec.Replicas), x.Spec.MinReadySeconds
		ow.template, ow.status = x.Spec.Template, &x.Status
	default:
		return owner{}, false
	}
	return ow, true
}

// withStatus returns a copy of the owner's object with status s, for an
// unconditional status write.
func (ow *owner) withStatus(s Status) cluster.Object {
	switch x := ow.obj.(type) {
	case *ReplicaSet:
		c := *x
		c.Status, c.ResourceVersion = s, ""
		return &c
	case *ReplicationController:
		c := *x
		c.Status, c.ResourceVersion = s, ""
		return &c
	}
	panic("replicaset: internal error: unknown owner kind")
}

func (c *Controller) key(ns, name string) cluster.Key {
	return cluster.Key{Ref: cluster.Ref{Kind: c.kind, Namespace: ns, Name: name}}
}

// Watch enqueues the owners a change concerns, as upstream's informer
// handlers do: an owner when it changes; the owner named by a pod's
// controller reference when the pod is created, changes or goes (and its
// previous owner when the reference changed); the owners whose selector
// matches an orphan pod that appears or whose labels or references
// change.
func (c *Controller) Watch(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	if ch.Heartbeat {
		return
	}
	switch ch.Kind() {
	case c.kind:
		m := ch.Object().Meta()
		q.Add(c.key(m.Namespace, m.Name))
	case cluster.KindPod:
		c.watchPod(v, ch, q)
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
	switch {
	case cur == nil:
		c.podGone(v, old, q)
		return
	case old == nil:
		if cur.Terminating() {
			c.podGone(v, cur, q)
			return
		}
		if ref := cur.ControllerRef(); ref != nil {
			if o := c.resolve(v, cur.Namespace, ref); o != nil {
				q.Add(c.key(cur.Namespace, ref.Name))
			}
			return
		}
		c.enqueueSelecting(v, cur, q)
		return
	}
	// Compared only where it matters: not for the common update of a
	// pod with a controller, whose labels the watch does not need.
	labelsChanged := func() bool { return !maps.Equal(old.Labels, cur.Labels) }
	if cur.Terminating() {
		c.podGone(v, cur, q)
		if labelsChanged() {
			c.podGone(v, old, q)
		}
		return
	}
	curRef, oldRef := cur.ControllerRef(), old.ControllerRef()
	refChanged := !sameRef(curRef, oldRef)
	if refChanged && oldRef != nil {
		if o := c.resolve(v, old.Namespace, oldRef); o != nil {
			q.Add(c.key(old.Namespace, oldRef.Name))
		}
	}
	if curRef != nil {
		o := c.resolve(v, cur.Namespace, curRef)
		if o == nil {
			return
		}
		q.Add(c.key(cur.Namespace, curRef.Name))
		return
	}
	if refChanged || labelsChanged() {
		c.enqueueSelecting(v, cur, q)
	}
}

func sameRef(a, b *cluster.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && a.Name == b.Name && a.UID == b.UID &&
		a.IsController() == b.IsController() && a.Blocks() == b.Blocks()
}

// podGone enqueues the owner of a pod that went or is going.
func (c *Controller) podGone(v *cluster.View, p *cluster.Pod, q cluster.Enqueuer) {
	if ref := p.ControllerRef(); ref != nil && c.resolve(v, p.Namespace, ref) != nil {
		q.Add(c.key(p.Namespace, ref.Name))
	}
}

// resolve returns the owner a controller reference names, when it is of
// this controller's kind and its UID matches.
func (c *Controller) resolve(v *cluster.View, ns string, ref *cluster.OwnerReference) cluster.Object {
	if ref.Kind != string(c.kind) {
		return nil
	}
	o, ok := v.Get(cluster.Ref{Kind: c.kind, Namespace: ns, Name: ref.Name})
	if !ok || o.Meta().UID != ref.UID {
		return nil
	}
	return o
}

// enqueueSelecting enqueues the owners of the pod's namespace whose
// selector selects the orphan pod.
func (c *Controller) enqueueSelecting(v *cluster.View, p *cluster.Pod, q cluster.Enqueuer) {
	for o := range v.List(c.kind, p.Namespace) {
		ow, ok := ownerOf(o)
		if ok && !ow.sel.Empty() && ow.sel.Matches(selector.Set(p.Labels)) {
			q.Add(c.key(p.Namespace, ow.meta.Name))
		}
	}
}

// isActive reports whether a pod counts toward the replicas (upstream's
// controller.IsPodActive): not Succeeded, not Failed, not terminating.
func isActive(p *cluster.Pod) bool {
	return !p.IsTerminal() && !p.Terminating()
}

// Reconcile syncs one owner, as upstream's syncReplicaSet does: it claims
// the active pods of the namespace (adopting and releasing), creates or
// deletes pods to reach spec.replicas unless the owner is being deleted,
// and writes the status computed from the pods it found.
func (c *Controller) Reconcile(v *cluster.View, k cluster.Key) cluster.Result {
	o, ok := v.Get(k.Ref)
	if !ok {
		return cluster.Result{}
	}
	ow, ok := ownerOf(o)
	if !ok {
		return cluster.Result{}
	}
	var active []*cluster.Pod
	for po := range v.List(cluster.KindPod, ow.meta.Namespace) {
		if p := po.(*cluster.Pod); isActive(p) {
			active = append(active, p)
		}
	}
	claimed, acts := c.claim(&ow, active)
	if ow.meta.DeletionTimestamp == nil {
		acts = append(acts, c.manage(v, &ow, claimed)...)
	}
	status := CalculateStatus(ow.template, ow.minReady, claimed, v.Now())
	var requeue time.Duration
	if s := ow.status; s.Replicas != status.Replicas || s.FullyLabeledReplicas != status.FullyLabeledReplicas ||
		s.ReadyReplicas != status.ReadyReplicas || s.AvailableReplicas != status.AvailableReplicas ||
		s.ObservedGeneration != ow.meta.Generation {
		want := *s
		want.Replicas, want.FullyLabeledReplicas = status.Replicas, status.FullyLabeledReplicas
		want.ReadyReplicas, want.AvailableReplicas = status.ReadyReplicas, status.AvailableReplicas
		want.ObservedGeneration = ow.meta.Generation
		acts = append(acts, cluster.UpdateStatus{Object: ow.withStatus(want), Detail: DescribeStatus(&want), Always: true})
	}
	if ow.minReady > 0 {
		minReady := time.Duration(ow.minReady) * time.Second
		if status.ReadyReplicas == ow.replicas && status.AvailableReplicas != ow.replicas {
			requeue = minReady
		}
		// Upstream's pod handler resyncs the owner minReadySeconds+1s
		// after a pod becomes Ready. The cluster's queue keeps only the
		// earliest due time of a key, so the sync asks for the earliest
		// of those still to come.
		now := v.Now()
		for _, p := range claimed {
			if c := p.Condition(cluster.PodReady); c != nil && c.Status == cluster.ConditionTrue && !c.LastTransitionTime.IsZero() {
				if d := c.LastTransitionTime.Add(minReady + time.Second).Sub(now); d > 0 && (requeue == 0 || d < requeue) {
					requeue = d
				}
			}
		}
	}
	return cluster.Result{Actions: acts, RequeueAfter: requeue}
}

// claim adopts the matching orphans and releases the owned pods that no
// longer match (upstream's ControllerRefManager.ClaimPods), and returns
// the pods the owner counts (adopted ones as they will be) with the
// patches. An owner being deleted neither adopts nor releases.
func (c *Controller) claim(ow *owner, active []*cluster.Pod) ([]*cluster.Pod, []cluster.Action) {
	var claimed []*cluster.Pod
	var acts []cluster.Action
	deleting := ow.meta.DeletionTimestamp != nil
	kindName := string(c.kind) + "/" + ow.meta.Name
	matches := func(p *cluster.Pod) bool { return !ow.sel.Empty() && ow.sel.Matches(selector.Set(p.Labels)) }
	for _, p := range active {
		if ref := p.ControllerRef(); ref != nil {
			if ref.UID != ow.meta.UID {
				continue
			}
			if matches(p) {
				claimed = append(claimed, p)
				continue
			}
			if deleting {
				continue
			}
			np := p.Clone().(*cluster.Pod)
			np.OwnerReferences = slices.DeleteFunc(slices.Clone(p.OwnerReferences), func(r cluster.OwnerReference) bool { return r.UID == ow.meta.UID })
			np.ResourceVersion = ""
			acts = append(acts, cluster.Update{Object: np, Detail: "owner -" + kindName})
			continue
		}
		if deleting || !matches(p) {
			continue
		}
		np := p.Clone().(*cluster.Pod)
		np.OwnerReferences = append(slices.Clone(p.OwnerReferences), cluster.NewControllerRef(ow.obj))
		np.ResourceVersion = ""
		acts = append(acts, cluster.Update{Object: np, Detail: "owner +" + kindName})
		claimed = append(claimed, np)
	}
	return claimed, acts
}

// manage creates or deletes pods to reach spec.replicas (upstream's
// manageReplicas): at most BurstReplicas at a time; creates in slow-start
// batches of 1, 2, 4, … (a failing batch skips the later ones), deletes
// all at once, choosing the pods as [PodsToDelete] ranks them.
func (c *Controller) manage(v *cluster.View, ow *owner, claimed []*cluster.Pod) []cluster.Action {
	diff := len(claimed) - int(ow.replicas)
	var acts []cluster.Action
	switch {
	case diff < 0:
		n := min(-diff, BurstReplicas)
		if ow.template == nil {
			return nil
		}
		if v.Logging() {
			acts = append(acts, cluster.Note{Object: ow.ref, Message: "Too few replicas: need " + strconv.Itoa(int(ow.replicas)) + ", creating " + strconv.Itoa(n)})
		}
		tmpl := newPodTemplate(ow)
		batch, size := 1, 1
		for pos := 0; pos < n; {
			end := min(pos+size, n)
			for ; pos < end; pos++ {
				acts = append(acts, cluster.Create{Object: tmpl.newPod(), EventsOn: &ow.ref, Batch: batch, Prevalidated: true})
			}
			size *= 2
			batch++
		}
	case diff > 0:
		n := min(diff, BurstReplicas)
		if v.Logging() {
			acts = append(acts, cluster.Note{Object: ow.ref, Message: "Too many replicas: need " + strconv.Itoa(int(ow.replicas)) + ", deleting " + strconv.Itoa(n)})
		}
		for _, p := range PodsToDelete(claimed, c.relatedPods(v, ow), n, v.Now()) {
			acts = append(acts, cluster.Delete{Object: cluster.RefOf(p), EventsOn: &ow.ref, IgnoreNotFound: true, Batch: -1, Always: true})
		}
	}
	return acts
}

// relatedPods returns the pods of the owners (of this kind, in the same
// namespace) that share the owner's controller, such as the ReplicaSets of
// one Deployment, each pod once (upstream's getIndirectlyRelatedPods). An
// owner without a controller has none.
func (c *Controller) relatedPods(v *cluster.View, ow *owner) []*cluster.Pod {
	ref := ow.meta.ControllerRef()
	if ref == nil {
		return nil
	}
	var siblings []owner
	for o := range v.List(c.kind, ow.meta.Namespace) {
		if r := o.Meta().ControllerRef(); r != nil && r.UID == ref.UID {
			if s, ok := ownerOf(o); ok {
				siblings = append(siblings, s)
			}
		}
	}
	var out []*cluster.Pod
	seen := map[string]bool{}
	for po := range v.List(cluster.KindPod, ow.meta.Namespace) {
		p := po.(*cluster.Pod)
		for _, s := range siblings {
			if s.sel.Matches(selector.Set(p.Labels)) && !seen[p.UID] {
				seen[p.UID] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// podTemplate builds the pods of one owner as upstream's
// GetPodFromTemplate does: the template's labels, annotations, finalizers
// and spec, generateName "<owner>-", and a controller reference to the
// owner. The pods share what they do not change.
type podTemplate struct {
	meta cluster.ObjectMeta
	spec cluster.PodSpec
}

func newPodTemplate(ow *owner) *podTemplate {
	t := ow.template
	// Upstream's getPodsPrefix: "<name>-" unless that is not a valid name
	// prefix, then the bare name.
	prefix := ow.meta.Name + "-"
	if len(cluster.NameIsDNSSubdomain(prefix, true)) > 0 {
		prefix = ow.meta.Name
	}
	return &podTemplate{
		meta: cluster.ObjectMeta{
			GenerateName:    prefix,
			Namespace:       ow.meta.Namespace,
			Labels:          t.Labels,
			Annotations:     t.Annotations,
			Finalizers:      t.Finalizers,
			OwnerReferences: []cluster.OwnerReference{cluster.NewControllerRef(ow.obj)},
		},
		spec: t.Spec,
	}
}

func (pt *podTemplate) newPod() *cluster.Pod {
	return &cluster.Pod{
		TypeMeta:   cluster.TypeMeta{APIVersion: "v1", Kind: string(cluster.KindPod)},
		ObjectMeta: pt.meta,
		Spec:       pt.spec,
	}
}

// CalculateStatus returns the status counters of an owner whose active
// pods are pods (upstream's calculateStatus): replicas, those whose
// labels match the template's (fullyLabeled), Ready ones, and those Ready
// for minReadySeconds at now (available). ObservedGeneration and
// Conditions are left zero.
func CalculateStatus(template *cluster.PodTemplateSpec, minReadySeconds int32, pods []*cluster.Pod, now time.Time) Status {
	var labels map[string]string
	if template != nil {
		labels = template.Labels
	}
	full := selector.SelectorFromSet(labels)
	s := Status{Replicas: int32(len(pods))}
	for _, p := range pods {
		if full.Matches(selector.Set(p.Labels)) {
			s.FullyLabeledReplicas++
		}
		if p.IsReady() {
			s.ReadyReplicas++
			if p.IsAvailable(minReadySeconds, now) {
				s.AvailableReplicas++
			}
		}
	}
	return s
}
