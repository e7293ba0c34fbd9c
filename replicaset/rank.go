package replicaset

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
)

// PodDeletionCostAnnotation lets users rank pods for scale-down: pods with
// a lower cost go first (controller.kubernetes.io/pod-deletion-cost).
const PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// PodsToDelete returns the n pods to delete first among pods, as
// upstream's getPodsToDelete chooses them (with its ActivePodsWithRanks
// ordering, LogarithmicScaleDown and PodDeletionCost on, as in v1.37):
//
//  1. a pod not yet bound to a node before a bound one;
//  2. Pending before Unknown before Running;
//  3. not Ready before Ready;
//  4. a lower pod-deletion-cost annotation before a higher one (a missing
//     or unparsable one is 0);
//  5. a pod on a node with more active related pods (related: the pods of
//     every owner sharing this one's controller, such as the ReplicaSets
//     of one Deployment) before one with fewer;
//  6. of two Ready pods, the one Ready more recently, compared on a
//     logarithmic scale of the time since now (⌊log₂ ns⌋); a pod without
//     a Ready transition time first;
//  7. the newer pod, compared on the same logarithmic scale of its age;
//  8. name order.
//
// Upstream breaks the ties of 6 and 7 within one logarithmic bucket, and
// every remaining tie, by UID (a pseudorandom order); this uses names.
// Container restart counts (upstream's rule between 6 and 7) are not
// simulated. When n covers every pod, pods are returned as given. pods is
// not modified; the result is a new slice.
func PodsToDelete(pods, related []*cluster.Pod, n int, now time.Time) []*cluster.Pod {
	if n >= len(pods) {
		return slices.Clone(pods)
	}
	onNode := map[string]int{}
	for _, p := range related {
		if isActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	keys := make([]deletionKey, len(pods))
	for i, p := range pods {
		keys[i] = newDeletionKey(p, onNode[p.Spec.NodeName], now)
	}
	slices.SortFunc(keys, compareForDeletion)
	out := make([]*cluster.Pod, n)
	for i := range out {
		out[i] = keys[i].pod
	}
	return out
}

// deletionKey holds what the ranking compares of one pod, computed once.
type deletionKey struct {
	pod        *cluster.Pod
	unassigned bool
	phase      int
	ready      bool
	cost       int64
	rank       int
	readyAt    timeRank
	createdAt  timeRank
}

// timeRank is an instant as the ranking compares it.
type timeRank struct {
	t    time.Time
	zero bool
	log  int64 // ⌊log₂ ns⌋ of the time from t to now
}

func newTimeRank(t, now time.Time) timeRank {
	return timeRank{t: t, zero: t.IsZero(), log: logRank(now.Sub(t))}
}

func newDeletionKey(p *cluster.Pod, rank int, now time.Time) deletionKey {
	k := deletionKey{
		pod:        p,
		unassigned: p.Spec.NodeName == "",
		phase:      phaseOrdinal(p.Status.Phase),
		ready:      p.IsReady(),
		cost:       deletionCost(p),
		rank:       rank,
		createdAt:  newTimeRank(p.CreationTimestamp, now),
	}
	if k.ready {
		k.readyAt = newTimeRank(readyTime(p), now)
	}
	return k
}

// phaseOrdinal orders phases for deletion (upstream's podPhaseToOrdinal).
func phaseOrdinal(p cluster.PodPhase) int {
	switch p {
	case cluster.PodUnknown:
		return 1
	case cluster.PodRunning:
		return 2
	}
	return 0
}

// deletionCost returns the pod-deletion-cost annotation, 0 when missing
// or not an int32.
func deletionCost(p *cluster.Pod) int64 {
	s, ok := p.Annotations[PodDeletionCostAnnotation]
	if !ok {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0
	}
	return v
}

// readyTime returns the transition time of the pod's Ready=True
// condition, or the zero time.
func readyTime(p *cluster.Pod) time.Time {
	if c := p.Condition(cluster.PodReady); c != nil && c.Status == cluster.ConditionTrue {
		return c.LastTransitionTime
	}
	return time.Time{}
}

// compareForDeletion is negative when a goes before b.
func compareForDeletion(a, b deletionKey) int {
	if a.unassigned != b.unassigned {
		if a.unassigned {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(a.phase, b.phase); c != 0 {
		return c
	}
	if a.ready != b.ready {
		if !a.ready {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(a.cost, b.cost); c != 0 {
		return c
	}
	if a.rank != b.rank {
		return cmp.Compare(b.rank, a.rank)
	}
	byName := cmp.Or(cmp.Compare(a.pod.Namespace, b.pod.Namespace), cmp.Compare(a.pod.Name, b.pod.Name))
	if a.ready && b.ready && !a.readyAt.t.Equal(b.readyAt.t) {
		return cmp.Or(compareTimes(a.readyAt, b.readyAt), byName)
	}
	if !a.createdAt.t.Equal(b.createdAt.t) {
		return cmp.Or(compareTimes(a.createdAt, b.createdAt), byName)
	}
	return byName
}

// compareTimes orders two different instants for deletion: a zero time
// first, then the later one on upstream's logarithmic scale; 0 when both
// fall in the same logarithmic bucket.
func compareTimes(a, b timeRank) int {
	switch {
	case a.zero:
		return -1
	case b.zero:
		return 1
	}
	return cmp.Compare(a.log, b.log)
}

// logRank returns ⌊log₂ d⌋ of a positive duration in nanoseconds, and -1
// otherwise (upstream's logarithmicRankDiff).
func logRank(d time.Duration) int64 {
	if d <= 0 {
		return -1
	}
	return int64(math.Log2(float64(d)))
}
