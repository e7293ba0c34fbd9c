package daemonset

import (
	"fmt"
	"iter"

	"github.com/daemonsim/daemonsim/cluster"
)

// allowsSurge reports whether the DaemonSet's rolling update surges:
// RollingUpdate with a maxSurge that resolves to more than 0 (upstream's
// util.AllowsSurge).
func allowsSurge(ds *DaemonSet) bool {
	n, err := surgeCount(ds, 1)
	return err == nil && n > 0
}

// surgeCount resolves maxSurge against the number of nodes that should run
// a pod, rounding up (util.SurgeCount); 0 for OnDelete or no maxSurge.
func surgeCount(ds *DaemonSet, desired int) (int, error) {
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != RollingUpdateStrategy || ru == nil || ru.MaxSurge == nil {
		return 0, nil
	}
	return ru.MaxSurge.ScaledValue(desired, true)
}

// unavailableCount resolves maxUnavailable likewise (util.UnavailableCount).
func unavailableCount(ds *DaemonSet, desired int) (int, error) {
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != RollingUpdateStrategy || ru == nil || ru.MaxUnavailable == nil {
		return 0, nil
	}
	return ru.MaxUnavailable.ScaledValue(desired, true)
}

// RolloutBudget returns the DaemonSet's maxSurge and maxUnavailable
// resolved against desired nodes, as the rolling update uses them: when
// both resolve to 0 and desired is positive, maxUnavailable is 1
// (upstream's updatedDesiredNodeCounts).
func RolloutBudget(ds *DaemonSet, desired int) (maxSurge, maxUnavailable int, err error) {
	if maxUnavailable, err = unavailableCount(ds, desired); err != nil {
		return 0, 0, fmt.Errorf("invalid value for MaxUnavailable: %v", err)
	}
	if maxSurge, err = surgeCount(ds, desired); err != nil {
		return 0, 0, fmt.Errorf("invalid value for MaxSurge: %v", err)
	}
	if desired > 0 && maxUnavailable == 0 && maxSurge == 0 {
		maxUnavailable = 1
	}
	return maxSurge, maxUnavailable, nil
}

// rollingUpdate decides which old pods to delete (and, when surging, on
// which nodes to create new pods) within the strategy's budgets, as
// upstream's rollingUpdate does, taking nodes in name order where upstream
// takes them in map order. It reads the aggregates and candidate sets of
// the state, so it costs time in proportion to the pods it acts on.
func (c *Controller) rollingUpdate(v *cluster.View, st *dsState, adopted map[string][]*cluster.Pod) (creates []string, deletes []deletion, err error) {
	a := st.agg
	if st.oldAvailRun.Len()+st.oldAvailNoRun.Len()+st.oldUnavailRun.Len()+st.oldUnavailNoRun.Len()+st.bothNewAvail.Len() == 0 {
		return nil, nil, nil // no old pod to replace: the rollout is done
	}
	maxSurge, maxUnavailable, err := RolloutBudget(st.ds, a.desired)
	if err != nil {
		return nil, nil, err
	}
	oldPod := func(node string) *cluster.Pod {
		for _, p := range append(st.podsOn(v, node, nil), adopted[node]...) {
			if !p.Terminating() && !IsPodUpdated(p, st.hash, st.gen, st.hasGen) {
				return p
			}
		}
		return nil
	}
	add := func(node, why string) {
		if p := oldPod(node); p != nil {
			deletes = append(deletes, deletion{p, why})
		}
	}
	if maxSurge == 0 || st.legacy {
		// Delete old unavailable pods at once, and old available ones while
		// the unavailable nodes stay under maxUnavailable; manage recreates.
		numUnavailable := a.notOK + a.empty + a.both + a.newOnlyUnavail + st.oldUnavailRun.Len() + st.oldUnavailNoRun.Len()
		for n := range mergeNames(st.oldUnavailRun.All(), st.oldUnavailNoRun.All()) {
			add(n, "rolling update: out of date and unavailable")
		}
		budget := min(max(maxUnavailable-numUnavailable, 0), st.oldAvailRun.Len()+st.oldAvailNoRun.Len())
		for n := range mergeNames(st.oldAvailRun.All(), st.oldAvailNoRun.All()) {
			if budget == 0 {
				break
			}
			add(n, fmt.Sprintf("rolling update: out of date (maxUnavailable=%d, unavailable=%d)", maxUnavailable, numUnavailable))
			budget--
		}
		return nil, deletes, nil
	}

	// Surge: create new pods first, delete old ones once the new are
	// available.
	if a.oldOnlyMissing > 0 {
		for n := range mergeNames(st.oldAvailNoRun.All(), st.oldUnavailNoRun.All()) {
			if _, ok := v.Node(n); !ok {
				return nil, nil, fmt.Errorf("couldn't get node for nodeName %q: node %q not found", n, n)
			}
		}
	}
	numSurge := a.notOK + a.bothNewUnavail
	numAvailable := st.oldAvailRun.Len() + st.oldAvailNoRun.Len() + a.newOnlyAvail + a.bothOldAvail
	for n := range mergeNames(st.oldUnavailNoRun.All(), st.bothNewAvail.All()) {
		if _, ok := st.bothNewAvail.Get(n); ok {
			add(n, "rolling update: the new pod is available")
		} else {
			add(n, "rolling update: out of date, unavailable, and the node no longer runs this DaemonSet")
		}
	}
	for n := range st.oldUnavailRun.All() {
		creates = append(creates, n)
	}
	if deletable := numAvailable - a.desired; deletable > 0 {
		for n := range st.oldAvailNoRun.All() {
			if deletable == 0 {
				break
			}
			add(n, "rolling update: the node no longer runs this DaemonSet and enough pods are available elsewhere")
			deletable--
		}
	}
	budget := min(max(maxSurge-numSurge, 0), st.oldAvailRun.Len())
	for n := range st.oldAvailRun.All() {
		if budget == 0 {
			break
		}
		creates = append(creates, n)
		budget--
	}
	return creates, deletes, nil
}

// mergeNames yields the union of two ascending sequences of distinct
// names, ascending.
func mergeNames(a, b iter.Seq2[string, struct{}]) iter.Seq[string] {
	return func(yield func(string) bool) {
		nextA, stopA := iter.Pull2(a)
		defer stopA()
		nextB, stopB := iter.Pull2(b)
		defer stopB()
		x, _, okA := nextA()
		y, _, okB := nextB()
		for okA || okB {
			var n string
			switch {
			case !okB || (okA && x < y):
				n = x
				x, _, okA = nextA()
			default:
				n = y
				y, _, okB = nextB()
			}
			if !yield(n) {
				return
			}
		}
	}
}
