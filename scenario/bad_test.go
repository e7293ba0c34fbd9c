package scenario

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
)

// badDir holds the catalog of malformed inputs, relative to the module
// root (the tests below change to it, so that error messages name files
// as a user at the root would).
const badDir = "testdata/bad"

// badEntry says which entry point reads a file of the catalog.
type badEntry int

const (
	// entryParse: ParseFile fails, and RunFile reports the same error as
	// its one harness error, having run nothing.
	entryParse badEntry = iota + 1
	// entryRun: the file parses, and RunFile fails at a step with an
	// unexpected error; the failing step changes nothing.
	entryRun
	// entryDecode: strict decoding (Decode, DecodeWith) fails.
	entryDecode
	// entryDump: lenient decoding, as for kubectl dumps (DecodeLenient,
	// DecodeWith with Lenient), and the state loader (LoadState) fail
	// alike.
	entryDump
	// entryState: a dump that decodes, but that LoadState refuses,
	// storing nothing.
	entryState
)

func (e badEntry) String() string {
	switch e {
	case entryParse:
		return "parse"
	case entryRun:
		return "run"
	case entryDecode:
		return "decode"
	case entryDump:
		return "dump"
	case entryState:
		return "state"
	}
	return fmt.Sprintf("badEntry(%d)", int(e))
}

