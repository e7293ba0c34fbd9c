package selector

import (
	"maps"
	"slices"

	"github.com/daemonsim/daemonsim/field"
)

// ValidateLabelName returns one Invalid error at p, with key as the value,
// for each problem [IsQualifiedName] finds in key. Mirrors
// metav1validation.ValidateLabelName.
func ValidateLabelName(key string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range IsQualifiedName(key) {
		errs = append(errs, field.Invalid(p, key, msg))
	}
	return errs
}

// ValidateLabels validates a label map: for each key, in sorted order, the
// errors of [ValidateLabelName], then one Invalid error at p, with the
// value, for each problem [IsValidLabelValue] finds in its value. Mirrors
// metav1validation.ValidateLabels, which reports in map order.
func ValidateLabels(labels map[string]string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		errs = append(errs, ValidateLabelName(k, p)...)
		for _, msg := range IsValidLabelValue(labels[k]) {
			errs = append(errs, field.Invalid(p, labels[k], msg))
		}
	}
	return errs
}

// ValidateLabelSelector validates a label selector as the API server does
// (metav1validation.ValidateLabelSelector with default options): the
// matchLabels map (see [ValidateLabels]) at p.matchLabels, then each
// matchExpressions[i]: its operator (values Required for In and NotIn,
// Forbidden for Exists and DoesNotExist, any other operator Invalid), its
// key, and each of its values as a label value. A nil selector is valid.
func ValidateLabelSelector(ls *LabelSelector, p *field.Path) field.ErrorList {
	if ls == nil {
		return nil
	}
	errs := ValidateLabels(ls.MatchLabels, p.Child("matchLabels"))
	for i, e := range ls.MatchExpressions {
		ep := p.Child("matchExpressions").Index(i)
		switch e.Operator {
		case LabelSelectorOpIn, LabelSelectorOpNotIn:
			if len(e.Values) == 0 {
				errs = append(errs, field.Required(ep.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case LabelSelectorOpExists, LabelSelectorOpDoesNotExist:
			if len(e.Values) > 0 {
				errs = append(errs, field.Forbidden(ep.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		default:
			errs = append(errs, field.Invalid(ep.Child("operator"), string(e.Operator), "not a valid selector operator"))
		}
		errs = append(errs, ValidateLabelName(e.Key, ep.Child("key"))...)
		errs = append(errs, validateValues(e.Values, ep.Child("values"))...)
	}
	return errs
}

// validateValues returns an Invalid error at p[i] for each problem
// [IsValidLabelValue] finds in values[i].
func validateValues(values []string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, v := range values {
		for _, msg := range IsValidLabelValue(v) {
			errs = append(errs, field.Invalid(p.Index(i), v, msg))
		}
	}
	return errs
}

// ValidateNodeSelector validates the required node affinity of a pod spec
// as the API server does (core validation's ValidateNodeSelector, with
// label values checked): p.nodeSelectorTerms must not be empty, and in each
// term
//
//   - every matchExpressions entry has a valid operator (values Required
//     for In and NotIn, Forbidden for Exists and DoesNotExist, exactly one
//     Required for Gt and Lt, whose value is not checked to be an integer),
//     a valid label key and valid label values;
//   - every matchFields entry uses In or NotIn with exactly one value, on
//     the key metadata.name, whose value must be a DNS-1123 subdomain.
//
// Empty terms are valid. A nil node selector is valid.
func ValidateNodeSelector(ns *NodeSelector, p *field.Path) field.ErrorList {
	if ns == nil {
		return nil
	}
	tp := p.Child("nodeSelectorTerms")
	if len(ns.NodeSelectorTerms) == 0 {
		return field.ErrorList{field.Required(tp, "must have at least one node selector term")}
	}
	var errs field.ErrorList
	for i, term := range ns.NodeSelectorTerms {
		errs = append(errs, validateNodeSelectorTerm(term, tp.Index(i))...)
	}
	return errs
}

// validateNodeSelectorTerm mirrors core validation's
// ValidateNodeSelectorTerm.
func validateNodeSelectorTerm(term NodeSelectorTerm, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for j, r := range term.MatchExpressions {
		errs = append(errs, validateNodeSelectorRequirement(r, p.Child("matchExpressions").Index(j))...)
	}
	for j, r := range term.MatchFields {
		errs = append(errs, validateNodeFieldSelectorRequirement(r, p.Child("matchFields").Index(j))...)
	}
	return errs
}

// validateNodeSelectorRequirement mirrors core validation's
// ValidateNodeSelectorRequirement.
func validateNodeSelectorRequirement(r NodeSelectorRequirement, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch r.Operator {
	case NodeSelectorOpIn, NodeSelectorOpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
		}
	case NodeSelectorOpExists, NodeSelectorOpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
		}
	case NodeSelectorOpGt, NodeSelectorOpLt:
		if len(r.Values) != 1 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
		}
	default:
		errs = append(errs, field.Invalid(p.Child("operator"), string(r.Operator), "not a valid selector operator"))
	}
	errs = append(errs, ValidateLabelName(r.Key, p.Child("key"))...)
	errs = append(errs, validateValues(r.Values, p.Child("values"))...)
	return errs
}

// validateNodeFieldSelectorRequirement mirrors core validation's
// ValidateNodeFieldSelectorRequirement.
func validateNodeFieldSelectorRequirement(r NodeSelectorRequirement, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch r.Operator {
	case NodeSelectorOpIn, NodeSelectorOpNotIn:
		if len(r.Values) != 1 {
			errs = append(errs, field.Required(p.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
		}
	default:
		errs = append(errs, field.Invalid(p.Child("operator"), string(r.Operator), "not a valid selector operator"))
	}
	if r.Key != ObjectNameField {
		errs = append(errs, field.Invalid(p.Child("key"), r.Key, "not a valid field selector key"))
		return errs
	}
	for i, v := range r.Values {
		for _, msg := range IsDNS1123Subdomain(v) {
			errs = append(errs, field.Invalid(p.Child("values").Index(i), v, msg))
		}
	}
	return errs
}
