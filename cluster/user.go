package cluster

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// UserActor is the actor of changes made through the Cluster's methods.
const UserActor = "user"

// DeepCopy returns a copy of obj that shares nothing with it.
func DeepCopy(obj Object) Object {
	if c, ok := deepCopyFast(obj); ok {
		return c
	}
	b, err := json.Marshal(obj)
	if err != nil {
		panic(fmt.Sprintf("cluster: internal error: DeepCopy %T: %v", obj, err))
	}
	c := reflect.New(reflect.TypeOf(obj).Elem()).Interface().(Object)
	if err := json.Unmarshal(b, c); err != nil {
		panic(fmt.Sprintf("cluster: internal error: DeepCopy %T: %v", obj, err))
	}
	return c
}

// knownKind returns an error naming the kinds the cluster knows when k
// is not one of them (kinds are case-sensitive: Node, not node).
func (c *Cluster) knownKind(verb string, k Kind) error {
	if _, ok := c.view.TypeOf(k); ok {
		return nil
	}
	known := []string{string(KindEndpoints), string(KindNamespace), string(KindNode), string(KindPod), string(KindService)}
	for _, ks := range c.st.kinds {
		known = append(known, string(ks.typ.Kind))
	}
	slices.Sort(known)
	return fmt.Errorf("cluster: %s: unknown kind %q (kinds are case-sensitive: %s)", verb, k, strings.Join(slices.Compact(known), ", "))
}

// checkUserObject refuses what the write methods cannot take: a nil
// object, and an object that is the stored one itself (from List or
// View), which must not be changed in place.
func (c *Cluster) checkUserObject(verb string, obj Object) error {
	if obj == nil {
		return fmt.Errorf("cluster: %s: nil object", verb)
	}
	if v := reflect.ValueOf(obj); v.Kind() == reflect.Pointer && v.IsNil() {
		return fmt.Errorf("cluster: %s: nil %T", verb, obj)
	}
	r := RefOf(obj)
	if r.Namespace == "" && obj.Type().Namespaced {
		r.Namespace = "default"
	}
	if stored, ok := c.st.get(r); ok && stored == obj {
		return fmt.Errorf("cluster: %s: %s is the object the cluster stores (from List or View), which must not be changed: change a copy (cluster.DeepCopy, or Get) and pass that", verb, r)
	}
	return nil
}

// Create creates a copy of obj as the user would with kubectl create, and
// returns the stored object.
func (c *Cluster) Create(obj Object) (Object, error) {
	if err := c.checkUserObject("create", obj); err != nil {
		return nil, err
	}
	var out Object
	err := c.atomically(func() error {
		var err error
		c.attempt(obj)
		out, err = c.create(UserActor, DeepCopy(obj), "", false)
		return err
	})
	return out, err
}

// Update replaces the metadata and spec of an existing object with
// those of a copy of obj, as kubectl replace does; its status is kept.
// A non-empty resourceVersion in obj must match the stored one.
func (c *Cluster) Update(obj Object) (Object, error) {
	if err := c.checkUserObject("update", obj); err != nil {
		return nil, err
	}
	var out Object
	err := c.atomically(func() error {
		var err error
		c.attempt(obj)
		out, err = c.userUpdate(DeepCopy(obj), false)
		return err
	})
	return out, err
}

// UpdateStatus replaces the status of an existing object with that of a
// copy of obj.
func (c *Cluster) UpdateStatus(obj Object) (Object, error) {
	if err := c.checkUserObject("update status", obj); err != nil {
		return nil, err
	}
	var out Object
	err := c.atomically(func() error {
		var err error
		c.attempt(obj)
		out, err = c.userUpdate(DeepCopy(obj), true)
		return err
	})
	return out, err
}

func (c *Cluster) userUpdate(obj Object, status bool) (Object, error) {
	t := obj.Type()
	m := obj.Meta()
	if t.Namespaced && m.Namespace == "" {
		m.Namespace = "default"
	}
	old, ok := c.st.get(RefOf(obj))
	if !ok {
		return nil, NewNotFound(t, m.Name)
	}
	if sc, ok := obj.(StatusCarrier); ok {
		if status {
			obj = old.(StatusCarrier).WithStatusOf(obj)
			obj.Meta().ResourceVersion = m.ResourceVersion
		} else if _, isNode := obj.(*Node); !isNode || !hasNodeStatus(obj.(*Node)) {
			obj = sc.WithStatusOf(old)
		}
	}
	return c.update(UserActor, obj, "", status)
}

