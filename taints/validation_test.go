package taints_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/taints"
)

func errorStrings(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestValidateTolerations(t *testing.T) {
	const p = "spec.template.spec.tolerations"
	tests := []struct {
		name   string
		tols   []taints.Toleration
		gate   bool
		want   []string
		reason string
	}{
		{name: "nil"},
		{
			name: "valid",
			tols: []taints.Toleration{
				{Operator: taints.OpExists},
				{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.NoSchedule},
				{Key: "dedicated", Value: "gpu"},
				{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(300)},
				{Key: "k", Operator: taints.OpExists, Effect: taints.PreferNoSchedule},
			},
		},
		{
			name: "empty-key-equal", tols: []taints.Toleration{{Operator: taints.OpEqual, Value: "v1"}},
			want: []string{p + `[0].operator: Invalid value: "Equal": operator must be Exists when ` + "`key`" + ` is empty, which means "match all values and all keys"`},
		},
		{
			name: "empty-key-empty-operator", tols: []taints.Toleration{{}},
			want: []string{p + `[0].operator: Invalid value: "": operator must be Exists when ` + "`key`" + ` is empty, which means "match all values and all keys"`},
		},
		{
			name: "seconds-without-no-execute", tols: []taints.Toleration{{Key: "k1", Operator: taints.OpExists, Effect: taints.NoSchedule, TolerationSeconds: seconds(30)}},
			want: []string{p + `[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when ` + "`tolerationSeconds`" + ` is set`},
		},
		{
			name: "seconds-empty-effect", tols: []taints.Toleration{{Key: "k1", Operator: taints.OpExists, TolerationSeconds: seconds(30)}},
			want: []string{p + `[0].effect: Invalid value: "": effect must be 'NoExecute' when ` + "`tolerationSeconds`" + ` is set`},
		},
		{
			name: "bad-effect", tols: []taints.Toleration{{Key: "k1", Operator: taints.OpExists, Effect: "Bogus"}},
			want: []string{p + `[0].effect: Unsupported value: "Bogus": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`},
		},
		{
			name: "gt-gate-off", tols: []taints.Toleration{{Key: "level", Operator: taints.OpGt, Value: "3", Effect: taints.NoSchedule}},
			want: []string{p + `[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists", "Lt", "Gt"`},
		},
		{name: "lt-gate-on", gate: true, tols: []taints.Toleration{{Key: "level", Operator: taints.OpLt, Value: "-3"}}},
		{
			name: "lt-gate-on-not-canonical", gate: true, tols: []taints.Toleration{{Key: "level", Operator: taints.OpLt, Value: "03"}},
			want:   []string{p + `[0].value: Invalid value: "03": must be a valid decimal integer in canonical form`},
			reason: "content.IsDecimalInteger's message; the field upstream uses is an assumption",
		},
		{
			name: "gt-gate-on-empty", gate: true, tols: []taints.Toleration{{Key: "level", Operator: taints.OpGt}},
			want: []string{p + `[0].value: Invalid value: "": must be non-empty`},
		},
		{
			name: "unknown-operator", tols: []taints.Toleration{{Key: "k", Operator: "exists"}},
			want: []string{p + `[0].operator: Unsupported value: "exists": supported values: "Equal", "Exists", "Lt", "Gt"`},
		},
		{
			name: "exists-with-value", tols: []taints.Toleration{{Key: "k", Operator: taints.OpExists, Value: "v"}},
			want: []string{p + `[0].operator: Invalid value: "v": value must be empty when ` + "`operator`" + ` is 'Exists'`},
		},
		{
			name: "bad-value", tols: []taints.Toleration{{Key: "k", Value: "-v"}},
			want:   []string{p + `[0].operator: Invalid value: "-v": ` + valueRegexMsg},
			reason: "upstream reports the value at the operator's path",
		},
		{
			name: "bad-key", tols: []taints.Toleration{{Key: "a/b/c", Operator: taints.OpExists}},
			want: []string{p + `[0].key: Invalid value: "a/b/c": a valid label key ` + nameRegexMsg + ` with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`},
		},
		{
			name: "key-two-messages", tols: []taints.Toleration{{Key: "/", Operator: taints.OpExists}},
			want: []string{
				p + `[0].key: Invalid value: "/": prefix part must be non-empty`,
				p + `[0].key: Invalid value: "/": name part must be non-empty`,
				p + `[0].key: Invalid value: "/": name part ` + nameRegexMsg,
			},
		},
		{
			name: "all-at-once",
			tols: []taints.Toleration{
				{Key: "ok", Operator: taints.OpExists},
				{Operator: "Bogus", Value: "x", Effect: "Bogus", TolerationSeconds: seconds(1)},
			},
			want: []string{
				p + `[1].operator: Invalid value: "Bogus": operator must be Exists when ` + "`key`" + ` is empty, which means "match all values and all keys"`,
				p + `[1].effect: Invalid value: "Bogus": effect must be 'NoExecute' when ` + "`tolerationSeconds`" + ` is set`,
				p + `[1].operator: Unsupported value: "Bogus": supported values: "Equal", "Exists", "Lt", "Gt"`,
				p + `[1].effect: Unsupported value: "Bogus": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
			},
			reason: "per toleration: key, empty-key operator, seconds, operator and value, effect",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []taints.Option
			if tc.gate {
				opts = gateOn
			}
			got := errorStrings(taints.ValidateTolerations(tc.tols, field.NewPath("spec", "template", "spec", "tolerations"), opts...))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ValidateTolerations(%v) mismatch (-want +got):\n%s (%s)", tc.tols, diff, tc.reason)
			}
		})
	}
}

func TestValidateTaints(t *testing.T) {
	const p = "spec.taints"
	added := time.Date(2024, 1, 2, 3, 4, 5, 600, time.FixedZone("X", 3600))
	tests := []struct {
		name   string
		taints []taints.Taint
		want   []string
		reason string
	}{
		{name: "nil"},
		{
			name: "valid",
			taints: []taints.Taint{
				{Key: taints.NodeNotReady, Effect: taints.NoExecute, TimeAdded: &added},
				{Key: taints.NodeNotReady, Effect: taints.NoSchedule},
				{Key: "dedicated", Value: "gpu", Effect: taints.PreferNoSchedule},
			},
			reason: "the same key with another effect is a different taint",
		},
		{
			name: "empty-effect", taints: []taints.Taint{{Key: "k"}},
			want: []string{p + `[0].effect: Required value`},
		},
		{
			name: "bad-effect", taints: []taints.Taint{{Key: "k", Effect: "NoScheduleNoAdmit"}},
			want: []string{p + `[0].effect: Unsupported value: "NoScheduleNoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`},
		},
		{
			name: "bad-key-and-value", taints: []taints.Taint{{Key: "", Value: "v-", Effect: taints.NoSchedule}},
			want: []string{
				p + `[0].key: Invalid value: "": name part must be non-empty`,
				p + `[0].key: Invalid value: "": name part ` + nameRegexMsg,
				p + `[0].value: Invalid value: "v-": ` + valueRegexMsg,
			},
		},
		{
			name: "duplicate",
			taints: []taints.Taint{
				{Key: "k", Value: "a", Effect: taints.NoSchedule},
				{Key: "k", Value: "b", Effect: taints.NoExecute},
				{Key: "k", Value: "c", Effect: taints.NoSchedule},
				{Key: "k", Effect: taints.NoSchedule},
			},
			want: []string{
				p + `[2]: Duplicate value: {"Key":"k","Value":"c","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair`,
				p + `[3]: Duplicate value: {"Key":"k","Value":"","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair`,
			},
			reason: "upstream prints the internal core.Taint, whose fields have no JSON tags",
		},
		{
			name: "duplicate-time-added",
			taints: []taints.Taint{
				{Key: "k", Effect: taints.NoExecute},
				{Key: "k", Effect: taints.NoExecute, TimeAdded: &added},
			},
			want: []string{
				p + `[1]: Duplicate value: {"Key":"k","Value":"","Effect":"NoExecute","TimeAdded":"2024-01-02T02:04:05Z"}: taints must be unique by key and effect pair`,
			},
			reason: "metav1.Time prints RFC 3339 in UTC, whole seconds",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := errorStrings(taints.ValidateTaints(tc.taints, field.NewPath("spec", "taints")))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ValidateTaints(%v) mismatch (-want +got):\n%s (%s)", tc.taints, diff, tc.reason)
			}
		})
	}
}
