package cluster

// Helpers shared by the tests of the built-in controllers (gc, node
// lifecycle, taint eviction, kubelet, pod GC), and the determinism tests
// that run them together.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/taints"
	"github.com/google/go-cmp/cmp"
)

// builtins returns a fresh set of every built-in controller, in the
// standard order, and the kubelet among them.
func builtins() ([]Controller, *Kubelet) {
	k := NewKubelet()
	return []Controller{NewGarbageCollector(), NewNodeLifecycleController(), NewTaintEvictionController(), k, NewPodGC()}, k
}

// btCluster returns a cluster with cfg and the given controllers
// registered.
func btCluster(t testing.TB, cfg Config, ctrls ...Controller) *Cluster {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Register(ctrls...); err != nil {
		t.Fatal(err)
	}
	return c
}

// btNode returns a node; Apply makes it Ready.
func btNode(name string) *Node {
	n := &Node{}
	n.Name = name
	return n
}

// btPod returns a pod with one container, bound to node when it is not
// empty.
func btPod(name, node string) *Pod {
	p := &Pod{}
	p.Name = name
	p.Spec.NodeName = node
	p.Spec.Containers = []Container{{Name: "main", Image: "busybox:1"}}
	return p
}

// withLabels sets p's labels and returns p.
func withLabels(p *Pod, kv ...string) *Pod {
	p.Labels = map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Labels[kv[i]] = kv[i+1]
	}
	return p
}

// withTolerations sets p's tolerations and returns p.
func withTolerations(p *Pod, tols ...taints.Toleration) *Pod {
	p.Spec.Tolerations = tols
	return p
}

// check fails the test at once on err.
func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// linesSince returns the log lines after record seq.
func linesSince(c *Cluster, seq uint64) []string {
	var out []string
	for _, r := range c.LogSince(seq) {
		out = append(out, r.String())
	}
	return out
}

// step runs f and returns the log lines it produced.
func step(t testing.TB, c *Cluster, f func() error) []string {
	t.Helper()
	seq := c.LastSeq()
	check(t, f())
	return linesSince(c, seq)
}

// wantLines compares log lines.
func wantLines(t testing.TB, what string, want, got []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: log mismatch (-want +got):\n%s", what, diff)
	}
}

// getPod returns the pod default/name, or nil.
func getPod(c *Cluster, ns, name string) *Pod {
	o, ok := c.Get(Ref{Kind: KindPod, Namespace: ns, Name: name})
	if !ok {
		return nil
	}
	return o.(*Pod)
}

// getNode returns the node name, or nil.
func getNode(c *Cluster, name string) *Node {
	o, ok := c.Get(Ref{Kind: KindNode, Name: name})
	if !ok {
		return nil
	}
	return o.(*Node)
}

// taintStrings renders a node's taints.
func taintStrings(n *Node) []string {
	var out []string
	for _, t := range n.Spec.Taints {
		out = append(out, t.String())
	}
	return out
}

// stateSummary renders the objects of a cluster without UIDs, pod IPs
// (derived from UIDs) and resourceVersions, which depend on the seed and
// on the order of writes: one line per object with what the built-in
// controllers decide.
func stateSummary(c *Cluster) []string {
	var out []string
	for _, k := range []Kind{KindNode, KindPod, ownerType.Kind} {
		for o := range c.List(k, "") {
			m := o.Meta()
			line := RefOf(o).String()
			if m.DeletionTimestamp != nil {
				line += " deleting@" + m.DeletionTimestamp.Sub(Epoch).String()
			}
			for _, r := range m.OwnerReferences {
				line += " owner=" + r.Kind + "/" + r.Name
			}
			if len(m.Finalizers) > 0 {
				line += " finalizers=" + strings.Join(m.Finalizers, ",")
			}
			switch o := o.(type) {
			case *Node:
				for _, c := range o.Status.Conditions {
					line += " " + string(c.Type) + "=" + string(c.Status)
				}
				line += " taints=" + strings.Join(taintStrings(o), ",")
			case *Pod:
				line += " node=" + o.Spec.NodeName + " " + DescribePodStatus(o) + " hostIP=" + o.Status.HostIP
				for _, c := range o.Status.Conditions {
					line += fmt.Sprintf(" %s=%s@%s", c.Type, c.Status, c.LastTransitionTime.Sub(Epoch))
				}
			}
			out = append(out, line)
		}
	}
	return out
}

