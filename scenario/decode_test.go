package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// aliasBomb is a "billion laughs" document: each level multiplies the
// expansion by nine.
const aliasBomb = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
apiVersion: v1
kind: Node
metadata: {name: bomb}
`

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"unknown-field", "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  labls: {}\n",
			`line 5: Node: unknown field "metadata.labls"`},
		{"field-names-are-case-sensitive", "apiVersion: v1\nkind: Node\nmetadata:\n  Name: a\n",
			`line 4: Node: unknown field "metadata.Name"`},
		{"unknown-nested-field", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        imag: x\n",
			`line 9: DaemonSet: unknown field "spec.template.spec.containers[0].imag"`},
		{"wrong-type-list", "apiVersion: v1\nkind: Node\nmetadata:\n  name: [a]\n",
			"line 4: Node: metadata.name: want a string, got a list"},
		{"wrong-type-number", "apiVersion: v1\nkind: Node\nmetadata: {name: 1.5}\n",
			"line 3: Node: metadata.name: want a string, got a number"},
		{"wrong-type-bool", "apiVersion: v1\nkind: Node\nmetadata: {name: a}\nspec: {unschedulable: \"yes\"}\n",
			"line 4: Node: spec.unschedulable: want a boolean, got a string"},
		{"label-value-must-be-a-string", "apiVersion: v1\nkind: Node\nmetadata: {name: a, labels: {rack: 7}}\n",
			"line 3: Node: metadata.labels[rack]: want a string, got a number"},
		{"int-overflow", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {priority: 99999999999}\n",
			"line 4: Pod: spec.priority: 99999999999 does not fit in int32"},
		{"bad-quantity", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: x\n    resources: {requests: {cpu: 1x}}\n",
			"line 7: Pod: spec.containers[0].resources.requests[cpu]: unable to parse quantity's suffix"},
		{"bad-timestamp", "apiVersion: v1\nkind: Pod\nmetadata: {name: a, creationTimestamp: yesterday}\n",
			`line 3: Pod: metadata.creationTimestamp: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{"unknown-kind", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n",
			`line 2: unsupported kind "Deployment" (supported: ControllerRevision, DaemonSet, Endpoints, List, Namespace, Node, Pod, ReplicaSet, ReplicationController, Service)`},
		{"unknown-version", "apiVersion: apps/v2\nkind: DaemonSet\nmetadata:\n  name: a\n",
			`line 2: no matches for kind "DaemonSet" in version "apps/v2"`},
		{"core-kind-in-apps", "kind: Node\napiVersion: apps/v1\n",
			`line 1: no matches for kind "Node" in version "apps/v1"`},
		{"no-api-version", "kind: Pod\n", "line 1: apiVersion not set"},
		{"no-kind", "apiVersion: v1\n", "line 1: kind not set"},
		{"not-a-mapping", "- a\n", "line 1: a manifest must be a mapping, not a list"},
		{"duplicate-key", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
			`line 5: yaml: mapping key "name" already defined at line 4`},
		{"syntax", "apiVersion: v1\nkind: [\n", "line 2: yaml: did not find expected node content"},
		{"unknown-kind-in-list", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n",
			`line 5: unsupported kind "ConfigMap" (supported: ControllerRevision, DaemonSet, Endpoints, List, Namespace, Node, Pod, ReplicaSet, ReplicationController, Service)`},
		{"list-in-list", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List}\n",
			"line 4: a list item cannot be a list (List)"},
		{"unknown-list-field", "apiVersion: v1\nkind: List\nitemz: []\n", `line 3: List: unknown field "itemz"`},
		{"alias-bomb", aliasBomb, "line 1: yaml: aliases expand to more than 10000 nodes"},
		{"alias-cycle", "a: &a [*a]\napiVersion: v1\nkind: Node\n", "line 1: yaml: nesting deeper than 200 levels"},
		{"infinity", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {priority: .inf}\n", "line 4: yaml: .inf is not a JSON number"},
		{"custom-tag", "apiVersion: v1\nkind: Node\nmetadata: {name: !secret a}\n", "line 3: yaml: unsupported tag !secret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := Decode([]byte(tc.in))
			if err == nil {
				t.Fatalf("Decode(%q) = %d objects, want error %q", tc.in, len(objs), tc.wantErr)
			}
			if err.Error() != tc.wantErr {
				t.Errorf("Decode(%q) error = %q, want %q", tc.in, err, tc.wantErr)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("Decode(%q) error is a %T, want *scenario.Error", tc.in, err)
			}
		})
	}
}

