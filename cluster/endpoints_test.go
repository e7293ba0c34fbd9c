package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// epPod returns a pod of app=fluentd bound to node, exposing container
// port "fwd" 24224 (hostPort 24224), with the status a kubelet reports for
// a running pod at ip.
func epPod(name, node, ip string, ready bool) *Pod {
	p := &Pod{}
	p.Name, p.Namespace, p.UID = name, "default", "uid-"+name
	p.Labels = map[string]string{"app": "fluentd"}
	p.Spec.NodeName = node
	p.Spec.Containers = []Container{{Name: "fluentd", Image: "fluentd:1",
		Ports: []ContainerPort{{Name: "fwd", ContainerPort: 24224, HostPort: 24224, Protocol: ProtocolTCP}}}}
	p.Status.Phase = PodRunning
	p.Status.PodIP = ip
	st := ConditionFalse
	if ready {
		st = ConditionTrue
	}
	p.Status.Conditions = []PodCondition{{Type: PodReady, Status: st}}
	return p
}

func epAddr(name, node, ip string) EndpointAddress {
	return EndpointAddress{IP: ip, NodeName: &node, TargetRef: &ObjectReference{Kind: "Pod", Namespace: "default", Name: name, UID: "uid-" + name}}
}

func epService(headless bool, ports ...ServicePort) *Service {
	s := &Service{}
	s.Name, s.Namespace = "fluentd", "default"
	s.Spec.Selector = map[string]string{"app": "fluentd"}
	s.Spec.Ports = ports
	if headless {
		s.Spec.ClusterIP = ClusterIPNone
	}
	return svPrepared(s)
}

