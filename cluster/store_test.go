package cluster

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStoreIndexes checks the two indexes against what they index after
// creates, updates that keep or change what is indexed, and deletes: the
// dependents of an owner (every kind, ordered by kind, namespace and name)
// and the pods of a node. Both must yield the objects as stored now, not
// as they were when the index entry was made: neither index is written
// on an update that keeps the entry's key.
func TestStoreIndexes(t *testing.T) {
	c := MustNew(Config{})
	check(t, c.Register(garbageCollector{}))
	o1, o2 := apply(t, c, newOwner("o1")), apply(t, c, newOwner("o2"))
	apply(t, c, ownedBy(newOwner("child"), o1, false))
	apply(t, c, ownedBy(btPod("p1", "n1"), o1, false), ownedBy(ownedBy(btPod("p2", "n2"), o1, false), o2, false), btPod("p3", "n1"))

	v := c.View()
	deps := func(owner Object, k Kind) []string {
		var out []string
		for o := range v.Dependents(owner.Meta().UID, k) {
			out = append(out, RefOf(o).String()+" "+o.Meta().Labels["v"])
		}
		return out
	}
	onNode := func(n string) []string {
		var out []string
		for p := range v.PodsOnNode(n) {
			out = append(out, p.Name+" "+p.Labels["v"])
		}
		return out
	}
	relabel := func(name, value string) {
		t.Helper()
		check(t, c.Label(podRef(name), "v="+value))
	}
	want := func(what string, got, want []string) {
		t.Helper()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
		}
	}

	want("dependents of o1", deps(o1, ""), []string{"Owner/default/child ", "Pod/default/p1 ", "Pod/default/p2 "})
	want("pod dependents of o1", deps(o1, KindPod), []string{"Pod/default/p1 ", "Pod/default/p2 "})
	want("owner dependents of o1", deps(o1, ownerType.Kind), []string{"Owner/default/child "})
	want("dependents of o2", deps(o2, ""), []string{"Pod/default/p2 "})
	want("pods on n1", onNode("n1"), []string{"p1 ", "p3 "})

	// Updates that keep every key: the indexes yield the new versions.
	relabel("p1", "2")
	relabel("p2", "2")
	want("dependents of o1 after relabelling", deps(o1, KindPod), []string{"Pod/default/p1 2", "Pod/default/p2 2"})
	want("dependents of o2 after relabelling", deps(o2, ""), []string{"Pod/default/p2 2"})
	want("pods on n1 after relabelling", onNode("n1"), []string{"p1 2", "p3 "})

	// An update that drops one owner reference and keeps the other.
	o, _ := c.Get(podRef("p2"))
	p2 := o.(*Pod)
	p2.OwnerReferences = p2.OwnerReferences[1:]
	if _, err := c.Update(p2); err != nil {
		t.Fatal(err)
	}
	want("dependents of o1 after p2 drops it", deps(o1, ""), []string{"Owner/default/child ", "Pod/default/p1 2"})
	want("dependents of o2 after p2 drops o1", deps(o2, ""), []string{"Pod/default/p2 2"})

	// A fork and its origin each change the dependents of o1; neither
	// sees the other's change, both before and after their first write.
	f := c.Fork()
	check(t, f.Delete(podRef("p1"), DeleteOptions{GracePeriod: Int64(0)}))
	check(t, f.Settle())
	apply(t, c, ownedBy(btPod("p4", "n2"), o1, false))
	fdeps := func() []string {
		var out []string
		for o := range f.View().Dependents(o1.Meta().UID, "") {
			out = append(out, RefOf(o).String())
		}
		return out
	}
	want("fork's dependents of o1", fdeps(), []string{"Owner/default/child"})
	want("origin's dependents of o1 after the fork", deps(o1, ""), []string{"Owner/default/child ", "Pod/default/p1 2", "Pod/default/p4 "})
	check(t, c.Delete(podRef("p4"), DeleteOptions{GracePeriod: Int64(0)}))
	check(t, c.Settle())
	check(t, f.Delete(ownerRef("child"), DeleteOptions{}))
	check(t, f.Settle())
	want("fork's dependents of o1 at the end", fdeps(), nil)

	// Deletes.
	check(t, c.Delete(podRef("p1"), DeleteOptions{GracePeriod: Int64(0)}))
	check(t, c.Settle())
	want("dependents of o1 after deleting p1", deps(o1, ""), []string{"Owner/default/child "})
	want("pods on n1 after deleting p1", onNode("n1"), []string{"p3 "})
	want("pods on n2", onNode("n2"), []string{"p2 2"})
	want("pods on no node", onNode(""), nil)
}

