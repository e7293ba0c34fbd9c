package main

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// TestParallel checks that parallel runs every task exactly once, with
// one worker and with several, and returns only when all are done.
func TestParallel(t *testing.T) {
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 3, 1000} {
			runs := make([]atomic.Int32, n)
			parallel(n, func(i int) { runs[i].Add(1) })
			for i := range runs {
				if got := runs[i].Load(); got != 1 {
					t.Errorf("GOMAXPROCS %d, %d tasks: task %d ran %d times", procs, n, i, got)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// TestParallelPanic checks that a task's panic reaches the caller's
// goroutine, with the task's stack, once every task has returned.
func TestParallelPanic(t *testing.T) {
	old := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(old)
	var done atomic.Int32
	defer func() {
		v := recover()
		s, _ := v.(string)
		if !strings.HasPrefix(s, "task 3 failed\n") || !strings.Contains(s, "parallel_test.go") {
			t.Errorf("recovered %q, want the task's panic and its stack", v)
		}
		if got := done.Load(); got != 99 {
			t.Errorf("%d tasks finished before the panic reached the caller, want 99", got)
		}
	}()
	parallel(100, func(i int) {
		if i == 3 {
			panic("task 3 failed")
		}
		done.Add(1)
	})
	t.Error("parallel returned after a task panicked")
}
