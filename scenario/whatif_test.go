package scenario

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

const whatifManifests = `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: n1, labels: {zone: a}}}
- {apiVersion: v1, kind: Node, metadata: {name: n2, labels: {zone: a, disk: ssd}}}
- {apiVersion: v1, kind: Node, metadata: {name: n3, labels: {zone: b}}}
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: ssd}
  spec:
    selector: {matchLabels: {app: ssd}}
    template:
      metadata: {labels: {app: ssd}}
      spec:
        nodeSelector: {disk: ssd}
        containers: [{name: main, image: ssd:1}]
`

func whatifEnv(t *testing.T) *Env {
	t.Helper()
	env := MustNewCluster(cluster.Config{})
	if err := env.ApplyYAML(whatifManifests); err != nil {
		t.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	return env
}

func TestWhatIf(t *testing.T) {
	status := func(desired, misscheduled int32) daemonset.Status {
		return daemonset.Status{DesiredNumberScheduled: desired, CurrentNumberScheduled: desired, NumberReady: desired,
			UpdatedNumberScheduled: desired, NumberAvailable: desired, NumberMisscheduled: misscheduled, ObservedGeneration: 1}
	}
	tests := []struct {
		change  string
		want    DaemonSetImpact
		refused []string
	}{
		// n2 has disk=ssd already: setting the value it has needs no
		// --overwrite (kubectl since 1.28), and n2's other labels change.
		{"label nodes -l zone=a disk=ssd", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1"}, NodesLosing: []string{}, Before: status(1, 0), After: status(2, 0)}, nil},
		{"label node/n2 disk=ssd zone=b", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)},
			[]string{"Node/n2: 'zone' already has a value (a), and --overwrite is false"}},
		{"label nodes -l zone=a disk=ssd --overwrite", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1"}, NodesLosing: []string{}, Before: status(1, 0), After: status(2, 0)}, nil},
		{"kubectl label nodes --selector=zone=a disk=ssd --overwrite=true", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1"}, NodesLosing: []string{}, Before: status(1, 0), After: status(2, 0)}, nil},
		{"label node/n2 disk=hdd zone=b", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)},
			[]string{"Node/n2: ['disk' already has a value (ssd), and --overwrite is false, 'zone' already has a value (a), and --overwrite is false]"}},
		{"label node/n2 disk=hdd --overwrite=false", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)},
			[]string{"Node/n2: 'disk' already has a value (ssd), and --overwrite is false"}},
		{"label node/n2 disk=hdd --overwrite", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0), After: status(0, 1)}, nil},
		{"label nodes --all disk=ssd --overwrite", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1", "n3"}, NodesLosing: []string{}, Before: status(1, 0), After: status(3, 0)}, nil},
		{"label nodes -l 'zone in (a)' disk=ssd --overwrite", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1"}, NodesLosing: []string{}, Before: status(1, 0), After: status(2, 0)}, nil},
		{`label nodes --overwrite disk=ssd --selector "zone notin (b)"`, DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1"}, NodesLosing: []string{}, Before: status(1, 0), After: status(2, 0)}, nil},
		{"label nodes n1 n3 disk=ssd", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1", "n3"}, NodesLosing: []string{}, Before: status(1, 0), After: status(3, 0)}, nil},
		{"label node/n1 node/n3 disk=ssd", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n1", "n3"}, NodesLosing: []string{}, Before: status(1, 0), After: status(3, 0)}, nil},
		{"cordon n1 n2", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)}, nil},
		{"delete node/n1 node/n2", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0), After: status(0, 0)}, nil},
		{"kubectl -n default delete ds/ssd", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0)}, nil},
		{"kubectl --namespace=default delete ds ssd --cascade=orphan", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0)}, nil},
		{"cordon nodes n1 n2", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)}, nil},
		{"taint nodes --all k=v:NoSchedule", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(0, 1)}, nil},
		{"label node/n2 disk-", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0), After: status(0, 1)}, nil},
		{"label nodes n3 disk=ssd", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{"n3"}, NodesLosing: []string{}, Before: status(1, 0), After: status(2, 0)}, nil},
		{"delete node/n2", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0), After: status(0, 0)}, nil},
		{"delete ds/ssd", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0)}, nil},
		{"delete ds ssd --cascade=orphan", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0)}, nil},
		{"taint nodes n2 k=v:NoSchedule", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(0, 1)}, nil},
		{"taint n2 k=v:NoExecute", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"}, Before: status(1, 0), After: status(0, 1)}, nil},
		{"cordon n2", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)}, nil},
		{"uncordon node/n2", DaemonSetImpact{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{}, Before: status(1, 0), After: status(1, 0)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.change, func(t *testing.T) {
			env := whatifEnv(t)
			seq, pods := env.LastSeq(), ShowPods(env.Cluster)
			rep, err := WhatIf(env, tc.change)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&Report{DaemonSets: []DaemonSetImpact{tc.want}, Refused: tc.refused}, rep); diff != "" {
				t.Errorf("WhatIf(%q) mismatch (-want +got):\n%s", tc.change, diff)
			}
			if env.LastSeq() != seq || ShowPods(env.Cluster) != pods {
				t.Errorf("WhatIf(%q) changed the original cluster", tc.change)
			}
		})
	}
}

