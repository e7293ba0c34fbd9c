package taints

import "github.com/daemonsim/daemonsim/selector"

// Taint and toleration keys are label keys, and their values label values:
// the rules and messages are the selector package's (upstream's
// IsQualifiedName and IsValidLabelValue).

func qualifiedNameErrors(value string) []string { return selector.IsQualifiedName(value) }

func labelValueErrors(value string) []string { return selector.IsValidLabelValue(value) }

// Messages of the comparison-operator value checks (upstream's
// IsDecimalInteger and validation.EmptyError).
const (
	emptyErrMsg          = "must be non-empty"
	decimalIntegerErrMsg = "must be a valid decimal integer in canonical form"
)
