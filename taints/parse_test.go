package taints_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/taints"
)

const (
	nameRegexMsg  = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
	valueRegexMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)

func TestParseTaint(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    taints.Taint
		wantErr string
		reason  string
	}{
		{name: "key-value-effect", in: "dedicated=gpu:NoSchedule", want: taints.Taint{Key: "dedicated", Value: "gpu", Effect: taints.NoSchedule}},
		{name: "key-effect", in: "node.kubernetes.io/not-ready:NoExecute", want: taints.Taint{Key: taints.NodeNotReady, Effect: taints.NoExecute}},
		{name: "prefer", in: "a:PreferNoSchedule", want: taints.Taint{Key: "a", Effect: taints.PreferNoSchedule}},
		{name: "empty-value", in: "a=:NoSchedule", want: taints.Taint{Key: "a", Effect: taints.NoSchedule}, reason: "an empty value is a valid label value"},
		{name: "numeric-value", in: "sla=950:NoSchedule", want: taints.Taint{Key: "sla", Value: "950", Effect: taints.NoSchedule}},
		{name: "key-only", in: "dedicated", wantErr: `taints: invalid taint spec "dedicated"`, reason: "<key> can only remove"},
		{name: "key-value-only", in: "dedicated=gpu", wantErr: `taints: invalid taint spec "dedicated=gpu": name part ` + nameRegexMsg, reason: "without ':' the whole spec is the key"},
		{name: "removal", in: "dedicated:NoSchedule-", wantErr: `taints: invalid taint spec "dedicated:NoSchedule-": invalid taint effect: NoSchedule-, unsupported taint effect`},
		{name: "removal-key", in: "dedicated-", wantErr: `taints: invalid taint spec "dedicated-": name part ` + nameRegexMsg},
		{name: "bad-effect", in: "a=b:Sometimes", wantErr: `taints: invalid taint spec "a=b:Sometimes": invalid taint effect: Sometimes, unsupported taint effect`},
		{name: "lower-effect", in: "a:noschedule", wantErr: `taints: invalid taint spec "a:noschedule": invalid taint effect: noschedule, unsupported taint effect`},
		{name: "empty-effect", in: "a:", wantErr: `taints: invalid taint spec "a:": invalid taint effect: , unsupported taint effect`},
		{name: "two-colons", in: "a:b:NoSchedule", wantErr: `taints: invalid taint spec "a:b:NoSchedule"`},
		{name: "two-equals", in: "a=b=c:NoSchedule", wantErr: `taints: invalid taint spec "a=b=c:NoSchedule"`},
		{name: "bad-value", in: "a=-b:NoSchedule", wantErr: `taints: invalid taint spec "a=-b:NoSchedule": ` + valueRegexMsg},
		{
			name: "long-bad-value", in: "a=" + strings.Repeat("v", 64) + ".:NoSchedule",
			wantErr: `taints: invalid taint spec "a=` + strings.Repeat("v", 64) + `.:NoSchedule": must be no more than 63 bytes; ` + valueRegexMsg,
			reason:  "all value problems, joined by \"; \"",
		},
		{
			name: "bad-value-and-key", in: "-a=-b:NoSchedule", wantErr: `taints: invalid taint spec "-a=-b:NoSchedule": ` + valueRegexMsg,
			reason: "kubectl checks the value before the key",
		},
		{name: "empty-key", in: ":NoSchedule", wantErr: `taints: invalid taint spec ":NoSchedule": name part must be non-empty; name part ` + nameRegexMsg},
		{name: "empty", in: "", wantErr: `taints: invalid taint spec "": name part must be non-empty; name part ` + nameRegexMsg},
		{name: "bad-prefix", in: "Example.com/a:NoSchedule", wantErr: `taints: invalid taint spec "Example.com/a:NoSchedule": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := taints.ParseTaint(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("ParseTaint(%q) error = %v, want %q (%s)", tc.in, err, tc.wantErr, tc.reason)
				}
				if !errors.Is(err, taints.ErrInvalidSpec) {
					t.Errorf("ParseTaint(%q) error %v does not wrap ErrInvalidSpec", tc.in, err)
				}
				if diff := cmp.Diff(taints.Taint{}, got); diff != "" {
					t.Errorf("ParseTaint(%q) returned a taint with its error (-want +got):\n%s", tc.in, diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTaint(%q) error = %v, want nil (%s)", tc.in, err, tc.reason)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseTaint(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestParseTaintChange(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		want       taints.Taint
		wantRemove bool
		wantErr    string
		reason     string
	}{
		{name: "add", in: "k=v:NoSchedule", want: taints.Taint{Key: "k", Value: "v", Effect: taints.NoSchedule}},
		{name: "remove-key", in: "k-", want: taints.Taint{Key: "k"}, wantRemove: true, reason: "no effect: every taint with the key"},
		{name: "remove-key-effect", in: "k:NoExecute-", want: taints.Taint{Key: "k", Effect: taints.NoExecute}, wantRemove: true},
		{
			name: "remove-drops-value", in: "k=v:NoSchedule-", want: taints.Taint{Key: "k", Effect: taints.NoSchedule}, wantRemove: true,
			reason: "taints are identified by key and effect",
		},
		{name: "remove-prefixed", in: "example.com/k-", want: taints.Taint{Key: "example.com/k"}, wantRemove: true},
		{name: "add-key-only", in: "k", wantErr: `taints: invalid taint spec "k"`},
		{name: "remove-bad-effect", in: "k:Bogus-", wantErr: `taints: invalid taint spec "k:Bogus-": invalid taint effect: Bogus, unsupported taint effect`},
		{name: "remove-empty-effect", in: "k:-", wantErr: `taints: invalid taint spec "k:-": invalid taint effect: , unsupported taint effect`},
		{name: "remove-bad-value", in: "k=v.:NoSchedule-", wantErr: `taints: invalid taint spec "k=v.:NoSchedule-": ` + valueRegexMsg, reason: "the value is validated, then dropped"},
		{name: "remove-key-with-value", in: "k=v-", wantErr: `taints: invalid taint spec "k=v-": name part ` + nameRegexMsg},
		{name: "dash", in: "-", wantErr: `taints: invalid taint spec "-": name part must be non-empty; name part ` + nameRegexMsg},
		{name: "double-dash", in: "k--", wantErr: `taints: invalid taint spec "k--": name part ` + nameRegexMsg, reason: "only one '-' is removed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, remove, err := taints.ParseTaintChange(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("ParseTaintChange(%q) error = %v, want %q (%s)", tc.in, err, tc.wantErr, tc.reason)
				}
				if !errors.Is(err, taints.ErrInvalidSpec) {
					t.Errorf("ParseTaintChange(%q) error %v does not wrap ErrInvalidSpec", tc.in, err)
				}
				if remove || got != (taints.Taint{}) {
					t.Errorf("ParseTaintChange(%q) = %v, %v with an error, want zero values", tc.in, got, remove)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTaintChange(%q) error = %v, want nil (%s)", tc.in, err, tc.reason)
			}
			if remove != tc.wantRemove {
				t.Errorf("ParseTaintChange(%q) remove = %v, want %v", tc.in, remove, tc.wantRemove)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseTaintChange(%q) mismatch (-want +got):\n%s (%s)", tc.in, diff, tc.reason)
			}
		})
	}
}

// FuzzParseTaint checks that ParseTaint either fails with ErrInvalidSpec or
// returns a taint that round-trips through String ("k=:NoSchedule" comes
// back as "k:NoSchedule", the same taint), and never panics.
func FuzzParseTaint(f *testing.F) {
	for _, s := range []string{
		"k=v:NoSchedule", "k:NoExecute", "example.com/k=v:PreferNoSchedule", "k", "k-", "k:NoSchedule-",
		"a:b:c", "a=b=c:NoSchedule", "=:", ":", "", "-", "k=:NoSchedule", "K/k:NoSchedule",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := taints.ParseTaint(s)
		if err != nil {
			if !errors.Is(err, taints.ErrInvalidSpec) {
				t.Fatalf("ParseTaint(%q) error %v does not wrap ErrInvalidSpec", s, err)
			}
			return
		}
		again, err := taints.ParseTaint(got.String())
		if err != nil || again != got {
			t.Fatalf("ParseTaint(%q) = %v, %v; want %v", got.String(), again, err, got)
		}
		if change, remove, err := taints.ParseTaintChange(s); err != nil || remove || change != got {
			t.Fatalf("ParseTaintChange(%q) = %v, %v, %v; want %v, false, nil", s, change, remove, err, got)
		}
	})
}
