package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

var generateCommand = &command{
	name:    "generate",
	summary: "print a synthetic kubectl-style dump of a large cluster",
	usage: `Usage: daemonsim generate [-nodes N] [-daemonsets K] [-pods] [-managed-fields] [-seed S] > dump.yaml

Print a synthetic dump of a cluster as 'kubectl get nodes,daemonsets,pods
-A -o yaml' would: one kind: List holding N nodes, K DaemonSets and, with
-pods, their daemon pods. The output depends only on the flags: the same
seed gives the same bytes.

Nodes carry realistic labels (hostname, os, arch — one in ten arm64 —,
region, zone and a short zone=a|b|c label, instance type) and a few
taints: three control-plane nodes (when N ≥ 10), GPU nodes (about 5%,
nvidia.com/gpu=present:NoSchedule), ingress nodes (about 3%,
dedicated=ingress:NoSchedule), Fargate-like nodes (about 2%), cordoned
nodes (about 1%). About 30% have disk=ssd. All are Ready.

The DaemonSets are typical daemons — kube-proxy, calico-node, fluent-bit,
node-exporter, nvidia-device-plugin, ssd-monitor, ebs-csi-node,
zone-a-cache, ingress-proxy, security-agent, dcgm-exporter,
local-volume-provisioner, node-problem-detector, zone-b-cache,
arm64-tuner, control-plane-audit, gpu-feature-discovery,
ingress-log-shipper, ssd-trim, fargate-logger; then the same again,
suffixed -2, -3, … — with nodeSelectors, required node affinity and
tolerations, in several namespaces. Seven of the first twenty run on
(almost) every node.

With -pods, each DaemonSet has one Running and Ready pod on every node
that should run one, made as the DaemonSet controller makes them (owner
reference, revision hash and template generation labels, node-affinity
pin, automatic tolerations), so that the dump is a settled cluster:
loading it and settling changes no pod. Every object carries the noise of
a real dump (container statuses, node info, resource versions) to exercise
the lenient loader. With -managed-fields it also carries
metadata.managedFields, as kubectl get --show-managed-fields prints it
(kubectl leaves it out by default).

Flags:

	-nodes N        the number of nodes (default 100)
	-daemonsets K   the number of DaemonSets (default 10)
	-pods           include the daemon pods
	-managed-fields include metadata.managedFields in every object
	-seed S         the random seed (default 1)

Example: time a what-if analysis of a 10⁴-node cluster (the dump, with
some 80 000 pods, is about 280 MB, and loading it takes most of the time):

	daemonsim generate -nodes 10000 -daemonsets 20 -pods > dump.yaml
	time daemonsim whatif -f dump.yaml 'label nodes -l zone=a disk=ssd --overwrite'
`,
	flags: func() *flag.FlagSet { return genFlags(new(genOptions)) },
	run:   runGenerate,
}

func genFlags(o *genOptions) *flag.FlagSet {
	fs := newFlags("generate")
	fs.IntVar(&o.nodes, "nodes", 100, "the number of nodes")
	fs.IntVar(&o.daemonSets, "daemonsets", 10, "the number of DaemonSets")
	fs.BoolVar(&o.pods, "pods", false, "include the daemon pods")
	fs.BoolVar(&o.managedFields, "managed-fields", false, "include metadata.managedFields in every object")
	fs.Uint64Var(&o.seed, "seed", 1, "the random seed")
	return fs
}

// genOptions configure generate.
type genOptions struct {
	nodes, daemonSets int
	pods              bool
	managedFields     bool // as kubectl get --show-managed-fields prints them
	seed              uint64
}

// Bounds of generate's flags.
const (
	maxGenNodes      = 1000000
	maxGenDaemonSets = 1000
)

func runGenerate(c *cli, args []string) error {
	var o genOptions
	fs := genFlags(&o)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if o.nodes < 0 || o.nodes > maxGenNodes {
		return usagef("-nodes %d: want 0 to %d", o.nodes, maxGenNodes)
	}
	if o.daemonSets < 0 || o.daemonSets > maxGenDaemonSets {
		return usagef("-daemonsets %d: want 0 to %d", o.daemonSets, maxGenDaemonSets)
	}
	return generate(c.stdout, o)
}

