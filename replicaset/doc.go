// Package replicaset simulates ReplicaSets and ReplicationControllers: the
// API objects with their registry strategies (defaulting, validation,
// generations, status), and the controller that keeps a number of pods
// running. It is the counterpart of claim S26 of the DaemonSet page: a
// ReplicationController runs long-lived pods where the replica count
// matters more than which node runs them; the default scheduler, not the
// controller, picks the nodes.
//
// # The API objects
//
// [ReplicaSet] mirrors apps/v1 and [ReplicationController] v1, field for
// field, with the same JSON names. The simulated API server of package
// cluster calls their hooks on every write: Default (replicas 1; for a
// ReplicationController, selector and labels from the template labels;
// the template's pod defaults), Prepare (status owned by the controller),
// Validate ([ValidateReplicaSet], [ValidateReplicationController] and
// their update forms, with the API server's messages), SpecEqual (any
// spec change bumps metadata.generation), WithStatusOf and
// DescribeChange. Call [Register] so that owner references to these kinds
// resolve for the garbage collector.
//
// # The controller
//
// [NewController] ("replicaset-controller") and [NewReplicationController]
// ("replication-controller") are one implementation of upstream's
// ReplicaSetController for each kind. A sync of an owner:
//
//  1. lists the active pods of its namespace (not terminating, not
//     Succeeded or Failed), adopts those its selector matches that have
//     no controller, and releases its own that it no longer matches
//     ("owner +ReplicaSet/web", "owner -ReplicaSet/web"); an owner being
//     deleted does neither;
//  2. unless the owner is being deleted, compares the pods it owns with
//     spec.replicas: missing pods are created from the template, with
//     generateName "<name>-" and a controller reference, in slow-start
//     batches of 1, 2, 4, … (a failed batch skips the later ones) with
//     SuccessfulCreate events; surplus pods are deleted, chosen by
//     [PodsToDelete], with SuccessfulDelete events; at most
//     [BurstReplicas] either way; a note records upstream's "Too few
//     replicas: need 3, creating 3" or "Too many replicas: need 1,
//     deleting 2";
//  3. writes the status counted from the pods found before the
//     creations and deletions ([CalculateStatus]), with
//     observedGeneration, when it changed ("replicas=3 ready=3
//     available=3").
//
// The pods it creates are not bound: the default scheduler (package
// scheduling) places them. Failed pods are not deleted but replaced (pod
// GC removes them). For the available count, the owner is synced again
// minReadySeconds+1s after a pod becomes Ready, as upstream's pod handler
// asks, and minReadySeconds after a sync that finds every pod Ready but
// not all available.
//
// # Determinism
//
// The controller keeps no state, reads time only through the view, and
// visits pods in namespace and name order; ties that upstream breaks by
// UID or by its lister's order are broken by name. Generated pod names
// come from the cluster's seeded name generator. Everything else here is a
// pure function of its arguments.
//
// A Controller is safe to share between forks (it is stateless); the
// objects are not safe for concurrent use, like every object of package
// cluster.
//
// # Fidelity
//
// Simulated after Kubernetes v1.37: adoption and release, slow-start
// creates, burst limits, the deletion ranking (phase, readiness,
// pod-deletion-cost, co-located related pods, logarithmic ready time and
// age), status counters and observedGeneration, the minReadySeconds
// resync, defaulting and validation messages.
//
// Not simulated:
//   - rolling updates: changing the template changes only new pods, as
//     with upstream's ReplicaSets; rolling updates are the Deployment
//     controller's job, which is not simulated (nor are Deployments);
//   - expectations (every write is observed at once here, so upstream's
//     expectations are always satisfied), the ReplicaFailure condition,
//     status.terminatingReplicas, container restart counts in the
//     deletion ranking;
//   - ReplicaSets of extensions/v1beta1 and apps/v1beta2, in either
//     profile: only apps/v1 is served;
//   - the selector of a ReplicaSet is immutable, as apps/v1's; upstream
//     also allows label values in an updated selector that the stored one
//     already had, which this does not;
//   - a sync lists every pod of the owner's namespace, as upstream's does:
//     it costs time in proportion to that namespace.
package replicaset
