package cluster

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daemonsim/daemonsim/field"
	"github.com/daemonsim/daemonsim/selector"
	"github.com/daemonsim/daemonsim/taints"
)

// This file is the core API validation of the simulated API server: object
// metadata, pods, pod templates and nodes. It mirrors
// pkg/apis/core/validation and k8s.io/apimachinery/pkg/api/validation of
// Kubernetes v1.37 for the fields the simulator's types carry; messages,
// paths and error types are upstream's. Where upstream walks a map in Go's
// random order, this walks it in sorted key order, so errors come in a
// deterministic order.

// Messages shared by several checks (k8s.io/apimachinery/pkg/util/validation
// and pkg/apis/core/validation).
const (
	isNegativeErrorMsg     = "must be greater than or equal to 0"
	isNotIntegerErrorMsg   = "must be an integer"
	fieldImmutableErrorMsg = "field is immutable"
)

// maxLenError mirrors validation.MaxLenError, which counts characters (label
// keys and values count bytes; see package selector).
func maxLenError(n int) string { return fmt.Sprintf("must be no more than %d characters", n) }

// inclusiveRangeError mirrors validation.InclusiveRangeError.
func inclusiveRangeError(lo, hi int) string {
	return fmt.Sprintf("must be between %d and %d, inclusive", lo, hi)
}

// regexError mirrors validation.RegexError.
func regexError(msg, re string, examples ...string) string {
	var b strings.Builder
	b.WriteString(msg)
	b.WriteString(" (e.g. ")
	for i, e := range examples {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString("'" + e + "', ")
	}
	b.WriteString("regex used for validation is '" + re + "')")
	return b.String()
}

const (
	dns1123LabelFmt          = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dns1123LabelErrMsg       = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
	dns1123SubdomainFmt      = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
	dns1123SubdomainErrorMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
)

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// matchesDNSLabel reports whether s matches dns1123LabelFmt.
func matchesDNSLabel(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// matchesDNSSubdomain reports whether s matches dns1123SubdomainFmt.
func matchesDNSSubdomain(s string) bool {
	for {
		label, rest, more := strings.Cut(s, ".")
		if !matchesDNSLabel(label) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// IsDNS1123Label reports what is wrong with s as a DNS-1123 label (at most
// 63 characters), or nil. It mirrors validation.IsDNS1123Label in
// k8s.io/apimachinery/pkg/util/validation, whose length message counts
// characters; use it for object and container names.
func IsDNS1123Label(s string) []string {
	var msgs []string
	if len(s) > 63 {
		msgs = append(msgs, maxLenError(63))
	}
	if !matchesDNSLabel(s) {
		if matchesDNSSubdomain(s) {
			msgs = append(msgs, "must not contain dots")
		} else {
			msgs = append(msgs, regexError(dns1123LabelErrMsg, dns1123LabelFmt, "my-name", "123-abc"))
		}
	}
	return msgs
}

// IsDNS1123Subdomain reports what is wrong with s as a DNS-1123 subdomain
// (at most 253 characters), or nil. It mirrors validation.IsDNS1123Subdomain
// in k8s.io/apimachinery/pkg/util/validation.
func IsDNS1123Subdomain(s string) []string {
	var msgs []string
	if len(s) > 253 {
		msgs = append(msgs, maxLenError(253))
	}
	if !matchesDNSSubdomain(s) {
		msgs = append(msgs, regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, "example.com"))
	}
	return msgs
}

// NameFunc validates the name of an object; prefix is true when the name is
// a generateName, to which characters will be appended. It returns one
// message per problem (apimachinery's ValidateNameFunc).
type NameFunc func(name string, prefix bool) []string

// NameIsDNSSubdomain is the [NameFunc] of most kinds (pods, nodes,
// DaemonSets): a DNS-1123 subdomain. For a prefix, a trailing '-' is
// masked first, as upstream's maskTrailingDash does (which, quirkily,
// replaces the last two characters of such a prefix with "a").
func NameIsDNSSubdomain(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1123Subdomain(name)
}

// NameIsDNSLabel is the [NameFunc] of namespaces: a DNS-1123 label.
func NameIsDNSLabel(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1123Label(name)
}

func maskTrailingDash(name string) string {
	if len(name) > 1 && strings.HasSuffix(name, "-") {
		return name[:len(name)-2] + "a"
	}
	return name
}

// ValidateNonnegativeField returns an Invalid error at p when value is
// negative (apimachinery's ValidateNonnegativeField).
func ValidateNonnegativeField(value int64, p *field.Path) field.ErrorList {
	if value < 0 {
		return field.ErrorList{field.Invalid(p, value, isNegativeErrorMsg)}
	}
	return nil
}

// ValidateImmutableField returns an Invalid error at p, "field is
// immutable", with the new value, when newVal and oldVal differ by
// [SemanticEqual]. Pointers are printed as what they point to.
func ValidateImmutableField(newVal, oldVal any, p *field.Path) field.ErrorList {
	if SemanticEqual(newVal, oldVal) {
		return nil
	}
	return field.ErrorList{field.Invalid(p, newVal, fieldImmutableErrorMsg)}
}

// Object metadata.

// TotalAnnotationSizeLimit is the largest total size, in bytes, of an
// object's annotation keys and values.
const TotalAnnotationSizeLimit = 256 * (1 << 10)

// ValidateAnnotations validates annotation keys (qualified names, compared
// in lower case) and their total size. It mirrors apimachinery's
// ValidateAnnotations.
func ValidateAnnotations(annotations map[string]string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	size := 0
	for _, k := range slices.Sorted(maps.Keys(annotations)) {
		for _, msg := range selector.IsQualifiedName(strings.ToLower(k)) {
			errs = append(errs, field.Invalid(p, k, msg))
		}
		size += len(k) + len(annotations[k])
	}
	if size > TotalAnnotationSizeLimit {
		errs = append(errs, field.TooLong(p, "", TotalAnnotationSizeLimit))
	}
	return errs
}

// The finalizers the API server knows without a domain prefix
// (helper.IsStandardFinalizerName).
var standardFinalizers = map[string]bool{"kubernetes": true, FinalizerOrphan: true, FinalizerForeground: true}

func validateFinalizerName(f string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range selector.IsQualifiedName(f) {
		errs = append(errs, field.Invalid(p, f, msg))
	}
	return errs
}

// validateFinalizers mirrors apimachinery's ValidateFinalizers.
func validateFinalizers(finalizers []string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	orphan, foreground := false, false
	for _, f := range finalizers {
		errs = append(errs, validateFinalizerName(f, p)...)
		orphan = orphan || f == FinalizerOrphan
		foreground = foreground || f == FinalizerForeground
	}
	if orphan && foreground {
		errs = append(errs, field.Invalid(p, finalizers, fmt.Sprintf("finalizer %s and %s cannot be both set", FinalizerOrphan, FinalizerForeground)))
	}
	return errs
}

// validateKubeFinalizerNames mirrors core validation's
// validateKubeFinalizerName, applied to each finalizer.
func validateKubeFinalizerNames(finalizers []string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, f := range finalizers {
		ip := p.Index(i)
		errs = append(errs, validateFinalizerName(f, ip)...)
		if !strings.Contains(f, "/") && !standardFinalizers[f] {
			errs = append(errs, field.Invalid(ip, f, "name is neither a standard finalizer name nor is it fully qualified"))
		}
	}
	return errs
}

// validateOwnerReferences mirrors apimachinery's ValidateOwnerReferences,
// including its paths, which name the list rather than the element
// (metadata.ownerReferences.uid).
func validateOwnerReferences(refs []OwnerReference, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	firstController := ""
	for _, r := range refs {
		group, version := "", ""
		switch parts := strings.Split(r.APIVersion, "/"); len(parts) {
		case 1:
			version = parts[0]
		case 2:
			group, version = parts[0], parts[1]
		}
		if version == "" {
			errs = append(errs, field.Invalid(p.Child("apiVersion"), r.APIVersion, "version must not be empty"))
		}
		if r.Kind == "" {
			errs = append(errs, field.Invalid(p.Child("kind"), r.Kind, "must not be empty"))
		}
		if r.Name == "" {
			errs = append(errs, field.Invalid(p.Child("name"), r.Name, "must not be empty"))
		}
		if r.UID == "" {
			errs = append(errs, field.Invalid(p.Child("uid"), r.UID, "must not be empty"))
		}
		if group == "" && version == "v1" && r.Kind == "Event" {
			errs = append(errs, field.Invalid(p, r, "/v1, Kind=Event is disallowed from being an owner"))
		}
		if r.IsController() {
			name := r.Kind + "/" + r.Name
			if firstController != "" {
				errs = append(errs, field.Invalid(p, refs, fmt.Sprintf("Only one reference can have Controller set to true. Found \"true\" in references for %v and %v", firstController, name)))
			} else {
				firstController = name
			}
		}
	}
	return errs
}

// ValidateObjectMeta validates the metadata of an object being created, as
// core validation's ValidateObjectMeta does: generateName and name with
// nameFn (a missing name is "name or generateName is required"), the
// namespace (required and a DNS-1123 label when namespaced, forbidden
// otherwise), a non-negative generation, labels, annotations, owner
// references and finalizers. p is the path of the metadata, normally
// "metadata". A nil nameFn means [NameIsDNSSubdomain].
func ValidateObjectMeta(meta *ObjectMeta, namespaced bool, nameFn NameFunc, p *field.Path) field.ErrorList {
	if nameFn == nil {
		nameFn = NameIsDNSSubdomain
	}
	var errs field.ErrorList
	if meta.GenerateName != "" {
		for _, msg := range nameFn(meta.GenerateName, true) {
			errs = append(errs, field.Invalid(p.Child("generateName"), meta.GenerateName, msg))
		}
	}
	if meta.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), "name or generateName is required"))
	} else {
		for _, msg := range nameFn(meta.Name, false) {
			errs = append(errs, field.Invalid(p.Child("name"), meta.Name, msg))
		}
	}
	if namespaced {
		if meta.Namespace == "" {
			errs = append(errs, field.Required(p.Child("namespace"), ""))
		} else {
			for _, msg := range NameIsDNSLabel(meta.Namespace, false) {
				errs = append(errs, field.Invalid(p.Child("namespace"), meta.Namespace, msg))
			}
		}
	} else if meta.Namespace != "" {
		errs = append(errs, field.Forbidden(p.Child("namespace"), "not allowed on this type"))
	}
	errs = append(errs, ValidateNonnegativeField(meta.Generation, p.Child("generation"))...)
	errs = append(errs, selector.ValidateLabels(meta.Labels, p.Child("labels"))...)
	errs = append(errs, ValidateAnnotations(meta.Annotations, p.Child("annotations"))...)
	errs = append(errs, validateOwnerReferences(meta.OwnerReferences, p.Child("ownerReferences"))...)
	errs = append(errs, validateFinalizers(meta.Finalizers, p.Child("finalizers"))...)
	errs = append(errs, validateKubeFinalizerNames(meta.Finalizers, p.Child("finalizers"))...)
	return errs
}

