package selector

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/field"
)

// RequiredNodeAffinity is the compiled node constraint of a pod: its
// nodeSelector map and its required node affinity. Compile it once with
// [NewRequiredNodeAffinity] and match it against many nodes; matching does
// not allocate. The zero value has no constraint and matches every node.
// A RequiredNodeAffinity is immutable.
type RequiredNodeAffinity struct {
	nodeSelector []labelPair     // sorted by key
	affinity     *nodeSelectorIR // nil when there is no required affinity
}

// labelPair is one entry of a nodeSelector map.
type labelPair struct{ key, value string }

// nodeSelectorIR is a compiled [NodeSelector].
type nodeSelectorIR struct {
	numTerms int      // len(NodeSelectorTerms), empty terms included
	terms    []termIR // the non-empty terms, in order
	// err is what Match returns when no term matches: the parse errors of
	// every term, in order, as one aggregate; nil when there are none.
	err error
}

// termIR is a compiled, non-empty [NodeSelectorTerm].
type termIR struct {
	index  int             // in NodeSelectorTerms
	exprs  []Requirement   // in the order of MatchExpressions
	fields []fieldReq      // in the order of MatchFields
	errs   field.ErrorList // parse errors; a term with errors never matches
	// exprSrc and fieldSrc are the requirements exprs and fields were
	// compiled from, described lazily by Explain.
	exprSrc, fieldSrc []NodeSelectorRequirement
}

// fieldReq is a compiled matchFields requirement: the node field key must
// (In) or must not (NotIn) equal value.
type fieldReq struct {
	key, value string
	notIn      bool
}

// nodeSelectorOperators lists the operators of matchExpressions, in
// upstream's order, for error messages.
var nodeSelectorOperators = []string{
	string(NodeSelectorOpIn), string(NodeSelectorOpNotIn), string(NodeSelectorOpExists),
	string(NodeSelectorOpDoesNotExist), string(NodeSelectorOpGt), string(NodeSelectorOpLt),
}

// nodeFieldOperators lists the operators of matchFields.
var nodeFieldOperators = []string{string(NodeSelectorOpIn), string(NodeSelectorOpNotIn)}

// NewRequiredNodeAffinity compiles a pod's nodeSelector map and its
// requiredDuringSchedulingIgnoredDuringExecution node affinity (nil for
// none). It never fails: a term that does not parse matches no node, and
// [RequiredNodeAffinity.Match] reports its errors when no term matches.
// The nodeSelector map is matched as it is, without validation. Mirrors
// nodeaffinity.GetRequiredNodeAffinity in k8s.io/component-helpers.
func NewRequiredNodeAffinity(nodeSelector map[string]string, required *NodeSelector) RequiredNodeAffinity {
	var a RequiredNodeAffinity
	for k, v := range nodeSelector {
		a.nodeSelector = append(a.nodeSelector, labelPair{k, v})
	}
	slices.SortFunc(a.nodeSelector, func(x, y labelPair) int { return cmp.Compare(x.key, y.key) })
	if required != nil {
		a.affinity = compileNodeSelector(required)
	}
	return a
}

// compileNodeSelector mirrors nodeaffinity.NewLazyErrorNodeSelector.
func compileNodeSelector(ns *NodeSelector) *nodeSelectorIR {
	ir := &nodeSelectorIR{numTerms: len(ns.NodeSelectorTerms)}
	var errs field.ErrorList
	for i := range ns.NodeSelectorTerms {
		term := &ns.NodeSelectorTerms[i]
		if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
			continue // an empty term selects nothing
		}
		t := compileTerm(term, i)
		errs = append(errs, t.errs...)
		ir.terms = append(ir.terms, t)
	}
	if len(errs) > 0 {
		ir.err = errs.ToAggregate()
	}
	return ir
}

