package scheduling

import (
	"slices"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Simulation defaults and upstream constants.
const (
	// DefaultMaxPods is the number of pods a node allows when its
	// status.allocatable has no "pods" entry: the kubelet's default
	// maxPods.
	DefaultMaxPods = 110
	// defaultMilliCPURequest and defaultMemoryRequest are what upstream's
	// scoring assumes for a container without a cpu or memory request
	// (schedutil.DefaultMilliCPURequest and DefaultMemoryRequest).
	defaultMilliCPURequest = 100
	defaultMemoryRequest   = 200 * 1024 * 1024
	// maxNodeScore is upstream's framework.MaxNodeScore.
	maxNodeScore = 100
)

// bindAllHostIP is the host IP a port with no hostIP binds.
const bindAllHostIP = "0.0.0.0"

// doNotScheduleEffects are the taint effects TaintToleration filters on.
var doNotScheduleEffects = taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)

// unschedulableTaint is the taint NodeUnschedulable tests tolerations
// against.
var unschedulableTaint = taints.Taint{Key: taints.NodeUnschedulable, Effect: taints.NoSchedule}

// Filter is a pod's scheduling constraints compiled once, to be checked
// against many nodes: its node name, node selector and required node
// affinity, tolerations, host ports and resource requests. A Filter is
// immutable; [Filter.Check] allocates nothing when the pod fits.
type Filter struct {
	namespace, name string
	nodeName        string
	affinity        selector.RequiredNodeAffinity
	tolerations     []taints.Toleration
	// toleratesUnschedulable: the tolerations tolerate the
	// node.kubernetes.io/unschedulable:NoSchedule taint.
	toleratesUnschedulable bool
	ports                  []hostPort
	req                    requests
	// names is the NodeAffinity PreFilter result: when pinned, only these
	// nodes (sorted, unique) can fit; conflict means none can.
	names    []string
	pinned   bool
	conflict bool
	// pin, when set, is the one node the required affinity allows, which
	// is then not compiled into affinity (see pinOnly).
	pin string
}

// pinOnly reports whether ns is exactly one term holding exactly one
// requirement, "metadata.name In [name]" with one value, and returns the
// name: the affinity the DaemonSet controller gives each of its pods.
func pinOnly(ns *selector.NodeSelector) (string, bool) {
	if ns == nil || len(ns.NodeSelectorTerms) != 1 {
		return "", false
	}
	t := &ns.NodeSelectorTerms[0]
	if len(t.MatchExpressions) != 0 || len(t.MatchFields) != 1 {
		return "", false
	}
	r := &t.MatchFields[0]
	if r.Key != selector.ObjectNameField || r.Operator != selector.NodeSelectorOpIn || len(r.Values) != 1 || r.Values[0] == "" {
		return "", false
	}
	return r.Values[0], true
}

// hostPort is one host port a pod claims, sanitised as upstream's
// HostPortInfo does: an empty IP is 0.0.0.0, an empty protocol TCP.
type hostPort struct {
	ip       string
	protocol cluster.Protocol
	port     int32
}

// requests are a pod's resource requests as NodeResourcesFit counts them.
type requests struct {
	cpu, memory, ephemeral int64 // millicores, bytes, bytes
	scalars                []scalarRequest
	// nonZeroCPU and nonZeroMemory are the requests scoring uses: a
	// container without a cpu (memory) request counts as 100m (200Mi).
	nonZeroCPU, nonZeroMemory int64
}

// scalarRequest is a request for a resource other than cpu, memory and
// ephemeral-storage (extended resources, hugepages).
type scalarRequest struct {
	name   cluster.ResourceName
	amount int64
	reason Reason
}

