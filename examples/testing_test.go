package examples_test

import (
	"fmt"
	"log"
	"slices"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scenario"
)

// ssdMonitorManifests is two nodes, one with an SSD, and a DaemonSet that
// monitors SSDs: the code under test in Example_testingWithTheLibrary
// relies on its pods following the disk=ssd label.
const ssdMonitorManifests = `
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {disk: ssd}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ssd-monitor}
spec:
  selector:
    matchLabels: {app: ssd-monitor}
  template:
    metadata:
      labels: {app: ssd-monitor}
    spec:
      nodeSelector: {disk: ssd}
      terminationGracePeriodSeconds: 0
      containers:
      - name: smartd
        image: registry.example.com/ssd-monitor:1.4
        securityContext: {privileged: true}
        volumeMounts: [{name: dev, mountPath: /dev}]
      volumes: [{name: dev, hostPath: {path: /dev}}]
`

// relabel is the code under test: it moves the SSD label from one node to
// another, as an operator's tool might after a disk swap.
func relabel(env *scenario.Env, from, to string) error {
	if err := env.Label(cluster.Ref{Kind: cluster.KindNode, Name: to}, "disk=ssd"); err != nil {
		return err
	}
	return env.Label(cluster.Ref{Kind: cluster.KindNode, Name: from}, "disk-")
}

// ssdMonitorRun builds a cluster with seed, applies the manifests, runs
// the code under test and returns the cluster.
func ssdMonitorRun(seed uint64) *scenario.Env {
	env := scenario.MustNewCluster(cluster.Config{Seed: seed})
	if err := env.ApplyYAML(ssdMonitorManifests); err != nil {
		log.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
	if err := relabel(env, "node-a", "node-b"); err != nil {
		log.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
	return env
}

// A Go test of code that depends on DaemonSet behaviour builds a cluster
// in one line, applies manifests, runs the code, settles, and asserts on
// the result; no API server, no kubelet, no waiting. In a test, the
// Printlns below would be t.Errorf calls.
//
// The run is deterministic: the same Config and the same calls append the
// same log, byte for byte. The seed changes generated names (and so the
// pod names in the log) and nothing else.
func Example_testingWithTheLibrary() {
	env := ssdMonitorRun(42)

	// Assert which nodes run the daemon.
	want := []string{"node-b"}
	if diff := cmp.Diff(want, nodesRunning(env, "default", "app=ssd-monitor")); diff != "" {
		fmt.Printf("ssd-monitor nodes mismatch (-want +got):\n%s", diff)
	}

	// Read the log: what the DaemonSet controller did to pods.
	for _, r := range env.Log() {
		if r.Actor == "daemonset-controller" && r.Object.Kind == cluster.KindPod {
			fmt.Println(r)
		}
	}

	// Same seed, same log; another seed, other names, same decisions.
	again, other := ssdMonitorRun(42), ssdMonitorRun(7)
	fmt.Println("seed 42 again, identical log:", slices.Equal(env.Log(), again.Log()))
	fmt.Println("seed 7, identical log:", slices.Equal(env.Log(), other.Log()))
	fmt.Println("seed 7, same decisions:", slices.EqualFunc(env.Log(), other.Log(), func(a, b cluster.Record) bool {
		return a.At == b.At && a.Actor == b.Actor && a.Verb == b.Verb && a.Object.Kind == b.Object.Kind
	}))
	// Output:
	// 0s daemonset-controller create Pod/default/ssd-monitor-pckhc for=node-a
	// 0s daemonset-controller create Pod/default/ssd-monitor-g2zxl for=node-b
	// 0s daemonset-controller note Pod/default/ssd-monitor-pckhc "node node-a no longer runs this DaemonSet: nodeSelector: label \"disk\" is missing, want \"ssd\""
	// 0s daemonset-controller delete Pod/default/ssd-monitor-pckhc
	// seed 42 again, identical log: true
	// seed 7, identical log: false
	// seed 7, same decisions: true
}

// Scenario files are the other way to test: YAML steps with hand-written
// expect: blocks and machine-written output: blocks. [scenario.RunFile]
// runs one (a test would call [scenario.Run] instead, which fails the
// test with every failure positioned in the file).
func Example_scenarioFile() {
	res, err := scenario.RunFile("testdata/quickstart.yaml", scenario.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Failures {
		fmt.Println(f)
	}
	fmt.Printf("%s: %d steps, passed: %v\n", res.Path, len(res.Steps), res.Passed())
	last := res.Steps[len(res.Steps)-1]
	fmt.Printf("step %d (%s):\n%s", last.N, last.Verb, last.Output)
	// Output:
	// testdata/quickstart.yaml: 5 steps, passed: true
	// step 5 (show):
	// DaemonSet/kube-system/log-collector desired=3 current=3 ready=3 updated=3 available=3 misscheduled=0 strategy=RollingUpdate maxUnavailable=1 maxSurge=0
}
