package cluster

import (
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/daemonsim/daemonsim/internal/pbtree"
)

// Streams of the seeded random source, one per purpose, so that one use
// never shifts another.
const (
	streamShuffle = 1
)

// Cluster is a simulated Kubernetes control plane: an object store with
// the API server's semantics, a virtual clock, a work queue, an ordered
// log, and the controllers registered with it.
//
// A Cluster is not safe for concurrent use; it runs on its caller's
// goroutine and starts none.
type Cluster struct {
	cfg     Config
	st      *store
	elapsed time.Duration
	queue   *queue
	ctrls   []Controller
	log     *logger
	view    *View

	rv           uint64            // last resourceVersion handed out
	uids         uint64            // UIDs handed out
	strs         strArena          // the strings made for stored objects
	nameCounters map[string]uint64 // per generateName prefix
	shuffleRand  *rand.Rand
	shufflePCG   *rand.PCG

	// disconnected holds, for each node whose kubelet stopped posting
	// heartbeats, when it stopped.
	disconnected map[string]time.Duration

	failures     map[actorKey]int // consecutive failed reconciles per key
	dry          bool             // applying to a scratch store: no log, no watch
	failRef      Ref              // the object of the user request being checked
	fingerprints map[Object]uint64
}

// New returns an empty cluster at [Epoch] holding the namespaces
// "default", "kube-system", "kube-public" and "kube-node-lease". It fails
// only on an invalid Config.
func New(cfg Config) (*Cluster, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		cfg:          cfg,
		st:           newStore(),
		queue:        newQueue(),
		log:          &logger{cfg: cfg.Log},
		nameCounters: map[string]uint64{},
		disconnected: map[string]time.Duration{},
		failures:     map[actorKey]int{},
	}
	c.view = &View{c: c}
	if cfg.Shuffle {
		c.shufflePCG = rand.NewPCG(cfg.Seed, streamShuffle)
		c.shuffleRand = rand.New(c.shufflePCG)
		c.queue.shuffle = c.shuffleRand.Uint64
	}
	for _, ns := range []string{"default", "kube-system", "kube-public", "kube-node-lease"} {
		n := &Namespace{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Namespace"}}
		n.Name = ns
		n.Status.Phase = "Active"
		c.stamp(n, nil)
		c.st.put(n)
	}
	return c, nil
}

// MustNew is [New] for a Config known to be valid; it panics otherwise.
func MustNew(cfg Config) *Cluster {
	c, err := New(cfg)
	if err != nil {
		panic(err)
	}
	return c
}

// Register adds controllers. Each is told about the objects already
// stored, as an informer's initial list would, and reconciles in
// registration order among work due at the same instant. Names must be
// unique.
func (c *Cluster) Register(ctrls ...Controller) error {
	for _, ctrl := range ctrls {
		if ctrl == nil {
			panic("cluster: Register: nil Controller")
		}
		for _, have := range c.ctrls {
			if have.Name() == ctrl.Name() {
				return fmt.Errorf("cluster: duplicate controller name %q", ctrl.Name())
			}
		}
		c.ctrls = append(c.ctrls, ctrl)
		i := len(c.ctrls) - 1
		for _, ks := range c.st.kinds {
			for _, o := range ks.objs.All() {
				ctrl.Watch(c.view, Change{New: o}, Enqueuer{c, i})
			}
		}
	}
	return nil
}

// RegisterTypes makes kinds known to the cluster before any object of
// theirs is stored, so that owner references to them resolve (the garbage
// collector leaves alone dependents whose owner kind is unknown, as
// upstream's does for kinds its REST mapper cannot resolve).
func (c *Cluster) RegisterTypes(ts ...*Type) {
	for _, t := range ts {
		c.st.kindFor(t)
	}
}

// TypeOf returns the Type of kind k if the cluster knows it: a kind of
// this package, one registered with [Cluster.RegisterTypes], or one of a
// stored object.
func (v *View) TypeOf(k Kind) (*Type, bool) {
	if ks := v.c.st.kind(k); ks != nil {
		return ks.typ, true
	}
	switch k {
	case KindPod:
		return PodType, true
	case KindNode:
		return NodeType, true
	case KindNamespace:
		return NamespaceType, true
	case KindService:
		return ServiceType, true
	case KindEndpoints:
		return EndpointsType, true
	}
	return nil, false
}

