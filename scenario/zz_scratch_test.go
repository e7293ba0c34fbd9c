package scenario

import (
	"fmt"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
)

const scratchManifests = `
apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {disk: ssd}}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluentd}
spec:
  selector: {matchLabels: {app: fluentd}}
  template:
    metadata: {labels: {app: fluentd}}
    spec:
      containers: [{name: main, image: fluentd:1}]
`

func TestZZScratch(t *testing.T) {
	env := MustNewCluster(cluster.Config{})
	objs, err := Decode([]byte(scratchManifests))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Apply(objs...); err != nil {
		t.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	if err := env.Label(cluster.Ref{Kind: "Node", Name: "node-b"}, "x=y"); err != nil {
		t.Fatal(err)
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	for o := range env.List(cluster.KindPod, "") {
		if err := env.Delete(cluster.RefOf(o), cluster.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		break
	}
	if err := env.Settle(); err != nil {
		t.Fatal(err)
	}
	if err := env.Advance(30e9); err != nil {
		t.Fatal(err)
	}
	err = env.Apply(&cluster.Pod{ObjectMeta: cluster.ObjectMeta{Name: "bad"}})
	fmt.Println("apply bad:", err)
	for _, r := range env.Log() {
		fmt.Println(r.String())
	}
}
