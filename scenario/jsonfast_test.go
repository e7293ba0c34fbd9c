package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// fastTargets are the types FuzzFastUnmarshal decodes into.
var fastTargets = []func() any{
	func() any { return new(cluster.Pod) },
	func() any { return new(cluster.Node) },
	func() any { return new(daemonset.DaemonSet) },
	func() any { return new(cluster.Service) },
	func() any { return new(map[string]string) },
}

// TestFastUnmarshal checks fastUnmarshal on JSON as the fast path writes
// it: the same objects as json.Unmarshal, and errFastJSON (never another
// result) for what it leaves to json.Unmarshal.
func TestFastUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		target int
		in     string
		leave  bool // fastUnmarshal must return errFastJSON
	}{
		{target: 0, in: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"d","uid":"u","controller":true}],"managedFields":[{"x":[1,{"y":null}]}]},"spec":{"nodeName":"n","containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"100m","memory":"16Mi"}},"ports":[{"containerPort":80}]}],"terminationGracePeriodSeconds":30,"tolerations":[],"affinity":null},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-03-13T17:00:17Z"}],"startTime":"2024-03-13T17:00:10Z"}}`},
		{target: 0, in: `{"Metadata":{"NAME":"folded","namespace":"d\u00e9f\n"},"spec":{"volumes":[{"name":"v","hostPath":{"path":"/x"}}],"securityContext":{},"priority":-5}}`},
		{target: 1, in: `{"metadata":{"name":"n"},"spec":{"taints":[{"key":"k","effect":"NoSchedule"}],"unschedulable":true},"status":{"capacity":{"cpu":"8","pods":"110"},"nodeInfo":{"bootID":"x"},"conditions":[{"type":"Ready","status":"True"}]}}`},
		{target: 2, in: `{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"x"}},"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"10%","maxSurge":0}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}`},
		{target: 4, in: `{"a":"b","c":""}`},
		{target: 4, in: `{}`},
		{target: 4, in: `{"a":null,"b":"\u00e9x"}`},
		{target: 0, in: `{"spec":{"priority":1.5}}`, leave: true},                                       // a float
		{target: 0, in: `{"spec":{"priority":01}}`, leave: true},                                        // not JSON
		{target: 0, in: `{"spec":{"nodeName":7}}`, leave: true},                                         // a type error
		{target: 0, in: `{"metadata":{"nāme":"x"}}`, leave: true},                                       // a name folded by Unicode
		{target: 0, in: `{"metadata":{"name":"x"}} `, leave: true},                                      // trailing space
		{target: 0, in: `{"metadata":{"name":"x"},}`, leave: true},                                      // not JSON
		{target: 4, in: `{"a":"b","c":["d"]}`, leave: true},                                             // a type error
		{target: 0, in: `{"spec":{"terminationGracePeriodSeconds":99999999999999999999}}`, leave: true}, // overflow
	} {
		fast, slow := fastTargets[tc.target](), fastTargets[tc.target]()
		errF := fastUnmarshal([]byte(tc.in), fast, new(stringCache))
		if tc.leave {
			if errF != errFastJSON {
				t.Errorf("fastUnmarshal(%s) = %v, want errFastJSON", tc.in, errF)
			}
			continue
		}
		if errF != nil {
			t.Errorf("fastUnmarshal(%s): %v", tc.in, errF)
			continue
		}
		if err := json.Unmarshal([]byte(tc.in), slow); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", tc.in, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("fastUnmarshal(%s) = %+v, json.Unmarshal gives %+v", tc.in, fast, slow)
		}
	}
}

// FuzzFastUnmarshal checks fastUnmarshal against json.Unmarshal on any
// input: where it decodes, json.Unmarshal decodes the same value; where
// an UnmarshalJSON method it calls fails, json.Unmarshal fails too.
func FuzzFastUnmarshal(f *testing.F) {
	f.Add(uint8(0), []byte(`{"metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}`))
	f.Add(uint8(1), []byte(`{"metadata":{"name":"n"},"status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":null}]}}`))
	f.Add(uint8(2), []byte(`{"spec":{"updateStrategy":{"rollingUpdate":{"maxUnavailable":1}}}}`))
	f.Add(uint8(3), []byte(`{"spec":{"ports":[{"port":80,"targetPort":"http"}],"selector":{"a":"b"}}}`))
	f.Add(uint8(4), []byte(`{"a":"\u00e9","b":"\ud800"}`))
	f.Fuzz(func(t *testing.T, target uint8, data []byte) {
		mk := fastTargets[int(target)%len(fastTargets)]
		fast, slow := mk(), mk()
		errF := fastUnmarshal(data, fast, new(stringCache))
		if errF == errFastJSON {
			return
		}
		errS := json.Unmarshal(data, slow)
		switch {
		case errF != nil && errS == nil:
			t.Fatalf("fastUnmarshal failed (%v) where json.Unmarshal decodes %s", errF, data)
		case errF == nil && errS != nil:
			t.Fatalf("fastUnmarshal decoded what json.Unmarshal rejects (%v): %s", errS, data)
		case errF == nil && !reflect.DeepEqual(fast, slow):
			t.Fatalf("fastUnmarshal and json.Unmarshal differ on %s:\nfast %+v\njson %+v", data, fast, slow)
		}
	})
}

