package scenario

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
)

// Options configure [RunFile].
type Options struct {
	// Update rewrites the file's output: blocks with what the steps
	// print, splicing the text in place (see the package documentation),
	// writes the file if its bytes changed, and then runs it again in
	// check mode, which must pass. expect: blocks are checked in both
	// modes and never rewritten.
	Update bool
	// Configure, when set, adjusts the cluster configuration the file
	// asks for before the cluster is built (to turn on Shuffle or
	// CheckImmutable in a property test, say).
	Configure func(*cluster.Config)
}

// FailureKind classifies a [Failure].
type FailureKind int

// The failure kinds.
const (
	// HarnessError: the file could not be parsed, or the harness could
	// not run a step.
	HarnessError FailureKind = iota + 1
	// ExpectFailure: an expect: check failed, or a step failed without
	// an expect.error.
	ExpectFailure
	// OutputMismatch: a step printed something other than its output:
	// block (check mode only).
	OutputMismatch
)

// String returns "harness error", "expectation failed" or "output
// mismatch".
func (k FailureKind) String() string {
	switch k {
	case HarnessError:
		return "harness error"
	case ExpectFailure:
		return "expectation failed"
	case OutputMismatch:
		return "output mismatch"
	}
	return fmt.Sprintf("FailureKind(%d)", int(k))
}

// Failure is one failure of a scenario file.
type Failure struct {
	Kind FailureKind
	// Err positions the failure: file:line: step N (verb): message.
	Err *Error
}

// String returns the positioned message.
func (f Failure) String() string { return f.Err.Error() }

// StepResult is what one step did.
type StepResult struct {
	N    int
	Line int
	Verb string
	// Output is what the step printed, as its output: block holds it:
	// its records (filtered by the file's log level), then the text of a
	// show, whatif or rollback, then "error: <message>" if it failed.
	// Empty when it printed nothing.
	Output string
	// Err is the step's error, nil when it succeeded.
	Err error
}

// Result is the outcome of running one scenario file.
type Result struct {
	// Path is the file's name as given.
	Path string
	// File is the parsed file; nil when it could not be parsed.
	File *File
	// Steps holds the steps run, in order. Running stops after the first
	// step with a failure.
	Steps []StepResult
	// Failures lists the failures: those of one step, or one harness
	// error.
	Failures []Failure
	// Log is the cluster's whole log.
	Log []cluster.Record
	// Updated reports whether Update rewrote the file.
	Updated bool
}

// Passed reports whether the file ran without failures.
func (r *Result) Passed() bool { return len(r.Failures) == 0 }

// Transcript renders every step's output after a header line "step N
// (verb):", for comparing runs.
func (r *Result) Transcript() string {
	var b strings.Builder
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "step %d (%s):\n%s", s.N, s.Verb, s.Output)
	}
	return b.String()
}

// RunFile runs the scenario file at path and reports what each step
// printed and what failed. It returns an error only when the file cannot
// be read or (with Update) written; parse errors are failures of kind
// [HarnessError]. A file stops at its first failing step.
func RunFile(path string, opts Options) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res := runData(path, data, opts)
	if !opts.Update || res.File == nil {
		return res, nil
	}
	out, err := Splice(res.File, res.Steps)
	if err != nil {
		res.Failures = append(res.Failures, Failure{Kind: HarnessError, Err: asError(err, path)})
		return res, nil
	}
	if !bytes.Equal(out, data) {
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, out, st.Mode().Perm()); err != nil {
			return nil, err
		}
		res.Updated = true
	}
	if !res.Passed() {
		return res, nil
	}
	check := runData(path, out, Options{Configure: opts.Configure})
	check.Updated = res.Updated
	return check, nil
}

func asError(err error, file string) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{File: file, Msg: err.Error()}
}

