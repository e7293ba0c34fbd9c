package daemonset

import (
	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Eligibility is the compiled node constraint of one DaemonSet template:
// its spec.nodeName, its nodeSelector and required node affinity, and its
// tolerations with the automatic daemon tolerations merged in. Compile it
// once per template with [NewEligibility] and check many nodes with
// [Eligibility.ShouldRun], which allocates nothing. An Eligibility is
// immutable and does not refer to the DaemonSet it was made from, except
// for sharing its (immutable) strings.
type Eligibility struct {
	none        bool // from a nil DaemonSet: no node is eligible
	nodeName    string
	affinity    selector.RequiredNodeAffinity
	tolerations []taints.Toleration
}

// The taint effects the eligibility check looks at: PreferNoSchedule and
// unknown effects are ignored.
var (
	daemonEffects = taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)
	noExecuteOnly = taints.EffectSetOf(taints.NoExecute)
)

// NewEligibility compiles the node constraint of ds's pod template for
// profile p: the template's spec.nodeName; its nodeSelector and required
// node affinity ([selector.NewRequiredNodeAffinity]; terms that do not
// parse match no node); and its tolerations plus the automatic daemon
// tolerations of the profile ([taints.AddDaemonTolerations]: seven in the
// modern profile, six without hostNetwork; the two
// node.alpha.kubernetes.io ones in the legacy profile). A nil ds gives an
// Eligibility that admits no node.
func NewEligibility(ds *DaemonSet, p cluster.Profile) *Eligibility {
	if ds == nil {
		return &Eligibility{none: true}
	}
	s := &ds.Spec.Template.Spec
	return &Eligibility{
		nodeName:    s.NodeName,
		affinity:    selector.NewRequiredNodeAffinity(s.NodeSelector, s.RequiredNodeSelector()),
		tolerations: taints.AddDaemonTolerations(s.Tolerations, s.HostNetwork, p == cluster.Legacy),
	}
}

// ShouldRun reports whether a daemon pod should be created on node
// (shouldRun) and whether an existing one may stay (shouldContinueRunning),
// as upstream's NodeShouldRunDaemonPod decides:
//
//  1. A template nodeName other than the node's name: (false, false).
//  2. A node that fails the nodeSelector or the required node affinity:
//     (false, false).
//  3. A NoSchedule or NoExecute taint no toleration tolerates: shouldRun is
//     false, and shouldContinueRunning is true only when every untolerated
//     taint is NoSchedule.
//  4. Otherwise (true, true).
//
// PreferNoSchedule taints, taints with an empty or unknown effect, the
// node's unschedulable flag and its conditions play no part. A nil node
// gives (false, false). ShouldRun allocates nothing.
func (e *Eligibility) ShouldRun(node *cluster.Node) (shouldRun, shouldContinueRunning bool) {
	if e.none || node == nil {
		return false, false
	}
	if e.nodeName != "" && e.nodeName != node.Name {
		return false, false
	}
	if ok, _ := e.affinity.Match(node.Name, selector.Set(node.Labels)); !ok {
		return false, false
	}
	taint, found := taints.FindUntoleratedWithEffects(node.Spec.Taints, e.tolerations, daemonEffects)
	if !found {
		return true, true
	}
	if taint.Effect == taints.NoExecute {
		return false, false
	}
	_, noExecute := taints.FindUntoleratedWithEffects(node.Spec.Taints, e.tolerations, noExecuteOnly)
	return false, !noExecute
}

// NodeShouldRun reports, for the modern profile, whether a pod of ds
// should run on node and whether an existing one may keep running (see
// [Eligibility.ShouldRun]). It compiles ds's template on every call: to
// check many nodes, compile once with [NewEligibility].
func NodeShouldRun(node *cluster.Node, ds *DaemonSet) (shouldRun, shouldContinueRunning bool) {
	return NewEligibility(ds, cluster.Modern).ShouldRun(node)
}