// Controller returns the registered controller named name.
func (c *Cluster) Controller(name string) (Controller, bool) {
	for _, ctrl := range c.ctrls {
		if ctrl.Name() == name {
			return ctrl, true
		}
	}
	return nil, false
}

// Config returns the cluster's configuration with defaults filled in.
func (c *Cluster) Config() Config { return c.cfg }

// Now returns the virtual time: Config.Start (by default [Epoch]) plus
// [Cluster.Elapsed].
func (c *Cluster) Now() time.Time { return c.cfg.Start.Add(c.elapsed) }

// Elapsed returns the virtual time since the clock started.
func (c *Cluster) Elapsed() time.Duration { return c.elapsed }

// View returns read access to the cluster, as controllers see it.
func (c *Cluster) View() *View { return c.view }

// Get returns a copy of the object named r, as a client's GET does: the
// caller may change it and pass it to [Cluster.Update] or [Cluster.Apply].
// A namespaced kind named without a namespace is looked up in "default",
// as kubectl does. Controllers read through [View.Get], which copies
// nothing.
func (c *Cluster) Get(r Ref) (Object, bool) {
	if r.Namespace == "" && c.typeOf(r.Kind).Namespaced {
		r.Namespace = "default"
	}
	o, ok := c.st.get(r)
	if !ok {
		return nil, false
	}
	return DeepCopy(o), true
}

// List yields the objects of kind k in namespace ns ("" for all), ordered
// by namespace and name. Like an informer's lister, it yields the stored
// objects themselves, which are shared (with each other, too: pods share
// their template's containers) and must not be changed: to change one,
// change a copy ([DeepCopy], or [Cluster.Get]) and apply that. The write
// methods refuse a stored object passed back as it is.
func (c *Cluster) List(k Kind, ns string) iter.Seq[Object] { return c.st.list(k, ns) }

// Log returns a copy of the records kept so far.
func (c *Cluster) Log() []Record { return slices.Clone(c.log.records) }

// LogSince returns a copy of the kept records with Seq greater than seq.
func (c *Cluster) LogSince(seq uint64) []Record {
	i, _ := slices.BinarySearchFunc(c.log.records, seq+1, func(r Record, s uint64) int {
		switch {
		case r.Seq < s:
			return -1
		case r.Seq > s:
			return 1
		}
		return 0
	})
	return slices.Clone(c.log.records[i:])
}

// LastSeq returns the Seq of the last record appended (kept or not).
func (c *Cluster) LastSeq() uint64 { return c.log.seq }

// LogErr returns the first error writing to the log stream, if any.
func (c *Cluster) LogErr() error { return c.log.err }

// Pending returns the number of queued keys.
func (c *Cluster) Pending() int { return c.queue.len() }

// NextDue returns how long until the next queued key is due, and false
// when nothing is queued.
func (c *Cluster) NextDue() (time.Duration, bool) {
	t, ok := c.queue.peek()
	if !ok {
		return 0, false
	}
	return max(t.at-c.elapsed, 0), true
}

// ErrSettleLimit is wrapped by the error Settle returns when it runs out
// of steps.
var ErrSettleLimit = errors.New("cluster: settle: no fixed point")

// Settle runs all work that is due now, and the work it causes, until
// nothing is due. It never moves the clock. It fails, naming the last key
// it reconciled, if it needs more than Config.MaxSettleSteps reconciles.
func (c *Cluster) Settle() error {
	limit := c.settleLimit()
	ceiling := 4 * limit
	steps := 0
	for {
		t, ok := c.queue.peek()
		if !ok || t.at > c.elapsed {
			return nil
		}
		c.queue.pop()
		steps++
		if steps > limit {
			// The default grows with the objects the settle created, up
			// to four times its start (a loop that keeps creating
			// objects must still end).
			if l := min(c.settleLimit(), ceiling); c.cfg.MaxSettleSteps == 0 && l > limit {
				limit = l
			}
			if steps > limit {
				return fmt.Errorf("%w after %d steps (last: %s %s)", ErrSettleLimit, limit, c.ctrls[t.actor].Name(), t.key)
			}
		}
		c.reconcile(t)
	}
}

