package scenario

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/selector"
)

// runner runs the steps of one file on one environment.
type runner struct {
	env *Env
}

// action is a parsed step: it runs the step and returns the text the
// step prints besides its log records (a show rendering, say).
type action = func(r *runner) (string, error)

// verb parses the argument of verb.
func (p *parser) verb(verb string, arg *yaml.Node) (action, error) {
	arg = resolveAlias(arg)
	switch verb {
	case "apply":
		return p.apply(arg, false)
	case "load":
		return p.apply(arg, true)
	case "delete":
		return p.delete(arg)
	case "label":
		return p.label(arg)
	case "taint":
		return p.taint(arg)
	case "cordon", "uncordon", "disconnect", "reconnect":
		return p.nodeVerb(verb, arg)
	case "podStatus":
		return p.podStatus(arg)
	case "settle":
		if !isNull(arg) {
			return nil, p.errorf(arg, "settle takes no argument, got %s", describeNode(arg))
		}
		return func(r *runner) (string, error) { return "", r.env.Settle() }, nil
	case "advance":
		d, err := p.duration(arg, "advance")
		if err != nil {
			return nil, err
		}
		return func(r *runner) (string, error) { return "", r.env.Advance(d) }, nil
	case "show":
		return p.show(arg)
	case "whatif":
		return p.whatif(arg)
	case "staticPod":
		return p.staticPod(arg)
	case "rollback":
		return p.rollback(arg)
	case "lookup":
		return p.lookup(arg)
	}
	return nil, p.errorf(arg, "unknown verb %q", verb)
}

// apply parses the manifests of apply, or of load, which stores them as
// they are (Cluster.Load: uid, timestamps, owner references and status
// kept; defaulted but not validated), as a snapshot of an existing
// cluster would be.
func (p *parser) apply(arg *yaml.Node, load bool) (action, error) {
	verb := "apply"
	if load {
		verb = "load"
	}
	if isNull(arg) || (arg.Kind != yaml.MappingNode && arg.Kind != yaml.SequenceNode) {
		return nil, p.errorf(arg, "%s: want a manifest or a list of manifests, got %s", verb, describeNode(arg))
	}
	d := &decoder{file: p.file, cv: p.cv}
	var objs []cluster.Object
	items := []*yaml.Node{arg}
	if arg.Kind == yaml.SequenceNode {
		items = arg.Content
	}
	for _, item := range items {
		item, err := p.cv.deref(item)
		if err != nil {
			return nil, err
		}
		if err := d.manifest(item, "", "", &objs); err != nil {
			return nil, err
		}
	}
	if len(objs) == 0 {
		return nil, p.errorf(arg, "%s: no manifests", verb)
	}
	if load {
		return func(r *runner) (string, error) { return "", r.env.Load(objs...) }, nil
	}
	return func(r *runner) (string, error) { return "", r.env.Apply(objs...) }, nil
}

// parsePropagation parses a cascade value as kubectl's --cascade.
func parsePropagation(s string) (cluster.Propagation, error) {
	switch s {
	case "background":
		return cluster.DeletePropagationBackground, nil
	case "foreground":
		return cluster.DeletePropagationForeground, nil
	case "orphan":
		return cluster.DeletePropagationOrphan, nil
	}
	return "", fmt.Errorf("cascade %q not supported; use background, foreground or orphan", s)
}

var deleteKeys = []string{"object", "cascade", "gracePeriod", "kind", "selector", "node", "namespace"}

