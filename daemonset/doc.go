// Package daemonset simulates Kubernetes DaemonSets: the API object and
// its registry strategy (defaulting, validation, generations), node
// eligibility, the explanation of why a node does or does not get a
// daemon pod, and the DaemonSet controller itself, with rolling updates,
// revision history, rollback and rollout status.
//
// # The controller
//
// [NewController] returns a re-implementation of upstream's
// DaemonSetsController (pkg/controller/daemon, v1.37) as a
// [cluster.Controller]. A sync of one DaemonSet does what syncDaemonSet
// does, in the same order:
//
//  1. An exactly empty selector ({}) emits Warning SelectingAll and stops;
//     a DaemonSet being deleted is left alone (no status either).
//  2. History: the controller claims ControllerRevisions (adopting matching
//     orphans, releasing owned ones that no longer match), labels
//     unlabelled ones, and finds or creates the revision of the current
//     template ("<name>-<hash>"); duplicates are deduplicated and an old
//     revision that became current again is renumbered (a rollback). A
//     hash collision bumps status.collisionCount. See [ComputeHash],
//     [TemplatePatch], [Revisions].
//  3. Claiming pods (the ControllerRefManager rules): matching orphans are
//     adopted, owned pods whose labels no longer match are released; never
//     another controller's pods, never while the DaemonSet is being
//     deleted.
//  4. manage (podsShouldBeOnNode per node): a pod is created on every node
//     that should run one and has none; pods are deleted where the node no
//     longer qualifies (shouldContinueRunning false), duplicates are
//     deleted keeping the oldest (bound first, then oldest, then name),
//     failed pods are deleted with an exponential backoff per node (1 s
//     doubling to 15 min, Warning FailedDaemonPod), succeeded pods are
//     deleted (Normal SucceededDaemonPod), unbound pods targeting nodes
//     that do not exist are deleted, and terminating pods are waited for.
//     Creates come in slow-start batches of 1, 2, 4, … capped at
//     BurstReplicas (250); a batch with a failure stops the later ones;
//     deletes are capped at 250 too. Pod control emits SuccessfulCreate,
//     FailedCreate, SuccessfulDelete and FailedDelete on the DaemonSet.
//  5. The update strategy, when manage asked for nothing (upstream's
//     expectations): OnDelete does nothing; RollingUpdate without surge
//     deletes out-of-date unavailable pods at once and available ones
//     while unavailable nodes stay under maxUnavailable; with maxSurge it
//     creates new pods first (at once where the old pod is unavailable,
//     else up to maxSurge at a time) and deletes old pods once their
//     replacement is available, keeping availability at 100 % when nodes
//     stop qualifying. [RolloutBudget] resolves the budgets.
//  6. History clean-up beyond revisionHistoryLimit (revisions no pod uses).
//  7. Status, as updateDaemonSetStatus computes it, written only when it
//     changed.
//
// Pods of the modern profile carry the template, the automatic daemon
// tolerations, the controller-revision-hash and pod-template-generation
// labels, a controller reference, and a required node affinity whose only
// term is matchFields metadata.name In [node] (the default scheduler binds
// them). In the legacy profile they get spec.nodeName directly and need
// no scheduler.
//
// The controller writes a note to the log for each decision worth
// explaining: why a pod is deleted (the node's failing requirement, a
// duplicate, the rolling update's budget) and why a node that does not
// qualify has no pod.
//
// [Rollback] and [RolloutStatus] are kubectl rollout undo and status.
//
// # Scale
//
// Upstream's sync scans every node and pod of the DaemonSet. This
// controller keeps instead, per DaemonSet, a summary of each node that
// matters (a pure function of the node, its pods and the time, updated
// when one of them changes), their sums (the status counters and the
// rolling update's counts) and ordered sets of the nodes that need work.
// A sync costs time in proportion to the nodes it acts on; relabelling
// one node of a large cluster costs the same as in a small one. The state
// is persistent: forking a cluster copies it in O(1).
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
// Where upstream ranges over Go maps (which node gets a pod first, which
// old pods a rolling update replaces, which nodes it surges onto), the
// controller takes nodes in name order. The controller reads the time
// only from the cluster's virtual clock. The API functions are pure
// functions of their arguments: no clock, no randomness, no goroutines. Validation walks maps in sorted key order,
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
//   - Watch events are delivered synchronously: a sync always sees the
//     effects of the previous one, so expectations are always satisfied
//     when a sync starts, and the rolling update runs in the first sync in
//     which manage has nothing to do. The v1.36 staleness guard is
//     therefore a no-op and is not modelled.
//   - The controller is not restarted: its failed-pod backoff survives for
//     the life of the cluster (upstream garbage-collects idle entries
//     every minute, which changes nothing observable).
//   - The legacy profile keeps no ControllerRevisions (Kubernetes 1.6):
//     rolling updates go by the pod-template-generation label, and
//     [Rollback] is not available; failed pods are deleted without
//     backoff, and succeeded pods are not replaced.
//
// Eligibility and Verdict values are immutable and safe for concurrent
// use; DaemonSets are not, like every object of package cluster.
package daemonset
