package daemonset

import (
	"strconv"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// Served reports an error when the profile does not serve the manifest's
// apiVersion (the hook of [cluster.VersionChecker]). kubectl finds no REST
// mapping for it, so the request never reaches the API server; the error
// is kubectl's: `no matches for kind "DaemonSet" in version
// "extensions/v1beta1"`. The modern profile serves apps/v1 only (upstream
// stopped serving extensions/v1beta1 and apps/v1beta2 in Kubernetes 1.16);
// the legacy profile also serves those two.
func (ds *DaemonSet) Served(p cluster.Profile) error {
	if served(ds.APIVersion, p) {
		return nil
	}
	return cluster.NewBadRequest("no matches for kind \"DaemonSet\" in version " + strconv.Quote(ds.APIVersion))
}

// Validate validates ds for the simulated API server (the hook of
// [cluster.Validator]): [ValidateDaemonSet] on create (old nil),
// [ValidateDaemonSetUpdate] on update.
func (ds *DaemonSet) Validate(old cluster.Object, p cluster.Profile) field.ErrorList {
	if old == nil {
		return ValidateDaemonSet(ds, p)
	}
	return ValidateDaemonSetUpdate(ds, old.(*DaemonSet), p)
}

// ValidateDaemonSet validates a DaemonSet being created, as upstream's
// apps validation ValidateDaemonSet does (after defaulting): its metadata
// (name a DNS-1123 subdomain, namespace required) and its spec
// ([ValidateSpec]). An apps/v1 manifest may not set the
// extensions/v1beta1 field spec.templateGeneration. (Versions the profile
// does not serve are refused before validation: see [DaemonSet.Served].)
func ValidateDaemonSet(ds *DaemonSet, p cluster.Profile) field.ErrorList {
	errs := cluster.ValidateObjectMeta(&ds.ObjectMeta, true, cluster.NameIsDNSSubdomain, field.NewPath("metadata"))
	errs = append(errs, validateTemplateGenerationField(ds, p)...)
	return append(errs, ValidateSpec(&ds.Spec, field.NewPath("spec"))...)
}

// validateTemplateGenerationField rejects spec.templateGeneration outside
// extensions/v1beta1, where apps/v1 has no such field (the API server's
// strict field validation: unknown field), and an unparsable
// deprecated.daemonset.template.generation annotation (upstream's
// conversion fails on it).
func validateTemplateGenerationField(ds *DaemonSet, p cluster.Profile) field.ErrorList {
	var errs field.ErrorList
	if !ds.isExtensions(p) {
		if ds.Spec.TemplateGeneration != 0 {
			errs = append(errs, field.Forbidden(field.NewPath("spec", "templateGeneration"), "unknown field \"spec.templateGeneration\" in "+APIVersion))
		}
		if v, ok := ds.Annotations[TemplateGenerationAnnotation]; ok {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				errs = append(errs, field.Invalid(field.NewPath("metadata", "annotations").Key(TemplateGenerationAnnotation), v, "must be an integer"))
			}
		}
	}
	return errs
}

// ValidateDaemonSetUpdate validates an update of a DaemonSet, as
// upstream's ValidateDaemonSetUpdate and the registry strategy's
// ValidateUpdate do: the metadata update rules, the template generation
// rules (not decremented; incremented exactly when the template changes,
// which Prepare ensures), the new spec ([ValidateSpec]) and, except for
// extensions/v1beta1 manifests in the legacy profile, an immutable
// selector:
//
//	spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable
func ValidateDaemonSetUpdate(ds, old *DaemonSet, p cluster.Profile) field.ErrorList {
	sp := field.NewPath("spec")
	errs := cluster.ValidateObjectMetaUpdate(&ds.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))
	errs = append(errs, validateTemplateGenerationField(ds, p)...)
	newGen, oldGen := templateGenerationOf(ds), templateGenerationOf(old)
	if newGen < oldGen {
		errs = append(errs, field.Invalid(sp.Child("templateGeneration"), newGen, "must not be decremented"))
	}
	changed := !cluster.SemanticEqual(ds.Spec.Template, old.Spec.Template)
	if newGen == oldGen && changed {
		errs = append(errs, field.Invalid(sp.Child("templateGeneration"), newGen, "must be incremented upon template update"))
	} else if newGen > oldGen && !changed {
		errs = append(errs, field.Invalid(sp.Child("templateGeneration"), newGen, "must not be incremented without template update"))
	}
	errs = append(errs, ValidateSpec(&ds.Spec, sp)...)
	if !ds.isExtensions(p) {
		errs = append(errs, cluster.ValidateImmutableField(selectorValue(ds.Spec.Selector), selectorValue(old.Spec.Selector), sp.Child("selector"))...)
	}
	return errs
}

// selectorValue returns what a selector prints as in an error: its JSON,
// or null for nil.
func selectorValue(ls *selector.LabelSelector) any {
	if ls == nil {
		return nil
	}
	return *ls
}

