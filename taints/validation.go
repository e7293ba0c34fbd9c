package taints

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/field"
)

// The supported values, in upstream's order.
var (
	supportedEffects   = []string{string(NoSchedule), string(PreferNoSchedule), string(NoExecute)}
	supportedOperators = []string{string(OpEqual), string(OpExists), string(OpLt), string(OpGt)}
)

// ValidateTolerations checks pod tolerations as the API server does, and
// returns every problem in order, or nil. p is the path of the list, such
// as spec.template.spec.tolerations. It mirrors ValidateTolerations in
// k8s.io/kubernetes/pkg/apis/core/validation; for each toleration, in this
// order:
//
//  1. A non-empty key must be a qualified name.
//  2. An empty key requires operator Exists: `operator must be Exists when
//     `key` is empty, which means "match all values and all keys"`.
//  3. TolerationSeconds requires effect NoExecute.
//  4. Operator Equal (or empty) needs a valid label value and Exists an
//     empty value; upstream reports both problems at the operator's path,
//     and so does this. Lt and Gt are unsupported values unless
//     [WithComparisonOperators] is given, and then need a decimal int64 in
//     canonical form (reported at the value's path). Other operators are
//     unsupported; the supported values listed are Equal, Exists, Lt and Gt,
//     as upstream lists them.
//  5. A non-empty effect must be NoSchedule, PreferNoSchedule or NoExecute.
func ValidateTolerations(tols []Toleration, p *field.Path, opts ...Option) field.ErrorList {
	f := evalOptions(opts)
	var errs field.ErrorList
	for i := range tols {
		t := &tols[i]
		idx := p.Index(i)
		if t.Key != "" {
			for _, msg := range qualifiedNameErrors(t.Key) {
				errs = append(errs, field.Invalid(idx.Child("key"), t.Key, msg))
			}
		}
		if t.Key == "" && t.Operator != OpExists {
			errs = append(errs, field.Invalid(idx.Child("operator"), string(t.Operator),
				"operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
		}
		if t.TolerationSeconds != nil && t.Effect != NoExecute {
			errs = append(errs, field.Invalid(idx.Child("effect"), string(t.Effect),
				"effect must be 'NoExecute' when `tolerationSeconds` is set"))
		}
		switch t.Operator {
		case "", OpEqual:
			if msgs := labelValueErrors(t.Value); len(msgs) > 0 {
				errs = append(errs, field.Invalid(idx.Child("operator"), t.Value, strings.Join(msgs, ";")))
			}
		case OpExists:
			if t.Value != "" {
				errs = append(errs, field.Invalid(idx.Child("operator"), t.Value,
					"value must be empty when `operator` is 'Exists'"))
			}
		case OpLt, OpGt:
			if f&flagComparisonOperators == 0 {
				errs = append(errs, field.NotSupported(idx.Child("operator"), string(t.Operator), supportedOperators))
				break
			}
			if _, ok := parseDecimalInt64(t.Value); !ok {
				msg := decimalIntegerErrMsg
				if t.Value == "" {
					msg = emptyErrMsg
				}
				errs = append(errs, field.Invalid(idx.Child("value"), t.Value, msg))
			}
		default:
			errs = append(errs, field.NotSupported(idx.Child("operator"), string(t.Operator), supportedOperators))
		}
		if t.Effect != "" {
			errs = append(errs, validateEffect(t.Effect, idx.Child("effect"))...)
		}
	}
	return errs
}

// ValidateTaints checks node taints (spec.taints of a Node) as the API
// server does, and returns every problem in order, or nil. It mirrors
// validateNodeTaints in k8s.io/kubernetes/pkg/apis/core/validation: for each
// taint, the key must be a qualified name, the value a valid label value and
// the effect one of the three (it is required); and no two taints may share
// a key and an effect ("taints must be unique by key and effect pair").
func ValidateTaints(taints []Taint, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range taints {
		t := &taints[i]
		idx := p.Index(i)
		for _, msg := range qualifiedNameErrors(t.Key) {
			errs = append(errs, field.Invalid(idx.Child("key"), t.Key, msg))
		}
		if msgs := labelValueErrors(t.Value); len(msgs) > 0 {
			errs = append(errs, field.Invalid(idx.Child("value"), t.Value, strings.Join(msgs, ";")))
		}
		if t.Effect == "" {
			errs = append(errs, field.Required(idx.Child("effect"), ""))
		} else {
			errs = append(errs, validateEffect(t.Effect, idx.Child("effect"))...)
		}
		for j := range i {
			if taints[j].MatchTaint(t) {
				dup := field.Duplicate(idx, badTaint(t))
				dup.Detail = "taints must be unique by key and effect pair"
				errs = append(errs, dup)
				break
			}
		}
	}
	return errs
}

func validateEffect(e Effect, p *field.Path) field.ErrorList {
	if effectBit(e) != 0 {
		return nil
	}
	return field.ErrorList{field.NotSupported(p, string(e), supportedEffects)}
}

// internalTaint is how a duplicate taint is printed: upstream reports the
// internal core.Taint, whose fields have no JSON tags, so the value renders
// as {"Key":…,"Value":…,"Effect":…,"TimeAdded":…}.
type internalTaint struct {
	Key       string
	Value     string
	Effect    Effect
	TimeAdded *apiTime
}

// apiTime marshals as metav1.Time does: RFC 3339 in UTC, whole seconds.
type apiTime time.Time

func (t apiTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339))
}

func badTaint(t *Taint) internalTaint {
	bad := internalTaint{Key: t.Key, Value: t.Value, Effect: t.Effect}
	if t.TimeAdded != nil {
		ts := apiTime(*t.TimeAdded)
		bad.TimeAdded = &ts
	}
	return bad
}
