package scenario

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Splice returns the source of f with the output: blocks of the given
// steps rewritten to hold their Output, and every other byte unchanged:
//
//   - an existing output: block whose content differs has its lines
//     replaced (the block ends before the first non-blank line indented
//     at or left of the output key's column; blank lines after it are
//     kept);
//   - a step without one that now prints something gets "output: |"
//     inserted after its last line, indented as the step's keys, with
//     the content indented two more spaces;
//   - a step whose output is now empty loses its output key and block.
//
// A block whose first line starts with a space gets the indentation
// indicator "|2". Edits are applied from the bottom up. Steps not in
// results keep their blocks. Splice fails on a step it cannot edit in
// place (a flow-style step, or a step written as an alias).
func Splice(f *File, results []StepResult) ([]byte, error) {
	src := string(f.src)
	eol := "\n"
	if i := strings.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		eol = "\r\n"
	}
	finalEOL := strings.HasSuffix(src, "\n")
	body := strings.TrimSuffix(src, "\n")
	var lines []string
	if body != "" || finalEOL {
		lines = strings.Split(body, "\n")
	}
	cr := ""
	if eol == "\r\n" {
		cr = "\r"
	}
	type edit struct {
		start, end int // replace lines[start:end]
		repl       []string
	}
	var edits []edit
	for _, sr := range results {
		if sr.N < 1 || sr.N > len(f.Steps) {
			continue
		}
		s := f.Steps[sr.N-1]
		got := normalizeOutput(sr.Output)
		if s.HasOutput && got != "" && normalizeOutput(s.Output) == got {
			continue
		}
		if !s.HasOutput && got == "" {
			continue
		}
		if s.aliased {
			return nil, &Error{File: f.Path, Line: s.Line, Step: s.N, Verb: s.Verb, Msg: "cannot update the output of a step written as an alias; write the step out"}
		}
		if s.node.Style&yaml.FlowStyle != 0 {
			return nil, &Error{File: f.Path, Line: s.Line, Step: s.N, Verb: s.Verb, Msg: "cannot update the output of a flow-style step; write the step in block style"}
		}
		if s.HasOutput {
			keyLine := s.outputKey.Line - 1
			col := s.outputKey.Column - 1
			if keyLine >= len(lines) || strings.TrimSpace(lines[keyLine][:min(col, len(lines[keyLine]))]) != "" {
				return nil, &Error{File: f.Path, Line: s.outputKey.Line, Step: s.N, Verb: s.Verb, Msg: "cannot update output: the key must start its line"}
			}
			end := blockEnd(lines, keyLine+1, col)
			var repl []string
			if got != "" {
				repl = outputBlock(col, got, cr)
			}
			edits = append(edits, edit{keyLine, end, repl})
			continue
		}
		col := s.verbKey.Column - 1
		end := stepEnd(lines, s.verbKey.Line, col)
		edits = append(edits, edit{end, end, outputBlock(col, got, cr)})
	}
	slices.SortFunc(edits, func(a, b edit) int { return b.start - a.start })
	for _, e := range edits {
		lines = slices.Replace(lines, e.start, e.end, e.repl...)
	}
	out := strings.Join(lines, "\n")
	if finalEOL {
		out += "\n"
	}
	return []byte(out), nil
}

// indentOf returns the number of leading spaces of line, and whether the
// line is blank.
func indentOf(line string) (int, bool) {
	t := strings.TrimRight(line, " \t\r")
	if t == "" {
		return 0, true
	}
	return len(t) - len(strings.TrimLeft(t, " ")), false
}

// blockEnd returns the index of the line after the last content line of
// a block that starts at line from (0-based) under a key at column col:
// the block ends before the first non-blank line indented at or left of
// col; trailing blank lines are not part of it.
func blockEnd(lines []string, from, col int) int {
	end := from
	for i := from; i < len(lines); i++ {
		ind, blank := indentOf(lines[i])
		if blank {
			continue
		}
		if ind <= col {
			break
		}
		end = i + 1
	}
	return end
}

// stepEnd returns the index of the line after the last line of the step
// whose verb key is on line verbLine (1-based) at column col: the step
// goes on while lines are blank or indented at least col, and does not
// include trailing blank lines, nor trailing comment lines indented at or
// left of col (they belong to the next step).
func stepEnd(lines []string, verbLine, col int) int {
	end := verbLine
	for i := verbLine; i < len(lines); i++ {
		ind, blank := indentOf(lines[i])
		if blank {
			continue
		}
		if ind < col {
			break
		}
		if ind == col && strings.HasPrefix(strings.TrimSpace(lines[i]), "#") {
			continue
		}
		end = i + 1
	}
	return end
}

// outputBlock renders "output: |" at column col with text (non-empty,
// ending in a newline) indented two more spaces; cr is appended to every
// line for CRLF files.
func outputBlock(col int, text, cr string) []string {
	indent := strings.Repeat(" ", col)
	content := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	header := "output: |"
	for _, l := range content {
		if l == "" {
			continue
		}
		if l[0] == ' ' {
			header = "output: |2"
		}
		break
	}
	out := []string{indent + header + cr}
	for _, l := range content {
		if l == "" {
			out = append(out, cr)
			continue
		}
		out = append(out, indent+"  "+l+cr)
	}
	return out
}
