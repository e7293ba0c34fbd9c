package daemonset

import (
	"encoding/json"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// Kinds of this package.
const (
	KindDaemonSet          cluster.Kind = "DaemonSet"
	KindControllerRevision cluster.Kind = "ControllerRevision"
)

// The static types of the kinds of this package.
var (
	DaemonSetType          = &cluster.Type{Group: "apps", Version: "v1", Kind: KindDaemonSet, Resource: "daemonsets", Namespaced: true}
	ControllerRevisionType = &cluster.Type{Group: "apps", Version: "v1", Kind: KindControllerRevision, Resource: "controllerrevisions", Namespaced: true}
)

// Well-known label and annotation keys.
const (
	// RevisionHashLabel is the pod and ControllerRevision label holding the
	// hash of the template revision (apps.DefaultDaemonSetUniqueLabelKey).
	RevisionHashLabel = "controller-revision-hash"
	// TemplateGenerationLabel is the pod label holding the DaemonSet's
	// template generation at the pod's creation.
	TemplateGenerationLabel = "pod-template-generation"
	// TemplateGenerationAnnotation is the DaemonSet annotation through
	// which apps/v1 exposes the internal spec.templateGeneration.
	TemplateGenerationAnnotation = "deprecated.daemonset.template.generation"
)

// DaemonSet is a DaemonSet (apps/v1; extensions/v1beta1 manifests are
// accepted in the legacy profile).
type DaemonSet struct {
	cluster.TypeMeta   `json:",inline"`
	cluster.ObjectMeta `json:"metadata"`
	Spec               Spec   `json:"spec"`
	Status             Status `json:"status,omitzero"`
}

// Spec is the spec of a [DaemonSet].
type Spec struct {
	// Selector selects the pods the DaemonSet owns. Required and immutable
	// in apps/v1; defaulted to the template labels, and mutable, in
	// extensions/v1beta1 (legacy profile).
	Selector             *selector.LabelSelector `json:"selector,omitempty"`
	Template             cluster.PodTemplateSpec `json:"template"`
	UpdateStrategy       UpdateStrategy          `json:"updateStrategy,omitzero"`
	MinReadySeconds      int32                   `json:"minReadySeconds,omitempty"`
	RevisionHistoryLimit *int32                  `json:"revisionHistoryLimit,omitempty"`
	// TemplateGeneration is the extensions/v1beta1 field; in apps/v1 it is
	// the TemplateGenerationAnnotation.
	TemplateGeneration int64 `json:"templateGeneration,omitempty"`
}

// StrategyType is the type of an [UpdateStrategy].
type StrategyType string

// The update strategies.
const (
	RollingUpdateStrategy StrategyType = "RollingUpdate"
	OnDeleteStrategy      StrategyType = "OnDelete"
)

// UpdateStrategy says how pods are replaced when the template changes.
type UpdateStrategy struct {
	Type          StrategyType   `json:"type,omitempty"`
	RollingUpdate *RollingUpdate `json:"rollingUpdate,omitempty"`
}

// RollingUpdate holds the parameters of the RollingUpdate strategy.
type RollingUpdate struct {
	MaxUnavailable *cluster.IntOrString `json:"maxUnavailable,omitempty"`
	MaxSurge       *cluster.IntOrString `json:"maxSurge,omitempty"`
}

// Status is the status of a [DaemonSet], as the controller computes it.
type Status struct {
	CurrentNumberScheduled int32            `json:"currentNumberScheduled"`
	NumberMisscheduled     int32            `json:"numberMisscheduled"`
	DesiredNumberScheduled int32            `json:"desiredNumberScheduled"`
	NumberReady            int32            `json:"numberReady"`
	ObservedGeneration     int64            `json:"observedGeneration,omitempty"`
	UpdatedNumberScheduled int32            `json:"updatedNumberScheduled,omitempty"`
	NumberAvailable        int32            `json:"numberAvailable,omitempty"`
	NumberUnavailable      int32            `json:"numberUnavailable,omitempty"`
	CollisionCount         *int32           `json:"collisionCount,omitempty"`
	Conditions             []cluster.Opaque `json:"conditions,omitempty"`
}

// Type returns [DaemonSetType].
func (*DaemonSet) Type() *cluster.Type { return DaemonSetType }

// Clone returns a shallow copy of ds.
func (ds *DaemonSet) Clone() cluster.Object { c := *ds; return &c }

// TypeMetaPtr returns the object's TypeMeta, for the store.
func (ds *DaemonSet) TypeMetaPtr() *cluster.TypeMeta { return &ds.TypeMeta }

// ControllerRevision is a snapshot of a DaemonSet's template
// (apps/v1 ControllerRevision).
type ControllerRevision struct {
	cluster.TypeMeta   `json:",inline"`
	cluster.ObjectMeta `json:"metadata"`
	// Data is the template patch {"spec":{"template":{…,"$patch":"replace"}}}.
	Data     json.RawMessage `json:"data,omitempty"`
	Revision int64           `json:"revision"`
}

// Type returns [ControllerRevisionType].
func (*ControllerRevision) Type() *cluster.Type { return ControllerRevisionType }

// Clone returns a shallow copy of r.
func (r *ControllerRevision) Clone() cluster.Object { c := *r; return &c }

// TypeMetaPtr returns the object's TypeMeta, for the store.
func (r *ControllerRevision) TypeMetaPtr() *cluster.TypeMeta { return &r.TypeMeta }
