package cluster

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// EndpointsType is the static type of Endpoints (v1).
var EndpointsType = &Type{Version: "v1", Kind: KindEndpoints, Resource: "endpoints", Namespaced: true}

// Well-known label and annotation keys of Endpoints.
const (
	// LabelHeadlessService marks the Endpoints of a headless Service
	// (v1.IsHeadlessService).
	LabelHeadlessService = "service.kubernetes.io/headless"
	// AnnotationEndpointsOverCapacity marks Endpoints truncated to
	// [MaxEndpointsCapacity] addresses; its value is "truncated".
	AnnotationEndpointsOverCapacity = "endpoints.kubernetes.io/over-capacity"
)

// MaxEndpointsCapacity is the most addresses the endpoints controller
// writes into one Endpoints object; beyond it the object is truncated and
// annotated (upstream's maxCapacity).
const MaxEndpointsCapacity = 1000

// Endpoints lists the addresses behind a Service (v1.Endpoints). The
// endpoints controller ([NewEndpointsController]) keeps one, of the same
// name, for every Service with a selector; a Service without a selector
// uses Endpoints written by hand.
type Endpoints struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Subsets    []EndpointSubset `json:"subsets,omitempty"`
}

// Type returns [EndpointsType].
func (*Endpoints) Type() *Type { return EndpointsType }

// Clone returns a shallow copy of e.
func (e *Endpoints) Clone() Object { c := *e; return &c }

// TypeMetaPtr returns the object's TypeMeta, for the store.
func (e *Endpoints) TypeMetaPtr() *TypeMeta { return &e.TypeMeta }

// EndpointSubset is a set of addresses that all offer the same ports.
type EndpointSubset struct {
	// Addresses are the ready addresses.
	Addresses []EndpointAddress `json:"addresses,omitempty"`
	// NotReadyAddresses are addresses of pods that are not ready.
	NotReadyAddresses []EndpointAddress `json:"notReadyAddresses,omitempty"`
	Ports             []EndpointPort    `json:"ports,omitempty"`
}

// EndpointAddress is one address of an [EndpointSubset].
type EndpointAddress struct {
	IP        string           `json:"ip"`
	Hostname  string           `json:"hostname,omitempty"`
	NodeName  *string          `json:"nodeName,omitempty"`
	TargetRef *ObjectReference `json:"targetRef,omitempty"`
}

// ObjectReference points to an object (v1.ObjectReference): for an
// endpoint address, the pod behind it.
type ObjectReference struct {
	Kind            string `json:"kind,omitempty"`
	Namespace       string `json:"namespace,omitempty"`
	Name            string `json:"name,omitempty"`
	UID             string `json:"uid,omitempty"`
	APIVersion      string `json:"apiVersion,omitempty"`
	ResourceVersion string `json:"resourceVersion,omitempty"`
	FieldPath       string `json:"fieldPath,omitempty"`
}

// EndpointPort is one port of an [EndpointSubset].
type EndpointPort struct {
	Name        string   `json:"name,omitempty"`
	Port        int32    `json:"port"`
	Protocol    Protocol `json:"protocol,omitempty"`
	AppProtocol *string  `json:"appProtocol,omitempty"`
}

// Default applies the API server's Endpoints defaults
// (SetDefaults_Endpoints): protocol TCP for ports without one. Subsets
// shared with other objects are replaced, never written.
func (e *Endpoints) Default(Profile) {
	for i, ss := range e.Subsets {
		for j, p := range ss.Ports {
			if p.Protocol != "" {
				continue
			}
			subsets := slices.Clone(e.Subsets)
			ports := slices.Clone(ss.Ports)
			for k := j; k < len(ports); k++ {
				if ports[k].Protocol == "" {
					ports[k].Protocol = ProtocolTCP
				}
			}
			subsets[i].Ports = ports
			e.Subsets = subsets
			break
		}
	}
}

