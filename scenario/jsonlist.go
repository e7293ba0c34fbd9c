package scenario

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"

	"github.com/daemonsim/daemonsim/cluster"
)

// decodeJSONList decodes a List in JSON, as `kubectl get … -o json` prints
// it (white space anywhere JSON allows it), item by item: each item is
// copied without white space, its kind and apiVersion read on the way, and
// decoded by fastUnmarshal (or json.Unmarshal) as the YAML fast path does.
// An item it does not take (a duplicate key, \/ or a \u escape of a
// surrogate, a number other than a decimal integer, a value of the wrong
// type, an item over MaxDocumentBytes) is decoded alone by the decoder,
// as a List of one on the item's lines. ok is false for anything else —
// not a List, another top-level key, an item the decoder refuses — and
// the caller then decodes the input as a whole, which says what is wrong
// and where; past MaxInputBytes, which the whole-input decoder refuses,
// the error is the refused item's, positioned in the input. So the fast
// path changes how fast a List decodes and how big it may be, never what
// it decodes to or the errors it gives. data must be valid UTF-8.
func decodeJSONList(data []byte, name string, par Parallel) (res *DecodeResult, ok bool, err error) {
	s := jsonScan{data: data}
	s.ws()
	if s.i >= len(data) || data[s.i] != '{' {
		return nil, false, nil
	}
	if !fastPrintable(data) { // what YAML refuses in a stream
		return nil, false, nil
	}
	// First pass: the List's keys, and where its items are; the List's
	// kind may come after them (kubectl sorts the keys).
	var l listLayout
	var items []listItem // the items' spans (line is set later)
	seen := map[string]bool{}
	s.i++
	for first := true; ; first = false {
		s.ws()
		if s.i < len(data) && data[s.i] == '}' && first {
			return nil, false, nil // no items
		}
		key, ok := s.plainKey()
		if !ok || seen[key] {
			return nil, false, nil
		}
		seen[key] = true
		switch key {
		case "apiVersion", "kind":
			v, ok := s.plainString()
			if !ok {
				return nil, false, nil
			}
			if key == "kind" {
				l.kind = v
			} else {
				l.apiVersion = v
			}
		case "metadata":
			if !s.value(nil, 1, nil) {
				return nil, false, nil
			}
		case "items":
			if s.i >= len(data) || data[s.i] != '[' {
				return nil, false, nil
			}
			s.i++
			for n := 0; ; n++ {
				s.ws()
				if s.i < len(data) && data[s.i] == ']' && n == 0 {
					return nil, false, nil // an empty List: left to the decoder
				}
				if s.i >= len(data) || data[s.i] != '{' {
					return nil, false, nil
				}
				start := s.i
				if !s.skip(1) {
					return nil, false, nil
				}
				items = append(items, listItem{start: start, end: s.i})
				done, ok := s.next(']')
				if !ok {
					return nil, false, nil
				}
				if done {
					break
				}
			}
		default:
			return nil, false, nil
		}
		done, ok := s.next('}')
		if !ok {
			return nil, false, nil
		}
		if done {
			break
		}
	}
	if s.ws(); s.i != len(data) || len(items) == 0 {
		return nil, false, nil
	}
	if l.apiVersion == "" || (l.kind != "List" && !(strings.HasSuffix(l.kind, "List") && slices.Contains(SupportedKinds, strings.TrimSuffix(l.kind, "List")))) {
		return nil, false, nil
	}

	// Second pass: each item, compacted and decoded; an item the fast
	// path does not take is decoded alone by the decoder, as a List of
	// one on the item's lines.
	fast := fastItems(items, par, func() func(listItem) itemResult {
		sc := jsonScan{data: data}
		var buf bytes.Buffer
		var strs stringCache
		return func(it listItem) itemResult {
			obj, skipped, ok := sc.item(it, l, &buf, &strs)
			return itemResult{obj, skipped, ok}
		}
	})
	line, at := 1, 0
	for i := range items {
		line += bytes.Count(data[at:items[i].start], []byte("\n"))
		at = items[i].start
		items[i].line = line
	}
	prefix := `{"apiVersion":"` + l.apiVersion + `","kind":"` + l.kind + `","items":[`
	return assembleItems(data, name, items, fast, prefix, "]}", 1, 0)
}

