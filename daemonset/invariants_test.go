package daemonset_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/internal/dsoracle"
	"github.com/daemonsim/daemonsim/scheduling"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// standardCluster wires every built-in controller, as scenario.NewCluster
// does (this package cannot import scenario).
func standardCluster(t testing.TB, cfg cluster.Config) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	daemonset.Register(c)
	if err := c.Register(cluster.NewGarbageCollector(), cluster.NewNodeLifecycleController(), cluster.NewTaintEvictionController(),
		cluster.NewPodGC(), cluster.NewKubelet(), scheduling.NewScheduler(), daemonset.NewController()); err != nil {
		t.Fatal(err)
	}
	return c
}

// recount computes a DaemonSet's status from scratch (see
// internal/dsoracle): the oracle the controller's incrementally maintained
// counters must equal.
func recount(c *cluster.Cluster, ds *daemonset.DaemonSet) daemonset.Status {
	sel, err := ds.Spec.Selector.AsSelector()
	if err != nil {
		return daemonset.Status{}
	}
	return dsoracle.Recount(c, ds, sel, dsoracle.CurrentHash(c.View(), ds), c.Now())
}

// checkInvariants checks, after a settle, what the controller promises.
func checkInvariants(t *testing.T, c *cluster.Cluster, step string) {
	t.Helper()
	v := c.View()
	for o := range c.List(daemonset.KindDaemonSet, "") {
		ds := o.(*daemonset.DaemonSet)
		if ds.DeletionTimestamp != nil || ds.Spec.Selector == nil {
			continue
		}
		want := recount(c, ds)
		got := ds.Status
		got.ObservedGeneration, got.CollisionCount, got.Conditions = 0, nil, nil
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: DaemonSet %s status %+v, recount %+v", step, ds.Name, got, want)
		}
		if ds.Status.ObservedGeneration != ds.Generation {
			t.Fatalf("%s: DaemonSet %s observedGeneration %d, generation %d", step, ds.Name, ds.Status.ObservedGeneration, ds.Generation)
		}
		elig := daemonset.NewEligibility(ds, c.Config().Profile)
		surge := ds.Spec.UpdateStrategy.RollingUpdate != nil && ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge != nil &&
			ds.Spec.UpdateStrategy.Type == daemonset.RollingUpdateStrategy && ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.String() != "0" &&
			ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.String() != "0%"
		for n := range v.Nodes() {
			shouldRun, shouldCont := elig.ShouldRun(n)
			var live, terminating, terminal int
			for p := range v.PodsOnNode(n.Name) {
				ref := p.ControllerRef()
				if ref == nil || ref.UID != ds.UID {
					continue
				}
				switch {
				case p.Terminating():
					terminating++
				case p.IsTerminal():
					terminal++ // a failed pod waits out its backoff
				default:
					live++
				}
			}
			switch {
			case live > 2 || (live == 2 && !surge):
				t.Fatalf("%s: DaemonSet %s has %d live pods on %s", step, ds.Name, live, n.Name)
			case shouldRun && live == 0 && terminating == 0 && terminal == 0:
				t.Fatalf("%s: DaemonSet %s has no pod on eligible node %s", step, ds.Name, n.Name)
			case !shouldCont && live > 0:
				t.Fatalf("%s: DaemonSet %s keeps a pod on %s, which it should not run on", step, ds.Name, n.Name)
			}
		}
	}
}

// TestInvariantsRandom runs seeded random operation sequences and checks
// the invariants after every settle, also in shuffle mode.
func TestInvariantsRandom(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 4
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		for _, shuffle := range []bool{false, true} {
			t.Run(fmt.Sprintf("seed=%d,shuffle=%v", seed, shuffle), func(t *testing.T) {
				runRandom(t, seed, shuffle, 60)
			})
		}
	}
}

