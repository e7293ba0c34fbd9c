package cluster

import (
	"container/heap"
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
			heap.Fix(&q.tasks, t.index)
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
	heap.Push(&q.tasks, t)
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
	t := heap.Pop(&q.tasks).(*task)
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

type taskHeap []*task

func (h taskHeap) Len() int { return len(h) }
func (h taskHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.at != b.at {
		return a.at < b.at
	}
	if a.tie != b.tie {
		return a.tie < b.tie
	}
	return a.seq < b.seq
}
func (h taskHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *taskHeap) Push(x any) {
	t := x.(*task)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *taskHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return t
}
