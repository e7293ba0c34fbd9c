package cluster

import (
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/selector"
	"github.com/google/go-cmp/cmp"
)

// ownerType is a tiny namespaced owner kind for the garbage collector
// tests, standing in for a workload such as a DaemonSet.
var ownerType = &Type{Group: "example.com", Version: "v1", Kind: "Owner", Resource: "owners", Namespaced: true}

// testOwner is an object of ownerType.
type testOwner struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
}

func (*testOwner) Type() *Type              { return ownerType }
func (o *testOwner) Clone() Object          { c := *o; return &c }
func (o *testOwner) TypeMetaPtr() *TypeMeta { return &o.TypeMeta }

func newOwner(name string) *testOwner {
	o := &testOwner{}
	o.Name = name
	return o
}

// ownedBy adds to obj a controller reference to owner, blocking the
// owner's deletion or not, and returns obj.
func ownedBy[T Object](obj T, owner Object, block bool) T {
	m := obj.Meta()
	ref := NewControllerRef(owner)
	if len(m.OwnerReferences) > 0 {
		ref.Controller = nil
	}
	ref.BlockOwnerDeletion = Bool(block)
	m.OwnerReferences = append(m.OwnerReferences, ref)
	return obj
}

func mustParse(t testing.TB, s string) selector.Selector {
	t.Helper()
	sel, err := selector.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

func ownerRef(name string) Ref { return Ref{Kind: ownerType.Kind, Namespace: "default", Name: name} }

func podRef(name string) Ref { return Ref{Kind: KindPod, Namespace: "default", Name: name} }

// TestGarbageCollector covers the three propagation policies, several
// owners, recreated owners and owners of unknown kinds. Each case builds
// its objects, runs one action and settles (advancing when grace periods
// are involved), and checks the log and what remains.
func TestGarbageCollector(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		// setup stores the objects; it returns the action under test.
		setup     func(t *testing.T, c *Cluster) func() error
		advance   time.Duration
		wantLog   []string
		wantLeft  []string // objects left, among those named in the case
		wantOwner map[string][]string
	}{{
		name: "background deletes every dependent",
		setup: func(t *testing.T, c *Cluster) func() error {
			o := apply(t, c, newOwner("o"))
			apply(t, c, ownedBy(btPod("p1", ""), o, true), ownedBy(btPod("p2", ""), o, false))
			return func() error { return c.Delete(ownerRef("o"), DeleteOptions{}) }
		},
		wantLog: []string{
			"0s user delete Owner/default/o",
			"0s garbage-collector delete Pod/default/p1",
			"0s garbage-collector delete Pod/default/p2",
		},
	}, {
		name:   "background with a solid second owner removes only the dangling reference",
		reason: "a dependent is collected only when all its owners are absent",
		setup: func(t *testing.T, c *Cluster) func() error {
			o1, o2 := apply(t, c, newOwner("o1")), apply(t, c, newOwner("o2"))
			apply(t, c, ownedBy(ownedBy(btPod("p", ""), o1, true), o2, false))
			return func() error { return c.Delete(ownerRef("o1"), DeleteOptions{}) }
		},
		wantLog: []string{
			"0s user delete Owner/default/o1",
			"0s garbage-collector update Pod/default/p owner -Owner/o1",
		},
		wantLeft:  []string{"Owner/default/o2", "Pod/default/p"},
		wantOwner: map[string][]string{"p": {"o2"}},
	}, {
		name:   "foreground waits until blocking dependents are fully gone",
		reason: "the bound pod terminates for 30s; the kubelet removes it, then the owner goes",
		setup: func(t *testing.T, c *Cluster) func() error {
			apply(t, c, btNode("node-a"))
			o := apply(t, c, newOwner("o"))
			apply(t, c, ownedBy(btPod("p1", "node-a"), o, true), ownedBy(btPod("p2", ""), o, false))
			check(t, c.Settle())
			return func() error { return c.Delete(ownerRef("o"), DeleteOptions{Propagation: DeletePropagationForeground}) }
		},
		advance: 30 * time.Second,
		wantLog: []string{
			"0s user delete Owner/default/o finalizers=[foregroundDeletion]",
			"0s user advance 30s",
			"0s garbage-collector delete Pod/default/p1 grace=30s",
			"0s garbage-collector delete Pod/default/p2",
			"30s kubelet/node-a delete Pod/default/p1",
			"30s garbage-collector delete Owner/default/o finalizers=[]",
		},
		wantLeft: []string{"Node/node-a"},
	}, {
		name:   "foreground does not wait for non-blocking dependents",
		reason: "blockOwnerDeletion=false: the owner goes while the pod still terminates",
		setup: func(t *testing.T, c *Cluster) func() error {
			apply(t, c, btNode("node-a"))
			o := apply(t, c, newOwner("o"))
			apply(t, c, ownedBy(btPod("p1", "node-a"), o, false))
			check(t, c.Settle())
			return func() error { return c.Delete(ownerRef("o"), DeleteOptions{Propagation: DeletePropagationForeground}) }
		},
		wantLog: []string{
			"0s user delete Owner/default/o finalizers=[foregroundDeletion]",
			"0s garbage-collector delete Owner/default/o finalizers=[]",
			"0s garbage-collector delete Pod/default/p1 grace=30s",
		},
		wantLeft: []string{"Node/node-a", "Pod/default/p1"},
	}, {
		name:   "foreground cascades through dependents that have dependents",
		reason: "mid has a dependent, so it is deleted in the foreground too",
		setup: func(t *testing.T, c *Cluster) func() error {
			o := apply(t, c, newOwner("o"))
			mid := apply(t, c, ownedBy(newOwner("mid"), o, true))
			apply(t, c, ownedBy(btPod("p", ""), mid, true))
			return func() error { return c.Delete(ownerRef("o"), DeleteOptions{Propagation: DeletePropagationForeground}) }
		},
		wantLog: []string{
			"0s user delete Owner/default/o finalizers=[foregroundDeletion]",
			"0s garbage-collector delete Owner/default/mid finalizers=[foregroundDeletion]",
			"0s garbage-collector delete Pod/default/p",
			"0s garbage-collector delete Owner/default/mid finalizers=[]",
			"0s garbage-collector delete Owner/default/o finalizers=[]",
		},
	}, {
		name:   "foreground with a solid second owner drops the reference",
		reason: "references to owners waiting for their dependents are removed from dependents that keep a solid owner",
		setup: func(t *testing.T, c *Cluster) func() error {
			o1, o2 := apply(t, c, newOwner("o1")), apply(t, c, newOwner("o2"))
			apply(t, c, ownedBy(ownedBy(btPod("p", ""), o1, true), o2, true))
			return func() error { return c.Delete(ownerRef("o1"), DeleteOptions{Propagation: DeletePropagationForeground}) }
		},
		wantLog: []string{
			"0s user delete Owner/default/o1 finalizers=[foregroundDeletion]",
			"0s garbage-collector update Pod/default/p owner -Owner/o1",
			"0s garbage-collector delete Owner/default/o1 finalizers=[]",
		},
		wantLeft:  []string{"Owner/default/o2", "Pod/default/p"},
		wantOwner: map[string][]string{"p": {"o2"}},
	}, {
		name: "orphan removes the owner's references, then the finalizer",
		setup: func(t *testing.T, c *Cluster) func() error {
			o, other := apply(t, c, newOwner("o")), apply(t, c, newOwner("other"))
			apply(t, c, ownedBy(btPod("p1", ""), o, true), ownedBy(ownedBy(btPod("p2", ""), o, true), other, false))
			return func() error { return c.Delete(ownerRef("o"), DeleteOptions{Propagation: DeletePropagationOrphan}) }
		},
		wantLog: []string{
			"0s user delete Owner/default/o finalizers=[orphan]",
			"0s garbage-collector update Pod/default/p1 owner -Owner/o",
			"0s garbage-collector update Pod/default/p2 owner -Owner/o",
			"0s garbage-collector delete Owner/default/o finalizers=[]",
		},
		wantLeft:  []string{"Owner/default/other", "Pod/default/p1", "Pod/default/p2"},
		wantOwner: map[string][]string{"p1": nil, "p2": {"other"}},
	}, {
		name:   "a recreated owner with another UID counts as absent",
		reason: "owner lookup is by name and UID",
		setup: func(t *testing.T, c *Cluster) func() error {
			o := apply(t, c, newOwner("o"))
			apply(t, c, ownedBy(btPod("p", ""), o, true))
			return func() error {
				if err := c.Delete(ownerRef("o"), DeleteOptions{}); err != nil {
					return err
				}
				return c.Apply(newOwner("o"))
			}
		},
		wantLog: []string{
			"0s user delete Owner/default/o",
			"0s user create Owner/default/o",
			"0s garbage-collector delete Pod/default/p",
		},
		wantLeft: []string{"Owner/default/o"},
	}, {
		name:   "a dependent of an unknown owner kind is left alone",
		reason: "upstream's collector cannot resolve a kind its REST mapper does not know",
		setup: func(t *testing.T, c *Cluster) func() error {
			p := btPod("p", "")
			p.OwnerReferences = []OwnerReference{{APIVersion: "example.com/v1", Kind: "Widget", Name: "w", UID: "no-such-uid"}}
			return func() error { return c.Apply(p) }
		},
		wantLog:  []string{"0s user create Pod/default/p"},
		wantLeft: []string{"Pod/default/p"},
	}, {
		name:   "a dependent whose owner never existed is collected",
		reason: "the owner kind is known, the owner is absent",
		setup: func(t *testing.T, c *Cluster) func() error {
			p := btPod("p", "")
			p.OwnerReferences = []OwnerReference{{APIVersion: "example.com/v1", Kind: "Owner", Name: "ghost", UID: "no-such-uid"}}
			return func() error { return c.Apply(p) }
		},
		wantLog: []string{
			"0s user create Pod/default/p",
			"0s garbage-collector delete Pod/default/p",
		},
	}, {
		name:   "a mirror pod stays while its node exists",
		reason: "its owner, the Node, is present",
		setup: func(t *testing.T, c *Cluster) func() error {
			n := apply(t, c, btNode("node-a"))
			p := btPod("mirror", "node-a")
			p.OwnerReferences = []OwnerReference{{APIVersion: "v1", Kind: "Node", Name: "node-a", UID: n.Meta().UID, Controller: Bool(true)}}
			return func() error { return c.Apply(p) }
		},
		wantLog: []string{
			"0s user create Pod/default/mirror",
			"0s kubelet/node-a update-status Pod/default/mirror phase=Running ready=true",
		},
		wantLeft: []string{"Node/node-a", "Pod/default/mirror"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := btCluster(t, Config{}, NewGarbageCollector(), NewKubelet())
			c.RegisterTypes(ownerType)
			act := tc.setup(t, c)
			check(t, c.Settle())
			got := step(t, c, func() error {
				if err := act(); err != nil {
					return err
				}
				if tc.advance > 0 {
					return c.Advance(tc.advance)
				}
				return c.Settle()
			})
			wantLines(t, tc.name, tc.wantLog, got)
			var left []string
			for _, k := range []Kind{KindNode, ownerType.Kind, KindPod} {
				for o := range c.List(k, "") {
					left = append(left, RefOf(o).String())
				}
			}
			if diff := cmp.Diff(tc.wantLeft, left); diff != "" {
				t.Errorf("objects left mismatch (-want +got):\n%s", diff)
			}
			for name, want := range tc.wantOwner {
				var got []string
				for _, r := range getPod(c, "default", name).OwnerReferences {
					got = append(got, r.Name)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("pod %s owners mismatch (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// apply stores objs and returns the stored version of the first.
func apply(t testing.TB, c *Cluster, objs ...Object) Object {
	t.Helper()
	check(t, c.Apply(objs...))
	r := RefOf(objs[0])
	if objs[0].Type().Namespaced && r.Namespace == "" {
		r.Namespace = "default"
	}
	o, ok := c.Get(r)
	if !ok {
		t.Fatalf("%s not stored", RefOf(objs[0]))
	}
	return o
}

// TestGarbageCollectorRegisterLate shows that dangling dependents stored
// before the collector is registered are collected when it starts.
func TestGarbageCollectorRegisterLate(t *testing.T) {
	c := btCluster(t, Config{})
	c.RegisterTypes(ownerType)
	o := apply(t, c, newOwner("o"))
	apply(t, c, ownedBy(btPod("p", ""), o, true), btPod("free", ""))
	check(t, c.Delete(RefOf(o), DeleteOptions{}))
	got := step(t, c, func() error {
		if err := c.Register(NewGarbageCollector()); err != nil {
			return err
		}
		return c.Settle()
	})
	wantLines(t, "register", []string{"0s garbage-collector delete Pod/default/p"}, got)
}

// TestGarbageCollectorCannotFail guards the tests above: a cluster without
// the collector keeps dependents of a deleted owner.
func TestGarbageCollectorCannotFail(t *testing.T) {
	c := btCluster(t, Config{})
	c.RegisterTypes(ownerType)
	o := apply(t, c, newOwner("o"))
	apply(t, c, ownedBy(btPod("p", ""), o, true))
	check(t, c.Delete(RefOf(o), DeleteOptions{}))
	check(t, c.Settle())
	if getPod(c, "default", "p") == nil {
		t.Error("dependent vanished without a garbage collector")
	}
}
