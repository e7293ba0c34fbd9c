package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/scenario"
)

var whatifCommand = &command{
	name:    "whatif",
	summary: "report what changes to a cluster state would do to its DaemonSets",
	usage: strings.ReplaceAll(`Usage: daemonsim whatif -f STATE.yaml [-n NAMESPACE] [-advance DURATION] [-o table|json|yaml] CHANGE...

Report what CHANGE... would do to the DaemonSets of a cluster state, without
changing the state: which nodes would gain a daemon pod, which would lose
theirs, and how each DaemonSet's status would move.

STATE is what 'kubectl get nodes,daemonsets,pods -A -o yaml' (or -o json)
prints (a kind: List, or several YAML or JSON documents; '-' reads
standard input).
Unknown fields such as managedFields are ignored; objects of kinds
daemonsim does not model are skipped, and counted in one line on stderr.
The kinds it models are:

	KINDS

Objects are stored as they are (uid, timestamps, owner
references, status), except for owner references to objects the state
does not hold, such as the ReplicaSets of pods in a dump of nodes,
daemonsets and pods: those are ignored, so that the garbage collector
keeps the pods. A DaemonSet whose selector the API server would have
refused (invalid, empty, or not selecting its template) is an error. The
simulated clock starts one second after the newest timestamp of the
state.

The baseline is the state settled: loaded, then left to the simulated
controllers until they have nothing more to do at that instant (the clock
does not move). A dump without pods gets its daemon pods this way; a dump
caught mid-rollout moves on as far as it can without waiting. The changes
are then applied, in order, to a copy of the baseline, which settles again,
and the two are compared. The state itself is never changed.

That comparison is of the instant of the change: a pod on a node that no
longer qualifies is still terminating, and counted as misscheduled, and a
new pod counts as ready at once (the simulated kubelet pulls no images
and runs no probes). With
-advance DURATION (such as 90s or 10m) the clocks of both copies then run
for DURATION before they are compared, so that grace periods end, NoExecute
taints evict, and rolling updates move on.

CHANGE is one change in kubectl words; give several to apply them in
order, each quoted, or unquoted one after the other (a word that is a verb
starts the next change):

	label node/NAME key=value other-       label nodes -l SELECTOR key=value
	taint node/NAME key=value:Effect key:Effect- key-
	taint nodes -l SELECTOR key=value:Effect
	cordon node/NAME                       uncordon node/NAME
	delete node/NAME                       delete nodes -l SELECTOR
	delete ds/NAME [--cascade=orphan]
	apply -f FILE                          a manifest (a changed DaemonSet, a
	                                       new node, …), decoded strictly

Namespaced objects (ds/NAME, pods) are in the namespace of -n unless a
change gives its own -n or names Kind/NAMESPACE/NAME. A kubectl command
line works as it is: a leading "kubectl" (and -n NS before the verb) is
understood, as are several names, --all, -l/--selector (quote a selector
with blanks: -l 'zone in (a,b)'), --overwrite and --cascade; other flags
are refused. As kubectl, label and taint
leave alone, without --overwrite, an object whose label key is already
set to another value (or whose taint key and effect are already set), go
on with the others, and say so on stderr.

Output (-o table, the default): one row per DaemonSet, with the number of
nodes gaining and losing a pod and each status counter as before→after
(one number when unchanged), then the nodes by name. -o json prints

	{"changes":[…], "advance":"2m0s", "daemonSets":[{"daemonSet":"NAMESPACE/NAME",
	  "changed":true, "nodesGaining":[…], "nodesLosing":[…],
	  "misscheduledBefore":0, "misscheduledAfter":0,
	  "before":{DaemonSetStatus}, "after":{DaemonSetStatus}}],
	  "refused":["Node/n1: 'zone' already has a value (a), and …"]}

listing every DaemonSet of the state (unchanged ones with empty lists),
the statuses with Kubernetes' field names ("advance" only with -advance,
"refused" only when an object was left alone, "notes" only when kubectl
would have printed one, such as 'label "x" not found.' for a label to
remove that a node lacks); -o yaml prints the same as YAML.

Flags (they come before the changes):

	-f, -filename   the cluster state (required)
	-n, -namespace  the namespace of namespaced objects named in changes
	                (default "default")
	-advance        let the simulated clock run this long after the changes
	                (a Go duration: 90s, 10m; default 0)
	-o, -output     table (the default), json or yaml

Example:

	daemonsim whatif -f dump.yaml 'label nodes -l zone=a disk=ssd --overwrite' 'cordon node/n1'
`, "KINDS", modelledKinds()),
	flags: func() *flag.FlagSet { return whatifFlags(new(stateOptions)) },
	run:   runWhatIf,
}

