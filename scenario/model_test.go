package scenario

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/internal/dsoracle"
	"github.com/daemonsim/daemonsim/internal/verify"
)

// Model-based random testing: a seeded generator writes sequences of
// operations as scenario steps (nodes come, go, change labels and taints,
// are cordoned and disconnected; DaemonSets are created, updated and
// deleted with each cascade mode; orphan and bare pods appear and
// disappear; kubelets report failures; time passes), and the standard
// wiring runs them in shuffle mode, ties broken by the seed. After every
// settle (and at every instant an advance stops at) the test checks what
// the DaemonSet controller and the garbage collector promise; a watcher
// checks the rolling-update budgets after every single store change. Each
// seed is also run twice with the same seed (the logs must be identical),
// and a second, race-free sequence (genConfluentOps) runs under four tie
// orders, whose settled end states, with generated names abstracted, must
// agree. A failing seed is shrunk by deleting operations and printed as a
// scenario file to paste into testdata/. Bugs found so far are pinned in
// modelFindings.
//
// The default budget suits CI (-race included); longer runs, for
// maintainers:
//
//	go test ./scenario -run 'TestModel' -model.seeds=2000 -model.ops=80 -timeout 2h
//	go test ./scenario -run 'TestModel' -model.seed=1234 -model.seeds=1 -v   # one seed

var (
	modelSeeds = flag.Int("model.seeds", 0, "seeds run by the model-based tests (0: 20, 6 with -short)")
	modelOps   = flag.Int("model.ops", 0, "operations per seed (0: 40, 25 with -short)")
	modelFirst = flag.Uint64("model.seed", 1, "first seed of the model-based tests")
)

// modelBudget returns the seeds and operations per seed to run.
func modelBudget() (first uint64, seeds, ops int) {
	seeds, ops = 20, 40
	if testing.Short() {
		seeds, ops = 6, 25
	}
	if *modelSeeds > 0 {
		seeds = *modelSeeds
	}
	if *modelOps > 0 {
		ops = *modelOps
	}
	return *modelFirst, seeds, ops
}

// The model's universe: few enough names that operations collide.
const (
	modelNodeCount = 6
	modelDSCount   = 3
)

// modelOp is one generated operation: one or more scenario steps, ending
// in a settle (an advance settles by itself).
type modelOp struct {
	text   string  // the steps, as scenario YAML list items
	steps  []*Step // text, parsed
	orphan string  // the DaemonSet whose pods this op orphans, or ""
	apply  string  // the DaemonSet this op applies, or ""
	delete string  // the DaemonSet this op deletes, or ""
}

// newModelOp parses the steps of an operation.
func newModelOp(text string) *modelOp {
	f, err := Parse("model.yaml", []byte("steps:\n"+text))
	if err != nil {
		panic(fmt.Sprintf("scenario: model generator wrote a bad step: %v\n%s", err, text))
	}
	return &modelOp{text: text, steps: f.Steps}
}

// modelGen generates operations; it keeps a rough picture of what exists
// so that most operations act on something, but an operation on a
// missing object is fine (its NotFound error is expected).
type modelGen struct {
	confluent bool // see genConfluentOps
	rng       *rand.Rand
	nodes     map[int]bool
	ds        map[int]bool
	pods      int // names used for orphan and bare pods
}

// genOps returns n operations for seed.
func genOps(seed uint64, n int) []*modelOp {
	return genOpsWith(seed, n, false)
}

// genConfluentOps returns n operations for seed without the races that a
// real cluster has too, and whose outcome sticks: no hand-made pod
// matches a DaemonSet (whether the kubelet started one before the
// DaemonSet controller judged it, in the same instant, decides whether
// it is deleted); hand-made pods are created bound (the scheduler picks
// among nodes whose taints may change in the same instant); no node is
// disconnected (a Node applied while its kubelet is away is Ready for an
// instant, and a pod the scheduler binds in that instant waits there,
// terminating, where one it did not bind is deleted at once). The
// tie-order property is checked on these.
func genConfluentOps(seed uint64, n int) []*modelOp {
	return genOpsWith(seed, n, true)
}

func genOpsWith(seed uint64, n int, confluent bool) []*modelOp {
	g := &modelGen{rng: rand.New(rand.NewPCG(seed, 0x6d6f64656c)), nodes: map[int]bool{}, ds: map[int]bool{}, confluent: confluent}
	ops := []*modelOp{g.applyNode(0), g.applyNode(1), g.applyNode(2), g.applyDS(0)}
	for len(ops) < n {
		ops = append(ops, g.next())
	}
	return ops[:n]
}

func (g *modelGen) pick(n int) int { return g.rng.IntN(n) }

// node picks a node, usually one that exists.
func (g *modelGen) node() int {
	if len(g.nodes) > 0 && g.pick(5) > 0 {
		keys := slices.Sorted(maps.Keys(g.nodes))
		return keys[g.pick(len(keys))]
	}
	return g.pick(modelNodeCount)
}

// daemonSet picks a DaemonSet, usually one that exists.
func (g *modelGen) daemonSet() int {
	if len(g.ds) > 0 && g.pick(5) > 0 {
		keys := slices.Sorted(maps.Keys(g.ds))
		return keys[g.pick(len(keys))]
	}
	return g.pick(modelDSCount)
}

const settleStep = "- settle:\n"

