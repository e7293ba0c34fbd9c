package selector

// Set is a set of labels: a map from label key to value. A nil Set has no
// labels. Set implements [Labels].
type Set map[string]string

// Labels is read access to a set of labels, so that matching works on any
// label storage without copying it.
type Labels interface {
	// Has reports whether the label key is present.
	Has(key string) bool
	// Get returns the value of the label key, or "" when it is absent.
	Get(key string) string
}

// Has reports whether key is one of the labels.
func (s Set) Has(key string) bool { _, ok := s[key]; return ok }

// Get returns the value of key, or "" when it is absent.
func (s Set) Get(key string) string { return s[key] }

// LabelSelector is the API form of a label selector (metav1.LabelSelector):
// every matchLabels pair and every matchExpressions requirement must hold.
// A nil *LabelSelector selects nothing; a non-nil empty one selects
// everything. Convert it with [LabelSelector.AsSelector] to match labels.
type LabelSelector struct {
	MatchLabels      map[string]string          `json:"matchLabels,omitempty"`
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// LabelSelectorRequirement is one matchExpressions entry of a
// [LabelSelector].
type LabelSelectorRequirement struct {
	Key      string                `json:"key"`
	Operator LabelSelectorOperator `json:"operator"`
	Values   []string              `json:"values,omitempty"`
}

// LabelSelectorOperator is the operator of a [LabelSelectorRequirement].
// Values are case-sensitive.
type LabelSelectorOperator string

// The operators a [LabelSelectorRequirement] accepts.
const (
	LabelSelectorOpIn           LabelSelectorOperator = "In"
	LabelSelectorOpNotIn        LabelSelectorOperator = "NotIn"
	LabelSelectorOpExists       LabelSelectorOperator = "Exists"
	LabelSelectorOpDoesNotExist LabelSelectorOperator = "DoesNotExist"
)

// NodeSelector is the required part of a node affinity
// (v1.NodeSelector): a node matches when any of its terms matches.
type NodeSelector struct {
	NodeSelectorTerms []NodeSelectorTerm `json:"nodeSelectorTerms"`
}

// NodeSelectorTerm is one term of a [NodeSelector]: every matchExpressions
// requirement (on node labels) and every matchFields requirement (on node
// fields; only metadata.name exists) must hold. A term with neither matches
// no node.
type NodeSelectorTerm struct {
	MatchExpressions []NodeSelectorRequirement `json:"matchExpressions,omitempty"`
	MatchFields      []NodeSelectorRequirement `json:"matchFields,omitempty"`
}

// NodeSelectorRequirement is one requirement of a [NodeSelectorTerm].
type NodeSelectorRequirement struct {
	Key      string               `json:"key"`
	Operator NodeSelectorOperator `json:"operator"`
	Values   []string             `json:"values,omitempty"`
}

// NodeSelectorOperator is the operator of a [NodeSelectorRequirement].
type NodeSelectorOperator string

// The operators a [NodeSelectorRequirement] accepts. Gt and Lt compare
// integers and are allowed in matchExpressions only.
const (
	NodeSelectorOpIn           NodeSelectorOperator = "In"
	NodeSelectorOpNotIn        NodeSelectorOperator = "NotIn"
	NodeSelectorOpExists       NodeSelectorOperator = "Exists"
	NodeSelectorOpDoesNotExist NodeSelectorOperator = "DoesNotExist"
	NodeSelectorOpGt           NodeSelectorOperator = "Gt"
	NodeSelectorOpLt           NodeSelectorOperator = "Lt"
)

// ObjectNameField is the only node field a matchFields requirement can
// name.
const ObjectNameField = "metadata.name"
