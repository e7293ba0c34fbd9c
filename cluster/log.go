package cluster

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// Verb says what a [Record] records.
type Verb string

// The record verbs.
const (
	VerbCreate       Verb = "create"        // an object was created
	VerbLoad         Verb = "load"          // an object was loaded as it was (see Cluster.Load)
	VerbUpdate       Verb = "update"        // an object's metadata or spec changed
	VerbUpdateStatus Verb = "update-status" // an object's status changed
	VerbDelete       Verb = "delete"        // deletion started (deletionTimestamp set) or the object went
	VerbBind         Verb = "bind"          // a pod was bound to a node
	VerbEvict        Verb = "evict"         // a pod was evicted
	VerbEvent        Verb = "event"         // a Kubernetes Event
	VerbNote         Verb = "note"          // a controller decision worth explaining
	VerbFail         Verb = "fail"          // an action failed; Message holds the error
	VerbAdvance      Verb = "advance"       // the user moved the clock; Detail holds by how much
	VerbDisconnect   Verb = "disconnect"    // a node's kubelet stopped posting heartbeats
	VerbReconnect    Verb = "reconnect"     // a node's kubelet resumed posting heartbeats
)

// Record is one entry of the cluster's ordered log.
type Record struct {
	Seq     uint64        // 1-based, strictly increasing, never reused
	At      time.Duration // virtual time since Epoch
	Actor   string        // "user", "daemonset-controller", "kubelet/node-a", …
	Verb    Verb
	Object  Ref
	Detail  string // canonical, actor-supplied: "node=node-a", "labels +disk=ssd"
	Type    string // for events: Normal or Warning
	Reason  string // for events: SuccessfulCreate, …
	Message string // for events, notes and failures
}

// String renders the record as one line:
//
//	<elapsed> <actor> <verb> <object> [<detail>] [<type> <reason>] ["<message>"]
//
// for example
//
//	0s daemonset-controller event DaemonSet/default/fluentd Normal SuccessfulCreate "Created pod: fluentd-b7x2k"
//
// Seq is not printed. This format is stable: goldens depend on it, and
// changing it requires regenerating them with -update.
func (r Record) String() string {
	var b strings.Builder
	b.Grow(64 + len(r.Detail) + len(r.Message))
	b.WriteString(r.At.String())
	b.WriteByte(' ')
	b.WriteString(r.Actor)
	b.WriteByte(' ')
	b.WriteString(string(r.Verb))
	if r.Object.Kind != "" {
		b.WriteByte(' ')
		b.WriteString(r.Object.String())
	}
	if r.Detail != "" {
		b.WriteByte(' ')
		b.WriteString(r.Detail)
	}
	if r.Type != "" {
		b.WriteByte(' ')
		b.WriteString(r.Type)
	}
	if r.Reason != "" {
		b.WriteByte(' ')
		b.WriteString(r.Reason)
	}
	if r.Message != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(r.Message))
	}
	return b.String()
}

// recordJSON is the JSON-lines form of a Record.
type recordJSON struct {
	Seq     uint64 `json:"seq"`
	At      string `json:"at"`
	Actor   string `json:"actor"`
	Verb    Verb   `json:"verb"`
	Object  string `json:"object,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Type    string `json:"type,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

// MarshalJSON writes the record as a JSON object with the fields seq, at
// (elapsed, as in String), actor, verb, object, detail, type, reason and
// message.
func (r Record) MarshalJSON() ([]byte, error) {
	j := recordJSON{Seq: r.Seq, At: r.At.String(), Actor: r.Actor, Verb: r.Verb,
		Detail: r.Detail, Type: r.Type, Reason: r.Reason, Message: r.Message}
	if r.Object.Kind != "" {
		j.Object = r.Object.String()
	}
	return json.Marshal(j)
}

// LogFormat is how a log stream writes records.
type LogFormat int

// The stream formats.
const (
	LogText LogFormat = iota // one Record.String line per record
	LogJSON                  // one JSON object per line
)

// LogConfig says where the cluster's records go. The zero value keeps every
// record in memory and streams none.
type LogConfig struct {
	// Discard keeps no record in memory; [Cluster.Log] then returns
	// nothing, and records still reach Stream. Use it, with Stream and
	// Filter, for runs with millions of records.
	Discard bool
	// Stream, when set, receives every record that passes Filter, as it
	// is appended, in Format.
	Stream io.Writer
	Format LogFormat
	// Filter, when set, selects the records that are kept and streamed.
	Filter func(*Record) bool
}

// logger appends records.
type logger struct {
	cfg     LogConfig
	records []Record
	seq     uint64
	err     error // the first stream write error
}

// enabled reports whether a record would go anywhere. Callers skip
// building details when it is false.
func (l *logger) enabled() bool {
	return !l.cfg.Discard || l.cfg.Stream != nil
}

func (l *logger) append(r Record) {
	l.seq++
	if l.cfg.Discard && l.cfg.Stream == nil {
		return
	}
	r.Seq = l.seq
	if l.cfg.Filter != nil {
		rr := r // only a filtered log pays for the copy escaping
		if !l.cfg.Filter(&rr) {
			return
		}
	}
	if !l.cfg.Discard {
		l.records = append(l.records, r)
	}
	if l.cfg.Stream != nil && l.err == nil {
		var line []byte
		if l.cfg.Format == LogJSON {
			line, _ = r.MarshalJSON()
		} else {
			line = []byte(r.String())
		}
		line = append(line, '\n')
		_, l.err = l.cfg.Stream.Write(line)
	}
}

// clone returns a logger for a fork: it shares the records so far (copy on
// append) and streams nowhere.
func (l *logger) clone() *logger {
	cfg := l.cfg
	cfg.Stream = nil
	return &logger{cfg: cfg, records: l.records[:len(l.records):len(l.records)], seq: l.seq}
}
