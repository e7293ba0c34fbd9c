package examples_test

import (
	"fmt"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
)

// nodeExporterManifests is two Linux nodes, one of them tainted for GPU
// work, a Windows node, and node-exporter as kube-prometheus deploys it:
// on the host's network and PID namespace, serving metrics on hostPort
// 9100, tolerating every taint, on Linux nodes only.
const nodeExporterManifests = `
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/os: linux}
status:
  addresses: [{type: InternalIP, address: 10.0.0.11}]
---
apiVersion: v1
kind: Node
metadata:
  name: gpu-1
  labels: {kubernetes.io/os: linux}
spec:
  taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
status:
  addresses: [{type: InternalIP, address: 10.0.0.12}]
---
apiVersion: v1
kind: Node
metadata:
  name: win-1
  labels: {kubernetes.io/os: windows}
status:
  addresses: [{type: InternalIP, address: 10.0.0.13}]
---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  labels: {app.kubernetes.io/name: node-exporter}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: node-exporter}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 10%}
  template:
    metadata:
      labels: {app.kubernetes.io/name: node-exporter}
    spec:
      hostNetwork: true
      hostPID: true
      nodeSelector: {kubernetes.io/os: linux}
      priorityClassName: system-cluster-critical
      serviceAccountName: node-exporter
      securityContext: {runAsNonRoot: true, runAsUser: 65534}
      tolerations:
      - operator: Exists
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        args:
        - --web.listen-address=0.0.0.0:9100
        - --path.sysfs=/host/sys
        - --path.rootfs=/host/root
        - --no-collector.wifi
        ports:
        - {name: metrics, containerPort: 9100, hostPort: 9100}
        resources:
          requests: {cpu: 102m, memory: 180Mi}
          limits: {cpu: 250m, memory: 180Mi}
        volumeMounts:
        - {name: sys, mountPath: /host/sys, mountPropagation: HostToContainer, readOnly: true}
        - {name: root, mountPath: /host/root, mountPropagation: HostToContainer, readOnly: true}
      volumes:
      - {name: sys, hostPath: {path: /sys}}
      - {name: root, hostPath: {path: /}}
`

// Prometheus scrapes node-exporter at each node's IP and the well-known
// port 9100. [cluster.HostPortTargets] lists the addresses a scraper
// reaches: one per Linux node, the GPU node included (the DaemonSet
// tolerates every taint), none for the Windows node.
func Example_nodeExporter() {
	env := start(nodeExporterManifests)
	fmt.Println("node-exporter on:", join(nodesRunning(env, "monitoring", "app.kubernetes.io/name=node-exporter")))
	for _, addr := range cluster.HostPortTargets(env.View(), 9100, cluster.ProtocolTCP) {
		fmt.Println("scrape", addr)
	}
	// Output:
	// node-exporter on: gpu-1 node-a
	// scrape 10.0.0.12:9100
	// scrape 10.0.0.11:9100
}

// collectdManifests is two nodes and a collectd DaemonSet that reads the
// host's /proc and /sys and pushes to Graphite: clients need not find it.
const collectdManifests = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: collectd
  namespace: kube-system
  labels: {app: collectd}
spec:
  selector:
    matchLabels: {app: collectd}
  template:
    metadata:
      labels: {app: collectd}
    spec:
      hostPID: true
      containers:
      - name: collectd
        image: docker.io/fr3nd/collectd:5.8.1
        env:
        - {name: GRAPHITE_HOST, value: graphite.monitoring.svc}
        - {name: GRAPHITE_PORT, value: "2003"}
        resources:
          requests: {cpu: 50m, memory: 64Mi}
          limits: {memory: 128Mi}
        volumeMounts:
        - {name: config, mountPath: /etc/collectd}
        - {name: proc, mountPath: /host/proc, readOnly: true}
        - {name: sys, mountPath: /host/sys, readOnly: true}
      volumes:
      - {name: config, configMap: {name: collectd-config}}
      - {name: proc, hostPath: {path: /proc}}
      - {name: sys, hostPath: {path: /sys}}
