package replicaset

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// The hooks the simulated API server calls on every write (package
// cluster's Defaulter, Preparer, Validator, Generational, StatusCarrier
// and ChangeDescriber), after upstream's registry strategies for
// ReplicaSets and ReplicationControllers.

// APIVersion is the apiVersion of ReplicaSets; ReplicationControllers are
// v1.
const APIVersion = "apps/v1"

// DefaultReplicas is the default spec.replicas.
const DefaultReplicas int32 = 1

// Default applies the apps/v1 defaults (SetDefaults_ReplicaSet):
// spec.replicas 1, and the pod defaults of the template
// ([cluster.DefaultPodSpec]). It never writes into what rs shares.
func (rs *ReplicaSet) Default(cluster.Profile) {
	if rs.Spec.Replicas == nil {
		v := DefaultReplicas
		rs.Spec.Replicas = &v
	}
	cluster.DefaultPodSpec(&rs.Spec.Template.Spec)
}

// Default applies the v1 defaults (SetDefaults_ReplicationController):
// when the template has labels, an empty selector and empty object labels
// become the template's labels; spec.replicas 1; and the pod defaults of
// the template. It never writes into what rc shares.
func (rc *ReplicationController) Default(cluster.Profile) {
	if t := rc.Spec.Template; t != nil && t.Labels != nil {
		if len(rc.Spec.Selector) == 0 {
			rc.Spec.Selector = maps.Clone(t.Labels)
		}
		if len(rc.Labels) == 0 {
			rc.Labels = maps.Clone(t.Labels)
		}
	}
	if rc.Spec.Replicas == nil {
		v := DefaultReplicas
		rc.Spec.Replicas = &v
	}
	if rc.Spec.Template != nil {
		t := *rc.Spec.Template
		cluster.DefaultPodSpec(&t.Spec)
		if !cluster.SemanticEqual(t.Spec, rc.Spec.Template.Spec) {
			rc.Spec.Template = &t
		}
	}
}

// Prepare clears the status of a new ReplicaSet and keeps the stored
// status on update: status belongs to the controller.
func (rs *ReplicaSet) Prepare(old cluster.Object, _ cluster.Profile) {
	if old == nil {
		rs.Status = Status{}
		return
	}
	rs.Status = old.(*ReplicaSet).Status
}

// Prepare clears the status of a new ReplicationController and keeps the
// stored status on update.
func (rc *ReplicationController) Prepare(old cluster.Object, _ cluster.Profile) {
	if old == nil {
		rc.Status = Status{}
		return
	}
	rc.Status = old.(*ReplicationController).Status
}

// SpecEqual reports whether the spec equals old's: any spec change bumps
// metadata.generation.
func (rs *ReplicaSet) SpecEqual(old cluster.Object) bool {
	return cluster.SemanticEqual(rs.Spec, old.(*ReplicaSet).Spec)
}

// SpecEqual reports whether the spec equals old's: any spec change bumps
// metadata.generation.
func (rc *ReplicationController) SpecEqual(old cluster.Object) bool {
	return cluster.SemanticEqual(rc.Spec, old.(*ReplicationController).Spec)
}

// WithStatusOf returns a copy of rs with src's status.
func (rs *ReplicaSet) WithStatusOf(src cluster.Object) cluster.Object {
	c := *rs
	c.Status = src.(*ReplicaSet).Status
	return &c
}

// WithStatusOf returns a copy of rc with src's status.
func (rc *ReplicationController) WithStatusOf(src cluster.Object) cluster.Object {
	c := *rc
	c.Status = src.(*ReplicationController).Status
	return &c
}

// DescribeChange describes an update of rs for the log: metadata changes
// as [cluster.DescribeMetaChange] renders them, "generation=N" when it
// changed, then "replicas=N", "image=…" per container (or "template" for
// another template change), "minReadySeconds=N" and "selector=…". The
// format is stable.
func (rs *ReplicaSet) DescribeChange(old cluster.Object) string {
	o := old.(*ReplicaSet)
	parts := describeCommon(&o.ObjectMeta, &rs.ObjectMeta, o.Spec.Replicas, rs.Spec.Replicas,
		&o.Spec.Template, &rs.Spec.Template, o.Spec.MinReadySeconds, rs.Spec.MinReadySeconds)
	if !cluster.SemanticEqual(o.Spec.Selector, rs.Spec.Selector) {
		parts = append(parts, "selector="+rs.Spec.Selector.String())
	}
	return strings.Join(parts, " ")
}

// DescribeChange describes an update of rc for the log, as
// [ReplicaSet.DescribeChange] does.
func (rc *ReplicationController) DescribeChange(old cluster.Object) string {
	o := old.(*ReplicationController)
	var ot, nt cluster.PodTemplateSpec
	if o.Spec.Template != nil {
		ot = *o.Spec.Template
	}
	if rc.Spec.Template != nil {
		nt = *rc.Spec.Template
	}
	parts := describeCommon(&o.ObjectMeta, &rc.ObjectMeta, o.Spec.Replicas, rc.Spec.Replicas,
		&ot, &nt, o.Spec.MinReadySeconds, rc.Spec.MinReadySeconds)
	if !maps.Equal(o.Spec.Selector, rc.Spec.Selector) {
		parts = append(parts, "selector="+selector.SelectorFromSet(rc.Spec.Selector).String())
	}
	return strings.Join(parts, " ")
}

func describeCommon(om, nm *cluster.ObjectMeta, or, nr *int32, ot, nt *cluster.PodTemplateSpec, omr, nmr int32) []string {
	var parts []string
	if d := cluster.DescribeMetaChange(om, nm); d != "" {
		parts = append(parts, d)
	}
	if om.Generation != nm.Generation {
		parts = append(parts, "generation="+strconv.FormatInt(nm.Generation, 10))
	}
	if replicasOf(or) != replicasOf(nr) {
		parts = append(parts, "replicas="+strconv.Itoa(int(replicasOf(nr))))
	}
	if !cluster.SemanticEqual(*ot, *nt) {
		if slices.EqualFunc(ot.Spec.Containers, nt.Spec.Containers, func(a, b cluster.Container) bool { return a.Image == b.Image }) {
			parts = append(parts, "template")
		} else {
			for _, c := range nt.Spec.Containers {
				parts = append(parts, "image="+c.Image)
			}
		}
	}
	if omr != nmr {
		parts = append(parts, "minReadySeconds="+strconv.Itoa(int(nmr)))
	}
	return parts
}

// replicasOf returns *r, or 0 for nil (as upstream's internal types hold
// it after conversion).
func replicasOf(r *int32) int32 {
	if r == nil {
		return 0
	}
	return *r
}

// DescribeStatus renders status counters as the log shows them:
// "replicas=3 ready=2 available=2".
func DescribeStatus(s *Status) string {
	return "replicas=" + strconv.Itoa(int(s.Replicas)) + " ready=" + strconv.Itoa(int(s.ReadyReplicas)) +
		" available=" + strconv.Itoa(int(s.AvailableReplicas))
}
