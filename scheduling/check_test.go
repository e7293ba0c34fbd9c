package scheduling_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scheduling"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

var (
	rUnsched  = []scheduling.Reason{scheduling.ReasonUnschedulable}
	rNodeName = []scheduling.Reason{scheduling.ReasonNodeName}
	rTaint    = []scheduling.Reason{scheduling.ReasonUntoleratedTaint}
	rAffinity = []scheduling.Reason{scheduling.ReasonNodeAffinity}
	rPorts    = []scheduling.Reason{scheduling.ReasonNodePorts}
	rCPU      = []scheduling.Reason{scheduling.ReasonInsufficientCPU}
	rMemory   = []scheduling.Reason{scheduling.ReasonInsufficientMemory}
	rTooMany  = []scheduling.Reason{scheduling.ReasonTooManyPods}
)

// on returns pods bound to node-a.
func on(pods ...*cluster.Pod) []*cluster.Pod {
	for _, p := range pods {
		if p.Spec.NodeName == "" {
			p.Spec.NodeName = "node-a"
		}
	}
	return pods
}

func TestCheck(t *testing.T) {
	a := func(opts ...nodeOpt) *cluster.Node { return newNode("node-a", opts...) }
	p := func(opts ...podOpt) *cluster.Pod { return newPod("p", opts...) }
	other := func(name string, opts ...podOpt) *cluster.Pod { return newPod(name, opts...) }

	tests := []struct {
		name      string
		node      *cluster.Node
		pod       *cluster.Pod
		onNode    []*cluster.Pod
		want      []scheduling.Reason
		wantTaint string // the untolerated taint, as Taint.String
		reason    string
	}{
		{name: "empty", node: a(), pod: p()},

		// NodeUnschedulable.
		{name: "cordoned", node: a(cordoned), pod: p(), want: rUnsched},
		{name: "cordoned/tolerated-exists", node: a(cordoned), pod: p(tolerate(taints.NodeUnschedulable, taints.OpExists, "", taints.NoSchedule))},
		{name: "cordoned/tolerated-equal-empty-value", node: a(cordoned), pod: p(tolerate(taints.NodeUnschedulable, taints.OpEqual, "", taints.NoSchedule))},
		{name: "cordoned/tolerated-any-effect", node: a(cordoned), pod: p(tolerate(taints.NodeUnschedulable, taints.OpExists, "", ""))},
		{name: "cordoned/tolerate-everything", node: a(cordoned), pod: p(tolerate("", taints.OpExists, "", ""))},
		{name: "cordoned/toleration-noexecute-only", node: a(cordoned), pod: p(tolerate(taints.NodeUnschedulable, taints.OpExists, "", taints.NoExecute)), want: rUnsched},
		{name: "cordoned/toleration-other-value", node: a(cordoned), pod: p(tolerate(taints.NodeUnschedulable, taints.OpEqual, "x", taints.NoSchedule)), want: rUnsched,
			reason: "the taint NodeUnschedulable checks has an empty value"},
		{name: "cordoned/taint-not-needed", node: a(tainted("node.kubernetes.io/unschedulable:NoSchedule")), pod: p(), want: rTaint, wantTaint: "node.kubernetes.io/unschedulable:NoSchedule",
			reason: "the cordon taint itself is TaintToleration's business, not NodeUnschedulable's"},

		// NodeName.
		{name: "nodename/other", node: a(), pod: p(nodeName("node-b")), want: rNodeName},
		{name: "nodename/same", node: a(), pod: p(nodeName("node-a"))},

		// TaintToleration.
		{name: "taint/noschedule", node: a(tainted("dedicated=gpu:NoSchedule")), pod: p(), want: rTaint, wantTaint: "dedicated=gpu:NoSchedule"},
		{name: "taint/noexecute", node: a(tainted("node.kubernetes.io/unreachable:NoExecute")), pod: p(), want: rTaint, wantTaint: "node.kubernetes.io/unreachable:NoExecute"},
		{name: "taint/prefer-noschedule", node: a(tainted("dedicated=gpu:PreferNoSchedule")), pod: p(), reason: "PreferNoSchedule only affects scoring"},
		{name: "taint/tolerated-equal", node: a(tainted("dedicated=gpu:NoSchedule")), pod: p(tolerate("dedicated", taints.OpEqual, "gpu", taints.NoSchedule))},
		{name: "taint/tolerated-exists", node: a(tainted("dedicated=gpu:NoSchedule")), pod: p(tolerate("dedicated", taints.OpExists, "", ""))},
		{name: "taint/value-mismatch", node: a(tainted("dedicated=gpu:NoSchedule")), pod: p(tolerate("dedicated", taints.OpEqual, "cpu", taints.NoSchedule)), want: rTaint, wantTaint: "dedicated=gpu:NoSchedule"},
		{name: "taint/effect-mismatch", node: a(tainted("dedicated=gpu:NoExecute")), pod: p(tolerate("dedicated", taints.OpEqual, "gpu", taints.NoSchedule)), want: rTaint, wantTaint: "dedicated=gpu:NoExecute"},
		{name: "taint/first-untolerated", node: a(tainted("a=1:NoSchedule", "b=2:NoExecute", "c=3:NoSchedule")), pod: p(tolerate("a", taints.OpExists, "", "")), want: rTaint, wantTaint: "b=2:NoExecute"},
		{name: "taint/lt-without-gate", node: a(tainted("cpus=8:NoSchedule")), pod: p(tolerate("cpus", taints.OpLt, "4", taints.NoSchedule)), want: rTaint, wantTaint: "cpus=8:NoSchedule",
			reason: "comparison operators are behind a feature gate that is off by default"},

		// NodeAffinity.
		{name: "selector/match", node: a(labels("disk", "ssd")), pod: p(nodeSelector("disk", "ssd"))},
		{name: "selector/other-value", node: a(labels("disk", "hdd")), pod: p(nodeSelector("disk", "ssd")), want: rAffinity},
		{name: "selector/missing", node: a(), pod: p(nodeSelector("disk", "ssd")), want: rAffinity},
		{name: "selector/empty-map", node: a(), pod: p(nodeSelector())},
		{name: "affinity/in", node: a(labels("zone", "a")), pod: p(affinity(labelTerm("zone", selector.NodeSelectorOpIn, "a", "b")))},
		{name: "affinity/not-in", node: a(labels("zone", "c")), pod: p(affinity(labelTerm("zone", selector.NodeSelectorOpIn, "a", "b"))), want: rAffinity},
		{name: "affinity/terms-ored", node: a(labels("zone", "c")), pod: p(affinity(labelTerm("zone", selector.NodeSelectorOpIn, "a"), labelTerm("zone", selector.NodeSelectorOpIn, "c")))},
		{name: "affinity/pinned-here", node: a(), pod: p(pinTo("node-a"))},
		{name: "affinity/pinned-elsewhere", node: a(), pod: p(pinTo("node-b")), want: rAffinity},
		{name: "affinity/pinned-here-selector-mismatch", node: a(labels("disk", "hdd")), pod: p(pinTo("node-a"), nodeSelector("disk", "ssd")), want: rAffinity,
			reason: "a daemon pod's pin is checked without compiling it; its nodeSelector still counts"},
		{name: "affinity/pinned-here-selector-match", node: a(labels("disk", "ssd")), pod: p(pinTo("node-a"), nodeSelector("disk", "ssd"))},
		{name: "affinity/pinned-two-names", node: a(), pod: p(pinTo("node-b", "node-a")), want: rAffinity,
			reason: "a metadata.name requirement must have one value; the term does not parse"},
		{name: "affinity/pinned-empty-name", node: a(), pod: p(pinTo("")), want: rAffinity},
		{name: "affinity/invalid-term", node: a(labels("cpus", "4")), pod: p(affinity(labelTerm("cpus", selector.NodeSelectorOpGt, "abc"))), want: rAffinity,
			reason: "a term that does not parse matches no node; the error is ignored as upstream's filter does"},
		{name: "affinity/no-terms", node: a(), pod: p(affinity()), want: rAffinity},
		{name: "affinity-and-selector/both-needed", node: a(labels("zone", "a")), pod: p(nodeSelector("disk", "ssd"), affinity(labelTerm("zone", selector.NodeSelectorOpIn, "a"))), want: rAffinity},

		// NodePorts.
		{name: "ports/conflict", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(other("x", port(80, 8080, "TCP", ""))), want: rPorts},
		{name: "ports/other-port", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(other("x", port(81, 80, "TCP", "")))},
		{name: "ports/other-protocol", node: a(), pod: p(port(53, 53, "UDP", "")), onNode: on(other("x", port(53, 53, "TCP", "")))},
		{name: "ports/empty-protocol-is-tcp", node: a(), pod: p(port(80, 80, "", "")), onNode: on(other("x", port(80, 80, "TCP", ""))), want: rPorts},
		{name: "ports/specific-ip-vs-any", node: a(), pod: p(port(80, 80, "TCP", "10.0.0.1")), onNode: on(other("x", port(80, 80, "TCP", ""))), want: rPorts},
		{name: "ports/any-vs-specific-ip", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(other("x", port(80, 80, "TCP", "10.0.0.1"))), want: rPorts},
		{name: "ports/explicit-any-ip", node: a(), pod: p(port(80, 80, "TCP", "0.0.0.0")), onNode: on(other("x", port(80, 80, "TCP", "10.0.0.2"))), want: rPorts},
		{name: "ports/different-ips", node: a(), pod: p(port(80, 80, "TCP", "10.0.0.1")), onNode: on(other("x", port(80, 80, "TCP", "10.0.0.2")))},
		{name: "ports/same-ip", node: a(), pod: p(port(80, 80, "TCP", "10.0.0.1")), onNode: on(other("x", port(80, 80, "TCP", "10.0.0.1"))), want: rPorts},
		{name: "ports/container-port-only", node: a(), pod: p(port(0, 80, "TCP", "")), onNode: on(other("x", port(0, 80, "TCP", "")))},
		{name: "ports/host-network-claims-container-port", node: a(), pod: p(hostNetwork, port(0, 9100, "TCP", "")), onNode: on(other("x", port(9100, 9100, "TCP", ""))), want: rPorts},
		{name: "ports/host-network-existing", node: a(), pod: p(port(9100, 9100, "TCP", "")), onNode: on(other("x", hostNetwork, port(0, 9100, "TCP", ""))), want: rPorts},
		{name: "ports/other-node", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: []*cluster.Pod{other("x", nodeName("node-b"), port(80, 80, "TCP", ""))},
			reason: "pods bound elsewhere are ignored"},
		{name: "ports/unbound", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: []*cluster.Pod{other("x", pinTo("node-a"), port(80, 80, "TCP", ""))},
			reason: "a pod pinned to the node but not bound holds nothing"},
		{name: "ports/terminal", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(other("x", phase(cluster.PodSucceeded), port(80, 80, "TCP", "")))},
		{name: "ports/terminating", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(other("x", terminating, port(80, 80, "TCP", ""))), want: rPorts},
		{name: "ports/itself", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(p(port(80, 80, "TCP", ""))),
			reason: "the pod itself, already bound, does not conflict with itself"},
		{name: "ports/same-name-other-namespace", node: a(), pod: p(port(80, 80, "TCP", "")), onNode: on(p(namespace("kube-system"), port(80, 80, "TCP", ""))), want: rPorts},

		// NodeResourcesFit.
		{name: "cpu/insufficient", node: a(allocatable("cpu=1")), pod: p(requests("cpu=600m")), onNode: on(other("x", requests("cpu=500m"))), want: rCPU},
		{name: "cpu/exact", node: a(allocatable("cpu=1")), pod: p(requests("cpu=500m")), onNode: on(other("x", requests("cpu=500m")))},
		{name: "cpu/unreported", node: a(allocatable("memory=1Gi")), pod: p(requests("cpu=64")), reason: "a node that does not report cpu has as much as needed"},
		{name: "cpu/no-allocatable", node: a(), pod: p(requests("cpu=64,memory=1Ti,ephemeral-storage=1Pi"))},
		{name: "cpu/sum-of-containers", node: a(allocatable("cpu=1")), pod: p(requests("cpu=600m"), container("cpu=500m")), want: rCPU},
		{name: "cpu/init-container-larger", node: a(allocatable("cpu=1")), pod: p(requests("cpu=100m"), initContainer("cpu=2")), want: rCPU},
		{name: "cpu/init-container-smaller", node: a(allocatable("cpu=1")), pod: p(requests("cpu=1"), initContainer("cpu=500m"))},
		{name: "cpu/existing-init-container", node: a(allocatable("cpu=1")), pod: p(requests("cpu=500m")), onNode: on(other("x", requests("cpu=100m"), initContainer("cpu=600m"))), want: rCPU},
		{name: "cpu/terminal-pods-free", node: a(allocatable("cpu=1")), pod: p(requests("cpu=1")), onNode: on(other("x", requests("cpu=1"), phase(cluster.PodFailed)))},
		{name: "cpu/terminating-pods-hold", node: a(allocatable("cpu=1")), pod: p(requests("cpu=1")), onNode: on(other("x", requests("cpu=1"), terminating)), want: rCPU},
		{name: "cpu/overcommitted", node: a(allocatable("cpu=1")), pod: p(requests("cpu=1m")), onNode: on(other("x", requests("cpu=2"), nodeName("node-a"))), want: rCPU},
		{name: "cpu/zero-request-on-full-node", node: a(allocatable("cpu=1")), pod: p(), onNode: on(other("x", requests("cpu=2"))),
			reason: "a pod that requests nothing only counts against pods"},
		{name: "memory/insufficient", node: a(allocatable("cpu=4,memory=1Gi")), pod: p(requests("memory=512Mi")), onNode: on(other("x", requests("memory=768Mi"))), want: rMemory},
		{name: "ephemeral/insufficient", node: a(allocatable("ephemeral-storage=10Gi")), pod: p(requests("ephemeral-storage=11Gi")), want: []scheduling.Reason{scheduling.ReasonInsufficientEphemeralStorage}},
		{name: "extended/absent", node: a(allocatable("cpu=4")), pod: p(requests("nvidia.com/gpu=1")), want: []scheduling.Reason{"Insufficient nvidia.com/gpu"},
			reason: "an extended resource the node does not report is zero, as upstream"},
		{name: "extended/used", node: a(allocatable("nvidia.com/gpu=2")), pod: p(requests("nvidia.com/gpu=1")), onNode: on(other("x", requests("nvidia.com/gpu=2"))), want: []scheduling.Reason{"Insufficient nvidia.com/gpu"}},
		{name: "extended/enough", node: a(allocatable("nvidia.com/gpu=2")), pod: p(requests("nvidia.com/gpu=1")), onNode: on(other("x", requests("nvidia.com/gpu=1")))},
		{name: "hugepages/absent", node: a(), pod: p(requests("hugepages-2Mi=64Mi")), want: []scheduling.Reason{"Insufficient hugepages-2Mi"}},
		{name: "extended/sorted", node: a(), pod: p(requests("z.io/b=1,a.io/c=1")), want: []scheduling.Reason{"Insufficient a.io/c", "Insufficient z.io/b"}},
		{name: "request/ignored-names", node: a(allocatable("cpu=1")), pod: p(requests("pods=5,storage=1Ti"))},
		{name: "pods/too-many", node: a(allocatable("pods=2")), pod: p(), onNode: on(other("x"), other("y")), want: rTooMany},
		{name: "pods/room", node: a(allocatable("pods=3")), pod: p(), onNode: on(other("x"), other("y"))},
		{name: "pods/default-110", node: a(), pod: p(), onNode: on(manyPods(110)...), want: rTooMany},
		{name: "pods/default-room", node: a(), pod: p(), onNode: on(manyPods(109)...)},
		{name: "pods/terminal-not-counted", node: a(allocatable("pods=1")), pod: p(), onNode: on(other("x", phase(cluster.PodSucceeded)))},
		{name: "resources/all", node: a(allocatable("pods=1,cpu=1,memory=1Gi,example.com/dongle=1")), pod: p(requests("cpu=2,memory=2Gi,example.com/dongle=2")), onNode: on(other("x")),
			want: []scheduling.Reason{scheduling.ReasonTooManyPods, scheduling.ReasonInsufficientCPU, scheduling.ReasonInsufficientMemory, "Insufficient example.com/dongle"}},

		// Several plugins at once: every reason, in plugin order.
		{name: "many", node: a(cordoned, tainted("dedicated=db:NoSchedule"), allocatable("cpu=1,pods=1")),
			pod:    p(nodeName("node-b"), nodeSelector("disk", "ssd"), port(80, 80, "TCP", ""), requests("cpu=2")),
			onNode: on(other("x", port(80, 80, "TCP", ""))),
			want: []scheduling.Reason{scheduling.ReasonUnschedulable, scheduling.ReasonNodeName, scheduling.ReasonUntoleratedTaint,
				scheduling.ReasonNodeAffinity, scheduling.ReasonNodePorts, scheduling.ReasonTooManyPods, scheduling.ReasonInsufficientCPU},
			wantTaint: "dedicated=db:NoSchedule"},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		if seen[tc.name] {
			t.Fatalf("duplicate test name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			got := scheduling.Check(tc.node, tc.pod, tc.onNode)
			want := scheduling.Verdict{Fits: len(tc.want) == 0, Reasons: tc.want}
			if tc.wantTaint != "" {
				taint, err := taints.ParseTaint(tc.wantTaint)
				if err != nil {
					t.Fatal(err)
				}
				want.Taint = taint
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Check() mismatch (-want +got):\n%s\n%s", diff, tc.reason)
			}
			// The compiled form agrees, and can be reused.
			f := scheduling.NewFilter(tc.pod)
			for range 2 {
				if diff := cmp.Diff(want, f.Check(tc.node, tc.onNode)); diff != "" {
					t.Errorf("Filter.Check() mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func manyPods(n int) []*cluster.Pod {
	pods := make([]*cluster.Pod, n)
	for i := range pods {
		pods[i] = newPod("x" + string(rune('a'+i%26)) + string(rune('a'+i/26)))
	}
	return pods
}

func TestVerdictHas(t *testing.T) {
	v := scheduling.Check(newNode("node-a", cordoned), newPod("p"), nil)
	if !v.Has(scheduling.ReasonUnschedulable) || v.Has(scheduling.ReasonNodeAffinity) {
		t.Errorf("Has: got %v", v.Reasons)
	}
}

func TestReasonPlugin(t *testing.T) {
	tests := []struct {
		r    scheduling.Reason
		want string
	}{
		{scheduling.ReasonUnschedulable, "NodeUnschedulable"},
		{scheduling.ReasonNodeName, "NodeName"},
		{scheduling.ReasonUntoleratedTaint, "TaintToleration"},
		{scheduling.ReasonNodeAffinity, "NodeAffinity"},
		{scheduling.ReasonNodeAffinityPreFilter, "NodeAffinity"},
		{scheduling.ReasonAffinityTermsConflict, "NodeAffinity"},
		{scheduling.ReasonNodePorts, "NodePorts"},
		{scheduling.ReasonTooManyPods, "NodeResourcesFit"},
		{scheduling.ReasonInsufficientCPU, "NodeResourcesFit"},
		{scheduling.Insufficient("example.com/dongle"), "NodeResourcesFit"},
		{"Insufficient ", ""},
		{"something else", ""},
	}
	for _, tc := range tests {
		t.Run(tc.r.String(), func(t *testing.T) {
			if got := tc.r.Plugin(); got != tc.want {
				t.Errorf("Reason(%q).Plugin() = %q, want %q", tc.r, got, tc.want)
			}
		})
	}
}

func TestInsufficient(t *testing.T) {
	tests := []struct {
		name cluster.ResourceName
		want scheduling.Reason
	}{
		{cluster.ResourceCPU, "Insufficient cpu"},
		{cluster.ResourceMemory, "Insufficient memory"},
		{cluster.ResourceEphemeralStorage, "Insufficient ephemeral-storage"},
		{"nvidia.com/gpu", "Insufficient nvidia.com/gpu"},
	}
	for _, tc := range tests {
		if got := scheduling.Insufficient(tc.name); got != tc.want {
			t.Errorf("Insufficient(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestFilterCheckAllocs pins the hot path: checking a compiled pod against
// a node it fits allocates nothing.
func TestFilterCheckAllocs(t *testing.T) {
	node := newNode("node-a", labels("disk", "ssd"), tainted("dedicated=db:NoSchedule"), allocatable("cpu=8,memory=16Gi,pods=110,example.com/dongle=4"))
	pod := newPod("p", nodeSelector("disk", "ssd"), affinity(nameTerm("node-a"), nameTerm("node-b")),
		tolerate("dedicated", taints.OpExists, "", taints.NoSchedule), port(80, 80, "TCP", ""),
		requests("cpu=500m,memory=1Gi,example.com/dongle=1"))
	onNode := on(newPod("x", requests("cpu=1,memory=1Gi,example.com/dongle=1"), port(81, 81, "TCP", "")), newPod("y"))
	f := scheduling.NewFilter(pod)
	if v := f.Check(node, onNode); !v.Fits {
		t.Fatalf("Check: %v, want a fit", v.Reasons)
	}
	if n := testing.AllocsPerRun(100, func() { f.Check(node, onNode) }); n != 0 {
		t.Errorf("Filter.Check allocates %v times per run, want 0", n)
	}
}
