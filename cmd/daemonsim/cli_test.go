package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/scenario"
	"github.com/daemonsim/daemonsim/selector"
)

// loadFixture loads a state of testdata/cli, settled unless noSettle.
func loadFixture(t *testing.T, name string, settle bool) (*scenario.Env, *scenario.StateReport) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(cliDir, name))
	if err != nil {
		t.Fatal(err)
	}
	rep, env, err := scenario.LoadState(data, name, cluster.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if settle {
		if err := env.Settle(); err != nil {
			t.Fatal(err)
		}
	}
	return env, rep
}

// decodeJSON runs the command line in testdata/cli and decodes its
// stdout as JSON.
func decodeJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	stdout, stderr, code := runCLI(t, cliDir, args...)
	if code != 0 {
		t.Fatalf("daemonsim %s: exit status %d\n%s", shellQuote(args), code, stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("daemonsim %s: stdout is not JSON: %v\n%s", shellQuote(args), err, stdout)
	}
	return v
}

// list returns v[key] as a JSON array, failing unless it is one (null is
// not).
func list(t *testing.T, v map[string]any, key string) []any {
	t.Helper()
	l, ok := v[key].([]any)
	if !ok {
		t.Fatalf("%q is %T (%v), want an array", key, v[key], v[key])
	}
	return l
}

func TestWhatIfJSONContract(t *testing.T) {
	v := decodeJSON(t, "whatif", "-f", "kubectl-dump.yaml", "-o", "json", "label node/worker-c disk=ssd")
	dss := list(t, v, "daemonSets")
	var names []string
	for _, d := range dss {
		d := d.(map[string]any)
		names = append(names, d["daemonSet"].(string))
		gaining, losing := list(t, d, "nodesGaining"), list(t, d, "nodesLosing")
		for _, side := range []string{"before", "after"} {
			st, ok := d[side].(map[string]any)
			if !ok {
				t.Fatalf("%s: %q is %T, want an object", names[len(names)-1], side, d[side])
			}
			for _, f := range []string{"currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"} {
				if _, ok := st[f].(float64); !ok {
					t.Errorf("%s: %s.%s is %T, want a number", names[len(names)-1], side, f, st[f])
				}
			}
		}
		if d["daemonSet"] == "default/ssd-monitor" {
			if diff := cmp.Diff([]any{"worker-c"}, gaining); diff != "" {
				t.Errorf("ssd-monitor nodesGaining mismatch (-want +got):\n%s", diff)
			}
			if len(losing) != 0 {
				t.Errorf("ssd-monitor nodesLosing = %v, want []", losing)
			}
			if d["changed"] != true {
				t.Errorf("ssd-monitor changed = %v, want true", d["changed"])
			}
			if got := d["after"].(map[string]any)["desiredNumberScheduled"]; got != 2.0 {
				t.Errorf("ssd-monitor after.desiredNumberScheduled = %v, want 2", got)
			}
		}
	}
	want := []string{"default/ssd-monitor", "kube-system/kube-proxy", "logging/fluentd"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("daemonSets mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"label node/worker-c disk=ssd"}, list(t, v, "changes")); diff != "" {
		t.Errorf("changes mismatch (-want +got):\n%s", diff)
	}
}

func TestWhatIfYAMLMatchesJSON(t *testing.T) {
	change := "taint node/worker-a maintenance=true:NoExecute"
	js, _, code := runCLI(t, cliDir, "whatif", "-f", "kubectl-dump.yaml", "-o", "json", change)
	if code != 0 {
		t.Fatalf("json: exit status %d", code)
	}
	ys, _, code := runCLI(t, cliDir, "whatif", "-f", "kubectl-dump.yaml", "-o", "yaml", change)
	if code != 0 {
		t.Fatalf("yaml: exit status %d", code)
	}
	var fromJSON, fromYAML any
	if err := json.Unmarshal([]byte(js), &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(ys), &fromYAML); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(normalizeNumbers(fromJSON), normalizeNumbers(fromYAML)); diff != "" {
		t.Errorf("-o yaml differs from -o json (-json +yaml):\n%s", diff)
	}
}

// normalizeNumbers makes JSON's float64 and YAML's int comparable.
func normalizeNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalizeNumbers(e)
		}
	case int:
		return float64(v)
	}
	return v
}