// NewFilter compiles the scheduling constraints of pod. The Filter keeps
// the pod's namespace and name (see [Filter.Check]) and shares its
// tolerations, which must not change afterwards (stored objects never do).
func NewFilter(pod *cluster.Pod) *Filter {
	s := &pod.Spec
	f := &Filter{
		namespace:   pod.Namespace,
		name:        pod.Name,
		nodeName:    s.NodeName,
		tolerations: s.Tolerations,
	}
	required := s.RequiredNodeSelector()
	if pin, ok := pinOnly(required); ok {
		// The required affinity is "metadata.name In [pin]" alone, as on
		// every daemon pod: no term to compile.
		f.affinity = selector.NewRequiredNodeAffinity(s.NodeSelector, nil)
		f.pin = pin
		f.names, f.pinned = required.NodeSelectorTerms[0].MatchFields[0].Values, true
	} else {
		f.affinity = selector.NewRequiredNodeAffinity(s.NodeSelector, required)
		f.names, f.pinned, f.conflict = pinnedNodeNames(required)
	}
	f.toleratesUnschedulable = taints.Tolerated(s.Tolerations, &unschedulableTaint)
	f.ports = appendHostPorts(nil, s)
	f.req = podRequests(s)
	return f
}

// Check reports whether pod fits node, with every reason it does not; it is
// NewFilter(pod).Check(node, onNode). To check one pod against many nodes,
// compile it once with [NewFilter].
func Check(node *cluster.Node, pod *cluster.Pod, onNode []*cluster.Pod) Verdict {
	return NewFilter(pod).Check(node, onNode)
}

// Check reports whether the pod fits node, given onNode, the pods bound to
// the node. It runs the predicates of upstream's default filter plugins
// and returns every failing one, in this order:
//
//  1. NodeUnschedulable: the node is cordoned (spec.unschedulable) and the
//     pod does not tolerate node.kubernetes.io/unschedulable:NoSchedule.
//  2. NodeName: the pod's spec.nodeName is set to another node.
//  3. TaintToleration: the node has a NoSchedule or NoExecute taint the pod
//     does not tolerate (PreferNoSchedule taints only affect scoring).
//  4. NodeAffinity: the node does not satisfy the pod's nodeSelector and
//     required node affinity (terms that do not parse match no node).
//  5. NodePorts: a host port of the pod conflicts with one of a pod on the
//     node: same port and protocol (empty meaning TCP), and the same host
//     IP or either IP 0.0.0.0 (empty meaning 0.0.0.0). With hostNetwork,
//     a container port without a hostPort claims its containerPort, as the
//     API server's defaulting would have set it.
//  6. NodeResourcesFit: the node already runs as many pods as allocatable
//     "pods" allows ("Too many pods"); or, for each resource the pod
//     requests, the request exceeds allocatable minus what the pods on the
//     node request ("Insufficient cpu"). A pod's request of a resource is
//     the sum over its containers, or the largest request of any one init
//     container when that is larger.
//
// Pods in onNode that are not bound to node (spec.nodeName), that have
// terminated (Succeeded or Failed), or that are the pod itself (same
// namespace and name) are ignored; terminating pods still count, as in
// upstream's scheduler cache.
//
// A simulation convenience: a node whose status.allocatable has no entry
// for cpu, memory or ephemeral-storage has an unlimited amount of it, and
// one without "pods" allows [DefaultMaxPods]; a real kubelet always reports
// these. Any other resource missing from allocatable (an extended resource
// such as nvidia.com/gpu, hugepages) is zero, as upstream: a node without
// GPUs does not fit a pod that requests one.
func (f *Filter) Check(node *cluster.Node, onNode []*cluster.Pod) Verdict {
	var v Verdict
	f.check(node, onNode, modeAll, &v)
	return v
}

// checkMode says how much of a verdict check computes.
type checkMode int

const (
	modeAll   checkMode = iota // every reason
	modeFirst                  // the reasons of the first failing plugin, as upstream's framework reports
	modeFits                   // only whether the pod fits
)