func (p *parser) delete(arg *yaml.Node) (action, error) {
	if arg.Kind == yaml.ScalarNode && !isNull(arg) {
		s, err := p.str(arg, "delete")
		if err != nil {
			return nil, err
		}
		ref, err := ParseRef(s)
		if err != nil {
			return nil, p.errorf(arg, "delete: %v", err)
		}
		return func(r *runner) (string, error) { return "", r.env.Delete(ref, cluster.DeleteOptions{}) }, nil
	}
	if arg.Kind != yaml.MappingNode {
		return nil, p.errorf(arg, "delete: want Kind/name or a mapping, got %s", describeNode(arg))
	}
	ps, err := p.keys(arg, "delete", deleteKeys)
	if err != nil {
		return nil, err
	}
	var (
		opts               cluster.DeleteOptions
		ref                cluster.Ref
		hasObject, hasKind bool
		kind               cluster.Kind
		namespaced         bool
		sel                selector.Selector
		hasSel             bool
		node, namespace    string
		nodeNode, nsNode   *yaml.Node
	)
	for _, kv := range ps {
		what := "delete." + kv.key
		switch kv.key {
		case "object":
			s, err := p.str(kv.value, what)
			if err != nil {
				return nil, err
			}
			if ref, err = ParseRef(s); err != nil {
				return nil, p.errorf(kv.value, "%s: %v", what, err)
			}
			hasObject = true
		case "cascade":
			s, err := p.str(kv.value, what)
			if err != nil {
				return nil, err
			}
			if opts.Propagation, err = parsePropagation(s); err != nil {
				return nil, p.errorf(kv.value, "%v", err)
			}
		case "gracePeriod":
			v, err := p.integer(kv.value, what)
			if err != nil {
				return nil, err
			}
			if v < 0 {
				return nil, p.errorf(kv.value, "%s: must not be negative, got %d", what, v)
			}
			opts.GracePeriod = &v
		case "kind":
			s, err := p.str(kv.value, what)
			if err != nil {
				return nil, err
			}
			if kind, namespaced, err = ParseKind(s); err != nil {
				return nil, p.errorf(kv.value, "%s: %v", what, err)
			}
			hasKind = true
		case "selector":
			s, err := p.str(kv.value, what)
			if err != nil {
				return nil, err
			}
			if sel, err = selector.Parse(s); err != nil {
				return nil, p.errorf(kv.value, "%s: %v", what, err)
			}
			hasSel = true
		case "node":
			if node, err = p.str(kv.value, what); err != nil {
				return nil, err
			}
			nodeNode = kv.value
		case "namespace":
			if namespace, err = p.str(kv.value, what); err != nil {
				return nil, err
			}
			nsNode = kv.value
		}
	}
	switch {
	case hasObject && (hasKind || hasSel || nodeNode != nil || nsNode != nil):
		return nil, p.errorf(arg, "delete: object excludes kind, selector, node and namespace")
	case hasObject:
		return func(r *runner) (string, error) { return "", r.env.Delete(ref, opts) }, nil
	case !hasKind:
		return nil, p.errorf(arg, "delete: want object, or kind with selector or node")
	case !hasSel && nodeNode == nil:
		return nil, p.errorf(arg, "delete: kind %s needs a selector or a node", kind)
	case nodeNode != nil && kind != cluster.KindPod:
		return nil, p.errorf(nodeNode, "delete.node: only pods have a node, not %s", kind)
	case nsNode != nil && !namespaced:
		return nil, p.errorf(nsNode, "delete.namespace: %s is not namespaced", kind)
	}
	if namespaced && namespace == "" {
		namespace = "default"
	}
	return func(r *runner) (string, error) {
		var refs []cluster.Ref
		for o := range r.env.List(kind, namespace) {
			m := o.Meta()
			if !sel.Matches(selector.Set(m.Labels)) {
				continue
			}
			if node != "" && o.(*cluster.Pod).Spec.NodeName != node {
				continue
			}
			refs = append(refs, cluster.RefOf(o))
		}
		if len(refs) == 0 {
			return "", noResourcesError{namespace}
		}
		for _, ref := range refs {
			if err := r.env.Delete(ref, opts); err != nil {
				return "", err
			}
		}
		return "", nil
	}, nil
}

