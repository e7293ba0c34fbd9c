package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/scenario"
	"github.com/daemonsim/daemonsim/selector"
)

var explainCommand = &command{
	name:    "explain",
	summary: "say why each node should or should not run a DaemonSet's pod",
	usage: `Usage: daemonsim explain -f STATE.yaml [-n NAMESPACE] [-l SELECTOR] [-o text|json|yaml] [-no-settle] daemonset/NAME [node/NAME]

Explain, for every node of a cluster state (or the one named), whether the
DaemonSet's controller should run a pod there (shouldRun) and whether an
existing pod may stay (shouldContinueRunning), as upstream's
NodeShouldRunDaemonPod decides from the pod template's nodeName,
nodeSelector, required node affinity and tolerations (with the automatic
daemon tolerations added) against the node's name, labels and taints;
and every reason a node falls short, not only the first. The node's
unschedulable flag and conditions play no part, as upstream.

STATE is read as by 'daemonsim whatif' (see 'daemonsim help whatif') and
settled into the baseline first, unless -no-settle; the placement column
of the JSON output is the node's cell of 'daemonsim show'.

The DaemonSet may be written daemonset/NAME, ds/NAME, DaemonSet/NAME, or
ds/NAMESPACE/NAME; it is looked up in the namespace of -n.

Output (text, the default): one line per node,

	node-b: shouldRun=false shouldContinueRunning=false
	  - nodeSelector: label "disk" is missing, want "ssd"

then a count. -o json prints

	{"daemonSet":"NAMESPACE/NAME", "profile":"modern",
	 "nodes":[{"node":"NAME", "shouldRun":true, "shouldContinueRunning":true,
	           "reasons":[…], "placement":"Running"}]}

(reasons [] when none); -o yaml the same as YAML.

Flags:

	-f, -filename   the cluster state (required)
	-n, -namespace  the DaemonSet's namespace (default "default")
	-l, -selector   explain only the nodes this label selector matches
	-o, -output     text (the default), json or yaml
	-no-settle      explain the state as loaded, not settled
`,
	flags: func() *flag.FlagSet { return explainFlags(new(explainOptions)) },
	run:   runExplain,
}

// explainOptions are explain's flags.
type explainOptions struct {
	stateOptions
	selector string
}

func explainFlags(o *explainOptions) *flag.FlagSet {
	fs := newFlags("explain")
	o.defineState(fs)
	stringFlag(fs, &o.output, "o", "output", "text", "text, json or yaml")
	stringFlag(fs, &o.selector, "l", "selector", "", "a label selector for nodes")
	fs.BoolVar(&o.noSettle, "no-settle", false, "explain the state as loaded")
	return fs
}

// explainJSON is explain's -o json and -o yaml output.
type explainJSON struct {
	DaemonSet string            `json:"daemonSet"`
	Profile   string            `json:"profile"`
	Nodes     []nodeVerdictJSON `json:"nodes"`
}

type nodeVerdictJSON struct {
	Node                  string   `json:"node"`
	ShouldRun             bool     `json:"shouldRun"`
	ShouldContinueRunning bool     `json:"shouldContinueRunning"`
	Reasons               []string `json:"reasons"`
	Placement             string   `json:"placement"`
}

// nodeSelector parses -l: every node when it is empty.
func (o *explainOptions) nodeSelector() (selector.Selector, error) {
	if o.selector == "" {
		return selector.Everything(), nil
	}
	sel, err := selector.Parse(o.selector)
	if err != nil {
		return selector.Selector{}, usagef("-l: %v", err)
	}
	return sel, nil
}