// TestFastUnmarshalInterns checks that objects decoded with one table
// share their short strings, and not their long ones.
func TestFastUnmarshalInterns(t *testing.T) {
	long := strings.Repeat("x", internMax+1)
	in := `{"metadata":{"name":"p","labels":{"app":"web"},"annotations":{"note":"` + long + `"}},"spec":{"containers":[{"name":"main","image":"web:1"}]}}`
	strs := new(stringCache)
	var a, b cluster.Pod
	for _, p := range []*cluster.Pod{&a, &b} {
		if err := fastUnmarshal([]byte(in), p, strs); err != nil {
			t.Fatal(err)
		}
	}
	same := func(x, y string) bool { return unsafe.StringData(x) == unsafe.StringData(y) }
	if !same(a.Labels["app"], b.Labels["app"]) || !same(a.Spec.Containers[0].Image, b.Spec.Containers[0].Image) {
		t.Error("two pods decoded with one table do not share their label value and image")
	}
	if same(a.Annotations["note"], b.Annotations["note"]) {
		t.Errorf("strings longer than %d bytes are shared", internMax)
	}
	if a.Annotations["note"] != long {
		t.Error("the long annotation was not decoded")
	}
}

// TestPlainRun checks plainRun, which tests eight bytes at a time, on
// bytes and on strings against a byte-by-byte scan: every byte value at
// every position of runs of plain bytes up to 20 long, so that the
// eight-byte steps, the tail and borrows between bytes are all crossed.
func TestPlainRun(t *testing.T) {
	slow := func(b []byte) int {
		n := 0
		for n < len(b) && b[n] >= 0x20 && b[n] < 0x7f && b[n] != '"' && b[n] != '\\' {
			n++
		}
		return n
	}
	for size := 0; size <= 20; size++ {
		b := bytes.Repeat([]byte("a"), size)
		if got := plainRun(b); got != size {
			t.Fatalf("plainRun(%q) = %d, want %d", b, got, size)
		}
		for pos := 0; pos < size; pos++ {
			for c := range 256 {
				b[pos] = byte(c)
				if got, want := plainRun(b), slow(b); got != want {
					t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
				}
				if got, want := plainRun(string(b)), slow(b); got != want {
					t.Fatalf("plainRun(string %q) = %d, want %d", b, got, want)
				}
				// A special byte after another one: the first counts.
				if pos+1 < size {
					b[pos+1] = 0
					if got, want := plainRun(b), slow(b); got != want {
						t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
					}
					b[pos+1] = 'a'
				}
			}
			b[pos] = 'a'
		}
	}
}

// TestPrintableRun checks printableRun against a byte-by-byte scan, as
// TestPlainRun does plainRun.
func TestPrintableRun(t *testing.T) {
	for size := 0; size <= 20; size++ {
		b := bytes.Repeat([]byte("a"), size)
		for pos := 0; pos < size; pos++ {
			for c := range 256 {
				b[pos] = byte(c)
				want := pos
				if c >= 0x20 && c < 0x7f {
					want = size
				}
				if got := printableRun(b); got != want {
					t.Fatalf("printableRun(%q) = %d, want %d", b, got, want)
				}
			}
			b[pos] = 'a'
		}
	}
}

// TestFastUnmarshalConcurrent decodes into a type no other test uses, from
// several goroutines at once, so that its information is built while
// others read it (run with -race). The type is recursive, through a
// pointer, a slice and a map.
func TestFastUnmarshalConcurrent(t *testing.T) {
	type tree struct {
		Name     string           `json:"name"`
		Children []tree           `json:"children"`
		Next     *tree            `json:"next"`
		ByName   map[string]*tree `json:"byName"`
	}
	in := []byte(`{"name":"a","children":[{"name":"b","next":{"name":"c"}}],"byName":{"d":{"name":"d","children":[]}}}`)
	var want tree
	if err := json.Unmarshal(in, &want); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			var got tree
			err := fastUnmarshal(in, &got, nil)
			if err == nil && !reflect.DeepEqual(got, want) {
				err = fmt.Errorf("got %+v, want %+v", got, want)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
