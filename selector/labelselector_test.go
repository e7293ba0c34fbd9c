package selector_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

func TestLabelSelectorAsSelector(t *testing.T) {
	tests := []struct {
		name    string
		ls      *selector.LabelSelector
		want    string // canonical string
		wantErr string
		matches selector.Set // nil: not checked
		misses  selector.Set
	}{
		{name: "nil selects nothing", ls: nil, want: "", misses: selector.Set{}},
		{name: "empty selects everything", ls: &selector.LabelSelector{}, want: "", matches: selector.Set{}},
		{name: "empty maps select everything", ls: &selector.LabelSelector{MatchLabels: map[string]string{}, MatchExpressions: []selector.LabelSelectorRequirement{}}, want: "", matches: selector.Set{"a": "b"}},
		{
			name: "labels and expressions",
			ls: &selector.LabelSelector{
				MatchLabels: map[string]string{"tier": "agent", "app": "x"},
				MatchExpressions: []selector.LabelSelectorRequirement{
					{Key: "app", Operator: selector.LabelSelectorOpIn, Values: []string{"x", "y", "x"}},
					{Key: "legacy", Operator: selector.LabelSelectorOpDoesNotExist},
					{Key: "app", Operator: selector.LabelSelectorOpNotIn, Values: []string{"z"}},
					{Key: "zone", Operator: selector.LabelSelectorOpExists},
				},
			},
			want:    "app=x,app in (x,x,y),app notin (z),!legacy,tier=agent,zone",
			matches: selector.Set{"app": "x", "tier": "agent", "zone": ""},
			misses:  selector.Set{"app": "x", "tier": "agent", "zone": "", "legacy": "1"},
		},
		{name: "Gt is rejected", ls: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "Gt", Values: []string{"1"}}}},
			wantErr: `"Gt" is not a valid pod selector operator`},
		{name: "operators are case-sensitive", ls: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "in", Values: []string{"1"}}}},
			wantErr: `"in" is not a valid pod selector operator`},
		{name: "empty operator", ls: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a"}}},
			wantErr: `"" is not a valid pod selector operator`},
		{name: "In without values", ls: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "In", Values: []string{}}}},
			wantErr: `values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`},
		{name: "Exists with values", ls: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "Exists", Values: []string{"x"}}}},
			wantErr: `values: Invalid value: ["x"]: values set must be empty for exists and does not exist`},
		{name: "bad value", ls: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "NotIn", Values: []string{"ok", "x/y"}}}},
			wantErr: `values[1][a]: Invalid value: "x/y": ` + valueRegexMsg},
		{name: "first bad label in key order", ls: &selector.LabelSelector{MatchLabels: map[string]string{"z": "-1", "-b": "x", "a": "ok"}},
			wantErr: `key: Invalid value: "-b": name part ` + nameRegexMsg},
		{name: "labels before expressions", ls: &selector.LabelSelector{
			MatchLabels:      map[string]string{"a": "-1"},
			MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "Gt"}}},
			wantErr: `values[0][a]: Invalid value: "-1": ` + valueRegexMsg},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := tc.ls.AsSelector()
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("AsSelector() error = %v, want %q", err, tc.wantErr)
				}
				if sel.Matches(selector.Set{}) || tc.ls.Matches(selector.Set{"a": "1"}) {
					t.Error("an invalid selector matches")
				}
				if got := tc.ls.String(); got != "<error>" {
					t.Errorf("String() = %q, want \"<error>\"", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("AsSelector() error = %v", err)
			}
			if got := sel.String(); got != tc.want {
				t.Errorf("AsSelector().String() = %q, want %q", got, tc.want)
			}
			if got := tc.ls.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
			if tc.matches != nil && (!sel.Matches(tc.matches) || !tc.ls.Matches(tc.matches)) {
				t.Errorf("%q does not match %v", tc.want, tc.matches)
			}
			if tc.misses != nil && (sel.Matches(tc.misses) || tc.ls.Matches(tc.misses)) {
				t.Errorf("%q matches %v", tc.want, tc.misses)
			}
		})
	}
}

func TestLabelSelectorIsEmpty(t *testing.T) {
	tests := []struct {
		ls   *selector.LabelSelector
		want bool
	}{
		{nil, false},
		{&selector.LabelSelector{}, true},
		{&selector.LabelSelector{MatchLabels: map[string]string{}}, true},
		{&selector.LabelSelector{MatchLabels: map[string]string{"a": "b"}}, false},
		{&selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "a", Operator: "Exists"}}}, false},
	}
	for _, tc := range tests {
		if got := tc.ls.IsEmpty(); got != tc.want {
			t.Errorf("%+v.IsEmpty() = %v, want %v", tc.ls, got, tc.want)
		}
	}
}

func TestValidateLabelSelector(t *testing.T) {
	p := field.NewPath("spec", "selector")
	tests := []struct {
		name string
		ls   *selector.LabelSelector
		want []string
	}{
		{name: "nil", ls: nil},
		{name: "empty", ls: &selector.LabelSelector{}},
		{name: "valid", ls: &selector.LabelSelector{
			MatchLabels: map[string]string{"app": "x"},
			MatchExpressions: []selector.LabelSelectorRequirement{
				{Key: "a", Operator: "In", Values: []string{""}},
				{Key: "b", Operator: "DoesNotExist"},
			},
		}},
		{
			name: "every kind of problem",
			ls: &selector.LabelSelector{
				MatchLabels: map[string]string{"b": "x y", "-a": "1"},
				MatchExpressions: []selector.LabelSelectorRequirement{
					{Key: "a", Operator: "In"},
					{Key: "a", Operator: "NotIn", Values: []string{}},
					{Key: "a", Operator: "Exists", Values: []string{"x"}},
					{Key: "a", Operator: "DoesNotExist", Values: []string{""}},
					{Key: "a/b/c", Operator: "Gt", Values: []string{"1", "-1"}},
				},
			},
			want: []string{
				`spec.selector.matchLabels: Invalid value: "-a": name part ` + nameRegexMsg,
				`spec.selector.matchLabels: Invalid value: "x y": ` + valueRegexMsg,
				"spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
				"spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
				"spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
				"spec.selector.matchExpressions[3].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
				`spec.selector.matchExpressions[4].operator: Invalid value: "Gt": not a valid selector operator`,
				`spec.selector.matchExpressions[4].key: Invalid value: "a/b/c": ` + tooManySlashes,
				`spec.selector.matchExpressions[4].values[1]: Invalid value: "-1": ` + valueRegexMsg,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := selector.ValidateLabelSelector(tc.ls, p)
			if diff := cmp.Diff(tc.want, errorStrings(errs)); diff != "" {
				t.Errorf("ValidateLabelSelector mismatch (-want +got):\n%s", diff)
			}
			// The API validation and the compiler agree on validity.
			if _, err := tc.ls.AsSelector(); (err == nil) != (len(errs) == 0) {
				t.Errorf("AsSelector() error = %v, but ValidateLabelSelector found %d errors", err, len(errs))
			}
		})
	}
}