// TestStoreNodeCache checks that a node read through the cache is the one
// stored now: after an update, a delete, a re-create, and on both sides of
// a clone written separately.
func TestStoreNodeCache(t *testing.T) {
	node := func(name, v string) *Node {
		n := &Node{}
		n.Name, n.Labels = name, map[string]string{"v": v}
		return n
	}
	version := func(s *store, name string) string {
		t.Helper()
		o, ok := s.get(Ref{Kind: KindNode, Name: name})
		if !ok {
			return "(none)"
		}
		return o.Meta().Labels["v"]
	}
	want := func(s *store, name, v string) {
		t.Helper()
		if got := version(s, name); got != v {
			t.Errorf("node %s: got version %s, want %s", name, got, v)
		}
	}

	s := newStore()
	s.put(node("n1", "1"))
	want(s, "n1", "1") // fills the cache
	s.put(node("n1", "2"))
	want(s, "n1", "2")

	c := s.clone()
	want(c, "n1", "2")
	c.put(node("n1", "3"))
	want(c, "n1", "3")
	want(s, "n1", "2")
	s.put(node("n1", "4"))
	want(s, "n1", "4")
	want(c, "n1", "3")

	s.remove(Ref{Kind: KindNode, Name: "n1"})
	want(s, "n1", "(none)")
	want(c, "n1", "3")
	s.put(node("n1", "5"))
	want(s, "n1", "5")
	want(s, "n2", "(none)")
	// Nodes have no namespace: a reference with one names nothing, cached
	// or not.
	if o, ok := s.get(Ref{Kind: KindNode, Namespace: "default", Name: "n1"}); ok {
		t.Errorf("node n1 in namespace default: got %v, want none", RefOf(o))
	}
}

// TestGeneratedNameTaken checks that a create with generateName whose
// next name is taken gets the name after it, and leaves the object that
// had the name alone: the names follow the same sequence as in a cluster
// where nothing was in the way.
func TestGeneratedNameTaken(t *testing.T) {
	gen := func() *Pod {
		p := btPod("", "")
		p.GenerateName = "web-"
		return p
	}
	free := MustNew(Config{})
	first, second := mustCreate(t, free, gen()).Name, mustCreate(t, free, gen()).Name
	if first == second {
		t.Fatalf("two generated names are both %q", first)
	}

	c := MustNew(Config{})
	mustCreate(t, c, withLabels(btPod(first, ""), "by", "hand"))
	if got := mustCreate(t, c, gen()).Name; got != second {
		t.Errorf("generated name = %q, want %q (the one after the taken %q)", got, second, first)
	}
	if p, ok := c.View().Pod("default", first); !ok || p.Labels["by"] != "hand" {
		t.Errorf("pod %s was replaced or lost: %v", first, p)
	}
	if n := c.View().c.st.kind(KindPod).objs.Len(); n != 2 {
		t.Errorf("%d pods stored, want 2", n)
	}
}

// TestGeneratedNameTakenService checks that a Service created with
// generateName whose next name is taken gets a cluster IP of its own: the
// name is chosen before the IP, which is derived from it (the IP allocator
// passes over the Service of the same name, so an IP derived from a taken
// name would be the other Service's).
func TestGeneratedNameTakenService(t *testing.T) {
	gen := func() *Service {
		s := svTestService()
		s.Name, s.GenerateName = "", "web-"
		return s
	}
	first := mustCreate(t, MustNew(Config{}), gen()).Name

	c := MustNew(Config{})
	byHand := svTestService()
	byHand.Name = first
	a := mustCreate(t, c, byHand)
	b := mustCreate(t, c, gen())
	if b.Name == a.Name {
		t.Fatalf("generated Service took the name %q of the existing one", a.Name)
	}
	if b.Spec.ClusterIP == a.Spec.ClusterIP {
		t.Errorf("Services %s and %s share cluster IP %s", a.Name, b.Name, a.Spec.ClusterIP)
	}
}

// mustCreate creates obj in c and returns the stored object.
func mustCreate[T Object](t *testing.T, c *Cluster, obj T) T {
	t.Helper()
	o, err := c.Create(obj)
	check(t, err)
	return o.(T)
}
