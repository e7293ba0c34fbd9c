package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// labeler is a toy controller: it copies label "want" of every pod into
// label "have", one key per pod.
type labeler struct{}

func (labeler) Name() string { return "labeler" }
func (labeler) Watch(_ *View, ch Change, q Enqueuer) {
	if ch.New != nil && ch.Kind() == KindPod {
		q.Add(Key{Ref: RefOf(ch.New)})
	}
}
func (labeler) Reconcile(v *View, k Key) Result {
	o, ok := v.Get(k.Ref)
	if !ok {
		return Result{}
	}
	p := o.(*Pod)
	if p.Labels["have"] == p.Labels["want"] {
		return Result{}
	}
	np := p.Clone().(*Pod)
	np.Labels = map[string]string{"want": p.Labels["want"], "have": p.Labels["want"]}
	return Result{Actions: []Action{Update{Object: np, Detail: "have=" + p.Labels["want"]}}}
}

func newPod(name string, labels map[string]string) *Pod {
	p := &Pod{}
	p.Name = name
	p.Labels = labels
	p.Spec.Containers = []Container{{Name: "main", Image: "busybox:1"}}
	return p
}

func logLines(c *Cluster) []string {
	var out []string
	for _, r := range c.Log() {
		out = append(out, r.String())
	}
	return out
}

