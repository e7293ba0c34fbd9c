package daemonset_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/internal/conformance"
)

// convergeCase is one case of converge.json (conformance README §9).
type convergeCase struct {
	Features       []string               `json:"features"`
	Nodes          []*cluster.Node        `json:"nodes"`
	DaemonSets     []*daemonset.DaemonSet `json:"daemonSets"`
	RevisionHashes map[string]string      `json:"revisionHashes"`
	Pods           []*cluster.Pod         `json:"pods"`
	Converged      bool                   `json:"converged"`
	Results        []convergeResult       `json:"results"`
	FinalPods      []json.RawMessage      `json:"finalPods"`
}

type convergeResult struct {
	Name                  string           `json:"name"`
	NodesWithOnePod       []string         `json:"nodesWithOnePod"`
	OwnedPodsPerNode      map[string]int   `json:"ownedPodsPerNode"`
	CreatedPerNode        map[string]int   `json:"createdPerNode"`
	DeletedCreatedPerNode map[string]int   `json:"deletedCreatedPerNode"`
	Deleted               []string         `json:"deleted"`
	Adopted               []string         `json:"adopted"`
	Released              []string         `json:"released"`
	SyncError             string           `json:"syncError"`
	Status                map[string]int32 `json:"status"`
	FirstSyncEvents       []string         `json:"firstSyncEvents"`
	Events                []convergeEvent  `json:"events"`
}

type convergeEvent struct {
	Type   string `json:"type"`
	Reason string `json:"reason"`
	Node   string `json:"node"`
	Pod    string `json:"pod,omitempty"`
}

// convergeStart is the instant the upstream harness ran at.
var convergeStart = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// harness plays the parts of upstream's conformance rig that are not the
// DaemonSet controller: pods the controller creates are bound to their
// target node and made Running and Ready at once, and pods it deletes go
// at once. Pods that existed before the run are never touched.
type harness struct {
	preexisting map[string]bool
}

func (h *harness) Name() string { return "harness" }

func (h *harness) Watch(_ *cluster.View, ch cluster.Change, q cluster.Enqueuer) {
	if ch.Kind() != cluster.KindPod || ch.New == nil {
		return
	}
	p := ch.New.(*cluster.Pod)
	if p.Terminating() && ch.Old != nil && !ch.Old.Meta().Terminating() {
		q.Add(cluster.Key{Ref: cluster.RefOf(p), Sub: "delete"})
		return
	}
	if h.preexisting[p.Namespace+"/"+p.Name] {
		return
	}
	q.Add(cluster.Key{Ref: cluster.RefOf(p)})
}

func (h *harness) Reconcile(v *cluster.View, k cluster.Key) cluster.Result {
	o, ok := v.Get(k.Ref)
	if !ok {
		return cluster.Result{}
	}
	p := o.(*cluster.Pod)
	if k.Sub == "delete" {
		return cluster.Result{Actions: []cluster.Action{cluster.Delete{Object: k.Ref, GracePeriod: cluster.Int64(0), IgnoreNotFound: true}}}
	}
	if p.Terminating() {
		return cluster.Result{}
	}
	var acts []cluster.Action
	if p.Spec.NodeName == "" {
		if t := cluster.TargetNodeName(p); t != "" {
			acts = append(acts, cluster.Bind{Pod: k.Ref, Node: t})
		}
	}
	if !p.IsReady() {
		np := p.Clone().(*cluster.Pod)
		if np.Spec.NodeName == "" {
			np.Spec.NodeName = cluster.TargetNodeName(p)
		}
		now := v.Now()
		np.Status.Phase = cluster.PodRunning
		for _, t := range []cluster.PodConditionType{cluster.PodScheduled, cluster.PodInitialized, cluster.ContainersReady, cluster.PodReady} {
			np.Status.Conditions = cluster.SetPodCondition(np.Status.Conditions, cluster.PodCondition{Type: t, Status: cluster.ConditionTrue, LastTransitionTime: now})
		}
		np.ResourceVersion = ""
		acts = append(acts, cluster.UpdateStatus{Object: np, Detail: "phase=Running ready=true"})
	}
	return cluster.Result{Actions: acts}
}