func runRandom(t *testing.T, seed uint64, shuffle bool, ops int) {
	rng := rand.New(rand.NewPCG(seed, 99))
	c := standardCluster(t, cluster.Config{Seed: seed, Shuffle: shuffle, Log: cluster.LogConfig{Discard: true}})
	labels := []string{"disk=ssd", "disk=hdd", "zone=a", "zone=b", "gpu=true"}
	nodeName := func() string { return fmt.Sprintf("node-%d", rng.IntN(8)) }
	var history []string
	do := func(desc string, err error) {
		history = append(history, desc)
		if err != nil && !cluster.IsNotFound(err) && !cluster.IsAlreadyExists(err) && !strings.Contains(err.Error(), "not found") {
			t.Fatalf("seed %d: %s: %v\nhistory:\n%s", seed, desc, err, strings.Join(history, "\n"))
		}
	}
	for i := 0; i < ops; i++ {
		switch op := rng.IntN(12); op {
		case 0, 1:
			n := &cluster.Node{}
			n.Name = nodeName()
			n.Labels = map[string]string{}
			for _, l := range labels {
				if rng.IntN(3) == 0 {
					k, val, _ := strings.Cut(l, "=")
					n.Labels[k] = val
				}
			}
			do("apply node "+n.Name, c.Apply(n))
		case 2:
			n := nodeName()
			if rng.IntN(2) == 0 {
				do("label "+n, c.Label(cluster.Ref{Kind: cluster.KindNode, Name: n}, labels[rng.IntN(len(labels))]))
			} else {
				k, _, _ := strings.Cut(labels[rng.IntN(len(labels))], "=")
				do("unlabel "+n, c.Label(cluster.Ref{Kind: cluster.KindNode, Name: n}, k+"-"))
			}
		case 3:
			n := nodeName()
			spec := []string{"dedicated=x:NoSchedule", "dedicated=x:NoExecute", "maint:PreferNoSchedule"}[rng.IntN(3)]
			err := c.Taint(n, spec)
			if err != nil && strings.Contains(err.Error(), "not found") {
				err = nil
			}
			do("taint "+n+" "+spec, err)
		case 4:
			n := nodeName()
			err := c.Taint(n, "dedicated-")
			if err != nil && strings.Contains(err.Error(), "not found") {
				err = nil
			}
			do("untaint "+n, err)
		case 5:
			n := nodeName()
			do("delete node "+n, c.Delete(cluster.Ref{Kind: cluster.KindNode, Name: n}, cluster.DeleteOptions{}))
		case 6, 7:
			do("apply ds", c.Apply(randomDaemonSet(rng)))
		case 8:
			name := fmt.Sprintf("ds-%d", rng.IntN(3))
			prop := []cluster.Propagation{"", cluster.DeletePropagationForeground, cluster.DeletePropagationOrphan}[rng.IntN(3)]
			do("delete ds "+name+" "+string(prop), c.Delete(cluster.Ref{Kind: daemonset.KindDaemonSet, Name: name}, cluster.DeleteOptions{Propagation: prop}))
		case 9:
			// Fail a random daemon pod, as a kubelet would report.
			var pods []*cluster.Pod
			for o := range c.List(cluster.KindPod, "default") {
				if p := o.(*cluster.Pod); p.Spec.NodeName != "" && !p.Terminating() && p.Status.Phase == cluster.PodRunning {
					pods = append(pods, p)
				}
			}
			if len(pods) > 0 {
				p := cluster.DeepCopy(pods[rng.IntN(len(pods))]).(*cluster.Pod)
				p.Status.Phase = cluster.PodFailed
				p.Status.Conditions = cluster.SetPodCondition(p.Status.Conditions, cluster.PodCondition{Type: cluster.PodReady, Status: cluster.ConditionFalse, LastTransitionTime: c.Now()})
				p.ResourceVersion = ""
				do("fail pod "+p.Name, c.Act("kubelet/"+p.Spec.NodeName, cluster.UpdateStatus{Object: p}))
			}
		case 10:
			d := time.Duration(rng.IntN(40)+1) * time.Second
			do("advance "+d.String(), c.Advance(d))
		case 11:
			n := nodeName()
			if rng.IntN(2) == 0 {
				do("cordon "+n, ignoreNotFound(c.Cordon(n)))
			} else {
				do("uncordon "+n, ignoreNotFound(c.Uncordon(n)))
			}
		}
		if err := c.Settle(); err != nil {
			t.Fatalf("seed %d: settle: %v\nhistory:\n%s", seed, err, strings.Join(history, "\n"))
		}
		checkInvariants(t, c, fmt.Sprintf("seed %d after op %d\nhistory:\n%s", seed, i, strings.Join(history, "\n")))
	}
}

func ignoreNotFound(err error) error {
	if cluster.IsNotFound(err) {
		return nil
	}
	return err
}

// randomDaemonSet returns one of three DaemonSets with random template
// and strategy choices.
func randomDaemonSet(rng *rand.Rand) *daemonset.DaemonSet {
	name := fmt.Sprintf("ds-%d", rng.IntN(3))
	ds := &daemonset.DaemonSet{}
	ds.Name = name
	ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": name}}
	ds.Spec.Template.Labels = map[string]string{"app": name}
	grace := int64(rng.IntN(2) * 10)
	ds.Spec.Template.Spec.TerminationGracePeriodSeconds = &grace
	ds.Spec.Template.Spec.Containers = []cluster.Container{{Name: "main", Image: fmt.Sprintf("img:%d", rng.IntN(3))}}
	switch rng.IntN(3) {
	case 1:
		ds.Spec.Template.Spec.NodeSelector = map[string]string{"disk": "ssd"}
	case 2:
		ds.Spec.Template.Spec.Affinity = &cluster.Affinity{NodeAffinity: &cluster.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{
				{MatchExpressions: []selector.NodeSelectorRequirement{{Key: "zone", Operator: selector.NodeSelectorOpIn, Values: []string{"a"}}}},
			}}}}
	}
	if rng.IntN(2) == 0 {
		ds.Spec.Template.Spec.Tolerations = []taints.Toleration{{Key: "dedicated", Operator: taints.OpExists}}
	}
	switch rng.IntN(4) {
	case 0:
		ds.Spec.UpdateStrategy.Type = daemonset.OnDeleteStrategy
	case 1:
		mu := cluster.FromInt(1)
		ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &mu}}
	case 2:
		mu, ms := cluster.FromInt(0), cluster.FromString("50%")
		ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &mu, MaxSurge: &ms}}
	}
	if rng.IntN(4) == 0 {
		ds.Spec.MinReadySeconds = 5
	}
	return ds
}
