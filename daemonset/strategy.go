package daemonset

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
)

// This file holds the rest of the DaemonSet's registry strategy
// (pkg/registry/apps/daemonset/strategy.go upstream): the hooks the
// simulated API server calls besides Default and Validate.

// templateGenerationOf returns the template generation the API server
// keeps for ds (its internal spec.templateGeneration): the
// deprecated.daemonset.template.generation annotation when it parses,
// otherwise spec.templateGeneration (extensions/v1beta1), otherwise 0.
func templateGenerationOf(ds *DaemonSet) int64 {
	if v, ok := ds.Annotations[TemplateGenerationAnnotation]; ok {
		if g, err := strconv.ParseInt(v, 10, 64); err == nil {
			return g
		}
	}
	return ds.Spec.TemplateGeneration
}

// setTemplateGeneration stores gen where ds's apiVersion keeps it:
// spec.templateGeneration for extensions/v1beta1 in the legacy profile,
// the deprecated.daemonset.template.generation annotation otherwise (on a
// copy of the annotations).
func (ds *DaemonSet) setTemplateGeneration(gen int64, p cluster.Profile) {
	if ds.isExtensions(p) {
		ds.Spec.TemplateGeneration = gen
		return
	}
	v := strconv.FormatInt(gen, 10)
	if cur, ok := ds.Annotations[TemplateGenerationAnnotation]; ok && cur == v {
		return
	}
	a := maps.Clone(ds.Annotations)
	if a == nil {
		a = make(map[string]string, 1)
	}
	a[TemplateGenerationAnnotation] = v
	ds.Annotations = a
}

// Prepare sets the fields the API server owns (the hook of
// [cluster.Preparer]), as upstream's PrepareForCreate and PrepareForUpdate
// do.
//
// On create (old nil) the status is cleared and the template generation
// starts at 1 (or at the value given, if higher). On update the status is
// the stored one, and the template generation is the stored one, plus 1
// when spec.template changed (by [cluster.SemanticEqual]). In apps/v1 the
// template generation lives in the deprecated.daemonset.template.generation
// annotation; in extensions/v1beta1 (legacy profile) in
// spec.templateGeneration. An annotation that does not parse as an integer
// is left for Validate to reject.
func (ds *DaemonSet) Prepare(old cluster.Object, p cluster.Profile) {
	if v, ok := ds.Annotations[TemplateGenerationAnnotation]; ok && !ds.isExtensions(p) {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return
		}
	}
	if old == nil {
		ds.Status = Status{}
		gen := templateGenerationOf(ds)
		if gen < 1 {
			gen = 1
		}
		ds.setTemplateGeneration(gen, p)
		return
	}
	o := old.(*DaemonSet)
	ds.Status = o.Status
	gen := templateGenerationOf(o)
	if !cluster.SemanticEqual(ds.Spec.Template, o.Spec.Template) {
		gen++
	}
	ds.setTemplateGeneration(gen, p)
}

// SpecEqual reports whether ds's spec equals old's by
// [cluster.SemanticEqual] (the hook of [cluster.Generational]): any spec
// change, not only a template change, bumps metadata.generation.
func (ds *DaemonSet) SpecEqual(old cluster.Object) bool {
	return cluster.SemanticEqual(ds.Spec, old.(*DaemonSet).Spec)
}

// WithStatusOf returns a copy of ds with src's status (the hook of
// [cluster.StatusCarrier]).
func (ds *DaemonSet) WithStatusOf(src cluster.Object) cluster.Object {
	c := *ds
	c.Status = src.(*DaemonSet).Status
	return &c
}

// DefaultPropagation returns the deletion propagation the API server uses
// when a delete names none (the hook of [cluster.GCPolicy]): Orphan for
// extensions/v1beta1 and apps/v1beta2 manifests, as upstream's
// DefaultGarbageCollectionPolicy keeps for those versions, Background
// otherwise.
func (ds *DaemonSet) DefaultPropagation() cluster.Propagation {
	switch ds.APIVersion {
	case APIVersionExtensionsV1beta1, APIVersionAppsV1beta2:
		return cluster.DeletePropagationOrphan
	}
	return cluster.DeletePropagationBackground
}

// DescribeChange describes an update of ds for the log (the hook of
// [cluster.ChangeDescriber]), in this order: metadata changes as
// [cluster.DescribeMetaChange] renders them (without the template
// generation annotation), "generation=N" when the generation changed,
// then the spec changes: "image=…" per container when images changed,
// "template" for any other template change, "selector=…",
// "updateStrategy=…", "minReadySeconds=N", "revisionHistoryLimit=N";
// and, for a status update, the status counters that changed
// ("desired=3 ready=2"). The format is stable.
func (ds *DaemonSet) DescribeChange(old cluster.Object) string {
	o := old.(*DaemonSet)
	var parts []string
	if d := cluster.DescribeMetaChange(withoutGenerationAnnotation(&o.ObjectMeta), withoutGenerationAnnotation(&ds.ObjectMeta)); d != "" {
		parts = append(parts, d)
	}
	if ds.Generation != o.Generation {
		parts = append(parts, "generation="+strconv.FormatInt(ds.Generation, 10))
	}
	if !cluster.SemanticEqual(ds.Spec.Template, o.Spec.Template) {
		if images := describeImages(&o.Spec.Template.Spec, &ds.Spec.Template.Spec); images != "" {
			parts = append(parts, images)
		} else {
			parts = append(parts, "template")
		}
	}
	if !cluster.SemanticEqual(ds.Spec.Selector, o.Spec.Selector) {
		parts = append(parts, "selector="+ds.Spec.Selector.String())
	}
	if !cluster.SemanticEqual(ds.Spec.UpdateStrategy, o.Spec.UpdateStrategy) {
		parts = append(parts, "updateStrategy="+describeStrategy(&ds.Spec.UpdateStrategy))
	}
	if ds.Spec.MinReadySeconds != o.Spec.MinReadySeconds {
		parts = append(parts, fmt.Sprintf("minReadySeconds=%d", ds.Spec.MinReadySeconds))
	}
	if !cluster.SemanticEqual(ds.Spec.RevisionHistoryLimit, o.Spec.RevisionHistoryLimit) && ds.Spec.RevisionHistoryLimit != nil {
		parts = append(parts, fmt.Sprintf("revisionHistoryLimit=%d", *ds.Spec.RevisionHistoryLimit))
	}
	parts = append(parts, describeStatusChange(&o.Status, &ds.Status)...)
	return strings.Join(parts, " ")
}

