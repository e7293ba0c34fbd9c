// Package scheduling decides where pods can run: node-fit predicates that
// say why a node does not fit a pod, in the words of the Kubernetes
// scheduler, and a stand-in for the default scheduler that binds pending
// pods to nodes.
//
// # Predicates
//
// [Check] (or [NewFilter] and [Filter.Check], to check one pod against many
// nodes without allocating) runs the predicates of the upstream filter
// plugins a DaemonSet pod still meets after the DaemonSet controller has
// created it: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
// NodePorts and NodeResourcesFit. It returns a [Verdict] with every failing
// [Reason], worded as upstream words it ("node(s) had untolerated
// taint(s)", "Insufficient cpu"). [FitErrorMessage] turns the reasons of
// all nodes into the scheduler's "0/3 nodes are available: …" message.
//
// # The scheduler
//
// [NewScheduler] returns the "default-scheduler" controller, to register
// with a cluster:
//
//	c := cluster.MustNew(cluster.Config{})
//	c.Register(scheduling.NewScheduler())
//
// It binds each pending pod to the node that fits it best, or records a
// FailedScheduling event and a PodScheduled=False condition, and retries
// such a pod when a node or pod change lets it fit (see [Scheduler]).
// Pods that name another scheduler are left alone.
//
// # Determinism
//
// Nothing here reads a clock, starts a goroutine or draws a random
// number, and no decision or message depends on map iteration order. Where
// the real scheduler picks at random among equally scored nodes, the
// stand-in takes the node whose name sorts first; where it orders reasons
// or resources by map iteration, the stand-in sorts them. The same
// cluster, changed in the same way, always binds the same pods to the same
// nodes, with the same log.
//
// The predicates are pure functions, and a [Filter] is immutable: both are
// safe for concurrent use. A [Scheduler] keeps an index of the pods waiting
// for a change that would let them fit; a forked cluster gets its own copy
// ([cluster.Forker]). A Scheduler is not safe for concurrent use.
//
// # Fidelity
//
// The predicates mirror Kubernetes v1.37: the order of the plugins, their
// reason strings, host-port conflicts by protocol and host IP, requests as
// the sum over containers or the largest init container, terminating pods
// still holding their resources, terminal pods holding none. The message
// mirrors FitError.Error with the default profile's PostFilter plugins
// (DynamicResources, then DefaultPreemption). Scoring mirrors the
// NodeResourcesFit LeastAllocated strategy on cpu and memory, with
// upstream's defaults of 100m and 200Mi for containers that request
// nothing.
//
// Simulation conveniences:
//
//   - A node whose status.allocatable does not list cpu, memory or
//     ephemeral-storage has an unlimited amount of it, and one that does
//     not list pods allows [DefaultMaxPods] (110), so that hand-written
//     nodes need no status. Other resources (extended resources, hugepages)
//     missing from allocatable are zero, as upstream.
//   - Pods are scheduled in the order they become pending; upstream orders
//     its queue by priority, then by time.
//   - A pod no node fits is retried only when a node it is pinned to (or,
//     for a pod not pinned to nodes, any node) is added or changes so that
//     the pod fits it, or a pod bound to such a node goes away. Upstream
//     also retries on narrower or broader events (queueing hints, a flush of
//     pods unschedulable for five minutes) and records a FailedScheduling
//     event at every attempt; the stand-in records one only when the
//     message changes.
//   - The Normal "Scheduled" event is recorded after the bind action in
//     the same result, and so is recorded even when an injected fault
//     fails the bind; upstream records FailedScheduling then.
//
// Not simulated:
//
//   - Preemption. The message's preemption part is what upstream prints
//     when preemption finds no candidate; a pod never evicts pods of lower
//     priority to make room, and nominatedNodeName is never set.
//   - Scoring plugins other than least-allocated: balanced allocation,
//     preferred node affinity, PreferNoSchedule taints, image locality,
//     inter-pod affinity and topology spread scores.
//   - Filter plugins other than the six above: pod affinity and
//     anti-affinity, pod topology spread constraints, volumes (binding,
//     zones, limits, restrictions), dynamic resource claims, scheduling
//     gates.
//   - Pod overhead, pod-level resources, sidecar (restartable init)
//     containers, in-place resize; the pod model has none of them.
//   - Scheduler extenders, multiple profiles, the percentage of nodes to
//     score, the binding cycle's permit and pre-bind plugins, and the
//     assume cache: a pod is bound at once.
package scheduling
