package daemonset_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// messages renders errs as their full messages, in order; nil for none.
func messages(errs field.ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestValidateDaemonSet(t *testing.T) {
	tests := []struct {
		name    string
		profile cluster.Profile
		mutate  func(ds *daemonset.DaemonSet)
		want    []string
		reason  string
	}{
		{name: "valid", mutate: func(*daemonset.DaemonSet) {}},
		{name: "badName", mutate: func(ds *daemonset.DaemonSet) { ds.Name = "ds." },
			want: []string{`metadata.name: Invalid value: "ds.": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`}},
		{name: "nilSelector", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Selector = nil },
			want:   []string{`spec.template.metadata.labels: Invalid value: {"app":"ds"}: ` + "`selector` does not match template `labels`"},
			reason: "a nil selector selects nothing, so it never matches the template"},
		{name: "emptySelector", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Selector = &selector.LabelSelector{} },
			want: []string{"spec.selector: Invalid value: {}: empty selector is invalid for daemonset"}},
		{name: "selectorMismatch", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "other"}}
		}, want: []string{`spec.template.metadata.labels: Invalid value: {"app":"ds"}: ` + "`selector` does not match template `labels`"}},
		{name: "badSelector", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Selector = &selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{{Key: "app", Operator: "Gt", Values: []string{"1"}}}}
		}, want: []string{`spec.selector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator`},
			reason: "a selector that does not compile is not also reported as a mismatch"},
		{name: "badTemplateLabel", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Labels["x/"] = "y" }, want: []string{
			`spec.template.labels: Invalid value: "x/": name part must be non-empty`,
			`spec.template.labels: Invalid value: "x/": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		}, reason: "template labels are reported at spec.template.labels"},
		{name: "restartPolicyNever", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Spec.RestartPolicy = cluster.RestartPolicyNever },
			want: []string{`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`}},
		{name: "restartPolicyUnknown", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Spec.RestartPolicy = "Sometimes" }, want: []string{
			`spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
			`spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always"`,
		}},
		{name: "activeDeadlineSeconds", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Spec.ActiveDeadlineSeconds = cluster.Int64(30) },
			want: []string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"}},
		{name: "noContainers", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Template.Spec.Containers = nil },
			want: []string{"spec.template.spec.containers: Required value"}},
		{name: "negativeCounts", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.MinReadySeconds = -5
			ds.Spec.RevisionHistoryLimit = int32p(-1)
		}, want: []string{
			"spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0",
			"spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
		}},
		{name: "strategyUnknown", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.UpdateStrategy.Type = "Recreate" },
			want: []string{`spec.updateStrategy: Unsupported value: {"Type":"Recreate","RollingUpdate":null}: supported values: "RollingUpdate", "OnDelete"`}},
		{name: "strategyUnknownWithRollingUpdate", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: "Recreate", RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: pct("10%")}}
		}, want: []string{`spec.updateStrategy: Unsupported value: {"Type":"Recreate","RollingUpdate":{"MaxUnavailable":"10%","MaxSurge":0}}: supported values: "RollingUpdate", "OnDelete"`}},
		{name: "onDeleteIgnoresRollingUpdate", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: intstr(0), MaxSurge: intstr(0)}}
		}},
		{name: "maxUnavailableNegative", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: intstr(-1)}
		},
			want: []string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"}},
		{name: "maxUnavailableNotPercent", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: pct("abc")}
		}, want: []string{
			`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "abc": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
			"spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
		}, reason: "a string that is not a percentage counts as 0"},
		{name: "maxUnavailableNumericString", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: pct("5")}
		}, want: []string{
			`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "5": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
		}, reason: "IntValue parses \"5\" as 5, so it is not zero"},
		{name: "maxUnavailableOver100", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: pct("101%")}
		},
			want: []string{`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%`}},
		{name: "bothSet", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: intstr(1), MaxSurge: pct("20%")}
		}, want: []string{`spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "20%": may not be set when maxUnavailable is non-zero`}},
		{name: "bothZero", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: pct("0%")}
		}, want: []string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{name: "surgeOnly", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: intstr(0), MaxSurge: pct("50%")}
		}},
		{name: "extensionsInLegacy", profile: cluster.Legacy, mutate: func(ds *daemonset.DaemonSet) {
			ds.APIVersion = daemonset.APIVersionExtensionsV1beta1
			ds.Spec.Selector = nil
			ds.Spec.TemplateGeneration = 3
		}, reason: "the selector defaults to the template labels"},
		{name: "templateGenerationInAppsV1", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.TemplateGeneration = 2 },
			want: []string{`spec.templateGeneration: Forbidden: unknown field "spec.templateGeneration" in apps/v1`}},
		{name: "badGenerationAnnotation", mutate: func(ds *daemonset.DaemonSet) {
			ds.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: "two"}
		}, want: []string{`metadata.annotations[deprecated.daemonset.template.generation]: Invalid value: "two": must be an integer`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == "" {
				p = cluster.Modern
			}
			ds := newDS("ds")
			tc.mutate(ds)
			ds.Default(p)
			got := messages(ds.Validate(nil, p))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Validate(nil) mismatch (-want +got):\n%s\n%s", diff, tc.reason)
			}
		})
	}
}

