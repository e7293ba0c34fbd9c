package main

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel runs task(0), …, task(n-1) on GOMAXPROCS goroutines, each task
// once, and returns when all have returned. It is the only place the
// command starts goroutines: it decodes a large dump's items on every core
// (scenario.LoadOptions.Parallel). The library assembles what the tasks
// decode in input order, so the output does not depend on how they are
// scheduled (the scenario package's TestParallelDecodeMatchesSequential
// runs its chunks in reverse and all at once, under the race detector).
func parallel(n int, task func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			task(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				task(i)
			}
		})
	}
	wg.Wait()
}
