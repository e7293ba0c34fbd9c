package daemonset_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
)

// budgetWatcher checks, after every single store change, that a rolling
// update stays within its budgets: with maxSurge 0, no more than
// maxUnavailable eligible nodes lack an available pod; with maxSurge, no
// more than maxSurge nodes hold two live pods.
type budgetWatcher struct {
	t        *testing.T
	ds       cluster.Ref
	minReady int32
	maxUnav  int // resolved
	maxSurge int // resolved
	checking bool
	worst    int
}

func (w *budgetWatcher) Name() string { return "budget-watcher" }

func (w *budgetWatcher) Watch(v *cluster.View, _ cluster.Change, _ cluster.Enqueuer) {
	if !w.checking {
		return
	}
	o, ok := v.Get(w.ds)
	if !ok {
		return
	}
	ds := o.(*daemonset.DaemonSet)
	unavailable, doubled := 0, 0
	for n := range v.Nodes() {
		live, available := 0, false
		for p := range v.PodsOnNode(n.Name) {
			if ref := p.ControllerRef(); ref == nil || ref.UID != ds.UID || p.Terminating() || p.IsTerminal() {
				continue
			}
			live++
			if p.IsAvailable(w.minReady, v.Now()) {
				available = true
			}
		}
		if !available {
			unavailable++
		}
		if live > 1 {
			doubled++
		}
	}
	if w.maxSurge == 0 {
		w.worst = max(w.worst, unavailable)
		if unavailable > w.maxUnav {
			w.t.Fatalf("at %v: %d nodes lack an available pod, maxUnavailable is %d", v.Elapsed(), unavailable, w.maxUnav)
		}
	} else {
		w.worst = max(w.worst, doubled)
		if doubled > w.maxSurge {
			w.t.Fatalf("at %v: %d nodes hold two pods, maxSurge is %d", v.Elapsed(), doubled, w.maxSurge)
		}
	}
}

func (w *budgetWatcher) Reconcile(*cluster.View, cluster.Key) cluster.Result { return cluster.Result{} }

// TestRollingUpdateBudgets rolls out template changes with random budgets,
// pod start-up delays and minReadySeconds, and checks the budgets after
// every change; the rollout must also complete.
func TestRollingUpdateBudgets(t *testing.T) {
	for seed := uint64(1); seed <= 16; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		nodes := 3 + rng.IntN(10)
		surge := rng.IntN(2) == 0
		var mu, ms cluster.IntOrString
		if surge {
			mu = cluster.FromInt(0)
			ms = []cluster.IntOrString{cluster.FromInt(1), cluster.FromInt(2), cluster.FromString("30%")}[rng.IntN(3)]
		} else {
			mu = []cluster.IntOrString{cluster.FromInt(1), cluster.FromInt(2), cluster.FromString("25%"), cluster.FromString("50%")}[rng.IntN(4)]
			ms = cluster.FromInt(0)
		}
		minReady := int32(rng.IntN(2) * 5)
		startup := time.Duration(1+rng.IntN(5)) * time.Second
		t.Run(fmt.Sprintf("seed=%d,nodes=%d,maxUnavailable=%v,maxSurge=%v,minReady=%d", seed, nodes, mu.String(), ms.String(), minReady), func(t *testing.T) {
			c := standardCluster(t, cluster.Config{Seed: seed, PodStartup: startup, Log: cluster.LogConfig{Discard: true}})
			for i := 0; i < nodes; i++ {
				n := &cluster.Node{}
				n.Name = fmt.Sprintf("node-%02d", i)
				if err := c.Apply(n); err != nil {
					t.Fatal(err)
				}
			}
			ds := &daemonset.DaemonSet{}
			ds.Name = "agent"
			ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "agent"}}
			ds.Spec.Template.Labels = map[string]string{"app": "agent"}
			grace := int64(rng.IntN(2) * 3)
			ds.Spec.Template.Spec.TerminationGracePeriodSeconds = &grace
			ds.Spec.Template.Spec.Containers = []cluster.Container{{Name: "main", Image: "agent:1"}}
			ds.Spec.MinReadySeconds = minReady
			ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy,
				RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &mu, MaxSurge: &ms}}
			if err := c.Apply(ds); err != nil {
				t.Fatal(err)
			}
			if err := c.Advance(time.Minute); err != nil {
				t.Fatal(err)
			}
			maxSurge, maxUnav, err := daemonset.RolloutBudget(ds, nodes)
			if err != nil {
				t.Fatal(err)
			}
			w := &budgetWatcher{t: t, ds: cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: "agent"},
				minReady: minReady, maxUnav: maxUnav, maxSurge: maxSurge}
			if err := c.Register(w); err != nil {
				t.Fatal(err)
			}
			for round := 2; round <= 3; round++ {
				o, _ := c.Get(w.ds)
				d := cluster.DeepCopy(o).(*daemonset.DaemonSet)
				d.Spec.Template.Spec.Containers[0].Image = fmt.Sprintf("agent:%d", round)
				d.ResourceVersion = ""
				w.checking = true
				if _, err := c.Update(d); err != nil {
					t.Fatal(err)
				}
				if err := c.Advance(10 * time.Minute); err != nil {
					t.Fatal(err)
				}
				w.checking = false
				o, _ = c.Get(w.ds)
				msg, done, err := daemonset.RolloutStatus(o.(*daemonset.DaemonSet))
				if err != nil || !done {
					t.Fatalf("round %d: rollout not done: %s %v", round, msg, err)
				}
			}
			if w.worst == 0 {
				t.Errorf("the rollout never used its budget (worst 0): the check saw nothing")
			}
		})
	}
}
