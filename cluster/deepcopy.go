package cluster

import (
	"maps"
	"slices"
	"time"

	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// deepCopyFast copies the kinds of this package field by field, much
// faster than the JSON round trip DeepCopy falls back to; ok is false for
// other kinds.
func deepCopyFast(obj Object) (Object, bool) {
	switch o := obj.(type) {
	case *Node:
		c := *o
		c.ObjectMeta = copyMeta(o.ObjectMeta)
		c.Spec.Taints = copyTaints(o.Spec.Taints)
		c.Status.Capacity = maps.Clone(o.Status.Capacity)
		c.Status.Allocatable = maps.Clone(o.Status.Allocatable)
		c.Status.Conditions = slices.Clone(o.Status.Conditions)
		c.Status.Addresses = slices.Clone(o.Status.Addresses)
		return &c, true
	case *Pod:
		c := *o
		c.ObjectMeta = copyMeta(o.ObjectMeta)
		c.Spec = copyPodSpec(o.Spec)
		c.Status.Conditions = slices.Clone(o.Status.Conditions)
		c.Status.StartTime = copyTime(o.Status.StartTime)
		return &c, true
	case *Namespace:
		c := *o
		c.ObjectMeta = copyMeta(o.ObjectMeta)
		return &c, true
	}
	return nil, false
}

func copyMeta(m ObjectMeta) ObjectMeta {
	m.DeletionTimestamp = copyTime(m.DeletionTimestamp)
	m.DeletionGracePeriodSeconds = copyInt64(m.DeletionGracePeriodSeconds)
	m.Labels = maps.Clone(m.Labels)
	m.Annotations = maps.Clone(m.Annotations)
	if m.OwnerReferences != nil {
		refs := make([]OwnerReference, len(m.OwnerReferences))
		for i, r := range m.OwnerReferences {
			r.Controller = copyBool(r.Controller)
			r.BlockOwnerDeletion = copyBool(r.BlockOwnerDeletion)
			refs[i] = r
		}
		m.OwnerReferences = refs
	}
	m.Finalizers = slices.Clone(m.Finalizers)
	return m
}

// CopyPodTemplateSpec returns a deep copy of t.
func CopyPodTemplateSpec(t PodTemplateSpec) PodTemplateSpec {
	t.ObjectMeta = copyMeta(t.ObjectMeta)
	t.Spec = copyPodSpec(t.Spec)
	return t
}

func copyPodSpec(s PodSpec) PodSpec {
	s.InitContainers = copyContainers(s.InitContainers)
	s.Containers = copyContainers(s.Containers)
	s.TerminationGracePeriodSeconds = copyInt64(s.TerminationGracePeriodSeconds)
	s.ActiveDeadlineSeconds = copyInt64(s.ActiveDeadlineSeconds)
	s.NodeSelector = maps.Clone(s.NodeSelector)
	s.Affinity = copyAffinity(s.Affinity)
	if s.Tolerations != nil {
		tols := make([]taints.Toleration, len(s.Tolerations))
		for i, t := range s.Tolerations {
			t.TolerationSeconds = copyInt64(t.TolerationSeconds)
			tols[i] = t
		}
		s.Tolerations = tols
	}
	if s.Priority != nil {
		p := *s.Priority
		s.Priority = &p
	}
	return s
}

func copyContainers(cs []Container) []Container {
	if cs == nil {
		return nil
	}
	out := make([]Container, len(cs))
	for i, c := range cs {
		c.Command = slices.Clone(c.Command)
		c.Args = slices.Clone(c.Args)
		c.Ports = slices.Clone(c.Ports)
		c.Resources.Limits = maps.Clone(c.Resources.Limits)
		c.Resources.Requests = maps.Clone(c.Resources.Requests)
		out[i] = c
	}
	return out
}

func copyAffinity(a *Affinity) *Affinity {
	if a == nil {
		return nil
	}
	c := *a
	if a.NodeAffinity != nil {
		na := *a.NodeAffinity
		if r := na.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			ns := selector.NodeSelector{NodeSelectorTerms: copyTerms(r.NodeSelectorTerms)}
			na.RequiredDuringSchedulingIgnoredDuringExecution = &ns
		}
		if na.PreferredDuringSchedulingIgnoredDuringExecution != nil {
			pref := make([]PreferredSchedulingTerm, len(na.PreferredDuringSchedulingIgnoredDuringExecution))
			for i, p := range na.PreferredDuringSchedulingIgnoredDuringExecution {
				p.Preference = copyTerms([]selector.NodeSelectorTerm{p.Preference})[0]
				pref[i] = p
			}
			na.PreferredDuringSchedulingIgnoredDuringExecution = pref
		}
		c.NodeAffinity = &na
	}
	return &c
}

func copyTerms(terms []selector.NodeSelectorTerm) []selector.NodeSelectorTerm {
	if terms == nil {
		return nil
	}
	out := make([]selector.NodeSelectorTerm, len(terms))
	for i, t := range terms {
		out[i] = selector.NodeSelectorTerm{MatchExpressions: copyReqs(t.MatchExpressions), MatchFields: copyReqs(t.MatchFields)}
	}
	return out
}

func copyReqs(rs []selector.NodeSelectorRequirement) []selector.NodeSelectorRequirement {
	if rs == nil {
		return nil
	}
	out := make([]selector.NodeSelectorRequirement, len(rs))
	for i, r := range rs {
		r.Values = slices.Clone(r.Values)
		out[i] = r
	}
	return out
}

func copyTaints(ts []taints.Taint) []taints.Taint {
	if ts == nil {
		return nil
	}
	out := make([]taints.Taint, len(ts))
	for i, t := range ts {
		t.TimeAdded = copyTime(t.TimeAdded)
		out[i] = t
	}
	return out
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

func copyInt64(p *int64) *int64 {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func copyBool(p *bool) *bool {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
