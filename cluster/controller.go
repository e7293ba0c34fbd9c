package cluster

import (
	"iter"
	"time"
)

// Controller is a control loop: it watches store changes, keeps a queue of
// keys to reconcile, and reconciles a key by returning actions that the
// [Cluster] applies. Controllers decide; the cluster acts.
//
// A controller must be deterministic: given the same sequence of Watch and
// Reconcile calls on the same states it must make the same calls to the
// [Enqueuer] and return the same results. It may keep derived state (an
// informer-style index of what Watch has shown it); such a controller must
// implement [Forker] so that a forked cluster gets its own copy.
type Controller interface {
	// Name is the actor in the log, e.g. "daemonset-controller". Names are
	// unique within a cluster.
	Name() string
	// Watch is called after every change to the store, in order, with a
	// view of the state after the change. It enqueues the keys the change
	// makes due. It must not keep v.
	Watch(v *View, ch Change, q Enqueuer)
	// Reconcile decides what to do about key k, reading the cluster
	// through v. It must not keep v, nor modify anything reachable from
	// it.
	Reconcile(v *View, k Key) Result
}

// Forker is implemented by controllers that keep state: Fork returns an
// independent copy for a forked cluster. Controllers without state need
// not implement it; the fork then shares the instance.
type Forker interface {
	Fork() Controller
}

// Key is a unit of work of one controller: an object, and optionally a
// sub-key (a node name, say) within it.
type Key struct {
	Ref
	Sub string
}

// String renders the key as "Kind/namespace/name" or, with a sub-key,
// "Kind/namespace/name@sub".
func (k Key) String() string {
	if k.Sub == "" {
		return k.Ref.String()
	}
	return k.Ref.String() + "@" + k.Sub
}

// Change is one change to the store: a creation (Old is nil), an update,
// or a removal (New is nil). Old and New are immutable.
type Change struct {
	Old, New Object
	// Heartbeat marks a change of a node's kubelet connectivity (see
	// [Cluster.Disconnect]) rather than of a stored object; Old and New
	// are then the same, unchanged, Node.
	Heartbeat bool
}

// Object returns New, or Old for a removal.
func (ch Change) Object() Object {
	if ch.New != nil {
		return ch.New
	}
	return ch.Old
}

// Kind returns the kind of the changed object.
func (ch Change) Kind() Kind { return ch.Object().Type().Kind }

// Enqueuer adds keys to one controller's queue. Adding a key that is
// already queued keeps the earlier due time.
type Enqueuer struct {
	c     *Cluster
	actor int
}

// Add makes k due now.
func (q Enqueuer) Add(k Key) { q.c.queue.add(q.actor, k, q.c.elapsed) }

// AddAfter makes k due after d.
func (q Enqueuer) AddAfter(k Key, d time.Duration) {
	q.c.queue.add(q.actor, k, q.c.elapsed+max(d, 0))
}

// Result is what a [Controller.Reconcile] returns.
type Result struct {
	// Actions are applied in order; see [Action] for failure handling.
	Actions []Action
	// RequeueAfter, when positive, reconciles the same key again after
	// that long.
	RequeueAfter time.Duration
	// Later schedules further keys of the same controller.
	Later []Timer
	// Err, when set, is the reconcile's own error (not an action's): it is
	// logged with verb "fail" on the key's object after the actions are
	// applied, and the key is retried with backoff, as after a failed
	// action.
	Err error
	// Actor, when set, is the actor the log shows for these actions
	// instead of the controller's Name: "kubelet/node-a" for the kubelet
	// stand-in, which acts as one kubelet per node.
	Actor string
}

// Timer makes a key due after a delay.
type Timer struct {
	Key   Key
	After time.Duration
}

// Action is something a controller asks the cluster to do: [Create],
// [Update], [UpdateStatus], [Delete], [Bind], [Emit] or [Note].
//
// The cluster applies a result's actions in order and logs each. When one
// fails, the failure is logged (verb "fail") and the key is reconciled
// again after a backoff. A failing action with Batch 0 (the default) stops
// the rest of the result. Actions with a non-zero Batch behave like
// upstream's concurrent batches: the other actions of a failing batch
// still run, actions of later batches are skipped, and actions marked
// Always run regardless (as upstream still deletes pods and writes status
// after a failed slow-start batch of creates).
type Action interface {
	action()
}

// Create creates Object. If its name is empty and GenerateName is set, the
// cluster generates a name.
type Create struct {
	Object Object
	Detail string // the log detail, e.g. "node=node-a"
	// EventsOn, when set, makes the cluster emit upstream's pod-control
	// events on that object: Normal SuccessfulCreate "Created pod: NAME",
	// or Warning FailedCreate "Error creating: ERROR".
	EventsOn *Ref
	// Prevalidated says the object was built from inputs the API server
	// has validated already (a pod from a DaemonSet's validated template),
	// so that validating it again cannot fail; the cluster then skips its
	// validation. Defaulting and admission still run.
	Prevalidated bool
	Batch        int
	Always       bool
}

// Update replaces an object's metadata and spec with those of Object. The
// stored object's resourceVersion must equal Object's (optimistic
// concurrency), else the update fails with a Conflict.
type Update struct {
	Object Object
	Detail string
	Batch  int
	Always bool
}

// UpdateStatus replaces an object's status with that of Object; the same
// resourceVersion rule as [Update] applies.
type UpdateStatus struct {
	Object Object
	Detail string
	// Retries is how many times a failed write is tried again at once, as
	// a client that re-reads the object and retries does (upstream's
	// storeDaemonSetStatus retries once). Each failure is logged.
	Retries int
	Batch   int
	Always  bool
}

