package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scenario"
)

// LoadState reads a List laid out as kubectl prints it without building
// YAML trees, falling back to the YAML decoder for what its fast path
// does not take. These tests compare it with the decoder on the same
// bytes: "items: # …" is the same YAML, but turns the fast path off.

// slowVariant returns data with the fast path turned off and every line
// where it was.
func slowVariant(t *testing.T, data []byte) []byte {
	t.Helper()
	s := "\n" + string(data)
	i := strings.Index(s, "\nitems:\n")
	if i < 0 {
		i = strings.Index(s, "\nitems:\r\n")
	}
	if i < 0 {
		t.Fatal("no items: line")
	}
	return []byte((s[:i] + "\nitems: # decoded whole" + s[i+len("\nitems:"):])[1:])
}

// allObjects renders every stored object as JSON, one per line, by kind,
// namespace and name.
func allObjects(t *testing.T, env *scenario.Env) string {
	t.Helper()
	var b strings.Builder
	for _, k := range scenario.SupportedKinds {
		for o := range env.List(cluster.Kind(k), "") {
			js, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(string(js))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// compareWithDecoder loads data both ways and demands the same error, or
// the same objects and report. Errors are compared with the decoder's on
// the same bytes (YAML errors depend on where the reader's buffer ends).
func compareWithDecoder(t *testing.T, name string, data []byte) {
	t.Helper()
	_, decodeErr := scenario.DecodeWith(data, scenario.DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: scenario.MaxInputBytes})
	fastRep, fast, fastErr := scenario.LoadState(data, name, cluster.Config{})
	if decodeErr != nil {
		if fastErr == nil || fastErr.Error() != decodeErr.Error() {
			t.Errorf("%s: fast path error %v, decoder error %v", name, fastErr, decodeErr)
		}
		return
	}
	slowRep, slow, slowErr := scenario.LoadState(slowVariant(t, data), name, cluster.Config{})
	if fastErr != nil || slowErr != nil {
		if fastErr == nil || slowErr == nil || fastErr.Error() != slowErr.Error() {
			t.Errorf("%s: fast path error %v, decoder error %v", name, fastErr, slowErr)
		}
		return
	}
	if diff := cmp.Diff(slowRep, fastRep); diff != "" {
		t.Errorf("%s: report mismatch (-decoder +fast):\n%s", name, diff)
	}
	if diff := cmp.Diff(allObjects(t, slow), allObjects(t, fast)); diff != "" {
		t.Errorf("%s: objects mismatch (-decoder +fast):\n%s", name, diff)
	}
}

func TestFastPathMatchesDecoderOnFixtures(t *testing.T) {
	for _, f := range []string{"kubectl-dump.yaml", "tricky-dump.yaml", "generated.yaml"} {
		data, err := os.ReadFile(filepath.Join(cliDir, f))
		if err != nil {
			t.Fatal(err)
		}
		compareWithDecoder(t, f, data)
	}
	compareWithDecoder(t, "big.yaml", bigDump(t))
}

// TestFastPathMatchesDecoder compares the two on items written to probe
// the edges of the fast path's subset, errors included.
func TestFastPathMatchesDecoder(t *testing.T) {
	const pod = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n"
	const containers = "  spec:\n    containers:\n    - name: main\n      image: busybox\n"
	tests := []struct{ name, item string }{
		{"plain", pod + containers},
		{"duplicate key", pod + "    labels:\n      a: b\n      a: c\n" + containers},
		{"duplicate top-level key", pod + "  kind: Pod\n" + containers},
		{"slash escape", pod + "    labels:\n      a: \"x\\/y\"\n" + containers},
		{"hex escape", pod + "    labels:\n      a: \"\\x41\"\n" + containers},
		{"unicode escape", pod + "    labels:\n      a: \"caf\\u00e9\"\n" + containers},
		{"surrogate escape", pod + "    labels:\n      a: \"\\ud83d\\ude00\"\n" + containers},
		{"DEL and line separator", pod + "    labels:\n      a: \"x\x7fy\u2028z\"\n" + containers},
		{"kind not a string", "- apiVersion: v1\n  kind: 5\n  metadata:\n    name: p\n"},
		{"kind a block", "- apiVersion: v1\n  kind: |\n    Pod\n  metadata:\n    name: p\n"},
		{"kind empty", "- apiVersion: v1\n  kind:\n  metadata:\n    name: p\n"},
		{"no apiVersion", "- kind: Pod\n  metadata:\n    name: p\n"},
		{"unsupported version", "- apiVersion: v2\n  kind: Pod\n  metadata:\n    name: p\n"},
		{"skipped kind", "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n"},
		{"nested list", "- apiVersion: v1\n  kind: List\n  items: []\n"},
		{"scalar item", "- just a string\n"},
		{"int label", pod + "    labels:\n      a: 1\n" + containers},
		{"leading zero", pod + "  spec:\n    priority: 007\n    containers: []\n"},
		{"float for an int", pod + "  spec:\n    terminationGracePeriodSeconds: 1e3\n    containers: []\n"},
		{"negative", pod + "  spec:\n    priority: -5\n    containers: []\n"},
		{"big int", pod + "  spec:\n    volumes:\n    - big: 123456789012345678901\n      small: 12345678901234567\n    containers: []\n"},
		{"yes for a bool", pod + "  spec:\n    hostNetwork: yes\n    containers: []\n"},
		{"True", pod + "  spec:\n    hostNetwork: True\n    containers: []\n"},
		{"nulls", pod + "  spec:\n    nodeName: ~\n    schedulerName: null\n    hostname: NULL\n    subdomain:\n    containers: []\n"},
		{"timestamp string", pod + "    labels:\n      a: 2024-01-01\n" + containers},
		{"hex int", pod + "  spec:\n    volumes:\n    - x: 0x1F\n      y: .5\n      z: +3\n    containers: []\n"},
		{"folded plain", pod + "    annotations:\n      a: one\n        two\n" + containers},
		{"folded quoted", pod + "    annotations:\n      a: \"one\n        two\"\n" + containers},
		{"comment after value", pod + "    labels:\n      a: b # c\n" + containers},
		{"comment value", pod + "    labels:\n      a: # c\n" + containers},
		{"mapping in value", pod + "    labels:\n      a: b: c\n" + containers},
		{"unterminated quote", pod + "    labels:\n      a: 'b\n" + containers},
		{"single quotes", pod + "    labels:\n      a: 'it''s'\n" + containers},
		{"quoted keys", pod + "    labels:\n      \"a.b/c\": x\n      'd': y\n      \"e\\tf\": z\n" + containers},
		{"odd plain keys", pod + "    annotations:\n      on: x\n      123: y\n      a b: z\n      \"<<\": w\n" + containers},
		{"merge key", pod + "    labels: &l\n      a: b\n    annotations:\n      <<: *l\n" + containers},
		{"flow collections", pod + "    labels: {a: b}\n" + containers},
		{"empty flow", pod + "    labels: {}\n    finalizers: []\n" + containers},
		{"extra spaces after dash", pod + "  spec:\n    containers:\n    -   name: main\n        image: busybox\n"},
		{"indented sequence", pod + "  spec:\n    containers:\n      - name: main\n        image: busybox\n"},
		{"nested sequences", pod + "  spec:\n    volumes:\n    - - 1\n      - - 2\n    - []\n    containers: []\n"},
		{"lone dash", pod + "  spec:\n    volumes:\n    -\n      a: 1\n    containers: []\n"},
		{"dash value", pod + "    labels:\n      a: -\n" + containers},
		{"dash entry value", pod + "    labels:\n      a: - b\n" + containers},
		{"digit-initial strings", pod + "    annotations:\n      ip: 10.244.0.1\n      cidr: 10.244.0.0/24\n      kernel: 6.5.0-35-generic\n      duration: 30s\n      date: 2024-06-03T10:00:12Z\n      neg: -x\n      colon: :x\n" + containers},
		{"digit-initial numbers", pod + "  spec:\n    volumes:\n    - version: 1.30\n      under: 1_000\n      hex: 0x1F\n      oct: 0o17\n      bin: 0b101\n      exp: 1e3\n      dot: .5\n      inf: -.inf\n      plus: +5\n    containers: []\n"},
		{"number in a string field", pod + "    labels:\n      a: 1.30\n" + containers},
		{"tab indentation", pod + "    labels:\n\ta: b\n" + containers},
		{"tab in value", pod + "    labels:\n      a: b\tc\n" + containers},
		{"block scalars", pod + "    annotations:\n      a: |\n        one\n          two\n\n        three\n\n\n      b: |-\n        x\n      c: |\n      d: |+\n        kept\n\n      e: >\n        folded\n        text\n" + containers},
		{"block scalar over-indented blank", pod + "    annotations:\n      a: |\n        one\n           \n        two\n" + containers},
		{"block scalar leading blank", pod + "    annotations:\n      a: |\n\n        one\n" + containers},
		{"block scalar less indented", pod + "    annotations:\n      a: |\n          one\n        two\n" + containers},
		{"block scalar with indicator", pod + "    annotations:\n      a: |2\n          one\n" + containers},
		{"over-indented key", pod + "    labels:\n      a: b\n        c: d\n" + containers},
		{"value on the next line", pod + "    labels:\n      a:\n        b\n" + containers},
		{"sequence under scalar", pod + "    labels:\n      a: b\n    - c\n" + containers},
		{"anchors", pod + "    labels: &x\n      a: b\n    annotations: *x\n" + containers},
		{"tag", pod + "    labels:\n      a: !!str 5\n" + containers},
		{"trailing spaces", pod + "    labels:   \n      a: b   \n      c: \"d\"   \n" + containers},
		{"crlf", strings.ReplaceAll(pod+"    labels:\n      a: b\n"+containers, "\n", "\r\n")},
		{"deep", pod + "  spec:\n    volumes:\n" + strings.Repeat("    - ", 1) + strings.Repeat("a:\n", 1) + "    containers: []\n"},
		{"question mark key", pod + "    labels:\n      ? a\n      : b\n" + containers},
		{"document marker", pod + "---\n" + containers},
		{"quoted value then text", pod + "    labels:\n      a: \"b\" c\n" + containers},
		{"empty key", pod + "    labels:\n      \"\": b\n" + containers},
		{"invalid utf8", pod + "    labels:\n      a: \"\xff\"\n" + containers},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := "apiVersion: v1\nitems:\n" + tc.item + "kind: List\nmetadata:\n  resourceVersion: \"\"\n"
			compareWithDecoder(t, tc.name, []byte(data))
		})
	}
}