// nodeFailureRun drives every built-in controller through a node failure,
// evictions, a reconnect, graceful deletions, static pods, deletions with
// each propagation, a node removal and the pod GC. It returns the cluster.
func nodeFailureRun(t testing.TB, cfg Config) *Cluster {
	t.Helper()
	ctrls, k := builtins()
	c := btCluster(t, cfg, ctrls...)
	c.RegisterTypes(ownerType)
	check(t, c.Apply(btNode("node-a"), btNode("node-b"), btNode("node-c")))
	owner := apply(t, c, newOwner("o"))
	var pods []Object
	for _, node := range []string{"node-a", "node-b", "node-c"} {
		pods = append(pods,
			ownedBy(withLabels(btPod("bare-"+node, node), "app", "bare"), owner, true),
			withTolerations(withLabels(btPod("daemon-"+node, node), "app", "daemon"), taints.DaemonTolerations(false, cfg.Profile == Legacy)...),
			withLabels(btPod("short-"+node, node), "app", "short"))
	}
	check(t, c.Apply(pods...))
	etcd := btPod("etcd", "")
	etcd.Namespace = "kube-system"
	check(t, k.AddStaticPod(c, "node-b", etcd))
	check(t, c.Settle())
	check(t, k.Report(c, StatusReport{Selector: mustParse(t, "app=short"), Ready: Bool(false)}))
	check(t, c.Disconnect("node-a"))
	check(t, c.Advance(100*time.Second))
	check(t, c.Taint("node-c", "dedicated=x:NoExecute"))
	check(t, c.Advance(100*time.Second))
	check(t, c.Reconnect("node-a"))
	check(t, c.Advance(time.Second))
	check(t, c.Delete(Ref{Kind: KindPod, Namespace: "kube-system", Name: "etcd-node-b"}, DeleteOptions{}))
	check(t, c.Delete(RefOf(owner), DeleteOptions{Propagation: DeletePropagationForeground}))
	check(t, c.Advance(time.Minute))
	check(t, c.Disconnect("node-b"))
	check(t, c.Delete(Ref{Kind: KindNode, Name: "node-b"}, DeleteOptions{}))
	check(t, c.Advance(10*time.Minute))
	return c
}

// TestBuiltinsDeterministic runs the same calls twice and demands
// byte-identical logs.
func TestBuiltinsDeterministic(t *testing.T) {
	for _, profile := range []Profile{Modern, Legacy} {
		t.Run(string(profile), func(t *testing.T) {
			a := logLines(nodeFailureRun(t, Config{Profile: profile}))
			b := logLines(nodeFailureRun(t, Config{Profile: profile}))
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("second run log mismatch (-first +second):\n%s", diff)
			}
			if len(a) < 50 {
				t.Errorf("run logged %d records, want a substantial run", len(a))
			}
			// No controller may modify a stored object in place.
			checked := logLines(nodeFailureRun(t, Config{Profile: profile, CheckImmutable: true}))
			if diff := cmp.Diff(a, checked); diff != "" {
				t.Errorf("run with CheckImmutable log mismatch (-plain +checked):\n%s", diff)
			}
		})
	}
}

// TestBuiltinsShuffleEndState runs the same calls under shuffle mode with
// several seeds: the order of simultaneous work may change, the settled
// objects may not.
func TestBuiltinsShuffleEndState(t *testing.T) {
	want := stateSummary(nodeFailureRun(t, Config{}))
	for _, seed := range []uint64{1, 2, 3, 42} {
		got := stateSummary(nodeFailureRun(t, Config{Shuffle: true, Seed: seed}))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("seed %d: settled state mismatch (-FIFO +shuffled):\n%s", seed, diff)
		}
	}
	if !slices.ContainsFunc(want, func(s string) bool { return strings.HasPrefix(s, "Pod/default/daemon-node-a") }) {
		t.Errorf("the daemon pod of the failed node did not survive:\n%s", strings.Join(want, "\n"))
	}
}