// TestImpactAfter checks that running the clocks after a change shows
// what time does to it: the pod of a node that stopped qualifying is
// terminating (and counted misscheduled) at the instant of the change,
// and gone once its grace period has run.
func TestImpactAfter(t *testing.T) {
	change := func(e *Env) error { return e.Label(cluster.Ref{Kind: cluster.KindNode, Name: "n2"}, "disk-") }
	ready := daemonset.Status{DesiredNumberScheduled: 1, CurrentNumberScheduled: 1, NumberReady: 1,
		UpdatedNumberScheduled: 1, NumberAvailable: 1, ObservedGeneration: 1}
	for _, tc := range []struct {
		d     time.Duration
		after daemonset.Status
	}{
		{0, daemonset.Status{NumberMisscheduled: 1, CurrentNumberScheduled: 0, ObservedGeneration: 1}},
		{10 * time.Second, daemonset.Status{NumberMisscheduled: 1, ObservedGeneration: 1}},
		{time.Minute, daemonset.Status{ObservedGeneration: 1}},
	} {
		t.Run(tc.d.String(), func(t *testing.T) {
			env := whatifEnv(t)
			seq, elapsed, pods := env.LastSeq(), env.Elapsed(), ShowPods(env.Cluster)
			rep, err := ImpactAfter(env, change, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			want := &Report{DaemonSets: []DaemonSetImpact{{DaemonSet: "default/ssd", NodesGaining: []string{}, NodesLosing: []string{"n2"},
				Before: ready, After: tc.after}}}
			if diff := cmp.Diff(want, rep); diff != "" {
				t.Errorf("ImpactAfter(label n2 disk-, %v) mismatch (-want +got):\n%s", tc.d, diff)
			}
			if env.LastSeq() != seq || env.Elapsed() != elapsed || ShowPods(env.Cluster) != pods {
				t.Errorf("ImpactAfter(%v) changed the original cluster", tc.d)
			}
		})
	}
	if _, err := ImpactAfter(whatifEnv(t), change, -time.Second); err == nil || err.Error() != "negative duration -1s" {
		t.Errorf("ImpactAfter(-1s) error = %v, want negative duration -1s", err)
	}
}

func TestWhatIfJSON(t *testing.T) {
	rep, err := WhatIf(whatifEnv(t), "label node/n1 disk=ssd")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"daemonSets":[{"daemonSet":"default/ssd","nodesGaining":["n1"],"nodesLosing":[],` +
		`"before":{"currentNumberScheduled":1,"numberMisscheduled":0,"desiredNumberScheduled":1,"numberReady":1,"observedGeneration":1,"updatedNumberScheduled":1,"numberAvailable":1},` +
		`"after":{"currentNumberScheduled":2,"numberMisscheduled":0,"desiredNumberScheduled":2,"numberReady":2,"observedGeneration":1,"updatedNumberScheduled":2,"numberAvailable":2}}]}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("report JSON mismatch (-want +got):\n%s", diff)
	}
	if got, want := rep.String(), "DaemonSet/default/ssd gaining=n1\n  before: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0\n  after: desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0\n"; got != want {
		t.Errorf("report String = %q, want %q", got, want)
	}
	if got := (&Report{}).String(); got != "no DaemonSets\n" {
		t.Errorf("empty report String = %q", got)
	}
}

