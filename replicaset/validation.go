package replicaset

import (
	"strconv"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// Versions of ReplicaSet manifests that upstream served before apps/v1.
const (
	apiVersionExtensionsV1beta1 = "extensions/v1beta1"
	apiVersionAppsV1beta2       = "apps/v1beta2"
)

// validateAPIVersion rejects a manifest of a version the simulator does
// not serve, as an Invalid error at apiVersion.
func validateAPIVersion(got, want string, kind cluster.Kind, p cluster.Profile) field.ErrorList {
	if got == "" || got == want {
		return nil
	}
	detail := "no matches for kind \"" + string(kind) + "\" in version " + strconv.Quote(got)
	if kind == KindReplicaSet && (got == apiVersionExtensionsV1beta1 || got == apiVersionAppsV1beta2) {
		detail = "no longer served since Kubernetes v1.16; use apps/v1"
		if p == cluster.Legacy {
			detail = "not simulated by daemonsim; use apps/v1"
		}
	}
	return field.ErrorList{field.Invalid(field.NewPath("apiVersion"), got, detail)}
}

// Validate validates rs for the simulated API server: [ValidateReplicaSet]
// on create (old nil), [ValidateReplicaSetUpdate] on update.
func (rs *ReplicaSet) Validate(old cluster.Object, p cluster.Profile) field.ErrorList {
	if old == nil {
		return ValidateReplicaSet(rs, p)
	}
	return ValidateReplicaSetUpdate(rs, old.(*ReplicaSet), p)
}

// ValidateReplicaSet validates a ReplicaSet being created, as upstream's
// apps validation ValidateReplicaSet does (after defaulting): its metadata
// (name a DNS-1123 subdomain) and its spec ([ValidateSpec]). A manifest of
// another apiVersion than apps/v1 gets only an Invalid error at
// apiVersion.
func ValidateReplicaSet(rs *ReplicaSet, p cluster.Profile) field.ErrorList {
	if errs := validateAPIVersion(rs.APIVersion, APIVersion, KindReplicaSet, p); errs != nil {
		return errs
	}
	errs := cluster.ValidateObjectMeta(&rs.ObjectMeta, true, cluster.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, ValidateSpec(&rs.Spec, field.NewPath("spec"))...)
}

// ValidateReplicaSetUpdate validates an update of a ReplicaSet as the
// registry strategy's ValidateUpdate does: the new ReplicaSet as on create,
// the metadata update rules, and an immutable selector:
//
//	spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable
func ValidateReplicaSetUpdate(rs, old *ReplicaSet, p cluster.Profile) field.ErrorList {
	if errs := validateAPIVersion(rs.APIVersion, APIVersion, KindReplicaSet, p); errs != nil {
		return errs
	}
	errs := ValidateReplicaSet(rs, p)
	errs = append(errs, cluster.ValidateObjectMetaUpdate(&rs.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))...)
	return append(errs, cluster.ValidateImmutableField(selectorValue(rs.Spec.Selector), selectorValue(old.Spec.Selector), field.NewPath("spec", "selector"))...)
}

// selectorValue returns what a selector prints as in an error: its JSON,
// or null for nil.
func selectorValue(ls *selector.LabelSelector) any {
	if ls == nil {
		return nil
	}
	return *ls
}

// ValidateSpec validates a ReplicaSet spec as upstream's
// ValidateReplicaSetSpec does, in this order:
//
//  1. replicas and minReadySeconds non-negative;
//  2. selector required; valid as a label selector; not empty ("empty
//     selector is invalid for deployment", upstream's words);
//  3. when the selector compiles: it must match the template labels
//     ("`selector` does not match template `labels`"; a missing selector
//     matches nothing), the template must be valid
//     ([cluster.ValidatePodTemplateSpec]), its restartPolicy Always and
//     its activeDeadlineSeconds unset.
//
// p is the path of the spec.
func ValidateSpec(spec *Spec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, cluster.ValidateNonnegativeField(int64(replicasOf(spec.Replicas)), p.Child("replicas"))...)
	errs = append(errs, cluster.ValidateNonnegativeField(int64(spec.MinReadySeconds), p.Child("minReadySeconds"))...)
	if spec.Selector == nil {
		errs = append(errs, field.Required(p.Child("selector"), ""))
	} else {
		errs = append(errs, selector.ValidateLabelSelector(spec.Selector, p.Child("selector"))...)
		if spec.Selector.IsEmpty() {
			errs = append(errs, field.Invalid(p.Child("selector"), *spec.Selector, "empty selector is invalid for deployment"))
		}
	}
	sel, err := spec.Selector.AsSelector()
	if err != nil {
		return append(errs, field.Invalid(p.Child("selector"), selectorValue(spec.Selector), "invalid label selector"))
	}
	return append(errs, validateTemplate(&spec.Template, sel, KindReplicaSet, p.Child("template"))...)
}

