package daemonset

import "github.com/daemonsim/daemonsim/internal/verify"

// Every test of this package checks refreshAfter's shortcut against the
// pods it stands for.
func init() { verify.DaemonSetSummaries = true }
