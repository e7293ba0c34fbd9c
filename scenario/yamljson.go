package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Input bounds. A scenario or state file that exceeds them is rejected
// with an error that names the bound.
const (
	// MaxDocumentBytes bounds the size of one YAML document (and of a
	// scenario file): 8 MiB.
	MaxDocumentBytes = 8 << 20
	// MaxInputBytes bounds the size of one input of [DecodeWith]: 256 MiB,
	// room for a kubectl dump of a large cluster split into documents.
	MaxInputBytes = 256 << 20
	// MaxAliasNodes bounds how many nodes YAML aliases may expand to in
	// one document, against "billion laughs" alias bombs: 10000.
	MaxAliasNodes = 10000
	// maxDepth bounds the nesting of YAML collections.
	maxDepth = 200
)

// parseDocuments parses data into its YAML documents (DocumentNodes),
// enforcing the size bounds. name is the file name for messages.
func parseDocuments(name string, data []byte, maxDoc int) (docs []*yaml.Node, err error) {
	if maxDoc <= 0 {
		maxDoc = MaxDocumentBytes
	}
	if len(data) > MaxInputBytes {
		return nil, &Error{File: name, Msg: fmt.Sprintf("input is %d bytes, more than the limit of %d", len(data), MaxInputBytes)}
	}
	defer func() {
		// yaml.v3 reports errors by panicking internally and recovering;
		// guard against any panic that escapes it on hostile input.
		if r := recover(); r != nil {
			docs, err = nil, &Error{File: name, Msg: fmt.Sprintf("yaml: %v", r)}
		}
	}()
	lines := lineOffsets(data)
	if spans := jsonStreamSpans(data); spans != nil {
		return parseJSONStream(name, data, lines, spans, maxDoc)
	}
	if err := precheckDocuments(name, data, lines, maxDoc); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, yamlError(name, data, err)
		}
		docs = append(docs, &doc)
	}
	// Measure each document as the span of lines from its first line to
	// the next document's first line.
	first := func(d *yaml.Node) int {
		if len(d.Content) > 0 {
			return d.Content[0].Line
		}
		return d.Line
	}
	for i, d := range docs {
		start := lineStart(lines, first(d))
		end := len(data)
		if i+1 < len(docs) {
			end = lineStart(lines, first(docs[i+1]))
		}
		if end-start > maxDoc {
			return nil, &Error{File: name, Line: first(d), Msg: fmt.Sprintf("document is %d bytes, more than the limit of %d", end-start, maxDoc)}
		}
	}
	return docs, nil
}

// jsonStreamSpans returns the byte spans of the top-level JSON objects of
// data when data is two or more of them separated by blanks only, as
// `jq -c '.items[]'` or a loop of `kubectl get -o json` prints them; else
// nil. YAML reads one JSON object as a document but not several in a row
// without "---" between them. The scan tracks strings and nesting only:
// whether each object is valid is for the parser to say.
func jsonStreamSpans(data []byte) [][2]int {
	var spans [][2]int
	i := skipBlanks(data, 0)
	for i < len(data) {
		if data[i] != '{' {
			return nil
		}
		start, depth, inString, closed := i, 0, false, false
		for ; i < len(data) && !closed; i++ {
			c := data[i]
			switch {
			case inString && c == '\\':
				i++
			case inString:
				inString = c != '"'
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				closed = depth == 0
			}
		}
		if !closed {
			return nil
		}
		spans = append(spans, [2]int{start, i})
		i = skipBlanks(data, i)
	}
	if len(spans) < 2 {
		return nil
	}
	return spans
}

func skipBlanks(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// parseJSONStream parses each object of a JSON stream (see
// jsonStreamSpans) as a document, with the lines of data.
func parseJSONStream(name string, data []byte, lines []int, spans [][2]int, maxDoc int) ([]*yaml.Node, error) {
	var docs []*yaml.Node
	for _, sp := range spans {
		line := lineOf(lines, sp[0])
		if sp[1]-sp[0] > maxDoc {
			return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("document is %d bytes, more than the limit of %d", sp[1]-sp[0], maxDoc)}
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data[sp[0]:sp[1]], &doc); err != nil {
			e := yamlError(name, data[sp[0]:sp[1]], err)
			var pe *Error
			if errors.As(e, &pe) && pe.Line > 0 {
				pe.Line += line - 1
			}
			return nil, e
		}
		shiftLines(&doc, line-1)
		docs = append(docs, &doc)
	}
	return docs, nil
}

