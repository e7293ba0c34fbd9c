package daemonset

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
)

// deletion is a pod the sync deletes, and why (for the log).
type deletion struct {
	pod *cluster.Pod
	why string
}

// Reconcile syncs one DaemonSet, as upstream's syncDaemonSet does:
// history, adoption and release, manage (create and delete pods), the
// rolling update when manage had nothing to do, history clean-up, and
// status.
func (c *Controller) Reconcile(v *cluster.View, k cluster.Key) cluster.Result {
	key := dsKey{k.Namespace, k.Name}
	o, ok := v.Get(k.Ref)
	if !ok {
		c.states.Delete(key)
		return cluster.Result{}
	}
	ds := o.(*DaemonSet)
	st := c.mutable(key)
	if st == nil || st.uid != ds.UID {
		st = c.build(v, ds)
	}
	st.ds = ds
	ref := k.Ref
	if sel := ds.Spec.Selector; sel != nil && sel.MatchLabels == nil && sel.MatchExpressions == nil {
		return cluster.Result{Actions: []cluster.Action{cluster.Emit{Event: cluster.Event{Object: ref, Type: cluster.EventWarning,
			Reason: ReasonSelectingAll, Message: "This daemon set is selecting all pods. A non-empty selector is required."}}}}
	}
	if ds.DeletionTimestamp != nil {
		return cluster.Result{}
	}
	if ds.Spec.Selector != nil {
		// Only a DaemonSet that skipped validation (Load) gets here with a
		// selector that does not parse; upstream's sync fails on it when
		// it lists the DaemonSet's revisions (controlledHistories) or, with
		// no history, its pods (getDaemonPods). The state parsed the
		// selector when it was built for this generation of the spec.
		if err := st.selErr; err != nil {
			if st.legacy {
				err = fmt.Errorf("couldn't get node to daemon pod mapping for daemon set %q: %v", ds.Name, err)
			} else {
				err = fmt.Errorf("failed to construct revisions of DaemonSet: %v", err)
			}
			return cluster.Result{Err: err}
		}
	}
	c.refreshDue(v, st)

	var acts []cluster.Action
	var oldRevs []*ControllerRevision
	hash := ""
	if !st.legacy {
		h := c.constructHistory(v, ds, st)
		acts = append(acts, h.actions...)
		if h.stop {
			return cluster.Result{Actions: acts}
		}
		hash, oldRevs = h.hash, h.old
	}
	if hash != st.hash {
		st.hash = hash
		st.tmpl = nil
		c.rebuild(v, st)
	}

	claimActs, adopted := c.claim(v, st)
	acts = append(acts, claimActs...)
	// Upstream counts the pods it adopts as its own for the rest of the
	// sync; so do the rolling update and status, on a copy of the state.
	view := st
	if len(adopted) > 0 {
		view = st.clone(&epoch{}, false)
		for _, n := range sortedKeys(adopted) {
			pods := append(view.podsOn(v, n, nil), adopted[n]...)
			view.store(n, c.compute(v, view, n, pods))
		}
	}

	m := c.manage(v, st, adopted)
	acts = append(acts, m.events...)
	acts = append(acts, c.syncNodes(v, st, m.creates, m.deletes)...)
	requeue := m.requeue
	var syncErr error

	// Expectations are satisfied now only if manage asked for nothing; in
	// this simulation every earlier write has been observed already.
	if len(m.creates) == 0 && len(m.deletes) == 0 && ds.Spec.UpdateStrategy.Type == RollingUpdateStrategy {
		creates, deletes, err := c.rollingUpdate(v, view, adopted)
		if err != nil {
			syncErr = err
		} else {
			acts = append(acts, c.syncNodes(v, st, creates, deletes)...)
		}
	}
	if !st.legacy && syncErr == nil {
		acts = append(acts, c.cleanupHistory(v, ds, st, oldRevs)...)
	}
	acts = append(acts, c.explainNodes(v, st)...)
	// Status is computed after this sync's writes were observed, as
	// upstream's sync computes it after its pod control has reported them
	// (the derived state is up to date by then: every write went through
	// Watch). A failed write is retried once, as storeDaemonSetStatus does.
	key2 := key
	acts = append(acts, cluster.Deferred{Always: true, Fn: func(v *cluster.View) []cluster.Action {
		st, ok := c.states.Get(key2)
		if !ok {
			return nil
		}
		o, ok := v.Get(k.Ref)
		if !ok || o.Meta().UID != st.uid {
			return nil
		}
		c.refreshDue(v, c.mutable(key2))
		st, _ = c.states.Get(key2)
		if a, ok := c.status(o.(*DaemonSet), st); ok {
			return []cluster.Action{a}
		}
		return nil
	}})
	if st.timed.Len() > 0 {
		requeue = minPositive(requeue, c.earliestDue(st)+availabilityRequeueDelay-v.Elapsed())
	}
	return cluster.Result{Actions: acts, RequeueAfter: requeue, Err: syncErr}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// earliestDue returns the earliest due time of the timed nodes.
func (c *Controller) earliestDue(st *dsState) time.Duration {
	var first time.Duration
	for _, due := range st.timed.All() {
		if first == 0 || due < first {
			first = due
		}
	}
	return first
}

func minPositive(a, b time.Duration) time.Duration {
	switch {
	case b <= 0:
		return a
	case a <= 0:
		return b
	}
	return min(a, b)
}

// refreshDue recomputes the nodes whose summaries changed with time (a
// pod became available).
func (c *Controller) refreshDue(v *cluster.View, st *dsState) {
	now := v.Elapsed()
	var due []string
	for n, at := range st.timed.All() {
		if at <= now {
			due = append(due, n)
		}
	}
	for _, n := range due {
		c.refresh(v, st, n)
	}
}

// claim adopts matching orphans and releases owned pods that no longer
// match (ControllerRefManager.ClaimPods). It returns the patches and the
// adopted pods (as they will be) by target node.
func (c *Controller) claim(v *cluster.View, st *dsState) ([]cluster.Action, map[string][]*cluster.Pod) {
	if st.claims.Len() == 0 {
		return nil, nil
	}
	var acts []cluster.Action
	var adopted map[string][]*cluster.Pod
	ds := st.ds
	for name := range st.claims.All() {
		p, ok := v.Pod(ds.Namespace, name)
		if !ok {
			continue
		}
		adopt, release := st.claimAction(p)
		switch {
		case adopt:
			np := p.Clone().(*cluster.Pod)
			np.OwnerReferences = append(slices.Clone(p.OwnerReferences), cluster.NewControllerRef(ds))
			np.ResourceVersion = ""
			acts = append(acts, cluster.Update{Object: np, Detail: "owner +DaemonSet/" + ds.Name})
			if t := cluster.TargetNodeName(np); t != "" {
				if adopted == nil {
					adopted = map[string][]*cluster.Pod{}
				}
				adopted[t] = append(adopted[t], np)
			}
		case release:
			np := p.Clone().(*cluster.Pod)
			np.OwnerReferences = slices.DeleteFunc(slices.Clone(p.OwnerReferences), func(r cluster.OwnerReference) bool { return r.UID == ds.UID })
			np.ResourceVersion = ""
			acts = append(acts, cluster.Update{Object: np, Detail: "owner -DaemonSet/" + ds.Name})
		}
	}
	return acts, adopted
}

// manageResult is what manage decides.
type manageResult struct {
	creates []string // nodes, in order
	deletes []deletion
	events  []cluster.Action
	requeue time.Duration
}

// manage visits the nodes that need work (and those of adopted pods), in
// name order, deciding as upstream's podsShouldBeOnNode does, then adds
// unbound pods targeted at nodes that do not exist.
func (c *Controller) manage(v *cluster.View, st *dsState, adopted map[string][]*cluster.Pod) manageResult {
	var m manageResult
	burst := v.Config().BurstReplicas
	// Nodes with work other than a plain create, and those of adopted
	// pods: all are visited. Nodes that only need a pod are visited in
	// name order while the creates fit in the burst (the rest would be cut
	// by syncNodes anyway), merged into the same order.
	other := make([]string, 0, st.need.Len()+len(adopted))
	for n := range st.need.All() {
		other = append(other, n)
	}
	for n := range adopted {
		if _, ok := st.need.Get(n); !ok {
			other = append(other, n)
		}
	}
	slices.Sort(other)
	var unscheduled []deletion
	visit := func(name string) {
		pods := st.podsOn(v, name, nil)
		pods = append(pods, adopted[name]...)
		node, exists := v.Node(name)
		if !exists {
			for _, p := range pods {
				if p.Spec.NodeName == "" {
					unscheduled = append(unscheduled, deletion{p, "node " + name + " does not exist"})
				}
			}
			return
		}
		c.podsShouldBeOnNode(v, st, node, pods, &m)
	}
	i := 0
	for n := range st.create.All() {
		if len(m.creates) >= burst {
			break
		}
		for i < len(other) && other[i] < n {
			visit(other[i])
			i++
		}
		if _, ok := adopted[n]; ok {
			continue // visited with the others
		}
		visit(n)
	}
	for ; i < len(other); i++ {
		visit(other[i])
	}
	m.deletes = append(m.deletes, unscheduled...)
	return m
}

// podsShouldBeOnNode decides what to do on one node (upstream's function
// of that name, with its failed-pod backoff and events).
func (c *Controller) podsShouldBeOnNode(v *cluster.View, st *dsState, node *cluster.Node, pods []*cluster.Pod, m *manageResult) {
	ds := st.ds
	shouldRun, shouldCont := st.elig.ShouldRun(node)
	exists := len(pods) > 0
	dsRef := cluster.RefOf(ds)
	switch {
	case shouldRun && !exists:
		m.creates = append(m.creates, node.Name)
	case shouldCont:
		var running []*cluster.Pod
		for _, p := range pods {
			switch {
			case p.Terminating():
			case p.Status.Phase == cluster.PodFailed:
				if !st.legacy {
					key := fmt.Sprintf("%s/%d/%s", ds.UID, ds.Status.ObservedGeneration, node.Name)
					if delay, in := c.inBackoff(key, v.Elapsed()); in {
						m.requeue = minPositive(m.requeue, delay)
						continue
					}
					c.nextBackoff(v, key)
				}
				m.events = append(m.events, cluster.Emit{Event: cluster.Event{Object: dsRef, Type: cluster.EventWarning, Reason: ReasonFailedDaemonPod,
					Message: fmt.Sprintf("Found failed daemon pod %s/%s on node %s, will try to kill it", p.Namespace, p.Name, node.Name)}})
				m.deletes = append(m.deletes, deletion{p, "failed"})
			case p.Status.Phase == cluster.PodSucceeded && !st.legacy:
				m.events = append(m.events, cluster.Emit{Event: cluster.Event{Object: dsRef, Type: cluster.EventNormal, Reason: ReasonSucceededDaemonPod,
					Message: fmt.Sprintf("Found succeeded daemon pod %s/%s on node %s, will try to delete it", p.Namespace, p.Name, node.Name)}})
				m.deletes = append(m.deletes, deletion{p, "succeeded"})
			default:
				running = append(running, p)
			}
		}
		if !st.surge {
			if len(running) > 1 {
				sortPods(running)
				for _, p := range running[1:] {
					m.deletes = append(m.deletes, deletion{p, "duplicate on node " + node.Name + ", keeping the oldest " + running[0].Name})
				}
			}
			return
		}
		if len(running) <= 1 {
			if len(running) == 0 && shouldRun {
				m.creates = append(m.creates, node.Name)
			}
			return
		}
		sortPods(running)
		newest, oldest, _ := surgePair(running, st.hash)
		for _, p := range running {
			if p != newest && p != oldest {
				m.deletes = append(m.deletes, deletion{p, "excess pod on node " + node.Name})
			}
		}
		if newest != nil && oldest != nil {
			switch {
			case !oldest.IsReady():
				m.deletes = append(m.deletes, deletion{oldest, "old pod is not ready; " + newest.Name + " replaces it"})
			case newest.IsAvailable(st.minReady, v.Now()):
				m.deletes = append(m.deletes, deletion{oldest, "replaced by the available pod " + newest.Name})
			}
		}
	case exists:
		why := "node " + node.Name + " no longer runs this DaemonSet"
		if v.Logging() {
			if r := st.elig.Explain(node).Reasons; len(r) > 0 {
				why += ": " + strings.Join(r, "; ")
			}
		}
		for _, p := range pods {
			if !p.Terminating() {
				m.deletes = append(m.deletes, deletion{p, why})
			}
		}
	}
}

// inBackoff reports whether the failed-pod backoff key is still waiting,
// and for how long its current delay is (flowcontrol.Backoff's
// IsInBackOffSinceUpdate and Get).
func (c *Controller) inBackoff(key string, now time.Duration) (time.Duration, bool) {
	e, ok := c.backoff.Get(key)
	if !ok {
		return 0, false
	}
	return e.delay, now-e.lastUpdate < e.delay
}

// nextBackoff advances the backoff of key: the initial delay for a new or
// expired entry (idle for more than twice the maximum), else double the
// delay up to the maximum.
func (c *Controller) nextBackoff(v *cluster.View, key string) {
	cfg := v.Config()
	now := v.Elapsed()
	e, ok := c.backoff.Get(key)
	if !ok || now-e.lastUpdate > 2*cfg.FailedPodBackoffMax {
		e = backoffEntry{delay: cfg.FailedPodBackoff}
	} else {
		e.delay = min(2*e.delay, cfg.FailedPodBackoffMax)
	}
	e.lastUpdate = now
	c.backoff.Set(key, e)
}

// syncNodes turns decisions into actions as upstream's syncNodes does: at
// most BurstReplicas creates, in slow-start batches of 1, 2, 4, … (a batch
// with a failure stops the later ones), and at most BurstReplicas deletes,
// issued whatever happened to the creates.
func (c *Controller) syncNodes(v *cluster.View, st *dsState, creates []string, deletes []deletion) []cluster.Action {
	burst := v.Config().BurstReplicas
	if len(creates) > burst {
		creates = creates[:burst]
	}
	if len(deletes) > burst {
		deletes = deletes[:burst]
	}
	if len(creates) == 0 && len(deletes) == 0 {
		return nil
	}
	dsRef := cluster.RefOf(st.ds)
	acts := make([]cluster.Action, 0, len(creates)+2*len(deletes))
	logging := v.Logging()
	if len(creates) > 0 {
		if st.tmpl == nil {
			st.tmpl = newPodTemplate(st.ds, st.hash, st.legacy)
		}
		batch, size := 1, 1
		for pos := 0; pos < len(creates); {
			end := min(pos+size, len(creates))
			for _, n := range creates[pos:end] {
				p := st.tmpl.newPod(n, &c.pins)
				detail := ""
				if logging {
					detail = "for=" + n
					if p.Spec.NodeName != "" {
						detail = "node=" + n
					}
				}
				acts = append(acts, cluster.Create{Object: p, Detail: detail, EventsOn: &dsRef, Batch: batch, Prevalidated: true})
			}
			pos = end
			size *= 2
			batch++
		}
	}
	for _, d := range deletes {
		if logging && d.why != "" {
			acts = append(acts, cluster.Note{Object: cluster.RefOf(d.pod), Message: d.why})
		}
		acts = append(acts, cluster.Delete{Object: cluster.RefOf(d.pod), EventsOn: &dsRef, IgnoreNotFound: true, Batch: -1, Always: true})
	}
	return acts
}

// explainNodes notes, for the log, why nodes that became ineligible have
// no pod.
func (c *Controller) explainNodes(v *cluster.View, st *dsState) []cluster.Action {
	if st.explain.Len() == 0 {
		return nil
	}
	var acts []cluster.Action
	dsRef := cluster.RefOf(st.ds)
	for name := range st.explain.All() {
		s := st.summary(name)
		node, ok := v.Node(name)
		if !ok || s.has(fShouldRun) || s.has(fScheduled) || !v.Logging() {
			continue
		}
		msg := "no pod on node " + name
		if r := st.elig.Explain(node).Reasons; len(r) > 0 {
			msg += ": " + strings.Join(r, "; ")
		}
		acts = append(acts, cluster.Note{Object: dsRef, Message: msg})
	}
	st.explain = newNameSet()
	return acts
}

// status returns the status write the sync makes, if any
// (updateDaemonSetStatus and storeDaemonSetStatus).
func (c *Controller) status(ds *DaemonSet, st *dsState) (cluster.Action, bool) {
	a := st.agg
	s := ds.Status
	want := s
	want.DesiredNumberScheduled = int32(a.desired)
	want.CurrentNumberScheduled = int32(a.current)
	want.NumberMisscheduled = int32(a.misscheduled)
	want.NumberReady = int32(a.ready)
	want.UpdatedNumberScheduled = int32(a.updated)
	want.NumberAvailable = int32(a.available)
	want.NumberUnavailable = int32(a.desired - a.available)
	want.ObservedGeneration = ds.Generation
	if want.DesiredNumberScheduled == s.DesiredNumberScheduled && want.CurrentNumberScheduled == s.CurrentNumberScheduled &&
		want.NumberMisscheduled == s.NumberMisscheduled && want.NumberReady == s.NumberReady &&
		want.UpdatedNumberScheduled == s.UpdatedNumberScheduled && want.NumberAvailable == s.NumberAvailable &&
		want.NumberUnavailable == s.NumberUnavailable && s.ObservedGeneration >= ds.Generation {
		return nil, false
	}
	nds := ds.Clone().(*DaemonSet)
	nds.Status = want
	nds.ResourceVersion = ""
	return cluster.UpdateStatus{Object: nds, Detail: DescribeStatus(&want), Retries: 1, Always: true}, true
}

// DescribeStatus renders the counters of a DaemonSet status as the log
// shows them: "desired=3 current=3 ready=3 updated=3 available=3
// misscheduled=0".
func DescribeStatus(s *Status) string {
	var b strings.Builder
	for _, f := range []struct {
		name string
		v    int32
	}{
		{"desired", s.DesiredNumberScheduled}, {"current", s.CurrentNumberScheduled}, {"ready", s.NumberReady},
		{"updated", s.UpdatedNumberScheduled}, {"available", s.NumberAvailable}, {"misscheduled", s.NumberMisscheduled},
	} {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.name)
		b.WriteByte('=')
		b.WriteString(strconv.Itoa(int(f.v)))
	}
	return b.String()
}
