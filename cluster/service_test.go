package cluster

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// svTestService returns a ClusterIP Service "web" selecting app=web on port
// 80, before defaulting.
func svTestService() *Service {
	s := &Service{}
	s.Name = "web"
	s.Namespace = "default"
	s.Spec.Selector = map[string]string{"app": "web"}
	s.Spec.Ports = []ServicePort{{Port: 80}}
	return s
}

// svPrepared returns s defaulted and prepared as the API server does on
// create.
func svPrepared(s *Service) *Service {
	s.Default(Modern)
	s.Prepare(nil, Modern)
	return s
}

func svCluster(t *testing.T, ctrls ...Controller) *Cluster {
	t.Helper()
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Register(ctrls...); err != nil {
		t.Fatal(err)
	}
	return c
}

func svCheck(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestServiceDefault checks SetDefaults_Service and that defaulting never
// writes into the ports slice the input shares.
func TestServiceDefault(t *testing.T) {
	cluster := TrafficPolicyCluster
	tests := []struct {
		name string
		in   func(s *Service)
		want func(s *Service)
	}{{
		name: "clusterip",
		in:   func(*Service) {},
		want: func(s *Service) {
			s.Spec.Ports = []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromInt(80)}}
		},
	}, {
		name: "named-target",
		in: func(s *Service) {
			s.Spec.Ports = []ServicePort{{Port: 80, TargetPort: FromString("http"), Protocol: ProtocolUDP}, {Port: 81}}
		},
		want: func(s *Service) {
			s.Spec.Ports = []ServicePort{{Port: 80, Protocol: ProtocolUDP, TargetPort: FromString("http")}, {Port: 81, Protocol: ProtocolTCP, TargetPort: FromInt(81)}}
		},
	}, {
		name: "nodeport",
		in:   func(s *Service) { s.Spec.Type = ServiceTypeNodePort },
		want: func(s *Service) {
			s.Spec.Type = ServiceTypeNodePort
			s.Spec.ExternalTrafficPolicy = TrafficPolicyCluster
			s.Spec.Ports = []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromInt(80)}}
		},
	}, {
		name: "loadbalancer",
		in:   func(s *Service) { s.Spec.Type = ServiceTypeLoadBalancer },
		want: func(s *Service) {
			s.Spec.Type = ServiceTypeLoadBalancer
			s.Spec.ExternalTrafficPolicy = TrafficPolicyCluster
			s.Spec.AllocateLoadBalancerNodePorts = Bool(true)
			s.Spec.Ports = []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromInt(80)}}
		},
	}, {
		name: "clientip",
		in:   func(s *Service) { s.Spec.SessionAffinity = ServiceAffinityClientIP },
		want: func(s *Service) {
			s.Spec.SessionAffinity = ServiceAffinityClientIP
			s.Spec.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{TimeoutSeconds: ptrTo(int32(10800))}}
			s.Spec.Ports = []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromInt(80)}}
		},
	}, {
		name: "none-drops-config",
		in: func(s *Service) {
			s.Spec.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{TimeoutSeconds: ptrTo(int32(5))}}
		},
		want: func(s *Service) {
			s.Spec.Ports = []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromInt(80)}}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := svTestService()
			tc.in(in)
			before := DeepCopy(in).(*Service)
			got := in.Clone().(*Service)
			got.Default(Modern)
			want := svTestService()
			want.Spec.SessionAffinity = ServiceAffinityNone
			want.Spec.Type = ServiceTypeClusterIP
			want.Spec.InternalTrafficPolicy = &cluster
			tc.want(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Default mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, in); diff != "" {
				t.Errorf("Default wrote into the input's shared parts (-before +after):\n%s", diff)
			}
		})
	}
}

