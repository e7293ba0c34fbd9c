package daemonset

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/internal/pbtree"
	"github.com/daemonsim/daemonsim/internal/verify"
	"github.com/daemonsim/daemonsim/selector"
)

// The controller keeps, per DaemonSet, a summary of every node that
// matters to it (a node that exists and should run a pod, or any node a
// pod of the DaemonSet targets), computed by the same rules as upstream's
// per-sync scan (podsShouldBeOnNode, updateDaemonSetStatus,
// rollingUpdate). The summaries are derived state: a pure function of the
// stored objects and the time, recomputed for one node whenever that
// node or a pod on it changes. Their sums are the status counters and the
// inputs of the rolling update, and ordered sets of node names index the
// nodes a sync must visit. A sync therefore costs time in proportion to
// the nodes that need work, not to the cluster.

// Summary flags.
const (
	fExists     uint32 = 1 << iota // the node exists
	fShouldRun                     // NodeShouldRun's first result
	fShouldCont                    // NodeShouldRun's second result
	fScheduled                     // at least one pod (status "scheduled")
	fReady                         // the oldest pod is Ready (status)
	fAvail                         // the oldest pod is available (status)
	fUpdated                       // the oldest pod is up to date (status)
	fNeed                          // manage has something to do here besides a plain create
	fNeedCreate                    // manage creates a pod here and does nothing else
	fEntry                         // the node is an entry of the rolling update's map
	fNewAvail                      // rolling: the new pod is available
	fOldAvail                      // rolling: the old pod is available
	fNewReady                      // rolling: the new pod is Ready
	fOldReady                      // rolling: the old pod is Ready
	fMulti                         // two or more pods (their order matters)
)

// Rolling-update classes of a map entry (findUpdatedPodsOnNode).
const (
	clsEmpty   uint32 = iota // no live pod
	clsNotOK                 // two or more new, or two or more old pods
	clsNewOnly               // one new pod
	clsOldOnly               // one old pod
	clsBoth                  // one new and one old pod
)

const clsShift = 24

// summary is what one node contributes for one DaemonSet.
type summary struct {
	flags uint32
	// due, when non-zero, is the virtual time (elapsed) at which a Ready
	// pod that matters here becomes available, changing the summary.
	due time.Duration
}

func (s summary) has(f uint32) bool { return s.flags&f != 0 }
func (s summary) class() uint32     { return s.flags >> clsShift }

// aggregates are the sums of the summaries of one DaemonSet.
type aggregates struct {
	desired, current, misscheduled, ready, available, updated int

	// rolling update
	notOK, empty, newOnlyUnavail, newOnlyAvail, both, bothNewUnavail, bothOldAvail int
	oldOnlyMissing                                                                 int // old-only pods on nodes that do not exist
}

func (a *aggregates) add(s summary, d int) {
	f := s.flags
	if f&fExists != 0 {
		if f&fShouldRun != 0 {
			a.desired += d
			if f&fScheduled != 0 {
				a.current += d
				if f&fReady != 0 {
					a.ready += d
				}
				if f&fAvail != 0 {
					a.available += d
				}
				if f&fUpdated != 0 {
					a.updated += d
				}
			}
		} else if f&fScheduled != 0 {
			a.misscheduled += d
		}
	}
	if f&fEntry == 0 {
		return
	}
	switch s.class() {
	case clsEmpty:
		a.empty += d
	case clsNotOK:
		a.notOK += d
	case clsNewOnly:
		if f&fNewAvail != 0 {
			a.newOnlyAvail += d
		} else {
			a.newOnlyUnavail += d
		}
	case clsOldOnly:
		if f&fExists == 0 {
			a.oldOnlyMissing += d
		}
	case clsBoth:
		a.both += d
		if f&fNewAvail == 0 {
			a.bothNewUnavail += d
		}
		if f&fOldAvail != 0 {
			a.bothOldAvail += d
		}
	}
}

// nameSet is an ordered set of node or pod names.
type nameSet = pbtree.Map[string, struct{}]

func newNameSet() *nameSet { return pbtree.New[string, struct{}](strings.Compare) }

// dsKey names a DaemonSet.
type dsKey struct{ ns, name string }

func cmpDSKey(a, b dsKey) int {
	if c := strings.Compare(a.ns, b.ns); c != 0 {
		return c
	}
	return strings.Compare(a.name, b.name)
}

// epoch identifies the controller instance allowed to modify a dsState in
// place; a fork gets a new one, and a dsState of another epoch is copied
// before it is written (copy on write).
type epoch struct{ _ byte }

