package cluster

import (
	"time"

	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// The static types of the core kinds.
var (
	NodeType      = &Type{Version: "v1", Kind: KindNode, Resource: "nodes"}
	PodType       = &Type{Version: "v1", Kind: KindPod, Resource: "pods", Namespaced: true}
	NamespaceType = &Type{Version: "v1", Kind: KindNamespace, Resource: "namespaces"}
)

// Node is a cluster node (v1.Node).
type Node struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       NodeSpec   `json:"spec,omitzero"`
	Status     NodeStatus `json:"status,omitzero"`
}

// Type returns [NodeType].
func (*Node) Type() *Type { return NodeType }

// Clone returns a shallow copy of n.
func (n *Node) Clone() Object { c := *n; return &c }

// NodeSpec is the spec of a [Node].
type NodeSpec struct {
	PodCIDR       string         `json:"podCIDR,omitempty"`
	ProviderID    string         `json:"providerID,omitempty"`
	Unschedulable bool           `json:"unschedulable,omitempty"`
	Taints        []taints.Taint `json:"taints,omitempty"`
}

// NodeStatus is the status of a [Node], as its kubelet reports it.
type NodeStatus struct {
	Capacity    ResourceList    `json:"capacity,omitempty"`
	Allocatable ResourceList    `json:"allocatable,omitempty"`
	Conditions  []NodeCondition `json:"conditions,omitempty"`
	Addresses   []NodeAddress   `json:"addresses,omitempty"`
}

// NodeConditionType names a node condition.
type NodeConditionType string

// The node conditions a kubelet reports.
const (
	NodeReady              NodeConditionType = "Ready"
	NodeMemoryPressure     NodeConditionType = "MemoryPressure"
	NodeDiskPressure       NodeConditionType = "DiskPressure"
	NodePIDPressure        NodeConditionType = "PIDPressure"
	NodeNetworkUnavailable NodeConditionType = "NetworkUnavailable"
)

// NodeCondition is one condition of a node's status.
type NodeCondition struct {
	Type               NodeConditionType `json:"type"`
	Status             ConditionStatus   `json:"status"`
	LastHeartbeatTime  time.Time         `json:"lastHeartbeatTime,omitzero"`
	LastTransitionTime time.Time         `json:"lastTransitionTime,omitzero"`
	Reason             string            `json:"reason,omitempty"`
	Message            string            `json:"message,omitempty"`
}

// NodeAddress is one address of a node.
type NodeAddress struct {
	Type    string `json:"type"`
	Address string `json:"address"`
}

// Condition returns the node's condition of type t, or nil.
func (n *Node) Condition(t NodeConditionType) *NodeCondition {
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == t {
			return &n.Status.Conditions[i]
		}
	}
	return nil
}

// InternalIP returns the node's InternalIP address, or "".
func (n *Node) InternalIP() string {
	for _, a := range n.Status.Addresses {
		if a.Type == "InternalIP" {
			return a.Address
		}
	}
	return ""
}

// Pod is a pod (v1.Pod).
type Pod struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PodSpec   `json:"spec"`
	Status     PodStatus `json:"status,omitzero"`
}

// Type returns [PodType].
func (*Pod) Type() *Type { return PodType }

// Clone returns a shallow copy of p.
func (p *Pod) Clone() Object { c := *p; return &c }

// PodTemplateSpec is the pod template of a workload: a pod's metadata and
// spec, nested, without apiVersion or kind.
type PodTemplateSpec struct {
	ObjectMeta `json:"metadata,omitzero"`
	Spec       PodSpec `json:"spec"`
}

// RestartPolicy is a pod's restart policy.
type RestartPolicy string

// The restart policies.
const (
	RestartPolicyAlways    RestartPolicy = "Always"
	RestartPolicyOnFailure RestartPolicy = "OnFailure"
	RestartPolicyNever     RestartPolicy = "Never"
)

// DefaultSchedulerName is the schedulerName of pods the default scheduler
// places.
const DefaultSchedulerName = "default-scheduler"

