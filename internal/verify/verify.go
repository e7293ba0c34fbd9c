// Package verify holds switches that make library code check its own
// shortcuts against the long way and panic on a difference. Tests turn
// them on; they are off otherwise, and then cost one load of a boolean.
//
// Determinism: a switch changes no result, only whether a mismatch
// panics. Fidelity: nothing here models Kubernetes.
package verify

// DaemonSetSummaries makes the DaemonSet controller check every summary
// it computes without reading a node's pods (the shortcut of a pod event
// when the DaemonSet had no other pod there) against those pods. Set it
// before a test starts controllers, and not while any runs.
var DaemonSetSummaries bool
