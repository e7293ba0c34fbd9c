package taints_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/taints"
)

var (
	gateOn       = []taints.Option{taints.WithComparisonOperators()}
	allEffects   = []taints.Effect{taints.NoSchedule, taints.PreferNoSchedule, taints.NoExecute}
	allOperators = []taints.Operator{"", taints.OpEqual, taints.OpExists, taints.OpLt, taints.OpGt, "exists", "equal", "In"}
)

// TestTolerationToleratesExhaustive runs every toleration effect × taint
// effect × operator × key × value pair, with the gate off and on, against
// the rules of ToleratesTaint written out as a table of facts.
func TestTolerationToleratesExhaustive(t *testing.T) {
	tolEffects := append([]taints.Effect{"", "noschedule", "Bogus"}, allEffects...)
	tolKeys := []string{"", "k", "other", "K"}
	// Canonical int64 values and what they are worth; anything else is not
	// a number to Lt and Gt.
	numbers := map[string]int64{"5": 5, "7": 7, "-3": -3, "0": 0}
	values := []struct{ tol, taint string }{
		{"", ""}, {"v", "v"}, {"v", "w"}, {"", "v"}, {"v", ""}, {"V", "v"},
		{"5", "7"}, {"7", "5"}, {"5", "5"}, {"0", "-3"}, {"-3", "0"},
		{"05", "7"}, {"5", "07"}, {"+5", "7"}, {"5", "abc"}, {"abc", "5"}, {"-0", "5"}, {"", "5"}, {"5", ""},
	}
	checked := 0
	for _, op := range allOperators {
		t.Run("op="+string(op), func(t *testing.T) {
			for _, gate := range []bool{false, true} {
				for _, te := range tolEffects {
					for _, ne := range allEffects {
						for _, key := range tolKeys {
							for _, v := range values {
								tol := taints.Toleration{Key: key, Operator: op, Value: v.tol, Effect: te}
								taint := taints.Taint{Key: "k", Value: v.taint, Effect: ne}
								effectOK := te == "" || te == ne
								keyOK := key == "" || key == "k"
								var valueOK bool
								tv, tNum := numbers[v.tol]
								nv, nNum := numbers[v.taint]
								switch op {
								case "", taints.OpEqual:
									valueOK = v.tol == v.taint
								case taints.OpExists:
									valueOK = true
								case taints.OpLt:
									valueOK = gate && tNum && nNum && nv < tv
								case taints.OpGt:
									valueOK = gate && tNum && nNum && nv > tv
								}
								want := effectOK && keyOK && valueOK
								var opts []taints.Option
								if gate {
									opts = gateOn
								}
								if got := tol.Tolerates(&taint, opts...); got != want {
									t.Errorf("%s.Tolerates(%v) gate=%v = %v, want %v", describe(tol), taint, gate, got, want)
								}
								checked++
							}
						}
					}
				}
			}
		})
	}
	t.Logf("checked %d combinations", checked)
}

