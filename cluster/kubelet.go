package cluster

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Kubelet is the kubelet stand-in: one controller that acts as the kubelet
// of every node, logged as "kubelet/<node>". It registers under the name
// "kubelet". Create it with [NewKubelet]; its state (standing status
// reports, static pods) is copied by [Kubelet.Fork].
//
// What it does, for each node whose kubelet is connected (see
// [Cluster.Disconnect]; a disconnected node's kubelet does nothing until
// it reconnects, then catches up):
//
//  1. A pod bound to the node that is Pending and not terminating becomes
//     Running after Config.PodStartup (counted from its PodScheduled
//     transition, or its creation when it has none): conditions
//     PodReadyToStartContainers (modern profile), Initialized, Ready,
//     ContainersReady (modern profile) True and PodScheduled kept, as the
//     kubelet orders them; hostIP (the node's InternalIP, or an address
//     derived from the node name, 10.0–63.x.y); podIP (derived from the
//     pod UID, in the node's spec.podCIDR /24 or one derived from the node
//     name, 10.64–127.x.0/24; the host's IP for hostNetwork pods);
//     startTime. The log detail is [DescribePodStatus]: "phase=Running
//     ready=true".
//  2. A standing [StatusReport] ([Kubelet.Report]) replaces Running or
//     Ready for the pods it matches. The kubelet restores what it reports
//     when something else changes a started pod's phase or readiness (the
//     node lifecycle controller marking pods not ready, say), but never
//     moves a Succeeded or Failed pod back unless a report says so.
//  3. A terminating pod is removed at its deletionTimestamp: a Delete with
//     grace period 0 (pods waiting only for finalizers are left to them).
//  4. On reconnect it reports the node's conditions that are Unknown
//     again: Ready True (KubeletReady, "kubelet is posting ready status"),
//     MemoryPressure, DiskPressure and PIDPressure False.
//  5. Static pods ([Kubelet.AddStaticPod]) run without the API server; the
//     kubelet keeps a mirror pod of each in the API, and recreates it when
//     it is deleted through the API.
//
// Not simulated: containers, images, probes, restarts and container
// statuses; the status manager's batching; the terminal phase a kubelet
// sets on pods it stops before their final deletion; admission on the
// node; address uniqueness (two pods on one node may get the same podIP).
type Kubelet struct {
	reports []StatusReport
	// static holds, per node, the static pods declared there, ordered by
	// namespace and name. Slices are never modified in place, so forks
	// may share them.
	static map[string][]*staticPod
	// gone holds, per node, mirror pods of removed static pods that are
	// still to be deleted.
	gone map[string][]goneMirror

	// Caches, rebuilt from scratch in a fork.
	actors map[string]string
	nets   map[string]nodeNet
	conds  condCache
}

// StatusReport is what a kubelet reports about pods, standing: it applies
// to the matching pods that exist when it is made and to matching pods
// that start later, until a later report for them says otherwise (later
// reports win field by field).
type StatusReport struct {
	// Selector selects pods by label; the zero Selector selects all.
	Selector selector.Selector
	// Node restricts the report to the pods of one node; "" means any.
	Node string
	// Phase is the reported phase; "" leaves it as it would be (Running
	// for a started pod).
	Phase PodPhase
	// Ready is the reported readiness; nil leaves it as it would be (true
	// for a Running pod). Pods that are not Running are never ready.
	Ready *bool
}

// staticPod is a static pod manifest declared on a node.
type staticPod struct {
	name string // the manifest's name; the pod's is "<name>-<node>"
	pod  *Pod   // the pod as the kubelet runs it; immutable
	hash string
}

// goneMirror is the mirror pod of a removed static pod.
type goneMirror struct {
	ref  Ref
	hash string
}

// nodeNet holds the addresses derived for a node, with the node fields
// they were derived from.
type nodeNet struct {
	internalIP, podCIDR string
	hostIP, podPrefix   string
}

// condCache shares the status parts of pods started at the same instant.
type condCache struct {
	at, sched time.Time
	legacy    bool
	conds     []PodCondition
	start     *time.Time
}

// subReconnect is the sub-key of a node whose kubelet reconnected.
const subReconnect = "reconnect"

