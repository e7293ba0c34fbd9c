package scenario

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
)

// LogLevel is a scenario's log: field, the verbosity of step outputs.
type LogLevel string

// The log levels.
const (
	// LogAll prints every record (the default).
	LogAll LogLevel = "all"
	// LogChanges omits event and note records, so that scenarios that are
	// not about Events stay short.
	LogChanges LogLevel = "changes"
)

// File is a parsed scenario file. Parse it with [ParseFile] or [Parse];
// run it with [RunFile].
type File struct {
	// Path is the file's name as given.
	Path string
	// Claim is the claim id of a seed scenario ("S19"), or "".
	Claim string
	// Profile is the file's profile (modern when not set).
	Profile cluster.Profile
	// Seed is the file's seed.
	Seed uint64
	// Log is the file's log level.
	Log LogLevel
	// Config is the cluster configuration the file asks for: profile,
	// seed and the config: overrides.
	Config cluster.Config
	// Steps are the file's steps, in order.
	Steps []*Step

	src []byte
}

// Step is one step of a scenario file.
type Step struct {
	// N is the step's 1-based number.
	N int
	// Line is the line of the step's verb key.
	Line int
	// Verb is the step's verb: "apply", "settle", …
	Verb string
	// Output is the content of the step's output: block ("" when absent).
	Output string
	// HasOutput reports whether the step has an output: key.
	HasOutput bool

	node      *yaml.Node // the step's mapping
	aliased   bool       // written as an alias of another step
	verbKey   *yaml.Node
	outputKey *yaml.Node
	outputVal *yaml.Node
	expect    *expectation
	exec      func(r *runner) (string, error)
}

// topKeys are the keys of a scenario file, in the documented order.
var topKeys = []string{"claim", "profile", "seed", "log", "config", "steps"}

// Verbs lists the step verbs, in the documented order.
var Verbs = []string{"apply", "load", "delete", "label", "taint", "cordon", "uncordon", "disconnect", "reconnect",
	"podStatus", "settle", "advance", "show", "whatif", "staticPod", "rollback", "lookup"}

// ParseFile reads and parses the scenario file at path.
func ParseFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses a scenario file's contents; name is used in error
// messages. Parsing is strict: unknown keys, unknown verbs, a step with
// two verbs, malformed arguments (durations, references, selectors,
// manifests) are errors of type [*Error] that carry the file and line,
// and for errors within a step, its number and verb. Manifests are
// decoded as by [Decode].
func Parse(name string, data []byte) (*File, error) {
	if len(data) > MaxDocumentBytes {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is %d bytes, more than the limit of %d", len(data), MaxDocumentBytes)}
	}
	docs, err := parseDocuments(name, data, MaxDocumentBytes)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, &Error{File: name, Line: 1, Msg: "empty scenario file: want a mapping with steps"}
	}
	if len(docs) != 1 {
		line := 0
		if len(docs) > 1 {
			line = docs[1].Line
		}
		return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("a scenario file holds exactly one YAML document, not %d", len(docs))}
	}
	p := &parser{file: name, cv: newConverter(name)}
	f, err := p.file1(docs[0])
	if err != nil {
		return nil, err
	}
	f.Path = name
	f.src = data
	return f, nil
}

// parser parses a scenario file's node tree.
type parser struct {
	file string
	cv   *converter // shared by the whole file: one alias budget
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) *Error {
	return &Error{File: p.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// keys returns the key/value pairs of mapping n, rejecting duplicate keys
// and keys not in allowed (what names the mapping in messages).
func (p *parser) keys(n *yaml.Node, what string, allowed []string) ([]pair, error) {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, "%s: want a mapping, got %s", what, describeNode(n))
	}
	ps, err := p.cv.pairs(n)
	if err != nil {
		return nil, err
	}
	for _, kv := range ps {
		if allowed != nil && !slices.Contains(allowed, kv.key) {
			return nil, p.errorf(kv.keyNode, "%s: unknown key %q (want %s)", what, kv.key, orList(allowed))
		}
	}
	return ps, nil
}

// orList renders ["a", "b", "c"] as "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func isNull(n *yaml.Node) bool {
	n = resolveAlias(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// str returns the string scalar n.
func (p *parser) str(n *yaml.Node, what string) (string, error) {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return "", p.errorf(n, "%s: want a string, got %s", what, describeNode(n))
	}
	return n.Value, nil
}

// integer returns the integer scalar n.
func (p *parser) integer(n *yaml.Node, what string) (int64, error) {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, p.errorf(n, "%s: want an integer, got %s", what, describeNode(n))
	}
	s, err := intLiteral(n)
	if err == nil {
		var v int64
		if v, err = strconv.ParseInt(s, 10, 64); err == nil {
			return v, nil
		}
	}
	return 0, p.errorf(n, "%s: invalid integer %q", what, n.Value)
}