func TestTolerationTolerates(t *testing.T) {
	tests := []struct {
		name     string
		tol      taints.Toleration
		taint    taints.Taint
		want     bool // gate off
		wantGate bool // gate on
		reason   string
	}{
		{
			name: "match-all", tol: taints.Toleration{Operator: taints.OpExists},
			taint: taints.Taint{Key: "a", Value: "b", Effect: taints.NoExecute}, want: true, wantGate: true,
			reason: "empty key with Exists tolerates every taint",
		},
		{
			name: "empty-key-equal", tol: taints.Toleration{},
			taint: taints.Taint{Key: "a", Effect: taints.NoSchedule}, want: true, wantGate: true,
			reason: "empty key matches any key and Equal compares empty values; validation forbids this toleration but matching accepts it",
		},
		{
			name: "exists-ignores-value", tol: taints.Toleration{Key: "a", Operator: taints.OpExists, Value: "x"},
			taint: taints.Taint{Key: "a", Value: "y", Effect: taints.NoSchedule}, want: true, wantGate: true,
		},
		{
			name: "effect-mismatch", tol: taints.Toleration{Key: "a", Operator: taints.OpExists, Effect: taints.NoSchedule},
			taint: taints.Taint{Key: "a", Effect: taints.NoExecute},
		},
		{
			name: "empty-taint-effect", tol: taints.Toleration{Key: "a", Operator: taints.OpExists, Effect: taints.NoSchedule},
			taint: taints.Taint{Key: "a"}, reason: "a non-empty toleration effect must equal the taint's, even an empty one",
		},
		{
			name: "case-sensitive-operator", tol: taints.Toleration{Key: "a", Operator: "exists"},
			taint: taints.Taint{Key: "a", Effect: taints.NoSchedule},
		},
		{
			name: "gt", tol: taints.Toleration{Key: "sla", Operator: taints.OpGt, Value: "950"},
			taint: taints.Taint{Key: "sla", Value: "999", Effect: taints.NoSchedule}, wantGate: true,
		},
		{
			name: "lt", tol: taints.Toleration{Key: "sla", Operator: taints.OpLt, Value: "950"},
			taint: taints.Taint{Key: "sla", Value: "-1", Effect: taints.NoSchedule}, wantGate: true,
		},
		{
			name: "gt-equal", tol: taints.Toleration{Key: "sla", Operator: taints.OpGt, Value: "950"},
			taint: taints.Taint{Key: "sla", Value: "950", Effect: taints.NoSchedule}, reason: "strictly greater",
		},
		{
			name: "gt-max-int64", tol: taints.Toleration{Key: "n", Operator: taints.OpGt, Value: "9223372036854775806"},
			taint: taints.Taint{Key: "n", Value: "9223372036854775807", Effect: taints.NoSchedule}, wantGate: true,
		},
		{
			name: "gt-overflow", tol: taints.Toleration{Key: "n", Operator: taints.OpGt, Value: "1"},
			taint: taints.Taint{Key: "n", Value: "9223372036854775808", Effect: taints.NoSchedule}, reason: "does not fit in an int64",
		},
		{
			name: "lt-min-int64", tol: taints.Toleration{Key: "n", Operator: taints.OpLt, Value: "0"},
			taint: taints.Taint{Key: "n", Value: "-9223372036854775808", Effect: taints.NoSchedule}, wantGate: true,
		},
		{
			name: "lt-negative-zero", tol: taints.Toleration{Key: "n", Operator: taints.OpLt, Value: "1"},
			taint: taints.Taint{Key: "n", Value: "-0", Effect: taints.NoSchedule}, reason: `"-0" is not canonical`,
		},
		{
			name: "gt-leading-zero", tol: taints.Toleration{Key: "n", Operator: taints.OpGt, Value: "1"},
			taint: taints.Taint{Key: "n", Value: "007", Effect: taints.NoSchedule}, reason: "leading zeros are not canonical",
		},
		{
			name: "gt-empty-key", tol: taints.Toleration{Operator: taints.OpGt, Value: "1"},
			taint: taints.Taint{Key: "any", Value: "2", Effect: taints.PreferNoSchedule}, wantGate: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tol.Tolerates(&tc.taint); got != tc.want {
				t.Errorf("%s.Tolerates(%v) = %v, want %v (%s)", describe(tc.tol), tc.taint, got, tc.want, tc.reason)
			}
			if got := tc.tol.Tolerates(&tc.taint, taints.WithComparisonOperators()); got != tc.wantGate {
				t.Errorf("%s.Tolerates(%v, WithComparisonOperators()) = %v, want %v (%s)", describe(tc.tol), tc.taint, got, tc.wantGate, tc.reason)
			}
		})
	}
}

func TestTolerated(t *testing.T) {
	taint := taints.Taint{Key: "sla", Value: "10", Effect: taints.NoSchedule}
	tests := []struct {
		name     string
		tols     []taints.Toleration
		want     bool
		wantGate bool
	}{
		{name: "nil"},
		{name: "none-match", tols: []taints.Toleration{{Key: "other", Operator: taints.OpExists}}},
		{
			name: "second-matches",
			tols: []taints.Toleration{{Key: "other", Operator: taints.OpExists}, {Key: "sla", Value: "10"}},
			want: true, wantGate: true,
		},
		{name: "gated", tols: []taints.Toleration{{Key: "sla", Operator: taints.OpGt, Value: "5"}}, wantGate: true},
		{name: "nil-option-ignored", tols: []taints.Toleration{{Key: "sla", Operator: taints.OpExists}}, want: true, wantGate: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := taints.Tolerated(tc.tols, &taint, nil); got != tc.want {
				t.Errorf("Tolerated(%v, %v, nil) = %v, want %v", tc.tols, taint, got, tc.want)
			}
			if got := taints.Tolerated(tc.tols, &taint, gateOn...); got != tc.wantGate {
				t.Errorf("Tolerated(%v, %v, WithComparisonOperators()) = %v, want %v", tc.tols, taint, got, tc.wantGate)
			}
		})
	}
}