// TestValidateService checks the essentials of upstream's ValidateService,
// messages included, on Services defaulted and prepared as on create.
func TestValidateService(t *testing.T) {
	dns1035 := "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
	tests := []struct {
		name   string
		before func(s *Service) // before defaulting
		after  func(s *Service) // after defaulting and preparing
		want   []string
	}{
		{name: "valid"},
		{name: "headless-without-ports", before: func(s *Service) { s.Spec.ClusterIP = ClusterIPNone; s.Spec.Ports = nil }},
		{name: "nodeport", before: func(s *Service) { s.Spec.Type = ServiceTypeNodePort; s.Spec.Ports[0].NodePort = 30080 }},
		{name: "name-underscore", before: func(s *Service) { s.Name = "web_1" },
			want: []string{`metadata.name: Invalid value: "web_1": ` + dns1035}},
		{name: "name-digit", before: func(s *Service) { s.Name = "1web" },
			want: []string{`metadata.name: Invalid value: "1web": ` + dns1035}},
		{name: "ports-required", before: func(s *Service) { s.Spec.Ports = nil },
			want: []string{"spec.ports: Required value"}},
		{name: "names-required", before: func(s *Service) { s.Spec.Ports = []ServicePort{{Port: 80}, {Port: 81}} },
			want: []string{"spec.ports[0].name: Required value", "spec.ports[1].name: Required value"}},
		{name: "port-range", before: func(s *Service) { s.Spec.Ports[0].Port = 70000 },
			// The defaulted targetPort is out of range too.
			want: []string{"spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
				"spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"}},
		{name: "protocol", before: func(s *Service) { s.Spec.Ports[0].Protocol = "HTTP" },
			want: []string{`spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`}},
		{name: "target-name", before: func(s *Service) { s.Spec.Ports[0].TargetPort = FromString("Web") },
			want: []string{`spec.ports[0].targetPort: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`}},
		{name: "target-number", after: func(s *Service) { s.Spec.Ports[0].TargetPort = FromInt(0) },
			want: []string{"spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"}},
		{name: "duplicate-port", before: func(s *Service) {
			s.Spec.Ports = []ServicePort{{Name: "a", Port: 80}, {Name: "b", Port: 80, TargetPort: FromInt(8080)}}
		}, want: []string{`spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}`}},
		{name: "duplicate-name", before: func(s *Service) {
			s.Spec.Ports = []ServicePort{{Name: "a", Port: 80}, {Name: "a", Port: 81}}
		}, want: []string{`spec.ports[1].name: Duplicate value: "a"`}},
		{name: "selector", before: func(s *Service) { s.Spec.Selector = map[string]string{"app": "-web"} },
			want: []string{`spec.selector: Invalid value: "-web": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`}},
		{name: "headless-nodeport", before: func(s *Service) { s.Spec.ClusterIP = ClusterIPNone; s.Spec.Type = ServiceTypeNodePort },
			want: []string{`spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`}},
		{name: "externalname", after: func(s *Service) { s.Spec.Type = ServiceTypeExternalName },
			want: []string{"spec.type: Forbidden: ExternalName services are not simulated by daemonsim"}},
		{name: "type", after: func(s *Service) { s.Spec.Type = "Bogus" },
			want: []string{`spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`}},
		{name: "nodeport-on-clusterip", before: func(s *Service) { s.Spec.Ports[0].NodePort = 30080 },
			want: []string{"spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"}},
		{name: "cluster-ip", before: func(s *Service) { s.Spec.ClusterIP = "10.96.0.300" },
			want: []string{`spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`}},
		{name: "cluster-ips-mismatch", before: func(s *Service) { s.Spec.ClusterIP = "10.96.0.10"; s.Spec.ClusterIPs = []string{"10.96.0.11"} },
			want: []string{"spec.clusterIPs: Invalid value: [\"10.96.0.11\"]: first value must match `clusterIP`"}},
		{name: "ip-family", after: func(s *Service) { s.Spec.IPFamilies = []IPFamily{"IPv5"} },
			want: []string{`spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"`}},
		{name: "external-traffic-policy", before: func(s *Service) { s.Spec.ExternalTrafficPolicy = TrafficPolicyLocal },
			want: []string{`spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`}},
		{name: "affinity", before: func(s *Service) { s.Spec.SessionAffinity = "Sticky" },
			want: []string{`spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"`}},
		{name: "affinity-timeout", before: func(s *Service) {
			s.Spec.SessionAffinity = ServiceAffinityClientIP
			s.Spec.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{TimeoutSeconds: ptrTo(int32(0))}}
		}, want: []string{"spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"}},
		{name: "external-ip", before: func(s *Service) { s.Spec.ExternalIPs = []string{"127.0.0.1", "x"} },
			want: []string{
				`spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`,
				`spec.externalIPs[1]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
			}},
		{name: "allocate-node-ports", before: func(s *Service) { s.Spec.AllocateLoadBalancerNodePorts = Bool(false) },
			want: []string{"spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"}},
		{name: "internal-traffic-policy", after: func(s *Service) { s.Spec.InternalTrafficPolicy = ptrTo(TrafficPolicy("Nearby")) },
			want: []string{`spec.internalTrafficPolicy: Unsupported value: "Nearby": supported values: "Cluster", "Local"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := svTestService()
			if tc.before != nil {
				tc.before(s)
			}
			svPrepared(s)
			if tc.after != nil {
				tc.after(s)
			}
			var got []string
			for _, e := range s.Validate(nil, Modern) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServiceCreateAndUpdate goes through the simulated API server: a
// created Service gets a virtual IP and families, an apply without
// clusterIP keeps it, and a changed clusterIP is rejected.
func TestServiceCreateAndUpdate(t *testing.T) {
	c := svCluster(t)
	svCheck(t, c.Apply(svTestService()))
	o, _ := c.Get(Ref{Kind: KindService, Namespace: "default", Name: "web"})
	got := o.(*Service)
	ip := ClusterIPFor("default", "web", 0)
	if got.Spec.ClusterIP != ip || !cmp.Equal(got.Spec.ClusterIPs, []string{ip}) ||
		!cmp.Equal(got.Spec.IPFamilies, []IPFamily{IPv4Protocol}) || *got.Spec.IPFamilyPolicy != IPFamilyPolicySingleStack {
		t.Errorf("created Service: clusterIP %q clusterIPs %v families %v policy %v; want %q, [%[5]s], [IPv4], SingleStack",
			got.Spec.ClusterIP, got.Spec.ClusterIPs, got.Spec.IPFamilies, *got.Spec.IPFamilyPolicy, ip)
	}

	upd := svTestService()
	upd.Labels = map[string]string{"tier": "front"}
	upd.Spec.Selector = map[string]string{"app": "web2"}
	seq := c.LastSeq()
	svCheck(t, c.Apply(upd))
	o, _ = c.Get(Ref{Kind: KindService, Namespace: "default", Name: "web"})
	if o.(*Service).Spec.ClusterIP != ip {
		t.Errorf("after apply: clusterIP %q, want %q kept", o.(*Service).Spec.ClusterIP, ip)
	}
	var lines []string
	for _, r := range c.LogSince(seq) {
		lines = append(lines, r.String())
	}
	if diff := cmp.Diff([]string{"0s user update Service/default/web labels +tier=front selector ~app=web→web2"}, lines); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}

	moved := svTestService()
	moved.Spec.ClusterIP = "10.96.0.20"
	err := c.Apply(moved)
	want := `Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.20"]: may not change once set`
	if err == nil || err.Error() != want || !IsInvalid(err) {
		t.Errorf("changing clusterIP: error %v, want %q", err, want)
	}

	bad := svTestService()
	bad.Name = "Web"
	err = c.Apply(bad)
	want = `Service "Web" is invalid: metadata.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`
	if err == nil || err.Error() != want {
		t.Errorf("bad name: error %v, want %q", err, want)
	}
}

// TestClusterIPFor checks that candidates are stable, inside the service
// range, never its reserved addresses, and that probes move on.
func TestClusterIPFor(t *testing.T) {
	pfx := netip.MustParsePrefix(ServiceCIDR)
	seen := map[string]bool{}
	for _, name := range []string{"a", "b", "kubernetes", "web", "fluentd"} {
		for probe := uint32(0); probe < 3; probe++ {
			ip := ClusterIPFor("default", name, probe)
			a, err := netip.ParseAddr(ip)
			if err != nil || !pfx.Contains(a) || ip == "10.96.0.0" || ip == "10.96.0.1" || ip == "10.111.255.255" {
				t.Errorf("ClusterIPFor(default, %s, %d) = %q: not a usable address of %s", name, probe, ip, ServiceCIDR)
			}
			if seen[ip] {
				t.Errorf("ClusterIPFor(default, %s, %d) = %q: repeated", name, probe, ip)
			}
			seen[ip] = true
			if again := ClusterIPFor("default", name, probe); again != ip {
				t.Errorf("ClusterIPFor(default, %s, %d) not stable: %q then %q", name, probe, ip, again)
			}
		}
	}
	if ClusterIPFor("default", "web", 0) == ClusterIPFor("other", "web", 0) {
		t.Error("the namespace does not enter the candidate")
	}
}

// TestAllocateClusterIP checks collision probing over stored Services and
// upstream's errors for requested addresses.
func TestAllocateClusterIP(t *testing.T) {
	c := svCluster(t)
	// Service "a" holds what would be b's first candidate.
	a := svTestService()
	a.Name = "a"
	a.Spec.ClusterIP = ClusterIPFor("default", "b", 0)
	svCheck(t, c.Apply(a))

	tests := []struct {
		name    string
		svc     func() *Service
		wantIP  string
		wantErr string
	}{{
		name:   "probe",
		svc:    func() *Service { s := svTestService(); s.Name = "b"; return s },
		wantIP: ClusterIPFor("default", "b", 1),
	}, {
		name:   "free",
		svc:    func() *Service { s := svTestService(); s.Name = "c"; return s },
		wantIP: ClusterIPFor("default", "c", 0),
	}, {
		name:   "headless",
		svc:    func() *Service { s := svTestService(); s.Spec.ClusterIP = ClusterIPNone; return s },
		wantIP: ClusterIPNone,
	}, {
		name:   "requested",
		svc:    func() *Service { s := svTestService(); s.Spec.ClusterIP = "10.100.0.7"; return s },
		wantIP: "10.100.0.7",
	}, {
		name:    "out-of-range",
		svc:     func() *Service { s := svTestService(); s.Spec.ClusterIP = "10.0.0.1"; return s },
		wantIP:  "10.0.0.1",
		wantErr: `spec.clusterIPs: Invalid value: ["10.0.0.1"]: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
	}, {
		name:    "taken",
		svc:     func() *Service { s := svTestService(); s.Spec.ClusterIP = a.Spec.ClusterIP; return s },
		wantIP:  a.Spec.ClusterIP,
		wantErr: `spec.clusterIPs: Invalid value: ["` + a.Spec.ClusterIP + `"]: failed to allocate IP ` + a.Spec.ClusterIP + `: provided IP is already allocated`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.svc()
			s.Default(Modern)
			var got []string
			for _, e := range AllocateClusterIP(c.View(), s) {
				got = append(got, e.Error())
			}
			if s.Spec.ClusterIP != tc.wantIP {
				t.Errorf("clusterIP = %q, want %q", s.Spec.ClusterIP, tc.wantIP)
			}
			if diff := cmp.Diff(tc.wantErr, strings.Join(got, "; ")); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServiceSelects checks the allocation-free selector match: a Service
// without selector selects nothing.
func TestServiceSelects(t *testing.T) {
	tests := []struct {
		name   string
		sel    map[string]string
		labels map[string]string
		want   bool
	}{
		{"match", map[string]string{"app": "web"}, map[string]string{"app": "web", "x": "y"}, true},
		{"value", map[string]string{"app": "web"}, map[string]string{"app": "db"}, false},
		{"missing", map[string]string{"app": ""}, map[string]string{}, false},
		{"empty-value", map[string]string{"app": ""}, map[string]string{"app": ""}, true},
		{"no-selector", nil, map[string]string{"app": "web"}, false},
		{"empty-selector", map[string]string{}, map[string]string{"app": "web"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Service{Spec: ServiceSpec{Selector: tc.sel}}
			if got := s.selects(tc.labels); got != tc.want {
				t.Errorf("selects = %v, want %v", got, tc.want)
			}
		})
	}
	s := &Service{Spec: ServiceSpec{Selector: map[string]string{"app": "web", "tier": "front"}}}
	labels := map[string]string{"app": "web", "tier": "front"}
	if n := testing.AllocsPerRun(100, func() { s.selects(labels) }); n != 0 {
		t.Errorf("selects allocates %v times per call, want 0", n)
	}
}

// TestDescribeServicePorts checks the port rendering of the log.
func TestDescribeServicePorts(t *testing.T) {
	tests := []struct {
		name  string
		ports []ServicePort
		want  string
	}{
		{"none", nil, "<none>"},
		{"plain", []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromInt(80)}}, "80/TCP"},
		{"mapped", []ServicePort{{Port: 80, Protocol: ProtocolTCP, TargetPort: FromString("http")}, {Port: 53, Protocol: ProtocolUDP, TargetPort: FromInt(5353)}}, "80->http/TCP,53->5353/UDP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DescribeServicePorts(tc.ports); got != tc.want {
				t.Errorf("DescribeServicePorts = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestServiceEndpointsRoundTrip checks that Services and Endpoints survive
// the JSON round trip of DeepCopy (and so of manifests) unchanged.
func TestServiceEndpointsRoundTrip(t *testing.T) {
	s := svTestService()
	s.Spec.Ports = []ServicePort{{Name: "http", Port: 80, TargetPort: FromString("http"), AppProtocol: ptrTo("http")}, {Name: "dns", Port: 53, Protocol: ProtocolUDP}}
	s.Spec.SessionAffinity = ServiceAffinityClientIP
	s.Spec.PublishNotReadyAddresses = true
	s.Spec.Type = ServiceTypeLoadBalancer
	s.Status.LoadBalancer = Opaque(`{"ingress":[{"ip":"192.0.2.1"}]}`)
	svPrepared(s)
	node := "node-a"
	e := &Endpoints{Subsets: []EndpointSubset{{
		Addresses:         []EndpointAddress{{IP: "10.64.0.1", Hostname: "a", NodeName: &node, TargetRef: &ObjectReference{Kind: "Pod", Namespace: "default", Name: "a", UID: "u"}}},
		NotReadyAddresses: []EndpointAddress{{IP: "10.64.0.2"}},
		Ports:             []EndpointPort{{Name: "http", Port: 8080, Protocol: ProtocolTCP}},
	}}}
	e.Name, e.Namespace = "web", "default"
	for _, obj := range []Object{s, e} {
		if diff := cmp.Diff(obj, DeepCopy(obj)); diff != "" {
			t.Errorf("%T round trip mismatch (-want +got):\n%s", obj, diff)
		}
	}
}