func (g *modelGen) next() *modelOp {
	switch w := g.pick(100); {
	case w < 10:
		return g.applyNode(g.pick(modelNodeCount))
	case w < 14:
		n := g.node()
		delete(g.nodes, n)
		return newModelOp(fmt.Sprintf("- delete: Node/node-%d\n", n) + settleStep)
	case w < 22:
		changes := []string{"disk=ssd", "disk=hdd", "disk-", "zone=a", "zone=b", "zone-"}
		return newModelOp(fmt.Sprintf("- label: Node/node-%d %s\n", g.node(), changes[g.pick(len(changes))]) + settleStep)
	case w < 28:
		taints := []string{"dedicated=x:NoSchedule", "dedicated=x:NoExecute", "maint=y:PreferNoSchedule", "dedicated-", "dedicated-", "maint-"}
		return newModelOp(fmt.Sprintf("- taint: node-%d %s\n", g.node(), taints[g.pick(len(taints))]) + settleStep)
	case w < 32:
		verb := []string{"cordon", "uncordon"}[g.pick(2)]
		return newModelOp(fmt.Sprintf("- %s: node-%d\n", verb, g.node()) + settleStep)
	case w < 36 && !g.confluent:
		verb := []string{"disconnect", "reconnect"}[g.pick(2)]
		return newModelOp(fmt.Sprintf("- %s: node-%d\n", verb, g.node()) + settleStep)
	case w < 50:
		return g.applyDS(g.daemonSet())
	case w < 56:
		d := g.daemonSet()
		delete(g.ds, d)
		var op *modelOp
		switch g.pick(4) {
		case 0:
			op = newModelOp(fmt.Sprintf("- delete: DaemonSet/ds-%d\n", d) + settleStep)
		case 1:
			op = newModelOp(fmt.Sprintf("- delete: {object: DaemonSet/ds-%d, cascade: background}\n", d) + settleStep)
		case 2:
			op = newModelOp(fmt.Sprintf("- delete: {object: DaemonSet/ds-%d, cascade: foreground}\n", d) + settleStep)
		default:
			op = newModelOp(fmt.Sprintf("- delete: {object: DaemonSet/ds-%d, cascade: orphan}\n", d) + settleStep)
			op.orphan = fmt.Sprintf("ds-%d", d)
		}
		op.delete = fmt.Sprintf("ds-%d", d)
		return op
	case w < 62 && !g.confluent:
		// A pod matching a DaemonSet's selector, made by hand: an orphan
		// to adopt.
		g.pods++
		return newModelOp(fmt.Sprintf("- apply:\n    apiVersion: v1\n    kind: Pod\n    metadata: {name: orphan-%d, labels: {app: ds-%d}}\n"+
			"    spec: {nodeName: node-%d, terminationGracePeriodSeconds: %d, containers: [{name: main, image: \"orphan:1\"}]}\n",
			g.pods, g.daemonSet(), g.node(), 10*g.pick(2)) + settleStep)
	case w < 65:
		g.pods++
		node := ""
		if g.pick(2) == 0 || g.confluent {
			node = fmt.Sprintf("nodeName: node-%d, ", g.node())
		}
		return newModelOp(fmt.Sprintf("- apply:\n    apiVersion: v1\n    kind: Pod\n    metadata: {name: bare-%d, labels: {app: bare}}\n"+
			"    spec: {%sterminationGracePeriodSeconds: 0, containers: [{name: main, image: \"bare:1\"}]}\n", g.pods, node) + settleStep)
	case w < 69:
		switch g.pick(3) {
		case 0:
			return newModelOp(fmt.Sprintf("- delete: Pod/orphan-%d\n", 1+g.pick(g.pods+1)) + settleStep)
		case 1:
			return newModelOp("- delete: {kind: Pod, selector: app=bare}\n" + settleStep)
		}
		return newModelOp(fmt.Sprintf("- delete: {kind: Pod, selector: app=ds-%d, node: node-%d}\n", g.daemonSet(), g.node()) + settleStep)
	case w < 78:
		// Kubelet reports. A failure is a bad build: every pod of one
		// template label build=bN of a DaemonSet fails, wherever and
		// whenever it starts, until a template with another build
		// replaces it. Failed pods are never reported Running again (no
		// kubelet revives a terminal pod; see
		// TestModelKnownBugRevivedFailedPods), and nothing succeeds: with
		// pods starting at once, a standing report that every pod
		// succeeds loops within one instant (succeeded daemon pods are
		// replaced without backoff, as upstream does), which Settle
		// refuses with ErrSettleLimit.
		node := ""
		if g.pick(3) > 0 {
			node = fmt.Sprintf(", node: node-%d", g.node())
		}
		switch g.pick(3) {
		case 0:
			ds, build := g.daemonSet(), g.pick(3)
			if g.confluent {
				// Not in the tie-order check: under a standing failure, how
				// many fail-delete-replace rounds a node goes through in one
				// instant depends on whether the DaemonSet controller syncs
				// between the kubelet's report and the failed-pod backoff's
				// next step, as in a real cluster (model seeds 706 and 982
				// of 60 operations found it). The draws are the same, so
				// the other operations of a seed do not change.
				return newModelOp(fmt.Sprintf("- podStatus: {selector: app=ds-%d%s, ready: false}\n", ds, node) + settleStep)
			}
			return newModelOp(fmt.Sprintf("- podStatus: {selector: \"app=ds-%d,build=b%d\"%s, phase: Failed}\n", ds, build, node) + settleStep)
		case 1:
			return newModelOp(fmt.Sprintf("- podStatus: {selector: app=ds-%d%s, ready: false}\n", g.daemonSet(), node) + settleStep)
		}
		return newModelOp(fmt.Sprintf("- podStatus: {selector: app=ds-%d%s, ready: true}\n", g.daemonSet(), node) + settleStep)
	}
	durations := []string{"1s", "3s", "5s", "10s", "30s", "45s", "1m", "5m", "16m"}
	return newModelOp(fmt.Sprintf("- advance: %s\n", durations[g.pick(len(durations))]))
}

// applyNode writes a Node with random labels and, sometimes, taints; on
// an existing node it replaces labels and spec, as kubectl apply does.
func (g *modelGen) applyNode(n int) *modelOp {
	g.nodes[n] = true
	var labels []string
	if d := g.pick(3); d > 0 {
		labels = append(labels, "disk: "+[]string{"ssd", "hdd"}[d-1])
	}
	if z := g.pick(3); z > 0 {
		labels = append(labels, "zone: "+[]string{"a", "b"}[z-1])
	}
	spec := ""
	switch g.pick(6) {
	case 0:
		spec = ", spec: {taints: [{key: dedicated, value: x, effect: NoSchedule}]}"
	case 1:
		spec = ", spec: {unschedulable: true}"
	}
	return newModelOp(fmt.Sprintf("- apply: {apiVersion: v1, kind: Node, metadata: {name: node-%d, labels: {%s}}%s}\n",
		n, strings.Join(labels, ", "), spec) + settleStep)
}

// applyDS creates or updates DaemonSet ds-d with random template,
// placement, tolerations, strategy and history; its selector is always
// app=ds-d (immutable in apps/v1).
func (g *modelGen) applyDS(d int) *modelOp {
	g.ds[d] = true
	var b strings.Builder
	fmt.Fprintf(&b, "- apply:\n    apiVersion: apps/v1\n    kind: DaemonSet\n    metadata: {name: ds-%d}\n    spec:\n", d)
	fmt.Fprintf(&b, "      selector: {matchLabels: {app: ds-%d}}\n", d)
	if g.pick(4) == 0 {
		b.WriteString("      minReadySeconds: 5\n")
	}
	if g.pick(3) == 0 {
		b.WriteString("      revisionHistoryLimit: 1\n")
	}
	strategies := []string{
		"", "{type: OnDelete}",
		"{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}",
		"{type: RollingUpdate, rollingUpdate: {maxUnavailable: 2, maxSurge: 0}}",
		"{type: RollingUpdate, rollingUpdate: {maxUnavailable: \"30%\"}}",
		"{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}",
		"{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: \"50%\"}}",
	}
	if s := strategies[g.pick(len(strategies))]; s != "" {
		b.WriteString("      updateStrategy: " + s + "\n")
	}
	tier := ""
	if g.pick(3) == 0 {
		tier = ", tier: x"
	}
	fmt.Fprintf(&b, "      template:\n        metadata: {labels: {app: ds-%d, build: b%d%s}}\n        spec:\n", d, g.pick(3), tier)
	fmt.Fprintf(&b, "          terminationGracePeriodSeconds: %d\n", []int{0, 0, 10, 30}[g.pick(4)])
	switch g.pick(4) {
	case 1:
		b.WriteString("          nodeSelector: {disk: ssd}\n")
	case 2:
		b.WriteString("          affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}\n")
	}
	switch g.pick(4) {
	case 1:
		b.WriteString("          tolerations: [{key: dedicated, operator: Exists}]\n")
	case 2:
		b.WriteString("          tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]\n")
	case 3:
		b.WriteString("          tolerations: [{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 20}]\n")
	}
	fmt.Fprintf(&b, "          containers: [{name: main, image: \"img:%d\"}]\n", g.pick(3))
	op := newModelOp(b.String() + settleStep)
	op.apply = fmt.Sprintf("ds-%d", d)
	return op
}

// modelConfig is how a sequence runs: the cluster's seed (generated names
// and, with shuffle, tie order) and shuffle mode.
type modelConfig struct {
	seed    uint64
	shuffle bool
	// skew perturbs the shuffle stream without touching generated names:
	// the budget watcher queues this many no-op keys on every change,
	// each drawing a tie-breaking value, so that runs with different
	// skews break ties differently under the same seed.
	skew int
	// afterSettle, when set, runs after each settled step, before the
	// checks (what-if probes, say).
	afterSettle func(m *modelRun) error
	// states, when set, receives the abstract state after each operation.
	states *[]string
}

func (c modelConfig) String() string {
	if c.shuffle && c.skew > 0 {
		return fmt.Sprintf("shuffle, seed %d, skew %d", c.seed, c.skew)
	}
	if c.shuffle {
		return fmt.Sprintf("shuffle, seed %d", c.seed)
	}
	return fmt.Sprintf("first-in first-out, seed %d", c.seed)
}

