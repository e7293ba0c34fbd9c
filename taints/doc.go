// Package taints models node taints and pod tolerations: matching
// ([Toleration.Tolerates], [Tolerated], [FindUntolerated]), the well-known
// taint keys, the tolerations the DaemonSet controller adds to every daemon
// pod ([DaemonTolerations], [AddDaemonTolerations]), kubectl's taint syntax
// ([ParseTaint], [ParseTaintChange]) and the API server's validation
// ([ValidateTolerations], [ValidateTaints]).
//
// # Usage
//
// The DaemonSet eligibility check asks whether a node has a NoSchedule or
// NoExecute taint that the pod's tolerations, plus the automatic ones, do
// not tolerate:
//
//	tols := taints.AddDaemonTolerations(template.Tolerations, hostNetwork, false)
//	effects := taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)
//	if taint, found := taints.FindUntoleratedWithEffects(node.Taints, tols, effects); found {
//		// the pod should not run on node, because of taint
//	}
//
// Matching allocates nothing, with or without options.
//
// # Determinism
//
// Every function is a pure function of its arguments: no clock, no
// randomness, no maps iterated, no goroutines. Functions that return
// slices never modify the slices they are given, so slices may be shared
// between immutable objects.
//
// # Fidelity
//
// Matching mirrors Toleration.ToleratesTaint (k8s.io/api) and
// FindMatchingUntoleratedTaint (k8s.io/component-helpers) of Kubernetes
// v1.37, and agrees with every vector of testdata/conformance/tolerations.json
// and daemon_tolerations.json. Validation messages are upstream's, byte for
// byte.
//
//   - The Lt and Gt operators (KEP-5471) are behind upstream's
//     TaintTolerationComparisonOperators feature gate, alpha and off by
//     default. Off, they tolerate nothing and fail validation as unsupported
//     values; [WithComparisonOperators] turns the gate on. On, both values
//     must be canonical decimal int64s: "007", "+7" and "-0" never match.
//   - [AddOrUpdateToleration] keeps upstream's quirk: every matching
//     toleration is replaced by the automatic one, so a user's
//     tolerationSeconds on, say, not-ready:NoExecute is dropped.
//   - The legacy profile (the Kubernetes 1.6–1.7 page) uses the alpha keys
//     [LegacyNodeNotReady] and [LegacyNodeUnreachable], renamed in 1.9, and
//     adds only those two automatic tolerations; the pressure,
//     unschedulable and network-unavailable ones arrived with
//     TaintNodesByCondition.
//   - Not modelled: critical-pod tolerations of 1.8–1.12 (out-of-disk),
//     DefaultTolerationSeconds admission and taint-based eviction (those
//     belong to package cluster).
package taints