// boolean returns the boolean scalar n.
func (p *parser) boolean(n *yaml.Node, what string) (bool, error) {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, p.errorf(n, "%s: want a boolean, got %s", what, describeNode(n))
	}
	b, err := parseBool(n)
	if err != nil {
		return false, p.errorf(n, "%s: %v", what, err)
	}
	return b, nil
}

// duration returns the duration string n ("30s", "5m").
func (p *parser) duration(n *yaml.Node, what string) (time.Duration, error) {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return 0, p.errorf(n, "%s: want a duration such as 30s, got %s", what, describeNode(n))
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		return 0, p.errorf(n, "%s: invalid duration %q", what, n.Value)
	}
	return d, nil
}

func (p *parser) file1(doc *yaml.Node) (*File, error) {
	f := &File{Profile: cluster.Modern, Log: LogAll}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, &Error{File: p.file, Line: 1, Msg: "empty scenario file: want a mapping with steps"}
	}
	root := resolveAlias(doc.Content[0])
	ps, err := p.keys(root, "scenario", topKeys)
	if err != nil {
		return nil, err
	}
	var stepsNode *yaml.Node
	var configNode *yaml.Node
	for _, kv := range ps {
		switch kv.key {
		case "claim":
			if f.Claim, err = p.str(kv.value, "claim"); err != nil {
				return nil, err
			}
		case "profile":
			s, err := p.str(kv.value, "profile")
			if err != nil {
				return nil, err
			}
			f.Profile = cluster.Profile(s)
			if s == "" || !f.Profile.Valid() {
				return nil, p.errorf(kv.value, "profile: unknown profile %q (want modern or legacy)", s)
			}
		case "seed":
			v := resolveAlias(kv.value)
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
				return nil, p.errorf(v, "seed: want an unsigned integer, got %s", describeNode(v))
			}
			s, err := intLiteral(v)
			if err == nil {
				f.Seed, err = strconv.ParseUint(s, 10, 64)
			}
			if err != nil {
				return nil, p.errorf(v, "seed: invalid unsigned integer %q", v.Value)
			}
		case "log":
			s, err := p.str(kv.value, "log")
			if err != nil {
				return nil, err
			}
			f.Log = LogLevel(s)
			if f.Log != LogAll && f.Log != LogChanges {
				return nil, p.errorf(kv.value, "log: unknown log level %q (want all or changes)", s)
			}
		case "config":
			configNode = kv.value
		case "steps":
			stepsNode = kv.value
		}
	}
	f.Config.Profile, f.Config.Seed = f.Profile, f.Seed
	if configNode != nil && !isNull(configNode) {
		if err := p.config(configNode, &f.Config); err != nil {
			return nil, err
		}
	}
	if stepsNode == nil {
		return nil, p.errorf(root, "scenario: steps: required")
	}
	stepsNode, err = p.cv.deref(stepsNode)
	if err != nil {
		return nil, err
	}
	if stepsNode.Kind != yaml.SequenceNode || len(stepsNode.Content) == 0 {
		return nil, p.errorf(stepsNode, "steps: want a non-empty list of steps")
	}
	for i, sn := range stepsNode.Content {
		s, err := p.step(sn, i+1)
		if err != nil {
			return nil, err
		}
		f.Steps = append(f.Steps, s)
	}
	if _, err := cluster.New(f.Config); err != nil {
		return nil, p.errorf(root, "config: %v", err)
	}
	return f, nil
}

// configKeys are the keys of the config: block.
var configKeys = []string{"nodeMonitorGracePeriod", "podStartup", "failedPodBackoff", "failedPodBackoffMax",
	"burstReplicas", "defaultNotReadyTolerationSeconds", "defaultUnreachableTolerationSeconds", "start", "faults"}