// runData parses and runs a file's contents.
func runData(path string, data []byte, opts Options) *Result {
	res := &Result{Path: path}
	f, err := Parse(path, data)
	if err != nil {
		res.Failures = []Failure{{Kind: HarnessError, Err: asError(err, path)}}
		return res
	}
	res.File = f
	cfg := f.Config
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	env, err := NewCluster(cfg)
	if err != nil {
		res.Failures = []Failure{{Kind: HarnessError, Err: &Error{File: path, Msg: err.Error()}}}
		return res
	}
	r := &runner{env: env}
	// A file whose steps have no output: block at all is one of
	// expectations only: its log is printed, not compared. One output:
	// block makes every step's output checked (a step without one must
	// print nothing).
	checkOutput := !opts.Update && slices.ContainsFunc(f.Steps, func(s *Step) bool { return s.outputKey != nil })
	for _, s := range f.Steps {
		sr, fails := r.step(f, s, checkOutput)
		res.Steps = append(res.Steps, sr)
		if len(fails) > 0 {
			res.Failures = fails
			break
		}
	}
	res.Log = env.Log()
	return res
}

// step runs one step and checks it: its expectations, and with
// checkOutput its output.
func (r *runner) step(f *File, s *Step, checkOutput bool) (sr StepResult, fails []Failure) {
	sr = StepResult{N: s.N, Line: s.Line, Verb: s.Verb}
	pos := func(line int, msg string) *Error {
		return &Error{File: f.Path, Line: line, Step: s.N, Verb: s.Verb, Msg: msg}
	}
	defer func() {
		if v := recover(); v != nil {
			fails = []Failure{{Kind: HarnessError, Err: pos(s.Line, fmt.Sprintf("internal error: panic: %v\n%s", v, debug.Stack()))}}
		}
	}()
	seq := r.env.LastSeq()
	text, err := s.exec(r)
	recs := r.env.LogSince(seq)
	sr.Err = err
	sr.Output = renderOutput(f.Log, recs, text, err)
	for _, fl := range s.expect.check(r.env.Cluster, err, recs, s.Line) {
		fails = append(fails, Failure{Kind: ExpectFailure, Err: pos(fl.line, fl.msg)})
	}
	if checkOutput {
		want, got := normalizeOutput(s.Output), normalizeOutput(sr.Output)
		if want != got {
			line, msg := s.Line, "output mismatch (-want +got):\n"
			if s.outputKey != nil {
				line = s.outputKey.Line
			} else {
				msg = "output mismatch: the step has no output: block (daemonsim run -update FILE writes them) (-want +got):\n"
			}
			fails = append(fails, Failure{Kind: OutputMismatch, Err: pos(line, msg+cmp.Diff(want, got))})
		}
	}
	return sr, fails
}

// renderOutput renders a step's output: its records that pass the log
// level, one line each, then text, then the error.
func renderOutput(level LogLevel, recs []cluster.Record, text string, err error) string {
	var b strings.Builder
	for i := range recs {
		if level == LogChanges && (recs[i].Verb == cluster.VerbEvent || recs[i].Verb == cluster.VerbNote) {
			continue
		}
		b.WriteString(recs[i].String())
		b.WriteByte('\n')
	}
	if text != "" {
		b.WriteString(text)
		if !strings.HasSuffix(text, "\n") {
			b.WriteByte('\n')
		}
	}
	if err != nil {
		b.WriteString("error: ")
		b.WriteString(err.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// normalizeOutput makes outputs comparable: trailing newlines do not
// count, and an output is either empty or ends in exactly one newline.
func normalizeOutput(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return s + "\n"
}

// Run runs the scenario file at path in check mode as part of a test,
// failing t with each failure (a harness error, a failed expect: check or
// an output mismatch shown as a cmp.Diff), positioned as
// "file:line: step N (verb): message". It is the one-line API for tests:
//
//	func TestMyDaemon(t *testing.T) { scenario.Run(t, "testdata/my-daemon.yaml") }
func Run(t testing.TB, path string) {
	t.Helper()
	RunWith(t, path, Options{})
}

// RunWith is [Run] with options, for example Update set from a test's
// -update flag.
func RunWith(t testing.TB, path string, opts Options) {
	t.Helper()
	res, err := RunFile(path, opts)
	if err != nil {
		t.Fatal(err)
		return
	}
	if res.Updated {
		t.Logf("%s: updated output: blocks", path)
	}
	for _, f := range res.Failures {
		t.Error(f.String())
	}
}
