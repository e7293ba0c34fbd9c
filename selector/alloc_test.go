package selector_test

import (
	"testing"

	"github.com/daemonsim/daemonsim/selector"
)

// benchNode is a node with eight labels, as a real node has.
var benchNode = selector.Set{
	"kubernetes.io/hostname":        "node-17",
	"kubernetes.io/os":              "linux",
	"kubernetes.io/arch":            "amd64",
	"topology.kubernetes.io/zone":   "eu-west-1b",
	"topology.kubernetes.io/region": "eu-west-1",
	"node.kubernetes.io/instance":   "m5.large",
	"disk":                          "ssd",
	"cpus":                          "16",
}

// benchSelector uses every operator.
const benchSelector = "kubernetes.io/os=linux,kubernetes.io/arch==amd64,disk!=hdd," +
	"topology.kubernetes.io/zone in (eu-west-1a,eu-west-1b,eu-west-1c,eu-west-1d,eu-west-1e,eu-west-1f,eu-west-1g,eu-west-1h,eu-west-1i)," +
	"node.kubernetes.io/instance notin (t3.micro,t3.small),cpus,!gpu,cpus>4,cpus<64,topology.kubernetes.io/region notin (us-east-1)"

// benchAffinity has a failing term with a parse error, a failing term with
// a non-numeric Gt, and a matching term with expressions and fields.
func benchAffinity() selector.RequiredNodeAffinity {
	return selector.NewRequiredNodeAffinity(
		map[string]string{"kubernetes.io/os": "linux", "disk": "ssd"},
		terms(
			exprTerm(expr("cpus", "Gt", "abc")),
			exprTerm(expr("topology.kubernetes.io/zone", "Gt", "1")),
			selector.NodeSelectorTerm{
				MatchExpressions: []selector.NodeSelectorRequirement{
					expr("topology.kubernetes.io/zone", "In", "eu-west-1a", "eu-west-1b"),
					expr("node.kubernetes.io/instance", "NotIn", "t3.micro"),
					expr("gpu", "DoesNotExist"),
					expr("cpus", "Gt", "8"),
					expr("cpus", "Lt", "64"),
				},
				MatchFields: []selector.NodeSelectorRequirement{expr("metadata.name", "In", "node-17")},
			},
		),
	)
}

func TestMatchingDoesNotAllocate(t *testing.T) {
	sel, err := selector.Parse(benchSelector)
	if err != nil {
		t.Fatal(err)
	}
	if !sel.Matches(benchNode) {
		t.Fatalf("%q does not match the bench node", sel)
	}
	miss := selector.Set{"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "cpus": "many"}
	if sel.Matches(miss) {
		t.Fatalf("%q matches %v", sel, miss)
	}
	a := benchAffinity()
	if ok, err := a.Match("node-17", benchNode); !ok || err != nil {
		t.Fatalf("Match(node-17) = (%v, %v), want (true, nil)", ok, err)
	}
	if ok, err := a.Match("node-18", benchNode); ok || err == nil {
		t.Fatalf("Match(node-18) = (%v, %v), want (false, an error)", ok, err)
	}
	var labels selector.Labels = benchNode
	req := sel.Requirements()[0]
	tests := []struct {
		name string
		f    func()
	}{
		{"Selector.Matches hit", func() { sel.Matches(labels) }},
		{"Selector.Matches miss", func() { sel.Matches(miss) }},
		{"Requirement.Matches", func() { req.Matches(labels) }},
		{"RequiredNodeAffinity.Match hit", func() { _, _ = a.Match("node-17", labels) }},
		{"RequiredNodeAffinity.Match miss with error", func() { _, _ = a.Match("node-18", labels) }},
		{"RequiredNodeAffinity.Match nodeSelector miss", func() { _, _ = a.Match("node-17", miss) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tc.f); n != 0 {
				t.Errorf("%s allocates %.1f times per call, want 0", tc.name, n)
			}
		})
	}
}

func BenchmarkSelectorMatches(b *testing.B) {
	sel, err := selector.Parse(benchSelector)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !sel.Matches(benchNode) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkRequiredNodeAffinityMatch(b *testing.B) {
	a := benchAffinity()
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := a.Match("node-17", benchNode); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := selector.Parse(benchSelector); err != nil {
			b.Fatal(err)
		}
	}
}
