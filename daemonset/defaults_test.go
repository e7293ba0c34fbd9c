package daemonset_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
)

// newDS returns a valid, undefaulted apps/v1 DaemonSet named name whose
// selector and template select app=name.
func newDS(name string) *daemonset.DaemonSet {
	ds := &daemonset.DaemonSet{}
	ds.APIVersion, ds.Kind = daemonset.APIVersion, "DaemonSet"
	ds.Name, ds.Namespace = name, "default"
	ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": name}}
	ds.Spec.Template.Labels = map[string]string{"app": name}
	ds.Spec.Template.Spec.Containers = []cluster.Container{{Name: "main", Image: "fluentd:1"}}
	return ds
}

func intstr(v int32) *cluster.IntOrString { x := cluster.FromInt(v); return &x }

func pct(s string) *cluster.IntOrString { x := cluster.FromString(s); return &x }

func int32p(v int32) *int32 { return &v }

func TestDefault(t *testing.T) {
	rolling := func(mu, ms *cluster.IntOrString) daemonset.UpdateStrategy {
		return daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: mu, MaxSurge: ms}}
	}
	tests := []struct {
		name         string
		profile      cluster.Profile
		mutate       func(ds *daemonset.DaemonSet)
		wantStrategy daemonset.UpdateStrategy
		wantHistory  *int32
		wantSelector *selector.LabelSelector
		wantLabels   map[string]string
		reason       string
	}{
		{name: "appsV1Empty", profile: cluster.Modern, mutate: func(*daemonset.DaemonSet) {},
			wantStrategy: rolling(intstr(1), intstr(0)), wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}},
		{name: "appsV1OnDelete", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.Type = daemonset.OnDeleteStrategy
		}, wantStrategy: daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy}, wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}},
		{name: "appsV1Percent", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: pct("25%")}
		}, wantStrategy: rolling(pct("25%"), intstr(0)), wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}},
		{name: "appsV1SurgeOnly", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: intstr(0), MaxSurge: intstr(1)}
		}, wantStrategy: rolling(intstr(0), intstr(1)), wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}},
		{name: "appsV1UnknownType", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.Type = "Recreate"
		}, wantStrategy: daemonset.UpdateStrategy{Type: "Recreate"}, wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}},
			reason:       "only RollingUpdate gets rollingUpdate defaults"},
		{name: "appsV1HistoryZero", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.RevisionHistoryLimit = int32p(0)
		}, wantStrategy: rolling(intstr(1), intstr(0)), wantHistory: int32p(0),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}},
		{name: "appsV1NoSelectorDefault", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Selector = nil
		}, wantStrategy: rolling(intstr(1), intstr(0)), wantHistory: int32p(10),
			reason: "apps/v1 has no selector defaulting"},
		{name: "legacyAppsV1", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Selector = nil },
			wantStrategy: rolling(intstr(1), intstr(0)), wantHistory: int32p(10)},
		{name: "legacyAppsV1beta2", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionAppsV1beta2
		}, wantStrategy: rolling(intstr(1), intstr(0)), wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}}},
		{name: "legacyExtensions", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
			ds.Spec.Selector = nil
		}, wantStrategy: daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy}, wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}},
			wantLabels:   map[string]string{"app": "ds"}},
		{name: "legacyExtensionsKeepsLabelsAndSelector", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
			ds.Labels = map[string]string{"team": "obs"}
			ds.Spec.Selector = &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "app", Operator: "Exists"}}}
		}, wantStrategy: daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy}, wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "app", Operator: "Exists"}}},
			wantLabels:   map[string]string{"team": "obs"}},
		{name: "legacyExtensionsNoTemplateLabels", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
			ds.Spec.Selector = nil
			ds.Spec.Template.Labels = nil
		}, wantStrategy: daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy}, wantHistory: int32p(10),
			reason: "without template labels there is nothing to default from"},
		{name: "legacyExtensionsRollingUpdate", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
			ds.Spec.UpdateStrategy.Type = daemonset.RollingUpdateStrategy
		}, wantStrategy: rolling(intstr(1), nil), wantHistory: int32p(10),
			wantSelector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds"}},
			wantLabels:   map[string]string{"app": "ds"},
			reason:       "extensions/v1beta1 has no maxSurge (it arrived in 1.21)"},
		{name: "modernExtensions", profile: cluster.Modern, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
			ds.Spec.Selector = nil
		}, wantStrategy: rolling(intstr(1), intstr(0)), wantHistory: int32p(10),
			reason: "the modern profile does not serve extensions/v1beta1: apps/v1 defaults, then Validate rejects it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := newDS("ds")
			tc.mutate(ds)
			ds.Default(tc.profile)
			if diff := cmp.Diff(tc.wantStrategy, ds.Spec.UpdateStrategy); diff != "" {
				t.Errorf("updateStrategy mismatch (-want +got):\n%s\n%s", diff, tc.reason)
			}
			if diff := cmp.Diff(tc.wantHistory, ds.Spec.RevisionHistoryLimit); diff != "" {
				t.Errorf("revisionHistoryLimit mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSelector, ds.Spec.Selector); diff != "" {
				t.Errorf("selector mismatch (-want +got):\n%s\n%s", diff, tc.reason)
			}
			if diff := cmp.Diff(tc.wantLabels, ds.Labels); diff != "" {
				t.Errorf("labels mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultPodTemplate(t *testing.T) {
	ds := newDS("ds")
	ds.Default(cluster.Modern)
	s := ds.Spec.Template.Spec
	got := []string{string(s.RestartPolicy), s.DNSPolicy, s.SchedulerName, s.Containers[0].ImagePullPolicy, s.Containers[0].TerminationMessagePolicy}
	want := []string{"Always", "ClusterFirst", "default-scheduler", "IfNotPresent", "File"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pod template defaults mismatch (-want +got):\n%s", diff)
	}
	if s.TerminationGracePeriodSeconds == nil || *s.TerminationGracePeriodSeconds != 30 {
		t.Errorf("terminationGracePeriodSeconds = %v, want 30", s.TerminationGracePeriodSeconds)
	}
}

// TestDefaultSharesNothing checks that defaulting a shallow copy leaves
// the original untouched, as the store's immutability demands.
func TestDefaultSharesNothing(t *testing.T) {
	orig := newDS("ds")
	orig.APIVersion = daemonset.APIVersionExtensionsV1beta1
	orig.Spec.Selector = nil
	orig.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{}}
	copyDS := orig.Clone().(*daemonset.DaemonSet)
	copyDS.Default(cluster.Legacy)

	if orig.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable != nil || orig.Spec.UpdateStrategy.RollingUpdate.MaxSurge != nil {
		t.Errorf("Default wrote into the original's rollingUpdate: %+v", *orig.Spec.UpdateStrategy.RollingUpdate)
	}
	if orig.Spec.Template.Spec.Containers[0].ImagePullPolicy != "" {
		t.Errorf("Default wrote into the original's containers")
	}
	copyDS.Spec.Selector.MatchLabels["extra"] = "x"
	copyDS.Labels["other"] = "y"
	if diff := cmp.Diff(map[string]string{"app": "ds"}, orig.Spec.Template.Labels); diff != "" {
		t.Errorf("defaulted selector or labels share the template's label map (-want +got):\n%s", diff)
	}
}
