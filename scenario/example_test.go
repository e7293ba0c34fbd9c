package scenario_test

import (
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scenario"
)

const manifests = `apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {disk: ssd}}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ssd-monitor}
spec:
  selector: {matchLabels: {app: ssd-monitor}}
  template:
    metadata: {labels: {app: ssd-monitor}}
    spec:
      nodeSelector: {disk: ssd}
      containers: [{name: main, image: ssd-monitor:1}]
`

func ExampleNewCluster() {
	env, err := scenario.NewCluster(cluster.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := env.ApplyYAML(manifests); err != nil {
		log.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(scenario.ShowPods(env.Cluster))
	// Output:
	// Pod/default/ssd-monitor-gb7b4 node=node-a image=ssd-monitor:1 owner=DaemonSet/ssd-monitor phase=Running ready=true
}

func ExampleDecode() {
	objs, err := scenario.Decode([]byte(manifests))
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range objs {
		fmt.Println(cluster.RefOf(o))
	}
	_, err = scenario.Decode([]byte("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-c\n  lables: {disk: ssd}\n"))
	fmt.Println(err)
	// Output:
	// Node/node-a
	// Node/node-b
	// DaemonSet/ssd-monitor
	// line 5: Node: unknown field "metadata.lables"
}

func ExampleRunFile() {
	res, err := scenario.RunFile("../testdata/scenario-selftest/basic.yaml", scenario.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("passed:", res.Passed())
	last := res.Steps[len(res.Steps)-1]
	fmt.Printf("step %d (%s):\n%s", last.N, last.Verb, last.Output)
	// Output:
	// passed: true
	// step 10 (show):
	// DaemonSet/default/ssd-monitor desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0 strategy=RollingUpdate maxUnavailable=1 maxSurge=0
}

func ExampleWhatIf() {
	env := scenario.MustNewCluster(cluster.Config{})
	if err := env.ApplyYAML(manifests); err != nil {
		log.Fatal(err)
	}
	rep, err := scenario.WhatIf(env, "label node/node-b disk=ssd")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(rep)
	// Output:
	// DaemonSet/default/ssd-monitor gaining=node-b
	//   before: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0
	//   after: desired=2 current=2 ready=2 updated=2 available=2 misscheduled=0
}

// ExampleImpactAfter asks what removing node-a's disk label does, at once
// and a minute later, when the pod's 30-second grace period has run out.
func ExampleImpactAfter() {
	env := scenario.MustNewCluster(cluster.Config{})
	if err := env.ApplyYAML(manifests); err != nil {
		log.Fatal(err)
	}
	unlabel, err := scenario.ParseChange("label node/node-a disk-")
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range []time.Duration{0, time.Minute} {
		rep, err := scenario.ImpactAfter(env, unlabel, d)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("after %v:\n%s", d, rep)
	}
	// Output:
	// after 0s:
	// DaemonSet/default/ssd-monitor losing=node-a
	//   before: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0
	//   after: desired=0 current=0 ready=0 updated=0 available=0 misscheduled=1
	// after 1m0s:
	// DaemonSet/default/ssd-monitor losing=node-a
	//   before: desired=1 current=1 ready=1 updated=1 available=1 misscheduled=0
	//   after: desired=0 current=0 ready=0 updated=0 available=0 misscheduled=0
}

// ExampleEnv_NodesRunning is the shape of a user's test: build a
// cluster, apply manifests, settle, change a label, settle, and assert on
// the nodes running the DaemonSet, its status and its events.
func ExampleEnv_NodesRunning() {
	env := scenario.MustNewCluster(cluster.Config{})
	if err := env.ApplyYAML(manifests); err != nil {
		log.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(env.NodesRunning("", "ssd-monitor"))
	seq := env.LastSeq()
	if err := env.Label(cluster.Ref{Kind: cluster.KindNode, Name: "node-b"}, "disk=ssd"); err != nil {
		log.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(env.NodesRunning("", "ssd-monitor"))
	ds, _ := env.DaemonSet("", "ssd-monitor")
	fmt.Println(ds.Status.DesiredNumberScheduled, ds.Status.NumberReady)
	for _, ev := range env.Events(seq) {
		fmt.Println(ev.Reason, ev.Object)
	}
	// Output:
	// [node-a]
	// [node-a node-b]
	// 2 2
	// SuccessfulCreate DaemonSet/default/ssd-monitor
	// Scheduled Pod/default/ssd-monitor-2s2df
}

// ExampleLoadStateWith loads a kubectl dump with its items decoded on
// every core: the Parallel runs each task on a goroutine of its own
// (a program would rather use one worker per core). The result is the
// same as LoadState's.
func ExampleLoadStateWith() {
	dump := []byte(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: node-a
    labels:
      disk: ssd
- apiVersion: v1
  kind: Node
  metadata:
    name: node-b
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: ssd-monitor
    namespace: default
  spec:
    selector:
      matchLabels:
        app: ssd-monitor
    template:
      metadata:
        labels:
          app: ssd-monitor
      spec:
        nodeSelector:
          disk: ssd
        containers:
        - name: main
          image: ssd-monitor:1
`)
	onGoroutines := func(n int, task func(int)) {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { task(i) })
		}
		wg.Wait()
	}
	rep, env, err := scenario.LoadStateWith(dump, "dump.yaml", cluster.Config{}, scenario.LoadOptions{Parallel: onGoroutines})
	if err != nil {
		log.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep)
	fmt.Print(scenario.ShowPods(env.Cluster))
	// Output:
	// dump.yaml: loaded DaemonSet 1, Node 2
	// Pod/default/ssd-monitor-gb7b4 node=node-a image=ssd-monitor:1 owner=DaemonSet/ssd-monitor phase=Running ready=true
}