func TestFindUntolerated(t *testing.T) {
	nodeTaints := []taints.Taint{
		{Key: "soft", Effect: taints.PreferNoSchedule},
		{Key: "tier", Value: "7", Effect: taints.NoSchedule},
		{Key: "gone", Effect: taints.NoExecute},
		{Key: "odd"},
	}
	hard := func(t *taints.Taint) bool { return t.Effect == taints.NoSchedule || t.Effect == taints.NoExecute }
	tests := []struct {
		name      string
		tols      []taints.Toleration
		filter    func(*taints.Taint) bool
		opts      []taints.Option
		want      taints.Taint
		wantFound bool
	}{
		{name: "no-filter-first", filter: nil, want: nodeTaints[0], wantFound: true},
		{name: "filter-skips-soft", filter: hard, want: nodeTaints[1], wantFound: true},
		{
			name: "first-tolerated", filter: hard,
			tols: []taints.Toleration{{Key: "tier", Operator: taints.OpExists}}, want: nodeTaints[2], wantFound: true,
		},
		{
			name: "all-hard-tolerated", filter: hard,
			tols: []taints.Toleration{{Key: "tier", Operator: taints.OpExists}, {Key: "gone", Operator: taints.OpExists, Effect: taints.NoExecute}},
		},
		{
			name: "gate-off", filter: hard,
			tols: []taints.Toleration{{Key: "tier", Operator: taints.OpGt, Value: "5"}, {Key: "gone", Operator: taints.OpExists}},
			want: nodeTaints[1], wantFound: true,
		},
		{
			name: "gate-on", filter: hard, opts: gateOn,
			tols: []taints.Toleration{{Key: "tier", Operator: taints.OpGt, Value: "5"}, {Key: "gone", Operator: taints.OpExists}},
		},
		{name: "tolerate-everything", tols: []taints.Toleration{{Operator: taints.OpExists}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, found := taints.FindUntolerated(nodeTaints, tc.tols, tc.filter, tc.opts...)
			if found != tc.wantFound {
				t.Errorf("FindUntolerated(%v) found = %v, want %v", tc.tols, found, tc.wantFound)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindUntolerated(%v) mismatch (-want +got):\n%s", tc.tols, diff)
			}
		})
	}
	if _, found := taints.FindUntolerated(nil, nil, nil); found {
		t.Error("FindUntolerated(nil, nil, nil) found a taint")
	}
}

func TestFindUntoleratedWithEffects(t *testing.T) {
	nodeTaints := []taints.Taint{
		{Key: "empty-effect"},
		{Key: "unknown", Effect: "Bogus"},
		{Key: "soft", Effect: taints.PreferNoSchedule},
		{Key: "hard", Effect: taints.NoSchedule},
		{Key: "evict", Effect: taints.NoExecute},
	}
	tests := []struct {
		name      string
		effects   taints.EffectSet
		tols      []taints.Toleration
		want      taints.Taint
		wantFound bool
		reason    string
	}{
		{name: "empty-set", effects: 0, reason: "no taint passes the empty set"},
		{
			name: "daemon", effects: taints.EffectSetOf(taints.NoSchedule, taints.NoExecute), want: nodeTaints[3], wantFound: true,
			reason: "empty, unknown and PreferNoSchedule effects are skipped",
		},
		{
			name: "daemon-hard-tolerated", effects: taints.EffectSetOf(taints.NoSchedule, taints.NoExecute),
			tols: []taints.Toleration{{Key: "hard", Operator: taints.OpExists}}, want: nodeTaints[4], wantFound: true,
		},
		{
			name: "no-execute-only", effects: taints.EffectSetOf(taints.NoExecute),
			want: nodeTaints[4], wantFound: true,
		},
		{name: "soft", effects: taints.EffectSetOf(taints.PreferNoSchedule), want: nodeTaints[2], wantFound: true},
		{
			name: "unknown-effects-ignored", effects: taints.EffectSetOf("Bogus", ""),
			reason: "EffectSetOf drops effects it does not know",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, found := taints.FindUntoleratedWithEffects(nodeTaints, tc.tols, tc.effects)
			if found != tc.wantFound {
				t.Errorf("FindUntoleratedWithEffects(%v, %08b) found = %v, want %v (%s)", tc.tols, tc.effects, found, tc.wantFound, tc.reason)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindUntoleratedWithEffects(%v, %08b) mismatch (-want +got):\n%s", tc.tols, tc.effects, diff)
			}
			filter := func(t *taints.Taint) bool { return tc.effects.Has(t.Effect) }
			got2, found2 := taints.FindUntolerated(nodeTaints, tc.tols, filter)
			if found2 != found || !cmp.Equal(got2, got) {
				t.Errorf("FindUntolerated with the equivalent filter = %v, %v; FindUntoleratedWithEffects = %v, %v", got2, found2, got, found)
			}
		})
	}
}

