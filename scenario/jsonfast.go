package scenario

import (
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// fastUnmarshal stores the JSON text data in the value v points to, as
// json.Unmarshal does, for the JSON the fast path of [decodeState] writes:
// no insignificant space, numbers that are decimal integers. It walks the
// text once, without encoding/json's validation pass and with field
// tables built once per type. It handles what the API types hold —
// structs (embedded ones promoted), pointers, slices, maps with string
// keys, strings, integers, booleans — and hands any value whose type has
// its own UnmarshalJSON to that method, as json.Unmarshal would. Anything
// else (floats, interfaces, arrays, a type error, a field name two fields
// share) returns errFastJSON, and the caller decodes with json.Unmarshal
// into a fresh value: the result is json.Unmarshal's or nothing.
//
// Strings up to internMax bytes go through strs (when not nil), so that
// the objects of one dump share their repeated strings — label keys and
// values, images, toleration keys, condition types; the values are the
// same.
func fastUnmarshal(data []byte, v any, strs *stringCache) error {
	d := fastJSON{data: data, strs: strs}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errFastJSON
	}
	if err := d.value(rv.Elem(), infoOf(rv.Elem().Type())); err != nil {
		return err
	}
	if d.i != len(d.data) {
		return errFastJSON
	}
	return nil
}

var errFastJSON = errors.New("scenario: not for the fast JSON decoder")

type fastJSON struct {
	data []byte
	i    int
	strs *stringCache // or nil
}

// internMax is the length of the longest string fastUnmarshal interns:
// names, keys, images, not free text.
const internMax = 64

// stringCache remembers recent strings, so that equal ones share their
// bytes. It is direct-mapped by a hash of the bytes: a string replaces
// the one in its slot, so strings that recur (the same label on every
// pod) stay, and strings that do not (names, UIDs) pass through without
// growing it, as a map holding every string would (a large map's
// lookups miss the cache).
type stringCache [8192]string