// PodSpec is the spec of a [Pod] (v1.PodSpec, reduced to the fields the
// simulation uses or carries). Fields typed [Opaque] are kept and printed
// but have no effect on the simulation.
type PodSpec struct {
	Volumes                       Opaque              `json:"volumes,omitempty"`
	InitContainers                []Container         `json:"initContainers,omitempty"`
	Containers                    []Container         `json:"containers"`
	RestartPolicy                 RestartPolicy       `json:"restartPolicy,omitempty"`
	TerminationGracePeriodSeconds *int64              `json:"terminationGracePeriodSeconds,omitempty"`
	ActiveDeadlineSeconds         *int64              `json:"activeDeadlineSeconds,omitempty"`
	DNSPolicy                     string              `json:"dnsPolicy,omitempty"`
	NodeSelector                  map[string]string   `json:"nodeSelector,omitempty"`
	ServiceAccountName            string              `json:"serviceAccountName,omitempty"`
	NodeName                      string              `json:"nodeName,omitempty"`
	HostNetwork                   bool                `json:"hostNetwork,omitempty"`
	HostPID                       bool                `json:"hostPID,omitempty"`
	HostIPC                       bool                `json:"hostIPC,omitempty"`
	SecurityContext               Opaque              `json:"securityContext,omitempty"`
	ImagePullSecrets              Opaque              `json:"imagePullSecrets,omitempty"`
	Hostname                      string              `json:"hostname,omitempty"`
	Subdomain                     string              `json:"subdomain,omitempty"`
	Affinity                      *Affinity           `json:"affinity,omitempty"`
	SchedulerName                 string              `json:"schedulerName,omitempty"`
	Tolerations                   []taints.Toleration `json:"tolerations,omitempty"`
	PriorityClassName             string              `json:"priorityClassName,omitempty"`
	Priority                      *int32              `json:"priority,omitempty"`
}

// Opaque is a part of a manifest the simulator carries unchanged but does
// not interpret (volumes, probes, environment, security contexts): its
// JSON text, as decoded. The empty Opaque is an absent field. It is a
// string, not a []byte like json.RawMessage, so that it is immutable
// (objects share it when copied) and smaller in every pod.
type Opaque string

// MarshalJSON returns o's JSON text, or null when o is empty.
func (o Opaque) MarshalJSON() ([]byte, error) {
	if o == "" {
		return []byte("null"), nil
	}
	return []byte(o), nil
}

// UnmarshalJSON keeps data, the JSON text of the value, as it is.
func (o *Opaque) UnmarshalJSON(data []byte) error {
	*o = Opaque(data)
	return nil
}

// Container is one container of a pod.
type Container struct {
	Name                     string               `json:"name"`
	Image                    string               `json:"image,omitempty"`
	Command                  []string             `json:"command,omitempty"`
	Args                     []string             `json:"args,omitempty"`
	WorkingDir               string               `json:"workingDir,omitempty"`
	Ports                    []ContainerPort      `json:"ports,omitempty"`
	Env                      Opaque               `json:"env,omitempty"`
	EnvFrom                  Opaque               `json:"envFrom,omitempty"`
	Resources                ResourceRequirements `json:"resources,omitzero"`
	VolumeMounts             Opaque               `json:"volumeMounts,omitempty"`
	LivenessProbe            Opaque               `json:"livenessProbe,omitempty"`
	ReadinessProbe           Opaque               `json:"readinessProbe,omitempty"`
	StartupProbe             Opaque               `json:"startupProbe,omitempty"`
	TerminationMessagePath   string               `json:"terminationMessagePath,omitempty"`
	TerminationMessagePolicy string               `json:"terminationMessagePolicy,omitempty"`
	ImagePullPolicy          string               `json:"imagePullPolicy,omitempty"`
	SecurityContext          Opaque               `json:"securityContext,omitempty"`
}

// Protocol is a network protocol of a port.
type Protocol string

// The port protocols.
const (
	ProtocolTCP  Protocol = "TCP"
	ProtocolUDP  Protocol = "UDP"
	ProtocolSCTP Protocol = "SCTP"
)

// ContainerPort is one port a container exposes; HostPort, when non-zero,
// claims the port on the node's IP.
type ContainerPort struct {
	Name          string   `json:"name,omitempty"`
	HostPort      int32    `json:"hostPort,omitempty"`
	ContainerPort int32    `json:"containerPort"`
	Protocol      Protocol `json:"protocol,omitempty"`
	HostIP        string   `json:"hostIP,omitempty"`
}

// ResourceRequirements are a container's resource requests and limits.
type ResourceRequirements struct {
	Limits   ResourceList `json:"limits,omitempty"`
	Requests ResourceList `json:"requests,omitempty"`
}

