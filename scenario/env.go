package scenario

import (
	"fmt"
	"slices"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/replicaset"
	"github.com/daemonsim/daemonsim/scheduling"
)

// Env is a cluster with the standard set of controllers (see
// [NewCluster]), and direct access to the two that scenario steps drive:
// the kubelet stand-in (standing status reports, static pods) and the
// DaemonSet controller.
//
// An Env is not safe for concurrent use.
type Env struct {
	*cluster.Cluster
	// Kubelet is the kubelet stand-in registered with the cluster.
	Kubelet *cluster.Kubelet
	// DaemonSets is the DaemonSet controller registered with the cluster.
	DaemonSets *daemonset.Controller

	// refused collects what changes parsed by ParseChange left alone
	// because kubectl would refuse it (see Report.Refused). A fork starts
	// with none.
	refused []string
	// notes collects what kubectl would have printed about an object it
	// changed (see Report.Notes). A fork starts with none.
	notes []string
}

// refuse records that a change left r alone, for the reason err.
func (e *Env) refuse(r cluster.Ref, err error) {
	e.refused = append(e.refused, r.String()+": "+err.Error())
}

// note records what kubectl would have printed about r as it changed it.
func (e *Env) note(r cluster.Ref, msg string) {
	e.notes = append(e.notes, r.String()+": "+msg)
}

// NewCluster returns a cluster configured by cfg with the standard wiring,
// registered in this order (which is the order in which controllers
// reconcile work due at the same instant):
//
//  1. the garbage collector ([cluster.NewGarbageCollector]);
//  2. the node lifecycle controller ([cluster.NewNodeLifecycleController]);
//  3. the taint eviction controller ([cluster.NewTaintEvictionController]);
//  4. the pod garbage collector ([cluster.NewPodGC]);
//  5. the kubelet stand-in ([cluster.NewKubelet]);
//  6. the default scheduler stand-in ([scheduling.NewScheduler]);
//  7. the DaemonSet controller ([daemonset.NewController]), with the
//     DaemonSet and ControllerRevision kinds made known to the cluster
//     ([daemonset.Register]);
//  8. the ReplicaSet controller ([replicaset.NewController]);
//  9. the ReplicationController controller
//     ([replicaset.NewReplicationController]), with both kinds made known
//     to the cluster ([replicaset.Register]);
//  10. the Endpoints controller ([cluster.NewEndpointsController]), with
//     the Service and Endpoints kinds made known to the cluster.
//
// The scheduler is registered in the legacy profile too: legacy DaemonSet
// pods are created bound, so it ignores them, but bare pods still need it.
// NewCluster fails only on an invalid Config.
func NewCluster(cfg cluster.Config) (*Env, error) {
	c, err := cluster.New(cfg)
	if err != nil {
		return nil, err
	}
	daemonset.Register(c)
	replicaset.Register(c)
	c.RegisterTypes(cluster.ServiceType, cluster.EndpointsType)
	k := cluster.NewKubelet()
	ds := daemonset.NewController()
	if err := c.Register(
		cluster.NewGarbageCollector(),
		cluster.NewNodeLifecycleController(),
		cluster.NewTaintEvictionController(),
		cluster.NewPodGC(),
		k,
		scheduling.NewScheduler(),
		ds,
		replicaset.NewController(),
		replicaset.NewReplicationController(),
		cluster.NewEndpointsController(),
	); err != nil {
		return nil, err
	}
	return &Env{Cluster: c, Kubelet: k, DaemonSets: ds}, nil
}

// MustNewCluster is [NewCluster] for a Config known to be valid; it panics
// otherwise.
func MustNewCluster(cfg cluster.Config) *Env {
	e, err := NewCluster(cfg)
	if err != nil {
		panic(err)
	}
	return e
}

// Fork returns an independent copy of the environment (see
// [cluster.Cluster.Fork]): changes to either never show in the other. The
// copy's Kubelet and DaemonSets fields point to the fork's own controllers.
func (e *Env) Fork() *Env {
	c := e.Cluster.Fork()
	f := &Env{Cluster: c}
	if k, ok := c.Controller(cluster.KubeletName); ok {
		f.Kubelet, _ = k.(*cluster.Kubelet)
	}
	if d, ok := c.Controller(daemonset.ControllerName); ok {
		f.DaemonSets, _ = d.(*daemonset.Controller)
	}
	if f.Kubelet == nil || f.DaemonSets == nil {
		panic(fmt.Sprintf("scenario: internal error: fork lost its controllers (kubelet %v, daemonset %v)", f.Kubelet != nil, f.DaemonSets != nil))
	}
	return f
}

// ApplyYAML decodes manifests as [Decode] does (YAML or JSON documents,
// Lists expanded) and applies the objects as kubectl apply does (see
// [cluster.Cluster.Apply]): all of them or, on the first error, none. A
// decoding error names the line ("line 12: DaemonSet: unknown field
// \"spec.templat\""); nothing is applied then either.
func (e *Env) ApplyYAML(manifests string) error {
	objs, err := Decode([]byte(manifests))
	if err != nil {
		return err
	}
	return e.Apply(objs...)
}

// DaemonSet returns a copy of the DaemonSet namespace/name ("" is
// "default"), or false when there is none.
func (e *Env) DaemonSet(namespace, name string) (*daemonset.DaemonSet, bool) {
	o, ok := e.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: namespace, Name: name})
	if !ok {
		return nil, false
	}
	return o.(*daemonset.DaemonSet), true
}

// NodesRunning returns, sorted, the nodes of the live pods (bound, not
// terminating) that the DaemonSet namespace/name ("" is "default") owns:
// one entry per pod, so a node with two pods appears twice. It is what a
// test asserts after a settle.
func (e *Env) NodesRunning(namespace, name string) []string {
	if namespace == "" {
		namespace = "default"
	}
	ds, ok := e.View().Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: namespace, Name: name})
	if !ok {
		return nil
	}
	var nodes []string
	for o := range e.View().Dependents(ds.Meta().UID, cluster.KindPod) {
		p := o.(*cluster.Pod)
		if p.Terminating() || p.Spec.NodeName == "" {
			continue
		}
		if r := p.ControllerRef(); r == nil || r.UID != ds.Meta().UID {
			continue
		}
		nodes = append(nodes, p.Spec.NodeName)
	}
	slices.Sort(nodes)
	return nodes
}

// Events returns the Kubernetes Events the cluster has logged after
// sequence number since (0 for all, or a [cluster.Cluster.LastSeq] taken
// before a change), in order: records whose Verb is event, with their
// Type, Reason, Message and Object.
func (e *Env) Events(since uint64) []cluster.Record {
	var out []cluster.Record
	for _, r := range e.LogSince(since) {
		if r.Verb == cluster.VerbEvent {
			out = append(out, r)
		}
	}
	return out
}
