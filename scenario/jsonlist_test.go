package scenario

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"
)

// asKubectlJSON returns the YAML document data as JSON indented as
// `kubectl get -o json` indents it.
func asKubectlJSON(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		tb.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(out, '\n')
}

// jsonListCases are Lists in JSON that probe the edges of decodeJSONList:
// some it takes, some it leaves to the decoder.
var jsonListCases = map[string]string{
	"plain":           `{"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}],"kind":"List","metadata":{"resourceVersion":""}}`,
	"typed list":      `{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"p"}}]}`,
	"typed list kind": `{"apiVersion":"v1","kind":"PodList","items":[{"kind":"Node","metadata":{"name":"n"}}]}`,
	"skipped kind":    `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}},{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}]}`,
	"escapes":         `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","annotations":{"a":"{\"x\":\"\u003cy\u003e\"}\n\t","b":"caf\u00e9 x\u007fy","c":"\u2028"}}}]}`,
	"slash escape":    `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"a":"x\/y"}}}]}`,
	"surrogates":      `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"a":"\ud83d\ude00"}}}]}`,
	"raw non-ASCII":   "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\",\"labels\":{\"a\":\"é\u2028\"}}}]}",
	"raw DEL":         "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\",\"labels\":{\"a\":\"\x7f\"}}}]}",
	"duplicate key":   `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","name":"m"}}]}`,
	"duplicate list":  `{"apiVersion":"v1","kind":"List","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}]}`,
	"escaped key":     `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"n\u0061me":"n"}}]}`,
	"float":           `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"terminationGracePeriodSeconds":1e1,"containers":[]}}]}`,
	"big int":         `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"volumes":[{"big":123456789012345678901,"neg":-0,"small":-12}],"containers":[]}}]}`,
	"wrong type":      `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":["b"]}}}]}`,
	"kind not string": `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":5,"metadata":{"name":"p"}}]}`,
	"no apiVersion":   `{"kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}]}`,
	"other key":       `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}],"extra":1}`,
	"empty items":     `{"apiVersion":"v1","kind":"List","items":[]}`,
	"scalar item":     `{"apiVersion":"v1","kind":"List","items":["x"]}`,
	"nested list":     `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"List","items":[]}]}`,
	"null and bools":  `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"a":null}},"spec":{"unschedulable":true,"taints":null}}]}`,
	"trailing text":   `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}]} x`,
	"control char":    "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\x01\"}}]}",
}

// resultDiff describes how got differs from want, in their objects, lines
// or skipped kinds, or returns "".
func resultDiff(t *testing.T, want, got *DecodeResult) string {
	t.Helper()
	if diff := cmp.Diff(renderObjects(t, want.Objects), renderObjects(t, got.Objects)); diff != "" {
		return "other objects:\n" + diff
	}
	if diff := cmp.Diff(want.Lines, got.Lines); diff != "" {
		return "other lines:\n" + diff
	}
	if diff := cmp.Diff(want.Skipped, got.Skipped, cmpopts.EquateEmpty()); diff != "" {
		return "other skipped kinds:\n" + diff
	}
	return ""
}

// checkJSONList demands that when decodeJSONList takes data, the decoder
// decodes data too, to the same objects, lines and skipped kinds.
func checkJSONList(t *testing.T, name string, data []byte) (taken bool) {
	t.Helper()
	fast, ok, err := decodeJSONList(data, name, nil)
	if err != nil {
		t.Fatalf("%s: the JSON fast path fails below MaxInputBytes: %v", name, err)
	}
	if !ok {
		return false
	}
	slow, err := DecodeWith(data, DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: MaxInputBytes})
	if err != nil {
		t.Fatalf("%s: the JSON fast path takes what the decoder refuses: %v", name, err)
	}
	if diff := resultDiff(t, slow, fast); diff != "" {
		t.Fatalf("%s: the JSON fast path decodes otherwise (-decoder +fast): %s", name, diff)
	}
	return true
}

// cliDumps returns the kubectl dumps of the CLI's tests (the YAML files
// named *dump*, and the generated one) by path.
func cliDumps(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("../testdata/cli/*dump*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no dumps: %v", err)
	}
	dumps := map[string][]byte{}
	for _, p := range append(paths, "../testdata/cli/generated.yaml") {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dumps[p] = data
	}
	return dumps
}

// TestDecodeJSONList checks the JSON fast path against the decoder on the
// CLI's kubectl dumps printed as JSON, compact and indented, and on the
// edge cases above; the dumps and the plain cases must take the fast path.
func TestDecodeJSONList(t *testing.T) {
	dumps := cliDumps(t)
	for _, p := range slices.Sorted(maps.Keys(dumps)) {
		data := dumps[p]
		js := asKubectlJSON(t, data)
		if !checkJSONList(t, p, js) {
			t.Errorf("%s as JSON: the fast path does not take it", p)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, js); err != nil {
			t.Fatal(err)
		}
		if !checkJSONList(t, p+" compact", compact.Bytes()) {
			t.Errorf("%s as compact JSON: the fast path does not take it", p)
		}
	}
	mustTake := map[string]bool{
		"plain": true, "typed list": true, "typed list kind": true, "skipped kind": true, "escapes": true,
		"raw non-ASCII": true, "null and bools": true, "escaped key": true,
		// An item the fast path leaves to the decoder, which takes it alone
		// (when the decoder refuses an item, the whole input goes to it, so
		// that it says what is wrong and where).
		"big int": true,
	}
	for name, in := range jsonListCases {
		if taken := checkJSONList(t, name, []byte(in)); taken != mustTake[name] {
			t.Errorf("%s: taken by the fast path = %v, want %v", name, taken, mustTake[name])
		}
	}
}

// FuzzJSONListMatchesDecoder checks that whatever the JSON fast path
// takes, the decoder decodes to the same objects.
func FuzzJSONListMatchesDecoder(f *testing.F) {
	for _, in := range jsonListCases {
		f.Add([]byte(in))
	}
	if data, err := os.ReadFile("../testdata/cli/kubectl-dump.yaml"); err == nil {
		f.Add(asKubectlJSON(f, data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if utf8.Valid(data) { // as decodeState asks of it
			checkJSONList(t, "f.json", data)
		}
	})
}

// TestListItemErrorPositioned checks the error of a List whose item the
// decoder refuses when the input is too big to decode whole (the limit is
// lowered here): it is the item's error, positioned in the input, the
// same as decoding the whole input gives — in YAML and in JSON.
func TestListItemErrorPositioned(t *testing.T) {
	const yamlList = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: n1
- apiVersion: v1
  kind: Node
  metadata:
    name: n2
    labels:
      a: [b]
- apiVersion: v1
  kind: Node
  metadata:
    name: n3
`
	for name, in := range map[string][]byte{"x.yaml": []byte(yamlList), "x.json": asKubectlJSON(t, []byte(yamlList))} {
		_, want := DecodeWith(in, DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: MaxInputBytes})
		if want == nil {
			t.Fatalf("%s: the decoder takes it", name)
		}
		func() {
			defer func(n int) { wholeInputLimit = n }(wholeInputLimit)
			wholeInputLimit = 0
			_, err := decodeState(in, name, nil)
			if err == nil || err.Error() != want.Error() {
				t.Errorf("%s: error %v, want the decoder's %v", name, err, want)
			}
		}()
	}
}
