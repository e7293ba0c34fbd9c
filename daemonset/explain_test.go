package daemonset_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name     string
		profile  cluster.Profile
		template func(s *cluster.PodSpec)
		node     *cluster.Node
		want     daemonset.Verdict
	}{
		{name: "eligible", node: newNode("node-a", map[string]string{"disk": "ssd"}, taint("x", "", taints.PreferNoSchedule)),
			want: daemonset.Verdict{Node: "node-a", ShouldRun: true, ShouldContinueRunning: true}},
		{name: "everyReason", template: func(s *cluster.PodSpec) {
			s.NodeName = "node-9"
			s.NodeSelector = map[string]string{"disk": "ssd", "zone": "a"}
			s.Affinity = requiredAffinity(selector.NodeSelectorRequirement{Key: "gpu", Operator: "Exists"})
		}, node: newNode("node-b", map[string]string{"zone": "b"},
			taint("dedicated", "gpu", taints.NoSchedule),
			taint("example.com/maint", "", taints.NoExecute),
			taint("soft", "", taints.PreferNoSchedule)),
			want: daemonset.Verdict{Node: "node-b", Reasons: []string{
				`template nodeName is "node-9"`,
				`nodeSelector: label "disk" is missing, want "ssd"`,
				`nodeSelector: label "zone" is "b", want "a"`,
				`node affinity: term 0: gpu Exists: label "gpu" is missing`,
				"taint dedicated=gpu:NoSchedule is not tolerated",
				"taint example.com/maint:NoExecute is not tolerated",
			}}},
		{name: "noScheduleOnly", node: newNode("node-c", nil, taint("dedicated", "gpu", taints.NoSchedule)),
			want: daemonset.Verdict{Node: "node-c", ShouldContinueRunning: true, Reasons: []string{
				"taint dedicated=gpu:NoSchedule is not tolerated",
				"untolerated NoSchedule taints only: an existing pod keeps running",
			}}},
		{name: "automaticTolerations", node: newNode("node-d", nil, taint(taints.NodeNotReady, "", taints.NoExecute), taint(taints.NodeUnschedulable, "", taints.NoSchedule)),
			want: daemonset.Verdict{Node: "node-d", ShouldRun: true, ShouldContinueRunning: true}},
		{name: "legacyTolerations", profile: cluster.Legacy, node: newNode("node-d", nil, taint(taints.NodeNotReady, "", taints.NoExecute)),
			want: daemonset.Verdict{Node: "node-d", Reasons: []string{"taint node.kubernetes.io/not-ready:NoExecute is not tolerated"}}},
		{name: "nilNode", node: nil, want: daemonset.Verdict{Reasons: []string{"no node"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == "" {
				p = cluster.Modern
			}
			ds := newDS("ds")
			if tc.template != nil {
				tc.template(&ds.Spec.Template.Spec)
			}
			got := daemonset.Explain(tc.node, ds, p)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Explain mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExplainNilDaemonSet(t *testing.T) {
	got := daemonset.NewEligibility(nil, cluster.Modern).Explain(newNode("node-a", nil))
	want := daemonset.Verdict{Node: "node-a", Reasons: []string{"no DaemonSet"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Explain mismatch (-want +got):\n%s", diff)
	}
}

func TestVerdictString(t *testing.T) {
	tests := []struct {
		name string
		v    daemonset.Verdict
		want string
	}{
		{name: "eligible", v: daemonset.Verdict{Node: "node-a", ShouldRun: true, ShouldContinueRunning: true},
			want: "node-a: shouldRun=true shouldContinueRunning=true"},
		{name: "reasons", v: daemonset.Verdict{Node: "node-b", Reasons: []string{`nodeSelector: label "disk" is missing, want "ssd"`, "taint a:NoExecute is not tolerated"}},
			want: "node-b: shouldRun=false shouldContinueRunning=false\n" +
				"  - nodeSelector: label \"disk\" is missing, want \"ssd\"\n" +
				"  - taint a:NoExecute is not tolerated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
