package scenario

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// expectSetup is a two-node cluster with a DaemonSet "agent" (pods on
// both nodes) and a bare pod "stray" that no node fits (unbound). Its
// last step is line 17; the step under test is step 3, line 18.
const expectSetup = `steps:
- apply:
  - {apiVersion: v1, kind: Node, metadata: {name: node-a}}
  - {apiVersion: v1, kind: Node, metadata: {name: node-b}}
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: main, image: agent:1}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: stray, labels: {app: stray}}
    spec: {nodeSelector: {disk: none}, containers: [{name: main, image: stray:1}]}
- advance: 1s
`

// runExpect runs expectSetup followed by step (indented as a step) and
// returns the failure messages.
func runExpect(t *testing.T, step string) []string {
	t.Helper()
	res := runData("e.yaml", []byte(expectSetup+step), Options{Update: true})
	var out []string
	for _, f := range res.Failures {
		if f.Kind != ExpectFailure {
			t.Fatalf("unexpected %v: %s", f.Kind, f)
		}
		out = append(out, f.String())
	}
	return out
}

func TestExpect(t *testing.T) {
	nodesDiff := func(want, got []string) string { return cmp.Diff(want, got) }
	tests := []struct {
		name string
		step string
		want []string
	}{
		{name: "pods-pass", step: "- settle:\n  expect:\n    pods: {selector: app=agent, owner: DaemonSet/agent, nodes: [node-b, node-a]}\n"},
		{name: "pods-list-pass", step: "- settle:\n  expect:\n    pods:\n    - {selector: app=agent, nodes: [node-a, node-b]}\n    - {selector: app=stray, owner: none, nodes: [~]}\n    - {selector: app=stray, nodes: ['~']}\n    - {namespace: kube-system, nodes: []}\n"},
		{name: "pods-owner-with-namespace-pass", step: "- settle:\n  expect:\n    pods: {owner: DaemonSet/default/agent, nodes: [node-a, node-b]}\n"},
		{name: "pods-fail", step: "- settle:\n  expect:\n    pods: {selector: app=agent, nodes: [node-a]}\n",
			want: []string{"e.yaml:20: step 3 (settle): expect.pods (selector=app=agent): live pods on nodes mismatch (-want +got):\n" +
				nodesDiff([]string{"node-a"}, []string{"node-a", "node-b"})}},
		{name: "pods-owner-fail", step: "- settle:\n  expect:\n    pods:\n    - {owner: none, nodes: []}\n",
			want: []string{"e.yaml:21: step 3 (settle): expect.pods[0] (owner=none): live pods on nodes mismatch (-want +got):\n" +
				nodesDiff([]string{}, []string{"~"})}},
		{name: "pods-terminating-are-not-live", step: "- delete: Pod/stray\n  expect:\n    pods: {selector: app=stray, nodes: [~]}\n",
			want: []string{"e.yaml:20: step 3 (delete): expect.pods (selector=app=stray): live pods on nodes mismatch (-want +got):\n" +
				nodesDiff([]string{"~"}, []string{})}},
		{name: "objects-pass", step: "- settle:\n  expect:\n    objects:\n      DaemonSet/agent: {spec: {template: {spec: {containers: [{image: agent:1}]}}}, status: {numberReady: 2}, metadata: {deletionTimestamp: null}}\n      Node/node-a: {metadata: {name: node-a}}\n"},
		{name: "objects-fail", step: "- settle:\n  expect:\n    objects:\n      DaemonSet/agent:\n        metadata: {labels: {app: agent}, deletionTimestamp: null}\n        spec: {template: {spec: {containers: [{image: agent:2}, {}]}}}\n        status: {numberReady: 3, numberMisscheduled: 0, observedGeneration: 1}\n      Node/node-a: {metadata: {labels: {\"kubernetes.io/os\": linux}}, spec: {taints: []}}\n",
			want: []string{
				"e.yaml:21: step 3 (settle): expect.objects[DaemonSet/default/agent]: mismatch:\n" +
					"\t.metadata.labels: missing, want {\"app\":\"agent\"}\n" +
					"\t.spec.template.spec.containers: got 1 elements [{\"image\":\"agent:1\",\"imagePullPolicy\":\"IfNotPresent\",\"name\":\"main\",\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}], want 2 elements [{\"image\":\"agent:2\"},{}]\n" +
					"\t.status.numberReady: got 2, want 3",
				"e.yaml:25: step 3 (settle): expect.objects[Node/node-a]: mismatch:\n" +
					"\t.metadata.labels: missing, want {\"kubernetes.io/os\":\"linux\"}\n" +
					"\t.spec: missing, want {\"taints\":[]}",
			}},
		{name: "objects-scalar-and-index-fail", step: "- settle:\n  expect:\n    objects:\n      DaemonSet/agent: {spec: {template: {spec: {containers: [{image: agent:2}]}}}, metadata: {name: {x: 1}}}\n",
			want: []string{"e.yaml:21: step 3 (settle): expect.objects[DaemonSet/default/agent]: mismatch:\n" +
				"\t.metadata.name: got \"agent\", want a mapping {\"x\":1}\n" +
				"\t.spec.template.spec.containers[0].image: got \"agent:1\", want \"agent:2\""}},
		{name: "objects-not-found", step: "- settle:\n  expect:\n    objects:\n      DaemonSet/kube-system/agent: {}\n",
			want: []string{"e.yaml:21: step 3 (settle): expect.objects[DaemonSet/kube-system/agent]: not found"}},
		{name: "absent-pass", step: "- delete: DaemonSet/agent\n  expect:\n    absent: [DaemonSet/agent, Node/node-c]\n"},
		{name: "absent-fail", step: "- delete: {object: DaemonSet/agent, cascade: foreground}\n  expect:\n    absent:\n    - Node/node-c\n    - DaemonSet/agent\n",
			want: []string{"e.yaml:22: step 3 (delete): expect.absent: DaemonSet/default/agent exists"}},
		{name: "events-pass", step: "- label: Node/node-a disk=none\n- settle:\n  expect:\n    events:\n    - {reason: Scheduled, object: Pod/stray, type: Normal, message: Successfully assigned default/stray to node-a}\n"},
		{name: "events-order-fail", step: "- delete: {kind: Pod, node: node-a, gracePeriod: 0}\n- delete: {kind: Pod, node: node-b, gracePeriod: 0}\n- settle:\n  expect:\n    events:\n    - {reason: SuccessfulCreate, message: 'Created pod: agent-x'}\n",
			want: []string{"e.yaml:23: step 5 (settle): expect.events[0] (reason=SuccessfulCreate message=\"Created pod: agent-x\"): not found among the step's events:\n" +
				"\t1s daemonset-controller event DaemonSet/default/agent Normal SuccessfulCreate \"Created pod: agent-rwtkw\"\n" +
				"\t1s daemonset-controller event DaemonSet/default/agent Normal SuccessfulCreate \"Created pod: agent-5f9f8\"\n" +
				"\t1s default-scheduler event Pod/default/agent-rwtkw Normal Scheduled \"Successfully assigned default/agent-rwtkw to node-a\"\n" +
				"\t1s default-scheduler event Pod/default/agent-5f9f8 Normal Scheduled \"Successfully assigned default/agent-5f9f8 to node-b\""}},
		{name: "events-subsequence-fail", step: "- settle:\n  expect:\n    events:\n    - {reason: SuccessfulCreate}\n",
			want: []string{"e.yaml:21: step 3 (settle): expect.events[0] (reason=SuccessfulCreate): not found; the step emitted no events"}},
		{name: "events-second-fail", step: "- delete: {kind: Pod, node: node-a, gracePeriod: 0}\n- settle:\n  expect:\n    events:\n    - {reason: Scheduled, object: Pod/agent-rwtkw}\n    - {reason: SuccessfulCreate, object: DaemonSet/agent}\n",
			want: []string{"e.yaml:23: step 4 (settle): expect.events[1] (reason=SuccessfulCreate object=DaemonSet/default/agent): not found after the event matching expect.events[0] among the step's events:\n" +
				"\t1s daemonset-controller event DaemonSet/default/agent Normal SuccessfulCreate \"Created pod: agent-rwtkw\"\n" +
				"\t1s default-scheduler event Pod/default/agent-rwtkw Normal Scheduled \"Successfully assigned default/agent-rwtkw to node-a\""}},
		{name: "error-pass", step: "- label: Node/node-z a=b\n  expect:\n    error: nodes \"node-z\" not found\n"},
		{name: "error-mismatch", step: "- label: Node/node-z a=b\n  expect:\n    error: node not found\n",
			want: []string{`e.yaml:20: step 3 (label): expect.error: got error "nodes \"node-z\" not found", want "node not found"`}},
		{name: "error-missing", step: "- label: Node/node-a a=b\n  expect:\n    error: nodes \"node-a\" not found\n",
			want: []string{`e.yaml:20: step 3 (label): expect.error: step succeeded, want error "nodes \"node-a\" not found"`}},
		{name: "error-unexpected", step: "- label: Node/node-z a=b\n",
			want: []string{`e.yaml:18: step 3 (label): unexpected error: nodes "node-z" not found`}},
		{name: "error-then-state", step: "- label: Node/node-z a=b\n  expect:\n    error: nodes \"node-z\" not found\n    absent: [Node/node-a]\n",
			want: []string{"e.yaml:21: step 3 (label): expect.absent: Node/node-a exists"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runExpect(t, tc.step)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("failures mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSubsetDiff(t *testing.T) {
	tests := []struct {
		name      string
		want, got any
		diffs     []string
	}{
		{"equal-scalars", 1.0, 1.0, nil},
		{"scalar", "a", "b", []string{`.: got "b", want "a"`}},
		{"map-subset", map[string]any{"a": 1.0}, map[string]any{"a": 1.0, "b": 2.0}, nil},
		{"null-matches-missing", map[string]any{"a": nil}, map[string]any{}, nil},
		{"null-rejects-value", map[string]any{"a": nil}, map[string]any{"a": 1.0}, []string{".a: got 1, want null or missing"}},
		{"odd-key", map[string]any{"a.b/c": 1.0}, map[string]any{"a.b/c": 2.0}, []string{`["a.b/c"]: got 2, want 1`}},
		{"list-lengths", []any{1.0}, []any{1.0, 2.0}, []string{".: got 2 elements [1,2], want 1 elements [1]"}},
		{"list-elements", []any{map[string]any{}, map[string]any{"x": true}}, []any{map[string]any{"y": 1.0}, map[string]any{"x": false}}, []string{"[1].x: got false, want true"}},
		{"type", map[string]any{"a": []any{}}, map[string]any{"a": "s"}, []string{`.a: got "s", want a list []`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.diffs, SubsetDiff(tc.want, tc.got)); diff != "" {
				t.Errorf("SubsetDiff mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnexpectedErrorOutput(t *testing.T) {
	res := runData("e.yaml", []byte(expectSetup+"- label: Node/node-z a=b\n"), Options{Update: true})
	if got, want := res.Steps[len(res.Steps)-1].Output, "1s user fail Node/node-z \"nodes \\\"node-z\\\" not found\"\nerror: nodes \"node-z\" not found\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
	if !strings.Contains(res.Failures[0].String(), "unexpected error") {
		t.Errorf("failure = %s, want an unexpected error", res.Failures[0])
	}
}