func TestImpactApply(t *testing.T) {
	env := whatifEnv(t)
	objs, err := Decode([]byte(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: all}
spec:
  selector: {matchLabels: {app: all}}
  template:
    metadata: {labels: {app: all}}
    spec: {containers: [{name: main, image: all:1}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Impact(env, func(e *Env) error { return e.Apply(objs...) })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rep.String(), "DaemonSet/default/all gaining=n1,n2,n3\n  before: desired=0 current=0 ready=0 updated=0 available=0 misscheduled=0\n  after: desired=3 current=3 ready=3 updated=3 available=3 misscheduled=0\nDaemonSet/default/ssd unchanged\n"; got != want {
		t.Errorf("Impact report =\n%s\nwant\n%s", got, want)
	}
	if _, ok := env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: "all"}); ok {
		t.Error("Impact changed the original cluster")
	}
}

func TestWhatIfErrors(t *testing.T) {
	tests := []struct{ change, wantErr string }{
		{"", "empty change"},
		{"drain node/n1", `unknown change "drain" (want label, taint, cordon, uncordon or delete)`},
		{"label node/n1", "label: at least one label update is required"},
		{"label", "label: want an object"},
		{"label nodes", "label: want a name or -l SELECTOR after nodes"},
		{"label nodes -l", "label: flag -l needs a value"},
		{"label nodes -l a,,b x=y", "label: found ',', expected: identifier after ','"},
		{"label gadgets/x a=b", `label: invalid object reference "gadgets/x": unknown kind "gadgets" (want Node, Pod, Namespace, DaemonSet, ControllerRevision, Service, Endpoints, ReplicaSet or ReplicationController)`},
		{"taint node/n1", "taint: at least one taint update is required"},
		{"cordon node/n1 now", `cordon: unexpected arguments ["now"]`},
		{"label node/n1 a=b --cascade=orphan", "label: unknown flag --cascade=orphan"},
		{"delete ds/x --cascade=maybe", `delete: cascade "maybe" not supported; use background, foreground or orphan`},
		{"delete ds -n", "delete: flag -n needs a value"},
		{"kubectl", "empty change"},
		{"delete ds/x --overwrite", "delete: unknown flag --overwrite"},
		{"label node/n1 --all a=b", "label: --all takes a kind (such as nodes), and no name or selector"},
		{"label nodes -l zone=a --all a=b", "label: --all takes a kind (such as nodes), and no name or selector"},
		{"label --all", "label: --all takes a kind (such as nodes), and no name or selector"},
		{"label nodes -l zone=a disk=ssd --dry-run=server", "label: unknown flag --dry-run=server"},
		{"label node/n1 -l zone=a x=y", "label: a selector takes a kind (such as nodes), and no name"},
		{"label nodes -l 'zone in (a) x=y", `unclosed ' in "label nodes -l 'zone in (a) x=y"`},
		{`label nodes -l "zone x=y`, `unclosed " in "label nodes -l \"zone x=y"`},
		{"kubectl --context prod delete node/n1", "unknown flag --context before the verb (only -n NAMESPACE may come first)"},
		{"kubectl -n", "flag -n needs a value"},
		{"taint nodes n1 dedicated=gpu", `taint: taints: invalid taint spec "dedicated=gpu": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') (a taint is key[=value]:Effect, Effect one of NoSchedule, PreferNoSchedule or NoExecute)`},
		{"taint nodes n1 k=v:Sometimes", `taint: taints: invalid taint spec "k=v:Sometimes": invalid taint effect: Sometimes, unsupported taint effect`},
		// The verb is checked first, whatever follows it.
		{"bogus", `unknown change "bogus" (want label, taint, cordon, uncordon or delete)`},
		{"apply -f ds.yaml", `unknown change "apply" (want label, taint, cordon, uncordon or delete)`},
		// kubectl label's and taint's own checks, before any object is read.
		{"label node/n1 disk=hdd disk-", "label: can not both modify and remove a label in the same command"},
		{"label node/n1 a=b=c", "label: invalid label spec: a=b=c"},
		{"label node/n1 bad", "label: unknown label spec: bad"},
		{"label node/n1 'k=bad value'", `label: invalid label value: "k=bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
		{"taint node/n1 k=v:NoSchedule k:NoSchedule-", "taint: can not both modify and remove the following taint(s) in the same command: k=NoSchedule"},
		{"taint node/n1 k=v:NoSchedule k-", "taint: can not both modify and remove the following taint(s) in the same command: k="},
	}
	for _, tc := range tests {
		t.Run(tc.change, func(t *testing.T) {
			_, err := ParseChange(tc.change)
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("ParseChange(%q) error = %v, want %q", tc.change, err, tc.wantErr)
			}
		})
	}
	env := whatifEnv(t)
	for _, tc := range []struct{ change, wantErr string }{
		{"label node/n9 a=b", `nodes "n9" not found`},
		// kubectl would delete n1 and report n9; the what-if reports no
		// impact of a change it could only partly make.
		{"delete node/n1 node/n9", `nodes "n9" not found`},
		{"label nodes -l zone=c a=b", "No resources found"},
		{"label pods -l app=none a=b", "No resources found in default namespace."},
		{"taint ds/ssd k:NoSchedule", "taint: DaemonSet/default/ssd is not a node"},
	} {
		if _, err := WhatIf(env, tc.change); err == nil || err.Error() != tc.wantErr {
			t.Errorf("WhatIf(%q) error = %v, want %q", tc.change, err, tc.wantErr)
		}
	}
}

// TestTaintOverwriteRefused checks kubectl taint's rule: adding a taint
// with the key and effect of one the node has needs --overwrite, and the
// node is left alone without it.
func TestTaintOverwriteRefused(t *testing.T) {
	env := whatifEnv(t)
	if err := env.Taint("n2", "k=v:NoSchedule"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		change  string
		refused []string
		want    string // n2's taints after the change
	}{
		{"taint nodes n2 k=w:NoSchedule", []string{"Node/n2: node n2 already has k taint(s) with same effect(s) and --overwrite is false"}, "k=v:NoSchedule"},
		{"taint nodes n2 k=w:NoSchedule --overwrite", nil, "k=w:NoSchedule"},
		{"taint nodes n2 k=w:NoExecute", nil, "k=v:NoSchedule,k=w:NoExecute"},
	} {
		do, err := ParseChange(tc.change)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		rep, err := Impact(env, func(e *Env) error {
			if err := do(e); err != nil {
				return err
			}
			o, _ := e.Get(cluster.Ref{Kind: cluster.KindNode, Name: "n2"})
			var ts []string
			for _, x := range o.(*cluster.Node).Spec.Taints {
				ts = append(ts, x.String())
			}
			got = strings.Join(ts, ",")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.refused, rep.Refused); diff != "" {
			t.Errorf("%s: refused (-want +got):\n%s", tc.change, diff)
		}
		if got != tc.want {
			t.Errorf("%s: n2 has taints %s, want %s", tc.change, got, tc.want)
		}
	}
}

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"  a  b\tc ", []string{"a", "b", "c"}},
		{"label nodes -l 'zone in (a, b)' x=y", []string{"label", "nodes", "-l", "zone in (a, b)", "x=y"}},
		{`a "b \"c\" \\d" e`, []string{"a", `b "c" \d`, "e"}},
		{`-l ''`, []string{"-l", ""}},
		{`a'b c'd`, []string{"ab cd"}},
		{`a\ b`, []string{"a b"}},
	} {
		got, err := SplitWords(tc.line)
		if err != nil {
			t.Errorf("SplitWords(%q): %v", tc.line, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("SplitWords(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
}

// TestEnvAccessors checks the test helpers of Env against a cluster whose
// answer is known: the DaemonSet runs on n2 only, then also on n1.
func TestEnvAccessors(t *testing.T) {
	env := whatifEnv(t)
	if got := env.NodesRunning("default", "ssd"); !slices.Equal(got, []string{"n2"}) {
		t.Errorf("NodesRunning = %v, want [n2]", got)
	}
	if got := env.NodesRunning("", "missing"); got != nil {
		t.Errorf("NodesRunning(missing) = %v, want nil", got)
	}
	seq := env.LastSeq()
	if err := env.Label(cluster.Ref{Kind: cluster.KindNode, Name: "n2"}, "disk-"); err != nil {
		t.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	if got := env.NodesRunning("", "ssd"); len(got) != 0 {
		t.Errorf("NodesRunning after unlabelling n2 = %v, want none (its pod is terminating)", got)
	}
	var reasons []string
	for _, ev := range env.Events(seq) {
		reasons = append(reasons, ev.Reason)
	}
	if !slices.Equal(reasons, []string{"SuccessfulDelete"}) {
		t.Errorf("events after unlabelling = %v, want [SuccessfulDelete]", reasons)
	}
	ds, ok := env.DaemonSet("", "ssd")
	if !ok || ds.Status.DesiredNumberScheduled != 0 || ds.Status.NumberMisscheduled != 1 {
		t.Errorf("DaemonSet status = %+v, want desired 0 and the terminating pod misscheduled", ds.Status)
	}
	ds.Status.NumberMisscheduled = 99
	if again, _ := env.DaemonSet("", "ssd"); again.Status.NumberMisscheduled != 1 {
		t.Error("DaemonSet returned the stored object, not a copy")
	}
}

// TestApplyYAML checks that ApplyYAML applies every object of its
// manifests, and none when one of them does not decode or is rejected.
func TestApplyYAML(t *testing.T) {
	env := MustNewCluster(cluster.Config{})
	nodes := func() int { return env.View().Count(cluster.KindNode) }
	for _, tc := range []struct{ name, manifests, err string }{
		{"decode error", "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: b}\nspec: {bogus: 1}\n", `line 8: Node: unknown field "spec.bogus"`},
		{"rejected object", "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: B_}\n", "B_"},
	} {
		err := env.ApplyYAML(tc.manifests)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: ApplyYAML error = %v, want one containing %q", tc.name, err, tc.err)
		}
		if n := nodes(); n != 0 {
			t.Errorf("%s: %d nodes stored after a failed ApplyYAML, want 0", tc.name, n)
		}
	}
	if err := env.ApplyYAML("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: a}}\n- {apiVersion: v1, kind: Node, metadata: {name: b}}\n"); err != nil {
		t.Fatal(err)
	}
	if n := nodes(); n != 2 {
		t.Errorf("%d nodes after ApplyYAML of a List of two, want 2", n)
	}
}

// TestChangeSeveralObjects checks that a change names several objects as
// kubectl does: Kind/name words, or bare node names for cordon.
func TestChangeSeveralObjects(t *testing.T) {
	for _, change := range []string{"cordon n1 n2", "cordon node/n1 node/n2", "cordon nodes n1 n2"} {
		env := whatifEnv(t)
		f, err := ParseChange(change)
		if err != nil {
			t.Fatal(err)
		}
		if err := f(env); err != nil {
			t.Fatalf("%s: %v", change, err)
		}
		for _, n := range []string{"n1", "n2", "n3"} {
			o, _ := env.Get(cluster.Ref{Kind: cluster.KindNode, Name: n})
			if got, want := o.(*cluster.Node).Spec.Unschedulable, n != "n3"; got != want {
				t.Errorf("%s: node %s unschedulable = %v, want %v", change, n, got, want)
			}
		}
	}
}

// TestWhatIfNotes checks that removing a label an object lacks is noted as
// kubectl prints it, and changes nothing else.
func TestWhatIfNotes(t *testing.T) {
	env := whatifEnv(t)
	rep, err := WhatIf(env, "label nodes --all zone- dsik-")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`Node/n1: label "dsik" not found.`,
		`Node/n2: label "dsik" not found.`,
		`Node/n3: label "dsik" not found.`,
	}
	if diff := cmp.Diff(want, rep.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if len(rep.Refused) != 0 {
		t.Errorf("refused %q, want none", rep.Refused)
	}
	if got := rep.String(); !strings.Contains(got, "\nnote Node/n1: label \"dsik\" not found.\n") {
		t.Errorf("String() lacks the note:\n%s", got)
	}
	// With the key present, no note.
	rep, err = WhatIf(env, "label node/n2 disk-")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) != 0 {
		t.Errorf("notes %q, want none", rep.Notes)
	}
}
