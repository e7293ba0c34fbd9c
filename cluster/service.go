package cluster

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
)

// ServiceType is the static type of Services (v1).
var ServiceType = &Type{Version: "v1", Kind: KindService, Resource: "services", Namespaced: true}

// Service is a Service (v1.Service): a stable virtual IP and DNS name in
// front of the pods its selector matches. Only the ClusterIP behaviour is
// simulated: NodePort and LoadBalancer Services are accepted, defaulted
// and validated, and behave as ClusterIP Services (no node port or load
// balancer is allocated); ExternalName Services are rejected. See
// [NewEndpointsController] and [LookupHost].
type Service struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       ServiceSpec   `json:"spec,omitzero"`
	Status     ServiceStatus `json:"status,omitzero"`
}

// Type returns [ServiceType].
func (*Service) Type() *Type { return ServiceType }

// Clone returns a shallow copy of s.
func (s *Service) Clone() Object { c := *s; return &c }

// TypeMetaPtr returns the object's TypeMeta, for the store.
func (s *Service) TypeMetaPtr() *TypeMeta { return &s.TypeMeta }

// ServiceTypeName is the type of a Service (spec.type): ClusterIP,
// NodePort, LoadBalancer or ExternalName. (The Go name avoids a clash with
// [ServiceType], the Service kind's static type.)
type ServiceTypeName string

// The Service types.
const (
	ServiceTypeClusterIP    ServiceTypeName = "ClusterIP"
	ServiceTypeNodePort     ServiceTypeName = "NodePort"
	ServiceTypeLoadBalancer ServiceTypeName = "LoadBalancer"
	ServiceTypeExternalName ServiceTypeName = "ExternalName"
)

// ClusterIPNone is the spec.clusterIP of a headless Service.
const ClusterIPNone = "None"

// ServiceAffinity is a Service's session affinity.
type ServiceAffinity string

// The session affinities. The simulation ignores them: a connection's
// backend is a function of its key (see [ServiceBackend]).
const (
	ServiceAffinityNone     ServiceAffinity = "None"
	ServiceAffinityClientIP ServiceAffinity = "ClientIP"
)

// IPFamily is an IP family of a Service.
type IPFamily string

// The IP families. Only IPv4 is simulated.
const (
	IPv4Protocol IPFamily = "IPv4"
	IPv6Protocol IPFamily = "IPv6"
)

// IPFamilyPolicy says how many IP families a Service wants.
type IPFamilyPolicy string

// The IP family policies.
const (
	IPFamilyPolicySingleStack      IPFamilyPolicy = "SingleStack"
	IPFamilyPolicyPreferDualStack  IPFamilyPolicy = "PreferDualStack"
	IPFamilyPolicyRequireDualStack IPFamilyPolicy = "RequireDualStack"
)

// TrafficPolicy is a Service's internal or external traffic policy.
type TrafficPolicy string

// The traffic policies. The simulation carries them and ignores them.
const (
	TrafficPolicyCluster TrafficPolicy = "Cluster"
	TrafficPolicyLocal   TrafficPolicy = "Local"
)

// DefaultClientIPServiceAffinitySeconds is the default
// sessionAffinityConfig.clientIP.timeoutSeconds (three hours).
const DefaultClientIPServiceAffinitySeconds int32 = 10800

// maxClientIPServiceAffinitySeconds is the largest timeoutSeconds (a day).
const maxClientIPServiceAffinitySeconds = 86400

// ServiceCIDR is the range virtual cluster IPs are allocated from (the
// kube-apiserver's default --service-cluster-ip-range).
const ServiceCIDR = "10.96.0.0/12"

// ServiceSpec is the spec of a [Service] (v1.ServiceSpec, reduced to the
// fields the simulation uses or carries).
type ServiceSpec struct {
	Ports                         []ServicePort          `json:"ports,omitempty"`
	Selector                      map[string]string      `json:"selector,omitempty"`
	ClusterIP                     string                 `json:"clusterIP,omitempty"`
	ClusterIPs                    []string               `json:"clusterIPs,omitempty"`
	Type                          ServiceTypeName        `json:"type,omitempty"`
	ExternalIPs                   []string               `json:"externalIPs,omitempty"`
	SessionAffinity               ServiceAffinity        `json:"sessionAffinity,omitempty"`
	LoadBalancerIP                string                 `json:"loadBalancerIP,omitempty"`
	ExternalTrafficPolicy         TrafficPolicy          `json:"externalTrafficPolicy,omitempty"`
	PublishNotReadyAddresses      bool                   `json:"publishNotReadyAddresses,omitempty"`
	SessionAffinityConfig         *SessionAffinityConfig `json:"sessionAffinityConfig,omitempty"`
	IPFamilies                    []IPFamily             `json:"ipFamilies,omitempty"`
	IPFamilyPolicy                *IPFamilyPolicy        `json:"ipFamilyPolicy,omitempty"`
	AllocateLoadBalancerNodePorts *bool                  `json:"allocateLoadBalancerNodePorts,omitempty"`
	InternalTrafficPolicy         *TrafficPolicy         `json:"internalTrafficPolicy,omitempty"`
}

