package replicaset

import (
	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// Kinds of this package.
const (
	KindReplicaSet            cluster.Kind = "ReplicaSet"
	KindReplicationController cluster.Kind = "ReplicationController"
)

// The static types of the kinds of this package.
var (
	ReplicaSetType            = &cluster.Type{Group: "apps", Version: "v1", Kind: KindReplicaSet, Resource: "replicasets", Namespaced: true}
	ReplicationControllerType = &cluster.Type{Version: "v1", Kind: KindReplicationController, Resource: "replicationcontrollers", Namespaced: true}
)

// ReplicaSet keeps a number of pods from one template running (apps/v1).
type ReplicaSet struct {
	cluster.TypeMeta   `json:",inline"`
	cluster.ObjectMeta `json:"metadata"`
	Spec               Spec   `json:"spec"`
	Status             Status `json:"status,omitzero"`
}

// Spec is the spec of a [ReplicaSet].
type Spec struct {
	// Replicas is the number of pods wanted; nil defaults to 1.
	Replicas        *int32 `json:"replicas,omitempty"`
	MinReadySeconds int32  `json:"minReadySeconds,omitempty"`
	// Selector selects the pods the ReplicaSet owns. Required, immutable,
	// and it must match the template's labels.
	Selector *selector.LabelSelector `json:"selector"`
	Template cluster.PodTemplateSpec `json:"template,omitzero"`
}

// Status is the status of a [ReplicaSet] or [ReplicationController], as
// the controller computes it.
type Status struct {
	// Replicas counts the active pods the controller owns (not
	// terminating, not Succeeded or Failed).
	Replicas int32 `json:"replicas"`
	// FullyLabeledReplicas counts those whose labels match the template's.
	FullyLabeledReplicas int32 `json:"fullyLabeledReplicas,omitempty"`
	ReadyReplicas        int32 `json:"readyReplicas,omitempty"`
	// AvailableReplicas counts those Ready for minReadySeconds.
	AvailableReplicas  int32            `json:"availableReplicas,omitempty"`
	ObservedGeneration int64            `json:"observedGeneration,omitempty"`
	Conditions         []cluster.Opaque `json:"conditions,omitempty"`
}

// Type returns [ReplicaSetType].
func (*ReplicaSet) Type() *cluster.Type { return ReplicaSetType }

// Clone returns a shallow copy of rs.
func (rs *ReplicaSet) Clone() cluster.Object { c := *rs; return &c }

// TypeMetaPtr returns the object's TypeMeta, for the store.
func (rs *ReplicaSet) TypeMetaPtr() *cluster.TypeMeta { return &rs.TypeMeta }

// ReplicationController is the older form of a ReplicaSet (v1), with an
// equality-based selector map.
type ReplicationController struct {
	cluster.TypeMeta   `json:",inline"`
	cluster.ObjectMeta `json:"metadata"`
	Spec               ReplicationControllerSpec `json:"spec,omitzero"`
	Status             Status                    `json:"status,omitzero"`
}

// ReplicationControllerSpec is the spec of a [ReplicationController].
type ReplicationControllerSpec struct {
	// Replicas is the number of pods wanted; nil defaults to 1.
	Replicas        *int32 `json:"replicas,omitempty"`
	MinReadySeconds int32  `json:"minReadySeconds,omitempty"`
	// Selector selects the pods the controller owns: every label must be
	// present with its value. Empty, it defaults to the template's labels.
	Selector map[string]string        `json:"selector,omitempty"`
	Template *cluster.PodTemplateSpec `json:"template,omitempty"`
}

// Type returns [ReplicationControllerType].
func (*ReplicationController) Type() *cluster.Type { return ReplicationControllerType }

// Clone returns a shallow copy of rc.
func (rc *ReplicationController) Clone() cluster.Object { c := *rc; return &c }

// TypeMetaPtr returns the object's TypeMeta, for the store.
func (rc *ReplicationController) TypeMetaPtr() *cluster.TypeMeta { return &rc.TypeMeta }

// Register makes the cluster know the kinds of this package, so that owner
// references to ReplicaSets and ReplicationControllers resolve (for the
// garbage collector) before any is stored.
func Register(c *cluster.Cluster) {
	c.RegisterTypes(ReplicaSetType, ReplicationControllerType)
}
