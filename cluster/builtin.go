package cluster

import (
	"slices"

	"github.com/daemonsim/daemonsim/taints"
)

// The names of the built-in controllers: the actors the log shows for
// them. The kubelet stand-in registers as [KubeletName] but acts, and is
// logged, as "kubelet/<node>", one kubelet per node.
const (
	GarbageCollectorName = "garbage-collector"
	NodeLifecycleName    = "node-lifecycle-controller"
	TaintEvictionName    = "taint-eviction-controller"
	PodGCName            = "pod-gc"
	KubeletName          = "kubelet"
)

// Annotations the kubelet puts on static pods and their mirror pods
// (k8s.io/kubernetes/pkg/kubelet/types).
const (
	// AnnotationConfigMirror marks a mirror pod; its value is the hash of
	// the static pod's manifest.
	AnnotationConfigMirror = "kubernetes.io/config.mirror"
	// AnnotationConfigHash holds the hash of a static pod's manifest.
	AnnotationConfigHash = "kubernetes.io/config.hash"
	// AnnotationConfigSource says where the kubelet got a pod: "file" for
	// static pods, "api" for pods of the API server.
	AnnotationConfigSource = "kubernetes.io/config.source"
	// AnnotationConfigSeen holds when the kubelet first saw a static pod.
	AnnotationConfigSeen = "kubernetes.io/config.seen"
)

// IsMirrorPod reports whether p is the mirror of a static pod: it carries
// the [AnnotationConfigMirror] annotation (upstream's kubetypes.IsMirrorPod).
func IsMirrorPod(p *Pod) bool {
	_, ok := p.Annotations[AnnotationConfigMirror]
	return ok
}

// zeroGrace is the grace period of forced deletions. Actions only read
// through the pointer; nothing may write to it.
var zeroGrace int64

// graceZero returns a pointer to a shared zero grace period.
func graceZero() *int64 { return &zeroGrace }

// boundPods yields the pods bound to node (spec.nodeName), leaving out
// pods only pinned to it by node affinity.
func boundPods(v *View, node string) func(yield func(*Pod) bool) {
	return func(yield func(*Pod) bool) {
		for p := range v.PodsOnNode(node) {
			if p.Spec.NodeName != node {
				continue
			}
			if !yield(p) {
				return
			}
		}
	}
}

// ownerRefsEqual reports whether two owner reference lists are the same,
// field by field.
func ownerRefsEqual(a, b []OwnerReference) bool {
	return slices.EqualFunc(a, b, func(x, y OwnerReference) bool {
		return x.APIVersion == y.APIVersion && x.Kind == y.Kind && x.Name == y.Name && x.UID == y.UID &&
			x.IsController() == y.IsController() && x.Blocks() == y.Blocks()
	})
}

// ownerRefByUID returns m's owner reference to the UID uid, or nil.
func ownerRefByUID(m *ObjectMeta, uid string) *OwnerReference {
	for i := range m.OwnerReferences {
		if m.OwnerReferences[i].UID == uid {
			return &m.OwnerReferences[i]
		}
	}
	return nil
}

// tolerationsEqual reports whether two toleration lists are equal, field
// by field, tolerationSeconds compared by value.
func tolerationsEqual(a, b []taints.Toleration) bool {
	return slices.EqualFunc(a, b, func(x, y taints.Toleration) bool {
		if !x.MatchToleration(&y) {
			return false
		}
		if x.TolerationSeconds == nil || y.TolerationSeconds == nil {
			return x.TolerationSeconds == y.TolerationSeconds
		}
		return *x.TolerationSeconds == *y.TolerationSeconds
	})
}

// withFinalizerRemoved returns the action that removes finalizer f from
// obj: an Update of a copy. When it was the last finalizer of an object
// being deleted with no grace period left, the API server removes the
// object and logs the deletion itself, so the action carries no detail.
func withFinalizerRemoved(obj Object, f string) Update {
	n := obj.Clone()
	m := n.Meta()
	m.Finalizers = slices.DeleteFunc(slices.Clone(m.Finalizers), func(x string) bool { return x == f })
	if len(m.Finalizers) == 0 {
		m.Finalizers = nil
		if m.DeletionTimestamp != nil && (m.DeletionGracePeriodSeconds == nil || *m.DeletionGracePeriodSeconds == 0) {
			return Update{Object: n}
		}
	}
	return Update{Object: n, Detail: DescribeMetaChange(obj.Meta(), m)}
}

// withOwnersRemoved returns the action that removes, from obj, the owner
// references whose UID is in uids: an Update of a copy, with a detail such
// as "owner -DaemonSet/fluentd".
func withOwnersRemoved(obj Object, uids ...string) Update {
	n := obj.Clone()
	m := n.Meta()
	m.OwnerReferences = slices.DeleteFunc(slices.Clone(m.OwnerReferences), func(r OwnerReference) bool {
		return slices.Contains(uids, r.UID)
	})
	if len(m.OwnerReferences) == 0 {
		m.OwnerReferences = nil
	}
	return Update{Object: n, Detail: DescribeMetaChange(obj.Meta(), m)}
}

// withPodCondition returns a copy of p whose status has cond set (see
// [SetPodCondition]).
func withPodCondition(p *Pod, cond PodCondition) *Pod {
	np := *p
	np.Status.Conditions = setPodCondition(p.Status.Conditions, cond)
	return &np
}

// hasPodCondition reports whether p has a condition of cond's type with
// cond's status, reason and message.
func hasPodCondition(p *Pod, cond PodCondition) bool {
	c := p.Condition(cond.Type)
	return c != nil && c.Status == cond.Status && c.Reason == cond.Reason && c.Message == cond.Message
}

// nodeReady returns the status of node n's Ready condition, and false when
// it has none.
func nodeReady(n *Node) (ConditionStatus, bool) {
	c := n.Condition(NodeReady)
	if c == nil {
		return "", false
	}
	return c.Status, true
}
