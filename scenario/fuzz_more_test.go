package scenario

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/internal/verify"
)

// Fuzz targets beyond FuzzParse and FuzzDecode (fuzz_test.go). Their seed
// corpora are in testdata/fuzz/<target>/, built from testdata/bad and the
// scenario files; `go test` runs the seeds as ordinary tests, and .ci/fuzz
// runs each target for a few seconds. Longer runs, for maintainers:
//
//	go test ./scenario -run '^$' -fuzz '^FuzzParseChange$' -fuzztime 10m

// positioned matches the text of a positioned [*Error]: "f.yaml:line: …",
// or "f.yaml: …" when the line is not known (yaml.v3 reports some
// syntax errors without one).
var positioned = regexp.MustCompile(`^f\.yaml:(\d+:)? \S`)

// checkPositioned fails t unless err is an *Error whose text is
// positioned and carries no formatting debris.
func checkPositioned(t *testing.T, what string, err error, input string) {
	t.Helper()
	if _, ok := err.(*Error); !ok {
		t.Fatalf("%s error is a %T, want *Error: %v", what, err, err)
	}
	msg := err.Error()
	if !positioned.MatchString(msg) {
		t.Fatalf("%s error %q is not positioned", what, msg)
	}
	checkNoDebris(t, what, msg, input)
}

// fmtDebris matches fmt's marks of a bad format: "%!v(int=1)",
// "%!d(MISSING)", "%!s(<nil>)", "%!(EXTRA string=x)", "%!(NOVERB)" and the
// like.
var fmtDebris = regexp.MustCompile(`%!([a-zA-Z]\((MISSING|<nil>|[^=()]*=)|\((EXTRA |NOVERB|BADWIDTH|BADPREC|BADINDEX))`)

// checkNoDebris fails t if msg holds fmt's marks of a bad format. An input
// that itself contains "%!", once its quotes and backslashes are taken out
// (`%""!(` is the word "%!("), may be echoed any number of times, so the
// property cannot be judged and is skipped.
func checkNoDebris(t *testing.T, what, msg, input string) {
	t.Helper()
	if strings.Contains(unquoted.Replace(input), "%!") {
		return
	}
	if fmtDebris.MatchString(msg) {
		t.Fatalf("%s error %q has formatting debris", what, msg)
	}
}

