package scenario

import (
	"sync"
	"testing"
)

// TestForksConcurrent uses two forks of one settled cluster on two
// goroutines at once, as cluster's doc allows (forks share immutable
// structure only), and checks that each gets what it gets alone. Under
// -race it also checks that nothing shared is written: the forks' first
// writes copy the controllers' shared state.
func TestForksConcurrent(t *testing.T) {
	changes := []string{"label nodes --all disk=ssd --overwrite", "label node/n2 disk-"}
	run := func(f *Env, change string) string {
		do, err := ParseChange(change)
		if err != nil {
			t.Error(err)
			return ""
		}
		if err := do(f); err != nil {
			t.Error(err)
			return ""
		}
		if err := f.Settle(); err != nil {
			t.Error(err)
			return ""
		}
		return ShowPods(f.Cluster)
	}
	env := whatifEnv(t)
	want := make([]string, len(changes))
	for i, ch := range changes {
		want[i] = run(env.Fork(), ch)
	}
	forks := make([]*Env, len(changes))
	for i := range forks {
		forks[i] = env.Fork()
	}
	got := make([]string, len(changes))
	var wg sync.WaitGroup
	for i, ch := range changes {
		wg.Go(func() { got[i] = run(forks[i], ch) })
	}
	wg.Wait()
	for i := range changes {
		if got[i] != want[i] {
			t.Errorf("%q on a fork used alongside another:\n%s\nwant (alone):\n%s", changes[i], got[i], want[i])
		}
	}
	if want[0] == want[1] {
		t.Errorf("the two changes gave the same pods; the test compares nothing:\n%s", want[0])
	}
}
