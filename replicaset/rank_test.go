package replicaset

import (
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/google/go-cmp/cmp"
)

// rankPod returns a Running, Ready pod bound to node, created and Ready at
// the given seconds after Epoch.
func rankPod(name, node string, created, readyAt int) *cluster.Pod {
	p := &cluster.Pod{}
	p.Name, p.Namespace, p.UID = name, "default", "uid-"+name
	p.CreationTimestamp = cluster.Epoch.Add(time.Duration(created) * time.Second)
	p.Spec.NodeName = node
	p.Status.Phase = cluster.PodRunning
	p.Status.Conditions = []cluster.PodCondition{{Type: cluster.PodReady, Status: cluster.ConditionTrue,
		LastTransitionTime: cluster.Epoch.Add(time.Duration(readyAt) * time.Second)}}
	return p
}

func with(p *cluster.Pod, f func(*cluster.Pod)) *cluster.Pod { f(p); return p }

func notReady(p *cluster.Pod) {
	p.Status.Conditions = []cluster.PodCondition{{Type: cluster.PodReady, Status: cluster.ConditionFalse}}
}

func names(pods []*cluster.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return out
}

// TestPodsToDelete checks each rule of the deletion ranking in turn: the
// cases list the full order (n is one less than the pods).
func TestPodsToDelete(t *testing.T) {
	now := cluster.Epoch.Add(1000 * time.Second)
	cost := func(v string) func(*cluster.Pod) {
		return func(p *cluster.Pod) { p.Annotations = map[string]string{PodDeletionCostAnnotation: v} }
	}
	tests := []struct {
		name    string
		pods    []*cluster.Pod
		related []*cluster.Pod
		n       int
		want    []string
	}{{
		name: "unassigned-first",
		pods: []*cluster.Pod{rankPod("a", "node-a", 0, 0), with(rankPod("b", "", 0, 0), func(p *cluster.Pod) {
			p.Status.Phase = cluster.PodPending
			notReady(p)
		})},
		want: []string{"b"},
	}, {
		name: "phase",
		pods: []*cluster.Pod{
			rankPod("running", "node-a", 0, 0),
			with(rankPod("unknown", "node-a", 0, 0), func(p *cluster.Pod) { p.Status.Phase = cluster.PodUnknown }),
			with(rankPod("pending", "node-a", 0, 0), func(p *cluster.Pod) { p.Status.Phase = cluster.PodPending }),
		},
		want: []string{"pending", "unknown"},
	}, {
		name: "not-ready-first",
		pods: []*cluster.Pod{rankPod("a", "node-a", 0, 0), with(rankPod("b", "node-a", 0, 0), notReady)},
		want: []string{"b"},
	}, {
		name: "deletion-cost",
		pods: []*cluster.Pod{
			with(rankPod("high", "node-a", 0, 0), cost("10")),
			with(rankPod("low", "node-a", 0, 0), cost("-5")),
			with(rankPod("bad", "node-a", 0, 0), cost("x")),
			rankPod("none", "node-a", 0, 0),
		},
		want: []string{"low", "bad", "none"},
	}, {
		name:    "doubled-up-first",
		pods:    []*cluster.Pod{rankPod("a", "node-a", 0, 0), rankPod("b", "node-b", 0, 0)},
		related: []*cluster.Pod{rankPod("a", "node-a", 0, 0), rankPod("b", "node-b", 0, 0), rankPod("x", "node-b", 0, 0), with(rankPod("gone", "node-a", 0, 0), func(p *cluster.Pod) { p.Status.Phase = cluster.PodFailed })},
		want:    []string{"b"},
	}, {
		name: "ready-later-first",
		pods: []*cluster.Pod{rankPod("a", "node-a", 0, 0), rankPod("b", "node-a", 0, 900)},
		want: []string{"b"},
	}, {
		// 500 s and 400 s before now lie in the same power of two of
		// nanoseconds: the name decides, not the later readiness of b.
		name: "ready-same-bucket",
		pods: []*cluster.Pod{rankPod("b", "node-a", 0, 600), rankPod("a", "node-a", 0, 500)},
		want: []string{"a"},
	}, {
		name: "ready-time-unknown-first",
		pods: []*cluster.Pod{rankPod("a", "node-a", 0, 900), with(rankPod("b", "node-a", 0, 0), func(p *cluster.Pod) { p.Status.Conditions[0].LastTransitionTime = time.Time{} })},
		want: []string{"b"},
	}, {
		name: "newer-first",
		pods: []*cluster.Pod{with(rankPod("old", "node-a", 0, 0), notReady), with(rankPod("new", "node-a", 990, 0), notReady)},
		want: []string{"new"},
	}, {
		name: "names-last",
		pods: []*cluster.Pod{rankPod("c", "node-a", 0, 0), rankPod("a", "node-b", 0, 0), rankPod("b", "node-c", 0, 0)},
		want: []string{"a", "b"},
	}, {
		name: "all",
		pods: []*cluster.Pod{rankPod("c", "node-a", 0, 0), with(rankPod("a", "", 0, 0), notReady)},
		n:    2,
		want: []string{"c", "a"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.n
			if n == 0 {
				n = len(tc.pods) - 1
			}
			in := append([]*cluster.Pod(nil), tc.pods...)
			got := names(PodsToDelete(tc.pods, tc.related, n, now))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PodsToDelete mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(names(in), names(tc.pods)); diff != "" {
				t.Errorf("PodsToDelete reordered its input (-before +after):\n%s", diff)
			}
		})
	}
}

// TestCalculateStatus checks the counters.
func TestCalculateStatus(t *testing.T) {
	now := cluster.Epoch.Add(100 * time.Second)
	tmpl := &cluster.PodTemplateSpec{}
	tmpl.Labels = map[string]string{"app": "web", "tier": "front"}
	full := func(p *cluster.Pod) { p.Labels = map[string]string{"app": "web", "tier": "front", "x": "y"} }
	pods := []*cluster.Pod{
		with(rankPod("available", "node-a", 0, 0), full),
		with(rankPod("ready", "node-a", 0, 95), full),
		with(rankPod("partial", "node-a", 0, 0), func(p *cluster.Pod) { p.Labels = map[string]string{"app": "web"} }),
		with(with(rankPod("unready", "node-a", 0, 0), full), notReady),
	}
	got := CalculateStatus(tmpl, 10, pods, now)
	want := Status{Replicas: 4, FullyLabeledReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CalculateStatus mismatch (-want +got):\n%s", diff)
	}
}
