package cluster

import (
	"time"
)

// Kind names a kind of object, as in a manifest's kind field: "Pod",
// "Node", "DaemonSet".
type Kind string

// The kinds this package defines.
const (
	KindNode      Kind = "Node"
	KindPod       Kind = "Pod"
	KindNamespace Kind = "Namespace"
	KindService   Kind = "Service"
	KindEndpoints Kind = "Endpoints"
)

// Ref names one object: its kind, namespace ("" for cluster-scoped kinds)
// and name.
type Ref struct {
	Kind      Kind
	Namespace string
	Name      string
}

// String renders the reference as the log does: "Node/node-a" for a
// cluster-scoped object, "Pod/default/fluentd-b7x2k" for a namespaced one.
// The format is stable.
func (r Ref) String() string {
	if r.Namespace == "" {
		return string(r.Kind) + "/" + r.Name
	}
	return string(r.Kind) + "/" + r.Namespace + "/" + r.Name
}

// RefOf returns the reference of obj.
func RefOf(obj Object) Ref {
	m := obj.Meta()
	return Ref{Kind: obj.Type().Kind, Namespace: m.Namespace, Name: m.Name}
}

// Type describes a kind to the store: its API group and version, its
// resource name, and whether it is namespaced. Each kind has one Type
// value, shared by all its objects.
type Type struct {
	Group      string // "" for the core group, "apps" for DaemonSets
	Version    string // "v1"
	Kind       Kind
	Resource   string // plural lower-case name: "pods", "daemonsets"
	Namespaced bool
}

// APIVersion returns the apiVersion of the type: "v1" or "apps/v1".
func (t *Type) APIVersion() string {
	if t.Group == "" {
		return t.Version
	}
	return t.Group + "/" + t.Version
}

// GroupResource returns the resource qualified by its group as the API
// server's error messages print it: "pods", "daemonsets.apps".
func (t *Type) GroupResource() string {
	if t.Group == "" {
		return t.Resource
	}
	return t.Resource + "." + t.Group
}

// GroupKind returns the kind qualified by its group: "Pod", "DaemonSet.apps".
func (t *Type) GroupKind() string {
	if t.Group == "" {
		return string(t.Kind)
	}
	return string(t.Kind) + "." + t.Group
}

// Object is implemented by every kind the store holds. Objects in the store
// are immutable: [Object.Meta] returns a pointer for speed, and callers
// must not change what it points to, nor anything else reachable from a
// stored object. To change an object, make a copy with [Object.Clone],
// change the copy (copying any slice or map before changing it) and hand
// the copy to the cluster.
type Object interface {
	// Meta returns the object's metadata.
	Meta() *ObjectMeta
	// Type returns the kind's static description.
	Type() *Type
	// Clone returns a shallow copy: a new top-level struct that shares
	// every slice, map and pointer with the original.
	Clone() Object
}

// TypeMeta is the apiVersion and kind of a manifest.
type TypeMeta struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// ObjectMeta is the metadata every object has (metav1.ObjectMeta, reduced
// to the fields the simulation uses).
type ObjectMeta struct {
	Name                       string            `json:"name,omitempty"`
	GenerateName               string            `json:"generateName,omitempty"`
	Namespace                  string            `json:"namespace,omitempty"`
	UID                        string            `json:"uid,omitempty"`
	ResourceVersion            string            `json:"resourceVersion,omitempty"`
	Generation                 int64             `json:"generation,omitempty"`
	CreationTimestamp          time.Time         `json:"creationTimestamp,omitzero"`
	DeletionTimestamp          *time.Time        `json:"deletionTimestamp,omitempty"`
	DeletionGracePeriodSeconds *int64            `json:"deletionGracePeriodSeconds,omitempty"`
	Labels                     map[string]string `json:"labels,omitempty"`
	Annotations                map[string]string `json:"annotations,omitempty"`
	OwnerReferences            []OwnerReference  `json:"ownerReferences,omitempty"`
	Finalizers                 []string          `json:"finalizers,omitempty"`
}

// Meta returns m itself, so that every type embedding ObjectMeta has the
// Meta method of [Object].
func (m *ObjectMeta) Meta() *ObjectMeta { return m }

// Terminating reports whether the object has a deletionTimestamp.
func (m *ObjectMeta) Terminating() bool { return m.DeletionTimestamp != nil }

// ControllerRef returns the owner reference with controller=true, or nil.
func (m *ObjectMeta) ControllerRef() *OwnerReference {
	for i := range m.OwnerReferences {
		if r := &m.OwnerReferences[i]; r.Controller != nil && *r.Controller {
			return r
		}
	}
	return nil
}

// HasFinalizer reports whether f is among the object's finalizers.
func (m *ObjectMeta) HasFinalizer(f string) bool {
	for _, g := range m.Finalizers {
		if g == f {
			return true
		}
	}
	return false
}

// OwnerReference points from a dependent to its owner
// (metav1.OwnerReference).
type OwnerReference struct {
	APIVersion         string `json:"apiVersion"`
	Kind               string `json:"kind"`
	Name               string `json:"name"`
	UID                string `json:"uid"`
	Controller         *bool  `json:"controller,omitempty"`
	BlockOwnerDeletion *bool  `json:"blockOwnerDeletion,omitempty"`
}

// IsController reports whether the reference has controller=true.
func (r *OwnerReference) IsController() bool { return r.Controller != nil && *r.Controller }

// Blocks reports whether the reference has blockOwnerDeletion=true.
func (r *OwnerReference) Blocks() bool { return r.BlockOwnerDeletion != nil && *r.BlockOwnerDeletion }

var (
	trueValue  = true
	falseValue = false
)

// NewControllerRef returns the controller reference a controller puts on
// the objects it creates or adopts: controller=true and
// blockOwnerDeletion=true, as upstream's controllers do.
func NewControllerRef(owner Object) OwnerReference {
	t := owner.Type()
	m := owner.Meta()
	return OwnerReference{
		APIVersion:         t.APIVersion(),
		Kind:               string(t.Kind),
		Name:               m.Name,
		UID:                m.UID,
		Controller:         &trueValue,
		BlockOwnerDeletion: &trueValue,
	}
}

// Bool returns a pointer to a shared constant true or false, for the
// pointer-typed booleans of the API. Never write through it.
func Bool(b bool) *bool {
	if b {
		return &trueValue
	}
	return &falseValue
}

// Int64 returns a pointer to a new int64 holding v.
func Int64(v int64) *int64 { return &v }

// Int32 returns a pointer to a new int32 holding v.
func Int32(v int32) *int32 { return &v }

// ConditionStatus is the status of a condition: True, False or Unknown.
type ConditionStatus string

// The condition statuses.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// Well-known finalizers of the garbage collector.
const (
	// FinalizerOrphan makes the garbage collector remove the owner
	// references to the object from its dependents before it goes.
	FinalizerOrphan = "orphan"
	// FinalizerForeground makes the garbage collector delete the object's
	// dependents before it goes.
	FinalizerForeground = "foregroundDeletion"
)