func TestDecodeWithNameAndSize(t *testing.T) {
	_, err := DecodeWith([]byte("apiVersion: v1\nkind: Node\nmetadata: {nam: a}\n"), DecodeOptions{Name: "state.yaml"})
	if want := `state.yaml:3: Node: unknown field "metadata.nam"`; err == nil || err.Error() != want {
		t.Errorf("DecodeWith error = %v, want %q", err, want)
	}
	big := "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  annotations:\n    x: " + strings.Repeat("y", 200) + "\n"
	_, err = DecodeWith([]byte("---\n"+big+"---\n"+big), DecodeOptions{Name: "big.yaml", MaxDocumentBytes: 100})
	if want := "big.yaml:2: document is 273 bytes, more than the limit of 100"; err == nil || err.Error() != want {
		t.Errorf("DecodeWith error = %v, want %q", err, want)
	}
}

func TestDecode(t *testing.T) {
	in := `# two documents and a list
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {disk: ssd}
status:
  allocatable: {cpu: "2", memory: 4Gi}
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: fluentd, namespace: kube-system}
  spec:
    selector: {matchLabels: {app: fluentd}}
    updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}
    template:
      metadata: {labels: {app: fluentd}}
      spec:
        containers: [{name: main, image: "fluentd:1", env: [{name: A, value: "1"}]}]
        tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 0x10}]
---
---
{"apiVersion": "v1", "kind": "PodList", "items": [{"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}}]}
`
	objs, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objs {
		got = append(got, cluster.RefOf(o).String())
	}
	want := []string{"Node/node-a", "DaemonSet/kube-system/fluentd", "Pod/p"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Decode refs mismatch (-want +got):\n%s", diff)
	}
	n := objs[0].(*cluster.Node)
	if n.Labels["disk"] != "ssd" || n.Status.Allocatable["memory"].String() != "4Gi" || n.Kind != "Node" || n.APIVersion != "v1" {
		t.Errorf("node decoded as %+v", n)
	}
	ds := objs[1].(*daemonset.DaemonSet)
	if mu := ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable; mu == nil || mu.String() != "10%" {
		t.Errorf("maxUnavailable = %v, want 10%%", mu)
	}
	if ts := ds.Spec.Template.Spec.Tolerations[0].TolerationSeconds; ts == nil || *ts != 16 {
		t.Errorf("tolerationSeconds = %v, want 16 (YAML hex 0x10)", ts)
	}
	if env := string(ds.Spec.Template.Spec.Containers[0].Env); env != `[{"name":"A","value":"1"}]` {
		t.Errorf("env = %s, want it carried as JSON", env)
	}
	p := objs[2].(*cluster.Pod)
	if p.Kind != "Pod" || p.APIVersion != "v1" {
		t.Errorf("PodList item type = %s %s, want v1 Pod", p.APIVersion, p.Kind)
	}
}

func TestDecodeAliasesAndMerge(t *testing.T) {
	in := `apiVersion: v1
kind: List
items:
- &node {apiVersion: v1, kind: Node, metadata: {name: a, labels: &labels {zone: z1}}}
- <<: *node
  metadata: {name: b, labels: *labels}
`
	objs, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("Decode = %d objects, want 2", len(objs))
	}
	b := objs[1].(*cluster.Node)
	if b.Name != "b" || b.Labels["zone"] != "z1" {
		t.Errorf("merged node = %s %v, want b with zone=z1", b.Name, b.Labels)
	}
}