// Validate validates the Endpoints for the simulated API server, as
// upstream's ValidateEndpoints (and, on update, the metadata update rules
// first): the name a DNS-1123 subdomain; every subset with at least one
// address ("must specify `addresses` or `notReadyAddresses`"); every
// address a valid IP that is not unspecified, loopback or link-local, its
// hostname a DNS-1123 label and its nodeName a DNS-1123 subdomain; every
// port named (a DNS-1123 label) when the subset has several, numbered
// 1–65535, with protocol TCP, UDP or SCTP.
func (e *Endpoints) Validate(old Object, _ Profile) field.ErrorList {
	var errs field.ErrorList
	if old != nil {
		errs = ValidateObjectMetaUpdate(&e.ObjectMeta, &old.(*Endpoints).ObjectMeta, field.NewPath("metadata"))
	}
	errs = append(errs, ValidateObjectMeta(&e.ObjectMeta, true, NameIsDNSSubdomain, field.NewPath("metadata"))...)
	for i := range e.Subsets {
		ss := &e.Subsets[i]
		p := field.NewPath("subsets").Index(i)
		if len(ss.Addresses) == 0 && len(ss.NotReadyAddresses) == 0 {
			errs = append(errs, field.Required(p, "must specify `addresses` or `notReadyAddresses`"))
		}
		for j := range ss.Addresses {
			errs = append(errs, validateEndpointAddress(&ss.Addresses[j], p.Child("addresses").Index(j))...)
		}
		for j := range ss.NotReadyAddresses {
			errs = append(errs, validateEndpointAddress(&ss.NotReadyAddresses[j], p.Child("notReadyAddresses").Index(j))...)
		}
		for j := range ss.Ports {
			errs = append(errs, validateEndpointPort(&ss.Ports[j], len(ss.Ports) > 1, p.Child("ports").Index(j))...)
		}
	}
	return errs
}

func validateEndpointAddress(a *EndpointAddress, p *field.Path) field.ErrorList {
	errs := validateIP(a.IP, p.Child("ip"))
	if a.Hostname != "" {
		errs = append(errs, validateDNS1123Label(a.Hostname, p.Child("hostname"))...)
	}
	if a.NodeName != nil {
		for _, msg := range NameIsDNSSubdomain(*a.NodeName, false) {
			errs = append(errs, field.Invalid(p.Child("nodeName"), *a.NodeName, msg))
		}
	}
	return append(errs, validateNonSpecialIP(a.IP, p.Child("ip"))...)
}

func validateEndpointPort(port *EndpointPort, requireName bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if requireName && port.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else if port.Name != "" {
		errs = append(errs, validateDNS1123Label(port.Name, p.Child("name"))...)
	}
	if !validPortNum(port.Port) {
		errs = append(errs, field.Invalid(p.Child("port"), port.Port, inclusiveRangeError(1, 65535)))
	}
	errs = append(errs, validateProtocol(port.Protocol, p.Child("protocol"))...)
	if port.AppProtocol != nil {
		for _, msg := range selector.IsQualifiedName(*port.AppProtocol) {
			errs = append(errs, field.Invalid(p.Child("appProtocol"), *port.AppProtocol, msg))
		}
	}
	return errs
}

// DescribeEndpoints renders the size of an Endpoints object as the log
// shows it: "ready=3 notReady=1", counting each address once per subset.
func DescribeEndpoints(e *Endpoints) string {
	ready, notReady := 0, 0
	for _, ss := range e.Subsets {
		ready += len(ss.Addresses)
		notReady += len(ss.NotReadyAddresses)
	}
	return "ready=" + strconv.Itoa(ready) + " notReady=" + strconv.Itoa(notReady)
}

// The endpoints controller.

// EndpointsControllerName is the endpoints controller's actor name
// (upstream's event source component).
const EndpointsControllerName = "endpoint-controller"

// endpointsController is the endpoints controller. It keeps no state.
type endpointsController struct{}