// dumpTime is the instant the synthetic dump is taken at.
var dumpTime = time.Date(2024, time.June, 1, 12, 0, 0, 0, time.UTC)

// generator builds a synthetic cluster.
type generator struct {
	withManagedFields bool // write metadata.managedFields
	rng               *rand.Rand
	rv                int
	nodes             []*cluster.Node
	dss               []*daemonset.DaemonSet
}

// generate writes the dump for o to w.
func generate(w *bufio.Writer, o genOptions) error {
	g := &generator{withManagedFields: o.managedFields, rng: rand.New(rand.NewPCG(o.seed, 0x6461656d6f6e73))}
	for i := range o.nodes {
		g.nodes = append(g.nodes, g.node(i, o.nodes))
	}
	for i := range o.daemonSets {
		g.dss = append(g.dss, g.daemonSet(i))
	}
	// The pods of each DaemonSet, and its status as its controller would
	// report it for a settled cluster.
	var pods []*cluster.Pod
	for _, ds := range g.dss {
		elig := daemonset.NewEligibility(ds, cluster.Modern)
		var want []*cluster.Node
		for _, n := range g.nodes {
			if run, _ := elig.ShouldRun(n); run {
				want = append(want, n)
			}
		}
		k := int32(len(want))
		ds.Status = daemonset.Status{CurrentNumberScheduled: k, DesiredNumberScheduled: k, NumberReady: k,
			ObservedGeneration: 1, UpdatedNumberScheduled: k, NumberAvailable: k}
		if o.pods {
			pods = append(pods, g.daemonPods(ds, want)...)
		}
	}
	slices.SortFunc(pods, func(a, b *cluster.Pod) int {
		if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	w.WriteString("apiVersion: v1\nitems:\n")
	for _, n := range g.nodes {
		if err := writeItem(w, g.dumpNode(n)); err != nil {
			return err
		}
	}
	for _, ds := range g.dss {
		if err := writeItem(w, g.dumpDaemonSet(ds)); err != nil {
			return err
		}
	}
	for _, p := range pods {
		if err := writeItem(w, g.dumpPod(p)); err != nil {
			return err
		}
	}
	w.WriteString("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
	return nil
}

// writeItem writes v as an item of the List.
func writeItem(w *bufio.Writer, v any) error {
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.WriteString("- ")
	return writeYAML(w, js, 2, true)
}

// uid returns a random version-4 UUID.
func (g *generator) uid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, (b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

func (g *generator) resourceVersion() string {
	g.rv++
	return strconv.Itoa(1000 + g.rv)
}

// genName returns a random suffix from upstream's generated-name alphabet.
func (g *generator) genName(prefix string) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	var b [5]byte
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return prefix + string(b[:])
}

var zones = []string{"a", "b", "c"}

// node returns node i of n.
func (g *generator) node(i, n int) *cluster.Node {
	width := len(strconv.Itoa(max(n-1, 0)))
	name := fmt.Sprintf("node-%0*d", max(width, 3), i)
	zone := zones[i%len(zones)]
	arch := "amd64"
	if i%10 == 9 {
		arch = "arm64"
	}
	node := &cluster.Node{TypeMeta: cluster.TypeMeta{APIVersion: "v1", Kind: "Node"}}
	node.Name = name
	node.UID = g.uid()
	node.ResourceVersion = g.resourceVersion()
	node.CreationTimestamp = dumpTime.Add(-90 * 24 * time.Hour).Add(time.Duration(i) * 10 * time.Second)
	node.Annotations = map[string]string{
		"node.alpha.kubernetes.io/ttl":                           "0",
		"volumes.kubernetes.io/controller-managed-attach-detach": "true",
	}
	instance := "m5.2xlarge"
	if arch == "arm64" {
		instance = "m6g.2xlarge"
	}
	node.Labels = map[string]string{
		"kubernetes.io/hostname":           name,
		"kubernetes.io/os":                 "linux",
		"kubernetes.io/arch":               arch,
		"beta.kubernetes.io/os":            "linux",
		"beta.kubernetes.io/arch":          arch,
		"topology.kubernetes.io/region":    "us-east-1",
		"topology.kubernetes.io/zone":      "us-east-1" + zone,
		"zone":                             zone,
		"node.kubernetes.io/instance-type": instance,
	}
	var tt []taints.Taint
	r := g.rng.Float64()
	switch {
	case n >= 10 && i < 3:
		node.Labels["node-role.kubernetes.io/control-plane"] = ""
		tt = append(tt, taints.Taint{Key: "node-role.kubernetes.io/control-plane", Effect: taints.NoSchedule})
	case r < 0.05:
		node.Labels["nvidia.com/gpu.present"] = "true"
		node.Labels["node.kubernetes.io/instance-type"] = "p3.2xlarge"
		tt = append(tt, taints.Taint{Key: "nvidia.com/gpu", Value: "present", Effect: taints.NoSchedule})
	case r < 0.08:
		node.Labels["node-role.kubernetes.io/ingress"] = ""
		tt = append(tt, taints.Taint{Key: "dedicated", Value: "ingress", Effect: taints.NoSchedule})
	case r < 0.10:
		node.Labels["eks.amazonaws.com/compute-type"] = "fargate"
		tt = append(tt, taints.Taint{Key: "eks.amazonaws.com/compute-type", Value: "fargate", Effect: taints.NoSchedule})
	}
	if g.rng.Float64() < 0.30 {
		node.Labels["disk"] = "ssd"
	}
	if g.rng.Float64() < 0.01 {
		node.Spec.Unschedulable = true
		tt = append(tt, taints.Taint{Key: "node.kubernetes.io/unschedulable", Effect: taints.NoSchedule})
	}
	node.Spec.Taints = tt
	node.Spec.PodCIDR = fmt.Sprintf("10.%d.%d.0/24", 64+(i>>8)%64, i&255)
	node.Spec.ProviderID = "aws:///us-east-1" + zone + "/i-" + fmt.Sprintf("%017x", g.rng.Uint64()>>4)
	capacity := cluster.ResourceList{"cpu": cluster.MustParseQuantity("8"), "memory": cluster.MustParseQuantity("32Gi"),
		"ephemeral-storage": cluster.MustParseQuantity("100Gi"), "pods": cluster.MustParseQuantity("110")}
	node.Status.Capacity = capacity
	node.Status.Allocatable = cluster.ResourceList{"cpu": cluster.MustParseQuantity("7910m"), "memory": cluster.MustParseQuantity("31Gi"),
		"ephemeral-storage": cluster.MustParseQuantity("95Gi"), "pods": cluster.MustParseQuantity("110")}
	beat := dumpTime.Add(-time.Duration(i%40) * time.Second)
	since := node.CreationTimestamp.Add(30 * time.Second)
	node.Status.Conditions = []cluster.NodeCondition{
		{Type: cluster.NodeMemoryPressure, Status: cluster.ConditionFalse, LastHeartbeatTime: beat, LastTransitionTime: since, Reason: "KubeletHasSufficientMemory", Message: "kubelet has sufficient memory available"},
		{Type: cluster.NodeDiskPressure, Status: cluster.ConditionFalse, LastHeartbeatTime: beat, LastTransitionTime: since, Reason: "KubeletHasNoDiskPressure", Message: "kubelet has no disk pressure"},
		{Type: cluster.NodePIDPressure, Status: cluster.ConditionFalse, LastHeartbeatTime: beat, LastTransitionTime: since, Reason: "KubeletHasSufficientPID", Message: "kubelet has sufficient PID available"},
		{Type: cluster.NodeReady, Status: cluster.ConditionTrue, LastHeartbeatTime: beat, LastTransitionTime: since, Reason: "KubeletReady", Message: "kubelet is posting ready status"},
	}
	node.Status.Addresses = []cluster.NodeAddress{
		{Type: "InternalIP", Address: fmt.Sprintf("10.%d.%d.%d", ((i+1)>>16)&255, ((i+1)>>8)&255, (i+1)&255)},
		{Type: "Hostname", Address: name},
	}
	return node
}

// dsArchetype is a typical daemon.
type dsArchetype struct {
	name, namespace, image string
	nodeSelector           map[string]string
	affinity               []selector.NodeSelectorRequirement // one required term
	tolerations            []taints.Toleration
	hostNetwork            bool
	cpu, memory            string
	priorityClass          string
	maxUnavailable         string
	volumes                bool // mounts /var/log from the host
}

var tolerateAll = []taints.Toleration{{Operator: taints.OpExists}}

var archetypes = []dsArchetype{
	{name: "kube-proxy", namespace: "kube-system", image: "registry.k8s.io/kube-proxy:v1.30.2",
		tolerations: tolerateAll, hostNetwork: true, cpu: "100m", memory: "64Mi", priorityClass: "system-node-critical", maxUnavailable: "10%"},
	{name: "calico-node", namespace: "kube-system", image: "docker.io/calico/node:v3.28.0",
		nodeSelector: map[string]string{"kubernetes.io/os": "linux"},
		tolerations: []taints.Toleration{{Operator: taints.OpExists, Effect: taints.NoSchedule},
			{Key: "CriticalAddonsOnly", Operator: taints.OpExists}, {Operator: taints.OpExists, Effect: taints.NoExecute}},
		hostNetwork: true, cpu: "250m", memory: "128Mi", priorityClass: "system-node-critical"},
	{name: "fluent-bit", namespace: "logging", image: "cr.fluentbit.io/fluent/fluent-bit:3.0.7",
		nodeSelector: map[string]string{"kubernetes.io/os": "linux"},
		tolerations:  []taints.Toleration{{Key: "node-role.kubernetes.io/control-plane", Operator: taints.OpExists, Effect: taints.NoSchedule}},
		cpu:          "50m", memory: "64Mi", volumes: true},
	{name: "node-exporter", namespace: "monitoring", image: "quay.io/prometheus/node-exporter:v1.8.1",
		affinity: []selector.NodeSelectorRequirement{
			{Key: "kubernetes.io/os", Operator: selector.NodeSelectorOpIn, Values: []string{"linux"}},
			{Key: "kubernetes.io/arch", Operator: selector.NodeSelectorOpIn, Values: []string{"amd64", "arm64"}}},
		tolerations: tolerateAll, hostNetwork: true, cpu: "20m", memory: "32Mi", volumes: true},
	{name: "nvidia-device-plugin", namespace: "kube-system", image: "nvcr.io/nvidia/k8s-device-plugin:v0.15.0",
		nodeSelector: map[string]string{"nvidia.com/gpu.present": "true"},
		tolerations:  []taints.Toleration{{Key: "nvidia.com/gpu", Operator: taints.OpExists, Effect: taints.NoSchedule}},
		cpu:          "10m", memory: "32Mi", priorityClass: "system-node-critical"},
	{name: "ssd-monitor", namespace: "default", image: "example.com/ssd-monitor:1.4",
		nodeSelector: map[string]string{"disk": "ssd"}, cpu: "10m", memory: "16Mi"},
	{name: "ebs-csi-node", namespace: "kube-system", image: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.31.0",
		affinity: []selector.NodeSelectorRequirement{
			{Key: "eks.amazonaws.com/compute-type", Operator: selector.NodeSelectorOpNotIn, Values: []string{"fargate"}}},
		tolerations: tolerateAll, cpu: "10m", memory: "40Mi", priorityClass: "system-node-critical", maxUnavailable: "10%"},
	{name: "zone-a-cache", namespace: "default", image: "example.com/zone-cache:2.0",
		affinity: []selector.NodeSelectorRequirement{{Key: "zone", Operator: selector.NodeSelectorOpIn, Values: []string{"a"}}},
		cpu:      "100m", memory: "256Mi"},
	{name: "ingress-proxy", namespace: "ingress", image: "registry.k8s.io/ingress-nginx/controller:v1.10.1",
		nodeSelector: map[string]string{"node-role.kubernetes.io/ingress": ""},
		tolerations:  []taints.Toleration{{Key: "dedicated", Operator: taints.OpEqual, Value: "ingress", Effect: taints.NoSchedule}},
		hostNetwork:  true, cpu: "200m", memory: "256Mi"},
	{name: "security-agent", namespace: "security", image: "example.com/security-agent:5.2", cpu: "50m", memory: "128Mi"},
	{name: "dcgm-exporter", namespace: "monitoring", image: "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.6",
		affinity:    []selector.NodeSelectorRequirement{{Key: "nvidia.com/gpu.present", Operator: selector.NodeSelectorOpIn, Values: []string{"true"}}},
		tolerations: []taints.Toleration{{Key: "nvidia.com/gpu", Operator: taints.OpExists, Effect: taints.NoSchedule}},
		cpu:         "20m", memory: "64Mi"},
	{name: "local-volume-provisioner", namespace: "kube-system", image: "registry.k8s.io/sig-storage/local-volume-provisioner:v2.6.0",
		nodeSelector: map[string]string{"disk": "ssd"},
		affinity:     []selector.NodeSelectorRequirement{{Key: "zone", Operator: selector.NodeSelectorOpIn, Values: []string{"b", "c"}}},
		cpu:          "10m", memory: "32Mi"},
	{name: "node-problem-detector", namespace: "kube-system", image: "registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19",
		cpu: "20m", memory: "64Mi", volumes: true},
	{name: "zone-b-cache", namespace: "default", image: "example.com/zone-cache:2.0",
		affinity: []selector.NodeSelectorRequirement{{Key: "zone", Operator: selector.NodeSelectorOpIn, Values: []string{"b"}}},
		cpu:      "100m", memory: "256Mi"},
	{name: "arm64-tuner", namespace: "kube-system", image: "example.com/arm64-tuner:0.3",
		nodeSelector: map[string]string{"kubernetes.io/arch": "arm64"}, cpu: "10m", memory: "16Mi"},
	{name: "control-plane-audit", namespace: "security", image: "example.com/audit-shipper:1.1",
		nodeSelector: map[string]string{"node-role.kubernetes.io/control-plane": ""},
		tolerations:  []taints.Toleration{{Key: "node-role.kubernetes.io/control-plane", Operator: taints.OpExists, Effect: taints.NoSchedule}},
		cpu:          "50m", memory: "64Mi"},
	{name: "gpu-feature-discovery", namespace: "kube-system", image: "nvcr.io/nvidia/gpu-feature-discovery:v0.8.2",
		nodeSelector: map[string]string{"nvidia.com/gpu.present": "true"},
		tolerations:  []taints.Toleration{{Key: "nvidia.com/gpu", Operator: taints.OpExists, Effect: taints.NoSchedule}},
		cpu:          "10m", memory: "32Mi"},
	{name: "ingress-log-shipper", namespace: "ingress", image: "example.com/log-shipper:4.0",
		affinity:    []selector.NodeSelectorRequirement{{Key: "node-role.kubernetes.io/ingress", Operator: selector.NodeSelectorOpExists}},
		tolerations: []taints.Toleration{{Key: "dedicated", Operator: taints.OpEqual, Value: "ingress", Effect: taints.NoSchedule}},
		cpu:         "20m", memory: "32Mi"},
	{name: "ssd-trim", namespace: "default", image: "example.com/ssd-trim:1.0",
		nodeSelector: map[string]string{"disk": "ssd"},
		affinity:     []selector.NodeSelectorRequirement{{Key: "zone", Operator: selector.NodeSelectorOpIn, Values: []string{"a"}}},
		cpu:          "10m", memory: "16Mi"},
	{name: "fargate-logger", namespace: "logging", image: "example.com/fargate-logger:1.2",
		nodeSelector: map[string]string{"eks.amazonaws.com/compute-type": "fargate"},
		tolerations:  []taints.Toleration{{Key: "eks.amazonaws.com/compute-type", Operator: taints.OpEqual, Value: "fargate", Effect: taints.NoSchedule}},
		cpu:          "10m", memory: "32Mi"},
}

// daemonSet returns DaemonSet i, defaulted as the API server stores it.
func (g *generator) daemonSet(i int) *daemonset.DaemonSet {
	a := archetypes[i%len(archetypes)]
	name := a.name
	if i >= len(archetypes) {
		name = fmt.Sprintf("%s-%d", a.name, i/len(archetypes)+1)
	}
	ds := &daemonset.DaemonSet{TypeMeta: cluster.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}}
	ds.Name, ds.Namespace = name, a.namespace
	ds.UID = g.uid()
	ds.ResourceVersion = g.resourceVersion()
	ds.Generation = 1
	ds.CreationTimestamp = dumpTime.Add(-80 * 24 * time.Hour).Add(time.Duration(i) * time.Hour)
	ds.Labels = map[string]string{"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "platform"}
	ds.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: "1"}
	ds.Spec.Selector = &selector.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": name}}
	t := &ds.Spec.Template
	t.Labels = map[string]string{"app.kubernetes.io/name": name}
	s := &t.Spec
	s.NodeSelector = a.nodeSelector
	if len(a.affinity) > 0 {
		s.Affinity = &cluster.Affinity{NodeAffinity: &cluster.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{
			NodeSelectorTerms: []selector.NodeSelectorTerm{{MatchExpressions: a.affinity}}}}}
	}
	s.Tolerations = a.tolerations
	s.HostNetwork = a.hostNetwork
	s.PriorityClassName = a.priorityClass
	s.ServiceAccountName = name
	s.Containers = []cluster.Container{{
		Name:  strings.Split(name, "-")[0],
		Image: a.image,
		Resources: cluster.ResourceRequirements{
			Requests: cluster.ResourceList{"cpu": cluster.MustParseQuantity(a.cpu), "memory": cluster.MustParseQuantity(a.memory)},
			Limits:   cluster.ResourceList{"memory": cluster.MustParseQuantity(a.memory)},
		},
	}}
	if a.volumes {
		s.Containers[0].Env = cluster.Opaque(`[{"name":"NODE_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}}]`)
		s.Containers[0].VolumeMounts = cluster.Opaque(`[{"mountPath":"/host/var/log","name":"varlog","readOnly":true}]`)
		s.Volumes = cluster.Opaque(`[{"hostPath":{"path":"/var/log","type":""},"name":"varlog"}]`)
	}
	if a.maxUnavailable != "" {
		mu := cluster.FromString(a.maxUnavailable)
		ds.Spec.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &mu}}
	}
	ds.Default(cluster.Modern)
	return ds
}

