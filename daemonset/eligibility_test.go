package daemonset_test

import (
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// newNode returns a node with the given labels and taints.
func newNode(name string, labels map[string]string, ts ...taints.Taint) *cluster.Node {
	n := &cluster.Node{}
	n.Name = name
	n.Labels = labels
	n.Spec.Taints = ts
	return n
}

func taint(key, value string, e taints.Effect) taints.Taint {
	return taints.Taint{Key: key, Value: value, Effect: e}
}

// TestShouldRun covers the outcome table of NodeShouldRunDaemonPod
// (reference §3.2) in both profiles.
func TestShouldRun(t *testing.T) {
	type outcome struct{ run, cont bool }
	tests := []struct {
		name           string
		template       func(s *cluster.PodSpec)
		node           *cluster.Node
		modern, legacy outcome
		reason         string
	}{
		{name: "fits", node: newNode("node-a", nil),
			modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "templateNodeNameOther", template: func(s *cluster.PodSpec) { s.NodeName = "node-9" }, node: newNode("node-a", nil),
			modern: outcome{false, false}, legacy: outcome{false, false}},
		{name: "templateNodeNameSame", template: func(s *cluster.PodSpec) { s.NodeName = "node-a" }, node: newNode("node-a", nil),
			modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "nodeSelectorMismatch", template: func(s *cluster.PodSpec) { s.NodeSelector = map[string]string{"disk": "ssd"} },
			node: newNode("node-a", map[string]string{"disk": "hdd"}), modern: outcome{false, false}, legacy: outcome{false, false}},
		{name: "nodeSelectorMatch", template: func(s *cluster.PodSpec) { s.NodeSelector = map[string]string{"disk": "ssd"} },
			node: newNode("node-a", map[string]string{"disk": "ssd", "zone": "a"}), modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "affinityMismatch", template: func(s *cluster.PodSpec) {
			s.Affinity = requiredAffinity(selector.NodeSelectorRequirement{Key: "zone", Operator: "In", Values: []string{"b"}})
		}, node: newNode("node-a", map[string]string{"zone": "a"}), modern: outcome{false, false}, legacy: outcome{false, false}},
		{name: "affinityMatchFields", template: func(s *cluster.PodSpec) {
			s.Affinity = &cluster.Affinity{NodeAffinity: &cluster.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{
				NodeSelectorTerms: []selector.NodeSelectorTerm{{MatchFields: []selector.NodeSelectorRequirement{{Key: "metadata.name", Operator: "In", Values: []string{"node-a"}}}}},
			}}}
		}, node: newNode("node-a", nil), modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "affinityParseErrorIgnored", template: func(s *cluster.PodSpec) {
			s.Affinity = requiredAffinity(selector.NodeSelectorRequirement{Key: "cpus", Operator: "Gt", Values: []string{"many"}})
		}, node: newNode("node-a", map[string]string{"cpus": "4"}), modern: outcome{false, false}, legacy: outcome{false, false},
			reason: "a term that does not parse matches no node; the error is ignored"},
		{name: "untoleratedNoExecute", node: newNode("node-a", nil, taint("example.com/maint", "", taints.NoExecute)),
			modern: outcome{false, false}, legacy: outcome{false, false}},
		{name: "untoleratedNoScheduleOnly", node: newNode("node-a", nil, taint("dedicated", "gpu", taints.NoSchedule)),
			modern: outcome{false, true}, legacy: outcome{false, true}},
		{name: "noScheduleThenNoExecute", node: newNode("node-a", nil, taint("dedicated", "gpu", taints.NoSchedule), taint("example.com/maint", "", taints.NoExecute)),
			modern: outcome{false, false}, legacy: outcome{false, false}, reason: "any untolerated NoExecute taint evicts"},
		{name: "preferNoScheduleOnly", node: newNode("node-a", nil, taint("dedicated", "gpu", taints.PreferNoSchedule)),
			modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "emptyEffectIgnored", node: newNode("node-a", nil, taint("odd", "", "")),
			modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "tolerated", template: func(s *cluster.PodSpec) {
			s.Tolerations = []taints.Toleration{{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.NoSchedule}}
		}, node: newNode("node-a", nil, taint("dedicated", "gpu", taints.NoSchedule)), modern: outcome{true, true}, legacy: outcome{true, true}},
		{name: "notReady", node: newNode("node-a", nil, taint(taints.NodeNotReady, "", taints.NoExecute)),
			modern: outcome{true, true}, legacy: outcome{false, false}, reason: "modern daemon pods tolerate not-ready; legacy ones the alpha key only"},
		{name: "notReadyAlpha", node: newNode("node-a", nil, taint(taints.LegacyNodeNotReady, "", taints.NoExecute)),
			modern: outcome{false, false}, legacy: outcome{true, true}},
		{name: "unreachableAlpha", node: newNode("node-a", nil, taint(taints.LegacyNodeUnreachable, "", taints.NoExecute)),
			modern: outcome{false, false}, legacy: outcome{true, true}},
		{name: "unschedulableTaint", node: newNode("node-a", nil, taint(taints.NodeUnschedulable, "", taints.NoSchedule)),
			modern: outcome{true, true}, legacy: outcome{false, true}},
		{name: "networkUnavailable", node: newNode("node-a", nil, taint(taints.NodeNetworkUnavailable, "", taints.NoSchedule)),
			modern: outcome{false, true}, legacy: outcome{false, true}},
		{name: "networkUnavailableHostNetwork", template: func(s *cluster.PodSpec) { s.HostNetwork = true },
			node: newNode("node-a", nil, taint(taints.NodeNetworkUnavailable, "", taints.NoSchedule)), modern: outcome{true, true}, legacy: outcome{false, true}},
		{name: "cordonedWithoutTaint", node: func() *cluster.Node {
			n := newNode("node-a", nil)
			n.Spec.Unschedulable = true
			return n
		}(), modern: outcome{true, true}, legacy: outcome{true, true}, reason: "only taints count, not spec.unschedulable"},
		{name: "nilNode", node: nil, modern: outcome{false, false}, legacy: outcome{false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := newDS("ds")
			if tc.template != nil {
				tc.template(&ds.Spec.Template.Spec)
			}
			for _, pc := range []struct {
				p    cluster.Profile
				want outcome
			}{{cluster.Modern, tc.modern}, {cluster.Legacy, tc.legacy}} {
				run, cont := daemonset.NewEligibility(ds, pc.p).ShouldRun(tc.node)
				if (outcome{run, cont}) != pc.want {
					t.Errorf("%s: ShouldRun = (%v, %v), want (%v, %v) %s", pc.p, run, cont, pc.want.run, pc.want.cont, tc.reason)
				}
			}
			if run, cont := daemonset.NodeShouldRun(tc.node, ds); (outcome{run, cont}) != tc.modern {
				t.Errorf("NodeShouldRun = (%v, %v), want the modern (%v, %v)", run, cont, tc.modern.run, tc.modern.cont)
			}
		})
	}
}

