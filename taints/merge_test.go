package taints_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/taints"
)

func seconds(n int64) *int64 { return &n }

func TestAddOrUpdateToleration(t *testing.T) {
	notReady := taints.Toleration{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute}
	notReady60 := taints.Toleration{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(60)}
	gpu := taints.Toleration{Key: "gpu", Operator: taints.OpEqual, Value: "true", Effect: taints.NoSchedule}
	tests := []struct {
		name     string
		in       []taints.Toleration
		add      taints.Toleration
		want     []taints.Toleration
		wantSame bool // the input slice itself comes back
		reason   string
	}{
		{name: "nil", in: nil, add: notReady, want: []taints.Toleration{notReady}},
		{name: "append", in: []taints.Toleration{gpu}, add: notReady, want: []taints.Toleration{gpu, notReady}},
		{
			name: "seconds-lost", in: []taints.Toleration{gpu, notReady60}, add: notReady, want: []taints.Toleration{gpu, notReady},
			reason: "a match with different tolerationSeconds is replaced in place",
		},
		{
			name: "seconds-added", in: []taints.Toleration{notReady, gpu}, add: notReady60, want: []taints.Toleration{notReady60, gpu},
		},
		{
			name: "duplicates-replaced", in: []taints.Toleration{notReady60, gpu, notReady60}, add: notReady,
			want:   []taints.Toleration{notReady, gpu, notReady},
			reason: "every match is replaced, and none is appended",
		},
		{
			name: "mixed-duplicates", in: []taints.Toleration{notReady, notReady60}, add: notReady,
			want: []taints.Toleration{notReady, notReady},
		},
		{
			name: "equal-kept", in: []taints.Toleration{gpu, notReady}, add: notReady, want: []taints.Toleration{gpu, notReady}, wantSame: true,
			reason: "upstream replaces an equal toleration by itself; the result equals the input",
		},
		{
			name: "equal-seconds-kept", in: []taints.Toleration{notReady60}, add: taints.Toleration{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(60)},
			want: []taints.Toleration{notReady60}, wantSame: true, reason: "tolerationSeconds is compared by value",
		},
		{
			name: "other-operator-kept",
			in:   []taints.Toleration{{Key: taints.NodeNotReady, Operator: taints.OpEqual, Effect: taints.NoExecute}},
			add:  notReady,
			want: []taints.Toleration{{Key: taints.NodeNotReady, Operator: taints.OpEqual, Effect: taints.NoExecute}, notReady},
		},
		{
			name:   "empty-operator-is-not-equal",
			in:     []taints.Toleration{{Key: "gpu", Value: "true", Effect: taints.NoSchedule}},
			add:    gpu,
			want:   []taints.Toleration{{Key: "gpu", Value: "true", Effect: taints.NoSchedule}, gpu},
			reason: "matching compares operators as written: \"\" and Equal differ",
		},
		{
			name:   "other-effect-kept",
			in:     []taints.Toleration{{Key: taints.NodeNotReady, Operator: taints.OpExists}},
			add:    notReady,
			want:   []taints.Toleration{{Key: taints.NodeNotReady, Operator: taints.OpExists}, notReady},
			reason: "an effect-less toleration already tolerates not-ready:NoExecute, but it does not match",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := cloneTolerations(tc.in)
			got := taints.AddOrUpdateToleration(tc.in, tc.add)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("AddOrUpdateToleration(%v, %s) mismatch (-want +got):\n%s (%s)", tc.in, describe(tc.add), diff, tc.reason)
			}
			if diff := cmp.Diff(before, tc.in); diff != "" {
				t.Errorf("AddOrUpdateToleration modified its input (-before +after):\n%s", diff)
			}
			same := len(got) > 0 && len(tc.in) > 0 && &got[0] == &tc.in[0]
			if same != tc.wantSame {
				t.Errorf("AddOrUpdateToleration returned the input slice: %v, want %v", same, tc.wantSame)
			}
		})
	}
}

// TestAddOrUpdateTolerationSpareCapacity checks that a result never shares
// the input's spare capacity: appending to two results of the same input
// must not let one overwrite the other.
func TestAddOrUpdateTolerationSpareCapacity(t *testing.T) {
	in := make([]taints.Toleration, 1, 8)
	in[0] = taints.Toleration{Key: "a", Operator: taints.OpExists}
	x := taints.AddOrUpdateToleration(in, taints.Toleration{Key: "x", Operator: taints.OpExists})
	y := taints.AddOrUpdateToleration(in, taints.Toleration{Key: "y", Operator: taints.OpExists})
	if x[1].Key != "x" || y[1].Key != "y" {
		t.Errorf("results share storage: x[1].Key = %q, y[1].Key = %q", x[1].Key, y[1].Key)
	}
	if full := in[:2]; full[1] != (taints.Toleration{}) {
		t.Errorf("AddOrUpdateToleration wrote into the input's spare capacity: %v", full[1])
	}
}