// Affinity holds a pod's scheduling constraints. Only node affinity is
// simulated; pod affinity and anti-affinity are carried but not simulated
// (see the package documentation).
type Affinity struct {
	NodeAffinity    *NodeAffinity `json:"nodeAffinity,omitempty"`
	PodAffinity     Opaque        `json:"podAffinity,omitempty"`
	PodAntiAffinity Opaque        `json:"podAntiAffinity,omitempty"`
}

// NodeAffinity is a pod's node affinity.
type NodeAffinity struct {
	RequiredDuringSchedulingIgnoredDuringExecution  *selector.NodeSelector    `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	PreferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// PreferredSchedulingTerm is a weighted preference of a node affinity; the
// scheduler stand-in ignores preferences.
type PreferredSchedulingTerm struct {
	Weight     int32                     `json:"weight"`
	Preference selector.NodeSelectorTerm `json:"preference"`
}

// RequiredNodeSelector returns the pod's required node affinity, or nil.
func (s *PodSpec) RequiredNodeSelector() *selector.NodeSelector {
	if s.Affinity == nil || s.Affinity.NodeAffinity == nil {
		return nil
	}
	return s.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
}

// PodPhase is the phase of a pod.
type PodPhase string

// The pod phases.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
	PodUnknown   PodPhase = "Unknown"
)

// PodConditionType names a pod condition.
type PodConditionType string

// The pod conditions.
const (
	PodScheduled      PodConditionType = "PodScheduled"
	PodInitialized    PodConditionType = "Initialized"
	ContainersReady   PodConditionType = "ContainersReady"
	PodReady          PodConditionType = "Ready"
	DisruptionTarget  PodConditionType = "DisruptionTarget"
	PodReadyToStartUp PodConditionType = "PodReadyToStartContainers"
)

// PodCondition is one condition of a pod's status.
type PodCondition struct {
	Type               PodConditionType `json:"type"`
	Status             ConditionStatus  `json:"status"`
	LastProbeTime      time.Time        `json:"lastProbeTime,omitzero"`
	LastTransitionTime time.Time        `json:"lastTransitionTime,omitzero"`
	Reason             string           `json:"reason,omitempty"`
	Message            string           `json:"message,omitempty"`
}

// PodStatus is the status of a [Pod].
type PodStatus struct {
	Phase      PodPhase       `json:"phase,omitempty"`
	Conditions []PodCondition `json:"conditions,omitempty"`
	Message    string         `json:"message,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	HostIP     string         `json:"hostIP,omitempty"`
	PodIP      string         `json:"podIP,omitempty"`
	StartTime  *time.Time     `json:"startTime,omitempty"`
}

// Condition returns the pod's condition of type t, or nil.
func (p *Pod) Condition(t PodConditionType) *PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == t {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// IsReady reports whether the pod's Ready condition is True.
func (p *Pod) IsReady() bool {
	c := p.Condition(PodReady)
	return c != nil && c.Status == ConditionTrue
}

// IsAvailable reports whether the pod has been Ready for more than
// minReadySeconds at now (upstream's podutil.IsPodAvailable: Ready, and
// either minReadySeconds is 0 or the Ready transition plus minReadySeconds
// lies strictly before now).
func (p *Pod) IsAvailable(minReadySeconds int32, now time.Time) bool {
	c := p.Condition(PodReady)
	if c == nil || c.Status != ConditionTrue {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	if c.LastTransitionTime.IsZero() {
		return false
	}
	return c.LastTransitionTime.Add(time.Duration(minReadySeconds) * time.Second).Before(now)
}

// IsTerminal reports whether the pod has Succeeded or Failed.
func (p *Pod) IsTerminal() bool {
	return p.Status.Phase == PodSucceeded || p.Status.Phase == PodFailed
}

// Namespace is a namespace (v1.Namespace).
type Namespace struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Status     NamespaceStatus `json:"status,omitzero"`
}

// NamespaceStatus is the status of a [Namespace].
type NamespaceStatus struct {
	Phase string `json:"phase,omitempty"`
}

// Type returns [NamespaceType].
func (*Namespace) Type() *Type { return NamespaceType }

// Clone returns a shallow copy of n.
func (n *Namespace) Clone() Object { c := *n; return &c }

// Event is a Kubernetes Event about an object. Events are records of the
// log (verb "event"), not stored objects.
type Event struct {
	Object  Ref
	Type    string // Normal or Warning
	Reason  string
	Message string
}

// The event types.
const (
	EventNormal  = "Normal"
	EventWarning = "Warning"
)