// daemonPods returns the pods of ds on nodes, as its controller creates
// them and the kubelet reports them once Running and Ready.
func (g *generator) daemonPods(ds *daemonset.DaemonSet, nodes []*cluster.Node) []*cluster.Pod {
	hash := daemonset.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
	labels := map[string]string{daemonset.RevisionHashLabel: hash, daemonset.TemplateGenerationLabel: "1"}
	maps.Copy(labels, ds.Spec.Template.Labels)
	tols := taints.AddDaemonTolerations(ds.Spec.Template.Spec.Tolerations, ds.Spec.Template.Spec.HostNetwork, false)
	seen := map[string]bool{}
	var out []*cluster.Pod
	for ni, n := range nodes {
		name := g.genName(ds.Name + "-")
		for seen[name] {
			name = g.genName(ds.Name + "-")
		}
		seen[name] = true
		p := &cluster.Pod{TypeMeta: cluster.TypeMeta{APIVersion: "v1", Kind: "Pod"}}
		p.Name, p.GenerateName, p.Namespace = name, ds.Name+"-", ds.Namespace
		p.UID = g.uid()
		p.ResourceVersion = g.resourceVersion()
		created := ds.CreationTimestamp
		if n.CreationTimestamp.After(created) {
			created = n.CreationTimestamp
		}
		created = created.Add(time.Duration(5+ni%7) * time.Second)
		p.CreationTimestamp = created
		p.Labels = labels
		p.OwnerReferences = []cluster.OwnerReference{cluster.NewControllerRef(ds)}
		p.Spec = ds.Spec.Template.Spec
		p.Spec.Tolerations = tols
		p.Spec.NodeName = n.Name
		a := cluster.Affinity{}
		if ds.Spec.Template.Spec.Affinity != nil {
			a = *ds.Spec.Template.Spec.Affinity
		}
		na := cluster.NodeAffinity{}
		if a.NodeAffinity != nil {
			na = *a.NodeAffinity
		}
		na.RequiredDuringSchedulingIgnoredDuringExecution = &selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{{
			MatchFields: []selector.NodeSelectorRequirement{{Key: selector.ObjectNameField, Operator: selector.NodeSelectorOpIn, Values: []string{n.Name}}},
		}}}
		a.NodeAffinity = &na
		p.Spec.Affinity = &a
		start := created.Add(time.Second)
		ready := created.Add(8 * time.Second)
		p.Status = cluster.PodStatus{
			Phase: cluster.PodRunning,
			Conditions: []cluster.PodCondition{
				{Type: cluster.PodReadyToStartUp, Status: cluster.ConditionTrue, LastTransitionTime: ready.Add(-3 * time.Second)},
				{Type: cluster.PodInitialized, Status: cluster.ConditionTrue, LastTransitionTime: start},
				{Type: cluster.PodReady, Status: cluster.ConditionTrue, LastTransitionTime: ready},
				{Type: cluster.ContainersReady, Status: cluster.ConditionTrue, LastTransitionTime: ready},
				{Type: cluster.PodScheduled, Status: cluster.ConditionTrue, LastTransitionTime: created},
			},
			HostIP:    n.InternalIP(),
			PodIP:     n.InternalIP(),
			StartTime: &start,
		}
		if !p.Spec.HostNetwork {
			p.Status.PodIP = strings.TrimSuffix(n.Spec.PodCIDR, "0/24") + strconv.Itoa(2+g.rng.IntN(250))
		}
		out = append(out, p)
	}
	return out
}

