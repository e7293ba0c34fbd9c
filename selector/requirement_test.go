package selector_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// TestRequirementMatchesExhaustive covers every operator against the key
// absent, and the key present with a value in and out of the requirement's
// values (and, for gt and lt, above, equal, below and not a number).
func TestRequirementMatchesExhaustive(t *testing.T) {
	absent := selector.Set{"other": "x"}
	tests := []struct {
		op     selector.Operator
		values []string
		labels selector.Set
		want   bool
	}{
		{selector.Equals, []string{"x"}, absent, false},
		{selector.Equals, []string{"x"}, selector.Set{"k": "x"}, true},
		{selector.Equals, []string{"x"}, selector.Set{"k": "y"}, false},
		{selector.Equals, []string{""}, selector.Set{"k": ""}, true},
		{selector.Equals, []string{""}, absent, false},
		{selector.DoubleEquals, []string{"x"}, absent, false},
		{selector.DoubleEquals, []string{"x"}, selector.Set{"k": "x"}, true},
		{selector.DoubleEquals, []string{"x"}, selector.Set{"k": "y"}, false},
		{selector.NotEquals, []string{"x"}, absent, true},
		{selector.NotEquals, []string{"x"}, selector.Set{"k": "x"}, false},
		{selector.NotEquals, []string{"x"}, selector.Set{"k": "y"}, true},
		{selector.In, []string{"x", "y"}, absent, false},
		{selector.In, []string{"x", "y"}, selector.Set{"k": "y"}, true},
		{selector.In, []string{"x", "y"}, selector.Set{"k": "z"}, false},
		{selector.In, []string{""}, selector.Set{"k": ""}, true},
		{selector.NotIn, []string{"x", "y"}, absent, true},
		{selector.NotIn, []string{"x", "y"}, selector.Set{"k": "x"}, false},
		{selector.NotIn, []string{"x", "y"}, selector.Set{"k": "z"}, true},
		{selector.Exists, nil, absent, false},
		{selector.Exists, nil, selector.Set{"k": ""}, true},
		{selector.DoesNotExist, nil, absent, true},
		{selector.DoesNotExist, nil, selector.Set{"k": ""}, false},
		{selector.GreaterThan, []string{"5"}, absent, false},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "6"}, true},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "5"}, false},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "-7"}, false},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "+7"}, true},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "007"}, true},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "x"}, false},
		{selector.GreaterThan, []string{"5"}, selector.Set{"k": "9223372036854775808"}, false},
		{selector.GreaterThan, []string{"007"}, selector.Set{"k": "8"}, true},
		{selector.LessThan, []string{"5"}, absent, false},
		{selector.LessThan, []string{"5"}, selector.Set{"k": "4"}, true},
		{selector.LessThan, []string{"5"}, selector.Set{"k": "5"}, false},
		{selector.LessThan, []string{"5"}, selector.Set{"k": "-9223372036854775808"}, true},
		{selector.LessThan, []string{"5"}, selector.Set{"k": ""}, false},
		{selector.LessThan, []string{"0"}, selector.Set{"k": "-0"}, false},
	}
	for _, tc := range tests {
		r, err := selector.NewRequirement("k", tc.op, tc.values)
		if err != nil {
			t.Fatalf("NewRequirement(k, %q, %q): %v", tc.op, tc.values, err)
		}
		t.Run(r.String()+"/"+selector.SelectorFromSet(tc.labels).String(), func(t *testing.T) {
			if got := r.Matches(tc.labels); got != tc.want {
				t.Errorf("%s.Matches(%v) = %v, want %v", r, tc.labels, got, tc.want)
			}
			// Labels stored other than in a Set match the same.
			if got := r.Matches(pairsOf(tc.labels)); got != tc.want {
				t.Errorf("%s.Matches(pairs %v) = %v, want %v", r, tc.labels, got, tc.want)
			}
			// A selector of one requirement agrees with it.
			if got := selector.Everything().Add(r).Matches(tc.labels); got != tc.want {
				t.Errorf("selector %s .Matches(%v) = %v, want %v", r, tc.labels, got, tc.want)
			}
		})
	}
}

func TestRequirementManyValues(t *testing.T) {
	// More values than the linear scan handles, to cover the binary search.
	values := []string{"v9", "v1", "v8", "v2", "v7", "v3", "v6", "v4", "v5", "v0", "v10", "v11"}
	r, err := selector.NewRequirement("k", selector.In, values)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if !r.Matches(selector.Set{"k": v}) {
			t.Errorf("%s does not match k=%s", r, v)
		}
	}
	for _, v := range []string{"", "v", "v12", "w", "a"} {
		if r.Matches(selector.Set{"k": v}) {
			t.Errorf("%s matches k=%s", r, v)
		}
	}
}

func TestRequirementZeroValue(t *testing.T) {
	var r selector.Requirement
	if r.Matches(selector.Set{"": ""}) || r.Matches(nil) {
		t.Error("the zero Requirement matches")
	}
}