// settleLimit returns Config.MaxSettleSteps or, when that is 0, 100000
// plus 20 per stored object.
func (c *Cluster) settleLimit() int {
	if c.cfg.MaxSettleSteps != 0 {
		return c.cfg.MaxSettleSteps
	}
	limit := 100000
	for _, ks := range c.st.kinds {
		limit += 20 * ks.objs.Len()
	}
	return limit
}

// reconcile runs one queued task and applies its result.
func (c *Cluster) reconcile(t *task) {
	ctrl := c.ctrls[t.actor]
	res := ctrl.Reconcile(c.view, t.key)
	actor := res.Actor
	if actor == "" {
		actor = ctrl.Name()
	}
	err := c.applyAll(actor, res.Actions)
	if res.Err != nil {
		c.record(Record{Actor: actor, Verb: VerbFail, Object: t.key.Ref, Detail: "sync", Message: res.Err.Error()})
		if err == nil {
			err = res.Err
		}
	}
	ak := actorKey{t.actor, t.key}
	if err != nil {
		n := c.failures[ak]
		c.failures[ak] = n + 1
		delay := c.cfg.RetryBase << min(n, 40)
		if delay <= 0 || delay > c.cfg.RetryMax {
			delay = c.cfg.RetryMax
		}
		c.queue.add(t.actor, t.key, c.elapsed+delay)
	} else if c.failures[ak] > 0 {
		delete(c.failures, ak)
	}
	if res.RequeueAfter > 0 {
		c.queue.add(t.actor, t.key, c.elapsed+res.RequeueAfter)
	}
	for _, tm := range res.Later {
		c.queue.add(t.actor, tm.Key, c.elapsed+max(tm.After, 0))
	}
	if c.cfg.CheckImmutable {
		c.checkImmutable(ctrl.Name())
	}
	c.queue.release(t)
}

// Advance moves the clock forward by d, firing queued work in due order:
// it settles, then repeatedly jumps to the next due instant within d and
// settles there, and finally sets the clock to the end and settles.
func (c *Cluster) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("cluster: advance: negative duration %v", d)
	}
	c.record(Record{Actor: "user", Verb: VerbAdvance, Detail: d.String()})
	if err := c.Settle(); err != nil {
		return err
	}
	end := c.elapsed + d
	for {
		t, ok := c.queue.peek()
		if !ok || t.at > end {
			break
		}
		if t.at > c.elapsed {
			c.elapsed = t.at
		}
		if err := c.Settle(); err != nil {
			return err
		}
	}
	c.elapsed = end
	return c.Settle()
}

// Fork returns an independent copy of the cluster: the same objects,
// clock, pending work, controllers (each forked if it implements
// [Forker]) and log so far. Changes to either never show in the other.
// The store is copied in O(1); the queue in proportion to pending work.
// The fork streams its log nowhere.
func (c *Cluster) Fork() *Cluster {
	f := &Cluster{
		cfg:          c.cfg,
		st:           c.st.clone(),
		elapsed:      c.elapsed,
		queue:        c.queue.clone(),
		log:          c.log.clone(),
		rv:           c.rv,
		uids:         c.uids,
		nameCounters: make(map[string]uint64, len(c.nameCounters)),
		disconnected: make(map[string]time.Duration, len(c.disconnected)),
		failures:     make(map[actorKey]int, len(c.failures)),
	}
	f.cfg.Log.Stream = nil
	f.view = &View{c: f}
	for k, v := range c.nameCounters {
		f.nameCounters[k] = v
	}
	for k, v := range c.disconnected {
		f.disconnected[k] = v
	}
	for k, v := range c.failures {
		f.failures[k] = v
	}
	if c.shufflePCG != nil {
		pcg := *c.shufflePCG
		f.shufflePCG = &pcg
		f.shuffleRand = rand.New(f.shufflePCG)
		f.queue.shuffle = f.shuffleRand.Uint64
	}
	f.ctrls = make([]Controller, len(c.ctrls))
	for i, ctrl := range c.ctrls {
		if fk, ok := ctrl.(Forker); ok {
			f.ctrls[i] = fk.Fork()
		} else {
			f.ctrls[i] = ctrl
		}
	}
	return f
}

