package selector

import (
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/field"
)

// Operator is the operator of a [Requirement], as written in a selector
// string. Its values are those of k8s.io/apimachinery/pkg/selection.
type Operator string

// The operators of a [Requirement].
const (
	Equals       Operator = "="
	DoubleEquals Operator = "=="
	NotEquals    Operator = "!="
	In           Operator = "in"
	NotIn        Operator = "notin"
	Exists       Operator = "exists"
	DoesNotExist Operator = "!"
	GreaterThan  Operator = "gt"
	LessThan     Operator = "lt"
)

// binaryOperators and validOperators are listed in upstream's order, which
// shows in error messages.
var (
	binaryOperators = []string{
		string(In), string(NotIn), string(Equals), string(DoubleEquals), string(NotEquals),
		string(GreaterThan), string(LessThan),
	}
	validOperators = append(slices.Clip(binaryOperators), string(Exists), string(DoesNotExist))
)

// Requirement is one condition of a [Selector]: a label key, an operator and
// a set of values. Build one with [NewRequirement] or [Parse]; the zero
// value is invalid and matches nothing. A Requirement is immutable.
type Requirement struct {
	key    string
	op     Operator
	values []string // sorted; duplicates kept, as upstream prints them
	bound  int64    // the integer of the only value, for GreaterThan and LessThan
}

// NewRequirement returns the requirement that the label key relates to
// vals by op. It fails when:
//
//  1. key is not a valid label key (see [IsQualifiedName]);
//  2. op is In or NotIn and vals is empty;
//  3. op is Equals, DoubleEquals or NotEquals and vals does not hold
//     exactly one value;
//  4. op is Exists or DoesNotExist and vals is not empty;
//  5. op is GreaterThan or LessThan and vals does not hold exactly one
//     value, or it is not a decimal int64;
//  6. a value is not a valid label value (see [IsValidLabelValue]); the
//     empty string is valid;
//  7. op is none of the above.
//
// The error, if any, is a [field.Aggregate] of every problem found; the
// Requirement is then the zero value. Mirrors labels.NewRequirement in
// k8s.io/apimachinery, messages included.
func NewRequirement(key string, op Operator, vals []string) (Requirement, error) {
	return newRequirement(key, op, vals, nil)
}

