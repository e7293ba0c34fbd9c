package cluster_test

import (
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/google/go-cmp/cmp"
)

// daemonCluster builds a cluster with the endpoints controller, three
// nodes and one fluentd pod per node (as a DaemonSet would place them),
// exposing container port "fwd" 24224 on hostPort 24224, and two Services
// selecting them: "fluentd" (headless) and "fluentd-vip" (ClusterIP).
// Pods run at 10.64.<n>.5 on node <n> and report ready as given.
func daemonCluster(ready map[string]bool) *cluster.Cluster {
	c := cluster.MustNew(cluster.Config{})
	must(c.Register(cluster.NewEndpointsController()))
	for i, n := range []string{"a", "b", "c"} {
		node := &cluster.Node{}
		node.Name = "node-" + n
		node.Status.Addresses = []cluster.NodeAddress{{Type: "InternalIP", Address: fmt.Sprintf("192.168.0.%d", 11+i)}}
		must(c.Apply(node))
		p := &cluster.Pod{}
		p.Name = "fluentd-" + n
		p.Labels = map[string]string{"app": "fluentd"}
		p.Spec.NodeName = node.Name
		p.Spec.Containers = []cluster.Container{{Name: "fluentd", Image: "fluentd:v1.17",
			Ports: []cluster.ContainerPort{{Name: "fwd", ContainerPort: 24224, HostPort: 24224}}}}
		must(c.Apply(p))
		run(c, p.Name, fmt.Sprintf("10.64.%d.5", i+1), node.Status.Addresses[0].Address, ready[n])
	}
	headless := &cluster.Service{}
	headless.Name = "fluentd"
	headless.Spec.ClusterIP = cluster.ClusterIPNone
	headless.Spec.Selector = map[string]string{"app": "fluentd"}
	headless.Spec.Ports = []cluster.ServicePort{{Name: "fwd", Port: 24224, TargetPort: cluster.FromString("fwd")}}
	vip := &cluster.Service{}
	vip.Name = "fluentd-vip"
	vip.Spec.Selector = map[string]string{"app": "fluentd"}
	vip.Spec.Ports = []cluster.ServicePort{{Port: 24224}}
	must(c.Apply(headless, vip))
	must(c.Settle())
	return c
}

