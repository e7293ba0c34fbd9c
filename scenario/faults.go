package scenario

import (
	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
)

// A fault makes some actions fail, deterministically: of the actions that
// match (actor, verb, kind; empty fields match everything), those after
// the first After matching ones fail, Times of them (0: all), with the
// API error Error. It is written in a scenario's config as
//
//	config:
//	  faults:
//	  - {actor: daemonset-controller, verb: create, kind: Pod, after: 10, error: "quota exceeded"}
//
// to mirror upstream tests whose fake clients refuse requests.
type fault struct {
	actor, verb, kind string
	after, times      int64
	err               string
	seen              int64
}

// faultSet is the faults of one file; its intercept is the cluster's
// Config.Intercept. Counters live in the set, so a file run twice starts
// from fresh counters (each run parses the file again).
type faultSet []*fault

var faultKeys = []string{"actor", "verb", "kind", "after", "times", "error"}

var faultVerbs = map[string]bool{"create": true, "update": true, "update-status": true, "delete": true, "bind": true}

func (p *parser) faults(n *yaml.Node) (faultSet, error) {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "config.faults: want a list, got %s", describeNode(n))
	}
	var set faultSet
	for _, item := range n.Content {
		ps, err := p.keys(item, "config.faults[]", faultKeys)
		if err != nil {
			return nil, err
		}
		f := &fault{err: "Internal error occurred: injected fault"}
		for _, kv := range ps {
			what := "config.faults[]." + kv.key
			switch kv.key {
			case "actor":
				f.actor, err = p.str(kv.value, what)
			case "verb":
				f.verb, err = p.str(kv.value, what)
				if err == nil && !faultVerbs[f.verb] {
					return nil, p.errorf(kv.value, "%s: unknown verb %q (want create, update, update-status, delete or bind)", what, f.verb)
				}
			case "kind":
				f.kind, err = p.str(kv.value, what)
			case "after", "times":
				var v int64
				v, err = p.integer(kv.value, what)
				if err == nil && v < 0 {
					return nil, p.errorf(kv.value, "%s: must not be negative, got %d", what, v)
				}
				if kv.key == "after" {
					f.after = v
				} else {
					f.times = v
				}
			case "error":
				f.err, err = p.str(kv.value, what)
			}
			if err != nil {
				return nil, err
			}
		}
		set = append(set, f)
	}
	return set, nil
}

// intercept fails the actions the faults select.
func (s faultSet) intercept(actor string, a cluster.Action) error {
	verb, kind := actionVerbKind(a)
	for _, f := range s {
		if (f.actor != "" && f.actor != actor) || (f.verb != "" && f.verb != verb) || (f.kind != "" && f.kind != kind) {
			continue
		}
		f.seen++
		if f.seen > f.after && (f.times == 0 || f.seen <= f.after+f.times) {
			return &cluster.StatusError{Reason: cluster.ReasonInternal, Message: f.err}
		}
	}
	return nil
}

func actionVerbKind(a cluster.Action) (verb, kind string) {
	switch a := a.(type) {
	case cluster.Create:
		return "create", string(a.Object.Type().Kind)
	case cluster.Update:
		return "update", string(a.Object.Type().Kind)
	case cluster.UpdateStatus:
		return "update-status", string(a.Object.Type().Kind)
	case cluster.Delete:
		return "delete", string(a.Object.Kind)
	case cluster.Bind:
		return "bind", string(cluster.KindPod)
	}
	return "", ""
}
