package scheduling

import (
	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/taints"
)

// Reason is why a node does not fit a pod, worded exactly as the upstream
// filter plugin that rejects it words it in a FailedScheduling message.
type Reason string

// The reasons of the filter plugins this package simulates, in upstream's
// default filter order. Resource reasons other than cpu, memory and
// ephemeral-storage are built with [Insufficient].
const (
	// ReasonUnschedulable is NodeUnschedulable's reason: the node is
	// cordoned (spec.unschedulable) and the pod does not tolerate the
	// node.kubernetes.io/unschedulable:NoSchedule taint.
	ReasonUnschedulable Reason = "node(s) were unschedulable"
	// ReasonNodeName is NodeName's reason: the pod's spec.nodeName names
	// another node.
	ReasonNodeName Reason = "node(s) didn't match the requested node name"
	// ReasonUntoleratedTaint is TaintToleration's reason: the node has a
	// NoSchedule or NoExecute taint the pod does not tolerate. Since
	// Kubernetes 1.35 (and 1.34.2) upstream no longer names the taint in
	// the message; [Verdict.Taint] does.
	ReasonUntoleratedTaint Reason = "node(s) had untolerated taint(s)"
	// ReasonNodeAffinity is NodeAffinity's reason: the node's labels (or
	// name) do not satisfy the pod's nodeSelector or required node
	// affinity.
	ReasonNodeAffinity Reason = "node(s) didn't match Pod's node affinity/selector"
	// ReasonNodePorts is NodePorts' reason: a host port the pod asks for
	// is taken by a pod already bound to the node.
	ReasonNodePorts Reason = "node(s) didn't have free ports for the requested pod ports"
	// ReasonTooManyPods is NodeResourcesFit's reason when the node already
	// runs as many pods as its allocatable "pods" allows.
	ReasonTooManyPods Reason = "Too many pods"
	// ReasonInsufficientCPU is NodeResourcesFit's reason for cpu.
	ReasonInsufficientCPU Reason = "Insufficient cpu"
	// ReasonInsufficientMemory is NodeResourcesFit's reason for memory.
	ReasonInsufficientMemory Reason = "Insufficient memory"
	// ReasonInsufficientEphemeralStorage is NodeResourcesFit's reason for
	// ephemeral-storage.
	ReasonInsufficientEphemeralStorage Reason = "Insufficient ephemeral-storage"
	// ReasonNodeAffinityPreFilter is what the framework reports for the
	// nodes a pod's node affinity excludes by name before filtering (the
	// NodeAffinity PreFilter result of a pod whose every required term
	// pins matchFields metadata.name): such nodes are never filtered.
	ReasonNodeAffinityPreFilter Reason = "node(s) didn't satisfy plugin(s) [NodeAffinity]"
	// ReasonAffinityTermsConflict is NodeAffinity's PreFilter failure when
	// every required term pins node names and no name is left.
	ReasonAffinityTermsConflict Reason = "pod affinity terms conflict"
)

// The upstream plugin names, as [Reason.Plugin] returns them.
const (
	PluginNodeUnschedulable = "NodeUnschedulable"
	PluginNodeName          = "NodeName"
	PluginTaintToleration   = "TaintToleration"
	PluginNodeAffinity      = "NodeAffinity"
	PluginNodePorts         = "NodePorts"
	PluginNodeResourcesFit  = "NodeResourcesFit"
)

// Insufficient returns NodeResourcesFit's reason for a resource the node
// lacks: "Insufficient cpu", "Insufficient nvidia.com/gpu".
func Insufficient(name cluster.ResourceName) Reason {
	switch name {
	case cluster.ResourceCPU:
		return ReasonInsufficientCPU
	case cluster.ResourceMemory:
		return ReasonInsufficientMemory
	case cluster.ResourceEphemeralStorage:
		return ReasonInsufficientEphemeralStorage
	}
	return Reason("Insufficient " + string(name))
}

// String returns the reason's text.
func (r Reason) String() string { return string(r) }

// Plugin returns the name of the upstream plugin that reports r
// ("NodeResourcesFit" for "Insufficient cpu"), or "" for a reason this
// package does not know.
func (r Reason) Plugin() string {
	switch r {
	case ReasonUnschedulable:
		return PluginNodeUnschedulable
	case ReasonNodeName:
		return PluginNodeName
	case ReasonUntoleratedTaint:
		return PluginTaintToleration
	case ReasonNodeAffinity, ReasonNodeAffinityPreFilter, ReasonAffinityTermsConflict:
		return PluginNodeAffinity
	case ReasonNodePorts:
		return PluginNodePorts
	case ReasonTooManyPods:
		return PluginNodeResourcesFit
	}
	if len(r) > len("Insufficient ") && r[:len("Insufficient ")] == "Insufficient " {
		return PluginNodeResourcesFit
	}
	return ""
}

// resolvable reports whether preemption could help a node rejected for r:
// upstream's filters report resources and ports as Unschedulable, and
// everything else as UnschedulableAndUnresolvable.
func (r Reason) resolvable() bool {
	p := r.Plugin()
	return p == PluginNodePorts || p == PluginNodeResourcesFit
}

// Verdict is the outcome of checking whether a pod fits a node.
type Verdict struct {
	// Fits is true when no predicate fails; Reasons is then empty.
	Fits bool
	// Reasons lists every failing predicate, in upstream's default filter
	// order: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
	// NodePorts, NodeResourcesFit (too many pods, then cpu, memory,
	// ephemeral-storage and other resources by name).
	Reasons []Reason
	// Taint is the first NoSchedule or NoExecute taint of the node that the
	// pod does not tolerate, when Reasons holds [ReasonUntoleratedTaint];
	// the zero Taint otherwise.
	Taint taints.Taint
}

// Has reports whether r is among the verdict's reasons.
func (v Verdict) Has(r Reason) bool {
	for _, x := range v.Reasons {
		if x == r {
			return true
		}
	}
	return false
}
