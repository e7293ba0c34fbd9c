package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
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
//
// A task that panics (a bug: decoding does not panic on bad input) stops
// no other; once all are done, parallel panics on the caller's goroutine
// with the first panic's value and stack, so that run reports it as an
// internal error instead of the process dying.
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
	var once sync.Once
	var panicked any
	for range workers {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					once.Do(func() { panicked = fmt.Sprintf("%v\n%s", v, debug.Stack()) })
				}
			}()
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
	if panicked != nil {
		panic(panicked)
	}
}