// modelFailure is a broken promise: which one (for shrinking), where,
// and the details.
type modelFailure struct {
	kind   string // "status", "pods", "orphan", "owner", "budget", "history", "error", "settle", …
	op     int    // index of the operation
	step   int    // index of the step in the operation
	at     time.Duration
	msg    string
	expect string // an expect: block for the reproduction, when one can be written
}

func (f *modelFailure) Error() string {
	return fmt.Sprintf("op %d step %d at %v: [%s] %s", f.op+1, f.step+1, f.at, f.kind, f.msg)
}

// modelRun is one run of a sequence.
type modelRun struct {
	cfg      modelConfig
	env      *Env
	r        *runner
	watch    *budgetWatch
	orphaned map[string]bool // pods orphaned by a cascade=orphan delete and not adopted since
	orphans  int             // pods orphaned so far
	checked  uint64          // log records up to this seq were checked
	errs     map[[2]int]error
	op, step int
}

// runModel runs ops under cfg, checking after every settle; it returns
// the run and the first failure.
func runModel(ops []*modelOp, cfg modelConfig) (*modelRun, *modelFailure) {
	env, err := NewCluster(cluster.Config{Seed: cfg.seed, Shuffle: cfg.shuffle})
	if err != nil {
		panic(err)
	}
	m := &modelRun{cfg: cfg, env: env, r: &runner{env: env}, orphaned: map[string]bool{}, errs: map[[2]int]error{}}
	m.watch = &budgetWatch{c: env.Cluster, on: true, skew: cfg.skew}
	if err := env.Register(m.watch); err != nil {
		panic(err)
	}
	for i, op := range ops {
		m.op = i
		if op.orphan != "" {
			m.trackOrphans(op.orphan)
		}
		for j, s := range op.steps {
			m.step = j
			var err error
			if s.Verb == "advance" {
				d, perr := time.ParseDuration(resolveAlias(mapValue(s.node, "advance")).Value)
				if perr != nil {
					panic(perr)
				}
				if f := m.advance(d); f != nil {
					return m, f
				}
			} else {
				_, err = s.exec(m.r)
			}
			if err != nil {
				m.errs[[2]int{i, j}] = err
				if errors.Is(err, cluster.ErrSettleLimit) {
					return m, m.fail("settle", "%v", err)
				}
				if !expectedModelError(err) {
					return m, m.fail("error", "step %d (%s): unexpected error: %v", j+1, s.Verb, err)
				}
			}
			if f := m.watch.failure(m); f != nil {
				return m, f
			}
			if s.Verb == "settle" {
				if f := m.settled(); f != nil {
					return m, f
				}
			}
		}
		if cfg.states != nil {
			*cfg.states = append(*cfg.states, abstractState(env.Cluster))
		}
	}
	return m, nil
}

// expectedModelError reports whether err is one a generated operation may
// meet: its object does not exist (or already does), nothing matches, or
// a taint to remove is not there.
func expectedModelError(err error) bool {
	var none noResourcesError
	msg := err.Error()
	return cluster.IsNotFound(err) || cluster.IsAlreadyExists(err) || errors.As(err, &none) ||
		(strings.HasPrefix(msg, "taint ") && strings.HasSuffix(msg, " not found"))
}

func (m *modelRun) fail(kind, format string, args ...any) *modelFailure {
	return &modelFailure{kind: kind, op: m.op, step: m.step, at: m.env.Elapsed(), msg: fmt.Sprintf(format, args...)}
}

// advance moves the clock by d one due instant at a time, checking after
// each (Advance settles at every due instant; this stops there too).
func (m *modelRun) advance(d time.Duration) *modelFailure {
	end := m.env.Elapsed() + d
	for {
		due, ok := m.env.NextDue()
		if !ok || m.env.Elapsed()+due >= end {
			break
		}
		if err := m.env.Advance(due); err != nil {
			return m.fail("settle", "advance: %v", err)
		}
		if f := m.watch.failure(m); f != nil {
			return f
		}
		if f := m.settled(); f != nil {
			return f
		}
	}
	if err := m.env.Advance(end - m.env.Elapsed()); err != nil {
		return m.fail("settle", "advance: %v", err)
	}
	if f := m.watch.failure(m); f != nil {
		return f
	}
	return m.settled()
}

// trackOrphans records the live pods of DaemonSet name before a
// cascade=orphan delete: they must keep running.
func (m *modelRun) trackOrphans(name string) {
	o, ok := m.env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: name})
	if !ok {
		return
	}
	ds := o.(*daemonset.DaemonSet)
	for p := range m.env.List(cluster.KindPod, "default") {
		if r := p.Meta().ControllerRef(); r != nil && r.UID == ds.UID && !p.Meta().Terminating() {
			m.orphaned[p.Meta().Name] = true
			m.orphans++
		}
	}
}

// settled checks every promise that holds after a settle.
func (m *modelRun) settled() *modelFailure {
	if m.cfg.afterSettle != nil {
		if err := m.cfg.afterSettle(m); err != nil {
			return m.fail("whatif", "%v", err)
		}
	}
	if f := m.checkOrphans(); f != nil {
		return f
	}
	if f := m.checkOwners(); f != nil {
		return f
	}
	for o := range m.env.List(daemonset.KindDaemonSet, "") {
		if f := m.checkDaemonSet(o.(*daemonset.DaemonSet)); f != nil {
			return f
		}
	}
	return nil
}

// checkOrphans reads the log since the last check: a pod orphaned by a
// cascade=orphan delete may be deleted by its kubelet, the user, pod GC or
// taint eviction, but not by the garbage collector, nor by a DaemonSet
// controller that has not adopted it first.
func (m *modelRun) checkOrphans() *modelFailure {
	recs := m.env.LogSince(m.checked)
	m.checked = m.env.LastSeq()
	for _, rec := range recs {
		if rec.Object.Kind != cluster.KindPod || !m.orphaned[rec.Object.Name] {
			continue
		}
		switch {
		case rec.Verb == cluster.VerbUpdate && rec.Actor == daemonset.ControllerName:
			delete(m.orphaned, rec.Object.Name) // adopted
		case rec.Verb == cluster.VerbDelete && (rec.Actor == cluster.GarbageCollectorName || rec.Actor == daemonset.ControllerName):
			return m.fail("orphan", "orphaned pod %s deleted by %s: %s", rec.Object, rec.Actor, rec)
		}
	}
	return nil
}

// checkOwners checks that no dependent outlives its owner: every owner
// reference of a pod or revision names an object that exists with that
// UID, unless the dependent is being deleted.
func (m *modelRun) checkOwners() *modelFailure {
	v := m.env.View()
	for _, k := range []cluster.Kind{cluster.KindPod, daemonset.KindControllerRevision} {
		for o := range m.env.List(k, "") {
			meta := o.Meta()
			if meta.Terminating() {
				continue
			}
			for _, ref := range meta.OwnerReferences {
				kind := cluster.Kind(ref.Kind)
				t, known := v.TypeOf(kind)
				if !known {
					continue
				}
				ns := ""
				if t.Namespaced {
					ns = meta.Namespace
				}
				owner, ok := v.Get(cluster.Ref{Kind: kind, Namespace: ns, Name: ref.Name})
				if !ok || owner.Meta().UID != ref.UID {
					return m.fail("owner", "%s survives its owner %s/%s (uid %s)", cluster.RefOf(o), ref.Kind, ref.Name, ref.UID)
				}
			}
		}
	}
	return nil
}

// currentRevision returns the hash of ds's revision for its current
// template, and how many owned revisions hold that template.
func currentRevision(v *cluster.View, ds *daemonset.DaemonSet) (hash string, n int, revs []*daemonset.ControllerRevision) {
	revs = daemonset.Revisions(v, ds)
	patch := string(daemonset.TemplatePatch(ds))
	for _, r := range revs {
		if string(r.Data) == patch {
			hash = r.Labels[daemonset.RevisionHashLabel]
			n++
		}
	}
	return hash, n, revs
}