// The dump's shapes: the simulator's types plus the fields of a real
// dump that it does not model, which the lenient loader must skip.

type dumpMeta struct {
	cluster.ObjectMeta
	ManagedFields json.RawMessage `json:"managedFields,omitempty"`
}

type dumpNode struct {
	cluster.TypeMeta
	Metadata dumpMeta         `json:"metadata"`
	Spec     cluster.NodeSpec `json:"spec"`
	Status   dumpNodeStatus   `json:"status"`
}

type dumpNodeStatus struct {
	cluster.NodeStatus
	DaemonEndpoints json.RawMessage `json:"daemonEndpoints,omitempty"`
	NodeInfo        json.RawMessage `json:"nodeInfo,omitempty"`
}

type dumpDaemonSet struct {
	cluster.TypeMeta
	Metadata dumpMeta         `json:"metadata"`
	Spec     daemonset.Spec   `json:"spec"`
	Status   daemonset.Status `json:"status"`
}

type dumpPod struct {
	cluster.TypeMeta
	Metadata dumpMeta      `json:"metadata"`
	Spec     dumpPodSpec   `json:"spec"`
	Status   dumpPodStatus `json:"status"`
}

type dumpPodSpec struct {
	cluster.PodSpec
	EnableServiceLinks bool   `json:"enableServiceLinks"`
	PreemptionPolicy   string `json:"preemptionPolicy"`
}

