package cluster

import (
	"regexp"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/taints"
	"github.com/google/go-cmp/cmp"
)

// TestKubeletStartup checks the startup delay and the status of a started
// pod in both profiles.
func TestKubeletStartup(t *testing.T) {
	at := func(d time.Duration) time.Time { return Epoch.Add(d) }
	cond := func(ct PodConditionType, d time.Duration) PodCondition {
		return PodCondition{Type: ct, Status: ConditionTrue, LastTransitionTime: at(d)}
	}
	tests := []struct {
		name      string
		profile   Profile
		wantConds []PodCondition
	}{{
		name: "modern",
		wantConds: []PodCondition{
			cond(PodReadyToStartUp, 10*time.Second), cond(PodInitialized, 10*time.Second), cond(PodReady, 10*time.Second),
			cond(ContainersReady, 10*time.Second), cond(PodScheduled, 0),
		},
	}, {
		name:    "legacy",
		profile: Legacy,
		// Created with spec.nodeName: no PodScheduled until the kubelet sets it.
		wantConds: []PodCondition{cond(PodInitialized, 10*time.Second), cond(PodReady, 10*time.Second), cond(PodScheduled, 10*time.Second)},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := btCluster(t, Config{Profile: tc.profile, PodStartup: 10 * time.Second}, NewKubelet())
			n := btNode("n")
			n.Status.Addresses = []NodeAddress{{Type: "InternalIP", Address: "192.168.0.7"}}
			n.Spec.PodCIDR = "10.244.3.0/24"
			check(t, c.Apply(n))
			p := btPod("p", "n")
			if tc.profile != Legacy {
				p.Spec.NodeName = ""
			}
			check(t, c.Apply(p))
			if tc.profile != Legacy {
				// The binding subresource, as the scheduler would.
				check(t, c.Act(DefaultSchedulerName, Bind{Pod: podRef("p"), Node: "n"}))
			}
			wantLines(t, "9s", []string{"0s user advance 9s"}, step(t, c, func() error { return c.Advance(9 * time.Second) }))
			wantLines(t, "10s", []string{
				"9s user advance 1s",
				"10s kubelet/n update-status Pod/default/p phase=Running ready=true",
			}, step(t, c, func() error { return c.Advance(time.Second) }))
			got := getPod(c, "default", "p")
			start := at(10 * time.Second)
			want := PodStatus{Phase: PodRunning, Conditions: tc.wantConds, HostIP: "192.168.0.7", PodIP: got.Status.PodIP, StartTime: &start}
			if diff := cmp.Diff(want, got.Status); diff != "" {
				t.Errorf("status mismatch (-want +got):\n%s", diff)
			}
			if !regexp.MustCompile(`^10\.244\.3\.([2-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$`).MatchString(got.Status.PodIP) {
				t.Errorf("podIP = %q, want an address in 10.244.3.0/24 from .2 to .254", got.Status.PodIP)
			}
		})
	}
}