// ServicePort is one port of a [Service].
type ServicePort struct {
	Name        string   `json:"name,omitempty"`
	Protocol    Protocol `json:"protocol,omitempty"`
	AppProtocol *string  `json:"appProtocol,omitempty"`
	Port        int32    `json:"port"`
	// TargetPort is the pods' port: a number, or the name of a container
	// port. It defaults to Port.
	TargetPort IntOrString `json:"targetPort,omitzero"`
	// NodePort is carried but never allocated.
	NodePort int32 `json:"nodePort,omitempty"`
}

// SessionAffinityConfig holds the parameters of ClientIP session affinity.
type SessionAffinityConfig struct {
	ClientIP *ClientIPConfig `json:"clientIP,omitempty"`
}

// ClientIPConfig holds the timeout of ClientIP session affinity.
type ClientIPConfig struct {
	TimeoutSeconds *int32 `json:"timeoutSeconds,omitempty"`
}

// ServiceStatus is the status of a [Service]; nothing in the simulation
// writes it.
type ServiceStatus struct {
	LoadBalancer Opaque `json:"loadBalancer,omitempty"`
	Conditions   Opaque `json:"conditions,omitempty"`
}

// IsHeadless reports whether the Service is headless (clusterIP None): it
// has no virtual IP, and its DNS name resolves to its endpoints.
func (s *Service) IsHeadless() bool { return s.Spec.ClusterIP == ClusterIPNone }

// hasClusterIP reports whether the Service has a virtual IP (upstream's
// helper.IsServiceIPSet).
func (s *Service) hasClusterIP() bool {
	return s.Spec.ClusterIP != ClusterIPNone && s.Spec.ClusterIP != ""
}

// externallyAccessible mirrors upstream's service.ExternallyAccessible.
func (s *Service) externallyAccessible() bool {
	return s.Spec.Type == ServiceTypeLoadBalancer || s.Spec.Type == ServiceTypeNodePort ||
		(s.Spec.Type == ServiceTypeClusterIP && len(s.Spec.ExternalIPs) > 0)
}

// Default applies the API server's Service defaults (SetDefaults_Service
// of pkg/apis/core/v1): sessionAffinity None (and no sessionAffinityConfig
// then; a ClientIP affinity gets a three-hour timeout), type ClusterIP,
// per port protocol TCP and targetPort equal to port, externalTrafficPolicy
// Cluster for externally accessible Services, internalTrafficPolicy
// Cluster, and allocateLoadBalancerNodePorts true for LoadBalancer
// Services. Slices and pointers s shares are replaced, never written.
func (s *Service) Default(Profile) {
	sp := &s.Spec
	if sp.SessionAffinity == "" {
		sp.SessionAffinity = ServiceAffinityNone
	}
	switch sp.SessionAffinity {
	case ServiceAffinityNone:
		sp.SessionAffinityConfig = nil
	case ServiceAffinityClientIP:
		if c := sp.SessionAffinityConfig; c == nil || c.ClientIP == nil || c.ClientIP.TimeoutSeconds == nil {
			t := DefaultClientIPServiceAffinitySeconds
			sp.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{TimeoutSeconds: &t}}
		}
	}
	if sp.Type == "" {
		sp.Type = ServiceTypeClusterIP
	}
	unsetTarget := func(v IntOrString) bool { return v == (IntOrString{}) || v == FromString("") }
	for i, p := range sp.Ports {
		if p.Protocol != "" && !unsetTarget(p.TargetPort) {
			continue
		}
		ports := slices.Clone(sp.Ports) // copied once, at the first port to change
		for j := i; j < len(ports); j++ {
			if ports[j].Protocol == "" {
				ports[j].Protocol = ProtocolTCP
			}
			if unsetTarget(ports[j].TargetPort) {
				ports[j].TargetPort = FromInt(ports[j].Port)
			}
		}
		sp.Ports = ports
		break
	}
	if s.externallyAccessible() && sp.ExternalTrafficPolicy == "" {
		sp.ExternalTrafficPolicy = TrafficPolicyCluster
	}
	if sp.InternalTrafficPolicy == nil {
		switch sp.Type {
		case ServiceTypeClusterIP, ServiceTypeNodePort, ServiceTypeLoadBalancer:
			p := TrafficPolicyCluster
			sp.InternalTrafficPolicy = &p
		}
	}
	if sp.Type == ServiceTypeLoadBalancer && sp.AllocateLoadBalancerNodePorts == nil {
		sp.AllocateLoadBalancerNodePorts = Bool(true)
	}
}