func (p *parser) label(arg *yaml.Node) (action, error) {
	s, err := p.str(arg, "label")
	if err != nil {
		return nil, err
	}
	fields := strings.Fields(s)
	if len(fields) < 2 {
		return nil, p.errorf(arg, "label: want Kind/name and at least one key=value or key-, got %q", s)
	}
	ref, err := ParseRef(fields[0])
	if err != nil {
		return nil, p.errorf(arg, "label: %v", err)
	}
	changes := fields[1:]
	return func(r *runner) (string, error) { return "", r.env.Label(ref, changes...) }, nil
}

// nodeName parses a node given as "name", "Node/name" or "node/name".
func nodeName(s string) (string, error) {
	if !strings.Contains(s, "/") {
		if s == "" {
			return "", fmt.Errorf("empty node name")
		}
		return s, nil
	}
	ref, err := ParseRef(s)
	if err != nil {
		return "", err
	}
	if ref.Kind != cluster.KindNode {
		return "", fmt.Errorf("%q is not a node", s)
	}
	return ref.Name, nil
}

func (p *parser) taint(arg *yaml.Node) (action, error) {
	s, err := p.str(arg, "taint")
	if err != nil {
		return nil, err
	}
	fields := strings.Fields(s)
	if len(fields) < 2 {
		return nil, p.errorf(arg, "taint: want a node and at least one taint (key=value:Effect, key:Effect- or key-), got %q", s)
	}
	node, err := nodeName(fields[0])
	if err != nil {
		return nil, p.errorf(arg, "taint: %v", err)
	}
	changes := fields[1:]
	return func(r *runner) (string, error) { return "", r.env.Taint(node, changes...) }, nil
}

func (p *parser) nodeVerb(verb string, arg *yaml.Node) (action, error) {
	s, err := p.str(arg, verb)
	if err != nil {
		return nil, err
	}
	node, err := nodeName(strings.TrimSpace(s))
	if err != nil {
		return nil, p.errorf(arg, "%s: %v", verb, err)
	}
	return func(r *runner) (string, error) {
		switch verb {
		case "cordon":
			return "", r.env.Cordon(node)
		case "uncordon":
			return "", r.env.Uncordon(node)
		case "disconnect":
			return "", r.env.Disconnect(node)
		}
		return "", r.env.Reconnect(node)
	}, nil
}

var podStatusKeys = []string{"selector", "node", "phase", "ready"}

func (p *parser) podStatus(arg *yaml.Node) (action, error) {
	ps, err := p.keys(arg, "podStatus", podStatusKeys)
	if err != nil {
		return nil, err
	}
	var rep cluster.StatusReport
	for _, kv := range ps {
		what := "podStatus." + kv.key
		switch kv.key {
		case "selector":
			s, err := p.str(kv.value, what)
			if err != nil {
				return nil, err
			}
			if rep.Selector, err = selector.Parse(s); err != nil {
				return nil, p.errorf(kv.value, "%s: %v", what, err)
			}
		case "node":
			if rep.Node, err = p.str(kv.value, what); err != nil {
				return nil, err
			}
		case "phase":
			s, err := p.str(kv.value, what)
			if err != nil {
				return nil, err
			}
			switch ph := cluster.PodPhase(s); ph {
			case cluster.PodPending, cluster.PodRunning, cluster.PodSucceeded, cluster.PodFailed, cluster.PodUnknown:
				rep.Phase = ph
			default:
				return nil, p.errorf(kv.value, "%s: unknown phase %q (want Pending, Running, Succeeded, Failed or Unknown)", what, s)
			}
		case "ready":
			b, err := p.boolean(kv.value, what)
			if err != nil {
				return nil, err
			}
			rep.Ready = &b
		}
	}
	if rep.Phase == "" && rep.Ready == nil {
		return nil, p.errorf(arg, "podStatus: want phase, ready or both")
	}
	return func(r *runner) (string, error) { return "", r.env.Kubelet.Report(r.env.Cluster, rep) }, nil
}

