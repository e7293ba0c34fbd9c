package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Report is the impact of a change on the DaemonSets of a cluster, as
// [WhatIf] and [Impact] compute it.
type Report struct {
	// DaemonSets holds one entry per DaemonSet that exists before or
	// after the change, ordered by namespace and name.
	DaemonSets []DaemonSetImpact `json:"daemonSets"`
	// Refused lists what the change left alone because kubectl would
	// have refused it, one "Kind/name: message" per object, in the order
	// met: a label or taint it would overwrite without --overwrite
	// (kubectl goes on with the other objects, and so does the change).
	Refused []string `json:"refused,omitempty"`
	// Notes lists what kubectl would have printed about the objects the
	// change did change, one "Kind/name: message" per note, in the order
	// met: a label to remove that the object lacks (`label "x" not
	// found.`), which is no change, and often a misspelt key.
	Notes []string `json:"notes,omitempty"`
}

// DaemonSetImpact is the impact of a change on one DaemonSet.
type DaemonSetImpact struct {
	// DaemonSet is "namespace/name".
	DaemonSet string `json:"daemonSet"`
	// NodesGaining lists, by name, the nodes that get a live pod of the
	// DaemonSet they did not have; NodesLosing those where no live pod of
	// it remains (deleted or terminating, or the node itself gone). A pod
	// that the change orphans still lives. Never nil.
	NodesGaining []string `json:"nodesGaining"`
	NodesLosing  []string `json:"nodesLosing"`
	// Before and After are the DaemonSet's status before and after; the
	// zero Status for a DaemonSet that does not exist then.
	Before daemonset.Status `json:"before"`
	After  daemonset.Status `json:"after"`
}

// Changed reports whether the DaemonSet gains or loses nodes or its
// status changes.
func (d *DaemonSetImpact) Changed() bool {
	return len(d.NodesGaining) > 0 || len(d.NodesLosing) > 0 || !statusEqual(&d.Before, &d.After)
}

func statusEqual(a, b *daemonset.Status) bool {
	return daemonset.DescribeStatus(a) == daemonset.DescribeStatus(b)
}

// String renders the report, per DaemonSet, as
//
//	DaemonSet/default/ssd-monitor gaining=node-b losing=node-a
//	  before: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0
//	  after: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0
//
// (gaining and losing list node names comma-separated and are left out
// when empty), or as one line "DaemonSet/default/fluentd unchanged". A
// report without DaemonSets renders as "no DaemonSets". Each refusal
// (see Refused), then each note (see Notes), follows on a line of its own:
//
//	refused Node/n1: 'disk' already has a value (ssd), and --overwrite is false
//	note Node/n2: label "dsik" not found.
//
// The format is stable.
func (r *Report) String() string {
	var b strings.Builder
	if len(r.DaemonSets) == 0 {
		b.WriteString("no DaemonSets\n")
	}
	for i := range r.DaemonSets {
		d := &r.DaemonSets[i]
		b.WriteString("DaemonSet/")
		b.WriteString(d.DaemonSet)
		if !d.Changed() {
			b.WriteString(" unchanged\n")
			continue
		}
		if len(d.NodesGaining) > 0 {
			b.WriteString(" gaining=")
			b.WriteString(strings.Join(d.NodesGaining, ","))
		}
		if len(d.NodesLosing) > 0 {
			b.WriteString(" losing=")
			b.WriteString(strings.Join(d.NodesLosing, ","))
		}
		b.WriteString("\n  before: ")
		b.WriteString(daemonset.DescribeStatus(&d.Before))
		b.WriteString("\n  after: ")
		b.WriteString(daemonset.DescribeStatus(&d.After))
		b.WriteByte('\n')
	}
	for _, msg := range r.Refused {
		b.WriteString("refused ")
		b.WriteString(msg)
		b.WriteByte('\n')
	}
	for _, msg := range r.Notes {
		b.WriteString("note ")
		b.WriteString(msg)
		b.WriteByte('\n')
	}
	return b.String()
}