// Prepare sets what the API server sets on write (the service strategy's
// PrepareForCreate and PrepareForUpdate, the registry's
// patchAllocatedValues, and NormalizeClusterIPs):
//
//   - on create, the status is cleared; a clusterIP without clusterIPs
//     gives clusterIPs [clusterIP]; a Service that needs a virtual IP and
//     has none gets one ([ClusterIPFor] with probe 0; see
//     [AllocateClusterIP], which also avoids IPs taken by other Services);
//     ipFamilies [IPv4] and ipFamilyPolicy SingleStack when unset;
//   - on update, the status is kept; a manifest that leaves clusterIP,
//     clusterIPs, ipFamilies or ipFamilyPolicy empty keeps the stored
//     values (as kubectl apply, a patch, would); a changed clusterIP with
//     unchanged clusterIPs carries clusterIPs along.
func (s *Service) Prepare(old Object, _ Profile) {
	sp := &s.Spec
	if old == nil {
		s.Status = ServiceStatus{}
		if sp.Type == ServiceTypeExternalName {
			return
		}
		if sp.ClusterIP == "" && len(sp.ClusterIPs) == 0 {
			sp.ClusterIP = ClusterIPFor(s.Namespace, s.Name, 0)
		}
		if sp.ClusterIP != "" && len(sp.ClusterIPs) == 0 {
			sp.ClusterIPs = []string{sp.ClusterIP}
		}
		s.defaultFamilies()
		return
	}
	o := old.(*Service)
	s.Status = o.Status
	if sp.Type == ServiceTypeExternalName || o.Spec.Type == ServiceTypeExternalName {
		return
	}
	if sp.ClusterIP == "" && len(sp.ClusterIPs) == 0 {
		sp.ClusterIP, sp.ClusterIPs = o.Spec.ClusterIP, o.Spec.ClusterIPs
	} else if sp.ClusterIP != o.Spec.ClusterIP && slices.Equal(sp.ClusterIPs, o.Spec.ClusterIPs) {
		sp.ClusterIPs = nil
		if sp.ClusterIP != "" {
			sp.ClusterIPs = []string{sp.ClusterIP}
		}
	} else if sp.ClusterIP != "" && len(sp.ClusterIPs) == 0 {
		sp.ClusterIPs = []string{sp.ClusterIP}
	}
	if len(sp.IPFamilies) == 0 {
		sp.IPFamilies = o.Spec.IPFamilies
	}
	if sp.IPFamilyPolicy == nil {
		sp.IPFamilyPolicy = o.Spec.IPFamilyPolicy
	}
	s.defaultFamilies()
}

var singleStack = IPFamilyPolicySingleStack

// defaultFamilies sets ipFamilies [IPv4] and ipFamilyPolicy SingleStack
// where unset: the simulated cluster is single-stack IPv4.
func (s *Service) defaultFamilies() {
	if len(s.Spec.IPFamilies) == 0 {
		s.Spec.IPFamilies = []IPFamily{IPv4Protocol}
	}
	if s.Spec.IPFamilyPolicy == nil {
		p := singleStack
		s.Spec.IPFamilyPolicy = &p
	}
}

// WithStatusOf returns a copy of s with src's status.
func (s *Service) WithStatusOf(src Object) Object {
	c := *s
	c.Status = src.(*Service).Status
	return &c
}

// DescribeChange describes an update of the Service for the log: its
// metadata changes as [DescribeMetaChange] renders them, then
// "selector +k=v -k", "type=T", "clusterIP=IP" and "ports=…" for the spec
// parts that changed. The format is stable.
func (s *Service) DescribeChange(old Object) string {
	o := old.(*Service)
	var parts []string
	parts = appendMetaChange(parts, &o.ObjectMeta, &s.ObjectMeta)
	if d := describeMapChange(o.Spec.Selector, s.Spec.Selector); d != "" {
		parts = append(parts, "selector "+d)
	}
	if o.Spec.Type != s.Spec.Type {
		parts = append(parts, "type="+string(s.Spec.Type))
	}
	if o.Spec.ClusterIP != s.Spec.ClusterIP {
		parts = append(parts, "clusterIP="+s.Spec.ClusterIP)
	}
	if !SemanticEqual(o.Spec.Ports, s.Spec.Ports) {
		parts = append(parts, "ports="+DescribeServicePorts(s.Spec.Ports))
	}
	return strings.Join(parts, " ")
}

