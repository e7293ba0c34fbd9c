package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUpdate runs each testdata/update/*.input in update mode on a copy
// and compares the result with the .golden file (rewritten with -update).
// It also proves that only output: blocks changed, that a second update
// is a no-op, and that the result passes in check mode.
func TestUpdate(t *testing.T) {
	inputs, err := filepath.Glob("testdata/update/*.input")
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no testdata/update/*.input files")
	}
	for _, input := range inputs {
		name := strings.TrimSuffix(filepath.Base(input), ".input")
		t.Run(name, func(t *testing.T) {
			before, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), name+".yaml")
			if err := os.WriteFile(path, before, 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := RunFile(path, Options{Update: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Failures {
				t.Errorf("update run: %s", f)
			}
			if !res.Updated {
				t.Error("update run: Updated = false, want true")
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(input, ".input") + ".golden"
			if *update {
				if err := os.WriteFile(golden, after, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(after)); diff != "" {
				t.Errorf("updated file mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(withoutOutputs(string(before)), withoutOutputs(string(after))); diff != "" {
				t.Errorf("update changed bytes outside output: blocks (-before +after):\n%s", diff)
			}
			again, err := RunFile(path, Options{Update: true})
			if err != nil {
				t.Fatal(err)
			}
			if again.Updated || len(again.Failures) > 0 {
				t.Errorf("second update: Updated = %v, failures %v; want a no-op", again.Updated, again.Failures)
			}
			if third, _ := os.ReadFile(path); string(third) != string(after) {
				t.Error("second update changed the file")
			}
			check, err := RunFile(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range check.Failures {
				t.Errorf("check run: %s", f)
			}
		})
	}
}

// withoutOutputs removes output: keys and their blocks from a scenario's
// text, independently of Splice: a line "output:" at indentation i and the
// following lines that are blank or indented more than i, except the
// blank lines that end that run.
func withoutOutputs(text string) string {
	lines := strings.SplitAfter(text, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimLeft(l, " ")
		if !strings.HasPrefix(trimmed, "output:") {
			out = append(out, l)
			continue
		}
		indent := len(l) - len(trimmed)
		j, last := i+1, i
		for ; j < len(lines); j++ {
			t := strings.TrimLeft(lines[j], " ")
			if strings.TrimSpace(t) == "" {
				continue
			}
			if len(lines[j])-len(t) <= indent {
				break
			}
			last = j
		}
		i = last
	}
	return strings.Join(out, "")
}

func TestSpliceLineEndings(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"crlf", "steps:\r\n- show: nodes\r\n- settle:\r\n", "steps:\r\n- show: nodes\r\n  output: |\r\n    x\r\n\r\n     y\r\n- settle:\r\n"},
		{"no-final-newline", "steps:\n- settle:\n- show: nodes", "steps:\n- settle:\n- show: nodes\n  output: |\n    x\n\n     y"},
		{"indicator", "steps:\n- show: nodes\n  output: |\n    old\n", "steps:\n- show: nodes\n  output: |2\n     x\n    y\n"},
		{"delete", "steps:\n- show: nodes\n  output: |\n    old\n\n# c\n", "steps:\n- show: nodes\n\n# c\n"},
	}
	outputs := map[string]string{"crlf": "x\n\n y\n", "no-final-newline": "x\n\n y\n", "indicator": " x\ny\n", "delete": ""}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("s.yaml", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			s := f.Steps[len(f.Steps)-1]
			if tc.name == "no-final-newline" {
				s = f.Steps[1]
			}
			if tc.name == "crlf" {
				s = f.Steps[0]
			}
			got, err := Splice(f, []StepResult{{N: s.N, Verb: s.Verb, Output: outputs[tc.name]}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Splice mismatch (-want +got):\n%s", diff)
			}
			g, err := Parse("s.yaml", got)
			if err != nil {
				t.Fatalf("spliced file does not parse: %v", err)
			}
			if gs := g.Steps[s.N-1]; normalizeOutput(gs.Output) != normalizeOutput(outputs[tc.name]) {
				t.Errorf("spliced output reads back as %q, want %q", gs.Output, outputs[tc.name])
			}
		})
	}
}

func TestSpliceFlowStep(t *testing.T) {
	f, err := Parse("s.yaml", []byte("steps:\n- {show: nodes}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Splice(f, []StepResult{{N: 1, Verb: "show", Output: "x\n"}})
	if want := "s.yaml:2: step 1 (show): cannot update the output of a flow-style step; write the step in block style"; err == nil || err.Error() != want {
		t.Errorf("Splice error = %v, want %q", err, want)
	}
}

func TestSpliceAliasedStep(t *testing.T) {
	f, err := Parse("s.yaml", []byte("steps:\n- &s\n  show: nodes\n- *s\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Splice(f, []StepResult{{N: 1, Verb: "show", Output: ""}}); err != nil {
		t.Errorf("Splice(step 1, unchanged) error = %v", err)
	}
	_, err = Splice(f, []StepResult{{N: 2, Verb: "show", Output: "x\n"}})
	if want := "s.yaml:4: step 2 (show): cannot update the output of a step written as an alias; write the step out"; err == nil || err.Error() != want {
		t.Errorf("Splice error = %v, want %q", err, want)
	}
}
