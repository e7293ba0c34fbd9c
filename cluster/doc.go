// Package cluster simulates the parts of a Kubernetes control plane that
// DaemonSets depend on: an object store with the API server's semantics
// (defaulting, validation, admission, optimistic concurrency, finalizers,
// graceful deletion, typed errors with the kube-apiserver's wording), a
// virtual clock, a work queue, an ordered event log, and the controllers
// around the DaemonSet controller: the garbage collector, the node
// lifecycle controller, taint-based eviction, pod GC and a kubelet
// stand-in.
//
// # Usage
//
// Build a cluster with [New], register controllers with
// [Cluster.Register], change it as a user would ([Cluster.Apply],
// [Cluster.Delete], [Cluster.Label], [Cluster.Taint], [Cluster.Cordon],
// [Cluster.Disconnect]) and let the controllers work with
// [Cluster.Settle] (all work due now; the clock does not move) and
// [Cluster.Advance] (the clock moves, firing due work in order). Read the
// state with [Cluster.Get] and [Cluster.List], and what happened with
// [Cluster.Log]. The scenario package wires the standard set of
// controllers in one call.
//
// # Controllers
//
// A [Controller] decides and the Cluster acts: Watch sees every store
// change and enqueues keys; Reconcile reads a [View] and returns
// [Action]s, which the Cluster applies in order, logs, and fans out as
// further changes. Controllers may keep derived state (informer-style
// indexes); such controllers implement [Forker] so that [Cluster.Fork]
// gives the fork its own copy.
//
// # Determinism
//
// A Cluster starts no goroutines and reads no clock. Given the same
// [Config] and the same sequence of calls, it appends the same [Record]s,
// byte for byte. Work due at the same instant runs in insertion order
// (or, with Config.Shuffle, in an order drawn from the seed). Generated
// names are generateName plus five characters derived from the seed, the
// prefix and a per-prefix counter, so unrelated objects do not shift
// them. Time moves only in [Cluster.Advance].
//
// A Cluster is not safe for concurrent use, reads included (lookups note
// where they found an object, for the next one). Forks share immutable
// structure only and may be used from different goroutines
// (TestForksConcurrent in package scenario runs two at once under -race).
//
// # Immutability
//
// Stored objects are immutable and shared: readers must not modify them.
// Config.CheckImmutable makes the cluster detect modifications after every
// reconcile (slow; for tests).
//
// # Fidelity
//
// Simulated, after upstream Kubernetes v1.37 (modern profile):
//   - API semantics: uid, resourceVersion, generation on spec changes,
//     generateName, namespaces (the four default ones exist), finalizers,
//     deletionTimestamp, graceful pod deletion (terminationGracePeriodSeconds
//     on the virtual clock; unbound and terminal pods go at once),
//     propagation policies, typed errors with the API server's messages,
//     DefaultTolerationSeconds admission (300 s).
//   - Garbage collector: background, foreground (foregroundDeletion,
//     blockOwnerDeletion) and orphan propagation; dangling dependents;
//     several owners. Owner kinds the cluster does not know are left alone.
//   - Node lifecycle: a node whose kubelet is disconnected goes Ready
//     Unknown exactly NodeMonitorGracePeriod (50 s; 40 s legacy) after its
//     last heartbeat; pods on it are marked not ready; condition taints
//     (NoSchedule and NoExecute not-ready/unreachable, pressure taints,
//     unschedulable from spec.unschedulable) follow the conditions.
//   - Taint eviction: NoExecute taints evict pods that do not tolerate them,
//     at once or after their tolerationSeconds, setting DisruptionTarget
//     first; a removed taint cancels a pending eviction.
//   - Kubelet stand-in: bound pods become Running and Ready after
//     Config.PodStartup; standing status reports (fail a pod, hold it
//     unready); graceful deletion completes at the deletionTimestamp;
//     static pods and their mirror pods, recreated after an API delete.
//   - Pod GC: pods bound to nodes that are gone are deleted after 40 s.
//   - Services and Endpoints: a virtual clusterIP per Service (headless
//     with clusterIP None), an endpoints controller listing ready pods in
//     addresses and unready ones in notReadyAddresses; DNS lookups of
//     Service names ([LookupHost]), the pod a connection through a Service
//     reaches ([ServiceBackend], chosen by a key where kube-proxy picks at
//     random), and the node addresses serving a hostPort
//     ([HostPortTargets]).
//
// Not simulated:
//   - containers, images, probes, volumes, container restarts, resource
//     usage; pod IPs are derived from hashes and may collide;
//   - node leases, the 5 s node-monitor period, the startup grace period
//     of new nodes, per-zone eviction rate limits and the "full
//     disruption" mode (upstream stops evicting when every node is down);
//   - pod GC's periodic scan and terminated-pod threshold;
//   - Service types other than ClusterIP (NodePort and LoadBalancer are
//     accepted and behave as ClusterIP; ExternalName is refused),
//     EndpointSlices, kube-proxy rules;
//   - namespace deletion (an error says so), watches with latency,
//     admission plugins other than DefaultTolerationSeconds, RBAC,
//     quotas, server-side apply (Apply replaces metadata and spec).
//
// Legacy profile (the Kubernetes 1.6–1.9 page): the node monitor grace
// period is 40 s; node failure adds only the NoExecute taints, under the
// alpha keys node.alpha.kubernetes.io/notReady and
// node.alpha.kubernetes.io/unreachable; there are no NoSchedule condition
// taints and no unschedulable taint; DefaultTolerationSeconds uses the
// alpha keys.
package cluster