// TestFastPathMatchesDecoderOnLists varies the List around the items.
func TestFastPathMatchesDecoderOnLists(t *testing.T) {
	const node = "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n\n"
	const pod = "- metadata:\n    name: p\n  spec:\n    containers: []\n"
	tests := []struct{ name, doc string }{
		{"header after items", "items:\n" + node + "apiVersion: v1\nkind: List\n"},
		{"comments and blank lines", "# a dump\napiVersion: v1\n\nitems:\n# first\n" + node + "\n# end\n" + node[:len(node)-2] + "m\nkind: List\n"},
		{"typed list", "apiVersion: v1\nitems:\n" + pod + "kind: PodList\n"},
		{"typed list of a skipped kind", "apiVersion: v1\nitems:\n- metadata:\n    name: c\nkind: ConfigMapList\n"},
		{"not a list", "apiVersion: v1\nitems:\n" + node + "kind: Node\nmetadata:\n  name: x\n"},
		{"duplicate items", "apiVersion: v1\nitems:\n" + node + "items:\n" + node + "kind: List\n"},
		{"sequence after the items", "apiVersion: v1\nitems:\n" + node + "kind: List\nfinalizers:\n- x\n"},
		{"indented header line first", "  apiVersion: v1\nitems:\n" + node + "kind: List\n"},
		{"nested header", "apiVersion: v1\nitems:\n" + node + "kind: List\nmetadata:\n  resourceVersion: \"\"\n  selfLink: x\n"},
		{"second document", "apiVersion: v1\nitems:\n" + node + "kind: List\n---\n" + node[2:]},
		{"lone carriage return", "apiVersion: v1\nitems:\n" + node[:len(node)-1] + "\r  labels: {a: b}\nkind: List\n"},
		{"line separator", "apiVersion: v1\nitems:\n" + node + "  # \u2028\nkind: List\n"},
		{"flow collection across items", "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: n,\n- labels: 1}\nkind: List\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			compareWithDecoder(t, tc.name, []byte(tc.doc))
		})
	}
}

