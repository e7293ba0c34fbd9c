package scenario

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// expectation is a step's parsed expect: block.
type expectation struct {
	err     *expectError
	pods    []podExpect
	objects []objectExpect
	absent  []absentExpect
	events  []eventExpect
}

type expectError struct {
	line int
	msg  string
}

type podExpect struct {
	line      int
	name      string // "expect.pods" or "expect.pods[1]", with the filters
	sel       selector.Selector
	owner     string // "" any, "none", or Kind/name
	ownerRef  cluster.Ref
	namespace string
	nodes     []string // sorted; "~" for unbound
}

type objectExpect struct {
	line int
	ref  cluster.Ref
	want any
}

type absentExpect struct {
	line int
	ref  cluster.Ref
}

type eventExpect struct {
	line    int
	desc    string
	reason  string
	typ     string
	message string
	object  *cluster.Ref
}

var expectKeys = []string{"error", "pods", "objects", "absent", "events"}

func (p *parser) expect(n *yaml.Node) (*expectation, error) {
	ps, err := p.keys(n, "expect", expectKeys)
	if err != nil {
		return nil, err
	}
	e := &expectation{}
	for _, kv := range ps {
		v := resolveAlias(kv.value)
		switch kv.key {
		case "error":
			s, err := p.str(v, "expect.error")
			if err != nil {
				return nil, err
			}
			e.err = &expectError{line: kv.keyNode.Line, msg: strings.TrimRight(s, "\n")}
		case "pods":
			items := []*yaml.Node{v}
			list := v.Kind == yaml.SequenceNode
			if list {
				items = v.Content
			}
			for i, item := range items {
				name := "expect.pods"
				if list {
					name += "[" + strconv.Itoa(i) + "]"
				}
				pe, err := p.podExpect(resolveAlias(item), name)
				if err != nil {
					return nil, err
				}
				e.pods = append(e.pods, pe)
			}
		case "objects":
			ops, err := p.keys(v, "expect.objects", nil)
			if err != nil {
				return nil, err
			}
			for _, o := range ops {
				ref, err := ParseRef(o.key)
				if err != nil {
					return nil, p.errorf(o.keyNode, "expect.objects: %v", err)
				}
				data, err := p.cv.toJSON(o.value)
				if err != nil {
					return nil, err
				}
				var want any
				if err := json.Unmarshal(data, &want); err != nil {
					return nil, p.errorf(o.value, "expect.objects[%s]: %v", o.key, err)
				}
				if _, ok := want.(map[string]any); !ok {
					return nil, p.errorf(o.value, "expect.objects[%s]: want a mapping of fields, got %s", o.key, describeNode(o.value))
				}
				e.objects = append(e.objects, objectExpect{line: o.keyNode.Line, ref: ref, want: want})
			}
		case "absent":
			if v.Kind != yaml.SequenceNode {
				return nil, p.errorf(v, "expect.absent: want a list of Kind/name, got %s", describeNode(v))
			}
			for _, item := range v.Content {
				s, err := p.str(item, "expect.absent")
				if err != nil {
					return nil, err
				}
				ref, err := ParseRef(s)
				if err != nil {
					return nil, p.errorf(item, "expect.absent: %v", err)
				}
				e.absent = append(e.absent, absentExpect{line: resolveAlias(item).Line, ref: ref})
			}
		case "events":
			if v.Kind != yaml.SequenceNode {
				return nil, p.errorf(v, "expect.events: want a list of {reason, object, type, message}, got %s", describeNode(v))
			}
			for i, item := range v.Content {
				ee, err := p.eventExpect(resolveAlias(item), i)
				if err != nil {
					return nil, err
				}
				e.events = append(e.events, ee)
			}
		}
	}
	return e, nil
}

var podExpectKeys = []string{"selector", "owner", "namespace", "nodes"}

