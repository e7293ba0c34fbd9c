package cluster

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/daemonsim/daemonsim/taints"
)

// Default applies the pod defaults of the API server
// (SetDefaults_PodSpec and friends): restartPolicy Always, dnsPolicy
// ClusterFirst, schedulerName default-scheduler,
// terminationGracePeriodSeconds 30, and per container imagePullPolicy,
// terminationMessagePath and terminationMessagePolicy, and TCP for ports.
func (p *Pod) Default(Profile) { DefaultPodSpec(&p.Spec) }

var defaultGrace int64 = 30

// DefaultPodSpec applies the API server's pod-spec defaults to s in
// place, replacing (never writing into) slices it shares.
func DefaultPodSpec(s *PodSpec) {
	if s.RestartPolicy == "" {
		s.RestartPolicy = RestartPolicyAlways
	}
	if s.DNSPolicy == "" {
		s.DNSPolicy = "ClusterFirst"
	}
	if s.SchedulerName == "" {
		s.SchedulerName = DefaultSchedulerName
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = &defaultGrace
	}
	s.Containers = defaultContainers(s.Containers, s.HostNetwork)
	s.InitContainers = defaultContainers(s.InitContainers, s.HostNetwork)
}

// defaultContainers defaults containers; with hostNetwork, a port without
// a hostPort gets its containerPort as hostPort (SetDefaults_Pod).
func defaultContainers(cs []Container, hostNetwork bool) []Container {
	var out []Container
	for i := range cs {
		c := cs[i]
		changed := false
		if c.ImagePullPolicy == "" {
			c.ImagePullPolicy = "IfNotPresent"
			if tag := imageTag(c.Image); tag == "" || tag == "latest" {
				c.ImagePullPolicy = "Always"
			}
			changed = true
		}
		if c.TerminationMessagePath == "" {
			c.TerminationMessagePath = "/dev/termination-log"
			changed = true
		}
		if c.TerminationMessagePolicy == "" {
			c.TerminationMessagePolicy = "File"
			changed = true
		}
		for j := range c.Ports {
			if c.Ports[j].Protocol == "" || (hostNetwork && c.Ports[j].HostPort == 0) {
				ports := slices.Clone(c.Ports)
				for k := range ports {
					if ports[k].Protocol == "" {
						ports[k].Protocol = ProtocolTCP
					}
					if hostNetwork && ports[k].HostPort == 0 {
						ports[k].HostPort = ports[k].ContainerPort
					}
				}
				c.Ports = ports
				changed = true
				break
			}
		}
		if changed {
			if out == nil {
				out = slices.Clone(cs)
			}
			out[i] = c
		}
	}
	if out == nil {
		return cs
	}
	return out
}

// imageTag returns the tag of an image reference, "" when it has none
// (a digest counts as a tag).
func imageTag(image string) string {
	if i := strings.LastIndex(image, "@"); i >= 0 {
		return image[i+1:]
	}
	slash := strings.LastIndex(image, "/")
	if i := strings.LastIndex(image, ":"); i > slash {
		return image[i+1:]
	}
	return ""
}

// Prepare sets a new pod's phase to Pending, as the API server's pod
// strategy does.
func (p *Pod) Prepare(old Object, _ Profile) {
	if old == nil && p.Status.Phase == "" {
		p.Status.Phase = PodPending
	}
}

// WithStatusOf returns a copy of p with src's status.
func (p *Pod) WithStatusOf(src Object) Object {
	c := *p
	c.Status = src.(*Pod).Status
	return &c
}

// WithStatusOf returns a copy of n with src's status.
func (n *Node) WithStatusOf(src Object) Object {
	c := *n
	c.Status = src.(*Node).Status
	return &c
}

// DescribeChange describes an update of the pod for the log.
func (p *Pod) DescribeChange(old Object) string {
	o := old.(*Pod)
	var parts []string
	parts = appendMetaChange(parts, &o.ObjectMeta, &p.ObjectMeta)
	if o.Spec.NodeName != p.Spec.NodeName {
		parts = append(parts, "node="+p.Spec.NodeName)
	}
	if !slices.EqualFunc(o.Spec.Containers, p.Spec.Containers, func(a, b Container) bool { return a.Image == b.Image }) {
		for _, c := range p.Spec.Containers {
			parts = append(parts, "image="+c.Image)
		}
	}
	return strings.Join(parts, " ")
}