`

// A node that joins the cluster gets a collectd pod at once. A node that
// is removed loses its pod too, but not at once: the DaemonSet controller
// leaves pods on nodes that no longer exist to the pod garbage collector,
// which deletes them after a 40 s quarantine.
func Example_collectd() {
	env := start(collectdManifests)
	fmt.Println("collectd on:", join(nodesRunning(env, "kube-system", "app=collectd")))

	apply(env, `{apiVersion: v1, kind: Node, metadata: {name: node-c}}`)
	fmt.Println("node-c joined:", join(nodesRunning(env, "kube-system", "app=collectd")))

	must(env.Delete(cluster.Ref{Kind: cluster.KindNode, Name: "node-b"}, cluster.DeleteOptions{}))
	settle(env)
	fmt.Println("node-b deleted:", join(nodesRunning(env, "kube-system", "app=collectd")))
	must(env.Advance(40 * time.Second))
	fmt.Printf("%v later: %s\n", env.Elapsed(), join(nodesRunning(env, "kube-system", "app=collectd")))
	// Output:
	// collectd on: node-a node-b
	// node-c joined: node-a node-b node-c
	// node-b deleted: node-a node-b node-c
	// 40s later: node-a node-c
}

// datadogManifests is two nodes, the Datadog agent (DogStatsD on UDP
// hostPort 8125, the trace agent on TCP hostPort 8126), and a bare web pod
// on node-b for comparison.
const datadogManifests = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: datadog-agent
  labels: {app: datadog-agent}
spec:
  selector:
    matchLabels: {app: datadog-agent}
  template:
    metadata:
      labels: {app: datadog-agent}
    spec:
      serviceAccountName: datadog-agent
      containers:
      - name: agent
        image: gcr.io/datadoghq/agent:7
        env:
        - name: DD_API_KEY
          valueFrom: {secretKeyRef: {name: datadog-secret, key: api-key}}
        - name: DD_KUBERNETES_KUBELET_HOST
          valueFrom: {fieldRef: {fieldPath: status.hostIP}}
        - {name: DD_DOGSTATSD_NON_LOCAL_TRAFFIC, value: "true"}
        ports:
        - {name: dogstatsdport, containerPort: 8125, hostPort: 8125, protocol: UDP}
        - {name: traceport, containerPort: 8126, hostPort: 8126, protocol: TCP}
        resources:
          requests: {cpu: 200m, memory: 256Mi}
          limits: {memory: 256Mi}
        livenessProbe:
          httpGet: {path: /live, port: 5555}
          initialDelaySeconds: 15
          periodSeconds: 15
        volumeMounts:
        - {name: dockersocketdir, mountPath: /host/var/run}
        - {name: procdir, mountPath: /host/proc, readOnly: true}
        - {name: cgroups, mountPath: /host/sys/fs/cgroup, readOnly: true}
      volumes:
      - {name: dockersocketdir, hostPath: {path: /var/run}}
      - {name: procdir, hostPath: {path: /proc}}
      - {name: cgroups, hostPath: {path: /sys/fs/cgroup}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  nodeName: node-b
  containers:
  - {name: web, image: nginx:1.27}
`

// A monitoring agent must survive the failures it reports. When node-b
// stops answering, the node lifecycle controller marks it unreachable
// after 50 s and taints it NoExecute. Ordinary pods tolerate that taint
// for 300 s and are then evicted (deleted, and left terminating until
// node-b's kubelet can confirm); daemon pods tolerate it without a time
// limit, so the agent stays bound to node-b, ready to report when the
// node comes back. The counters read as upstream's do: the node's
// unreachable NoSchedule taint, which daemon pods are not given a
// toleration for, takes node-b out of "desired", and the pod that stays
// there counts as misscheduled.
func Example_datadog() {
	env := start(datadogManifests)
	must(env.Disconnect("node-b"))
	must(env.Advance(50 * time.Second))
	node, _ := env.Get(cluster.Ref{Kind: cluster.KindNode, Name: "node-b"})
	for _, t := range node.(*cluster.Node).Spec.Taints {
		fmt.Println("node-b taint:", t.Key+":"+string(t.Effect))
	}
	must(env.Advance(300 * time.Second))
	fmt.Printf("after %v:\n", env.Elapsed())
	fmt.Println("  datadog-agent on:", join(nodesRunning(env, "default", "app=datadog-agent")))
	fmt.Println("  datadog-agent:", status(env, "default", "datadog-agent"))
	fmt.Println("  web on:", join(nodesRunning(env, "default", "app=web")))
	for _, r := range env.Log() {
		if r.Verb == cluster.VerbEvict {
			fmt.Printf("  %v %s %s\n", r.At, r.Verb, r.Object)
		}
	}
	// Output:
	// node-b taint: node.kubernetes.io/unreachable:NoSchedule
	// node-b taint: node.kubernetes.io/unreachable:NoExecute
	// after 5m50s:
	//   datadog-agent on: node-a node-b
	//   datadog-agent: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=1
	//   web on: <none>
	//   5m50s evict Pod/default/web
}

// newRelicManifests is two nodes and the New Relic infrastructure agent:
// privileged, in the host's network and PID namespaces, with the host's
// root file system mounted read-only.
const newRelicManifests = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: newrelic-infra
  namespace: kube-system
  labels: {name: newrelic-infra}
