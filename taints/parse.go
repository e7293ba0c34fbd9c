package taints

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidSpec is the error every [ParseTaint] and [ParseTaintChange]
// failure wraps; test for it with errors.Is.
var ErrInvalidSpec = errors.New("taints: invalid taint spec")

// ParseTaint parses a taint written as kubectl taint writes one to add:
//
//	taint  = key [ "=" value ] ":" effect
//	key    = [ prefix "/" ] name          (a label key)
//	value  = label value, possibly empty
//	effect = "NoSchedule" | "PreferNoSchedule" | "NoExecute"
//
// For example "dedicated=gpu:NoSchedule" or "example.com/maintenance:NoExecute".
//
//  1. The key must be a qualified name and the value a valid label value,
//     with upstream's validation messages.
//  2. The effect is required, and case-sensitive.
//  3. A trailing "-" (removal) is not accepted here; see [ParseTaintChange].
//     "key" alone is rejected: it can only name taints to remove.
//
// It mirrors parseTaints in k8s.io/kubectl/pkg/cmd/taint, and its checks
// come in kubectl's order: the effect, then the value, then the key. Errors
// wrap [ErrInvalidSpec], quote the argument as given, and carry kubectl's
// detail when kubectl has one:
//
//	taints: invalid taint spec "gpu:Sometimes": invalid taint effect: Sometimes, unsupported taint effect
func ParseTaint(s string) (Taint, error) {
	t, err := parseTaint(s, s)
	if err != nil {
		return Taint{}, err
	}
	if t.Effect == "" {
		// kubectl: the form <key> may be used to remove a taint, but not
		// to add one.
		return Taint{}, invalidSpec(s, "")
	}
	return t, nil
}

// ParseTaintChange parses one argument of kubectl taint: a taint to add, in
// the syntax of [ParseTaint], or a taint to remove, written with a trailing
// "-":
//
//	change  = taint | removal
//	removal = key [ [ "=" value ] ":" effect ] "-"
//
// For a removal, remove is true and the returned taint holds the key and the
// effect only; an empty effect means every taint with that key. As in
// kubectl, a value in a removal is validated and then dropped, because taints
// are identified by key and effect. Examples: "dedicated-",
// "dedicated:NoSchedule-", "dedicated=gpu:NoSchedule-".
func ParseTaintChange(s string) (taint Taint, remove bool, err error) {
	spec, found := strings.CutSuffix(s, "-")
	if !found {
		t, err := ParseTaint(s)
		return t, false, err
	}
	t, err := parseTaint(spec, s)
	if err != nil {
		return Taint{}, false, err
	}
	return Taint{Key: t.Key, Effect: t.Effect}, true, nil
}

// parseTaint parses spec, one of "key=value:effect", "key:effect" or "key",
// and reports errors against orig, the argument as the user wrote it. It
// mirrors parseTaint in k8s.io/kubectl/pkg/cmd/taint, including its order of
// checks: the effect, then the value, then the key.
func parseTaint(spec, orig string) (Taint, error) {
	var key, value string
	var effect Effect
	switch parts := strings.Split(spec, ":"); len(parts) {
	case 1:
		key = parts[0]
	case 2:
		effect = Effect(parts[1])
		if effectBit(effect) == 0 {
			return Taint{}, invalidSpec(orig, "invalid taint effect: "+parts[1]+", unsupported taint effect")
		}
		kv := strings.Split(parts[0], "=")
		if len(kv) > 2 {
			return Taint{}, invalidSpec(orig, "")
		}
		key = kv[0]
		if len(kv) == 2 {
			value = kv[1]
			if errs := labelValueErrors(value); len(errs) > 0 {
				return Taint{}, invalidSpec(orig, strings.Join(errs, "; "))
			}
		}
	default:
		return Taint{}, invalidSpec(orig, "")
	}
	if errs := qualifiedNameErrors(key); len(errs) > 0 {
		return Taint{}, invalidSpec(orig, strings.Join(errs, "; "))
	}
	return Taint{Key: key, Value: value, Effect: effect}, nil
}

func invalidSpec(s, detail string) error {
	if detail == "" {
		return fmt.Errorf("%w %q", ErrInvalidSpec, s)
	}
	return fmt.Errorf("%w %q: %s", ErrInvalidSpec, s, detail)
}
