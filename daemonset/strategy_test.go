package daemonset_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
)

// storedDS returns the stored version of the DaemonSet default/name.
func storedDS(t *testing.T, c *cluster.Cluster, name string) *daemonset.DaemonSet {
	t.Helper()
	o, ok := c.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: name})
	if !ok {
		t.Fatalf("DaemonSet %s not stored", name)
	}
	return o.(*daemonset.DaemonSet)
}

// lastLine returns the last log line.
func lastLine(c *cluster.Cluster) string {
	log := c.Log()
	return log[len(log)-1].String()
}

// TestStoreHooks drives the hooks through the simulated API server: the
// template generation starts at 1 and is bumped only by template changes,
// the generation by any spec change, and the selector is immutable.
func TestStoreHooks(t *testing.T) {
	c := cluster.MustNew(cluster.Config{})
	ds := newDS("fluentd")
	ds.Spec.Template.Labels["tier"] = "node"
	if _, err := c.Create(ds); err != nil {
		t.Fatalf("Create: %v", err)
	}
	type state struct {
		Generation         int64
		TemplateGeneration string
		Strategy           string
	}
	stateOf := func() state {
		s := storedDS(t, c, "fluentd")
		return state{s.Generation, s.Annotations[daemonset.TemplateGenerationAnnotation], string(s.Spec.UpdateStrategy.Type)}
	}
	if diff := cmp.Diff(state{1, "1", "RollingUpdate"}, stateOf()); diff != "" {
		t.Fatalf("after create mismatch (-want +got):\n%s", diff)
	}

	steps := []struct {
		name     string
		mutate   func(ds *daemonset.DaemonSet)
		want     state
		wantLine string
		wantErr  string
	}{
		{name: "image", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Template.Spec.Containers = []cluster.Container{{Name: "main", Image: "fluentd:2"}}
		}, want: state{2, "2", "RollingUpdate"}, wantLine: "0s user update DaemonSet/default/fluentd generation=2 image=fluentd:2"},
		{name: "strategy", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy}
		}, want: state{3, "2", "OnDelete"}, wantLine: "0s user update DaemonSet/default/fluentd generation=3 updateStrategy=OnDelete"},
		{name: "labels", mutate: func(ds *daemonset.DaemonSet) {
			ds.Labels = map[string]string{"team": "obs"}
		}, want: state{3, "2", "OnDelete"}, wantLine: "0s user update DaemonSet/default/fluentd labels +team=obs"},
		{name: "userTemplateGeneration", mutate: func(ds *daemonset.DaemonSet) {
			ds.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: "7"}
		}, want: state{3, "2", "OnDelete"}},
		{name: "selector", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "fluentd", "tier": "node"}}
		}, want: state{3, "2", "OnDelete"},
			wantErr: `DaemonSet.apps "fluentd" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"fluentd","tier":"node"}}: field is immutable`},
	}
	for _, st := range steps {
		cur := storedDS(t, c, "fluentd").Clone().(*daemonset.DaemonSet)
		st.mutate(cur)
		_, err := c.Update(cur)
		if st.wantErr != "" {
			if err == nil || err.Error() != st.wantErr || !cluster.IsInvalid(err) {
				t.Errorf("%s: Update error = %v, want %q (Invalid)", st.name, err, st.wantErr)
			}
		} else if err != nil {
			t.Fatalf("%s: Update: %v", st.name, err)
		}
		if diff := cmp.Diff(st.want, stateOf()); diff != "" {
			t.Errorf("%s: state mismatch (-want +got):\n%s", st.name, diff)
		}
		if st.wantLine != "" {
			if got := lastLine(c); got != st.wantLine {
				t.Errorf("%s: log line = %q, want %q", st.name, got, st.wantLine)
			}
		}
	}
}