// dsState is the derived state of one DaemonSet.
type dsState struct {
	owner *epoch

	ds       *DaemonSet // the stored version the state follows
	uid      string
	sel      selector.Selector
	selOK    bool  // the selector is valid and not empty
	selErr   error // why the selector does not parse, if it does not
	elig     *Eligibility
	hash     string // current revision hash ("" in the legacy profile)
	gen      int64
	hasGen   bool
	surge    bool
	minReady int32
	legacy   bool
	tmpl     *podTemplate                // pods of the current revision; nil until needed
	patch    []byte                      // TemplatePatch(ds), computed once per spec
	prev     *pbtree.Map[string, uint32] // during a rebuild, the summaries' flags before it

	// nodes holds each node's summary flags; its due time, when it has
	// one, is in timed (see [dsState.summary]). Keeping it out of nodes
	// makes an entry three words instead of four, at one a pod.
	nodes   *pbtree.Map[string, uint32]
	found   pbtree.Finger[string, uint32] // where summary last found a node, for store: summary writes it, so it is for owned states (see mutable)
	need    *nameSet                      // nodes manage must visit (fNeed)
	create  *nameSet                      // nodes that only need a pod created (fNeedCreate)
	claims  *nameSet                      // pods (by name) to adopt or release
	timed   *pbtree.Map[string, time.Duration]
	explain *nameSet // nodes to explain (no pod) in the log
	// Rolling-update candidate sets (old-only entries).
	oldAvailRun, oldAvailNoRun, oldUnavailRun, oldUnavailNoRun *nameSet
	bothNewAvail                                               *nameSet

	agg aggregates
}

// clone returns a copy owned by e, sharing all structure with s. With
// frozen, s is never written again (it belongs to an epoch no controller
// has any more): its maps are cloned without being written, so that forks
// on other goroutines may clone s at the same time. Otherwise s may go on
// being written, and its maps take new ownership tokens as the copy's do.
func (s *dsState) clone(e *epoch, frozen bool) *dsState {
	c := *s
	c.owner = e
	c.nodes = cloneMap(s.nodes, frozen)
	c.need = cloneMap(s.need, frozen)
	c.create = cloneMap(s.create, frozen)
	c.claims = cloneMap(s.claims, frozen)
	c.timed = cloneMap(s.timed, frozen)
	c.explain = cloneMap(s.explain, frozen)
	c.oldAvailRun = cloneMap(s.oldAvailRun, frozen)
	c.oldAvailNoRun = cloneMap(s.oldAvailNoRun, frozen)
	c.oldUnavailRun = cloneMap(s.oldUnavailRun, frozen)
	c.oldUnavailNoRun = cloneMap(s.oldUnavailNoRun, frozen)
	c.bothNewAvail = cloneMap(s.bothNewAvail, frozen)
	return &c
}

// cloneMap is m.CloneFrozen() with frozen, else m.Clone().
func cloneMap[K, V any](m *pbtree.Map[K, V], frozen bool) *pbtree.Map[K, V] {
	if frozen {
		return m.CloneFrozen()
	}
	return m.Clone()
}

// reset empties the derived maps and aggregates.
func (s *dsState) reset() {
	s.nodes = pbtree.New[string, uint32](strings.Compare)
	s.need = newNameSet()
	s.create = newNameSet()
	s.claims = newNameSet()
	s.timed = pbtree.New[string, time.Duration](strings.Compare)
	s.explain = newNameSet()
	s.oldAvailRun = newNameSet()
	s.oldAvailNoRun = newNameSet()
	s.oldUnavailRun = newNameSet()
	s.oldUnavailNoRun = newNameSet()
	s.bothNewAvail = newNameSet()
	s.agg = aggregates{}
}

// configure sets the parts of the state that follow from the DaemonSet's
// spec and the profile.
func (s *dsState) configure(ds *DaemonSet, p cluster.Profile, hash string) {
	s.ds = ds
	s.uid = ds.UID
	s.legacy = p == cluster.Legacy
	s.sel = selector.Nothing()
	s.selOK, s.selErr = false, nil
	if ds.Spec.Selector != nil {
		sel, err := ds.Spec.Selector.AsSelector()
		s.selErr = err
		if err == nil && !ds.Spec.Selector.IsEmpty() {
			s.sel, s.selOK = sel, true
		}
	}
	s.elig = NewEligibility(ds, p)
	s.hash = hash
	s.gen, s.hasGen = TemplateGeneration(ds)
	s.surge = !s.legacy && allowsSurge(ds)
	s.minReady = ds.Spec.MinReadySeconds
	s.tmpl = nil
	s.patch = nil
	if p != cluster.Legacy {
		s.patch = TemplatePatch(ds)
	}
}