// ValidateObjectMetaUpdate validates the metadata of an update, as core
// validation's ValidateObjectMetaUpdate does: no new finalizers once the
// object is being deleted; name, namespace, uid, creationTimestamp,
// deletionTimestamp and deletionGracePeriodSeconds immutable; labels,
// annotations, owner references and finalizer names valid.
//
// Like upstream's registry (rest.BeforeUpdate), fields the writer left
// empty take the old values first: an empty uid, a zero creationTimestamp,
// a nil deletionTimestamp or deletionGracePeriodSeconds. The
// resourceVersion and generation checks are not made: the simulated store
// checks resourceVersions itself (an empty one is an unconditional update)
// and owns the generation.
func ValidateObjectMetaUpdate(meta, old *ObjectMeta, p *field.Path) field.ErrorList {
	m := *meta
	if m.UID == "" {
		m.UID = old.UID
	}
	if m.CreationTimestamp.IsZero() {
		m.CreationTimestamp = old.CreationTimestamp
	}
	if old.DeletionTimestamp != nil {
		m.DeletionTimestamp = old.DeletionTimestamp
	}
	if old.DeletionGracePeriodSeconds != nil && m.DeletionGracePeriodSeconds == nil {
		m.DeletionGracePeriodSeconds = old.DeletionGracePeriodSeconds
	}
	var errs field.ErrorList
	if old.DeletionTimestamp != nil {
		var extra []string
		for _, f := range m.Finalizers {
			if !slices.Contains(old.Finalizers, f) && !slices.Contains(extra, f) {
				extra = append(extra, f)
			}
		}
		if len(extra) > 0 {
			slices.Sort(extra)
			errs = append(errs, field.Forbidden(p.Child("finalizers"),
				fmt.Sprintf("no new finalizers can be added if the object is being deleted, found new finalizers %s", goStringSlice(extra))))
		}
	}
	errs = append(errs, ValidateImmutableField(m.Name, old.Name, p.Child("name"))...)
	errs = append(errs, ValidateImmutableField(m.Namespace, old.Namespace, p.Child("namespace"))...)
	errs = append(errs, ValidateImmutableField(m.UID, old.UID, p.Child("uid"))...)
	if !m.CreationTimestamp.Equal(old.CreationTimestamp) {
		errs = append(errs, field.Invalid(p.Child("creationTimestamp"), apiTime(m.CreationTimestamp), fieldImmutableErrorMsg))
	}
	if (m.DeletionTimestamp == nil) != (old.DeletionTimestamp == nil) ||
		m.DeletionTimestamp != nil && !m.DeletionTimestamp.Equal(*old.DeletionTimestamp) {
		var v any
		if m.DeletionTimestamp != nil {
			v = apiTime(*m.DeletionTimestamp)
		}
		errs = append(errs, field.Invalid(p.Child("deletionTimestamp"), v, fieldImmutableErrorMsg))
	}
	errs = append(errs, ValidateImmutableField(m.DeletionGracePeriodSeconds, old.DeletionGracePeriodSeconds, p.Child("deletionGracePeriodSeconds"))...)
	errs = append(errs, selector.ValidateLabels(m.Labels, p.Child("labels"))...)
	errs = append(errs, ValidateAnnotations(m.Annotations, p.Child("annotations"))...)
	errs = append(errs, validateOwnerReferences(m.OwnerReferences, p.Child("ownerReferences"))...)
	errs = append(errs, validateKubeFinalizerNames(m.Finalizers, p.Child("finalizers"))...)
	return errs
}