func (p *parser) show(arg *yaml.Node) (action, error) {
	s, err := p.str(arg, "show")
	if err != nil {
		return nil, err
	}
	switch s {
	case "pods":
		return func(r *runner) (string, error) { return ShowPods(r.env.Cluster), nil }, nil
	case "nodes":
		return func(r *runner) (string, error) { return ShowNodes(r.env.Cluster), nil }, nil
	case "daemonsets":
		return func(r *runner) (string, error) { return ShowDaemonSets(r.env.Cluster), nil }, nil
	case "events":
		return func(r *runner) (string, error) { return ShowEvents(r.env.Cluster), nil }, nil
	}
	if !strings.Contains(s, "/") {
		return nil, p.errorf(arg, "show: want pods, nodes, daemonsets, events or Kind/name, got %q", s)
	}
	ref, err := ParseRef(s)
	if err != nil {
		return nil, p.errorf(arg, "show: %v", err)
	}
	return func(r *runner) (string, error) { return ShowObject(r.env.Cluster, ref) }, nil
}

func (p *parser) whatif(arg *yaml.Node) (action, error) {
	var change string
	var pos *yaml.Node
	if arg.Kind == yaml.ScalarNode {
		s, err := p.str(arg, "whatif")
		if err != nil {
			return nil, err
		}
		change, pos = s, arg
	} else {
		ps, err := p.keys(arg, "whatif", []string{"change"})
		if err != nil {
			return nil, err
		}
		for _, kv := range ps {
			if change, err = p.str(kv.value, "whatif.change"); err != nil {
				return nil, err
			}
			pos = kv.value
		}
		if pos == nil {
			return nil, p.errorf(arg, "whatif: change: required")
		}
	}
	do, err := ParseChange(change)
	if err != nil {
		return nil, p.errorf(pos, "whatif: %v", err)
	}
	return func(r *runner) (string, error) {
		rep, err := Impact(r.env, do)
		if err != nil {
			return "", err
		}
		return rep.String(), nil
	}, nil
}

func (p *parser) staticPod(arg *yaml.Node) (action, error) {
	ps, err := p.keys(arg, "staticPod", []string{"node", "manifest"})
	if err != nil {
		return nil, err
	}
	var node string
	var pod *cluster.Pod
	for _, kv := range ps {
		switch kv.key {
		case "node":
			if node, err = p.str(kv.value, "staticPod.node"); err != nil {
				return nil, err
			}
		case "manifest":
			d := &decoder{file: p.file, cv: p.cv}
			var objs []cluster.Object
			m, err := p.cv.deref(kv.value)
			if err != nil {
				return nil, err
			}
			if err := d.manifest(m, "", "", &objs); err != nil {
				return nil, err
			}
			if len(objs) != 1 {
				return nil, p.errorf(kv.value, "staticPod.manifest: want one Pod, got %d objects", len(objs))
			}
			var ok bool
			if pod, ok = objs[0].(*cluster.Pod); !ok {
				return nil, p.errorf(kv.value, "staticPod.manifest: want a Pod, got a %s", objs[0].Type().Kind)
			}
		}
	}
	if node == "" || pod == nil {
		return nil, p.errorf(arg, "staticPod: want node and manifest")
	}
	return func(r *runner) (string, error) { return "", r.env.Kubelet.AddStaticPod(r.env.Cluster, node, pod) }, nil
}