func whatifFlags(o *stateOptions) *flag.FlagSet {
	fs := newFlags("whatif")
	o.defineState(fs)
	fs.StringVar(&o.advance, "advance", "", "let the simulated clock run this long after the changes (90s, 10m)")
	stringFlag(fs, &o.output, "o", "output", "table", "table, json or yaml")
	return fs
}

// parseAdvance reads -advance: empty is zero; a negative or malformed
// duration is bad usage.
func parseAdvance(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, usagef("-advance %q: not a duration (use 90s, 10m, 1h30m)", s)
	}
	if d < 0 {
		return 0, usagef("-advance %q: must not be negative", s)
	}
	return d, nil
}

func runWhatIf(c *cli, args []string) error {
	var o stateOptions
	fs := whatifFlags(&o)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	format, err := parseOutput(o.output, true)
	if err != nil {
		return err
	}
	advance, err := parseAdvance(o.advance)
	if err != nil {
		return err
	}
	if o.file == "" {
		return usagef("-f is required")
	}
	if fs.NArg() == 0 {
		return usagef("at least one CHANGE is required")
	}
	changes, err := parseChanges(fs.Args(), o.namespace, o.file == "-")
	if err != nil {
		return err
	}
	o.noSettle = true // Impact settles its own copy of the state.
	env, _, err := c.loadState(&o)
	if err != nil {
		return err
	}
	rep, err := whatIf(env, changes, advance)
	if err != nil {
		return err
	}
	for i, msg := range rep.Refused {
		if i == maxRefusedShown && len(rep.Refused) > maxRefusedShown+1 {
			fmt.Fprintf(c.stderr, "daemonsim: whatif: … and %d more objects left alone (-o json lists them all)\n", len(rep.Refused)-i)
			break
		}
		fmt.Fprintf(c.stderr, "daemonsim: whatif: left alone, as kubectl would: %s\n", msg)
	}
	for i, msg := range rep.Notes {
		if i == maxRefusedShown && len(rep.Notes) > maxRefusedShown+1 {
			fmt.Fprintf(c.stderr, "daemonsim: whatif: … and %d more notes (-o json lists them all)\n", len(rep.Notes)-i)
			break
		}
		fmt.Fprintf(c.stderr, "daemonsim: whatif: %s\n", msg)
	}
	if format == outputText {
		return writeImpactTable(c, rep)
	}
	return c.writeMachine(format, impactJSON(rep, changes, advance))
}

// maxRefusedShown is how many objects left alone, and how many notes,
// whatif prints on stderr.
const maxRefusedShown = 5

