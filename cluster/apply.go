package cluster

import (
	"fmt"
	"strconv"
	"time"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/taints"
)

// Hooks a kind's type may implement so that the simulated API server
// treats it as the real one treats that kind (its "registry strategy").

// Defaulter is implemented by kinds the API server defaults. Default is
// called on the object being written, before validation, on create and on
// update. It must not modify anything the object shares with others: it
// replaces slices and maps rather than writing into them.
type Defaulter interface {
	Default(p Profile)
}

// Validator is implemented by kinds the API server validates. old is nil
// on create. The errors' paths are relative to the object
// ("spec.selector").
type Validator interface {
	Validate(old Object, p Profile) field.ErrorList
}

// Preparer is implemented by kinds whose strategy sets fields on write
// (PrepareForCreate and PrepareForUpdate upstream); old is nil on create.
// It runs after defaulting and before validation.
type Preparer interface {
	Prepare(old Object, p Profile)
}

// Generational is implemented by kinds whose metadata.generation counts
// spec changes. SpecEqual reports whether the spec equals old's.
type Generational interface {
	SpecEqual(old Object) bool
}

// StatusCarrier is implemented by kinds with a status subresource.
// WithStatusOf returns a copy of the receiver whose status is src's.
type StatusCarrier interface {
	WithStatusOf(src Object) Object
}

// ChangeDescriber is implemented by kinds that describe an update for the
// log ("labels +disk=ssd", "generation=2").
type ChangeDescriber interface {
	DescribeChange(old Object) string
}

// VersionChecker is implemented by kinds whose apiVersions depend on the
// profile. Served returns the error a client gets for a version the
// profile does not serve; such a request changes nothing.
type VersionChecker interface {
	Served(p Profile) error
}

// ErrorTyper is implemented by kinds whose API errors name a group that
// depends on the manifest's apiVersion (an extensions/v1beta1 DaemonSet is
// "DaemonSet.extensions" in the legacy profile's errors).
type ErrorTyper interface {
	TypeForErrors() *Type
}

// errorType returns the Type an API error about obj names.
func errorType(obj Object) *Type {
	if et, ok := obj.(ErrorTyper); ok {
		if t := et.TypeForErrors(); t != nil {
			return t
		}
	}
	return obj.Type()
}

// GCPolicy is implemented by kinds whose default deletion propagation is
// not Background (extensions/v1beta1 DaemonSets orphan by default).
type GCPolicy interface {
	DefaultPropagation() Propagation
}

// applyAll applies actions as upstream's controllers issue requests, in
// order. A failing action with Batch 0 stops everything after it. A
// failing action of a numbered batch lets the rest of its batch run, then
// skips the later actions except those marked Always (and Emit and Note).
// It returns the first error.
func (c *Cluster) applyAll(actor string, actions []Action) error {
	var first error
	hard := false
	failedBatch := 0
	for _, a := range actions {
		batch, always := batchOf(a)
		if hard || (failedBatch != 0 && batch != failedBatch && !always) {
			continue
		}
		if err := c.applyAction(actor, a); err != nil {
			if first == nil {
				first = err
			}
			if batch == 0 {
				hard = true
			} else if failedBatch == 0 {
				failedBatch = batch
			}
		}
	}
	return first
}

func batchOf(a Action) (int, bool) {
	switch a := a.(type) {
	case Create:
		return a.Batch, a.Always
	case Update:
		return a.Batch, a.Always
	case UpdateStatus:
		return a.Batch, a.Always
	case Delete:
		return a.Batch, a.Always
	case Bind:
		return a.Batch, a.Always
	case Deferred:
		return a.Batch, a.Always
	}
	return 0, true // Emit and Note never fail
}

// Act applies actions as actor would, outside any controller: the way a
// scenario step reports pod status "as the kubelet". It returns the first
// error.
func (c *Cluster) Act(actor string, actions ...Action) error {
	return c.applyAll(actor, actions)
}

