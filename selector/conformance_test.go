package selector_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/internal/conformance"
	"github.com/daemonsim/daemonsim/selector"
)

// The conformance vectors were produced by the real Kubernetes libraries;
// see testdata/conformance/README.md for their schemas.

type matchCase struct {
	Labels map[string]string `json:"labels"`
	Match  bool              `json:"match"`
}

type fieldErr struct {
	Field string `json:"field"`
	Type  string `json:"type"`
}

// caseName is a short, readable subtest name for a case.
func caseName(i int, input string) string {
	if len(input) > 40 {
		input = input[:40] + "…"
	}
	return fmt.Sprintf("%d/%q", i, input)
}

func TestConformanceLabelKeysValues(t *testing.T) {
	type kvCase struct {
		Kind  string `json:"kind"`
		Input string `json:"input"`
		Valid bool   `json:"valid"`
	}
	cases := conformance.Load[kvCase](t, "label_keys_values.json")
	checked := 0
	for i, tc := range cases {
		t.Run(caseName(i, tc.Kind+":"+tc.Input), func(t *testing.T) {
			var msgs []string
			switch tc.Kind {
			case "key":
				msgs = selector.IsQualifiedName(tc.Input)
				// The field-error form agrees with the message form.
				if got := len(selector.ValidateLabelName(tc.Input, field.NewPath("k"))); got != len(msgs) {
					t.Errorf("ValidateLabelName(%q) gave %d errors, IsQualifiedName %d messages", tc.Input, got, len(msgs))
				}
			case "value":
				msgs = selector.IsValidLabelValue(tc.Input)
			default:
				t.Fatalf("unknown kind %q", tc.Kind)
			}
			if got := len(msgs) == 0; got != tc.Valid {
				t.Errorf("%s %q: valid = %v, want %v (messages: %q)", tc.Kind, tc.Input, got, tc.Valid, msgs)
			}
			checked++
		})
	}
	t.Logf("checked %d label key/value cases", checked)
}

func TestConformanceSelectorStrings(t *testing.T) {
	type stringCase struct {
		Input     string      `json:"input"`
		Valid     bool        `json:"valid"`
		Canonical string      `json:"canonical"`
		Cases     []matchCase `json:"cases"`
	}
	cases := conformance.Load[stringCase](t, "selector_strings.json")
	checked, matches := 0, 0
	for i, tc := range cases {
		t.Run(caseName(i, tc.Input), func(t *testing.T) {
			sel, err := selector.Parse(tc.Input)
			if got := err == nil; got != tc.Valid {
				t.Fatalf("Parse(%q) error = %v, want valid = %v", tc.Input, err, tc.Valid)
			}
			checked++
			if !tc.Valid {
				return
			}
			if got := sel.String(); got != tc.Canonical {
				t.Errorf("Parse(%q).String() = %q, want %q", tc.Input, got, tc.Canonical)
			}
			for _, mc := range tc.Cases {
				if got := sel.Matches(selector.Set(mc.Labels)); got != mc.Match {
					t.Errorf("Parse(%q).Matches(%v) = %v, want %v", tc.Input, mc.Labels, got, mc.Match)
				}
				matches++
			}
		})
	}
	t.Logf("checked %d selector strings and %d match cases", checked, matches)
}

func TestConformanceLabelSelectors(t *testing.T) {
	type lsCase struct {
		Selector          *selector.LabelSelector `json:"selector"`
		Valid             bool                    `json:"valid"`
		Canonical         string                  `json:"canonical"`
		ValidationErrors  []fieldErr              `json:"validationErrors"`
		ValidationDetails []string                `json:"validationDetails"`
		Cases             []matchCase             `json:"cases"`
	}
	cases := conformance.Load[lsCase](t, "label_selectors.json")
	checked, matches := 0, 0
	for i, tc := range cases {
		in, _ := json.Marshal(tc.Selector)
		t.Run(caseName(i, string(in)), func(t *testing.T) {
			errs := selector.ValidateLabelSelector(tc.Selector, nil)
			var gotErrs []fieldErr
			var gotDetails []string
			for _, e := range errs {
				gotErrs = append(gotErrs, fieldErr{Field: e.Field, Type: string(e.Type)})
				gotDetails = append(gotDetails, e.Error())
			}
			if diff := cmp.Diff(sortedSet(tc.ValidationErrors, cmpFieldErr), sortedSet(gotErrs, cmpFieldErr)); diff != "" {
				t.Errorf("ValidateLabelSelector(%s) errors mismatch (-want +got):\n%s", in, diff)
			}
			if diff := cmp.Diff(sortedSet(tc.ValidationDetails, strings.Compare), sortedSet(gotDetails, strings.Compare)); diff != "" {
				t.Errorf("ValidateLabelSelector(%s) messages mismatch (-want +got):\n%s", in, diff)
			}

			sel, err := tc.Selector.AsSelector()
			if got := err == nil; got != tc.Valid {
				t.Fatalf("AsSelector(%s) error = %v, want valid = %v", in, err, tc.Valid)
			}
			checked++
			if !tc.Valid {
				if got := tc.Selector.String(); got != "<error>" {
					t.Errorf("String() of invalid %s = %q, want \"<error>\"", in, got)
				}
				return
			}
			if got := sel.String(); got != tc.Canonical {
				t.Errorf("AsSelector(%s).String() = %q, want %q", in, got, tc.Canonical)
			}
			if got := tc.Selector.String(); got != tc.Canonical {
				t.Errorf("LabelSelector.String() of %s = %q, want %q", in, got, tc.Canonical)
			}
			for _, mc := range tc.Cases {
				if got := sel.Matches(selector.Set(mc.Labels)); got != mc.Match {
					t.Errorf("AsSelector(%s).Matches(%v) = %v, want %v", in, mc.Labels, got, mc.Match)
				}
				if got := tc.Selector.Matches(selector.Set(mc.Labels)); got != mc.Match {
					t.Errorf("LabelSelector(%s).Matches(%v) = %v, want %v", in, mc.Labels, got, mc.Match)
				}
				matches++
			}
		})
	}
	t.Logf("checked %d label selectors and %d match cases", checked, matches)
}

