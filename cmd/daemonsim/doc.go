// Command daemonsim runs DaemonSet scenarios and answers what-if questions
// about a cluster's state, with the simulator of this module.
//
// Usage:
//
//	daemonsim run [-update] [-q] [-o text|json] FILE...
//	daemonsim whatif -f STATE.yaml [-n NAMESPACE] [-o table|json|yaml] CHANGE...
//	daemonsim explain -f STATE.yaml [-n NAMESPACE] [-l SELECTOR] [-o text|json|yaml] daemonset/NAME [node/NAME]
//	daemonsim show -f STATE.yaml [-n NAMESPACE] [-l SELECTOR] [-o table|json|yaml]
//	daemonsim generate [-nodes N] [-daemonsets K] [-pods] [-managed-fields] [-seed S]
//	daemonsim help [COMMAND]
//
// run runs scenario files (see package scenario), printing each step's
// output and every failure, and ends with a line "N passed, M failed".
//
// whatif loads STATE, a dump such as `kubectl get nodes,daemonsets,pods
// -A -o yaml` prints (unknown fields ignored, other kinds skipped and
// counted on stderr), settles it into the baseline, applies the changes
// in kubectl words to a copy, settles that, and prints per DaemonSet the
// nodes gaining and losing a pod and the status before and after:
//
//	daemonsim whatif -f dump.yaml 'label nodes -l zone=a disk=ssd --overwrite' 'cordon node/n1'
//
// explain prints, per node, whether a DaemonSet should run a pod there
// and every reason it should not; show prints the node × DaemonSet
// placement matrix; generate prints a synthetic dump of a large cluster,
// for trying the others at scale. 'daemonsim help COMMAND' prints the
// details of each, including the JSON shapes of -o json, which are a
// contract: fields are added, never renamed or removed.
//
// Flags follow kubectl's habits: -f (--filename), -n (--namespace), -l
// (--selector), -o (--output). They come before the arguments.
//
// # Exit status
//
//	0  success
//	1  run: a scenario failed (a scenario file that does not parse
//	   fails, with its file:line); other commands: the simulation itself
//	   failed (a settle that finds no fixed point, say), or the output
//	   could not be written
//	2  bad usage or bad input: an unknown command or flag, a missing
//	   argument, a file that cannot be read, a state or manifest that
//	   does not parse (the message says file:line), a change that does
//	   not parse or names an object the state lacks
//
// # Determinism
//
// Every command's output depends only on its arguments and input files:
// the simulation runs on a virtual clock that starts one second after the
// newest timestamp of the state, generated names come from the cluster's
// seed, and every listing is sorted. generate's output depends only on
// its flags. A large state's items are decoded on every core (GOMAXPROCS
// goroutines), each chunk into objects of its own, assembled in input
// order: the state loaded does not depend on how they were scheduled.
//
// # Fidelity
//
// A state is a snapshot, and partial: every node's kubelet is taken to be
// connected; ControllerRevisions missing from the dump (kubectl get
// nodes,daemonsets,pods does not list them) are created by the simulated
// controller at its first sync, and it takes the pods for up to date by
// their pod-template-generation label, as upstream does; owner references
// to objects the dump lacks (the ReplicaSets of Deployment pods) are
// ignored, so that the garbage collector keeps their pods (see
// scenario.LoadState). What-if analysis compares two settled copies and
// does not advance the clock: grace periods, startup delays and
// tolerationSeconds do not elapse within it, so a pod deleted with a
// grace period still counts (as misscheduled, say), and a NoExecute taint
// tolerated for a while evicts nothing. Changes are split into words at
// spaces: kubectl's quoting within a change is not parsed.
//
// Standard input is read for "-f -"; nothing else is read but the files
// named, and only generate and run -update write (stdout, and scenario
// files).
package main