// surges reports whether ds's rolling update resolves maxSurge above 0.
func surges(ds *daemonset.DaemonSet, desired int) bool {
	if ds.Spec.UpdateStrategy.Type != daemonset.RollingUpdateStrategy {
		return false
	}
	s, _, err := daemonset.RolloutBudget(ds, max(desired, 1))
	return err == nil && s > 0
}

// checkDaemonSet checks one DaemonSet after a settle: its status equals a
// recount; no node holds more than one live pod of it (two while a surge
// replaces one); every node that should run it has a pod (live,
// terminating or failed); no node that should not keep running it has a
// live pod; its history has one current revision, the newest, and no more
// unused old revisions than revisionHistoryLimit.
func (m *modelRun) checkDaemonSet(ds *daemonset.DaemonSet) *modelFailure {
	if ds.DeletionTimestamp != nil || ds.Spec.Selector == nil {
		return nil
	}
	c, v := m.env.Cluster, m.env.View()
	sel, err := ds.Spec.Selector.AsSelector()
	if err != nil {
		return m.fail("status", "DaemonSet %s: selector: %v", ds.Name, err)
	}
	hash, current, revs := currentRevision(v, ds)
	if current != 1 {
		return m.fail("history", "DaemonSet %s has %d revisions of its current template, want 1", ds.Name, current)
	}
	if last := revs[len(revs)-1]; last.Labels[daemonset.RevisionHashLabel] != hash {
		return m.fail("history", "DaemonSet %s: the newest revision %s (%d) is not the current template's", ds.Name, last.Name, last.Revision)
	}
	want := dsoracle.Recount(c, ds, sel, hash, c.Now())
	got := ds.Status
	got.ObservedGeneration, got.CollisionCount, got.Conditions = 0, nil, nil
	if got.NumberAvailable < want.NumberAvailable {
		// A pod turns available with no event; upstream notices on the
		// requeue its updatePod handler set for one second after the
		// pod's minReadySeconds, so the count may lag by up to a second.
		late := dsoracle.Recount(c, ds, sel, hash, c.Now().Add(-time.Second))
		if got.NumberAvailable >= late.NumberAvailable {
			want.NumberAvailable, want.NumberUnavailable = got.NumberAvailable, got.NumberUnavailable
		}
	}
	if daemonset.DescribeStatus(&got) != daemonset.DescribeStatus(&want) || got.NumberUnavailable != want.NumberUnavailable {
		f := m.fail("status", "DaemonSet %s status %s, recount %s", ds.Name, daemonset.DescribeStatus(&got), daemonset.DescribeStatus(&want))
		f.expect = fmt.Sprintf("    objects:\n      DaemonSet/%s: {status: {desiredNumberScheduled: %d, currentNumberScheduled: %d, numberReady: %d, numberAvailable: %d, updatedNumberScheduled: %d, numberMisscheduled: %d}}\n",
			ds.Name, want.DesiredNumberScheduled, want.CurrentNumberScheduled, want.NumberReady, want.NumberAvailable, want.UpdatedNumberScheduled, want.NumberMisscheduled)
		return f
	}
	if ds.Status.ObservedGeneration != ds.Generation {
		return m.fail("status", "DaemonSet %s observedGeneration %d, generation %d", ds.Name, ds.Status.ObservedGeneration, ds.Generation)
	}
	byNode := dsoracle.Pods(c, ds, sel)
	elig := daemonset.NewEligibility(ds, c.Config().Profile)
	surge := surges(ds, int(want.DesiredNumberScheduled))
	for n := range v.Nodes() {
		shouldRun, shouldCont := elig.ShouldRun(n)
		var live, other int
		for _, p := range byNode[n.Name] {
			if p.Terminating() || p.IsTerminal() {
				other++
			} else {
				live++
			}
		}
		switch {
		case live > 2 || (live == 2 && !surge):
			return m.fail("pods", "DaemonSet %s has %d live pods on %s", ds.Name, live, n.Name)
		case shouldRun && live+other == 0:
			return m.fail("pods", "DaemonSet %s has no pod on %s, which should run it", ds.Name, n.Name)
		case !shouldCont && live > 0:
			return m.fail("pods", "DaemonSet %s keeps a live pod on %s, which should not run it", ds.Name, n.Name)
		}
	}
	if surge && oldPodOnMissingNode(v, ds, byNode, hash) {
		// Upstream's surging rolling update fails the whole sync, before
		// the history clean-up, while an out-of-date pod sits alone on a
		// node that no longer exists ("couldn't get node for nodeName"),
		// until pod GC removes the pod; the simulator does the same.
		return nil
	}
	limit := int(daemonset.DefaultRevisionHistoryLimit)
	if ds.Spec.RevisionHistoryLimit != nil {
		limit = int(*ds.Spec.RevisionHistoryLimit)
	}
	used := map[string]bool{}
	for _, pods := range byNode {
		for _, p := range pods {
			used[p.Labels[daemonset.RevisionHashLabel]] = true
		}
	}
	old, unused := len(revs)-1, 0
	for _, r := range revs {
		if h := r.Labels[daemonset.RevisionHashLabel]; h != hash && !used[h] {
			unused++
		}
	}
	if old > limit && unused > 0 {
		return m.fail("history", "DaemonSet %s keeps %d old revisions (%d unused), revisionHistoryLimit is %d", ds.Name, old, unused, limit)
	}
	return nil
}

// oldPodOnMissingNode reports whether a node that does not exist holds a
// live out-of-date pod of ds and no live up-to-date one.
func oldPodOnMissingNode(v *cluster.View, ds *daemonset.DaemonSet, byNode map[string][]*cluster.Pod, hash string) bool {
	gen, hasGen := daemonset.TemplateGeneration(ds)
	for node, pods := range byNode {
		if _, ok := v.Node(node); ok {
			continue
		}
		var old, cur bool
		for _, p := range pods {
			if p.Terminating() {
				continue
			}
			if daemonset.IsPodUpdated(p, hash, gen, hasGen) {
				cur = true
			} else {
				old = true
			}
		}
		if old && !cur {
			return true
		}
	}
	return false
}

// budgetWatch checks the rolling-update budgets after every single store
// change made by the DaemonSet controller:
//
//   - without surge, it deletes an available out-of-date pod (the only
//     live pod of its DaemonSet on a node that may keep it) only while
//     the nodes holding pods of the DaemonSet but no available one stay
//     within maxUnavailable, counting the node it empties;
//   - with surge, it never deletes the only available pod of a node that
//     should run the DaemonSet, deletes one on a node that should not only
//     while enough nodes stay available, and creates a new pod next to an
//     available old one only while such doubled nodes stay within
//     maxSurge.
//
// Forks (what-if analysis) get a watcher that checks nothing.
type budgetWatch struct {
	c       *cluster.Cluster
	on      bool
	skew    int // no-op keys queued per change (see modelConfig.skew)
	checked int // budgeted deletions and creations checked
	bad     string
	at      time.Duration
}

func (w *budgetWatch) Name() string { return "model-budget-watch" }

func (w *budgetWatch) Fork() cluster.Controller { return &budgetWatch{} }

func (w *budgetWatch) Reconcile(*cluster.View, cluster.Key) cluster.Result { return cluster.Result{} }

// failure returns, once, the first budget violation seen.
func (w *budgetWatch) failure(m *modelRun) *modelFailure {
	if w.bad == "" {
		return nil
	}
	f := m.fail("budget", "%s", w.bad)
	f.at = w.at
	w.bad, w.on = "", false
	return f
}