// newRequirement is NewRequirement with the field path that prefixes the
// error fields (nil for none).
func newRequirement(key string, op Operator, vals []string, path *field.Path) (Requirement, error) {
	var errs field.ErrorList
	if msgs := IsQualifiedName(key); len(msgs) > 0 {
		errs = append(errs, field.Invalid(path.Child("key"), key, strings.Join(msgs, "; ")))
	}
	var bound int64
	switch op {
	case In, NotIn:
		if len(vals) == 0 {
			errs = append(errs, field.Invalid(path.Child("values"), vals, "for 'in', 'notin' operators, values set can't be empty"))
		}
	case Equals, DoubleEquals, NotEquals:
		if len(vals) != 1 {
			errs = append(errs, field.Invalid(path.Child("values"), vals, "exact-match compatibility requires one single value"))
		}
	case Exists, DoesNotExist:
		if len(vals) != 0 {
			errs = append(errs, field.Invalid(path.Child("values"), vals, "values set must be empty for exists and does not exist"))
		}
	case GreaterThan, LessThan:
		if len(vals) != 1 {
			errs = append(errs, field.Invalid(path.Child("values"), vals, "for 'Gt', 'Lt' operators, exactly one value is required"))
		}
		for i, v := range vals {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs = append(errs, field.Invalid(path.Child("values").Index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
			}
			bound = n
		}
	default:
		errs = append(errs, field.NotSupported(path.Child("operator"), string(op), validOperators))
	}
	for i, v := range vals {
		if msgs := IsValidLabelValue(v); len(msgs) > 0 {
			errs = append(errs, field.Invalid(path.Child("values").Index(i).Key(key), v, strings.Join(msgs, "; ")))
		}
	}
	if len(errs) > 0 {
		return Requirement{}, errs.ToAggregate()
	}
	values := slices.Clone(vals)
	slices.Sort(values)
	return Requirement{key: key, op: op, values: values, bound: bound}, nil
}

// Key returns the label key the requirement is about.
func (r Requirement) Key() string { return r.key }

// Operator returns the requirement's operator.
func (r Requirement) Operator() Operator { return r.op }

// Values returns the requirement's values, sorted and without duplicates.
// The slice is the caller's.
func (r Requirement) Values() []string {
	return slices.Compact(slices.Clone(r.values))
}

// Matches reports whether the labels satisfy the requirement. It does when
//
//  1. the operator is Exists and the labels have the key;
//  2. the operator is In, Equals or DoubleEquals, the labels have the key
//     and its value is one of the requirement's values;
//  3. the operator is NotIn or NotEquals, and the labels either lack the
//     key or its value is none of the requirement's values;
//  4. the operator is DoesNotExist and the labels lack the key;
//  5. the operator is GreaterThan (LessThan), the labels have the key, its
//     value parses as a decimal int64 (a sign is allowed) and that number
//     is greater (less) than the requirement's.
//
// A nil Labels has no labels. Matches does not allocate.
func (r Requirement) Matches(ls Labels) bool {
	if ls == nil {
		ls = Set(nil)
	}
	return r.matches(ls)
}

func (r *Requirement) matches(ls Labels) bool {
	if s, ok := ls.(Set); ok {
		return r.matchesSet(s)
	}
	if !ls.Has(r.key) {
		return r.holds("", false)
	}
	return r.holds(ls.Get(r.key), true)
}

// matchesSet is matches for a [Set]: one map access, no interface call.
// Callers that match several requirements against one Labels test for a
// Set once and call it directly; the indirections per requirement were a
// fifth of a node's eligibility check.
func (r *Requirement) matchesSet(s Set) bool {
	v, ok := s[r.key]
	return r.holds(v, ok)
}

// holds reports whether the requirement holds of a label whose value is v,
// or of its absence when present is false.
func (r *Requirement) holds(v string, present bool) bool {
	switch r.op {
	case In, Equals, DoubleEquals:
		return present && r.hasValue(v)
	case NotIn, NotEquals:
		return !present || !r.hasValue(v)
	case Exists:
		return present
	case DoesNotExist:
		return !present
	case GreaterThan, LessThan:
		if !present {
			return false
		}
		n, ok := parseInt64(v)
		if !ok {
			return false
		}
		if r.op == GreaterThan {
			return n > r.bound
		}
		return n < r.bound
	}
	return false
}

// lookup returns the value of key and whether it is present, with one map
// access when ls is a [Set].
func lookup(ls Labels, key string) (string, bool) {
	if s, ok := ls.(Set); ok {
		v, ok := s[key]
		return v, ok
	}
	if !ls.Has(key) {
		return "", false
	}
	return ls.Get(key), true
}

// hasValue reports whether v is one of the (sorted) values.
func (r *Requirement) hasValue(v string) bool {
	if len(r.values) <= 8 {
		for _, x := range r.values {
			if x == v {
				return true
			}
		}
		return false
	}
	_, found := slices.BinarySearch(r.values, v)
	return found
}

// String renders the requirement in selector syntax, as upstream does:
// "key", "!key", "key=v", "key==v", "key!=v", "key in (a,b)",
// "key notin (a,b)", "key>5" or "key<5", values sorted. [Parse] reads it
// back.
func (r Requirement) String() string {
	var b strings.Builder
	if r.op == DoesNotExist {
		b.WriteByte('!')
	}
	b.WriteString(r.key)
	switch r.op {
	case Exists, DoesNotExist:
		return b.String()
	case Equals, DoubleEquals, NotEquals:
		b.WriteString(string(r.op))
	case In, NotIn:
		b.WriteString(" " + string(r.op) + " (")
	case GreaterThan:
		b.WriteByte('>')
	case LessThan:
		b.WriteByte('<')
	}
	b.WriteString(strings.Join(r.values, ","))
	if r.op == In || r.op == NotIn {
		b.WriteByte(')')
	}
	return b.String()
}

// parseInt64 parses s as strconv.ParseInt(s, 10, 64) does: an optional
// sign, then one or more decimal digits, within the int64 range. Unlike
// ParseInt it never allocates, so matching stays allocation-free when a
// label is not a number.
func parseInt64(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	limit := uint64(1<<63 - 1)
	if neg {
		limit = 1 << 63
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if s[i] < '0' || s[i] > '9' || n > (limit-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if neg {
		return int64(-n), true
	}
	return int64(n), true
}
