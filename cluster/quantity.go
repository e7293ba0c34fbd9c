package cluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ResourceName names a resource: "cpu", "memory", "pods".
type ResourceName string

// The resources the scheduler stand-in accounts for.
const (
	ResourceCPU              ResourceName = "cpu"
	ResourceMemory           ResourceName = "memory"
	ResourcePods             ResourceName = "pods"
	ResourceEphemeralStorage ResourceName = "ephemeral-storage"
)

// ResourceList maps resources to quantities.
type ResourceList map[ResourceName]Quantity

// Quantity is a Kubernetes resource quantity such as "100m", "2", "1Gi" or
// "1e3". It keeps the text it was written as, for printing, and its value
// in thousandths of a unit (rounded up, as upstream's MilliValue), for
// arithmetic. The zero value is 0.
type Quantity struct {
	text  string
	milli int64
}

// ParseQuantity parses a quantity in the Kubernetes syntax:
// a signed decimal number followed by a binary suffix (Ki, Mi, Gi, Ti, Pi,
// Ei), a decimal suffix (n, u, m, k, M, G, T, P, E) or an exponent (e3,
// E-2).
func ParseQuantity(s string) (Quantity, error) {
	if s == "" {
		return Quantity{}, fmt.Errorf("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
	}
	num, suffix := splitQuantity(s)
	if num == "" || strings.Count(num, ".") > 1 || num == "." || num == "+" || num == "-" {
		return Quantity{}, errQuantitySyntax
	}
	if milli, ok := exactMilli(num, suffix); ok {
		return Quantity{text: s, milli: milli}, nil
	}
	milli, err := bigMilli(num, suffix)
	if err == errQuantityTooLarge {
		return Quantity{}, fmt.Errorf("quantity %q is too large", s)
	}
	if err != nil {
		return Quantity{}, err
	}
	return Quantity{text: s, milli: milli}, nil
}

var errQuantityTooLarge = fmt.Errorf("quantity is too large")

// bigMilli computes a quantity's thousandths with exact rationals,
// rounding up to a whole thousandth, as MilliValue does.
func bigMilli(num, suffix string) (int64, error) {
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, errQuantitySyntax
	}
	mult, err := suffixMultiplier(suffix)
	if err != nil {
		return 0, err
	}
	r.Mul(r, mult)
	r.Mul(r, big.NewRat(1000, 1))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if new(big.Rat).SetInt(q).Cmp(r) < 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, errQuantityTooLarge
	}
	return q.Int64(), nil
}

// milliMultipliers are the suffixes whose multiplier is a whole number of
// thousandths, with that number.
var milliMultipliers = map[string]int64{
	"": 1e3, "m": 1, "k": 1e6, "M": 1e9, "G": 1e12, "T": 1e15,
	"Ki": 1 << 10 * 1e3, "Mi": 1 << 20 * 1e3, "Gi": 1 << 30 * 1e3, "Ti": 1 << 40 * 1e3,
}

// exactMilli is the common case of ParseQuantity without big numbers: an
// integer (no fraction, at most 15 digits) and a suffix of
// milliMultipliers whose product fits in an int64. It reports false for
// anything else, which ParseQuantity then parses in full.
func exactMilli(num, suffix string) (int64, bool) {
	mult, ok := milliMultipliers[suffix]
	if !ok {
		return 0, false
	}
	digits := strings.TrimLeft(num, "+-")
	if len(num)-len(digits) > 1 || digits == "" || len(digits) > 15 || strings.Contains(digits, ".") {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, false
	}
	if num[0] == '-' {
		return -n * mult, true
	}
	return n * mult, true
}

var errQuantitySyntax = fmt.Errorf("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")

func splitQuantity(s string) (num, suffix string) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	return s[:i], s[i:]
}