// lineOf returns the 1-based line of byte offset off, given the offsets
// at which lines start.
func lineOf(lines []int, off int) int {
	n, _ := slices.BinarySearch(lines, off+1)
	return n
}

// shiftLines adds d to the line of every node under n.
func shiftLines(n *yaml.Node, d int) {
	n.Line += d
	for _, c := range n.Content {
		shiftLines(c, d)
	}
}

// precheckDocuments measures the documents of data from its text, before
// yaml.v3 builds a node tree, so that an oversized document costs memory
// in proportion to the bound, not to the input. A line starting with
// "---" followed by a blank or the line's end starts a document and one
// starting with "..." so ends one: YAML forbids such lines inside any
// content. Each document is measured from
// its first line of content (not blank, a comment, a directive or a bare
// marker) to the next document's, as parseDocuments measures the parsed
// documents.
func precheckDocuments(name string, data []byte, lines []int, maxDoc int) error {
	if len(data) <= maxDoc {
		return nil
	}
	type doc struct{ line, start int }
	var docs []doc
	inDoc := false // a document's first content line was seen
	for i, off := range lines {
		end := len(data)
		if i+1 < len(lines) {
			end = lines[i+1]
		}
		text := bytes.TrimRight(data[off:end], "\r\n")
		marker := bytes.HasPrefix(text, []byte("---")) && (len(text) == 3 || text[3] == ' ' || text[3] == '\t')
		if bytes.HasPrefix(text, []byte("...")) && (len(text) == 3 || text[3] == ' ' || text[3] == '\t') {
			inDoc = false // a document end marker
			continue
		}
		if marker {
			inDoc = false
			rest := bytes.TrimSpace(text[3:])
			if len(rest) == 0 || rest[0] == '#' {
				continue
			}
		}
		if inDoc {
			continue
		}
		t := bytes.TrimSpace(text)
		if !marker && (len(t) == 0 || t[0] == '#' || t[0] == '%') {
			continue
		}
		docs = append(docs, doc{line: i + 1, start: off})
		inDoc = true
	}
	for i, d := range docs {
		end := len(data)
		if i+1 < len(docs) {
			end = docs[i+1].start
		}
		if end-d.start > maxDoc {
			return &Error{File: name, Line: d.line, Msg: fmt.Sprintf("document is %d bytes, more than the limit of %d", end-d.start, maxDoc)}
		}
	}
	return nil
}

// yamlError turns a yaml.v3 parse error ("yaml: line 3: …") into an
// [*Error] with the line. yaml.v3 names no line for an unknown anchor;
// the first reference to it in data gives one.
func yamlError(name string, data []byte, err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return &Error{File: name, Line: n, Msg: "yaml: " + rest[i+2:]}
			}
		}
	}
	if anchor, ok := strings.CutPrefix(msg, "yaml: unknown anchor '"); ok {
		if anchor, ok = strings.CutSuffix(anchor, "' referenced"); ok {
			return &Error{File: name, Line: aliasLine(data, anchor), Msg: msg}
		}
	}
	return &Error{File: name, Msg: msg}
}

// aliasLine returns the line of the first alias "*anchor" in data, or 0.
func aliasLine(data []byte, anchor string) int {
	ref := []byte("*" + anchor)
	for off := 0; ; {
		i := bytes.Index(data[off:], ref)
		if i < 0 {
			return 0
		}
		end := off + i + len(ref)
		if end == len(data) || strings.IndexByte(" \t\r\n,]}", data[end]) >= 0 {
			return 1 + bytes.Count(data[:off+i], []byte("\n"))
		}
		off = end
	}
}

// lineOffsets returns the byte offset of the start of each line; line n
// (1-based) starts at offsets[n-1].
func lineOffsets(data []byte) []int {
	offs := []int{0}
	for i, b := range data {
		if b == '\n' {
			offs = append(offs, i+1)
		}
	}
	return offs
}

func lineStart(offs []int, line int) int {
	if line < 1 {
		return 0
	}
	if line > len(offs) {
		return offs[len(offs)-1]
	}
	return offs[line-1]
}

