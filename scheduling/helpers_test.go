package scheduling_test

import (
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// Builders for the objects of the tests. Options modify the object in
// place; each builder returns a fresh object.

type nodeOpt func(*cluster.Node)

func newNode(name string, opts ...nodeOpt) *cluster.Node {
	n := &cluster.Node{}
	n.Name = name
	n.Labels = map[string]string{"kubernetes.io/hostname": name}
	for _, o := range opts {
		o(n)
	}
	return n
}

func labels(kv ...string) nodeOpt {
	return func(n *cluster.Node) {
		for i := 0; i < len(kv); i += 2 {
			n.Labels[kv[i]] = kv[i+1]
		}
	}
}

func tainted(ts ...string) nodeOpt {
	return func(n *cluster.Node) {
		for _, s := range ts {
			t, err := taints.ParseTaint(s)
			if err != nil {
				panic(err)
			}
			n.Spec.Taints = append(n.Spec.Taints, t)
		}
	}
}

func cordoned(n *cluster.Node) { n.Spec.Unschedulable = true }

// allocatable sets status.allocatable from "cpu=2,memory=4Gi".
func allocatable(list string) nodeOpt {
	return func(n *cluster.Node) { n.Status.Allocatable = resourceList(list) }
}

func resourceList(list string) cluster.ResourceList {
	rl := cluster.ResourceList{}
	for _, kv := range strings.Split(list, ",") {
		k, v, _ := strings.Cut(kv, "=")
		rl[cluster.ResourceName(k)] = cluster.MustParseQuantity(v)
	}
	return rl
}

type podOpt func(*cluster.Pod)

func newPod(name string, opts ...podOpt) *cluster.Pod {
	p := &cluster.Pod{}
	p.Name = name
	p.Namespace = "default"
	p.Spec.Containers = []cluster.Container{{Name: "main", Image: "registry.k8s.io/pause:3.10"}}
	for _, o := range opts {
		o(p)
	}
	return p
}

// requests sets the requests of the first container.
func requests(list string) podOpt {
	return func(p *cluster.Pod) { p.Spec.Containers[0].Resources.Requests = resourceList(list) }
}

// container adds a container with these requests.
func container(list string) podOpt {
	return func(p *cluster.Pod) {
		p.Spec.Containers = append(p.Spec.Containers, cluster.Container{Name: "extra", Image: "busybox:1",
			Resources: cluster.ResourceRequirements{Requests: resourceList(list)}})
	}
}

// initContainer adds an init container with these requests.
func initContainer(list string) podOpt {
	return func(p *cluster.Pod) {
		p.Spec.InitContainers = append(p.Spec.InitContainers, cluster.Container{Name: "init", Image: "busybox:1",
			Resources: cluster.ResourceRequirements{Requests: resourceList(list)}})
	}
}

// port adds a port to the first container.
func port(hostPort, containerPort int32, protocol cluster.Protocol, hostIP string) podOpt {
	return func(p *cluster.Pod) {
		c := &p.Spec.Containers[0]
		c.Ports = append(c.Ports, cluster.ContainerPort{HostPort: hostPort, ContainerPort: containerPort, Protocol: protocol, HostIP: hostIP})
	}
}

func hostNetwork(p *cluster.Pod) { p.Spec.HostNetwork = true }

func tolerate(key string, op taints.Operator, value string, effect taints.Effect) podOpt {
	return func(p *cluster.Pod) {
		p.Spec.Tolerations = append(p.Spec.Tolerations, taints.Toleration{Key: key, Operator: op, Value: value, Effect: effect})
	}
}

func nodeSelector(kv ...string) podOpt {
	return func(p *cluster.Pod) {
		p.Spec.NodeSelector = map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			p.Spec.NodeSelector[kv[i]] = kv[i+1]
		}
	}
}

// affinity sets the required node affinity to these terms.
func affinity(terms ...selector.NodeSelectorTerm) podOpt {
	return func(p *cluster.Pod) {
		p.Spec.Affinity = &cluster.Affinity{NodeAffinity: &cluster.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{NodeSelectorTerms: terms},
		}}
	}
}

// pinTo pins the pod to nodes as the DaemonSet controller does: one term
// with matchFields metadata.name In names.
func pinTo(names ...string) podOpt { return affinity(nameTerm(names...)) }

func nameTerm(names ...string) selector.NodeSelectorTerm {
	return selector.NodeSelectorTerm{MatchFields: []selector.NodeSelectorRequirement{
		{Key: selector.ObjectNameField, Operator: selector.NodeSelectorOpIn, Values: names},
	}}
}

func labelTerm(key string, op selector.NodeSelectorOperator, values ...string) selector.NodeSelectorTerm {
	return selector.NodeSelectorTerm{MatchExpressions: []selector.NodeSelectorRequirement{
		{Key: key, Operator: op, Values: values},
	}}
}

func nodeName(n string) podOpt { return func(p *cluster.Pod) { p.Spec.NodeName = n } }

func phase(ph cluster.PodPhase) podOpt { return func(p *cluster.Pod) { p.Status.Phase = ph } }

func terminating(p *cluster.Pod) {
	t := cluster.Epoch.Add(time.Minute)
	p.DeletionTimestamp = &t
}

func schedulerName(n string) podOpt { return func(p *cluster.Pod) { p.Spec.SchedulerName = n } }

func namespace(ns string) podOpt { return func(p *cluster.Pod) { p.Namespace = ns } }