func suffixMultiplier(suffix string) (*big.Rat, error) {
	pow := func(base, exp int64) *big.Rat {
		return new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(base), big.NewInt(exp), nil))
	}
	switch suffix {
	case "":
		return big.NewRat(1, 1), nil
	case "n":
		return big.NewRat(1, 1e9), nil
	case "u":
		return big.NewRat(1, 1e6), nil
	case "m":
		return big.NewRat(1, 1e3), nil
	case "k":
		return pow(10, 3), nil
	case "M":
		return pow(10, 6), nil
	case "G":
		return pow(10, 9), nil
	case "T":
		return pow(10, 12), nil
	case "P":
		return pow(10, 15), nil
	case "E":
		return pow(10, 18), nil
	case "Ki":
		return pow(2, 10), nil
	case "Mi":
		return pow(2, 20), nil
	case "Gi":
		return pow(2, 30), nil
	case "Ti":
		return pow(2, 40), nil
	case "Pi":
		return pow(2, 50), nil
	case "Ei":
		return pow(2, 60), nil
	}
	if suffix[0] == 'e' || suffix[0] == 'E' {
		exp, err := strconv.ParseInt(suffix[1:], 10, 32)
		if err != nil || exp > 30 || exp < -30 {
			return nil, errQuantitySyntax
		}
		if exp >= 0 {
			return pow(10, exp), nil
		}
		return new(big.Rat).Inv(pow(10, -exp)), nil
	}
	return nil, fmt.Errorf("unable to parse quantity's suffix")
}

// MustParseQuantity is [ParseQuantity] for constants in code; it panics on
// a malformed quantity.
func MustParseQuantity(s string) Quantity {
	q, err := ParseQuantity(s)
	if err != nil {
		panic("cluster: MustParseQuantity(" + strconv.Quote(s) + "): " + err.Error())
	}
	return q
}

// NewMilliQuantity returns the quantity of milli thousandths of a unit,
// written like "100m" (or "2" for whole units).
func NewMilliQuantity(milli int64) Quantity {
	if milli%1000 == 0 {
		return Quantity{text: strconv.FormatInt(milli/1000, 10), milli: milli}
	}
	return Quantity{text: strconv.FormatInt(milli, 10) + "m", milli: milli}
}

// MilliValue returns the quantity in thousandths of a unit.
func (q Quantity) MilliValue() int64 { return q.milli }

// Value returns the quantity in whole units, rounded up.
func (q Quantity) Value() int64 {
	v := q.milli / 1000
	if q.milli%1000 > 0 {
		v++
	}
	return v
}

// IsZero reports whether the quantity is zero.
func (q Quantity) IsZero() bool { return q.milli == 0 }

// String returns the quantity as it was written.
func (q Quantity) String() string {
	if q.text == "" {
		return "0"
	}
	return q.text
}

// MarshalJSON writes the quantity as a JSON string.
func (q Quantity) MarshalJSON() ([]byte, error) { return json.Marshal(q.String()) }

// UnmarshalJSON reads a quantity from a JSON string or number.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && !bytes.ContainsAny(b[1:len(b)-1], "\\\""):
		s = string(b[1 : len(b)-1]) // a string without escapes, as quantities are
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	default:
		s = string(b)
	}
	p, err := ParseQuantity(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*q = p
	return nil
}

// IntOrString is an integer or a string such as "25%" (intstr.IntOrString).
type IntOrString struct {
	IsString bool
	IntVal   int32
	StrVal   string
}

// FromInt returns an IntOrString holding the integer v.
func FromInt(v int32) IntOrString { return IntOrString{IntVal: v} }

// FromString returns an IntOrString holding the string s.
func FromString(s string) IntOrString { return IntOrString{IsString: true, StrVal: s} }

// String returns the integer in decimal, or the string.
func (v IntOrString) String() string {
	if v.IsString {
		return v.StrVal
	}
	return strconv.Itoa(int(v.IntVal))
}

// MarshalJSON writes a JSON number or string.
func (v IntOrString) MarshalJSON() ([]byte, error) {
	if v.IsString {
		return json.Marshal(v.StrVal)
	}
	return json.Marshal(v.IntVal)
}

// UnmarshalJSON reads a JSON number or string.
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v.IsString = true
		v.IntVal = 0
		return json.Unmarshal(b, &v.StrVal)
	}
	v.IsString = false
	v.StrVal = ""
	return json.Unmarshal(b, &v.IntVal)
}

// ScaledValue resolves v against total as upstream's
// GetScaledValueFromIntOrPercent does: an integer is itself; "N%" is N
// percent of total, rounded up when roundUp and down otherwise. Any other
// string is an error.
func (v IntOrString) ScaledValue(total int, roundUp bool) (int, error) {
	if !v.IsString {
		return int(v.IntVal), nil
	}
	s, ok := strings.CutSuffix(v.StrVal, "%")
	if !ok {
		return 0, fmt.Errorf("invalid value for IntOrString: invalid type: string is not a percentage")
	}
	p, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q: %v", v.StrVal, err)
	}
	if roundUp {
		return int(math.Ceil(float64(p) * float64(total) / 100)), nil
	}
	return int(math.Floor(float64(p) * float64(total) / 100)), nil
}