// NewEndpointsController returns the endpoints controller, after
// upstream's pkg/controller/endpoint. For every Service with a selector
// (and not ExternalName) it keeps an Endpoints object of the same name in
// the same namespace, with the Service's labels (plus
// service.kubernetes.io/headless for a headless Service) and subsets that
// list the pods the selector matches:
//
//   - a pod takes part when it has a podIP, is not Succeeded or Failed,
//     and is not terminating (terminating pods do when the Service
//     publishes not-ready addresses);
//   - a Ready pod's address goes into addresses, any other into
//     notReadyAddresses (all into addresses with
//     spec.publishNotReadyAddresses); each address carries the pod's IP,
//     nodeName and a targetRef to the pod, and its hostname when the pod's
//     spec.hostname is set and its spec.subdomain names the Service;
//   - each Service port becomes an endpoint port numbered by its
//     targetPort: a number as it is, a name looked up among the pod's
//     container ports of the same protocol (a pod without it offers no
//     such port); a headless Service without ports lists addresses
//     without ports;
//   - addresses offering the same ports with the same readiness form one
//     subset (upstream's RepackSubsets); addresses are sorted by IP, then
//     namespace and name; ports by name, port and protocol; subsets by
//     their first port, then first address;
//   - beyond [MaxEndpointsCapacity] addresses the object is truncated as
//     upstream truncates it, and annotated.
//
// It writes only when the subsets, labels or capacity annotation change,
// logging "ready=N notReady=M" ([DescribeEndpoints]). When the Service is
// deleted, so are its Endpoints; Endpoints deleted while their Service
// exists are recreated. A Service whose selector is removed keeps its last
// Endpoints, as upstream.
//
// A pod change recomputes only the Services of the pod's namespace whose
// selector matches the pod's old or new labels; a recomputation costs time
// in proportion to the pods of the namespace.
func NewEndpointsController() Controller { return endpointsController{} }

// Name returns [EndpointsControllerName].
func (endpointsController) Name() string { return EndpointsControllerName }

func serviceKey(ns, name string) Key {
	return Key{Ref: Ref{Kind: KindService, Namespace: ns, Name: name}}
}

// Watch enqueues a Service when it changes, when its Endpoints are
// deleted, and when a pod it selects (before or after the change) changes
// in a way that shows in Endpoints.
func (endpointsController) Watch(v *View, ch Change, q Enqueuer) {
	if ch.Heartbeat {
		return
	}
	switch ch.Kind() {
	case KindService:
		m := ch.Object().Meta()
		q.Add(serviceKey(m.Namespace, m.Name))
	case KindEndpoints:
		if ch.New == nil {
			m := ch.Old.Meta()
			q.Add(serviceKey(m.Namespace, m.Name))
		}
	case KindPod:
		var old, cur *Pod
		if ch.Old != nil {
			old = ch.Old.(*Pod)
		}
		if ch.New != nil {
			cur = ch.New.(*Pod)
		}
		if old != nil && cur != nil && !podEndpointsChanged(old, cur) {
			return
		}
		if v.Count(KindService) == 0 {
			return // no Service to keep endpoints for
		}
		ns := ch.Object().Meta().Namespace
		for o := range v.List(KindService, ns) {
			s := o.(*Service)
			if (old != nil && s.selects(old.Labels)) || (cur != nil && s.selects(cur.Labels)) {
				q.Add(serviceKey(s.Namespace, s.Name))
			}
		}
	}
}

// podEndpointsChanged reports whether a pod update can change any
// Endpoints: its labels, IP, readiness, phase (terminal or not), node,
// hostname, subdomain, termination or container ports.
func podEndpointsChanged(old, cur *Pod) bool {
	return old.Status.PodIP != cur.Status.PodIP || old.IsReady() != cur.IsReady() ||
		old.IsTerminal() != cur.IsTerminal() || old.Terminating() != cur.Terminating() ||
		old.Spec.NodeName != cur.Spec.NodeName || old.Spec.Hostname != cur.Spec.Hostname ||
		old.Spec.Subdomain != cur.Spec.Subdomain || !maps.Equal(old.Labels, cur.Labels) ||
		!sameContainerPorts(old.Spec.Containers, cur.Spec.Containers)
}

