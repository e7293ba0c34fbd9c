package selector_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// Upstream's messages, copied from the conformance vectors' details.
const (
	nameRegexMsg   = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
	valueRegexMsg  = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
	subdomainMsg   = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
	dnsLabelMsg    = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
	tooManySlashes = "a valid label key " + nameRegexMsg + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
)

func TestIsQualifiedName(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []string
		reason string
	}{
		{name: "simple", in: "app"},
		{name: "upper case", in: "App"},
		{name: "dots dashes underscores", in: "a.b-c_d"},
		{name: "digits", in: "123-abc"},
		{name: "prefixed", in: "example.com/app"},
		{name: "63 bytes", in: strings.Repeat("a", 63)},
		{name: "long prefix label", in: strings.Repeat("y", 64) + "/a", reason: "the prefix's DNS labels have no length limit"},
		{name: "253-byte prefix", in: strings.Repeat("a", 253) + "/a"},
		{name: "empty", in: "", want: []string{"name part must be non-empty", "name part " + nameRegexMsg}},
		{name: "64 bytes", in: strings.Repeat("a", 64), want: []string{"name part must be no more than 63 bytes"}},
		{name: "leading dash", in: "-a", want: []string{"name part " + nameRegexMsg}},
		{name: "trailing dot", in: "a.", want: []string{"name part " + nameRegexMsg}},
		{name: "space", in: "a b", want: []string{"name part " + nameRegexMsg}},
		{name: "non-ASCII", in: "ü", want: []string{"name part " + nameRegexMsg}},
		{name: "empty prefix", in: "/a", want: []string{"prefix part must be non-empty"}},
		{name: "empty name", in: "a/", want: []string{"name part must be non-empty", "name part " + nameRegexMsg}},
		{name: "upper-case prefix", in: "Example.com/a", want: []string{"prefix part " + subdomainMsg}},
		{name: "254-byte prefix", in: strings.Repeat("a", 254) + "/a", want: []string{"prefix part must be no more than 253 bytes"}},
		{name: "bad prefix and name", in: "-x/-y", want: []string{"prefix part " + subdomainMsg, "name part " + nameRegexMsg}},
		{name: "two slashes", in: "a/b/c", want: []string{tooManySlashes}},
		{name: "only slashes", in: "//", want: []string{tooManySlashes}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, selector.IsQualifiedName(tc.in)); diff != "" {
				t.Errorf("IsQualifiedName(%q) mismatch (-want +got):\n%s%s", tc.in, diff, tc.reason)
			}
		})
	}
}