// badFiles maps every file of testdata/bad (except those with tests of
// their own: see badSpecial) to its entry point and its exact error.
var badFiles = []struct {
	file  string
	entry badEntry
	want  string
}{
	{"advance-bad-unit.yaml", entryParse, `testdata/bad/advance-bad-unit.yaml:3: step 1 (advance): advance: invalid duration "3 days"`},
	{"advance-negative.yaml", entryRun, `testdata/bad/advance-negative.yaml:7: step 2 (advance): unexpected error: cluster: advance: negative duration -5s`},
	{"advance-not-duration.yaml", entryParse, `testdata/bad/advance-not-duration.yaml:3: step 1 (advance): advance: want a duration such as 30s, got a number`},
	{"alias-bomb-scenario.yaml", entryParse, `testdata/bad/alias-bomb-scenario.yaml:10: step 1 (apply): yaml: aliases expand to more than 10000 nodes`},
	{"alias-bomb.yaml", entryDecode, `testdata/bad/alias-bomb.yaml:9: yaml: aliases expand to more than 10000 nodes`},
	{"alias-recursive.yaml", entryParse, `testdata/bad/alias-recursive.yaml:6: step 1 (apply): yaml: nesting deeper than 200 levels`},
	{"apply-partial-invalid.yaml", entryRun, `testdata/bad/apply-partial-invalid.yaml:8: step 2 (apply): unexpected error: Node "node_c" is invalid: metadata.name: Invalid value: "node_c": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
	{"config-bad-duration.yaml", entryParse, `testdata/bad/config-bad-duration.yaml:3: config.failedPodBackoff: invalid duration "5 minutes"`},
	{"config-burst-zero.yaml", entryParse, `testdata/bad/config-burst-zero.yaml:3: config.burstReplicas: must be a positive 32-bit integer, got 0`},
	{"config-duration-number.yaml", entryParse, `testdata/bad/config-duration-number.yaml:3: config.podStartup: want a duration such as 30s, got a number`},
	{"config-fault-negative-after.yaml", entryParse, `testdata/bad/config-fault-negative-after.yaml:4: config.faults[].after: must not be negative, got -1`},
	{"config-fault-unknown-verb.yaml", entryParse, `testdata/bad/config-fault-unknown-verb.yaml:4: config.faults[].verb: unknown verb "patch" (want create, update, update-status, delete or bind)`},
	{"config-negative-duration.yaml", entryParse, `testdata/bad/config-negative-duration.yaml:3: config.nodeMonitorGracePeriod: must be positive, got -40s`},
	{"config-start-not-rfc3339.yaml", entryParse, `testdata/bad/config-start-not-rfc3339.yaml:3: config.start: invalid RFC 3339 time "2024-01-01 10:00"`},
	{"config-unknown-key.yaml", entryParse, `testdata/bad/config-unknown-key.yaml:4: config: unknown key "podStartupDelay" (want nodeMonitorGracePeriod, podStartup, failedPodBackoff, failedPodBackoffMax, burstReplicas, defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, start or faults)`},
	{"cordon-empty.yaml", entryParse, `testdata/bad/cordon-empty.yaml:3: step 1 (cordon): cordon: empty node name`},
	{"deep-nesting.yaml", entryParse, `testdata/bad/deep-nesting.yaml:10: step 1 (apply): yaml: nesting deeper than 200 levels`},
	{"delete-bad-cascade.yaml", entryParse, `testdata/bad/delete-bad-cascade.yaml:4: step 2 (delete): cascade "false" not supported; use background, foreground or orphan`},
	{"delete-bad-reference.yaml", entryParse, `testdata/bad/delete-bad-reference.yaml:3: step 1 (delete): delete: invalid object reference "Node": want Kind/name or Kind/namespace/name`},
	{"delete-namespace-cluster-scoped.yaml", entryParse, `testdata/bad/delete-namespace-cluster-scoped.yaml:3: step 1 (delete): delete.namespace: Node is not namespaced`},
	{"delete-negative-grace.yaml", entryParse, `testdata/bad/delete-negative-grace.yaml:3: step 1 (delete): delete.gracePeriod: must not be negative, got -1`},
	{"delete-node-not-pod.yaml", entryParse, `testdata/bad/delete-node-not-pod.yaml:3: step 1 (delete): delete.node: only pods have a node, not DaemonSet`},
	{"delete-object-and-selector.yaml", entryParse, `testdata/bad/delete-object-and-selector.yaml:3: step 1 (delete): delete: object excludes kind, selector, node and namespace`},
	{"delete-unknown-kind.yaml", entryParse, `testdata/bad/delete-unknown-kind.yaml:3: step 1 (delete): delete: invalid object reference "Deployment/web": unknown kind "Deployment" (want Node, Pod, Namespace, DaemonSet, ControllerRevision, Service, Endpoints, ReplicaSet or ReplicationController)`},
	{"dump-duplicate-names.yaml", entryState, `testdata/bad/dump-duplicate-names.yaml:13: pods "web" already exists`},
	{"dump-nameless-node.yaml", entryState, `testdata/bad/dump-nameless-node.yaml:5: Node "" is invalid: metadata.name: Required value: name or generateName is required`},
	{"dump-bad-timestamp.yaml", entryDump, `testdata/bad/dump-bad-timestamp.yaml:8: Pod: metadata.creationTimestamp: parsing time "01/02/2024 10:00" as "2006-01-02T15:04:05Z07:00": cannot parse "01/02/2024 10:00" as "2006"`},
	{"dump-json-stream-bad-label.json", entryDump, `testdata/bad/dump-json-stream-bad-label.json:3: Node: metadata.labels[zone]: want a string, got a number`},
	{"dump-items-not-list.yaml", entryDump, `testdata/bad/dump-items-not-list.yaml:5: List: items: want a list, got a mapping`},
	{"dump-missing-apiversion.yaml", entryDump, `testdata/bad/dump-missing-apiversion.yaml:5: apiVersion not set`},
	{"dump-nested-list.yaml", entryDump, `testdata/bad/dump-nested-list.yaml:6: a list item cannot be a list (PodList)`},
	{"dump-scalar-document.yaml", entryDump, `testdata/bad/dump-scalar-document.yaml:6: apiVersion not set, kind not set`},
	{"dump-truncated.json", entryDump, `testdata/bad/dump-truncated.json:5: yaml: did not find expected ',' or '}'`},
	{"dump-unknown-kind.yaml", entryDecode, `testdata/bad/dump-unknown-kind.yaml:10: unsupported kind "Deployment" (supported: ControllerRevision, DaemonSet, Endpoints, List, Namespace, Node, Pod, ReplicaSet, ReplicationController, Service)`},
	{"dump-unserved-version.yaml", entryDump, `testdata/bad/dump-unserved-version.yaml:6: no matches for kind "DaemonSet" in version "apps/v1beta9"`},
	{"dump-wrong-type.yaml", entryDump, `testdata/bad/dump-wrong-type.yaml:11: Node: spec.unschedulable: want a boolean, got a string`},
	{"duplicate-names-load-twice.yaml", entryRun, `testdata/bad/duplicate-names-load-twice.yaml:14: step 3 (load): unexpected error: pods "web" already exists`},
	{"duplicate-names-load.yaml", entryRun, `testdata/bad/duplicate-names-load.yaml:8: step 2 (load): unexpected error: pods "web" already exists`},
	{"label-no-changes.yaml", entryParse, `testdata/bad/label-no-changes.yaml:3: step 1 (label): label: want Kind/name and at least one key=value or key-, got "Node/node-a"`},
	{"label-not-string.yaml", entryParse, `testdata/bad/label-not-string.yaml:3: step 1 (label): label: want a string, got a mapping`},
	{"lookup-port-out-of-range.yaml", entryParse, `testdata/bad/lookup-port-out-of-range.yaml:3: step 1 (lookup): lookup.hostPort: out of range: 70000`},
	{"manifest-bad-apiversion.yaml", entryParse, `testdata/bad/manifest-bad-apiversion.yaml:5: step 1 (apply): no matches for kind "DaemonSet" in version "apps/v2"`},
	{"manifest-bad-quantity.yaml", entryParse, `testdata/bad/manifest-bad-quantity.yaml:11: step 1 (apply): Pod: spec.containers[0].resources.requests[cpu]: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`},
	{"manifest-bad-tag.yaml", entryParse, `testdata/bad/manifest-bad-tag.yaml:6: step 1 (apply): Node: metadata.name: want a string, got a mapping`},
	{"manifest-bad-timestamp.yaml", entryParse, `testdata/bad/manifest-bad-timestamp.yaml:6: step 1 (load): Pod: metadata.creationTimestamp: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
	{"manifest-duplicate-key.yaml", entryParse, `testdata/bad/manifest-duplicate-key.yaml:7: step 1 (apply): yaml: mapping key "metadata" already defined at line 6`},
	{"manifest-empty-list.yaml", entryParse, `testdata/bad/manifest-empty-list.yaml:3: step 1 (apply): apply: no manifests`},
	{"manifest-field-case.yaml", entryParse, `testdata/bad/manifest-field-case.yaml:7: step 1 (apply): Node: unknown field "Spec"`},
	{"manifest-float-for-int.yaml", entryParse, `testdata/bad/manifest-float-for-int.yaml:8: step 1 (apply): DaemonSet: spec.minReadySeconds: want an integer, got a number`},
	{"manifest-infinity.yaml", entryParse, `testdata/bad/manifest-infinity.yaml:8: step 1 (apply): yaml: .inf is not a JSON number`},
	{"manifest-int-overflow.yaml", entryParse, `testdata/bad/manifest-int-overflow.yaml:8: step 1 (apply): Pod: spec.terminationGracePeriodSeconds: want an integer, got a number`},
	{"manifest-intorstring-bool.yaml", entryDecode, `testdata/bad/manifest-intorstring-bool.yaml:9: DaemonSet: spec.updateStrategy.rollingUpdate.maxUnavailable: json: cannot unmarshal bool into Go value of type int32`},
	{"manifest-json-wrong-type.json", entryDecode, `testdata/bad/manifest-json-wrong-type.json:1: Node: metadata.labels[rack]: want a string, got a number`},
	{"manifest-kind-not-string.yaml", entryParse, `testdata/bad/manifest-kind-not-string.yaml:5: step 1 (apply): kind: want a string, got a list`},
	{"manifest-labels-not-strings.yaml", entryParse, `testdata/bad/manifest-labels-not-strings.yaml:8: step 1 (apply): Node: metadata.labels[zones]: want a string, got a list`},
	{"manifest-list-in-list.yaml", entryParse, `testdata/bad/manifest-list-in-list.yaml:8: step 1 (apply): a list item cannot be a list (List)`},
	{"manifest-list-unknown-field.yaml", entryParse, `testdata/bad/manifest-list-unknown-field.yaml:6: step 1 (apply): List: unknown field "itemz"`},
	{"manifest-missing-kind.yaml", entryParse, `testdata/bad/manifest-missing-kind.yaml:4: step 1 (apply): kind not set`},
	{"manifest-multidoc-second-bad.yaml", entryDecode, `testdata/bad/manifest-multidoc-second-bad.yaml:11: Node: unknown field "status.condition"`},
	{"manifest-nonscalar-key.yaml", entryParse, `testdata/bad/manifest-nonscalar-key.yaml:7: step 1 (apply): yaml: mapping keys must be scalars`},
	{"manifest-not-mapping.yaml", entryParse, `testdata/bad/manifest-not-mapping.yaml:3: step 1 (apply): apply: want a manifest or a list of manifests, got a string`},
	{"manifest-null-apply.yaml", entryParse, `testdata/bad/manifest-null-apply.yaml:3: step 1 (apply): apply: want a manifest or a list of manifests, got null`},
	{"manifest-pod-unknown-container-field.yaml", entryDecode, `testdata/bad/manifest-pod-unknown-container-field.yaml:15: DaemonSet: unknown field "spec.template.spec.containers[0].readinessProbes"`},
	{"manifest-toleration-seconds-string.yaml", entryDecode, `testdata/bad/manifest-toleration-seconds-string.yaml:8: Pod: spec.tolerations[0].tolerationSeconds: want an integer, got a string`},
	{"manifest-unknown-field.yaml", entryParse, `testdata/bad/manifest-unknown-field.yaml:9: step 1 (apply): DaemonSet: unknown field "spec.templat"`},
	{"manifest-unknown-kind.yaml", entryParse, `testdata/bad/manifest-unknown-kind.yaml:5: step 1 (apply): unsupported kind "Deployment" (supported: ControllerRevision, DaemonSet, Endpoints, List, Namespace, Node, Pod, ReplicaSet, ReplicationController, Service)`},
	{"manifest-wrong-type.yaml", entryParse, `testdata/bad/manifest-wrong-type.yaml:8: step 1 (apply): DaemonSet: spec.minReadySeconds: want an integer, got a string`},
	{"missing-cordon.yaml", entryRun, `testdata/bad/missing-cordon.yaml:6: step 2 (cordon): unexpected error: nodes "node-b" not found`},
	{"missing-delete-daemonset.yaml", entryRun, `testdata/bad/missing-delete-daemonset.yaml:7: step 2 (delete): unexpected error: daemonsets.apps "fluentd" not found`},
	{"missing-disconnect.yaml", entryRun, `testdata/bad/missing-disconnect.yaml:3: step 1 (disconnect): unexpected error: nodes "node-b" not found`},
	{"missing-label-node.yaml", entryRun, `testdata/bad/missing-label-node.yaml:7: step 2 (label): unexpected error: nodes "node-z" not found`},
	{"missing-namespace.yaml", entryRun, `testdata/bad/missing-namespace.yaml:7: step 2 (apply): unexpected error: namespaces "monitoring" not found`},
	{"missing-rollback.yaml", entryRun, `testdata/bad/missing-rollback.yaml:3: step 1 (rollback): unexpected error: daemonsets.apps "fluentd" not found`},
	{"missing-taint-removal.yaml", entryRun, `testdata/bad/missing-taint-removal.yaml:7: step 2 (taint): unexpected error: taint "dedicated:NoSchedule" not found`},
	{"podstatus-nothing-reported.yaml", entryParse, `testdata/bad/podstatus-nothing-reported.yaml:3: step 1 (podStatus): podStatus: want phase, ready or both`},
	{"podstatus-ready-string.yaml", entryParse, `testdata/bad/podstatus-ready-string.yaml:3: step 1 (podStatus): podStatus.ready: want a boolean, got a string`},
	{"podstatus-unknown-phase.yaml", entryParse, `testdata/bad/podstatus-unknown-phase.yaml:3: step 1 (podStatus): podStatus.phase: unknown phase "Crashed" (want Pending, Running, Succeeded, Failed or Unknown)`},
	{"rollback-negative-revision.yaml", entryParse, `testdata/bad/rollback-negative-revision.yaml:3: step 1 (rollback): rollback.toRevision: must not be negative, got -1`},
	{"rollback-not-daemonset.yaml", entryParse, `testdata/bad/rollback-not-daemonset.yaml:3: step 1 (rollback): rollback.daemonSet: "Pod/web" is not a DaemonSet`},
	{"selector-bad-key.yaml", entryParse, `testdata/bad/selector-bad-key.yaml:3: step 1 (delete): delete.selector: unable to parse requirement: <nil>: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`},
	{"selector-bad-operator.yaml", entryParse, `testdata/bad/selector-bad-operator.yaml:3: step 1 (podStatus): podStatus.selector: unable to parse requirement: <nil>: Invalid value: "app~web": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`},
	{"selector-empty-daemonset.yaml", entryRun, `testdata/bad/selector-empty-daemonset.yaml:4: step 1 (apply): unexpected error: DaemonSet.apps "fluentd" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for daemonset`},
	{"selector-in-without-values.yaml", entryRun, "testdata/bad/selector-in-without-values.yaml:4: step 1 (apply): unexpected error: DaemonSet.apps \"fluentd\" is invalid: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"},
	{"selector-matchexpressions-bad-operator.yaml", entryRun, `testdata/bad/selector-matchexpressions-bad-operator.yaml:5: step 1 (apply): unexpected error: DaemonSet.apps "fluentd" is invalid: spec.selector.matchExpressions[0].operator: Invalid value: "Within": not a valid selector operator`},
	{"selector-unclosed-set.yaml", entryParse, `testdata/bad/selector-unclosed-set.yaml:3: step 1 (delete): delete.selector: unable to parse requirement: found '', expected: ',', or identifier`},
	{"settle-with-argument.yaml", entryParse, `testdata/bad/settle-with-argument.yaml:3: step 1 (settle): settle takes no argument, got a string`},
	{"show-unknown.yaml", entryParse, `testdata/bad/show-unknown.yaml:3: step 1 (show): show: want pods, nodes, daemonsets, events or Kind/name, got "deployments"`},
	{"staticpod-not-a-pod.yaml", entryParse, `testdata/bad/staticpod-not-a-pod.yaml:5: step 1 (staticPod): staticPod.manifest: want a Pod, got a Node`},
	{"step-empty.yaml", entryParse, `testdata/bad/step-empty.yaml:4: step 2: empty step: want one verb key (apply, load, delete, label, taint, cordon, uncordon, disconnect, reconnect, podStatus, settle, advance, show, whatif, staticPod, rollback or lookup)`},
	{"step-expect-before-verb.yaml", entryParse, `testdata/bad/step-expect-before-verb.yaml:3: step 1: expect: before the verb; a step is a verb, then expect:, then output:`},
	{"step-expect-unknown-key.yaml", entryParse, `testdata/bad/step-expect-unknown-key.yaml:5: step 1 (settle): expect: unknown key "present" (want error, pods, objects, absent or events)`},
	{"step-not-mapping.yaml", entryParse, `testdata/bad/step-not-mapping.yaml:3: step 1: a step must be a mapping with one verb key, not a string`},
	{"step-output-not-block.yaml", entryParse, `testdata/bad/step-output-not-block.yaml:4: step 1 (settle): output: want a literal block (output: |), got a list`},
	{"step-two-verbs.yaml", entryParse, `testdata/bad/step-two-verbs.yaml:4: step 1 (cordon): two verbs in one step: "cordon" and "settle"`},
	{"step-unknown-key.yaml", entryParse, `testdata/bad/step-unknown-key.yaml:4: step 1 (settle): unknown key "expected" in step (want expect or output)`},
	{"taint-bad-effect.yaml", entryRun, `testdata/bad/taint-bad-effect.yaml:7: step 2 (taint): unexpected error: cluster: taint: taints: invalid taint spec "dedicated=gpu:NoRun": invalid taint effect: NoRun, unsupported taint effect`},
	{"taint-not-a-node.yaml", entryParse, `testdata/bad/taint-not-a-node.yaml:3: step 1 (taint): taint: "Pod/web" is not a node`},
	{"top-log-unknown.yaml", entryParse, `testdata/bad/top-log-unknown.yaml:2: log: unknown log level "verbose" (want all or changes)`},
	{"top-profile-unknown.yaml", entryParse, `testdata/bad/top-profile-unknown.yaml:2: profile: unknown profile "ancient" (want modern or legacy)`},
	{"top-seed-negative.yaml", entryParse, `testdata/bad/top-seed-negative.yaml:2: seed: invalid unsigned integer "-3"`},
	{"top-seed-string.yaml", entryParse, `testdata/bad/top-seed-string.yaml:2: seed: want an unsigned integer, got a string`},
	{"top-steps-empty.yaml", entryParse, `testdata/bad/top-steps-empty.yaml:2: steps: want a non-empty list of steps`},
	{"top-steps-missing.yaml", entryParse, `testdata/bad/top-steps-missing.yaml:2: scenario: steps: required`},
	{"top-steps-not-list.yaml", entryParse, `testdata/bad/top-steps-not-list.yaml:3: steps: want a non-empty list of steps`},
	{"top-unknown-key.yaml", entryParse, `testdata/bad/top-unknown-key.yaml:3: scenario: unknown key "stesp" (want claim, profile, seed, log, config or steps)`},
	{"validate-bad-name.yaml", entryRun, `testdata/bad/validate-bad-name.yaml:4: step 1 (apply): unexpected error: Node "Node_A" is invalid: metadata.name: Invalid value: "Node_A": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
	{"validate-negative-minready.yaml", entryRun, `testdata/bad/validate-negative-minready.yaml:4: step 1 (apply): unexpected error: DaemonSet.apps "fluentd" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0`},
	{"validate-no-containers.yaml", entryRun, `testdata/bad/validate-no-containers.yaml:4: step 1 (apply): unexpected error: DaemonSet.apps "fluentd" is invalid: spec.template.spec.containers: Required value`},
	{"validate-restart-policy.yaml", entryRun, `testdata/bad/validate-restart-policy.yaml:7: step 2 (apply): unexpected error: DaemonSet.apps "fluentd" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`},
	{"validate-selector-immutable.yaml", entryRun, `testdata/bad/validate-selector-immutable.yaml:15: step 2 (apply): unexpected error: DaemonSet.apps "fluentd" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"fluentd","tier":"logging"}}: field is immutable`},
	{"validate-selector-mismatch.yaml", entryRun, "testdata/bad/validate-selector-mismatch.yaml:4: step 1 (apply): unexpected error: DaemonSet.apps \"fluentd\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"logging\"}: `selector` does not match template `labels`"},
	{"verb-unknown.yaml", entryParse, `testdata/bad/verb-unknown.yaml:4: step 2: unknown verb "drain" (want apply, load, delete, label, taint, cordon, uncordon, disconnect, reconnect, podStatus, settle, advance, show, whatif, staticPod, rollback or lookup)`},
	{"whatif-bad-selector.yaml", entryParse, `testdata/bad/whatif-bad-selector.yaml:3: step 1 (whatif): whatif: label: found '=', expected: ',' or 'end of string'`},
	{"whatif-missing-change.yaml", entryParse, `testdata/bad/whatif-missing-change.yaml:3: step 1 (whatif): whatif: change: required`},
	{"whatif-unknown-change.yaml", entryParse, `testdata/bad/whatif-unknown-change.yaml:3: step 1 (whatif): whatif: unknown change "drain" (want label, taint, cordon, uncordon or delete)`},
	{"yaml-empty.yaml", entryParse, `testdata/bad/yaml-empty.yaml:1: empty scenario file: want a mapping with steps`},
	{"yaml-only-comments.yaml", entryParse, `testdata/bad/yaml-only-comments.yaml:1: empty scenario file: want a mapping with steps`},
	{"yaml-syntax-bad-escape.yaml", entryParse, `testdata/bad/yaml-syntax-bad-escape.yaml:3: yaml: found unknown escape character`},
	{"yaml-syntax-bad-indent.yaml", entryParse, `testdata/bad/yaml-syntax-bad-indent.yaml:2: yaml: did not find expected key`},
	{"yaml-syntax-duplicate-key.yaml", entryParse, `testdata/bad/yaml-syntax-duplicate-key.yaml:4: yaml: mapping key "steps" already defined at line 2`},
	{"yaml-syntax-tab-indent.yaml", entryParse, `testdata/bad/yaml-syntax-tab-indent.yaml:4: yaml: found character that cannot start any token`},
	{"yaml-syntax-two-documents.yaml", entryParse, `testdata/bad/yaml-syntax-two-documents.yaml:4: a scenario file holds exactly one YAML document, not 2`},
	{"yaml-syntax-unclosed-flow.yaml", entryParse, `testdata/bad/yaml-syntax-unclosed-flow.yaml:2: yaml: did not find expected ',' or '}'`},
	{"yaml-syntax-unclosed-quote.yaml", entryParse, `testdata/bad/yaml-syntax-unclosed-quote.yaml:3: yaml: found unexpected end of stream`},
	{"yaml-syntax-undefined-alias.yaml", entryParse, `testdata/bad/yaml-syntax-undefined-alias.yaml:3: yaml: unknown anchor 'node' referenced`},
	{"yaml-top-level-list.yaml", entryParse, `testdata/bad/yaml-top-level-list.yaml:2: scenario: want a mapping, got a list`},
}

// badSpecial are the files of testdata/bad with tests of their own.
var badSpecial = []string{
	"oversized.yaml",                 // TestBadOversized
	"alias-items-amplification.yaml", // TestBadAliasAmplification
	"alias-merge-bomb.yaml",          // TestBadAliasAmplification
	"alias-steps-amplification.yaml", // TestBadAliasAmplification
}

// minBadFiles is the size the catalog must keep.
const minBadFiles = 60

// noPanic runs f, turning a panic into a test failure: bad input must
// produce an error, never a panic.
func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// TestBadCatalog reads every malformed input of testdata/bad through its
// entry point and demands the exact error, no panic, and no effect: no
// parsed file or decoded object, and for a step that fails at run time, no
// change to the cluster. Run with -update to rewrite the output: blocks of
// the files that parse (the steps before the failing one).
func TestBadCatalog(t *testing.T) {
	t.Chdir("..")
	entries, err := os.ReadDir(badDir)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk, listed []string
	for _, e := range entries {
		if !e.IsDir() {
			onDisk = append(onDisk, e.Name())
		}
	}
	for _, b := range badFiles {
		listed = append(listed, b.file)
	}
	listed = append(listed, badSpecial...)
	slices.Sort(listed)
	if diff := cmpStrings(onDisk, listed); diff != "" {
		t.Errorf("files of %s and the table differ (-disk +table):\n%s", badDir, diff)
	}
	if len(onDisk) < minBadFiles {
		t.Errorf("%s holds %d files, want at least %d", badDir, len(onDisk), minBadFiles)
	}
	counts := map[badEntry]int{}
	for _, b := range badFiles {
		counts[b.entry]++
		t.Run(strings.TrimSuffix(b.file, filepath.Ext(b.file)), func(t *testing.T) {
			path := badDir + "/" + b.file
			switch b.entry {
			case entryParse:
				checkBadParse(t, path, b.want)
			case entryRun:
				checkBadRun(t, path, b.want)
			case entryDecode, entryDump:
				checkBadDecode(t, path, b.entry == entryDump, b.want)
				if b.entry == entryDump {
					checkBadState(t, path, b.want)
				}
			case entryState:
				checkBadState(t, path, b.want)
			default:
				t.Fatalf("unknown entry %v", b.entry)
			}
		})
	}
	t.Logf("%d bad inputs: %d parse, %d run, %d decode, %d dump, %d state, %d special", len(onDisk),
		counts[entryParse], counts[entryRun], counts[entryDecode], counts[entryDump], counts[entryState], len(badSpecial))
}

// cmpStrings returns the lines only in a (-) or only in b (+).
func cmpStrings(a, b []string) string {
	var out strings.Builder
	for _, s := range a {
		if !slices.Contains(b, s) {
			out.WriteString("-" + s + "\n")
		}
	}
	for _, s := range b {
		if !slices.Contains(a, s) {
			out.WriteString("+" + s + "\n")
		}
	}
	return out.String()
}

// checkBadParse checks a file that must not parse.
func checkBadParse(t *testing.T, path, want string) {
	t.Helper()
	noPanic(t, "ParseFile", func() {
		f, err := ParseFile(path)
		if err == nil {
			t.Fatalf("ParseFile(%q) succeeded, want error %q", path, want)
		}
		if got := err.Error(); got != want {
			t.Errorf("ParseFile(%q) error = %q, want %q", path, got, want)
		}
		if _, ok := err.(*Error); !ok {
			t.Errorf("ParseFile(%q) error is a %T, want *Error", path, err)
		}
		if f != nil {
			t.Errorf("ParseFile(%q) returned a file with its error", path)
		}
	})
	noPanic(t, "RunFile", func() {
		res, err := RunFile(path, Options{})
		if err != nil {
			t.Fatalf("RunFile(%q): %v", path, err)
		}
		if len(res.Failures) != 1 || res.Failures[0].Kind != HarnessError || res.Failures[0].String() != want {
			t.Errorf("RunFile(%q) failures = %v, want one harness error %q", path, res.Failures, want)
		}
		if len(res.Steps) != 0 || len(res.Log) != 0 {
			t.Errorf("RunFile(%q) ran %d steps and logged %d records, want none", path, len(res.Steps), len(res.Log))
		}
	})
}

// checkBadRun checks a file that parses and fails at a step: RunFile
// reports the failure as want, and the failing step, replayed on a
// cluster that ran the steps before it, returns the error and changes no
// object, queues no work and logs nothing but fail records.
func checkBadRun(t *testing.T, path, want string) {
	t.Helper()
	var f *File
	noPanic(t, "ParseFile", func() {
		var err error
		if f, err = ParseFile(path); err != nil {
			t.Fatalf("ParseFile(%q): %v", path, err)
		}
	})
	noPanic(t, "RunFile", func() {
		res, err := RunFile(path, Options{Update: *update})
		if err != nil {
			t.Fatalf("RunFile(%q): %v", path, err)
		}
		if len(res.Failures) != 1 || res.Failures[0].Kind != ExpectFailure || res.Failures[0].String() != want {
			t.Fatalf("RunFile(%q) failures = %v, want one failure %q", path, res.Failures, want)
		}
		if len(res.Steps) == 0 {
			t.Fatalf("RunFile(%q) ran no step", path)
		}
	})
	_, msg, ok := strings.Cut(want, ": unexpected error: ")
	if !ok {
		t.Fatalf("want %q is not an unexpected step error", want)
	}
	failing := -1
	for i, s := range f.Steps {
		if strings.HasPrefix(want, fmt.Sprintf("%s:%d: step %d (%s): ", path, s.Line, s.N, s.Verb)) {
			failing = i
		}
	}
	if failing < 0 {
		t.Fatalf("want %q names no step of %s", want, path)
	}
	noPanic(t, "replay", func() {
		env, err := NewCluster(f.Config)
		if err != nil {
			t.Fatal(err)
		}
		r := &runner{env: env}
		for _, s := range f.Steps[:failing] {
			if _, err := s.exec(r); err != nil {
				t.Fatalf("step %d (%s): %v", s.N, s.Verb, err)
			}
		}
		before := env.Fork()
		seq, pending := env.LastSeq(), env.Pending()
		_, err = f.Steps[failing].exec(r)
		if err == nil || err.Error() != msg {
			t.Fatalf("step %d error = %v, want %q", failing+1, err, msg)
		}
		for _, d := range cluster.Diff(before.Cluster, env.Cluster) {
			t.Errorf("the failing step changed %s", d.Ref)
		}
		if env.Pending() != pending {
			t.Errorf("the failing step queued work: %d pending, %d before", env.Pending(), pending)
		}
		for _, rec := range env.LogSince(seq) {
			if rec.Verb != cluster.VerbFail {
				t.Errorf("the failing step logged %s", rec)
			}
		}
	})
}

// checkBadDecode checks a manifest or dump that must not decode, named
// and unnamed.
func checkBadDecode(t *testing.T, path string, lenient bool, want string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	noPanic(t, "DecodeWith", func() {
		res, err := DecodeWith(data, DecodeOptions{Name: path, Lenient: lenient})
		if err == nil {
			t.Fatalf("DecodeWith(%s, lenient=%v) succeeded, want error %q", path, lenient, want)
		}
		if got := err.Error(); got != want {
			t.Errorf("DecodeWith(%s, lenient=%v) error = %q, want %q", path, lenient, got, want)
		}
		if res != nil {
			t.Errorf("DecodeWith(%s) returned %d objects with its error", path, len(res.Objects))
		}
	})
	// Unnamed input reads "line N: message".
	wantUnnamed := "line " + strings.TrimPrefix(want, path+":")
	if !regexp.MustCompile(`^line \d+: `).MatchString(wantUnnamed) {
		wantUnnamed = strings.TrimPrefix(want, path+": ")
	}
	noPanic(t, "Decode", func() {
		var objs []cluster.Object
		var err error
		if lenient {
			var res *DecodeResult
			if res, err = DecodeLenient(data); res != nil {
				objs = res.Objects
			}
		} else {
			objs, err = Decode(data)
		}
		if err == nil || err.Error() != wantUnnamed {
			t.Errorf("Decode(lenient=%v) error = %v, want %q", lenient, err, wantUnnamed)
		}
		if objs != nil {
			t.Errorf("Decode returned %d objects with its error", len(objs))
		}
	})
}

// checkBadState checks a state dump that LoadState must refuse, with no
// cluster and no report.
func checkBadState(t *testing.T, path, want string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	noPanic(t, "LoadState", func() {
		rep, env, err := LoadState(data, path, cluster.Config{})
		if err == nil || err.Error() != want {
			t.Errorf("LoadState(%s) error = %v, want %q", path, err, want)
		}
		if rep != nil || env != nil {
			t.Errorf("LoadState(%s) returned a state with its error", path)
		}
	})
}

// TestBadDumpSkipsUnknownKinds checks the other half of
// dump-unknown-kind.yaml: what strict decoding rejects, lenient decoding
// skips and counts.
func TestBadDumpSkipsUnknownKinds(t *testing.T) {
	data, err := os.ReadFile("../" + badDir + "/dump-unknown-kind.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := DecodeLenient(data)
	if err != nil {
		t.Fatalf("DecodeLenient: %v", err)
	}
	if len(res.Objects) != 1 || cluster.RefOf(res.Objects[0]).String() != "Node/node-a" {
		t.Errorf("DecodeLenient objects = %v, want [Node/node-a]", res.Objects)
	}
	if want := map[string]int{"Deployment": 1}; fmt.Sprint(res.Skipped) != fmt.Sprint(want) {
		t.Errorf("DecodeLenient skipped = %v, want %v", res.Skipped, want)
	}
}

// TestBadOversized builds inputs past the size bounds in memory (rather
// than committing megabytes) and checks that they are refused by size,
// with the bound in the message.
func TestBadOversized(t *testing.T) {
	t.Chdir("..")
	path := badDir + "/oversized.yaml"
	head, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("scenario", func(t *testing.T) {
		data := padWithComments(head, MaxDocumentBytes+1)
		want := fmt.Sprintf("%s: file is %d bytes, more than the limit of %d", path, len(data), MaxDocumentBytes)
		noPanic(t, "Parse", func() {
			if _, err := Parse(path, data); err == nil || err.Error() != want {
				t.Errorf("Parse(%d bytes) error = %v, want %q", len(data), err, want)
			}
		})
		// The header alone is a valid scenario: only the size fails it.
		if _, err := Parse(path, head); err != nil {
			t.Errorf("Parse(header) = %v, want success", err)
		}
	})
	t.Run("document", func(t *testing.T) {
		// The second document is past a 4 KiB bound; the first is not.
		const limit = 4096
		first := "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n---\n"
		second := padWithComments([]byte("apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\n"), limit+1)
		data := append([]byte(first), second...)
		want := fmt.Sprintf("big.yaml:5: document is %d bytes, more than the limit of %d", len(second), limit)
		noPanic(t, "DecodeWith", func() {
			res, err := DecodeWith(data, DecodeOptions{Name: "big.yaml", MaxDocumentBytes: limit})
			if err == nil || err.Error() != want {
				t.Errorf("DecodeWith error = %v, want %q", err, want)
			}
			if res != nil {
				t.Errorf("DecodeWith returned objects with its error")
			}
		})
	})
}

// padWithComments returns data followed by comment lines, n bytes in all.
func padWithComments(data []byte, n int) []byte {
	var b bytes.Buffer
	b.Grow(n)
	b.Write(data)
	line := "# " + strings.Repeat("x", 76) + "\n"
	for b.Len()+len(line) <= n {
		b.WriteString(line)
	}
	if rest := n - b.Len(); rest > 0 {
		b.WriteString("#")
		b.WriteString(strings.Repeat("x", rest-1))
	}
	return b.Bytes()
}

// TestBadOversizedRefusedBeforeParsing checks that a document past the
// size bound is refused before yaml.v3 builds its node tree, so that
// memory stays in proportion to the bound, not to the input.
func TestBadOversizedRefusedBeforeParsing(t *testing.T) {
	const limit = 64 << 10
	var b bytes.Buffer
	b.WriteString("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-a\n  annotations:\n")
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "    k%d: [a, b, c, d, e, f, g, h]\n", i)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := DecodeWith(b.Bytes(), DecodeOptions{Name: "big.yaml", MaxDocumentBytes: limit})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Fatalf("DecodeWith error = %v, want the size bound", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(b.Len()) {
		t.Errorf("refusing a %d-byte document allocated %d bytes, more than 8 times its size", b.Len(), alloc)
	}
}

// TestBadAliasAmplification checks that aliases are bounded wherever they
// appear: an alias used as a whole list item (DecodeWith's List items, an
// apply list), as a whole step, or merged in with << must count against
// MaxAliasNodes like an alias nested in a value. Each file expands to at
// least twice the budget.
func TestBadAliasAmplification(t *testing.T) {
	t.Chdir("..")
	tests := []struct {
		file  string
		parse func(name string, data []byte) error
	}{
		{"alias-items-amplification.yaml", func(name string, data []byte) error {
			_, err := DecodeWith(data, DecodeOptions{Name: name})
			return err
		}},
		{"alias-merge-bomb.yaml", func(name string, data []byte) error {
			_, err := DecodeWith(data, DecodeOptions{Name: name})
			return err
		}},
		{"alias-steps-amplification.yaml", func(name string, data []byte) error {
			_, err := Parse(name, data)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSuffix(tc.file, ".yaml"), func(t *testing.T) {
			path := badDir + "/" + tc.file
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			noPanic(t, "decode", func() { err = tc.parse(path, data) })
			want := regexp.MustCompile(`^` + regexp.QuoteMeta(path) + `:\d+: (step \d+ \(apply\): )?yaml: aliases expand to more than 10000 nodes$`)
			if err == nil || !want.MatchString(err.Error()) {
				t.Errorf("error = %v, want one matching %s (took %v)", err, want, time.Since(start))
			}
		})
	}
}

// TestBadNotRunAsScenarios checks that the scenario walker skips
// testdata/bad: its files are inputs to reject, not scenarios to pass.
func TestBadNotRunAsScenarios(t *testing.T) {
	paths, _ := scenarioFiles(t)
	for _, p := range paths {
		if strings.Contains(filepath.ToSlash(p), "/"+badDir+"/") {
			t.Errorf("TestScenarios would run %s", p)
		}
	}
	// The directory exists, so the check above is not vacuous.
	if _, err := fs.Stat(os.DirFS(".."), badDir); err != nil {
		t.Fatal(err)
	}
}
