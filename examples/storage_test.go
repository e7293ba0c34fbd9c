package examples_test

import (
	"fmt"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// glusterdManifests is three nodes, two of them labelled for GlusterFS, and
// the glusterd DaemonSet of gluster-kubernetes: privileged, on the host's
// network, with the daemon's state in hostPath volumes.
const glusterdManifests = `
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {storagenode: glusterfs}
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels: {storagenode: glusterfs}
---
apiVersion: v1
kind: Node
metadata:
  name: node-c
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: glusterfs
  labels: {glusterfs: daemonset}
  annotations:
    description: GlusterFS DaemonSet
spec:
  selector:
    matchLabels: {glusterfs: pod, glusterfs-node: pod}
  template:
    metadata:
      labels: {glusterfs: pod, glusterfs-node: pod}
    spec:
      nodeSelector:
        storagenode: glusterfs
      hostNetwork: true
      containers:
      - name: glusterfs
        image: gluster/gluster-centos:gluster4u0_centos7
        env:
        - {name: GLUSTER_BRICKMULTIPLEX, value: "yes"}
        resources:
          requests: {cpu: 100m, memory: 100Mi}
        securityContext:
          privileged: true
        volumeMounts:
        - {name: glusterfs-heketi, mountPath: /var/lib/heketi}
        - {name: glusterfs-run, mountPath: /run}
        - {name: glusterfs-lvm, mountPath: /run/lvm}
        - {name: glusterfs-etc, mountPath: /etc/glusterfs}
        - {name: glusterfs-logs, mountPath: /var/log/glusterfs}
        - {name: glusterfs-config, mountPath: /var/lib/glusterd}
        - {name: glusterfs-dev, mountPath: /dev}
        readinessProbe:
          exec: {command: [/bin/bash, -c, systemctl status glusterd.service]}
          initialDelaySeconds: 40
          periodSeconds: 25
          failureThreshold: 50
        livenessProbe:
          exec: {command: [/bin/bash, -c, systemctl status glusterd.service]}
          initialDelaySeconds: 40
          periodSeconds: 25
          failureThreshold: 50
      volumes:
      - {name: glusterfs-heketi, hostPath: {path: /var/lib/heketi}}
      - {name: glusterfs-run, emptyDir: {}}
      - {name: glusterfs-lvm, hostPath: {path: /run/lvm}}
      - {name: glusterfs-etc, hostPath: {path: /etc/glusterfs}}
      - {name: glusterfs-logs, hostPath: {path: /var/log/glusterfs}}
      - {name: glusterfs-config, hostPath: {path: /var/lib/glusterd}}
      - {name: glusterfs-dev, hostPath: {path: /dev}}
`

// A cluster storage daemon runs on the storage nodes only, chosen by a
// nodeSelector. Labelling another node adds it to the storage pool: the
// DaemonSet starts glusterd there at once, without waiting for the clock.
func Example_glusterd() {
	env := start(glusterdManifests)
	fmt.Println("glusterd on:", join(nodesRunning(env, "default", "glusterfs=pod")))

	must(env.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-c"}, "storagenode=glusterfs"))
	settle(env)
	fmt.Println("after labelling node-c:", join(nodesRunning(env, "default", "glusterfs=pod")))
	fmt.Println(status(env, "default", "glusterfs"))
	// Output:
	// glusterd on: node-a node-b
	// after labelling node-c: node-a node-b node-c
	// desired=3 current=3 ready=3 updated=3 available=3 misscheduled=0
}

// cephManifests is a Rook-style placement: storage nodes carry the label
// role=storage-node and a storage-node taint that keeps other workloads
// off them; the OSD DaemonSet selects them by node affinity and tolerates
// the taint. A compute node has neither.
const cephManifests = `
apiVersion: v1
kind: Namespace
metadata: {name: rook-ceph}
---
apiVersion: v1
kind: Node
metadata:
  name: storage-1
  labels: {role: storage-node}
spec:
  taints: [{key: storage-node, value: "true", effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata:
  name: storage-2
  labels: {role: storage-node}
spec:
  taints: [{key: storage-node, value: "true", effect: NoSchedule}]
---
apiVersion: v1
kind: Node
metadata:
  name: compute-1
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ceph-osd
  namespace: rook-ceph
  labels: {app: ceph-osd}
spec:
  selector:
    matchLabels: {app: ceph-osd}
  template:
    metadata:
      labels: {app: ceph-osd}
    spec:
      hostNetwork: true
      dnsPolicy: ClusterFirstWithHostNet
      priorityClassName: system-node-critical
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: role, operator: In, values: [storage-node]}
      tolerations:
      - {key: storage-node, operator: Exists}
      containers:
      - name: osd
        image: quay.io/ceph/daemon:latest-reef
        args: [osd]
        env:
        - {name: OSD_TYPE, value: directory}
        - {name: CEPH_DAEMON, value: osd}
        ports:
        - {name: osd, containerPort: 6800}
        resources:
          requests: {cpu: "1", memory: 4Gi}
          limits: {memory: 4Gi}
        securityContext: {privileged: true}
        volumeMounts:
        - {name: devices, mountPath: /dev}
        - {name: ceph-conf, mountPath: /etc/ceph}
        - {name: ceph-data, mountPath: /var/lib/ceph}
      volumes:
      - {name: devices, hostPath: {path: /dev}}
      - {name: ceph-conf, hostPath: {path: /etc/ceph}}
      - {name: ceph-data, hostPath: {path: /var/lib/ceph}}
`

// Ceph OSDs run only where the storage is: on nodes labelled for it,
// selected by required node affinity, through the taint that keeps other
// workloads off those nodes. [daemonset.Explain] says why the compute
// node gets no OSD.
func Example_ceph() {
	env := start(cephManifests)
	fmt.Println("ceph-osd on:", join(nodesRunning(env, "rook-ceph", "app=ceph-osd")))
	fmt.Println(status(env, "rook-ceph", "ceph-osd"))

	ds, _ := env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "rook-ceph", Name: "ceph-osd"})
	node, _ := env.Get(cluster.Ref{Kind: cluster.KindNode, Name: "compute-1"})
	fmt.Print(daemonset.Explain(node.(*cluster.Node), ds.(*daemonset.DaemonSet), cluster.Modern))
	// Output:
	// ceph-osd on: storage-1 storage-2
	// desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0
	// compute-1: shouldRun=false shouldContinueRunning=false
	//   - node affinity: term 0: role In [storage-node]: label "role" is missing
}