// apiTime prints as metav1.Time marshals: an RFC 3339 string in UTC.
type apiTime time.Time

// MarshalJSON writes the time as metav1.Time does.
func (t apiTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339))
}

// goStringSlice renders a []string as fmt's %#v does.
func goStringSlice(s []string) string { return fmt.Sprintf("%#v", s) }

// Pod-specific annotations (core/v1 well-known keys).
const (
	mirrorPodAnnotation       = "kubernetes.io/config.mirror"
	tolerationsAnnotation     = "scheduler.alpha.kubernetes.io/tolerations"
	podDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"
	seccompPodAnnotation      = "seccomp.security.alpha.kubernetes.io/pod"
	seccompContainerPrefix    = "container.seccomp.security.alpha.kubernetes.io/"
	appArmorContainerPrefix   = "container.apparmor.security.beta.kubernetes.io/"
	taintsAnnotation          = "scheduler.alpha.kubernetes.io/taints"
	seccompLocalhostPrefix    = "localhost/"
	appArmorLocalhostPrefix   = "localhost/"
	appArmorRuntimeDefault    = "runtime/default"
	appArmorUnconfined        = "unconfined"
	seccompRuntimeDefault     = "runtime/default"
	seccompDockerDefault      = "docker/default"
	seccompUnconfined         = "unconfined"
)

// validatePodSpecificAnnotations mirrors core validation's
// ValidatePodSpecificAnnotations: the mirror-pod annotation needs a
// nodeName, the legacy tolerations annotation must hold valid
// tolerations, the pod-deletion-cost annotation a 32-bit integer, and the
// seccomp and AppArmor annotations valid profiles (AppArmor ones naming an
// existing container).
func validatePodSpecificAnnotations(annotations map[string]string, spec *PodSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if v, ok := annotations[mirrorPodAnnotation]; ok && spec.NodeName == "" {
		errs = append(errs, field.Invalid(p.Key(mirrorPodAnnotation), v, "must set spec.nodeName if mirror pod annotation is set"))
	}
	if v := annotations[tolerationsAnnotation]; v != "" {
		var tols []taints.Toleration
		if err := json.Unmarshal([]byte(v), &tols); err != nil {
			errs = append(errs, field.Invalid(p, tolerationsAnnotation, err.Error()))
		} else if len(tols) > 0 {
			errs = append(errs, taints.ValidateTolerations(tols, p.Child(tolerationsAnnotation))...)
		}
	}
	if v, ok := annotations[podDeletionCostAnnotation]; ok && !validDeletionCost(v) {
		errs = append(errs, field.Invalid(p.Key(podDeletionCostAnnotation), v, "must be a 32bit integer"))
	}
	keys := slices.Sorted(maps.Keys(annotations))
	if v, ok := annotations[seccompPodAnnotation]; ok {
		errs = append(errs, validateSeccompProfile(v, p.Child(seccompPodAnnotation))...)
	}
	for _, k := range keys {
		if strings.HasPrefix(k, seccompContainerPrefix) {
			errs = append(errs, validateSeccompProfile(annotations[k], p.Child(k))...)
		}
	}
	for _, k := range keys {
		name, ok := strings.CutPrefix(k, appArmorContainerPrefix)
		if !ok {
			continue
		}
		if !specHasContainer(spec, name) {
			errs = append(errs, field.Invalid(p.Key(k), name, "container not found"))
		}
		if v := annotations[k]; v != "" && v != appArmorRuntimeDefault && v != appArmorUnconfined && !strings.HasPrefix(v, appArmorLocalhostPrefix) {
			errs = append(errs, field.Invalid(p.Key(k), v, fmt.Sprintf("invalid AppArmor profile name: %q", v)))
		}
	}
	return errs
}

// validDeletionCost mirrors helper.GetDeletionCostFromPodAnnotations: a
// decimal int32 without '+' or leading zeros.
func validDeletionCost(v string) bool {
	if v == "" || !(v[0] == '-' || v == "0" || v[0] >= '1' && v[0] <= '9') {
		return false
	}
	_, err := strconv.ParseInt(v, 10, 32)
	return err == nil
}

func validateSeccompProfile(v string, p *field.Path) field.ErrorList {
	switch {
	case v == seccompRuntimeDefault || v == seccompDockerDefault || v == seccompUnconfined:
		return nil
	case strings.HasPrefix(v, seccompLocalhostPrefix):
		return validateLocalDescendingPath(strings.TrimPrefix(v, seccompLocalhostPrefix), p)
	}
	return field.ErrorList{field.Invalid(p, v, "must be a valid seccomp profile")}
}

func validateLocalDescendingPath(target string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if path.IsAbs(target) {
		errs = append(errs, field.Invalid(p, target, "must be a relative path"))
	}
	if slices.Contains(strings.Split(filepath.ToSlash(target), "/"), "..") {
		errs = append(errs, field.Invalid(p, target, "must not contain '..'"))
	}
	return errs
}

func specHasContainer(s *PodSpec, name string) bool {
	has := func(c Container) bool { return c.Name == name }
	return slices.ContainsFunc(s.InitContainers, has) || slices.ContainsFunc(s.Containers, has)
}

// Pod templates and pod specs.

// ValidatePodTemplateSpec validates a pod template (a workload's
// spec.template) as core validation's ValidatePodTemplateSpec does: its
// labels (at p.labels), annotations, pod-specific annotations, and its spec
// with [ValidatePodSpec] at p.spec.
func ValidatePodTemplateSpec(t *PodTemplateSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, selector.ValidateLabels(t.Labels, p.Child("labels"))...)
	errs = append(errs, ValidateAnnotations(t.Annotations, p.Child("annotations"))...)
	errs = append(errs, validatePodSpecificAnnotations(t.Annotations, &t.Spec, p.Child("annotations"))...)
	errs = append(errs, validatePodSpec(&t.Spec, p.Child("spec"), false)...)
	return errs
}

// ValidatePodSpec validates a pod spec embedded in another object (a pod
// template), as core validation's ValidatePodSpec does. In this order:
//
//  1. terminationGracePeriodSeconds is required;
//  2. containers: at least one; each with a DNS-1123 label name, unique
//     among containers and init containers, an image, a
//     terminationMessagePolicy (File, FallbackToLogsOnError), valid ports
//     (names, containerPort 1–65535, hostPort 0–65535, protocol TCP, UDP or
//     SCTP), an imagePullPolicy (Always, IfNotPresent, Never) and valid
//     resources (standard or extended names, non-negative quantities,
//     integer counts, requests not above limits); no host port claimed
//     twice;
//  3. init containers likewise, without probes;
//  4. with hostNetwork, every set hostPort equals its containerPort;
//  5. restartPolicy (Always, OnFailure, Never) and dnsPolicy
//     (ClusterFirstWithHostNet, ClusterFirst, Default, None; None needs a
//     dnsConfig, which the simulator does not carry);
//  6. nodeSelector labels, node affinity (required terms as
//     [selector.ValidateNodeSelector]; preferred terms with weights 1–100);
//  7. serviceAccountName, nodeName and priorityClassName DNS-1123
//     subdomains, activeDeadlineSeconds 1–2147483647, hostname and
//     subdomain DNS-1123 labels, tolerations ([taints.ValidateTolerations]).
//
// Fields the simulator carries as opaque JSON (volumes, env, probes,
// security contexts, pod affinity) are not validated.
func ValidatePodSpec(s *PodSpec, p *field.Path) field.ErrorList {
	return validatePodSpec(s, p, false)
}

