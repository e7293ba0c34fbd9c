package main

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/scenario"
	"github.com/daemonsim/daemonsim/selector"
)

var showCommand = &command{
	name:    "show",
	summary: "print the node × DaemonSet placement matrix of a cluster state",
	usage: `Usage: daemonsim show -f STATE.yaml [-n NAMESPACE] [-l SELECTOR] [-o table|json|yaml] [-no-settle]

Print where the daemon pods of a cluster state are: one row per node
(ordered by name), one column per DaemonSet (ordered by namespace and
name), and in each cell what that DaemonSet has on that node:

` + legend + `
STATE is read as by 'daemonsim whatif' (see 'daemonsim help whatif') and
settled into the baseline first, unless -no-settle; pods bound to nodes
that are not in the state are not shown.

Output (table, the default): the matrix, the legend and a count of the
cells. -o json prints

	{"daemonSets":["NAMESPACE/NAME", …],
	 "nodes":[{"node":"NAME", "placements":[{"daemonSet":"NAMESPACE/NAME",
	   "cell":"Running", "pods":1, "terminating":0, "phase":"Running",
	   "ready":true, "shouldRun":true, "shouldContinueRunning":true}, …]}]}

with one placement per DaemonSet, in column order; -o yaml the same as
YAML.

Flags:

	-f, -filename   the cluster state (required)
	-n, -namespace  show only the DaemonSets of this namespace (default:
	                every namespace)
	-l, -selector   show only the nodes this label selector matches
	-o, -output     table (the default), json or yaml
	-no-settle      show the state as loaded, not settled
`,
	flags: func() *flag.FlagSet { return showFlags(new(explainOptions)) },
	run:   runShow,
}

func showFlags(o *explainOptions) *flag.FlagSet {
	fs := newFlags("show")
	stringFlag(fs, &o.file, "f", "filename", "", "the cluster state")
	stringFlag(fs, &o.namespace, "n", "namespace", "", "show only this namespace's DaemonSets")
	stringFlag(fs, &o.output, "o", "output", "table", "table, json or yaml")
	stringFlag(fs, &o.selector, "l", "selector", "", "a label selector for nodes")
	fs.BoolVar(&o.noSettle, "no-settle", false, "show the state as loaded")
	return fs
}

// legend explains the cells of the matrix.
const legend = `	Running, Pending, …  one live pod, in this phase
	NotReady             one live pod, Running but not Ready
	-                    no pod, and the node should not run one
	missing              no pod, but the node should run one
	miss                 a live pod on a node that should not run one
	                     (misscheduled; it stays while only NoSchedule
	                     taints are untolerated)
	×N, miss×N           N live pods (duplicates)
	+t, +Nt              and one (N) terminating pods
	Terminating          only terminating pods
`

// placement is what one DaemonSet has on one node: a cell of the matrix.
type placement struct {
	DaemonSet             string `json:"daemonSet"`
	Text                  string `json:"cell"`
	Pods                  int    `json:"pods"`
	Terminating           int    `json:"terminating"`
	Phase                 string `json:"phase"`
	Ready                 bool   `json:"ready"`
	ShouldRun             bool   `json:"shouldRun"`
	ShouldContinueRunning bool   `json:"shouldContinueRunning"`
}

// place computes the cell for a DaemonSet's pods on one node (pods: all
// of them, live and terminating) and the node's eligibility.
func place(pods []*cluster.Pod, shouldRun, shouldCont bool) placement {
	p := placement{ShouldRun: shouldRun, ShouldContinueRunning: shouldCont}
	var live *cluster.Pod
	for _, pod := range pods {
		if pod.Terminating() {
			p.Terminating++
			continue
		}
		p.Pods++
		if live == nil {
			live = pod
		}
	}
	if live != nil {
		p.Phase = string(live.Status.Phase)
		if p.Phase == "" {
			p.Phase = string(cluster.PodPending)
		}
		p.Ready = live.IsReady()
	}
	var b strings.Builder
	switch {
	case p.Pods == 0 && p.Terminating > 0:
		b.WriteString("Terminating")
		if p.Terminating > 1 {
			b.WriteString("×" + strconv.Itoa(p.Terminating))
		}
		p.Text = b.String()
		return p
	case p.Pods == 0 && shouldRun:
		b.WriteString("missing")
	case p.Pods == 0:
		b.WriteString("-")
	case !shouldRun:
		b.WriteString("miss")
		if p.Pods > 1 {
			b.WriteString("×" + strconv.Itoa(p.Pods))
		}
	case p.Pods > 1:
		b.WriteString("×" + strconv.Itoa(p.Pods))
	case p.Phase == string(cluster.PodRunning) && !p.Ready:
		b.WriteString("NotReady")
	default:
		b.WriteString(p.Phase)
	}
	switch {
	case p.Terminating == 1:
		b.WriteString("+t")
	case p.Terminating > 1:
		b.WriteString("+" + strconv.Itoa(p.Terminating) + "t")
	}
	p.Text = b.String()
	return p
}