// NewKubelet returns a kubelet stand-in with no reports and no static
// pods.
func NewKubelet() *Kubelet {
	return &Kubelet{
		static: map[string][]*staticPod{},
		gone:   map[string][]goneMirror{},
		actors: map[string]string{},
		nets:   map[string]nodeNet{},
	}
}

// Name returns "kubelet".
func (*Kubelet) Name() string { return KubeletName }

// Fork returns an independent copy with the same reports and static pods.
func (k *Kubelet) Fork() Controller {
	f := NewKubelet()
	f.reports = slices.Clone(k.reports)
	f.static = maps.Clone(k.static)
	f.gone = maps.Clone(k.gone)
	return f
}

// actor returns "kubelet/<node>".
func (k *Kubelet) actor(node string) string {
	a, ok := k.actors[node]
	if !ok {
		a = KubeletName + "/" + node
		k.actors[node] = a
	}
	return a
}

// hasStaticWork reports whether the kubelet of node has static or gone
// mirror pods to look after.
func (k *Kubelet) hasStaticWork(node string) bool {
	return len(k.static[node]) > 0 || len(k.gone[node]) > 0
}

// manages reports whether p is the mirror of a static pod declared on
// node.
func (k *Kubelet) manages(node string, p *Pod) bool {
	for _, sp := range k.static[node] {
		if sp.pod.Name == p.Name && sp.pod.Namespace == p.Namespace {
			return true
		}
	}
	return false
}

// Watch enqueues pods when they are bound (due after Config.PodStartup),
// when they start terminating (due at their deletionTimestamp), and when
// their phase or readiness departs from what the kubelet reports; a node
// and all its pods when its kubelet reconnects; and a node whose mirror
// pods need to be created or deleted; and, when a node is created, the pods
// already bound to it.
func (k *Kubelet) Watch(v *View, ch Change, q Enqueuer) {
	switch ch.Kind() {
	case KindNode:
		if ch.New == nil {
			return
		}
		n := ch.New.(*Node)
		if ch.Heartbeat {
			if connected, _ := v.Connected(n.Name); !connected {
				return
			}
			q.Add(Key{Ref: RefOf(n), Sub: subReconnect})
			for p := range boundPods(v, n.Name) {
				q.Add(Key{Ref: RefOf(p)})
			}
			return
		}
		if ch.Old == nil {
			// A kubelet registering its node picks up the pods already
			// bound to it, the way a real kubelet lists its pods on start.
			if k.hasStaticWork(n.Name) {
				q.Add(Key{Ref: RefOf(n)})
			}
			for p := range boundPods(v, n.Name) {
				q.Add(Key{Ref: RefOf(p)})
			}
		}
	case KindPod:
		k.watchPod(v, ch, q)
	}
}

func (k *Kubelet) watchPod(v *View, ch Change, q Enqueuer) {
	if ch.New == nil {
		p := ch.Old.(*Pod)
		if p.Spec.NodeName != "" && IsMirrorPod(p) && k.hasStaticWork(p.Spec.NodeName) {
			q.Add(Key{Ref: Ref{Kind: KindNode, Name: p.Spec.NodeName}})
		}
		return
	}
	p := ch.New.(*Pod)
	if p.Spec.NodeName == "" {
		return
	}
	var old *Pod
	if ch.Old != nil {
		old = ch.Old.(*Pod)
	}
	key := Key{Ref: RefOf(p)}
	if p.DeletionTimestamp != nil {
		if old == nil || old.DeletionTimestamp == nil || !old.DeletionTimestamp.Equal(*p.DeletionTimestamp) {
			d := p.DeletionTimestamp.Sub(v.Now())
			if IsMirrorPod(p) {
				d = 0
			}
			q.AddAfter(key, d)
		}
		return
	}
	if p.Status.Phase == PodPending {
		if old == nil || old.Spec.NodeName == "" {
			q.AddAfter(key, v.Config().PodStartup)
		}
		return
	}
	if old != nil && old.Status.Phase == p.Status.Phase && old.IsReady() == p.IsReady() {
		return
	}
	if w := k.desired(p); p.Status.Phase != w.phase || p.IsReady() != w.ready {
		q.Add(key)
	}
}

// Reconcile acts as the kubelet of one node (a node key) or of the node
// of one pod (a pod key).
func (k *Kubelet) Reconcile(v *View, key Key) Result {
	if key.Kind == KindNode {
		return k.reconcileNode(v, key)
	}
	return k.reconcilePod(v, key.Ref)
}