func sameContainerPorts(a, b []Container) bool {
	return slices.EqualFunc(a, b, func(x, y Container) bool { return slices.Equal(x.Ports, y.Ports) })
}

// Reconcile syncs the Endpoints of one Service, as upstream's
// syncService does.
func (endpointsController) Reconcile(v *View, k Key) Result {
	epRef := Ref{Kind: KindEndpoints, Namespace: k.Namespace, Name: k.Name}
	o, ok := v.Get(k.Ref)
	if !ok {
		if _, exists := v.Get(epRef); !exists {
			return Result{}
		}
		return Result{Actions: []Action{Delete{Object: epRef, IgnoreNotFound: true}}}
	}
	svc := o.(*Service)
	if svc.Spec.Type == ServiceTypeExternalName || len(svc.Spec.Selector) == 0 {
		return Result{}
	}
	subsets := ComputeEndpointSubsets(svc, podsOf(v, svc))
	annotate := truncateSubsets(subsets)
	labels := endpointsLabels(svc)

	var cur *Endpoints
	if co, exists := v.Get(epRef); exists {
		cur = co.(*Endpoints)
		_, overCap := cur.Annotations[AnnotationEndpointsOverCapacity]
		if overCap == annotate && SemanticEqual(cur.Subsets, subsets) && maps.Equal(cur.Labels, labels) {
			return Result{}
		}
	}
	var ep *Endpoints
	if cur == nil {
		ep = &Endpoints{TypeMeta: TypeMeta{APIVersion: "v1", Kind: string(KindEndpoints)}}
		ep.Name, ep.Namespace = svc.Name, svc.Namespace
	} else {
		ep = cur.Clone().(*Endpoints)
	}
	ep.Subsets = subsets
	ep.Labels = labels
	_, had := ep.Annotations[AnnotationEndpointsOverCapacity]
	if had != annotate {
		ann := maps.Clone(ep.Annotations)
		if annotate {
			if ann == nil {
				ann = map[string]string{}
			}
			ann[AnnotationEndpointsOverCapacity] = "truncated"
		} else {
			delete(ann, AnnotationEndpointsOverCapacity)
		}
		ep.Annotations = ann
	}
	detail := ""
	if v.Logging() {
		detail = DescribeEndpoints(ep)
	}
	if cur == nil {
		return Result{Actions: []Action{Create{Object: ep, Detail: detail}}}
	}
	return Result{Actions: []Action{Update{Object: ep, Detail: detail}}}
}

// endpointsLabels returns the labels of a Service's Endpoints: the
// Service's, with service.kubernetes.io/headless="" when it has no
// virtual IP.
func endpointsLabels(svc *Service) map[string]string {
	labels := maps.Clone(svc.Labels)
	if !svc.hasClusterIP() {
		if labels == nil {
			labels = map[string]string{}
		}
		labels[LabelHeadlessService] = ""
	}
	return labels
}

// podsOf returns the pods of the Service's namespace its selector matches,
// in name order.
func podsOf(v *View, svc *Service) []*Pod {
	var pods []*Pod
	for o := range v.List(KindPod, svc.Namespace) {
		if p := o.(*Pod); svc.selects(p.Labels) {
			pods = append(pods, p)
		}
	}
	return pods
}

// inEndpoints reports whether a pod takes part in Endpoints (upstream's
// ShouldPodBeInEndpoints): it has an IP, is not Succeeded or Failed, and
// is not terminating unless includeTerminating.
func inEndpoints(p *Pod, includeTerminating bool) bool {
	return !p.IsTerminal() && p.Status.PodIP != "" && (includeTerminating || !p.Terminating())
}

