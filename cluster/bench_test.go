package cluster

import (
	"fmt"
	"runtime"
	"testing"
)

// benchPod returns a pod bound to node, sharing its spec slices with
// every other pod of the benchmark (as pods of one template do).
var benchContainers = []Container{{Name: "main", Image: "agent:1", ImagePullPolicy: "IfNotPresent",
	TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: "File"}}

func benchPod(name, node string) *Pod {
	p := &Pod{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Pod"}}
	p.Name = name
	p.Namespace = "default"
	p.Spec.NodeName = node
	p.Spec.Containers = benchContainers
	DefaultPodSpec(&p.Spec)
	return p
}

// benchStore returns a cluster holding n pods, created through actions
// (the path controllers take), with the log discarded.
func benchStore(b *testing.B, n int) *Cluster {
	c := MustNew(Config{Log: LogConfig{Discard: true}})
	for i := 0; i < n; i++ {
		if err := c.Act("bench", Create{Object: benchPod(fmt.Sprintf("pod-%06d", i), fmt.Sprintf("node-%04d", i%1000)), Prevalidated: true}); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

// BenchmarkStoreCreate creates pods through actions (the controllers'
// path) into a store that grows to b.N pods.
func BenchmarkStoreCreate(b *testing.B) {
	c := MustNew(Config{Log: LogConfig{Discard: true}})
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Act("bench", Create{Object: benchPod(fmt.Sprintf("pod-%09d", i), "node-a"), Prevalidated: true}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkStoreUpdateStatus writes a status update of one of 10⁵ pods
// per op, as the kubelet does: it reads the pod through the View (no
// copy) and writes a shallow copy.
func BenchmarkStoreUpdateStatus(b *testing.B) {
	const n = 100000
	c := benchStore(b, n)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		stored, _ := c.View().Pod("default", fmt.Sprintf("pod-%06d", i%n))
		p := stored.Clone().(*Pod)
		if p.Status.Phase == PodRunning {
			p.Status.Phase = PodPending
		} else {
			p.Status.Phase = PodRunning
		}
		if err := c.Act("bench", UpdateStatus{Object: p}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkStoreDelete deletes pods (grace period 0) from a store of 10⁵.
func BenchmarkStoreDelete(b *testing.B) {
	const n = 100000
	c := benchStore(b, n)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == n {
			b.StopTimer()
			c = benchStore(b, n)
			i = 0
			b.StartTimer()
		}
		if err := c.Act("bench", Delete{Object: Ref{Kind: KindPod, Namespace: "default", Name: fmt.Sprintf("pod-%06d", i)}, GracePeriod: Int64(0)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSettle settles a cluster of 10⁵ pods on 10³ nodes whose kubelet
// stand-in starts every pod: one op is 10⁵ reconciles and status writes.
func BenchmarkSettle(b *testing.B) {
	b.Run("objects=100000", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c := MustNew(Config{Log: LogConfig{Discard: true}})
			for i := 0; i < 1000; i++ {
				n := &Node{}
				n.Name = fmt.Sprintf("node-%04d", i)
				n.Status.Conditions = []NodeCondition{{Type: NodeReady, Status: ConditionTrue}}
				if err := c.Act("bench", Create{Object: n, Prevalidated: true}); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < 99000; i++ {
				if err := c.Act("bench", Create{Object: benchPod(fmt.Sprintf("pod-%06d", i), fmt.Sprintf("node-%04d", i%1000)), Prevalidated: true}); err != nil {
					b.Fatal(err)
				}
			}
			if err := c.Register(NewKubelet()); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := c.Settle(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClusterFork forks a cluster holding N pods; Fork is O(1) in the
// number of objects.
func BenchmarkClusterFork(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			c := benchStore(b, n)
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Fork()
			}
		})
	}
}

// BenchmarkBytesPerPod reports the heap a stored pod costs (the pod
// object, its strings and its index entries), for pods that share their
// spec as pods of one template do.
func BenchmarkBytesPerPod(b *testing.B) {
	const n = 100000
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c := benchStore(b, n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/pod")
		runtime.KeepAlive(c)
	}
}
