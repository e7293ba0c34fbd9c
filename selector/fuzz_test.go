package selector_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/daemonsim/daemonsim/selector"
)

// The seed corpora in testdata/fuzz/ are inputs of the conformance vectors.

// FuzzParse checks that Parse never panics, and that a selector it accepts
// prints in a canonical form that parses back to the same selector.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := selector.Parse(s)
		if err != nil {
			if !sel.Empty() {
				t.Errorf("Parse(%q) failed with a non-empty selector %q", s, sel)
			}
			return
		}
		canon := sel.String()
		again, err := selector.Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, canon, err)
		}
		if got := again.String(); got != canon {
			t.Fatalf("Parse(%q) = %q, which parses to %q", s, canon, got)
		}
		for _, l := range probeLabels(sel) {
			if a, b := sel.Matches(l), again.Matches(l); a != b {
				t.Errorf("Parse(%q).Matches(%v) = %v, but its reparse %q gives %v", s, l, a, canon, b)
			}
		}
	})
}

// FuzzLabelSelector checks that compiling and validating any LabelSelector
// never panics, that both agree on validity, and that the canonical string
// of a valid selector parses to an equivalent selector.
func FuzzLabelSelector(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var ls *selector.LabelSelector
		if err := json.Unmarshal(data, &ls); err != nil {
			return
		}
		sel, err := ls.AsSelector()
		errs := selector.ValidateLabelSelector(ls, nil)
		if (err == nil) != (len(errs) == 0) {
			t.Fatalf("%s: AsSelector error = %v, but validation found %d errors: %v", data, err, len(errs), errs)
		}
		_ = ls.String()
		_ = ls.IsEmpty()
		if err != nil || ls == nil {
			return // nil is Nothing, which has no string form of its own
		}
		canon := sel.String()
		if canon != ls.String() {
			t.Errorf("%s: String() = %q, AsSelector().String() = %q", data, ls.String(), canon)
		}
		again, err := selector.Parse(canon)
		if err != nil {
			t.Fatalf("%s: canonical form %q does not parse: %v", data, canon, err)
		}
		if !hasDuplicateValues(ls) && again.String() != canon {
			t.Fatalf("%s: canonical form %q parses to %q", data, canon, again.String())
		}
		for _, l := range probeLabels(sel) {
			if a, b := sel.Matches(l), again.Matches(l); a != b {
				t.Errorf("%s: Matches(%v) = %v, but the parsed %q gives %v", data, l, a, canon, b)
			}
			if a, b := sel.Matches(l), ls.Matches(l); a != b {
				t.Errorf("%s: Selector.Matches(%v) = %v, LabelSelector.Matches %v", data, l, a, b)
			}
		}
	})
}

// hasDuplicateValues reports whether an expression lists a value twice,
// which the canonical string keeps and Parse merges.
func hasDuplicateValues(ls *selector.LabelSelector) bool {
	for _, e := range ls.MatchExpressions {
		v := slices.Clone(e.Values)
		slices.Sort(v)
		if len(slices.Compact(v)) != len(e.Values) {
			return true
		}
	}
	return false
}

// probeLabels returns label sets that exercise a selector: none, and each
// of its keys set to each of its values, alone and together.
func probeLabels(sel selector.Selector) []selector.Set {
	probes := []selector.Set{{}}
	all := selector.Set{}
	for _, r := range sel.Requirements() {
		values := append(r.Values(), "", "9")
		for _, v := range values {
			probes = append(probes, selector.Set{r.Key(): v})
		}
		all[r.Key()] = values[0]
	}
	return append(probes, all)
}