// ValidateSpec validates a DaemonSet spec as upstream's
// ValidateDaemonSetSpec does, in this order:
//
//  1. the selector as a label selector ([selector.ValidateLabelSelector]);
//  2. when it compiles, it must match the template labels (at
//     spec.template.metadata.labels: "`selector` does not match template
//     `labels`"); a nil selector selects nothing, so it fails here;
//  3. a non-nil selector with no matchLabels and no matchExpressions:
//     "empty selector is invalid for daemonset";
//  4. the pod template ([cluster.ValidatePodTemplateSpec]; its labels are
//     reported at spec.template.labels);
//  5. restartPolicy must be Always; activeDeadlineSeconds must be unset;
//  6. minReadySeconds, templateGeneration and revisionHistoryLimit must be
//     non-negative;
//  7. the update strategy ([ValidateUpdateStrategy]).
//
// p is the path of the spec.
func ValidateSpec(spec *Spec, p *field.Path) field.ErrorList {
	errs := ValidateSelector(spec, p)
	errs = append(errs, cluster.ValidatePodTemplateSpec(&spec.Template, p.Child("template"))...)
	if rp := spec.Template.Spec.RestartPolicy; rp != cluster.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(p.Child("template", "spec", "restartPolicy"), rp, []string{string(cluster.RestartPolicyAlways)}))
	}
	if spec.Template.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(p.Child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported"))
	}
	errs = append(errs, cluster.ValidateNonnegativeField(int64(spec.MinReadySeconds), p.Child("minReadySeconds"))...)
	errs = append(errs, cluster.ValidateNonnegativeField(spec.TemplateGeneration, p.Child("templateGeneration"))...)
	errs = append(errs, ValidateUpdateStrategy(&spec.UpdateStrategy, p.Child("updateStrategy"))...)
	if spec.RevisionHistoryLimit != nil {
		errs = append(errs, cluster.ValidateNonnegativeField(int64(*spec.RevisionHistoryLimit), p.Child("revisionHistoryLimit"))...)
	}
	return errs
}

// ValidateSelector is the part of [ValidateSpec] about the selector (its
// steps 1 to 3): it must be a valid label selector, select the template's
// labels, and not be empty. Every Kubernetes version has refused a
// DaemonSet that fails them, on every write; p is the path of the spec.
func ValidateSelector(spec *Spec, p *field.Path) field.ErrorList {
	errs := selector.ValidateLabelSelector(spec.Selector, p.Child("selector"))
	if sel, err := spec.Selector.AsSelector(); err == nil && !sel.Matches(selector.Set(spec.Template.Labels)) {
		errs = append(errs, field.Invalid(p.Child("template", "metadata", "labels"), spec.Template.Labels, "`selector` does not match template `labels`"))
	}
	if spec.Selector.IsEmpty() {
		errs = append(errs, field.Invalid(p.Child("selector"), *spec.Selector, "empty selector is invalid for daemonset"))
	}
	return errs
}

// internalStrategy and internalRollingUpdate are how upstream prints an
// unsupported update strategy: its internal types, which have no JSON
// names and hold the rolling-update values (zero when unset) rather than
// pointers: {"Type":"Recreate","RollingUpdate":null}.
type internalStrategy struct {
	Type          StrategyType
	RollingUpdate *internalRollingUpdate
}

type internalRollingUpdate struct {
	MaxUnavailable cluster.IntOrString
	MaxSurge       cluster.IntOrString
}

func intOrZero(v *cluster.IntOrString) cluster.IntOrString {
	if v == nil {
		return cluster.IntOrString{}
	}
	return *v
}

// ValidateUpdateStrategy validates an update strategy as upstream's
// ValidateDaemonSetUpdateStrategy does: OnDelete is valid whatever its
// rollingUpdate; RollingUpdate needs rollingUpdate (Required), validated
// by [ValidateRollingUpdate]; any other type is an unsupported value
// (supported values: "RollingUpdate", "OnDelete"). p is the path of the
// strategy.
func ValidateUpdateStrategy(s *UpdateStrategy, p *field.Path) field.ErrorList {
	switch s.Type {
	case OnDeleteStrategy:
		return nil
	case RollingUpdateStrategy:
		if s.RollingUpdate == nil {
			return field.ErrorList{field.Required(p.Child("rollingUpdate"), "")}
		}
		return ValidateRollingUpdate(s.RollingUpdate, p.Child("rollingUpdate"))
	}
	bad := internalStrategy{Type: s.Type}
	if ru := s.RollingUpdate; ru != nil {
		bad.RollingUpdate = &internalRollingUpdate{MaxUnavailable: intOrZero(ru.MaxUnavailable), MaxSurge: intOrZero(ru.MaxSurge)}
	}
	return field.ErrorList{field.NotSupported(p, bad, []string{string(RollingUpdateStrategy), string(OnDeleteStrategy)})}
}