// setMember adds or removes name from set.
func setMember(set *nameSet, name string, in bool) {
	if in {
		set.Set(name, struct{}{})
	} else {
		set.Delete(name)
	}
}

// summary returns the summary of node.
func (st *dsState) summary(node string) summary {
	var s summary
	s.flags, st.found, _ = st.nodes.FindAt(st.found, node)
	if st.timed.Len() > 0 {
		s.due, _ = st.timed.Get(node)
	}
	return s
}

// store replaces the summary of node by s, keeping the aggregates and the
// ordered sets in step. It reports whether anything changed.
func (st *dsState) store(node string, s summary) bool {
	return st.replace(node, st.summary(node), s)
}

// replace is store for a caller that has read the current summary, old.
func (st *dsState) replace(node string, old, s summary) bool {
	if old == s {
		return false
	}
	st.agg.add(old, -1)
	st.agg.add(s, +1)
	if s == (summary{}) {
		st.nodes.Delete(node)
	} else if s.flags != old.flags || old == (summary{}) {
		st.nodes.SetAt(st.found, node, s.flags)
	}
	if old.has(fNeed) != s.has(fNeed) {
		setMember(st.need, node, s.has(fNeed))
	}
	if old.has(fNeedCreate) != s.has(fNeedCreate) {
		setMember(st.create, node, s.has(fNeedCreate))
	}
	if old.due != s.due {
		if s.due != 0 {
			st.timed.Set(node, s.due)
		} else {
			st.timed.Delete(node)
		}
	}
	oldOnly := func(x summary, avail, run bool) bool {
		return x.has(fEntry) && x.class() == clsOldOnly && x.has(fOldAvail) == avail && x.has(fShouldRun) == run
	}
	for _, c := range []struct {
		set        *nameSet
		avail, run bool
	}{
		{st.oldAvailRun, true, true}, {st.oldAvailNoRun, true, false},
		{st.oldUnavailRun, false, true}, {st.oldUnavailNoRun, false, false},
	} {
		if a, b := oldOnly(old, c.avail, c.run), oldOnly(s, c.avail, c.run); a != b {
			setMember(c.set, node, b)
		}
	}
	bothAvail := func(x summary) bool { return x.has(fEntry) && x.class() == clsBoth && x.has(fNewAvail) }
	if a, b := bothAvail(old), bothAvail(s); a != b {
		setMember(st.bothNewAvail, node, b)
	}
	return true
}

// claimed reports whether pod counts as the DaemonSet's for the summaries:
// it is controlled by the DaemonSet and its labels match the selector
// (ClaimPods keeps exactly those; others are adopted or released by a
// sync first).
func (st *dsState) claimed(p *cluster.Pod) bool {
	ref := p.ControllerRef()
	return ref != nil && ref.UID == st.uid && ref.Kind == string(KindDaemonSet) && st.matches(p.Labels)
}

// matches reports whether the DaemonSet selects labels. A DaemonSet being
// deleted keeps claiming the pods it owns (the controller neither adopts
// nor releases then).
func (st *dsState) matches(labels map[string]string) bool {
	if st.ds.DeletionTimestamp != nil {
		return true
	}
	return st.selOK && st.sel.Matches(selector.Set(labels))
}

// claimAction says whether a sync would adopt or release pod (the
// ControllerRefManager rules).
func (st *dsState) claimAction(p *cluster.Pod) (adopt, release bool) {
	if st.ds.DeletionTimestamp != nil || !st.selOK || p.Namespace != st.ds.Namespace {
		return false, false
	}
	ref := p.ControllerRef()
	if ref != nil {
		if ref.UID != st.uid {
			return false, false
		}
		return false, !st.sel.Matches(selector.Set(p.Labels))
	}
	if p.Terminating() || !st.sel.Matches(selector.Set(p.Labels)) {
		return false, false
	}
	return true, false
}

