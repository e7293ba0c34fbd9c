package scenario

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
)

const node = "{apiVersion: v1, kind: Node, metadata: {name: node-a}}"

func TestParseErrors(t *testing.T) {
	verbs := "apply, load, delete, label, taint, cordon, uncordon, disconnect, reconnect, podStatus, settle, advance, show, whatif, staticPod, rollback or lookup"
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"unknown-top-key", "steps: [settle: ]\nlogs: all\n",
			`s.yaml:2: scenario: unknown key "logs" (want claim, profile, seed, log, config or steps)`},
		{"no-steps", "log: all\n", "s.yaml:1: scenario: steps: required"},
		{"empty-steps", "steps: []\n", "s.yaml:1: steps: want a non-empty list of steps"},
		{"empty-file", "# nothing\n", "s.yaml:1: empty scenario file: want a mapping with steps"},
		{"two-documents", "steps: [settle: ]\n---\nsteps: [settle: ]\n", "s.yaml:2: a scenario file holds exactly one YAML document, not 2"},
		{"bad-profile", "profile: ancient\nsteps: [settle: ]\n", `s.yaml:1: profile: unknown profile "ancient" (want modern or legacy)`},
		{"bad-log", "log: some\nsteps: [settle: ]\n", `s.yaml:1: log: unknown log level "some" (want all or changes)`},
		{"bad-seed", "seed: -1\nsteps: [settle: ]\n", `s.yaml:1: seed: invalid unsigned integer "-1"`},
		{"config-unknown-key", "config: {gracePeriod: 5s}\nsteps: [settle: ]\n",
			`s.yaml:1: config: unknown key "gracePeriod" (want nodeMonitorGracePeriod, podStartup, failedPodBackoff, failedPodBackoffMax, burstReplicas, defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, start or faults)`},
		{"config-bad-duration", "config:\n  podStartup: 5\nsteps: [settle: ]\n", "s.yaml:2: config.podStartup: want a duration such as 30s, got a number"},
		{"config-zero", "config:\n  nodeMonitorGracePeriod: 0s\nsteps: [settle: ]\n", "s.yaml:2: config.nodeMonitorGracePeriod: must be positive, got 0s"},
		{"config-bad-start", "config:\n  start: yesterday\nsteps: [settle: ]\n", `s.yaml:2: config.start: invalid RFC 3339 time "yesterday"`},
		{"unknown-verb", "steps:\n- setle:\n", `s.yaml:2: step 1: unknown verb "setle" (want ` + verbs + ")"},
		{"two-verbs", "steps:\n- settle:\n  advance: 5s\n", `s.yaml:3: step 1 (settle): two verbs in one step: "settle" and "advance"`},
		{"empty-step", "steps:\n- {}\n", "s.yaml:2: step 1: empty step: want one verb key (" + verbs + ")"},
		{"step-not-mapping", "steps:\n- settle\n", "s.yaml:2: step 1: a step must be a mapping with one verb key, not a string"},
		{"expect-before-verb", "steps:\n- expect: {absent: [Node/a]}\n  settle:\n", "s.yaml:2: step 1: expect: before the verb; a step is a verb, then expect:, then output:"},
		{"output-before-expect", "steps:\n- settle:\n  output: |\n    x\n  expect: {}\n", "s.yaml:5: step 1 (settle): expect: must come before output: and appear once"},
		{"unknown-step-key", "steps:\n- settle:\n  expected: {}\n", `s.yaml:3: step 1 (settle): unknown key "expected" in step (want expect or output)`},
		{"output-not-a-string", "steps:\n- settle:\n  output: [a]\n", "s.yaml:3: step 1 (settle): output: want a literal block (output: |), got a list"},
		{"bad-duration", "steps:\n- settle:\n- advance: 5x\n", `s.yaml:3: step 2 (advance): advance: invalid duration "5x"`},
		{"duration-not-a-string", "steps:\n- advance: 5\n", "s.yaml:2: step 1 (advance): advance: want a duration such as 30s, got a number"},
		{"settle-with-argument", "steps:\n- settle: now\n", "s.yaml:2: step 1 (settle): settle takes no argument, got a string"},
		{"manifest-unknown-field", "steps:\n- apply:\n    apiVersion: v1\n    kind: Node\n    metadata: {name: a}\n    spec: {unschedulabel: true}\n",
			`s.yaml:6: step 1 (apply): Node: unknown field "spec.unschedulabel"`},
		{"manifest-unknown-kind", "steps:\n- apply: [{apiVersion: v1, kind: ConfigMap}]\n",
			`s.yaml:2: step 1 (apply): unsupported kind "ConfigMap" (supported: ControllerRevision, DaemonSet, Endpoints, List, Namespace, Node, Pod, ReplicaSet, ReplicationController, Service)`},
		{"apply-nothing", "steps:\n- apply:\n", "s.yaml:2: step 1 (apply): apply: want a manifest or a list of manifests, got null"},
		{"delete-bad-cascade", "steps:\n- delete: {object: DaemonSet/agent, cascade: \"false\"}\n",
			`s.yaml:2: step 1 (delete): cascade "false" not supported; use background, foreground or orphan`},
		{"delete-object-and-selector", "steps:\n- delete: {object: Pod/p, selector: app=x}\n",
			"s.yaml:2: step 1 (delete): delete: object excludes kind, selector, node and namespace"},
		{"delete-unknown-key", "steps:\n- delete: {object: Pod/p, force: true}\n",
			`s.yaml:2: step 1 (delete): delete: unknown key "force" (want object, cascade, gracePeriod, kind, selector, node or namespace)`},
		{"delete-node-of-a-node", "steps:\n- delete: {kind: Node, node: a}\n", "s.yaml:2: step 1 (delete): delete.node: only pods have a node, not Node"},
		{"delete-bad-ref", "steps:\n- delete: Pods\n", `s.yaml:2: step 1 (delete): delete: invalid object reference "Pods": want Kind/name or Kind/namespace/name`},
		{"delete-bad-kind", "steps:\n- delete: Deployment/x\n",
			`s.yaml:2: step 1 (delete): delete: invalid object reference "Deployment/x": unknown kind "Deployment" (want Node, Pod, Namespace, DaemonSet, ControllerRevision, Service, Endpoints, ReplicaSet or ReplicationController)`},
		{"label-no-change", "steps:\n- label: Node/a\n", `s.yaml:2: step 1 (label): label: want Kind/name and at least one key=value or key-, got "Node/a"`},
		{"taint-cluster-scoped-namespace", "steps:\n- taint: Node/ns/a k:NoSchedule\n", `s.yaml:2: step 1 (taint): taint: invalid object reference "Node/ns/a": Node is not namespaced`},
		{"pod-status-bad-phase", "steps:\n- podStatus: {selector: app=x, phase: Crashing}\n",
			`s.yaml:2: step 1 (podStatus): podStatus.phase: unknown phase "Crashing" (want Pending, Running, Succeeded, Failed or Unknown)`},
		{"pod-status-bad-selector", "steps:\n- podStatus: {selector: 'app in (x', ready: true}\n",
			"s.yaml:2: step 1 (podStatus): podStatus.selector: unable to parse requirement: found '', expected: ',' or ')'"},
		{"pod-status-nothing", "steps:\n- podStatus: {selector: app=x}\n", "s.yaml:2: step 1 (podStatus): podStatus: want phase, ready or both"},
		{"show-what", "steps:\n- show: everything\n", `s.yaml:2: step 1 (show): show: want pods, nodes, daemonsets, events or Kind/name, got "everything"`},
		{"whatif-bad-change", "steps:\n- whatif: {change: drain node/a}\n", `s.yaml:2: step 1 (whatif): whatif: unknown change "drain" (want label, taint, cordon, uncordon or delete)`},
		{"static-pod-not-a-pod", "steps:\n- staticPod: {node: a, manifest: " + node + "}\n", "s.yaml:2: step 1 (staticPod): staticPod.manifest: want a Pod, got a Node"},
		{"rollback-negative", "steps:\n- rollback: {daemonSet: a, toRevision: -1}\n", "s.yaml:2: step 1 (rollback): rollback.toRevision: must not be negative, got -1"},
		{"expect-unknown-key", "steps:\n- settle:\n  expect: {pod: {nodes: []}}\n", `s.yaml:3: step 1 (settle): expect: unknown key "pod" (want error, pods, objects, absent or events)`},
		{"expect-pods-no-nodes", "steps:\n- settle:\n  expect: {pods: {selector: app=x}}\n", "s.yaml:3: step 1 (settle): expect.pods: nodes: required"},
		{"expect-pods-bad-owner", "steps:\n- settle:\n  expect: {pods: {owner: nobody, nodes: []}}\n",
			`s.yaml:3: step 1 (settle): expect.pods.owner: want Kind/name or none: invalid object reference "nobody": want Kind/name or Kind/namespace/name`},
		{"expect-objects-bad-ref", "steps:\n- settle:\n  expect:\n    objects: {ds: {}}\n",
			`s.yaml:4: step 1 (settle): expect.objects: invalid object reference "ds": want Kind/name or Kind/namespace/name`},
		{"expect-objects-not-a-mapping", "steps:\n- settle:\n  expect:\n    objects: {Node/a: 3}\n",
			"s.yaml:4: step 1 (settle): expect.objects[Node/a]: want a mapping of fields, got a number"},
		{"expect-events-no-reason", "steps:\n- settle:\n  expect:\n    events: [{type: Normal}]\n", "s.yaml:4: step 1 (settle): expect.events[0]: reason: required"},
		{"expect-events-bad-type", "steps:\n- settle:\n  expect:\n    events: [{reason: X, type: Fine}]\n",
			`s.yaml:4: step 1 (settle): expect.events[0].type: want Normal or Warning, got "Fine"`},
		{"expect-absent-not-a-list", "steps:\n- settle:\n  expect: {absent: Node/a}\n", "s.yaml:3: step 1 (settle): expect.absent: want a list of Kind/name, got a string"},
		{"expect-error-not-a-string", "steps:\n- settle:\n  expect: {error: [x]}\n", "s.yaml:3: step 1 (settle): expect.error: want a string, got a list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tc.in))
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if err.Error() != tc.wantErr {
				t.Errorf("Parse(%q) error =\n%s\nwant\n%s", tc.in, err, tc.wantErr)
			}
		})
	}
}