// FindPort returns the pod's port number for a Service port: its
// targetPort when that is a number; when it is a name, the containerPort
// of the pod's container port of that name and the Service port's
// protocol (upstream's podutil.FindPort). ok is false when the pod has no
// such port.
func FindPort(p *Pod, sp *ServicePort) (port int32, ok bool) {
	if !sp.TargetPort.IsString {
		return sp.TargetPort.IntVal, true
	}
	for _, c := range p.Spec.Containers {
		for _, cp := range c.Ports {
			proto := cp.Protocol
			if proto == "" {
				proto = ProtocolTCP
			}
			if cp.Name == sp.TargetPort.StrVal && proto == sp.Protocol {
				return cp.ContainerPort, true
			}
		}
	}
	return 0, false
}

// addrKey identifies an endpoint address: its IP and the UID of its
// target (upstream's addressKey).
type addrKey struct{ ip, uid string }

// ComputeEndpointSubsets returns the subsets of the Endpoints of svc given
// the pods its selector matches, as the endpoints controller computes
// them (see [NewEndpointsController]), without truncation. It is a pure
// function of its arguments.
func ComputeEndpointSubsets(svc *Service, pods []*Pod) []EndpointSubset {
	publish := svc.Spec.PublishNotReadyAddresses
	var included []*Pod
	for _, p := range pods {
		if inEndpoints(p, publish) {
			included = append(included, p)
		}
	}
	if len(included) == 0 {
		return nil
	}
	// One address per pod (a pod's IP and UID make its address unique, so
	// upstream's "not ready wins" merge of duplicates never applies), with
	// the pod's readiness. Node names and targets share two arrays.
	addrs := make([]EndpointAddress, len(included))
	ready := make([]bool, len(included))
	nodes := make([]string, len(included))
	refs := make([]ObjectReference, len(included))
	for i, p := range included {
		nodes[i] = p.Spec.NodeName
		refs[i] = ObjectReference{Kind: string(KindPod), Namespace: p.Namespace, Name: p.Name, UID: p.UID}
		addrs[i] = EndpointAddress{IP: p.Status.PodIP, NodeName: &nodes[i], TargetRef: &refs[i]}
		if p.Spec.Hostname != "" && p.Spec.Subdomain == svc.Name && p.Namespace == svc.Namespace {
			addrs[i].Hostname = p.Spec.Hostname
		}
		ready[i] = publish || p.IsReady()
	}
	// Each endpoint port with the pods that offer it. A headless Service
	// without ports has one port-less group of every pod.
	type portPods struct {
		port     EndpointPort
		portless bool
		members  []bool
	}
	var ports []portPods
	if len(svc.Spec.Ports) == 0 {
		if !svc.IsHeadless() {
			return nil
		}
		all := make([]bool, len(included))
		for i := range all {
			all[i] = true
		}
		ports = append(ports, portPods{portless: true, members: all})
	}
	for i := range svc.Spec.Ports {
		sp := &svc.Spec.Ports[i]
		for pi, p := range included {
			num, ok := FindPort(p, sp)
			if !ok {
				continue
			}
			ep := EndpointPort{Name: sp.Name, Port: num, Protocol: sp.Protocol, AppProtocol: sp.AppProtocol}
			k := slices.IndexFunc(ports, func(x portPods) bool { return !x.portless && x.port == ep })
			if k < 0 {
				k = len(ports)
				ports = append(ports, portPods{port: ep, members: make([]bool, len(included))})
			}
			ports[k].members[pi] = true
		}
	}
	// Ports offered by the same pods form one subset (upstream's
	// RepackSubsets).
	type group struct {
		members []bool
		ports   []EndpointPort
	}
	var groups []group
	for _, pp := range ports {
		k := slices.IndexFunc(groups, func(g group) bool { return slices.Equal(g.members, pp.members) })
		if k < 0 {
			k = len(groups)
			groups = append(groups, group{members: pp.members})
		}
		if !pp.portless {
			groups[k].ports = append(groups[k].ports, pp.port)
		}
	}
	subsets := make([]EndpointSubset, 0, len(groups))
	for _, g := range groups {
		var ss EndpointSubset
		for i, in := range g.members {
			switch {
			case !in:
			case ready[i]:
				ss.Addresses = append(ss.Addresses, addrs[i])
			default:
				ss.NotReadyAddresses = append(ss.NotReadyAddresses, addrs[i])
			}
		}
		slices.SortFunc(ss.Addresses, compareEndpointAddresses)
		slices.SortFunc(ss.NotReadyAddresses, compareEndpointAddresses)
		ss.Ports = g.ports
		slices.SortFunc(ss.Ports, compareEndpointPorts)
		subsets = append(subsets, ss)
	}
	slices.SortFunc(subsets, compareSubsets)
	if len(subsets) == 0 {
		return nil
	}
	return subsets
}