func (w *budgetWatch) Watch(v *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	for i := range w.skew {
		q.Add(cluster.Key{Ref: cluster.Ref{Kind: "Skew", Name: strconv.Itoa(i)}})
	}
	if !w.on || w.bad != "" || ch.Heartbeat || ch.Kind() != cluster.KindPod {
		return
	}
	recs := w.c.LogSince(w.c.LastSeq() - 1)
	if len(recs) != 1 || recs[0].Actor != daemonset.ControllerName {
		return
	}
	var pod *cluster.Pod
	deleting := false
	switch {
	case ch.Old == nil && ch.New != nil:
		pod = ch.New.(*cluster.Pod)
	case ch.Old != nil && !ch.Old.Meta().Terminating() && (ch.New == nil || ch.New.Meta().Terminating()):
		pod, deleting = ch.Old.(*cluster.Pod), true
	default:
		return
	}
	ref := pod.ControllerRef()
	if ref == nil || ref.Kind != string(daemonset.KindDaemonSet) {
		return
	}
	o, ok := v.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: pod.Namespace, Name: ref.Name})
	if !ok || o.Meta().UID != ref.UID {
		return
	}
	ds := o.(*daemonset.DaemonSet)
	if ds.Spec.UpdateStrategy.Type != daemonset.RollingUpdateStrategy || ds.Spec.Selector == nil {
		return
	}
	sel, err := ds.Spec.Selector.AsSelector()
	if err != nil {
		return
	}
	hash, _, _ := currentRevision(v, ds)
	gen, hasGen := daemonset.TemplateGeneration(ds)
	elig := daemonset.NewEligibility(ds, v.Profile())
	now := v.Now()
	available := func(p *cluster.Pod) bool { return p.IsAvailable(ds.Spec.MinReadySeconds, now) }
	updated := func(p *cluster.Pod) bool { return daemonset.IsPodUpdated(p, hash, gen, hasGen) }
	live := func(p *cluster.Pod) bool { return !p.Terminating() && !p.IsTerminal() }
	desired := 0
	for n := range v.Nodes() {
		if run, _ := elig.ShouldRun(n); run {
			desired++
		}
	}
	maxSurge, maxUnavailable, err := daemonset.RolloutBudget(ds, desired)
	if err != nil {
		return
	}
	byNode := dsoracle.Pods(w.c, ds, sel)
	nodeName := cluster.TargetNodeName(pod)
	node, nodeExists := v.Node(nodeName)
	var shouldRun, shouldCont bool
	if nodeExists {
		shouldRun, shouldCont = elig.ShouldRun(node)
	}
	others := 0 // live pods of ds on the node besides pod
	for _, p := range byNode[nodeName] {
		if p.UID != pod.UID && live(p) {
			others++
		}
	}
	// Nodes holding pods of ds, with and without an available live one.
	var withoutAvailable, withAvailable int
	for _, pods := range byNode {
		ok := false
		for _, p := range pods {
			if live(p) && available(p) {
				ok = true
			}
		}
		if ok {
			withAvailable++
		} else if slices.ContainsFunc(pods, func(p *cluster.Pod) bool { return !(p.IsTerminal() && p.Terminating()) }) {
			withoutAvailable++
		}
	}
	switch {
	case deleting && maxSurge == 0:
		if updated(pod) || !available(pod) || !nodeExists || !shouldCont || others > 0 {
			return
		}
		w.checked++
		if withoutAvailable > maxUnavailable {
			w.fail(v, "deleting available pod %s on %s left %d nodes without an available pod of DaemonSet %s, maxUnavailable is %d",
				pod.Name, nodeName, withoutAvailable, ds.Name, maxUnavailable)
		}
	case deleting:
		if updated(pod) || !available(pod) || !nodeExists || others > 0 {
			return
		}
		w.checked++
		if shouldRun {
			w.fail(v, "a surging rolling update deleted %s, the only available pod of DaemonSet %s on %s", pod.Name, ds.Name, nodeName)
		} else if shouldCont && withAvailable < desired {
			w.fail(v, "deleting available pod %s on %s left %d nodes with an available pod of DaemonSet %s, %d desired",
				pod.Name, nodeName, withAvailable, ds.Name, desired)
		}
	case maxSurge > 0:
		if !updated(pod) {
			return
		}
		oldAvailable := slices.ContainsFunc(byNode[nodeName], func(p *cluster.Pod) bool {
			return p.UID != pod.UID && live(p) && !updated(p) && available(p)
		})
		if !oldAvailable {
			return
		}
		w.checked++
		doubled := 0
		for _, pods := range byNode {
			var oldAvail, newUnavail bool
			for _, p := range pods {
				if !live(p) {
					continue
				}
				if updated(p) {
					newUnavail = newUnavail || !available(p)
				} else {
					oldAvail = oldAvail || available(p)
				}
			}
			if oldAvail && newUnavail {
				doubled++
			}
		}
		if doubled > maxSurge {
			w.fail(v, "creating %s on %s made %d nodes hold an available old and an unavailable new pod of DaemonSet %s, maxSurge is %d",
				pod.Name, nodeName, doubled, ds.Name, maxSurge)
		}
	}
}

func (w *budgetWatch) fail(v *cluster.View, format string, args ...any) {
	w.bad, w.at = fmt.Sprintf(format, args...), v.Elapsed()
}

// abstractState renders what a run settled into, with generated names,
// UIDs and resource versions left out, so that runs under different tie
// orders (and so different seeds) compare: nodes as show nodes prints
// them; DaemonSets with generation and status; revisions by name (a
// template hash); pods as a sorted multiset of owner, node, image,
// labels, phase and readiness (with their name only when not generated).
func abstractState(c *cluster.Cluster) string {
	var b strings.Builder
	fmt.Fprintf(&b, "at %v\n", c.Elapsed())
	b.WriteString(ShowNodes(c))
	for o := range c.List(daemonset.KindDaemonSet, "") {
		ds := o.(*daemonset.DaemonSet)
		fmt.Fprintf(&b, "DaemonSet/%s generation=%d observed=%d deleting=%v finalizers=%v %s\n", ds.Name, ds.Generation,
			ds.Status.ObservedGeneration, ds.DeletionTimestamp != nil, ds.Finalizers, daemonset.DescribeStatus(&ds.Status))
	}
	// Which old revisions survive revisionHistoryLimit depends on which
	// pods still used them when the controller cleaned up (terminating
	// pods count), so only their number is compared.
	old := map[string]int{}
	for o := range c.List(daemonset.KindControllerRevision, "") {
		r := o.(*daemonset.ControllerRevision)
		owner := ownerOf(&r.ObjectMeta)
		if ds, ok := c.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: r.Namespace, Name: strings.TrimPrefix(owner, "DaemonSet/")}); ok &&
			owner != "none" && string(r.Data) == string(daemonset.TemplatePatch(ds.(*daemonset.DaemonSet))) {
			fmt.Fprintf(&b, "ControllerRevision/%s current owner=%s\n", r.Name, owner)
			continue
		}
		old[owner]++
	}
	for _, owner := range slices.Sorted(maps.Keys(old)) {
		fmt.Fprintf(&b, "%d old ControllerRevisions owner=%s\n", old[owner], owner)
	}
	var pods []string
	failed := map[string]bool{}
	for o := range c.List(cluster.KindPod, "") {
		p := o.(*cluster.Pod)
		name := "*"
		if p.GenerateName == "" {
			name = p.Name
		}
		var labels []string
		for _, k := range slices.Sorted(maps.Keys(p.Labels)) {
			labels = append(labels, k+"="+p.Labels[k])
		}
		var images []string
		for _, ctr := range p.Spec.Containers {
			images = append(images, ctr.Image)
		}
		status := cluster.DescribePodStatus(p)
		if p.Terminating() {
			// Whether the kubelet started a pod before it was deleted in
			// the same instant is a race that tie order decides.
			status = "terminating"
		}
		line := fmt.Sprintf("Pod/%s owner=%s node=%s image=%s labels=%s %s", name, ownerOf(&p.ObjectMeta),
			cluster.TargetNodeName(p), strings.Join(images, ","), strings.Join(labels, ","), status)
		if p.Status.Phase == cluster.PodFailed && !p.Terminating() && name == "*" {
			// How many failed pods a crash loop leaves behind during its
			// backoff depends on how often the controller synced, which
			// tie order may change (a surging DaemonSet replaces a failed
			// pod at each sync, as upstream does): count them as present.
			if failed[line] {
				continue
			}
			failed[line] = true
			line += " (one or more)"
		}
		pods = append(pods, line)
	}
	slices.Sort(pods)
	for _, p := range pods {
		b.WriteString(p + "\n")
	}
	return b.String()
}