// compute returns the summary of node from the view, with pods the
// DaemonSet's claimed pods targeted at the node (see podsOn).
func (c *Controller) compute(v *cluster.View, st *dsState, nodeName string, pods []*cluster.Pod) summary {
	var s summary
	node, exists := v.Node(nodeName)
	shouldRun, shouldCont := false, false
	if exists {
		s.flags |= fExists
		shouldRun, shouldCont = st.elig.ShouldRun(node)
		if shouldRun {
			s.flags |= fShouldRun
		}
		if shouldCont {
			s.flags |= fShouldCont
		}
	}
	if len(pods) == 0 {
		if exists && shouldRun {
			s.flags |= fNeedCreate | fEntry // create; an empty entry of the rolling update
		}
		return s
	}
	s.flags |= fScheduled | fEntry
	if len(pods) > 1 {
		s.flags |= fMulti
	}
	now := v.Now()
	minReady := st.minReady
	noteDue := func(p *cluster.Pod) {
		if d := durationUntilAvailable(p, minReady, now); d > 0 {
			at := v.Elapsed() + d
			if s.due == 0 || at < s.due {
				s.due = at
			}
		}
	}

	sortPods(pods)
	if exists && shouldRun {
		oldest := pods[0]
		if oldest.IsReady() {
			s.flags |= fReady
			if oldest.IsAvailable(minReady, now) {
				s.flags |= fAvail
			} else {
				noteDue(oldest)
			}
		}
		if IsPodUpdated(oldest, st.hash, st.gen, st.hasGen) {
			s.flags |= fUpdated
		}
	}

	// What manage would do (podsShouldBeOnNode), backoff aside.
	switch {
	case !exists:
		for _, p := range pods {
			if p.Spec.NodeName == "" {
				s.flags |= fNeed // unbound pod for a node that does not exist
				break
			}
		}
	case shouldCont:
		var running []*cluster.Pod
		for _, p := range pods {
			switch {
			case p.Terminating():
			case p.Status.Phase == cluster.PodFailed:
				s.flags |= fNeed
			case p.Status.Phase == cluster.PodSucceeded && !st.legacy:
				s.flags |= fNeed
			default:
				running = append(running, p)
			}
		}
		if !st.surge {
			if len(running) > 1 {
				s.flags |= fNeed
			}
			break
		}
		if len(running) == 0 {
			if shouldRun {
				s.flags |= fNeed
			}
			break
		}
		if len(running) == 1 {
			break
		}
		newest, oldest, extra := surgePair(running, st.hash)
		if extra {
			s.flags |= fNeed
		}
		if newest != nil && oldest != nil {
			switch {
			case !oldest.IsReady():
				s.flags |= fNeed
			case newest.IsAvailable(minReady, now):
				s.flags |= fNeed
			default:
				noteDue(newest)
			}
		}
	default: // !shouldCont and the node has pods
		for _, p := range pods {
			if !p.Terminating() {
				s.flags |= fNeed
				break
			}
		}
	}

	// The rolling update's view of the node (findUpdatedPodsOnNode).
	var newPod, oldPod *cluster.Pod
	cls := clsEmpty
	for _, p := range pods {
		if p.Terminating() {
			continue
		}
		if IsPodUpdated(p, st.hash, st.gen, st.hasGen) {
			if newPod != nil {
				cls = clsNotOK
				break
			}
			newPod = p
		} else {
			if oldPod != nil {
				cls = clsNotOK
				break
			}
			oldPod = p
		}
	}
	if cls != clsNotOK {
		switch {
		case newPod != nil && oldPod != nil:
			cls = clsBoth
		case newPod != nil:
			cls = clsNewOnly
		case oldPod != nil:
			cls = clsOldOnly
		}
		if newPod != nil {
			if newPod.IsReady() {
				s.flags |= fNewReady
			}
			if newPod.IsAvailable(minReady, now) {
				s.flags |= fNewAvail
			} else {
				noteDue(newPod)
			}
		}
		if oldPod != nil {
			if oldPod.IsReady() {
				s.flags |= fOldReady
			}
			if oldPod.IsAvailable(minReady, now) {
				s.flags |= fOldAvail
			} else {
				noteDue(oldPod)
			}
		}
	}
	s.flags |= cls << clsShift
	return s
}

// surgePair splits sorted running pods as the surge branch of
// podsShouldBeOnNode does: the oldest pod of the current revision, the
// oldest of any other, and whether any pod is left over (to delete).
func surgePair(running []*cluster.Pod, hash string) (newest, oldest *cluster.Pod, extra bool) {
	for _, p := range running {
		if p.Labels[RevisionHashLabel] == hash {
			if newest == nil {
				newest = p
				continue
			}
		} else if oldest == nil {
			oldest = p
			continue
		}
		extra = true
	}
	return newest, oldest, extra
}

