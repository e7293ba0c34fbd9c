package taints

// An Option changes how tolerations are matched and validated. The only
// option is [WithComparisonOperators]. Options cannot be implemented outside
// this package.
type Option interface {
	flags() optFlags
}

// optFlags is the evaluated form of a list of options. Evaluating it reads
// no memory but the options themselves, so matching with options allocates
// nothing.
type optFlags uint8

const flagComparisonOperators optFlags = 1 << iota

// comparisonOperators is the zero-size Option returned by
// WithComparisonOperators; storing it in an interface does not allocate.
type comparisonOperators struct{}

func (comparisonOperators) flags() optFlags { return flagComparisonOperators }

// WithComparisonOperators enables the Lt and Gt toleration operators, as
// upstream's TaintTolerationComparisonOperators feature gate does (alpha
// since Kubernetes 1.35, off by default). Without it a toleration with
// operator Lt or Gt tolerates nothing, and [ValidateTolerations] rejects it.
func WithComparisonOperators() Option { return comparisonOperators{} }

// evalOptions folds opts into flags. Nil options are ignored.
func evalOptions(opts []Option) optFlags {
	var f optFlags
	for _, o := range opts {
		if o != nil {
			f |= o.flags()
		}
	}
	return f
}
