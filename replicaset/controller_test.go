package replicaset

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/google/go-cmp/cmp"
)

func kubeletOf(c *cluster.Cluster) *cluster.Kubelet {
	k, _ := c.Controller(cluster.KubeletName)
	return k.(*cluster.Kubelet)
}

func deleteAndSettle(c *cluster.Cluster, r cluster.Ref, opts cluster.DeleteOptions) func() error {
	return func() error {
		if err := c.Delete(r, opts); err != nil {
			return err
		}
		return c.Settle()
	}
}

func podRef(name string) cluster.Ref { return cluster.Ref{Kind: cluster.KindPod, Name: name} }

// scaleSteps scales ReplicaSet web 0→3→1→2 and returns the log of each
// step. The default scheduler places the pods: the replica count, not the
// nodes, is the controller's business (claim S26).
func scaleSteps(t *testing.T, c *cluster.Cluster) [][]string {
	rs := testRS()
	var out [][]string
	out = append(out, step(t, c, applyAndSettle(c, rs)))
	rs.Spec.Replicas = cluster.Int32(1)
	out = append(out, step(t, c, applyAndSettle(c, rs)))
	out = append(out, step(t, c, func() error { return c.Advance(30 * time.Second) }))
	rs.Spec.Replicas = cluster.Int32(2)
	out = append(out, step(t, c, applyAndSettle(c, rs)))
	return out
}

// TestControllerScale checks scale up, scale down (which pods go) and
// scale up again, with the scheduler spreading the pods over the nodes.
func TestControllerScale(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	got := scaleSteps(t, c)
	want := [][]string{{
		"0s user create ReplicaSet/default/web",
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 3, creating 3"`,
		"0s replicaset-controller create Pod/default/web-qxxrk",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-qxxrk"`,
		"0s replicaset-controller create Pod/default/web-2dmkw",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-2dmkw"`,
		"0s replicaset-controller create Pod/default/web-x9j78",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-x9j78"`,
		// The status counts the pods found before the creations.
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=0 ready=0 available=0",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=0 available=0",
		"0s default-scheduler bind Pod/default/web-qxxrk node=node-a",
		`0s default-scheduler event Pod/default/web-qxxrk Normal Scheduled "Successfully assigned default/web-qxxrk to node-a"`,
		"0s default-scheduler bind Pod/default/web-2dmkw node=node-b",
		`0s default-scheduler event Pod/default/web-2dmkw Normal Scheduled "Successfully assigned default/web-2dmkw to node-b"`,
		"0s default-scheduler bind Pod/default/web-x9j78 node=node-c",
		`0s default-scheduler event Pod/default/web-x9j78 Normal Scheduled "Successfully assigned default/web-x9j78 to node-c"`,
		"0s kubelet/node-a update-status Pod/default/web-qxxrk phase=Running ready=true",
		"0s kubelet/node-b update-status Pod/default/web-2dmkw phase=Running ready=true",
		"0s kubelet/node-c update-status Pod/default/web-x9j78 phase=Running ready=true",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=3 available=3",
	}, {
		"0s user update ReplicaSet/default/web generation=2 replicas=1",
		`0s replicaset-controller note ReplicaSet/default/web "Too many replicas: need 1, deleting 2"`,
		// Equal in every other respect, the pods go in name order.
		"0s replicaset-controller delete Pod/default/web-2dmkw grace=30s",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulDelete "Deleted pod: web-2dmkw"`,
		"0s replicaset-controller delete Pod/default/web-qxxrk grace=30s",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulDelete "Deleted pod: web-qxxrk"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=3 available=3",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=1 ready=1 available=1",
	}, {
		"0s user advance 30s",
		"30s kubelet/node-b delete Pod/default/web-2dmkw",
		"30s kubelet/node-a delete Pod/default/web-qxxrk",
	}, {
		"30s user update ReplicaSet/default/web generation=3 replicas=2",
		`30s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 2, creating 1"`,
		"30s replicaset-controller create Pod/default/web-jprxd",
		`30s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-jprxd"`,
		"30s replicaset-controller update-status ReplicaSet/default/web replicas=1 ready=1 available=1",
		"30s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=1 available=1",
		"30s default-scheduler bind Pod/default/web-jprxd node=node-a",
		`30s default-scheduler event Pod/default/web-jprxd Normal Scheduled "Successfully assigned default/web-jprxd to node-a"`,
		"30s kubelet/node-a update-status Pod/default/web-jprxd phase=Running ready=true",
		"30s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=2 available=2",
	}}
	for i := range want {
		wantLines(t, "step "+string(rune('1'+i)), want[i], got[i])
	}
	if diff := cmp.Diff([]string{"web-jprxd@node-a", "web-x9j78@node-c"}, podsByNode(c)); diff != "" {
		t.Errorf("pods mismatch (-want +got):\n%s", diff)
	}
	rs := getRS(c, "web")
	if want := (Status{Replicas: 2, FullyLabeledReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 2, ObservedGeneration: 3}); !cmp.Equal(want, rs.Status) {
		t.Errorf("status %+v, want %+v", rs.Status, want)
	}
	for o := range c.List(cluster.KindPod, "default") {
		p := o.(*cluster.Pod)
		ref := p.ControllerRef()
		if ref == nil || ref.UID != rs.UID || ref.Kind != "ReplicaSet" || ref.APIVersion != "apps/v1" || !ref.Blocks() {
			t.Errorf("pod %s: controller reference %+v, want one to the ReplicaSet blocking deletion", p.Name, ref)
		}
		if p.GenerateName != "web-" || p.Spec.SchedulerName != cluster.DefaultSchedulerName {
			t.Errorf("pod %s: generateName %q schedulerName %q", p.Name, p.GenerateName, p.Spec.SchedulerName)
		}
	}
}

