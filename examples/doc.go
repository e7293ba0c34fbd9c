// Package examples holds runnable examples of the daemons DaemonSets are
// typically used for, each a realistic manifest run through the
// simulator: a const YAML string decoded with scenario.Decode, applied
// to a cluster built by scenario.MustNewCluster, settled (and, where
// time matters, advanced), and summed up in a few lines that the example's
// Output comment checks. The package has no API: it is documentation that
// `go test` keeps true. Each example shows one idea.
//
// # The examples
//
// Typical uses of a DaemonSet, one example each (claim S5 of the seed
// page):
//
//   - cluster storage: Example_glusterd (a storage daemon on the labelled
//     storage nodes; labelling a node extends the pool at once),
//     Example_ceph (OSDs by required node affinity, through the taint that
//     keeps other work off the storage nodes);
//   - log collection: Example_fluentd (every node, the control plane
//     included, through a toleration), Example_logstash (a rolling update,
//     one node at a time);
//   - node monitoring: Example_nodeExporter (hostPort 9100, the addresses
//     Prometheus scrapes), Example_collectd (a node joins, a node is
//     removed), Example_datadog (the agent stays on an unreachable node
//     that ordinary pods are evicted from), Example_newRelic (the agent
//     stays on a cordoned node: the tolerations daemon pods get),
//     Example_ganglia (finding every daemon through a headless Service).
//
// Beyond one daemon per type:
//
//   - Example_perHardware: one daemon as several DaemonSets, with
//     different flags and requests per hardware type, each node running
//     exactly one flavour (claim S6);
//   - Example_testingWithTheLibrary and Example_scenarioFile: testing Go
//     code that depends on DaemonSet behaviour, with the library or with a
//     scenario file (testdata/quickstart.yaml);
//   - Example_whatIf: what a change to node labels would do to the daemon
//     pods, answered on a fork of the cluster.
//
// # Why DaemonSets rather than init scripts
//
// A per-node daemon can be started by the node's init system (init,
// upstart, systemd) instead. Running it as a DaemonSet's pod (claim S23)
// means it is monitored and its logs are collected like any application;
// it is configured in the same language (pod templates) and managed with
// the same tools (kubectl, and here the simulator) as the rest of the
// cluster; and it runs in a container whose resources are requested and
// limited, so that a misbehaving agent cannot starve the node's
// workloads. The DaemonSet also follows the nodes: it starts the daemon
// on a node that joins or starts to match, removes it from one that stops
// matching, and replaces it whatever removed it.
//
// # Determinism
//
// Every example runs on the caller's goroutine against a virtual clock,
// so its output is the same on every run and machine. Generated pod names
// depend only on the cluster's seed (cluster.Config.Seed, zero here);
// the examples print node names and counts rather than pod names, except
// Example_testingWithTheLibrary, whose point is the log.
//
// # Fidelity
//
// The manifests are realistic, but no container runs: images are not
// pulled, commands and probes are not executed, volumes are not mounted,
// and env, volumes, probes and security contexts are carried as opaque
// JSON, neither validated nor interpreted. A bound pod becomes Running
// and Ready at once (cluster.Config.PodStartup is zero). What is
// simulated is what the control plane decides: which nodes should run a
// daemon pod (node selectors, node affinity, taints and tolerations,
// including the tolerations the DaemonSet controller adds), pod creation
// and deletion, graceful termination on the virtual clock, rolling
// updates, the node lifecycle (heartbeats, unreachable taints, eviction),
// pod garbage collection, scheduler fit for resource requests and host
// ports, pod and host IPs, Endpoints and cluster DNS. priorityClassName is
// carried but no PriorityClass exists and nothing is preempted; resource
// limits and actual usage play no part.
package examples