func (p *parser) podExpect(n *yaml.Node, name string) (podExpect, error) {
	pe := podExpect{line: n.Line}
	ps, err := p.keys(n, name, podExpectKeys)
	if err != nil {
		return pe, err
	}
	var filters []string
	hasNodes := false
	for _, kv := range ps {
		what := name + "." + kv.key
		switch kv.key {
		case "selector":
			s, err := p.str(kv.value, what)
			if err != nil {
				return pe, err
			}
			if pe.sel, err = selector.Parse(s); err != nil {
				return pe, p.errorf(kv.value, "%s: %v", what, err)
			}
			filters = append(filters, "selector="+s)
		case "owner":
			s, err := p.str(kv.value, what)
			if err != nil {
				return pe, err
			}
			if s != "none" {
				if pe.ownerRef, err = ParseRef(s); err != nil {
					return pe, p.errorf(kv.value, "%s: want Kind/name or none: %v", what, err)
				}
				if strings.Count(s, "/") == 1 {
					pe.ownerRef.Namespace = "" // the pod's own namespace
				}
			}
			pe.owner = s
			filters = append(filters, "owner="+s)
		case "namespace":
			if pe.namespace, err = p.str(kv.value, what); err != nil {
				return pe, err
			}
			filters = append(filters, "namespace="+pe.namespace)
		case "nodes":
			v := resolveAlias(kv.value)
			if v.Kind != yaml.SequenceNode {
				return pe, p.errorf(v, "%s: want a list of node names (~ for unbound), got %s", what, describeNode(v))
			}
			pe.nodes = []string{}
			for _, item := range v.Content {
				if isNull(item) {
					pe.nodes = append(pe.nodes, "~")
					continue
				}
				s, err := p.str(item, what)
				if err != nil {
					return pe, err
				}
				pe.nodes = append(pe.nodes, s)
			}
			slices.Sort(pe.nodes)
			hasNodes = true
		}
	}
	if !hasNodes {
		return pe, p.errorf(n, "%s: nodes: required", name)
	}
	pe.name = name
	if len(filters) > 0 {
		pe.name += " (" + strings.Join(filters, " ") + ")"
	}
	return pe, nil
}

var eventExpectKeys = []string{"reason", "object", "type", "message"}

func (p *parser) eventExpect(n *yaml.Node, i int) (eventExpect, error) {
	name := "expect.events[" + strconv.Itoa(i) + "]"
	ee := eventExpect{line: n.Line}
	ps, err := p.keys(n, name, eventExpectKeys)
	if err != nil {
		return ee, err
	}
	var desc []string
	for _, kv := range ps {
		what := name + "." + kv.key
		s, err := p.str(kv.value, what)
		if err != nil {
			return ee, err
		}
		switch kv.key {
		case "reason":
			ee.reason = s
		case "object":
			ref, err := ParseRef(s)
			if err != nil {
				return ee, p.errorf(kv.value, "%s: %v", what, err)
			}
			ee.object = &ref
			s = ref.String()
		case "type":
			if s != cluster.EventNormal && s != cluster.EventWarning {
				return ee, p.errorf(kv.value, "%s: want Normal or Warning, got %q", what, s)
			}
			ee.typ = s
		case "message":
			ee.message = s
			s = strconv.Quote(s)
		}
		desc = append(desc, kv.key+"="+s)
	}
	if ee.reason == "" {
		return ee, p.errorf(n, "%s: reason: required", name)
	}
	ee.desc = name + " (" + strings.Join(desc, " ") + ")"
	return ee, nil
}

// failure is one failed check, at a line of the file.
type failure struct {
	line int
	msg  string
}

// check checks the expectation after a step that returned stepErr and
// appended recs to the log. Without an expect.error, a step error is a
// failure.
func (e *expectation) check(c *cluster.Cluster, stepErr error, recs []cluster.Record, stepLine int) []failure {
	var fails []failure
	if e == nil {
		e = &expectation{}
	}
	switch {
	case e.err == nil && stepErr != nil:
		fails = append(fails, failure{stepLine, "unexpected error: " + stepErr.Error()})
	case e.err != nil && stepErr == nil:
		fails = append(fails, failure{e.err.line, fmt.Sprintf("expect.error: step succeeded, want error %q", e.err.msg)})
	case e.err != nil && strings.TrimRight(stepErr.Error(), "\n") != e.err.msg:
		fails = append(fails, failure{e.err.line, fmt.Sprintf("expect.error: got error %q, want %q", stepErr.Error(), e.err.msg)})
	}
	for _, pe := range e.pods {
		if got := pe.nodesOf(c); !slices.Equal(got, pe.nodes) {
			fails = append(fails, failure{pe.line, fmt.Sprintf("%s: live pods on nodes mismatch (-want +got):\n%s", pe.name, cmp.Diff(pe.nodes, got))})
		}
	}
	for _, oe := range e.objects {
		obj, ok := c.View().Get(oe.ref)
		if !ok {
			fails = append(fails, failure{oe.line, fmt.Sprintf("expect.objects[%s]: not found", oe.ref)})
			continue
		}
		data, err := json.Marshal(obj)
		if err != nil {
			fails = append(fails, failure{oe.line, fmt.Sprintf("expect.objects[%s]: %v", oe.ref, err)})
			continue
		}
		var got any
		if err := json.Unmarshal(data, &got); err != nil {
			fails = append(fails, failure{oe.line, fmt.Sprintf("expect.objects[%s]: %v", oe.ref, err)})
			continue
		}
		if diffs := SubsetDiff(oe.want, got); len(diffs) > 0 {
			fails = append(fails, failure{oe.line, fmt.Sprintf("expect.objects[%s]: mismatch:\n\t%s", oe.ref, strings.Join(diffs, "\n\t"))})
		}
	}
	for _, ae := range e.absent {
		if _, ok := c.View().Get(ae.ref); ok {
			fails = append(fails, failure{ae.line, fmt.Sprintf("expect.absent: %s exists", ae.ref)})
		}
	}
	if len(e.events) > 0 {
		var events []cluster.Record
		for _, r := range recs {
			if r.Verb == cluster.VerbEvent {
				events = append(events, r)
			}
		}
		i := 0
		for k, ee := range e.events {
			for i < len(events) && !ee.matches(&events[i]) {
				i++
			}
			if i == len(events) {
				var b strings.Builder
				fmt.Fprintf(&b, "%s: not found", ee.desc)
				if k > 0 {
					fmt.Fprintf(&b, " after the event matching expect.events[%d]", k-1)
				}
				if len(events) == 0 {
					b.WriteString("; the step emitted no events")
				} else {
					b.WriteString(" among the step's events:")
					for _, r := range events {
						b.WriteString("\n\t")
						b.WriteString(r.String())
					}
				}
				fails = append(fails, failure{ee.line, b.String()})
				break
			}
			i++
		}
	}
	return fails
}