// TestControllerDeterminism runs the scale steps twice on fresh clusters
// and demands identical logs; another seed changes only the names.
func TestControllerDeterminism(t *testing.T) {
	flat := func(cfg cluster.Config) string {
		c := newTestCluster(t, cfg)
		var all []string
		for _, s := range scaleSteps(t, c) {
			all = append(all, s...)
		}
		return strings.Join(all, "\n")
	}
	a, b := flat(cluster.Config{}), flat(cluster.Config{})
	if a != b {
		t.Fatalf("two runs differ:\n%s\n---\n%s", a, b)
	}
	other := flat(cluster.Config{Seed: 42})
	if other == a || len(strings.Split(other, "\n")) != len(strings.Split(a, "\n")) {
		t.Errorf("seed 42: want the same number of lines with other names; got\n%s", other)
	}
}

// TestControllerAdoption checks that matching orphans are adopted (active
// ones only), that pods of another controller are left alone, that a pod
// whose labels stop matching is released and replaced, and that it is
// adopted again, as a surplus pod, when they match again.
func TestControllerAdoption(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	pod := func(name string) *cluster.Pod {
		p := &cluster.Pod{}
		p.Name = name
		p.Labels = map[string]string{"app": "web"}
		p.Spec.NodeName = "node-b"
		p.Spec.Containers = []cluster.Container{{Name: "web", Image: "nginx:1.26"}}
		return p
	}
	manual, spare, finished, foreign := pod("manual"), pod("spare"), pod("finished"), pod("foreign")
	finished.Labels = map[string]string{"app": "web", "job": "done"}
	foreign.OwnerReferences = []cluster.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "ds", UID: "ds-uid", Controller: cluster.Bool(true)}}
	check(t, c.Apply(manual, spare, finished, foreign))
	check(t, c.Settle())
	sel, err := selector.Parse("job=done")
	check(t, err)
	check(t, kubeletOf(c).Report(c, cluster.StatusReport{Selector: sel, Phase: cluster.PodSucceeded}))

	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(2)
	wantLines(t, "create", []string{
		"0s user create ReplicaSet/default/web",
		"0s replicaset-controller update Pod/default/manual owner +ReplicaSet/web",
		"0s replicaset-controller update Pod/default/spare owner +ReplicaSet/web",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=2 available=2",
	}, step(t, c, applyAndSettle(c, rs)))

	wantLines(t, "relabel", []string{
		"0s user update Pod/default/manual labels ~app=web→debug",
		"0s replicaset-controller update Pod/default/manual owner -ReplicaSet/web",
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 2, creating 1"`,
		"0s replicaset-controller create Pod/default/web-qxxrk",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-qxxrk"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=1 ready=1 available=1",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=1 available=1",
		"0s default-scheduler bind Pod/default/web-qxxrk node=node-a",
		`0s default-scheduler event Pod/default/web-qxxrk Normal Scheduled "Successfully assigned default/web-qxxrk to node-a"`,
		"0s kubelet/node-a update-status Pod/default/web-qxxrk phase=Running ready=true",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=2 available=2",
	}, step(t, c, func() error {
		if err := c.Label(podRef("manual"), "app=debug"); err != nil {
			return err
		}
		return c.Settle()
	}))

	// node-b has more of the ReplicaSet's pods, but rank counts only
	// pods of owners sharing a controller: names decide.
	wantLines(t, "relabel-back", []string{
		"0s user update Pod/default/manual labels ~app=debug→web",
		"0s replicaset-controller update Pod/default/manual owner +ReplicaSet/web",
		`0s replicaset-controller note ReplicaSet/default/web "Too many replicas: need 2, deleting 1"`,
		"0s replicaset-controller delete Pod/default/manual grace=30s",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulDelete "Deleted pod: manual"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=3 available=3",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=2 available=2",
	}, step(t, c, func() error {
		if err := c.Label(podRef("manual"), "app=web"); err != nil {
			return err
		}
		return c.Settle()
	}))
	for _, name := range []string{"finished", "foreign"} {
		o, _ := c.Get(cluster.Ref{Kind: cluster.KindPod, Namespace: "default", Name: name})
		if ref := o.Meta().ControllerRef(); ref != nil && ref.Kind == "ReplicaSet" {
			t.Errorf("pod %s was adopted", name)
		}
	}
}