// applyAction applies one action and logs it (or its failure).
func (c *Cluster) applyAction(actor string, a Action) error {
	// An injected fault fails the action as the API server would have, so
	// the events about its outcome follow as they would.
	var injected error
	if c.cfg.Intercept != nil {
		injected = c.cfg.Intercept(actor, a)
	}
	var err error
	switch a := a.(type) {
	case Create:
		var obj Object
		if err = injected; err == nil {
			obj, err = c.create(actor, a.Object, a.Detail, a.Prevalidated)
		}
		if a.EventsOn != nil && c.Logging() {
			if err == nil {
				c.emit(actor, Event{Object: *a.EventsOn, Type: EventNormal, Reason: "SuccessfulCreate",
					Message: "Created " + lowerKind(obj) + ": " + obj.Meta().Name})
			} else {
				c.emit(actor, Event{Object: *a.EventsOn, Type: EventWarning, Reason: "FailedCreate",
					Message: "Error creating: " + err.Error()})
			}
		}
	case Update:
		if err = injected; err == nil {
			_, err = c.update(actor, a.Object, a.Detail, false)
		}
	case UpdateStatus:
		for try := 0; ; try++ {
			if err = injected; err == nil {
				_, err = c.update(actor, a.Object, a.Detail, true)
			}
			if err == nil || try >= a.Retries {
				break
			}
			c.failed(actor, a, err)
			if c.cfg.Intercept != nil {
				injected = c.cfg.Intercept(actor, a)
			}
		}
	case Deferred:
		return c.applyAll(actor, a.Fn(c.view))
	case Delete:
		var old Object
		if err = injected; err == nil {
			old, err = c.delete(actor, a)
		}
		if IsNotFound(err) && a.IgnoreNotFound {
			err = nil
			break
		}
		if a.EventsOn != nil && c.Logging() {
			if err == nil {
				c.emit(actor, Event{Object: *a.EventsOn, Type: EventNormal, Reason: "SuccessfulDelete",
					Message: "Deleted " + lowerKind(old) + ": " + old.Meta().Name})
			} else if !IsNotFound(err) {
				c.emit(actor, Event{Object: *a.EventsOn, Type: EventWarning, Reason: "FailedDelete",
					Message: "Error deleting: " + err.Error()})
			}
		}
	case Bind:
		if err = injected; err == nil {
			err = c.bind(actor, a)
		}
	case Emit:
		c.emit(actor, a.Event)
	case Note:
		c.record(Record{Actor: actor, Verb: VerbNote, Object: a.Object, Message: a.Message})
	default:
		panic(fmt.Sprintf("cluster: internal error: unknown action %T", a))
	}
	if err != nil {
		c.failed(actor, a, err)
	}
	return err
}