type dumpPodStatus struct {
	cluster.PodStatus
	ContainerStatuses json.RawMessage `json:"containerStatuses,omitempty"`
	QOSClass          string          `json:"qosClass,omitempty"`
}

func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// managedFields renders a managedFields list: one entry per manager, each
// owning the given fields (a FieldsV1 tree in JSON); nil unless the dump
// is to have them.
func (g *generator) managedFields(at time.Time, entries ...[3]string) json.RawMessage {
	if !g.withManagedFields {
		return nil
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		sub := ""
		if e[1] == "status" {
			sub = `,"subresource":"status"`
		}
		fmt.Fprintf(&b, `{"apiVersion":"%s","fieldsType":"FieldsV1","fieldsV1":%s,"manager":"%s","operation":"Update"%s,"time":"%s"}`,
			e[2], managedTree(e[1]), e[0], sub, apiTime(at))
	}
	b.WriteByte(']')
	return json.RawMessage(b.String())
}

// managedTree returns a plausible FieldsV1 tree for a part of an object.
func managedTree(part string) string {
	switch part {
	case "node-meta":
		return `{"f:metadata":{"f:annotations":{".":{},"f:node.alpha.kubernetes.io/ttl":{},"f:volumes.kubernetes.io/controller-managed-attach-detach":{}},"f:labels":{".":{},"f:kubernetes.io/arch":{},"f:kubernetes.io/hostname":{},"f:kubernetes.io/os":{}}},"f:spec":{"f:podCIDR":{},"f:providerID":{}}}`
	case "pod-meta":
		return `{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:controller-revision-hash":{},"f:pod-template-generation":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"owner\"}":{}}},"f:spec":{"f:affinity":{".":{},"f:nodeAffinity":{".":{},"f:requiredDuringSchedulingIgnoredDuringExecution":{}}},"f:containers":{},"f:tolerations":{}}}`
	case "ds-meta":
		return `{"f:metadata":{"f:annotations":{".":{},"f:deprecated.daemonset.template.generation":{}},"f:labels":{".":{}}},"f:spec":{"f:revisionHistoryLimit":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{}},"f:spec":{"f:containers":{}}},"f:updateStrategy":{}}}`
	case "status":
		return `{"f:status":{"f:conditions":{".":{},"k:{\"type\":\"Ready\"}":{".":{},"f:lastHeartbeatTime":{},"f:lastTransitionTime":{},"f:status":{}}}}}`
	}
	return `{}`
}

