package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// logWork creates two pods and relabels one through the labeler, so that
// the log holds user creates and a controller update.
func logWork(t *testing.T, c *Cluster) {
	t.Helper()
	if err := c.Register(labeler{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		if _, err := c.Create(newPod(name, map[string]string{"want": name})); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
}

func TestLogStreamTextMatchesLog(t *testing.T) {
	var buf bytes.Buffer
	c := MustNew(Config{Log: LogConfig{Stream: &buf}})
	logWork(t, c)
	want := strings.Join(logLines(c), "\n") + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("streamed text differs from Log (-log +stream):\n%s", diff)
	}
	if len(c.Log()) < 4 {
		t.Errorf("Log has %d records, want the creates and the labeler's updates", len(c.Log()))
	}
}

func TestLogStreamJSONLines(t *testing.T) {
	var buf bytes.Buffer
	c := MustNew(Config{Log: LogConfig{Stream: &buf, Format: LogJSON}})
	logWork(t, c)
	log := c.Log()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(log) {
		t.Fatalf("%d JSON lines, want %d", len(lines), len(log))
	}
	for i, line := range lines {
		var got recordJSON
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d %q: %v", i+1, line, err)
		}
		r := log[i]
		want := recordJSON{Seq: r.Seq, At: r.At.String(), Actor: r.Actor, Verb: r.Verb, Object: r.Object.String(),
			Detail: r.Detail, Type: r.Type, Reason: r.Reason, Message: r.Message}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("line %d (-want +got):\n%s", i+1, diff)
		}
	}
}

func TestLogFilterKeepsAndStreamsOnlyMatches(t *testing.T) {
	var buf bytes.Buffer
	onlyLabeler := func(r *Record) bool { return r.Actor == "labeler" }
	c := MustNew(Config{Log: LogConfig{Stream: &buf, Filter: onlyLabeler}})
	logWork(t, c)
	log := c.Log()
	if len(log) != 2 {
		t.Fatalf("filtered log = %q, want the labeler's two updates", logLines(c))
	}
	for _, r := range log {
		if r.Actor != "labeler" || r.Verb != VerbUpdate {
			t.Errorf("filtered log holds %q", r)
		}
	}
	// Seq numbers count every record, kept or not.
	if log[0].Seq <= 2 || c.LastSeq() < log[1].Seq {
		t.Errorf("seqs %d, %d with LastSeq %d: want the unfiltered numbering", log[0].Seq, log[1].Seq, c.LastSeq())
	}
	if got, want := buf.String(), log[0].String()+"\n"+log[1].String()+"\n"; got != want {
		t.Errorf("stream = %q, want %q", got, want)
	}
}

func TestLogDiscardKeepsNothingButStreams(t *testing.T) {
	var buf bytes.Buffer
	c := MustNew(Config{Log: LogConfig{Discard: true, Stream: &buf}})
	logWork(t, c)
	if got := c.Log(); len(got) != 0 {
		t.Errorf("Log() with Discard = %d records, want none", len(got))
	}
	if got := strings.Count(buf.String(), "\n"); uint64(got) != c.LastSeq() || got < 4 {
		t.Errorf("streamed %d lines with LastSeq %d, want every record", got, c.LastSeq())
	}
	quiet := MustNew(Config{Log: LogConfig{Discard: true}})
	if quiet.Logging() {
		t.Error("Logging() = true with Discard and no Stream, want false: details would be built for nobody")
	}
	logWork(t, quiet)
	if quiet.LastSeq() != c.LastSeq() {
		t.Errorf("LastSeq %d without a stream, %d with one: numbering must not depend on where records go", quiet.LastSeq(), c.LastSeq())
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestLogStreamErrorIsKeptAndStopsTheStream(t *testing.T) {
	w := &failingWriter{n: 10}
	c := MustNew(Config{Log: LogConfig{Stream: w}})
	logWork(t, c)
	if err := c.LogErr(); err == nil || err.Error() != "disk full" {
		t.Errorf("LogErr() = %v, want the stream's first error", err)
	}
	if len(c.Log()) < 4 {
		t.Errorf("a failing stream lost records kept in memory: %d left", len(c.Log()))
	}
}

func TestForkStreamsNowhereAndSharesItsPast(t *testing.T) {
	var buf bytes.Buffer
	c := MustNew(Config{Log: LogConfig{Stream: &buf}})
	logWork(t, c)
	streamed := buf.String()
	f := c.Fork()
	if _, err := f.Create(newPod("c", map[string]string{"want": "c"})); err != nil {
		t.Fatal(err)
	}
	if err := f.Settle(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != streamed {
		t.Errorf("a fork wrote to its parent's stream: %q", strings.TrimPrefix(buf.String(), streamed))
	}
	if got, want := len(f.Log()), len(c.Log())+2; got < want {
		t.Errorf("fork log has %d records, want the parent's %d and its own", got, len(c.Log()))
	}
	if diff := cmp.Diff(logLines(c), logLines(f)[:len(c.Log())]); diff != "" {
		t.Errorf("fork does not start from its parent's log:\n%s", diff)
	}
}

// BenchmarkLog writes 10⁶ records (updates of one pod's labels) and reports
// the live heap the log holds at the end: with the records kept in
// memory, and discarded while streamed as JSON lines to io.Discard.
func BenchmarkLog(b *testing.B) {
	const records = 1000000
	for _, tc := range []struct {
		name string
		cfg  LogConfig
	}{
		{"records=1000000/keep", LogConfig{}},
		{"records=1000000/stream", LogConfig{Discard: true, Stream: io.Discard, Format: LogJSON}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var mb float64
			for b.Loop() {
				c := MustNew(Config{Log: tc.cfg})
				p, err := c.Create(newPod("p", map[string]string{"n": "0"}))
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				labels := []map[string]string{{"n": "0"}, {"n": "1"}}
				for i := 1; c.LastSeq() < records; i++ {
					o, _ := c.Get(RefOf(p))
					np := o.Clone().(*Pod)
					np.Labels = labels[i%2]
					if err := c.Act("user", Update{Object: np, Detail: fmt.Sprintf("labels n=%d", i%2)}); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				mb = (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / (1 << 20)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(mb, "MB")
		})
	}
}
