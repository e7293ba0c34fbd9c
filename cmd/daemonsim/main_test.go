package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/cli")

// cliDir holds the CLI's fixtures and goldens, seen from this package.
const cliDir = "../../testdata/cli"

// runCLI runs the command line in-process, in dir, and returns what it
// printed and its exit status.
func runCLI(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// shellQuote renders args as a shell would need them.
func shellQuote(args []string) string {
	var parts []string
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " '\"$*?|&;<>()\\`\t!{}[]~#") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// transcript renders one invocation as its golden file holds it. go-cmp
// diffs in failure messages use a non-breaking space or a space at random
// (to discourage depending on their exact text); both become a space.
func transcript(args []string, stdout, stderr string, code int) string {
	stdout = strings.ReplaceAll(stdout, "\u00a0", " ")
	stderr = strings.ReplaceAll(stderr, "\u00a0", " ")
	var b strings.Builder
	b.WriteString("$ daemonsim " + shellQuote(args) + "\n")
	b.WriteString("exit status " + strconv.Itoa(code) + "\n")
	b.WriteString("-- stdout --\n" + stdout)
	b.WriteString("-- stderr --\n" + stderr)
	return b.String()
}

// checkGolden compares got with the golden file at path, or rewrites it
// with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/daemonsim -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// goldenCases are the command lines whose whole output is checked
// against testdata/cli/golden/NAME.golden. They run in testdata/cli.
var goldenCases = []struct {
	name string
	args []string
	code int
}{
	// Help and usage.
	{"usage", nil, 2},
	{"help", []string{"help"}, 0},
	{"help-run", []string{"help", "run"}, 0},
	{"help-whatif", []string{"help", "whatif"}, 0},
	{"help-explain", []string{"help", "explain"}, 0},
	{"help-show", []string{"help", "show"}, 0},
	{"help-generate", []string{"help", "generate"}, 0},
	{"help-unknown", []string{"help", "frob"}, 2},
	{"unknown-command", []string{"frob"}, 2},
	{"whatif-flag-help", []string{"whatif", "--help"}, 0},

	// run.
	{"run-pass", []string{"run", "scenarios/pass.yaml"}, 0},
	{"run-fail", []string{"run", "scenarios/pass.yaml", "scenarios/fail.yaml"}, 1},
	{"run-quiet", []string{"run", "-q", "scenarios/pass.yaml", "scenarios/fail.yaml"}, 1},
	{"run-missing", []string{"run", "-q", "scenarios/pass.yaml", "missing.yaml"}, 2},
	{"run-no-files", []string{"run"}, 2},
	{"run-bad-output", []string{"run", "-o", "yaml", "scenarios/pass.yaml"}, 2},

	// whatif.
	{"whatif-label", []string{"whatif", "-f", "kubectl-dump.yaml", "label node/worker-c disk=ssd"}, 0},
	{"whatif-label-json", []string{"whatif", "-f", "kubectl-dump.yaml", "-o", "json", "label node/worker-c disk=ssd"}, 0},
	{"whatif-label-yaml", []string{"whatif", "-f", "kubectl-dump.yaml", "-o", "yaml", "label node/worker-c disk=ssd"}, 0},
	{"whatif-label-tainted", []string{"whatif", "-f", "kubectl-dump.yaml", "label node/worker-b disk=ssd"}, 0},
	{"whatif-stdin", []string{"whatif", "-f", "-", "uncordon node/node-a"}, 0},
	{"whatif-selector", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes -l topology.kubernetes.io/zone=zone-a disk-"}, 0},
	{"whatif-several-unquoted", []string{"whatif", "-f", "kubectl-dump.yaml", "taint", "node/worker-a", "maintenance=true:NoExecute", "cordon", "node/worker-c", "delete", "node/worker-b"}, 0},
	{"whatif-taint-noschedule", []string{"whatif", "-f", "kubectl-dump.yaml", "taint node/worker-a maintenance=true:NoSchedule"}, 0},
	{"whatif-apply", []string{"whatif", "-f", "kubectl-dump.yaml", "apply -f ssd-monitor-v2.yaml"}, 0},
	{"whatif-delete-ds", []string{"whatif", "-f", "kubectl-dump.yaml", "-n", "logging", "delete ds/fluentd"}, 0},
	{"whatif-advance", []string{"whatif", "-f", "kubectl-dump.yaml", "-advance", "2m", "label nodes -l topology.kubernetes.io/zone=zone-a disk-"}, 0},
	{"whatif-advance-json", []string{"whatif", "-f", "kubectl-dump.yaml", "-advance", "90s", "-o", "json", "taint node/worker-a maintenance=true:NoExecute"}, 0},
	{"whatif-refused", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes -l topology.kubernetes.io/zone=zone-a disk=hdd"}, 0},
	{"whatif-overwrite", []string{"whatif", "-f", "kubectl-dump.yaml", "-o", "json", "kubectl", "label", "nodes", "--all", "disk=hdd", "--overwrite", "kubectl taint nodes worker-a maintenance=true:NoExecute"}, 0},
	{"whatif-pasted-kubectl", []string{"whatif", "-f", "kubectl-dump.yaml", "kubectl", "-n", "logging", "delete", "ds/fluentd", "kubectl", "label", "nodes", "-l", "topology.kubernetes.io/zone in (zone-a)", "disk=ssd", "--overwrite", "kubectl label nodes worker-b worker-c tier=x"}, 0},
	{"whatif-unknown-kubectl-flag", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes -l topology.kubernetes.io/zone=zone-a disk=ssd --dry-run=server"}, 2},
	{"whatif-kubectl-no-verb", []string{"whatif", "-f", "kubectl-dump.yaml", "kubectl", "-n", "logging"}, 2},
	{"whatif-unclosed-quote", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes -l 'zone in (a) x=y"}, 2},
	{"whatif-advance-bad", []string{"whatif", "-f", "kubectl-dump.yaml", "-advance", "soon", "cordon node/worker-a"}, 2},
	{"whatif-advance-negative", []string{"whatif", "-f", "kubectl-dump.yaml", "-advance=-5m", "cordon node/worker-a"}, 2},
	{"whatif-nodes-only", []string{"whatif", "-f", "nodes-only.yaml", "label node/node-c zone=a disk=ssd --overwrite"}, 0},
	{"whatif-refused-many", []string{"whatif", "-f", "generated.yaml", "label nodes --all kubernetes.io/os=windows"}, 0},
	{"whatif-no-file", []string{"whatif", "label node/a x=y"}, 2},
	{"whatif-no-change", []string{"whatif", "-f", "kubectl-dump.yaml"}, 2},
	{"whatif-bad-verb", []string{"whatif", "-f", "kubectl-dump.yaml", "relabel node/worker-a x=y"}, 2},
	{"whatif-bad-word", []string{"whatif", "-f", "kubectl-dump.yaml", "frob", "node/worker-a"}, 2},
	{"whatif-stdin-twice", []string{"whatif", "-f", "-", "apply -f -"}, 2},
	{"whatif-label-conflict", []string{"whatif", "-f", "kubectl-dump.yaml", "label node/worker-a disk=hdd disk-"}, 2},
	{"whatif-label-same-value", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes --all kubernetes.io/os=linux disk=ssd"}, 0},
	{"whatif-label-not-found", []string{"whatif", "-f", "kubectl-dump.yaml", "-o", "json", "label nodes --all dsik-"}, 0},
	{"whatif-flag-after-change", []string{"whatif", "-f", "kubectl-dump.yaml", "cordon node/worker-a", "-o", "json"}, 2},
	{"whatif-bad-selector", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes -l zone=(a x=y"}, 2},
	{"whatif-bad-taint", []string{"whatif", "-f", "kubectl-dump.yaml", "taint node/worker-a k=v:Sometimes"}, 2},
	{"whatif-missing-node", []string{"whatif", "-f", "kubectl-dump.yaml", "cordon node/worker-z"}, 2},
	{"whatif-selector-matches-nothing", []string{"whatif", "-f", "kubectl-dump.yaml", "label nodes -l zone=z x=y"}, 2},
	{"whatif-missing-state", []string{"whatif", "-f", "missing.yaml", "cordon node/a"}, 2},
	{"whatif-bad-syntax", []string{"whatif", "-f", "bad-syntax.yaml", "cordon node/node-a"}, 2},
	{"whatif-bad-type", []string{"whatif", "-f", "bad-type.yaml", "cordon node/node-a"}, 2},
	{"whatif-apply-strict", []string{"whatif", "-f", "kubectl-dump.yaml", "apply -f bad-apply.yaml"}, 2},
	{"whatif-apply-unknown-kind", []string{"whatif", "-f", "kubectl-dump.yaml", "apply -f configmap.yaml"}, 2},
	{"whatif-apply-no-file", []string{"whatif", "-f", "kubectl-dump.yaml", "apply"}, 2},
	{"whatif-bad-output", []string{"whatif", "-o", "xml", "-f", "kubectl-dump.yaml", "cordon node/worker-a"}, 2},
	{"whatif-bad-flag", []string{"whatif", "--frob", "-f", "kubectl-dump.yaml", "cordon node/worker-a"}, 2},

	// explain.
	{"explain", []string{"explain", "-f", "kubectl-dump.yaml", "-n", "logging", "daemonset/fluentd"}, 0},
	{"explain-missing-daemonset", []string{"explain", "-f", "kubectl-dump.yaml", "-n", "kube-system", "daemonset/nope"}, 2},
	{"explain-flags-after", []string{"explain", "-f", "kubectl-dump.yaml", "ds/kube-proxy", "-n", "kube-system", "-o", "json", "node/worker-a"}, 0},
	{"explain-node", []string{"explain", "-f", "kubectl-dump.yaml", "ds/default/ssd-monitor", "node/worker-b"}, 0},
	{"explain-json", []string{"explain", "-f", "kubectl-dump.yaml", "-o", "json", "ds/ssd-monitor"}, 0},
	{"explain-yaml-selector", []string{"explain", "-f", "kubectl-dump.yaml", "-o", "yaml", "-l", "topology.kubernetes.io/zone=zone-a", "daemonset", "ssd-monitor"}, 0},
	{"explain-wrong-namespace", []string{"explain", "-f", "kubectl-dump.yaml", "daemonset/fluentd"}, 2},
	{"explain-missing-node", []string{"explain", "-f", "kubectl-dump.yaml", "ds/ssd-monitor", "node/worker-z"}, 2},
	{"explain-not-a-daemonset", []string{"explain", "-f", "kubectl-dump.yaml", "node/worker-a"}, 2},
	{"explain-no-args", []string{"explain", "-f", "kubectl-dump.yaml"}, 2},

	// show.
	{"show", []string{"show", "-f", "kubectl-dump.yaml"}, 0},
	{"show-no-settle", []string{"show", "-f", "kubectl-dump.yaml", "-no-settle"}, 0},
	{"show-empty", []string{"show", "-f", "empty.yaml"}, 2},
	{"show-json", []string{"show", "-f", "nodes-only.yaml", "-o", "json"}, 0},
	{"show-namespace-selector", []string{"show", "-f", "kubectl-dump.yaml", "-n", "kube-system", "-l", "kubernetes.io/hostname!=control-plane"}, 0},
	{"show-no-file", []string{"show"}, 2},
	{"show-generated", []string{"show", "-f", "generated.yaml"}, 0},
	{"whatif-generated", []string{"whatif", "-f", "generated.yaml", "label nodes -l zone=a disk=ssd"}, 0},

	// generate.
	{"generate-bad-nodes", []string{"generate", "-nodes", "-1"}, 2},
	{"generate-bad-flag-value", []string{"generate", "-nodes", "many"}, 2},
}

// goldenStdin names, for the golden cases that read standard input, the
// file of testdata/cli they read.
var goldenStdin = map[string]string{"whatif-stdin": "nodes-only.yaml", "whatif-stdin-twice": "nodes-only.yaml"}

// TestGolden runs each golden case in testdata/cli and compares its exit
// status, stdout and stderr with testdata/cli/golden/NAME.golden.
//
// If this test fails, run `go test ./cmd/daemonsim -update`, read `git
// diff testdata/cli`, and keep the new outputs only if you understand why
// they changed.
func TestGolden(t *testing.T) {
	goldenDir, err := filepath.Abs(filepath.Join(cliDir, "golden"))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(cliDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			if f, ok := goldenStdin[tc.name]; ok {
				data, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				old := stdin
				stdin = bytes.NewReader(data)
				t.Cleanup(func() { stdin = old })
			}
			stdout, stderr, code := runCLI(t, dir, tc.args...)
			if code != tc.code {
				t.Errorf("daemonsim %s: exit status %d, want %d\nstderr:\n%s", shellQuote(tc.args), code, tc.code, stderr)
			}
			checkGolden(t, filepath.Join(goldenDir, tc.name+".golden"), transcript(tc.args, stdout, stderr, code))
		})
	}
}

// TestGenerateGolden checks a small generated dump against
// testdata/cli/generated.yaml, which is also a fixture of the other
// commands' tests; it has managedFields, for their tricky keys.
func TestGenerateGolden(t *testing.T) {
	args := []string{"generate", "-nodes", "5", "-daemonsets", "6", "-pods", "-managed-fields", "-seed", "7"}
	stdout, stderr, code := runCLI(t, "", args...)
	if code != 0 || stderr != "" {
		t.Fatalf("daemonsim %s: exit status %d, stderr %q", shellQuote(args), code, stderr)
	}
	checkGolden(t, filepath.Join(cliDir, "generated.yaml"), stdout)
}