// validateTemplate mirrors upstream's ValidatePodTemplateSpecForReplicaSet
// and ValidatePodTemplateSpecForRC, for a template that is present.
func validateTemplate(t *cluster.PodTemplateSpec, sel selector.Selector, kind cluster.Kind, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !sel.Empty() && !sel.Matches(selector.Set(t.Labels)) {
		errs = append(errs, field.Invalid(p.Child("metadata", "labels"), t.Labels, "`selector` does not match template `labels`"))
	}
	errs = append(errs, cluster.ValidatePodTemplateSpec(t, p)...)
	if rp := t.Spec.RestartPolicy; rp != cluster.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(p.Child("spec", "restartPolicy"), rp, []string{string(cluster.RestartPolicyAlways)}))
	}
	if t.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(p.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in "+string(kind)+" is not Supported"))
	}
	return errs
}

// Validate validates rc for the simulated API server:
// [ValidateReplicationController] on create (old nil),
// [ValidateReplicationControllerUpdate] on update.
func (rc *ReplicationController) Validate(old cluster.Object, p cluster.Profile) field.ErrorList {
	if old == nil {
		return ValidateReplicationController(rc, p)
	}
	return ValidateReplicationControllerUpdate(rc, old.(*ReplicationController), p)
}

// ValidateReplicationController validates a ReplicationController being
// created, as upstream's core validation does (after defaulting): its
// metadata (name a DNS-1123 subdomain) and its spec
// ([ValidateReplicationControllerSpec]). A manifest of another apiVersion
// than v1 gets only an Invalid error at apiVersion.
func ValidateReplicationController(rc *ReplicationController, p cluster.Profile) field.ErrorList {
	if errs := validateAPIVersion(rc.APIVersion, "v1", KindReplicationController, p); errs != nil {
		return errs
	}
	errs := cluster.ValidateObjectMeta(&rc.ObjectMeta, true, cluster.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, ValidateReplicationControllerSpec(&rc.Spec, field.NewPath("spec"))...)
}

// ValidateReplicationControllerUpdate validates an update of a
// ReplicationController as the registry strategy does: the new object as
// on create, then the metadata update rules. The selector may change.
func ValidateReplicationControllerUpdate(rc, old *ReplicationController, p cluster.Profile) field.ErrorList {
	if errs := validateAPIVersion(rc.APIVersion, "v1", KindReplicationController, p); errs != nil {
		return errs
	}
	errs := ValidateReplicationController(rc, p)
	return append(errs, cluster.ValidateObjectMetaUpdate(&rc.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))...)
}

// ValidateReplicationControllerSpec validates a ReplicationController spec
// as upstream's ValidateReplicationControllerSpec does, in this order:
// minReadySeconds non-negative; selector required (non-empty); replicas
// non-negative; template required, matched by the selector, valid, with
// restartPolicy Always and no activeDeadlineSeconds. p is the path of the
// spec.
func ValidateReplicationControllerSpec(spec *ReplicationControllerSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, cluster.ValidateNonnegativeField(int64(spec.MinReadySeconds), p.Child("minReadySeconds"))...)
	if len(spec.Selector) == 0 {
		errs = append(errs, field.Required(p.Child("selector"), ""))
	}
	errs = append(errs, cluster.ValidateNonnegativeField(int64(replicasOf(spec.Replicas)), p.Child("replicas"))...)
	if spec.Template == nil {
		return append(errs, field.Required(p.Child("template"), ""))
	}
	return append(errs, validateTemplate(spec.Template, selector.SelectorFromSet(spec.Selector), KindReplicationController, p.Child("template"))...)
}