// podsOn appends to buf the DaemonSet's claimed pods targeted at node,
// without pods that are both terminal and being deleted (upstream skips
// those so that finalizers do not block replacements).
func (st *dsState) podsOn(v *cluster.View, node string, buf []*cluster.Pod) []*cluster.Pod {
	start := len(buf)
	buf = v.AppendPodsOnNode(buf, node)
	out := buf[:start]
	for _, p := range buf[start:] {
		if st.counts(p) {
			out = append(out, p)
		}
	}
	clear(buf[len(out):])
	return out
}

// counts reports whether podsOn yields p for its target node.
func (st *dsState) counts(p *cluster.Pod) bool {
	return p.Namespace == st.ds.Namespace && st.claimed(p) && !(p.IsTerminal() && p.Terminating())
}

// refresh recomputes the summary of node and reports whether it changed.
func (c *Controller) refresh(v *cluster.View, st *dsState, node string) bool {
	c.scratch = st.podsOn(v, node, c.scratch[:0])
	return c.resummarize(v, st, node, st.summary(node), c.scratch)
}

// refreshAfter is refresh after a write that changed one pod from old to
// cur (either may be nil), the summaries being in step with the pods
// before it. When node had no other pod of the DaemonSet than old — its
// summary counts zero pods, or one and old is it — the pods are cur
// alone, or none, and the node's pods are not read.
func (c *Controller) refreshAfter(v *cluster.View, st *dsState, node string, old, cur *cluster.Pod) bool {
	prev := st.summary(node)
	others := 0 // pods other than old in prev: 0, 1, or 2 for "more"
	if prev.has(fScheduled) {
		others = 1
		if prev.has(fMulti) {
			others = 2
		}
	}
	if old != nil && cluster.TargetNodeName(old) == node && st.counts(old) {
		others--
	}
	if others != 0 {
		// Other pods (or, were the summary not in step, a negative
		// count): read them.
		c.scratch = st.podsOn(v, node, c.scratch[:0])
		return c.resummarize(v, st, node, prev, c.scratch)
	}
	c.scratch = c.scratch[:0]
	if cur != nil && cluster.TargetNodeName(cur) == node && st.counts(cur) {
		c.scratch = append(c.scratch, cur)
	}
	if verify.DaemonSetSummaries {
		if want := st.podsOn(v, node, nil); !slices.Equal(want, c.scratch) {
			panic(fmt.Sprintf("daemonset: refreshAfter of node %s: pods %v, podsOn %v", node, c.scratch, want))
		}
	}
	return c.resummarize(v, st, node, prev, c.scratch)
}

// resummarize stores the summary of node computed from pods (which it
// clears), prev being the summary stored, and reports whether it changed.
func (c *Controller) resummarize(v *cluster.View, st *dsState, node string, prev summary, pods []*cluster.Pod) bool {
	s := c.compute(v, st, node, pods)
	clear(pods)
	changed := st.replace(node, prev, s)
	old := prev
	if st.prev != nil {
		f, _ := st.prev.Get(node)
		old = summary{flags: f}
	}
	// Explain a node in the log when it turns out not to qualify and has
	// no pod: a new node, a new DaemonSet, or one that stopped running
	// there (a node losing its pod is explained by the deletion).
	if changed && v.Logging() && s.has(fExists) && !s.has(fShouldRun) && !s.has(fScheduled) &&
		(!old.has(fExists) || old.has(fShouldRun)) {
		st.explain.Set(node, struct{}{})
	}
	return changed
}

// rebuild recomputes the whole state of a DaemonSet: every node, every
// pod it targets, every pod to claim.
func (c *Controller) rebuild(v *cluster.View, st *dsState) {
	if st.prev == nil {
		st.prev = st.nodes // what the log has explained already (nil for a new DaemonSet)
	}
	defer func() { st.prev = nil }()
	st.reset()
	for n := range v.Nodes() {
		c.refresh(v, st, n.Name)
	}
	// Nodes that do not exist but that owned pods target.
	var missing []string
	for o := range v.Dependents(st.uid, cluster.KindPod) {
		p := o.(*cluster.Pod)
		t := cluster.TargetNodeName(p)
		if _, ok := v.Node(t); !ok && t != "" {
			missing = append(missing, t)
		}
	}
	for _, n := range missing {
		c.refresh(v, st, n)
	}
	// Pods to adopt or release.
	for o := range v.List(cluster.KindPod, st.ds.Namespace) {
		p := o.(*cluster.Pod)
		if adopt, release := st.claimAction(p); adopt || release {
			st.claims.Set(p.Name, struct{}{})
		}
	}
}
