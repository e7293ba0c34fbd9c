package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// ClusterDomain is the DNS domain of the simulated cluster.
const ClusterDomain = "cluster.local"

// ErrNoEndpoints is matched (errors.Is) by the error [ServiceBackend]
// returns for a Service without ready endpoints.
var ErrNoEndpoints = errors.New("cluster: no endpoints available")

// noEndpointsError is the error of a Service without ready endpoints, in
// the API server's words for a proxied request to it.
type noEndpointsError struct{ service string }

// Error returns the API server's message.
func (e *noEndpointsError) Error() string {
	return fmt.Sprintf("no endpoints available for service %q", e.service)
}

// Is matches [ErrNoEndpoints].
func (e *noEndpointsError) Is(target error) bool { return target == ErrNoEndpoints }

// dnsName is a name of the cluster DNS: a Service, or one hostname of a
// headless Service's endpoints.
type dnsName struct {
	host, service, namespace string
}

func (n dnsName) fqdn() string {
	s := n.service + "." + n.namespace + ".svc." + ClusterDomain
	if n.host != "" {
		s = n.host + "." + s
	}
	return s
}

// parseDNSName interprets name as a client in namespace "default" would
// have it resolved, with the search path "default.svc.cluster.local
// svc.cluster.local cluster.local":
//
//	svc                          Service svc in namespace default
//	svc.ns, svc.ns.svc           Service svc in namespace ns
//	svc.ns.svc.cluster.local     the same, fully qualified
//	host.svc.ns[.svc[.cluster.local]]  a hostname among svc's endpoints
//
// A trailing dot and upper case are allowed. Other names are not the
// cluster's.
func parseDNSName(name string) (dnsName, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if name == "" {
		return dnsName{}, false
	}
	if rest, ok := strings.CutSuffix(name, "."+ClusterDomain); ok {
		name, ok = strings.CutSuffix(rest, ".svc")
		if !ok {
			return dnsName{}, false
		}
	} else {
		name = strings.TrimSuffix(name, ".svc")
	}
	parts := strings.Split(name, ".")
	for _, p := range parts {
		if p == "" {
			return dnsName{}, false
		}
	}
	switch len(parts) {
	case 1:
		return dnsName{service: parts[0], namespace: "default"}, true
	case 2:
		return dnsName{service: parts[0], namespace: parts[1]}, true
	case 3:
		return dnsName{host: parts[0], service: parts[1], namespace: parts[2]}, true
	}
	return dnsName{}, false
}