func TestDaemonTolerations(t *testing.T) {
	exists := func(key string, e taints.Effect) taints.Toleration {
		return taints.Toleration{Key: key, Operator: taints.OpExists, Effect: e}
	}
	modern := []taints.Toleration{
		exists("node.kubernetes.io/not-ready", taints.NoExecute),
		exists("node.kubernetes.io/unreachable", taints.NoExecute),
		exists("node.kubernetes.io/disk-pressure", taints.NoSchedule),
		exists("node.kubernetes.io/memory-pressure", taints.NoSchedule),
		exists("node.kubernetes.io/pid-pressure", taints.NoSchedule),
		exists("node.kubernetes.io/unschedulable", taints.NoSchedule),
	}
	legacy := []taints.Toleration{
		exists("node.alpha.kubernetes.io/notReady", taints.NoExecute),
		exists("node.alpha.kubernetes.io/unreachable", taints.NoExecute),
	}
	tests := []struct {
		name                string
		hostNetwork, legacy bool
		want                []taints.Toleration
	}{
		{name: "modern", want: modern},
		{name: "modern-host-network", hostNetwork: true, want: append(modern[:6:6], exists("node.kubernetes.io/network-unavailable", taints.NoSchedule))},
		{name: "legacy", legacy: true, want: legacy},
		{name: "legacy-host-network", hostNetwork: true, legacy: true, want: legacy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := taints.DaemonTolerations(tc.hostNetwork, tc.legacy)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DaemonTolerations(%v, %v) mismatch (-want +got):\n%s", tc.hostNetwork, tc.legacy, diff)
			}
			got[0].Key = "changed"
			if again := taints.DaemonTolerations(tc.hostNetwork, tc.legacy); again[0].Key == "changed" {
				t.Error("DaemonTolerations returns shared storage")
			}
		})
	}
}

func TestAddDaemonTolerations(t *testing.T) {
	user := taints.Toleration{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.NoSchedule}
	unreachable300 := taints.Toleration{Key: taints.NodeUnreachable, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: seconds(300)}
	legacyNotReady := taints.Toleration{Key: taints.LegacyNodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute}
	tests := []struct {
		name                string
		in                  []taints.Toleration
		hostNetwork, legacy bool
		want                []taints.Toleration
		reason              string
	}{
		{
			name: "user-first", in: []taints.Toleration{user},
			want: append([]taints.Toleration{user}, taints.DaemonTolerations(false, false)...),
		},
		{
			name: "seconds-dropped-in-place", in: []taints.Toleration{unreachable300, user},
			want: []taints.Toleration{
				{Key: taints.NodeUnreachable, Operator: taints.OpExists, Effect: taints.NoExecute}, user,
				{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute},
				{Key: taints.NodeDiskPressure, Operator: taints.OpExists, Effect: taints.NoSchedule},
				{Key: taints.NodeMemoryPressure, Operator: taints.OpExists, Effect: taints.NoSchedule},
				{Key: taints.NodePIDPressure, Operator: taints.OpExists, Effect: taints.NoSchedule},
				{Key: taints.NodeUnschedulable, Operator: taints.OpExists, Effect: taints.NoSchedule},
			},
			reason: "the user's unreachable toleration keeps its place and loses its 300 s",
		},
		{
			name: "legacy", in: []taints.Toleration{user}, legacy: true,
			want: []taints.Toleration{user, legacyNotReady, {Key: taints.LegacyNodeUnreachable, Operator: taints.OpExists, Effect: taints.NoExecute}},
		},
		{
			name: "legacy-existing", in: []taints.Toleration{legacyNotReady}, legacy: true, hostNetwork: true,
			want: []taints.Toleration{legacyNotReady, {Key: taints.LegacyNodeUnreachable, Operator: taints.OpExists, Effect: taints.NoExecute}},
		},
		{
			name: "idempotent", in: taints.DaemonTolerations(true, false), hostNetwork: true,
			want: taints.DaemonTolerations(true, false),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := cloneTolerations(tc.in)
			got := taints.AddDaemonTolerations(tc.in, tc.hostNetwork, tc.legacy)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("AddDaemonTolerations(%v, %v, %v) mismatch (-want +got):\n%s (%s)", tc.in, tc.hostNetwork, tc.legacy, diff, tc.reason)
			}
			if diff := cmp.Diff(before, tc.in); diff != "" {
				t.Errorf("AddDaemonTolerations modified its input (-before +after):\n%s", diff)
			}
		})
	}
}
