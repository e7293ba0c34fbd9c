package scheduling_test

import (
	"testing"

	"github.com/daemonsim/daemonsim/scheduling"
)

func TestFitErrorMessage(t *testing.T) {
	const (
		cpu      = scheduling.ReasonInsufficientCPU
		memory   = scheduling.ReasonInsufficientMemory
		affinity = scheduling.ReasonNodeAffinity
		taint    = scheduling.ReasonUntoleratedTaint
		tooMany  = scheduling.ReasonTooManyPods
		ports    = scheduling.ReasonNodePorts
	)
	tests := []struct {
		name     string
		numNodes int
		reasons  map[string][]scheduling.Reason
		want     string
		reason   string
	}{{
		name: "no-nodes",
		want: "no nodes available to schedule pods",
	}, {
		name:     "resources-and-affinity",
		numNodes: 3,
		reasons:  map[string][]scheduling.Reason{"a": {cpu}, "b": {affinity}, "c": {affinity}},
		want:     "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
	}, {
		name:     "one-node-taint",
		numNodes: 1,
		reasons:  map[string][]scheduling.Reason{"cp": {taint}},
		want:     "0/1 nodes are available: 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
	}, {
		name:     "first-plugin-only",
		numNodes: 2,
		reasons:  map[string][]scheduling.Reason{"a": {taint, affinity, cpu}, "b": {affinity, ports}},
		want:     "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
		reason:   "the framework stops at the first failing plugin",
	}, {
		name:     "all-reasons-of-one-plugin",
		numNodes: 2,
		reasons:  map[string][]scheduling.Reason{"a": {tooMany, cpu, memory}, "b": {cpu}},
		want:     "0/2 nodes are available: 1 Insufficient memory, 1 Too many pods, 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
		reason:   "NodeResourcesFit reports every resource that does not fit",
	}, {
		name:     "ports-are-resolvable",
		numNodes: 1,
		reasons:  map[string][]scheduling.Reason{"a": {ports, cpu}},
		want:     "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
	}, {
		name:     "pinned",
		numNodes: 46,
		reasons:  map[string][]scheduling.Reason{"node-7": {tooMany}},
		want:     "0/46 nodes are available: 1 Too many pods, 45 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/46 nodes are available: 1 No preemption victims found for incoming pod, 45 Preemption is not helpful for scheduling.",
		reason:   "nodes absent from the map were excluded by the NodeAffinity PreFilter",
	}, {
		name:     "pinned-to-missing-node",
		numNodes: 3,
		want:     "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
	}, {
		name:     "string-sort",
		numNodes: 12,
		reasons: map[string][]scheduling.Reason{
			"a": {affinity}, "b": {affinity}, "c": {affinity}, "d": {affinity}, "e": {affinity},
			"f": {affinity}, "g": {affinity}, "h": {affinity}, "i": {affinity}, "j": {affinity},
			"k": {taint}, "l": {taint},
		},
		want:   "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.",
		reason: `upstream sorts "<count> <reason>" as strings, so 10 comes before 2`,
	}, {
		name:     "more-nodes-than-counted",
		numNodes: 1,
		reasons:  map[string][]scheduling.Reason{"a": {cpu}, "b": {cpu}},
		want:     "0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
		reason:   "numNodes is at least the number of nodes given",
	}, {
		name:     "node-without-reasons",
		numNodes: 2,
		reasons:  map[string][]scheduling.Reason{"a": {cpu}, "b": nil},
		want:     "0/2 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
	}, {
		name:     "unknown-reason",
		numNodes: 1,
		reasons:  map[string][]scheduling.Reason{"a": {"node(s) had volume node affinity conflict"}},
		want:     "0/1 nodes are available: 1 node(s) had volume node affinity conflict. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 3 { // map order must not matter
				if got := scheduling.FitErrorMessage(tc.numNodes, tc.reasons); got != tc.want {
					t.Fatalf("FitErrorMessage() =\n%s\nwant\n%s\n%s", got, tc.want, tc.reason)
				}
			}
		})
	}
}

// TestFitErrorMessageFromCheck builds a message from the reasons Check
// gives, as the scheduler does.
func TestFitErrorMessageFromCheck(t *testing.T) {
	pod := newPod("web", requests("cpu=2"), nodeSelector("tier", "web"))
	nodes := []struct {
		node   nodeOpt
		labels nodeOpt
	}{
		{tainted("node-role.kubernetes.io/control-plane:NoSchedule"), labels()},
		{allocatable("cpu=1"), labels("tier", "web")},
		{allocatable("cpu=1"), labels("tier", "db")},
	}
	reasons := map[string][]scheduling.Reason{}
	for i, n := range nodes {
		name := string(rune('a' + i))
		v := scheduling.Check(newNode(name, n.node, n.labels), pod, nil)
		reasons[name] = v.Reasons
	}
	got := scheduling.FitErrorMessage(len(nodes), reasons)
	want := "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
	if got != want {
		t.Errorf("FitErrorMessage() =\n%s\nwant\n%s", got, want)
	}
}
