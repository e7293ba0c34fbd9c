package taints

// Tolerates reports whether the toleration t tolerates taint. It mirrors
// Toleration.ToleratesTaint in k8s.io/api/core/v1:
//
//  1. An empty t.Effect matches every taint effect; otherwise the effects
//     must be equal.
//  2. An empty t.Key matches every taint key; otherwise the keys must be
//     equal.
//  3. The operator decides about the value. The empty operator means
//     [OpEqual]: the values must be equal. [OpExists] matches any value.
//  4. [OpLt] and [OpGt] never match unless [WithComparisonOperators] is
//     given. With it, both values must be decimal integers in canonical
//     form that fit in an int64 (no leading zeros, no '+', not "-0"), and
//     the taint's value must be less than (Lt) or greater than (Gt) the
//     toleration's.
//  5. Any other operator matches nothing.
//
// Comparisons are case-sensitive: "exists" is not an operator and
// "noschedule" is not an effect. Tolerates allocates nothing.
func (t *Toleration) Tolerates(taint *Taint, opts ...Option) bool {
	return t.tolerates(taint, evalOptions(opts))
}

func (t *Toleration) tolerates(taint *Taint, f optFlags) bool {
	if t.Effect != "" && t.Effect != taint.Effect {
		return false
	}
	if t.Key != "" && t.Key != taint.Key {
		return false
	}
	switch t.Operator {
	case "", OpEqual:
		return t.Value == taint.Value
	case OpExists:
		return true
	case OpLt, OpGt:
		if f&flagComparisonOperators == 0 {
			return false
		}
		limit, ok := parseDecimalInt64(t.Value)
		if !ok {
			return false
		}
		v, ok := parseDecimalInt64(taint.Value)
		if !ok {
			return false
		}
		if t.Operator == OpLt {
			return v < limit
		}
		return v > limit
	default:
		return false
	}
}

// Tolerated reports whether any of tolerations tolerates taint (upstream's
// TolerationsTolerateTaint in k8s.io/component-helpers).
func Tolerated(tolerations []Toleration, taint *Taint, opts ...Option) bool {
	return tolerated(tolerations, taint, evalOptions(opts))
}

func tolerated(tolerations []Toleration, taint *Taint, f optFlags) bool {
	for i := range tolerations {
		if tolerations[i].tolerates(taint, f) {
			return true
		}
	}
	return false
}

// FindUntolerated returns the first taint, in order, that passes filter and
// is not tolerated by any of tolerations, and true; or the zero Taint and
// false when every such taint is tolerated. A nil filter passes every taint.
// It mirrors FindMatchingUntoleratedTaint in k8s.io/component-helpers, and
// allocates nothing unless filter does.
func FindUntolerated(taints []Taint, tolerations []Toleration, filter func(*Taint) bool, opts ...Option) (Taint, bool) {
	f := evalOptions(opts)
	for i := range taints {
		if filter != nil && !filter(&taints[i]) {
			continue
		}
		if !tolerated(tolerations, &taints[i], f) {
			return taints[i], true
		}
	}
	return Taint{}, false
}

// FindUntoleratedWithEffects is [FindUntolerated] with a filter that passes
// the taints whose effect is in effects. Taints with an empty or unknown
// effect never pass. It allocates nothing, which makes it the form to use on
// hot paths such as the per-node DaemonSet eligibility check:
//
//	daemonEffects := taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)
//	taint, found := taints.FindUntoleratedWithEffects(node.Taints, tols, daemonEffects)
func FindUntoleratedWithEffects(taints []Taint, tolerations []Toleration, effects EffectSet, opts ...Option) (Taint, bool) {
	f := evalOptions(opts)
	for i := range taints {
		if !effects.Has(taints[i].Effect) {
			continue
		}
		if !tolerated(tolerations, &taints[i], f) {
			return taints[i], true
		}
	}
	return Taint{}, false
}

// EffectSet is a set of the three taint effects. The zero value is the
// empty set.
type EffectSet uint8

const (
	setNoSchedule EffectSet = 1 << iota
	setPreferNoSchedule
	setNoExecute
)

func effectBit(e Effect) EffectSet {
	switch e {
	case NoSchedule:
		return setNoSchedule
	case PreferNoSchedule:
		return setPreferNoSchedule
	case NoExecute:
		return setNoExecute
	default:
		return 0
	}
}

// EffectSetOf returns the set of the given effects. Values other than
// [NoSchedule], [PreferNoSchedule] and [NoExecute] are ignored.
func EffectSetOf(effects ...Effect) EffectSet {
	var s EffectSet
	for _, e := range effects {
		s |= effectBit(e)
	}
	return s
}

// Has reports whether e is in s. It is false for the empty effect and for
// unknown effects.
func (s EffectSet) Has(e Effect) bool {
	b := effectBit(e)
	return b != 0 && s&b != 0
}

// MatchTaint reports whether t and other have the same key and effect, the
// pair that identifies a taint on a node (v1.Taint.MatchTaint).
func (t *Taint) MatchTaint(other *Taint) bool {
	return t.Key == other.Key && t.Effect == other.Effect
}

// MatchToleration reports whether t and other have the same key, operator,
// value and effect, the four fields that identify a toleration
// (v1.Toleration.MatchToleration). TolerationSeconds is not compared.
func (t *Toleration) MatchToleration(other *Toleration) bool {
	return t.Key == other.Key &&
		t.Effect == other.Effect &&
		t.Operator == other.Operator &&
		t.Value == other.Value
}

// parseDecimalInt64 parses s when it is a decimal integer in canonical form
// that fits in an int64. Canonical form is upstream's content.IsDecimalInteger:
// "0", or an optional '-' followed by a digit 1-9 and more digits. Unlike
// strconv.ParseInt it never allocates, even on failure.
func parseDecimalInt64(s string) (int64, bool) {
	if !isDecimalInteger(s) {
		return 0, false
	}
	neg := s[0] == '-'
	digits := s
	limit := uint64(1<<63 - 1)
	if neg {
		digits = s[1:]
		limit = 1 << 63
	}
	var u uint64
	for i := 0; i < len(digits); i++ {
		d := uint64(digits[i] - '0')
		if u > (limit-d)/10 {
			return 0, false
		}
		u = u*10 + d
	}
	if neg {
		return -int64(u), true // -(1<<63) wraps to math.MinInt64, as intended
	}
	return int64(u), true
}

// isDecimalInteger mirrors content.IsDecimalInteger in k8s.io/apimachinery:
// "0", or an optional '-', a digit 1-9, then digits.
func isDecimalInteger(s string) bool {
	i := 0
	if i < len(s) && s[0] == '-' {
		i = 1
	}
	if i == len(s) {
		return false
	}
	if s[i] == '0' {
		return len(s) == 1
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