func TestParse(t *testing.T) {
	in := `# A comment.
claim: S19
profile: legacy
seed: 7
log: changes
config:
  nodeMonitorGracePeriod: 30s
  podStartup: 2s
  failedPodBackoff: 3s
  failedPodBackoffMax: 1m
  burstReplicas: 5
  defaultNotReadyTolerationSeconds: 10
  defaultUnreachableTolerationSeconds: 20
  start: 2017-06-01T00:00:00Z
steps:
- apply: ` + node + `
- settle:
  expect:
    pods: {nodes: []}
  output: |
    line one

    line three
`
	f, err := Parse("s.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := struct {
		Claim   string
		Profile cluster.Profile
		Seed    uint64
		Log     LogLevel
		Verbs   []string
		Lines   []int
		Output  string
	}{f.Claim, f.Profile, f.Seed, f.Log, nil, nil, f.Steps[1].Output}
	for _, s := range f.Steps {
		got.Verbs = append(got.Verbs, s.Verb)
		got.Lines = append(got.Lines, s.Line)
	}
	want := got
	want.Claim, want.Profile, want.Seed, want.Log = "S19", cluster.Legacy, 7, LogChanges
	want.Verbs, want.Lines, want.Output = []string{"apply", "settle"}, []int{16, 17}, "line one\n\nline three\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	c := f.Config
	if c.NodeMonitorGracePeriod.String() != "30s" || c.PodStartup.String() != "2s" || c.FailedPodBackoff.String() != "3s" ||
		c.FailedPodBackoffMax.String() != "1m0s" || c.BurstReplicas != 5 || c.DefaultNotReadyTolerationSeconds != 10 ||
		c.DefaultUnreachableTolerationSeconds != 20 || c.Start.Format("2006") != "2017" || c.Seed != 7 || c.Profile != cluster.Legacy {
		t.Errorf("Parse config = %+v", c)
	}
}

