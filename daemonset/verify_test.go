package daemonset

// Every test of this package checks refreshAfter's shortcut against the
// pods it stands for.
func init() { verifyRefreshAfter = true }