// check fills v. In modeFirst and modeFits it stops at the first failing
// plugin.
func (f *Filter) check(node *cluster.Node, onNode []*cluster.Pod, mode checkMode, v *Verdict) {
	v.Fits = true
	fail := func(r Reason) {
		v.Fits = false
		if mode != modeFits {
			v.Reasons = append(v.Reasons, r)
		}
	}
	done := func() bool { return !v.Fits && mode != modeAll }

	if node.Spec.Unschedulable && !f.toleratesUnschedulable {
		fail(ReasonUnschedulable)
		if done() {
			return
		}
	}
	if f.nodeName != "" && f.nodeName != node.Name {
		fail(ReasonNodeName)
		if done() {
			return
		}
	}
	if t, found := taints.FindUntoleratedWithEffects(node.Spec.Taints, f.tolerations, doNotScheduleEffects); found {
		fail(ReasonUntoleratedTaint)
		v.Taint = t
		if done() {
			return
		}
	}
	if ok, _ := f.affinity.Match(node.Name, selector.Set(node.Labels)); !ok || (f.pinned && f.pin != "" && node.Name != f.pin) {
		fail(ReasonNodeAffinity)
		if done() {
			return
		}
	}
	if len(f.ports) > 0 && f.portConflict(node.Name, onNode) {
		fail(ReasonNodePorts)
		if done() {
			return
		}
	}
	f.checkResources(node, onNode, fail, mode == modeFits)
}

// counts reports whether p, listed as a pod on node, takes resources
// there.
func (f *Filter) counts(nodeName string, p *cluster.Pod) bool {
	return p.Spec.NodeName == nodeName && !p.IsTerminal() &&
		(p.Name != f.name || p.Namespace != f.namespace)
}

// portConflict mirrors the NodePorts filter (HostPortInfo.CheckConflict).
func (f *Filter) portConflict(nodeName string, onNode []*cluster.Pod) bool {
	for _, p := range onNode {
		if !f.counts(nodeName, p) {
			continue
		}
		for i := range p.Spec.Containers {
			c := &p.Spec.Containers[i]
			for j := range c.Ports {
				used, ok := sanitizePort(&c.Ports[j], p.Spec.HostNetwork)
				if !ok {
					continue
				}
				for _, want := range f.ports {
					if want.port != used.port || want.protocol != used.protocol {
						continue
					}
					if want.ip == bindAllHostIP || used.ip == bindAllHostIP || want.ip == used.ip {
						return true
					}
				}
			}
		}
	}
	return false
}

// checkResources mirrors the NodeResourcesFit filter (fitsRequest).
func (f *Filter) checkResources(node *cluster.Node, onNode []*cluster.Pod, fail func(Reason), stopEarly bool) {
	alloc := node.Status.Allocatable
	maxPods := int64(DefaultMaxPods)
	if q, ok := alloc[cluster.ResourcePods]; ok {
		maxPods = q.Value()
	}
	var pods int64
	var used requests
	for _, p := range onNode {
		if !f.counts(node.Name, p) {
			continue
		}
		pods++
		s := &p.Spec
		if f.req.cpu > 0 {
			used.cpu += podRequest(s, cluster.ResourceCPU)
		}
		if f.req.memory > 0 {
			used.memory += podRequest(s, cluster.ResourceMemory)
		}
		if f.req.ephemeral > 0 {
			used.ephemeral += podRequest(s, cluster.ResourceEphemeralStorage)
		}
	}
	if pods+1 > maxPods {
		fail(ReasonTooManyPods)
		if stopEarly {
			return
		}
	}
	r := &f.req
	if r.cpu == 0 && r.memory == 0 && r.ephemeral == 0 && len(r.scalars) == 0 {
		return
	}
	standard := [...]struct {
		name      cluster.ResourceName
		want, use int64
		reason    Reason
	}{
		{cluster.ResourceCPU, r.cpu, used.cpu, ReasonInsufficientCPU},
		{cluster.ResourceMemory, r.memory, used.memory, ReasonInsufficientMemory},
		{cluster.ResourceEphemeralStorage, r.ephemeral, used.ephemeral, ReasonInsufficientEphemeralStorage},
	}
	for _, res := range standard {
		if res.want <= 0 {
			continue
		}
		q, ok := alloc[res.name]
		if !ok {
			continue // unreported: unlimited (see Check)
		}
		if res.want > amount(res.name, q)-res.use {
			fail(res.reason)
			if stopEarly {
				return
			}
		}
	}
	for _, sr := range r.scalars {
		var have int64
		if q, ok := alloc[sr.name]; ok {
			have = amount(sr.name, q)
		}
		var use int64
		for _, p := range onNode {
			if f.counts(node.Name, p) {
				use += podRequest(&p.Spec, sr.name)
			}
		}
		if sr.amount > have-use {
			fail(sr.reason)
			if stopEarly {
				return
			}
		}
	}
}