// validatePodSpec is ValidatePodSpec; isPod is upstream's
// opts.ResourceIsPod (the spec is a pod's, not a template's).
func validatePodSpec(s *PodSpec, p *field.Path, isPod bool) field.ErrorList {
	var errs field.ErrorList
	if s.TerminationGracePeriodSeconds == nil {
		errs = append(errs, field.Required(p.Child("terminationGracePeriodSeconds"), ""))
	}
	errs = append(errs, validateContainers(s.Containers, p.Child("containers"))...)
	errs = append(errs, validateInitContainers(s.InitContainers, s.Containers, p.Child("initContainers"))...)
	errs = append(errs, validateHostNetworkPorts(s, p, isPod)...)
	errs = append(errs, validateRestartPolicy(s.RestartPolicy, p.Child("restartPolicy"))...)
	errs = append(errs, validateDNSPolicy(s.DNSPolicy, p.Child("dnsPolicy"))...)
	errs = append(errs, selector.ValidateLabels(s.NodeSelector, p.Child("nodeSelector"))...)
	errs = append(errs, validateAffinity(s.Affinity, p.Child("affinity"))...)
	if s.DNSPolicy == "None" {
		errs = append(errs, field.Required(p.Child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
	}
	if s.ServiceAccountName != "" {
		for _, msg := range NameIsDNSSubdomain(s.ServiceAccountName, false) {
			errs = append(errs, field.Invalid(p.Child("serviceAccountName"), s.ServiceAccountName, msg))
		}
	}
	if s.NodeName != "" {
		for _, msg := range NameIsDNSSubdomain(s.NodeName, false) {
			errs = append(errs, field.Invalid(p.Child("nodeName"), s.NodeName, msg))
		}
	}
	if s.ActiveDeadlineSeconds != nil {
		if v := *s.ActiveDeadlineSeconds; v < 1 || v > math.MaxInt32 {
			errs = append(errs, field.Invalid(p.Child("activeDeadlineSeconds"), v, inclusiveRangeError(1, math.MaxInt32)))
		}
	}
	if s.Hostname != "" {
		errs = append(errs, validateDNS1123Label(s.Hostname, p.Child("hostname"))...)
	}
	if s.Subdomain != "" {
		errs = append(errs, validateDNS1123Label(s.Subdomain, p.Child("subdomain"))...)
	}
	if len(s.Tolerations) > 0 {
		errs = append(errs, taints.ValidateTolerations(s.Tolerations, p.Child("tolerations"))...)
	}
	if s.PriorityClassName != "" {
		for _, msg := range NameIsDNSSubdomain(s.PriorityClassName, false) {
			errs = append(errs, field.Invalid(p.Child("priorityClassName"), s.PriorityClassName, msg))
		}
	}
	return errs
}

func validateDNS1123Label(v string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range IsDNS1123Label(v) {
		errs = append(errs, field.Invalid(p, v, msg))
	}
	return errs
}

func validateRestartPolicy(rp RestartPolicy, p *field.Path) field.ErrorList {
	switch rp {
	case RestartPolicyAlways, RestartPolicyOnFailure, RestartPolicyNever:
		return nil
	case "":
		return field.ErrorList{field.Required(p, "")}
	}
	return field.ErrorList{field.NotSupported(p, rp, []string{string(RestartPolicyAlways), string(RestartPolicyOnFailure), string(RestartPolicyNever)})}
}

func validateDNSPolicy(dp string, p *field.Path) field.ErrorList {
	switch dp {
	case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None":
		return nil
	case "":
		return field.ErrorList{field.Required(p, "")}
	}
	return field.ErrorList{field.NotSupported(p, dp, []string{"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"})}
}

// validateContainers mirrors core validation's validateContainers.
func validateContainers(cs []Container, p *field.Path) field.ErrorList {
	if len(cs) == 0 {
		return field.ErrorList{field.Required(p, "")}
	}
	var errs field.ErrorList
	names := make(map[string]bool, len(cs))
	for i := range cs {
		c := &cs[i]
		ip := p.Index(i)
		errs = append(errs, validateContainerCommon(c, ip)...)
		if names[c.Name] {
			errs = append(errs, field.Duplicate(ip.Child("name"), c.Name))
		} else {
			names[c.Name] = true
		}
	}
	errs = append(errs, checkHostPortConflicts(cs, p)...)
	return errs
}

// validateInitContainers mirrors core validation's validateInitContainers
// for init containers without a restartPolicy (the simulator does not
// model sidecars).
func validateInitContainers(cs, regular []Container, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := make(map[string]bool, len(cs)+len(regular))
	for _, c := range regular {
		names[c.Name] = true
	}
	for i := range cs {
		c := &cs[i]
		ip := p.Index(i)
		errs = append(errs, validateContainerCommon(c, ip)...)
		if names[c.Name] {
			errs = append(errs, field.Duplicate(ip.Child("name"), c.Name))
		} else if c.Name != "" {
			names[c.Name] = true
		}
		// Upstream checks each init container alone, so the path always
		// names index 0.
		errs = append(errs, checkHostPortConflicts(cs[i:i+1], p)...)
		for _, probe := range []struct {
			name string
			v    Opaque
		}{{"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}, {"startupProbe", c.StartupProbe}} {
			if isSet(probe.v) {
				errs = append(errs, field.Forbidden(ip.Child(probe.name), "may not be set for init containers without restartPolicy=Always"))
			}
		}
	}
	return errs
}

// isSet reports whether an opaque field holds a value other than null.
func isSet(o Opaque) bool {
	s := strings.TrimSpace(string(o))
	return s != "" && s != "null"
}

// validateContainerCommon mirrors core validation's validateContainerCommon
// for the fields the simulator interprets.
func validateContainerCommon(c *Container, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else {
		errs = append(errs, validateDNS1123Label(c.Name, p.Child("name"))...)
	}
	if c.Image == "" {
		errs = append(errs, field.Required(p.Child("image"), ""))
	}
	switch c.TerminationMessagePolicy {
	case "File", "FallbackToLogsOnError":
	case "":
		errs = append(errs, field.Required(p.Child("terminationMessagePolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(p.Child("terminationMessagePolicy"), c.TerminationMessagePolicy, []string{"File", "FallbackToLogsOnError"}))
	}
	errs = append(errs, validateContainerPorts(c.Ports, p.Child("ports"))...)
	switch c.ImagePullPolicy {
	case "Always", "IfNotPresent", "Never":
	case "":
		errs = append(errs, field.Required(p.Child("imagePullPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(p.Child("imagePullPolicy"), c.ImagePullPolicy, []string{"Always", "IfNotPresent", "Never"}))
	}
	errs = append(errs, validateResourceRequirements(&c.Resources, p.Child("resources"))...)
	return errs
}

// isValidPortName mirrors validation.IsValidPortName.
func isValidPortName(port string) []string {
	var msgs []string
	if len(port) > 15 {
		msgs = append(msgs, maxLenError(15))
	}
	charset, letter := port != "", false
	for i := 0; i < len(port); i++ {
		c := port[i]
		switch {
		case 'a' <= c && c <= 'z':
			letter = true
		case '0' <= c && c <= '9', c == '-':
		default:
			charset = false
		}
	}
	if !charset {
		msgs = append(msgs, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
	}
	if !letter {
		msgs = append(msgs, "must contain at least one letter (a-z)")
	}
	if strings.Contains(port, "--") {
		msgs = append(msgs, "must not contain consecutive hyphens")
	}
	if port != "" && (port[0] == '-' || port[len(port)-1] == '-') {
		msgs = append(msgs, "must not begin or end with a hyphen")
	}
	return msgs
}

func validPortNum(port int32) bool { return 1 <= port && port <= 65535 }

// validateContainerPorts mirrors core validation's validateContainerPorts.
func validateContainerPorts(ports []ContainerPort, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := map[string]bool{}
	for i, port := range ports {
		ip := p.Index(i)
		if port.Name != "" {
			if msgs := isValidPortName(port.Name); len(msgs) > 0 {
				for _, msg := range msgs {
					errs = append(errs, field.Invalid(ip.Child("name"), port.Name, msg))
				}
			} else if names[port.Name] {
				errs = append(errs, field.Duplicate(ip.Child("name"), port.Name))
			} else {
				names[port.Name] = true
			}
		}
		if port.ContainerPort == 0 {
			errs = append(errs, field.Required(ip.Child("containerPort"), ""))
		} else if !validPortNum(port.ContainerPort) {
			errs = append(errs, field.Invalid(ip.Child("containerPort"), port.ContainerPort, inclusiveRangeError(1, 65535)))
		}
		if port.HostPort != 0 && !validPortNum(port.HostPort) {
			errs = append(errs, field.Invalid(ip.Child("hostPort"), port.HostPort, inclusiveRangeError(1, 65535)))
		}
		switch port.Protocol {
		case ProtocolTCP, ProtocolUDP, ProtocolSCTP:
		case "":
			errs = append(errs, field.Required(ip.Child("protocol"), ""))
		default:
			errs = append(errs, field.NotSupported(ip.Child("protocol"), port.Protocol, []string{string(ProtocolSCTP), string(ProtocolTCP), string(ProtocolUDP)}))
		}
	}
	return errs
}

// checkHostPortConflicts mirrors core validation's AccumulateUniqueHostPorts
// over cs: a protocol/hostIP/hostPort claimed twice is a Duplicate.
func checkHostPortConflicts(cs []Container, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for ci, c := range cs {
		for pi, port := range c.Ports {
			if port.HostPort == 0 {
				continue
			}
			key := fmt.Sprintf("%s/%s/%d", port.Protocol, port.HostIP, port.HostPort)
			if seen[key] {
				errs = append(errs, field.Duplicate(p.Index(ci).Child("ports").Index(pi).Child("hostPort"), key))
			} else {
				seen[key] = true
			}
		}
	}
	return errs
}

// validateHostNetworkPorts mirrors core validation's
// validatePodHostNetworkDeps: with hostNetwork, a container port's hostPort
// must equal its containerPort; in a template a hostPort of 0 is allowed
// (pods get it defaulted).
func validateHostNetworkPorts(s *PodSpec, p *field.Path, isPod bool) field.ErrorList {
	if !s.HostNetwork {
		return nil
	}
	var errs field.ErrorList
	cp := p.Child("containers")
	for i, c := range s.Containers {
		for j, port := range c.Ports {
			if (isPod || port.HostPort != 0) && port.HostPort != port.ContainerPort {
				errs = append(errs, field.Invalid(cp.Index(i).Child("ports").Index(j).Child("hostPort"), port.HostPort, "must match `containerPort` when `hostNetwork` is true"))
			}
		}
	}
	return errs
}

// validateAffinity mirrors core validation's validateNodeAffinity; pod
// affinity and anti-affinity are opaque to the simulator.
func validateAffinity(a *Affinity, p *field.Path) field.ErrorList {
	if a == nil || a.NodeAffinity == nil {
		return nil
	}
	na := a.NodeAffinity
	np := p.Child("nodeAffinity")
	var errs field.ErrorList
	if na.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		errs = append(errs, selector.ValidateNodeSelector(na.RequiredDuringSchedulingIgnoredDuringExecution, np.Child("requiredDuringSchedulingIgnoredDuringExecution"))...)
	}
	pp := np.Child("preferredDuringSchedulingIgnoredDuringExecution")
	for i, t := range na.PreferredDuringSchedulingIgnoredDuringExecution {
		if t.Weight <= 0 || t.Weight > 100 {
			errs = append(errs, field.Invalid(pp.Index(i).Child("weight"), t.Weight, "must be in the range 1-100"))
		}
		errs = append(errs, validatePreferredTerm(t.Preference, pp.Index(i).Child("preference"))...)
	}
	return errs
}

// validatePreferredTerm mirrors ValidateNodeSelectorTerm with invalid label
// values allowed, as upstream validates preferred terms.
func validatePreferredTerm(term selector.NodeSelectorTerm, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for j, r := range term.MatchExpressions {
		ep := p.Child("matchExpressions").Index(j)
		switch r.Operator {
		case selector.NodeSelectorOpIn, selector.NodeSelectorOpNotIn:
			if len(r.Values) == 0 {
				errs = append(errs, field.Required(ep.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case selector.NodeSelectorOpExists, selector.NodeSelectorOpDoesNotExist:
			if len(r.Values) > 0 {
				errs = append(errs, field.Forbidden(ep.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		case selector.NodeSelectorOpGt, selector.NodeSelectorOpLt:
			if len(r.Values) != 1 {
				errs = append(errs, field.Required(ep.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
			}
		default:
			errs = append(errs, field.Invalid(ep.Child("operator"), string(r.Operator), "not a valid selector operator"))
		}
		errs = append(errs, selector.ValidateLabelName(r.Key, ep.Child("key"))...)
	}
	for j, r := range term.MatchFields {
		fp := p.Child("matchFields").Index(j)
		switch r.Operator {
		case selector.NodeSelectorOpIn, selector.NodeSelectorOpNotIn:
			if len(r.Values) != 1 {
				errs = append(errs, field.Required(fp.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
			}
		default:
			errs = append(errs, field.Invalid(fp.Child("operator"), string(r.Operator), "not a valid selector operator"))
		}
		if r.Key != selector.ObjectNameField {
			errs = append(errs, field.Invalid(fp.Child("key"), r.Key, "not a valid field selector key"))
			continue
		}
		for i, v := range r.Values {
			for _, msg := range NameIsDNSSubdomain(v, false) {
				errs = append(errs, field.Invalid(fp.Child("values").Index(i), v, msg))
			}
		}
	}
	return errs
}

// Resources.

// The resource names the API server knows without a domain prefix
// (helper.IsStandardResourceName), and those a container may request.
var (
	standardResources = map[ResourceName]bool{
		"cpu": true, "memory": true, "ephemeral-storage": true,
		"requests.cpu": true, "requests.memory": true, "requests.ephemeral-storage": true,
		"limits.cpu": true, "limits.memory": true, "limits.ephemeral-storage": true,
		"pods": true, "services": true, "replicationcontrollers": true, "resourcequotas": true,
		"secrets": true, "configmaps": true, "persistentvolumeclaims": true, "storage": true,
		"requests.storage": true, "services.nodeports": true, "services.loadbalancers": true,
	}
	standardContainerResources = map[ResourceName]bool{"cpu": true, "memory": true, "ephemeral-storage": true}
	integerResources           = map[ResourceName]bool{
		"pods": true, "services": true, "replicationcontrollers": true, "resourcequotas": true,
		"secrets": true, "configmaps": true, "persistentvolumeclaims": true,
		"services.nodeports": true, "services.loadbalancers": true,
	}
)

const hugePagesPrefix = "hugepages-"

func isHugePages(n ResourceName) bool { return strings.HasPrefix(string(n), hugePagesPrefix) }

// isNativeResource mirrors helper.IsNativeResource: no domain, or a
// kubernetes.io one.
func isNativeResource(n ResourceName) bool {
	return !strings.Contains(string(n), "/") || strings.Contains(string(n), "kubernetes.io/")
}

// isExtendedResource mirrors helper.IsExtendedResourceName.
func isExtendedResource(n ResourceName) bool {
	if isNativeResource(n) || strings.HasPrefix(string(n), "requests.") {
		return false
	}
	return len(selector.IsQualifiedName("requests."+string(n))) == 0
}

func isStandardResource(n ResourceName) bool {
	return standardResources[n] || isHugePages(n) || strings.HasPrefix(string(n), "requests."+hugePagesPrefix)
}

// validateContainerResourceName mirrors core validation's
// validateContainerResourceName, including its double report of an
// unknown unprefixed name.
func validateContainerResourceName(n ResourceName, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range selector.IsQualifiedName(string(n)) {
		errs = append(errs, field.Invalid(p, string(n), msg))
	}
	if len(errs) == 0 && !strings.Contains(string(n), "/") && !isStandardResource(n) {
		errs = append(errs, field.Invalid(p, string(n), "must be a standard resource type or fully qualified"))
	}
	if !strings.Contains(string(n), "/") {
		if !standardContainerResources[n] && !isHugePages(n) {
			errs = append(errs, field.Invalid(p, string(n), "must be a standard resource for containers"))
		}
	} else if !isNativeResource(n) && !isExtendedResource(n) {
		errs = append(errs, field.Invalid(p, string(n), "doesn't follow extended resource name standard"))
	}
	return errs
}

// validateResourceQuantity mirrors core validation's
// ValidateResourceQuantityValue.
func validateResourceQuantity(n ResourceName, q Quantity, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if q.MilliValue() < 0 {
		errs = append(errs, field.Invalid(p, q.String(), isNegativeErrorMsg))
	}
	if (integerResources[n] || isExtendedResource(n)) && q.MilliValue()%1000 != 0 {
		errs = append(errs, field.Invalid(p, q.String(), isNotIntegerErrorMsg))
	}
	return errs
}

// hugePageError mirrors validateResourceQuantityHugePageValue: the
// quantity must be a whole number of pages of the size the name gives.
func hugePageError(n ResourceName, q Quantity) string {
	size, err := ParseQuantity(strings.TrimPrefix(string(n), hugePagesPrefix))
	if err != nil || size.MilliValue() <= 0 || size.MilliValue()%1000 != 0 || q.Value()%size.Value() != 0 {
		return fmt.Sprintf("%s is not positive integer multiple of %s", q.String(), n)
	}
	return ""
}

// validateResourceRequirements mirrors core validation's
// validateResourceRequirements for containers, in resource-name order.
func validateResourceRequirements(r *ResourceRequirements, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	limPath, reqPath := p.Child("limits"), p.Child("requests")
	cpuOrMemory, hugePages := false, false
	for _, n := range slices.Sorted(maps.Keys(r.Limits)) {
		q := r.Limits[n]
		fp := limPath.Key(string(n))
		errs = append(errs, validateContainerResourceName(n, fp)...)
		errs = append(errs, validateResourceQuantity(n, q, fp)...)
		if isHugePages(n) {
			hugePages = true
			if msg := hugePageError(n, q); msg != "" {
				errs = append(errs, field.Invalid(fp, q.String(), msg))
			}
		}
		cpuOrMemory = cpuOrMemory || n == ResourceCPU || n == ResourceMemory
	}
	for _, n := range slices.Sorted(maps.Keys(r.Requests)) {
		q := r.Requests[n]
		fp := reqPath.Key(string(n))
		errs = append(errs, validateContainerResourceName(n, fp)...)
		errs = append(errs, validateResourceQuantity(n, q, fp)...)
		overcommit := isNativeResource(n) && !isHugePages(n)
		if lim, ok := r.Limits[n]; ok {
			switch {
			case q.MilliValue() != lim.MilliValue() && !overcommit:
				errs = append(errs, field.Invalid(reqPath, q.String(), fmt.Sprintf("must be equal to %s limit of %s", n, lim.String())))
			case q.MilliValue() > lim.MilliValue():
				errs = append(errs, field.Invalid(reqPath, q.String(), fmt.Sprintf("must be less than or equal to %s limit of %s", n, lim.String())))
			}
		} else if !overcommit {
			errs = append(errs, field.Required(limPath, "Limit must be set for non overcommitable resources"))
		}
		if isHugePages(n) {
			hugePages = true
			if msg := hugePageError(n, q); msg != "" {
				errs = append(errs, field.Invalid(fp, q.String(), msg))
			}
		}
		cpuOrMemory = cpuOrMemory || n == ResourceCPU || n == ResourceMemory
	}
	if hugePages && !cpuOrMemory {
		errs = append(errs, field.Forbidden(p, "HugePages require cpu or memory"))
	}
	return errs
}

// Pods.

// ValidatePodCreate validates a pod being created, as core validation's
// ValidatePodCreate does: its metadata (name a DNS-1123 subdomain,
// namespace required), pod-specific annotations, its spec as a pod's spec
// (with hostNetwork, hostPort must equal containerPort), and container
// images without surrounding whitespace.
func ValidatePodCreate(pod *Pod) field.ErrorList {
	return validatePodMetadataAndSpec(pod)
}

func validatePodMetadataAndSpec(pod *Pod) field.ErrorList {
	mp, sp := field.NewPath("metadata"), field.NewPath("spec")
	errs := ValidateObjectMeta(&pod.ObjectMeta, true, NameIsDNSSubdomain, mp)
	errs = append(errs, validatePodSpecificAnnotations(pod.Annotations, &pod.Spec, mp.Child("annotations"))...)
	errs = append(errs, validatePodSpec(&pod.Spec, sp, true)...)
	errs = append(errs, validateImageWhitespace(pod.Spec.Containers, sp.Child("containers"))...)
	errs = append(errs, validateImageWhitespace(pod.Spec.InitContainers, sp.Child("initContainers"))...)
	return errs
}

func validateImageWhitespace(cs []Container, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, c := range cs {
		if len(strings.TrimSpace(c.Image)) != len(c.Image) {
			errs = append(errs, field.Invalid(p.Index(i).Child("image"), c.Image, "must not have leading or trailing whitespace"))
		}
	}
	return errs
}

// updatablePodSpecFields is how upstream lists what a pod update may change.
var updatablePodSpecFields = []string{
	"`spec.containers[*].image`",
	"`spec.initContainers[*].image`",
	"`spec.activeDeadlineSeconds`",
	"`spec.tolerations` (only additions to existing tolerations)",
	"`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
}

// ValidatePodUpdate validates an update of a pod, as core validation's
// ValidatePodUpdate does: the metadata update rules, the new pod as on
// create, no containers added or removed, activeDeadlineSeconds only set
// or lowered, tolerations only added (or their tolerationSeconds changed),
// and nothing else in the spec changed but container images. The last
// rule's error is
//
//	spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,…
//
// followed, as upstream, by a newline and a description of the
// difference. Upstream prints go-cmp's diff of its internal core.PodSpec,
// whose text go-cmp deliberately varies between runs; this prints a
// deterministic diff in a similar layout instead: unchanged runs of
// fields as "... // N identical fields", each changed PodSpec field as a
// "-" line (old) and a "+" line (new) with JSON values.
func ValidatePodUpdate(pod, old *Pod) field.ErrorList {
	mp, sp := field.NewPath("metadata"), field.NewPath("spec")
	errs := ValidateObjectMetaUpdate(&pod.ObjectMeta, &old.ObjectMeta, mp)
	errs = append(errs, validatePodMetadataAndSpec(pod)...)
	errs = append(errs, validatePodAnnotationUpdates(pod, old, mp.Child("annotations"))...)

	cerrs, stop := validateContainerUpdates(pod.Spec.Containers, old.Spec.Containers, sp.Child("containers"))
	errs = append(errs, cerrs...)
	if stop {
		return errs
	}
	cerrs, stop = validateContainerUpdates(pod.Spec.InitContainers, old.Spec.InitContainers, sp.Child("initContainers"))
	errs = append(errs, cerrs...)
	if stop {
		return errs
	}
	if pod.Spec.ActiveDeadlineSeconds != nil {
		v := *pod.Spec.ActiveDeadlineSeconds
		if v < 0 || v > math.MaxInt32 {
			return append(errs, field.Invalid(sp.Child("activeDeadlineSeconds"), v, inclusiveRangeError(0, math.MaxInt32)))
		}
		if old.Spec.ActiveDeadlineSeconds != nil && *old.Spec.ActiveDeadlineSeconds < v {
			return append(errs, field.Invalid(sp.Child("activeDeadlineSeconds"), v, "must be less than or equal to previous value"))
		}
	} else if old.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Invalid(sp.Child("activeDeadlineSeconds"), nil, "must not update from a positive integer to nil value"))
	}
	errs = append(errs, validateOnlyAddedTolerations(pod.Spec.Tolerations, old.Spec.Tolerations, sp.Child("tolerations"))...)
	if SemanticEqual(pod.Spec, old.Spec) {
		return errs
	}
	munged := pod.Spec
	munged.Containers = withImagesOf(pod.Spec.Containers, old.Spec.Containers)
	munged.InitContainers = withImagesOf(pod.Spec.InitContainers, old.Spec.InitContainers)
	munged.ActiveDeadlineSeconds = old.Spec.ActiveDeadlineSeconds
	munged.Tolerations = old.Spec.Tolerations
	if g := old.Spec.TerminationGracePeriodSeconds; g != nil && *g < 0 && munged.TerminationGracePeriodSeconds != nil && *munged.TerminationGracePeriodSeconds == 1 {
		munged.TerminationGracePeriodSeconds = g
	}
	if !SemanticEqual(munged, old.Spec) {
		errs = append(errs, field.Forbidden(sp, "pod updates may not change fields other than "+
			strings.Join(updatablePodSpecFields, ",")+"\n"+describeSpecDiff(&old.Spec, &munged)))
	}
	return errs
}

// withImagesOf returns a copy of cs with the images of old (which has as
// many containers).
func withImagesOf(cs, old []Container) []Container {
	if cs == nil {
		return nil
	}
	out := slices.Clone(cs)
	for i := range out {
		out[i].Image = old[i].Image
	}
	return out
}

// validatePodAnnotationUpdates mirrors ValidatePodSpecificAnnotationUpdates.
func validatePodAnnotationUpdates(pod, old *Pod, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range slices.Sorted(maps.Keys(old.Annotations)) {
		if v, ok := pod.Annotations[k]; ok && v == old.Annotations[k] {
			continue
		}
		if strings.HasPrefix(k, appArmorContainerPrefix) {
			errs = append(errs, field.Forbidden(p.Key(k), "may not remove or update AppArmor annotations"))
		}
		if k == mirrorPodAnnotation {
			errs = append(errs, field.Forbidden(p.Key(k), "may not remove or update mirror pod annotation"))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(pod.Annotations)) {
		if _, ok := old.Annotations[k]; ok {
			continue
		}
		if strings.HasPrefix(k, appArmorContainerPrefix) {
			errs = append(errs, field.Forbidden(p.Key(k), "may not add AppArmor annotations"))
		}
		if k == mirrorPodAnnotation {
			errs = append(errs, field.Forbidden(p.Key(k), "may not add mirror pod annotation"))
		}
	}
	return append(errs, validatePodSpecificAnnotations(pod.Annotations, &pod.Spec, p)...)
}

// validateContainerUpdates mirrors core validation's
// ValidateContainerUpdates; stop reports that the container list changed
// length and validation must end.
func validateContainerUpdates(cs, old []Container, p *field.Path) (errs field.ErrorList, stop bool) {
	if len(cs) != len(old) {
		return field.ErrorList{field.Forbidden(p, "pod updates may not add or remove containers")}, true
	}
	for i, c := range cs {
		if c.Image == "" {
			errs = append(errs, field.Required(p.Index(i).Child("image"), ""))
		}
		if len(strings.TrimSpace(c.Image)) != len(c.Image) {
			errs = append(errs, field.Invalid(p.Index(i).Child("image"), c.Image, "must not have leading or trailing whitespace"))
		}
	}
	return errs, false
}

// validateOnlyAddedTolerations mirrors core validation's
// validateOnlyAddedTolerations.
func validateOnlyAddedTolerations(tols, old []taints.Toleration, p *field.Path) field.ErrorList {
	for _, o := range old {
		found := slices.ContainsFunc(tols, func(t taints.Toleration) bool { return o.MatchToleration(&t) })
		if !found {
			return field.ErrorList{field.Forbidden(p, "existing toleration can not be modified except its tolerationSeconds")}
		}
	}
	return taints.ValidateTolerations(tols, p)
}

// describeSpecDiff renders the PodSpec fields that differ between old and
// cur in the layout of go-cmp's reports (with spaces where go-cmp puts a
// tab): unchanged runs of fields are summarised, changed ones shown as "-"
// (old) and "+" (new) lines with JSON values. The text is deterministic.
func describeSpecDiff(old, cur *PodSpec) string {
	var b strings.Builder
	b.WriteString("  core.PodSpec{\n")
	ov, cv := reflect.ValueOf(old).Elem(), reflect.ValueOf(cur).Elem()
	t := ov.Type()
	same := 0
	flush := func() {
		if same > 0 {
			fmt.Fprintf(&b, "    ... // %d identical fields\n", same)
			same = 0
		}
	}
	for i := 0; i < t.NumField(); i++ {
		a, c := ov.Field(i).Interface(), cv.Field(i).Interface()
		if SemanticEqual(a, c) {
			same++
			continue
		}
		flush()
		fmt.Fprintf(&b, "-   %s: %s,\n", t.Field(i).Name, diffValue(a))
		fmt.Fprintf(&b, "+   %s: %s,\n", t.Field(i).Name, diffValue(c))
	}
	flush()
	b.WriteString("  }\n")
	return b.String()
}

func diffValue(v any) string {
	rv := reflect.ValueOf(v)
	if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.IsNil() {
		return "nil"
	}
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(out)
}

// Validate validates a pod being created (old nil) or updated, for the
// simulated API server: [ValidatePodCreate] or [ValidatePodUpdate].
func (p *Pod) Validate(old Object, _ Profile) field.ErrorList {
	if old == nil {
		return ValidatePodCreate(p)
	}
	return ValidatePodUpdate(p, old.(*Pod))
}

// Nodes.

// ValidateNode validates a node being created, as core validation's
// ValidateNode does: its metadata (cluster-scoped, name a DNS-1123
// subdomain), the legacy taints annotation, its taints ([taints.ValidateTaints];
// upstream reports them under metadata.taints, and so does this), the
// capacity and allocatable quantities (non-negative, whole numbers for
// countable resources) and its podCIDR.
func ValidateNode(n *Node) field.ErrorList {
	mp := field.NewPath("metadata")
	errs := ValidateObjectMeta(&n.ObjectMeta, false, NameIsDNSSubdomain, mp)
	errs = append(errs, validateNodeAnnotations(n.Annotations, mp.Child("annotations"))...)
	if len(n.Spec.Taints) > 0 {
		errs = append(errs, taints.ValidateTaints(n.Spec.Taints, mp.Child("taints"))...)
	}
	errs = append(errs, validateNodeResources(n)...)
	if n.Spec.PodCIDR != "" && !validCIDR(n.Spec.PodCIDR) {
		errs = append(errs, field.Invalid(field.NewPath("spec", "podCIDRs").Index(0), n.Spec.PodCIDR, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
	}
	return errs
}

// ValidateNodeUpdate validates an update of a node, as core validation's
// ValidateNodeUpdate does: the metadata update rules, the taints and
// resources as on create, no duplicate addresses, and podCIDR and
// providerID changeable only from "".
func ValidateNodeUpdate(n, old *Node) field.ErrorList {
	mp := field.NewPath("metadata")
	errs := ValidateObjectMetaUpdate(&n.ObjectMeta, &old.ObjectMeta, mp)
	errs = append(errs, validateNodeAnnotations(n.Annotations, mp.Child("annotations"))...)
	errs = append(errs, validateNodeResources(n)...)
	type internalNodeAddress struct{ Type, Address string } // printed as upstream's internal type
	seen := map[NodeAddress]bool{}
	for i, a := range n.Status.Addresses {
		if seen[a] {
			errs = append(errs, field.Duplicate(field.NewPath("status", "addresses").Index(i), internalNodeAddress(a)))
		}
		seen[a] = true
	}
	if old.Spec.PodCIDR != "" && old.Spec.PodCIDR != n.Spec.PodCIDR {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"))
	}
	if old.Spec.ProviderID != "" && old.Spec.ProviderID != n.Spec.ProviderID {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"))
	}
	if len(n.Spec.Taints) > 0 {
		errs = append(errs, taints.ValidateTaints(n.Spec.Taints, mp.Child("taints"))...)
	}
	return errs
}

// validateNodeAnnotations mirrors ValidateNodeSpecificAnnotations for the
// legacy taints annotation (the preferAvoidPods one is not simulated).
func validateNodeAnnotations(annotations map[string]string, p *field.Path) field.ErrorList {
	v := annotations[taintsAnnotation]
	if v == "" {
		return nil
	}
	var ts []taints.Taint
	if err := json.Unmarshal([]byte(v), &ts); err != nil {
		return field.ErrorList{field.Invalid(p, taintsAnnotation, err.Error())}
	}
	if len(ts) == 0 {
		return nil
	}
	return taints.ValidateTaints(ts, p.Child(taintsAnnotation))
}

func validateNodeResources(n *Node) field.ErrorList {
	var errs field.ErrorList
	for _, part := range []struct {
		name string
		rl   ResourceList
	}{{"capacity", n.Status.Capacity}, {"allocatable", n.Status.Allocatable}} {
		for _, k := range slices.Sorted(maps.Keys(part.rl)) {
			errs = append(errs, validateResourceQuantity(k, part.rl[k], field.NewPath("status", part.name, string(k)))...)
		}
	}
	return errs
}

// validCIDR mirrors netutils.ParseCIDRSloppy, which, unlike net.ParseCIDR,
// accepts leading zeros in IPv4 octets.
func validCIDR(s string) bool {
	addr, bits, ok := strings.Cut(s, "/")
	if !ok {
		return false
	}
	if strings.Count(addr, ".") == 3 && !strings.Contains(addr, ":") {
		octets := strings.Split(addr, ".")
		for i, o := range octets {
			trimmed := strings.TrimLeft(o, "0")
			if trimmed == "" && o != "" {
				trimmed = "0"
			}
			octets[i] = trimmed
		}
		addr = strings.Join(octets, ".")
	}
	_, _, err := net.ParseCIDR(addr + "/" + bits)
	return err == nil
}

// Validate validates a node being created (old nil) or updated, for the
// simulated API server: [ValidateNode] or [ValidateNodeUpdate].
func (n *Node) Validate(old Object, _ Profile) field.ErrorList {
	if old == nil {
		return ValidateNode(n)
	}
	return ValidateNodeUpdate(n, old.(*Node))
}

// Semantic equality.

var (
	quantityType = reflect.TypeFor[Quantity]()
	timeType     = reflect.TypeFor[time.Time]()
	opaqueType   = reflect.TypeFor[Opaque]()
)

// SemanticEqual reports whether a and b are equal as the API server's
// apiequality.Semantic.DeepEqual sees them: like reflect.DeepEqual, except
// that a nil and an empty slice or map are equal, quantities compare by
// value ("1000m" equals "1"), times by instant, and opaque JSON by its
// compact form.
func SemanticEqual(a, b any) bool {
	return semanticEqual(reflect.ValueOf(a), reflect.ValueOf(b))
}

func semanticEqual(a, b reflect.Value) bool {
	if !a.IsValid() || !b.IsValid() {
		return a.IsValid() == b.IsValid()
	}
	if a.Type() != b.Type() {
		return false
	}
	if a.CanInterface() {
		switch a.Type() {
		case quantityType:
			return a.Interface().(Quantity).MilliValue() == b.Interface().(Quantity).MilliValue()
		case timeType:
			return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
		case opaqueType:
			return opaqueEqual(a.Interface().(Opaque), b.Interface().(Opaque))
		}
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return semanticEqual(a.Elem(), b.Elem())
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !semanticEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		iter := a.MapRange()
		for iter.Next() {
			bv := b.MapIndex(iter.Key())
			if !bv.IsValid() || !semanticEqual(iter.Value(), bv) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !semanticEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	}
	// Funcs, channels and unsafe pointers never appear in API objects.
	return false
}

// opaqueEqual compares two opaque JSON values: null, absent and empty are
// equal; otherwise the values are equal when they decode to equal values.
func opaqueEqual(a, b Opaque) bool {
	if !isSet(a) || !isSet(b) {
		return isSet(a) == isSet(b)
	}
	if string(a) == string(b) {
		return true
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