// ValidateRollingUpdate validates rolling-update parameters as upstream's
// ValidateRollingUpdateDaemonSet does; an unset value counts as 0.
//
//  1. maxUnavailable, then maxSurge: an integer must be non-negative; a
//     string must be a percentage ("a valid percent string must be …").
//  2. A percentage must not exceed 100%.
//  3. Both non-zero: maxSurge "may not be set when maxUnavailable is
//     non-zero". Both zero: maxUnavailable is Required, "cannot be 0 when
//     maxSurge is 0". A string that is not a percentage counts as the
//     integer it parses as (0 when it does not), as upstream's
//     IntOrString.IntValue does.
func ValidateRollingUpdate(ru *RollingUpdate, p *field.Path) field.ErrorList {
	mu, ms := intOrZero(ru.MaxUnavailable), intOrZero(ru.MaxSurge)
	up, sp := p.Child("maxUnavailable"), p.Child("maxSurge")
	var errs field.ErrorList
	errs = append(errs, validatePositiveIntOrPercent(mu, up)...)
	errs = append(errs, validatePositiveIntOrPercent(ms, sp)...)
	errs = append(errs, validateNotMoreThan100Percent(mu, up)...)
	errs = append(errs, validateNotMoreThan100Percent(ms, sp)...)
	hasUnavailable, hasSurge := intOrPercentValue(mu) != 0, intOrPercentValue(ms) != 0
	switch {
	case hasUnavailable && hasSurge:
		errs = append(errs, field.Invalid(sp, iosValue(ms), "may not be set when maxUnavailable is non-zero"))
	case !hasUnavailable && !hasSurge:
		errs = append(errs, field.Required(up, "cannot be 0 when maxSurge is 0"))
	}
	return errs
}

// iosValue returns what an IntOrString prints as in an error: upstream
// prints its JSON, a number or a quoted string.
func iosValue(v cluster.IntOrString) any {
	if v.IsString {
		return v.StrVal
	}
	return v.IntVal
}

// percentValue returns the number of a string "<digits>%", and whether v
// is one (upstream's getPercentValue with validation.IsValidPercent).
func percentValue(v cluster.IntOrString) (int, bool) {
	if !v.IsString || !isPercent(v.StrVal) {
		return 0, false
	}
	n, _ := strconv.Atoi(v.StrVal[:len(v.StrVal)-1])
	return n, true
}

func isPercent(s string) bool {
	if len(s) < 2 || s[len(s)-1] != '%' {
		return false
	}
	for i := 0; i < len(s)-1; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// intOrPercentValue mirrors upstream's getIntOrPercentValue: the percentage
// of a valid percent string, and otherwise IntOrString.IntValue (an
// unparsable string is 0).
func intOrPercentValue(v cluster.IntOrString) int {
	if n, ok := percentValue(v); ok {
		return n
	}
	if v.IsString {
		n, _ := strconv.Atoi(v.StrVal)
		return n
	}
	return int(v.IntVal)
}

const percentErrMsg = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"

// validatePositiveIntOrPercent mirrors upstream's ValidatePositiveIntOrPercent.
func validatePositiveIntOrPercent(v cluster.IntOrString, p *field.Path) field.ErrorList {
	if v.IsString {
		if !isPercent(v.StrVal) {
			return field.ErrorList{field.Invalid(p, v.StrVal, percentErrMsg)}
		}
		return nil
	}
	return cluster.ValidateNonnegativeField(int64(v.IntVal), p)
}

// validateNotMoreThan100Percent mirrors upstream's IsNotMoreThan100Percent.
func validateNotMoreThan100Percent(v cluster.IntOrString, p *field.Path) field.ErrorList {
	if n, ok := percentValue(v); ok && n > 100 {
		return field.ErrorList{field.Invalid(p, v.StrVal, "must not be greater than 100%")}
	}
	return nil
}

// Validate validates a ControllerRevision for the simulated API server
// (the hook of [cluster.Validator]), as upstream's
// ValidateControllerRevision and ValidateControllerRevisionUpdate do: its
// metadata (name a DNS-1123 subdomain), data required ("data is
// mandatory"), a non-negative revision, and, on update, the metadata
// update rules and immutable data.
func (r *ControllerRevision) Validate(old cluster.Object, _ cluster.Profile) field.ErrorList {
	var errs field.ErrorList
	var o *ControllerRevision
	if old != nil {
		o = old.(*ControllerRevision)
		errs = append(errs, cluster.ValidateObjectMetaUpdate(&r.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))...)
	}
	errs = append(errs, cluster.ValidateObjectMeta(&r.ObjectMeta, true, cluster.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	if r.Data == nil {
		errs = append(errs, field.Required(field.NewPath("data"), "data is mandatory"))
	}
	errs = append(errs, cluster.ValidateNonnegativeField(r.Revision, field.NewPath("revision"))...)
	if o != nil {
		errs = append(errs, cluster.ValidateImmutableField(r.Data, o.Data, field.NewPath("data"))...)
	}
	return errs
}