// compileTerm mirrors nodeaffinity's newNodeSelectorTerm.
// Field paths are built only for errors: compiling a valid term (as the
// scheduler does for every pod) allocates little.
func compileTerm(term *NodeSelectorTerm, index int) termIR {
	t := termIR{index: index}
	path := func(list string, j int) *field.Path {
		return field.NewPath("nodeSelectorTerms").Index(index).Child(list).Index(j)
	}
	for j, e := range term.MatchExpressions {
		var op Operator
		switch e.Operator {
		case NodeSelectorOpIn:
			op = In
		case NodeSelectorOpNotIn:
			op = NotIn
		case NodeSelectorOpExists:
			op = Exists
		case NodeSelectorOpDoesNotExist:
			op = DoesNotExist
		case NodeSelectorOpGt:
			op = GreaterThan
		case NodeSelectorOpLt:
			op = LessThan
		default:
			t.errs = append(t.errs, field.NotSupported(path("matchExpressions", j).Child("operator"), string(e.Operator), nodeSelectorOperators))
			continue
		}
		r, err := newRequirement(e.Key, op, e.Values, nil)
		if err != nil {
			// Compile again with the path, for the error's wording.
			_, err = newRequirement(e.Key, op, e.Values, path("matchExpressions", j))
			t.errs = append(t.errs, field.Errors(err)...)
			continue
		}
		t.exprs = append(t.exprs, r)
		t.exprSrc = append(t.exprSrc, e)
	}
	for j, e := range term.MatchFields {
		p := func() *field.Path { return path("matchFields", j) }
		switch e.Operator {
		case NodeSelectorOpIn, NodeSelectorOpNotIn:
			if len(e.Values) != 1 {
				t.errs = append(t.errs, field.Invalid(p().Child("values"), e.Values, "must have one element"))
				continue
			}
			t.fields = append(t.fields, fieldReq{key: e.Key, value: e.Values[0], notIn: e.Operator == NodeSelectorOpNotIn})
			t.fieldSrc = append(t.fieldSrc, e)
		default:
			t.errs = append(t.errs, field.NotSupported(p().Child("operator"), string(e.Operator), nodeFieldOperators))
		}
	}
	return t
}

// Match reports whether a node with this name and these labels satisfies
// both the nodeSelector map and the required node affinity:
//
//  1. every nodeSelector label must be present with exactly its value;
//  2. with no required affinity, that is all;
//  3. otherwise some term must match. A term matches when all its
//     matchExpressions hold on the labels (see [Requirement.Matches]) and
//     all its matchFields hold on the node's fields; matchFields are not
//     checked when nodeName is "". The only field is metadata.name (the
//     node name); any other key compares as "". Empty terms, and an empty
//     term list, match no node.
//
// A term that does not parse never matches. When no term matches, the
// error is the aggregate of every such term's parse errors (nil if none);
// when a term matches, the error is nil. A nil Labels has no labels. Match
// does not allocate. Mirrors RequiredNodeAffinity.Match in
// k8s.io/component-helpers.
func (a RequiredNodeAffinity) Match(nodeName string, labels Labels) (bool, error) {
	if labels == nil {
		labels = Set(nil)
	}
	for _, kv := range a.nodeSelector {
		if v, ok := lookup(labels, kv.key); !ok || v != kv.value {
			return false, nil
		}
	}
	if a.affinity == nil {
		return true, nil
	}
	for i := range a.affinity.terms {
		if a.affinity.terms[i].matches(nodeName, labels) {
			return true, nil
		}
	}
	return false, a.affinity.err
}

// matches reports whether the term holds on the node.
func (t *termIR) matches(nodeName string, labels Labels) bool {
	if len(t.errs) > 0 {
		return false
	}
	if s, ok := labels.(Set); ok {
		for i := range t.exprs {
			if !t.exprs[i].matchesSet(s) {
				return false
			}
		}
	} else {
		for i := range t.exprs {
			if !t.exprs[i].matches(labels) {
				return false
			}
		}
	}
	if nodeName == "" {
		return true
	}
	for _, f := range t.fields {
		if (nodeField(nodeName, f.key) == f.value) == f.notIn {
			return false
		}
	}
	return true
}

// nodeField returns the value of a node field: the name for metadata.name,
// and "" for anything else.
func nodeField(nodeName, key string) string {
	if key == ObjectNameField {
		return nodeName
	}
	return ""
}