// withTail returns ops followed by the operations that end every
// sequence whose end states are compared, so that races a real cluster
// has too (a crash loop leaves as many failed pods as the controller
// synced; a pod bound just before its node became unreachable waits
// there, terminating) cannot leave traces: each DaemonSet that exists is
// applied again with a good build, every node reconnects, every pod is
// reported ready, and the clock moves long enough for grace periods, pod
// GC and tolerationSeconds to run out and for the failed pods a crash
// loop left on a node to be deleted, one per failed-pod backoff period
// (at most 15 minutes each).
func withTail(ops []*modelOp) []*modelOp {
	last := map[string]*modelOp{}
	var names []string
	for _, op := range ops {
		for _, name := range []string{op.apply, op.delete} {
			if name != "" {
				if _, seen := last[name]; !seen {
					names = append(names, name)
				}
				last[name] = op
			}
		}
	}
	slices.Sort(names)
	out := slices.Clip(ops)
	for _, name := range names {
		if op := last[name]; op.apply != "" {
			text := regexp.MustCompile(`build: b\d`).ReplaceAllString(op.text, "build: good")
			// OnDelete would keep whatever mix of revisions the races
			// left; the tail rolls every DaemonSet to the good build.
			text = strings.ReplaceAll(text, "      updateStrategy: {type: OnDelete}\n", "")
			out = append(out, newModelOp(text))
		}
	}
	var reconnect strings.Builder
	for n := range modelNodeCount {
		fmt.Fprintf(&reconnect, "- reconnect: node-%d\n", n)
	}
	return append(out, newModelOp(reconnect.String()+"- podStatus: {selector: \"\", ready: true}\n"+settleStep+"- advance: 2h\n"))
}

// runModelStates is runModel that also records the abstract state after
// each operation.
func runModelStates(ops []*modelOp, cfg modelConfig, states *[]string) (*modelRun, *modelFailure) {
	cfg.states = states
	return runModel(ops, cfg)
}

// logText renders a run's whole log, one record a line.
func logText(c *cluster.Cluster) []string {
	recs := c.Log()
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.String()
	}
	return out
}

// tieConfigs are the configurations whose settled states must agree for
// a seed: shuffle mode under three tie orders, and first-in first-out.
// They share the seed, so that generated names (which decide among pods
// created in the same instant, as upstream's sorts do) stay the same.
func tieConfigs(seed uint64) []modelConfig {
	return []modelConfig{{seed: seed, shuffle: true}, {seed: seed}, {seed: seed, shuffle: true, skew: 1}, {seed: seed, shuffle: true, skew: 3}}
}

