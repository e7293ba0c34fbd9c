package examples_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
)

// perHardwareManifests is three nodes of different instance types and
// two DaemonSets for one daemon, Fluent Bit: fluent-bit-large for the
// memory-optimised types, with a large buffer and large requests, and
// fluent-bit for every other type. The two node affinities are
// complementary (In and NotIn over the same list), so every node matches
// exactly one; the selectors differ by the flavour label, so neither
// DaemonSet claims the other's pods.
const perHardwareManifests = `
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {node.kubernetes.io/instance-type: m5.large}
status:
  allocatable: {cpu: 1930m, memory: 7Gi, pods: "29"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels: {node.kubernetes.io/instance-type: r5.4xlarge}
status:
  allocatable: {cpu: 15890m, memory: 120Gi, pods: "234"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-c
  labels: {node.kubernetes.io/instance-type: c6i.xlarge}
status:
  allocatable: {cpu: 3920m, memory: 6Gi, pods: "58"}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: fluent-bit, flavour: standard}
  template:
    metadata:
      labels: {app: fluent-bit, flavour: standard}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: node.kubernetes.io/instance-type, operator: NotIn, values: [r5.4xlarge, r5.8xlarge]}
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
        args: [--config=/fluent-bit/etc/fluent-bit.conf, --storage.max_chunks_up=128]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log, readOnly: true}
      volumes:
      - {name: varlog, hostPath: {path: /var/log}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit-large
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: fluent-bit, flavour: large}
  template:
    metadata:
      labels: {app: fluent-bit, flavour: large}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: node.kubernetes.io/instance-type, operator: In, values: [r5.4xlarge, r5.8xlarge]}
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
        args: [--config=/fluent-bit/etc/fluent-bit.conf, --storage.max_chunks_up=2048]
        resources:
          requests: {cpu: "1", memory: 2Gi}
          limits: {memory: 4Gi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log, readOnly: true}
      volumes:
      - {name: varlog, hostPath: {path: /var/log}}
`

// One daemon, several DaemonSets (claim S6): the log collector gets more
// CPU, memory and buffer on memory-optimised nodes. Each node runs
// exactly one flavour, chosen by its instance-type label.
func Example_perHardware() {
	env := start(perHardwareManifests)
	var lines []string
	for o := range env.List(cluster.KindPod, "kube-system") {
		p := o.(*cluster.Pod)
		c := p.Spec.Containers[0]
		lines = append(lines, fmt.Sprintf("%s %s %s %s", p.Spec.NodeName, p.ControllerRef().Name,
			cluster.DescribeResources(c.Resources.Requests), c.Args[1]))
	}
	slices.Sort(lines)
	fmt.Println(strings.Join(lines, "\n"))
	fmt.Println("fluent-bit:      ", status(env, "kube-system", "fluent-bit"))
	fmt.Println("fluent-bit-large:", status(env, "kube-system", "fluent-bit-large"))
	// Output:
	// node-a fluent-bit cpu=100m,memory=128Mi --storage.max_chunks_up=128
	// node-b fluent-bit-large cpu=1,memory=2Gi --storage.max_chunks_up=2048
	// node-c fluent-bit cpu=100m,memory=128Mi --storage.max_chunks_up=128
	// fluent-bit:       desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0
	// fluent-bit-large: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0
}
