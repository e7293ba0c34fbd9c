package replicaset

import (
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/google/go-cmp/cmp"
)

// testRS returns ReplicaSet "web" of 3 replicas selecting app=web, before
// defaulting.
func testRS() *ReplicaSet {
	rs := &ReplicaSet{}
	rs.Name, rs.Namespace = "web", "default"
	rs.Spec.Replicas = cluster.Int32(3)
	rs.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	rs.Spec.Template.Labels = map[string]string{"app": "web"}
	rs.Spec.Template.Spec.Containers = []cluster.Container{{Name: "web", Image: "nginx:1.27"}}
	return rs
}

// testRC returns ReplicationController "web" of 3 replicas whose template
// is labelled app=web, without a selector, before defaulting.
func testRC() *ReplicationController {
	rc := &ReplicationController{}
	rc.Name, rc.Namespace = "web", "default"
	rc.Spec.Replicas = cluster.Int32(3)
	rc.Spec.Template = &cluster.PodTemplateSpec{}
	rc.Spec.Template.Labels = map[string]string{"app": "web"}
	rc.Spec.Template.Spec.Containers = []cluster.Container{{Name: "web", Image: "nginx:1.27"}}
	return rc
}

// TestDefault checks the defaults of both kinds, and that defaulting does
// not write into what the input shares.
func TestDefault(t *testing.T) {
	t.Run("replicaset", func(t *testing.T) {
		rs := testRS()
		rs.Spec.Replicas = nil
		before := cluster.DeepCopy(rs)
		got := rs.Clone().(*ReplicaSet)
		got.Default(cluster.Modern)
		if *got.Spec.Replicas != 1 || got.Spec.Template.Spec.RestartPolicy != cluster.RestartPolicyAlways ||
			got.Spec.Template.Spec.SchedulerName != cluster.DefaultSchedulerName {
			t.Errorf("defaulted: replicas %d restartPolicy %q schedulerName %q; want 1, Always, default-scheduler",
				*got.Spec.Replicas, got.Spec.Template.Spec.RestartPolicy, got.Spec.Template.Spec.SchedulerName)
		}
		if diff := cmp.Diff(before, cluster.Object(rs)); diff != "" {
			t.Errorf("Default wrote into the input (-before +after):\n%s", diff)
		}
	})
	tests := []struct {
		name         string
		in           func(*ReplicationController)
		wantSelector map[string]string
		wantLabels   map[string]string
	}{
		{"from-template", func(*ReplicationController) {}, map[string]string{"app": "web"}, map[string]string{"app": "web"}},
		{"selector-kept", func(rc *ReplicationController) {
			rc.Spec.Selector = map[string]string{"app": "web"}
			rc.Labels = map[string]string{"team": "a"}
		},
			map[string]string{"app": "web"}, map[string]string{"team": "a"}},
		{"no-template", func(rc *ReplicationController) { rc.Spec.Template = nil }, nil, nil},
	}
	for _, tc := range tests {
		t.Run("rc-"+tc.name, func(t *testing.T) {
			rc := testRC()
			tc.in(rc)
			before := cluster.DeepCopy(rc)
			got := rc.Clone().(*ReplicationController)
			got.Default(cluster.Modern)
			if diff := cmp.Diff(tc.wantSelector, got.Spec.Selector); diff != "" {
				t.Errorf("selector mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantLabels, got.Labels); diff != "" {
				t.Errorf("labels mismatch (-want +got):\n%s", diff)
			}
			if *got.Spec.Replicas != 3 {
				t.Errorf("replicas %d, want 3 kept", *got.Spec.Replicas)
			}
			if got.Spec.Template != nil && got.Spec.Template.Spec.TerminationGracePeriodSeconds == nil {
				t.Error("template not defaulted")
			}
			if diff := cmp.Diff(before, cluster.Object(rc)); diff != "" {
				t.Errorf("Default wrote into the input (-before +after):\n%s", diff)
			}
		})
	}
}

// TestValidateReplicaSet checks upstream's messages for the essentials.
func TestValidateReplicaSet(t *testing.T) {
	mismatch := "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
	tests := []struct {
		name string
		mod  func(*ReplicaSet)
		want []string
	}{
		{"valid", func(*ReplicaSet) {}, nil},
		{"no-selector", func(rs *ReplicaSet) { rs.Spec.Selector = nil }, []string{"spec.selector: Required value", mismatch}},
		{"empty-selector", func(rs *ReplicaSet) { rs.Spec.Selector = &selector.LabelSelector{} },
			[]string{"spec.selector: Invalid value: {}: empty selector is invalid for deployment"}},
		{"mismatch", func(rs *ReplicaSet) { rs.Spec.Selector.MatchLabels = map[string]string{"app": "db"} }, []string{mismatch}},
		{"bad-operator", func(rs *ReplicaSet) {
			rs.Spec.Selector = &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "app", Operator: "Gt", Values: []string{"1"}}}}
		}, []string{
			`spec.selector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator`,
			`spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Gt","values":["1"]}]}: invalid label selector`,
		}},
		{"negative", func(rs *ReplicaSet) { rs.Spec.Replicas = cluster.Int32(-1); rs.Spec.MinReadySeconds = -5 }, []string{
			"spec.replicas: Invalid value: -1: must be greater than or equal to 0",
			"spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0",
		}},
		{"restart-policy", func(rs *ReplicaSet) { rs.Spec.Template.Spec.RestartPolicy = cluster.RestartPolicyNever },
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`}},
		{"active-deadline", func(rs *ReplicaSet) { rs.Spec.Template.Spec.ActiveDeadlineSeconds = cluster.Int64(10) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"}},
		{"no-containers", func(rs *ReplicaSet) { rs.Spec.Template.Spec.Containers = nil },
			[]string{"spec.template.spec.containers: Required value"}},
		{"name", func(rs *ReplicaSet) { rs.Name = "Web" }, []string{
			`metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		}},
		{"old-version", func(rs *ReplicaSet) { rs.APIVersion = "apps/v1beta2"; rs.Spec.Selector = nil },
			[]string{`apiVersion: Invalid value: "apps/v1beta2": no longer served since Kubernetes v1.16; use apps/v1`}},
		{"unknown-version", func(rs *ReplicaSet) { rs.APIVersion = "apps/v2" },
			[]string{`apiVersion: Invalid value: "apps/v2": no matches for kind "ReplicaSet" in version "apps/v2"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := testRS()
			tc.mod(rs)
			rs.Default(cluster.Modern)
			var got []string
			for _, e := range rs.Validate(nil, cluster.Modern) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
	rs := testRS()
	rs.APIVersion = "extensions/v1beta1"
	rs.Default(cluster.Legacy)
	want := `apiVersion: Invalid value: "extensions/v1beta1": not simulated by daemonsim; use apps/v1`
	if errs := rs.Validate(nil, cluster.Legacy); len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("legacy extensions/v1beta1: errors %v, want [%s]", errs, want)
	}
}

// TestValidateReplicationController checks upstream's messages for the
// essentials.
func TestValidateReplicationController(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*ReplicationController)
		want []string
	}{
		{"valid", func(*ReplicationController) {}, nil},
		{"no-template", func(rc *ReplicationController) { rc.Spec.Template = nil },
			[]string{"spec.selector: Required value", "spec.template: Required value"}},
		{"mismatch", func(rc *ReplicationController) { rc.Spec.Selector = map[string]string{"app": "db"} },
			[]string{"spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"}},
		{"negative", func(rc *ReplicationController) { rc.Spec.Replicas = cluster.Int32(-2); rc.Spec.MinReadySeconds = -1 }, []string{
			"spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
			"spec.replicas: Invalid value: -2: must be greater than or equal to 0",
		}},
		{"active-deadline", func(rc *ReplicationController) { rc.Spec.Template.Spec.ActiveDeadlineSeconds = cluster.Int64(10) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported"}},
		{"version", func(rc *ReplicationController) { rc.APIVersion = "apps/v1" },
			[]string{`apiVersion: Invalid value: "apps/v1": no matches for kind "ReplicationController" in version "apps/v1"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc := testRC()
			tc.mod(rc)
			rc.Default(cluster.Modern)
			var got []string
			for _, e := range rc.Validate(nil, cluster.Modern) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUpdates checks, through the simulated API server, generations, kept
// status, the immutable ReplicaSet selector and the mutable
// ReplicationController selector.
func TestUpdates(t *testing.T) {
	c := cluster.MustNew(cluster.Config{})
	Register(c)
	rs := testRS()
	rs.Spec.Template.Labels = map[string]string{"app": "web", "tier": "x"}
	rc := testRC()
	if err := c.Apply(rs, rc); err != nil {
		t.Fatal(err)
	}

	scaled := testRS()
	scaled.Spec.Template.Labels = rs.Spec.Template.Labels
	scaled.Spec.Replicas = cluster.Int32(5)
	seq := c.LastSeq()
	if err := c.Apply(scaled); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range c.LogSince(seq) {
		lines = append(lines, r.String())
	}
	if diff := cmp.Diff([]string{"0s user update ReplicaSet/default/web generation=2 replicas=5"}, lines); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}

	moved := testRS()
	moved.Spec.Template.Labels = rs.Spec.Template.Labels
	moved.Spec.Selector.MatchLabels = map[string]string{"app": "web", "tier": "x"}
	err := c.Apply(moved)
	want := `ReplicaSet.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable`
	if err == nil || err.Error() != want {
		t.Errorf("selector change: error %v, want %q", err, want)
	}

	bad := testRS()
	bad.Spec.Template.Labels = rs.Spec.Template.Labels
	bad.Spec.Replicas = cluster.Int32(-1)
	err = c.Apply(bad)
	want = `ReplicaSet.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`
	if err == nil || err.Error() != want {
		t.Errorf("negative replicas: error %v, want %q", err, want)
	}

	rc2 := testRC()
	rc2.Spec.Selector = map[string]string{"app": "web"}
	rc2.Spec.Template.Labels = map[string]string{"app": "web", "v": "2"}
	seq = c.LastSeq()
	if err := c.Apply(rc2); err != nil {
		t.Fatalf("changing a ReplicationController's template: %v", err)
	}
	lines = nil
	for _, r := range c.LogSince(seq) {
		lines = append(lines, r.String())
	}
	// The object labels default to the template's again.
	if diff := cmp.Diff([]string{"0s user update ReplicationController/default/web labels +v=2 generation=2 template"}, lines); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
	rc3 := testRC()
	rc3.Spec.Selector = map[string]string{"v": "2"}
	rc3.Spec.Template.Labels = map[string]string{"app": "web", "v": "2"}
	if err := c.Apply(rc3); err != nil {
		t.Errorf("changing a ReplicationController's selector: %v", err)
	}
}

// TestRoundTrip checks that both kinds survive the JSON round trip of
// cluster.DeepCopy (and so of manifests) unchanged.
func TestRoundTrip(t *testing.T) {
	rs := testRS()
	rs.Spec.MinReadySeconds = 5
	rs.Status = Status{Replicas: 3, FullyLabeledReplicas: 3, ReadyReplicas: 2, AvailableReplicas: 1, ObservedGeneration: 4}
	rs.Default(cluster.Modern)
	rc := testRC()
	rc.Status = rs.Status
	rc.Default(cluster.Modern)
	for _, obj := range []cluster.Object{rs, rc} {
		if diff := cmp.Diff(obj, cluster.DeepCopy(obj)); diff != "" {
			t.Errorf("%T round trip mismatch (-want +got):\n%s", obj, diff)
		}
	}
}