// runConverge loads a case and runs the controller until it is quiet.
func runConverge(t *testing.T, tc *convergeCase) (*cluster.Cluster, *daemonset.Controller) {
	t.Helper()
	c, err := cluster.New(cluster.Config{Start: convergeStart, MaxSettleSteps: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	daemonset.Register(c)
	h := &harness{preexisting: map[string]bool{}}
	var objs []cluster.Object
	for _, n := range tc.Nodes {
		objs = append(objs, n)
	}
	for _, p := range tc.Pods {
		ns := p.Namespace
		if ns == "" {
			ns = "default"
		}
		h.preexisting[ns+"/"+p.Name] = true
		objs = append(objs, p)
	}
	for _, ds := range tc.DaemonSets {
		objs = append(objs, daemonset.NewRevision(ds, tc.RevisionHashes[ds.Name], 1))
	}
	for _, ds := range tc.DaemonSets {
		objs = append(objs, ds)
	}
	if err := c.Load(objs...); err != nil {
		t.Fatalf("Load: %v", err)
	}
	ctrl := daemonset.NewController()
	if err := c.Register(ctrl, h); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	// Failed-pod backoff and minReadySeconds need the clock to move.
	if err := c.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	return c, ctrl
}

// podNodes maps every pod name the run saw to its target node.
func podNodes(c *cluster.Cluster, tc *convergeCase) map[string]string {
	nodes := map[string]string{}
	for _, p := range tc.Pods {
		nodes[p.Name] = cluster.TargetNodeName(p)
	}
	for _, r := range c.Log() {
		if r.Verb == cluster.VerbCreate && r.Object.Kind == cluster.KindPod {
			if n, ok := strings.CutPrefix(r.Detail, "for="); ok {
				nodes[r.Object.Name] = n
			} else if n, ok := strings.CutPrefix(r.Detail, "node="); ok {
				nodes[r.Object.Name] = n
			}
		}
	}
	return nodes
}

func outcome(t *testing.T, c *cluster.Cluster, ctrl *daemonset.Controller, tc *convergeCase, ds *daemonset.DaemonSet) convergeResult {
	t.Helper()
	pre := map[string]bool{}
	for _, p := range tc.Pods {
		pre[p.Name] = true
	}
	nodes := podNodes(c, tc)
	got := convergeResult{Name: ds.Name, OwnedPodsPerNode: map[string]int{}, CreatedPerNode: map[string]int{}, DeletedCreatedPerNode: map[string]int{}}
	for o := range c.List(cluster.KindPod, "") {
		p := o.(*cluster.Pod)
		ref := p.ControllerRef()
		if ref == nil || ref.Kind != "DaemonSet" || ref.Name != ds.Name || ref.UID != ds.UID || p.Namespace != ds.Namespace {
			continue
		}
		if n := cluster.TargetNodeName(p); n != "" {
			got.OwnedPodsPerNode[n]++
		}
	}
	for n, k := range got.OwnedPodsPerNode {
		if k == 1 {
			got.NodesWithOnePod = append(got.NodesWithOnePod, n)
		}
	}
	sort.Strings(got.NodesWithOnePod)
	dsRef := cluster.Ref{Kind: daemonset.KindDaemonSet, Namespace: ds.Namespace, Name: ds.Name}
	adopted, released, deleted := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range c.Log() {
		if r.Actor != daemonset.ControllerName {
			continue
		}
		if r.Verb == cluster.VerbUpdate && r.Object.Kind == cluster.KindPod && pre[r.Object.Name] {
			if strings.Contains(r.Detail, "owner +DaemonSet/"+ds.Name) {
				adopted[r.Object.Name] = true
			}
			if strings.Contains(r.Detail, "owner -DaemonSet/"+ds.Name) {
				released[r.Object.Name] = true
			}
		}
		if r.Verb != cluster.VerbEvent || r.Object != dsRef {
			continue
		}
		ev := convergeEvent{Type: r.Type, Reason: r.Reason}
		var pod string
		switch r.Reason {
		case "SuccessfulCreate":
			pod = strings.TrimPrefix(r.Message, "Created pod: ")
			got.CreatedPerNode[nodes[pod]]++
		case "SuccessfulDelete":
			pod = strings.TrimPrefix(r.Message, "Deleted pod: ")
			if pre[pod] {
				deleted[pod] = true
			} else {
				got.DeletedCreatedPerNode[nodes[pod]]++
			}
		case "FailedDaemonPod", "SucceededDaemonPod":
			var ns, node string
			fmt.Sscanf(strings.NewReplacer("/", " ").Replace(r.Message[strings.Index(r.Message, "pod ")+4:]), "%s %s on node %s", &ns, &pod, &node)
			ev.Node = strings.TrimSuffix(node, ",")
		}
		if pod != "" && ev.Node == "" {
			ev.Node = nodes[pod]
		}
		if pre[pod] {
			ev.Pod = pod
		}
		got.Events = append(got.Events, ev)
	}
	got.Adopted = slices.Sorted(maps.Keys(adopted))
	got.Released = slices.Sorted(maps.Keys(released))
	got.Deleted = slices.Sorted(maps.Keys(deleted))
	// The run is quiet, so the last sync's error is what a sync returns now.
	if err := ctrl.Reconcile(c.View(), cluster.Key{Ref: dsRef}).Err; err != nil {
		got.SyncError = err.Error()
	}
	o, ok := c.Get(dsRef)
	if !ok {
		t.Fatalf("DaemonSet %s is gone", ds.Name)
	}
	s := o.(*daemonset.DaemonSet).Status
	got.Status = map[string]int32{
		"desiredNumberScheduled": s.DesiredNumberScheduled, "currentNumberScheduled": s.CurrentNumberScheduled,
		"numberMisscheduled": s.NumberMisscheduled, "numberReady": s.NumberReady, "updatedNumberScheduled": s.UpdatedNumberScheduled,
		"numberAvailable": s.NumberAvailable, "numberUnavailable": s.NumberUnavailable,
	}
	return got
}

// sortEvents sorts events as the vectors do. SelectingAll is emitted once
// per sync of the DaemonSet, and upstream's rig syncs every DaemonSet in
// every round, so its count is the rig's number of rounds: it is kept
// once, and only its presence is compared.
func sortEvents(evs []convergeEvent) []convergeEvent {
	var out []convergeEvent
	selectingAll := false
	for _, e := range evs {
		if e.Reason == daemonset.ReasonSelectingAll {
			if selectingAll {
				continue
			}
			selectingAll = true
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b convergeEvent) int {
		return strings.Compare(a.Reason+"\x00"+a.Node+"\x00"+a.Pod+"\x00"+a.Type, b.Reason+"\x00"+b.Node+"\x00"+b.Pod+"\x00"+b.Type)
	})
	return out
}

func nonEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nonEmptyMap(m map[string]int) map[string]int {
	if len(m) == 0 {
		return nil
	}
	return m
}

// TestConformanceConverge loads every case of converge.json into a
// cluster with the DaemonSet controller and upstream's harness, runs it
// until quiet, and compares the outcome with the real controller's.
func TestConformanceConverge(t *testing.T) {
	cases := conformance.Load[convergeCase](t, "converge.json")
	checked := 0
	for i, tc := range cases {
		t.Run(fmt.Sprintf("case%03d", i), func(t *testing.T) {
			c, ctrl := runConverge(t, &tc)
			for j, want := range tc.Results {
				got := outcome(t, c, ctrl, &tc, tc.DaemonSets[j])
				type cmpable struct {
					NodesWithOnePod  []string
					OwnedPodsPerNode map[string]int
					CreatedPerNode   map[string]int
					Deleted          []string
					Adopted          []string
					Released         []string
					Status           map[string]int32
					Events           []convergeEvent
					SyncError        string
				}
				w := cmpable{nonEmpty(want.NodesWithOnePod), nonEmptyMap(want.OwnedPodsPerNode), nonEmptyMap(want.CreatedPerNode),
					nonEmpty(want.Deleted), nonEmpty(want.Adopted), nonEmpty(want.Released), want.Status, nonEmpty(sortEvents(want.Events)),
					want.SyncError}
				g := cmpable{nonEmpty(got.NodesWithOnePod), nonEmptyMap(got.OwnedPodsPerNode), nonEmptyMap(got.CreatedPerNode),
					nonEmpty(got.Deleted), nonEmpty(got.Adopted), nonEmpty(got.Released), got.Status, nonEmpty(sortEvents(got.Events)),
					maskQuoted(got.SyncError)}
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("case %d (%v) DaemonSet %s mismatch (-want +got):\n%s", i, tc.Features, want.Name, diff)
				}
			}
			checked++
		})
	}
	t.Logf("checked %d converge cases", checked)
}

// maskQuoted replaces every double-quoted string by "*", as the vectors
// record sync errors.
func maskQuoted(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '"' && !in:
			in = true
			b.WriteString(`"*"`)
		case r == '"' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
