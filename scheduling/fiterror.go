package scheduling

import (
	"sort"
	"strconv"
	"strings"
)

// MessageNoNodesAvailable is the scheduler's whole failure message when the
// cluster has no node at all (upstream's ErrNoNodesAvailable).
const MessageNoNodesAvailable = "no nodes available to schedule pods"

// The statuses upstream's DefaultPreemption reports per node when it finds
// no node where evicting pods would help.
const (
	// preemptionNotHelpful: the node failed a filter that evicting pods
	// cannot fix (UnschedulableAndUnresolvable), or was never filtered.
	preemptionNotHelpful = "Preemption is not helpful for scheduling"
	// noPreemptionVictims: the node failed only on resources or ports, and
	// no pod on it has a lower priority than the pod to schedule.
	noPreemptionVictims = "No preemption victims found for incoming pod"
)

// postFilterPrefix is what the PostFilter plugins of the default v1.37
// profile say before the preemption part when neither can help:
// DynamicResources (enabled by default since 1.34) has "no new claims to
// deallocate" for a pod without resource claims, and DefaultPreemption
// prefixes its own fit error with "preemption: ". The framework joins the
// two with ", ".
const postFilterPrefix = "no new claims to deallocate, preemption: "

// FitErrorMessage builds the message of a pod's FailedScheduling event and
// PodScheduled=False condition when no node fits, as upstream's
// FitError.Error does for the default profile of Kubernetes v1.37, for
// example:
//
//	0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.
//
// numNodes is the number of nodes in the cluster; reasonsByNode holds, for
// each node that was filtered, the reasons it was rejected, as
// [Filter.Check] returns them. The message is built this way:
//
//  1. With no nodes at all it is [MessageNoNodesAvailable].
//  2. Upstream's framework stops at the first failing filter plugin, so of
//     each node's reasons only those of the first plugin count: "Too many
//     pods" and "Insufficient cpu" together (both NodeResourcesFit), but
//     not a taint and an affinity mismatch together.
//  3. Nodes counted in numNodes but absent from reasonsByNode are those
//     the pod's node affinity excluded by name before filtering (see
//     [ReasonNodeAffinityPreFilter]); they count under that reason.
//  4. Each reason becomes "<count> <reason>"; these are sorted as strings
//     (so "10 x" sorts before "2 y", as upstream) and joined with ", ".
//  5. The preemption part follows. Preemption is not simulated: it says
//     what upstream says when preemption finds no candidate, assuming no
//     pod on any node has a lower priority than the pod to schedule.
//     Nodes rejected for resources or ports count as "No preemption
//     victims found for incoming pod", all others as "Preemption is not
//     helpful for scheduling".
//
// The result does not depend on map iteration order.
func FitErrorMessage(numNodes int, reasonsByNode map[string][]Reason) string {
	d := diagnosis{numNodes: max(numNodes, len(reasonsByNode))}
	for _, rs := range reasonsByNode {
		d.add(firstPluginReasons(rs))
	}
	return d.message()
}

// firstPluginReasons returns the leading reasons of rs that come from the
// same plugin as rs[0].
func firstPluginReasons(rs []Reason) []Reason {
	if len(rs) == 0 {
		return rs
	}
	p := rs[0].Plugin()
	n := 1
	for n < len(rs) && rs[n].Plugin() == p {
		n++
	}
	return rs[:n]
}

// diagnosis accumulates the per-node outcome of a failed scheduling
// attempt (upstream's framework.Diagnosis).
type diagnosis struct {
	numNodes int
	// explicit counts the nodes added; resolvable those of them whose
	// failure preemption might fix.
	explicit, resolvable int
	counts               map[Reason]int
	// preFilter, when set, is the PreFilter failure that rejected every
	// node.
	preFilter Reason
}

// add records one filtered node that failed with reasons (those of its
// first failing plugin).
func (d *diagnosis) add(reasons []Reason) {
	d.explicit++
	if len(reasons) == 0 {
		return
	}
	if reasons[0].resolvable() {
		d.resolvable++
	}
	if d.counts == nil {
		d.counts = make(map[Reason]int, 4)
	}
	for _, r := range reasons {
		d.counts[r]++
	}
}

// message renders the diagnosis (see FitErrorMessage).
func (d *diagnosis) message() string {
	if d.numNodes == 0 {
		return MessageNoNodesAvailable
	}
	var b strings.Builder
	head := "0/" + strconv.Itoa(d.numNodes) + " nodes are available:"
	b.WriteString(head)
	if d.preFilter != "" {
		b.WriteString(" " + string(d.preFilter) + ".")
	} else {
		counts := make(map[string]int, len(d.counts)+1)
		for r, n := range d.counts {
			counts[string(r)] += n
		}
		if absent := d.numNodes - d.explicit; absent > 0 {
			counts[string(ReasonNodeAffinityPreFilter)] += absent
		}
		if h := histogram(counts); h != "" {
			b.WriteString(" " + h + ".")
		}
	}
	b.WriteString(" " + postFilterPrefix + head + " ")
	b.WriteString(histogram(map[string]int{
		noPreemptionVictims:  d.resolvable,
		preemptionNotHelpful: d.numNodes - d.resolvable,
	}))
	b.WriteString(".")
	return b.String()
}

// histogram renders counts as upstream's sortReasonsHistogram: "<n>
// <reason>" for each non-zero count, sorted as strings, joined by ", ".
func histogram(counts map[string]int) string {
	items := make([]string, 0, len(counts))
	for r, n := range counts {
		if n > 0 {
			items = append(items, strconv.Itoa(n)+" "+r)
		}
	}
	sort.Strings(items)
	return strings.Join(items, ", ")
}

// eventMessageLimit is the longest Event message the API server accepts
// (validation.NoteLengthLimit); the scheduler truncates longer ones.
const eventMessageLimit = 1024

// truncateEventMessage mirrors the scheduler's truncateMessage.
func truncateEventMessage(msg string) string {
	if len(msg) <= eventMessageLimit {
		return msg
	}
	const suffix = " ..."
	return msg[:eventMessageLimit-len(suffix)] + suffix
}