// TestControllerReplacesPods checks that a deleted pod and a failed pod
// are replaced at once; the failed pod stays (pod GC's business).
func TestControllerReplacesPods(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	check(t, c.Apply(testRS()))
	check(t, c.Settle())
	wantLines(t, "delete", []string{
		"0s user delete Pod/default/web-2dmkw grace=30s",
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 3, creating 1"`,
		"0s replicaset-controller create Pod/default/web-jprxd",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-jprxd"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=2 available=2",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=2 available=2",
		"0s default-scheduler bind Pod/default/web-jprxd node=node-a",
		`0s default-scheduler event Pod/default/web-jprxd Normal Scheduled "Successfully assigned default/web-jprxd to node-a"`,
		"0s kubelet/node-a update-status Pod/default/web-jprxd phase=Running ready=true",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=3 available=3",
	}, step(t, c, deleteAndSettle(c, podRef("web-2dmkw"), cluster.DeleteOptions{})))

	check(t, c.Label(podRef("web-x9j78"), "crash=yes"))
	sel, err := selector.Parse("crash=yes")
	check(t, err)
	wantLines(t, "fail", []string{
		"0s kubelet/node-c update-status Pod/default/web-x9j78 phase=Failed ready=false",
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 3, creating 1"`,
		"0s replicaset-controller create Pod/default/web-fhjxl",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-fhjxl"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=2 available=2",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=2 available=2",
		"0s default-scheduler bind Pod/default/web-fhjxl node=node-c",
		`0s default-scheduler event Pod/default/web-fhjxl Normal Scheduled "Successfully assigned default/web-fhjxl to node-c"`,
		"0s kubelet/node-c update-status Pod/default/web-fhjxl phase=Running ready=true",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=3 ready=3 available=3",
	}, step(t, c, func() error {
		if err := kubeletOf(c).Report(c, cluster.StatusReport{Selector: sel, Phase: cluster.PodFailed}); err != nil {
			return err
		}
		return c.Settle()
	}))
	if diff := cmp.Diff([]string{"web-fhjxl@node-c", "web-jprxd@node-a", "web-qxxrk@node-a", "web-x9j78@node-c"}, podsByNode(c)); diff != "" {
		t.Errorf("pods mismatch (-want +got):\n%s", diff)
	}
}

