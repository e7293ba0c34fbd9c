package taints

// AddOrUpdateToleration returns tols with t merged in the way the DaemonSet
// controller merges its automatic tolerations. It mirrors
// AddOrUpdateTolerationInPodSpec in k8s.io/kubernetes/pkg/apis/core/v1/helper,
// including its quirk:
//
//  1. Every toleration of tols that matches t (same key, operator, value and
//     effect; see [Toleration.MatchToleration]) is replaced in place by t.
//     Duplicates are all replaced, and their TolerationSeconds is lost.
//     Upstream compares a *Toleration with a Toleration through
//     Semantic.DeepEqual, which is never true, so it replaces even an equal
//     toleration.
//  2. If nothing matched, t is appended at the end.
//
// Tolerations that differ from t only in operator or value are kept beside
// it. AddOrUpdateToleration never modifies tols: when the result differs
// from tols it is a new slice, and when it is equal (every match already
// equal to t, TolerationSeconds compared by value) tols itself is returned.
func AddOrUpdateToleration(tols []Toleration, t Toleration) []Toleration {
	matched, changed := false, false
	for i := range tols {
		if t.MatchToleration(&tols[i]) {
			matched = true
			if !sameSeconds(tols[i].TolerationSeconds, t.TolerationSeconds) {
				changed = true
			}
		}
	}
	if matched && !changed {
		return tols
	}
	out := make([]Toleration, 0, len(tols)+1)
	for i := range tols {
		if t.MatchToleration(&tols[i]) {
			out = append(out, t)
			continue
		}
		out = append(out, tols[i])
	}
	if !matched {
		out = append(out, t)
	}
	return out
}

func sameSeconds(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// DaemonTolerations returns, in upstream's order, the tolerations the
// DaemonSet controller adds to every daemon pod. All use [OpExists] and
// have no TolerationSeconds, so they tolerate for ever.
//
// In the modern profile (AddOrUpdateDaemonPodTolerations in
// k8s.io/kubernetes/pkg/controller/daemon/util) they are:
//
//  1. [NodeNotReady] NoExecute
//  2. [NodeUnreachable] NoExecute
//  3. [NodeDiskPressure] NoSchedule
//  4. [NodeMemoryPressure] NoSchedule
//  5. [NodePIDPressure] NoSchedule
//  6. [NodeUnschedulable] NoSchedule
//  7. [NodeNetworkUnavailable] NoSchedule, only when hostNetwork is set
//
// In the legacy profile (the Kubernetes 1.6–1.7 page) they are only
// [LegacyNodeNotReady] NoExecute and [LegacyNodeUnreachable] NoExecute, and
// hostNetwork makes no difference.
//
// The result is a new slice on every call.
func DaemonTolerations(hostNetwork, legacy bool) []Toleration {
	exists := func(key string, e Effect) Toleration {
		return Toleration{Key: key, Operator: OpExists, Effect: e}
	}
	if legacy {
		return []Toleration{
			exists(LegacyNodeNotReady, NoExecute),
			exists(LegacyNodeUnreachable, NoExecute),
		}
	}
	tols := make([]Toleration, 0, 7)
	tols = append(tols,
		exists(NodeNotReady, NoExecute),
		exists(NodeUnreachable, NoExecute),
		exists(NodeDiskPressure, NoSchedule),
		exists(NodeMemoryPressure, NoSchedule),
		exists(NodePIDPressure, NoSchedule),
		exists(NodeUnschedulable, NoSchedule),
	)
	if hostNetwork {
		tols = append(tols, exists(NodeNetworkUnavailable, NoSchedule))
	}
	return tols
}

// AddDaemonTolerations merges [DaemonTolerations](hostNetwork, legacy) into
// tols, one by one and in order, with [AddOrUpdateToleration]: the
// tolerations of a daemon pod created from a template with tolerations
// tols. Like AddOrUpdateToleration it never modifies tols.
func AddDaemonTolerations(tols []Toleration, hostNetwork, legacy bool) []Toleration {
	for _, t := range DaemonTolerations(hostNetwork, legacy) {
		tols = AddOrUpdateToleration(tols, t)
	}
	return tols
}