// ObjectDiff is one difference between two clusters: an object that only
// Old's cluster has (New is nil), only New's has (Old is nil), or both
// have in different versions.
type ObjectDiff struct {
	Ref      Ref
	Old, New Object
}

// Diff lists the objects that differ between a and b, ordered by kind,
// namespace and name. For a fork and its origin it costs time in
// proportion to the objects changed since the fork, not to the objects
// stored.
func Diff(a, b *Cluster) []ObjectDiff {
	var out []ObjectDiff
	kinds := map[Kind]*Type{}
	for _, ks := range a.st.kinds {
		kinds[ks.typ.Kind] = ks.typ
	}
	for _, ks := range b.st.kinds {
		kinds[ks.typ.Kind] = ks.typ
	}
	names := make([]Kind, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		ka, kb := a.st.kind(k), b.st.kind(k)
		ma, mb := emptyObjects, emptyObjects
		if ka != nil {
			ma = ka.objs
		}
		if kb != nil {
			mb = kb.objs
		}
		pbtree.Diff(ma, mb, func(x, y Object) bool { return x == y }, func(key objKey, va Object, inA bool, vb Object, inB bool) bool {
			d := ObjectDiff{Ref: Ref{Kind: k, Namespace: key.ns, Name: key.name}}
			if inA {
				d.Old = va
			}
			if inB {
				d.New = vb
			}
			out = append(out, d)
			return true
		})
	}
	return out
}

var emptyObjects = pbtree.New[objKey, Object](cmpObjKey)

// Disconnect makes the kubelet of node stop posting heartbeats, as in a
// network partition; the node lifecycle controller reacts after the grace
// period. Disconnecting a disconnected node changes nothing.
func (c *Cluster) Disconnect(node string) error { return c.setConnected(node, false) }

// Reconnect makes the kubelet of node post heartbeats again.
func (c *Cluster) Reconnect(node string) error { return c.setConnected(node, true) }

func (c *Cluster) setConnected(name string, connected bool) error {
	o, ok := c.st.get(Ref{Kind: KindNode, Name: name})
	if !ok {
		return c.userFailed(Ref{Kind: KindNode, Name: name}, NewNotFound(NodeType, name))
	}
	_, down := c.disconnected[name]
	if down != connected {
		return nil
	}
	verb := VerbDisconnect
	if connected {
		delete(c.disconnected, name)
		verb = VerbReconnect
	} else {
		c.disconnected[name] = c.elapsed
	}
	c.record(Record{Actor: "user", Verb: verb, Object: RefOf(o)})
	c.fanOut(Change{Old: o, New: o, Heartbeat: true})
	return nil
}

// Connected reports whether the kubelet of node posts heartbeats, and if
// not, since when it stopped (as virtual time since Epoch).
func (v *View) Connected(node string) (connected bool, since time.Duration) {
	t, down := v.c.disconnected[node]
	return !down, t
}

// record appends r to the log, stamped with the current time.
func (c *Cluster) record(r Record) {
	if c.dry {
		return
	}
	r.At = c.elapsed
	c.log.append(r)
}

// Logging reports whether records are kept or streamed, so that callers
// can skip building details nobody reads.
func (c *Cluster) Logging() bool { return c.log.enabled() }

// Logging reports whether the cluster keeps or streams records.
func (v *View) Logging() bool { return v.c.log.enabled() }

// fanOut tells every controller about ch.
func (c *Cluster) fanOut(ch Change) {
	if c.dry {
		return
	}
	for i, ctrl := range c.ctrls {
		ctrl.Watch(c.view, ch, Enqueuer{c, i})
	}
}
