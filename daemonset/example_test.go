package daemonset_test

import (
	"encoding/json"
	"fmt"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// A DaemonSet manifest: fluentd on Linux nodes, tolerating GPU nodes.
const fluentdJSON = `{
  "apiVersion": "apps/v1", "kind": "DaemonSet",
  "metadata": {"name": "fluentd", "namespace": "kube-system"},
  "spec": {
    "selector": {"matchLabels": {"app": "fluentd"}},
    "template": {
      "metadata": {"labels": {"app": "fluentd"}},
      "spec": {
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}],
        "containers": [{"name": "fluentd", "image": "fluentd:v1.17"}]
      }
    }
  }
}`

// Nodes: a plain Linux node, a cordoned one, a GPU node, a node under
// maintenance and a Windows node.
const nodesJSON = `[
  {"metadata": {"name": "node-a", "labels": {"kubernetes.io/os": "linux"}}},
  {"metadata": {"name": "node-b", "labels": {"kubernetes.io/os": "linux"}},
   "spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}},
  {"metadata": {"name": "node-c", "labels": {"kubernetes.io/os": "linux"}},
   "spec": {"taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}},
  {"metadata": {"name": "node-d", "labels": {"kubernetes.io/os": "linux"}},
   "spec": {"taints": [{"key": "example.com/maintenance", "effect": "NoSchedule"}]}},
  {"metadata": {"name": "node-e", "labels": {"kubernetes.io/os": "windows"}}}
]`

func decodeExample() (*daemonset.DaemonSet, []*cluster.Node) {
	var ds daemonset.DaemonSet
	var nodes []*cluster.Node
	if err := json.Unmarshal([]byte(fluentdJSON), &ds); err != nil {
		panic(err)
	}
	if err := json.Unmarshal([]byte(nodesJSON), &nodes); err != nil {
		panic(err)
	}
	return &ds, nodes
}

// NodeShouldRun decides, node by node, whether a daemon pod should be
// created (shouldRun) and whether an existing one may stay
// (shouldContinueRunning). Cordoned nodes run daemon pods: the
// unschedulable taint is tolerated automatically.
func ExampleNodeShouldRun() {
	ds, nodes := decodeExample()
	for _, n := range nodes {
		run, cont := daemonset.NodeShouldRun(n, ds)
		fmt.Printf("%s: %v %v\n", n.Name, run, cont)
	}
	// Output:
	// node-a: true true
	// node-b: true true
	// node-c: true true
	// node-d: false true
	// node-e: false false
}

// Explain gives every reason a node falls short, as the CLI's explain
// command prints them.
func ExampleExplain() {
	ds, nodes := decodeExample()
	for _, n := range nodes[3:] {
		fmt.Println(daemonset.Explain(n, ds, cluster.Modern))
	}
	// Output:
	// node-d: shouldRun=false shouldContinueRunning=true
	//   - taint example.com/maintenance:NoSchedule is not tolerated
	//   - untolerated NoSchedule taints only: an existing pod keeps running
	// node-e: shouldRun=false shouldContinueRunning=false
	//   - nodeSelector: label "kubernetes.io/os" is "windows", want "linux"
}

// ValidateDaemonSet reports every problem with upstream's wording, after
// the defaults have been applied.
func ExampleValidateDaemonSet() {
	ds, _ := decodeExample()
	ds.Spec.Template.Labels = map[string]string{"app": "fluent-bit"}
	ds.Spec.MinReadySeconds = -1
	ds.Default(cluster.Modern)
	for _, err := range daemonset.ValidateDaemonSet(ds, cluster.Modern) {
		fmt.Println(err)
	}
	// Output:
	// spec.template.metadata.labels: Invalid value: {"app":"fluent-bit"}: `selector` does not match template `labels`
	// spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0
}

// Default applies the apps/v1 defaults: a RollingUpdate strategy with
// maxUnavailable 1 and maxSurge 0, and a revision history of 10.
func ExampleDaemonSet_Default() {
	ds, _ := decodeExample()
	ds.Default(cluster.Modern)
	s, _ := json.Marshal(ds.Spec.UpdateStrategy)
	fmt.Println(string(s), *ds.Spec.RevisionHistoryLimit)
	// Output:
	// {"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}} 10
}