func TestEffectSet(t *testing.T) {
	all := []taints.Effect{"", "Bogus", "noschedule", taints.NoSchedule, taints.PreferNoSchedule, taints.NoExecute}
	sets := [][]taints.Effect{
		nil,
		{taints.NoSchedule},
		{taints.PreferNoSchedule},
		{taints.NoExecute},
		{taints.NoSchedule, taints.NoExecute},
		{taints.NoSchedule, taints.PreferNoSchedule, taints.NoExecute},
		{"", "Bogus", taints.NoExecute},
	}
	for _, members := range sets {
		s := taints.EffectSetOf(members...)
		for _, e := range all {
			want := false
			for _, m := range members {
				if m == e && (e == taints.NoSchedule || e == taints.PreferNoSchedule || e == taints.NoExecute) {
					want = true
				}
			}
			if got := s.Has(e); got != want {
				t.Errorf("EffectSetOf(%q).Has(%q) = %v, want %v", members, e, got, want)
			}
		}
	}
	if s := taints.EffectSetOf(taints.NoSchedule, taints.NoSchedule); s != taints.EffectSetOf(taints.NoSchedule) {
		t.Errorf("EffectSetOf with a repeated effect = %08b, want %08b", s, taints.EffectSetOf(taints.NoSchedule))
	}
}

func TestTaintMatchTaint(t *testing.T) {
	base := taints.Taint{Key: "k", Value: "v", Effect: taints.NoSchedule}
	tests := []struct {
		name  string
		other taints.Taint
		want  bool
	}{
		{name: "same", other: base, want: true},
		{name: "other-value", other: taints.Taint{Key: "k", Value: "w", Effect: taints.NoSchedule}, want: true},
		{name: "other-key", other: taints.Taint{Key: "j", Value: "v", Effect: taints.NoSchedule}},
		{name: "other-effect", other: taints.Taint{Key: "k", Value: "v", Effect: taints.NoExecute}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := base.MatchTaint(&tc.other); got != tc.want {
				t.Errorf("%v.MatchTaint(%v) = %v, want %v", base, tc.other, got, tc.want)
			}
		})
	}
}

func TestTolerationMatchToleration(t *testing.T) {
	sixty := int64(60)
	base := taints.Toleration{Key: "k", Operator: taints.OpEqual, Value: "v", Effect: taints.NoExecute}
	tests := []struct {
		name  string
		other taints.Toleration
		want  bool
	}{
		{name: "same", other: base, want: true},
		{name: "seconds-ignored", other: taints.Toleration{Key: "k", Operator: taints.OpEqual, Value: "v", Effect: taints.NoExecute, TolerationSeconds: &sixty}, want: true},
		{name: "other-key", other: taints.Toleration{Key: "j", Operator: taints.OpEqual, Value: "v", Effect: taints.NoExecute}},
		{name: "empty-operator", other: taints.Toleration{Key: "k", Value: "v", Effect: taints.NoExecute}},
		{name: "other-value", other: taints.Toleration{Key: "k", Operator: taints.OpEqual, Value: "w", Effect: taints.NoExecute}},
		{name: "other-effect", other: taints.Toleration{Key: "k", Operator: taints.OpEqual, Value: "v"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := base.MatchToleration(&tc.other); got != tc.want {
				t.Errorf("%s.MatchToleration(%s) = %v, want %v", describe(base), describe(tc.other), got, tc.want)
			}
		})
	}
}

