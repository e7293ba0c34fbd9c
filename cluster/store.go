package cluster

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"unsafe"

	"github.com/daemonsim/daemonsim/internal/pbtree"
	"github.com/daemonsim/daemonsim/selector"
)

// objKey orders the objects of one kind by namespace, then name.
type objKey struct{ ns, name string }

func cmpObjKey(a, b objKey) int {
	// One comparison each: testing != first would read equal-length
	// strings twice (names of one length are the common case). But the
	// namespaces are most often one string, or both empty: that takes no
	// call.
	if !sameString(a.ns, b.ns) {
		if c := strings.Compare(a.ns, b.ns); c != 0 {
			return c
		}
	}
	return strings.Compare(a.name, b.name)
}

// sameString reports whether a and b are the same bytes in memory, which
// implies a == b without reading them.
func sameString(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.StringData(a) == unsafe.StringData(b))
}

// nodePodKey orders pods by their target node (see [TargetNodeName]), then
// namespace and name. The key is the index entry: it holds the pod itself
// (the version stored, replaced with the key on every write), so that the
// entry is three words instead of seven. A nil pod sorts before every pod
// of its node and lastPod after them, as range bounds need.
type nodePodKey struct {
	node string
	pod  *Pod
}

func cmpNodePodKey(a, b nodePodKey) int {
	if c := strings.Compare(a.node, b.node); c != 0 {
		return c
	}
	switch {
	case a.pod == b.pod:
		return 0
	case a.pod == nil || b.pod == lastPod:
		return -1
	case b.pod == nil || a.pod == lastPod:
		return 1
	}
	if c := strings.Compare(a.pod.Namespace, b.pod.Namespace); c != 0 {
		return c
	}
	return strings.Compare(a.pod.Name, b.pod.Name)
}

// kindStore holds the objects of one kind.
type kindStore struct {
	typ  *Type
	objs *pbtree.Map[objKey, Object]
	// found is where the last get found an object, so that another get of
	// it and the put of its next version, which most often follow, find
	// it without a search.
	found pbtree.Finger[objKey, Object]
}

// depSet is the set of dependents of one owner, in groups of one kind and
// namespace (most owners have one group: the pods of a DaemonSet), so
// that an entry is a name. A store writes a depSet in place only while it
// is the set's owner; after a clone, neither side is, and the first write
// on each side replaces the set by a copy (see [store.dependentsOf]).
type depSet struct {
	owner  *storeEpoch
	groups []depGroup // ordered by kind, then namespace
}

// depGroup holds the names of an owner's dependents of one kind in one
// namespace.
type depGroup struct {
	typ   *Type
	ns    string
	names *pbtree.Map[string, struct{}]
}

// group returns the index of the group of t and ns, or where to insert it.
func (ds *depSet) group(t *Type, ns string) (int, bool) {
	return slices.BinarySearchFunc(ds.groups, depGroup{typ: t, ns: ns}, func(g, x depGroup) int {
		if g.typ != x.typ {
			if c := strings.Compare(string(g.typ.Kind), string(x.typ.Kind)); c != 0 {
				return c
			}
		}
		return strings.Compare(g.ns, x.ns)
	})
}

// has reports whether the set holds the object of type t named ns/name.
func (ds *depSet) has(t *Type, ns, name string) bool {
	i, ok := ds.group(t, ns)
	if !ok {
		return false
	}
	_, in := ds.groups[i].names.Get(name)
	return in
}

// storeEpoch is an ownership token for depSets; its field gives it a
// non-zero size, so every allocation has a distinct address.
type storeEpoch struct{ _ byte }

// store is the object store: one ordered map per kind and the indexes. All
// maps are persistent, so clone is O(1) in the number of objects.
//
// The pods-by-node index holds the pods themselves in its keys, because
// hot paths read every pod of a node. The dependents index maps an owner
// UID to the keys of its dependents: the objects are looked up by name
// when it is read, which is rare, so an update that keeps an object's
// owner references leaves the index alone, and the owner's UID is stored
// once rather than in every entry.
type store struct {
	kinds      []*kindStore // sorted by kind
	podsByNode *pbtree.Map[nodePodKey, struct{}]
	dependents *pbtree.Map[string, *depSet]
	epoch      *storeEpoch

	// nodes caches lookups of nodes by name, the hottest read (every
	// controller reads the node of the pod it handles). It is this
	// store's own: put and remove keep it in step, clone starts the copy
	// without one, and nothing iterates over it.
	nodes map[string]Object
}