// score is upstream's LeastAllocated score of node for the pod (0 to 100):
// the mean over cpu and memory of (allocatable - requested) * 100 /
// allocatable, where requested counts the pods on the node and the pod
// itself with upstream's non-zero defaults (100m cpu, 200Mi memory for a
// container without a request). A resource the node does not report
// scores 0, as does one requested beyond allocatable.
func (f *Filter) score(node *cluster.Node, onNode []*cluster.Pod) int64 {
	cpu, mem := f.req.nonZeroCPU, f.req.nonZeroMemory
	for _, p := range onNode {
		if f.counts(node.Name, p) {
			cpu += podNonZeroRequest(&p.Spec, cluster.ResourceCPU)
			mem += podNonZeroRequest(&p.Spec, cluster.ResourceMemory)
		}
	}
	alloc := node.Status.Allocatable
	var capCPU, capMem int64
	if q, ok := alloc[cluster.ResourceCPU]; ok {
		capCPU = q.MilliValue()
	}
	if q, ok := alloc[cluster.ResourceMemory]; ok {
		capMem = q.Value()
	}
	return (leastRequested(cpu, capCPU) + leastRequested(mem, capMem)) / 2
}

// leastRequested mirrors upstream's leastRequestedScore.
func leastRequested(requested, capacity int64) int64 {
	if capacity <= 0 || requested > capacity {
		return 0
	}
	return (capacity - requested) * maxNodeScore / capacity
}

// amount is a quantity in the unit upstream counts the resource in:
// millicores for cpu, whole units (rounded up) for everything else.
func amount(name cluster.ResourceName, q cluster.Quantity) int64 {
	if name == cluster.ResourceCPU {
		return q.MilliValue()
	}
	return q.Value()
}

// podRequest is a pod's request of one resource: the sum over its
// containers, or the largest request of a single init container when that
// is larger (upstream's resource.PodRequests without sidecars or
// overhead, which the simulation does not model).
func podRequest(s *cluster.PodSpec, name cluster.ResourceName) int64 {
	var sum int64
	for i := range s.Containers {
		if q, ok := s.Containers[i].Resources.Requests[name]; ok {
			sum += amount(name, q)
		}
	}
	for i := range s.InitContainers {
		if q, ok := s.InitContainers[i].Resources.Requests[name]; ok {
			sum = max(sum, amount(name, q))
		}
	}
	return sum
}

// podNonZeroRequest is podRequest with upstream's scoring defaults for
// containers that do not request cpu or memory.
func podNonZeroRequest(s *cluster.PodSpec, name cluster.ResourceName) int64 {
	def := int64(defaultMilliCPURequest)
	if name == cluster.ResourceMemory {
		def = defaultMemoryRequest
	}
	get := func(c *cluster.Container) int64 {
		if q, ok := c.Resources.Requests[name]; ok {
			return amount(name, q)
		}
		return def
	}
	var sum int64
	for i := range s.Containers {
		sum += get(&s.Containers[i])
	}
	for i := range s.InitContainers {
		sum = max(sum, get(&s.InitContainers[i]))
	}
	return sum
}

