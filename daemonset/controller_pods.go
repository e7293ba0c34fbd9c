package daemonset

import (
	"maps"
	"strconv"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// TemplateGeneration returns the DaemonSet's template generation: the
// deprecated.daemonset.template.generation annotation (apps/v1) or
// spec.templateGeneration (extensions/v1beta1). ok is false when neither is
// set or the annotation does not parse (upstream's GetTemplateGeneration).
func TemplateGeneration(ds *DaemonSet) (gen int64, ok bool) {
	if v, found := ds.Annotations[TemplateGenerationAnnotation]; found {
		g, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false
		}
		return g, true
	}
	if ds.Spec.TemplateGeneration != 0 {
		return ds.Spec.TemplateGeneration, true
	}
	return 0, false
}

// IsPodUpdated reports whether pod was made from the DaemonSet's current
// template: its controller-revision-hash label equals hash (non-empty), or
// its pod-template-generation label equals the template generation
// (upstream's util.IsPodUpdated).
func IsPodUpdated(pod *cluster.Pod, hash string, gen int64, hasGen bool) bool {
	if hasGen {
		if v, ok := pod.Labels[TemplateGenerationLabel]; ok && v == strconv.FormatInt(gen, 10) {
			return true
		}
	}
	return hash != "" && pod.Labels[RevisionHashLabel] == hash
}

// podLess orders the pods of one node as upstream's
// podByCreationTimestampAndPhase does: bound pods first, then older
// creationTimestamp first, then name. The first pod is the "oldest".
func podLess(a, b *cluster.Pod) bool {
	ab, bb := a.Spec.NodeName != "", b.Spec.NodeName != ""
	if ab != bb {
		return ab
	}
	if !a.CreationTimestamp.Equal(b.CreationTimestamp) {
		return a.CreationTimestamp.Before(b.CreationTimestamp)
	}
	return a.Name < b.Name
}

// sortPods sorts pods in place with podLess (insertion sort: a node holds
// a handful of pods).
func sortPods(pods []*cluster.Pod) {
	for i := 1; i < len(pods); i++ {
		for j := i; j > 0 && podLess(pods[j], pods[j-1]); j-- {
			pods[j], pods[j-1] = pods[j-1], pods[j]
		}
	}
}

// podTemplate is what every pod a DaemonSet creates from one revision
// shares: built once (upstream's CreatePodTemplate), then copied per node
// with only the node-affinity pin (modern) or nodeName (legacy) changed.
type podTemplate struct {
	meta      cluster.ObjectMeta // labels, annotations, finalizers, generateName, owner
	spec      cluster.PodSpec
	legacy    bool
	dsRef     cluster.Ref
	affinity  map[string]*cluster.Affinity // per node, for this template
	plainPins bool                         // the template has no affinity beyond a required node selector
}

// newPodTemplate builds the shared parts of the pods of ds at revision
// hash.
func newPodTemplate(ds *DaemonSet, hash string, legacy bool) *podTemplate {
	t := &ds.Spec.Template
	labels := make(map[string]string, len(t.Labels)+2)
	maps.Copy(labels, t.Labels)
	if gen, ok := TemplateGeneration(ds); ok {
		labels[TemplateGenerationLabel] = strconv.FormatInt(gen, 10)
	}
	if hash != "" {
		labels[RevisionHashLabel] = hash
	}
	spec := t.Spec
	spec.Tolerations = taints.AddDaemonTolerations(spec.Tolerations, spec.HostNetwork, legacy)
	// Upstream's getPodsPrefix: "<name>-" unless that is no valid name
	// prefix (a trailing dash counts as a letter), then the bare name.
	prefix := ds.Name + "-"
	if len(selector.IsDNS1123Subdomain(ds.Name+"a")) > 0 {
		prefix = ds.Name
	}
	pt := &podTemplate{
		meta: cluster.ObjectMeta{
			GenerateName:    prefix,
			Namespace:       ds.Namespace,
			Labels:          labels,
			Annotations:     t.Annotations,
			Finalizers:      t.Finalizers,
			OwnerReferences: []cluster.OwnerReference{cluster.NewControllerRef(ds)},
		},
		spec:     spec,
		legacy:   legacy,
		dsRef:    cluster.RefOf(ds),
		affinity: map[string]*cluster.Affinity{},
	}
	a := spec.Affinity
	pt.plainPins = a == nil || (len(a.PodAffinity) == 0 && len(a.PodAntiAffinity) == 0 &&
		(a.NodeAffinity == nil || len(a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution) == 0))
	return pt
}