func TestExplainJSONContract(t *testing.T) {
	v := decodeJSON(t, "explain", "-f", "kubectl-dump.yaml", "-o", "json", "-n", "logging", "daemonset/fluentd")
	if v["daemonSet"] != "logging/fluentd" {
		t.Errorf("daemonSet = %v, want logging/fluentd", v["daemonSet"])
	}
	type verdict struct {
		Node                             string
		ShouldRun, ShouldContinueRunning bool
		Reasons                          int
	}
	var got []verdict
	for _, n := range list(t, v, "nodes") {
		n := n.(map[string]any)
		run, ok1 := n["shouldRun"].(bool)
		cont, ok2 := n["shouldContinueRunning"].(bool)
		if !ok1 || !ok2 {
			t.Fatalf("node %v: shouldRun %T, shouldContinueRunning %T, want booleans", n["node"], n["shouldRun"], n["shouldContinueRunning"])
		}
		got = append(got, verdict{n["node"].(string), run, cont, len(list(t, n, "reasons"))})
	}
	want := []verdict{
		{"control-plane", true, true, 0},
		{"worker-a", true, true, 0},
		{"worker-b", false, true, 2},
		{"worker-c", true, true, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nodes mismatch (-want +got):\n%s", diff)
	}
}

func TestShowJSONContract(t *testing.T) {
	v := decodeJSON(t, "show", "-f", "kubectl-dump.yaml", "-o", "json")
	dss := list(t, v, "daemonSets")
	if len(dss) != 3 {
		t.Fatalf("daemonSets = %v, want 3", dss)
	}
	cells := map[string]string{}
	for _, n := range list(t, v, "nodes") {
		n := n.(map[string]any)
		ps := list(t, n, "placements")
		if len(ps) != len(dss) {
			t.Fatalf("node %v: %d placements, want %d", n["node"], len(ps), len(dss))
		}
		for i, p := range ps {
			p := p.(map[string]any)
			if p["daemonSet"] != dss[i] {
				t.Errorf("node %v placement %d is for %v, want %v", n["node"], i, p["daemonSet"], dss[i])
			}
			cells[n["node"].(string)+" "+p["daemonSet"].(string)] = p["cell"].(string)
		}
	}
	for k, want := range map[string]string{
		"worker-c kube-system/kube-proxy": "Running", // created by settling
		"worker-b logging/fluentd":        "-",
		"worker-a default/ssd-monitor":    "Running",
	} {
		if cells[k] != want {
			t.Errorf("cell %s = %q, want %q", k, cells[k], want)
		}
	}
}

// TestWhatIfLeavesStateUntouched asks several what-if questions of one
// loaded state and checks that the state never changes and that the same
// question always gets the same answer.
func TestWhatIfLeavesStateUntouched(t *testing.T) {
	env, _ := loadFixture(t, "kubectl-dump.yaml", false)
	snapshot := env.Fork()
	ask := func(namespace string, words ...string) *scenario.Report {
		t.Helper()
		changes, err := parseChanges(words, namespace, false)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := whatIf(env, changes, 0)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := ask("default", "delete node/worker-a", "label nodes -l gpu=true disk=ssd")
	if len(first.DaemonSets) != 3 || len(first.DaemonSets[1].NodesLosing) != 1 {
		t.Fatalf("deleting worker-a: got %+v, want kube-proxy to lose it", first.DaemonSets)
	}
	ask("default", "taint node/worker-c k=v:NoExecute")
	if rep := ask("logging", "delete ds/fluentd"); len(rep.DaemonSets[2].NodesLosing) != 3 {
		t.Errorf("deleting logging/fluentd: losing %v, want 3 nodes", rep.DaemonSets[2].NodesLosing)
	}
	again := ask("default", "delete node/worker-a", "label nodes -l gpu=true disk=ssd")
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("the same what-if gave another answer (-first +again):\n%s", diff)
	}
	if d := cluster.Diff(snapshot.Cluster, env.Cluster); len(d) != 0 {
		t.Errorf("what-if changed the state: %d objects differ, first %v", len(d), d[0].Ref)
	}
	if _, ok := env.Get(cluster.Ref{Kind: cluster.KindNode, Name: "worker-a"}); !ok {
		t.Error("node worker-a is gone from the state")
	}
}

func TestSplitChanges(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    [][]string
		wantErr string
	}{
		{name: "quoted", args: []string{"label node/a x=y", "cordon node/b"},
			want: [][]string{{"label", "node/a", "x=y"}, {"cordon", "node/b"}}},
		{name: "unquoted", args: []string{"label", "nodes", "-l", "zone=a", "gpu-", "delete", "node/c"},
			want: [][]string{{"label", "nodes", "-l", "zone=a", "gpu-"}, {"delete", "node/c"}}},
		{name: "mixed", args: []string{"cordon", "node/a", "apply -f ds.yaml"},
			want: [][]string{{"cordon", "node/a"}, {"apply", "-f", "ds.yaml"}}},
		{name: "unknown first word", args: []string{"drain", "node/a"},
			wantErr: `unknown change verb "drain" (want label, taint, cordon, uncordon, delete or apply)`},
		{name: "unknown quoted verb", args: []string{"drain node/a"},
			wantErr: `change "drain node/a": unknown verb "drain" (want label, taint, cordon, uncordon, delete or apply)`},
		{name: "blank argument", args: []string{"label", "node/a", " ", "x=y"},
			wantErr: `empty change " "`},
		{name: "empty argument", args: []string{"label", "node/a", "", "x=y"},
			want: [][]string{{"label", "node/a", "", "x=y"}}},
		{name: "word after quoted change", args: []string{"cordon node/a", "node/b"},
			wantErr: `unexpected word "node/b" after change "cordon node/a" (flags go before the changes)`},
		{name: "flag after quoted change", args: []string{"label node/a x=y", "--overwrite"},
			wantErr: `unexpected word "--overwrite" after change "label node/a x=y" (a flag of the change goes inside its quotes, as in "label node/a x=y --overwrite"; whatif's own flags go before the changes)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := splitChanges(tc.args)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("splitChanges(%q) error = %v, want %q", tc.args, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("splitChanges(%q) mismatch (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseOutput(t *testing.T) {
	tests := []struct {
		in      string
		yamlOK  bool
		want    outputFormat
		wantErr string
	}{
		{in: "", want: outputText},
		{in: "table", yamlOK: true, want: outputText},
		{in: "text", want: outputText},
		{in: "json", want: outputJSON},
		{in: "yaml", yamlOK: true, want: outputYAML},
		{in: "yaml", wantErr: `unknown output format "yaml" (want text or json)`},
		{in: "wide", yamlOK: true, wantErr: `unknown output format "wide" (want table, json or yaml)`},
	}
	for _, tc := range tests {
		got, err := parseOutput(tc.in, tc.yamlOK)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("parseOutput(%q, %v) error = %v, want %q", tc.in, tc.yamlOK, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseOutput(%q, %v) = %q, %v, want %q", tc.in, tc.yamlOK, got, err, tc.want)
		}
	}
}

// pod returns a pod in phase, ready or not, terminating or not.
func pod(phase cluster.PodPhase, ready, terminating bool) *cluster.Pod {
	p := &cluster.Pod{}
	p.Status.Phase = phase
	if ready {
		p.Status.Conditions = []cluster.PodCondition{{Type: cluster.PodReady, Status: cluster.ConditionTrue}}
	}
	if terminating {
		now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		p.DeletionTimestamp = &now
	}
	return p
}

func TestPlace(t *testing.T) {
	running := pod(cluster.PodRunning, true, false)
	tests := []struct {
		name            string
		pods            []*cluster.Pod
		shouldRun, cont bool
		want            string
	}{
		{name: "not eligible, no pod", want: "-"},
		{name: "eligible, no pod", shouldRun: true, cont: true, want: "missing"},
		{name: "running", pods: []*cluster.Pod{running}, shouldRun: true, cont: true, want: "Running"},
		{name: "pending", pods: []*cluster.Pod{pod(cluster.PodPending, false, false)}, shouldRun: true, cont: true, want: "Pending"},
		{name: "no phase yet", pods: []*cluster.Pod{pod("", false, false)}, shouldRun: true, cont: true, want: "Pending"},
		{name: "not ready", pods: []*cluster.Pod{pod(cluster.PodRunning, false, false)}, shouldRun: true, cont: true, want: "NotReady"},
		{name: "failed", pods: []*cluster.Pod{pod(cluster.PodFailed, false, false)}, shouldRun: true, cont: true, want: "Failed"},
		{name: "misscheduled", pods: []*cluster.Pod{running}, want: "miss"},
		{name: "kept by NoSchedule", pods: []*cluster.Pod{running}, cont: true, want: "miss"},
		{name: "duplicates", pods: []*cluster.Pod{running, running}, shouldRun: true, cont: true, want: "×2"},
		{name: "misscheduled duplicates", pods: []*cluster.Pod{running, running, running}, want: "miss×3"},
		{name: "replacing a terminating pod", pods: []*cluster.Pod{pod(cluster.PodRunning, true, true), running}, shouldRun: true, cont: true, want: "Running+t"},
		{name: "two terminating", pods: []*cluster.Pod{pod(cluster.PodRunning, true, true), pod(cluster.PodRunning, true, true), running}, shouldRun: true, cont: true, want: "Running+2t"},
		{name: "only terminating", pods: []*cluster.Pod{pod(cluster.PodRunning, true, true)}, want: "Terminating"},
		{name: "only terminating, two", pods: []*cluster.Pod{pod(cluster.PodRunning, true, true), pod(cluster.PodRunning, false, true)}, shouldRun: true, want: "Terminating×2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := place(tc.pods, tc.shouldRun, tc.cont)
			if got.Text != tc.want {
				t.Errorf("place: cell %q, want %q", got.Text, tc.want)
			}
		})
	}
}

func TestYAMLEmitter(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"scalars", `{"a":1,"b":true,"c":null,"d":"x","e":-2.5e3}`, "a: 1\nb: true\nc: null\nd: x\ne: -2.5e3\n"},
		{"empty collections", `{"a":{},"b":[]}`, "a: {}\nb: []\n"},
		{"nested", `{"a":{"b":{"c":"d"}},"l":[{"x":1,"y":[1,2]},"s",[3,[]]]}`,
			"a:\n  b:\n    c: d\nl:\n- x: 1\n  \"y\":\n  - 1\n  - 2\n- s\n- - 3\n  - []\n"},
		{"quoted strings", `{"":"","k":"yes","n":"1.0","t":"2024-01-01T00:00:00Z","c":"a: b","h":"#x","s":" a","q":"say \"hi\"","u":"ü","nl":"a\nb","dash":"-"}`,
			`"": ""` + "\n" + `k: "yes"` + "\n" + `"n": "1.0"` + "\n" + `t: "2024-01-01T00:00:00Z"` + "\n" + `c: "a: b"` + "\n" + `h: "#x"` + "\n" +
				`s: " a"` + "\n" + `q: "say \"hi\""` + "\n" + `u: "ü"` + "\n" + `nl: "a\nb"` + "\n" + `dash: "-"` + "\n"},
		{"plain strings", `{"k8s.io/name":"a b","f:metadata":"containerd://1.7","x":"/var/log"}`,
			"k8s.io/name: a b\nf:metadata: containerd://1.7\nx: /var/log\n"},
		{"top-level list", `[1,{"a":"b"}]`, "- 1\n- a: b\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := bufio.NewWriter(&buf)
			if err := writeYAML(w, []byte(tc.json), 0, false); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
				t.Errorf("writeYAML(%s) mismatch (-want +got):\n%s", tc.json, diff)
			}
			// Whatever it writes reads back as the JSON it came from.
			var fromJSON, fromYAML any
			if err := json.Unmarshal([]byte(tc.json), &fromJSON); err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal(buf.Bytes(), &fromYAML); err != nil {
				t.Fatalf("output does not parse: %v\n%s", err, buf.String())
			}
			if diff := cmp.Diff(normalizeNumbers(fromJSON), normalizeNumbers(fromYAML)); diff != "" {
				t.Errorf("round trip mismatch (-json +yaml):\n%s", diff)
			}
		})
	}
}

func TestYAMLEmitterRejectsBadJSON(t *testing.T) {
	for _, in := range []string{`{"a"}`, `{"a":1`, `[1 2]`, `"abc`, `{"a":1} x`} {
		var buf bytes.Buffer
		if err := writeYAML(bufio.NewWriter(&buf), []byte(in), 0, false); err == nil {
			t.Errorf("writeYAML(%s): no error", in)
		}
	}
}

// TestHelpListsFlags checks that every command's help names each of its
// flags.
func TestHelpListsFlags(t *testing.T) {
	for _, c := range commands {
		c.flags().VisitAll(func(f *flag.Flag) {
			if !strings.Contains(c.usage, "-"+f.Name) {
				t.Errorf("daemonsim help %s does not mention -%s", c.name, f.Name)
			}
		})
	}
}

func TestLoadStateReport(t *testing.T) {
	_, rep := loadFixture(t, "kubectl-dump.yaml", false)
	want := &scenario.StateReport{
		Name:          "kubectl-dump.yaml",
		Loaded:        map[string]int{"DaemonSet": 3, "Node": 4, "Pod": 7, "Service": 1},
		Skipped:       map[string]int{"ConfigMap": 1, "ServiceAccount": 1},
		DroppedOwners: map[string]int{"ReplicaSet": 1},
		Newest:        time.Date(2024, 6, 3, 10, 0, 12, 0, time.UTC),
		Start:         time.Date(2024, 6, 3, 10, 0, 13, 0, time.UTC),
	}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("LoadState report mismatch (-want +got):\n%s", diff)
	}
	wantLine := "kubectl-dump.yaml: loaded DaemonSet 3, Node 4, Pod 7, Service 1; skipped ConfigMap 1, ServiceAccount 1; dropped owner references to absent ReplicaSet 1"
	if got := rep.String(); got != wantLine {
		t.Errorf("String() = %q, want %q", got, wantLine)
	}
}

// TestLoadStateKeepsPodsOfAbsentOwners checks that the coredns pod, whose
// ReplicaSet is not in the dump, survives settling.
func TestLoadStateKeepsPodsOfAbsentOwners(t *testing.T) {
	env, _ := loadFixture(t, "kubectl-dump.yaml", true)
	o, ok := env.Get(cluster.Ref{Kind: cluster.KindPod, Namespace: "kube-system", Name: "coredns-7db6d8ff4d-hx2lk"})
	if !ok {
		t.Fatal("the coredns pod is gone")
	}
	if o.Meta().Terminating() || len(o.Meta().OwnerReferences) != 0 {
		t.Errorf("coredns pod: terminating %v, owner references %v; want a live pod without owners", o.Meta().Terminating(), o.Meta().OwnerReferences)
	}
	// The DaemonSets' pods keep theirs.
	o, _ = env.Get(cluster.Ref{Kind: cluster.KindPod, Namespace: "logging", Name: "fluentd-2bq7w"})
	if r := o.Meta().ControllerRef(); r == nil || r.Name != "fluentd" {
		t.Errorf("fluentd pod controller = %v, want DaemonSet fluentd", r)
	}
}

// bigDump returns a generated dump larger than the size from which
// LoadState decodes a List in parts.
func bigDump(t testing.TB) []byte {
	data := genDump(t, genOptions{nodes: 300, daemonSets: 12, pods: true, seed: 3})
	if len(data) < 5<<20 {
		t.Fatalf("the dump is only %d bytes", len(data))
	}
	return data
}

// TestLoadStateInParts compares a large List decoded in parts with the
// same List decoded whole (a leading "---" turns the splitting off).
func TestLoadStateInParts(t *testing.T) {
	data := bigDump(t)
	_, parts, err := scenario.LoadState(data, "big.yaml", cluster.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, whole, err := scenario.LoadState(append([]byte("---\n"), data...), "big.yaml", cluster.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, show := range []func(*cluster.Cluster) string{scenario.ShowNodes, scenario.ShowPods, scenario.ShowDaemonSets} {
		if diff := cmp.Diff(show(whole.Cluster), show(parts.Cluster)); diff != "" {
			t.Fatalf("decoding in parts differs (-whole +parts):\n%s", diff)
		}
	}
	if n := parts.View().Count(cluster.KindPod); n < 1000 {
		t.Errorf("%d pods, want more than 1000", n)
	}
}

// TestLoadStateInPartsErrorLine breaks an object deep in a large List and
// checks that the error names its line in the whole input.
func TestLoadStateInPartsErrorLine(t *testing.T) {
	data := bigDump(t)
	lines := strings.SplitAfter(string(data), "\n")
	target := -1
	for i := len(lines) * 3 / 4; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "      pod-template-generation: ") {
			target = i
			break
		}
	}
	if target < 0 {
		t.Fatal("no pod label found")
	}
	lines[target] = "      pod-template-generation: [1]\n"
	_, _, err := scenario.LoadState([]byte(strings.Join(lines, "")), "big.yaml", cluster.Config{})
	want := fmt.Sprintf("big.yaml:%d: Pod: metadata.labels[pod-template-generation]: want a string, got a list", target+1)
	if err == nil || err.Error() != want {
		t.Errorf("LoadState error = %v, want %q", err, want)
	}
}

// TestGenerate checks that generate is deterministic for a seed, and that
// its dump loads without skipping anything and is settled: settling it
// creates, deletes and updates no pod.
func TestGenerate(t *testing.T) {
	o := genOptions{nodes: 40, daemonSets: 24, pods: true, managedFields: true, seed: 11}
	a, b := genDump(t, o), genDump(t, o)
	if !bytes.Equal(a, b) {
		t.Fatal("two dumps of the same seed differ")
	}
	o.seed = 12
	if bytes.Equal(a, genDump(t, o)) {
		t.Error("dumps of seeds 11 and 12 are equal")
	}
	for _, noise := range []string{"managedFields:", "containerStatuses:", "nodeInfo:", "kind: List"} {
		if !bytes.Contains(a, []byte(noise)) {
			t.Errorf("the dump has no %q", noise)
		}
	}
	// Without -managed-fields, as kubectl without --show-managed-fields.
	plain := genDump(t, genOptions{nodes: 40, daemonSets: 24, pods: true, seed: 11})
	if bytes.Contains(plain, []byte("managedFields")) {
		t.Error("the dump without -managed-fields has managedFields")
	}
	rep, env, err := scenario.LoadState(a, "gen.yaml", cluster.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != nil || rep.DroppedOwners != nil {
		t.Errorf("skipped %v, dropped owners %v; want none", rep.Skipped, rep.DroppedOwners)
	}
	if rep.Loaded["Node"] != 40 || rep.Loaded["DaemonSet"] != 24 || rep.Loaded["Pod"] < 40*5 {
		t.Errorf("loaded %v, want 40 nodes, 24 DaemonSets and more than 200 pods", rep.Loaded)
	}
	_, plainEnv, err := scenario.LoadState(plain, "plain.yaml", cluster.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []cluster.Kind{cluster.KindNode, cluster.KindPod, daemonset.KindDaemonSet} {
		a, b := slices.Collect(env.List(k, "")), slices.Collect(plainEnv.List(k, ""))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("the %ss of the dumps with and without managedFields differ", k)
		}
	}
	before := env.Fork()
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	for _, d := range cluster.Diff(before.Cluster, env.Cluster) {
		if d.Ref.Kind == cluster.KindPod {
			t.Errorf("settling changed %s", d.Ref)
		}
	}
	for o := range env.List(daemonset.KindDaemonSet, "") {
		ds := o.(*daemonset.DaemonSet)
		b, _ := before.Get(cluster.RefOf(ds))
		if got, want := daemonset.DescribeStatus(&ds.Status), daemonset.DescribeStatus(&b.(*daemonset.DaemonSet).Status); got != want {
			t.Errorf("%s: settled status %s, dumped %s", ds.Name, got, want)
		}
		if msg, done, _ := daemonset.RolloutStatus(ds); !done {
			t.Errorf("%s: %s", ds.Name, msg)
		}
	}
	// Every daemon pod sits where its DaemonSet's eligibility says.
	m := placements(env, "", selector.Everything())
	for _, row := range m.Nodes {
		for _, p := range row.Placements {
			if (p.ShouldRun && p.Text != "Running") || (!p.ShouldRun && p.Text != "-") {
				t.Errorf("node %s, %s: cell %q, shouldRun %v", row.Node, p.DaemonSet, p.Text, p.ShouldRun)
			}
		}
	}
}

// TestWhatIfRefusedSummarised checks that whatif names the first objects
// a change left alone on stderr and counts the rest, while -o json lists
// them all.
func TestWhatIfRefusedSummarised(t *testing.T) {
	dir := t.TempDir()
	dump := genDump(t, genOptions{nodes: 20, daemonSets: 2, seed: 1})
	if err := os.WriteFile(filepath.Join(dir, "dump.yaml"), dump, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, dir, "whatif", "-f", "dump.yaml", "label nodes --all kubernetes.io/os=windows")
	if code != 0 {
		t.Fatalf("exit status %d, stderr:\n%s", code, stderr)
	}
	if got := strings.Count(stderr, "left alone, as kubectl would: Node/"); got != maxRefusedShown {
		t.Errorf("stderr names %d objects, want %d:\n%s", got, maxRefusedShown, stderr)
	}
	if want := fmt.Sprintf("… and %d more objects left alone (-o json lists them all)\n", 20-maxRefusedShown); !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	stdout, _, code := runCLI(t, "", "whatif", "-f", "dump.yaml", "-o", "json", "label nodes --all kubernetes.io/os=windows")
	if code != 0 {
		t.Fatalf("-o json: exit status %d", code)
	}
	var out struct{ Refused []string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Refused) != 20 {
		t.Errorf("-o json lists %d refusals, want 20", len(out.Refused))
	}
}

// TestApplyNamespaceMismatch checks that apply with its own -n refuses a
// manifest naming another namespace, with kubectl's error.
func TestApplyNamespaceMismatch(t *testing.T) {
	dir := t.TempDir()
	dump, err := os.ReadFile(filepath.Join(cliDir, "kubectl-dump.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	manifest := "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec: {containers: [{name: c, image: i}]}\n"
	for name, data := range map[string]string{"dump.yaml": string(dump), "pod.yaml": manifest} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := runCLI(t, dir, "whatif", "-f", "dump.yaml", "apply -n logging -f pod.yaml")
	want := `the namespace from the provided object "default" does not match the namespace "logging". You must pass '--namespace=default' to perform this operation.`
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, want)
	}
	if _, stderr, code := runCLI(t, dir, "whatif", "-f", "dump.yaml", "apply -n default -f pod.yaml"); code != exitOK {
		t.Errorf("apply -n default: exit %d, stderr %q", code, stderr)
	}
}

// TestStdinReadOnce checks that standard input is read by one of the
// state and the apply changes at most, whatever form -f takes.
func TestStdinReadOnce(t *testing.T) {
	const want = "standard input (-) can be read only once: give the state or the manifest as a file"
	for _, tc := range []struct {
		args       []string
		stdinState bool
	}{
		{[]string{"apply -f -"}, true},
		{[]string{"apply --filename=-"}, true},
		{[]string{"apply -f=- -n x"}, true},
		{[]string{"apply -f -", "apply -f -"}, false},
	} {
		_, err := parseChanges(tc.args, "default", tc.stdinState)
		if err == nil || err.Error() != want {
			t.Errorf("parseChanges(%q, stdin state %v) error = %v, want %q", tc.args, tc.stdinState, err, want)
		}
	}
}

// TestBlankYAML checks which inputs hold no YAML document.
func TestBlankYAML(t *testing.T) {
	for in, want := range map[string]bool{
		"":                         true,
		"\n  \n":                   true,
		"# c\n---\n...\n--- # c\n": true,
		"---\nkind: List\n":        false,
		"--- {}\n":                 false,
		"{}":                       false,
		"  # c\n  x: 1\n":          false,
	} {
		if got := blankYAML([]byte(in)); got != want {
			t.Errorf("blankYAML(%q) = %v, want %v", in, got, want)
		}
	}
}
