package cluster

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// errorStrings renders errs as their full messages, in order.
func errorStrings(errs field.ErrorList) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// validPod returns a defaulted pod that passes validation.
func validPod() *Pod {
	p := &Pod{}
	p.Name, p.Namespace = "web-1", "default"
	p.Labels = map[string]string{"app": "web"}
	p.Spec.Containers = []Container{{Name: "main", Image: "nginx:1.27"}}
	DefaultPodSpec(&p.Spec)
	return p
}

const (
	dnsLabelMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
	dnsSubdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)

func TestIsDNS1123(t *testing.T) {
	tests := []struct {
		in            string
		label, subdom []string
	}{
		{in: "a", label: nil, subdom: nil},
		{in: "a-1", label: nil, subdom: nil},
		{in: "a.b", label: []string{"must not contain dots"}, subdom: nil},
		{in: "A", label: []string{dnsLabelMsg}, subdom: []string{dnsSubdomainMsg}},
		{in: "-a", label: []string{dnsLabelMsg}, subdom: []string{dnsSubdomainMsg}},
		{in: "", label: []string{dnsLabelMsg}, subdom: []string{dnsSubdomainMsg}},
		{in: "a..b", label: []string{dnsLabelMsg}, subdom: []string{dnsSubdomainMsg}},
		{in: strings.Repeat("a", 64), label: []string{"must be no more than 63 characters"}, subdom: nil},
		{in: strings.Repeat("a", 254), label: []string{"must be no more than 63 characters"}, subdom: []string{"must be no more than 253 characters"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.label, IsDNS1123Label(tc.in)); diff != "" {
			t.Errorf("IsDNS1123Label(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if diff := cmp.Diff(tc.subdom, IsDNS1123Subdomain(tc.in)); diff != "" {
			t.Errorf("IsDNS1123Subdomain(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestNameIsDNSSubdomainPrefix(t *testing.T) {
	tests := []struct {
		name   string
		prefix bool
		want   []string
		reason string
	}{
		{name: "web-", prefix: true, want: nil, reason: "a trailing dash is allowed in a generateName"},
		{name: "web-", prefix: false, want: []string{dnsSubdomainMsg}},
		{name: "-", prefix: true, want: []string{dnsSubdomainMsg}, reason: "a lone dash is not masked"},
		{name: "a-", prefix: true, want: nil, reason: "upstream masks the last two characters: \"a-\" becomes \"a\""},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, NameIsDNSSubdomain(tc.name, tc.prefix)); diff != "" {
			t.Errorf("NameIsDNSSubdomain(%q, %v) mismatch (-want +got):\n%s\n%s", tc.name, tc.prefix, diff, tc.reason)
		}
	}
}

func TestValidateObjectMeta(t *testing.T) {
	tests := []struct {
		name       string
		meta       ObjectMeta
		namespaced bool
		want       []string
	}{
		{name: "valid", meta: ObjectMeta{Name: "a", Namespace: "default"}, namespaced: true},
		{name: "noName", meta: ObjectMeta{Namespace: "default"}, namespaced: true,
			want: []string{"metadata.name: Required value: name or generateName is required"}},
		{name: "badName", meta: ObjectMeta{Name: "A_b", Namespace: "default"}, namespaced: true,
			want: []string{`metadata.name: Invalid value: "A_b": ` + dnsSubdomainMsg}},
		{name: "badGenerateName", meta: ObjectMeta{GenerateName: "Web-", Name: "web-x", Namespace: "default"}, namespaced: true,
			want: []string{`metadata.generateName: Invalid value: "Web-": ` + dnsSubdomainMsg}},
		{name: "noNamespace", meta: ObjectMeta{Name: "a"}, namespaced: true,
			want: []string{"metadata.namespace: Required value"}},
		{name: "badNamespace", meta: ObjectMeta{Name: "a", Namespace: "a.b"}, namespaced: true,
			want: []string{`metadata.namespace: Invalid value: "a.b": must not contain dots`}},
		{name: "namespaceOnClusterScoped", meta: ObjectMeta{Name: "a", Namespace: "default"}, namespaced: false,
			want: []string{"metadata.namespace: Forbidden: not allowed on this type"}},
		{name: "negativeGeneration", meta: ObjectMeta{Name: "a", Generation: -1},
			want: []string{"metadata.generation: Invalid value: -1: must be greater than or equal to 0"}},
		{name: "badLabel", meta: ObjectMeta{Name: "a", Labels: map[string]string{"a": "-x"}},
			want: []string{`metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`}},
		{name: "badAnnotationKey", meta: ObjectMeta{Name: "a", Annotations: map[string]string{"a/b/c": ""}},
			want: []string{`metadata.annotations: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`}},
		{name: "upperCaseAnnotationKey", meta: ObjectMeta{Name: "a", Annotations: map[string]string{"Example.COM/Key": "v"}}},
		{name: "annotationsTooLarge", meta: ObjectMeta{Name: "a", Annotations: map[string]string{"k": strings.Repeat("x", TotalAnnotationSizeLimit)}},
			want: []string{"metadata.annotations: Too long: must have at most 262144 bytes"}},
		{name: "ownerWithoutUID", meta: ObjectMeta{Name: "a", OwnerReferences: []OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "ds"}}},
			want: []string{`metadata.ownerReferences.uid: Invalid value: "": must not be empty`}},
		{name: "ownerWithoutVersion", meta: ObjectMeta{Name: "a", OwnerReferences: []OwnerReference{{APIVersion: "apps/", Kind: "DaemonSet", Name: "ds", UID: "u"}}},
			want: []string{`metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty`}},
		{name: "twoControllers", meta: ObjectMeta{Name: "a", OwnerReferences: []OwnerReference{
			{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "a", UID: "1", Controller: Bool(true)},
			{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "b", UID: "2", Controller: Bool(true)}}},
			want: []string{`metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"DaemonSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"DaemonSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for DaemonSet/a and DaemonSet/b`}},
		{name: "eventOwner", meta: ObjectMeta{Name: "a", OwnerReferences: []OwnerReference{{APIVersion: "v1", Kind: "Event", Name: "e", UID: "u"}}},
			want: []string{`metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner`}},
		{name: "standardFinalizer", meta: ObjectMeta{Name: "a", Finalizers: []string{"orphan", "example.com/x"}}},
		{name: "unqualifiedFinalizer", meta: ObjectMeta{Name: "a", Finalizers: []string{"mine"}},
			want: []string{`metadata.finalizers[0]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified`}},
		{name: "orphanAndForeground", meta: ObjectMeta{Name: "a", Finalizers: []string{"orphan", "foregroundDeletion"}},
			want: []string{`metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := errorStrings(ValidateObjectMeta(&tc.meta, tc.namespaced, NameIsDNSSubdomain, field.NewPath("metadata")))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("ValidateObjectMeta mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmpty makes nil and empty string slices equal.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return cmp.Equal([]string(a), []string(b))
})

func TestValidateObjectMetaUpdate(t *testing.T) {
	created := Epoch
	deleted := Epoch.Add(time.Minute)
	old := ObjectMeta{Name: "a", Namespace: "default", UID: "u1", CreationTimestamp: created, Finalizers: []string{"example.com/f"}}
	deleting := old
	deleting.DeletionTimestamp = &deleted
	tests := []struct {
		name     string
		old, cur ObjectMeta
		want     []string
	}{
		{name: "unchanged", old: old, cur: old},
		{name: "emptyFieldsTakeOldValues", old: old, cur: ObjectMeta{Name: "a", Namespace: "default", Labels: map[string]string{"x": "y"}}},
		{name: "uidChanged", old: old, cur: ObjectMeta{Name: "a", Namespace: "default", UID: "u2"},
			want: []string{`metadata.uid: Invalid value: "u2": field is immutable`}},
		{name: "creationTimestampChanged", old: old, cur: ObjectMeta{Name: "a", Namespace: "default", CreationTimestamp: deleted},
			want: []string{`metadata.creationTimestamp: Invalid value: "2000-01-01T00:01:00Z": field is immutable`}},
		{name: "newFinalizerWhileDeleting", old: deleting, cur: ObjectMeta{Name: "a", Namespace: "default", Finalizers: []string{"example.com/f", "example.com/g"}},
			want: []string{`metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/g"}`}},
		{name: "finalizerRemovedWhileDeleting", old: deleting, cur: ObjectMeta{Name: "a", Namespace: "default"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := errorStrings(ValidateObjectMetaUpdate(&tc.cur, &tc.old, field.NewPath("metadata")))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("ValidateObjectMetaUpdate mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePodSpec(t *testing.T) {
	q := MustParseQuantity
	tests := []struct {
		name   string
		mutate func(s *PodSpec)
		want   []string
		reason string
	}{
		{name: "valid", mutate: func(*PodSpec) {}},
		{name: "noGracePeriod", mutate: func(s *PodSpec) { s.TerminationGracePeriodSeconds = nil },
			want: []string{"spec.terminationGracePeriodSeconds: Required value"}},
		{name: "negativeGracePeriod", mutate: func(s *PodSpec) { s.TerminationGracePeriodSeconds = Int64(-1) },
			reason: "upstream validation only requires the field"},
		{name: "noContainers", mutate: func(s *PodSpec) { s.Containers = nil },
			want: []string{"spec.containers: Required value"}},
		{name: "containerNameMissing", mutate: func(s *PodSpec) { s.Containers[0].Name = "" },
			want: []string{"spec.containers[0].name: Required value"}},
		{name: "containerNameUpper", mutate: func(s *PodSpec) { s.Containers[0].Name = "Main" },
			want: []string{`spec.containers[0].name: Invalid value: "Main": ` + dnsLabelMsg}},
		{name: "containerNameTooLong", mutate: func(s *PodSpec) { s.Containers[0].Name = strings.Repeat("a", 64) },
			want: []string{`spec.containers[0].name: Invalid value: "` + strings.Repeat("a", 64) + `": must be no more than 63 characters`}},
		{name: "duplicateContainerName", mutate: func(s *PodSpec) { s.Containers = append(s.Containers, s.Containers[0]) },
			want: []string{`spec.containers[1].name: Duplicate value: "main"`}},
		{name: "initNameClashesWithContainer", mutate: func(s *PodSpec) {
			s.InitContainers = []Container{s.Containers[0]}
		}, want: []string{`spec.initContainers[0].name: Duplicate value: "main"`}},
		{name: "initContainerProbe", mutate: func(s *PodSpec) {
			c := s.Containers[0]
			c.Name, c.LivenessProbe = "init", Opaque(`{"exec":{"command":["true"]}}`)
			s.InitContainers = []Container{c}
		}, want: []string{"spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"}},
		{name: "noImage", mutate: func(s *PodSpec) { s.Containers[0].Image = "" },
			want: []string{"spec.containers[0].image: Required value"}},
		{name: "imageWhitespaceInTemplate", mutate: func(s *PodSpec) { s.Containers[0].Image = " nginx" },
			reason: "only pods, not templates, reject surrounding whitespace"},
		{name: "badPullPolicy", mutate: func(s *PodSpec) { s.Containers[0].ImagePullPolicy = "Sometimes" },
			want: []string{`spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`}},
		{name: "noTerminationMessagePolicy", mutate: func(s *PodSpec) { s.Containers[0].TerminationMessagePolicy = "" },
			want: []string{"spec.containers[0].terminationMessagePolicy: Required value"}},
		{name: "badTerminationMessagePolicy", mutate: func(s *PodSpec) { s.Containers[0].TerminationMessagePolicy = "Log" },
			want: []string{`spec.containers[0].terminationMessagePolicy: Unsupported value: "Log": supported values: "File", "FallbackToLogsOnError"`}},
		{name: "portRequired", mutate: func(s *PodSpec) { s.Containers[0].Ports = []ContainerPort{{Protocol: ProtocolTCP}} },
			want: []string{"spec.containers[0].ports[0].containerPort: Required value"}},
		{name: "portOutOfRange", mutate: func(s *PodSpec) {
			s.Containers[0].Ports = []ContainerPort{{ContainerPort: 70000, HostPort: -1, Protocol: ProtocolTCP}}
		}, want: []string{
			"spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
			"spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
		}},
		{name: "portProtocol", mutate: func(s *PodSpec) {
			s.Containers[0].Ports = []ContainerPort{{ContainerPort: 80, Protocol: "HTTP"}, {ContainerPort: 81}}
		}, want: []string{
			`spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`,
			"spec.containers[0].ports[1].protocol: Required value",
		}},
		{name: "portNames", mutate: func(s *PodSpec) {
			s.Containers[0].Ports = []ContainerPort{
				{Name: "http", ContainerPort: 80, Protocol: ProtocolTCP},
				{Name: "http", ContainerPort: 81, Protocol: ProtocolTCP},
				{Name: "123", ContainerPort: 82, Protocol: ProtocolTCP},
				{Name: "a--b-", ContainerPort: 83, Protocol: ProtocolTCP},
			}
		}, want: []string{
			`spec.containers[0].ports[1].name: Duplicate value: "http"`,
			`spec.containers[0].ports[2].name: Invalid value: "123": must contain at least one letter (a-z)`,
			`spec.containers[0].ports[3].name: Invalid value: "a--b-": must not contain consecutive hyphens`,
			`spec.containers[0].ports[3].name: Invalid value: "a--b-": must not begin or end with a hyphen`,
		}},
		{name: "hostPortConflict", mutate: func(s *PodSpec) {
			c := s.Containers[0]
			c.Ports = []ContainerPort{{ContainerPort: 80, HostPort: 8080, Protocol: ProtocolTCP}}
			d := c
			d.Name = "side"
			s.Containers = []Container{c, d}
		}, want: []string{`spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"`}},
		{name: "hostNetworkTemplatePortZero", mutate: func(s *PodSpec) {
			s.HostNetwork = true
			s.Containers[0].Ports = []ContainerPort{{ContainerPort: 80, Protocol: ProtocolTCP}}
		}, reason: "a template may leave hostPort 0; pods get it defaulted"},
		{name: "hostNetworkPortMismatch", mutate: func(s *PodSpec) {
			s.HostNetwork = true
			s.Containers[0].Ports = []ContainerPort{{ContainerPort: 80, HostPort: 8080, Protocol: ProtocolTCP}}
		}, want: []string{"spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"}},
		{name: "requestAboveLimit", mutate: func(s *PodSpec) {
			s.Containers[0].Resources = ResourceRequirements{
				Limits:   ResourceList{ResourceCPU: q("500m")},
				Requests: ResourceList{ResourceCPU: q("1")},
			}
		}, want: []string{`spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m`}},
		{name: "negativeQuantity", mutate: func(s *PodSpec) {
			s.Containers[0].Resources = ResourceRequirements{Requests: ResourceList{ResourceMemory: q("-1Gi")}}
		}, want: []string{`spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0`}},
		{name: "unknownResource", mutate: func(s *PodSpec) {
			s.Containers[0].Resources = ResourceRequirements{Requests: ResourceList{"gpu": q("1"), "pods": q("1")}}
		}, want: []string{
			`spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified`,
			`spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
			`spec.containers[0].resources.requests[pods]: Invalid value: "pods": must be a standard resource for containers`,
		}},
		{name: "extendedResource", mutate: func(s *PodSpec) {
			s.Containers[0].Resources = ResourceRequirements{
				Limits:   ResourceList{"example.com/gpu": q("1")},
				Requests: ResourceList{"example.com/gpu": q("500m")},
			}
		}, want: []string{
			`spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer`,
			`spec.containers[0].resources.requests: Invalid value: "500m": must be equal to example.com/gpu limit of 1`,
		}, reason: "extended resources count whole units and cannot overcommit"},
		{name: "extendedResourceWithoutLimit", mutate: func(s *PodSpec) {
			s.Containers[0].Resources = ResourceRequirements{Requests: ResourceList{"example.com/gpu": q("1")}}
		}, want: []string{"spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"}},
		{name: "hugePagesAlone", mutate: func(s *PodSpec) {
			s.Containers[0].Resources = ResourceRequirements{Limits: ResourceList{"hugepages-2Mi": q("3Mi")}}
		}, want: []string{
			`spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
			"spec.containers[0].resources: Forbidden: HugePages require cpu or memory",
		}},
		{name: "restartPolicy", mutate: func(s *PodSpec) { s.RestartPolicy = "Sometimes" },
			want: []string{`spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`}},
		{name: "noRestartPolicy", mutate: func(s *PodSpec) { s.RestartPolicy = "" },
			want: []string{"spec.restartPolicy: Required value"}},
		{name: "dnsPolicy", mutate: func(s *PodSpec) { s.DNSPolicy = "Google" },
			want: []string{`spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`}},
		{name: "dnsPolicyNone", mutate: func(s *PodSpec) { s.DNSPolicy = "None" },
			want:   []string{"spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"},
			reason: "the simulator carries no dnsConfig"},
		{name: "nodeSelector", mutate: func(s *PodSpec) { s.NodeSelector = map[string]string{"disk": "s s"} },
			want: []string{`spec.nodeSelector: Invalid value: "s s": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`}},
		{name: "requiredAffinity", mutate: func(s *PodSpec) {
			s.Affinity = &Affinity{NodeAffinity: &NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &selector.NodeSelector{}}}
		}, want: []string{"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"}},
		{name: "preferredAffinity", mutate: func(s *PodSpec) {
			s.Affinity = &Affinity{NodeAffinity: &NodeAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []PreferredSchedulingTerm{
				{Weight: 0, Preference: selector.NodeSelectorTerm{MatchExpressions: []selector.NodeSelectorRequirement{{Key: "disk", Operator: "In", Values: []string{"not valid!"}}}}},
				{Weight: 101, Preference: selector.NodeSelectorTerm{MatchFields: []selector.NodeSelectorRequirement{{Key: "metadata.uid", Operator: "In", Values: []string{"x"}}}}},
			}}}
		}, want: []string{
			"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
			"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].weight: Invalid value: 101: must be in the range 1-100",
			`spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].preference.matchFields[0].key: Invalid value: "metadata.uid": not a valid field selector key`,
		}, reason: "preferred terms allow invalid label values"},
		{name: "tolerations", mutate: func(s *PodSpec) { s.Tolerations = []taints.Toleration{{Operator: taints.OpEqual, Value: "x"}} },
			want: []string{`spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when ` + "`key`" + ` is empty, which means "match all values and all keys"`}},
		{name: "activeDeadlineSeconds", mutate: func(s *PodSpec) { s.ActiveDeadlineSeconds = Int64(0) },
			want: []string{"spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"}},
		{name: "names", mutate: func(s *PodSpec) {
			s.ServiceAccountName, s.NodeName, s.PriorityClassName = "Default", "node_1", "high."
			s.Hostname, s.Subdomain = "a.b", "-x"
		}, want: []string{
			`spec.serviceAccountName: Invalid value: "Default": ` + dnsSubdomainMsg,
			`spec.nodeName: Invalid value: "node_1": ` + dnsSubdomainMsg,
			`spec.hostname: Invalid value: "a.b": must not contain dots`,
			`spec.subdomain: Invalid value: "-x": ` + dnsLabelMsg,
			`spec.priorityClassName: Invalid value: "high.": ` + dnsSubdomainMsg,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validPod().Spec
			tc.mutate(&s)
			got := errorStrings(ValidatePodSpec(&s, field.NewPath("spec")))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("ValidatePodSpec mismatch (-want +got):\n%s\n%s", diff, tc.reason)
			}
		})
	}
}

func TestValidatePodTemplateSpec(t *testing.T) {
	tmpl := &PodTemplateSpec{Spec: validPod().Spec}
	tmpl.Labels = map[string]string{"-bad": "x"}
	tmpl.Annotations = map[string]string{
		"controller.kubernetes.io/pod-deletion-cost":             "+10",
		"seccomp.security.alpha.kubernetes.io/pod":               "strict",
		"container.apparmor.security.beta.kubernetes.io/missing": "runtime/default",
		"container.apparmor.security.beta.kubernetes.io/main":    "bogus",
		"container.seccomp.security.alpha.kubernetes.io/main":    "localhost/../x",
		"kubernetes.io/config.mirror":                            "mirror",
		"scheduler.alpha.kubernetes.io/tolerations":              `[{"key":"","operator":"Equal"}]`,
		"example.com/fine":                                       "yes",
		"container.apparmor.security.beta.kubernetes.io/sidecar": "",
	}
	want := []string{
		`spec.template.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		`spec.template.annotations[kubernetes.io/config.mirror]: Invalid value: "mirror": must set spec.nodeName if mirror pod annotation is set`,
		`spec.template.annotations.scheduler.alpha.kubernetes.io/tolerations[0].operator: Invalid value: "Equal": operator must be Exists when ` + "`key`" + ` is empty, which means "match all values and all keys"`,
		`spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+10": must be a 32bit integer`,
		`spec.template.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "strict": must be a valid seccomp profile`,
		`spec.template.annotations.container.seccomp.security.alpha.kubernetes.io/main: Invalid value: "../x": must not contain '..'`,
		`spec.template.annotations[container.apparmor.security.beta.kubernetes.io/main]: Invalid value: "bogus": invalid AppArmor profile name: "bogus"`,
		`spec.template.annotations[container.apparmor.security.beta.kubernetes.io/missing]: Invalid value: "missing": container not found`,
		`spec.template.annotations[container.apparmor.security.beta.kubernetes.io/sidecar]: Invalid value: "sidecar": container not found`,
	}
	got := errorStrings(ValidatePodTemplateSpec(tmpl, field.NewPath("spec", "template")))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ValidatePodTemplateSpec mismatch (-want +got):\n%s", diff)
	}
}

func TestValidatePodCreate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Pod)
		want   []string
	}{
		{name: "valid", mutate: func(*Pod) {}},
		{name: "imageWhitespace", mutate: func(p *Pod) { p.Spec.Containers[0].Image = "nginx " },
			want: []string{`spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace`}},
		{name: "hostNetworkPortZero", mutate: func(p *Pod) {
			p.Spec.HostNetwork = true
			p.Spec.Containers[0].Ports = []ContainerPort{{ContainerPort: 80, Protocol: ProtocolTCP}}
		}, want: []string{"spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true"}},
		{name: "noNamespace", mutate: func(p *Pod) { p.Namespace = "" },
			want: []string{"metadata.namespace: Required value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validPod()
			tc.mutate(p)
			got := errorStrings(p.Validate(nil, Modern))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("Pod.Validate(nil) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

const podUpdateForbidden = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"

func TestValidatePodUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Pod)
		want   []string
	}{
		{name: "unchanged", mutate: func(*Pod) {}},
		{name: "labelsAndImage", mutate: func(p *Pod) {
			p.Labels = map[string]string{"app": "web", "v": "2"}
			p.Spec.Containers = []Container{p.Spec.Containers[0]}
			p.Spec.Containers[0].Image = "nginx:1.28"
		}},
		{name: "addToleration", mutate: func(p *Pod) {
			p.Spec.Tolerations = []taints.Toleration{{Key: "k", Operator: taints.OpExists}}
		}},
		{name: "activeDeadlineSet", mutate: func(p *Pod) { p.Spec.ActiveDeadlineSeconds = Int64(10) }},
		{name: "nodeName", mutate: func(p *Pod) { p.Spec.NodeName = "node-b" },
			want: []string{podUpdateForbidden +
				"  core.PodSpec{\n" +
				"    ... // 9 identical fields\n" +
				"-   NodeName: \"\",\n" +
				"+   NodeName: \"node-b\",\n" +
				"    ... // 12 identical fields\n" +
				"  }\n"}},
		{name: "addContainer", mutate: func(p *Pod) {
			c := p.Spec.Containers[0]
			c.Name = "side"
			p.Spec.Containers = append([]Container{c}, p.Spec.Containers...)
		}, want: []string{"spec.containers: Forbidden: pod updates may not add or remove containers"}},
		{name: "imageRemoved", mutate: func(p *Pod) {
			p.Spec.Containers = []Container{p.Spec.Containers[0]}
			p.Spec.Containers[0].Image = ""
		}, want: []string{"spec.containers[0].image: Required value", "spec.containers[0].image: Required value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := validPod()
			old.UID = "u1"
			p := old.Clone().(*Pod)
			tc.mutate(p)
			got := errorStrings(p.Validate(old, Modern))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("Pod.Validate(old) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePodUpdateTolerationsAndDeadline(t *testing.T) {
	old := validPod()
	old.Spec.Tolerations = []taints.Toleration{{Key: "k", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: Int64(60)}}
	old.Spec.ActiveDeadlineSeconds = Int64(100)
	tests := []struct {
		name   string
		mutate func(p *Pod)
		want   []string
	}{
		{name: "secondsChanged", mutate: func(p *Pod) {
			p.Spec.Tolerations = []taints.Toleration{{Key: "k", Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: Int64(10)}}
		}},
		{name: "tolerationRemoved", mutate: func(p *Pod) { p.Spec.Tolerations = nil },
			want: []string{"spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"}},
		{name: "deadlineRaised", mutate: func(p *Pod) { p.Spec.ActiveDeadlineSeconds = Int64(200) },
			want: []string{"spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"}},
		{name: "deadlineCleared", mutate: func(p *Pod) { p.Spec.ActiveDeadlineSeconds = nil },
			want: []string{"spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := old.Clone().(*Pod)
			tc.mutate(p)
			got := errorStrings(ValidatePodUpdate(p, old))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("ValidatePodUpdate mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateNode(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(n *Node)
		want   []string
	}{
		{name: "valid", mutate: func(*Node) {}},
		{name: "badName", mutate: func(n *Node) { n.Name = "Node_A" },
			want: []string{`metadata.name: Invalid value: "Node_A": ` + dnsSubdomainMsg}},
		{name: "taints", mutate: func(n *Node) {
			n.Spec.Taints = []taints.Taint{{Key: "k", Effect: taints.NoSchedule}, {Key: "k", Value: "v", Effect: taints.NoSchedule}, {Key: "j"}}
		}, want: []string{
			`metadata.taints[1]: Duplicate value: {"Key":"k","Value":"v","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair`,
			"metadata.taints[2].effect: Required value",
		}},
		{name: "resources", mutate: func(n *Node) {
			n.Status.Capacity = ResourceList{ResourceCPU: MustParseQuantity("-1"), ResourcePods: MustParseQuantity("1500m")}
		}, want: []string{
			`status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0`,
			`status.capacity.pods: Invalid value: "1500m": must be an integer`,
		}},
		{name: "podCIDR", mutate: func(n *Node) { n.Spec.PodCIDR = "10.0.0.0/33" },
			want: []string{`spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`}},
		{name: "podCIDRLeadingZeros", mutate: func(n *Node) { n.Spec.PodCIDR = "010.0.0.0/24" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := &Node{}
			n.Name = "node-a"
			n.Labels = map[string]string{"kubernetes.io/hostname": "node-a"}
			tc.mutate(n)
			got := errorStrings(n.Validate(nil, Modern))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("Node.Validate(nil) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateNodeUpdate(t *testing.T) {
	old := &Node{}
	old.Name = "node-a"
	old.Spec.PodCIDR, old.Spec.ProviderID = "10.0.1.0/24", "sim://node-a"
	tests := []struct {
		name   string
		mutate func(n *Node)
		want   []string
	}{
		{name: "taintAndCordon", mutate: func(n *Node) {
			n.Spec.Unschedulable = true
			n.Spec.Taints = []taints.Taint{{Key: taints.NodeUnschedulable, Effect: taints.NoSchedule}}
		}},
		{name: "podCIDR", mutate: func(n *Node) { n.Spec.PodCIDR = "10.0.2.0/24" },
			want: []string{`spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid`}},
		{name: "providerID", mutate: func(n *Node) { n.Spec.ProviderID = "" },
			want: []string{`spec.providerID: Forbidden: node updates may not change providerID except from "" to valid`}},
		{name: "duplicateAddress", mutate: func(n *Node) {
			n.Status.Addresses = []NodeAddress{{Type: "InternalIP", Address: "10.0.0.1"}, {Type: "InternalIP", Address: "10.0.0.1"}}
		}, want: []string{`status.addresses[1]: Duplicate value: {"Type":"InternalIP","Address":"10.0.0.1"}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := old.Clone().(*Node)
			tc.mutate(n)
			got := errorStrings(n.Validate(old, Modern))
			if diff := cmp.Diff(tc.want, got, cmpEmpty); diff != "" {
				t.Errorf("Node.Validate(old) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateImmutableField(t *testing.T) {
	got := errorStrings(ValidateImmutableField(selector.LabelSelector{MatchLabels: map[string]string{"app": "b"}}, selector.LabelSelector{MatchLabels: map[string]string{"app": "a"}}, field.NewPath("spec", "selector")))
	want := []string{`spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ValidateImmutableField mismatch (-want +got):\n%s", diff)
	}
	if errs := ValidateImmutableField(selector.LabelSelector{MatchLabels: map[string]string{}}, selector.LabelSelector{}, field.NewPath("x")); errs != nil {
		t.Errorf("ValidateImmutableField(empty, nil map) = %v, want none", errs)
	}
}

func TestSemanticEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{name: "nilAndEmptyMap", a: map[string]string(nil), b: map[string]string{}, want: true},
		{name: "nilAndEmptySlice", a: []string(nil), b: []string{}, want: true},
		{name: "differentMaps", a: map[string]string{"a": "1"}, b: map[string]string{"a": "2"}, want: false},
		{name: "quantitiesByValue", a: MustParseQuantity("1000m"), b: MustParseQuantity("1"), want: true},
		{name: "quantitiesDiffer", a: MustParseQuantity("1"), b: MustParseQuantity("2"), want: false},
		{name: "timesByInstant", a: Epoch, b: Epoch.In(time.FixedZone("x", 3600)), want: true},
		{name: "opaqueSpacing", a: Opaque(`{"a": 1}`), b: Opaque(`{"a":1}`), want: true},
		{name: "opaqueNull", a: Opaque("null"), b: Opaque(""), want: true},
		{name: "opaqueDiffers", a: Opaque(`{"a":1}`), b: Opaque(`{"a":2}`), want: false},
		{name: "pointers", a: Int64(3), b: Int64(3), want: true},
		{name: "nilPointer", a: (*int64)(nil), b: Int64(0), want: false},
		{name: "types", a: int32(1), b: int64(1), want: false},
		{name: "specs", a: validPod().Spec, b: validPod().Spec, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SemanticEqual(tc.a, tc.b); got != tc.want {
				t.Errorf("SemanticEqual(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestValidationInStore(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	p := validPod()
	p.Spec.Containers[0].Name = "Main"
	_, err = c.Create(p)
	want := `Pod "web-1" is invalid: spec.containers[0].name: Invalid value: "Main": ` + dnsLabelMsg
	if err == nil || err.Error() != want || !IsInvalid(err) {
		t.Errorf("Create(invalid pod) error = %v, want %q (Invalid)", err, want)
	}
	b, _ := json.Marshal(err.(*StatusError).Causes)
	if !strings.Contains(string(b), "FieldValueInvalid") {
		t.Errorf("causes %s lack the error type", b)
	}
}