func TestParseSizeBound(t *testing.T) {
	big := "steps: [settle: ]\n#" + strings.Repeat("x", MaxDocumentBytes) + "\n"
	_, err := Parse("big.yaml", []byte(big))
	if want := "big.yaml: file is 8388628 bytes, more than the limit of 8388608"; err == nil || err.Error() != want {
		t.Errorf("Parse error = %v, want %q", err, want)
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in      string
		want    cluster.Ref
		wantErr string
	}{
		{in: "Node/a", want: cluster.Ref{Kind: "Node", Name: "a"}},
		{in: "node/a", want: cluster.Ref{Kind: "Node", Name: "a"}},
		{in: "DaemonSet/fluentd", want: cluster.Ref{Kind: "DaemonSet", Namespace: "default", Name: "fluentd"}},
		{in: "ds/kube-system/fluentd", want: cluster.Ref{Kind: "DaemonSet", Namespace: "kube-system", Name: "fluentd"}},
		{in: "pods/p", want: cluster.Ref{Kind: "Pod", Namespace: "default", Name: "p"}},
		{in: "Pod", wantErr: `invalid object reference "Pod": want Kind/name or Kind/namespace/name`},
		{in: "Pod/", wantErr: `invalid object reference "Pod/": empty name`},
		{in: "Pod//p", wantErr: `invalid object reference "Pod//p": empty name`},
		{in: "Node/x/a", wantErr: `invalid object reference "Node/x/a": Node is not namespaced`},
		{in: "ConfigMap/a", wantErr: `invalid object reference "ConfigMap/a": unknown kind "ConfigMap" (want Node, Pod, Namespace, DaemonSet, ControllerRevision, Service, Endpoints, ReplicaSet or ReplicationController)`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRef(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Errorf("ParseRef(%q) error = %v, want %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRef(%q) error = %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseRef(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
