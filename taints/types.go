package taints

import "time"

// Effect is what a taint does to pods that do not tolerate it.
type Effect string

// The taint effects, with their Kubernetes values.
const (
	// NoSchedule keeps new pods that do not tolerate the taint off the node.
	NoSchedule Effect = "NoSchedule"
	// PreferNoSchedule asks the scheduler to avoid the node; nothing else
	// looks at it.
	PreferNoSchedule Effect = "PreferNoSchedule"
	// NoExecute keeps new pods off and evicts running pods that do not
	// tolerate the taint.
	NoExecute Effect = "NoExecute"
)

// Taint is a node taint (v1.Taint).
type Taint struct {
	Key    string `json:"key"`
	Value  string `json:"value,omitempty"`
	Effect Effect `json:"effect"`
	// TimeAdded is when a NoExecute taint was added; nil for other effects.
	TimeAdded *time.Time `json:"timeAdded,omitempty"`
}

// Operator is the operator of a [Toleration]. The empty operator means
// Equal.
type Operator string

// The toleration operators. Lt and Gt compare integers and are honoured only
// with [WithComparisonOperators] (upstream's TaintTolerationComparisonOperators
// feature gate, off by default).
const (
	OpExists Operator = "Exists"
	OpEqual  Operator = "Equal"
	OpLt     Operator = "Lt"
	OpGt     Operator = "Gt"
)

// Toleration is a pod toleration (v1.Toleration).
type Toleration struct {
	// Key is the taint key tolerated; empty with operator Exists tolerates
	// every key.
	Key      string   `json:"key,omitempty"`
	Operator Operator `json:"operator,omitempty"`
	Value    string   `json:"value,omitempty"`
	// Effect is the taint effect tolerated; empty tolerates every effect.
	Effect Effect `json:"effect,omitempty"`
	// TolerationSeconds bounds how long a NoExecute taint is tolerated; nil
	// tolerates it for ever.
	TolerationSeconds *int64 `json:"tolerationSeconds,omitempty"`
}