// FuzzFastPathMatchesDecoder compares the fast path with the decoder on
// arbitrary item texts (run with go test -fuzz to explore; the seeds run
// as a unit test).
func FuzzFastPathMatchesDecoder(f *testing.F) {
	f.Add("- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n    labels:\n      a: \"b\"\n  spec:\n    containers:\n    - name: main\n      image: x\n")
	f.Add("- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n\n    annotations:\n      a: |\n        x\n\n      b: 10.0.0.1\n")
	f.Add("- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    volumes:\n    - - 1\n      - 'a'''\n    containers: []\n")
	f.Fuzz(func(t *testing.T, item string) {
		if !strings.HasPrefix(item, "- ") || strings.Contains(item, "\nitems:") || strings.Contains(item, "\n- ") {
			return
		}
		if !strings.HasSuffix(item, "\n") {
			item += "\n"
		}
		compareWithDecoder(t, "fuzz", []byte("apiVersion: v1\nitems:\n"+item+"kind: List\n"))
	})
}

// FuzzFastPathMatchesDecoderOnLists compares the two on arbitrary
// documents that hold an "items:" line.
func FuzzFastPathMatchesDecoderOnLists(f *testing.F) {
	f.Add("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n\nkind: List\n")
	f.Add("items:\n- metadata:\n    name: p\n  spec:\n    containers: []\napiVersion: v1\nkind: PodList\nmetadata:\n  resourceVersion: \"\"\n")
	f.Fuzz(func(t *testing.T, doc string) {
		if !strings.Contains("\n"+doc, "\nitems:\n") {
			return
		}
		compareWithDecoder(t, "fuzz", []byte(doc))
	})
}
