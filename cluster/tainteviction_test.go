package cluster

import (
	"regexp"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/taints"
	"github.com/google/go-cmp/cmp"
)

func seconds(s int64) *int64 { return &s }

// TestMatchNoExecute covers upstream's GetMatchingTolerations and
// getMinTolerationTime.
func TestMatchNoExecute(t *testing.T) {
	unreachable := taints.Taint{Key: taints.NodeUnreachable, Effect: taints.NoExecute}
	notReady := taints.Taint{Key: taints.NodeNotReady, Effect: taints.NoExecute}
	noSchedule := taints.Taint{Key: "x", Effect: taints.NoSchedule}
	tolerate := func(key string, s *int64) taints.Toleration {
		return taints.Toleration{Key: key, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: s}
	}
	tests := []struct {
		name        string
		taints      []taints.Taint
		tols        []taints.Toleration
		wantTol     bool
		wantWait    time.Duration
		wantForever bool
		reason      string
	}{
		{name: "no taints", wantTol: true, wantForever: true},
		{name: "NoSchedule taints are ignored", taints: []taints.Taint{noSchedule}, wantTol: true, wantForever: true},
		{name: "untolerated", taints: []taints.Taint{unreachable}, tols: []taints.Toleration{tolerate(taints.NodeNotReady, nil)}},
		{name: "tolerated for ever", taints: []taints.Taint{unreachable}, tols: []taints.Toleration{tolerate(taints.NodeUnreachable, nil)}, wantTol: true, wantForever: true},
		{name: "tolerated for 300s", taints: []taints.Taint{unreachable}, tols: []taints.Toleration{tolerate(taints.NodeUnreachable, seconds(300))}, wantTol: true, wantWait: 300 * time.Second},
		{
			name:    "minimum over the taints",
			taints:  []taints.Taint{unreachable, notReady},
			tols:    []taints.Toleration{tolerate(taints.NodeNotReady, seconds(60)), tolerate(taints.NodeUnreachable, seconds(300))},
			wantTol: true, wantWait: 60 * time.Second,
		},
		{
			name:    "one bounded toleration bounds the stay",
			taints:  []taints.Taint{unreachable, notReady},
			tols:    []taints.Toleration{tolerate(taints.NodeNotReady, nil), tolerate(taints.NodeUnreachable, seconds(300))},
			wantTol: true, wantWait: 300 * time.Second,
		},
		{
			name:    "the first matching toleration per taint counts",
			taints:  []taints.Taint{unreachable},
			tols:    []taints.Toleration{tolerate("", nil), tolerate(taints.NodeUnreachable, seconds(5))},
			wantTol: true, wantForever: true,
			reason: "upstream stops at the first toleration that tolerates a taint",
		},
		{name: "negative seconds mean now", taints: []taints.Taint{unreachable}, tols: []taints.Toleration{tolerate(taints.NodeUnreachable, seconds(-5))}, wantTol: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tol, wait, forever := matchNoExecute(tc.taints, tc.tols)
			got := []any{tol, wait, forever}
			want := []any{tc.wantTol, tc.wantWait, tc.wantForever}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("matchNoExecute mismatch (-want +got):\n%s\n%s", diff, tc.reason)
			}
		})
	}
}

// taintedSetup returns a cluster with the taint eviction controller and
// the kubelet, node n, and pods on n: "plain" (no tolerations of its own:
// admission adds not-ready and unreachable ones), "brief" (tolerates
// dedicated for 60s), "ever" (tolerates dedicated for ever).
func taintedSetup(t *testing.T) *Cluster {
	t.Helper()
	c := btCluster(t, Config{}, NewTaintEvictionController(), NewKubelet())
	check(t, c.Apply(btNode("n")))
	ded := func(s *int64) taints.Toleration {
		return taints.Toleration{Key: "dedicated", Operator: taints.OpEqual, Value: "x", Effect: taints.NoExecute, TolerationSeconds: s}
	}
	check(t, c.Apply(btPod("plain", "n"), withTolerations(btPod("brief", "n"), ded(seconds(60))), withTolerations(btPod("ever", "n"), ded(nil))))
	check(t, c.Settle())
	return c
}