func newStore() *store {
	return &store{
		podsByNode: pbtree.New[nodePodKey, struct{}](cmpNodePodKey),
		dependents: pbtree.New[string, *depSet](strings.Compare),
		epoch:      new(storeEpoch),
	}
}

// clone returns an independent copy sharing all structure with s.
func (s *store) clone() *store {
	s.epoch = new(storeEpoch) // s no longer owns the depSets it shares
	c := &store{
		kinds:      make([]*kindStore, len(s.kinds)),
		podsByNode: s.podsByNode.Clone(),
		dependents: s.dependents.Clone(),
		epoch:      new(storeEpoch),
	}
	for i, k := range s.kinds {
		c.kinds[i] = &kindStore{typ: k.typ, objs: k.objs.Clone()}
	}
	return c
}

// kind returns the store of kind k, or nil. There are few kinds: a linear
// scan beats a search.
func (s *store) kind(k Kind) *kindStore {
	for _, ks := range s.kinds {
		if ks.typ.Kind == k {
			return ks
		}
	}
	return nil
}

// kindFor returns the store of t's kind, creating it when missing.
func (s *store) kindFor(t *Type) *kindStore {
	for _, ks := range s.kinds {
		if ks.typ == t {
			return ks
		}
	}
	i, ok := slices.BinarySearchFunc(s.kinds, t.Kind, func(ks *kindStore, k Kind) int { return cmp.Compare(ks.typ.Kind, k) })
	if ok {
		return s.kinds[i]
	}
	ks := &kindStore{typ: t, objs: pbtree.New[objKey, Object](cmpObjKey)}
	s.kinds = slices.Insert(s.kinds, i, ks)
	return ks
}

func (s *store) get(r Ref) (Object, bool) {
	if r.Kind == KindNode && r.Namespace == "" {
		if o, ok := s.nodes[r.Name]; ok {
			return o, true
		}
	}
	ks := s.kind(r.Kind)
	if ks == nil {
		return nil, false
	}
	o, f, ok := ks.objs.FindAt(ks.found, objKey{r.Namespace, r.Name})
	if !ok {
		return nil, false
	}
	ks.found = f
	if r.Kind == KindNode {
		if s.nodes == nil {
			s.nodes = make(map[string]Object)
		}
		s.nodes[o.Meta().Name] = o
	}
	return o, ok
}

// put stores obj, replacing any object of the same name, and maintains the
// indexes. It returns the replaced object, or nil.
func (s *store) put(obj Object) Object {
	t := obj.Type()
	m := obj.Meta()
	ks := s.kindFor(t)
	old, _ := ks.objs.SetAt(ks.found, objKey{m.Namespace, m.Name}, obj)
	if t.Kind == KindNode && s.nodes != nil {
		s.nodes[m.Name] = obj
	}
	s.reindex(old, obj)
	return old
}

// remove deletes the object named r and returns it, or nil.
func (s *store) remove(r Ref) Object {
	ks := s.kind(r.Kind)
	if ks == nil {
		return nil
	}
	old, ok := ks.objs.Delete(objKey{r.Namespace, r.Name})
	if !ok {
		return nil
	}
	if r.Kind == KindNode {
		delete(s.nodes, r.Name)
	}
	s.reindex(old, nil)
	return old
}

// reindex moves the index entries of old (which may be nil) to those of
// obj (which may be nil).
func (s *store) reindex(old, obj Object) {
	if oldPod, ok := old.(*Pod); ok {
		newPod, _ := obj.(*Pod)
		if newPod == nil || TargetNodeName(oldPod) != TargetNodeName(newPod) {
			s.podsByNode.Delete(podIndexKey(oldPod))
		}
	}
	if newPod, ok := obj.(*Pod); ok {
		s.podsByNode.Set(podIndexKey(newPod), struct{}{})
	}
	// old and obj have the same kind, namespace and name: only owner
	// UIDs that one has and the other has not change the index.
	if old != nil {
		om := old.Meta()
		for i := range om.OwnerReferences {
			if uid := om.OwnerReferences[i].UID; obj == nil || !hasOwnerUID(obj.Meta(), uid) {
				s.removeDependent(uid, old.Type(), om.Namespace, om.Name)
			}
		}
	}
	if obj != nil {
		m := obj.Meta()
		for i := range m.OwnerReferences {
			if uid := m.OwnerReferences[i].UID; old == nil || !hasOwnerUID(old.Meta(), uid) {
				s.addDependent(uid, obj.Type(), m.Namespace, m.Name)
			}
		}
	}
}

