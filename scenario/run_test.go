package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
)

// fakeTB records what Run reports.
type fakeTB struct {
	testing.TB
	errs  []string
	fatal bool
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Logf(string, ...any)            {}
func (f *fakeTB) Error(args ...any)              { f.errs = append(f.errs, fmt.Sprint(args...)) }
func (f *fakeTB) Fatal(args ...any)              { f.fatal = true; f.errs = append(f.errs, fmt.Sprint(args...)) }
func (f *fakeTB) Errorf(format string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(format, a...)) }

func writeScenario(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	Run(t, "../testdata/scenario-selftest/basic.yaml")

	path := writeScenario(t, "steps:\n- apply: {apiVersion: v1, kind: Node, metadata: {name: a}}\n  output: |\n    0s user create Node/b\n- settle:\n")
	ft := &fakeTB{}
	Run(ft, path)
	want := []string{path + ":3: step 1 (apply): output mismatch (-want +got):\n" + cmp.Diff("0s user create Node/b\n", "0s user create Node/a\n")}
	if diff := cmp.Diff(want, ft.errs); diff != "" {
		t.Errorf("Run reported mismatch (-want +got):\n%s", diff)
	}

	ft = &fakeTB{}
	Run(ft, filepath.Join(t.TempDir(), "missing.yaml"))
	if !ft.fatal || len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "no such file") {
		t.Errorf("Run(missing file) reported %v (fatal %v), want a fatal read error", ft.errs, ft.fatal)
	}

	ft = &fakeTB{}
	Run(ft, writeScenario(t, "steps:\n- sleep: 5s\n"))
	if len(ft.errs) != 1 || !strings.HasSuffix(ft.errs[0], `s.yaml:2: step 1: unknown verb "sleep" (want apply, load, delete, label, taint, cordon, uncordon, disconnect, reconnect, podStatus, settle, advance, show, whatif, staticPod, rollback or lookup)`) {
		t.Errorf("Run(bad file) reported %v", ft.errs)
	}
}

func TestRunFileResult(t *testing.T) {
	path := writeScenario(t, "steps:\n- apply: {apiVersion: v1, kind: Node, metadata: {name: a}}\n  output: |\n    0s user create Node/a\n- show: nodes\n  output: |\n    wrong\n- settle:\n")
	res, err := RunFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() || len(res.Failures) != 1 || res.Failures[0].Kind != OutputMismatch || res.Failures[0].Kind.String() != "output mismatch" {
		t.Fatalf("RunFile failures = %v, want one output mismatch", res.Failures)
	}
	if len(res.Steps) != 2 {
		t.Errorf("RunFile ran %d steps, want 2 (it stops at the first failure)", len(res.Steps))
	}
	if got, want := res.Transcript(), "step 1 (apply):\n0s user create Node/a\nstep 2 (show):\nNode/a labels=<none> taints=<none> unschedulable=false ready=True\n"; got != want {
		t.Errorf("Transcript = %q, want %q", got, want)
	}
	parsed, err := ParseFile(path)
	if err != nil || len(parsed.Steps) != 3 {
		t.Errorf("ParseFile = %v, %v", parsed, err)
	}

	res, err = RunFile(writeScenario(t, "steps: [settle: ]\nseed: x\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || res.Failures[0].Kind != HarnessError || res.Failures[0].Kind.String() != "harness error" || res.File != nil {
		t.Errorf("RunFile(bad file) = %+v, want one harness error", res)
	}
	if ExpectFailure.String() != "expectation failed" || FailureKind(9).String() != "FailureKind(9)" {
		t.Error("FailureKind.String is wrong")
	}
}

func TestRunConfigure(t *testing.T) {
	// Configure is applied after the file's own configuration: here it
	// takes the file's 5s pod startup back to 0s.
	path := writeScenario(t, "config: {podStartup: 5s}\nsteps:\n- apply:\n  - {apiVersion: v1, kind: Node, metadata: {name: a}}\n  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {nodeName: a, containers: [{name: c, image: c:1}]}}\n- settle:\n  expect:\n    objects: {Pod/p: {status: {phase: Running}}}\n")
	res, err := RunFile(path, Options{Update: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || res.Failures[0].Kind != ExpectFailure {
		t.Errorf("RunFile without Configure: failures %v, want the phase expectation to fail", res.Failures)
	}
	res, err = RunFile(path, Options{Update: true, Configure: func(c *cluster.Config) { c.PodStartup = 0 }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() {
		t.Errorf("RunFile with Configure: failures %v, want none", res.Failures)
	}
}

func TestWriteJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uo\te`, "tab\tnl\nret\r", "\x01\x1f\x7f", "héllo ✓", "\u2028\u2029", "bad\xffutf8"} {
		var b bytes.Buffer
		writeJSONString(&b, s)
		var back string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Errorf("writeJSONString(%q) = %s, not valid JSON: %v", s, b.String(), err)
			continue
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if back != want {
			t.Errorf("writeJSONString(%q) reads back as %q, want %q", s, back, want)
		}
	}
}

// TestExpectationsOnlyFile checks that a file without any output: block
// is judged by its expectations alone, while one output: block makes
// every step's output checked.
func TestExpectationsOnlyFile(t *testing.T) {
	const steps = `steps:
- apply:
  - {apiVersion: v1, kind: Node, metadata: {name: n1}}
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: main, image: agent:1}]}
- settle:
  expect:
    pods: [{selector: app=agent, nodes: [n1]}]
`
	if res := runData("only-expect.yaml", []byte(steps), Options{}); !res.Passed() {
		t.Errorf("expectations-only file failed: %v", res.Failures)
	}
	wrong := strings.Replace(steps, "nodes: [n1]", "nodes: [n1, n1]", 1)
	if res := runData("wrong-expect.yaml", []byte(wrong), Options{}); res.Passed() || res.Failures[0].Kind != ExpectFailure {
		t.Errorf("a wrong expectation passed or failed otherwise: %v", res.Failures)
	}
	withOne := steps + "  output: |\n    nothing\n"
	res := runData("one-output.yaml", []byte(withOne), Options{})
	if res.Passed() || res.Failures[0].Kind != OutputMismatch {
		t.Fatalf("a file with an output: block did not check outputs: %v", res.Failures)
	}
	if !strings.Contains(res.Failures[0].Err.Error(), "step 1 (apply): output mismatch: the step has no output: block") {
		t.Errorf("first failure = %v, want the apply step's missing block", res.Failures[0].Err)
	}
}
