package scheduling

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

func TestPinnedNodeNames(t *testing.T) {
	in := func(names ...string) selector.NodeSelectorRequirement {
		return selector.NodeSelectorRequirement{Key: selector.ObjectNameField, Operator: selector.NodeSelectorOpIn, Values: names}
	}
	notIn := func(names ...string) selector.NodeSelectorRequirement {
		return selector.NodeSelectorRequirement{Key: selector.ObjectNameField, Operator: selector.NodeSelectorOpNotIn, Values: names}
	}
	label := selector.NodeSelectorRequirement{Key: "disk", Operator: selector.NodeSelectorOpExists}
	term := func(fields ...selector.NodeSelectorRequirement) selector.NodeSelectorTerm {
		return selector.NodeSelectorTerm{MatchFields: fields}
	}
	tests := []struct {
		name         string
		ns           *selector.NodeSelector
		wantNames    []string
		wantPinned   bool
		wantConflict bool
	}{
		{name: "nil"},
		{name: "no-terms", ns: &selector.NodeSelector{}},
		{name: "daemonset", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in("node-a"))}},
			wantNames: []string{"node-a"}, wantPinned: true},
		{name: "union-of-terms", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in("node-b")), term(in("node-a", "node-b"))}},
			wantNames: []string{"node-a", "node-b"}, wantPinned: true},
		{name: "intersection-in-term", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in("node-a", "node-b"), in("node-b", "node-c"))}},
			wantNames: []string{"node-b"}, wantPinned: true},
		{name: "label-requirement-alongside", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{
			{MatchExpressions: []selector.NodeSelectorRequirement{label}, MatchFields: []selector.NodeSelectorRequirement{in("node-a")}}}},
			wantNames: []string{"node-a"}, wantPinned: true},
		{name: "one-term-unpinned", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in("node-a")), {MatchExpressions: []selector.NodeSelectorRequirement{label}}}}},
		{name: "not-in-does-not-pin", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(notIn("node-a"))}}},
		{name: "empty-term-does-not-pin", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in("node-a")), {}}}},
		{name: "conflict", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in("node-a"), in("node-b"))}},
			wantPinned: true, wantConflict: true},
		{name: "empty-values", ns: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{term(in())}},
			wantPinned: true, wantConflict: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			names, pinned, conflict := pinnedNodeNames(tc.ns)
			if diff := cmp.Diff(tc.wantNames, names); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
			if pinned != tc.wantPinned || conflict != tc.wantConflict {
				t.Errorf("pinned, conflict = %v, %v; want %v, %v", pinned, conflict, tc.wantPinned, tc.wantConflict)
			}
		})
	}
}

func TestDiagnosisPreFilter(t *testing.T) {
	d := diagnosis{numNodes: 3, preFilter: ReasonAffinityTermsConflict}
	want := "0/3 nodes are available: pod affinity terms conflict. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
	if got := d.message(); got != want {
		t.Errorf("message() =\n%s\nwant\n%s", got, want)
	}
}

func TestTruncateEventMessage(t *testing.T) {
	short := strings.Repeat("x", 1024)
	if got := truncateEventMessage(short); got != short {
		t.Errorf("a 1024-byte message was changed")
	}
	long := strings.Repeat("y", 2000)
	got := truncateEventMessage(long)
	if want := strings.Repeat("y", 1020) + " ..."; got != want {
		t.Errorf("truncateEventMessage(2000 bytes) = %d bytes ending %q, want %d bytes ending %q", len(got), got[len(got)-8:], len(want), want[len(want)-8:])
	}
}

func TestScore(t *testing.T) {
	tests := []struct {
		name     string
		requests []int64 // pod cpu milli, pod memory bytes (0: none)
		alloc    [2]int64
		want     int64
	}{
		{name: "empty-node", requests: []int64{1000, 1 << 30}, alloc: [2]int64{4000, 4 << 30}, want: 75},
		{name: "no-allocatable", requests: []int64{1000, 1 << 30}, want: 0},
		{name: "over", requests: []int64{8000, 8 << 30}, alloc: [2]int64{4000, 4 << 30}, want: 0},
		{name: "defaults", alloc: [2]int64{1000, 400 * 1024 * 1024}, want: (90 + 50) / 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &Filter{}
			if len(tc.requests) > 0 {
				f.req.nonZeroCPU, f.req.nonZeroMemory = tc.requests[0], tc.requests[1]
			} else {
				f.req.nonZeroCPU, f.req.nonZeroMemory = defaultMilliCPURequest, defaultMemoryRequest
			}
			n := newTestNode(tc.alloc)
			if got := f.score(n, nil); got != tc.want {
				t.Errorf("score = %d, want %d", got, tc.want)
			}
		})
	}
}

func newTestNode(alloc [2]int64) *cluster.Node {
	n := &cluster.Node{}
	n.Name = "node-a"
	if alloc[0] > 0 {
		n.Status.Allocatable = cluster.ResourceList{
			cluster.ResourceCPU:    cluster.NewMilliQuantity(alloc[0]),
			cluster.ResourceMemory: cluster.NewMilliQuantity(alloc[1] * 1000),
		}
	}
	return n
}