// run reports, as the pod's kubelet, that it runs at ip on host.
func run(c *cluster.Cluster, name, ip, host string, ready bool) {
	o, _ := c.Get(cluster.Ref{Kind: cluster.KindPod, Namespace: "default", Name: name})
	p := o.(*cluster.Pod).Clone().(*cluster.Pod)
	st := cluster.ConditionFalse
	if ready {
		st = cluster.ConditionTrue
	}
	p.Status.Phase, p.Status.PodIP, p.Status.HostIP = cluster.PodRunning, ip, host
	p.Status.Conditions = cluster.SetPodCondition(p.Status.Conditions, cluster.PodCondition{Type: cluster.PodReady, Status: st})
	must(c.Act("kubelet/"+p.Spec.NodeName, cluster.UpdateStatus{Object: p}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

var allReady = map[string]bool{"a": true, "b": true, "c": true}

// Claim S18: clients reach daemon pods through a headless Service (one A
// record per ready pod), through a Service's virtual IP (which leads to
// one of them), or at a node's IP and a known hostPort.
func ExampleLookupHost() {
	c := daemonCluster(map[string]bool{"a": true, "b": true, "c": false})
	v := c.View()
	fmt.Println(cluster.LookupHost(v, "fluentd"))
	fmt.Println(cluster.LookupHost(v, "fluentd-vip.default.svc.cluster.local"))
	fmt.Println(cluster.LookupHost(v, "fluentd.kube-system"))
	for key := uint64(0); key < 3; key++ {
		pod, ip, _ := cluster.ServiceBackend(v, "fluentd-vip", "default", key)
		fmt.Println(key, pod, ip)
	}
	fmt.Println(cluster.HostPortTargets(v, 24224, cluster.ProtocolTCP))
	// Output:
	// [10.64.1.5 10.64.2.5] <nil>
	// [10.103.163.71] <nil>
	// [] lookup fluentd.kube-system.svc.cluster.local: no such host
	// 0 Pod/default/fluentd-a 10.64.1.5
	// 1 Pod/default/fluentd-b 10.64.2.5
	// 2 Pod/default/fluentd-a 10.64.1.5
	// [192.168.0.11:24224 192.168.0.12:24224]
}

// TestLookupHost checks the names the cluster DNS answers.
func TestLookupHost(t *testing.T) {
	c := daemonCluster(allReady)
	hostname := &cluster.Service{}
	hostname.Name = "agents"
	hostname.Spec.ClusterIP = cluster.ClusterIPNone
	hostname.Spec.Selector = map[string]string{"app": "agent"}
	p := &cluster.Pod{}
	p.Name = "agent-0"
	p.Labels = map[string]string{"app": "agent"}
	p.Spec.NodeName = "node-a"
	p.Spec.Hostname, p.Spec.Subdomain = "agent-0", "agents"
	p.Spec.Containers = []cluster.Container{{Name: "agent", Image: "agent:1"}}
	must(c.Apply(hostname, p))
	run(c, "agent-0", "10.64.1.9", "192.168.0.11", true)
	must(c.Settle())
	vip := cluster.ClusterIPFor("default", "fluentd-vip", 0)
	tests := []struct {
		name    string
		want    []string
		wantErr string
	}{
		{name: "fluentd", want: []string{"10.64.1.5", "10.64.2.5", "10.64.3.5"}},
		{name: "fluentd.default", want: []string{"10.64.1.5", "10.64.2.5", "10.64.3.5"}},
		{name: "fluentd.default.svc", want: []string{"10.64.1.5", "10.64.2.5", "10.64.3.5"}},
		{name: "FLUENTD.default.svc.cluster.local.", want: []string{"10.64.1.5", "10.64.2.5", "10.64.3.5"}},
		{name: "fluentd-vip", want: []string{vip}},
		{name: "fluentd-vip.default.svc.cluster.local", want: []string{vip}},
		{name: "agent-0.agents.default.svc.cluster.local", want: []string{"10.64.1.9"}},
		{name: "agent-0.agents.default", want: []string{"10.64.1.9"}},
		{name: "agents", want: []string{"10.64.1.9"}},
		{name: "agent-1.agents.default", wantErr: "lookup agent-1.agents.default.svc.cluster.local: no such host"},
		{name: "x.fluentd-vip.default", wantErr: "lookup x.fluentd-vip.default.svc.cluster.local: no such host"},
		{name: "nope", wantErr: "lookup nope.default.svc.cluster.local: no such host"},
		{name: "fluentd.kube-system", wantErr: "lookup fluentd.kube-system.svc.cluster.local: no such host"},
		{name: "example.com.", wantErr: "lookup example.com.svc.cluster.local: no such host"},
		{name: "a.b.c.d", wantErr: "lookup a.b.c.d: no such host"},
		{name: "fluentd.default.pod.cluster.local", wantErr: "lookup fluentd.default.pod.cluster.local: no such host"},
		{name: "", wantErr: "lookup : no such host"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cluster.LookupHost(c.View(), tc.name)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("addresses mismatch (-want +got):\n%s", diff)
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
				var dns *net.DNSError
				if !errors.As(err, &dns) || !dns.IsNotFound {
					t.Errorf("error %v is not a *net.DNSError with IsNotFound", err)
				}
			}
			if gotErr != tc.wantErr {
				t.Errorf("error %q, want %q", gotErr, tc.wantErr)
			}
		})
	}
}

// TestLookupHostReadiness checks that a headless name follows readiness and
// disappears with the last ready pod, while the virtual IP stays.
func TestLookupHostReadiness(t *testing.T) {
	c := daemonCluster(allReady)
	steps := []struct {
		name     string
		do       func()
		headless string
		vip      string
	}{
		{"all", func() {}, "[10.64.1.5 10.64.2.5 10.64.3.5] <nil>", "[10.103.163.71] <nil>"},
		{"b-unready", func() { run(c, "fluentd-b", "10.64.2.5", "192.168.0.12", false) }, "[10.64.1.5 10.64.3.5] <nil>", "[10.103.163.71] <nil>"},
		{"a-deleted", func() {
			must(c.Delete(cluster.Ref{Kind: cluster.KindPod, Name: "fluentd-a"}, cluster.DeleteOptions{GracePeriod: new(int64)}))
		}, "[10.64.3.5] <nil>", "[10.103.163.71] <nil>"},
		{"c-unready", func() { run(c, "fluentd-c", "10.64.3.5", "192.168.0.13", false) },
			"[] lookup fluentd.default.svc.cluster.local: no such host", "[10.103.163.71] <nil>"},
	}
	for _, st := range steps {
		st.do()
		must(c.Settle())
		h, err := cluster.LookupHost(c.View(), "fluentd")
		if got := fmt.Sprint(h, err); got != st.headless {
			t.Errorf("step %s: fluentd resolves to %s, want %s", st.name, got, st.headless)
		}
		h, err = cluster.LookupHost(c.View(), "fluentd-vip")
		if got := fmt.Sprint(h, err); got != st.vip {
			t.Errorf("step %s: fluentd-vip resolves to %s, want %s", st.name, got, st.vip)
		}
	}
}

// TestServiceBackend checks the deterministic choice among ready
// endpoints and the errors.
func TestServiceBackend(t *testing.T) {
	c := daemonCluster(map[string]bool{"a": true, "b": false, "c": true})
	empty := &cluster.Service{}
	empty.Name = "empty"
	empty.Spec.Selector = map[string]string{"app": "none"}
	empty.Spec.Ports = []cluster.ServicePort{{Port: 80}}
	must(c.Apply(empty))
	must(c.Settle())
	tests := []struct {
		name, svc, ns string
		key           uint64
		want          string
		wantErr       string
		noEndpoints   bool
	}{
		{name: "key0", svc: "fluentd-vip", key: 0, want: "Pod/default/fluentd-a 10.64.1.5"},
		{name: "key1", svc: "fluentd-vip", ns: "default", key: 1, want: "Pod/default/fluentd-c 10.64.3.5"},
		{name: "key2", svc: "fluentd-vip", key: 2, want: "Pod/default/fluentd-a 10.64.1.5"},
		{name: "headless", svc: "fluentd", key: 7, want: "Pod/default/fluentd-c 10.64.3.5"},
		{name: "unknown", svc: "nope", wantErr: `services "nope" not found`},
		{name: "other-namespace", svc: "fluentd", ns: "kube-system", wantErr: `services "fluentd" not found`},
		{name: "no-endpoints", svc: "empty", wantErr: `no endpoints available for service "empty"`, noEndpoints: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pod, ip, err := cluster.ServiceBackend(c.View(), tc.svc, tc.ns, tc.key)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if errors.Is(err, cluster.ErrNoEndpoints) != tc.noEndpoints {
					t.Errorf("errors.Is(err, ErrNoEndpoints) = %v, want %v", !tc.noEndpoints, tc.noEndpoints)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := pod.String() + " " + ip; got != tc.want {
				t.Errorf("backend %q, want %q", got, tc.want)
			}
		})
	}
}

// TestHostPortTargets checks which nodes a client reaches at a known
// hostPort.
func TestHostPortTargets(t *testing.T) {
	c := daemonCluster(map[string]bool{"a": true, "b": true, "c": false})
	// node-b's pod is being deleted; a hostNetwork pod on node-c listens on
	// 9100 (its hostPort defaults to its containerPort); a UDP port.
	must(c.Delete(cluster.Ref{Kind: cluster.KindPod, Name: "fluentd-b"}, cluster.DeleteOptions{}))
	exporter := &cluster.Pod{}
	exporter.Name = "node-exporter-c"
	exporter.Spec.NodeName = "node-c"
	exporter.Spec.HostNetwork = true
	exporter.Spec.Containers = []cluster.Container{{Name: "exporter", Image: "node-exporter:1",
		Ports: []cluster.ContainerPort{{ContainerPort: 9100}, {ContainerPort: 8125, Protocol: cluster.ProtocolUDP}}}}
	must(c.Apply(exporter))
	run(c, exporter.Name, "192.168.0.13", "192.168.0.13", true)
	tests := []struct {
		name  string
		port  int32
		proto cluster.Protocol
		want  []string
	}{
		{"fluentd", 24224, "", []string{"192.168.0.11:24224"}},
		{"fluentd-udp", 24224, cluster.ProtocolUDP, nil},
		{"exporter", 9100, cluster.ProtocolTCP, []string{"192.168.0.13:9100"}},
		{"statsd", 8125, cluster.ProtocolUDP, []string{"192.168.0.13:8125"}},
		{"none", 80, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cluster.HostPortTargets(c.View(), tc.port, tc.proto)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("targets mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