// TestControllerSlowStart checks the slow-start batches: a failed create
// lets the rest of its batch run, skips the later batches, and the status
// is still written; the next sync creates the rest.
func TestControllerSlowStart(t *testing.T) {
	creates := 0
	c := newTestCluster(t, cluster.Config{Intercept: func(actor string, a cluster.Action) error {
		if cr, ok := a.(cluster.Create); ok && actor == ControllerName && cr.Object.Type().Kind == cluster.KindPod {
			if creates++; creates == 2 {
				return cluster.NewForbidden(cluster.PodType, "web-", "exceeded quota: pods")
			}
		}
		return nil
	}})
	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(6)
	rs.Spec.Template.Spec.SchedulerName = "other-scheduler" // keep the log short
	wantLines(t, "create", []string{
		"0s user create ReplicaSet/default/web",
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 6, creating 6"`,
		// batch 1
		"0s replicaset-controller create Pod/default/web-qxxrk",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-qxxrk"`,
		// batch 2: one fails, the other runs; batch 3 (three pods) is skipped
		`0s replicaset-controller event ReplicaSet/default/web Warning FailedCreate "Error creating: pods \"web-\" is forbidden: exceeded quota: pods"`,
		`0s replicaset-controller fail Pod/default/web- create "pods \"web-\" is forbidden: exceeded quota: pods"`,
		"0s replicaset-controller create Pod/default/web-2dmkw",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-2dmkw"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=0 ready=0 available=0",
		// the pods' creation wakes the ReplicaSet again
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 6, creating 4"`,
		"0s replicaset-controller create Pod/default/web-x9j78",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-x9j78"`,
		"0s replicaset-controller create Pod/default/web-jprxd",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-jprxd"`,
		"0s replicaset-controller create Pod/default/web-fhjxl",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-fhjxl"`,
		"0s replicaset-controller create Pod/default/web-tlkxr",
		`0s replicaset-controller event ReplicaSet/default/web Normal SuccessfulCreate "Created pod: web-tlkxr"`,
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=2 ready=0 available=0",
		"0s replicaset-controller update-status ReplicaSet/default/web replicas=6 ready=0 available=0",
	}, step(t, c, applyAndSettle(c, rs)))
	wantLines(t, "retry", []string{"0s user advance 1s"}, step(t, c, func() error { return c.Advance(time.Second) }))
}

// TestControllerBurst checks the cap of BurstReplicas creates per sync.
func TestControllerBurst(t *testing.T) {
	c := cluster.MustNew(cluster.Config{})
	Register(c)
	check(t, c.Register(NewController()))
	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(BurstReplicas + 1)
	lines := step(t, c, applyAndSettle(c, rs))
	var notes []string
	creates := 0
	for _, l := range lines {
		switch {
		case strings.Contains(l, " note "):
			notes = append(notes, l)
		case strings.Contains(l, " create Pod/"):
			creates++
		}
	}
	want := []string{
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 501, creating 500"`,
		`0s replicaset-controller note ReplicaSet/default/web "Too few replicas: need 501, creating 1"`,
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("notes mismatch (-want +got):\n%s", diff)
	}
	if creates != BurstReplicas+1 {
		t.Errorf("%d pods created, want %d", creates, BurstReplicas+1)
	}
}

