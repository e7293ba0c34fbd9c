package scenario

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
)

// randomChange returns a change in kubectl words for the model's universe
// (see genOps): mostly well-formed changes to objects that may or may not
// exist, sometimes malformed ones.
func randomChange(rng *rand.Rand) string {
	node := fmt.Sprintf("node-%d", rng.IntN(modelNodeCount))
	ds := fmt.Sprintf("ds-%d", rng.IntN(modelDSCount))
	changes := []string{
		"label node/" + node + " disk=ssd",
		"label nodes " + node + " disk- zone=b",
		"label nodes -l zone=a disk=ssd",
		"label nodes -l disk=ssd zone=a --overwrite",
		"taint nodes " + node + " dedicated=x:NoExecute",
		"taint node/" + node + " dedicated=x:NoSchedule",
		"taint nodes -l zone=b dedicated=x:NoExecute",
		"taint " + node + " dedicated-",
		"cordon " + node,
		"uncordon node/" + node,
		"delete node/" + node,
		"delete nodes -l disk=hdd",
		"delete ds/" + ds,
		"delete ds/" + ds + " --cascade=orphan",
		"delete daemonsets " + ds + " --cascade=foreground",
		"delete pods -l app=" + ds,
		"delete pods -l app=bare --cascade=background",
		"label ds " + ds + " owner=team-a",
		"label pods -l app=" + ds + " app-",
		"delete pod orphan-1",
		// Malformed.
		"drain " + node,
		"label node/" + node,
		"taint nodes -l",
		"delete node/" + node + " --cascade=sideways",
		"cordon node/" + node + " extra",
	}
	return changes[rng.IntN(len(changes))]
}

// whatIfProbe is an afterSettle hook that asks a random what-if question
// and checks that the cluster it asked about did not change: no object
// (by identity, cluster.Diff, and by content, a JSON rendering that an
// in-place modification of a shared object cannot fool), no log record,
// no queued work, no time.
type whatIfProbe struct {
	rng             *rand.Rand
	asked, impacted int
}

func (w *whatIfProbe) probe(m *modelRun) error {
	if w.rng.IntN(2) == 0 {
		return nil
	}
	change := randomChange(w.rng)
	mark := markCluster(m.env)
	rep, err := WhatIf(m.env, change)
	w.asked++
	if err == nil {
		for i := range rep.DaemonSets {
			if rep.DaemonSets[i].Changed() {
				w.impacted++
				break
			}
		}
	}
	if err := mark.changes(m.env); err != nil {
		return fmt.Errorf("WhatIf(%q) changed the cluster: %v", change, err)
	}
	return nil
}

// clusterMark is what markCluster records of a cluster, to tell later
// whether anything changed.
type clusterMark struct {
	fork         *Env
	snap         []string
	seq          uint64
	logLen       int
	pending      int
	elapsed, due time.Duration
	hasDue       bool
}

func markCluster(env *Env) clusterMark {
	due, hasDue := env.NextDue()
	return clusterMark{fork: env.Fork(), snap: jsonSnapshot(env.Cluster), seq: env.LastSeq(), logLen: len(env.Log()),
		pending: env.Pending(), elapsed: env.Elapsed(), due: due, hasDue: hasDue}
}

// changes describes how env differs from the mark, or returns nil.
func (k clusterMark) changes(env *Env) error {
	if d := cluster.Diff(k.fork.Cluster, env.Cluster); len(d) > 0 {
		return fmt.Errorf("%d objects changed, first %s", len(d), d[0].Ref)
	}
	if diff := cmp.Diff(k.snap, jsonSnapshot(env.Cluster)); diff != "" {
		return fmt.Errorf("stored objects modified in place (-before +after):\n%s", truncate(diff, 3000))
	}
	due, hasDue := env.NextDue()
	if env.LastSeq() != k.seq || len(env.Log()) != k.logLen || env.Pending() != k.pending || env.Elapsed() != k.elapsed || due != k.due || hasDue != k.hasDue {
		return fmt.Errorf("log (seq %d→%d, %d→%d records), queue (%d→%d pending, next due %v→%v) or clock (%v→%v) changed",
			k.seq, env.LastSeq(), k.logLen, len(env.Log()), k.pending, env.Pending(), k.due, due, k.elapsed, env.Elapsed())
	}
	return nil
}

// TestClusterMarkCatchesChanges checks that the what-if property can
// fail: a change through the API, an in-place modification of a stored
// object (which cluster.Diff cannot see) and queued work are all caught.
func TestClusterMarkCatchesChanges(t *testing.T) {
	m, f := runModel(genOps(1, 4), modelConfig{seed: 1})
	if f != nil {
		t.Fatal(f)
	}
	env := m.env
	node := cluster.Ref{Kind: cluster.KindNode, Name: "node-0"}
	if err := markCluster(env).changes(env); err != nil {
		t.Fatalf("unchanged cluster: %v", err)
	}
	mark := markCluster(env)
	if err := env.Label(node, "probe=1"); err != nil {
		t.Fatal(err)
	}
	if err := mark.changes(env); err == nil {
		t.Error("a label change was not caught")
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	mark = markCluster(env)
	o, _ := env.View().Get(node)
	o.Meta().Labels["probe"] = "2" // behind the store's back
	if err := mark.changes(env); err == nil {
		t.Error("an in-place modification was not caught")
	}
}

// TestWhatIfNeverMutates asks random what-if questions about the states a
// random operation sequence goes through and checks after each that the
// cluster is untouched; then it checks that the run, questions included,
// logged exactly what the same run without questions logs, so that no
// hidden state (controller caches, kubelet reports, the shuffle stream,
// name counters) leaked from the forks.
func TestWhatIfNeverMutates(t *testing.T) {
	first, seeds, n := modelBudget()
	asked, impacted := 0, 0
	for seed := first; seed < first+uint64(seeds); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			ops := genOps(seed, n)
			probe := &whatIfProbe{rng: rand.New(rand.NewPCG(seed, 0x77686174))}
			cfg := modelConfig{seed: seed, shuffle: true, afterSettle: probe.probe}
			with, f := runModel(ops, cfg)
			if f != nil && f.kind == "whatif" {
				t.Fatalf("seed %d: %v", seed, f)
			}
			if f != nil {
				// Another promise broke first: TestModel reports it; the
				// what-if questions asked up to there passed.
				t.Logf("seed %d: stopped at a model failure (see TestModel): %v", seed, f)
				return
			}
			without, g := runModel(ops, modelConfig{seed: seed, shuffle: true})
			if g != nil {
				t.Fatalf("seed %d: the run without what-if questions failed where the run with them did not: %v", seed, g)
			}
			if diff := cmp.Diff(logText(without.env.Cluster), logText(with.env.Cluster)); diff != "" {
				t.Fatalf("seed %d: asking what-if questions changed what the cluster did (-without +with):\n%s", seed, truncate(diff, 4000))
			}
			if !slices.Equal(jsonSnapshot(without.env.Cluster), jsonSnapshot(with.env.Cluster)) {
				t.Fatalf("seed %d: asking what-if questions changed the final state", seed)
			}
			asked += probe.asked
			impacted += probe.impacted
		})
	}
	t.Logf("%d what-if questions asked, %d of them with an impact", asked, impacted)
	if asked == 0 || impacted == 0 {
		t.Errorf("%d what-if questions asked, %d with an impact: the property was not exercised", asked, impacted)
	}
}