func TestValidateUpdateStrategyRequiresRollingUpdate(t *testing.T) {
	s := &daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy}
	got := messages(daemonset.ValidateUpdateStrategy(s, field.NewPath("spec", "updateStrategy")))
	want := []string{"spec.updateStrategy.rollingUpdate: Required value"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ValidateUpdateStrategy mismatch (-want +got):\n%s", diff)
	}
}

// stored returns ds as the API server would store it on create.
func stored(ds *daemonset.DaemonSet, p cluster.Profile) *daemonset.DaemonSet {
	ds.Default(p)
	ds.Prepare(nil, p)
	ds.UID, ds.Generation, ds.ResourceVersion, ds.CreationTimestamp = "uid-1", 1, "1", cluster.Epoch
	return ds
}

func TestValidateDaemonSetUpdate(t *testing.T) {
	tests := []struct {
		name    string
		profile cluster.Profile
		ext     bool
		mutate  func(ds *daemonset.DaemonSet)
		want    []string
	}{
		{name: "templateChange", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Template.Spec.Containers = []cluster.Container{{Name: "main", Image: "fluentd:2"}}
		}},
		{name: "selectorChange", mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds", "tier": "node"}}
			ds.Spec.Template.Labels = map[string]string{"app": "ds", "tier": "node"}
		}, want: []string{`spec.selector: Invalid value: {"matchLabels":{"app":"ds","tier":"node"}}: field is immutable`}},
		{name: "selectorRemoved", mutate: func(ds *daemonset.DaemonSet) { ds.Spec.Selector = nil }, want: []string{
			`spec.template.metadata.labels: Invalid value: {"app":"ds"}: ` + "`selector` does not match template `labels`",
			"spec.selector: Invalid value: null: field is immutable",
		}},
		{name: "selectorChangeExtensions", profile: cluster.Legacy, ext: true, mutate: func(ds *daemonset.DaemonSet) {
			ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app": "ds", "tier": "node"}}
			ds.Spec.Template.Labels = map[string]string{"app": "ds", "tier": "node"}
		}},
		{name: "uidChanged", mutate: func(ds *daemonset.DaemonSet) { ds.UID = "uid-2" },
			want: []string{`metadata.uid: Invalid value: "uid-2": field is immutable`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == "" {
				p = cluster.Modern
			}
			base := newDS("ds")
			if tc.ext {
				base.APIVersion = daemonset.APIVersionExtensionsV1beta1
			}
			old := stored(base, p)
			ds := old.Clone().(*daemonset.DaemonSet)
			tc.mutate(ds)
			ds.Default(p)
			ds.Prepare(old, p)
			got := messages(ds.Validate(old, p))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Validate(old) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateTemplateGenerationRules checks the rules Prepare normally
// keeps: the template generation may not go down, and changes exactly
// when the template does.
func TestValidateTemplateGenerationRules(t *testing.T) {
	old := stored(newDS("ds"), cluster.Modern)
	tests := []struct {
		name     string
		gen      string
		template bool
		want     []string
	}{
		{name: "same", gen: "1"},
		{name: "decremented", gen: "0", want: []string{"spec.templateGeneration: Invalid value: 0: must not be decremented"}},
		{name: "bumpedWithoutChange", gen: "2", want: []string{"spec.templateGeneration: Invalid value: 2: must not be incremented without template update"}},
		{name: "changeWithoutBump", gen: "1", template: true, want: []string{"spec.templateGeneration: Invalid value: 1: must be incremented upon template update"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := old.Clone().(*daemonset.DaemonSet)
			ds.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: tc.gen}
			if tc.template {
				ds.Spec.Template.Spec.NodeName = "node-a"
			}
			got := messages(daemonset.ValidateDaemonSetUpdate(ds, old, cluster.Modern))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ValidateDaemonSetUpdate mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateControllerRevision(t *testing.T) {
	rev := &daemonset.ControllerRevision{Data: json.RawMessage(`{"spec":{}}`), Revision: 1}
	rev.Name, rev.Namespace = "ds-5d4f8b9c7", "default"
	if errs := rev.Validate(nil, cluster.Modern); errs != nil {
		t.Errorf("Validate(valid revision) = %v, want none", errs)
	}
	bad := &daemonset.ControllerRevision{Revision: -1}
	bad.Name, bad.Namespace = "r", "default"
	want := []string{"data: Required value: data is mandatory", "revision: Invalid value: -1: must be greater than or equal to 0"}
	if diff := cmp.Diff(want, messages(bad.Validate(nil, cluster.Modern))); diff != "" {
		t.Errorf("Validate(bad revision) mismatch (-want +got):\n%s", diff)
	}
	changed := rev.Clone().(*daemonset.ControllerRevision)
	changed.Data = json.RawMessage(`{"spec":{"x":1}}`)
	want = []string{`data: Invalid value: {"spec":{"x":1}}: field is immutable`}
	if diff := cmp.Diff(want, messages(changed.Validate(rev, cluster.Modern))); diff != "" {
		t.Errorf("Validate(changed data) mismatch (-want +got):\n%s", diff)
	}
}
