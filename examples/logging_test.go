package examples_test

import (
	"fmt"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// fluentdManifests is a control-plane node, tainted as kubeadm taints it,
// two workers, and the fluentd DaemonSet of fluentd-kubernetes-daemonset,
// which tolerates the control-plane taint so that the control plane's logs
// are collected too.
const fluentdManifests = `
apiVersion: v1
kind: Node
metadata:
  name: control-plane-1
  labels: {node-role.kubernetes.io/control-plane: ""}
spec:
  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata: {name: worker-1}
---
apiVersion: v1
kind: Node
metadata: {name: worker-2}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  namespace: kube-system
  labels: {k8s-app: fluentd-logging, version: v1}
spec:
  selector:
    matchLabels: {k8s-app: fluentd-logging, version: v1}
  template:
    metadata:
      labels: {k8s-app: fluentd-logging, version: v1}
    spec:
      serviceAccountName: fluentd
      priorityClassName: system-node-critical
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        effect: NoSchedule
      containers:
      - name: fluentd
        image: fluent/fluentd-kubernetes-daemonset:v1.17-debian-elasticsearch8-1
        env:
        - {name: FLUENT_ELASTICSEARCH_HOST, value: elasticsearch-logging}
        - {name: FLUENT_ELASTICSEARCH_PORT, value: "9200"}
        resources:
          limits: {memory: 200Mi}
          requests: {cpu: 100m, memory: 200Mi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log}
        - {name: varlogpods, mountPath: /var/log/pods, readOnly: true}
      terminationGracePeriodSeconds: 30
      volumes:
      - {name: varlog, hostPath: {path: /var/log}}
      - {name: varlogpods, hostPath: {path: /var/log/pods}}
`

// A log collector belongs on every node, the control plane included. The
// control-plane node's NoSchedule taint keeps ordinary pods off it; the
// fluentd template tolerates that taint, so fluentd runs there too.
// Without the toleration, [daemonset.Explain] shows, the control-plane
// node would get no pod.
func Example_fluentd() {
	env := start(fluentdManifests)
	fmt.Println("fluentd on:", join(nodesRunning(env, "kube-system", "k8s-app=fluentd-logging")))
	fmt.Println(status(env, "kube-system", "fluentd"))

	o, _ := env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "kube-system", Name: "fluentd"})
	withoutToleration := cluster.DeepCopy(o).(*daemonset.DaemonSet)
	withoutToleration.Spec.Template.Spec.Tolerations = nil
	cp, _ := env.Get(cluster.Ref{Kind: cluster.KindNode, Name: "control-plane-1"})
	fmt.Print("without the toleration: ", daemonset.Explain(cp.(*cluster.Node), withoutToleration, cluster.Modern))
	// Output:
	// fluentd on: control-plane-1 worker-1 worker-2
	// desired=3 current=3 ready=3 updated=3 available=3 misscheduled=0
	// without the toleration: control-plane-1: shouldRun=false shouldContinueRunning=true
	//   - taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated
	//   - untolerated NoSchedule taints only: an existing pod keeps running
}

// logstashManifests is three nodes and a Logstash DaemonSet that reads
// the nodes' logs, updated one node at a time: at most one node is
// without a ready Logstash during a rolling update, and Logstash is given
// a minute to flush its queue when it stops.
const logstashManifests = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: v1
kind: Node
metadata: {name: node-c}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: logstash
  namespace: kube-system
  labels: {app: logstash}
spec:
  selector:
    matchLabels: {app: logstash}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {app: logstash}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
      - name: logstash
        image: docker.elastic.co/logstash/logstash:8.14.3
        env:
        - {name: LS_JAVA_OPTS, value: "-Xms512m -Xmx512m"}
        ports:
        - {name: beats, containerPort: 5044}
        resources:
          requests: {cpu: 500m, memory: 1Gi}
          limits: {memory: 1Gi}
        volumeMounts:
        - {name: pipeline, mountPath: /usr/share/logstash/pipeline}
        - {name: varlog, mountPath: /var/log, readOnly: true}
      volumes:
      - {name: pipeline, configMap: {name: logstash-pipeline}}
      - {name: varlog, hostPath: {path: /var/log}}
`

// A new Logstash version is rolled out node by node. With maxUnavailable
// 1, the controller deletes one old pod at a time and creates its
// replacement once the old one has finished its 60 s grace period; the
// rollout status reads as `kubectl rollout status` prints it.
func Example_logstash() {
	env := start(logstashManifests)
	o, _ := env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "kube-system", Name: "logstash"})
	ds := cluster.DeepCopy(o).(*daemonset.DaemonSet)
	ds.Spec.Template.Spec.Containers[0].Image = "docker.elastic.co/logstash/logstash:8.15.0"
	must(env.Apply(ds))
	settle(env)

	for {
		o, _ := env.Get(cluster.RefOf(ds))
		msg, done, err := daemonset.RolloutStatus(o.(*daemonset.DaemonSet))
		must(err)
		fmt.Printf("%v: %s\n", env.Elapsed(), msg)
		if done {
			break
		}
		must(env.Advance(60 * time.Second))
	}
	// Output:
	// 0s: Waiting for daemon set "logstash" rollout to finish: 0 out of 3 new pods have been updated...
	// 1m0s: Waiting for daemon set "logstash" rollout to finish: 1 out of 3 new pods have been updated...
	// 2m0s: Waiting for daemon set "logstash" rollout to finish: 2 out of 3 new pods have been updated...
	// 3m0s: daemon set "logstash" successfully rolled out
}
