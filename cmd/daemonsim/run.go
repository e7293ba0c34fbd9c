package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/daemonsim/daemonsim/scenario"
)

var runCommand = &command{
	name:    "run",
	summary: "run scenario files and check their expectations",
	usage: `Usage: daemonsim run [-update] [-q] [-o text|json] FILE...

Run scenario files (the format of package scenario: steps in kubectl
words, hand-written expect: checks, machine-written output: blocks) and
report, for each file, what every step printed (its log records and
renderings: the transcript), then its failures: harness errors, failed
expect: checks, output: blocks that differ from what the step printed. The
last line counts the files: "N passed, M failed". A file stops at its first
failing step.

Flags:

	-update        rewrite each file's output: blocks with what its steps
	               print (expect: blocks are never touched), then check it
	               again; files are written only when their bytes change
	-q, -quiet     print no transcripts, only failures and the counts
	-o, -output    text (the default) or json: {"files":[{"path", "passed",
	               "updated", "steps":[{"step", "line", "verb", "output",
	               "error"}], "failures":[{"kind", "message"}]}], "passed",
	               "failed"}

Exit status: 0 when every file passes, 1 when one fails, 2 on bad usage or
when a file cannot be read (or, with -update, written).
`,
	flags: func() *flag.FlagSet { return runFlags(new(runOptions)) },
	run:   runRun,
}

// runOptions are run's flags.
type runOptions struct {
	update, quiet bool
	output        string
}

func runFlags(o *runOptions) *flag.FlagSet {
	fs := newFlags("run")
	fs.BoolVar(&o.update, "update", false, "rewrite output: blocks")
	fs.BoolVar(&o.quiet, "q", false, "print no transcripts")
	fs.BoolVar(&o.quiet, "quiet", false, "print no transcripts")
	stringFlag(fs, &o.output, "o", "output", "text", "text or json")
	return fs
}

// runReport is run's -o json output.
type runReport struct {
	Files  []fileReport `json:"files"`
	Passed int          `json:"passed"`
	Failed int          `json:"failed"`
}

type fileReport struct {
	Path     string          `json:"path"`
	Passed   bool            `json:"passed"`
	Updated  bool            `json:"updated"`
	Steps    []stepReport    `json:"steps"`
	Failures []failureReport `json:"failures"`
}

type stepReport struct {
	Step   int    `json:"step"`
	Line   int    `json:"line"`
	Verb   string `json:"verb"`
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

type failureReport struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

func runRun(c *cli, args []string) error {
	var o runOptions
	fs := runFlags(&o)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	update, quiet := o.update, o.quiet
	format, err := parseOutput(o.output, false)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no scenario files given")
	}
	rep := runReport{Files: []fileReport{}}
	unreadable := false
	for _, path := range files {
		res, err := scenario.RunFile(path, scenario.Options{Update: update})
		if err != nil {
			unreadable = true
			fmt.Fprintf(c.stderr, "daemonsim: run: %v\n", err)
			rep.Failed++
			rep.Files = append(rep.Files, fileReport{Path: path, Steps: []stepReport{},
				Failures: []failureReport{{Kind: "unreadable", Message: err.Error()}}})
			if format == outputText {
				fmt.Fprintf(c.stdout, "--- FAIL: %s (cannot run: see stderr)\n", path)
			}
			continue
		}
		fr := fileResult(res)
		if fr.Passed {
			rep.Passed++
		} else {
			rep.Failed++
		}
		rep.Files = append(rep.Files, fr)
		if format == outputText {
			printFileResult(c, res, quiet)
		}
	}
	if format == outputText {
		fmt.Fprintf(c.stdout, "%d passed, %d failed\n", rep.Passed, rep.Failed)
	} else if err := c.writeMachine(format, rep); err != nil {
		return err
	}
	switch {
	case unreadable:
		return &failedError{exitUsage}
	case rep.Failed > 0:
		return &failedError{exitFailure}
	}
	return nil
}

// fileResult converts a scenario result to its report.
func fileResult(res *scenario.Result) fileReport {
	fr := fileReport{Path: res.Path, Passed: res.Passed(), Updated: res.Updated, Steps: []stepReport{}, Failures: []failureReport{}}
	for _, s := range res.Steps {
		sr := stepReport{Step: s.N, Line: s.Line, Verb: s.Verb, Output: s.Output}
		if s.Err != nil {
			sr.Error = s.Err.Error()
		}
		fr.Steps = append(fr.Steps, sr)
	}
	for _, f := range res.Failures {
		fr.Failures = append(fr.Failures, failureReport{Kind: f.Kind.String(), Message: f.String()})
	}
	return fr
}

// printFileResult prints one file's transcript and failures between an
// "=== RUN" and a "--- PASS" or "--- FAIL" line, as go test does.
func printFileResult(c *cli, res *scenario.Result, quiet bool) {
	if !quiet {
		fmt.Fprintf(c.stdout, "=== RUN %s\n", res.Path)
		c.stdout.WriteString(res.Transcript())
	}
	verdict := "PASS"
	if !res.Passed() {
		verdict = "FAIL"
	}
	note := ""
	if res.Updated {
		note = " (output: blocks updated)"
	}
	fmt.Fprintf(c.stdout, "--- %s: %s%s\n", verdict, res.Path, note)
	for _, f := range res.Failures {
		msg := strings.TrimRight(f.String(), "\n")
		fmt.Fprintf(c.stdout, "    %s\n", strings.ReplaceAll(msg, "\n", "\n    "))
	}
}