func TestTaintString(t *testing.T) {
	tests := []struct {
		in   taints.Taint
		want string
	}{
		{taints.Taint{Key: "k", Value: "v", Effect: taints.NoSchedule}, "k=v:NoSchedule"},
		{taints.Taint{Key: "node.kubernetes.io/not-ready", Effect: taints.NoExecute}, "node.kubernetes.io/not-ready:NoExecute"},
		{taints.Taint{Key: "k", Value: "v"}, "k=v:"},
		{taints.Taint{Key: "k"}, "k"},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTolerationString(t *testing.T) {
	thirty := int64(300)
	tests := []struct {
		in   taints.Toleration
		want string
	}{
		{taints.Toleration{Operator: taints.OpExists}, "op=Exists"},
		{taints.Toleration{Key: "k", Operator: taints.OpExists}, "k op=Exists"},
		{taints.Toleration{Operator: taints.OpExists, Effect: taints.NoSchedule}, ":NoSchedule op=Exists"},
		{taints.Toleration{Key: "k", Operator: taints.OpEqual, Value: "v", Effect: taints.NoSchedule}, "k=v:NoSchedule"},
		{taints.Toleration{Key: "k", Value: "v"}, "k=v"},
		{taints.Toleration{Key: "k", Operator: taints.OpExists, Value: "v"}, "k=v"},
		{taints.Toleration{Key: "k", Operator: taints.OpGt, Value: "5"}, "k=5"},
		{
			taints.Toleration{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: &thirty},
			"node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
		},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("%s.String() = %q, want %q", describe(tc.in), got, tc.want)
		}
	}
}

// benchTolerations is a daemon pod's toleration list: two user tolerations
// and the six automatic ones.
func benchTolerations() []taints.Toleration {
	user := []taints.Toleration{
		{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.NoSchedule},
		{Key: "sla", Operator: taints.OpGt, Value: "900", Effect: taints.NoSchedule},
	}
	return taints.AddDaemonTolerations(user, false, false)
}

func TestMatchingAllocatesNothing(t *testing.T) {
	tols := benchTolerations()
	if len(tols) != 8 {
		t.Fatalf("benchTolerations has %d tolerations, want 8", len(tols))
	}
	nodeTaints := []taints.Taint{
		{Key: "sla", Value: "950", Effect: taints.NoSchedule},
		{Key: "example.com/maintenance", Effect: taints.NoExecute},
	}
	effects := taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)
	filter := func(t *taints.Taint) bool { return effects.Has(t.Effect) }
	sink := false
	runs := []struct {
		name string
		f    func()
	}{
		{"Tolerates", func() { sink = tols[7].Tolerates(&nodeTaints[0]) }},
		{"Tolerates/gate", func() { sink = tols[1].Tolerates(&nodeTaints[0], taints.WithComparisonOperators()) }},
		{"Tolerated", func() { sink = taints.Tolerated(tols, &nodeTaints[1]) }},
		{"Tolerated/gate", func() { sink = taints.Tolerated(tols, &nodeTaints[1], taints.WithComparisonOperators()) }},
		{"FindUntolerated", func() { _, sink = taints.FindUntolerated(nodeTaints, tols, filter) }},
		{"FindUntoleratedWithEffects", func() { _, sink = taints.FindUntoleratedWithEffects(nodeTaints, tols, effects) }},
		{"FindUntoleratedWithEffects/gate", func() {
			_, sink = taints.FindUntoleratedWithEffects(nodeTaints, tols, effects, taints.WithComparisonOperators())
		}},
		{"EffectSetOf", func() { sink = taints.EffectSetOf(taints.NoSchedule, taints.NoExecute).Has(taints.NoExecute) }},
	}
	for _, r := range runs {
		if n := testing.AllocsPerRun(100, r.f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", r.name, n)
		}
	}
	_ = sink
}

func BenchmarkTolerates(b *testing.B) {
	tol := taints.Toleration{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute}
	taint := taints.Taint{Key: taints.NodeNotReady, Effect: taints.NoExecute}
	b.ReportAllocs()
	for b.Loop() {
		if !tol.Tolerates(&taint) {
			b.Fatal("not tolerated")
		}
	}
}

func BenchmarkFindUntolerated(b *testing.B) {
	tols := benchTolerations()
	nodeTaints := []taints.Taint{
		{Key: "dedicated", Value: "gpu", Effect: taints.NoSchedule},
		{Key: "example.com/maintenance", Effect: taints.NoExecute},
	}
	effects := taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)
	b.Run("filter", func(b *testing.B) {
		filter := func(t *taints.Taint) bool { return effects.Has(t.Effect) }
		b.ReportAllocs()
		for b.Loop() {
			if _, found := taints.FindUntolerated(nodeTaints, tols, filter); !found {
				b.Fatal("not found")
			}
		}
	})
	b.Run("effects", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, found := taints.FindUntoleratedWithEffects(nodeTaints, tols, effects); !found {
				b.Fatal("not found")
			}
		}
	})
	b.Run("effects/gate", func(b *testing.B) {
		opt := taints.WithComparisonOperators()
		b.ReportAllocs()
		for b.Loop() {
			if _, found := taints.FindUntoleratedWithEffects(nodeTaints, tols, effects, opt); !found {
				b.Fatal("not found")
			}
		}
	})
}