// withoutGenerationAnnotation returns m, or a copy of it without the
// template generation annotation when it has one.
func withoutGenerationAnnotation(m *cluster.ObjectMeta) *cluster.ObjectMeta {
	if _, ok := m.Annotations[TemplateGenerationAnnotation]; !ok {
		return m
	}
	c := *m
	c.Annotations = maps.Clone(m.Annotations)
	delete(c.Annotations, TemplateGenerationAnnotation)
	return &c
}

// describeImages renders the images of cur as "image=a image=b" when they
// differ from old's, and "" when they do not.
func describeImages(old, cur *cluster.PodSpec) string {
	sameImage := func(a, b cluster.Container) bool { return a.Image == b.Image }
	if slices.EqualFunc(old.Containers, cur.Containers, sameImage) && slices.EqualFunc(old.InitContainers, cur.InitContainers, sameImage) {
		return ""
	}
	var parts []string
	for _, c := range cur.Containers {
		parts = append(parts, "image="+c.Image)
	}
	return strings.Join(parts, " ")
}

// describeStrategy renders a strategy as "OnDelete" or
// "RollingUpdate(maxUnavailable=1,maxSurge=0)"; maxSurge only when set,
// as it is not in extensions/v1beta1 (the legacy profile), where the field
// did not exist before 1.21.
func describeStrategy(s *UpdateStrategy) string {
	if s.RollingUpdate == nil {
		return string(s.Type)
	}
	if s.RollingUpdate.MaxSurge == nil {
		return fmt.Sprintf("%s(maxUnavailable=%s)", s.Type, intOrZero(s.RollingUpdate.MaxUnavailable))
	}
	return fmt.Sprintf("%s(maxUnavailable=%s,maxSurge=%s)", s.Type, intOrZero(s.RollingUpdate.MaxUnavailable), intOrZero(s.RollingUpdate.MaxSurge))
}

// describeStatusChange renders the status counters that differ, with
// short names: desired, current, misscheduled, ready, updated, available,
// unavailable, observedGeneration.
func describeStatusChange(old, cur *Status) []string {
	var parts []string
	for _, f := range []struct {
		name     string
		old, cur int64
	}{
		{"desired", int64(old.DesiredNumberScheduled), int64(cur.DesiredNumberScheduled)},
		{"current", int64(old.CurrentNumberScheduled), int64(cur.CurrentNumberScheduled)},
		{"misscheduled", int64(old.NumberMisscheduled), int64(cur.NumberMisscheduled)},
		{"ready", int64(old.NumberReady), int64(cur.NumberReady)},
		{"updated", int64(old.UpdatedNumberScheduled), int64(cur.UpdatedNumberScheduled)},
		{"available", int64(old.NumberAvailable), int64(cur.NumberAvailable)},
		{"unavailable", int64(old.NumberUnavailable), int64(cur.NumberUnavailable)},
		{"observedGeneration", old.ObservedGeneration, cur.ObservedGeneration},
	} {
		if f.old != f.cur {
			parts = append(parts, f.name+"="+strconv.FormatInt(f.cur, 10))
		}
	}
	return parts
}

// DescribeChange describes an update of the revision for the log (the
// hook of [cluster.ChangeDescriber]): metadata changes as
// [cluster.DescribeMetaChange] renders them, then "revision=N" when the
// revision changed.
func (r *ControllerRevision) DescribeChange(old cluster.Object) string {
	o := old.(*ControllerRevision)
	var parts []string
	if d := cluster.DescribeMetaChange(&o.ObjectMeta, &r.ObjectMeta); d != "" {
		parts = append(parts, d)
	}
	if r.Revision != o.Revision {
		parts = append(parts, "revision="+strconv.FormatInt(r.Revision, 10))
	}
	return strings.Join(parts, " ")
}

// extensionsDaemonSetType is how API errors named DaemonSets of the
// extensions/v1beta1 group, which the legacy profile serves.
var extensionsDaemonSetType = &cluster.Type{Group: "extensions", Version: "v1beta1", Kind: KindDaemonSet, Resource: "daemonsets", Namespaced: true}

// TypeForErrors returns the type the API server's errors name for ds (the
// hook of [cluster.ErrorTyper]): DaemonSet.extensions for an
// extensions/v1beta1 manifest, as Kubernetes 1.6–1.9 worded them;
// otherwise nil (DaemonSet.apps).
func (ds *DaemonSet) TypeForErrors() *cluster.Type {
	if ds.APIVersion == APIVersionExtensionsV1beta1 {
		return extensionsDaemonSetType
	}
	return nil
}