// item decodes the item at it of the List l, as fastConverter.object
// does: the object, or the kind it skipped; ok is false when the fast path
// does not take the item.
func (s *jsonScan) item(it listItem, l listLayout, buf *bytes.Buffer, strs *stringCache) (obj cluster.Object, skipped string, ok bool) {
	s.i = it.start
	var top itemTop
	buf.Reset()
	if !s.value(buf, 1, &top) || buf.Len() > MaxDocumentBytes || top.bad {
		return nil, "", false
	}
	return decodeItem(buf.Bytes(), top, l, strs)
}

// itemTop is what both fast paths record of an item's top-level keys.
type itemTop struct {
	kind, apiVersion       string
	hasKind, hasAPIVersion bool
	bad                    bool // kind or apiVersion is not a string the fast path reads
}

// jsonScan reads JSON with white space: it checks a value and copies it
// without the white space.
type jsonScan struct {
	data []byte
	i    int
	// keys holds the keys of the objects being read, outermost first,
	// for the check that none repeats: one slice for all of them.
	keys [][]byte
}

// ws skips white space, eight spaces at a step where it can (kubectl
// indents by four per level).
func (s *jsonScan) ws() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
			for len(s.data)-s.i >= 8 && binary.LittleEndian.Uint64(s.data[s.i:]) == lsb8*' ' {
				s.i += 8
			}
		default:
			return
		}
	}
}

// next consumes the "," before the next member or element, or the end
// of their container (done); ok is false when neither comes next.
func (s *jsonScan) next(end byte) (done, ok bool) {
	s.ws()
	switch {
	case s.i < len(s.data) && s.data[s.i] == ',':
		s.i++
		return false, true
	case s.i < len(s.data) && s.data[s.i] == end:
		s.i++
		return true, true
	}
	return false, false
}

// plainKey reads a key without escapes and its colon.
func (s *jsonScan) plainKey() (string, bool) {
	k, ok := s.plainString()
	if !ok {
		return "", false
	}
	if s.ws(); s.i >= len(s.data) || s.data[s.i] != ':' {
		return "", false
	}
	s.i++
	s.ws()
	return k, true
}

// plainString reads a string of printable ASCII without escapes.
func (s *jsonScan) plainString() (string, bool) {
	if s.i >= len(s.data) || s.data[s.i] != '"' {
		return "", false
	}
	n := plainRun(s.data[s.i+1:])
	end := s.i + 1 + n
	if end >= len(s.data) || s.data[end] != '"' {
		return "", false
	}
	v := string(s.data[s.i+1 : end])
	s.i = end + 1
	return v, true
}