func (k *Kubelet) reconcileNode(v *View, key Key) Result {
	n, ok := v.Node(key.Name)
	if !ok {
		return Result{}
	}
	if connected, _ := v.Connected(n.Name); !connected {
		return Result{}
	}
	var actions []Action
	if key.Sub == subReconnect {
		if nn := kubeletNodeStatus(v, n); nn != nil {
			actions = append(actions, UpdateStatus{Object: nn})
		}
	}
	actions = k.mirrorActions(v, n, actions)
	return Result{Actions: actions, Actor: k.actor(n.Name)}
}

// kubeletNodeStatus returns a copy of n whose Unknown conditions are as a
// healthy kubelet posts them, or nil when none is Unknown.
func kubeletNodeStatus(v *View, n *Node) *Node {
	now := v.Now()
	var conds []NodeCondition
	for i, c := range n.Status.Conditions {
		if c.Status != ConditionUnknown {
			continue
		}
		switch c.Type {
		case NodeReady:
			c.Status, c.Reason, c.Message = ConditionTrue, "KubeletReady", "kubelet is posting ready status"
		case NodeMemoryPressure:
			c.Status, c.Reason, c.Message = ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"
		case NodeDiskPressure:
			c.Status, c.Reason, c.Message = ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"
		case NodePIDPressure:
			c.Status, c.Reason, c.Message = ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"
		default:
			continue
		}
		c.LastHeartbeatTime, c.LastTransitionTime = now, now
		if conds == nil {
			conds = slices.Clone(n.Status.Conditions)
		}
		conds[i] = c
	}
	if conds == nil {
		return nil
	}
	nn := *n
	nn.Status.Conditions = conds
	return &nn
}

func (k *Kubelet) reconcilePod(v *View, r Ref) Result {
	p, ok := v.Pod(r.Namespace, r.Name)
	if !ok || p.Spec.NodeName == "" {
		return Result{}
	}
	node := p.Spec.NodeName
	n, ok := v.Node(node)
	if !ok {
		return Result{}
	}
	if connected, _ := v.Connected(node); !connected {
		return Result{}
	}
	res := Result{Actor: k.actor(node)}
	now := v.Now()
	if p.DeletionTimestamp != nil {
		if g := p.DeletionGracePeriodSeconds; g != nil && *g == 0 {
			return res // only finalizers hold it
		}
		if !IsMirrorPod(p) || !k.manages(node, p) {
			if due := *p.DeletionTimestamp; now.Before(due) {
				res.RequeueAfter = due.Sub(now)
				return res
			}
		}
		res.Actions = []Action{Delete{Object: r, UID: p.UID, GracePeriod: graceZero(), IgnoreNotFound: true}}
		return res
	}
	want := k.desired(p)
	if p.Status.Phase == PodPending {
		if due := boundAt(p).Add(v.Config().PodStartup); now.Before(due) {
			res.RequeueAfter = due.Sub(now)
			return res
		}
		if want.phase != PodPending {
			res.Actions = []Action{k.start(v, p, n, want)}
		}
		return res
	}
	if p.Status.Phase != want.phase || p.IsReady() != want.ready {
		res.Actions = []Action{k.restatus(v, p, want)}
	}
	return res
}

// boundAt returns when p was bound: its PodScheduled transition, or its
// creation when it has no PodScheduled condition (a pod created with
// spec.nodeName set).
func boundAt(p *Pod) time.Time {
	if c := p.Condition(PodScheduled); c != nil && c.Status == ConditionTrue && !c.LastTransitionTime.IsZero() {
		return c.LastTransitionTime
	}
	return p.CreationTimestamp
}

// podWant is the phase and readiness the kubelet reports for a pod.
type podWant struct {
	phase PodPhase
	ready bool
}

// desired returns what the kubelet reports for p: Running and ready, as
// overridden by the matching reports in order.
func (k *Kubelet) desired(p *Pod) podWant {
	w := podWant{phase: PodRunning, ready: true}
	phaseSet := false
	for i := range k.reports {
		r := &k.reports[i]
		if r.Node != "" && r.Node != p.Spec.NodeName {
			continue
		}
		if !r.Selector.Matches(selector.Set(p.Labels)) {
			continue
		}
		if r.Phase != "" {
			w.phase, phaseSet = r.Phase, true
		}
		if r.Ready != nil {
			w.ready = *r.Ready
		}
	}
	if !phaseSet && p.IsTerminal() {
		w.phase = p.Status.Phase
	}
	w.ready = w.ready && w.phase == PodRunning
	return w
}

