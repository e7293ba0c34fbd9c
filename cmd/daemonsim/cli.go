package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/scenario"
)

// newFlags returns a flag set that reports errors instead of printing
// them (dispatch prints them once, with the hint to --help).
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	return nil
}

// parseInterspersed parses args as kubectl does, with flags before,
// between and after the arguments ("explain ds/x -n kube-system"), and
// returns the arguments. After "--" every word is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// stringFlag defines a string flag under a short and a long name, as
// kubectl's -f/--filename.
func stringFlag(fs *flag.FlagSet, p *string, short, long, value, usage string) {
	fs.StringVar(p, short, value, usage)
	if long != "" {
		fs.StringVar(p, long, value, usage)
	}
}

// outputFormat is the value of -o.
type outputFormat string

const (
	outputText outputFormat = "text"
	outputJSON outputFormat = "json"
	outputYAML outputFormat = "yaml"
)

// parseOutput parses -o: "" (the default) and "table" mean text; yaml is
// accepted only when allowed.
func parseOutput(s string, yamlOK bool) (outputFormat, error) {
	switch s {
	case "", "text", "table":
		return outputText, nil
	case "json":
		return outputJSON, nil
	case "yaml":
		if yamlOK {
			return outputYAML, nil
		}
		return "", usagef("unknown output format %q (want text or json)", s)
	}
	if yamlOK {
		return "", usagef("unknown output format %q (want table, json or yaml)", s)
	}
	return "", usagef("unknown output format %q (want text or json)", s)
}

// writeMachine writes v as indented JSON or as YAML.
func (c *cli) writeMachine(f outputFormat, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if f == outputJSON {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	if f == outputJSON {
		_, err := c.stdout.Write(buf.Bytes())
		return err
	}
	return writeYAML(c.stdout, buf.Bytes(), 0, false)
}

// readInput reads the file at path ("-" is standard input), bounded by
// limit bytes. The name it returns is the one error messages use.
func readInput(path string, limit int) (data []byte, name string, err error) {
	var r io.Reader
	var buf bytes.Buffer
	name = path
	if path == "-" {
		r, name = stdin, "<stdin>"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", &inputError{err}
		}
		defer f.Close()
		r = f
		// One buffer of the file's size: growing one by doubling would
		// copy a large dump several times and leave the copies to the
		// collector (100 MB and more of peak memory for a 279 MB dump).
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() <= int64(limit) {
			buf.Grow(int(st.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, int64(limit)+1)); err != nil {
		return nil, "", &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	data = buf.Bytes()
	if len(data) > limit {
		return nil, "", &inputError{fmt.Errorf("%s: more than the limit of %d bytes", name, limit)}
	}
	return data, name, nil
}

// stateOptions are the flags shared by the commands that read a state.
type stateOptions struct {
	file      string
	namespace string
	output    string
	advance   string // whatif's -advance, a duration
	noSettle  bool
}

// defineState defines -f/--filename and -n/--namespace.
func (o *stateOptions) defineState(fs *flag.FlagSet) {
	stringFlag(fs, &o.file, "f", "filename", "", "the cluster state: a kubectl -o yaml dump, or - for standard input")
	stringFlag(fs, &o.namespace, "n", "namespace", "default", "the namespace of the objects named")
}

// loadState reads and loads the state named by -f, reports skipped kinds
// on stderr and, unless noSettle, settles it into the baseline.
func (c *cli) loadState(o *stateOptions) (*scenario.Env, *scenario.StateReport, error) {
	if o.file == "" {
		return nil, nil, usagef("-f is required")
	}
	data, name, err := readInput(o.file, scenario.MaxStateBytes)
	if err != nil {
		return nil, nil, err
	}
	if blankYAML(data) {
		// What a failed `kubectl get … > dump.yaml` leaves; a state with
		// no objects is an empty List.
		return nil, nil, &inputError{fmt.Errorf("%s: no objects: the file is empty", name)}
	}
	rep, env, err := scenario.LoadStateWith(data, name, cluster.Config{Log: cluster.LogConfig{Discard: true}},
		scenario.LoadOptions{Parallel: parallel})
	if err != nil {
		return nil, nil, &inputError{err}
	}
	if n := rep.SkippedTotal(); n > 0 {
		fmt.Fprintf(c.stderr, "daemonsim: %s: skipped %d %s of kinds daemonsim does not model: %s\n",
			name, n, plural(n, "object", "objects"), rep.SkippedSummary())
	}
	if n := rep.DroppedOwnersTotal(); n > 0 {
		if n == 1 {
			fmt.Fprintf(c.stderr, "daemonsim: %s: ignored 1 owner reference to an object not in the state (%s), so that the garbage collector keeps its dependent\n",
				name, rep.DroppedOwnersSummary())
		} else {
			fmt.Fprintf(c.stderr, "daemonsim: %s: ignored %d owner references to objects not in the state (%s), so that the garbage collector keeps their dependents\n",
				name, n, rep.DroppedOwnersSummary())
		}
	}
	if !o.noSettle {
		if err := env.Settle(); err != nil {
			return nil, nil, fmt.Errorf("settling the state: %w", err)
		}
	}
	return env, rep, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// namespaceHint returns, for a DaemonSet name not found in namespace,
// " (it exists in namespace x: use -n x)" when it exists elsewhere, and
// else the names namespace does have.
func namespaceHint(env *scenario.Env, kind cluster.Kind, name, namespace string) string {
	var found []string
	for o := range env.List(kind, "") {
		if m := o.Meta(); m.Name == name && m.Namespace != namespace {
			found = append(found, m.Namespace)
		}
	}
	switch len(found) {
	case 0:
		var here []string
		for o := range env.List(kind, namespace) {
			here = append(here, o.Meta().Name)
		}
		switch {
		case len(here) == 0:
			return fmt.Sprintf(" (namespace %s has none)", namespace)
		case len(here) > 8:
			return fmt.Sprintf(" (namespace %s has %s, … %d in all)", namespace, strings.Join(here[:8], ", "), len(here))
		}
		return fmt.Sprintf(" (namespace %s has %s)", namespace, strings.Join(here, ", "))
	case 1:
		return fmt.Sprintf(" (it exists in namespace %s: use -n %s)", found[0], found[0])
	}
	return fmt.Sprintf(" (it exists in namespaces %s: use -n)", strings.Join(found, ", "))
}

// blankYAML reports whether data holds no YAML document: nothing but
// blank lines, comments and document markers.
func blankYAML(data []byte) bool {
	for line := range bytes.Lines(data) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if bytes.HasPrefix(t, []byte("---")) || bytes.HasPrefix(t, []byte("...")) {
			if rest := bytes.TrimSpace(t[3:]); len(rest) == 0 || rest[0] == '#' {
				continue
			}
		}
		return false
	}
	return true
}