// TestKubeletAddresses checks the derived addresses: stable, in their
// ranges, and the host's for hostNetwork pods.
func TestKubeletAddresses(t *testing.T) {
	c := btCluster(t, Config{}, NewKubelet())
	check(t, c.Apply(btNode("node-a"), btNode("node-b")))
	hn := btPod("hn", "node-a")
	hn.Spec.HostNetwork = true
	check(t, c.Apply(btPod("a1", "node-a"), btPod("a2", "node-a"), btPod("b1", "node-b"), hn))
	check(t, c.Settle())
	hostRE := regexp.MustCompile(`^10\.([0-9]|[1-5][0-9]|6[0-3])\.[0-9]+\.[0-9]+$`)
	podRE := regexp.MustCompile(`^10\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.[0-9]+\.[0-9]+$`)
	prefix := func(ip string) string { return ip[:len(ip)-len(regexp.MustCompile(`[0-9]+$`).FindString(ip))] }
	a1, a2, b1, h := getPod(c, "default", "a1"), getPod(c, "default", "a2"), getPod(c, "default", "b1"), getPod(c, "default", "hn")
	for _, p := range []*Pod{a1, a2, b1} {
		if !hostRE.MatchString(p.Status.HostIP) || !podRE.MatchString(p.Status.PodIP) {
			t.Errorf("pod %s: hostIP %q podIP %q, want 10.0-63.x.y and 10.64-127.x.y", p.Name, p.Status.HostIP, p.Status.PodIP)
		}
	}
	if a1.Status.HostIP != a2.Status.HostIP || a1.Status.HostIP == b1.Status.HostIP {
		t.Errorf("hostIPs %q %q %q: want one per node", a1.Status.HostIP, a2.Status.HostIP, b1.Status.HostIP)
	}
	if prefix(a1.Status.PodIP) != prefix(a2.Status.PodIP) || prefix(a1.Status.PodIP) == prefix(b1.Status.PodIP) {
		t.Errorf("podIPs %q %q %q: want one /24 per node", a1.Status.PodIP, a2.Status.PodIP, b1.Status.PodIP)
	}
	if h.Status.PodIP != h.Status.HostIP || h.Status.HostIP != a1.Status.HostIP {
		t.Errorf("hostNetwork pod: podIP %q hostIP %q, want the node's %q", h.Status.PodIP, h.Status.HostIP, a1.Status.HostIP)
	}
	again := btCluster(t, Config{Seed: 7}, NewKubelet())
	check(t, again.Apply(btNode("node-a")))
	check(t, again.Apply(btPod("x", "node-a")))
	check(t, again.Settle())
	if got := getPod(again, "default", "x").Status.HostIP; got != a1.Status.HostIP {
		t.Errorf("hostIP of node-a in another cluster = %q, want %q (derived from the name only)", got, a1.Status.HostIP)
	}
}

// TestKubeletSharesStatus checks the hot path: pods started at the same
// instant share their conditions and start time.
func TestKubeletSharesStatus(t *testing.T) {
	c := btCluster(t, Config{}, NewKubelet())
	check(t, c.Apply(btNode("n")))
	check(t, c.Apply(btPod("a", "n"), btPod("b", "n")))
	check(t, c.Settle())
	stored := func(name string) *Pod { // the stored pod itself, not Get's copy
		o, _ := c.View().Get(Ref{Kind: KindPod, Namespace: "default", Name: name})
		return o.(*Pod)
	}
	a, b := stored("a"), stored("b")
	if &a.Status.Conditions[0] != &b.Status.Conditions[0] || a.Status.StartTime != b.Status.StartTime {
		t.Error("pods started at the same instant do not share their conditions and start time")
	}
	check(t, c.Advance(time.Second))
	check(t, c.Apply(btPod("later", "n")))
	check(t, c.Settle())
	if l := stored("later"); &l.Status.Conditions[0] == &a.Status.Conditions[0] {
		t.Error("a pod started later shares the conditions of earlier pods")
	}
}

// TestKubeletStartAllocs bounds the allocations of starting a pod: the new
// Pod, its podIP, and the action.
func TestKubeletStartAllocs(t *testing.T) {
	c := btCluster(t, Config{Log: LogConfig{Discard: true}})
	k := NewKubelet()
	check(t, c.Apply(btNode("n")))
	check(t, c.Apply(btPod("p", "n")))
	v := c.View()
	p := getPod(c, "default", "p")
	n := getNode(c, "n")
	w := podWant{phase: PodRunning, ready: true}
	k.start(v, p, n, w)
	if allocs := testing.AllocsPerRun(100, func() { k.start(v, p, n, w) }); allocs > 3 {
		t.Errorf("starting a pod allocates %v times, want at most 3", allocs)
	}
}