// TestModel runs the model-based random tests: for each seed, the
// invariants under shuffle mode, identical logs for identical seeds, and
// settled states that do not depend on tie order.
func TestModel(t *testing.T) {
	// The DaemonSet controller checks its summary shortcut too (the
	// subtests run one after the other).
	verify.DaemonSetSummaries = true
	defer func() { verify.DaemonSetSummaries = false }()
	first, seeds, n := modelBudget()
	budgetChecks, orphans := 0, 0
	defer func() {
		t.Logf("%d seeds of %d operations: %d rolling-update deletions and creations checked against their budgets, %d orphaned pods followed",
			seeds, n, budgetChecks, orphans)
		if !t.Failed() && seeds >= 10 && (budgetChecks == 0 || orphans == 0) {
			t.Errorf("the budget and orphan checks saw nothing to check: the generator no longer exercises them")
		}
	}()
	for seed := first; seed < first+uint64(seeds); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			ops := genOps(seed, n)
			cfgs := tieConfigs(seed)

			// Invariants, in shuffle mode.
			a, f := runModel(withTail(ops), cfgs[0])
			if f != nil {
				reportModelFailure(t, seed, withTail(ops), cfgs[0], f)
				return
			}
			budgetChecks += a.watch.checked
			orphans += a.orphans

			// The same seed gives the same log.
			b, _ := runModel(withTail(ops), cfgs[0])
			if diff := cmp.Diff(logText(a.env.Cluster), logText(b.env.Cluster)); diff != "" {
				t.Fatalf("seed %d: two runs under %v logged differently (-first +second):\n%s", seed, cfgs[0], truncate(diff, 4000))
			}
			if len(logText(a.env.Cluster)) == 0 {
				t.Fatalf("seed %d: the run logged nothing", seed)
			}

			// The settled end state does not depend on tie order (on a
			// sequence without races whose outcome sticks; the invariants
			// hold under every tie order).
			cops := withTail(genConfluentOps(seed, n))
			states := make([][]string, len(cfgs))
			for i, cfg := range cfgs {
				if _, f := runModelStates(cops, cfg, &states[i]); f != nil {
					reportModelFailure(t, seed, cops, cfg, f)
					return
				}
			}
			ops = cops[:n]
			for i := 1; i < len(cfgs); i++ {
				if states[0][len(states[0])-1] != states[i][len(states[i])-1] {
					reportTieOrder(t, seed, ops, cfgs[0], cfgs[i])
					return
				}
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n… (truncated)"
}

// shrinkBudget bounds the time spent shrinking one failure.
const shrinkBudget = 60 * time.Second

// shrinkOps deletes operations from ops while fails holds, in chunks
// halving down to single operations (delta debugging), within
// shrinkBudget; the first operations (the opening nodes and DaemonSet)
// may go too.
func shrinkOps(ops []*modelOp, fails func([]*modelOp) bool) []*modelOp {
	deadline := time.Now().Add(shrinkBudget)
	for chunk := max(len(ops)/2, 1); ; chunk /= 2 {
		changed := true
		for changed && time.Now().Before(deadline) {
			changed = false
			for i := 0; i+chunk <= len(ops) && time.Now().Before(deadline); {
				cand := append(slices.Clip(ops[:i]), ops[i+chunk:]...)
				if len(cand) > 0 && fails(cand) {
					ops, changed = cand, true
					continue
				}
				i += chunk
			}
		}
		if chunk == 1 || time.Now().After(deadline) {
			return ops
		}
	}
}

// reportModelFailure shrinks a sequence that broke a promise under cfg
// and fails t with the reproduction as a scenario file.
func reportModelFailure(t *testing.T, seed uint64, ops []*modelOp, cfg modelConfig, f *modelFailure) {
	t.Helper()
	ops = ops[:f.op+1]
	small := shrinkOps(ops, func(cand []*modelOp) bool {
		_, g := runModel(cand, cfg)
		return g != nil && g.kind == f.kind
	})
	m, g := runModel(small, cfg)
	if g == nil || g.kind != f.kind {
		small = ops
		m, g = runModel(small, cfg)
	}
	t.Errorf("seed %d under %v: %v\nshrunk from %d to %d operations; reproduction:\n\n%s", seed, cfg, f, len(ops), len(small),
		reproFile(small, cfg, m, g, fmt.Sprintf("broke a promise under %v: %v", cfg, g)))
}

// endStateDiff runs ops (and the tail) under a and b and returns the
// difference of their settled end states ("" when they agree or a run
// fails).
func endStateDiff(ops []*modelOp, a, b modelConfig) string {
	all := withTail(ops)
	var x, y []string
	if _, f := runModelStates(all, a, &x); f != nil {
		return ""
	}
	if _, f := runModelStates(all, b, &y); f != nil {
		return ""
	}
	return cmp.Diff(x[len(x)-1], y[len(y)-1])
}

// reportTieOrder shrinks a sequence whose settled end states differ
// between two tie orders and fails t with the difference and the
// reproduction.
func reportTieOrder(t *testing.T, seed uint64, ops []*modelOp, a, b modelConfig) {
	t.Helper()
	small := shrinkOps(ops, func(cand []*modelOp) bool { return endStateDiff(cand, a, b) != "" })
	diff := endStateDiff(small, a, b)
	m, _ := runModel(withTail(small), a)
	t.Errorf("seed %d: settled end states differ between %v and %v (-first +second), shrunk to %d operations:\n%s\nreproduction (under %v):\n\n%s",
		seed, a, b, len(small), truncate(diff, 6000), a,
		reproFile(withTail(small), a, m, nil, fmt.Sprintf("settles differently under %v and %v", a, b)))
}

// reproFile renders ops as a scenario file: a header saying how to run
// it, the cluster's seed, and the steps, with expect.error on the steps
// that failed in run m and, at the failing step, the expectation a
// correct simulator meets (when one can be written) or a comment.
func reproFile(ops []*modelOp, cfg modelConfig, m *modelRun, f *modelFailure, what string) string {
	var b strings.Builder
	b.WriteString("# Found by TestModel (scenario/model_test.go): this sequence " + what + ".\n")
	if cfg.shuffle {
		b.WriteString("# It ran in shuffle mode; run it with\n#   scenario.RunFile(path, scenario.Options{Configure: func(c *cluster.Config) { c.Shuffle = true }})\n")
	}
	b.WriteString("# Fill in output: blocks with -update after adding expect: blocks.\n")
	fmt.Fprintf(&b, "seed: %d\nlog: changes\nsteps:\n", cfg.seed)
	for i, op := range ops {
		lines := strings.SplitAfter(op.text, "\n")
		stepIdx := -1
		for _, line := range lines {
			if line == "" {
				continue
			}
			if strings.HasPrefix(line, "- ") {
				if stepIdx >= 0 {
					writeStepExtras(&b, i, stepIdx, m, f)
				}
				stepIdx++
			}
			b.WriteString(line)
		}
		writeStepExtras(&b, i, stepIdx, m, f)
	}
	return b.String()
}

func writeStepExtras(b *strings.Builder, op, step int, m *modelRun, f *modelFailure) {
	var errText, expect string
	if m != nil {
		if err := m.errs[[2]int{op, step}]; err != nil && expectedModelError(err) {
			errText = err.Error()
		}
	}
	if f != nil && f.op == op && f.step == step {
		fmt.Fprintf(b, "  # here (at %v): [%s] %s\n", f.at, f.kind, f.msg)
		expect = f.expect
	}
	if errText == "" && expect == "" {
		return
	}
	b.WriteString("  expect:\n")
	if errText != "" {
		b.WriteString("    error: " + strconv.Quote(errText) + "\n")
	}
	b.WriteString(expect)
}

// TestModelReproParses checks that the reproduction of a generated
// sequence is a scenario file that parses into the same steps, so that a
// printed failure can be pasted into testdata as it is.
func TestModelReproParses(t *testing.T) {
	ops := genOps(7, 30)
	m, f := runModel(ops, modelConfig{seed: 7, shuffle: true})
	text := reproFile(ops, modelConfig{seed: 7, shuffle: true}, m, f, "is a test")
	file, err := Parse("repro.yaml", []byte(text))
	if err != nil {
		t.Fatalf("reproduction does not parse: %v\n%s", err, text)
	}
	var want []string
	for _, op := range ops {
		for _, s := range op.steps {
			want = append(want, s.Verb)
		}
	}
	var got []string
	for _, s := range file.Steps {
		got = append(got, s.Verb)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reproduction steps mismatch (-want +got):\n%s", diff)
	}
	if file.Seed != 7 {
		t.Errorf("reproduction seed = %d, want 7", file.Seed)
	}
	// The file runs (in shuffle mode) without expectation failures; its
	// missing output: blocks are the only mismatches.
	res := runData("repro.yaml", []byte(text), Options{Update: true, Configure: func(c *cluster.Config) { c.Shuffle = true }})
	if f == nil && !res.Passed() {
		t.Errorf("reproduction of a passing sequence fails: %v", res.Failures)
	}
}

// TestModelShrink checks the shrinker on a synthetic failure: the
// sequence fails when it holds two marked operations, and shrinks to
// exactly those.
func TestModelShrink(t *testing.T) {
	ops := genOps(3, 40)
	a, b := ops[11], ops[29]
	small := shrinkOps(ops, func(cand []*modelOp) bool {
		return slices.Contains(cand, a) && slices.Contains(cand, b)
	})
	if len(small) != 2 || small[0] != a || small[1] != b {
		t.Errorf("shrinkOps kept %d operations, want the 2 marked ones", len(small))
	}
}

// TestModelChecksCanFail checks that the checks can fail: a status
// written behind the controller's back, a dependent whose owner is gone
// and an orphaned pod deleted by the garbage collector are caught.
func TestModelChecksCanFail(t *testing.T) {
	ops := genOps(1, 4) // three nodes and ds-0
	m, f := runModel(ops, modelConfig{seed: 1})
	if f != nil {
		t.Fatalf("healthy sequence failed: %v", f)
	}
	o, ok := m.env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: "ds-0"})
	if !ok {
		t.Fatal("ds-0 missing")
	}
	ds := cluster.DeepCopy(o).(*daemonset.DaemonSet)
	ds.Status.NumberReady += 5
	if err := m.env.Act("tamper", cluster.UpdateStatus{Object: ds}); err != nil {
		t.Fatal(err)
	}
	if f := m.checkDaemonSet(ds); f == nil || f.kind != "status" {
		t.Errorf("checkDaemonSet after tampering = %v, want a status failure", f)
	}
	// And a dangling dependent is caught.
	pod := &cluster.Pod{}
	pod.Name, pod.Namespace = "dangling", "default"
	pod.OwnerReferences = []cluster.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "gone", UID: "no-such-uid"}}
	pod.Spec.Containers = []cluster.Container{{Name: "main", Image: "x"}}
	if err := m.env.Load(pod); err != nil {
		t.Fatal(err)
	}
	if f := m.checkOwners(); f == nil || f.kind != "owner" {
		t.Errorf("checkOwners with a dangling pod = %v, want an owner failure", f)
	}
	if f := m.checkOrphans(); f != nil {
		t.Fatalf("checkOrphans before any orphan: %v", f)
	}
	m.trackOrphans("ds-0")
	if len(m.orphaned) == 0 {
		t.Fatal("ds-0 has no pods to track")
	}
	for name := range m.orphaned {
		if err := m.env.Act(cluster.GarbageCollectorName, cluster.Delete{Object: cluster.Ref{Kind: cluster.KindPod, Namespace: "default", Name: name}}); err != nil {
			t.Fatal(err)
		}
		break
	}
	if f := m.checkOrphans(); f == nil || f.kind != "orphan" {
		t.Errorf("checkOrphans after the garbage collector deleted an orphan = %v, want an orphan failure", f)
	}
}

// jsonSnapshot renders every stored object as JSON, sorted by kind,
// namespace and name: a deep copy of the state that in-place changes
// cannot fool.
func jsonSnapshot(c *cluster.Cluster) []string {
	var out []string
	for _, k := range []cluster.Kind{cluster.KindNamespace, cluster.KindNode, cluster.KindPod, daemonset.KindDaemonSet,
		daemonset.KindControllerRevision, cluster.KindService, cluster.KindEndpoints} {
		for o := range c.List(k, "") {
			data, err := json.Marshal(o)
			if err != nil {
				panic(err)
			}
			out = append(out, cluster.RefOf(o).String()+" "+string(data))
		}
	}
	return out
}

