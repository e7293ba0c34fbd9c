package taints

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/internal/conformance"
)

const (
	nameRegexMsg   = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
	valueRegexMsg  = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
	prefixRegexMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)

// TestConformanceLabelKeysValues checks the key and value rules that
// taint and toleration validation share with labels against
// label_keys_values.json (IsQualifiedName, IsValidLabelValue).
func TestConformanceLabelKeysValues(t *testing.T) {
	type vector struct {
		Kind  string `json:"kind"`
		Input string `json:"input"`
		Valid bool   `json:"valid"`
	}
	cases := conformance.Load[vector](t, "label_keys_values.json")
	for i, c := range cases {
		var errs []string
		switch c.Kind {
		case "key":
			errs = qualifiedNameErrors(c.Input)
		case "value":
			errs = labelValueErrors(c.Input)
		default:
			t.Fatalf("case %d: unknown kind %q", i, c.Kind)
		}
		if got := len(errs) == 0; got != c.Valid {
			t.Errorf("case %d: %s %q: valid = %v, want %v (errors: %q)", i, c.Kind, c.Input, got, c.Valid, errs)
		}
	}
	t.Logf("checked %d label key and value vectors", len(cases))
}

func TestQualifiedNameErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "simple", in: "dedicated"},
		{name: "prefixed", in: "node.kubernetes.io/not-ready"},
		{name: "upper-name", in: "example.com/GPU_type.v2"},
		{name: "long-prefix-label", in: strings.Repeat("y", 64) + "/a"},
		{name: "empty", in: "", want: []string{"name part must be non-empty", "name part " + nameRegexMsg}},
		{name: "empty-prefix", in: "/a", want: []string{"prefix part must be non-empty"}},
		{name: "empty-name", in: "example.com/", want: []string{"name part must be non-empty", "name part " + nameRegexMsg}},
		{name: "upper-prefix", in: "Example.com/a", want: []string{"prefix part " + prefixRegexMsg}},
		{name: "bad-name", in: "-a", want: []string{"name part " + nameRegexMsg}},
		{name: "name-too-long", in: strings.Repeat("a", 64), want: []string{"name part must be no more than 63 bytes"}},
		{name: "prefix-too-long", in: strings.Repeat("a", 254) + "/a", want: []string{"prefix part must be no more than 253 bytes"}},
		{
			name: "two-slashes", in: "a/b/c",
			want: []string{"a valid label key " + nameRegexMsg + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"},
		},
		{name: "equals", in: "k=v", want: []string{"name part " + nameRegexMsg}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, qualifiedNameErrors(tc.in)); diff != "" {
				t.Errorf("qualifiedNameErrors(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestLabelValueErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "empty", in: ""},
		{name: "simple", in: "gpu"},
		{name: "max", in: strings.Repeat("v", 63)},
		{name: "too-long", in: strings.Repeat("v", 64), want: []string{"must be no more than 63 bytes"}},
		{name: "too-long-and-bad", in: strings.Repeat("v", 63) + "-", want: []string{"must be no more than 63 bytes", valueRegexMsg}},
		{name: "slash", in: "a/b", want: []string{valueRegexMsg}},
		{name: "trailing-dot", in: "a.", want: []string{valueRegexMsg}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, labelValueErrors(tc.in)); diff != "" {
				t.Errorf("labelValueErrors(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestParseDecimalInt64(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		wantOK bool
	}{
		{"0", 0, true},
		{"7", 7, true},
		{"-7", -7, true},
		{"100", 100, true},
		{"9223372036854775807", 1<<63 - 1, true},
		{"-9223372036854775808", -1 << 63, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"-0", 0, false},
		{"00", 0, false},
		{"007", 0, false},
		{"+7", 0, false},
		{" 7", 0, false},
		{"7 ", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"1_000", 0, false},
		{"--1", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseDecimalInt64(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseDecimalInt64(%q) = %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