func TestConformanceNodeAffinity(t *testing.T) {
	type affinity struct {
		NodeAffinity *struct {
			Required *selector.NodeSelector `json:"requiredDuringSchedulingIgnoredDuringExecution"`
		} `json:"nodeAffinity"`
	}
	type naCase struct {
		NodeSelector map[string]string `json:"nodeSelector"`
		Affinity     *affinity         `json:"affinity"`
		Node         struct {
			Name   string            `json:"name"`
			Labels map[string]string `json:"labels"`
		} `json:"node"`
		Match bool `json:"match"`
		Error bool `json:"error"`
	}
	cases := conformance.Load[naCase](t, "node_affinity.json")
	checked := 0
	for i, tc := range cases {
		in, _ := json.Marshal(struct {
			A any `json:"a"`
			S any `json:"s"`
		}{tc.Affinity, tc.NodeSelector})
		t.Run(caseName(i, string(in)), func(t *testing.T) {
			var required *selector.NodeSelector
			if tc.Affinity != nil && tc.Affinity.NodeAffinity != nil {
				required = tc.Affinity.NodeAffinity.Required
			}
			a := selector.NewRequiredNodeAffinity(tc.NodeSelector, required)
			labels := selector.Set(tc.Node.Labels)
			got, err := a.Match(tc.Node.Name, labels)
			if got != tc.Match || (err != nil) != tc.Error {
				t.Errorf("Match(%q, %v) on %s = (%v, %v), want (%v, error %v)", tc.Node.Name, tc.Node.Labels, in, got, err, tc.Match, tc.Error)
			}
			if reasons := a.Explain(tc.Node.Name, labels); (len(reasons) == 0) != tc.Match {
				t.Errorf("Explain(%q, %v) on %s = %q, want reasons exactly when Match is false", tc.Node.Name, tc.Node.Labels, in, reasons)
			}
			if len(tc.NodeSelector) == 0 && required != nil {
				if got := required.Matches(tc.Node.Name, labels); got != tc.Match {
					t.Errorf("NodeSelector.Matches(%q, %v) on %s = %v, want %v", tc.Node.Name, tc.Node.Labels, in, got, tc.Match)
				}
			}
			checked++
		})
	}
	t.Logf("checked %d node affinity cases", checked)
}

func cmpFieldErr(a, b fieldErr) int {
	if c := strings.Compare(a.Field, b.Field); c != 0 {
		return c
	}
	return strings.Compare(a.Type, b.Type)
}

// sortedSet returns s sorted and without duplicates, and never nil, so that
// an empty list from JSON and no errors compare equal.
func sortedSet[T comparable](s []T, cmp func(a, b T) int) []T {
	out := append([]T{}, s...)
	slices.SortFunc(out, cmp)
	return slices.Compact(out)
}

// TestConformanceDaemonSetValidationSelectors checks the parts of
// daemonset_validation.json that this package validates: the error
// messages under spec.selector.*, spec.template.spec.nodeSelector and the
// required node affinity. (The rest of that file is the cluster package's.)
func TestConformanceDaemonSetValidationSelectors(t *testing.T) {
	type dsCase struct {
		DaemonSet struct {
			Spec struct {
				Selector *selector.LabelSelector `json:"selector"`
				Template struct {
					Spec struct {
						NodeSelector map[string]string `json:"nodeSelector"`
						Affinity     *struct {
							NodeAffinity *struct {
								Required *selector.NodeSelector `json:"requiredDuringSchedulingIgnoredDuringExecution"`
							} `json:"nodeAffinity"`
						} `json:"affinity"`
					} `json:"spec"`
				} `json:"template"`
			} `json:"spec"`
		} `json:"daemonSet"`
		ErrorDetails []string `json:"errorDetails"`
	}
	const (
		selectorPrefix     = "spec.selector."
		nodeSelectorPrefix = "spec.template.spec.nodeSelector:"
		requiredPath       = "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
	)
	cases := conformance.Load[dsCase](t, "daemonset_validation.json")
	checked, messages := 0, 0
	for i, tc := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			var want []string
			for _, d := range tc.ErrorDetails {
				if strings.HasPrefix(d, selectorPrefix) || strings.HasPrefix(d, nodeSelectorPrefix) || strings.HasPrefix(d, requiredPath+".") {
					want = append(want, d)
				}
			}
			spec := tc.DaemonSet.Spec
			errs := selector.ValidateLabelSelector(spec.Selector, field.NewPath("spec", "selector"))
			errs = append(errs, selector.ValidateLabels(spec.Template.Spec.NodeSelector, field.NewPath("spec", "template", "spec", "nodeSelector"))...)
			if a := spec.Template.Spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.Required != nil {
				p := field.NewPath("spec", "template", "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
				errs = append(errs, selector.ValidateNodeSelector(a.NodeAffinity.Required, p)...)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(sortedSet(want, strings.Compare), sortedSet(got, strings.Compare)); diff != "" {
				t.Errorf("selector validation messages mismatch (-want +got):\n%s", diff)
			}
			checked++
			messages += len(want)
		})
	}
	t.Logf("checked %d DaemonSets (%d selector-related messages)", checked, messages)
}
