package scenario

import (
	"strconv"
	"strings"
)

// Error is an error in a scenario or manifest file, with its position. Its
// text has the form
//
//	file:line: step N (verb): message
//
// where the step part appears only for errors within a step, the line
// only when known, and the file only when the input has a name (otherwise
// the position reads "line N: ").
type Error struct {
	File string // the file name as given; "" for unnamed input
	Line int    // 1-based; 0 when unknown
	Step int    // 1-based step number; 0 outside steps
	Verb string // the step's verb, when known
	Msg  string
}

// Error returns the positioned message.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		b.WriteString(e.File)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	case e.File != "":
		b.WriteString(e.File)
		b.WriteString(": ")
	case e.Line > 0:
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Step > 0 {
		b.WriteString("step ")
		b.WriteString(strconv.Itoa(e.Step))
		if e.Verb != "" {
			b.WriteString(" (")
			b.WriteString(e.Verb)
			b.WriteByte(')')
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// inStep returns err positioned in step n with verb, when it is an
// [*Error] without a step; other errors get the step's position.
func inStep(err error, file string, line, n int, verb string) *Error {
	if e, ok := err.(*Error); ok {
		c := *e
		if c.Step == 0 {
			c.Step, c.Verb = n, verb
		}
		if c.File == "" {
			c.File = file
		}
		if c.Line == 0 {
			c.Line = line
		}
		return &c
	}
	return &Error{File: file, Line: line, Step: n, Verb: verb, Msg: err.Error()}
}
