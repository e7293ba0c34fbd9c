package examples_test

import (
	"log"
	"slices"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/scenario"
	"github.com/daemonsim/daemonsim/selector"
)

// The helpers below keep the examples about DaemonSets rather than about
// error handling. Each is a few lines of the public API.

// start builds a cluster with the standard controllers, applies the
// manifests and settles: the state a user sees after `kubectl apply -f`
// once the controllers have caught up.
func start(manifests string) *scenario.Env {
	env := scenario.MustNewCluster(cluster.Config{})
	apply(env, manifests)
	return env
}

// apply decodes and applies manifests, then settles.
func apply(env *scenario.Env, manifests string) {
	if err := env.ApplyYAML(manifests); err != nil {
		log.Fatal(err)
	}
	settle(env)
}

// settle runs all work that is due now; the clock does not move.
func settle(env *scenario.Env) {
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
}

// must stops the example on an error.
func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// nodesRunning returns, in name order, the nodes that hold a live (not
// terminating) pod in namespace ns matching the label selector sel.
func nodesRunning(env *scenario.Env, ns, sel string) []string {
	s, err := selector.Parse(sel)
	if err != nil {
		log.Fatal(err)
	}
	var nodes []string
	for o := range env.List(cluster.KindPod, ns) {
		p := o.(*cluster.Pod)
		if !p.Terminating() && s.Matches(selector.Set(p.Labels)) {
			nodes = append(nodes, p.Spec.NodeName)
		}
	}
	slices.Sort(nodes)
	return nodes
}

// status renders the status counters of the DaemonSet ns/name.
func status(env *scenario.Env, ns, name string) string {
	o, ok := env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: ns, Name: name})
	if !ok {
		return "not found"
	}
	return daemonset.DescribeStatus(&o.(*daemonset.DaemonSet).Status)
}

// join renders a list of names for printing.
func join(names []string) string {
	if len(names) == 0 {
		return "<none>"
	}
	return strings.Join(names, " ")
}