// BenchmarkKubeletStart measures starting one pod (the per-pod hot path
// of a large rollout): go test -run '^$' -bench KubeletStart ./cluster/
func BenchmarkKubeletStart(b *testing.B) {
	c := btCluster(b, Config{Log: LogConfig{Discard: true}})
	k := NewKubelet()
	check(b, c.Apply(btNode("n")))
	check(b, c.Apply(btPod("p", "n")))
	v := c.View()
	p := getPod(c, "default", "p")
	n := getNode(c, "n")
	w := podWant{phase: PodRunning, ready: true}
	b.ReportAllocs()
	for b.Loop() {
		k.start(v, p, n, w)
	}
}

// BenchmarkKubeletRollout measures the kubelet's share of starting 10^4
// pods bound to 100 nodes: creation, binding and status, with logging off.
func BenchmarkKubeletRollout(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c := btCluster(b, Config{Log: LogConfig{Discard: true}}, NewKubelet())
		var nodes, pods []Object
		for i := range 100 {
			nodes = append(nodes, btNode("node-"+itoa(i)))
		}
		check(b, c.Apply(nodes...))
		for i := range 10000 {
			pods = append(pods, btPod("p-"+itoa(i), "node-"+itoa(i%100)))
		}
		check(b, c.Apply(pods...))
		b.StartTimer()
		check(b, c.Settle())
	}
}

func itoa(i int) string { return dotted(uint32(i)) }

// TestKubeletGracefulDeletion checks that terminating pods go at their
// deletionTimestamp.
func TestKubeletGracefulDeletion(t *testing.T) {
	tests := []struct {
		name    string
		pod     func() *Pod
		opts    DeleteOptions
		wantLog []string
	}{{
		name: "default 30s",
		pod:  func() *Pod { return btPod("p", "n") },
		wantLog: []string{
			"0s user delete Pod/default/p grace=30s",
			"0s user advance 1m0s",
			"30s kubelet/n delete Pod/default/p",
		},
	}, {
		name: "grace period of the request",
		pod:  func() *Pod { return btPod("p", "n") },
		opts: DeleteOptions{GracePeriod: seconds(5)},
		wantLog: []string{
			"0s user delete Pod/default/p grace=5s",
			"0s user advance 1m0s",
			"5s kubelet/n delete Pod/default/p",
		},
	}, {
		name: "terminationGracePeriodSeconds 0 deletes at once",
		pod: func() *Pod {
			p := btPod("p", "n")
			p.Spec.TerminationGracePeriodSeconds = seconds(0)
			return p
		},
		wantLog: []string{
			"0s user delete Pod/default/p",
			"0s user advance 1m0s",
		},
	}, {
		name: "a finalizer keeps the pod after the kubelet is done",
		pod: func() *Pod {
			p := btPod("p", "n")
			p.Finalizers = []string{"example.com/keep"}
			return p
		},
		wantLog: []string{
			"0s user delete Pod/default/p grace=30s finalizers=[example.com/keep]",
			"0s user advance 1m0s",
			"30s kubelet/n delete Pod/default/p finalizers=[example.com/keep]",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := btCluster(t, Config{}, NewKubelet())
			check(t, c.Apply(btNode("n"), tc.pod()))
			check(t, c.Settle())
			wantLines(t, tc.name, tc.wantLog, step(t, c, func() error {
				if err := c.Delete(podRef("p"), tc.opts); err != nil {
					return err
				}
				return c.Advance(time.Minute)
			}))
		})
	}
}

// TestKubeletDisconnected shows that a disconnected node's kubelet does
// nothing, and catches up when it reconnects.
func TestKubeletDisconnected(t *testing.T) {
	c := btCluster(t, Config{}, NewKubelet())
	check(t, c.Apply(btNode("n"), btPod("old", "n")))
	check(t, c.Settle())
	check(t, c.Disconnect("n"))
	check(t, c.Apply(btPod("new", "n")))
	check(t, c.Delete(podRef("old"), DeleteOptions{}))
	wantLines(t, "disconnected", []string{"0s user advance 1m0s"}, step(t, c, func() error { return c.Advance(time.Minute) }))
	wantLines(t, "reconnect", []string{
		"1m0s user reconnect Node/n",
		"1m0s kubelet/n update-status Pod/default/new phase=Running ready=true",
		"1m0s kubelet/n delete Pod/default/old",
	}, step(t, c, func() error {
		if err := c.Reconnect("n"); err != nil {
			return err
		}
		return c.Settle()
	}))
}