func TestClusterSettle(t *testing.T) {
	c := MustNew(Config{})
	if err := c.Register(labeler{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(newPod("a", map[string]string{"want": "x"})); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0s user create Pod/default/a",
		"0s labeler update Pod/default/a have=x",
	}
	if diff := cmp.Diff(want, logLines(c)); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
	o, _ := c.Get(Ref{Kind: KindPod, Namespace: "default", Name: "a"})
	if got := o.Meta().Labels["have"]; got != "x" {
		t.Errorf("label have = %q, want x", got)
	}
	if got := o.Meta().ResourceVersion; got != "6" {
		t.Errorf("resourceVersion = %q, want 6 (4 namespaces, create, update)", got)
	}
}

func TestClusterRegisterDuplicate(t *testing.T) {
	c := MustNew(Config{})
	if err := c.Register(labeler{}); err != nil {
		t.Fatal(err)
	}
	err := c.Register(labeler{})
	if err == nil || err.Error() != `cluster: duplicate controller name "labeler"` {
		t.Errorf("Register twice: error = %v", err)
	}
}

func TestClusterAdvanceNegative(t *testing.T) {
	c := MustNew(Config{})
	err := c.Advance(-time.Second)
	if err == nil || err.Error() != "cluster: advance: negative duration -1s" {
		t.Errorf("Advance(-1s) error = %v", err)
	}
}

func TestClusterForkIndependent(t *testing.T) {
	c := MustNew(Config{})
	if _, err := c.Create(newPod("a", nil)); err != nil {
		t.Fatal(err)
	}
	f := c.Fork()
	if err := f.Label(Ref{Kind: KindPod, Name: "a"}, "x=1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Create(newPod("b", nil)); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(Ref{Kind: KindPod, Namespace: "default", Name: "b"}); ok {
		t.Error("pod b created in the fork shows in the origin")
	}
	o, _ := c.Get(Ref{Kind: KindPod, Namespace: "default", Name: "a"})
	if len(o.Meta().Labels) != 0 {
		t.Errorf("origin pod a labels = %v, want none", o.Meta().Labels)
	}
	var got []string
	for _, d := range Diff(c, f) {
		got = append(got, d.Ref.String()+" "+boolStr(d.Old != nil)+boolStr(d.New != nil))
	}
	want := []string{"Pod/default/a yy", "Pod/default/b ny"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff mismatch (-want +got):\n%s", diff)
	}
}

func boolStr(b bool) string {
	if b {
		return "y"
	}
	return "n"
}

func TestClusterErrors(t *testing.T) {
	c := MustNew(Config{})
	if _, err := c.Create(newPod("a", nil)); err != nil {
		t.Fatal(err)
	}
	_, err := c.Create(newPod("a", nil))
	if !errors.Is(err, ErrAlreadyExists) || err.Error() != `pods "a" already exists` {
		t.Errorf("second create: %v", err)
	}
	err = c.Delete(Ref{Kind: KindPod, Name: "zz"}, DeleteOptions{})
	if !IsNotFound(err) || err.Error() != `pods "zz" not found` {
		t.Errorf("delete missing: %v", err)
	}
	p := newPod("c", nil)
	p.Namespace = "nope"
	_, err = c.Create(p)
	if !IsNotFound(err) || err.Error() != `namespaces "nope" not found` {
		t.Errorf("create in missing namespace: %v", err)
	}
}

func TestApplyAtomic(t *testing.T) {
	c := MustNew(Config{})
	before := c.LastSeq()
	bad := newPod("", nil) // no name, no generateName
	err := c.Apply(newPod("ok", nil), bad)
	if err == nil || !strings.Contains(err.Error(), "name or generateName is required") {
		t.Fatalf("Apply error = %v", err)
	}
	if _, ok := c.Get(Ref{Kind: KindPod, Namespace: "default", Name: "ok"}); ok {
		t.Error("first object of a failed Apply was stored")
	}
	var got []string
	for _, r := range c.LogSince(before) {
		got = append(got, r.String())
	}
	want := []string{`0s user fail Pod/default/ "Pod \"\" is invalid: metadata.name: Required value: name or generateName is required"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failed Apply log mismatch (-want +got):\n%s", diff)
	}
}

// TestUserObjectsAreCopies checks the user API's copy rules: Get returns
// a copy to change and apply (a namespaced kind defaults to "default"),
// a stored object from List passed back as it is is refused, and a nil
// object is an error, not a panic.
func TestUserObjectsAreCopies(t *testing.T) {
	c := MustNew(Config{})
	if _, err := c.Create(newPod("a", map[string]string{"app": "x"})); err != nil {
		t.Fatal(err)
	}
	o, ok := c.Get(Ref{Kind: KindPod, Name: "a"})
	if !ok {
		t.Fatal(`Get(Pod "a") without a namespace found nothing, want default/a`)
	}
	p := o.(*Pod)
	p.Labels["app"] = "y"
	if stored, _ := c.View().Get(Ref{Kind: KindPod, Namespace: "default", Name: "a"}); stored.Meta().Labels["app"] != "x" {
		t.Fatal("changing Get's result changed the stored pod")
	}
	if err := c.Apply(p); err != nil {
		t.Fatal(err)
	}
	if o, _ := c.Get(Ref{Kind: KindPod, Namespace: "default", Name: "a"}); o.Meta().Labels["app"] != "y" {
		t.Errorf("applying Get's changed copy: label app = %q, want y", o.Meta().Labels["app"])
	}
	var listed Object
	for o := range c.List(KindPod, "") {
		listed = o
	}
	want := "cluster: apply: Pod/default/a is the object the cluster stores (from List or View), which must not be changed: change a copy (cluster.DeepCopy, or Get) and pass that"
	if err := c.Apply(listed); err == nil || err.Error() != want {
		t.Errorf("Apply(stored object) error = %v, want %q", err, want)
	}
	if _, err := c.Update(listed); err == nil {
		t.Error("Update(stored object) succeeded, want an error")
	}
	if err := c.Apply(nil); err == nil || err.Error() != "cluster: apply: nil object" {
		t.Errorf("Apply(nil) error = %v", err)
	}
	if _, err := c.Create((*Pod)(nil)); err == nil || err.Error() != "cluster: create: nil *cluster.Pod" {
		t.Errorf("Create((*Pod)(nil)) error = %v", err)
	}
}

func TestUnknownKindNamesTheKnownOnes(t *testing.T) {
	c := MustNew(Config{})
	want := `cluster: label: unknown kind "node" (kinds are case-sensitive: Endpoints, Namespace, Node, Pod, Service)`
	if err := c.Label(Ref{Kind: "node", Name: "n1"}, "a=b"); err == nil || err.Error() != want {
		t.Errorf("Label(kind node) error = %v, want %q", err, want)
	}
	if err := c.Delete(Ref{Kind: "pod", Name: "p"}, DeleteOptions{}); err == nil || !strings.HasPrefix(err.Error(), `cluster: delete: unknown kind "pod"`) {
		t.Errorf("Delete(kind pod) error = %v", err)
	}
}

// TestLoadOwnedKeepsTheObjects checks that LoadOwned stores the objects
// it is given, stamped as Load stamps its copies, and that a failing
// LoadOwned changes nothing.
func TestLoadOwnedKeepsTheObjects(t *testing.T) {
	c := MustNew(Config{})
	p := newPod("a", map[string]string{"app": "x"})
	p.UID = "uid-a"
	if err := c.LoadOwned(p); err != nil {
		t.Fatal(err)
	}
	stored, _ := c.View().Get(Ref{Kind: KindPod, Namespace: "default", Name: "a"})
	if stored != Object(p) {
		t.Error("LoadOwned stored a copy, want the object itself")
	}
	if p.UID != "uid-a" || p.ResourceVersion == "" || p.Namespace != "default" {
		t.Errorf("loaded pod uid %q, resourceVersion %q, namespace %q: want its uid kept and the rest stamped", p.UID, p.ResourceVersion, p.Namespace)
	}
	seq := c.LastSeq()
	if err := c.LoadOwned(newPod("b", nil), newPod("a", nil)); err == nil {
		t.Fatal("LoadOwned of an existing name succeeded")
	}
	if _, ok := c.View().Get(Ref{Kind: KindPod, Namespace: "default", Name: "b"}); ok {
		t.Error("a failing LoadOwned stored an object")
	}
	if got := c.LogSince(seq); len(got) != 1 || got[0].Verb != VerbFail {
		t.Errorf("a failing LoadOwned logged %v, want one fail record", got)
	}
}