func lowerKind(obj Object) string {
	if obj == nil {
		return "object"
	}
	k := string(obj.Type().Kind)
	if k == "" {
		return "object"
	}
	b := []byte(k)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// failed logs a failed action.
func (c *Cluster) failed(actor string, a Action, err error) {
	var ref Ref
	var verb Verb
	switch a := a.(type) {
	case Create:
		verb = VerbCreate
		if a.Object != nil {
			ref = RefOf(a.Object)
			if ref.Name == "" {
				ref.Name = a.Object.Meta().GenerateName
			}
			if a.Object.Type().Namespaced && ref.Namespace == "" {
				ref.Namespace = "default"
			}
		}
	case Update:
		verb, ref = VerbUpdate, RefOf(a.Object)
	case UpdateStatus:
		verb, ref = VerbUpdateStatus, RefOf(a.Object)
	case Delete:
		verb, ref = VerbDelete, a.Object
	case Bind:
		verb, ref = VerbBind, a.Pod
	}
	c.record(Record{Actor: actor, Verb: VerbFail, Object: ref, Detail: string(verb), Message: err.Error()})
}

func (c *Cluster) emit(actor string, e Event) {
	c.record(Record{Actor: actor, Verb: VerbEvent, Object: e.Object, Type: e.Type, Reason: e.Reason, Message: e.Message})
}

// create stores a new object, as the API server's create does: namespace
// checks, name generation, defaulting, admission, validation.
func (c *Cluster) create(actor string, obj Object, detail string, prevalidated bool) (Object, error) {
	t := errorType(obj)
	m := obj.Meta()
	if vc, ok := obj.(VersionChecker); ok {
		if err := vc.Served(c.cfg.Profile); err != nil {
			return nil, err
		}
	}
	if t.Namespaced {
		if m.Namespace == "" {
			m.Namespace = "default"
		}
		if err := c.checkNamespace(t, m); err != nil {
			return nil, err
		}
	} else {
		m.Namespace = ""
	}
	generated := ""
	if m.Name == "" {
		if m.GenerateName == "" {
			return nil, NewInvalid(t, "", field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")})
		}
		m.Name = c.generateName(t, m.Namespace, m.GenerateName)
		generated = m.Name
	}
	if d, ok := obj.(Defaulter); ok {
		d.Default(c.cfg.Profile)
	}
	if p, ok := obj.(*Pod); ok {
		c.admitPod(p)
	}
	if s, ok := obj.(*Service); ok {
		if errs := AllocateClusterIP(c.view, s); len(errs) > 0 {
			return nil, NewInvalid(t, m.Name, errs)
		}
	}
	if p, ok := obj.(Preparer); ok {
		p.Prepare(nil, c.cfg.Profile)
	}
	if v, ok := obj.(Validator); ok && !prevalidated {
		if errs := v.Validate(nil, c.cfg.Profile); len(errs) > 0 {
			return nil, NewInvalid(t, m.Name, errs)
		}
	}
	// generateName has just found its name free; nothing since has
	// written the store.
	if m.Name != generated {
		if _, exists := c.st.get(RefOf(obj)); exists {
			return nil, NewAlreadyExists(t, m.Name)
		}
	}
	c.stamp(obj, nil)
	c.commit(actor, VerbCreate, nil, obj, detail)
	return obj, nil
}

func (c *Cluster) checkNamespace(t *Type, m *ObjectMeta) error {
	o, ok := c.st.get(Ref{Kind: KindNamespace, Name: m.Namespace})
	if !ok {
		return NewNotFound(NamespaceType, m.Namespace)
	}
	if o.Meta().Terminating() {
		name := m.Name
		if name == "" {
			name = m.GenerateName
		}
		return NewForbidden(t, name, fmt.Sprintf("unable to create new content in namespace %s because it is being terminated", m.Namespace))
	}
	return nil
}

// generateName returns an unused name for prefix: generateName plus five
// characters derived from the seed, the prefix and how many names the
// prefix has had, the next ones while that is taken. It is chosen before
// anything that depends on the name (a Service's cluster IP is derived
// from it). Upstream's apiserver, with RetryGenerateName, tries up to
// eight names; these never run out before one is free.
func (c *Cluster) generateName(t *Type, ns, prefix string) string {
	for {
		n := c.nameCounters[prefix]
		c.nameCounters[prefix] = n + 1
		var buf [maxGeneratedNameLength + 5]byte
		name := c.strs.string(appendGeneratedName(buf[:0], c.cfg.Seed, prefix, n))
		if _, taken := c.st.get(Ref{Kind: t.Kind, Namespace: ns, Name: name}); !taken {
			return name
		}
	}
}

// admitPod applies the DefaultTolerationSeconds admission plugin: a pod
// without a NoExecute toleration for the not-ready (unreachable) taint gets
// one with the default tolerationSeconds.
func (c *Cluster) admitPod(p *Pod) {
	notReady, unreachable := taints.NodeNotReady, taints.NodeUnreachable
	if c.cfg.Profile == Legacy {
		notReady, unreachable = taints.LegacyNodeNotReady, taints.LegacyNodeUnreachable
	}
	hasNotReady, hasUnreachable := false, false
	for _, t := range p.Spec.Tolerations {
		if t.Effect != taints.NoExecute && t.Effect != "" {
			continue
		}
		if t.Key == notReady || t.Key == "" {
			hasNotReady = true
		}
		if t.Key == unreachable || t.Key == "" {
			hasUnreachable = true
		}
	}
	if hasNotReady && hasUnreachable {
		return
	}
	tols := make([]taints.Toleration, len(p.Spec.Tolerations), len(p.Spec.Tolerations)+2)
	copy(tols, p.Spec.Tolerations)
	if !hasNotReady {
		s := c.cfg.DefaultNotReadyTolerationSeconds
		tols = append(tols, taints.Toleration{Key: notReady, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: &s})
	}
	if !hasUnreachable {
		s := c.cfg.DefaultUnreachableTolerationSeconds
		tols = append(tols, taints.Toleration{Key: unreachable, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: &s})
	}
	p.Spec.Tolerations = tols
}

// stamp sets the fields the API server owns: on create (old nil) the UID,
// creation time and generation; on update those of old; and a new
// resourceVersion.
func (c *Cluster) stamp(obj, old Object) {
	m := obj.Meta()
	if old == nil {
		c.uids++
		uid := uidBytes(c.cfg.Seed, c.uids)
		m.UID = c.strs.string(uid[:])
		m.CreationTimestamp = c.Now()
		m.DeletionTimestamp = nil
		m.DeletionGracePeriodSeconds = nil
		m.ResourceVersion = ""
		if _, ok := obj.(Generational); ok {
			m.Generation = 1
		} else {
			m.Generation = 0
		}
		if tm := typeMetaOf(obj); tm != nil && tm.Kind == "" {
			tm.Kind = string(obj.Type().Kind)
			tm.APIVersion = obj.Type().APIVersion()
		}
	} else {
		om := old.Meta()
		m.UID = om.UID
		m.CreationTimestamp = om.CreationTimestamp
		m.DeletionTimestamp = om.DeletionTimestamp
		m.DeletionGracePeriodSeconds = om.DeletionGracePeriodSeconds
		m.Generation = om.Generation
		if g, ok := obj.(Generational); ok && !g.SpecEqual(old) {
			m.Generation = om.Generation + 1
		}
	}
	c.rv++
	m.ResourceVersion = strconv.FormatUint(c.rv, 10)
}

// stampUpdate stamps an update; a status update cannot change the spec,
// so it never bumps the generation (and skips comparing specs).
func (c *Cluster) stampUpdate(obj, old Object, status bool) {
	if !status {
		c.stamp(obj, old)
		return
	}
	m, om := obj.Meta(), old.Meta()
	m.UID, m.CreationTimestamp = om.UID, om.CreationTimestamp
	m.DeletionTimestamp, m.DeletionGracePeriodSeconds = om.DeletionTimestamp, om.DeletionGracePeriodSeconds
	m.Generation = om.Generation
	c.rv++
	m.ResourceVersion = strconv.FormatUint(c.rv, 10)
}

// typeMetaOf returns a pointer to obj's TypeMeta, for the kinds of this
// package and any kind that has a TypeMetaPtr method.
func typeMetaOf(obj Object) *TypeMeta {
	switch o := obj.(type) {
	case *Pod:
		return &o.TypeMeta
	case *Node:
		return &o.TypeMeta
	case *Namespace:
		return &o.TypeMeta
	case interface{ TypeMetaPtr() *TypeMeta }:
		return o.TypeMetaPtr()
	}
	return nil
}

// update stores a new version of an existing object. For status updates
// only the status may change; for other updates the stored status is
// kept when the kind has a status subresource and the writer is the user.
func (c *Cluster) update(actor string, obj Object, detail string, status bool) (Object, error) {
	t := errorType(obj)
	m := obj.Meta()
	if vc, ok := obj.(VersionChecker); ok && !status {
		if err := vc.Served(c.cfg.Profile); err != nil {
			return nil, err
		}
	}
	if t.Namespaced && m.Namespace == "" {
		m.Namespace = "default"
	}
	old, ok := c.st.get(RefOf(obj))
	if !ok {
		return nil, NewNotFound(t, m.Name)
	}
	om := old.Meta()
	if m.ResourceVersion != "" && m.ResourceVersion != om.ResourceVersion {
		return nil, NewConflict(t, m.Name, "the object has been modified; please apply your changes to the latest version and try again")
	}
	if m.UID != "" && m.UID != om.UID {
		return nil, NewConflict(t, m.Name, fmt.Sprintf("Precondition failed: UID in precondition: %s, UID in object meta: %s", m.UID, om.UID))
	}
	verb := VerbUpdate
	if status {
		verb = VerbUpdateStatus
	} else {
		if d, ok := obj.(Defaulter); ok {
			d.Default(c.cfg.Profile)
		}
		if p, ok := obj.(*Pod); ok {
			c.admitPod(p) // admission runs on updates too; it only adds what is missing
		}
		if p, ok := obj.(Preparer); ok {
			p.Prepare(old, c.cfg.Profile)
		}
		if v, ok := obj.(Validator); ok {
			if errs := v.Validate(old, c.cfg.Profile); len(errs) > 0 {
				return nil, NewInvalid(t, m.Name, errs)
			}
		}
	}
	c.stampUpdate(obj, old, status)
	if !status && m.DeletionTimestamp != nil && len(m.Finalizers) == 0 &&
		(m.DeletionGracePeriodSeconds == nil || *m.DeletionGracePeriodSeconds == 0) {
		// The last finalizer went: the object goes.
		c.commit(actor, VerbDelete, old, nil, joinDetail(detail, "finalizers=[]"))
		return nil, nil
	}
	if detail == "" && c.Logging() {
		if d, ok := obj.(ChangeDescriber); ok {
			detail = d.DescribeChange(old)
		}
	}
	c.commit(actor, verb, old, obj, detail)
	return obj, nil
}

// delete deletes an object as the API server does.
func (c *Cluster) delete(actor string, d Delete) (Object, error) {
	r := d.Object
	old, ok := c.st.get(r)
	if !ok {
		t := c.typeOf(r.Kind)
		return nil, NewNotFound(t, r.Name)
	}
	t := old.Type()
	om := old.Meta()
	if d.UID != "" && d.UID != om.UID {
		return nil, NewConflict(t, r.Name, fmt.Sprintf("Precondition failed: UID in precondition: %s, UID in object meta: %s", d.UID, om.UID))
	}
	if r.Kind == KindNamespace {
		return nil, NewForbidden(t, r.Name, "deleting namespaces is not simulated by daemonsim")
	}
	grace := int64(0)
	if p, ok := old.(*Pod); ok {
		grace = 30
		if p.Spec.TerminationGracePeriodSeconds != nil {
			grace = *p.Spec.TerminationGracePeriodSeconds
		}
		if d.GracePeriod != nil {
			grace = *d.GracePeriod
		}
		if p.Spec.NodeName == "" || p.IsTerminal() {
			grace = 0
		}
		if grace < 0 {
			grace = 0
		}
	}
	prop := d.Propagation
	if prop == "" {
		prop = DeletePropagationBackground
		if g, ok := old.(GCPolicy); ok {
			prop = g.DefaultPropagation()
		}
	}
	finalizers := om.Finalizers
	addFinalizer := func(f string) {
		if !om.HasFinalizer(f) {
			finalizers = append(finalizers[:len(finalizers):len(finalizers)], f)
		}
	}
	switch prop {
	case DeletePropagationOrphan:
		addFinalizer(FinalizerOrphan)
	case DeletePropagationForeground:
		addFinalizer(FinalizerForeground)
	case DeletePropagationBackground:
	default:
		return nil, NewBadRequest(fmt.Sprintf("unsupported propagation policy %q: use Background, Foreground or Orphan", prop))
	}
	verb := VerbDelete
	if d.Evict {
		verb = VerbEvict
	}
	if om.Terminating() {
		// A second delete can only shorten a pod's grace period.
		if om.DeletionGracePeriodSeconds != nil && grace >= *om.DeletionGracePeriodSeconds && len(finalizers) == len(om.Finalizers) {
			return old, nil
		}
	}
	if grace == 0 && len(finalizers) == 0 {
		c.commit(actor, verb, old, nil, d.Detail)
		return old, nil
	}
	obj := old.Clone()
	m := obj.Meta()
	at := c.Now().Add(time.Duration(grace) * time.Second)
	if om.DeletionTimestamp != nil && om.DeletionTimestamp.Before(at) {
		at = *om.DeletionTimestamp
	}
	m.DeletionTimestamp = &at
	m.DeletionGracePeriodSeconds = &grace
	m.Finalizers = finalizers
	c.rv++
	m.ResourceVersion = strconv.FormatUint(c.rv, 10)
	detail := d.Detail
	if c.Logging() {
		if grace > 0 {
			detail = joinDetail(detail, "grace="+(time.Duration(grace)*time.Second).String())
		}
		if len(finalizers) > 0 {
			detail = joinDetail(detail, fmt.Sprintf("finalizers=%v", finalizers))
		}
	}
	c.commit(actor, verb, old, obj, detail)
	return obj, nil
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// typeOf returns the stored Type of kind k, or a best guess for messages.
func (c *Cluster) typeOf(k Kind) *Type {
	if ks := c.st.kind(k); ks != nil {
		return ks.typ
	}
	switch k {
	case KindPod:
		return PodType
	case KindNode:
		return NodeType
	case KindNamespace:
		return NamespaceType
	case KindService:
		return ServiceType
	case KindEndpoints:
		return EndpointsType
	}
	return &Type{Kind: k, Resource: lowerPlural(string(k))}
}

func lowerPlural(k string) string {
	b := []byte(k)
	for i := range b {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b) + "s"
}

// bind binds a pod to a node.
func (c *Cluster) bind(actor string, b Bind) error {
	o, ok := c.st.get(b.Pod)
	if !ok {
		return NewNotFound(PodType, b.Pod.Name)
	}
	p := o.(*Pod)
	if b.UID != "" && b.UID != p.UID {
		return NewConflict(PodType, b.Pod.Name, fmt.Sprintf("Precondition failed: UID in precondition: %s, UID in object meta: %s", b.UID, p.UID))
	}
	if p.Terminating() {
		return NewConflict(&Type{Version: "v1", Kind: "Binding", Resource: "pods/binding"}, p.Name, fmt.Sprintf("pod %s is being deleted, cannot be assigned to a host", p.Name))
	}
	if p.Spec.NodeName != "" {
		return NewConflict(&Type{Version: "v1", Kind: "Binding", Resource: "pods/binding"}, p.Name, fmt.Sprintf("pod %s is already assigned to node %q", p.Name, p.Spec.NodeName))
	}
	np := *p
	np.Spec.NodeName = b.Node
	np.Status.Conditions = setPodCondition(p.Status.Conditions, PodCondition{Type: PodScheduled, Status: ConditionTrue, LastTransitionTime: c.Now()})
	c.stamp(&np, p)
	c.commit(actor, VerbBind, p, &np, "node="+b.Node)
	return nil
}

// setPodCondition returns conds with cond set: replaced in place (in a
// copy) when a condition of its type exists, appended otherwise. The
// transition time is kept when the status does not change.
func setPodCondition(conds []PodCondition, cond PodCondition) []PodCondition {
	out := make([]PodCondition, len(conds), len(conds)+1)
	copy(out, conds)
	for i := range out {
		if out[i].Type == cond.Type {
			if out[i].Status == cond.Status {
				cond.LastTransitionTime = out[i].LastTransitionTime
			}
			out[i] = cond
			return out
		}
	}
	return append(out, cond)
}

// SetPodCondition returns a copy of conds with cond set, keeping the
// transition time of an existing condition whose status does not change.
// conds itself is not modified.
func SetPodCondition(conds []PodCondition, cond PodCondition) []PodCondition {
	return setPodCondition(conds, cond)
}

// commit writes a change to the store, logs it and tells the controllers.
func (c *Cluster) commit(actor string, verb Verb, old, obj Object, detail string) {
	changed := obj
	if obj != nil {
		c.st.put(obj)
	} else {
		changed = old
		c.st.remove(RefOf(old))
		if old.Type().Kind == KindNode {
			// A node recreated under the same name is a new machine, with
			// a kubelet that posts heartbeats.
			delete(c.disconnected, old.Meta().Name)
		}
	}
	if c.cfg.CheckImmutable && !c.dry {
		c.fingerprint(old, obj)
	}
	c.record(Record{Actor: actor, Verb: verb, Object: RefOf(changed), Detail: detail})
	c.fanOut(Change{Old: old, New: obj})
}
