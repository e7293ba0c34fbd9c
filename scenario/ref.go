package scenario

import (
	"fmt"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/replicaset"
)

// kindInfo describes a kind scenario input may name.
type kindInfo struct {
	kind       cluster.Kind
	namespaced bool
}

var kindsByName = func() map[string]kindInfo {
	m := map[string]kindInfo{}
	add := func(k cluster.Kind, namespaced bool, names ...string) {
		info := kindInfo{k, namespaced}
		m[string(k)] = info
		for _, n := range names {
			m[n] = info
		}
	}
	add(cluster.KindNode, false, "node", "nodes", "no")
	add(cluster.KindPod, true, "pod", "pods", "po")
	add(cluster.KindNamespace, false, "namespace", "namespaces", "ns")
	add(daemonset.KindDaemonSet, true, "daemonset", "daemonsets", "ds", "daemonset.apps", "daemonsets.apps")
	add(daemonset.KindControllerRevision, true, "controllerrevision", "controllerrevisions", "controllerrevision.apps", "controllerrevisions.apps")
	add(cluster.KindService, true, "service", "services", "svc")
	add(cluster.KindEndpoints, true, "endpoints", "ep")
	add(replicaset.KindReplicaSet, true, "replicaset", "replicasets", "rs", "replicaset.apps", "replicasets.apps")
	add(replicaset.KindReplicationController, true, "replicationcontroller", "replicationcontrollers", "rc")
	return m
}()

// ParseKind resolves a kind as scenario input names it: the Kind itself
// ("DaemonSet") or a kubectl resource name ("daemonsets", "ds").
func ParseKind(s string) (cluster.Kind, bool, error) {
	info, ok := kindsByName[s]
	if !ok {
		return "", false, fmt.Errorf("unknown kind %q (want Node, Pod, Namespace, DaemonSet, ControllerRevision, Service, Endpoints, ReplicaSet or ReplicationController)", s)
	}
	return info.kind, info.namespaced, nil
}

// ParseRef parses an object reference as scenario input writes it:
// "Kind/name", or "Kind/namespace/name" for a namespaced kind. A
// namespaced kind without a namespace means the "default" namespace. The
// kind may also be a kubectl resource name ("node/n1", "ds/fluentd").
func ParseRef(s string) (cluster.Ref, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return cluster.Ref{}, fmt.Errorf("invalid object reference %q: want Kind/name or Kind/namespace/name", s)
	}
	kind, namespaced, err := ParseKind(parts[0])
	if err != nil {
		return cluster.Ref{}, fmt.Errorf("invalid object reference %q: %v", s, err)
	}
	r := cluster.Ref{Kind: kind, Name: parts[len(parts)-1]}
	switch {
	case len(parts) == 3 && !namespaced:
		return cluster.Ref{}, fmt.Errorf("invalid object reference %q: %s is not namespaced", s, kind)
	case len(parts) == 3:
		r.Namespace = parts[1]
	case namespaced:
		r.Namespace = "default"
	}
	if r.Name == "" || (len(parts) == 3 && r.Namespace == "") {
		return cluster.Ref{}, fmt.Errorf("invalid object reference %q: empty name", s)
	}
	return r, nil
}