// nxdomain returns the error a Go resolver returns for a name that does
// not exist: "lookup NAME: no such host".
func nxdomain(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

// LookupHost resolves name with the cluster DNS as a pod in namespace
// "default" would (CoreDNS's kubernetes plugin behind the pod's search
// path), and returns its IPv4 addresses:
//
//   - svc, svc.ns, svc.ns.svc and svc.ns.svc.cluster.local name Service
//     svc of namespace ns ("default" for a bare name). A Service with a
//     virtual IP resolves to its clusterIP alone, whatever its endpoints;
//     a headless Service to the ready addresses of its Endpoints (several
//     A records), sorted by address;
//   - host.svc.ns (and the longer forms) names the ready address whose
//     hostname is host among a headless Service's endpoints.
//
// Any other name, an unknown Service, or a headless Service without ready
// addresses gives a *net.DNSError with IsNotFound set, worded as a
// resolver's NXDOMAIN with the fully qualified name:
//
//	lookup web.default.svc.cluster.local: no such host
//
// Not simulated: other record types, pod A records
// (1-2-3-4.ns.pod.cluster.local), names outside the cluster, the
// resolver's ndots and per-namespace search paths of other clients.
func LookupHost(v *View, name string) ([]string, error) {
	n, ok := parseDNSName(name)
	if !ok {
		return nil, nxdomain(strings.TrimSuffix(name, "."))
	}
	o, ok := v.Get(Ref{Kind: KindService, Namespace: n.namespace, Name: n.service})
	if !ok {
		return nil, nxdomain(n.fqdn())
	}
	svc := o.(*Service)
	if n.host == "" && svc.hasClusterIP() {
		return []string{svc.Spec.ClusterIP}, nil
	}
	if !svc.IsHeadless() {
		return nil, nxdomain(n.fqdn())
	}
	var ips []string
	for _, a := range readyAddresses(v, n.namespace, n.service) {
		if n.host == "" || a.Hostname == n.host {
			ips = append(ips, a.IP)
		}
	}
	slices.SortFunc(ips, compareIPs)
	ips = slices.Compact(ips)
	if len(ips) == 0 {
		return nil, nxdomain(n.fqdn())
	}
	return ips, nil
}

// compareIPs orders addresses numerically ("10.0.0.9" before
// "10.0.0.10"), unparsable ones last, by text.
func compareIPs(a, b string) int {
	x, okx := parseIP(a)
	y, oky := parseIP(b)
	switch {
	case okx && oky:
		return cmp.Or(x.Compare(y), strings.Compare(a, b))
	case okx:
		return -1
	case oky:
		return 1
	}
	return strings.Compare(a, b)
}

// readyAddresses returns the ready addresses of the Endpoints ns/name,
// each once (by IP and target), in the order compareReady gives.
func readyAddresses(v *View, ns, name string) []EndpointAddress {
	o, ok := v.Get(Ref{Kind: KindEndpoints, Namespace: ns, Name: name})
	if !ok {
		return nil
	}
	var out []EndpointAddress
	seen := map[addrKey]bool{}
	for _, ss := range o.(*Endpoints).Subsets {
		for _, a := range ss.Addresses {
			k := addrKey{ip: a.IP}
			if a.TargetRef != nil {
				k.uid = a.TargetRef.UID
			}
			if !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	slices.SortFunc(out, func(a, b EndpointAddress) int {
		return cmp.Or(compareIPs(a.IP, b.IP), compareEndpointAddresses(a, b))
	})
	return out
}

// ServiceBackend returns the endpoint a connection to Service ns/svcName
// reaches: what kube-proxy picks behind the Service's virtual IP, or what
// a client of a headless Service picks among its A records. kube-proxy
// picks at random; here the choice is a function of key: the (key mod n)-th
// of the n ready addresses of the Service's Endpoints, in address order
// (each address once). Keys 0, 1, …, n-1 therefore reach every backend
// once. podRef is the pod behind the address (zero for an address without
// a pod target). ns "" means "default".
//
// It fails with the API server's NotFound error for an unknown Service
// (`services "web" not found`), and with an error matching
// [ErrNoEndpoints] when no address is ready:
//
//	no endpoints available for service "web"
//
// Session affinity is not simulated.
func ServiceBackend(v *View, svcName, ns string, key uint64) (podRef Ref, ip string, err error) {
	if ns == "" {
		ns = "default"
	}
	if _, ok := v.Get(Ref{Kind: KindService, Namespace: ns, Name: svcName}); !ok {
		return Ref{}, "", NewNotFound(ServiceType, svcName)
	}
	addrs := readyAddresses(v, ns, svcName)
	if len(addrs) == 0 {
		return Ref{}, "", &noEndpointsError{service: svcName}
	}
	a := addrs[key%uint64(len(addrs))]
	if t := a.TargetRef; t != nil && t.Kind == string(KindPod) {
		podRef = Ref{Kind: KindPod, Namespace: t.Namespace, Name: t.Name}
	}
	return podRef, a.IP, nil
}

// HostPortTargets lists "nodeIP:port" for every node that runs a ready,
// running pod (bound to it, not terminating) with a container port whose
// hostPort is port and whose protocol is protocol ("" means TCP): the
// addresses a client that knows the port reaches a daemon at (claim S18).
// The address is the container port's hostIP when it names one, else the
// pod's hostIP, else the node's InternalIP; nodes without any are left
// out. The list is in node name order, each address once. hostNetwork
// pods count: their ports are their host ports.
func HostPortTargets(v *View, port int32, protocol Protocol) []string {
	if protocol == "" {
		protocol = ProtocolTCP
	}
	portStr := strconv.Itoa(int(port))
	var out []string
	for node := range v.Nodes() {
		var seen []string
		for p := range v.PodsOnNode(node.Name) {
			if p.Spec.NodeName != node.Name || p.Terminating() || p.Status.Phase != PodRunning || !p.IsReady() {
				continue
			}
			for _, c := range p.Spec.Containers {
				for _, cp := range c.Ports {
					proto := cp.Protocol
					if proto == "" {
						proto = ProtocolTCP
					}
					if cp.HostPort != port || proto != protocol {
						continue
					}
					ip := cp.HostIP
					if a, ok := parseIP(ip); !ok || a.IsUnspecified() {
						ip = cmp.Or(p.Status.HostIP, node.InternalIP())
					}
					if ip == "" || slices.Contains(seen, ip) {
						continue
					}
					seen = append(seen, ip)
					out = append(out, net.JoinHostPort(ip, portStr))
				}
			}
		}
	}
	return out
}