func TestIsValidLabelValue(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "empty", in: ""},
		{name: "simple", in: "x"},
		{name: "mixed", in: "My_value-1.2"},
		{name: "63 bytes", in: strings.Repeat("v", 63)},
		{name: "64 bytes", in: strings.Repeat("v", 64), want: []string{"must be no more than 63 bytes"}},
		{name: "64 bytes and bad", in: strings.Repeat("v", 63) + "-", want: []string{"must be no more than 63 bytes", valueRegexMsg}},
		{name: "leading dash", in: "-1", want: []string{valueRegexMsg}},
		{name: "slash", in: "x/y", want: []string{valueRegexMsg}},
		{name: "space", in: "x y", want: []string{valueRegexMsg}},
		{name: "non-ASCII", in: "ü", want: []string{valueRegexMsg}},
		{name: "trailing newline", in: "x\n", want: []string{valueRegexMsg}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, selector.IsValidLabelValue(tc.in)); diff != "" {
				t.Errorf("IsValidLabelValue(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestIsDNS1123(t *testing.T) {
	tests := []struct {
		in            string
		wantLabel     []string
		wantSubdomain []string
	}{
		{in: "node-1"},
		{in: "0"},
		{in: "a.b", wantLabel: []string{"must not contain dots"}},
		{in: "", wantLabel: []string{dnsLabelMsg}, wantSubdomain: []string{subdomainMsg}},
		{in: "Node", wantLabel: []string{dnsLabelMsg}, wantSubdomain: []string{subdomainMsg}},
		{in: "a-", wantLabel: []string{dnsLabelMsg}, wantSubdomain: []string{subdomainMsg}},
		{in: "a..b", wantLabel: []string{dnsLabelMsg}, wantSubdomain: []string{subdomainMsg}},
		{in: strings.Repeat("a", 64), wantLabel: []string{"must be no more than 63 bytes"}},
		{in: strings.Repeat("a", 254), wantLabel: []string{"must be no more than 63 bytes"}, wantSubdomain: []string{"must be no more than 253 bytes"}},
		{in: strings.Repeat("a", 64) + ".b", wantLabel: []string{"must be no more than 63 bytes", "must not contain dots"}},
	}
	for _, tc := range tests {
		name := tc.in
		if len(name) > 10 {
			name = name[:10] + "…"
		}
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.wantLabel, selector.IsDNS1123Label(tc.in)); diff != "" {
				t.Errorf("IsDNS1123Label(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			if diff := cmp.Diff(tc.wantSubdomain, selector.IsDNS1123Subdomain(tc.in)); diff != "" {
				t.Errorf("IsDNS1123Subdomain(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// errorStrings renders a list for comparison.
func errorStrings(errs field.ErrorList) []string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return s
}

func TestValidateLabels(t *testing.T) {
	p := field.NewPath("metadata", "labels")
	tests := []struct {
		name   string
		labels map[string]string
		want   []string
		reason string
	}{
		{name: "nil", labels: nil},
		{name: "valid", labels: map[string]string{"app": "web", "example.com/tier": "", "z": "1"}},
		{
			name:   "bad keys and values, in key order",
			labels: map[string]string{"z": "-x", "-a": "ok", "b": "x/y", "/c": "v"},
			want: []string{
				`metadata.labels: Invalid value: "-a": name part ` + nameRegexMsg,
				`metadata.labels: Invalid value: "/c": prefix part must be non-empty`,
				`metadata.labels: Invalid value: "x/y": ` + valueRegexMsg,
				`metadata.labels: Invalid value: "-x": ` + valueRegexMsg,
			},
			reason: "keys are reported in sorted order ('-' < '/' < 'b' < 'z'); value errors carry the value",
		},
		{
			name:   "key and value of one label",
			labels: map[string]string{"a/": strings.Repeat("v", 64)},
			want: []string{
				`metadata.labels: Invalid value: "a/": name part must be non-empty`,
				`metadata.labels: Invalid value: "a/": name part ` + nameRegexMsg,
				`metadata.labels: Invalid value: "` + strings.Repeat("v", 64) + `": must be no more than 63 bytes`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := selector.ValidateLabels(tc.labels, p)
			if diff := cmp.Diff(tc.want, errorStrings(errs)); diff != "" {
				t.Errorf("ValidateLabels(%v) mismatch (-want +got):\n%s%s", tc.labels, diff, tc.reason)
			}
			for _, e := range errs {
				if e.Type != field.ErrorTypeInvalid {
					t.Errorf("ValidateLabels(%v): error type %s, want %s", tc.labels, e.Type, field.ErrorTypeInvalid)
				}
			}
		})
	}
}

func TestValidateLabelName(t *testing.T) {
	p := field.NewPath("spec", "key")
	if errs := selector.ValidateLabelName("example.com/a", p); errs != nil {
		t.Errorf("ValidateLabelName(valid) = %v, want nil", errs)
	}
	want := []string{
		`spec.key: Invalid value: "Example.com/": prefix part ` + subdomainMsg,
		`spec.key: Invalid value: "Example.com/": name part must be non-empty`,
		`spec.key: Invalid value: "Example.com/": name part ` + nameRegexMsg,
	}
	if diff := cmp.Diff(want, errorStrings(selector.ValidateLabelName("Example.com/", p))); diff != "" {
		t.Errorf("ValidateLabelName mismatch (-want +got):\n%s", diff)
	}
}