spec:
  selector:
    matchLabels: {name: newrelic-infra}
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels: {name: newrelic-infra}
    spec:
      serviceAccountName: newrelic
      hostNetwork: true
      hostPID: true
      dnsPolicy: ClusterFirstWithHostNet
      containers:
      - name: newrelic-infra
        image: newrelic/infrastructure-k8s:2.13.15
        env:
        - name: NRIA_LICENSE_KEY
          valueFrom: {secretKeyRef: {name: newrelic-license, key: license}}
        - {name: CLUSTER_NAME, value: production}
        - name: NRK8S_NODE_NAME
          valueFrom: {fieldRef: {apiVersion: v1, fieldPath: spec.nodeName}}
        resources:
          requests: {cpu: 100m, memory: 150Mi}
          limits: {memory: 300Mi}
        securityContext: {privileged: true}
        volumeMounts:
        - {name: host-volume, mountPath: /host, readOnly: true}
        - {name: host-docker-socket, mountPath: /var/run/docker.sock}
      volumes:
      - {name: host-volume, hostPath: {path: /}}
      - {name: host-docker-socket, hostPath: {path: /var/run/docker.sock}}
`

// Maintenance (a kernel upgrade, say) starts with cordoning the node:
// new ordinary pods are no longer scheduled there, but the infrastructure
// agent keeps running, and keeps reporting, because the DaemonSet
// controller adds tolerations to every daemon pod, the unschedulable one
// among them (and network-unavailable, as the agent uses the host's
// network). The agent's pod on the cordoned node shows them.
func Example_newRelic() {
	env := start(newRelicManifests)
	must(env.Cordon("node-b"))
	settle(env)
	fmt.Println("newrelic-infra on:", join(nodesRunning(env, "kube-system", "name=newrelic-infra")))
	for o := range env.List(cluster.KindPod, "kube-system") {
		if p := o.(*cluster.Pod); p.Spec.NodeName == "node-b" {
			for _, t := range p.Spec.Tolerations {
				fmt.Println("  toleration:", t)
			}
		}
	}
	// Output:
	// newrelic-infra on: node-a node-b
	//   toleration: node.kubernetes.io/not-ready:NoExecute op=Exists
	//   toleration: node.kubernetes.io/unreachable:NoExecute op=Exists
	//   toleration: node.kubernetes.io/disk-pressure:NoSchedule op=Exists
	//   toleration: node.kubernetes.io/memory-pressure:NoSchedule op=Exists
	//   toleration: node.kubernetes.io/pid-pressure:NoSchedule op=Exists
	//   toleration: node.kubernetes.io/unschedulable:NoSchedule op=Exists
	//   toleration: node.kubernetes.io/network-unavailable:NoSchedule op=Exists
}

// gangliaManifests is three nodes, Ganglia's gmond on every one of them,
// on the host's network, and a headless Service with the DaemonSet's
// selector, through which gmetad finds the daemons to poll.
const gangliaManifests = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
status:
  addresses: [{type: InternalIP, address: 10.0.0.1}]
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
status:
  addresses: [{type: InternalIP, address: 10.0.0.2}]
---
apiVersion: v1
kind: Node
metadata: {name: node-c}
status:
  addresses: [{type: InternalIP, address: 10.0.0.3}]
---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: gmond
  namespace: monitoring
  labels: {app: gmond}
spec:
  selector:
    matchLabels: {app: gmond}
  template:
    metadata:
      labels: {app: gmond}
    spec:
      hostNetwork: true
      containers:
      - name: gmond
        image: docker.io/wookietreiber/ganglia:3.7.2
        command: [gmond, --foreground, --conf=/etc/ganglia/gmond.conf]
        ports:
        - {name: gmond-tcp, containerPort: 8649, protocol: TCP}
        - {name: gmond-udp, containerPort: 8649, protocol: UDP}
        resources:
          requests: {cpu: 20m, memory: 32Mi}
        volumeMounts:
        - {name: config, mountPath: /etc/ganglia}
      volumes:
      - {name: config, configMap: {name: gmond-config}}
---
apiVersion: v1
kind: Service
metadata:
  name: gmond
  namespace: monitoring
spec:
  clusterIP: None
  selector: {app: gmond}
  ports:
  - {name: gmond-tcp, port: 8649, protocol: TCP}
`

// gmetad polls every gmond. It finds them through DNS: the headless
// Service gmond has the DaemonSet's selector, so its name resolves to one
// A record per daemon pod, and with hostNetwork a pod's IP is its node's.
func Example_ganglia() {
	env := start(gangliaManifests)
	addrs, err := cluster.LookupHost(env.View(), "gmond.monitoring")
	must(err)
	for _, a := range addrs {
		fmt.Println("gmond.monitoring has address", a)
	}
	// Output:
	// gmond.monitoring has address 10.0.0.1
	// gmond.monitoring has address 10.0.0.2
	// gmond.monitoring has address 10.0.0.3
}