func (p *parser) config(n *yaml.Node, cfg *cluster.Config) error {
	ps, err := p.keys(n, "config", configKeys)
	if err != nil {
		return err
	}
	for _, kv := range ps {
		what := "config." + kv.key
		switch kv.key {
		case "nodeMonitorGracePeriod", "podStartup", "failedPodBackoff", "failedPodBackoffMax":
			d, err := p.duration(kv.value, what)
			if err != nil {
				return err
			}
			if d < 0 || (d == 0 && kv.key != "podStartup") {
				return p.errorf(kv.value, "%s: must be positive, got %v", what, d)
			}
			switch kv.key {
			case "nodeMonitorGracePeriod":
				cfg.NodeMonitorGracePeriod = d
			case "podStartup":
				cfg.PodStartup = d
			case "failedPodBackoff":
				cfg.FailedPodBackoff = d
			case "failedPodBackoffMax":
				cfg.FailedPodBackoffMax = d
			}
		case "burstReplicas", "defaultNotReadyTolerationSeconds", "defaultUnreachableTolerationSeconds":
			v, err := p.integer(kv.value, what)
			if err != nil {
				return err
			}
			if v <= 0 || v > 1<<31-1 {
				return p.errorf(kv.value, "%s: must be a positive 32-bit integer, got %d", what, v)
			}
			switch kv.key {
			case "burstReplicas":
				cfg.BurstReplicas = int(v)
			case "defaultNotReadyTolerationSeconds":
				cfg.DefaultNotReadyTolerationSeconds = v
			case "defaultUnreachableTolerationSeconds":
				cfg.DefaultUnreachableTolerationSeconds = v
			}
		case "start":
			v := resolveAlias(kv.value)
			if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!str" && v.ShortTag() != "!!timestamp") {
				return p.errorf(v, "%s: want an RFC 3339 time, got %s", what, describeNode(v))
			}
			t, err := time.Parse(time.RFC3339, v.Value)
			if err != nil {
				return p.errorf(v, "%s: invalid RFC 3339 time %q", what, v.Value)
			}
			cfg.Start = t
		case "faults":
			faults, err := p.faults(kv.value)
			if err != nil {
				return err
			}
			cfg.Intercept = faults.intercept
		}
	}
	return nil
}

// step parses step number num.
func (p *parser) step(n *yaml.Node, num int) (*Step, error) {
	aliased, aliasLine := n.Kind == yaml.AliasNode, n.Line
	n, err := p.cv.deref(n)
	if err != nil {
		return nil, err
	}
	s := &Step{N: num, Line: n.Line, node: n, aliased: aliased}
	wrap := func(err error) error {
		if err == nil {
			return nil
		}
		return inStep(err, p.file, s.Line, num, s.Verb)
	}
	if n.Kind != yaml.MappingNode {
		return nil, wrap(p.errorf(n, "a step must be a mapping with one verb key, not %s", describeNode(n)))
	}
	ps, err := p.cv.pairs(n)
	if err != nil {
		return nil, wrap(err)
	}
	if len(ps) == 0 {
		return nil, wrap(p.errorf(n, "empty step: want one verb key (%s)", orList(Verbs)))
	}
	var verbVal, expectVal *yaml.Node
	stage := 0 // 0: want verb, 1: verb seen, 2: expect seen, 3: output seen
	for _, kv := range ps {
		switch {
		case slices.Contains(Verbs, kv.key):
			if s.verbKey != nil {
				return nil, wrap(p.errorf(kv.keyNode, "two verbs in one step: %q and %q", s.Verb, kv.key))
			}
			if stage != 0 {
				return nil, wrap(p.errorf(kv.keyNode, "the verb %q must be the step's first key", kv.key))
			}
			s.Verb, s.verbKey, verbVal, s.Line = kv.key, kv.keyNode, kv.value, kv.keyNode.Line
			stage = 1
		case kv.key == "expect":
			if stage == 0 {
				return nil, wrap(p.errorf(kv.keyNode, "expect: before the verb; a step is a verb, then expect:, then output:"))
			}
			if stage >= 2 {
				return nil, wrap(p.errorf(kv.keyNode, "expect: must come before output: and appear once"))
			}
			expectVal, stage = kv.value, 2
		case kv.key == "output":
			if stage == 0 {
				return nil, wrap(p.errorf(kv.keyNode, "output: before the verb; a step is a verb, then expect:, then output:"))
			}
			if kv.fromMerged {
				return nil, wrap(p.errorf(kv.keyNode, "output: must be written in the step itself, not merged in"))
			}
			s.outputKey, s.outputVal, stage = kv.keyNode, kv.value, 3
		default:
			if stage == 0 {
				return nil, wrap(p.errorf(kv.keyNode, "unknown verb %q (want %s)", kv.key, orList(Verbs)))
			}
			return nil, wrap(p.errorf(kv.keyNode, "unknown key %q in step (want expect or output)", kv.key))
		}
	}
	if aliased {
		s.Line = aliasLine
	}
	if s.outputKey != nil {
		s.HasOutput = true
		v := s.outputVal
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!str" && v.ShortTag() != "!!null") {
			return nil, wrap(p.errorf(v, "output: want a literal block (output: |), got %s", describeNode(v)))
		}
		if v.ShortTag() == "!!str" {
			s.Output = v.Value
		}
	}
	if s.exec, err = p.verb(s.Verb, verbVal); err != nil {
		return nil, wrap(err)
	}
	if expectVal != nil {
		if s.expect, err = p.expect(expectVal); err != nil {
			return nil, wrap(err)
		}
	}
	return s, nil
}