// TestKubeletReports checks standing status reports.
func TestKubeletReports(t *testing.T) {
	k := NewKubelet()
	c := btCluster(t, Config{}, k)
	check(t, c.Apply(btNode("n1"), btNode("n2")))
	check(t, c.Apply(withLabels(btPod("a", "n1"), "app", "web"), withLabels(btPod("b", "n2"), "app", "web"),
		withLabels(btPod("c", "n1"), "app", "db"), withLabels(btPod("u", ""), "app", "web")))
	check(t, c.Settle())
	report := func(r StatusReport) func() error {
		return func() error {
			if err := k.Report(c, r); err != nil {
				return err
			}
			return c.Settle()
		}
	}
	wantLines(t, "web not ready", []string{
		"0s kubelet/n1 update-status Pod/default/a phase=Running ready=false",
		"0s kubelet/n2 update-status Pod/default/b phase=Running ready=false",
	}, step(t, c, report(StatusReport{Selector: mustParse(t, "app=web"), Ready: Bool(false)})))
	if got := getPod(c, "default", "a").Condition(PodReady); got.Reason != "ContainersNotReady" || got.Message != "containers with unready status: [main]" {
		t.Errorf("Ready condition of an unready pod = %+v, want reason ContainersNotReady and the kubelet's message", got)
	}
	wantLines(t, "a new web pod starts unready", []string{
		"0s user create Pod/default/d",
		"0s kubelet/n1 update-status Pod/default/d phase=Running ready=false",
	}, step(t, c, func() error {
		if err := c.Apply(withLabels(btPod("d", "n1"), "app", "web")); err != nil {
			return err
		}
		return c.Settle()
	}))
	wantLines(t, "later reports win: n2 ready", []string{
		"0s kubelet/n2 update-status Pod/default/b phase=Running ready=true",
	}, step(t, c, report(StatusReport{Node: "n2", Ready: Bool(true)})))
	wantLines(t, "db failed", []string{
		"0s kubelet/n1 update-status Pod/default/c phase=Failed ready=false",
	}, step(t, c, report(StatusReport{Selector: mustParse(t, "app=db"), Phase: PodFailed})))
	wantLines(t, "the kubelet restores what it reports", []string{
		"0s user update-status Pod/default/a",
		"0s kubelet/n1 update-status Pod/default/a phase=Running ready=false",
	}, step(t, c, func() error {
		a := getPod(c, "default", "a")
		a = withPodCondition(a, PodCondition{Type: PodReady, Status: ConditionTrue})
		if _, err := c.UpdateStatus(a); err != nil {
			return err
		}
		return c.Settle()
	}))
	if u := getPod(c, "default", "u"); u.Status.Phase != PodPending {
		t.Errorf("unbound pod phase = %s, want Pending", u.Status.Phase)
	}
	err := k.Report(c, StatusReport{Phase: "Crashing"})
	if want := `cluster: kubelet: report: unknown phase "Crashing" (want Pending, Running, Succeeded, Failed or Unknown)`; err == nil || err.Error() != want {
		t.Errorf("Report(Crashing) error = %v, want %q", err, want)
	}
	// A fork has its own reports.
	f := c.Fork()
	fk, _ := f.Controller(KubeletName)
	check(t, fk.(*Kubelet).Report(f, StatusReport{Selector: mustParse(t, "app=web"), Ready: Bool(true)}))
	check(t, c.Apply(withLabels(btPod("e", "n1"), "app", "web")))
	check(t, c.Settle())
	if getPod(c, "default", "e").IsReady() {
		t.Error("a report made in a fork changed the origin")
	}
}

