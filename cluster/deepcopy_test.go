package cluster

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// fullPod returns a pod with every kind of field set.
func fullPod() *Pod {
	now := Epoch.Add(time.Minute)
	p := &Pod{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Pod"}}
	p.Name, p.Namespace, p.UID = "p", "ns", "u"
	p.Labels = map[string]string{"a": "b"}
	p.Annotations = map[string]string{"x": "y"}
	p.OwnerReferences = []OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "d", UID: "ud", Controller: Bool(true), BlockOwnerDeletion: Bool(true)}}
	p.Finalizers = []string{"f"}
	p.DeletionTimestamp = &now
	p.DeletionGracePeriodSeconds = Int64(30)
	p.Spec = PodSpec{
		Volumes:                       Opaque(`[{"name":"v","hostPath":{"path":"/var/log"}}]`),
		Containers:                    []Container{{Name: "c", Image: "i", Command: []string{"run"}, Ports: []ContainerPort{{ContainerPort: 80, HostPort: 80}}, Env: Opaque(`[{"name":"E","value":"1"}]`), Resources: ResourceRequirements{Requests: ResourceList{ResourceCPU: MustParseQuantity("100m")}}}},
		NodeSelector:                  map[string]string{"disk": "ssd"},
		TerminationGracePeriodSeconds: Int64(10),
		Affinity: &Affinity{NodeAffinity: &NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution:  &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{{MatchFields: []selector.NodeSelectorRequirement{{Key: "metadata.name", Operator: "In", Values: []string{"n"}}}}}},
			PreferredDuringSchedulingIgnoredDuringExecution: []PreferredSchedulingTerm{{Weight: 1, Preference: selector.NodeSelectorTerm{MatchExpressions: []selector.NodeSelectorRequirement{{Key: "z", Operator: "Exists"}}}}},
		}},
		Tolerations: []taints.Toleration{{Key: "k", Operator: taints.OpExists, TolerationSeconds: Int64(5)}},
		Priority:    Int32(7),
	}
	p.Status = PodStatus{Phase: PodRunning, Conditions: []PodCondition{{Type: PodReady, Status: ConditionTrue}}, StartTime: &now}
	return p
}

func fullNode() *Node {
	now := Epoch
	n := &Node{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Node"}}
	n.Name = "n"
	n.Labels = map[string]string{"disk": "ssd"}
	n.Spec.Taints = []taints.Taint{{Key: "k", Effect: taints.NoExecute, TimeAdded: &now}}
	n.Status.Allocatable = ResourceList{ResourceCPU: MustParseQuantity("2")}
	n.Status.Conditions = []NodeCondition{{Type: NodeReady, Status: ConditionTrue}}
	n.Status.Addresses = []NodeAddress{{Type: "InternalIP", Address: "10.0.0.1"}}
	return n
}

// TestDeepCopyFast checks that the fast copies equal the JSON round trip
// and share nothing with the original.
func TestDeepCopyFast(t *testing.T) {
	for _, obj := range []Object{fullPod(), fullNode(), &Namespace{ObjectMeta: ObjectMeta{Name: "ns", Labels: map[string]string{"a": "b"}}}} {
		fast := DeepCopy(obj)
		b, _ := json.Marshal(obj)
		slow := obj.Clone()
		if err := json.Unmarshal(b, slow); err != nil {
			t.Fatal(err)
		}
		fb, _ := json.Marshal(fast)
		if diff := cmp.Diff(string(b), string(fb)); diff != "" {
			t.Errorf("%T: fast copy differs from the original (-want +got):\n%s", obj, diff)
		}
		// Mutating the copy leaves the original as it was.
		fast.Meta().Labels["a"] = "changed"
		if obj.Meta().Labels["a"] == "changed" {
			t.Errorf("%T: the copy shares its labels", obj)
		}
	}
	p := fullPod()
	c := DeepCopy(p).(*Pod)
	c.Spec.Containers[0].Ports[0].HostPort = 1
	c.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchFields[0].Values[0] = "x"
	c.Spec.Tolerations[0].Key = "x"
	*c.Spec.TerminationGracePeriodSeconds = 1
	want, _ := json.Marshal(fullPod())
	got, _ := json.Marshal(p)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("mutating a deep copy changed the original (-want +got):\n%s", diff)
	}
}

// TestOpaqueJSON checks that an Opaque field keeps its JSON text through a
// decode and an encode, and that an empty one is absent.
func TestOpaqueJSON(t *testing.T) {
	in := `{"name":"c","livenessProbe":{"httpGet":{"path":"/healthz","port":8080}},"env":[{"name":"E","value":"1"}]}`
	var c Container
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if want := Opaque(`{"httpGet":{"path":"/healthz","port":8080}}`); c.LivenessProbe != want {
		t.Errorf("LivenessProbe = %s, want %s", c.LivenessProbe, want)
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"name":"c","env":[{"name":"E","value":"1"}],"livenessProbe":{"httpGet":{"path":"/healthz","port":8080}}}` {
		t.Errorf("Marshal = %s", out)
	}
	if b, _ := json.Marshal(Opaque("")); string(b) != "null" {
		t.Errorf("Marshal(empty Opaque) = %s, want null", b)
	}
	if _, err := json.Marshal(Container{Name: "c", Env: Opaque("{bad")}); err == nil {
		t.Error("Marshal of an Opaque holding invalid JSON succeeded, want an error")
	}
}