func hasNodeStatus(n *Node) bool {
	return len(n.Status.Conditions) > 0 || len(n.Status.Allocatable) > 0 || len(n.Status.Capacity) > 0 || len(n.Status.Addresses) > 0
}

// Apply creates each object, or updates it when one of the same kind,
// namespace and name exists, as kubectl apply would (the whole manifest
// replaces the stored metadata and spec; a Node's status is taken from the
// manifest, as its kubelet would report it, when the manifest has one).
// A Node applied without a Ready condition is stored Ready.
//
// Apply is atomic: when any object is rejected nothing is changed and the
// error names the object.
func (c *Cluster) Apply(objs ...Object) error {
	for _, o := range objs {
		if err := c.checkUserObject("apply", o); err != nil {
			return err
		}
	}
	return c.atomically(func() error {
		for _, o := range objs {
			c.attempt(o)
			obj := DeepCopy(o)
			if n, ok := obj.(*Node); ok && n.Condition(NodeReady) == nil {
				n.Status.Conditions = append(n.Status.Conditions, NodeCondition{Type: NodeReady, Status: ConditionTrue,
					LastHeartbeatTime: c.Now(), LastTransitionTime: c.Now(), Reason: "KubeletReady", Message: "kubelet is posting ready status"})
			}
			m := obj.Meta()
			if obj.Type().Namespaced && m.Namespace == "" {
				m.Namespace = "default"
			}
			var err error
			if _, exists := c.st.get(RefOf(obj)); exists && m.Name != "" {
				m.ResourceVersion = ""
				_, err = c.userUpdate(obj, false)
			} else {
				_, err = c.create(UserActor, obj, "", false)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// atomically runs f twice: first on a scratch copy of the store with
// logging and watching off, and, only if that succeeds, for real. So a
// failing multi-object operation changes nothing.
//
// A rejected request is logged as a fail record of the user on the object
// c.failRef names (set by f as it goes).
func (c *Cluster) atomically(f func() error) error {
	st, rv, uids := c.st, c.rv, c.uids
	c.failRef = Ref{}
	counters := make(map[string]uint64, len(c.nameCounters))
	for k, v := range c.nameCounters {
		counters[k] = v
	}
	c.st = st.clone()
	c.dry = true
	err := f()
	c.st, c.rv, c.uids, c.nameCounters = st, rv, uids, counters
	c.dry = false
	if err != nil {
		c.record(Record{Actor: UserActor, Verb: VerbFail, Object: c.failRef, Message: err.Error()})
		return err
	}
	return f()
}

// userFailed logs a rejected user request on r and returns err.
func (c *Cluster) userFailed(r Ref, err error) error {
	if err != nil {
		c.record(Record{Actor: UserActor, Verb: VerbFail, Object: r, Message: err.Error()})
	}
	return err
}

// attempt records that the user request being checked concerns obj.
func (c *Cluster) attempt(obj Object) {
	c.failRef = RefOf(obj)
	if c.failRef.Name == "" {
		c.failRef.Name = obj.Meta().GenerateName
	}
	if obj.Type().Namespaced && c.failRef.Namespace == "" {
		c.failRef.Namespace = "default"
	}
}

// DeleteOptions are the options of a user deletion.
type DeleteOptions struct {
	// Propagation says what happens to dependents; "" is the kind's
	// default (Background, as kubectl's --cascade=background).
	Propagation Propagation
	// GracePeriod overrides a pod's terminationGracePeriodSeconds.
	GracePeriod *int64
}

// Delete deletes the object named r as kubectl delete would.
func (c *Cluster) Delete(r Ref, opts DeleteOptions) error {
	if err := c.knownKind("delete", r.Kind); err != nil {
		return err
	}
	if r.Namespace == "" && c.typeOf(r.Kind).Namespaced {
		r.Namespace = "default"
	}
	_, err := c.delete(UserActor, Delete{Object: r, Propagation: opts.Propagation, GracePeriod: opts.GracePeriod})
	return c.userFailed(r, err)
}

// Label changes labels of the object named r with kubectl label syntax:
// "key=value" sets a label (overwriting), "key-" removes one.
func (c *Cluster) Label(r Ref, changes ...string) error {
	if err := c.knownKind("label", r.Kind); err != nil {
		return err
	}
	if r.Namespace == "" && c.typeOf(r.Kind).Namespaced {
		r.Namespace = "default"
	}
	return c.userFailed(r, c.label(r, changes))
}

func (c *Cluster) label(r Ref, changes []string) error {
	if len(changes) == 0 {
		return fmt.Errorf("cluster: label: at least one label update is required")
	}
	if r.Namespace == "" && c.typeOf(r.Kind).Namespaced {
		r.Namespace = "default"
	}
	o, ok := c.st.get(r)
	if !ok {
		return NewNotFound(c.typeOf(r.Kind), r.Name)
	}
	labels := make(map[string]string, len(o.Meta().Labels)+len(changes))
	for k, v := range o.Meta().Labels {
		labels[k] = v
	}
	for _, ch := range changes {
		if k, ok := strings.CutSuffix(ch, "-"); ok && !strings.Contains(ch, "=") {
			if errs := selector.IsQualifiedName(k); len(errs) > 0 {
				return fmt.Errorf("cluster: label: invalid label key %q: %s", k, strings.Join(errs, "; "))
			}
			delete(labels, k)
			continue
		}
		k, v, ok := strings.Cut(ch, "=")
		if !ok {
			return fmt.Errorf("cluster: label: invalid label spec %q: want key=value or key-", ch)
		}
		labels[k] = v
	}
	if errs := selector.ValidateLabels(labels, field.NewPath("metadata", "labels")); len(errs) > 0 {
		return NewInvalid(o.Type(), r.Name, errs)
	}
	n := o.Clone()
	n.Meta().Labels = labels
	_, err := c.update(UserActor, n, "", false)
	return err
}

// Taint changes the taints of a node with kubectl taint syntax:
// "key=value:Effect" or "key:Effect" adds (or overwrites) a taint,
// "key:Effect-" removes it, "key-" removes every taint with the key.
// NoExecute taints get timeAdded, as kubectl sets it.
func (c *Cluster) Taint(node string, changes ...string) error {
	return c.userFailed(Ref{Kind: KindNode, Name: node}, c.taint(node, changes))
}

func (c *Cluster) taint(node string, changes []string) error {
	if len(changes) == 0 {
		return fmt.Errorf("cluster: taint: at least one taint update is required")
	}
	o, ok := c.st.get(Ref{Kind: KindNode, Name: node})
	if !ok {
		return NewNotFound(NodeType, node)
	}
	n := o.Clone().(*Node)
	ts := slices.Clone(n.Spec.Taints)
	for _, ch := range changes {
		t, remove, err := taints.ParseTaintChange(ch)
		if err != nil {
			return fmt.Errorf("cluster: taint: %w", err)
		}
		if remove {
			before := len(ts)
			ts = slices.DeleteFunc(ts, func(x taints.Taint) bool {
				return x.Key == t.Key && (t.Effect == "" || x.Effect == t.Effect)
			})
			if len(ts) == before {
				return fmt.Errorf("taint %q not found", ch[:len(ch)-1]) // kubectl's words
			}
			continue
		}
		if t.Effect == taints.NoExecute {
			now := c.Now()
			t.TimeAdded = &now
		}
		i := slices.IndexFunc(ts, func(x taints.Taint) bool { return x.Key == t.Key && x.Effect == t.Effect })
		if i >= 0 {
			ts[i] = t
		} else {
			ts = append(ts, t)
		}
	}
	n.Spec.Taints = ts
	_, err := c.update(UserActor, n, "", false)
	return err
}

// Cordon marks a node unschedulable, as kubectl cordon does. Cordoning a
// cordoned node changes nothing.
func (c *Cluster) Cordon(node string) error { return c.setUnschedulable(node, true) }

// Uncordon marks a node schedulable again.
func (c *Cluster) Uncordon(node string) error { return c.setUnschedulable(node, false) }

func (c *Cluster) setUnschedulable(node string, v bool) error {
	o, ok := c.st.get(Ref{Kind: KindNode, Name: node})
	if !ok {
		return c.userFailed(Ref{Kind: KindNode, Name: node}, NewNotFound(NodeType, node))
	}
	if o.(*Node).Spec.Unschedulable == v {
		return nil
	}
	n := o.Clone().(*Node)
	n.Spec.Unschedulable = v
	_, err := c.update(UserActor, n, "", false)
	return c.userFailed(RefOf(n), err)
}

// fingerprint records the content hash of a stored object (debug mode).
func (c *Cluster) fingerprint(old, obj Object) {
	if c.fingerprints == nil {
		c.fingerprints = map[Object]uint64{}
	}
	if old != nil {
		delete(c.fingerprints, old)
	}
	if obj != nil {
		c.fingerprints[obj] = contentHash(obj)
	}
}

func contentHash(obj Object) uint64 {
	b, _ := json.Marshal(obj)
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// checkImmutable panics when a stored object changed in place: a
// programmer error in the named controller (or in code that ran before
// it).
func (c *Cluster) checkImmutable(actor string) {
	var bad []string
	for obj, h := range c.fingerprints {
		if contentHash(obj) != h {
			bad = append(bad, RefOf(obj).String())
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		panic(fmt.Sprintf("cluster: stored objects modified in place (detected after %s reconciled): %s", actor, strings.Join(bad, ", ")))
	}
}

// Load stores copies of objects as they are, as if the API server had
// stored them long ago: their uid, creationTimestamp, deletionTimestamp,
// ownerReferences and status are kept; they are defaulted (as every stored
// object was), but no admission or validation runs. It is for snapshots of real clusters (a kubectl dump)
// and for test fixtures; use Apply for everything else. A missing uid is
// generated, the resourceVersion is always the cluster's, and missing
// namespaces of namespaced objects are created. Load fails, changing
// nothing, if an object is already stored or has no name.
func (c *Cluster) Load(objs ...Object) error { return c.load(objs, true) }

// LoadError is the error of [Cluster.Load] and [Cluster.LoadOwned]: the
// object at Index of their arguments was refused, for the reason Err (an
// API error: AlreadyExists, Invalid). Its text is Err's.
type LoadError struct {
	Index int
	Err   error
}

func (e *LoadError) Error() string { return e.Err.Error() }

// Unwrap returns Err, so that [IsAlreadyExists] and the like see it.
func (e *LoadError) Unwrap() error { return e.Err }

// LoadOwned is [Cluster.Load] without the copies: the cluster stores objs
// themselves, which the caller must not use afterwards, not even to read
// (the cluster fills in their metadata and may share them with forks). It
// is for loaders that build objects only to load them, such as
// scenario.LoadState with a dump of 10⁵ objects.
func (c *Cluster) LoadOwned(objs ...Object) error { return c.load(objs, false) }

func (c *Cluster) load(objs []Object, copyObjs bool) error {
	// Check everything first, so that a failing Load changes nothing.
	seen := make(map[Ref]bool, len(objs))
	for i, obj := range objs {
		m := obj.Meta()
		t := obj.Type()
		r := RefOf(obj)
		if t.Namespaced && r.Namespace == "" {
			r.Namespace = "default"
		} else if !t.Namespaced {
			r.Namespace = ""
		}
		if m.Name == "" {
			r.Name = m.GenerateName
			return &LoadError{Index: i, Err: c.userFailed(r, NewInvalid(t, "", field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")}))}
		}
		if _, exists := c.st.get(r); exists || seen[r] {
			return &LoadError{Index: i, Err: c.userFailed(r, NewAlreadyExists(t, m.Name))}
		}
		seen[r] = true
	}
	for _, obj := range objs {
		if copyObjs {
			obj = DeepCopy(obj)
		}
		m := obj.Meta()
		t := obj.Type()
		if t.Namespaced {
			if m.Namespace == "" {
				m.Namespace = "default"
			}
			if _, ok := c.st.get(Ref{Kind: KindNamespace, Name: m.Namespace}); !ok {
				ns := &Namespace{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Namespace"}}
				ns.Name = m.Namespace
				ns.Status.Phase = "Active"
				c.stamp(ns, nil)
				c.commit(UserActor, VerbLoad, nil, ns, "")
			}
		} else {
			m.Namespace = ""
		}
		// The API server defaulted every object it stored.
		if d, ok := obj.(Defaulter); ok {
			d.Default(c.cfg.Profile)
		}
		uid, created, del := m.UID, m.CreationTimestamp, m.DeletionTimestamp
		c.stamp(obj, nil)
		if uid != "" {
			m.UID = uid
		}
		if !created.IsZero() {
			m.CreationTimestamp = created
		}
		m.DeletionTimestamp = del
		if tm := typeMetaOf(obj); tm != nil {
			tm.Kind, tm.APIVersion = string(t.Kind), t.APIVersion()
		}
		c.commit(UserActor, VerbLoad, nil, obj, "")
	}
	return nil
}