// Explain returns why a node with this name and these labels does not
// satisfy the constraint, one reason per string, or nil when it does
// ([RequiredNodeAffinity.Match] is true exactly when Explain is empty).
// The reasons come in this order:
//
//   - one per nodeSelector label that fails, in key order:
//     `nodeSelector: label "disk" is missing, want "ssd"` or
//     `nodeSelector: label "disk" is "hdd", want "ssd"`;
//   - when no affinity term matches, one per term, in order, naming its
//     first failing requirement, as in
//     `node affinity: term 0: disk In [ssd]: label "disk" is missing`,
//     or why the term cannot match (it is empty, or it does not parse,
//     followed by the parse errors).
//
// The wording is for people and may change; it is deterministic.
func (a RequiredNodeAffinity) Explain(nodeName string, labels Labels) []string {
	if labels == nil {
		labels = Set(nil)
	}
	var reasons []string
	for _, kv := range a.nodeSelector {
		switch {
		case !labels.Has(kv.key):
			reasons = append(reasons, fmt.Sprintf("nodeSelector: label %q is missing, want %q", kv.key, kv.value))
		case labels.Get(kv.key) != kv.value:
			reasons = append(reasons, fmt.Sprintf("nodeSelector: label %q is %q, want %q", kv.key, labels.Get(kv.key), kv.value))
		}
	}
	if a.affinity != nil {
		reasons = append(reasons, a.affinity.explain(nodeName, labels)...)
	}
	return reasons
}

// explain lists why no term matches, or nil when one does.
func (ir *nodeSelectorIR) explain(nodeName string, labels Labels) []string {
	for i := range ir.terms {
		if ir.terms[i].matches(nodeName, labels) {
			return nil
		}
	}
	if ir.numTerms == 0 {
		return []string{"node affinity: nodeSelectorTerms is empty, so no node matches"}
	}
	var reasons []string
	next := 0 // the next compiled term
	for i := range ir.numTerms {
		prefix := "node affinity: term " + strconv.Itoa(i) + ": "
		if next >= len(ir.terms) || ir.terms[next].index != i {
			reasons = append(reasons, prefix+"empty term matches no node")
			continue
		}
		t := &ir.terms[next]
		next++
		if len(t.errs) > 0 {
			reasons = append(reasons, prefix+"invalid: "+t.errs.ToAggregate().Error())
			continue
		}
		reasons = append(reasons, prefix+t.firstFailure(nodeName, labels))
	}
	return reasons
}

// firstFailure describes the first requirement of a valid, non-matching
// term that fails.
func (t *termIR) firstFailure(nodeName string, labels Labels) string {
	for j := range t.exprs {
		r := &t.exprs[j]
		if r.matches(labels) {
			continue
		}
		desc := describeNodeRequirement(t.exprSrc[j])
		if !labels.Has(r.key) {
			return fmt.Sprintf("%s: label %q is missing", desc, r.key)
		}
		v := labels.Get(r.key)
		switch r.op {
		case DoesNotExist:
			return fmt.Sprintf("%s: label %q is present (%q)", desc, r.key, v)
		case GreaterThan, LessThan:
			if _, ok := parseInt64(v); !ok {
				return fmt.Sprintf("%s: label %q is %q, not an integer", desc, r.key, v)
			}
		}
		return fmt.Sprintf("%s: label %q is %q", desc, r.key, v)
	}
	for j, f := range t.fields {
		if (nodeField(nodeName, f.key) == f.value) != f.notIn {
			continue
		}
		desc := describeNodeRequirement(t.fieldSrc[j])
		if f.key == ObjectNameField {
			return fmt.Sprintf("%s: node name is %q", desc, nodeName)
		}
		return fmt.Sprintf("%s: node has no field %q", desc, f.key)
	}
	// Unreachable for a term that does not match; kept so that Explain
	// never returns an empty reason.
	return "does not match"
}

// describeNodeRequirement renders a requirement as "key Op [v1 v2]", or
// "key Op" when it has no values.
func describeNodeRequirement(r NodeSelectorRequirement) string {
	s := r.Key + " " + string(r.Operator)
	if len(r.Values) > 0 {
		s += " [" + strings.Join(r.Values, " ") + "]"
	}
	return s
}

// Matches reports whether a node with this name and these labels satisfies
// the node selector: whether one of its terms matches, as in
// [RequiredNodeAffinity.Match]. Terms that do not parse match no node and
// their errors are ignored; a nil NodeSelector matches no node. It compiles
// the selector on every call: to match many nodes, compile once with
// [NewRequiredNodeAffinity].
func (ns *NodeSelector) Matches(nodeName string, labels Labels) bool {
	if ns == nil {
		return false
	}
	ok, _ := NewRequiredNodeAffinity(nil, ns).Match(nodeName, labels)
	return ok
}
