package examples_test

import (
	"fmt"
	"log"

	"github.com/daemonsim/daemonsim/scenario"
)

// whatIfManifests is four nodes in two pools, node-exporter on every
// node, and NVIDIA's device plugin on the nodes labelled as having GPUs.
const whatIfManifests = `
apiVersion: v1
kind: Node
metadata:
  name: gpu-1
  labels: {node-pool: gpu-a100, nvidia.com/gpu.present: "true"}
spec:
  taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata:
  name: gpu-2
  labels: {node-pool: gpu-a100, nvidia.com/gpu.present: "true"}
spec:
  taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata:
  name: cpu-1
  labels: {node-pool: general}
---
apiVersion: v1
kind: Node
metadata:
  name: cpu-2
  labels: {node-pool: general}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nvidia-device-plugin
  namespace: kube-system
spec:
  selector:
    matchLabels: {name: nvidia-device-plugin}
  updateStrategy: {type: RollingUpdate}
  template:
    metadata:
      labels: {name: nvidia-device-plugin}
    spec:
      priorityClassName: system-node-critical
      nodeSelector: {nvidia.com/gpu.present: "true"}
      tolerations:
      - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
      containers:
      - name: nvidia-device-plugin-ctr
        image: nvcr.io/nvidia/k8s-device-plugin:v0.16.2
        env:
        - {name: FAIL_ON_INIT_ERROR, value: "false"}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        volumeMounts:
        - {name: device-plugin, mountPath: /var/lib/kubelet/device-plugins}
      volumes:
      - {name: device-plugin, hostPath: {path: /var/lib/kubelet/device-plugins}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: node-exporter}
  template:
    metadata:
      labels: {app: node-exporter}
    spec:
      hostNetwork: true
      hostPID: true
      tolerations: [{operator: Exists}]
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        ports: [{name: metrics, containerPort: 9100}]
`

// The operator's question: "what happens to my daemon pods if I relabel
// these nodes?" The A100 pool is about to be re-imaged without GPU
// drivers, so its nodes lose the nvidia.com/gpu.present label.
// [scenario.WhatIf] answers on a fork of the cluster, in kubectl's words:
// the device plugin leaves both GPU nodes; node-exporter is unaffected.
// The "after" status counts the two plugin pods as misscheduled because
// they are still terminating: what-if analysis does not move the clock,
// so their 30 s grace period has not elapsed. The cluster itself is not
// changed.
func Example_whatIf() {
	env := start(whatIfManifests)
	rep, err := scenario.WhatIf(env, "label nodes -l node-pool=gpu-a100 nvidia.com/gpu.present-")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(rep)
	fmt.Println("device plugin still on:", join(nodesRunning(env, "kube-system", "name=nvidia-device-plugin")))
	// Output:
	// DaemonSet/kube-system/node-exporter unchanged
	// DaemonSet/kube-system/nvidia-device-plugin losing=gpu-1,gpu-2
	//   before: desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0
	//   after: desired=0 current=0 ready=0 updated=0 available=0 misscheduled=2
	// device plugin still on: gpu-1 gpu-2
}
