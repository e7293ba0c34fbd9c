package taints

// Well-known taint keys, named after their upstream constants (TaintNode* in
// k8s.io/api/core/v1, unless noted).
const (
	// NodeNotReady is set while the node's Ready condition is False.
	NodeNotReady = "node.kubernetes.io/not-ready"
	// NodeUnreachable is set while the node's Ready condition is Unknown.
	NodeUnreachable = "node.kubernetes.io/unreachable"
	// NodeUnschedulable is set while the node is cordoned
	// (spec.unschedulable).
	NodeUnschedulable = "node.kubernetes.io/unschedulable"
	// NodeMemoryPressure is set while the node reports memory pressure.
	NodeMemoryPressure = "node.kubernetes.io/memory-pressure"
	// NodeDiskPressure is set while the node reports disk pressure.
	NodeDiskPressure = "node.kubernetes.io/disk-pressure"
	// NodePIDPressure is set while the node reports PID pressure.
	NodePIDPressure = "node.kubernetes.io/pid-pressure"
	// NodeNetworkUnavailable is set while the node's network is not
	// configured.
	NodeNetworkUnavailable = "node.kubernetes.io/network-unavailable"
	// NodeOutOfService marks a node that was shut down without draining.
	NodeOutOfService = "node.kubernetes.io/out-of-service"
	// NodeOutOfDisk was set while the node reported OutOfDisk; the condition
	// and the taint were removed in Kubernetes 1.13. Kept for old manifests.
	NodeOutOfDisk = "node.kubernetes.io/out-of-disk"
	// NodeControlPlane is the taint kubeadm puts on control-plane nodes
	// (kubeadm's LabelNodeRoleControlPlane).
	NodeControlPlane = "node-role.kubernetes.io/control-plane"
	// TaintExternalCloudProvider is set by the kubelet when an external
	// cloud provider has not initialised the node yet (k8s.io/cloud-provider).
	TaintExternalCloudProvider = "node.cloudprovider.kubernetes.io/uninitialized"
)

// Legacy taint keys, used by the node controller and the DaemonSet
// controller of Kubernetes 1.6–1.8 (metav1.TaintNodeNotReady and
// metav1.TaintNodeUnreachable of that time). Kubernetes 1.9 renamed them to
// [NodeNotReady] and [NodeUnreachable].
const (
	// LegacyNodeNotReady is the 1.6–1.8 name of NodeNotReady.
	LegacyNodeNotReady = "node.alpha.kubernetes.io/notReady"
	// LegacyNodeUnreachable is the 1.6–1.8 name of NodeUnreachable.
	LegacyNodeUnreachable = "node.alpha.kubernetes.io/unreachable"
)