// DescribeServicePorts renders ports as kubectl get services prints them:
// "80/TCP,53/UDP"; with a targetPort other than the port,
// "80->8080/TCP"; "<none>" when there are none.
func DescribeServicePorts(ports []ServicePort) string {
	if len(ports) == 0 {
		return "<none>"
	}
	var b strings.Builder
	for i, p := range ports {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(int(p.Port)))
		if p.TargetPort != FromInt(p.Port) && p.TargetPort != (IntOrString{}) {
			b.WriteString("->")
			b.WriteString(p.TargetPort.String())
		}
		b.WriteByte('/')
		b.WriteString(string(p.Protocol))
	}
	return b.String()
}

// Validation.

const (
	dns1035LabelFmt    = "[a-z]([-a-z0-9]*[a-z0-9])?"
	dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
	validIPMsg         = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
)

// IsDNS1035Label reports what is wrong with s as a DNS-1035 label (at most
// 63 characters, starting with a letter), or nil. It mirrors
// validation.IsDNS1035Label in k8s.io/apimachinery/pkg/util/validation.
func IsDNS1035Label(s string) []string {
	var msgs []string
	if len(s) > 63 {
		msgs = append(msgs, maxLenError(63))
	}
	if !matchesDNSLabel(s) || s[0] < 'a' || s[0] > 'z' {
		msgs = append(msgs, regexError(dns1035LabelErrMsg, dns1035LabelFmt, "my-name", "abc-123"))
	}
	return msgs
}

// NameIsDNS1035Label is the [NameFunc] of Services: a DNS-1035 label. For
// a prefix, a trailing '-' is masked first, as for the other name
// functions.
func NameIsDNS1035Label(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1035Label(name)
}

// Validate validates the Service for the simulated API server:
// [ValidateService] on create (old nil), [ValidateServiceUpdate] on update.
func (s *Service) Validate(old Object, _ Profile) field.ErrorList {
	if old == nil {
		return ValidateService(s)
	}
	return ValidateServiceUpdate(s, old.(*Service))
}

var (
	supportedServiceTypes     = []string{string(ServiceTypeClusterIP), string(ServiceTypeExternalName), string(ServiceTypeLoadBalancer), string(ServiceTypeNodePort)}
	supportedAffinities       = []string{string(ServiceAffinityClientIP), string(ServiceAffinityNone)}
	supportedTrafficPolicies  = []string{string(TrafficPolicyCluster), string(TrafficPolicyLocal)}
	supportedIPFamilies       = []string{string(IPv4Protocol), string(IPv6Protocol)}
	supportedIPFamilyPolicies = []string{string(IPFamilyPolicyPreferDualStack), string(IPFamilyPolicyRequireDualStack), string(IPFamilyPolicySingleStack)}
	supportedProtocols        = []string{string(ProtocolSCTP), string(ProtocolTCP), string(ProtocolUDP)}
)