// controlledBy reports whether ds controls pod.
func controlledBy(pod *cluster.Pod, ds *daemonset.DaemonSet) bool {
	r := pod.ControllerRef()
	return r != nil && r.UID == ds.UID && r.Kind == string(daemonset.KindDaemonSet) && pod.Namespace == ds.Namespace
}

// placeOn computes the cell of ds on node n.
func placeOn(v *cluster.View, n *cluster.Node, ds *daemonset.DaemonSet, elig *daemonset.Eligibility) placement {
	var pods []*cluster.Pod
	for pod := range v.PodsOnNode(n.Name) {
		if controlledBy(pod, ds) {
			pods = append(pods, pod)
		}
	}
	run, cont := elig.ShouldRun(n)
	p := place(pods, run, cont)
	p.DaemonSet = ds.Namespace + "/" + ds.Name
	return p
}

// matrix is show's result and its -o json output.
type matrix struct {
	DaemonSets []string  `json:"daemonSets"`
	Nodes      []nodeRow `json:"nodes"`
}

type nodeRow struct {
	Node       string      `json:"node"`
	Placements []placement `json:"placements"`
}

// placements computes the matrix of env for the DaemonSets of namespace
// ("" for all) and the nodes nodeSel matches.
func placements(env *scenario.Env, namespace string, nodeSel selector.Selector) *matrix {
	v := env.View()
	profile := env.Config().Profile
	var dss []*daemonset.DaemonSet
	for o := range env.List(daemonset.KindDaemonSet, namespace) {
		dss = append(dss, o.(*daemonset.DaemonSet))
	}
	slices.SortFunc(dss, func(a, b *daemonset.DaemonSet) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	m := &matrix{DaemonSets: []string{}, Nodes: []nodeRow{}}
	eligs := make([]*daemonset.Eligibility, len(dss))
	byUID := make(map[string]int, len(dss))
	for i, ds := range dss {
		m.DaemonSets = append(m.DaemonSets, ds.Namespace+"/"+ds.Name)
		eligs[i] = daemonset.NewEligibility(ds, profile)
		byUID[ds.UID] = i
	}
	pods := make([][]*cluster.Pod, len(dss))
	for n := range v.Nodes() {
		if !nodeSel.Matches(selector.Set(n.Labels)) {
			continue
		}
		for i := range pods {
			pods[i] = pods[i][:0]
		}
		for pod := range v.PodsOnNode(n.Name) {
			r := pod.ControllerRef()
			if r == nil {
				continue
			}
			if i, ok := byUID[r.UID]; ok && controlledBy(pod, dss[i]) {
				pods[i] = append(pods[i], pod)
			}
		}
		row := nodeRow{Node: n.Name, Placements: make([]placement, len(dss))}
		for i := range dss {
			run, cont := eligs[i].ShouldRun(n)
			p := place(pods[i], run, cont)
			p.DaemonSet = m.DaemonSets[i]
			row.Placements[i] = p
		}
		m.Nodes = append(m.Nodes, row)
	}
	return m
}

func runShow(c *cli, args []string) error {
	var o explainOptions
	fs := showFlags(&o)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	format, err := parseOutput(o.output, true)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected arguments %q", rest)
	}
	nodeSel, err := o.nodeSelector()
	if err != nil {
		return err
	}
	env, _, err := c.loadState(&o.stateOptions)
	if err != nil {
		return err
	}
	m := placements(env, o.namespace, nodeSel)
	if format != outputText {
		return c.writeMachine(format, m)
	}
	return writeMatrix(c, m)
}

// writeMatrix prints the matrix as an aligned table, the legend and a
// count of the cells by kind.
func writeMatrix(c *cli, m *matrix) error {
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	tw.Write([]byte("NODE"))
	for _, d := range m.DaemonSets {
		tw.Write([]byte("\t" + d))
	}
	tw.Write([]byte("\n"))
	counts := map[string]int{}
	for _, row := range m.Nodes {
		tw.Write([]byte(row.Node))
		for _, p := range row.Placements {
			tw.Write([]byte("\t" + p.Text))
			counts[p.Text]++
		}
		tw.Write([]byte("\n"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "\nLegend:\n%s\n", legend)
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	summary := ""
	if len(parts) > 0 {
		summary = ": " + strings.Join(parts, ", ")
	}
	fmt.Fprintf(c.stdout, "%d %s × %d %s%s\n", len(m.Nodes), plural(len(m.Nodes), "node", "nodes"),
		len(m.DaemonSets), plural(len(m.DaemonSets), "DaemonSet", "DaemonSets"), summary)
	return nil
}