// WhatIf reports what change, in kubectl words (see [ParseChange]), would
// do to the DaemonSets of env, without changing env.
func WhatIf(env *Env, change string) (*Report, error) {
	do, err := ParseChange(change)
	if err != nil {
		return nil, err
	}
	return Impact(env, do)
}

// Impact reports what change would do to the DaemonSets of env, without
// changing env: it forks env and settles the fork (the "before"), forks
// that and applies change and settles (the "after"), and compares, per
// DaemonSet, the nodes holding its live (not terminating) pods and its
// status. Comparing two settled forks keeps work that was pending in env
// out of the change's impact.
func Impact(env *Env, change func(*Env) error) (*Report, error) {
	return ImpactAfter(env, change, 0)
}

// ImpactAfter is [Impact] with time: once the change has settled, the
// clocks of both copies run for d (as the scenario verb advance does), so
// that the report shows the cluster d later — graceful deletions finished,
// NoExecute evictions done, a rolling update further on, a disconnected
// node's pods evicted. Both copies run, so that work already pending in
// env at the instant of the change is not counted as the change's. A d of
// zero is Impact; a negative d is an error.
func ImpactAfter(env *Env, change func(*Env) error, d time.Duration) (*Report, error) {
	if d < 0 {
		return nil, fmt.Errorf("negative duration %v", d)
	}
	before := env.Fork()
	if err := before.Settle(); err != nil {
		return nil, err
	}
	after := before.Fork()
	if err := change(after); err != nil {
		return nil, err
	}
	if err := after.Settle(); err != nil {
		return nil, err
	}
	if d > 0 {
		if err := before.Advance(d); err != nil {
			return nil, err
		}
		if err := after.Advance(d); err != nil {
			return nil, err
		}
	}
	type entry struct {
		ref           cluster.Ref
		before, after *daemonset.DaemonSet
	}
	var entries []*entry
	byRef := map[cluster.Ref]*entry{}
	get := func(r cluster.Ref) *entry {
		e, ok := byRef[r]
		if !ok {
			e = &entry{ref: r}
			byRef[r] = e
			entries = append(entries, e)
		}
		return e
	}
	for o := range before.List(daemonset.KindDaemonSet, "") {
		get(cluster.RefOf(o)).before = o.(*daemonset.DaemonSet)
	}
	for o := range after.List(daemonset.KindDaemonSet, "") {
		get(cluster.RefOf(o)).after = o.(*daemonset.DaemonSet)
	}
	slices.SortFunc(entries, func(a, b *entry) int {
		if c := strings.Compare(a.ref.Namespace, b.ref.Namespace); c != 0 {
			return c
		}
		return strings.Compare(a.ref.Name, b.ref.Name)
	})
	// Only nodes where a pod or the node itself changed can gain or lose a
	// daemon pod: the diff of the two forks names them, in time
	// proportional to the change, not to the cluster.
	candidates := map[string]bool{}
	for _, d := range cluster.Diff(before.Cluster, after.Cluster) {
		switch d.Ref.Kind {
		case cluster.KindPod:
			for _, o := range []cluster.Object{d.Old, d.New} {
				if o != nil {
					if n := cluster.TargetNodeName(o.(*cluster.Pod)); n != "" {
						candidates[n] = true
					}
				}
			}
		case cluster.KindNode:
			candidates[d.Ref.Name] = true
		}
	}
	nodes := sortedSet(candidates)
	// The live pods of each candidate node, read once from each fork.
	beforePods, afterPods := livePodsOn(before.Cluster, nodes), livePodsOn(after.Cluster, nodes)
	var owned []string
	rep := &Report{DaemonSets: []DaemonSetImpact{}, Refused: after.refused, Notes: after.notes}
	for _, e := range entries {
		d := DaemonSetImpact{DaemonSet: e.ref.Namespace + "/" + e.ref.Name, NodesGaining: []string{}, NodesLosing: []string{}}
		beforeUID, afterUID := "", ""
		if e.before != nil {
			d.Before = e.before.Status
			beforeUID = e.before.UID
		}
		if e.after != nil {
			d.After = e.after.Status
			afterUID = e.after.UID
		}
		for i, n := range nodes {
			was, pods := daemonOnNode(beforePods[i], e.ref.Namespace, beforeUID, nil, owned[:0])
			is, _ := daemonOnNode(afterPods[i], e.ref.Namespace, afterUID, pods, nil)
			owned = pods
			switch {
			case is && !was:
				d.NodesGaining = append(d.NodesGaining, n)
			case was && !is:
				d.NodesLosing = append(d.NodesLosing, n)
			}
		}
		rep.DaemonSets = append(rep.DaemonSets, d)
	}
	return rep, nil
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// livePod is what the report reads of a live pod: its namespace, the UID
// of its controller ("" when it has none) and its own UID.
type livePod struct{ namespace, controller, uid string }

// livePodsOn returns, for each of nodes, the live (not terminating) pods
// on it in c, or nil for a node that c does not hold.
func livePodsOn(c *cluster.Cluster, nodes []string) [][]livePod {
	v := c.View()
	out := make([][]livePod, len(nodes))
	for i, n := range nodes {
		if _, ok := v.Node(n); !ok {
			continue
		}
		pods := []livePod{}
		for p := range v.PodsOnNode(n) {
			if p.Terminating() {
				continue
			}
			lp := livePod{namespace: p.Namespace, uid: p.UID}
			if r := p.ControllerRef(); r != nil {
				lp.controller = r.UID
			}
			pods = append(pods, lp)
		}
		out[i] = pods
	}
	return out
}

// daemonOnNode reports whether pods (a node's live pods, nil when the
// node does not exist) hold one in namespace controlled by the
// DaemonSet with UID uid, or one whose UID is in also (a pod that
// was the DaemonSet's before the change counts after it too, orphaned or
// not). It appends the UIDs of the pods it counted to buf and returns it.
func daemonOnNode(pods []livePod, namespace, uid string, also, buf []string) (bool, []string) {
	found := false
	for _, p := range pods {
		if p.namespace != namespace {
			continue
		}
		if (p.controller == "" || uid == "" || p.controller != uid) && !slices.Contains(also, p.uid) {
			continue
		}
		found = true
		buf = append(buf, p.uid)
	}
	return found, buf
}

// ParseChange parses a change in kubectl words, as the what-if analysis
// takes it:
//
//	label Kind/name key=value other-        label node/n1 disk=ssd
//	label KIND name key=value …             label nodes n1 disk=ssd
//	label KIND -l SELECTOR key=value …      label nodes -l zone=a gpu-
//	taint node/NAME key=value:Effect …      taint nodes n1 dedicated=gpu:NoSchedule
//	taint nodes -l SELECTOR key:Effect- …
//	cordon node/NAME, uncordon node/NAME    (or NAME alone)
//	delete Kind/name [--cascade=orphan]     delete node/n1
//	delete KIND -l SELECTOR
//
// Where one object is named, several may be, as kubectl takes them:
// "label node/n1 node/n2 k=v", "label nodes n1 n2 k=v", "cordon n1 n2".
// The verb is checked first; label and taint changes are checked as
// kubectl checks them before it reads any object (a label value that is
// not valid, a key both set and removed, a taint both added and removed).
//
// Kinds may be written as Kinds or kubectl resource names (node, nodes,
// ds, …); a namespaced object is in namespace "default" unless written
// Kind/namespace/name or given -n NAMESPACE.
//
// As kubectl, label and taint leave an object alone unless given
// --overwrite when they would change what is there: a label key the
// object has with another value ("'zone' already has a value (a), and
// --overwrite is false"; setting the value it has is no change), a taint
// with the key and effect of one the node has. As
// kubectl, they go on with the other objects; [Impact] lists the objects
// left alone in [Report.Refused]. (Called directly on an [Env], the
// function returns no error for them: only Impact reports them.)
//
// A named object that does not exist fails the change with kubectl's
// error (`nodes "n9" not found`), where kubectl would go on with the
// other objects and exit non-zero: the impact of part of a change would
// read as the impact of all of it. A selector that selects nothing fails
// it too ("No resources found").
//
// A leading "kubectl" is ignored, --all selects every object of the kind,
// and flags may be written --flag=value.
func ParseChange(change string) (func(*Env) error, error) {
	words, err := SplitWords(change)
	if err != nil {
		return nil, err
	}
	return ParseChangeWords(words)
}

// ParseChangeWords is [ParseChange] for a change already split into words,
// as a shell splits a command line: a selector such as "zone in (a,b)"
// is one word.
func ParseChangeWords(words []string) (func(*Env) error, error) {
	words, err := VerbFirst(words)
	if err != nil {
		return nil, err
	}
	verb, args := words[0], expandFlagValues(words[1:])
	switch verb {
	case "label", "taint", "cordon", "uncordon", "delete":
	default:
		return nil, unknownChange(verb)
	}
	var opts cluster.DeleteOptions
	namespace := ""
	overwrite, all := false, false
	sel, hasSel := "", false // -l SELECTOR, anywhere after the verb
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-n" || a == "--namespace":
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s: flag %s needs a value", verb, a)
			}
			namespace = args[i+1]
			i++
		case a == "--overwrite" || a == "--overwrite=true" || a == "--overwrite=false":
			if verb != "label" && verb != "taint" {
				return nil, fmt.Errorf("%s: unknown flag %s", verb, a)
			}
			overwrite = a != "--overwrite=false"
		case a == "--all" || a == "--all=true":
			all = true
		case a == "-l" || a == "--selector":
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s: flag %s needs a value", verb, a)
			}
			sel, hasSel = args[i+1], true
			i++
		case strings.HasPrefix(a, "--cascade="):
			if verb != "delete" {
				return nil, fmt.Errorf("%s: unknown flag %s", verb, a)
			}
			p, err := parsePropagation(strings.TrimPrefix(a, "--cascade="))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", verb, err)
			}
			opts.Propagation = p
		case strings.HasPrefix(a, "-") && a != "-":
			return nil, fmt.Errorf("%s: unknown flag %s", verb, a)
		default:
			rest = append(rest, a)
		}
	}
	if all {
		if hasSel {
			return nil, fmt.Errorf("%s: --all takes a kind (such as nodes), and no name or selector", verb)
		}
		sel, hasSel = "", true // every object of the kind: the empty selector
	}
	if hasSel {
		if len(rest) == 0 || strings.Contains(rest[0], "/") {
			if all {
				return nil, fmt.Errorf("%s: --all takes a kind (such as nodes), and no name or selector", verb)
			}
			return nil, fmt.Errorf("%s: a selector takes a kind (such as nodes), and no name", verb)
		}
		rest = append([]string{rest[0], "-l", sel}, rest[1:]...)
	}
	targets, changes, err := changeTargets(verb, rest, namespace)
	if err != nil {
		return nil, err
	}
	switch verb {
	case "label":
		if len(changes) == 0 {
			return nil, fmt.Errorf("label: at least one label update is required")
		}
		removed, err := checkLabelSpecs(changes)
		if err != nil {
			return nil, fmt.Errorf("label: %v", err)
		}
		return func(e *Env) error {
			return each(e, targets, func(r cluster.Ref) error {
				if o, ok := e.View().Get(r); ok { // else Label reports the missing object
					labels := o.Meta().Labels
					if !overwrite {
						if err := noLabelOverwrites(labels, changes); err != nil {
							e.refuse(r, err)
							return nil
						}
					}
					// kubectl label prints this and goes on.
					for _, k := range removed {
						if _, has := labels[k]; !has {
							e.note(r, fmt.Sprintf("label %q not found.", k))
						}
					}
				}
				return e.Label(r, changes...)
			})
		}, nil
	case "taint":
		if len(changes) == 0 {
			return nil, fmt.Errorf("taint: at least one taint update is required")
		}
		var add, remove []taints.Taint
		for _, ch := range changes {
			t, rm, err := taints.ParseTaintChange(ch)
			if err != nil {
				if !strings.Contains(ch, ":") && !strings.HasSuffix(ch, "-") {
					return nil, fmt.Errorf("taint: %v (a taint is key[=value]:Effect, Effect one of NoSchedule, PreferNoSchedule or NoExecute)", err)
				}
				return nil, fmt.Errorf("taint: %v", err)
			}
			if rm {
				remove = append(remove, t)
			} else {
				add = append(add, t)
			}
		}
		if err := taintConflicts(add, remove); err != nil {
			return nil, fmt.Errorf("taint: %v", err)
		}
		return func(e *Env) error {
			return each(e, targets, func(r cluster.Ref) error {
				if r.Kind != cluster.KindNode {
					return fmt.Errorf("taint: %s is not a node", r)
				}
				if !overwrite {
					if err := noTaintOverwrites(e, r.Name, changes); err != nil {
						e.refuse(r, err)
						return nil
					}
				}
				return e.Taint(r.Name, changes...)
			})
		}, nil
	case "cordon", "uncordon":
		if len(changes) > 0 {
			return nil, fmt.Errorf("%s: unexpected arguments %q", verb, changes)
		}
		return func(e *Env) error {
			return each(e, targets, func(r cluster.Ref) error {
				if r.Kind != cluster.KindNode {
					return fmt.Errorf("%s: %s is not a node", verb, r)
				}
				if verb == "cordon" {
					return e.Cordon(r.Name)
				}
				return e.Uncordon(r.Name)
			})
		}, nil
	case "delete":
		if len(changes) > 0 {
			return nil, fmt.Errorf("delete: unexpected arguments %q", changes)
		}
		return func(e *Env) error {
			return each(e, targets, func(r cluster.Ref) error { return e.Delete(r, opts) })
		}, nil
	}
	return nil, unknownChange(verb) // checked above
}