func TestDecodeLenient(t *testing.T) {
	in := `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: n1
    managedFields: [{manager: kubelet}]
  status:
    nodeInfo: {kubeletVersion: v1.37.2}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: s1}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: s2}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}
metadata: {resourceVersion: ""}
`
	res, err := DecodeLenient([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Objects) != 1 || res.Objects[0].Meta().Name != "n1" {
		t.Errorf("DecodeLenient objects = %v, want node n1", res.Objects)
	}
	if diff := cmp.Diff(map[string]int{"ConfigMap": 2, "Deployment": 1}, res.Skipped); diff != "" {
		t.Errorf("DecodeLenient skipped mismatch (-want +got):\n%s", diff)
	}
	if _, err := Decode([]byte(in)); err == nil || err.Error() != `line 8: Node: unknown field "metadata.managedFields"` {
		t.Errorf("Decode error = %v, want the unknown field managedFields", err)
	}
	// Wrong types are errors in lenient mode too.
	if _, err := DecodeLenient([]byte("apiVersion: v1\nkind: Node\nmetadata: {name: [x]}\n")); err == nil {
		t.Error("DecodeLenient accepted a list as a name")
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, in := range []string{"", "---\n", "# just a comment\n", "---\n---\n"} {
		objs, err := Decode([]byte(in))
		if err != nil || len(objs) != 0 {
			t.Errorf("Decode(%q) = %v, %v; want nothing", in, objs, err)
		}
	}
}

// TestDocumentSizePrecheck checks that measuring documents from the text,
// before parsing, agrees with measuring the parsed documents: every
// scenario and manifest file under testdata passes with the bound set to
// its largest document and fails one byte below it, with the same message
// from the text as from the parsed documents.
func TestDocumentSizePrecheck(t *testing.T) {
	files, err := filepath.Glob("../testdata/*/*.yaml")
	if err != nil || len(files) < 50 {
		t.Fatalf("glob: %d files, %v", len(files), err)
	}
	inputs := map[string][]byte{
		"markers": []byte("# lead\n---\na: 1\n...\n# between\nb: 2\n--- # c\n\nc: [1,\n  2]\n---\n"),
		"inline":  []byte("--- {a: 1}\n--- |\n  text\n  more\n---\nd: 4\n"),
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = data
	}
	checked := 0
	for name, data := range inputs {
		if _, err := parseDocuments(name, data, len(data)); err != nil {
			continue // not YAML: testdata/bad
		}
		// The smallest bound that accepts data is its largest document.
		size := sort.Search(len(data), func(n int) bool {
			_, err := parseDocuments(name, data, n+1)
			return err == nil
		}) + 1
		if size < 2 {
			continue
		}
		checked++
		if err := precheckDocuments(name, data, lineOffsets(data), size); err != nil {
			t.Errorf("%s: precheck refuses bound %d, which parsing accepts: %v", name, size, err)
		}
		pre := precheckDocuments(name, data, lineOffsets(data), size-1)
		_, post := parseDocuments(name, data, size-1)
		switch {
		case post == nil:
			t.Errorf("%s: bound %d accepted, want it refused", name, size-1)
		case pre == nil:
			t.Errorf("%s: precheck accepts bound %d, want %v", name, size-1, post)
		case pre.Error() != post.Error():
			t.Errorf("%s: precheck error %q, parse error %q", name, pre, post)
		}
	}
	if checked < 50 {
		t.Errorf("checked %d inputs, want at least 50", checked)
	}
}

// TestDecodeJSONStream checks that JSON objects one after the other, as
// jq -c prints them, decode as documents, with their own lines.
func TestDecodeJSONStream(t *testing.T) {
	data := []byte(`{"apiVersion":"v1","kind":"Node","metadata":{"name":"a","labels":{"note":"}{ \\\" ]"}}}
{"apiVersion":"v1","kind":"Node",
  "metadata":{"name":"b"}}  {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns"}}
`)
	res, err := DecodeWith(data, DecodeOptions{Name: "s.json"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range res.Objects {
		got = append(got, cluster.RefOf(o).String())
	}
	if want := []string{"Node/a", "Node/b", "Namespace/ns"}; !slices.Equal(got, want) {
		t.Errorf("objects = %v, want %v", got, want)
	}
	if l := res.Objects[0].Meta().Labels["note"]; l != `}{ \" ]` {
		t.Errorf("label note = %q, want the string with braces and an escaped quote", l)
	}
	for _, tc := range []struct{ in, want string }{
		{"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\"}}\n{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":7}}\n", "s.json:2: Node: metadata.name: want a string, got a number"},
		{"{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"}}\n{\"apiVersion\":\"v1\",\n\"kind\":\"Node\",\"metadata\":{\"name\":\"b\"},\"spec\":{\"bogus\":1}}\n", `s.json:3: Node: unknown field "spec.bogus"`},
	} {
		_, err := DecodeWith([]byte(tc.in), DecodeOptions{Name: "s.json"})
		if err == nil || err.Error() != tc.want {
			t.Errorf("DecodeWith(%q) error = %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestLoadStateNamesTheLineOfARejectedObject checks the line of an object
// that Load refuses, for each way a state is decoded: a kubectl List
// (fast path), a List item the fast path leaves to yaml.v3 (an anchor),
// and YAML documents.
func TestLoadStateNamesTheLineOfARejectedObject(t *testing.T) {
	const pod = "  kind: Pod\n  metadata: {name: web, namespace: default}\n  spec: {containers: [{name: main, image: x}]}\n"
	for _, tc := range []struct{ name, data, want string }{
		{"list", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n" + pod + "- apiVersion: v1\n" + pod,
			`s.yaml:8: pods "web" already exists`},
		{"list-slow-item", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n" + pod + "- apiVersion: &v v1\n" + pod,
			`s.yaml:8: pods "web" already exists`},
		{"documents", "apiVersion: v1\n" + strings.ReplaceAll(pod, "\n  ", "\n")[2:] + "---\napiVersion: v1\n" + strings.ReplaceAll(pod, "\n  ", "\n")[2:],
			`s.yaml:6: pods "web" already exists`},
	} {
		_, _, err := LoadState([]byte(tc.data), "s.yaml", cluster.Config{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: LoadState error = %v, want %q\n%s", tc.name, err, tc.want, tc.data)
		}
	}
}

// TestLoadStateRefusesAnUnselectableDaemonSet checks that a DaemonSet the
// API server could not have stored because of its selector — one that does
// not select the template, an empty one — is refused with the API
// server's error at its line, and that a legacy DaemonSet without a
// selector, which the API server defaulted from the template, loads.
func TestLoadStateRefusesAnUnselectableDaemonSet(t *testing.T) {
	const node = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\n"
	ds := func(apiVersion, selector string) string {
		return "apiVersion: " + apiVersion + "\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n" + selector +
			"  template:\n    metadata: {labels: {app: d}}\n    spec: {containers: [{name: main, image: x}]}\n"
	}
	for _, tc := range []struct{ name, data, want string }{
		{"mismatch", node + ds("apps/v1", "  selector: {matchLabels: {app: other}}\n"),
			"s.yaml:5: DaemonSet.apps \"d\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"d\"}: `selector` does not match template `labels`"},
		{"empty", node + ds("apps/v1", "  selector: {}\n"),
			"s.yaml:5: DaemonSet.apps \"d\" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for daemonset"},
		{"legacy default", node + ds("extensions/v1beta1", ""), ""},
		{"matching", node + ds("apps/v1", "  selector: {matchLabels: {app: d}}\n"), ""},
	} {
		cfg := cluster.Config{}
		if strings.HasPrefix(tc.name, "legacy") {
			cfg.Profile = cluster.Legacy
		}
		_, _, err := LoadState([]byte(tc.data), "s.yaml", cfg)
		if got := fmt.Sprint(err); (err != nil || tc.want != "") && got != tc.want {
			t.Errorf("%s: LoadState error = %v, want %q", tc.name, err, tc.want)
		}
	}
}