// newPod returns a new pod of the template for node.
func (pt *podTemplate) newPod(node string, pins *pinCache) *cluster.Pod {
	p := &cluster.Pod{
		TypeMeta:   cluster.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: pt.meta,
		Spec:       pt.spec,
	}
	if pt.legacy {
		// Kubernetes 1.6–1.11: the controller binds the pod itself.
		p.Spec.NodeName = node
		return p
	}
	if pt.spec.NodeName != "" {
		// A template nodeName creates pre-bound pods, as upstream.
		return p
	}
	if pt.plainPins {
		p.Spec.Affinity = pins.get(node)
	} else {
		a := pt.affinity[node]
		if a == nil {
			a = replaceNodeNameAffinity(pt.spec.Affinity, node)
			pt.affinity[node] = a
		}
		p.Spec.Affinity = a
	}
	return p
}

// replaceNodeNameAffinity returns a copy of a whose required node
// selector is replaced, term list and all, by one term pinning the pod to
// node with matchFields metadata.name In [node] (upstream's
// ReplaceDaemonSetPodNodeNameNodeAffinity). Preferred terms and pod
// (anti-)affinity are kept. a is not modified.
func replaceNodeNameAffinity(a *cluster.Affinity, node string) *cluster.Affinity {
	// One allocation holds every part of the pin.
	pin := &struct {
		a    cluster.Affinity
		na   cluster.NodeAffinity
		ns   selector.NodeSelector
		term [1]selector.NodeSelectorTerm
		req  [1]selector.NodeSelectorRequirement
		vals [1]string
	}{}
	pin.vals[0] = node
	pin.req[0] = selector.NodeSelectorRequirement{Key: selector.ObjectNameField, Operator: selector.NodeSelectorOpIn, Values: pin.vals[:]}
	pin.term[0] = selector.NodeSelectorTerm{MatchFields: pin.req[:]}
	pin.ns.NodeSelectorTerms = pin.term[:]
	if a != nil {
		pin.a = *a
		if a.NodeAffinity != nil {
			pin.na = *a.NodeAffinity
		}
	}
	pin.na.RequiredDuringSchedulingIgnoredDuringExecution = &pin.ns
	pin.a.NodeAffinity = &pin.na
	return &pin.a
}

// pinCache shares, per node, the affinity that pins a pod to the node,
// between all DaemonSets whose template has no other affinity. The objects
// are immutable once made; the cache is a pure memo.
type pinCache struct {
	m map[string]*cluster.Affinity
}

func (c *pinCache) get(node string) *cluster.Affinity {
	if a, ok := c.m[node]; ok {
		return a
	}
	if c.m == nil {
		c.m = map[string]*cluster.Affinity{}
	}
	a := replaceNodeNameAffinity(nil, node)
	c.m[node] = a
	return a
}

// durationUntilAvailable returns how long until a Ready pod becomes
// available at minReadySeconds, or 0 when it is available now or never
// will be without a change. The pod is available once its Ready
// transition plus minReadySeconds lies strictly before now
// (IsPodAvailable), that is one nanosecond after that instant on the
// virtual clock. A sync from then on counts it; the controller's own
// wake-up comes later, at [availabilityRequeueDelay].
func durationUntilAvailable(p *cluster.Pod, minReady int32, now time.Time) time.Duration {
	if minReady == 0 {
		return 0
	}
	c := p.Condition(cluster.PodReady)
	if c == nil || c.Status != cluster.ConditionTrue || c.LastTransitionTime.IsZero() {
		return 0
	}
	at := c.LastTransitionTime.Add(time.Duration(minReady) * time.Second)
	if at.Before(now) {
		return 0
	}
	return at.Sub(now) + time.Nanosecond
}

// availabilityRequeueDelay is how long after a pod becomes available the
// controller syncs on its own: upstream's updatePod handler requeues the
// DaemonSet minReadySeconds + 1 s after the pod turned Ready, one second
// after the Ready transition plus minReadySeconds.
const availabilityRequeueDelay = time.Second - time.Nanosecond