// converter turns a YAML node tree into JSON, resolving aliases and merge
// keys within a budget.
type converter struct {
	file    string
	budget  int // alias nodes left to expand
	inAlias int // nesting of alias expansions
	depth   int
	buf     bytes.Buffer
	sizes   map[*yaml.Node]int // memoized subtree sizes for deref
}

func newConverter(file string) *converter {
	return &converter{file: file, budget: MaxAliasNodes}
}

// deref resolves alias n to the node it names, charging the target's
// size against the alias budget: callers walk the result with no alias in
// sight, so this is the only place the expansion can be counted. A
// non-alias node is returned unchanged and free.
func (cv *converter) deref(n *yaml.Node) (*yaml.Node, error) {
	for i := 0; n.Kind == yaml.AliasNode; i++ {
		if n.Alias == nil {
			return nil, cv.errorf(n, "yaml: unknown anchor %q", n.Value)
		}
		if i >= maxDepth {
			return nil, cv.errorf(n, "yaml: nesting deeper than %d levels", maxDepth)
		}
		cv.budget -= cv.size(n.Alias)
		if cv.budget < 0 {
			return nil, cv.errorf(n, "yaml: aliases expand to more than %d nodes", MaxAliasNodes)
		}
		n = n.Alias
	}
	return n, nil
}

// size counts the nodes of the tree at n, an alias inside it counting as
// one (its own expansion is charged when it is reached).
func (cv *converter) size(n *yaml.Node) int {
	if s, ok := cv.sizes[n]; ok {
		return s
	}
	s := 1
	if n.Kind != yaml.AliasNode {
		for _, c := range n.Content {
			s += cv.size(c)
		}
	}
	if cv.sizes == nil {
		cv.sizes = map[*yaml.Node]int{}
	}
	cv.sizes[n] = s
	return s
}

// toJSON renders n as JSON.
func (cv *converter) toJSON(n *yaml.Node) ([]byte, error) {
	cv.buf.Reset()
	if err := cv.value(n); err != nil {
		return nil, err
	}
	return bytes.Clone(cv.buf.Bytes()), nil
}

func (cv *converter) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: cv.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// enter accounts for one node visited, failing when aliases expand to
// more than the budget or nesting is too deep.
func (cv *converter) enter(n *yaml.Node) error {
	if cv.inAlias > 0 {
		cv.budget--
		if cv.budget < 0 {
			return cv.errorf(n, "yaml: aliases expand to more than %d nodes", MaxAliasNodes)
		}
	}
	cv.depth++
	if cv.depth > maxDepth {
		return cv.errorf(n, "yaml: nesting deeper than %d levels", maxDepth)
	}
	return nil
}

func (cv *converter) value(n *yaml.Node) error {
	if err := cv.enter(n); err != nil {
		return err
	}
	defer func() { cv.depth-- }()
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			cv.buf.WriteString("null")
			return nil
		}
		return cv.value(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return cv.errorf(n, "yaml: unknown anchor %q", n.Value)
		}
		cv.inAlias++
		defer func() { cv.inAlias-- }()
		return cv.value(n.Alias)
	case yaml.SequenceNode:
		cv.buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				cv.buf.WriteByte(',')
			}
			if err := cv.value(c); err != nil {
				return err
			}
		}
		cv.buf.WriteByte(']')
		return nil
	case yaml.MappingNode:
		pairs, err := cv.pairs(n)
		if err != nil {
			return err
		}
		cv.buf.WriteByte('{')
		for i, p := range pairs {
			if i > 0 {
				cv.buf.WriteByte(',')
			}
			writeJSONString(&cv.buf, p.key)
			cv.buf.WriteByte(':')
			if err := cv.pairValue(p); err != nil {
				return err
			}
		}
		cv.buf.WriteByte('}')
		return nil
	case yaml.ScalarNode:
		return cv.scalar(n)
	}
	return cv.errorf(n, "yaml: unexpected node kind %d", n.Kind)
}

// pairValue converts the value of p; a value merged in with "<<" is an
// expansion like an alias and is charged to the budget.
func (cv *converter) pairValue(p pair) error {
	if p.fromMerged {
		cv.inAlias++
		defer func() { cv.inAlias-- }()
	}
	return cv.value(p.value)
}

// pair is one key of a mapping, with aliases and merge keys resolved.
type pair struct {
	key        string
	keyNode    *yaml.Node
	value      *yaml.Node
	fromMerged bool
}

