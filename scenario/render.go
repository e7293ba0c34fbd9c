package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
)

// The renderings of the show verb. Each is stable: goldens depend on it,
// and changing one requires regenerating them with -update.

// ShowPods renders every pod, one line each, ordered by node (unbound pods
// first), namespace and name:
//
//	Pod/default/fluentd-b7x2k node=node-a image=fluentd:1 owner=DaemonSet/fluentd phase=Running ready=true
//
// node is "~" for an unbound pod; image lists the containers' images,
// comma-separated; owner is the controller reference (Kind/name, in the
// pod's namespace) or "none"; a pod with a deletionTimestamp ends with
// the word "terminating".
func ShowPods(c *cluster.Cluster) string {
	var pods []*cluster.Pod
	for o := range c.List(cluster.KindPod, "") {
		pods = append(pods, o.(*cluster.Pod))
	}
	slices.SortStableFunc(pods, func(a, b *cluster.Pod) int {
		return strings.Compare(a.Spec.NodeName, b.Spec.NodeName)
	})
	var b strings.Builder
	for _, p := range pods {
		b.WriteString(PodLine(p))
		b.WriteByte('\n')
	}
	return b.String()
}

// PodLine renders one pod as [ShowPods] does.
func PodLine(p *cluster.Pod) string {
	var b strings.Builder
	b.WriteString(cluster.RefOf(p).String())
	b.WriteString(" node=")
	if p.Spec.NodeName == "" {
		b.WriteString("~")
	} else {
		b.WriteString(p.Spec.NodeName)
	}
	b.WriteString(" image=")
	for i, ctr := range p.Spec.Containers {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(ctr.Image)
	}
	b.WriteString(" owner=")
	b.WriteString(ownerOf(&p.ObjectMeta))
	b.WriteByte(' ')
	b.WriteString(cluster.DescribePodStatus(p))
	if p.Terminating() {
		b.WriteString(" terminating")
	}
	return b.String()
}

// ownerOf renders an object's controller reference as "Kind/name", or
// "none".
func ownerOf(m *cluster.ObjectMeta) string {
	if r := m.ControllerRef(); r != nil {
		return r.Kind + "/" + r.Name
	}
	return "none"
}

// ShowNodes renders every node, one line each, ordered by name:
//
//	Node/node-a labels=disk=ssd,zone=a taints=dedicated=gpu:NoSchedule unschedulable=false ready=True
//
// Labels are ordered by key; labels and taints read "<none>" when there
// are none; ready is the status of the Ready condition ("Unknown" when
// the node has none).
func ShowNodes(c *cluster.Cluster) string {
	var b strings.Builder
	for o := range c.List(cluster.KindNode, "") {
		n := o.(*cluster.Node)
		b.WriteString(cluster.RefOf(n).String())
		b.WriteString(" labels=")
		if len(n.Labels) == 0 {
			b.WriteString("<none>")
		}
		for i, k := range slices.Sorted(maps.Keys(n.Labels)) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(n.Labels[k])
		}
		b.WriteString(" taints=")
		if len(n.Spec.Taints) == 0 {
			b.WriteString("<none>")
		}
		for i, t := range n.Spec.Taints {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(t.String())
		}
		b.WriteString(" unschedulable=")
		b.WriteString(strconv.FormatBool(n.Spec.Unschedulable))
		b.WriteString(" ready=")
		if c := n.Condition(cluster.NodeReady); c != nil {
			b.WriteString(string(c.Status))
		} else {
			b.WriteString(string(cluster.ConditionUnknown))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ShowDaemonSets renders every DaemonSet, one line each, ordered by
// namespace and name: its reference, its status counters as
// [daemonset.DescribeStatus] renders them, and its update strategy:
//
//	DaemonSet/default/fluentd desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0 strategy=RollingUpdate maxUnavailable=1 maxSurge=0
func ShowDaemonSets(c *cluster.Cluster) string {
	var b strings.Builder
	for o := range c.List(daemonset.KindDaemonSet, "") {
		ds := o.(*daemonset.DaemonSet)
		b.WriteString(cluster.RefOf(ds).String())
		b.WriteByte(' ')
		b.WriteString(daemonset.DescribeStatus(&ds.Status))
		b.WriteString(" strategy=")
		b.WriteString(string(ds.Spec.UpdateStrategy.Type))
		if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
			if ru.MaxUnavailable != nil {
				b.WriteString(" maxUnavailable=")
				b.WriteString(ru.MaxUnavailable.String())
			}
			if ru.MaxSurge != nil {
				b.WriteString(" maxSurge=")
				b.WriteString(ru.MaxSurge.String())
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ShowEvents renders every event record of the log so far, one
// [cluster.Record.String] line each, in log order.
func ShowEvents(c *cluster.Cluster) string {
	var b strings.Builder
	for _, r := range c.Log() {
		if r.Verb == cluster.VerbEvent {
			b.WriteString(r.String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// ShowObject renders the object named r as YAML, its fields in the order
// of the Kubernetes API types, without metadata.uid,
// metadata.resourceVersion and the uid of owner references, which churn
// without informing. It fails when the object does not exist, with the
// API server's NotFound message.
func ShowObject(c *cluster.Cluster, r cluster.Ref) (string, error) {
	o, ok := c.View().Get(r)
	if !ok {
		return "", cluster.NewNotFound(typeOf(c, r.Kind), r.Name)
	}
	return objectYAML(o)
}

func typeOf(c *cluster.Cluster, k cluster.Kind) *cluster.Type {
	if t, ok := c.View().TypeOf(k); ok {
		return t
	}
	return &cluster.Type{Kind: k, Resource: strings.ToLower(string(k)) + "s"}
}

// objectYAML renders obj as YAML, keeping the JSON field order.
func objectYAML(obj cluster.Object) (string, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return "", fmt.Errorf("scenario: show: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := jsonToNode(dec, "")
	if err != nil {
		return "", fmt.Errorf("scenario: show: %v", err)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", fmt.Errorf("scenario: show: %v", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("scenario: show: %v", err)
	}
	return buf.String(), nil
}

// jsonToNode reads one JSON value into a YAML node, keeping object key
// order and dropping the churning fields (path tells where it is).
func jsonToNode(dec *json.Decoder, path string) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key := kt.(string)
				v, err := jsonToNode(dec, path+"."+key)
				if err != nil {
					return nil, err
				}
				switch path + "." + key {
				case ".metadata.uid", ".metadata.resourceVersion", ".metadata.ownerReferences[].uid":
					continue
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for dec.More() {
				v, err := jsonToNode(dec, path+"[]")
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(t), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(t)}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}