// TestComputeEndpointSubsets checks which pods take part, readiness, port
// resolution and the repacking into subsets.
func TestComputeEndpointSubsets(t *testing.T) {
	fwd := ServicePort{Name: "fwd", Port: 24224, TargetPort: FromString("fwd")}
	metrics := ServicePort{Name: "metrics", Port: 9100, TargetPort: FromInt(9100)}
	tcpFwd := EndpointPort{Name: "fwd", Port: 24224, Protocol: ProtocolTCP}
	tcpMetrics := EndpointPort{Name: "metrics", Port: 9100, Protocol: ProtocolTCP}
	terminating := func(p *Pod) *Pod { now := Epoch; p.DeletionTimestamp = &now; return p }
	phase := func(p *Pod, ph PodPhase) *Pod { p.Status.Phase = ph; return p }
	tests := []struct {
		name string
		svc  *Service
		pods []*Pod
		want []EndpointSubset
	}{{
		name: "ready-and-not",
		svc:  epService(false, fwd),
		pods: []*Pod{epPod("c", "node-c", "10.64.0.9", true), epPod("a", "node-a", "10.64.0.10", true), epPod("b", "node-b", "10.64.0.2", false)},
		// Addresses sort as strings, as upstream's.
		want: []EndpointSubset{{
			Addresses:         []EndpointAddress{epAddr("a", "node-a", "10.64.0.10"), epAddr("c", "node-c", "10.64.0.9")},
			NotReadyAddresses: []EndpointAddress{epAddr("b", "node-b", "10.64.0.2")},
			Ports:             []EndpointPort{tcpFwd},
		}},
	}, {
		name: "excluded",
		svc:  epService(false, fwd),
		pods: []*Pod{
			epPod("ok", "node-a", "10.64.0.1", true),
			epPod("no-ip", "node-a", "", true),
			terminating(epPod("going", "node-a", "10.64.0.3", true)),
			phase(epPod("done", "node-a", "10.64.0.4", false), PodSucceeded),
			phase(epPod("failed", "node-a", "10.64.0.5", false), PodFailed),
		},
		want: []EndpointSubset{{Addresses: []EndpointAddress{epAddr("ok", "node-a", "10.64.0.1")}, Ports: []EndpointPort{tcpFwd}}},
	}, {
		name: "publish-not-ready",
		svc: func() *Service {
			s := epService(true, fwd)
			s.Spec.PublishNotReadyAddresses = true
			return s
		}(),
		pods: []*Pod{epPod("a", "node-a", "10.64.0.1", false), terminating(epPod("b", "node-b", "10.64.0.2", true))},
		want: []EndpointSubset{{Addresses: []EndpointAddress{epAddr("a", "node-a", "10.64.0.1"), epAddr("b", "node-b", "10.64.0.2")}, Ports: []EndpointPort{tcpFwd}}},
	}, {
		name: "two-ports-one-subset",
		svc:  epService(false, metrics, fwd),
		pods: []*Pod{epPod("a", "node-a", "10.64.0.1", true)},
		want: []EndpointSubset{{Addresses: []EndpointAddress{epAddr("a", "node-a", "10.64.0.1")}, Ports: []EndpointPort{tcpFwd, tcpMetrics}}},
	}, {
		name: "named-port-missing",
		svc:  epService(false, fwd, metrics),
		pods: func() []*Pod {
			p := epPod("old", "node-b", "10.64.0.2", true)
			p.Spec.Containers = []Container{{Name: "x", Image: "x:1"}}
			return []*Pod{epPod("a", "node-a", "10.64.0.1", true), p}
		}(),
		// Only a offers fwd; both offer metrics (a number): two subsets.
		want: []EndpointSubset{
			{Addresses: []EndpointAddress{epAddr("a", "node-a", "10.64.0.1")}, Ports: []EndpointPort{tcpFwd}},
			{Addresses: []EndpointAddress{epAddr("a", "node-a", "10.64.0.1"), epAddr("old", "node-b", "10.64.0.2")}, Ports: []EndpointPort{tcpMetrics}},
		},
	}, {
		name: "protocol-must-match",
		svc:  epService(false, ServicePort{Name: "fwd", Port: 24224, Protocol: ProtocolUDP, TargetPort: FromString("fwd")}),
		pods: []*Pod{epPod("a", "node-a", "10.64.0.1", true)},
		want: nil,
	}, {
		name: "headless-no-ports",
		svc:  epService(true),
		pods: []*Pod{epPod("b", "node-b", "10.64.0.2", false), epPod("a", "node-a", "10.64.0.1", true)},
		want: []EndpointSubset{{
			Addresses:         []EndpointAddress{epAddr("a", "node-a", "10.64.0.1")},
			NotReadyAddresses: []EndpointAddress{epAddr("b", "node-b", "10.64.0.2")},
		}},
	}, {
		name: "clusterip-no-ports",
		svc: func() *Service {
			s := epService(false)
			s.Spec.Ports = nil
			return s
		}(),
		pods: []*Pod{epPod("a", "node-a", "10.64.0.1", true)},
		want: nil,
	}, {
		name: "hostname",
		svc:  epService(true, fwd),
		pods: func() []*Pod {
			p := epPod("a", "node-a", "10.64.0.1", true)
			p.Spec.Hostname, p.Spec.Subdomain = "agent-a", "fluentd"
			q := epPod("b", "node-b", "10.64.0.2", true)
			q.Spec.Hostname, q.Spec.Subdomain = "agent-b", "other"
			return []*Pod{p, q}
		}(),
		want: func() []EndpointSubset {
			a := epAddr("a", "node-a", "10.64.0.1")
			a.Hostname = "agent-a"
			return []EndpointSubset{{Addresses: []EndpointAddress{a, epAddr("b", "node-b", "10.64.0.2")}, Ports: []EndpointPort{tcpFwd}}}
		}(),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ComputeEndpointSubsets(tc.svc, tc.pods)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("subsets mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTruncateSubsets checks the capacity limit: ready addresses beyond it
// are cut in proportion and not-ready ones dropped; below it, not-ready
// ones are cut first.
func TestTruncateSubsets(t *testing.T) {
	addrs := func(n int) []EndpointAddress {
		out := make([]EndpointAddress, n)
		for i := range out {
			out[i] = EndpointAddress{IP: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)}
		}
		return out
	}
	sizes := func(ss []EndpointSubset) string {
		var parts []string
		for _, s := range ss {
			parts = append(parts, fmt.Sprintf("%d/%d", len(s.Addresses), len(s.NotReadyAddresses)))
		}
		return strings.Join(parts, " ")
	}
	tests := []struct {
		name    string
		subsets []EndpointSubset
		want    string
		cut     bool
	}{
		{"under", []EndpointSubset{{Addresses: addrs(600), NotReadyAddresses: addrs(400)}}, "600/400", false},
		{"not-ready-cut", []EndpointSubset{{Addresses: addrs(600), NotReadyAddresses: addrs(300)}, {Addresses: addrs(100), NotReadyAddresses: addrs(300)}}, "600/150 100/150", true},
		{"ready-cut", []EndpointSubset{{Addresses: addrs(900), NotReadyAddresses: addrs(10)}, {Addresses: addrs(300)}}, "750/0 250/0", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cut := truncateSubsets(tc.subsets)
			if got := sizes(tc.subsets); got != tc.want || cut != tc.cut {
				t.Errorf("truncateSubsets = %q, %v; want %q, %v", got, cut, tc.want, tc.cut)
			}
		})
	}
}

// TestEndpointsValidate checks upstream's Endpoints validation messages.
func TestEndpointsValidate(t *testing.T) {
	tests := []struct {
		name string
		ss   []EndpointSubset
		want []string
	}{
		{"valid", []EndpointSubset{{Addresses: []EndpointAddress{{IP: "10.64.0.1"}}, Ports: []EndpointPort{{Port: 80}}}}, nil},
		{"empty", []EndpointSubset{{Ports: []EndpointPort{{Port: 80}}}},
			[]string{"subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"}},
		{"bad-ip", []EndpointSubset{{NotReadyAddresses: []EndpointAddress{{IP: "127.0.0.1"}, {IP: "nope"}}}},
			[]string{
				`subsets[0].notReadyAddresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`,
				`subsets[0].notReadyAddresses[1].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
				`subsets[0].notReadyAddresses[1].ip: Invalid value: "nope": must be a valid IP address`,
			}},
		{"ports", []EndpointSubset{{Addresses: []EndpointAddress{{IP: "10.64.0.1"}}, Ports: []EndpointPort{{Port: 0}, {Name: "b", Port: 80, Protocol: "ICMP"}}}},
			[]string{
				"subsets[0].ports[0].name: Required value",
				"subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
				`subsets[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &Endpoints{Subsets: tc.ss}
			e.Name, e.Namespace = "fluentd", "default"
			e.Default(Modern)
			var got []string
			for _, err := range e.Validate(nil, Modern) {
				got = append(got, err.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// epRun reports, as the kubelet of the pod's node, that the pod runs at ip
// with the given readiness.
func epRun(t *testing.T, c *Cluster, name, ip string, ready bool) {
	t.Helper()
	o, ok := c.Get(Ref{Kind: KindPod, Namespace: "default", Name: name})
	if !ok {
		t.Fatalf("no pod %s", name)
	}
	p := o.(*Pod).Clone().(*Pod)
	st := ConditionFalse
	if ready {
		st = ConditionTrue
	}
	p.Status.Phase = PodRunning
	p.Status.PodIP = ip
	p.Status.Conditions = SetPodCondition(p.Status.Conditions, PodCondition{Type: PodReady, Status: st, LastTransitionTime: c.Now()})
	svCheck(t, c.Act(KubeletName+"/"+p.Spec.NodeName, UpdateStatus{Object: p, Detail: DescribePodStatus(p)}))
}

// epStep runs f and returns the log lines it added.
func epStep(t *testing.T, c *Cluster, f func() error) []string {
	t.Helper()
	seq := c.LastSeq()
	svCheck(t, f())
	var out []string
	for _, r := range c.LogSince(seq) {
		out = append(out, r.String())
	}
	return out
}

func epGet(c *Cluster, name string) *Endpoints {
	o, ok := c.Get(Ref{Kind: KindEndpoints, Namespace: "default", Name: name})
	if !ok {
		return nil
	}
	return o.(*Endpoints)
}

// TestEndpointsController runs the controller end to end on a DaemonSet
// shaped set of pods, one per node: a headless and a ClusterIP Service
// select them; readiness moves addresses between addresses and
// notReadyAddresses, terminating and deleted pods vanish, a relabelled pod
// leaves, and the Endpoints follow their Service's life.
func TestEndpointsController(t *testing.T) {
	c := svCluster(t, NewEndpointsController())
	for _, n := range []string{"node-a", "node-b", "node-c"} {
		node := &Node{}
		node.Name = n
		svCheck(t, c.Apply(node))
		p := &Pod{}
		p.Name = "fluentd-" + strings.TrimPrefix(n, "node-")
		p.Labels = map[string]string{"app": "fluentd"}
		p.Spec.NodeName = n
		p.Spec.Containers = []Container{{Name: "fluentd", Image: "fluentd:1", Ports: []ContainerPort{{Name: "fwd", ContainerPort: 24224}}}}
		svCheck(t, c.Apply(p))
	}
	headless := &Service{}
	headless.Name = "fluentd"
	headless.Labels = map[string]string{"app": "fluentd"}
	headless.Spec.ClusterIP = ClusterIPNone
	headless.Spec.Selector = map[string]string{"app": "fluentd"}
	headless.Spec.Ports = []ServicePort{{Name: "fwd", Port: 24224, TargetPort: FromString("fwd")}}
	vip := &Service{}
	vip.Name = "fluentd-vip"
	vip.Spec.Selector = map[string]string{"app": "fluentd"}
	vip.Spec.Ports = []ServicePort{{Port: 80, TargetPort: FromInt(24224)}}

	steps := []struct {
		name string
		do   func() error
		want []string
	}{{
		name: "services",
		do:   func() error { return c.Apply(headless, vip) },
		want: []string{
			"0s user create Service/default/fluentd",
			"0s user create Service/default/fluentd-vip",
		},
	}, {
		name: "no-ip-yet",
		do:   c.Settle,
		want: []string{
			"0s endpoint-controller create Endpoints/default/fluentd ready=0 notReady=0",
			"0s endpoint-controller create Endpoints/default/fluentd-vip ready=0 notReady=0",
		},
	}, {
		name: "pods-run",
		do: func() error {
			epRun(t, c, "fluentd-a", "10.64.1.5", true)
			epRun(t, c, "fluentd-b", "10.64.2.5", true)
			epRun(t, c, "fluentd-c", "10.64.3.5", false)
			return c.Settle()
		},
		want: []string{
			"0s kubelet/node-a update-status Pod/default/fluentd-a phase=Running ready=true",
			"0s kubelet/node-b update-status Pod/default/fluentd-b phase=Running ready=true",
			"0s kubelet/node-c update-status Pod/default/fluentd-c phase=Running ready=false",
			"0s endpoint-controller update Endpoints/default/fluentd ready=2 notReady=1",
			"0s endpoint-controller update Endpoints/default/fluentd-vip ready=2 notReady=1",
		},
	}, {
		name: "c-ready",
		do: func() error {
			epRun(t, c, "fluentd-c", "10.64.3.5", true)
			return c.Settle()
		},
		want: []string{
			"0s kubelet/node-c update-status Pod/default/fluentd-c phase=Running ready=true",
			"0s endpoint-controller update Endpoints/default/fluentd ready=3 notReady=0",
			"0s endpoint-controller update Endpoints/default/fluentd-vip ready=3 notReady=0",
		},
	}, {
		name: "b-unready",
		do: func() error {
			epRun(t, c, "fluentd-b", "10.64.2.5", false)
			return c.Settle()
		},
		want: []string{
			"0s kubelet/node-b update-status Pod/default/fluentd-b phase=Running ready=false",
			"0s endpoint-controller update Endpoints/default/fluentd ready=2 notReady=1",
			"0s endpoint-controller update Endpoints/default/fluentd-vip ready=2 notReady=1",
		},
	}, {
		name: "unrelated-change",
		do: func() error {
			return c.Label(Ref{Kind: KindPod, Name: "fluentd-a"}, "version=2")
		},
		want: []string{"0s user update Pod/default/fluentd-a labels +version=2"},
	}, {
		name: "a-terminating",
		do: func() error {
			if err := c.Delete(Ref{Kind: KindPod, Name: "fluentd-a"}, DeleteOptions{}); err != nil {
				return err
			}
			return c.Settle()
		},
		want: []string{
			"0s user delete Pod/default/fluentd-a grace=30s",
			"0s endpoint-controller update Endpoints/default/fluentd ready=1 notReady=1",
			"0s endpoint-controller update Endpoints/default/fluentd-vip ready=1 notReady=1",
		},
	}, {
		name: "a-gone",
		do: func() error {
			return c.Act(KubeletName+"/node-a", Delete{Object: Ref{Kind: KindPod, Namespace: "default", Name: "fluentd-a"}, GracePeriod: ptrTo(int64(0))})
		},
		want: []string{"0s kubelet/node-a delete Pod/default/fluentd-a"},
	}, {
		name: "c-relabelled",
		do: func() error {
			if err := c.Label(Ref{Kind: KindPod, Name: "fluentd-c"}, "app=debug"); err != nil {
				return err
			}
			return c.Settle()
		},
		want: []string{
			"0s user update Pod/default/fluentd-c labels ~app=fluentd→debug",
			"0s endpoint-controller update Endpoints/default/fluentd ready=0 notReady=1",
			"0s endpoint-controller update Endpoints/default/fluentd-vip ready=0 notReady=1",
		},
	}, {
		name: "endpoints-deleted-by-hand",
		do: func() error {
			if err := c.Delete(Ref{Kind: KindEndpoints, Name: "fluentd-vip"}, DeleteOptions{}); err != nil {
				return err
			}
			return c.Settle()
		},
		want: []string{
			"0s user delete Endpoints/default/fluentd-vip",
			"0s endpoint-controller create Endpoints/default/fluentd-vip ready=0 notReady=1",
		},
	}, {
		name: "service-deleted",
		do: func() error {
			if err := c.Delete(Ref{Kind: KindService, Name: "fluentd-vip"}, DeleteOptions{}); err != nil {
				return err
			}
			return c.Settle()
		},
		want: []string{
			"0s user delete Service/default/fluentd-vip",
			"0s endpoint-controller delete Endpoints/default/fluentd-vip",
		},
	}}
	for _, st := range steps {
		got := epStep(t, c, st.do)
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Fatalf("step %s: log mismatch (-want +got):\n%s", st.name, diff)
		}
	}

	want := &Endpoints{
		TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Endpoints"},
		Subsets: []EndpointSubset{{
			NotReadyAddresses: []EndpointAddress{{IP: "10.64.2.5", NodeName: ptrTo("node-b"),
				TargetRef: &ObjectReference{Kind: "Pod", Namespace: "default", Name: "fluentd-b"}}},
			Ports: []EndpointPort{{Name: "fwd", Port: 24224, Protocol: ProtocolTCP}},
		}},
	}
	want.Name, want.Namespace = "fluentd", "default"
	want.Labels = map[string]string{"app": "fluentd", LabelHeadlessService: ""}
	got := epGet(c, "fluentd")
	ignore := cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".UID", ".ResourceVersion", ".CreationTimestamp":
			return true
		}
		return false
	}, cmp.Ignore())
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("Endpoints mismatch (-want +got):\n%s", diff)
	}
	if got.Subsets[0].NotReadyAddresses[0].TargetRef.UID == "" {
		t.Error("targetRef has no UID")
	}
	if epGet(c, "fluentd-vip") != nil {
		t.Error("the Endpoints of the deleted Service remain")
	}
}

// TestEndpointsControllerLeavesManualEndpoints checks that a Service
// without selector gets no Endpoints from the controller, and keeps those
// written by hand.
func TestEndpointsControllerLeavesManualEndpoints(t *testing.T) {
	c := svCluster(t, NewEndpointsController())
	s := &Service{}
	s.Name = "external"
	s.Spec.Ports = []ServicePort{{Port: 443}}
	ep := &Endpoints{Subsets: []EndpointSubset{{Addresses: []EndpointAddress{{IP: "192.0.2.10"}}, Ports: []EndpointPort{{Port: 443}}}}}
	ep.Name = "external"
	got := epStep(t, c, func() error {
		if err := c.Apply(s, ep); err != nil {
			return err
		}
		return c.Settle()
	})
	want := []string{"0s user create Service/default/external", "0s user create Endpoints/default/external"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
	if e := epGet(c, "external"); e == nil || e.Subsets[0].Ports[0].Protocol != ProtocolTCP {
		t.Errorf("manual Endpoints %+v: want kept, defaulted to TCP", e)
	}
}

// TestEndpointsControllerWithKubelet checks that pods started by the
// kubelet stand-in appear once they have IPs, without asserting the
// derived addresses.
func TestEndpointsControllerWithKubelet(t *testing.T) {
	c := svCluster(t, NewKubelet(), NewEndpointsController())
	node := &Node{}
	node.Name = "node-a"
	svCheck(t, c.Apply(node, epService(true, ServicePort{Name: "fwd", Port: 24224, TargetPort: FromString("fwd")})))
	p := epPod("a", "node-a", "", true)
	p.UID, p.Status = "", PodStatus{}
	svCheck(t, c.Apply(p))
	svCheck(t, c.Advance(time.Second))
	e := epGet(c, "fluentd")
	if e == nil || len(e.Subsets) != 1 || len(e.Subsets[0].Addresses) != 1 || e.Subsets[0].Addresses[0].IP == "" {
		t.Fatalf("Endpoints %+v: want one ready address", e)
	}
}

// BenchmarkComputeEndpointSubsets measures the recomputation of the
// Endpoints of a Service selecting 1000 ready pods.
func BenchmarkComputeEndpointSubsets(b *testing.B) {
	svc := epService(true, ServicePort{Name: "fwd", Port: 24224, TargetPort: FromString("fwd")})
	pods := make([]*Pod, 1000)
	for i := range pods {
		pods[i] = epPod(fmt.Sprintf("fluentd-%04d", i), fmt.Sprintf("node-%04d", i), fmt.Sprintf("10.%d.%d.5", 64+i/250, i%250), true)
	}
	b.ReportAllocs()
	for b.Loop() {
		ComputeEndpointSubsets(svc, pods)
	}
}

// BenchmarkEndpointsWatchPod measures the controller's reaction to a pod
// status change in a namespace of 50 Services, one of which selects the
// pod: the hot path of every pod update in a cluster with Services.
func BenchmarkEndpointsWatchPod(b *testing.B) {
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctrl := NewEndpointsController()
	if err := c.Register(ctrl); err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		s := epService(false, ServicePort{Port: 80})
		s.Name = fmt.Sprintf("svc-%02d", i)
		s.Spec.Selector = map[string]string{"app": fmt.Sprintf("app-%02d", i)}
		if i == 0 {
			s.Spec.Selector = map[string]string{"app": "fluentd"}
		}
		if err := c.Apply(s); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		b.Fatal(err)
	}
	old, cur := epPod("a", "node-a", "10.64.0.1", false), epPod("a", "node-a", "10.64.0.1", true)
	ch := Change{Old: old, New: cur}
	q := Enqueuer{c, 0}
	b.ReportAllocs()
	for b.Loop() {
		ctrl.Watch(c.View(), ch, q)
	}
}