// Deferred is an action decided when its turn comes: the cluster calls Fn
// with a view of the state after the actions before it were applied (and
// seen by every controller's Watch), and applies the actions Fn returns in
// its place. A controller uses it for what upstream computes after its
// own writes, such as a status that counts the pods just created.
type Deferred struct {
	Fn     func(v *View) []Action
	Batch  int
	Always bool
}

// Delete deletes an object as the API server does: objects with
// finalizers, and pods bound to a node with a grace period, are marked
// with a deletionTimestamp first and go later.
type Delete struct {
	Object Ref
	// UID, when set, is a precondition: the delete fails with a Conflict
	// when the stored object has another UID.
	UID string
	// GracePeriod overrides a pod's terminationGracePeriodSeconds.
	GracePeriod *int64
	// Propagation says what happens to dependents; "" is Background.
	Propagation Propagation
	Detail      string
	// EventsOn, when set, makes the cluster emit upstream's pod-control
	// events: Normal SuccessfulDelete "Deleted pod: NAME", or Warning
	// FailedDelete "Error deleting: ERROR" (none for NotFound).
	EventsOn *Ref
	// IgnoreNotFound treats a missing object as success.
	IgnoreNotFound bool
	// Evict logs the deletion with verb "evict".
	Evict  bool
	Batch  int
	Always bool
}

// Bind binds a pod to a node (the binding subresource): it sets
// spec.nodeName and the PodScheduled condition.
type Bind struct {
	Pod  Ref
	UID  string
	Node string
	// Batch and Always as for the other actions.
	Batch  int
	Always bool
}

// Emit records a Kubernetes Event.
type Emit struct {
	Event Event
}

// Note records a controller decision worth explaining, such as why a node
// gets no daemon pod. It changes nothing.
type Note struct {
	Object  Ref
	Message string
}

func (Create) action()       {}
func (Update) action()       {}
func (UpdateStatus) action() {}
func (Delete) action()       {}
func (Bind) action()         {}
func (Emit) action()         {}
func (Deferred) action()     {}
func (Note) action()         {}

// Propagation is a deletion propagation policy.
type Propagation string

// The propagation policies.
const (
	DeletePropagationBackground Propagation = "Background"
	DeletePropagationForeground Propagation = "Foreground"
	DeletePropagationOrphan     Propagation = "Orphan"
)

// View is read access to a cluster, for controllers. Objects it returns
// are shared and immutable. Like the cluster, a View is not safe for
// concurrent use, reads included: a read may note where it found an
// object (the store's lookup caches), for the next one.
type View struct {
	c *Cluster
}

// Now returns the virtual time.
func (v *View) Now() time.Time { return v.c.Now() }

// Elapsed returns the virtual time since the clock started.
func (v *View) Elapsed() time.Duration { return v.c.elapsed }

// Profile returns the cluster's profile.
func (v *View) Profile() Profile { return v.c.cfg.Profile }

// Config returns the cluster's configuration, with defaults filled in.
func (v *View) Config() *Config { return &v.c.cfg }

// Get returns the object named r.
func (v *View) Get(r Ref) (Object, bool) { return v.c.st.get(r) }

// Node returns the node named name.
func (v *View) Node(name string) (*Node, bool) {
	o, ok := v.c.st.get(Ref{Kind: KindNode, Name: name})
	if !ok {
		return nil, false
	}
	return o.(*Node), true
}

// Pod returns the pod namespace/name.
func (v *View) Pod(namespace, name string) (*Pod, bool) {
	o, ok := v.c.st.get(Ref{Kind: KindPod, Namespace: namespace, Name: name})
	if !ok {
		return nil, false
	}
	return o.(*Pod), true
}

// List yields the objects of kind k in namespace ns ("" for every
// namespace), ordered by namespace and name.
func (v *View) List(k Kind, ns string) iter.Seq[Object] { return v.c.st.list(k, ns) }

// Count returns the number of objects of kind k.
func (v *View) Count(k Kind) int { return v.c.st.count(k) }

// Nodes yields every node, ordered by name.
func (v *View) Nodes() iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		for o := range v.c.st.list(KindNode, "") {
			if !yield(o.(*Node)) {
				return
			}
		}
	}
}

// PodsOnNode yields the pods whose [TargetNodeName] is node (bound to it,
// or pinned to it by node affinity and not yet bound), ordered by
// namespace and name. PodsOnNode("") yields the pods with no target.
func (v *View) PodsOnNode(node string) iter.Seq[*Pod] {
	return func(yield func(*Pod) bool) {
		for k := range v.c.st.podsByNode.Range(podsOnNode(node)) {
			if !yield(k.pod) {
				return
			}
		}
	}
}

// AppendPodsOnNode appends to buf the pods [View.PodsOnNode] yields, for
// hot paths that want no iterator.
func (v *View) AppendPodsOnNode(buf []*Pod, node string) []*Pod {
	for k := range v.c.st.podsByNode.Range(podsOnNode(node)) {
		buf = append(buf, k.pod)
	}
	return buf
}

// Dependents yields the objects that have an owner reference to the UID
// owner, of kind k ("" for every kind), ordered by kind, namespace and
// name.
func (v *View) Dependents(owner string, k Kind) iter.Seq[Object] {
	return func(yield func(Object) bool) {
		ds, ok := v.c.st.dependents.Get(owner)
		if !ok {
			return
		}
		for _, g := range ds.groups {
			if k != "" && g.typ.Kind != k {
				continue
			}
			objs := v.c.st.kind(g.typ.Kind).objs
			for name := range g.names.All() {
				o, ok := objs.Get(objKey{g.ns, name})
				if !ok {
					panic("cluster: dependents index names a missing " + string(g.typ.Kind) + " " + g.ns + "/" + name)
				}
				if !yield(o) {
					return
				}
			}
		}
	}
}