func requiredAffinity(reqs ...selector.NodeSelectorRequirement) *cluster.Affinity {
	return &cluster.Affinity{NodeAffinity: &cluster.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{
		NodeSelectorTerms: []selector.NodeSelectorTerm{{MatchExpressions: reqs}},
	}}}
}

func TestShouldRunNilDaemonSet(t *testing.T) {
	if run, cont := daemonset.NewEligibility(nil, cluster.Modern).ShouldRun(newNode("node-a", nil)); run || cont {
		t.Errorf("ShouldRun with a nil DaemonSet = (%v, %v), want (false, false)", run, cont)
	}
}

// TestShouldRunAllocs proves the per-node check allocates nothing.
func TestShouldRunAllocs(t *testing.T) {
	ds := benchDaemonSet()
	e := daemonset.NewEligibility(ds, cluster.Modern)
	nodes := benchNodes(64)
	var sink int
	allocs := testing.AllocsPerRun(100, func() {
		for _, n := range nodes {
			if run, _ := e.ShouldRun(n); run {
				sink++
			}
		}
	})
	if allocs != 0 {
		t.Errorf("ShouldRun allocates %v times per 64 nodes, want 0", allocs)
	}
	if sink == 0 {
		t.Errorf("no benchmark node is eligible; the check exercises nothing")
	}
}

// TestEligibilityDoesNotAliasTemplate checks that the compiled
// tolerations do not write into the template's slice.
func TestEligibilityDoesNotAliasTemplate(t *testing.T) {
	ds := newDS("ds")
	tols := make([]taints.Toleration, 1, 16)
	tols[0] = taints.Toleration{Key: "k", Operator: taints.OpExists}
	ds.Spec.Template.Spec.Tolerations = tols
	daemonset.NewEligibility(ds, cluster.Modern)
	if got := tols[:cap(tols)][1]; got != (taints.Toleration{}) {
		t.Errorf("NewEligibility wrote %+v past the template's tolerations", got)
	}
}