func runExplain(c *cli, args []string) error {
	var o explainOptions
	fs := explainFlags(&o)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	format, err := parseOutput(o.output, true)
	if err != nil {
		return err
	}
	if o.file == "" {
		return usagef("-f is required")
	}
	dsRef, nodeName, err := explainArgs(rest, o.namespace)
	if err != nil {
		return err
	}
	nodeSel, err := o.nodeSelector()
	if err != nil {
		return err
	}
	env, _, err := c.loadState(&o.stateOptions)
	if err != nil {
		return err
	}
	res, err := explain(env, dsRef, nodeName, nodeSel)
	if err != nil {
		return err
	}
	if format != outputText {
		return c.writeMachine(format, res)
	}
	run := 0
	for _, n := range res.Nodes {
		v := daemonset.Verdict{Node: n.Node, ShouldRun: n.ShouldRun, ShouldContinueRunning: n.ShouldContinueRunning, Reasons: n.Reasons}
		fmt.Fprintln(c.stdout, v.String())
		if n.ShouldRun {
			run++
		}
	}
	fmt.Fprintf(c.stdout, "DaemonSet/%s: %d of %d %s should run a pod\n", res.DaemonSet, run, len(res.Nodes), plural(len(res.Nodes), "node", "nodes"))
	return nil
}

// explainArgs parses "daemonset/NAME [node/NAME]" (or "daemonset NAME
// [NODE]").
func explainArgs(args []string, namespace string) (cluster.Ref, string, error) {
	if len(args) == 0 {
		return cluster.Ref{}, "", usagef("want daemonset/NAME")
	}
	first, rest := args[0], args[1:]
	if !strings.Contains(first, "/") {
		if len(rest) == 0 {
			return cluster.Ref{}, "", usagef("want daemonset/NAME, got %q", first)
		}
		first, rest = first+"/"+rest[0], rest[1:]
	}
	r, err := scenario.ParseRef(first)
	if err != nil {
		return cluster.Ref{}, "", usagef("%v", err)
	}
	if r.Kind != daemonset.KindDaemonSet {
		return cluster.Ref{}, "", usagef("want daemonset/NAME, got %s", r.Kind)
	}
	if strings.Count(first, "/") == 1 {
		r.Namespace = namespace
	}
	node := ""
	switch len(rest) {
	case 0:
	case 1:
		node = rest[0]
		if strings.Contains(node, "/") {
			nr, err := scenario.ParseRef(node)
			if err != nil {
				return cluster.Ref{}, "", usagef("%v", err)
			}
			if nr.Kind != cluster.KindNode {
				return cluster.Ref{}, "", usagef("want node/NAME, got %s", nr.Kind)
			}
			node = nr.Name
		}
	default:
		return cluster.Ref{}, "", usagef("unexpected arguments %q (want daemonset/NAME [node/NAME])", rest[1:])
	}
	return r, node, nil
}

// explain returns the verdicts of the DaemonSet for each node (only
// nodeName, when set) that nodeSel matches, ordered by node name.
func explain(env *scenario.Env, dsRef cluster.Ref, nodeName string, nodeSel selector.Selector) (*explainJSON, error) {
	o, ok := env.Get(dsRef)
	if !ok {
		return nil, &inputError{fmt.Errorf("%v%s", cluster.NewNotFound(daemonset.DaemonSetType, dsRef.Name),
			namespaceHint(env, daemonset.KindDaemonSet, dsRef.Name, dsRef.Namespace))}
	}
	ds := o.(*daemonset.DaemonSet)
	profile := env.Config().Profile
	elig := daemonset.NewEligibility(ds, profile)
	res := &explainJSON{DaemonSet: dsRef.Namespace + "/" + dsRef.Name, Profile: string(profile), Nodes: []nodeVerdictJSON{}}
	add := func(n *cluster.Node) {
		v := elig.Explain(n)
		reasons := v.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		res.Nodes = append(res.Nodes, nodeVerdictJSON{
			Node: v.Node, ShouldRun: v.ShouldRun, ShouldContinueRunning: v.ShouldContinueRunning,
			Reasons: reasons, Placement: placeOn(env.View(), n, ds, elig).Text,
		})
	}
	if nodeName != "" {
		n, ok := env.View().Node(nodeName)
		if !ok {
			return nil, &inputError{cluster.NewNotFound(cluster.NodeType, nodeName)}
		}
		add(n)
		return res, nil
	}
	for n := range env.View().Nodes() {
		if nodeSel.Matches(selector.Set(n.Labels)) {
			add(n)
		}
	}
	return res, nil
}