// compareEndpointAddresses orders addresses by IP (as strings, as
// upstream's LessEndpointAddress compares them), then by target namespace
// and name.
func compareEndpointAddresses(a, b EndpointAddress) int {
	if c := strings.Compare(a.IP, b.IP); c != 0 {
		return c
	}
	var an, bn, ans, bns string
	if a.TargetRef != nil {
		ans, an = a.TargetRef.Namespace, a.TargetRef.Name
	}
	if b.TargetRef != nil {
		bns, bn = b.TargetRef.Namespace, b.TargetRef.Name
	}
	return cmp.Or(strings.Compare(ans, bns), strings.Compare(an, bn))
}

func compareEndpointPorts(a, b EndpointPort) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.Port, b.Port), strings.Compare(string(a.Protocol), string(b.Protocol)))
}

// compareSubsets orders subsets by their first port, then their first
// address (ready before not ready).
func compareSubsets(a, b EndpointSubset) int {
	switch {
	case len(a.Ports) == 0 && len(b.Ports) > 0:
		return -1
	case len(a.Ports) > 0 && len(b.Ports) == 0:
		return 1
	case len(a.Ports) > 0:
		if c := compareEndpointPorts(a.Ports[0], b.Ports[0]); c != 0 {
			return c
		}
	}
	first := func(ss EndpointSubset) (EndpointAddress, int) {
		if len(ss.Addresses) > 0 {
			return ss.Addresses[0], 0
		}
		if len(ss.NotReadyAddresses) > 0 {
			return ss.NotReadyAddresses[0], 1
		}
		return EndpointAddress{}, 2
	}
	fa, ra := first(a)
	fb, rb := first(b)
	return cmp.Or(compareEndpointAddresses(fa, fb), cmp.Compare(ra, rb))
}

// truncateSubsets cuts subsets down to MaxEndpointsCapacity addresses in
// place, as upstream's truncateEndpoints does: when the ready addresses
// alone exceed the capacity, every subset keeps its proportional share of
// ready addresses (rounded up, within what is left) and no not-ready
// ones; otherwise the not-ready addresses are cut the same way. It
// reports whether it cut anything.
func truncateSubsets(subsets []EndpointSubset) bool {
	ready, notReady := 0, 0
	for _, ss := range subsets {
		ready += len(ss.Addresses)
		notReady += len(ss.NotReadyAddresses)
	}
	if ready+notReady <= MaxEndpointsCapacity {
		return false
	}
	truncReady := ready > MaxEndpointsCapacity
	limit, total := MaxEndpointsCapacity-ready, notReady
	if truncReady {
		limit, total = MaxEndpointsCapacity, ready
	}
	left := limit
	for i := range subsets {
		ss := &subsets[i]
		n := len(ss.NotReadyAddresses)
		if truncReady {
			n = len(ss.Addresses)
		}
		keep := min(int(math.Ceil(float64(n)/float64(total)*float64(limit))), left)
		if truncReady {
			ss.Addresses = ss.Addresses[:min(keep, len(ss.Addresses))]
			ss.NotReadyAddresses = nil
			left -= len(ss.Addresses)
		} else {
			ss.NotReadyAddresses = ss.NotReadyAddresses[:min(keep, len(ss.NotReadyAddresses))]
			left -= len(ss.NotReadyAddresses)
		}
	}
	return true
}