// start returns the status update that starts pod p on node n.
func (k *Kubelet) start(v *View, p *Pod, n *Node, w podWant) Action {
	now := v.Now()
	legacy := v.Profile() == Legacy
	np := *p
	np.Status.Phase = w.phase
	schedAt := scheduledAt(p, now)
	if w.phase == PodRunning && w.ready && onlyScheduled(p) {
		np.Status.Conditions = k.conds.get(now, schedAt, legacy)
	} else {
		np.Status.Conditions = kubeletConditions(p, w, now, schedAt, legacy)
	}
	net := k.net(n)
	np.Status.HostIP = net.hostIP
	if p.Spec.HostNetwork {
		np.Status.PodIP = net.hostIP
	} else {
		var buf [24]byte
		np.Status.PodIP = v.c.strs.string(appendPodIP(buf[:0], net.podPrefix, p.UID))
	}
	np.Status.StartTime = k.conds.startTime(now)
	detail := ""
	if v.Logging() {
		detail = DescribePodStatus(&np)
	}
	return UpdateStatus{Object: &np, Detail: detail}
}

// restatus returns the status update that gives the started pod p the
// phase and readiness w.
func (k *Kubelet) restatus(v *View, p *Pod, w podWant) Action {
	now := v.Now()
	np := *p
	np.Status.Phase = w.phase
	np.Status.Conditions = kubeletConditions(p, w, now, scheduledAt(p, now), v.Profile() == Legacy)
	detail := ""
	if v.Logging() {
		detail = DescribePodStatus(&np)
	}
	return UpdateStatus{Object: &np, Detail: detail}
}

// scheduledAt returns the transition time of p's PodScheduled condition,
// or now when it has none.
func scheduledAt(p *Pod, now time.Time) time.Time {
	if c := p.Condition(PodScheduled); c != nil && c.Status == ConditionTrue {
		return c.LastTransitionTime
	}
	return now
}

// onlyScheduled reports whether p's conditions are at most a True
// PodScheduled, so that a started pod's conditions can be shared.
func onlyScheduled(p *Pod) bool {
	for i := range p.Status.Conditions {
		c := &p.Status.Conditions[i]
		if c.Type != PodScheduled || c.Status != ConditionTrue || c.Reason != "" || c.Message != "" {
			return false
		}
	}
	return true
}

// kubeletOwned reports whether the kubelet sets conditions of type t
// (upstream's kubetypes.PodConditionByKubelet).
func kubeletOwned(t PodConditionType) bool {
	switch t {
	case PodScheduled, PodReady, PodInitialized, ContainersReady, PodReadyToStartUp:
		return true
	}
	return false
}

// kubeletConditions returns p's conditions as the kubelet's status manager
// merges them: the conditions others own first, then the kubelet's, in
// the kubelet's order. A condition whose status does not change keeps its
// transition time.
func kubeletConditions(p *Pod, w podWant, now, schedAt time.Time, legacy bool) []PodCondition {
	out := make([]PodCondition, 0, len(p.Status.Conditions)+5)
	for _, c := range p.Status.Conditions {
		if !kubeletOwned(c.Type) {
			out = append(out, c)
		}
	}
	cond := func(t PodConditionType, st ConditionStatus, reason, msg string) PodCondition {
		c := PodCondition{Type: t, Status: st, Reason: reason, Message: msg, LastTransitionTime: now}
		if oc := p.Condition(t); oc != nil && oc.Status == st {
			c.LastTransitionTime = oc.LastTransitionTime
		}
		return c
	}
	ready, reason, msg := ConditionTrue, "", ""
	if !w.ready {
		ready = ConditionFalse
		if w.phase == PodSucceeded || w.phase == PodFailed {
			reason = "PodCompleted"
		} else {
			names := make([]string, len(p.Spec.Containers))
			for i, c := range p.Spec.Containers {
				names[i] = c.Name
			}
			reason, msg = "ContainersNotReady", "containers with unready status: ["+strings.Join(names, " ")+"]"
		}
	}
	if !legacy {
		out = append(out, cond(PodReadyToStartUp, ConditionTrue, "", ""))
	}
	out = append(out, cond(PodInitialized, ConditionTrue, "", ""), cond(PodReady, ready, reason, msg))
	if !legacy {
		out = append(out, cond(ContainersReady, ready, reason, msg))
	}
	return append(out, PodCondition{Type: PodScheduled, Status: ConditionTrue, LastTransitionTime: schedAt})
}

