package scenario

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
)

const renderManifests = `apiVersion: v1
kind: Node
metadata: {name: node-b, labels: {zone: z1, disk: ssd}}
spec:
  unschedulable: true
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata: {name: node-a}
status:
  conditions: [{type: Ready, status: Unknown}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: OnDelete}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: main, image: agent:1}, {name: side, image: side:2}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs}
spec:
  selector: {matchLabels: {app: logs}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 25%, maxSurge: 0}}
  template:
    metadata: {labels: {app: logs}}
    spec: {containers: [{name: main, image: logs:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: stray}
spec: {nodeSelector: {disk: none}, containers: [{name: main, image: stray:1}]}
`

func renderEnv(t *testing.T) *Env {
	t.Helper()
	env := MustNewCluster(cluster.Config{})
	if err := env.ApplyYAML(renderManifests); err != nil {
		t.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	for o := range env.List(cluster.KindPod, "kube-system") {
		if o.(*cluster.Pod).Spec.NodeName == "node-a" {
			if err := env.Delete(cluster.RefOf(o), cluster.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return env
}

func TestShow(t *testing.T) {
	env := renderEnv(t)
	obj, err := ShowObject(env.Cluster, cluster.Ref{Kind: "DaemonSet", Namespace: "default", Name: "logs"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, got, want string
	}{
		{"pods", ShowPods(env.Cluster), `Pod/default/stray node=~ image=stray:1 owner=none phase=Pending ready=false
Pod/kube-system/agent-pnj24 node=node-a image=agent:1,side:2 owner=DaemonSet/agent phase=Running ready=true terminating
Pod/kube-system/agent-46hp2 node=node-b image=agent:1,side:2 owner=DaemonSet/agent phase=Running ready=true
`},
		{"nodes", ShowNodes(env.Cluster), `Node/node-a labels=<none> taints=node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute unschedulable=false ready=Unknown
Node/node-b labels=disk=ssd,zone=z1 taints=dedicated=gpu:NoSchedule,node.kubernetes.io/unschedulable:NoSchedule unschedulable=true ready=True
`},
		{"daemonsets", ShowDaemonSets(env.Cluster), `DaemonSet/default/logs desired=0 current=0 ready=0 updated=0 available=0 misscheduled=0 strategy=RollingUpdate maxUnavailable=25% maxSurge=0
DaemonSet/kube-system/agent desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0 strategy=OnDelete
`},
		{"events", ShowEvents(env.Cluster), `0s daemonset-controller event DaemonSet/kube-system/agent Normal SuccessfulCreate "Created pod: agent-pnj24"
0s daemonset-controller event DaemonSet/kube-system/agent Normal SuccessfulCreate "Created pod: agent-46hp2"
0s default-scheduler event Pod/default/stray Warning FailedScheduling "0/2 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
0s default-scheduler event Pod/kube-system/agent-pnj24 Normal Scheduled "Successfully assigned kube-system/agent-pnj24 to node-a"
0s default-scheduler event Pod/kube-system/agent-46hp2 Normal Scheduled "Successfully assigned kube-system/agent-46hp2 to node-b"
`},
		{"object", obj, `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: logs
  namespace: default
  generation: 1
  creationTimestamp: "2000-01-01T00:00:00Z"
  annotations:
    deprecated.daemonset.template.generation: "1"
spec:
  selector:
    matchLabels:
      app: logs
  template:
    metadata:
      labels:
        app: logs
    spec:
      containers:
        - name: main
          image: logs:1
          terminationMessagePath: /dev/termination-log
          terminationMessagePolicy: File
          imagePullPolicy: IfNotPresent
      restartPolicy: Always
      terminationGracePeriodSeconds: 30
      dnsPolicy: ClusterFirst
      schedulerName: default-scheduler
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 25%
      maxSurge: 0
  revisionHistoryLimit: 10
status:
  currentNumberScheduled: 0
  numberMisscheduled: 0
  desiredNumberScheduled: 0
  numberReady: 0
  observedGeneration: 1
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("show %s mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
	if _, err := ShowObject(env.Cluster, cluster.Ref{Kind: "DaemonSet", Namespace: "default", Name: "nope"}); err == nil || err.Error() != `daemonsets.apps "nope" not found` {
		t.Errorf("ShowObject(missing) error = %v, want NotFound", err)
	}
}