// DescribePodStatus renders the parts of a pod's status the log shows:
// "phase=Running ready=true".
func DescribePodStatus(p *Pod) string {
	return "phase=" + string(p.Status.Phase) + " ready=" + strconv.FormatBool(p.IsReady())
}

// DescribeChange describes an update of the node for the log.
func (n *Node) DescribeChange(old Object) string {
	o := old.(*Node)
	var parts []string
	parts = appendMetaChange(parts, &o.ObjectMeta, &n.ObjectMeta)
	if o.Spec.Unschedulable != n.Spec.Unschedulable {
		parts = append(parts, "unschedulable="+strconv.FormatBool(n.Spec.Unschedulable))
	}
	parts = appendTaintChange(parts, o.Spec.Taints, n.Spec.Taints)
	for _, c := range n.Status.Conditions {
		if oc := o.Condition(c.Type); oc == nil || oc.Status != c.Status {
			parts = append(parts, string(c.Type)+"="+string(c.Status))
		}
	}
	if !maps.EqualFunc(o.Status.Allocatable, n.Status.Allocatable, func(a, b Quantity) bool { return a.MilliValue() == b.MilliValue() }) {
		parts = append(parts, "allocatable="+DescribeResources(n.Status.Allocatable))
	}
	return strings.Join(parts, " ")
}

// DescribeResources renders a resource list as "cpu=2,memory=4Gi", in
// name order.
func DescribeResources(rl ResourceList) string {
	keys := slices.Sorted(maps.Keys(rl))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = string(k) + "=" + rl[k].String()
	}
	return strings.Join(parts, ",")
}

// DescribeMetaChange describes the metadata changes between two versions
// of an object: labels ("labels +disk=ssd ~tier=a→b -zone"), owners ("owner
// +DaemonSet/ds"), finalizers.
func DescribeMetaChange(old, cur *ObjectMeta) string {
	return strings.Join(appendMetaChange(nil, old, cur), " ")
}

func appendMetaChange(parts []string, old, cur *ObjectMeta) []string {
	if d := describeMapChange(old.Labels, cur.Labels); d != "" {
		parts = append(parts, "labels "+d)
	}
	if d := describeMapChange(old.Annotations, cur.Annotations); d != "" {
		parts = append(parts, "annotations "+d)
	}
	var owners []string
	for _, r := range old.OwnerReferences {
		if !hasOwnerUID(cur, r.UID) {
			owners = append(owners, "-"+r.Kind+"/"+r.Name)
		}
	}
	for _, r := range cur.OwnerReferences {
		if !hasOwnerUID(old, r.UID) {
			owners = append(owners, "+"+r.Kind+"/"+r.Name)
		}
	}
	if len(owners) > 0 {
		parts = append(parts, "owner "+strings.Join(owners, " "))
	}
	if !slices.Equal(old.Finalizers, cur.Finalizers) {
		parts = append(parts, "finalizers=["+strings.Join(cur.Finalizers, ",")+"]")
	}
	return parts
}

// describeMapChange renders the changes from old to cur as "+k=v" for
// added keys, "~k=old→new" for changed values and "-k" for removed keys,
// in key order.
func describeMapChange(old, cur map[string]string) string {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range cur {
		keys[k] = true
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		ov, inOld := old[k]
		nv, inNew := cur[k]
		switch {
		case inNew && !inOld:
			parts = append(parts, "+"+k+"="+nv)
		case inNew && ov != nv:
			parts = append(parts, "~"+k+"="+ov+"→"+nv)
		case inOld && !inNew:
			parts = append(parts, "-"+k)
		}
	}
	return strings.Join(parts, " ")
}

func appendTaintChange(parts []string, old, cur []taints.Taint) []string {
	same := func(a, b taints.Taint) bool { return a.Key == b.Key && a.Value == b.Value && a.Effect == b.Effect }
	var ch []string
	for _, t := range old {
		if !slices.ContainsFunc(cur, func(x taints.Taint) bool { return same(x, t) }) {
			ch = append(ch, "-"+t.String())
		}
	}
	for _, t := range cur {
		if !slices.ContainsFunc(old, func(x taints.Taint) bool { return same(x, t) }) {
			ch = append(ch, "+"+t.String())
		}
	}
	if len(ch) > 0 {
		parts = append(parts, "taints "+strings.Join(ch, " "))
	}
	return parts
}