// TestTaintEviction covers immediate and timed evictions, cancellation
// when the taint goes, and pods bound later.
func TestTaintEviction(t *testing.T) {
	c := taintedSetup(t)
	wantLines(t, "taint", []string{
		"0s user update Node/n taints +dedicated=x:NoExecute",
		"0s user advance 20s",
		`0s taint-eviction-controller event Pod/default/plain Normal TaintManagerEviction "Marking for deletion Pod default/plain"`,
		"0s taint-eviction-controller update-status Pod/default/plain phase=Running ready=true DisruptionTarget=DeletionByTaintManager",
		"0s taint-eviction-controller evict Pod/default/plain grace=30s",
	}, step(t, c, func() error {
		if err := c.Taint("n", "dedicated=x:NoExecute"); err != nil {
			return err
		}
		return c.Advance(20 * time.Second)
	}))
	p := getPod(c, "default", "plain")
	want := PodCondition{Type: DisruptionTarget, Status: ConditionTrue, Reason: "DeletionByTaintManager",
		Message: "Taint manager: deleting due to NoExecute taint", LastTransitionTime: Epoch}
	if diff := cmp.Diff(&want, p.Condition(DisruptionTarget)); diff != "" {
		t.Errorf("DisruptionTarget condition mismatch (-want +got):\n%s", diff)
	}
	// A pod bound at 20s tolerating for 60s goes at 80s, not at 60s.
	late := btPod("late", "n")
	late.Spec.Tolerations = []taints.Toleration{{Key: "dedicated", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(60)}}
	check(t, c.Apply(late))
	got := step(t, c, func() error {
		if err := c.Advance(10 * time.Second); err != nil {
			return err
		}
		return c.Advance(30 * time.Second)
	})
	wantLines(t, "to 60s", []string{
		"20s user advance 10s",
		"20s kubelet/n update-status Pod/default/late phase=Running ready=true",
		"30s kubelet/n delete Pod/default/plain",
		"30s user advance 30s",
		`1m0s taint-eviction-controller event Pod/default/brief Normal TaintManagerEviction "Marking for deletion Pod default/brief"`,
		"1m0s taint-eviction-controller update-status Pod/default/brief phase=Running ready=true DisruptionTarget=DeletionByTaintManager",
		"1m0s taint-eviction-controller evict Pod/default/brief grace=30s",
	}, got)
	wantLines(t, "untaint at 70s", []string{
		"1m0s user advance 10s",
		"1m10s user update Node/n taints -dedicated=x:NoExecute",
		"1m10s user advance 10m0s",
		`1m10s taint-eviction-controller event Pod/default/late Normal TaintManagerEviction "Cancelling deletion of Pod default/late"`,
		"1m30s kubelet/n delete Pod/default/brief",
	}, step(t, c, func() error {
		if err := c.Advance(10 * time.Second); err != nil {
			return err
		}
		if err := c.Taint("n", "dedicated:NoExecute-"); err != nil {
			return err
		}
		return c.Advance(10 * time.Minute)
	}))
	for _, name := range []string{"ever", "late"} {
		if p := getPod(c, "default", name); p == nil || p.Terminating() {
			t.Errorf("pod %s = %v, want it kept", name, p)
		}
	}
}

// TestTaintEvictionKeepsSchedule shows rule 3: an eviction once scheduled
// keeps its time, even when a second taint shortens the toleration.
func TestTaintEvictionKeepsSchedule(t *testing.T) {
	c := btCluster(t, Config{}, NewTaintEvictionController())
	check(t, c.Apply(btNode("n")))
	p := btPod("p", "n")
	p.Spec.Tolerations = []taints.Toleration{
		{Key: "a", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(100)},
		{Key: "b", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(10)},
	}
	check(t, c.Apply(p))
	check(t, c.Taint("n", "a:NoExecute"))
	check(t, c.Advance(50*time.Second))
	check(t, c.Taint("n", "b:NoExecute"))
	got := step(t, c, func() error { return c.Advance(60 * time.Second) })
	wantLines(t, "second taint", []string{
		"50s user advance 1m0s",
		`1m40s taint-eviction-controller event Pod/default/p Normal TaintManagerEviction "Marking for deletion Pod default/p"`,
		"1m40s taint-eviction-controller update-status Pod/default/p phase=Pending ready=false DisruptionTarget=DeletionByTaintManager",
		"1m40s taint-eviction-controller evict Pod/default/p grace=30s",
	}, got)
}

// TestTaintEvictionFork shows that a fork has its own scheduled
// evictions: cancelling in the fork leaves the original's.
func TestTaintEvictionFork(t *testing.T) {
	c := taintedSetup(t)
	check(t, c.Taint("n", "dedicated=x:NoExecute"))
	check(t, c.Settle())
	f := c.Fork()
	check(t, f.Taint("n", "dedicated:NoExecute-"))
	check(t, f.Advance(time.Minute))
	check(t, c.Advance(time.Minute))
	if p := getPod(f, "default", "brief"); p == nil || p.Terminating() {
		t.Errorf("fork: pod brief = %v, want it kept (eviction cancelled)", p)
	}
	if p := getPod(c, "default", "brief"); p == nil || !p.Terminating() {
		t.Errorf("origin: pod brief = %v, want it evicted", p)
	}
}

// TestTaintEvictionRetry shows that an eviction that fails is retried with
// the cluster's backoff, for immediate and timed evictions alike.
func TestTaintEvictionRetry(t *testing.T) {
	failed := map[string]bool{}
	intercept := func(actor string, a Action) error {
		if d, ok := a.(Delete); ok && d.Evict && !failed[d.Object.Name] {
			failed[d.Object.Name] = true
			return NewConflict(PodType, d.Object.Name, "injected")
		}
		return nil
	}
	c := btCluster(t, Config{Intercept: intercept}, NewTaintEvictionController())
	check(t, c.Apply(btNode("n"), btPod("now", "n"),
		withTolerations(btPod("later", "n"), taints.Toleration{Key: "k", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(10)})))
	check(t, c.Taint("n", "k:NoExecute"))
	check(t, c.Advance(time.Minute))
	for _, name := range []string{"now", "later"} {
		if p := getPod(c, "default", name); p == nil || !p.Terminating() {
			t.Errorf("pod %s = %v, want it evicted after a retry", name, p)
		}
	}
	var fails []string
	for _, l := range logLines(c) {
		if regexp.MustCompile(` fail `).MatchString(l) {
			fails = append(fails, l)
		}
	}
	wantLines(t, "failures", []string{
		`0s taint-eviction-controller fail Pod/default/now delete "Operation cannot be fulfilled on pods \"now\": injected"`,
		`10s taint-eviction-controller fail Pod/default/later delete "Operation cannot be fulfilled on pods \"later\": injected"`,
	}, fails)
}