// TestControllerMinReadySeconds checks the available count: the
// ReplicaSet is synced again minReadySeconds+1s after its pod became
// Ready.
func TestControllerMinReadySeconds(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(1)
	rs.Spec.MinReadySeconds = 10
	lines := step(t, c, applyAndSettle(c, rs))
	if last := lines[len(lines)-1]; last != "0s replicaset-controller update-status ReplicaSet/default/web replicas=1 ready=1 available=0" {
		t.Errorf("last line %q, want the pod ready, not available", last)
	}
	wantLines(t, "advance", []string{
		"0s user advance 20s",
		"11s replicaset-controller update-status ReplicaSet/default/web replicas=1 ready=1 available=1",
	}, step(t, c, func() error { return c.Advance(20 * time.Second) }))
}

// TestControllerOrphanAndCascade checks that the pods of a ReplicaSet
// deleted with orphan propagation stay, that a new ReplicaSet with a
// matching selector adopts them whatever their template, and that a
// background delete lets the garbage collector delete them.
func TestControllerOrphanAndCascade(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(2)
	check(t, c.Apply(rs))
	check(t, c.Settle())
	wantLines(t, "orphan", []string{
		"0s user delete ReplicaSet/default/web finalizers=[orphan]",
		"0s garbage-collector update Pod/default/web-2dmkw owner -ReplicaSet/web",
		"0s garbage-collector update Pod/default/web-qxxrk owner -ReplicaSet/web",
		"0s garbage-collector delete ReplicaSet/default/web finalizers=[]",
	}, step(t, c, deleteAndSettle(c, cluster.Ref{Kind: KindReplicaSet, Name: "web"}, cluster.DeleteOptions{Propagation: cluster.DeletePropagationOrphan})))
	rs2 := testRS()
	rs2.Name = "web2"
	rs2.Spec.Replicas = cluster.Int32(2)
	rs2.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"
	wantLines(t, "adopt", []string{
		"0s user create ReplicaSet/default/web2",
		"0s replicaset-controller update Pod/default/web-2dmkw owner +ReplicaSet/web2",
		"0s replicaset-controller update Pod/default/web-qxxrk owner +ReplicaSet/web2",
		"0s replicaset-controller update-status ReplicaSet/default/web2 replicas=2 ready=2 available=2",
	}, step(t, c, applyAndSettle(c, rs2)))
	wantLines(t, "cascade", []string{
		"0s user delete ReplicaSet/default/web2",
		"0s garbage-collector delete Pod/default/web-2dmkw grace=30s",
		"0s garbage-collector delete Pod/default/web-qxxrk grace=30s",
	}, step(t, c, deleteAndSettle(c, cluster.Ref{Kind: KindReplicaSet, Name: "web2"}, cluster.DeleteOptions{})))
}

// TestControllerForegroundDeletion checks that a ReplicaSet being deleted
// neither replaces nor adopts pods, while the garbage collector removes
// them.
func TestControllerForegroundDeletion(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	rs := testRS()
	rs.Spec.Replicas = cluster.Int32(1)
	check(t, c.Apply(rs))
	check(t, c.Settle())
	lines := step(t, c, func() error {
		if err := c.Delete(cluster.Ref{Kind: KindReplicaSet, Name: "web"}, cluster.DeleteOptions{Propagation: cluster.DeletePropagationForeground}); err != nil {
			return err
		}
		return c.Advance(30 * time.Second)
	})
	for _, l := range lines {
		if strings.Contains(l, "replicaset-controller") && !strings.Contains(l, "update-status") {
			t.Errorf("the controller acted on a ReplicaSet being deleted: %s", l)
		}
	}
	if getRS(c, "web") != nil || len(podsByNode(c)) != 0 {
		t.Errorf("after foreground deletion: ReplicaSet %v, pods %v; want both gone", getRS(c, "web") != nil, podsByNode(c))
	}
}

