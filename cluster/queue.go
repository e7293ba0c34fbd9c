package cluster

import (
	"slices"
	"time"
)

// task is one queued key of one controller.
type task struct {
	at    time.Duration
	tie   uint64 // 0, or a random value in shuffle mode
	seq   uint64 // insertion order: FIFO among equal (at, tie)
	actor int
	key   Key
	index int // position in the heap
}

type actorKey struct {
	actor int
	key   Key
}

// queue is the cluster's work queue: a min-heap ordered by (at, tie, seq),
// deduplicated per (actor, key) — adding a queued key keeps the earlier
// due time.
type queue struct {
	tasks   taskHeap
	byKey   map[actorKey]*task
	seq     uint64
	shuffle func() uint64 // nil unless shuffling
	free    []*task       // tasks done with, for reuse
	peak    int           // the most tasks queued since the queue was last empty and shrunk
}

func newQueue() *queue {
	return &queue{byKey: make(map[actorKey]*task)}
}

func (q *queue) add(actor int, k Key, at time.Duration) {
	ak := actorKey{actor, k}
	if t, ok := q.byKey[ak]; ok {
		if at < t.at {
			t.at = at
			q.tasks.fix(t.index)
		}
		return
	}
	q.seq++
	var t *task
	if n := len(q.free); n > 0 {
		t = q.free[n-1]
		q.free = q.free[:n-1]
		*t = task{at: at, seq: q.seq, actor: actor, key: k}
	} else {
		t = &task{at: at, seq: q.seq, actor: actor, key: k}
	}
	if q.shuffle != nil {
		t.tie = q.shuffle()
	}
	q.byKey[ak] = t
	q.tasks.push(t)
	q.peak = max(q.peak, len(q.tasks))
}

// peek returns the next task without removing it.
func (q *queue) peek() (*task, bool) {
	if len(q.tasks) == 0 {
		return nil, false
	}
	return q.tasks[0], true
}

func (q *queue) pop() *task {
	t := q.tasks.pop()
	delete(q.byKey, actorKey{t.actor, t.key})
	if len(q.tasks) == 0 && q.peak > shrinkAbove {
		// Maps never shrink: after a burst of work, let the one that held
		// it go, and the spare tasks beyond what a small burst needs.
		q.byKey = make(map[actorKey]*task)
		q.peak = 0
		q.free = slices.Clone(q.free[:min(len(q.free), shrinkAbove)])
	}
	return t
}

// shrinkAbove is the queue length past which a drained queue gives its
// memory back.
const shrinkAbove = 1024

func (q *queue) len() int { return len(q.tasks) }

// release returns a popped task for reuse.
func (q *queue) release(t *task) {
	*t = task{}
	if len(q.free) < shrinkAbove || len(q.tasks) > 0 {
		q.free = append(q.free, t)
	}
}

// clone copies the queue; the cost is proportional to the pending tasks.
func (q *queue) clone() *queue {
	c := &queue{tasks: make(taskHeap, len(q.tasks)), byKey: make(map[actorKey]*task, len(q.tasks)), seq: q.seq}
	for i, t := range q.tasks {
		nt := *t
		c.tasks[i] = &nt
		c.byKey[actorKey{t.actor, t.key}] = &nt
	}
	return c
}

// taskHeap is a binary min-heap of tasks by (at, tie, seq), each task
// knowing its index. It is container/heap's algorithm, written for *task
// so that the comparisons and swaps are direct calls: the queue is on
// every step's path.
type taskHeap []*task

func (h taskHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	if a.at != b.at {
		return a.at < b.at
	}
	if a.tie != b.tie {
		return a.tie < b.tie
	}
	return a.seq < b.seq
}

func (h taskHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h taskHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2 // parent
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		j = i
	}
}

// down moves the task at i0 down among the first n; it reports whether
// the task moved.
func (h taskHeap) down(i0, n int) bool {
	i := i0
	for {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 { // j1 < 0 after int overflow
			break
		}
		j := j1 // left child
		if j2 := j1 + 1; j2 < n && h.less(j2, j1) {
			j = j2 // right child
		}
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		i = j
	}
	return i > i0
}

// push adds t.
func (h *taskHeap) push(t *task) {
	t.index = len(*h)
	*h = append(*h, t)
	h.up(len(*h) - 1)
}

// pop removes and returns the least task.
func (h *taskHeap) pop() *task {
	old := *h
	n := len(old) - 1
	old.swap(0, n)
	old.down(0, n)
	t := old[n]
	old[n] = nil
	*h = old[:n]
	return t
}

// fix restores the order after the task at i changed.
func (h taskHeap) fix(i int) {
	if !h.down(i, len(h)) {
		h.up(i)
	}
}