// TestStoreHooksLegacy checks the extensions/v1beta1 rules of the legacy
// profile: spec.templateGeneration instead of the annotation, a defaulted
// and mutable selector, and orphaning deletes.
func TestStoreHooksLegacy(t *testing.T) {
	c := cluster.MustNew(cluster.Config{Profile: cluster.Legacy})
	ds := newDS("fluentd")
	ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
	ds.Spec.Selector = nil
	if _, err := c.Create(ds); err != nil {
		t.Fatalf("Create: %v", err)
	}
	got := storedDS(t, c, "fluentd")
	if got.Spec.TemplateGeneration != 1 || got.Annotations[daemonset.TemplateGenerationAnnotation] != "" {
		t.Errorf("templateGeneration = %d, annotations %v; want 1 in the spec only", got.Spec.TemplateGeneration, got.Annotations)
	}
	if got.Spec.UpdateStrategy.Type != daemonset.OnDeleteStrategy || got.Spec.Selector.String() != "app=fluentd" {
		t.Errorf("strategy %q, selector %q; want OnDelete and app=fluentd", got.Spec.UpdateStrategy.Type, got.Spec.Selector.String())
	}
	cur := got.Clone().(*daemonset.DaemonSet)
	cur.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "fluentd", "tier": "node"}}
	cur.Spec.Template.Labels = map[string]string{"app": "fluentd", "tier": "node"}
	if _, err := c.Update(cur); err != nil {
		t.Fatalf("Update of the selector: %v", err)
	}
	got = storedDS(t, c, "fluentd")
	if got.Spec.TemplateGeneration != 2 || got.Generation != 2 {
		t.Errorf("after template change: templateGeneration %d, generation %d; want 2 and 2", got.Spec.TemplateGeneration, got.Generation)
	}
	if p := got.DefaultPropagation(); p != cluster.DeletePropagationOrphan {
		t.Errorf("DefaultPropagation = %q, want Orphan", p)
	}
}