// modelFindings are the simulator bugs the model-based tests found, each
// shrunk to a scenario file whose expect: blocks say what upstream does.
// Those whose skip is empty fail until the bug is fixed; the others are
// skipped with the reason, for the lead to unskip with the fix.
var modelFindings = []struct {
	name string
	skip string
	file string
}{
	{
		// A pod bound to a node that does not exist yet is deleted (grace
		// 5s) before the kubelet stand-in saw it: the deletion's wake-up
		// (AddAfter 5s) merges into the pod's queued start key (due now),
		// which finds no node and drops the pod; when the node registers
		// nothing enqueues its pods, so the pod stays terminating forever
		// (and a DaemonSet never gets its pod onto the node). Upstream's
		// kubelet syncs every pod bound to it when it registers.
		name: "terminating-pod-stuck-forever",
		file: `log: changes
steps:
- apply:
    apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec: {nodeName: node-1, terminationGracePeriodSeconds: 5, containers: [{name: main, image: "web:1"}]}
- delete: Pod/web
- settle:
- apply: {apiVersion: v1, kind: Node, metadata: {name: node-1}}
- settle:
- advance: 1h
  expect:
    absent: [Pod/web]
`,
	},
	{
		// The same root cause: a pod bound to a node before the node
		// registers is never started.
		name: "pod-bound-before-node-never-starts",
		file: `log: changes
steps:
- apply:
    apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec: {nodeName: node-1, containers: [{name: main, image: "web:1"}]}
- settle:
- apply: {apiVersion: v1, kind: Node, metadata: {name: node-1}}
- settle:
- advance: 1m
  expect:
    objects:
      Pod/web: {status: {phase: Running}}
`,
	},
	{
		// When the last pod of an old revision finishes terminating, the
		// DaemonSet controller does not sync, so the revision outlives
		// revisionHistoryLimit until something else triggers a sync;
		// upstream's deletePod handler enqueues the DaemonSet, whose
		// cleanupHistory deletes it.
		name: "history-not-cleaned-when-last-pod-goes",
		file: `log: changes
steps:
- apply: {apiVersion: v1, kind: Node, metadata: {name: node-a}}
- apply:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      revisionHistoryLimit: 1
      updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
      template:
        metadata: {labels: {app: agent}}
        spec: {terminationGracePeriodSeconds: 30, containers: [{name: main, image: "agent:1"}]}
- settle:
- apply:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      revisionHistoryLimit: 1
      updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
      template:
        metadata: {labels: {app: agent}}
        spec: {terminationGracePeriodSeconds: 10, containers: [{name: main, image: "agent:2"}]}
- settle:
- apply:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      revisionHistoryLimit: 1
      updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
      template:
        metadata: {labels: {app: agent}}
        spec: {terminationGracePeriodSeconds: 10, containers: [{name: main, image: "agent:3"}]}
- settle:
- advance: 15s
  expect:
    absent: [ControllerRevision/agent-565cb86b65]
`,
	},
	{
		// Pod.IsAvailable (upstream's IsPodAvailable) makes a pod available
		// just after readyTime+minReadySeconds, but the controller counts
		// it from the next whole second; a sync in between (here a retry
		// at 5.11s of a sync that fails, as upstream's surging rolling
		// update does while an old pod sits on a missing node) writes a
		// stale numberAvailable.
		name: "available-counted-a-second-late",
		file: `log: changes
steps:
- apply:
  - {apiVersion: v1, kind: Node, metadata: {name: node-a}}
  - apiVersion: v1
    kind: Pod
    metadata: {name: stray, labels: {app: agent}}
    spec: {nodeName: node-gone, containers: [{name: main, image: "agent:0"}]}
- apply:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      minReadySeconds: 5
      updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: main, image: "agent:1"}]}
- settle:
- advance: 5200ms
  expect:
    objects:
      DaemonSet/agent: {status: {numberReady: 1, numberAvailable: 1}}
`,
	},
	{
		// A surging DaemonSet whose pods fail keeps creating pods while the
		// failed ones wait out their backoff, as upstream does. When the
		// kubelet stand-in reports them Running again while an older,
		// adopted, out-of-date pod is terminating on the node, the
		// controller keeps two live new pods there until the failed-pod
		// backoff requeue (1s later); upstream's manage, run on the pod
		// updates, keeps only the oldest new pod at once. No real kubelet
		// revives a Failed pod, so the generator does not; the orphan
		// stays Pending because of pod-bound-before-node-never-starts.
		name: "revived-failed-pods-not-pruned",
		skip: "known bug: excess pods revived from Failed stay until the failed-pod backoff requeue when an old pod is terminating on the node",
		file: `log: changes
steps:
- apply:
    apiVersion: v1
    kind: Pod
    metadata: {name: orphan, labels: {app: ds-1}}
    spec: {nodeName: node-1, terminationGracePeriodSeconds: 10, containers: [{name: main, image: "orphan:1"}]}
- settle:
- apply: {apiVersion: v1, kind: Node, metadata: {name: node-1}}
- settle:
- advance: 5s
- apply:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: ds-1}
    spec:
      selector: {matchLabels: {app: ds-1}}
      updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
      template:
        metadata: {labels: {app: ds-1}}
        spec:
          terminationGracePeriodSeconds: 0
          containers: [{name: main, image: "img:0"}]
- settle:
- podStatus: {selector: app=ds-1, phase: Failed}
- settle:
- podStatus: {selector: app=ds-1, phase: Running, ready: true}
- settle:
  expect:
    pods: {selector: app=ds-1, nodes: [node-1]}
`,
	},
}

// TestModelFindings runs the reproductions of the bugs the model found
// (see modelFindings); output: blocks are not checked.
func TestModelFindings(t *testing.T) {
	for _, tc := range modelFindings {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			res := runData(tc.name+".yaml", []byte(tc.file), Options{Update: true})
			if res.File == nil {
				t.Fatalf("reproduction does not parse: %v", res.Failures)
			}
			for _, f := range res.Failures {
				t.Error(f)
			}
		})
	}
}

// TestBudgetWatchCatchesOverrun checks that the budget watcher can fail:
// deleting, as the DaemonSet controller, two available out-of-date pods
// of a DaemonSet whose maxUnavailable is 1 is caught at the second.
func TestBudgetWatchCatchesOverrun(t *testing.T) {
	ops := []*modelOp{
		newModelOp("- apply: [{apiVersion: v1, kind: Node, metadata: {name: node-0}}, {apiVersion: v1, kind: Node, metadata: {name: node-1}}, {apiVersion: v1, kind: Node, metadata: {name: node-2}}]\n" + settleStep),
		newModelOp("- apply:\n    apiVersion: apps/v1\n    kind: DaemonSet\n    metadata: {name: ds-0}\n    spec:\n      selector: {matchLabels: {app: ds-0}}\n" +
			"      updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}\n" +
			"      template:\n        metadata: {labels: {app: ds-0}}\n        spec: {containers: [{name: main, image: \"img:0\"}]}\n" + settleStep),
	}
	m, f := runModel(ops, modelConfig{seed: 1})
	if f != nil {
		t.Fatal(f)
	}
	// A new template makes every pod out of date; no settle, so the
	// controller has not acted on it.
	o, _ := m.env.Get(cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: "default", Name: "ds-0"})
	ds := cluster.DeepCopy(o).(*daemonset.DaemonSet)
	ds.Spec.Template.Spec.Containers[0].Image = "img:1"
	ds.ResourceVersion = ""
	if _, err := m.env.Update(ds); err != nil {
		t.Fatal(err)
	}
	var pods []cluster.Ref
	for o := range m.env.List(cluster.KindPod, "default") {
		pods = append(pods, cluster.RefOf(o))
	}
	if len(pods) != 3 {
		t.Fatalf("%d pods, want 3", len(pods))
	}
	for i, p := range pods[:2] {
		if err := m.env.Act(daemonset.ControllerName, cluster.Delete{Object: p}); err != nil {
			t.Fatal(err)
		}
		got := m.watch.failure(m)
		if (got != nil) != (i == 1) {
			t.Fatalf("after deleting %d pods: budget failure %v, want one only after the second", i+1, got)
		}
	}
}
