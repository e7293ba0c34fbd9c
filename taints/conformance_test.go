package taints_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/internal/conformance"
	"github.com/daemonsim/daemonsim/taints"
)

// TestConformanceTolerations checks Toleration.Tolerates against
// tolerations.json: upstream's ToleratesTaint with the comparison-operator
// gate off (tolerates) and on (toleratesWithComparisonOperators).
func TestConformanceTolerations(t *testing.T) {
	type vector struct {
		Toleration                       taints.Toleration `json:"toleration"`
		Taint                            taints.Taint      `json:"taint"`
		Tolerates                        bool              `json:"tolerates"`
		ToleratesWithComparisonOperators bool              `json:"toleratesWithComparisonOperators"`
	}
	cases := conformance.Load[vector](t, "tolerations.json")
	for i, c := range cases {
		if got := c.Toleration.Tolerates(&c.Taint); got != c.Tolerates {
			t.Errorf("case %d: %+v.Tolerates(%+v) = %v, want %v", i, c.Toleration, c.Taint, got, c.Tolerates)
		}
		got := c.Toleration.Tolerates(&c.Taint, taints.WithComparisonOperators())
		if got != c.ToleratesWithComparisonOperators {
			t.Errorf("case %d: %+v.Tolerates(%+v, WithComparisonOperators()) = %v, want %v",
				i, c.Toleration, c.Taint, got, c.ToleratesWithComparisonOperators)
		}
		// Tolerated over a one-element list must agree.
		if got := taints.Tolerated([]taints.Toleration{c.Toleration}, &c.Taint); got != c.Tolerates {
			t.Errorf("case %d: Tolerated([%+v], %+v) = %v, want %v", i, c.Toleration, c.Taint, got, c.Tolerates)
		}
	}
	t.Logf("checked %d toleration vectors, each with the gate off and on", len(cases))
}

// TestConformanceDaemonTolerations checks AddDaemonTolerations against
// daemon_tolerations.json (upstream's AddOrUpdateDaemonPodTolerations), and
// that the input list is left alone.
func TestConformanceDaemonTolerations(t *testing.T) {
	type vector struct {
		PodSpec struct {
			Tolerations []taints.Toleration `json:"tolerations"`
			HostNetwork bool                `json:"hostNetwork"`
		} `json:"podSpec"`
		Result []taints.Toleration `json:"result"`
	}
	cases := conformance.Load[vector](t, "daemon_tolerations.json")
	for i, c := range cases {
		in := c.PodSpec.Tolerations
		before := cloneTolerations(in)
		got := taints.AddDaemonTolerations(in, c.PodSpec.HostNetwork, false)
		if diff := cmp.Diff(c.Result, got); diff != "" {
			t.Errorf("case %d: AddDaemonTolerations(%v, hostNetwork=%v, false) mismatch (-want +got):\n%s",
				i, in, c.PodSpec.HostNetwork, diff)
		}
		if diff := cmp.Diff(before, in); diff != "" {
			t.Errorf("case %d: AddDaemonTolerations modified its input (-before +after):\n%s", i, diff)
		}
	}
	t.Logf("checked %d daemon-toleration vectors", len(cases))
}

// TestConformanceValidateTolerations checks ValidateTolerations against the
// toleration errors of daemonset_validation.json: for every DaemonSet, the
// messages reported under spec.template.spec.tolerations must be exactly
// upstream's (the vectors hold them sorted and de-duplicated).
func TestConformanceValidateTolerations(t *testing.T) {
	type vector struct {
		DaemonSet struct {
			Spec struct {
				Template struct {
					Spec struct {
						Tolerations []taints.Toleration `json:"tolerations"`
					} `json:"spec"`
				} `json:"template"`
			} `json:"spec"`
		} `json:"daemonSet"`
		ErrorDetails []string `json:"errorDetails"`
	}
	const prefix = "spec.template.spec.tolerations"
	cases := conformance.Load[vector](t, "daemonset_validation.json")
	withTolerations := 0
	for i, c := range cases {
		tols := c.DaemonSet.Spec.Template.Spec.Tolerations
		if len(tols) > 0 {
			withTolerations++
		}
		var want []string
		for _, d := range c.ErrorDetails {
			if strings.HasPrefix(d, prefix) {
				want = append(want, d)
			}
		}
		p := field.NewPath("spec", "template", "spec", "tolerations")
		var got []string
		for _, e := range taints.ValidateTolerations(tols, p) {
			got = append(got, e.Error())
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("case %d: ValidateTolerations(%v) mismatch (-want +got):\n%s", i, tols, diff)
		}
	}
	if withTolerations == 0 {
		t.Fatal("no DaemonSet in daemonset_validation.json has tolerations")
	}
	t.Logf("checked the toleration errors of %d DaemonSets (%d with tolerations)", len(cases), withTolerations)
}

func cloneTolerations(tols []taints.Toleration) []taints.Toleration {
	if tols == nil {
		return nil
	}
	out := make([]taints.Toleration, len(tols))
	for i, t := range tols {
		out[i] = t
		if t.TolerationSeconds != nil {
			s := *t.TolerationSeconds
			out[i].TolerationSeconds = &s
		}
	}
	return out
}

// describe renders a toleration compactly for failure messages.
func describe(t taints.Toleration) string {
	s := fmt.Sprintf("{key=%q op=%q value=%q effect=%q", t.Key, t.Operator, t.Value, t.Effect)
	if t.TolerationSeconds != nil {
		s += fmt.Sprintf(" seconds=%d", *t.TolerationSeconds)
	}
	return s + "}"
}