var unquoted = strings.NewReplacer(`"`, "", "'", "", `\`, "")

// fuzzEnvManifests is the cluster the change fuzzer works on: three nodes,
// a DaemonSet on the ssd nodes, a bare pod.
const fuzzEnvManifests = whatifManifests + `- apiVersion: v1
  kind: Pod
  metadata: {name: bare, labels: {app: bare}}
  spec: {nodeName: n3, terminationGracePeriodSeconds: 0, containers: [{name: main, image: bare:1}]}
`

// FuzzParseChange checks that ParseChange returns a change or an error,
// never both or neither and never a panic, and that a change it accepts
// runs through Impact without panicking and without changing the cluster
// it analyses.
func FuzzParseChange(f *testing.F) {
	for _, s := range []string{
		"label node/n1 disk=ssd", "label nodes -l zone=a disk=ssd gpu-", "label nodes n3 disk=ssd",
		"taint nodes n1 dedicated=gpu:NoSchedule", "taint node/n2 dedicated:NoExecute-", "taint n1 k-",
		"cordon n1", "uncordon node/n2", "delete node/n2", "delete ds/ssd --cascade=orphan",
		"delete pods -l app=ssd -n default", "delete pod bare --cascade=foreground", "label ds ssd -n kube-system a=b",
		"", "-n", "label", "delete --cascade=false ds/ssd", "taint nodes -l", "label Pod/default/bare x=y",
	} {
		f.Add(s)
	}
	env := MustNewCluster(cluster.Config{})
	if err := env.ApplyYAML(fuzzEnvManifests); err != nil {
		f.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, change string) {
		do, err := ParseChange(change)
		if (do == nil) == (err == nil) {
			t.Fatalf("ParseChange(%q) = (%v, %v): want exactly one of a change and an error", change, do != nil, err)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseChange(%q) returned an empty error", change)
			}
			checkNoDebris(t, "ParseChange", err.Error(), change)
			return
		}
		e := env.Fork()
		before := e.Fork()
		seq := e.LastSeq()
		rep, err := Impact(e, do)
		if err == nil && (rep == nil || rep.String() == "") {
			t.Fatalf("Impact(%q) returned no report and no error", change)
		}
		if d := cluster.Diff(before.Cluster, e.Cluster); len(d) > 0 {
			t.Fatalf("Impact(%q) changed %d objects of the analysed cluster, first %s", change, len(d), d[0].Ref)
		}
		if e.LastSeq() != seq || e.Pending() != before.Pending() || e.Elapsed() != before.Elapsed() {
			t.Fatalf("Impact(%q) changed the analysed cluster's log, queue or clock", change)
		}
	})
}

// FuzzDecodeLenient checks decoding beyond "no panic": errors are
// positioned *Errors, named input names the file, and lenient decoding
// accepts everything strict decoding accepts, with the same objects and
// nothing skipped.
func FuzzDecodeLenient(f *testing.F) {
	f.Add([]byte(renderManifests))
	f.Add([]byte(whatifManifests))
	f.Add([]byte(fuzzEnvManifests))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		strict, errS := Decode(data)
		lenient, errL := DecodeLenient(data)
		for _, err := range []error{errS, errL} {
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error is a %T, want *Error: %v", err, err)
				}
				checkNoDebris(t, "Decode", err.Error(), string(data))
			}
		}
		if errL == nil {
			for _, o := range lenient.Objects {
				if tm := typeMeta(o); tm != nil && (tm.Kind == "" || tm.APIVersion == "") {
					t.Fatalf("lenient decoding left %s without kind or apiVersion", cluster.RefOf(o))
				}
			}
			for k, n := range lenient.Skipped {
				if n <= 0 || k == "" {
					t.Fatalf("lenient decoding skipped %d of kind %q", n, k)
				}
			}
		}
		if errS != nil {
			// The named form carries the same message, positioned by name.
			_, errN := DecodeWith(data, DecodeOptions{Name: "f.yaml"})
			want := "f.yaml: " + errS.Error()
			if rest, ok := strings.CutPrefix(errS.Error(), "line "); ok {
				want = "f.yaml:" + rest
			}
			if errN == nil || errN.Error() != want {
				t.Fatalf("DecodeWith(Name: f.yaml) error = %v, want %q", errN, want)
			}
			return
		}
		if errL != nil {
			t.Fatalf("lenient decoding failed where strict decoding succeeded: %v", errL)
		}
		if len(lenient.Skipped) != 0 {
			t.Fatalf("lenient decoding skipped %v where strict decoding kept everything", lenient.Skipped)
		}
		if diff := cmp.Diff(renderObjects(t, strict), renderObjects(t, lenient.Objects)); diff != "" {
			t.Fatalf("strict and lenient objects differ (-strict +lenient):\n%s", diff)
		}
	})
}

// renderObjects renders objects as JSON, one string each.
func renderObjects(t *testing.T, objs []cluster.Object) []string {
	t.Helper()
	out := make([]string, len(objs))
	for i, o := range objs {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("marshal %s: %v", cluster.RefOf(o), err)
		}
		out[i] = string(b)
	}
	return out
}

// Bounds on the scenario files FuzzRunFile runs, so that an input cannot
// ask for unbounded work (advancing a crash-looping pod by years, say).
const (
	fuzzMaxSteps   = 30
	fuzzMaxAdvance = 10 * time.Minute
)

// FuzzRunFile runs any scenario file that parses (within small bounds on
// steps and virtual time) twice and demands that no step panics (the
// runner turns a panic into an "internal error" failure) and that both
// runs print the same outputs and logs. The second run checks that no
// controller modifies stored objects in place (Config.CheckImmutable).
func FuzzRunFile(f *testing.F) {
	verify.DaemonSetSummaries = true // the inputs run one after the other
	defer func() { verify.DaemonSetSummaries = false }()
	paths, _ := filepath.Glob("../testdata/scenario-selftest/*.yaml")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("steps:\n- apply: {apiVersion: v1, kind: Node, metadata: {name: a}}\n- settle:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.yaml", data)
		if err != nil {
			checkPositioned(t, "Parse", err, string(data))
			return
		}
		if len(file.Steps) > fuzzMaxSteps {
			return
		}
		var total time.Duration
		for _, s := range file.Steps {
			if s.Verb != "advance" {
				continue
			}
			d, err := time.ParseDuration(resolveAlias(mapValue(s.node, "advance")).Value)
			if err != nil || d < 0 {
				continue // fails when it runs
			}
			if total += d; total > fuzzMaxAdvance {
				return
			}
		}
		opts := Options{Update: true, Configure: func(c *cluster.Config) { c.MaxSettleSteps = 20000 }}
		first := runData("f.yaml", data, opts)
		opts.Configure = func(c *cluster.Config) { c.MaxSettleSteps = 20000; c.CheckImmutable = true }
		second := runData("f.yaml", data, opts)
		for _, fl := range append(first.Failures, second.Failures...) {
			if strings.Contains(fl.Err.Msg, "internal error") {
				t.Fatalf("%s", fl)
			}
		}
		if diff := cmp.Diff(first.Transcript(), second.Transcript()); diff != "" {
			t.Fatalf("two runs printed different outputs (-first +second):\n%s", diff)
		}
		if diff := cmp.Diff(logLines(first), logLines(second)); diff != "" {
			t.Fatalf("two runs logged differently (-first +second):\n%s", diff)
		}
	})
}

// addDumpSeeds adds the kubectl dumps of testdata/cli and the dumps of
// testdata/bad (those under 64 KiB) to f's seeds.
func addDumpSeeds(f *testing.F) {
	for _, pattern := range []string{"../testdata/cli/*.yaml", "../testdata/bad/dump-*"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
}

// FuzzLoadState checks the state loader: any input loads or fails with a
// message positioned by the input's name, never a panic; a state that
// loads holds exactly the objects the report counts, and the standard
// controllers can settle it and run a minute on it without panicking or
// modifying stored objects in place. Its seeds are the kubectl dumps of
// testdata/cli and the dumps of testdata/bad.
func FuzzLoadState(f *testing.F) {
	verify.DaemonSetSummaries = true // the inputs run one after the other
	defer func() { verify.DaemonSetSummaries = false }()
	addDumpSeeds(f)
	f.Add([]byte(fuzzEnvManifests))
	f.Fuzz(func(t *testing.T, data []byte) {
		// CheckImmutable hashes every object after every step, so the
		// steps are bounded low: a state whose controllers churn without
		// end grows the cluster at every step, and 20,000 steps of it took
		// minutes (the fuzzer found one: a DaemonSet whose selector did
		// not select its template, which LoadState now refuses). The
		// seeds settle in fewer than 100.
		rep, env, err := LoadState(data, "f.yaml", cluster.Config{CheckImmutable: true, MaxSettleSteps: 200})
		if err != nil {
			if rep != nil || env != nil {
				t.Fatalf("LoadState returned a state with its error %v", err)
			}
			if !positioned.MatchString(err.Error()) {
				t.Fatalf("LoadState error %q is not positioned", err)
			}
			checkNoDebris(t, "LoadState", err.Error(), string(data))
			return
		}
		for kind, n := range rep.Loaded {
			k := cluster.Kind(kind)
			if k == cluster.KindNamespace {
				continue // the default namespaces exist besides the loaded ones
			}
			got := 0
			for range env.List(k, "") {
				got++
			}
			if got != n {
				t.Fatalf("report says %d %s loaded, the cluster holds %d", n, kind, got)
			}
		}
		_ = env.Settle()
		_ = env.Advance(time.Minute)
	})
}

// FuzzDecodeState checks the state decoder's fast path for kubectl Lists
// against yaml.v3: when both decode an input, they give the same objects
// and skip the same kinds. (Where one of them fails, FuzzLoadState covers
// the error.) Its seeds are those of FuzzLoadState and a List whose items
// carry managedFields, a field no type has, which the fast path skips.
func FuzzDecodeState(f *testing.F) {
	addDumpSeeds(f)
	f.Add([]byte(managedFieldsList))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, errF := decodeState(data, "f.yaml", nil)
		slow, errS := DecodeWith(data, DecodeOptions{Name: "f.yaml", Lenient: true, MaxDocumentBytes: MaxInputBytes})
		if errF != nil || errS != nil {
			return
		}
		if diff := cmp.Diff(renderObjects(t, slow.Objects), renderObjects(t, fast.Objects)); diff != "" {
			t.Fatalf("the fast path decodes other objects than yaml.v3 (-yaml.v3 +fast):\n%s", diff)
		}
		if diff := cmp.Diff(slow.Skipped, fast.Skipped, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("the fast path skips other kinds than yaml.v3 (-yaml.v3 +fast):\n%s", diff)
		}
	})
}

// managedFieldsList is a List as kubectl printed it before 1.21, with
// managedFields in every item's metadata (and a "managedFields" key in
// annotations, which is kept).
const managedFieldsList = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: n1
    labels:
      zone: a
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:metadata:
          f:labels:
            ".": {}
            f:zone: {}
      manager: kubectl
      operation: Update
      time: "2024-03-03T12:00:00Z"
    annotations:
      managedFields: "kept"
  spec:
    podCIDR: 10.64.0.0/24
- apiVersion: v1
  kind: Pod
  metadata:
    managedFields: []
    name: p
    namespace: default
  spec:
    nodeName: n1
    containers:
    - name: main
      image: busybox:1
`

// TestFmtDebris checks the fuzzers' debris check against what fmt writes
// for bad formats, and against an input echoed back.
func TestFmtDebris(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
	}{
		{"%d", []any{"s"}}, {"x", []any{1}}, {"%s", []any{nil}}, {"%d %d", []any{1}}, {"%", []any{1}},
	} {
		if msg := fmt.Sprintf(c.format, c.args...); !fmtDebris.MatchString(msg) {
			t.Errorf("fmtDebris does not match fmt's %q", msg)
		}
	}
	if msg := `"%!(": want an object`; fmtDebris.MatchString(msg) {
		t.Errorf("fmtDebris matches the echoed input %q", msg)
	}
}