func (g *generator) dumpNode(n *cluster.Node) dumpNode {
	return dumpNode{
		TypeMeta: n.TypeMeta,
		Metadata: dumpMeta{ObjectMeta: n.ObjectMeta, ManagedFields: g.managedFields(n.CreationTimestamp,
			[3]string{"kubelet", "node-meta", "v1"}, [3]string{"kubelet", "status", "v1"})},
		Spec: n.Spec,
		Status: dumpNodeStatus{
			NodeStatus:      n.Status,
			DaemonEndpoints: json.RawMessage(`{"kubeletEndpoint":{"Port":10250}}`),
			NodeInfo: json.RawMessage(`{"architecture":"` + n.Labels["kubernetes.io/arch"] +
				`","bootID":"` + n.UID + `","containerRuntimeVersion":"containerd://1.7.11","kernelVersion":"6.1.94","kubeProxyVersion":"v1.30.2","kubeletVersion":"v1.30.2","machineID":"` +
				strings.ReplaceAll(n.UID, "-", "") + `","operatingSystem":"linux","osImage":"Amazon Linux 2023","systemUUID":"` + n.UID + `"}`),
		},
	}
}

func (g *generator) dumpDaemonSet(ds *daemonset.DaemonSet) dumpDaemonSet {
	return dumpDaemonSet{
		TypeMeta: ds.TypeMeta,
		Metadata: dumpMeta{ObjectMeta: ds.ObjectMeta, ManagedFields: g.managedFields(ds.CreationTimestamp,
			[3]string{"kubectl-client-side-apply", "ds-meta", "apps/v1"}, [3]string{"kube-controller-manager", "status", "apps/v1"})},
		Spec:   ds.Spec,
		Status: ds.Status,
	}
}

func (g *generator) dumpPod(p *cluster.Pod) dumpPod {
	c := p.Spec.Containers[0]
	statuses := fmt.Sprintf(`[{"containerID":"containerd://%s","image":"%s","imageID":"%s@sha256:%s","lastState":{},"name":"%s","ready":true,"restartCount":0,"started":true,"state":{"running":{"startedAt":"%s"}}}]`,
		strings.ReplaceAll(p.UID, "-", ""), c.Image, c.Image, strings.ReplaceAll(p.UID, "-", ""), c.Name, apiTime(*p.Status.StartTime))
	return dumpPod{
		TypeMeta: p.TypeMeta,
		Metadata: dumpMeta{ObjectMeta: p.ObjectMeta, ManagedFields: g.managedFields(p.CreationTimestamp,
			[3]string{"kube-controller-manager", "pod-meta", "v1"})},
		Spec:   dumpPodSpec{PodSpec: p.Spec, EnableServiceLinks: true, PreemptionPolicy: "PreemptLowerPriority"},
		Status: dumpPodStatus{PodStatus: p.Status, ContainerStatuses: json.RawMessage(statuses), QOSClass: "Burstable"},
	}
}