// TestReplicationController checks the ReplicationController: selector
// defaulted from the template, the controller's own actor name, events on
// the ReplicationController, and the ReplicaSet controller leaving it
// alone.
func TestReplicationController(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	lines := step(t, c, applyAndSettle(c, testRC()))
	want := []string{
		"0s user create ReplicationController/default/web",
		`0s replication-controller note ReplicationController/default/web "Too few replicas: need 3, creating 3"`,
		"0s replication-controller create Pod/default/web-qxxrk",
		`0s replication-controller event ReplicationController/default/web Normal SuccessfulCreate "Created pod: web-qxxrk"`,
		"0s replication-controller create Pod/default/web-2dmkw",
		`0s replication-controller event ReplicationController/default/web Normal SuccessfulCreate "Created pod: web-2dmkw"`,
		"0s replication-controller create Pod/default/web-x9j78",
		`0s replication-controller event ReplicationController/default/web Normal SuccessfulCreate "Created pod: web-x9j78"`,
		"0s replication-controller update-status ReplicationController/default/web replicas=0 ready=0 available=0",
		"0s replication-controller update-status ReplicationController/default/web replicas=3 ready=0 available=0",
	}
	wantLines(t, "create", want, slices.DeleteFunc(lines, func(l string) bool {
		return strings.Contains(l, "default-scheduler") || strings.Contains(l, "kubelet/") ||
			strings.HasSuffix(l, "replicas=3 ready=3 available=3")
	}))
	if diff := cmp.Diff([]string{"web-2dmkw@node-b", "web-qxxrk@node-a", "web-x9j78@node-c"}, podsByNode(c)); diff != "" {
		t.Errorf("pods mismatch (-want +got):\n%s", diff)
	}
	o, _ := c.Get(cluster.Ref{Kind: KindReplicationController, Namespace: "default", Name: "web"})
	rc := o.(*ReplicationController)
	if want := (Status{Replicas: 3, FullyLabeledReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 1}); !cmp.Equal(want, rc.Status) {
		t.Errorf("status %+v, want %+v", rc.Status, want)
	}
	// A ReplicaSet selecting the same pods may not take them: they have a
	// controller.
	rs := testRS()
	rs.Name = "other"
	rs.Spec.Replicas = cluster.Int32(0)
	wantLines(t, "replicaset", []string{
		"0s user create ReplicaSet/default/other",
		"0s replicaset-controller update-status ReplicaSet/default/other replicas=0 ready=0 available=0",
	}, step(t, c, applyAndSettle(c, rs)))
}

// TestControllerRelatedPods checks rule 5 of the deletion ranking on
// ReplicaSets that share a controller (as those of one Deployment): the
// pod on the node crowded with their pods goes first.
func TestControllerRelatedPods(t *testing.T) {
	c := newTestCluster(t, cluster.Config{})
	dep := cluster.OwnerReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "deployment-uid", Controller: cluster.Bool(true)}
	pod := func(name, node, rs string) *cluster.Pod {
		p := &cluster.Pod{}
		p.Name = name
		p.Labels = map[string]string{"app": "web", "rs": rs}
		p.Spec.NodeName = node
		p.Spec.Containers = []cluster.Container{{Name: "web", Image: "nginx:1.27"}}
		return p
	}
	check(t, c.Apply(pod("a-1", "node-a", "a"), pod("a-2", "node-b", "a"), pod("b-1", "node-b", "b")))
	check(t, c.Settle())
	for _, name := range []string{"a", "b"} {
		rs := testRS()
		rs.Name = name
		rs.OwnerReferences = []cluster.OwnerReference{dep}
		rs.Spec.Replicas = cluster.Int32(2)
		if name == "b" {
			rs.Spec.Replicas = cluster.Int32(1)
		}
		rs.Spec.Selector.MatchLabels = map[string]string{"app": "web", "rs": name}
		rs.Spec.Template.Labels = map[string]string{"app": "web", "rs": name}
		check(t, c.Apply(rs))
	}
	check(t, c.Settle())
	rs := getRS(c, "a").Clone().(*ReplicaSet)
	rs.Spec.Replicas = cluster.Int32(1)
	rs.ResourceVersion = ""
	lines := step(t, c, applyAndSettle(c, rs))
	if !slices.Contains(lines, "0s replicaset-controller delete Pod/default/a-2 grace=30s") {
		t.Errorf("want a-2 (on node-b with b-1) deleted; log:\n%s", strings.Join(lines, "\n"))
	}
}