func (p *parser) rollback(arg *yaml.Node) (action, error) {
	ps, err := p.keys(arg, "rollback", []string{"daemonSet", "toRevision"})
	if err != nil {
		return nil, err
	}
	var ref cluster.Ref
	var to int64
	for _, kv := range ps {
		switch kv.key {
		case "daemonSet":
			s, err := p.str(kv.value, "rollback.daemonSet")
			if err != nil {
				return nil, err
			}
			if !strings.Contains(s, "/") {
				s = "DaemonSet/" + s
			}
			if ref, err = ParseRef(s); err != nil {
				return nil, p.errorf(kv.value, "rollback.daemonSet: %v", err)
			}
			if ref.Kind != daemonset.KindDaemonSet {
				return nil, p.errorf(kv.value, "rollback.daemonSet: %q is not a DaemonSet", s)
			}
		case "toRevision":
			if to, err = p.integer(kv.value, "rollback.toRevision"); err != nil {
				return nil, err
			}
			if to < 0 {
				return nil, p.errorf(kv.value, "rollback.toRevision: must not be negative, got %d", to)
			}
		}
	}
	if ref.Name == "" {
		return nil, p.errorf(arg, "rollback: daemonSet: required")
	}
	return func(r *runner) (string, error) {
		msg, err := daemonset.Rollback(r.env.Cluster, ref, to)
		if err != nil {
			return "", err
		}
		return "daemonset.apps/" + ref.Name + " " + msg + "\n", nil
	}, nil
}

// noResourcesError is kubectl's message for a selector that matches
// nothing: "No resources found in default namespace." (or "No resources
// found" for a cluster-scoped kind).
type noResourcesError struct{ namespace string }

func (e noResourcesError) Error() string {
	if e.namespace == "" {
		return "No resources found"
	}
	return "No resources found in " + e.namespace + " namespace."
}

// lookup parses the lookup verb, which shows how clients reach daemon
// pods (claim S18):
//
//	lookup: NAME                       DNS A records (cluster.LookupHost)
//	lookup: {hostPort: 8080, protocol: TCP}
//	                                   node IP:port of every node serving it
//	lookup: {service: NAME, namespace: NS, key: N}
//	                                   the pod a connection through the
//	                                   Service reaches, chosen by key
func (p *parser) lookup(arg *yaml.Node) (action, error) {
	arg = resolveAlias(arg)
	if arg.Kind == yaml.ScalarNode {
		name, err := p.str(arg, "lookup")
		if err != nil {
			return nil, err
		}
		return func(r *runner) (string, error) {
			addrs, err := cluster.LookupHost(r.env.View(), name)
			if err != nil {
				return "", err
			}
			var b strings.Builder
			for _, a := range addrs {
				fmt.Fprintf(&b, "%s has address %s\n", name, a)
			}
			return b.String(), nil
		}, nil
	}
	ps, err := p.keys(arg, "lookup", []string{"hostPort", "protocol", "service", "namespace", "key"})
	if err != nil {
		return nil, err
	}
	var port, key int64
	var protocol, service, namespace string
	namespace = "default"
	for _, kv := range ps {
		what := "lookup." + kv.key
		switch kv.key {
		case "hostPort", "key":
			v, err := p.integer(kv.value, what)
			if err != nil {
				return nil, err
			}
			if v < 0 || (kv.key == "hostPort" && (v == 0 || v > 65535)) {
				return nil, p.errorf(kv.value, "%s: out of range: %d", what, v)
			}
			if kv.key == "hostPort" {
				port = v
			} else {
				key = v
			}
		case "protocol":
			protocol, err = p.str(kv.value, what)
		case "service":
			service, err = p.str(kv.value, what)
		case "namespace":
			namespace, err = p.str(kv.value, what)
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case port != 0 && service == "":
		return func(r *runner) (string, error) {
			var b strings.Builder
			for _, t := range cluster.HostPortTargets(r.env.View(), int32(port), cluster.Protocol(protocol)) {
				b.WriteString(t + "\n")
			}
			if b.Len() == 0 {
				return "", fmt.Errorf("no node serves hostPort %d", port)
			}
			return b.String(), nil
		}, nil
	case service != "" && port == 0:
		return func(r *runner) (string, error) {
			ref, ip, err := cluster.ServiceBackend(r.env.View(), service, namespace, uint64(key))
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("service %s/%s reaches %s (%s)\n", namespace, service, ref, ip), nil
		}, nil
	}
	return nil, p.errorf(arg, "lookup: want a DNS name, {hostPort: N}, or {service: NAME, key: N}")
}