// dependentsOf returns the dependents of owner, in a set s may write,
// creating it or replacing a shared one by a copy.
func (s *store) dependentsOf(owner string) *depSet {
	ds, ok := s.dependents.Get(owner)
	if ok && ds.owner == s.epoch {
		return ds
	}
	c := &depSet{owner: s.epoch}
	if ok {
		c.groups = make([]depGroup, len(ds.groups))
		for i, g := range ds.groups {
			c.groups[i] = depGroup{typ: g.typ, ns: g.ns, names: g.names.CloneFrozen()}
		}
	}
	s.dependents.Set(owner, c)
	return c
}

// addDependent adds the object of type t named ns/name to the dependents
// of owner.
func (s *store) addDependent(owner string, t *Type, ns, name string) {
	ds := s.dependentsOf(owner)
	i, ok := ds.group(t, ns)
	if !ok {
		ds.groups = slices.Insert(ds.groups, i, depGroup{typ: t, ns: ns, names: pbtree.New[string, struct{}](strings.Compare)})
	}
	ds.groups[i].names.Set(name, struct{}{})
}

// removeDependent removes the object of type t named ns/name from the
// dependents of owner.
func (s *store) removeDependent(owner string, t *Type, ns, name string) {
	if ds, ok := s.dependents.Get(owner); !ok || !ds.has(t, ns, name) {
		return
	}
	ds := s.dependentsOf(owner)
	i, _ := ds.group(t, ns)
	g := ds.groups[i]
	g.names.Delete(name)
	if g.names.Len() == 0 {
		ds.groups = slices.Delete(ds.groups, i, i+1)
	}
	if len(ds.groups) == 0 {
		s.dependents.Delete(owner)
	}
}

func hasOwnerUID(m *ObjectMeta, uid string) bool {
	for i := range m.OwnerReferences {
		if m.OwnerReferences[i].UID == uid {
			return true
		}
	}
	return false
}

// lastPod is the upper bound of a node's pods in the pods-by-node index;
// it is never stored.
var lastPod = new(Pod)

// podsOnNode returns the bounds of node's pods in the pods-by-node index.
func podsOnNode(node string) (from, to nodePodKey) {
	return nodePodKey{node: node}, nodePodKey{node: node, pod: lastPod}
}

func podIndexKey(p *Pod) nodePodKey {
	return nodePodKey{TargetNodeName(p), p}
}

// TargetNodeName returns the node a pod is bound or pinned to: its
// spec.nodeName when set, otherwise the single value of the first
// matchFields requirement "metadata.name In [node]" of its required node
// affinity (upstream's daemon util GetTargetNodeName), otherwise "".
func TargetNodeName(p *Pod) string {
	if p.Spec.NodeName != "" {
		return p.Spec.NodeName
	}
	ns := p.Spec.RequiredNodeSelector()
	if ns == nil {
		return ""
	}
	for i := range ns.NodeSelectorTerms {
		for _, r := range ns.NodeSelectorTerms[i].MatchFields {
			if r.Key == selector.ObjectNameField && r.Operator == selector.NodeSelectorOpIn {
				if len(r.Values) != 1 {
					return ""
				}
				return r.Values[0]
			}
		}
	}
	return ""
}

// list yields the objects of kind k in namespace ns ("" for all), in
// (namespace, name) order.
func (s *store) list(k Kind, ns string) iter.Seq[Object] {
	return func(yield func(Object) bool) {
		ks := s.kind(k)
		if ks == nil {
			return
		}
		var seq iter.Seq2[objKey, Object]
		if ns == "" {
			seq = ks.objs.All()
		} else {
			seq = ks.objs.Range(objKey{ns, ""}, objKey{ns + "\x00", ""})
		}
		for _, o := range seq {
			if !yield(o) {
				return
			}
		}
	}
}

func (s *store) count(k Kind) int {
	ks := s.kind(k)
	if ks == nil {
		return 0
	}
	return ks.objs.Len()
}
