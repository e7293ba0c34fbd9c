package daemonset_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/internal/conformance"
)

// fieldError is the {field, type} pair the vectors record per error.
type fieldError struct {
	Field string `json:"field"`
	Type  string `json:"type"`
}

// validationCase is one line of daemonset_validation.json.
type validationCase struct {
	DaemonSet                     json.RawMessage `json:"daemonSet"`
	Mutations                     []string        `json:"mutations"`
	Valid                         bool            `json:"valid"`
	Errors                        []fieldError    `json:"errors"`
	ErrorDetails                  []string        `json:"errorDetails"`
	DefaultedUpdateStrategy       json.RawMessage `json:"defaultedUpdateStrategy"`
	DefaultedRevisionHistoryLimit *int32          `json:"defaultedRevisionHistoryLimit"`
}

// TestConformanceValidation checks apps/v1 defaulting and ValidateDaemonSet
// against daemonset_validation.json: the sorted, de-duplicated {field,
// type} pairs, the full error messages, and the defaulted update strategy
// and revision history limit.
func TestConformanceValidation(t *testing.T) {
	cases := conformance.Load[validationCase](t, "daemonset_validation.json")
	unknown := newUnknownFields()
	ambiguous := 0
	for i, tc := range cases {
		t.Run(fmt.Sprintf("case%03d", i), func(t *testing.T) {
			ds := new(daemonset.DaemonSet)
			if err := json.Unmarshal(tc.DaemonSet, ds); err != nil {
				t.Fatalf("decode daemonSet: %v", err)
			}
			unknown.add("daemonSet", tc.DaemonSet, ds)
			ds.Default(cluster.Modern)
			errs := daemonset.ValidateDaemonSet(ds, cluster.Modern)

			want := slices.Clone(tc.Errors)
			if want == nil {
				want = []fieldError{}
			}
			if diff := cmp.Diff(want, errorPairs(errs)); diff != "" {
				t.Errorf("mutations %q: errors mismatch (-want +got):\n%s", tc.Mutations, diff)
			}
			if tc.ErrorDetails != nil {
				wantMsgs := slices.Clone(tc.ErrorDetails)
				if ds.Spec.Template.Labels == nil {
					// The input cannot tell a nil template label map from an
					// empty one (labels is omitempty), but upstream prints
					// them differently: null and {}. Decoding gives nil.
					for j, m := range wantMsgs {
						if n := strings.Replace(m, nilLabelsAsEmpty, nilLabelsAsNull, 1); n != m {
							wantMsgs[j] = n
							ambiguous++
						}
					}
					slices.Sort(wantMsgs)
				}
				if diff := cmp.Diff(wantMsgs, errorMessages(errs)); diff != "" {
					t.Errorf("mutations %q: error messages mismatch (-want +got):\n%s", tc.Mutations, diff)
				}
			}
			if tc.Valid != (len(errs) == 0) {
				t.Errorf("valid = %v, want %v", len(errs) == 0, tc.Valid)
			}
			gotStrategy, err := json.Marshal(ds.Spec.UpdateStrategy)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(decodeAny(t, tc.DefaultedUpdateStrategy), decodeAny(t, gotStrategy)); diff != "" {
				t.Errorf("defaulted updateStrategy mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.DefaultedRevisionHistoryLimit, ds.Spec.RevisionHistoryLimit); diff != "" {
				t.Errorf("defaulted revisionHistoryLimit mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Logf("checked %d cases of daemonset_validation.json", len(cases))
	t.Logf("%d messages print an absent template label map as {} where decoding gives nil (null); compared as null", ambiguous)
	unknown.log(t)
}

// The two renderings of absent template labels in a selector mismatch.
const (
	nilLabelsAsEmpty = "spec.template.metadata.labels: Invalid value: {}: "
	nilLabelsAsNull  = "spec.template.metadata.labels: Invalid value: null: "
)

// shouldRunCase is one line of should_run.json.
type shouldRunCase struct {
	Node                  json.RawMessage `json:"node"`
	DaemonSet             json.RawMessage `json:"daemonSet"`
	ShouldRun             bool            `json:"shouldRun"`
	ShouldContinueRunning bool            `json:"shouldContinueRunning"`
}

// TestConformanceShouldRun checks NodeShouldRun and Eligibility.ShouldRun
// against should_run.json, and that Explain agrees with them.
func TestConformanceShouldRun(t *testing.T) {
	cases := conformance.Load[shouldRunCase](t, "should_run.json")
	unknown := newUnknownFields()
	for i, tc := range cases {
		t.Run(fmt.Sprintf("case%03d", i), func(t *testing.T) {
			node, ds := new(cluster.Node), new(daemonset.DaemonSet)
			if err := json.Unmarshal(tc.Node, node); err != nil {
				t.Fatalf("decode node: %v", err)
			}
			if err := json.Unmarshal(tc.DaemonSet, ds); err != nil {
				t.Fatalf("decode daemonSet: %v", err)
			}
			unknown.add("node", tc.Node, node)
			unknown.add("daemonSet", tc.DaemonSet, ds)
			run, cont := daemonset.NodeShouldRun(node, ds)
			if run != tc.ShouldRun || cont != tc.ShouldContinueRunning {
				t.Errorf("NodeShouldRun = (%v, %v), want (%v, %v)\nnode: %s\ndaemonSet: %s",
					run, cont, tc.ShouldRun, tc.ShouldContinueRunning, tc.Node, tc.DaemonSet)
			}
			v := daemonset.Explain(node, ds, cluster.Modern)
			if v.ShouldRun != run || v.ShouldContinueRunning != cont {
				t.Errorf("Explain = (%v, %v), want NodeShouldRun's (%v, %v)", v.ShouldRun, v.ShouldContinueRunning, run, cont)
			}
			if (len(v.Reasons) == 0) != run {
				t.Errorf("Explain reasons %q with shouldRun=%v: reasons must be empty exactly when shouldRun", v.Reasons, run)
			}
		})
	}
	t.Logf("checked %d cases of should_run.json", len(cases))
	unknown.log(t)
}

func errorPairs(errs field.ErrorList) []fieldError {
	seen := map[fieldError]bool{}
	out := []fieldError{}
	for _, e := range errs {
		fe := fieldError{Field: e.Field, Type: string(e.Type)}
		if !seen[fe] {
			seen[fe] = true
			out = append(out, fe)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Field != out[j].Field {
			return out[i].Field < out[j].Field
		}
		return out[i].Type < out[j].Type
	})
	return out
}

func errorMessages(errs field.ErrorList) []string {
	set := map[string]bool{}
	if len(errs) == 0 {
		return []string{}
	}
	for _, e := range errs {
		set[e.Error()] = true
	}
	return slices.Sorted(maps.Keys(set))
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// unknownFields counts the fields of the vectors that the simulator's
// types do not have, by JSON path: such fields are ignored when decoding.
type unknownFields map[string]int

func newUnknownFields() unknownFields { return unknownFields{} }

// add records the fields of raw, a JSON object, that the type of decoded
// (a pointer) has no field for.
func (u unknownFields) add(prefix string, raw []byte, decoded any) {
	var in any
	if json.Unmarshal(raw, &in) != nil {
		return
	}
	u.walk(prefix, in, reflect.TypeOf(decoded))
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func (u unknownFields) walk(path string, in any, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface {
		return // decoded by its own rules, or kept as it is
	}
	switch x := in.(type) {
	case map[string]any:
		if t.Kind() == reflect.Map {
			for k, v := range x {
				u.walk(path+"."+k, v, t.Elem())
			}
			return
		}
		if t.Kind() != reflect.Struct {
			return
		}
		fields := jsonFields(t)
		for k, v := range x {
			ft, ok := fields[k]
			if !ok {
				u[path+"."+k]++
				continue
			}
			u.walk(path+"."+k, v, ft)
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, v := range x {
				u.walk(path+"[]", v, t.Elem())
			}
		}
	}
}

// jsonFields maps the JSON names of struct type t's fields, inline
// embedded structs included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				maps.Copy(out, jsonFields(ft))
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func (u unknownFields) log(t *testing.T) {
	if len(u) == 0 {
		t.Logf("no unknown fields")
		return
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(u)) {
		parts = append(parts, fmt.Sprintf("%s (%d)", k, u[k]))
	}
	t.Logf("fields the types do not carry, ignored: %s", strings.Join(parts, ", "))
}