// get returns the conditions of a pod started Running and ready at now,
// scheduled at sched, sharing the slice with the pods started just
// before under the same circumstances. Nobody may write to it.
func (c *condCache) get(now, sched time.Time, legacy bool) []PodCondition {
	if c.conds != nil && c.at.Equal(now) && c.sched.Equal(sched) && c.legacy == legacy {
		return c.conds
	}
	c.at, c.sched, c.legacy = now, sched, legacy
	c.conds = kubeletConditions(&Pod{}, podWant{phase: PodRunning, ready: true}, now, sched, legacy)
	return c.conds
}

// startTime returns a shared pointer to now.
func (c *condCache) startTime(now time.Time) *time.Time {
	if c.start == nil || !c.start.Equal(now) {
		t := now
		c.start = &t
	}
	return c.start
}

// fnv32a hashes s without allocating.
func fnv32a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// net returns the addresses of node n, derived once per node.
func (k *Kubelet) net(n *Node) nodeNet {
	ip := n.InternalIP()
	if nn, ok := k.nets[n.Name]; ok && nn.internalIP == ip && nn.podCIDR == n.Spec.PodCIDR {
		return nn
	}
	nn := nodeNet{internalIP: ip, podCIDR: n.Spec.PodCIDR, hostIP: ip}
	h := fnv32a(n.Name)
	if nn.hostIP == "" {
		nn.hostIP = dotted(10, h>>16&63, h>>8&255, 1+h%254)
	}
	if prefix, ok := cidrPrefix(n.Spec.PodCIDR); ok {
		nn.podPrefix = prefix
	} else {
		g := uint32(mix64(uint64(h)))
		nn.podPrefix = dotted(10, 64+g>>8&63, g&255) + "."
	}
	k.nets[n.Name] = nn
	return nn
}

// dotted renders numbers joined by dots: dotted(10, 0, 1) is "10.0.1".
func dotted(parts ...uint32) string {
	b := make([]byte, 0, 16)
	for i, x := range parts {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(x), 10)
	}
	return string(b)
}

// cidrPrefix returns the first three octets, with a trailing dot, of an
// IPv4 CIDR such as "10.244.1.0/24".
func cidrPrefix(cidr string) (string, bool) {
	addr, _, ok := strings.Cut(cidr, "/")
	if !ok || strings.Count(addr, ".") != 3 {
		return "", false
	}
	return addr[:strings.LastIndexByte(addr, '.')+1], true
}

// appendPodIP appends to dst the address of the pod with UID uid in the
// /24 prefix: host part 2–254, derived from the UID.
func appendPodIP(dst []byte, prefix, uid string) []byte {
	dst = append(dst, prefix...)
	return strconv.AppendUint(dst, uint64(2+fnv32a(uid)%253), 10)
}