func TestRequirementAccessors(t *testing.T) {
	r, err := selector.NewRequirement("example.com/k", selector.NotIn, []string{"b", "a", "b", ""})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Key(); got != "example.com/k" {
		t.Errorf("Key() = %q", got)
	}
	if got := r.Operator(); got != selector.NotIn {
		t.Errorf("Operator() = %q", got)
	}
	if diff := cmp.Diff([]string{"", "a", "b"}, r.Values()); diff != "" {
		t.Errorf("Values() mismatch (-want +got):\n%s", diff)
	}
	// Upstream prints duplicates; Parse merges them.
	if got, want := r.String(), "example.com/k notin (,a,b,b)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	// Values returns a copy.
	r.Values()[0] = "changed"
	if got := r.Values()[0]; got != "" {
		t.Errorf("Values() shares its slice: %q", got)
	}
}

func TestRequirementString(t *testing.T) {
	tests := []struct {
		op     selector.Operator
		values []string
		want   string
	}{
		{selector.Equals, []string{"x"}, "k=x"},
		{selector.DoubleEquals, []string{"x"}, "k==x"},
		{selector.NotEquals, []string{""}, "k!="},
		{selector.In, []string{"y", "x"}, "k in (x,y)"},
		{selector.In, []string{""}, "k in ()"},
		{selector.NotIn, []string{"x", ""}, "k notin (,x)"},
		{selector.Exists, nil, "k"},
		{selector.DoesNotExist, []string{}, "!k"},
		{selector.GreaterThan, []string{"007"}, "k>007"},
		{selector.LessThan, []string{"3"}, "k<3"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			r, err := selector.NewRequirement("k", tc.op, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNewRequirementErrors(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		op      selector.Operator
		values  []string
		wantErr string
	}{
		{name: "in without values (nil)", key: "a", op: selector.In, values: nil,
			wantErr: `values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`},
		{name: "notin without values", key: "a", op: selector.NotIn, values: []string{},
			wantErr: `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`},
		{name: "equals with two values", key: "a", op: selector.Equals, values: []string{"x", "y"},
			wantErr: `values: Invalid value: ["x","y"]: exact-match compatibility requires one single value`},
		{name: "not-equals without value", key: "a", op: selector.NotEquals, values: nil,
			wantErr: `values: Invalid value: null: exact-match compatibility requires one single value`},
		{name: "exists with a value", key: "a", op: selector.Exists, values: []string{"x"},
			wantErr: `values: Invalid value: ["x"]: values set must be empty for exists and does not exist`},
		{name: "gt with two values", key: "a", op: selector.GreaterThan, values: []string{"1", "2"},
			wantErr: `values: Invalid value: ["1","2"]: for 'Gt', 'Lt' operators, exactly one value is required`},
		{name: "lt not an integer", key: "a", op: selector.LessThan, values: []string{"1.5"},
			wantErr: `values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`},
		{name: "gt negative", key: "a", op: selector.GreaterThan, values: []string{"-1"},
			wantErr: `values[0][a]: Invalid value: "-1": ` + valueRegexMsg},
		{name: "unknown operator", key: "a", op: "In", values: []string{"x"},
			wantErr: `operator: Unsupported value: "In": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`},
		{name: "bad key", key: "", op: selector.Exists,
			wantErr: `key: Invalid value: "": name part must be non-empty; name part ` + nameRegexMsg},
		{name: "several problems", key: "-a", op: selector.In, values: []string{"-x", "y"},
			wantErr: `[key: Invalid value: "-a": name part ` + nameRegexMsg + `, values[0][-a]: Invalid value: "-x": ` + valueRegexMsg + `]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := selector.NewRequirement(tc.key, tc.op, tc.values)
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("NewRequirement(%q, %q, %q) error = %v, want %q", tc.key, tc.op, tc.values, err, tc.wantErr)
			}
			var fe *field.Error
			if !errors.As(err, &fe) {
				t.Errorf("error %v does not unwrap to a *field.Error", err)
			}
			if r.Key() != "" || r.Operator() != "" {
				t.Errorf("NewRequirement returned %v with its error, want the zero Requirement", r)
			}
		})
	}
}

func TestNewRequirementCopiesValues(t *testing.T) {
	values := []string{"x", "y"}
	r, err := selector.NewRequirement("k", selector.In, values)
	if err != nil {
		t.Fatal(err)
	}
	values[0] = "z"
	if !r.Matches(selector.Set{"k": "x"}) || r.Matches(selector.Set{"k": "z"}) {
		t.Errorf("the requirement %s shares the caller's values", r)
	}
}

// pairs is a [selector.Labels] that is not a Set: a list of key=value
// strings.
type pairs []string

func (p pairs) lookup(key string) (string, bool) {
	for _, kv := range p {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v, true
		}
	}
	return "", false
}

func (p pairs) Has(key string) bool { _, ok := p.lookup(key); return ok }

func (p pairs) Get(key string) string { v, _ := p.lookup(key); return v }

// pairsOf returns the labels of a set as pairs, in key order.
func pairsOf(s selector.Set) pairs {
	var p pairs
	for _, k := range slices.Sorted(maps.Keys(s)) {
		p = append(p, k+"="+s[k])
	}
	return p
}
