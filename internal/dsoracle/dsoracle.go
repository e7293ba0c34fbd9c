// Package dsoracle recomputes, from scratch, what the DaemonSet
// controller keeps incrementally: the daemon pods of each node and the
// status counters. It is the oracle of the invariant and model-based
// tests (daemonset and scenario), imported by tests only.
//
// Determinism: it reads a cluster and changes nothing; the order of its
// results is the order of the cluster's node and pod lists. Fidelity: it
// counts as upstream's updateDaemonSetStatus does (the oldest pod of each
// node decides readiness, availability and whether the node is updated;
// pods both terminal and terminating are left out).
package dsoracle

import (
	"slices"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
)

// Pods returns the pods ds controls that sel matches, by the node they
// target (bound or pinned); pods that target no node are left out.
func Pods(c *cluster.Cluster, ds *daemonset.DaemonSet, sel selector.Selector) map[string][]*cluster.Pod {
	out := map[string][]*cluster.Pod{}
	for o := range c.List(cluster.KindPod, ds.Namespace) {
		p := o.(*cluster.Pod)
		if r := p.ControllerRef(); r == nil || r.UID != ds.UID || !sel.Matches(selector.Set(p.Labels)) {
			continue
		}
		if n := cluster.TargetNodeName(p); n != "" {
			out[n] = append(out[n], p)
		}
	}
	return out
}

// CurrentHash returns the revision hash of ds's current template, or ""
// when no revision of ds holds it.
func CurrentHash(v *cluster.View, ds *daemonset.DaemonSet) string {
	patch := string(daemonset.TemplatePatch(ds))
	for _, r := range daemonset.Revisions(v, ds) {
		if string(r.Data) == patch {
			return r.Labels[daemonset.RevisionHashLabel]
		}
	}
	return ""
}

// Recount computes ds's status from every node and pod, as upstream's
// updateDaemonSetStatus does, with hash the current revision's and
// availability judged at availableAt. ObservedGeneration and
// CollisionCount are left zero.
func Recount(c *cluster.Cluster, ds *daemonset.DaemonSet, sel selector.Selector, hash string, availableAt time.Time) daemonset.Status {
	byNode := Pods(c, ds, sel)
	gen, hasGen := daemonset.TemplateGeneration(ds)
	elig := daemonset.NewEligibility(ds, c.Config().Profile)
	var s daemonset.Status
	for n := range c.View().Nodes() {
		var pods []*cluster.Pod
		for _, p := range byNode[n.Name] {
			if !(p.IsTerminal() && p.Terminating()) {
				pods = append(pods, p)
			}
		}
		if shouldRun, _ := elig.ShouldRun(n); !shouldRun {
			if len(pods) > 0 {
				s.NumberMisscheduled++
			}
			continue
		}
		s.DesiredNumberScheduled++
		if len(pods) == 0 {
			continue
		}
		s.CurrentNumberScheduled++
		oldest := slices.MinFunc(pods, olderFirst)
		if oldest.IsReady() {
			s.NumberReady++
			if oldest.IsAvailable(ds.Spec.MinReadySeconds, availableAt) {
				s.NumberAvailable++
			}
		}
		if daemonset.IsPodUpdated(oldest, hash, gen, hasGen) {
			s.UpdatedNumberScheduled++
		}
	}
	s.NumberUnavailable = s.DesiredNumberScheduled - s.NumberAvailable
	return s
}

// olderFirst orders pods as upstream's podByCreationTimestampAndPhase:
// bound before unbound, then by creation time, then by name.
func olderFirst(a, b *cluster.Pod) int {
	if (a.Spec.NodeName != "") != (b.Spec.NodeName != "") {
		if a.Spec.NodeName != "" {
			return -1
		}
		return 1
	}
	if c := a.CreationTimestamp.Compare(b.CreationTimestamp); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}