// podRequests computes the requests of a pod to schedule.
func podRequests(s *cluster.PodSpec) requests {
	r := requests{
		cpu:           podRequest(s, cluster.ResourceCPU),
		memory:        podRequest(s, cluster.ResourceMemory),
		ephemeral:     podRequest(s, cluster.ResourceEphemeralStorage),
		nonZeroCPU:    podNonZeroRequest(s, cluster.ResourceCPU),
		nonZeroMemory: podNonZeroRequest(s, cluster.ResourceMemory),
	}
	var names []cluster.ResourceName
	collect := func(cs []cluster.Container) {
		for i := range cs {
			for name := range cs[i].Resources.Requests {
				if isScalarResource(name) && !slices.Contains(names, name) {
					names = append(names, name)
				}
			}
		}
	}
	collect(s.Containers)
	collect(s.InitContainers)
	slices.Sort(names)
	for _, name := range names {
		if a := podRequest(s, name); a > 0 {
			r.scalars = append(r.scalars, scalarRequest{name: name, amount: a, reason: Insufficient(name)})
		}
	}
	return r
}

// isScalarResource mirrors schedutil.IsScalarResourceName: extended
// resources and other domain-prefixed names, hugepages and attachable
// volumes. Requests of other names ("pods", unknown words) are ignored, as
// upstream ignores them.
func isScalarResource(name cluster.ResourceName) bool {
	s := string(name)
	return strings.Contains(s, "/") || strings.HasPrefix(s, "hugepages-") || strings.HasPrefix(s, "attachable-volumes-")
}

// sanitizePort returns the host port a container port claims, if any.
func sanitizePort(p *cluster.ContainerPort, hostNetwork bool) (hostPort, bool) {
	port := p.HostPort
	if port == 0 && hostNetwork {
		port = p.ContainerPort
	}
	if port <= 0 {
		return hostPort{}, false
	}
	hp := hostPort{ip: p.HostIP, protocol: p.Protocol, port: port}
	if hp.ip == "" {
		hp.ip = bindAllHostIP
	}
	if hp.protocol == "" {
		hp.protocol = cluster.ProtocolTCP
	}
	return hp, true
}

// appendHostPorts appends the host ports of the containers of s.
func appendHostPorts(dst []hostPort, s *cluster.PodSpec) []hostPort {
	for i := range s.Containers {
		for j := range s.Containers[i].Ports {
			if hp, ok := sanitizePort(&s.Containers[i].Ports[j], s.HostNetwork); ok {
				dst = append(dst, hp)
			}
		}
	}
	return dst
}

// pinnedNodeNames mirrors the NodeAffinity PreFilter: when every required
// term pins node names with matchFields metadata.name In (several such
// requirements in one term intersect), only the union of those names can
// fit. pinned is false when some term does not pin, or there is no
// required affinity; conflict is true when every term pins and no name is
// left.
func pinnedNodeNames(ns *selector.NodeSelector) (names []string, pinned, conflict bool) {
	if ns == nil || len(ns.NodeSelectorTerms) == 0 {
		return nil, false, false
	}
	for i := range ns.NodeSelectorTerms {
		var term []string
		termPins := false
		for _, r := range ns.NodeSelectorTerms[i].MatchFields {
			if r.Key != selector.ObjectNameField || r.Operator != selector.NodeSelectorOpIn {
				continue
			}
			vals := slices.Clone(r.Values)
			slices.Sort(vals)
			vals = slices.Compact(vals)
			if !termPins {
				term, termPins = vals, true
				continue
			}
			term = slices.DeleteFunc(term, func(n string) bool {
				_, found := slices.BinarySearch(vals, n)
				return !found
			})
		}
		if !termPins {
			return nil, false, false
		}
		names = append(names, term...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	return names, true, len(names) == 0
}
