package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// stdin is what "-f -" reads; tests replace it.
var stdin io.Reader = os.Stdin

func main() {
	// Loading a large dump allocates much and keeps most of it; with the
	// dump decoded on every core, the collector at its default target
	// took cores from the decoding. At 200, whatif on the 279 MB dump of
	// the README ran about 10 % faster (13 interleaved runs on 2 cores,
	// less CPU in every one) for 1-7 % more peak memory, which the decoded
	// state sets; on its 24 MB dump without pods, 8 % faster for 240 MB
	// instead of 203. GOGC, when set, wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses (see the package documentation).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	// usage is the help text: a synopsis line, a description and the
	// flags, as `daemonsim help NAME` prints it.
	usage string
	// flags returns the command's flag set, for tests of the help text.
	flags func() *flag.FlagSet
	// run parses args (the words after the command name) and runs.
	run func(c *cli, args []string) error
}

// commands lists the commands in the order help lists them.
var commands = []*command{runCommand, whatifCommand, explainCommand, showCommand, generateCommand}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

const mainUsage = `daemonsim simulates the Kubernetes DaemonSet controller, in memory and
deterministically, and answers what-if questions about a cluster's state.

Usage:

	daemonsim <command> [flags] [arguments]

Commands:

%s
Run 'daemonsim help <command>' (or 'daemonsim <command> --help') for a
command's flags and arguments.

Exit status: 0 on success; 1 when a scenario fails (run; a scenario file
that does not parse fails) or the simulation itself fails; 2 on bad usage
or bad input (unknown command or flag, a file that cannot be read, a state
or manifest that does not parse, a change that names nothing).
`

func mainHelp() string {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "\t%-9s %s\n", "help", "print the help of a command")
	return fmt.Sprintf(mainUsage, b.String())
}

// cli is one invocation: where output goes.
type cli struct {
	stdout *bufio.Writer
	stderr io.Writer
}

// usageError is bad usage: the message is printed with a hint to the
// command's help, and the exit status is 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// inputError is bad input (a file that cannot be read or does not parse,
// a change that names nothing): exit status 2, no usage hint.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// failedError reports failures already printed (run's failed scenarios):
// exit status 1 and nothing more to say.
type failedError struct{ status int }

func (e *failedError) Error() string { return fmt.Sprintf("exit status %d", e.status) }

// run runs the command line args (without the program name), writing to
// stdout and stderr, and returns the exit status. A panic is a bug: it is
// reported with its stack, and the status is 1.
func run(args []string, stdout, stderr io.Writer) (status int) {
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer func() {
		if v := recover(); v != nil {
			out.Flush()
			fmt.Fprintf(stderr, "daemonsim: internal error: panic: %v\n%s", v, debug.Stack())
			status = exitFailure
		}
	}()
	status = dispatch(args, out, stderr)
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "daemonsim: %v\n", err)
		if status == exitOK {
			status = exitFailure
		}
	}
	return status
}

func dispatch(args []string, stdout *bufio.Writer, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainHelp())
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if name != "help" || len(rest) == 0 {
			fmt.Fprint(stdout, mainHelp())
			return exitOK
		}
		if len(rest) > 1 {
			fmt.Fprintf(stderr, "daemonsim: help: want one command, got %q\nRun 'daemonsim help' for usage.\n", rest)
			return exitUsage
		}
		c := lookup(rest[0])
		if c == nil {
			fmt.Fprintf(stderr, "daemonsim: help: unknown command %q\nRun 'daemonsim help' for usage.\n", rest[0])
			return exitUsage
		}
		fmt.Fprint(stdout, c.usage)
		return exitOK
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "daemonsim: unknown command %q\nRun 'daemonsim help' for usage.\n", name)
		return exitUsage
	}
	x := &cli{stdout: stdout, stderr: stderr}
	err := c.run(x, rest)
	var ue *usageError
	var fe *failedError
	var ie *inputError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, c.usage)
		return exitOK
	case errors.As(err, &fe):
		return fe.status
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "daemonsim: %s: %s\nRun 'daemonsim %s --help' for usage.\n", c.name, ue.msg, c.name)
		return exitUsage
	case errors.As(err, &ie):
		fmt.Fprintf(stderr, "daemonsim: %s: %v\n", c.name, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "daemonsim: %s: %v\n", c.name, err)
		return exitFailure
	}
}