func TestStoreRejectsUnservedVersion(t *testing.T) {
	tests := []struct {
		profile    cluster.Profile
		apiVersion string
		wantErr    string
	}{
		{cluster.Modern, daemonset.APIVersionExtensionsV1beta1, `no matches for kind "DaemonSet" in version "extensions/v1beta1"`},
		{cluster.Modern, daemonset.APIVersionAppsV1beta2, `no matches for kind "DaemonSet" in version "apps/v1beta2"`},
		{cluster.Legacy, "apps/v2", `no matches for kind "DaemonSet" in version "apps/v2"`},
		{cluster.Modern, daemonset.APIVersion, ""},
		{cluster.Legacy, daemonset.APIVersionExtensionsV1beta1, ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.profile)+"/"+tc.apiVersion, func(t *testing.T) {
			c := cluster.MustNew(cluster.Config{Profile: tc.profile})
			ds := newDS("fluentd")
			ds.APIVersion = tc.apiVersion
			_, err := c.Create(ds)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("Create error = %q, want %q", got, tc.wantErr)
			}
			if tc.wantErr != "" && c.View().Count(daemonset.KindDaemonSet) != 0 {
				t.Error("a refused DaemonSet was stored")
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	ds := newDS("ds")
	ds.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: "5", "keep": "me"}
	ds.Status.NumberReady = 3
	shared := ds.Annotations
	ds.Prepare(nil, cluster.Modern)
	if ds.Annotations[daemonset.TemplateGenerationAnnotation] != "5" || ds.Status.NumberReady != 0 {
		t.Errorf("Prepare(create) = annotations %v, status %+v; want the given generation 5 kept and status cleared", ds.Annotations, ds.Status)
	}
	old := ds.Clone().(*daemonset.DaemonSet)
	old.Status.NumberReady = 4
	cur := old.Clone().(*daemonset.DaemonSet)
	cur.Spec.Template.Spec.NodeName = "node-a"
	cur.Prepare(old, cluster.Modern)
	if cur.Annotations[daemonset.TemplateGenerationAnnotation] != "6" || cur.Status.NumberReady != 4 {
		t.Errorf("Prepare(update) = annotations %v, status %+v; want generation 6 and the old status", cur.Annotations, cur.Status)
	}
	if shared[daemonset.TemplateGenerationAnnotation] != "5" || old.Annotations[daemonset.TemplateGenerationAnnotation] != "5" {
		t.Errorf("Prepare wrote into a shared annotation map")
	}
}

func TestSpecEqual(t *testing.T) {
	base := stored(newDS("ds"), cluster.Modern)
	tests := []struct {
		name   string
		mutate func(ds *daemonset.DaemonSet)
		want   bool
	}{
		{name: "same", mutate: func(*daemonset.DaemonSet) {}, want: true},
		{name: "metadataOnly", mutate: func(ds *daemonset.DaemonSet) { ds.Labels = map[string]string{"a": "b"} }, want: true},
		{name: "statusOnly", mutate: func(ds *daemonset.DaemonSet) { ds.Status.NumberReady = 2 }, want: true},
		{name: "emptyNodeSelector", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Spec.NodeSelector = map[string]string{} }, want: true},
		{name: "minReadySeconds", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.MinReadySeconds = 5 }, want: false},
		{name: "template", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Labels = map[string]string{"app": "ds", "v": "2"} }, want: false},
		{name: "historyLimit", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.RevisionHistoryLimit = int32p(3) }, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := base.Clone().(*daemonset.DaemonSet)
			tc.mutate(ds)
			if got := ds.SpecEqual(base); got != tc.want {
				t.Errorf("SpecEqual = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWithStatusOf(t *testing.T) {
	a, b := newDS("a"), newDS("b")
	b.Status.DesiredNumberScheduled = 4
	got := a.WithStatusOf(b).(*daemonset.DaemonSet)
	if got.Name != "a" || got.Status.DesiredNumberScheduled != 4 || a.Status.DesiredNumberScheduled != 0 {
		t.Errorf("WithStatusOf = %s with desired %d (receiver desired %d); want a copy of a with b's status", got.Name, got.Status.DesiredNumberScheduled, a.Status.DesiredNumberScheduled)
	}
}

func TestDefaultPropagation(t *testing.T) {
	for _, tc := range []struct {
		apiVersion string
		want       cluster.Propagation
	}{
		{daemonset.APIVersion, cluster.DeletePropagationBackground},
		{"", cluster.DeletePropagationBackground},
		{daemonset.APIVersionAppsV1beta2, cluster.DeletePropagationOrphan},
		{daemonset.APIVersionExtensionsV1beta1, cluster.DeletePropagationOrphan},
	} {
		ds := newDS("ds")
		ds.APIVersion = tc.apiVersion
		if got := ds.DefaultPropagation(); got != tc.want {
			t.Errorf("DefaultPropagation(%q) = %q, want %q", tc.apiVersion, got, tc.want)
		}
	}
}

func TestDescribeChange(t *testing.T) {
	old := stored(newDS("ds"), cluster.Modern)
	tests := []struct {
		name   string
		mutate func(ds *daemonset.DaemonSet)
		want   string
	}{
		{name: "nothing", mutate: func(*daemonset.DaemonSet) {}, want: ""},
		{name: "template", mutate: func(ds *daemonset.DaemonSet) {
			ds.Generation = 2
			ds.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: "2"}
			ds.Spec.Template.Spec.NodeSelector = map[string]string{"disk": "ssd"}
		}, want: "generation=2 template"},
		{name: "selectorAndHistory", mutate: func(ds *daemonset.DaemonSet) {
			ds.Generation = 2
			ds.Spec.Selector = &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "app", Operator: "Exists"}}}
			ds.Spec.RevisionHistoryLimit = int32p(3)
			ds.Spec.MinReadySeconds = 10
		}, want: "generation=2 selector=app minReadySeconds=10 revisionHistoryLimit=3"},
		{name: "rollingUpdate", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: pct("10%"), MaxSurge: intstr(0)}
		}, want: "updateStrategy=RollingUpdate(maxUnavailable=10%,maxSurge=0)"},
		{name: "status", mutate: func(ds *daemonset.DaemonSet) {
			ds.Status = daemonset.Status{DesiredNumberScheduled: 3, NumberReady: 2, ObservedGeneration: 1}
		}, want: "desired=3 ready=2 observedGeneration=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := old.Clone().(*daemonset.DaemonSet)
			tc.mutate(ds)
			if got := ds.DescribeChange(old); got != tc.want {
				t.Errorf("DescribeChange = %q, want %q", got, tc.want)
			}
		})
	}
	rev := &daemonset.ControllerRevision{Revision: 1}
	next := &daemonset.ControllerRevision{Revision: 3}
	next.Labels = map[string]string{"a": "b"}
	if got, want := next.DescribeChange(rev), "labels +a=b revision=3"; got != want {
		t.Errorf("ControllerRevision.DescribeChange = %q, want %q", got, want)
	}
	if strings.Contains(old.DescribeChange(old), "annotations") {
		t.Errorf("DescribeChange mentions annotations for an unchanged object")
	}
}
