package selector_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// expr and terms build node selectors tersely.
func expr(key string, op selector.NodeSelectorOperator, values ...string) selector.NodeSelectorRequirement {
	return selector.NodeSelectorRequirement{Key: key, Operator: op, Values: values}
}

func terms(ts ...selector.NodeSelectorTerm) *selector.NodeSelector {
	return &selector.NodeSelector{NodeSelectorTerms: ts}
}

func exprTerm(es ...selector.NodeSelectorRequirement) selector.NodeSelectorTerm {
	return selector.NodeSelectorTerm{MatchExpressions: es}
}

func fieldTerm(es ...selector.NodeSelectorRequirement) selector.NodeSelectorTerm {
	return selector.NodeSelectorTerm{MatchFields: es}
}

var node1 = selector.Set{"disk": "ssd", "zone": "a", "cpus": "8", "kubernetes.io/hostname": "node-1"}

func TestRequiredNodeAffinityMatch(t *testing.T) {
	const ms = "nodeSelectorTerms[0].matchExpressions[0]"
	tests := []struct {
		name         string
		nodeSelector map[string]string
		required     *selector.NodeSelector
		nodeName     string
		labels       selector.Set
		want         bool
		wantErr      string
		reason       string
	}{
		{name: "no constraint", want: true},
		{name: "nodeSelector matches", nodeSelector: map[string]string{"disk": "ssd", "zone": "a"}, labels: node1, want: true},
		{name: "nodeSelector value differs", nodeSelector: map[string]string{"disk": "hdd"}, labels: node1, want: false},
		{name: "nodeSelector label missing", nodeSelector: map[string]string{"gpu": ""}, labels: node1, want: false},
		{name: "nodeSelector empty value", nodeSelector: map[string]string{"gpu": ""}, labels: selector.Set{"gpu": ""}, want: true},
		{name: "nodeSelector is not validated", nodeSelector: map[string]string{"-bad key": "bad value!"}, labels: selector.Set{"-bad key": "bad value!"}, want: true},
		{name: "nodeSelector fails before affinity", nodeSelector: map[string]string{"disk": "hdd"},
			required: terms(exprTerm(expr("x", "Bogus"))), labels: node1, want: false,
			reason: "the nodeSelector is checked first, so the affinity's errors are not reported"},
		{name: "empty term list", required: terms(), labels: node1, want: false},
		{name: "only empty terms", required: terms(selector.NodeSelectorTerm{}, exprTerm()), labels: node1, want: false},
		{name: "one term matches", required: terms(
			exprTerm(expr("disk", "In", "hdd")),
			exprTerm(expr("disk", "In", "ssd", "nvme"), expr("cpus", "Gt", "4"), expr("gpu", "DoesNotExist")),
		), labels: node1, want: true},
		{name: "all expressions of a term must hold", required: terms(
			exprTerm(expr("disk", "In", "ssd"), expr("cpus", "Lt", "4")),
		), labels: node1, want: false},
		{name: "Gt on a label that is not a number", required: terms(exprTerm(expr("zone", "Gt", "1"))), labels: node1, want: false},
		{name: "matchFields on the name", required: terms(fieldTerm(expr("metadata.name", "In", "node-1"))), nodeName: "node-1", labels: node1, want: true},
		{name: "matchFields NotIn the name", required: terms(fieldTerm(expr("metadata.name", "NotIn", "node-1"))), nodeName: "node-1", labels: node1, want: false},
		{name: "matchFields ignored without a name", required: terms(fieldTerm(expr("metadata.name", "In", "node-2"))), nodeName: "", labels: node1, want: true},
		{name: "other field keys compare as empty", required: terms(fieldTerm(expr("metadata.namespace", "In", ""))), nodeName: "node-1", want: true},
		{name: "other field keys compare as empty (NotIn)", required: terms(fieldTerm(expr("spec.unschedulable", "NotIn", ""))), nodeName: "node-1", want: false},
		{name: "expressions and fields", required: terms(selector.NodeSelectorTerm{
			MatchExpressions: []selector.NodeSelectorRequirement{expr("disk", "Exists")},
			MatchFields:      []selector.NodeSelectorRequirement{expr("metadata.name", "In", "node-2")},
		}), nodeName: "node-1", labels: node1, want: false},
		{name: "nil labels", required: terms(exprTerm(expr("disk", "DoesNotExist"))), want: true},
		{name: "Gt value not an integer", required: terms(exprTerm(expr("cpus", "Gt", "abc"))), labels: node1,
			wantErr: ms + `.values[0]: Invalid value: "abc": for 'Gt', 'Lt' operators, the value must be an integer`},
		{name: "Gt value not a label value", required: terms(exprTerm(expr("cpus", "Gt", "-1"))), labels: node1,
			wantErr: ms + `.values[0][cpus]: Invalid value: "-1": ` + valueRegexMsg},
		{name: "Lt without values", required: terms(exprTerm(expr("cpus", "Lt"))), labels: node1,
			wantErr: ms + `.values: Invalid value: null: for 'Gt', 'Lt' operators, exactly one value is required`},
		{name: "unknown operator", required: terms(exprTerm(expr("zone", "Equals", "a"))), labels: node1,
			wantErr: ms + `.operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`},
		{name: "operators are case-sensitive", required: terms(exprTerm(expr("zone", "exists"))), labels: node1,
			wantErr: ms + `.operator: Unsupported value: "exists": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`},
		{name: "In without values", required: terms(exprTerm(expr("zone", "In"))), labels: node1,
			wantErr: ms + `.values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`},
		{name: "bad key", required: terms(exprTerm(expr("-zone", "Exists"))), labels: node1,
			wantErr: ms + `.key: Invalid value: "-zone": name part ` + nameRegexMsg},
		{name: "matchFields with two values", required: terms(fieldTerm(expr("metadata.name", "In", "a", "b"))), nodeName: "",
			wantErr: `nodeSelectorTerms[0].matchFields[0].values: Invalid value: ["a","b"]: must have one element`,
			reason:  "parse errors are found even when the node has no name"},
		{name: "matchFields with Exists", required: terms(fieldTerm(expr("metadata.name", "Exists"))), nodeName: "node-1",
			wantErr: `nodeSelectorTerms[0].matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"`},
		{name: "errors are reported only when no term matches", required: terms(
			exprTerm(expr("zone", "Bogus")),
			exprTerm(expr("zone", "In", "a")),
		), labels: node1, want: true},
		{name: "errors of every term, in order", required: terms(
			exprTerm(expr("zone", "In", "b")),
			exprTerm(expr("zone", "Bogus"), expr("cpus", "Gt", "x")),
			selector.NodeSelectorTerm{},
			fieldTerm(expr("metadata.name", "Lt", "1")),
		), nodeName: "node-1", labels: node1,
			wantErr: `[nodeSelectorTerms[1].matchExpressions[0].operator: Unsupported value: "Bogus": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", ` +
				`nodeSelectorTerms[1].matchExpressions[1].values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer, ` +
				`nodeSelectorTerms[3].matchFields[0].operator: Unsupported value: "Lt": supported values: "In", "NotIn"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := selector.NewRequiredNodeAffinity(tc.nodeSelector, tc.required)
			got, err := a.Match(tc.nodeName, tc.labels)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tc.want || gotErr != tc.wantErr {
				t.Errorf("Match(%q, %v) = (%v, %q), want (%v, %q) %s", tc.nodeName, tc.labels, got, gotErr, tc.want, tc.wantErr, tc.reason)
			}
			if err != nil && len(field.Errors(err)) == 0 {
				t.Errorf("Match error %v does not unwrap to field errors", err)
			}
			if other, _ := a.Match(tc.nodeName, pairsOf(tc.labels)); other != got {
				t.Errorf("Match with labels stored as pairs = %v, want %v", other, got)
			}
			if reasons := a.Explain(tc.nodeName, tc.labels); (len(reasons) == 0) != got {
				t.Errorf("Explain(%q, %v) = %q, want reasons exactly when Match is false", tc.nodeName, tc.labels, reasons)
			}
			if tc.nodeSelector == nil && tc.required != nil {
				if m := tc.required.Matches(tc.nodeName, tc.labels); m != got {
					t.Errorf("NodeSelector.Matches = %v, want %v", m, got)
				}
			}
		})
	}
}

func TestNodeSelectorMatchesNil(t *testing.T) {
	var ns *selector.NodeSelector
	if ns.Matches("node-1", node1) {
		t.Error("a nil NodeSelector matches")
	}
	var zero selector.RequiredNodeAffinity
	if ok, err := zero.Match("node-1", nil); !ok || err != nil {
		t.Errorf("zero RequiredNodeAffinity.Match = (%v, %v), want (true, nil)", ok, err)
	}
}

func TestRequiredNodeAffinityIsACopy(t *testing.T) {
	ns := terms(exprTerm(expr("disk", "In", "ssd")))
	nodeSelector := map[string]string{"zone": "a"}
	a := selector.NewRequiredNodeAffinity(nodeSelector, ns)
	ns.NodeSelectorTerms[0].MatchExpressions[0].Values[0] = "hdd"
	ns.NodeSelectorTerms = nil
	nodeSelector["zone"] = "b"
	if ok, err := a.Match("node-1", node1); !ok || err != nil {
		t.Errorf("Match after the inputs changed = (%v, %v), want (true, nil)", ok, err)
	}
}

func TestRequiredNodeAffinityExplain(t *testing.T) {
	tests := []struct {
		name         string
		nodeSelector map[string]string
		required     *selector.NodeSelector
		nodeName     string
		labels       selector.Set
		want         []string
	}{
		{name: "matches", nodeSelector: map[string]string{"disk": "ssd"}, required: terms(exprTerm(expr("zone", "Exists"))), labels: node1},
		{
			name:         "nodeSelector, in key order",
			nodeSelector: map[string]string{"zone": "b", "disk": "ssd", "gpu": "true"},
			labels:       node1,
			want: []string{
				`nodeSelector: label "gpu" is missing, want "true"`,
				`nodeSelector: label "zone" is "a", want "b"`,
			},
		},
		{
			name: "one reason per term",
			required: terms(
				exprTerm(expr("disk", "In", "hdd", "nvme"), expr("zone", "Exists")),
				exprTerm(expr("zone", "Exists"), expr("gpu", "Exists")),
				exprTerm(expr("gpu", "DoesNotExist"), expr("disk", "DoesNotExist")),
				exprTerm(expr("zone", "NotIn", "a")),
				exprTerm(expr("cpus", "Gt", "8")),
				exprTerm(expr("zone", "Lt", "8")),
				selector.NodeSelectorTerm{},
				exprTerm(expr("zone", "In")),
				fieldTerm(expr("metadata.name", "In", "node-2")),
				fieldTerm(expr("metadata.namespace", "In", "x")),
			),
			nodeName: "node-1",
			labels:   node1,
			want: []string{
				`node affinity: term 0: disk In [hdd nvme]: label "disk" is "ssd"`,
				`node affinity: term 1: gpu Exists: label "gpu" is missing`,
				`node affinity: term 2: disk DoesNotExist: label "disk" is present ("ssd")`,
				`node affinity: term 3: zone NotIn [a]: label "zone" is "a"`,
				`node affinity: term 4: cpus Gt [8]: label "cpus" is "8"`,
				`node affinity: term 5: zone Lt [8]: label "zone" is "a", not an integer`,
				`node affinity: term 6: empty term matches no node`,
				`node affinity: term 7: invalid: nodeSelectorTerms[7].matchExpressions[0].values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`,
				`node affinity: term 8: metadata.name In [node-2]: node name is "node-1"`,
				`node affinity: term 9: metadata.namespace In [x]: node has no field "metadata.namespace"`,
			},
		},
		{
			name:         "no labels",
			nodeSelector: map[string]string{"disk": "ssd"},
			required:     terms(exprTerm(expr("zone", "Exists"))),
			want: []string{
				`nodeSelector: label "disk" is missing, want "ssd"`,
				`node affinity: term 0: zone Exists: label "zone" is missing`,
			},
		},
		{
			name:         "both nodeSelector and affinity",
			nodeSelector: map[string]string{"disk": "hdd"},
			required:     terms(),
			labels:       node1,
			want: []string{
				`nodeSelector: label "disk" is "ssd", want "hdd"`,
				`node affinity: nodeSelectorTerms is empty, so no node matches`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := selector.NewRequiredNodeAffinity(tc.nodeSelector, tc.required)
			got := a.Explain(tc.nodeName, tc.labels)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Explain(%q, %v) mismatch (-want +got):\n%s", tc.nodeName, tc.labels, diff)
			}
			if tc.labels == nil {
				if diff := cmp.Diff(got, a.Explain(tc.nodeName, nil)); diff != "" {
					t.Errorf("Explain with nil Labels mismatch (-empty set +nil):\n%s", diff)
				}
			}
			if ok, _ := a.Match(tc.nodeName, tc.labels); ok != (len(got) == 0) {
				t.Errorf("Match = %v, but Explain gave %d reasons", ok, len(got))
			}
		})
	}
}

func TestValidateNodeSelector(t *testing.T) {
	p := field.NewPath("spec", "affinity", "required")
	const tp = "spec.affinity.required.nodeSelectorTerms"
	tests := []struct {
		name string
		ns   *selector.NodeSelector
		want []string
	}{
		{name: "nil", ns: nil},
		{name: "no terms", ns: terms(), want: []string{tp + ": Required value: must have at least one node selector term"}},
		{name: "valid", ns: terms(
			selector.NodeSelectorTerm{},
			exprTerm(expr("disk", "In", "ssd", ""), expr("gpu", "DoesNotExist"), expr("cpus", "Gt", "abc")),
			fieldTerm(expr("metadata.name", "NotIn", "node-1")),
		)},
		{
			name: "expressions",
			ns: terms(exprTerm(
				expr("a", "In"),
				expr("a", "Exists", "x"),
				expr("a", "Gt"),
				expr("a", "Lt", "1", "2"),
				expr("-a", "Equals", "-x"),
			)),
			want: []string{
				tp + "[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
				tp + "[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
				tp + "[0].matchExpressions[2].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
				tp + "[0].matchExpressions[3].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
				tp + `[0].matchExpressions[4].operator: Invalid value: "Equals": not a valid selector operator`,
				tp + `[0].matchExpressions[4].key: Invalid value: "-a": name part ` + nameRegexMsg,
				tp + `[0].matchExpressions[4].values[0]: Invalid value: "-x": ` + valueRegexMsg,
			},
		},
		{
			name: "fields",
			ns: terms(fieldTerm(
				expr("metadata.name", "In", "a", "b"),
				expr("metadata.name", "Exists"),
				expr("metadata.namespace", "In", "x"),
				expr("metadata.name", "In", "Node_1"),
			)),
			want: []string{
				tp + "[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
				tp + `[0].matchFields[1].operator: Invalid value: "Exists": not a valid selector operator`,
				tp + `[0].matchFields[2].key: Invalid value: "metadata.namespace": not a valid field selector key`,
				tp + `[0].matchFields[3].values[0]: Invalid value: "Node_1": ` + subdomainMsg,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, errorStrings(selector.ValidateNodeSelector(tc.ns, p))); diff != "" {
				t.Errorf("ValidateNodeSelector mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