// pairs returns the keys of mapping n in order: its own keys, then keys
// merged in with "<<" that it does not set itself (earlier merged
// mappings win over later ones, as YAML's merge key specifies). A key
// set twice is an error.
func (cv *converter) pairs(n *yaml.Node) ([]pair, error) {
	var own, merged []pair
	seen := map[string]*yaml.Node{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		key, err := cv.key(k)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[key]; dup {
			return nil, cv.errorf(k, "yaml: mapping key %q already defined at line %d", key, prev.Line)
		}
		seen[key] = k
		own = append(own, pair{key: key, keyNode: k, value: v})
	}
	for _, m := range merges {
		if err := cv.merge(m, seen, &merged); err != nil {
			return nil, err
		}
	}
	return append(own, merged...), nil
}

func (cv *converter) merge(m *yaml.Node, seen map[string]*yaml.Node, out *[]pair) error {
	if err := cv.enter(m); err != nil {
		return err
	}
	defer func() { cv.depth-- }()
	switch m.Kind {
	case yaml.AliasNode:
		if m.Alias == nil {
			return cv.errorf(m, "yaml: unknown anchor %q", m.Value)
		}
		cv.inAlias++
		defer func() { cv.inAlias-- }()
		return cv.merge(m.Alias, seen, out)
	case yaml.MappingNode:
		ps, err := cv.pairs(m)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if _, ok := seen[p.key]; ok {
				continue
			}
			seen[p.key] = p.keyNode
			p.fromMerged = true
			*out = append(*out, p)
		}
		return nil
	case yaml.SequenceNode:
		for _, c := range m.Content {
			if c.Kind == yaml.SequenceNode {
				return cv.errorf(c, "yaml: map merge requires map or sequence of maps as the value")
			}
			if err := cv.merge(c, seen, out); err != nil {
				return err
			}
		}
		return nil
	}
	return cv.errorf(m, "yaml: map merge requires map or sequence of maps as the value")
}

// key returns the string form of a mapping key: JSON keys are strings, so
// a scalar key of another type is taken as written.
func (cv *converter) key(k *yaml.Node) (string, error) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		return "", cv.errorf(k, "yaml: mapping keys must be scalars")
	}
	return k.Value, nil
}

func (cv *converter) scalar(n *yaml.Node) error {
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp", "!!binary":
		writeJSONString(&cv.buf, n.Value)
	case "!!null":
		cv.buf.WriteString("null")
	case "!!bool":
		b, err := parseBool(n)
		if err != nil {
			return cv.errorf(n, "%v", err)
		}
		cv.buf.WriteString(strconv.FormatBool(b))
	case "!!int":
		s, err := intLiteral(n)
		if err != nil {
			return cv.errorf(n, "%v", err)
		}
		cv.buf.WriteString(s)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return cv.errorf(n, "yaml: invalid number %q", n.Value)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return cv.errorf(n, "yaml: %s is not a JSON number", n.Value)
		}
		cv.buf.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	default:
		return cv.errorf(n, "yaml: unsupported tag %s", tag)
	}
	return nil
}

func parseBool(n *yaml.Node) (bool, error) {
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, fmt.Errorf("yaml: invalid boolean %q", n.Value)
	}
	return b, nil
}

// intLiteral returns the decimal form of an integer scalar (which YAML
// may write in hex, octal or binary).
func intLiteral(n *yaml.Node) (string, error) {
	if _, err := strconv.ParseInt(n.Value, 10, 64); err == nil && !strings.HasPrefix(n.Value, "+") && (len(n.Value) < 2 || n.Value[0] != '0') && !strings.HasPrefix(n.Value, "-0") {
		return n.Value, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "", fmt.Errorf("yaml: invalid integer %q", n.Value)
	}
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("yaml: invalid integer %q", n.Value)
}

// writeJSONString writes s as a JSON string literal.
func writeJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		// A run of bytes written as they are.
		j := i + plainRun(s[i:])
		b.WriteString(s[i:j])
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		if c < 0x80 {
			switch c {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				fmt.Fprintf(b, `\u%04x`, c)
			}
			i++
			continue
		}
		// Multi-byte UTF-8 is written as is; an invalid byte becomes
		// U+FFFD, as encoding/json does.
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0xFFFD && size == 1 {
			b.WriteString(`\ufffd`)
		} else if r == 0x2028 || r == 0x2029 {
			fmt.Fprintf(b, `\u%04x`, r)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