// Report records a standing status report and applies it at once to the
// matching pods that are bound to a node whose kubelet is connected, as
// that kubelet ([Cluster.Act] as "kubelet/<node>"). Pods that are not
// started yet take it when they start, except that a report with a Phase
// starts them now; pods of a disconnected node take it when their kubelet
// reconnects. Terminating pods are left alone; unbound pods are not
// affected. Report fails on an unknown phase, or with the first error of
// an update.
func (k *Kubelet) Report(c *Cluster, r StatusReport) error {
	switch r.Phase {
	case "", PodPending, PodRunning, PodSucceeded, PodFailed, PodUnknown:
	default:
		return fmt.Errorf("cluster: kubelet: report: unknown phase %q (want Pending, Running, Succeeded, Failed or Unknown)", r.Phase)
	}
	if r.Ready != nil {
		ready := *r.Ready
		r.Ready = &ready
	}
	k.reports = append(k.reports, r)
	v := c.View()
	var pods []*Pod
	if r.Node != "" {
		for p := range boundPods(v, r.Node) {
			pods = append(pods, p)
		}
	} else {
		for o := range v.List(KindPod, "") {
			if p := o.(*Pod); p.Spec.NodeName != "" {
				pods = append(pods, p)
			}
		}
	}
	for _, p := range pods {
		if !r.Selector.Matches(selector.Set(p.Labels)) || p.Terminating() {
			continue
		}
		n, ok := v.Node(p.Spec.NodeName)
		if !ok {
			continue
		}
		if connected, _ := v.Connected(n.Name); !connected {
			continue
		}
		w := k.desired(p)
		var a Action
		switch {
		case p.Status.Phase == PodPending:
			if r.Phase == "" || w.phase == PodPending {
				continue
			}
			a = k.start(v, p, n, w)
		case p.Status.Phase != w.phase || p.IsReady() != w.ready:
			a = k.restatus(v, p, w)
		default:
			continue
		}
		if err := c.Act(k.actor(n.Name), a); err != nil {
			return err
		}
	}
	return nil
}

// mirrorName returns the name the kubelet gives static pod name on node
// (upstream's generatePodName).
func mirrorName(name, node string) string { return name + "-" + strings.ToLower(node) }

// AddStaticPod declares a static pod manifest on node, as a file in the
// kubelet's manifest directory would: the kubelet runs it without the API
// server, and keeps a mirror pod of it in the API, named
// "<name>-<node>", with the annotation kubernetes.io/config.mirror (the
// manifest's hash), an owner reference to the Node (controller, not
// blocking its deletion) and spec.nodeName set; like upstream's kubelet it
// also adds a toleration of every NoExecute taint. A manifest of the same
// namespace and name replaces the earlier one (and its mirror).
//
// The mirror pod is created at once when the node exists and its kubelet
// is connected, otherwise when that becomes so. AddStaticPod fails,
// declaring nothing, on a nil or nameless pod or an empty node name, and
// when the mirror pod cannot be created.
func (k *Kubelet) AddStaticPod(c *Cluster, node string, pod *Pod) error {
	switch {
	case pod == nil:
		return errors.New("cluster: kubelet: AddStaticPod: nil pod")
	case node == "":
		return fmt.Errorf("cluster: kubelet: static pod %q: empty node name", pod.Name)
	case pod.Name == "":
		return fmt.Errorf("cluster: kubelet: static pod on node %q: empty pod name", node)
	}
	sp := newStaticPod(c, node, pod)
	prev := k.static[node]
	list := slices.DeleteFunc(slices.Clone(prev), func(x *staticPod) bool {
		return x.pod.Namespace == sp.pod.Namespace && x.pod.Name == sp.pod.Name
	})
	i, _ := slices.BinarySearchFunc(list, sp, func(a, b *staticPod) int {
		if a.pod.Namespace != b.pod.Namespace {
			return strings.Compare(a.pod.Namespace, b.pod.Namespace)
		}
		return strings.Compare(a.pod.Name, b.pod.Name)
	})
	k.static[node] = slices.Insert(list, i, sp)
	ref := RefOf(sp.pod)
	prevGone := k.gone[node]
	k.gone[node] = slices.DeleteFunc(slices.Clone(prevGone), func(g goneMirror) bool { return g.ref == ref })
	if err := k.syncNow(c, node); err != nil {
		k.static[node], k.gone[node] = prev, prevGone
		return err
	}
	return nil
}

// RemoveStaticPod removes the static pod manifest name from node, as
// deleting its file would: the kubelet stops it and deletes its mirror pod
// (at once when connected, otherwise on reconnect). It fails when no such
// static pod is declared.
func (k *Kubelet) RemoveStaticPod(c *Cluster, node, name string) error {
	list := k.static[node]
	i := slices.IndexFunc(list, func(sp *staticPod) bool { return sp.name == name })
	if i < 0 {
		return fmt.Errorf("cluster: kubelet: no static pod %q on node %q", name, node)
	}
	sp := list[i]
	k.static[node] = slices.Delete(slices.Clone(list), i, i+1)
	k.gone[node] = append(slices.Clone(k.gone[node]), goneMirror{ref: RefOf(sp.pod), hash: sp.hash})
	return k.syncNow(c, node)
}

