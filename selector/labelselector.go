package selector

import (
	"fmt"
	"maps"
	"slices"
)

// AsSelector compiles the label selector. A nil selector gives [Nothing]
// and one with no matchLabels and no matchExpressions gives [Everything].
// Otherwise every matchLabels pair becomes an [Equals] requirement and
// every matchExpressions entry an In, NotIn, Exists or DoesNotExist
// requirement, checked as [NewRequirement] checks them. The operators are
// case-sensitive; Gt, Lt and any other operator are an error such as
//
//	"Gt" is not a valid pod selector operator
//
// The first error found is returned, with [Nothing]; matchLabels are
// checked in key order, then matchExpressions in order. Mirrors
// metav1.LabelSelectorAsSelector in k8s.io/apimachinery.
func (ls *LabelSelector) AsSelector() (Selector, error) {
	if ls == nil {
		return Nothing(), nil
	}
	if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		return Everything(), nil
	}
	reqs := make([]Requirement, 0, len(ls.MatchLabels)+len(ls.MatchExpressions))
	for _, k := range slices.Sorted(maps.Keys(ls.MatchLabels)) {
		r, err := NewRequirement(k, Equals, []string{ls.MatchLabels[k]})
		if err != nil {
			return Nothing(), err
		}
		reqs = append(reqs, r)
	}
	for _, e := range ls.MatchExpressions {
		var op Operator
		switch e.Operator {
		case LabelSelectorOpIn:
			op = In
		case LabelSelectorOpNotIn:
			op = NotIn
		case LabelSelectorOpExists:
			op = Exists
		case LabelSelectorOpDoesNotExist:
			op = DoesNotExist
		default:
			return Nothing(), fmt.Errorf("%q is not a valid pod selector operator", string(e.Operator))
		}
		// Like upstream, pass a copy, which is nil when there are no values.
		r, err := NewRequirement(e.Key, op, append([]string(nil), e.Values...))
		if err != nil {
			return Nothing(), err
		}
		reqs = append(reqs, r)
	}
	return Selector{reqs: sortedByKey(reqs)}, nil
}

// Matches reports whether the labels satisfy the label selector. A nil or
// invalid selector matches nothing; an empty one matches everything. It
// compiles the selector on every call: to match many label sets, compile
// once with [LabelSelector.AsSelector].
func (ls *LabelSelector) Matches(l Labels) bool {
	s, err := ls.AsSelector()
	return err == nil && s.Matches(l)
}

// String renders the compiled selector (see [Selector.String]): "" for a
// nil or empty selector, and "<error>" for one that [LabelSelector.AsSelector]
// rejects.
func (ls *LabelSelector) String() string {
	s, err := ls.AsSelector()
	if err != nil {
		return "<error>"
	}
	return s.String()
}

// IsEmpty reports whether ls is non-nil and has no matchLabels and no
// matchExpressions, so that it selects everything. DaemonSet validation
// rejects such a selector.
func (ls *LabelSelector) IsEmpty() bool {
	return ls != nil && len(ls.MatchLabels)+len(ls.MatchExpressions) == 0
}
