// Package daemonset simulates Kubernetes DaemonSets: the API object and
// its registry strategy (defaulting, validation, generations), node
// eligibility, and the explanation of why a node does or does not get a
// daemon pod.
//
// # The API object
//
// [DaemonSet] and [ControllerRevision] mirror apps/v1, field for field and
// with the same JSON names. The simulated API server in package cluster
// calls their hooks on every write, as the real one calls the DaemonSet
// registry strategy:
//
//   - [DaemonSet.Default]: the apps/v1 defaults (RollingUpdate with
//     maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10, the pod
//     defaults of the template), or the extensions/v1beta1 ones in the
//     legacy profile;
//   - [DaemonSet.Prepare]: status owned by the controller; the template
//     generation set to 1 on create and bumped when spec.template changes;
//   - [DaemonSet.Validate]: [ValidateDaemonSet] and
//     [ValidateDaemonSetUpdate], with the API server's messages;
//   - [DaemonSet.SpecEqual]: any spec change bumps metadata.generation;
//   - [DaemonSet.DescribeChange], [DaemonSet.WithStatusOf] and
//     [DaemonSet.DefaultPropagation].
//
// # Eligibility
//
// [NewEligibility] compiles a template's node constraint once: its
// nodeName, its nodeSelector and required node affinity, and its
// tolerations with the automatic daemon tolerations. [Eligibility.ShouldRun]
// then answers upstream's NodeShouldRunDaemonPod for any node without
// allocating:
//
//	e := daemonset.NewEligibility(ds, cluster.Modern)
//	for _, node := range nodes {
//		shouldRun, shouldContinueRunning := e.ShouldRun(node)
//		…
//	}
//
// [Explain] and [Eligibility.Explain] return a [Verdict] with every reason
// a node falls short, which the CLI's explain command prints.
//
// # Profiles
//
// The modern profile (the default) is Kubernetes v1.37: only apps/v1 is
// served. The legacy profile is the Kubernetes 1.6–1.9 of the original
// DaemonSet page, and differs in these ways:
//
//   - extensions/v1beta1 and apps/v1beta2 manifests are served; the modern
//     profile refuses them as kubectl does (upstream stopped serving them in
//     1.16): `no matches for kind "DaemonSet" in version "extensions/v1beta1"`;
//   - in extensions/v1beta1 the selector defaults to the template labels
//     (and empty object labels to the template labels), the update
//     strategy defaults to OnDelete, the selector may change, the template
//     generation is spec.templateGeneration (not the
//     deprecated.daemonset.template.generation annotation), and deletes
//     orphan the pods by default (apps/v1beta2 orphans too);
//   - daemon pods tolerate only node.alpha.kubernetes.io/notReady and
//     node.alpha.kubernetes.io/unreachable (NoExecute) automatically, so a
//     node tainted node.kubernetes.io/unschedulable, not-ready or with a
//     pressure condition does not get them.
//
// # Determinism
//
// Everything here is a pure function of its arguments: no clock, no
// randomness, no goroutines. Validation walks maps in sorted key order,
// so errors come in a fixed order (upstream's order within one map
// depends on Go's map iteration). Hooks never write into slices or maps
// an object shares with another version of it; they replace them.
//
// # Fidelity
//
// Defaulting, validation and eligibility agree with every vector of
// testdata/conformance/daemonset_validation.json and should_run.json
// (Kubernetes v1.37.2), messages included. Known differences:
//
//   - Fields the simulator carries as opaque JSON (volumes, env, probes,
//     security contexts, pod affinity, image pull secrets) are not
//     validated; neither are fields it does not carry (dnsConfig: a
//     dnsPolicy of None is therefore always rejected).
//   - On update, upstream allows a selector with invalid label values when
//     the stored one already had them (AllowInvalidLabelValueInSelector);
//     this does not.
//   - The gated pod-template checks of upstream's
//     ValidateConditionalPodTemplate and the API server's strict
//     decoding of unknown fields are not simulated, except that an apps/v1
//     manifest may not set spec.templateGeneration.
//   - Status updates are not validated (the simulated API server does not
//     call Validate for them).
//   - A template-generation annotation that does not parse is an Invalid
//     error at metadata.annotations; upstream fails the request while
//     converting it.
//   - Eligibility does not model the scheduler predicates the 1.6–1.9
//     controller also ran (resources, host ports, node conditions): both
//     profiles use today's algorithm, with the legacy tolerations.
//
// Eligibility and Verdict values are immutable and safe for concurrent
// use; DaemonSets are not, like every object of package cluster.
package daemonset
