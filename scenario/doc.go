// Package scenario runs scenario files: YAML specifications of what a
// simulated cluster does, step by step, with hand-written expectations
// and machine-written outputs. It also holds the standard cluster wiring
// ([NewCluster]), the strict manifest decoder ([Decode]) and what-if
// analysis ([WhatIf]).
//
// A test runs a file in one line:
//
//	func TestMyDaemon(t *testing.T) { scenario.Run(t, "testdata/my-daemon.yaml") }
//
// # File format
//
// One YAML document per file. Unknown keys are errors that carry the
// file and line. Top-level keys:
//
//	claim    the claim id of a seed scenario ("S19"), optional
//	profile  modern (default) or legacy
//	seed     unsigned integer, default 0; changes generated names only
//	log      all (default) or changes (omits event and note records)
//	config   named overrides of the cluster configuration:
//	           nodeMonitorGracePeriod, podStartup, failedPodBackoff,
//	           failedPodBackoffMax (durations such as 40s);
//	           burstReplicas, defaultNotReadyTolerationSeconds,
//	           defaultUnreachableTolerationSeconds (positive integers);
//	           start (RFC 3339 time at which the virtual clock starts);
//	           faults: [{actor, verb, kind, after, times, error}, …] —
//	           deterministic fault injection: of the actions matching actor,
//	           verb (create, update, update-status, delete, bind) and kind
//	           (empty: any), those after the first `after` fail, `times` of
//	           them (0: all), with the API error `error`
//	steps    a non-empty list of steps
//
// A step is a mapping with exactly one verb key, then optionally expect:,
// then optionally output:, in that order. The verbs (the actor of their
// changes is "user" unless said otherwise):
//
//	apply: MANIFEST | [MANIFEST, …]    create or update (kubectl apply); a Node's
//	                                   status comes from the manifest
//	load: MANIFEST | [MANIFEST, …]     store objects as they are, as in a snapshot of
//	                                   an existing cluster: uid, timestamps, owner
//	                                   references and status kept, defaulted but not
//	                                   validated (see [cluster.Cluster.Load])
//	delete: Kind/name                  delete with the kind's default propagation
//	delete: {object: Kind/name, cascade: background|foreground|orphan, gracePeriod: N}
//	delete: {kind: Pod, selector: app=x, node: node-a, namespace: ns, cascade: …, gracePeriod: N}
//	                                   delete every object of the kind the selector
//	                                   and node match (namespace "default" unless
//	                                   given); none is "No resources found …"
//	label: Kind/name key=value other-  kubectl label syntax
//	taint: node key=value:Effect key:Effect- key-
//	                                   kubectl taint syntax, several changes allowed
//	cordon: node, uncordon: node       set spec.unschedulable
//	disconnect: node, reconnect: node  the node's kubelet stops or resumes heartbeats
//	podStatus: {selector, node, phase, ready}
//	                                   a standing kubelet report (see
//	                                   [cluster.Kubelet.Report]): it applies to matching
//	                                   pods now and to those that start later
//	settle:                            run all work due now; the clock does not move
//	advance: DURATION                  move the clock, settling at every due instant
//	show: pods|nodes|daemonsets|events|Kind/name
//	                                   print state (see [ShowPods], [ShowNodes],
//	                                   [ShowDaemonSets], [ShowEvents], [ShowObject])
//	whatif: CHANGE | {change: CHANGE}  print the impact of a change in kubectl words
//	                                   (see [ParseChange], [Report.String]); the
//	                                   cluster is not changed
//	staticPod: {node, manifest}        declare a static pod (see
//	                                   [cluster.Kubelet.AddStaticPod]), as kubelet/<node>
//	rollback: {daemonSet: name, toRevision: N}
//	                                   kubectl rollout undo (N = 0: the previous
//	                                   revision); prints kubectl's message
//	lookup: NAME                       DNS A records of a Service name
//	                                   (see [cluster.LookupHost])
//	lookup: {hostPort: N, protocol: P} the nodeIP:port addresses serving a hostPort
//	lookup: {service: S, namespace: NS, key: N}
//	                                   the pod a connection through Service S
//	                                   reaches (chosen by key; see
//	                                   [cluster.ServiceBackend])
//
// References written Kind/name name the "default" namespace for namespaced
// kinds; Kind/namespace/name is also accepted, and kinds may be written as
// kubectl resource names (node, pods, ds, …). Manifests are decoded as by
// [Decode]. YAML anchors, aliases and merge keys may be used.
//
// # Expectations
//
// expect: holds hand-written checks, run after the step in every mode and
// never rewritten:
//
//	error:   the step must fail with exactly this message; without it any
//	         step error is a failure ("unexpected error: …")
//	pods:    {selector, owner: Kind/name | none, namespace, nodes: [..]} or a
//	         list of them: the live (not terminating) pods that match sit on
//	         exactly this multiset of nodes (~ for an unbound pod); owner is
//	         the controller reference, none for pods without one
//	objects: {Kind/name: {fields}}: a JSON subset match (see [SubsetDiff]):
//	         maps as subsets, lists element by element, null for "missing or
//	         null", scalars equal
//	absent:  [Kind/name, …]: none of these exists
//	events:  [{reason, object, type, message}, …]: these events (reason
//	         required) appear in this order among the step's event records
//
// # Outputs
//
// output: is a literal block scalar holding what the step printed: for
// mutations and loop verbs the records the step appended to the log, one
// [cluster.Record.String] line each (filtered by log:); for show, whatif
// and rollback, their text; for a failed step, a last line "error:
// <message>". A step that printed nothing has no output: key.
//
// In check mode (the default) each output: must equal what the step
// printed, or the file fails with "output mismatch (-want +got)"; once a
// file has one output: block, a step without one must print nothing. A
// file with no output: block at all is judged by its expect: blocks
// alone, so that a test can be written by hand without a golden log. With
// [Options.Update] the runner rewrites output: blocks and nothing else
// (see [Splice]): it replaces the content lines of an existing block,
// inserts "output: |" after a step that has none, indented as the step's
// keys, and removes the key and block of a step that now prints nothing;
// it writes the file only if its bytes changed, then runs it again in
// check mode, which must pass.
//
// A file stops at its first failing step. Harness errors (a file that
// does not parse) and failures are positioned as
//
//	file:line: step N (verb): message
//
// # Determinism
//
// A scenario's run depends only on its file: the cluster runs on the
// caller's goroutine with a virtual clock, and every rendering is sorted
// (show pods by node, namespace and name; nodes and DaemonSets by name).
// Running a file twice gives byte-identical outputs and logs, which the
// package's tests check for every file under testdata. The package starts
// no goroutine: [LoadStateWith] may hand the decoding of a dump's items to
// a [Parallel] of the caller's, and assembles what it decodes in input
// order, so the state loaded is the same however the tasks run.
//
// # Fidelity
//
// The verbs stand for kubectl commands but are not kubectl: apply
// replaces the whole manifest (no three-way merge, no last-applied
// annotation); delete by selector matches a label selector and a node,
// not arbitrary field selectors; kubectl's quoting is not parsed in
// what-if changes (words are split at spaces). Decoding is strict about
// field names and types as the API server's strict field validation is,
// but YAML is read as YAML 1.2 (yaml.v3): "yes" and "on" are strings, as
// in JSON, where kubectl's YAML 1.1 reader would make them booleans.
// What-if analysis compares two settled forks and does not advance the
// clock, so grace periods, startup delays and tolerationSeconds do not
// elapse within it.
//
// Neither an Env nor a running file is safe for concurrent use; separate
// files may run in parallel.
package scenario