// TestKubeletReportStartsPendingPods shows that a report with a phase
// applies at once even to pods still starting, while one with only Ready
// waits for them to start.
func TestKubeletReportStartsPendingPods(t *testing.T) {
	k := NewKubelet()
	c := btCluster(t, Config{PodStartup: time.Minute}, k)
	check(t, c.Apply(btNode("n"), withLabels(btPod("p", "n"), "app", "x"), withLabels(btPod("q", "n"), "app", "y")))
	check(t, c.Settle())
	wantLines(t, "report", []string{
		"0s kubelet/n update-status Pod/default/p phase=Succeeded ready=false",
	}, step(t, c, func() error {
		if err := k.Report(c, StatusReport{Selector: mustParse(t, "app=x"), Phase: PodSucceeded}); err != nil {
			return err
		}
		return k.Report(c, StatusReport{Selector: mustParse(t, "app=y"), Ready: Bool(false)})
	}))
	wantLines(t, "startup", []string{
		"0s user advance 1m0s",
		"1m0s kubelet/n update-status Pod/default/q phase=Running ready=false",
	}, step(t, c, func() error { return c.Advance(time.Minute) }))
}

// TestKubeletStaticPods covers mirror pods: creation, recreation after an
// API delete, replacement, removal, and nodes that appear or reconnect
// later.
func TestKubeletStaticPods(t *testing.T) {
	k := NewKubelet()
	c := btCluster(t, Config{}, k, NewGarbageCollector())
	check(t, c.Apply(btNode("node-a")))
	etcd := btPod("etcd", "")
	etcd.Namespace = "kube-system"
	etcd.Spec.Containers[0].Image = "etcd:3.5"
	wantLines(t, "add", []string{
		"0s kubelet/node-a create Pod/kube-system/etcd-node-a mirror",
		"0s kubelet/node-a update-status Pod/kube-system/etcd-node-a phase=Running ready=true",
	}, step(t, c, func() error {
		if err := k.AddStaticPod(c, "node-a", etcd); err != nil {
			return err
		}
		return c.Settle()
	}))
	m := getPod(c, "kube-system", "etcd-node-a")
	node := getNode(c, "node-a")
	hash := m.Annotations[AnnotationConfigMirror]
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(hash) || m.Annotations[AnnotationConfigHash] != hash ||
		m.Annotations[AnnotationConfigSource] != "file" || m.Annotations[AnnotationConfigSeen] != "2000-01-01T00:00:00Z" {
		t.Errorf("mirror annotations = %v", m.Annotations)
	}
	wantOwners := []OwnerReference{{APIVersion: "v1", Kind: "Node", Name: "node-a", UID: node.UID, Controller: Bool(true)}}
	if diff := cmp.Diff(wantOwners, m.OwnerReferences); diff != "" {
		t.Errorf("mirror owner references mismatch (-want +got):\n%s", diff)
	}
	if m.Spec.NodeName != "node-a" || !taints.Tolerated(m.Spec.Tolerations, &taints.Taint{Key: "any", Effect: taints.NoExecute}) {
		t.Errorf("mirror pod: nodeName %q, tolerations %v; want node-a and every NoExecute taint tolerated", m.Spec.NodeName, m.Spec.Tolerations)
	}
	wantLines(t, "API delete", []string{
		"0s user delete Pod/kube-system/etcd-node-a grace=30s",
		"0s kubelet/node-a delete Pod/kube-system/etcd-node-a",
		"0s kubelet/node-a create Pod/kube-system/etcd-node-a mirror",
		"0s kubelet/node-a update-status Pod/kube-system/etcd-node-a phase=Running ready=true",
	}, step(t, c, func() error {
		if err := c.Delete(Ref{Kind: KindPod, Namespace: "kube-system", Name: "etcd-node-a"}, DeleteOptions{}); err != nil {
			return err
		}
		return c.Settle()
	}))
	etcd.Spec.Containers[0].Image = "etcd:3.6"
	wantLines(t, "replace", []string{
		"0s kubelet/node-a delete Pod/kube-system/etcd-node-a",
		"0s kubelet/node-a create Pod/kube-system/etcd-node-a mirror",
		"0s kubelet/node-a update-status Pod/kube-system/etcd-node-a phase=Running ready=true",
	}, step(t, c, func() error {
		if err := k.AddStaticPod(c, "node-a", etcd); err != nil {
			return err
		}
		return c.Settle()
	}))
	if got := getPod(c, "kube-system", "etcd-node-a").Spec.Containers[0].Image; got != "etcd:3.6" {
		t.Errorf("mirror image after replacing the manifest = %q, want etcd:3.6", got)
	}
	wantLines(t, "remove", []string{
		"0s kubelet/node-a delete Pod/kube-system/etcd-node-a",
	}, step(t, c, func() error {
		if err := k.RemoveStaticPod(c, "node-a", "etcd"); err != nil {
			return err
		}
		return c.Settle()
	}))
	err := k.RemoveStaticPod(c, "node-a", "etcd")
	if want := `cluster: kubelet: no static pod "etcd" on node "node-a"`; err == nil || err.Error() != want {
		t.Errorf("second RemoveStaticPod error = %v, want %q", err, want)
	}

	// A node that does not exist yet, and one that is disconnected.
	check(t, c.Apply(btNode("b")))
	check(t, c.Disconnect("b"))
	check(t, k.AddStaticPod(c, "b", etcd))
	check(t, k.AddStaticPod(c, "later", etcd))
	wantLines(t, "nothing while absent or disconnected", []string{"0s user advance 1m0s"},
		step(t, c, func() error { return c.Advance(time.Minute) }))
	wantLines(t, "reconnect and create", []string{
		"1m0s user reconnect Node/b",
		"1m0s user create Node/later",
		"1m0s kubelet/b create Pod/kube-system/etcd-b mirror",
		"1m0s kubelet/later create Pod/kube-system/etcd-later mirror",
		"1m0s kubelet/b update-status Pod/kube-system/etcd-b phase=Running ready=true",
		"1m0s kubelet/later update-status Pod/kube-system/etcd-later phase=Running ready=true",
	}, step(t, c, func() error {
		if err := c.Reconnect("b"); err != nil {
			return err
		}
		if err := c.Apply(btNode("later")); err != nil {
			return err
		}
		return c.Settle()
	}))
	check(t, c.Disconnect("b"))
	check(t, k.RemoveStaticPod(c, "b", "etcd"))
	wantLines(t, "removed while disconnected", []string{
		"1m0s user reconnect Node/b",
		"1m0s kubelet/b delete Pod/kube-system/etcd-b",
	}, step(t, c, func() error {
		if err := c.Settle(); err != nil {
			return err
		}
		if getPod(c, "kube-system", "etcd-b") == nil {
			t.Error("the mirror pod went while its kubelet was disconnected")
		}
		if err := c.Reconnect("b"); err != nil {
			return err
		}
		return c.Settle()
	}))
}

// TestKubeletStaticPodErrors checks AddStaticPod's argument errors.
func TestKubeletStaticPodErrors(t *testing.T) {
	k := NewKubelet()
	c := btCluster(t, Config{}, k)
	check(t, c.Apply(btNode("n")))
	bad := btPod("bad", "")
	bad.Spec.Containers = nil
	tests := []struct {
		name    string
		node    string
		pod     *Pod
		wantErr string
	}{
		{name: "nil pod", node: "n", wantErr: "cluster: kubelet: AddStaticPod: nil pod"},
		{name: "no node", pod: btPod("p", ""), wantErr: `cluster: kubelet: static pod "p": empty node name`},
		{name: "no name", node: "n", pod: btPod("", ""), wantErr: `cluster: kubelet: static pod on node "n": empty pod name`},
		{name: "invalid", node: "n", pod: bad, wantErr: `Pod "bad-n" is invalid: spec.containers: Required value`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := k.AddStaticPod(c, tc.node, tc.pod)
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("AddStaticPod error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	if len(k.static["n"]) != 0 {
		t.Errorf("a rejected static pod stayed declared: %v", k.static["n"])
	}
}