// nodesOf returns the sorted nodes of the live pods pe selects.
func (pe *podExpect) nodesOf(c *cluster.Cluster) []string {
	got := []string{}
	for o := range c.List(cluster.KindPod, pe.namespace) {
		p := o.(*cluster.Pod)
		if p.Terminating() || !pe.sel.Matches(selector.Set(p.Labels)) {
			continue
		}
		switch r := p.ControllerRef(); {
		case pe.owner == "":
		case pe.owner == "none":
			if r != nil {
				continue
			}
		default:
			if r == nil || r.Kind != string(pe.ownerRef.Kind) || r.Name != pe.ownerRef.Name ||
				(pe.ownerRef.Namespace != "" && pe.ownerRef.Namespace != p.Namespace) {
				continue
			}
		}
		node := p.Spec.NodeName
		if node == "" {
			node = "~"
		}
		got = append(got, node)
	}
	slices.Sort(got)
	return got
}

func (ee *eventExpect) matches(r *cluster.Record) bool {
	return r.Reason == ee.reason &&
		(ee.object == nil || r.Object == *ee.object) &&
		(ee.typ == "" || r.Type == ee.typ) &&
		(ee.message == "" || r.Message == ee.message)
}

// SubsetDiff compares want with got as JSON values (as encoding/json
// decodes them into any) and returns one line per difference, each
// starting with the path in go-cmp's style (".status.numberReady",
// ".spec.template.spec.containers[0].image"), in path order. Matching is:
//
//  1. a map matches a map that has each of its keys with a matching value
//     (got may have more keys); a null in want matches a missing key or a
//     null;
//  2. a list matches a list of the same length whose elements match
//     element by element;
//  3. anything else matches an equal value.
//
// It returns nil when want matches got.
func SubsetDiff(want, got any) []string {
	var out []string
	subsetDiff(want, got, "", &out)
	return out
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func childPath(path, key string) string {
	if identRE.MatchString(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func subsetDiff(want, got any, path string, out *[]string) {
	show := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: got %s, want a mapping %s", pathOrRoot(path), show(got), show(want)))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(w)) {
			sub := childPath(path, k)
			gv, present := g[k]
			if w[k] == nil {
				if present && gv != nil {
					*out = append(*out, fmt.Sprintf("%s: got %s, want null or missing", sub, show(gv)))
				}
				continue
			}
			if !present {
				*out = append(*out, fmt.Sprintf("%s: missing, want %s", sub, show(w[k])))
				continue
			}
			subsetDiff(w[k], gv, sub, out)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: got %s, want a list %s", pathOrRoot(path), show(got), show(want)))
			return
		}
		if len(g) != len(w) {
			*out = append(*out, fmt.Sprintf("%s: got %d elements %s, want %d elements %s", pathOrRoot(path), len(g), show(got), len(w), show(want)))
			return
		}
		for i := range w {
			subsetDiff(w[i], g[i], path+"["+strconv.Itoa(i)+"]", out)
		}
	default:
		if !cmp.Equal(want, got) {
			*out = append(*out, fmt.Sprintf("%s: got %s, want %s", pathOrRoot(path), show(got), show(want)))
		}
	}
}

func pathOrRoot(path string) string {
	if path == "" {
		return "."
	}
	return path
}