// value checks the value at s.i and writes it without white space to dst
// (when dst is not nil), its strings as the decoder's YAML-to-JSON step
// writes them. It fails on what the fast path leaves to the decoder:
// objects that repeat a key, \u escapes of surrogates, \/, numbers other
// than decimal integers, nesting deeper than fastMaxDepth. With top set,
// the value is an item, whose top-level kind and apiVersion it records.
func (s *jsonScan) value(dst *bytes.Buffer, depth int, top *itemTop) bool {
	if depth > fastMaxDepth {
		return false
	}
	s.ws()
	if s.i >= len(s.data) {
		return false
	}
	start := s.i
	switch c := s.data[s.i]; {
	case c == '{':
		s.i++
		s.ws()
		if dst != nil {
			dst.WriteByte('{')
		}
		if s.i < len(s.data) && s.data[s.i] == '}' {
			s.i++
			if dst != nil {
				dst.WriteByte('}')
			}
			return true
		}
		base := len(s.keys)
		defer func() { s.keys = s.keys[:base] }()
		for n := 0; ; n++ {
			s.ws()
			if n > 0 && dst != nil {
				dst.WriteByte(',')
			}
			keyStart := s.i
			if s.i >= len(s.data) || s.data[s.i] != '"' {
				return false
			}
			plain, ok := s.str()
			if !ok {
				return false
			}
			k := s.data[keyStart+1 : s.i-1]
			if !plain {
				var v string
				if json.Unmarshal(s.data[keyStart:s.i], &v) != nil {
					return false
				}
				k = []byte(v)
			}
			if slices.ContainsFunc(s.keys[base:], func(x []byte) bool { return bytes.Equal(x, k) }) {
				return false
			}
			s.keys = append(s.keys, k)
			if dst != nil {
				if plain {
					dst.Write(s.data[keyStart:s.i])
				} else {
					writeJSONString(dst, string(k))
				}
				dst.WriteByte(':')
			}
			if s.ws(); s.i >= len(s.data) || s.data[s.i] != ':' {
				return false
			}
			s.i++
			s.ws()
			if top != nil && (string(k) == "kind" || string(k) == "apiVersion") {
				at := s.i
				v, ok := s.plainString()
				if !ok {
					top.bad = true
					return false
				}
				if string(k) == "kind" {
					top.kind, top.hasKind = v, true
				} else {
					top.apiVersion, top.hasAPIVersion = v, true
				}
				s.i = at // copied below as any string
			}
			if !s.value(dst, depth+1, nil) {
				return false
			}
			done, ok := s.next('}')
			if !ok {
				return false
			}
			if done {
				break
			}
		}
		if dst != nil {
			dst.WriteByte('}')
		}
		return true
	case c == '[':
		s.i++
		s.ws()
		if dst != nil {
			dst.WriteByte('[')
		}
		if s.i < len(s.data) && s.data[s.i] == ']' {
			s.i++
			if dst != nil {
				dst.WriteByte(']')
			}
			return true
		}
		for n := 0; ; n++ {
			if n > 0 && dst != nil {
				dst.WriteByte(',')
			}
			if !s.value(dst, depth+1, nil) {
				return false
			}
			done, ok := s.next(']')
			if !ok {
				return false
			}
			if done {
				break
			}
		}
		if dst != nil {
			dst.WriteByte(']')
		}
		return true
	case c == '"':
		plain, ok := s.str()
		if !ok {
			return false
		}
		if !plain && dst != nil {
			// Written again as the decoder's YAML-to-JSON step writes
			// it, so that opaque fields keep the same bytes.
			var v string
			if json.Unmarshal(s.data[start:s.i], &v) != nil {
				return false
			}
			writeJSONString(dst, v)
			return true
		}
	case c == 't':
		if !s.literal("true") {
			return false
		}
	case c == 'f':
		if !s.literal("false") {
			return false
		}
	case c == 'n':
		if !s.literal("null") {
			return false
		}
	default:
		if !s.number() {
			return false
		}
	}
	if dst != nil {
		dst.Write(s.data[start:s.i])
	}
	return true
}