// syncNow makes the mirror pods of node match its static pods at once, as
// its kubelet, when the node exists and is connected.
func (k *Kubelet) syncNow(c *Cluster, node string) error {
	v := c.View()
	n, ok := v.Node(node)
	if !ok {
		return nil
	}
	if connected, _ := v.Connected(node); !connected {
		return nil
	}
	actions := k.mirrorActions(v, n, nil)
	if len(actions) == 0 {
		return nil
	}
	return c.Act(k.actor(node), actions...)
}

// newStaticPod returns the static pod the kubelet runs for the manifest
// pod on node (upstream's applyDefaults of file sources).
func newStaticPod(c *Cluster, node string, pod *Pod) *staticPod {
	p := DeepCopy(pod).(*Pod)
	name := p.Name
	p.TypeMeta = TypeMeta{APIVersion: "v1", Kind: string(KindPod)}
	p.UID, p.ResourceVersion, p.GenerateName = "", "", ""
	p.CreationTimestamp, p.DeletionTimestamp, p.DeletionGracePeriodSeconds = time.Time{}, nil, nil
	p.OwnerReferences, p.Finalizers = nil, nil
	p.Status = PodStatus{}
	if p.Namespace == "" {
		p.Namespace = "default"
	}
	p.Spec.NodeName = node
	p.Spec.Tolerations = taints.AddOrUpdateToleration(p.Spec.Tolerations,
		taints.Toleration{Operator: taints.OpExists, Effect: taints.NoExecute})
	b, err := json.Marshal(p)
	if err != nil {
		panic(fmt.Sprintf("cluster: internal error: static pod %q: %v", name, err))
	}
	h := fnv.New128a()
	h.Write(b)
	hash := hex.EncodeToString(h.Sum(nil))
	ann := make(map[string]string, len(p.Annotations)+3)
	maps.Copy(ann, p.Annotations)
	ann[AnnotationConfigHash] = hash
	ann[AnnotationConfigSource] = "file"
	ann[AnnotationConfigSeen] = c.Now().Format(time.RFC3339Nano)
	p.Annotations = ann
	p.Name = mirrorName(name, node)
	return &staticPod{name: name, pod: p, hash: hash}
}

// mirrorActions appends the actions that make node n's mirror pods match
// its static pods: create missing mirrors, replace stale or terminating
// ones, delete those of removed static pods.
func (k *Kubelet) mirrorActions(v *View, n *Node, actions []Action) []Action {
	for _, sp := range k.static[n.Name] {
		cur, ok := v.Pod(sp.pod.Namespace, sp.pod.Name)
		if ok && IsMirrorPod(cur) {
			if cur.Annotations[AnnotationConfigMirror] == sp.hash && !cur.Terminating() {
				continue
			}
			actions = append(actions, Delete{Object: RefOf(cur), UID: cur.UID, GracePeriod: graceZero(), IgnoreNotFound: true})
		}
		actions = append(actions, Create{Object: mirrorPodOf(sp, n), Detail: "mirror"})
	}
	if gone := k.gone[n.Name]; len(gone) > 0 {
		var left []goneMirror
		for _, g := range gone {
			cur, ok := v.Pod(g.ref.Namespace, g.ref.Name)
			if !ok || cur.Annotations[AnnotationConfigMirror] != g.hash {
				continue
			}
			left = append(left, g)
			actions = append(actions, Delete{Object: g.ref, UID: cur.UID, GracePeriod: graceZero(), IgnoreNotFound: true})
		}
		if len(left) == 0 {
			delete(k.gone, n.Name)
		} else {
			k.gone[n.Name] = left
		}
	}
	return actions
}

// mirrorPodOf returns a new mirror pod of sp on node n (upstream's
// CreateMirrorPod).
func mirrorPodOf(sp *staticPod, n *Node) *Pod {
	p := *sp.pod
	ann := make(map[string]string, len(p.Annotations)+1)
	maps.Copy(ann, p.Annotations)
	ann[AnnotationConfigMirror] = sp.hash
	p.Annotations = ann
	p.OwnerReferences = []OwnerReference{{APIVersion: "v1", Kind: string(KindNode), Name: n.Name, UID: n.UID, Controller: Bool(true)}}
	return &p
}