// ValidateService validates a Service as upstream's ValidateService does
// (pkg/apis/core/validation, after defaulting), in its order:
//
//  1. metadata, the name a DNS-1035 label;
//  2. ports required unless the Service is headless; headless NodePort
//     and LoadBalancer Services are invalid ("may not be set to 'None' for
//     NodePort services"); ExternalName Services are Forbidden at
//     spec.type ("ExternalName services are not simulated by daemonsim");
//  3. each port: a name (DNS-1123 label) required when there are several,
//     unique; port 1–65535; protocol TCP, UDP or SCTP; targetPort a port
//     number or a port name; appProtocol a qualified name;
//  4. selector labels valid;
//  5. sessionAffinity None or ClientIP (with a timeout of 1–86400 s);
//  6. clusterIP and clusterIPs in step, valid IPs ("None" only alone),
//     ipFamilies and ipFamilyPolicy supported values;
//  7. externalIPs valid, not special addresses;
//  8. type ClusterIP, NodePort, LoadBalancer or ExternalName; no nodePort
//     on a ClusterIP Service; no duplicate nodePort, nor (protocol, port);
//  9. allocateLoadBalancerNodePorts only (and required) for LoadBalancer;
//     externalTrafficPolicy only (and required) for externally accessible
//     Services; internalTrafficPolicy required and Cluster or Local.
func ValidateService(s *Service) field.ErrorList {
	sp := field.NewPath("spec")
	errs := ValidateObjectMeta(&s.ObjectMeta, true, NameIsDNS1035Label, field.NewPath("metadata"))
	headless := s.IsHeadless()
	if len(s.Spec.Ports) == 0 && !headless && s.Spec.Type != ServiceTypeExternalName {
		errs = append(errs, field.Required(sp.Child("ports"), ""))
	}
	switch s.Spec.Type {
	case ServiceTypeLoadBalancer, ServiceTypeNodePort:
		if headless {
			errs = append(errs, field.Invalid(sp.Child("clusterIPs").Index(0), firstOr(s.Spec.ClusterIPs, s.Spec.ClusterIP),
				"may not be set to 'None' for "+string(s.Spec.Type)+" services"))
		}
	case ServiceTypeExternalName:
		errs = append(errs, field.Forbidden(sp.Child("type"), "ExternalName services are not simulated by daemonsim"))
	}
	names := map[string]bool{}
	for i := range s.Spec.Ports {
		errs = append(errs, validateServicePort(&s.Spec.Ports[i], len(s.Spec.Ports) > 1, names, sp.Child("ports").Index(i))...)
	}
	if s.Spec.Selector != nil {
		errs = append(errs, selector.ValidateLabels(s.Spec.Selector, sp.Child("selector"))...)
	}
	switch s.Spec.SessionAffinity {
	case "":
		errs = append(errs, field.Required(sp.Child("sessionAffinity"), ""))
	case ServiceAffinityClientIP:
		errs = append(errs, validateClientIPAffinity(s.Spec.SessionAffinityConfig, sp.Child("sessionAffinityConfig"))...)
	case ServiceAffinityNone:
		if s.Spec.SessionAffinityConfig != nil {
			errs = append(errs, field.Forbidden(sp.Child("sessionAffinityConfig"), "must not be set when session affinity is None"))
		}
	default:
		errs = append(errs, field.NotSupported(sp.Child("sessionAffinity"), string(s.Spec.SessionAffinity), supportedAffinities))
	}
	errs = append(errs, validateClusterIPFields(s)...)
	for i, ip := range s.Spec.ExternalIPs {
		p := sp.Child("externalIPs").Index(i)
		if e := validateIP(ip, p); e != nil {
			errs = append(errs, e...)
		} else {
			errs = append(errs, validateNonSpecialIP(ip, p)...)
		}
	}
	switch s.Spec.Type {
	case "":
		errs = append(errs, field.Required(sp.Child("type"), ""))
	case ServiceTypeClusterIP, ServiceTypeNodePort, ServiceTypeLoadBalancer, ServiceTypeExternalName:
	default:
		errs = append(errs, field.NotSupported(sp.Child("type"), string(s.Spec.Type), supportedServiceTypes))
	}
	if s.Spec.Type == ServiceTypeClusterIP {
		for i := range s.Spec.Ports {
			if s.Spec.Ports[i].NodePort != 0 {
				errs = append(errs, field.Forbidden(sp.Child("ports").Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
			}
		}
	}
	type protoPort struct {
		proto Protocol
		port  int32
	}
	nodePorts := map[protoPort]bool{}
	for i, p := range s.Spec.Ports {
		if p.NodePort == 0 {
			continue
		}
		k := protoPort{p.Protocol, p.NodePort}
		if nodePorts[k] {
			errs = append(errs, field.Duplicate(sp.Child("ports").Index(i).Child("nodePort"), p.NodePort))
		}
		nodePorts[k] = true
	}
	ports := map[protoPort]bool{}
	for i, p := range s.Spec.Ports {
		k := protoPort{p.Protocol, p.Port}
		if ports[k] {
			errs = append(errs, field.Duplicate(sp.Child("ports").Index(i), internalServicePort{Protocol: p.Protocol, Port: p.Port}))
		}
		ports[k] = true
	}
	if s.Spec.AllocateLoadBalancerNodePorts != nil && s.Spec.Type != ServiceTypeLoadBalancer {
		errs = append(errs, field.Forbidden(sp.Child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"))
	}
	if s.Spec.Type == ServiceTypeLoadBalancer && s.Spec.AllocateLoadBalancerNodePorts == nil {
		// Upstream's path lacks the "spec." prefix.
		errs = append(errs, field.Required(field.NewPath("allocateLoadBalancerNodePorts"), ""))
	}
	if !s.externallyAccessible() {
		if s.Spec.ExternalTrafficPolicy != "" {
			errs = append(errs, field.Invalid(sp.Child("externalTrafficPolicy"), string(s.Spec.ExternalTrafficPolicy), "may only be set for externally-accessible services"))
		}
	} else if s.Spec.ExternalTrafficPolicy == "" {
		errs = append(errs, field.Required(sp.Child("externalTrafficPolicy"), ""))
	} else if !slices.Contains(supportedTrafficPolicies, string(s.Spec.ExternalTrafficPolicy)) {
		errs = append(errs, field.NotSupported(sp.Child("externalTrafficPolicy"), string(s.Spec.ExternalTrafficPolicy), supportedTrafficPolicies))
	}
	if s.Spec.InternalTrafficPolicy == nil {
		switch s.Spec.Type {
		case ServiceTypeClusterIP, ServiceTypeNodePort, ServiceTypeLoadBalancer:
			errs = append(errs, field.Required(sp.Child("internalTrafficPolicy"), ""))
		}
	} else if !slices.Contains(supportedTrafficPolicies, string(*s.Spec.InternalTrafficPolicy)) {
		errs = append(errs, field.NotSupported(sp.Child("internalTrafficPolicy"), string(*s.Spec.InternalTrafficPolicy), supportedTrafficPolicies))
	}
	return errs
}

// internalServicePort is how upstream prints a duplicate (protocol, port):
// its internal ServicePort type, which has no JSON names.
type internalServicePort struct {
	Name        string
	Protocol    Protocol
	AppProtocol *string
	Port        int32
	TargetPort  IntOrString
	NodePort    int32
}

func firstOr(list []string, s string) string {
	if len(list) > 0 {
		return list[0]
	}
	return s
}

// validateServicePort mirrors core validation's validateServicePort.
func validateServicePort(p *ServicePort, requireName bool, names map[string]bool, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if requireName && p.Name == "" {
		errs = append(errs, field.Required(path.Child("name"), ""))
	} else if p.Name != "" {
		errs = append(errs, validateDNS1123Label(p.Name, path.Child("name"))...)
		if names[p.Name] {
			errs = append(errs, field.Duplicate(path.Child("name"), p.Name))
		} else {
			names[p.Name] = true
		}
	}
	if !validPortNum(p.Port) {
		errs = append(errs, field.Invalid(path.Child("port"), p.Port, inclusiveRangeError(1, 65535)))
	}
	errs = append(errs, validateProtocol(p.Protocol, path.Child("protocol"))...)
	errs = append(errs, validatePortNumOrName(p.TargetPort, path.Child("targetPort"))...)
	if p.AppProtocol != nil {
		for _, msg := range selector.IsQualifiedName(*p.AppProtocol) {
			errs = append(errs, field.Invalid(path.Child("appProtocol"), *p.AppProtocol, msg))
		}
	}
	return errs
}

func validateProtocol(proto Protocol, p *field.Path) field.ErrorList {
	switch proto {
	case ProtocolTCP, ProtocolUDP, ProtocolSCTP:
		return nil
	case "":
		return field.ErrorList{field.Required(p, "")}
	}
	return field.ErrorList{field.NotSupported(p, string(proto), supportedProtocols)}
}

// validatePortNumOrName mirrors core validation's ValidatePortNumOrName.
func validatePortNumOrName(v IntOrString, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !v.IsString {
		if !validPortNum(v.IntVal) {
			errs = append(errs, field.Invalid(p, v.IntVal, inclusiveRangeError(1, 65535)))
		}
		return errs
	}
	for _, msg := range isValidPortName(v.StrVal) {
		errs = append(errs, field.Invalid(p, v.StrVal, msg))
	}
	return errs
}

// validateClientIPAffinity mirrors core validation's
// validateClientIPAffinityConfig.
func validateClientIPAffinity(c *SessionAffinityConfig, p *field.Path) field.ErrorList {
	const when = "when session affinity type is ClientIP"
	switch {
	case c == nil:
		return field.ErrorList{field.Required(p, when)}
	case c.ClientIP == nil:
		return field.ErrorList{field.Required(p.Child("clientIP"), when)}
	case c.ClientIP.TimeoutSeconds == nil:
		return field.ErrorList{field.Required(p.Child("clientIP", "timeoutSeconds"), when)}
	}
	if t := *c.ClientIP.TimeoutSeconds; t <= 0 || t > maxClientIPServiceAffinitySeconds {
		return field.ErrorList{field.Invalid(p.Child("clientIP", "timeoutSeconds"), t,
			fmt.Sprintf("must be greater than 0 and less than %d", maxClientIPServiceAffinitySeconds))}
	}
	return nil
}

// validateClusterIPFields mirrors core validation's
// ValidateServiceClusterIPsRelatedFields.
func validateClusterIPFields(s *Service) field.ErrorList {
	if s.Spec.Type == ServiceTypeExternalName {
		return nil
	}
	var errs field.ErrorList
	sp := field.NewPath("spec")
	ipsPath := sp.Child("clusterIPs")
	ips := s.Spec.ClusterIPs
	if s.Spec.ClusterIP != "" {
		if len(ips) == 0 {
			errs = append(errs, field.Required(ipsPath, ""))
		} else if ips[0] != s.Spec.ClusterIP {
			errs = append(errs, field.Invalid(ipsPath, ips, "first value must match `clusterIP`"))
		}
	} else if len(ips) != 0 {
		errs = append(errs, field.Invalid(ipsPath, ips, "must be empty when `clusterIP` is not specified"))
	}
	seen := map[IPFamily]bool{}
	for i, f := range s.Spec.IPFamilies {
		p := sp.Child("ipFamilies").Index(i)
		if f != IPv4Protocol && f != IPv6Protocol {
			errs = append(errs, field.NotSupported(p, string(f), supportedIPFamilies))
		}
		if seen[f] {
			errs = append(errs, field.Duplicate(p, string(f)))
		}
		seen[f] = true
	}
	if pol := s.Spec.IPFamilyPolicy; pol != nil && !slices.Contains(supportedIPFamilyPolicies, string(*pol)) {
		errs = append(errs, field.NotSupported(sp.Child("ipFamilyPolicy"), string(*pol), supportedIPFamilyPolicies))
	}
	invalid := false
	for i, ip := range ips {
		if i == 0 && ip == ClusterIPNone {
			if len(ips) > 1 {
				invalid = true
				errs = append(errs, field.Invalid(ipsPath, ips, "'None' must be the first and only value"))
			}
			continue
		}
		if e := validateIP(ip, ipsPath.Index(i)); e != nil {
			invalid = true
			errs = append(errs, e...)
		}
	}
	if len(ips) > 2 {
		errs = append(errs, field.Invalid(ipsPath, ips, "may only hold up to 2 values"))
	}
	if invalid {
		return errs
	}
	if len(ips) == 2 {
		a, _ := netip.ParseAddr(ips[0])
		b, _ := netip.ParseAddr(ips[1])
		if a.Is4() == b.Is4() {
			errs = append(errs, field.Invalid(ipsPath, ips, "may specify no more than one IP for each IP family"))
		}
	}
	if !s.IsHeadless() {
		for i, ip := range ips {
			if i >= len(s.Spec.IPFamilies) {
				break
			}
			a, _ := netip.ParseAddr(ip)
			switch {
			case s.Spec.IPFamilies[i] == IPv4Protocol && !a.Is4():
				errs = append(errs, field.Invalid(ipsPath.Index(i), ip, fmt.Sprintf("expected an IPv4 value as indicated by `ipFamilies[%d]`", i)))
			case s.Spec.IPFamilies[i] == IPv6Protocol && a.Is4():
				errs = append(errs, field.Invalid(ipsPath.Index(i), ip, fmt.Sprintf("expected an IPv6 value as indicated by `ipFamilies[%d]`", i)))
			}
		}
	}
	return errs
}

// parseIP parses an IPv4 or IPv6 address; an IPv4-mapped IPv6 address is
// its IPv4 address.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// validateIP mirrors validation.IsValidIP (addresses with leading zeros,
// which upstream's sloppy parser accepts with a warning, are rejected).
func validateIP(ip string, p *field.Path) field.ErrorList {
	if _, ok := parseIP(ip); !ok {
		return field.ErrorList{field.Invalid(p, ip, validIPMsg)}
	}
	return nil
}

// validateNonSpecialIP mirrors core validation's ValidateNonSpecialIP.
func validateNonSpecialIP(ip string, p *field.Path) field.ErrorList {
	a, ok := parseIP(ip)
	if !ok {
		return field.ErrorList{field.Invalid(p, ip, "must be a valid IP address")}
	}
	var errs field.ErrorList
	if a.IsUnspecified() {
		errs = append(errs, field.Invalid(p, ip, fmt.Sprintf("may not be unspecified (%v)", ip)))
	}
	if a.IsLoopback() {
		errs = append(errs, field.Invalid(p, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
	}
	if a.IsLinkLocalUnicast() {
		errs = append(errs, field.Invalid(p, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
	}
	if a.IsLinkLocalMulticast() {
		errs = append(errs, field.Invalid(p, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
	}
	return errs
}

// ValidateServiceUpdate validates an update of a Service as upstream's
// ValidateServiceUpdate does: the metadata update rules; a clusterIP, once
// set, may not change (`spec.clusterIPs[0]: Invalid value:
// ["10.96.0.10"]: may not change once set`), except to or from headless
// or ExternalName; then the new Service as [ValidateService].
func ValidateServiceUpdate(s, old *Service) field.ErrorList {
	errs := ValidateObjectMetaUpdate(&s.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))
	errs = append(errs, validateClusterIPsUpdate(old, s)...)
	return append(errs, ValidateService(s)...)
}

// validateClusterIPsUpdate mirrors core validation's
// validateUpgradeDowngradeClusterIPs for single-stack Services.
func validateClusterIPsUpdate(old, s *Service) field.ErrorList {
	if s.Spec.Type == ServiceTypeExternalName || old.Spec.Type == ServiceTypeExternalName {
		return nil
	}
	if old.IsHeadless() && s.IsHeadless() {
		return nil
	}
	p := field.NewPath("spec", "clusterIPs")
	o, n := old.Spec.ClusterIPs, s.Spec.ClusterIPs
	var errs field.ErrorList
	switch {
	case len(o) == len(n):
		for i := range o {
			if o[i] != n[i] {
				errs = append(errs, field.Invalid(p.Index(i), n, "may not change once set"))
			}
		}
	case len(o) > len(n):
		if len(n) == 0 {
			errs = append(errs, field.Invalid(p.Index(0), n, "primary clusterIP can not be unset"))
		} else if n[0] != o[0] {
			errs = append(errs, field.Invalid(p.Index(0), n, "may not change once set"))
		}
	default:
		if len(o) > 0 && n[0] != o[0] {
			errs = append(errs, field.Invalid(p.Index(0), n, "may not change once set"))
		}
	}
	return errs
}

// Cluster IP allocation.

// serviceNet is ServiceCIDR as a base address and a size.
var serviceNet = func() struct {
	base uint32
	size uint32
} {
	pfx := netip.MustParsePrefix(ServiceCIDR)
	b := pfx.Addr().As4()
	return struct {
		base uint32
		size uint32
	}{binary.BigEndian.Uint32(b[:]), 1 << (32 - pfx.Bits())}
}()

// ClusterIPFor returns the probe-th candidate virtual IP of the Service
// namespace/name in [ServiceCIDR]: the first candidate is derived from a
// hash of namespace/name, and each further probe takes the next address,
// wrapping around. The network address, the first host address (which
// upstream keeps for the "kubernetes" Service) and the broadcast address
// are never candidates. The result depends on nothing but the arguments.
func ClusterIPFor(namespace, name string, probe uint32) string {
	n := serviceNet.size - 3 // candidates: offsets 2 … size-2
	off := 2 + uint32((mix64(hashString(namespace+"/"+name))+uint64(probe))%uint64(n))
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], serviceNet.base+off)
	return netip.AddrFrom4(b).String()
}

// inServiceNet reports whether a is in ServiceCIDR.
func inServiceNet(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	x := binary.BigEndian.Uint32(b[:])
	return x-serviceNet.base < serviceNet.size
}

// AllocateClusterIP completes the virtual IP of a Service being created
// against the Services stored in v, as the API server's cluster IP
// allocator does: a Service without clusterIP (and not headless, not
// ExternalName) gets the first [ClusterIPFor] candidate that no stored
// Service holds; a requested clusterIP must lie in [ServiceCIDR] and be
// free. The errors carry upstream's words:
//
//	spec.clusterIPs: Invalid value: ["10.0.0.1"]: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12
//	spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated
//
// An unparsable clusterIP is left to validation. The API server of this
// package calls it on create before [Service.Prepare] (whose own
// allocation, without the collision check, is then a no-op).
func AllocateClusterIP(v *View, s *Service) field.ErrorList {
	sp := &s.Spec
	if sp.Type == ServiceTypeExternalName || sp.ClusterIP == ClusterIPNone {
		return nil
	}
	taken := map[string]bool{}
	for o := range v.List(KindService, "") {
		other := o.(*Service)
		if other.Namespace == s.Namespace && other.Name == s.Name {
			continue
		}
		for _, ip := range other.Spec.ClusterIPs {
			taken[ip] = true
		}
		taken[other.Spec.ClusterIP] = true
	}
	if sp.ClusterIP != "" {
		a, ok := parseIP(sp.ClusterIP)
		if !ok {
			return nil
		}
		ips := sp.ClusterIPs
		if len(ips) == 0 {
			ips = []string{sp.ClusterIP}
		}
		p := field.NewPath("spec", "clusterIPs")
		switch {
		case !inServiceNet(a):
			return field.ErrorList{field.Invalid(p, ips, fmt.Sprintf("failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s", sp.ClusterIP, sp.ClusterIP, ServiceCIDR))}
		case taken[a.String()]:
			return field.ErrorList{field.Invalid(p, ips, fmt.Sprintf("failed to allocate IP %s: provided IP is already allocated", sp.ClusterIP))}
		}
		return nil
	}
	for probe := uint32(0); probe < serviceNet.size; probe++ {
		ip := ClusterIPFor(s.Namespace, s.Name, probe)
		if !taken[ip] {
			sp.ClusterIP = ip
			sp.ClusterIPs = []string{ip}
			s.defaultFamilies()
			return nil
		}
	}
	return field.ErrorList{field.InternalError(field.NewPath("spec", "clusterIPs"), fmt.Errorf("failed to allocate a serviceIP: range is full"))}
}

// selects reports whether the Service's selector selects labels. A
// Service without a selector (nil or empty) selects nothing: its
// endpoints are managed by hand. Matching allocates nothing.
func (s *Service) selects(labels map[string]string) bool {
	if len(s.Spec.Selector) == 0 {
		return false
	}
	for k, v := range s.Spec.Selector {
		if w, ok := labels[k]; !ok || w != v {
			return false
		}
	}
	return true
}