// str consumes a JSON string: no control characters, JSON's escapes only,
// and no \u escape of a surrogate (which JSON reads as UTF-16 and YAML
// refuses). plain reports whether it is written as writeJSONString writes
// its value: no escapes, and none of the runes that writeJSONString
// escapes (DEL, U+2028, U+2029).
func (s *jsonScan) str() (plain, ok bool) {
	s.i++ // "
	plain = true
	for {
		if s.i < len(s.data) {
			s.i += plainRun(s.data[s.i:])
		}
		if s.i >= len(s.data) {
			return false, false
		}
		switch c := s.data[s.i]; {
		case c == '"':
			s.i++
			return plain, true
		case c == '\\':
			plain = false
			if s.i+1 >= len(s.data) {
				return false, false
			}
			switch s.data[s.i+1] {
			case '"', '\\', 'b', 'f', 'n', 'r', 't': // not \/, which YAML does not read
				s.i += 2
			case 'u':
				if s.i+6 > len(s.data) {
					return false, false
				}
				var r rune
				for _, h := range s.data[s.i+2 : s.i+6] {
					switch {
					case '0' <= h && h <= '9':
						r = r<<4 | rune(h-'0')
					case 'a' <= h && h <= 'f':
						r = r<<4 | rune(h-'a'+10)
					case 'A' <= h && h <= 'F':
						r = r<<4 | rune(h-'A'+10)
					default:
						return false, false
					}
				}
				if 0xD800 <= r && r <= 0xDFFF {
					return false, false
				}
				s.i += 6
			default:
				return false, false
			}
		case c < 0x20:
			return false, false
		case c == 0x7f:
			plain = false
			s.i++
		case c == 0xe2 && s.i+2 < len(s.data) && s.data[s.i+1] == 0x80 && (s.data[s.i+2] == 0xa8 || s.data[s.i+2] == 0xa9):
			plain = false // U+2028, U+2029
			s.i += 3
		default: // not ASCII (the input is valid UTF-8)
			s.i++
		}
	}
}

// literal consumes lit.
func (s *jsonScan) literal(lit string) bool {
	if !bytes.HasPrefix(s.data[s.i:], []byte(lit)) {
		return false
	}
	s.i += len(lit)
	return true
}

// number consumes a number the fast path takes: a decimal integer as
// the YAML fast path takes them (optional minus, no leading zero, at most
// 18 digits, not "-0"); other numbers are left to the decoder.
func (s *jsonScan) number() bool {
	i := s.i
	for i < len(s.data) && (s.data[i] == '-' || '0' <= s.data[i] && s.data[i] <= '9') {
		i++
	}
	t := string(s.data[s.i:i])
	if !fastDecimalInt(t) || t == "-0" || (i < len(s.data) && (s.data[i] == '.' || s.data[i] == 'e' || s.data[i] == 'E')) {
		return false
	}
	s.i = i
	return true
}

// skip consumes any JSON value at depth, nested up to fastMaxDepth: the
// first pass finds where each item ends without checking what the fast
// path takes, which the second pass does.
func (s *jsonScan) skip(depth int) bool {
	if depth > fastMaxDepth {
		return false
	}
	s.ws()
	if s.i >= len(s.data) {
		return false
	}
	switch s.data[s.i] {
	case '{', '[':
		end := byte('}')
		if s.data[s.i] == '[' {
			end = ']'
		}
		obj := end == '}'
		s.i++
		s.ws()
		if s.i < len(s.data) && s.data[s.i] == end {
			s.i++
			return true
		}
		for {
			if obj {
				s.ws()
				if s.i >= len(s.data) || s.data[s.i] != '"' || !s.skipString() {
					return false
				}
				if s.ws(); s.i >= len(s.data) || s.data[s.i] != ':' {
					return false
				}
				s.i++
			}
			if !s.skip(depth + 1) {
				return false
			}
			if done, ok := s.next(end); !ok || done {
				return ok
			}
		}
	case '"':
		return s.skipString()
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	}
	// A number, by JSON's grammar.
	d, i := s.data, s.i
	digits := func() bool {
		j := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(d) && d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	s.i = i
	return true
}

// skipString consumes any JSON string.
func (s *jsonScan) skipString() bool {
	s.i++ // "
	for {
		if s.i < len(s.data) {
			s.i += plainRun(s.data[s.i:])
		}
		if s.i >= len(s.data) {
			return false
		}
		switch c := s.data[s.i]; {
		case c == '"':
			s.i++
			return true
		case c == '\\':
			s.i += 2
		case c < 0x20:
			return false
		default:
			s.i++
		}
	}
}