// unknownChange is ParseChange's error for a verb it does not know.
func unknownChange(verb string) error {
	return fmt.Errorf("unknown change %q (want label, taint, cordon, uncordon or delete)", verb)
}

// VerbFirst puts a change's verb first, as a kubectl command line may not:
// it drops a leading "kubectl" and moves the -n NAMESPACE (--namespace,
// -n=NS) written before the verb after it ("kubectl -n logging delete
// ds/fluentd" is "delete -n logging ds/fluentd"). Any other flag before
// the verb is an error. It does not check the verb.
func VerbFirst(words []string) ([]string, error) {
	if len(words) > 0 && words[0] == "kubectl" {
		words = words[1:]
	}
	i := 0
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		name, _, inline := strings.Cut(words[i], "=")
		switch {
		case name != "-n" && name != "--namespace":
			return nil, fmt.Errorf("unknown flag %s before the verb (only -n NAMESPACE may come first)", words[i])
		case inline:
			i++
		case i+1 >= len(words):
			return nil, fmt.Errorf("flag %s needs a value", name)
		default:
			i += 2
		}
	}
	if i >= len(words) {
		return nil, fmt.Errorf("empty change")
	}
	return append(append([]string{words[i]}, words[:i]...), words[i+1:]...), nil
}

// expandFlagValues splits the --flag=value forms of kubectl's -n and -l
// (--namespace=NS, --selector=SEL, -n=NS, -l=SEL) into two words.
func expandFlagValues(args []string) []string {
	var out []string
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		switch {
		case ok && (name == "--namespace" || name == "-n" || name == "--selector" || name == "-l"):
			out = append(out, name, value)
		default:
			out = append(out, a)
		}
	}
	return out
}