// internString returns s, or an equal string in c, never s itself when
// it is not in c: s may alias memory that changes later.
func (c *stringCache) internString(s string) string {
	return c.intern(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// intern returns b as a string, shared with an equal one in c if any.
func (c *stringCache) intern(b []byte) string {
	slot := &c[hashBytes(b)%uint64(len(c))]
	if *slot == string(b) {
		return *slot
	}
	s := string(b)
	*slot = s
	return s
}

// hashBytes is a fixed hash of b (no per-process seed, so a decode
// interns the same strings on every run), eight bytes at a step: each
// word is mixed in by a multiplication and the high half folded down.
func hashBytes(b []byte) uint64 {
	const m = 0x9e3779b97f4a7c15
	h := uint64(len(b)) * m
	for len(b) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * m
		h ^= h >> 32
		b = b[8:]
	}
	var w uint64
	for i, x := range b {
		w |= uint64(x) << (8 * i)
	}
	h = (h ^ w) * m
	return h ^ h>>29
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// value decodes the value at d.i into v (addressable), whose type's
// information is ti.
func (d *fastJSON) value(v reflect.Value, ti *typeInfo) error {
	if d.i >= len(d.data) {
		return errFastJSON
	}
	t := v.Type()
	if ti.unmarshaler {
		start := d.i
		if err := d.skip(); err != nil {
			return err
		}
		raw := d.data[start:d.i]
		if string(raw) == "null" {
			// json.Unmarshal's handling of null for such types is its own.
			return json.Unmarshal(raw, v.Addr().Interface())
		}
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw)
	}
	if ti.textUnmarshaler {
		return errFastJSON
	}
	c := d.data[d.i]
	if c == 'n' {
		if !d.literal("null") {
			return errFastJSON
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			v.SetZero()
		case reflect.Interface:
			return errFastJSON
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return d.value(v.Elem(), ti.elem)
	case reflect.Struct:
		if c != '{' {
			return errFastJSON
		}
		return d.object(v, ti.fields)
	case reflect.Map:
		if c != '{' || t.Key().Kind() != reflect.String || ti.key.textUnmarshaler {
			return errFastJSON
		}
		return d.mapping(v, ti.elem)
	case reflect.Slice:
		if c != '[' || t.Elem().Kind() == reflect.Uint8 {
			return errFastJSON // []byte is base64 text in JSON
		}
		return d.array(v, ti.elem)
	case reflect.String:
		if c != '"' {
			return errFastJSON
		}
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetString(s)
		return nil
	case reflect.Bool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
			v.SetBool(false)
		default:
			return errFastJSON
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(d.number(), 10, 64)
		if err != nil || v.OverflowInt(n) {
			return errFastJSON
		}
		v.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(d.number(), 10, 64)
		if err != nil || v.OverflowUint(n) {
			return errFastJSON
		}
		v.SetUint(n)
		return nil
	}
	return errFastJSON
}

// members consumes the JSON object at d.i, calling member with each key
// when d.i is at the key's value, which member must consume. The key's
// bytes are only valid during the call (see [fastJSON.key]).
func (d *fastJSON) members(member func(key []byte) error) error {
	d.i++ // {
	if d.i < len(d.data) && d.data[d.i] == '}' {
		d.i++
		return nil
	}
	for {
		if d.i >= len(d.data) || d.data[d.i] != '"' {
			return errFastJSON
		}
		key, err := d.key()
		if err != nil {
			return err
		}
		if d.i >= len(d.data) || d.data[d.i] != ':' {
			return errFastJSON
		}
		d.i++
		if err := member(key); err != nil {
			return err
		}
		if done, err := d.next('}'); done || err != nil {
			return err
		}
	}
}

// elements consumes the JSON array at d.i, calling element with the
// index of each element when d.i is at it, which element must consume.
func (d *fastJSON) elements(element func(n int) error) error {
	d.i++ // [
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		return nil
	}
	for n := 0; ; n++ {
		if err := element(n); err != nil {
			return err
		}
		if done, err := d.next(']'); done || err != nil {
			return err
		}
	}
}

// next consumes the "," between two members or elements, or the end of
// their container (done).
func (d *fastJSON) next(end byte) (done bool, err error) {
	switch {
	case d.i >= len(d.data):
		return false, errFastJSON
	case d.data[d.i] == ',':
		d.i++
		return false, nil
	case d.data[d.i] == end:
		d.i++
		return true, nil
	}
	return false, errFastJSON
}

// object decodes a JSON object into the struct v.
func (d *fastJSON) object(v reflect.Value, fs *structFields) error {
	if fs.bad {
		return errFastJSON
	}
	return d.members(func(key []byte) error {
		f, ok := fs.byName[string(key)]
		if !ok {
			var buf [64]byte
			lower, ascii := appendLowerASCII(buf[:0], key)
			if !ascii {
				// encoding/json matches names by Unicode case folding,
				// which lowering does not reproduce.
				return errFastJSON
			}
			f, ok = fs.byFold[string(lower)]
		}
		if !ok {
			return d.skip()
		}
		return d.value(v.FieldByIndex(f.index), f.info)
	})
}

// mapping decodes a JSON object into the map v (string keys), whose
// values' type information is elem.
func (d *fastJSON) mapping(v reflect.Value, elem *typeInfo) error {
	t := v.Type()
	if t == stringMapType {
		return d.stringMap(v.Addr().Interface().(*map[string]string))
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	return d.members(func(key []byte) error {
		ev := reflect.New(t.Elem()).Elem()
		if err := d.value(ev, elem); err != nil {
			return err
		}
		v.SetMapIndex(reflect.ValueOf(string(key)).Convert(t.Key()), ev)
		return nil
	})
}

var stringMapType = reflect.TypeFor[map[string]string]()

// stringMap decodes a JSON object into *m (labels, annotations, node
// selectors) without reflection.
func (d *fastJSON) stringMap(m *map[string]string) error {
	if *m == nil {
		*m = map[string]string{}
	}
	return d.members(func(kb []byte) error {
		key := d.intern(kb)
		switch {
		case d.i < len(d.data) && d.data[d.i] == '"':
			val, err := d.str()
			if err != nil {
				return err
			}
			(*m)[key] = val
		case d.literal("null"):
			(*m)[key] = "" // as json.Unmarshal stores null in a map of strings
		default:
			return errFastJSON
		}
		return nil
	})
}

// array decodes a JSON array into the slice v, made once at its length;
// elem is the information of the elements' type.
func (d *fastJSON) array(v reflect.Value, elem *typeInfo) error {
	start := d.i
	count := 0
	if err := d.elements(func(int) error { count++; return d.skip() }); err != nil {
		return err
	}
	d.i = start
	v.Set(reflect.MakeSlice(v.Type(), count, count))
	return d.elements(func(n int) error { return d.value(v.Index(n), elem) })
}

// literal consumes lit if the text continues with it.
func (d *fastJSON) literal(lit string) bool {
	if len(d.data)-d.i < len(lit) || string(d.data[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

// number consumes a number's text: a decimal integer, the only form the
// fast path writes ("" when there is none).
func (d *fastJSON) number() string {
	start, i := d.i, d.i
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	digits := i
	for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
		i++
	}
	switch {
	case i == digits, d.data[digits] == '0' && i > digits+1:
		return "" // no digits, or a leading zero JSON does not allow
	case i < len(d.data) && (d.data[i] == '.' || d.data[i] == 'e' || d.data[i] == 'E'):
		return "" // not an integer: leave it to encoding/json
	}
	d.i = i
	return string(d.data[start:i])
}

// str consumes a JSON string and returns its value; strings with escapes
// are decoded by encoding/json.
func (d *fastJSON) str() (string, error) {
	start := d.i
	d.i++ // "
	escaped, ascii := false, true
	for {
		if d.i < len(d.data) {
			d.i += plainRun(d.data[d.i:])
		}
		if d.i >= len(d.data) {
			return "", errFastJSON
		}
		switch c := d.data[d.i]; {
		case c == '"':
			d.i++
			raw := d.data[start:d.i]
			if !escaped && (ascii || utf8.Valid(raw)) {
				return d.intern(raw[1 : len(raw)-1]), nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", errFastJSON
			}
			return s, nil
		case c == '\\':
			escaped = true
			d.i += 2
		case c < 0x20:
			return "", errFastJSON
		default: // DEL, or not ASCII
			ascii = ascii && c < utf8.RuneSelf
			d.i++
		}
	}
}

// Byte-parallel constants: every byte 0x01, every byte 0x80.
const (
	lsb8 = 0x0101010101010101
	msb8 = 0x8080808080808080
)

// plainRun returns the length of the run of plain string bytes at the
// start of b: printable ASCII (0x20 to 0x7e) other than '"' and '\\', the
// bytes a JSON string holds as they are and writeJSONString writes so. It
// tests eight bytes at a time: a byte's high bit in special is set when
// the byte is below 0x20, is '"', '\\' or DEL (zero after the XOR), or is
// 0x80 or above. Borrows can only set bits above the first special byte,
// so the lowest set bit finds it.
func plainRun[T string | []byte](b T) int {
	n := 0
	for ; len(b)-n >= 8; n += 8 {
		w := uint64(b[n]) | uint64(b[n+1])<<8 | uint64(b[n+2])<<16 | uint64(b[n+3])<<24 |
			uint64(b[n+4])<<32 | uint64(b[n+5])<<40 | uint64(b[n+6])<<48 | uint64(b[n+7])<<56
		q, bs, del := w^(lsb8*'"'), w^(lsb8*'\\'), w^(lsb8*0x7f)
		special := ((w-lsb8*0x20)&^w | (q-lsb8)&^q | (bs-lsb8)&^bs | (del-lsb8)&^del | w) & msb8
		if special != 0 {
			return n + bits.TrailingZeros64(special)/8
		}
	}
	for n < len(b) && plainByte[b[n]] {
		n++
	}
	return n
}

// plainByte reports which bytes plainRun counts.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// key consumes a JSON string, as str does, and returns its bytes: the
// text between the quotes when it has no escapes and is ASCII (keys
// are), valid until the data changes; otherwise its decoded value.
func (d *fastJSON) key() ([]byte, error) {
	start := d.i
	if n := plainRun(d.data[start+1:]); start+1+n < len(d.data) && d.data[start+1+n] == '"' {
		d.i = start + n + 2
		return d.data[start+1 : start+1+n], nil
	}
	s, err := d.str()
	return []byte(s), err
}

// intern returns b as a string, shared with earlier equal ones.
func (d *fastJSON) intern(b []byte) string {
	if d.strs == nil || len(b) > internMax {
		return string(b)
	}
	return d.strs.intern(b)
}

// skip consumes one value.
func (d *fastJSON) skip() error {
	if d.i >= len(d.data) {
		return errFastJSON
	}
	switch d.data[d.i] {
	case '"':
		_, err := d.str()
		return err
	case '{':
		return d.members(func([]byte) error { return d.skip() })
	case '[':
		return d.elements(func(int) error { return d.skip() })
	case 't':
		if d.literal("true") {
			return nil
		}
	case 'f':
		if d.literal("false") {
			return nil
		}
	case 'n':
		if d.literal("null") {
			return nil
		}
	default:
		if d.number() != "" {
			return nil
		}
	}
	return errFastJSON
}

// appendLowerASCII appends b in lower case to dst, and reports whether b
// is ASCII (when it is not, dst holds part of it).
func appendLowerASCII(dst, b []byte) ([]byte, bool) {
	for _, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			return dst, false
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// typeInfo is what the decoder needs to know of a type. It links to the
// information of the types the type holds, so that decoding a value
// looks up its type once, not once per nested value.
type typeInfo struct {
	unmarshaler     bool          // *T implements json.Unmarshaler
	textUnmarshaler bool          // *T implements encoding.TextUnmarshaler
	fields          *structFields // for a struct; each field links to its type's
	elem            *typeInfo     // for a pointer, slice, array or map
	key             *typeInfo     // for a map
}

var (
	typeCache sync.Map   // reflect.Type → *typeInfo, complete
	typeBuild sync.Mutex // held while infos are built
)

// infoOf returns the information of t. It is built once, with that of
// every type t holds, and published only when all of it is complete, so
// concurrent decoders never see a part-built one.
func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeCache.Load(t); ok {
		return ti.(*typeInfo)
	}
	typeBuild.Lock()
	defer typeBuild.Unlock()
	building := map[reflect.Type]*typeInfo{}
	ti := buildInfo(t, building)
	for bt, bi := range building {
		typeCache.Store(bt, bi)
	}
	return ti
}

// buildInfo builds the information of t and of the types it holds; the
// ones being built are in building, so recursive types link back.
func buildInfo(t reflect.Type, building map[reflect.Type]*typeInfo) *typeInfo {
	if ti, ok := typeCache.Load(t); ok {
		return ti.(*typeInfo)
	}
	if ti, ok := building[t]; ok {
		return ti
	}
	pt := reflect.PointerTo(t)
	ti := &typeInfo{unmarshaler: pt.Implements(unmarshalerType), textUnmarshaler: pt.Implements(textUnmarshalerType)}
	building[t] = ti
	switch t.Kind() {
	case reflect.Struct:
		ti.fields = fieldsOf(t)
		for _, m := range []map[string]field{ti.fields.byName, ti.fields.byFold} {
			for name, f := range m {
				f.info = buildInfo(f.typ, building)
				m[name] = f
			}
		}
	case reflect.Map:
		ti.key = buildInfo(t.Key(), building)
		ti.elem = buildInfo(t.Elem(), building)
	case reflect.Pointer, reflect.Slice, reflect.Array:
		ti.elem = buildInfo(t.Elem(), building)
	}
	return ti
}

// structFields is the field table of a struct type, as encoding/json
// names the fields. The strict decoder checks field names against byName;
// fastUnmarshal decodes with it.
type structFields struct {
	byName map[string]field // the first field of each name
	byFold map[string]field // by lower-case name, for json's case-insensitive match
	bad    bool             // a case fastUnmarshal leaves to encoding/json
}

type field struct {
	name  string
	typ   reflect.Type
	info  *typeInfo // typ's
	index []int     // from the outer struct
}

// fieldsOf returns the field table of struct type t. Two fields of one
// name, ",string" options and fields promoted through embedded pointers
// mark the table bad: encoding/json's rules for them are left to
// encoding/json.
func fieldsOf(t reflect.Type) *structFields {
	fs := &structFields{byName: map[string]field{}, byFold: map[string]field{}}
	eachJSONField(t, func(jf jsonField) {
		if strings.Contains(jf.opts, "string") || jf.viaPointer {
			fs.bad = true
		}
		f := field{name: jf.name, typ: jf.field.Type, index: jf.index}
		if _, dup := fs.byName[jf.name]; dup {
			fs.bad = true
		} else {
			fs.byName[jf.name] = f
		}
		lower := strings.ToLower(jf.name)
		if _, dup := fs.byFold[lower]; dup {
			fs.bad = true
		} else {
			fs.byFold[lower] = f
		}
	})
	return fs
}
