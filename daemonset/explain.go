package daemonset

import (
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Verdict is the eligibility of one node for one DaemonSet, with the
// reasons behind it.
type Verdict struct {
	// Node is the node's name.
	Node string
	// ShouldRun and ShouldContinueRunning are [Eligibility.ShouldRun]'s
	// results.
	ShouldRun, ShouldContinueRunning bool
	// Reasons lists every reason the node falls short, in the order
	// [Eligibility.Explain] documents; it is empty when the node is
	// eligible.
	Reasons []string
}

// String renders the verdict as the CLI prints it: a line
//
//	node-b: shouldRun=false shouldContinueRunning=false
//
// followed by one indented "  - reason" line per reason. The format is
// stable.
func (v Verdict) String() string {
	var b strings.Builder
	b.WriteString(v.Node)
	b.WriteString(": shouldRun=")
	b.WriteString(strconv.FormatBool(v.ShouldRun))
	b.WriteString(" shouldContinueRunning=")
	b.WriteString(strconv.FormatBool(v.ShouldContinueRunning))
	for _, r := range v.Reasons {
		b.WriteString("\n  - ")
		b.WriteString(r)
	}
	return b.String()
}

// Explain returns the verdict of ds's template for node in profile p. See
// [Eligibility.Explain].
func Explain(node *cluster.Node, ds *DaemonSet, p cluster.Profile) Verdict {
	return NewEligibility(ds, p).Explain(node)
}

// Explain returns the verdict for node: [Eligibility.ShouldRun]'s results
// and every reason the node falls short, not only the first one the
// decision stops at. The reasons come in this order:
//
//   - the template's nodeName, when it names another node:
//     `template nodeName is "node-9"`;
//   - each nodeSelector label that fails and, when no required affinity
//     term matches, each term's first failing requirement (see
//     [selector.RequiredNodeAffinity.Explain]), for example
//     `nodeSelector: label "disk" is missing, want "ssd"`;
//   - each NoSchedule or NoExecute taint no toleration tolerates:
//     `taint dedicated=gpu:NoSchedule is not tolerated`;
//   - when only NoSchedule taints are untolerated (shouldRun false,
//     shouldContinueRunning true): `untolerated NoSchedule taints only: an
//     existing pod keeps running`.
//
// The wording is for people; it is deterministic but may change.
func (e *Eligibility) Explain(node *cluster.Node) Verdict {
	if node == nil {
		return Verdict{Reasons: []string{"no node"}}
	}
	v := Verdict{Node: node.Name}
	v.ShouldRun, v.ShouldContinueRunning = e.ShouldRun(node)
	if e.none {
		v.Reasons = append(v.Reasons, "no DaemonSet")
		return v
	}
	if e.nodeName != "" && e.nodeName != node.Name {
		v.Reasons = append(v.Reasons, "template nodeName is "+strconv.Quote(e.nodeName))
	}
	v.Reasons = append(v.Reasons, e.affinity.Explain(node.Name, selector.Set(node.Labels))...)
	for i := range node.Spec.Taints {
		t := &node.Spec.Taints[i]
		if daemonEffects.Has(t.Effect) && !taints.Tolerated(e.tolerations, t) {
			v.Reasons = append(v.Reasons, "taint "+t.String()+" is not tolerated")
		}
	}
	if !v.ShouldRun && v.ShouldContinueRunning {
		v.Reasons = append(v.Reasons, "untolerated NoSchedule taints only: an existing pod keeps running")
	}
	return v
}