// noLabelOverwrites returns kubectl label's error without --overwrite when
// changes set a key an object's labels have to another value (upstream's
// validateNoOverwrites in kubectl/pkg/cmd/label, which since kubectl 1.28
// lets a label be set to the value it has; keys in order, several errors
// aggregated as utilerrors does).
func noLabelOverwrites(labels map[string]string, changes []string) error {
	var errs []string
	for _, ch := range changes {
		key, value, set := strings.Cut(ch, "=")
		if !set {
			continue
		}
		if v, found := labels[key]; found && v != value {
			errs = append(errs, fmt.Sprintf("'%s' already has a value (%s), and --overwrite is false", key, v))
		}
	}
	slices.Sort(errs)
	errs = slices.Compact(errs)
	return aggregate(errs)
}

// checkLabelSpecs checks label changes as kubectl label does before it
// reads any object (upstream's parseLabels): key=value with one "=" and a
// valid value, or key- to remove; no key both set and removed. It returns
// the keys to remove, in order.
func checkLabelSpecs(changes []string) (remove []string, err error) {
	set := map[string]bool{}
	for _, ch := range changes {
		switch {
		case strings.Contains(ch, "="):
			parts := strings.Split(ch, "=")
			if len(parts) != 2 {
				return nil, fmt.Errorf("invalid label spec: %v", ch)
			}
			if errs := selector.IsValidLabelValue(parts[1]); len(errs) != 0 {
				return nil, fmt.Errorf("invalid label value: %q: %s", ch, strings.Join(errs, ";"))
			}
			set[parts[0]] = true
		case strings.HasSuffix(ch, "-"):
			remove = append(remove, strings.TrimSuffix(ch, "-"))
		default:
			return nil, fmt.Errorf("unknown label spec: %v", ch)
		}
	}
	for _, k := range remove {
		if set[k] {
			return nil, fmt.Errorf("can not both modify and remove a label in the same command")
		}
	}
	return remove, nil
}