// modelledKinds lists the kinds a state may hold, for help texts.
func modelledKinds() string {
	var ks []string
	for _, k := range scenario.SupportedKinds {
		if k != "List" {
			ks = append(ks, k)
		}
	}
	// One indented line per few kinds, to keep the help within 80
	// columns.
	var b strings.Builder
	line := 0
	for i, k := range ks {
		if i > 0 {
			b.WriteString(",")
			if line+len(k) > 56 {
				b.WriteString("\n\t")
				line = 0
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(k)
		line += len(k) + 2
	}
	return b.String()
}

// change is one CHANGE of the command line.
type change struct {
	text string // its words, joined by spaces
	do   func(*scenario.Env) error
}

// changeError is a change that failed when applied: bad input.
type changeError struct {
	text string
	err  error
}

func (e *changeError) Error() string { return fmt.Sprintf("change %q: %v", e.text, e.err) }
func (e *changeError) Unwrap() error { return e.err }

// whatIf reports what changes, applied in order, would do to env after
// the clock has run for advance, without changing env.
func whatIf(env *scenario.Env, changes []*change, advance time.Duration) (*scenario.Report, error) {
	rep, err := scenario.ImpactAfter(env, func(e *scenario.Env) error {
		for _, ch := range changes {
			if err := ch.do(e); err != nil {
				return &changeError{ch.text, err}
			}
		}
		return nil
	}, advance)
	var ce *changeError
	if errors.As(err, &ce) {
		return nil, &inputError{ce}
	}
	return rep, err
}

// joinWords renders words as one change, quoting a word that holds a
// blank or a quote so that the text reads back the same.
func joinWords(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		if w == "" || strings.ContainsAny(w, " \t\n'\"\\") {
			w = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		parts[i] = w
	}
	return strings.Join(parts, " ")
}

// changeVerbs are the words that start a change.
var changeVerbs = []string{"label", "taint", "cordon", "uncordon", "delete", "apply"}

// splitChanges groups the CHANGE arguments into changes: an argument
// holding a space is a whole change; of the others, a change verb starts
// a new change and any other word continues the current one. A word
// "kubectl" before a verb is dropped.
func splitChanges(args []string) ([][]string, error) {
	var out [][]string
	open := false     // the last change may take more words
	var lead []string // kubectl's flags seen before a verb ("kubectl -n ns")
	for _, a := range args {
		if strings.TrimSpace(a) == "" && a != "" {
			return nil, usagef("empty change %q", a)
		}
		// A word with blanks is a whole change, except the value of -l.
		afterSelector := false
		if open {
			w := out[len(out)-1]
			afterSelector = w[len(w)-1] == "-l" || w[len(w)-1] == "--selector"
		}
		if strings.ContainsAny(a, " \t\n") && !afterSelector {
			words, err := scenario.SplitWords(a)
			if err != nil {
				return nil, usagef("change %q: %v", a, err)
			}
			words, err = scenario.VerbFirst(words)
			if err != nil {
				return nil, usagef("change %q: %v", a, err)
			}
			if !slices.Contains(changeVerbs, words[0]) {
				return nil, usagef("change %q: unknown verb %q (want %s)", a, words[0], verbList())
			}
			out = append(out, words)
			open = false
			continue
		}
		switch {
		case a == "kubectl":
			open, lead = false, []string{} // a verb follows, maybe after -n NS
		case lead != nil && slices.Contains(changeVerbs, a):
			out = append(out, append([]string{a}, lead...))
			open, lead = true, nil
		case lead != nil:
			lead = append(lead, a)
		case slices.Contains(changeVerbs, a):
			out = append(out, []string{a})
			open = true
		case open:
			out[len(out)-1] = append(out[len(out)-1], a)
		case len(out) == 0:
			return nil, usagef("unknown change verb %q (want %s)", a, verbList())
		case strings.HasPrefix(a, "-"):
			prev := strings.Join(out[len(out)-1], " ")
			return nil, usagef("unexpected word %q after change %q (a flag of the change goes inside its quotes, as in %q; whatif's own flags go before the changes)", a, prev, prev+" "+a)
		default:
			return nil, usagef("unexpected word %q after change %q (flags go before the changes)", a, strings.Join(out[len(out)-1], " "))
		}
	}
	if len(lead) > 0 || lead != nil && len(out) == 0 {
		return nil, usagef("kubectl %s: want a change verb (%s)", strings.Join(lead, " "), verbList())
	}
	return out, nil
}

func verbList() string {
	return strings.Join(changeVerbs[:len(changeVerbs)-1], ", ") + " or " + changeVerbs[len(changeVerbs)-1]
}

// parseChanges parses the CHANGE arguments; namespace is the -n of the
// command line, stdinState whether the state is read from standard input
// (-f -), which an apply change then cannot read too.
func parseChanges(args []string, namespace string, stdinState bool) ([]*change, error) {
	groups, err := splitChanges(args)
	if err != nil {
		return nil, err
	}
	readers := 0 // of standard input
	if stdinState {
		readers++
	}
	for _, words := range groups {
		if words[0] != "apply" {
			continue
		}
		files, _, _, _ := applyArgs(words[1:], namespace) // parseChange reports errors
		for _, f := range files {
			if f == "-" {
				readers++
			}
		}
	}
	if readers > 1 {
		return nil, usagef("standard input (-) can be read only once: give the state or the manifest as a file")
	}
	var out []*change
	for _, words := range groups {
		ch, err := parseChange(words, namespace)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}

// parseChange parses one change: apply here, the others with
// scenario.ParseChange, given the command line's namespace first so that
// the change's own -n wins.
func parseChange(words []string, namespace string) (*change, error) {
	text := joinWords(words)
	if words[0] == "apply" {
		do, err := parseApply(words[1:], namespace)
		if err != nil {
			var ie *inputError
			if errors.As(err, &ie) {
				return nil, err
			}
			return nil, usagef("change %q: %v", text, err)
		}
		return &change{text: text, do: do}, nil
	}
	withNS := append([]string{words[0], "-n", namespace}, words[1:]...)
	do, err := scenario.ParseChangeWords(withNS)
	if err != nil {
		return nil, usagef("change %q: %v", text, err)
	}
	return &change{text: text, do: func(e *scenario.Env) error { return do(e) }}, nil
}

// parseApply parses the words after apply (-f FILE, several allowed) and
// decodes the files strictly.
func parseApply(words []string, namespace string) (func(*scenario.Env) error, error) {
	files, namespace, enforce, err := applyArgs(words, namespace)
	if err != nil {
		return nil, err
	}
	var objs []cluster.Object
	for _, f := range files {
		data, name, err := readInput(f, scenario.MaxInputBytes)
		if err != nil {
			return nil, err
		}
		got, err := scenario.DecodeWith(data, scenario.DecodeOptions{Name: name})
		if err != nil {
			return nil, &inputError{err}
		}
		if len(got.Objects) == 0 {
			return nil, &inputError{fmt.Errorf("%s: no objects", name)}
		}
		objs = append(objs, got.Objects...)
	}
	for _, o := range objs {
		m := o.Meta()
		if !o.Type().Namespaced {
			continue
		}
		switch {
		case m.Namespace == "":
			m.Namespace = namespace
		case enforce && m.Namespace != namespace:
			// kubectl's error (cli-runtime's RequireNamespace), word for
			// word, its final period included.
			//lint:ignore ST1005 kubectl's message, verbatim
			return nil, &inputError{fmt.Errorf("the namespace from the provided object %q does not match the namespace %q. You must pass '--namespace=%s' to perform this operation.", m.Namespace, namespace, m.Namespace)}
		}
	}
	return func(e *scenario.Env) error { return e.Apply(objs...) }, nil
}

// applyArgs reads the words after apply: the files of -f FILE (several
// allowed) and the namespace of -n, which the change then enforces; the
// namespace given is the command line's.
func applyArgs(words []string, namespace string) (files []string, ns string, enforce bool, err error) {
	ns = namespace
	for i := 0; i < len(words); i++ {
		w := words[i]
		name, value, inline := strings.Cut(w, "=")
		switch {
		case inline && (name == "-f" || name == "--filename" || name == "-filename"):
			files = append(files, value)
		case w == "-f" || w == "--filename" || w == "-filename" || w == "-n" || w == "--namespace":
			if i+1 >= len(words) {
				return nil, "", false, fmt.Errorf("flag %s needs a value", w)
			}
			if w == "-n" || w == "--namespace" {
				ns, enforce = words[i+1], true
			} else {
				files = append(files, words[i+1])
			}
			i++
		default:
			return nil, "", false, fmt.Errorf("unexpected argument %q (want -f FILE)", w)
		}
	}
	if len(files) == 0 {
		return nil, "", false, fmt.Errorf("-f FILE is required")
	}
	return files, ns, enforce, nil
}

// whatifJSON is whatif's -o json and -o yaml output.
type whatifJSON struct {
	Changes []string `json:"changes"`
	// Advance is -advance, when set: how long the clocks ran after the
	// changes.
	Advance    string         `json:"advance,omitempty"`
	DaemonSets []dsImpactJSON `json:"daemonSets"`
	// Refused lists the objects the changes left alone because kubectl
	// would refuse them (a label or taint to overwrite without
	// --overwrite), as "Kind/name: message".
	Refused []string `json:"refused,omitempty"`
	// Notes lists what kubectl would have printed about the objects the
	// changes did change (a label to remove that an object lacks), as
	// "Kind/name: message".
	Notes []string `json:"notes,omitempty"`
}

type dsImpactJSON struct {
	DaemonSet          string           `json:"daemonSet"`
	Changed            bool             `json:"changed"`
	NodesGaining       []string         `json:"nodesGaining"`
	NodesLosing        []string         `json:"nodesLosing"`
	MisscheduledBefore int32            `json:"misscheduledBefore"`
	MisscheduledAfter  int32            `json:"misscheduledAfter"`
	Before             daemonset.Status `json:"before"`
	After              daemonset.Status `json:"after"`
}

func impactJSON(rep *scenario.Report, changes []*change, advance time.Duration) whatifJSON {
	out := whatifJSON{Changes: []string{}, DaemonSets: []dsImpactJSON{}}
	if advance > 0 {
		out.Advance = advance.String()
	}
	out.Refused = rep.Refused
	out.Notes = rep.Notes
	for _, ch := range changes {
		out.Changes = append(out.Changes, ch.text)
	}
	for i := range rep.DaemonSets {
		d := &rep.DaemonSets[i]
		j := dsImpactJSON{
			DaemonSet:          d.DaemonSet,
			Changed:            d.Changed(),
			NodesGaining:       nonNil(d.NodesGaining),
			NodesLosing:        nonNil(d.NodesLosing),
			MisscheduledBefore: d.Before.NumberMisscheduled,
			MisscheduledAfter:  d.After.NumberMisscheduled,
			Before:             d.Before,
			After:              d.After,
		}
		out.DaemonSets = append(out.DaemonSets, j)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// maxListedNodes bounds the node names the table lists per DaemonSet.
const maxListedNodes = 10

// writeImpactTable prints the report as an aligned table, then the nodes
// gaining and losing pods, then a summary line.
func writeImpactTable(c *cli, rep *scenario.Report) error {
	if len(rep.DaemonSets) == 0 {
		_, err := c.stdout.WriteString("no DaemonSets in the state\n")
		return err
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DAEMONSET\tGAINING\tLOSING\tMISSCHEDULED\tDESIRED\tCURRENT\tREADY\tUP-TO-DATE\tAVAILABLE")
	changed := 0
	for i := range rep.DaemonSets {
		d := &rep.DaemonSets[i]
		if d.Changed() {
			changed++
		}
		b, a := &d.Before, &d.After
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.DaemonSet, len(d.NodesGaining), len(d.NodesLosing),
			move(b.NumberMisscheduled, a.NumberMisscheduled), move(b.DesiredNumberScheduled, a.DesiredNumberScheduled),
			move(b.CurrentNumberScheduled, a.CurrentNumberScheduled), move(b.NumberReady, a.NumberReady),
			move(b.UpdatedNumberScheduled, a.UpdatedNumberScheduled), move(b.NumberAvailable, a.NumberAvailable))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, side := range []struct {
		title string
		nodes func(*scenario.DaemonSetImpact) []string
	}{
		{"Nodes gaining a pod:", func(d *scenario.DaemonSetImpact) []string { return d.NodesGaining }},
		{"Nodes losing their pod:", func(d *scenario.DaemonSetImpact) []string { return d.NodesLosing }},
	} {
		title := false
		for i := range rep.DaemonSets {
			d := &rep.DaemonSets[i]
			nodes := side.nodes(d)
			if len(nodes) == 0 {
				continue
			}
			if !title {
				fmt.Fprintf(c.stdout, "\n%s\n", side.title)
				title = true
			}
			fmt.Fprintf(c.stdout, "  %s: %s\n", d.DaemonSet, nodeList(nodes))
		}
	}
	fmt.Fprintf(c.stdout, "\n%d of %d %s changed\n", changed, len(rep.DaemonSets), plural(len(rep.DaemonSets), "DaemonSet", "DaemonSets"))
	return nil
}

// move renders a counter as "3" when unchanged, "3→4" when it moves.
func move(before, after int32) string {
	if before == after {
		return strconv.Itoa(int(before))
	}
	return strconv.Itoa(int(before)) + "→" + strconv.Itoa(int(after))
}

// nodeList renders node names comma-separated, at most maxListedNodes.
func nodeList(nodes []string) string {
	if len(nodes) <= maxListedNodes {
		return strings.Join(nodes, ", ")
	}
	return fmt.Sprintf("%s, … (%d nodes; -o json lists them all)", strings.Join(nodes[:maxListedNodes], ", "), len(nodes))
}
