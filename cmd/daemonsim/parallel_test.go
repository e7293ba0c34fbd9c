package main

import (
	"runtime"
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