// taintConflicts returns kubectl taint's error for a change that both adds
// and removes a taint: the same key, and the same effect or a removal of
// every effect (upstream's TaintOptions.validateFlags).
func taintConflicts(add, remove []taints.Taint) error {
	var conflicts []string
	for _, a := range add {
		for _, r := range remove {
			if a.Key == r.Key && (r.Effect == "" || a.Effect == r.Effect) {
				conflicts = append(conflicts, r.Key+"="+string(r.Effect))
			}
		}
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("can not both modify and remove the following taint(s) in the same command: %s", strings.Join(conflicts, ", "))
	}
	return nil
}

// noTaintOverwrites returns kubectl taint's error without --overwrite when
// changes add a taint with the key and effect of one the node has
// (upstream's CheckIfTaintsAlreadyExists, used by kubectl taint).
func noTaintOverwrites(e *Env, node string, changes []string) error {
	o, ok := e.View().Get(cluster.Ref{Kind: cluster.KindNode, Name: node})
	if !ok {
		return nil // Taint reports the missing node
	}
	have := o.(*cluster.Node).Spec.Taints
	var keys []string
	for _, ch := range changes {
		t, remove, err := taints.ParseTaintChange(ch)
		if err != nil || remove {
			continue // Taint reports a bad change
		}
		for _, h := range have {
			if h.Key == t.Key && h.Effect == t.Effect {
				keys = append(keys, t.Key)
				break
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return fmt.Errorf("node %s already has %s taint(s) with same effect(s) and --overwrite is false", node, strings.Join(keys, ","))
}

// aggregate joins errors as apimachinery's utilerrors.NewAggregate prints
// them: one alone, several as "[a, b]".
func aggregate(msgs []string) error {
	switch len(msgs) {
	case 0:
		return nil
	case 1:
		return errors.New(msgs[0])
	}
	return errors.New("[" + strings.Join(msgs, ", ") + "]")
}

// target is what a change applies to: one object, or the objects of a
// kind that a selector matches (resolved when the change runs).
type target struct {
	ref   cluster.Ref
	kind  cluster.Kind
	ns    string
	sel   selector.Selector
	bySel bool
}

// changeTargets splits the words after a change's verb into its targets
// and the remaining arguments (label or taint changes).
func changeTargets(verb string, words []string, namespace string) ([]target, []string, error) {
	if len(words) == 0 {
		return nil, nil, fmt.Errorf("%s: want an object", verb)
	}
	nodeOnly := verb == "taint" || verb == "cordon" || verb == "uncordon"
	first := words[0]
	switch {
	case strings.Contains(first, "/"):
		// One Kind/name or several, as kubectl takes them: the words up
		// to the first label or taint change.
		var ts []target
		j := 0
		for ; j < len(words) && (j == 0 || strings.Contains(words[j], "/") && isObjectName(verb, words[j])); j++ {
			r, err := ParseRef(words[j])
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %v", verb, err)
			}
			if namespace != "" && r.Namespace != "" && strings.Count(words[j], "/") == 1 {
				r.Namespace = namespace
			}
			ts = append(ts, target{ref: r})
		}
		return ts, words[j:], nil
	case nodeOnly && len(words) == 1:
		return []target{{ref: cluster.Ref{Kind: cluster.KindNode, Name: first}}}, nil, nil
	case verb == "cordon" || verb == "uncordon":
		if _, _, err := ParseKind(first); err != nil {
			// "cordon n1 n2": bare node names, as kubectl cordon takes them.
			var ts []target
			for _, w := range words {
				r := cluster.Ref{Kind: cluster.KindNode, Name: w}
				if strings.Contains(w, "/") {
					if r, err = ParseRef(w); err != nil {
						return nil, nil, fmt.Errorf("%s: %v", verb, err)
					}
				}
				ts = append(ts, target{ref: r})
			}
			return ts, nil, nil
		}
	}
	kind, namespaced, err := ParseKind(first)
	if err != nil {
		if nodeOnly {
			// "taint n1 k=v:NoSchedule": a bare node name.
			return []target{{ref: cluster.Ref{Kind: cluster.KindNode, Name: first}}}, words[1:], nil
		}
		return nil, nil, fmt.Errorf("%s: %v", verb, err)
	}
	if len(words) < 2 {
		return nil, nil, fmt.Errorf("%s: want a name or -l SELECTOR after %s", verb, first)
	}
	ns := ""
	if namespaced {
		ns = "default"
		if namespace != "" {
			ns = namespace
		}
	}
	if words[1] == "-l" || words[1] == "--selector" {
		if len(words) < 3 {
			return nil, nil, fmt.Errorf("%s: flag %s needs a value", verb, words[1])
		}
		sel, err := selector.Parse(words[2])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", verb, err)
		}
		return []target{{kind: kind, ns: ns, sel: sel, bySel: true}}, words[3:], nil
	}
	// One name or several, as kubectl takes them: the words up to the
	// first label or taint change.
	var ts []target
	j := 1
	for ; j < len(words) && (j == 1 || isObjectName(verb, words[j])); j++ {
		ts = append(ts, target{ref: cluster.Ref{Kind: kind, Namespace: ns, Name: words[j]}})
	}
	return ts, words[j:], nil
}

// isObjectName reports whether word, after a change's kind and first
// name, is another name rather than a label or taint change: label
// changes hold "=" or end in "-", taint changes also hold ":".
func isObjectName(verb, word string) bool {
	switch verb {
	case "label":
		return !strings.Contains(word, "=") && !strings.HasSuffix(word, "-")
	case "taint":
		return !strings.ContainsAny(word, "=:") && !strings.HasSuffix(word, "-")
	}
	return true
}

// each runs f on every object the targets name, in name order for
// selector targets; a selector that matches nothing is an error, as
// kubectl reports "No resources found".
func each(e *Env, targets []target, f func(cluster.Ref) error) error {
	for _, t := range targets {
		if !t.bySel {
			if err := f(t.ref); err != nil {
				return err
			}
			continue
		}
		var refs []cluster.Ref
		for o := range e.List(t.kind, t.ns) {
			if t.sel.Matches(selector.Set(o.Meta().Labels)) {
				refs = append(refs, cluster.RefOf(o))
			}
		}
		if len(refs) == 0 {
			return noResourcesError{t.ns}
		}
		for _, r := range refs {
			if err := f(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// SplitWords splits a command line into words as a POSIX shell does for
// plain words and quotes: blanks separate words; '…' keeps everything
// inside as it is; "…" keeps everything but \" and \\, which stand for "
// and \; a backslash outside quotes keeps the next character. So
// `label nodes -l 'zone in (a,b)' disk=ssd` is five words. An unclosed
// quote is an error. Variables, globs and other shell syntax are not
// interpreted.
func SplitWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unclosed ' in %q", line)
			}
			w.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
					i++
				}
				w.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, fmt.Errorf(`unclosed " in %q`, line)
			}
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}
