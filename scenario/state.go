package scenario

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	fieldpath "github.com/daemonsim/daemonsim/field"
)

// StateReport describes a cluster state loaded by [LoadState].
type StateReport struct {
	// Name is the input's name as given.
	Name string
	// Loaded counts the objects loaded, by kind; namespaces that
	// [cluster.Cluster.Load] created for them are not counted.
	Loaded map[string]int
	// Skipped counts, by kind, the objects of kinds the simulator does not
	// model, which were skipped; nil when none were.
	Skipped map[string]int
	// DroppedOwners counts, by owner kind, the owner references dropped
	// because they name an object of a kind the cluster models that the
	// state does not hold (see [LoadState]); nil when none were.
	DroppedOwners map[string]int
	// Newest is the newest timestamp of the state (creation times, node
	// and pod condition times, pod start times; not deletion times, which
	// lie in the future of a terminating pod), or the zero time.
	Newest time.Time
	// Start is the instant the cluster's clock starts at.
	Start time.Time
}

// SkippedSummary renders the skipped kinds as "ConfigMap 1, Service 2",
// ordered by kind; "" when nothing was skipped.
func (r *StateReport) SkippedSummary() string {
	return countSummary(r.Skipped)
}

// SkippedTotal returns the number of objects skipped.
func (r *StateReport) SkippedTotal() int { return countTotal(r.Skipped) }

// DroppedOwnersSummary renders the dropped owner references as
// "ReplicaSet 2", ordered by kind; "" when none were dropped.
func (r *StateReport) DroppedOwnersSummary() string { return countSummary(r.DroppedOwners) }

// DroppedOwnersTotal returns the number of owner references dropped.
func (r *StateReport) DroppedOwnersTotal() int { return countTotal(r.DroppedOwners) }

func countTotal(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// String renders the report on one line:
//
//	dump.yaml: loaded DaemonSet 2, Node 3, Pod 5; skipped ConfigMap 1; dropped owner references to absent ReplicaSet 1
//
// The skipped and dropped parts are left out when empty. The format is
// stable.
func (r *StateReport) String() string {
	var b strings.Builder
	if r.Name != "" {
		b.WriteString(r.Name)
		b.WriteString(": ")
	}
	b.WriteString("loaded ")
	if len(r.Loaded) == 0 {
		b.WriteString("nothing")
	} else {
		b.WriteString(countSummary(r.Loaded))
	}
	if len(r.Skipped) > 0 {
		b.WriteString("; skipped ")
		b.WriteString(countSummary(r.Skipped))
	}
	if len(r.DroppedOwners) > 0 {
		b.WriteString("; dropped owner references to absent ")
		b.WriteString(countSummary(r.DroppedOwners))
	}
	return b.String()
}

func countSummary(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+" "+strconv.Itoa(m[k]))
	}
	return strings.Join(parts, ", ")
}

// MaxStateBytes bounds the input of [LoadState]: 1 GiB, room for a kubectl
// dump of ten thousand nodes and their pods.
const MaxStateBytes = 1 << 30

// loadOrder is the order in which LoadState stores kinds: owners before
// their dependents, so that every controller's first look at a pod finds
// its node and its DaemonSet.
var loadOrder = []cluster.Kind{cluster.KindNamespace, cluster.KindNode, daemonset.KindDaemonSet, daemonset.KindControllerRevision, cluster.KindPod}

// LoadState builds a standard cluster ([NewCluster]) holding a state: a
// multi-document YAML or JSON, or a `kind: List`, as `kubectl get
// nodes,daemonsets,pods -A -o yaml` prints it. It is decoded leniently
// ([DecodeWith] with Lenient): unknown fields such as managedFields are
// ignored, objects of kinds the decoder does not know ([SupportedKinds])
// are skipped and counted, and wrong types are errors positioned as
// name:line. The input is bounded by [MaxStateBytes].
//
// A List laid out as kubectl prints it (its keys, and the "- " of its
// items, at column 0) is decoded item by item, each bounded by
// [MaxDocumentBytes]: the items in the subset of YAML that kubectl writes
// without YAML trees (see fastConverter in state.go), the others one tree
// at a time. A large dump decodes about four times faster that way, and
// its YAML trees never all live at once. The objects are those decoding
// the whole input would give, and so are the errors, except for an item
// over [MaxDocumentBytes] and past [MaxInputBytes], which only this path
// decodes. So is a List in JSON, as `kubectl get -o json` prints it
// (see decodeJSONList): items copied without white space and decoded
// without YAML, the ones it does not take by the decoder one at a time;
// a dump in JSON may then be as big as MaxStateBytes. Any other input is
// decoded as a whole, bounded by [MaxInputBytes].
//
// The objects are stored as they are ([cluster.Cluster.Load]: uid,
// timestamps, owner references and status kept, defaulted but not
// validated; missing namespaces are created): namespaces first, then
// nodes, DaemonSets, ControllerRevisions and pods, then any other kind
// the decoder knows, by kind; each kind in input order. One check is made:
// a DaemonSet whose selector the API server would have refused (invalid,
// empty, or not selecting its template; [daemonset.ValidateSelector]) is
// an error at its line, since its controller would create pods forever.
//
// Unless cfg.Start is set, the clock starts one second after the newest
// timestamp of the state, truncated to the second (see
// [StateReport.Newest]), so that pods created in the simulation are
// younger than every loaded one; a state without timestamps starts at
// [cluster.Epoch].
//
// A dump is a partial snapshot: `kubectl get nodes,daemonsets,pods` lists
// no ReplicaSets, yet their pods carry owner references to them, and the
// garbage collector would delete every dependent whose owner is absent.
// So an owner reference that names an object of a kind the cluster models
// (see [cluster.View.TypeOf]) but that the state does not hold at all (no
// object of that kind, namespace and name) is dropped, and counted in
// [StateReport.DroppedOwners]: the owner is taken to exist outside the
// snapshot. A reference to an object the state holds under another UID
// is kept, as it dangles in the real cluster too. References to kinds the
// cluster does not model are kept: the garbage collector leaves them
// alone.
//
// LoadState does not settle the cluster: the state may be mid-rollout, or
// hold no pods at all, and what the controllers would do about it is the
// caller's question (settle for the baseline of a what-if analysis).
func LoadState(data []byte, name string, cfg cluster.Config) (*StateReport, *Env, error) {
	return LoadStateWith(data, name, cfg, LoadOptions{})
}

// LoadOptions tune [LoadStateWith].
type LoadOptions struct {
	// Parallel, if not nil, runs the decoding of a List's items, in
	// chunks of a few megabytes that may be decoded at once (see
	// [Parallel]). The objects, the errors and everything after decoding
	// are the same whatever it does.
	Parallel Parallel
}

// LoadStateWith is [LoadState] with options: a program that loads large
// dumps can have their items decoded on several cores.
//
// LoadState and LoadStateWith read data in place: it must not change until
// they return. Nothing they load refers to it afterwards.
func LoadStateWith(data []byte, name string, cfg cluster.Config, opts LoadOptions) (*StateReport, *Env, error) {
	res, err := decodeState(data, name, opts.Parallel)
	if err != nil {
		return nil, nil, err
	}
	rep := &StateReport{Name: name, Loaded: map[string]int{}, Skipped: res.Skipped}
	byKind := map[cluster.Kind][]cluster.Object{}
	for _, o := range res.Objects {
		k := o.Type().Kind
		byKind[k] = append(byKind[k], o)
		rep.Loaded[string(k)]++
		if t := newestTime(o); t.After(rep.Newest) {
			rep.Newest = t
		}
	}
	if cfg.Start.IsZero() && !rep.Newest.IsZero() {
		cfg.Start = rep.Newest.UTC().Truncate(time.Second).Add(time.Second)
	}
	env, err := NewCluster(cfg)
	if err != nil {
		return nil, nil, err
	}
	rep.Start = env.Now()
	rep.DroppedOwners = dropAbsentOwners(env, res.Objects)
	objs := make([]cluster.Object, 0, len(res.Objects))
	for _, k := range loadOrder {
		objs = append(objs, byKind[k]...)
		delete(byKind, k)
	}
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		objs = append(objs, byKind[k]...)
	}
	if err := env.LoadOwned(objs...); err != nil { // objs were decoded for this load only
		var le *cluster.LoadError
		if errors.As(err, &le) {
			if line := lineOfObject(res, objs[le.Index]); line > 0 {
				return nil, nil, &Error{File: name, Line: line, Msg: le.Err.Error()}
			}
		}
		if name != "" {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, nil, err
	}
	// A DaemonSet whose selector is invalid, empty, or does not select its
	// own template cannot have been stored: the API server refuses it on
	// every write, in every version. Its controller would create pods
	// forever (each one released as soon as it exists), so it is refused
	// here, with the API server's error, once loading has defaulted it.
	for _, o := range objs {
		ds, ok := o.(*daemonset.DaemonSet)
		if !ok {
			continue
		}
		if errs := daemonset.ValidateSelector(&ds.Spec, fieldpath.NewPath("spec")); len(errs) > 0 {
			msg := cluster.NewInvalid(ds.Type(), ds.Name, errs).Error()
			if line := lineOfObject(res, o); line > 0 {
				return nil, nil, &Error{File: name, Line: line, Msg: msg}
			}
			return nil, nil, &Error{File: name, Msg: msg}
		}
	}
	return rep, env, nil
}

// lineOfObject returns the input line of obj, one of res.Objects, or 0.
func lineOfObject(res *DecodeResult, obj cluster.Object) int {
	if len(res.Lines) != len(res.Objects) {
		return 0
	}
	for i, o := range res.Objects {
		if o == obj {
			return res.Lines[i]
		}
	}
	return 0
}

// newestTime returns the newest timestamp of obj that LoadState takes into
// account.
func newestTime(obj cluster.Object) time.Time {
	t := obj.Meta().CreationTimestamp
	later := func(u time.Time) {
		if u.After(t) {
			t = u
		}
	}
	switch o := obj.(type) {
	case *cluster.Node:
		for _, c := range o.Status.Conditions {
			later(c.LastHeartbeatTime)
			later(c.LastTransitionTime)
		}
	case *cluster.Pod:
		if o.Status.StartTime != nil {
			later(*o.Status.StartTime)
		}
		for _, c := range o.Status.Conditions {
			later(c.LastProbeTime)
			later(c.LastTransitionTime)
		}
	}
	return t
}

// dropAbsentOwners removes, from the objects about to be loaded, the owner
// references to objects of modelled kinds that are not among them, and
// counts them by kind.
func dropAbsentOwners(env *Env, objs []cluster.Object) map[string]int {
	present := make(map[cluster.Ref]bool, len(objs))
	for _, o := range objs {
		r := cluster.RefOf(o)
		if o.Type().Namespaced && r.Namespace == "" {
			r.Namespace = "default"
		}
		present[r] = true
	}
	var dropped map[string]int
	for _, o := range objs {
		m := o.Meta()
		if len(m.OwnerReferences) == 0 {
			continue
		}
		var keep []cluster.OwnerReference
		for i, ref := range m.OwnerReferences {
			t, known := env.View().TypeOf(cluster.Kind(ref.Kind))
			owner := cluster.Ref{Kind: cluster.Kind(ref.Kind), Name: ref.Name}
			if known && t.Namespaced {
				owner.Namespace = m.Namespace
				if owner.Namespace == "" {
					owner.Namespace = "default"
				}
			}
			if !known || present[owner] || (t.Namespaced && !o.Type().Namespaced) {
				if keep != nil {
					keep = append(keep, ref)
				}
				continue
			}
			if keep == nil {
				keep = append(make([]cluster.OwnerReference, 0, len(m.OwnerReferences)), m.OwnerReferences[:i]...)
			}
			if dropped == nil {
				dropped = map[string]int{}
			}
			dropped[ref.Kind]++
		}
		if keep != nil {
			m.OwnerReferences = keep
			if len(keep) == 0 {
				m.OwnerReferences = nil
			}
		}
	}
	return dropped
}

// wholeInputLimit is the size up to which decodeState decodes the whole
// input again when an item of a List fails, so that the error is the
// decoder's own: MaxInputBytes, which tests lower.
var wholeInputLimit = MaxInputBytes

// decodeState decodes a state leniently: a List laid out as kubectl
// prints it item by item (see [LoadState]), its items' fast paths run by
// par (see [Parallel]), anything else as a whole.
func decodeState(data []byte, name string, par Parallel) (*DecodeResult, error) {
	if len(data) > MaxStateBytes {
		return nil, &Error{File: name, Msg: fmt.Sprintf("input is %d bytes, more than the limit of %d", len(data), MaxStateBytes)}
	}
	if !utf8.Valid(data) {
		return DecodeWith(data, DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: MaxInputBytes})
	}
	if res, ok, err := decodeJSONList(data, name, par); ok {
		return res, err
	}
	l, ok := splitList(data)
	if !ok {
		return DecodeWith(data, DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: MaxInputBytes})
	}
	fast := fastItems(l.items, par, func() func(listItem) itemResult {
		var fc fastConverter
		return func(it listItem) itemResult {
			if it.end-it.start > MaxDocumentBytes {
				return itemResult{} // refused below
			}
			obj, skipped, ok := fc.object(data[it.start:it.end], l)
			return itemResult{obj, skipped, ok}
		}
	})
	// An item the fast path does not take is decoded as a List of its
	// own; its text is kept, so that positions map back by a fixed line
	// offset. Cutting at column 0 is wrong for YAML that continues a
	// construct there (a flow collection, say), which the YAML decoder
	// may accept: an item it refuses sends the whole input to it.
	prefix := "apiVersion: " + strconv.Quote(l.apiVersion) + "\nkind: " + strconv.Quote(l.kind) + "\nitems:\n"
	res, ok, err := assembleItems(data, name, l.items, fast, prefix, "", 4, MaxDocumentBytes)
	if !ok {
		return DecodeWith(data, DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: MaxInputBytes})
	}
	return res, err
}

// inInput positions an error of an item decoded as a List of its own (see
// decodeState and decodeJSONList) in the whole input, where the item
// starts at line; in the part, it starts at line first (after the List's
// lines before it). The item's lines, and the line before it (some YAML
// errors name the line before the offending one), map back by a fixed
// offset.
func inInput(err error, line, first int) error {
	e, ok := err.(*Error)
	if !ok || e.Line < first-1 {
		return err
	}
	c := *e
	c.Line += line - first
	// The converter names a duplicate key's first line too.
	c.Msg = atLine.ReplaceAllStringFunc(c.Msg, func(m string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(m, "at line "))
		return "at line " + strconv.Itoa(n+line-first)
	})
	return &c
}

// atLine finds the line numbers that error messages hold.
var atLine = regexp.MustCompile(`at line [0-9]+`)

// listLayout is a kubectl List found by splitList.
type listLayout struct {
	apiVersion, kind string
	items            []listItem
}

// listItem is the text of one list item: bytes [start, end), from line line.
type listItem struct {
	start, end, line int
}

// splitList recognises a List (kind List, or a typed list of a supported
// kind such as PodList) laid out as kubectl prints it: one document, its
// keys at column 0, "items:" alone on its line followed by the items, each
// starting with "- " at column 0, then the other keys. It returns the
// List's kind and apiVersion (read from the lines around the items) and
// the items' spans; ok is false for any other layout.
func splitList(data []byte) (l listLayout, ok bool) {
	// Lines end at "\n" here; YAML also breaks them at a lone "\r" and,
	// in yaml.v3, at NEL, LS and PS.
	for _, brk := range []string{"\u0085", "\u2028", "\u2029"} {
		if bytes.Contains(data, []byte(brk)) {
			return l, false
		}
	}
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 >= len(data) || data[i+1] != '\n' {
			return l, false
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	var header []byte
	inItems, seenItems := false, false
	line := 0
	for pos := 0; pos < len(data); {
		end := pos + bytes.IndexByte(data[pos:], '\n')
		if end < pos {
			end = len(data)
		}
		next := min(end+1, len(data))
		line++
		if data[pos] == ' ' && inItems && len(l.items) > 0 {
			// An indented line within an item (most lines): it goes
			// with the item, whatever it holds.
			l.items[len(l.items)-1].end = next
			pos = next
			continue
		}
		text := bytes.TrimRight(data[pos:end], "\r")
		trimmed := bytes.TrimLeft(text, " ")
		blank := len(trimmed) == 0 || trimmed[0] == '#'
		col0 := !blank && len(trimmed) == len(text)
		entry := col0 && (len(text) == 1 && text[0] == '-' || bytes.HasPrefix(text, []byte("- ")))
		isItems := col0 && string(bytes.TrimRight(text, " ")) == "items:"
		switch {
		case col0 && (bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("..."))):
			return l, false
		case inItems && entry:
			l.items = append(l.items, listItem{start: pos, end: next, line: line})
		case inItems && !col0:
			if len(l.items) == 0 {
				if !blank {
					return l, false
				}
			} else {
				l.items[len(l.items)-1].end = next
			}
		case isItems:
			if seenItems {
				return l, false
			}
			inItems, seenItems = true, true
		case entry || (!col0 && !blank && len(header) == 0):
			// A sequence outside the items, or an indented line before
			// any key: not the layout of a List.
			return l, false
		case col0 && !isHeaderKey(text):
			// Anything at column 0 but a plain "key:" line (a tag, an
			// anchor, a flow collection) may join the lines around it in
			// ways the header read alone would not show.
			return l, false
		default:
			inItems = false
			header = append(header, data[pos:next]...)
		}
		pos = next
	}
	if !seenItems || len(l.items) == 0 {
		return l, false
	}
	// The header's apiVersion and kind, which must be strings.
	var doc yaml.Node
	if err := yaml.Unmarshal(header, &doc); err != nil || len(doc.Content) != 1 {
		return l, false
	}
	str := func(key string) string {
		n := mapValue(doc.Content[0], key)
		if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			return ""
		}
		return n.Value
	}
	l.apiVersion, l.kind = str("apiVersion"), str("kind")
	if l.apiVersion == "" || (l.kind != "List" && !(strings.HasSuffix(l.kind, "List") && slices.Contains(SupportedKinds, strings.TrimSuffix(l.kind, "List")))) {
		return l, false
	}
	return l, true
}

// isHeaderKey reports whether a List's line at column 0 outside its items
// is a mapping key the fast path reads ("kind: List", "metadata:").
func isHeaderKey(line []byte) bool {
	_, _, ok := fastSplitKey(string(bytes.TrimRight(line, " ")))
	return ok
}

// fastConverter decodes the items of a kubectl List without building YAML
// trees: it turns the subset of YAML that kubectl prints straight into
// JSON, then decodes that as [DecodeWith] does in lenient mode (with
// fastUnmarshal, which skips unknown fields such as managedFields without
// decoding them, or json.Unmarshal). The subset
// is block mappings and sequences (a sequence may sit at its key's
// column), plain scalars that are strings, decimal integers, booleans or
// null, single-line quoted scalars whose escapes are JSON's, "{}" and
// "[]", literal block scalars ("|", "|-") as mapping values, blank lines
// and comment lines. Anything else — folded or multi-line scalars,
// anchors, aliases, tags, merge keys, flow collections, duplicate keys,
// numbers YAML reads otherwise, an object the decoder would reject — makes
// it give up on the item, which is then decoded by [DecodeWith]: the fast
// path yields the same objects or none, and the slow path says what is
// wrong, with its position.
type fastConverter struct {
	// src is the item's text: the input's bytes, not a copy (see split);
	// nothing derived from it outlives the item's conversion but the
	// top-level kind and apiVersion, which are interned.
	src   string
	lines []fastLine
	// keys holds the keys of the mappings being converted, outermost
	// first, for the check that none repeats: one slice for all of them.
	keys  []string
	i     int
	out   bytes.Buffer
	depth int
	top   itemTop // the item's top-level kind and apiVersion
	// strs holds the strings the items' objects share (see fastUnmarshal).
	strs *stringCache
}

// fastLine is one line of an item.
type fastLine struct {
	start   int // where the line starts
	content int // where its content starts, after the indentation
	end     int // where it ends, without "\r\n"
	indent  int
	blank   bool // nothing but spaces
	comment bool // a comment line
}

// fastMaxDepth bounds the nesting the fast path takes on.
const fastMaxDepth = 100

// object decodes one item (its text, starting with "- "). It returns the
// object, or the kind of an object lenient decoding skips; ok is false
// when the item is not in the subset.
func (fc *fastConverter) object(text []byte, l listLayout) (obj cluster.Object, skipped string, ok bool) {
	if fc.strs == nil {
		fc.strs = new(stringCache)
	}
	if !fc.split(text) {
		return nil, "", false
	}
	fc.out.Reset()
	fc.i, fc.depth = 0, 0
	fc.top = itemTop{}
	// The item's content continues its "- " at the column after the
	// spaces that follow the dash.
	first := &fc.lines[0]
	t := fc.text(*first)
	if !strings.HasPrefix(t, "- ") {
		return nil, "", false
	}
	j := 1
	for j < len(t) && t[j] == ' ' {
		j++
	}
	first.content += j
	first.indent += j
	if !fc.isKey(t[j:]) || !fc.mapping(first.indent) {
		return nil, "", false
	}
	if fc.skip(); fc.i != len(fc.lines) || fc.top.bad {
		return nil, "", false
	}
	return decodeItem(fc.out.Bytes(), fc.top, l, fc.strs)
}

// decodeItem decodes js, the JSON of an item of the List l whose own
// top-level kind and apiVersion are top's, as both fast paths do: a typed
// List (PodList) gives its items the kind and apiVersion they lack; an
// object of a kind the decoder does not model is skipped (its kind is
// returned); the rest is decoded by fastUnmarshal, or by json.Unmarshal
// into a fresh object. ok is false when the item is not one the fast
// paths take.
func decodeItem(js []byte, top itemTop, l listLayout, strs *stringCache) (obj cluster.Object, skipped string, ok bool) {
	kind, apiVersion := top.kind, top.apiVersion
	if l.kind != "List" {
		if !top.hasKind {
			kind = strings.TrimSuffix(l.kind, "List")
		}
		if !top.hasAPIVersion {
			apiVersion = l.apiVersion
		}
	}
	if kind == "" || apiVersion == "" || strings.HasSuffix(kind, "List") {
		return nil, "", false
	}
	obj, err := newObject(kind, apiVersion)
	if err != nil {
		if _, unsupported := err.(unsupportedKind); unsupported {
			return nil, kind, true
		}
		return nil, "", false
	}
	if fastUnmarshal(js, obj, strs) != nil {
		// Left to encoding/json, into a fresh object.
		obj, _ = newObject(kind, apiVersion)
		if err := json.Unmarshal(js, obj); err != nil {
			return nil, "", false
		}
	}
	if tm := typeMeta(obj); tm != nil {
		tm.Kind, tm.APIVersion = kind, apiVersion
	}
	return obj, "", true
}

// split cuts text into lines; it fails on a tab in an indentation.
func (fc *fastConverter) split(item []byte) bool {
	if !fastPrintable(item) {
		return false
	}
	// The item's bytes, read as a string without a copy: they do not
	// change while the item is converted, and no string cut from them is
	// kept (the converter writes JSON, and interns the kind and
	// apiVersion it records).
	text := unsafe.String(unsafe.SliceData(item), len(item))
	fc.src = text
	fc.lines = fc.lines[:0]
	for pos := 0; pos < len(text); {
		end := len(text)
		if nl := strings.IndexByte(text[pos:], '\n'); nl >= 0 {
			end = pos + nl
		}
		next := end + 1
		if end > pos && text[end-1] == '\r' {
			end--
		}
		c := pos
		for c < end && text[c] == ' ' {
			c++
		}
		ln := fastLine{start: pos, content: c, end: end, indent: c - pos, blank: c == end}
		if !ln.blank {
			if text[c] == '\t' {
				return false
			}
			ln.comment = text[c] == '#'
		}
		fc.lines = append(fc.lines, ln)
		pos = next
	}
	return len(fc.lines) > 0
}

// text returns a line's content without trailing spaces.
func (fc *fastConverter) text(ln fastLine) string {
	return strings.TrimRight(fc.src[ln.content:ln.end], " ")
}

// skip moves past blank and comment lines.
func (fc *fastConverter) skip() {
	for fc.i < len(fc.lines) && (fc.lines[fc.i].blank || fc.lines[fc.i].comment) {
		fc.i++
	}
}

func fastSeqEntry(t string) bool { return t == "-" || strings.HasPrefix(t, "- ") }

// isKey reports whether t starts a mapping entry ("key: …" or "key:").
func (fc *fastConverter) isKey(t string) bool {
	_, _, ok := fastSplitKey(t)
	return ok
}

// fastSplitKey splits a mapping entry into its key (unquoted) and the rest
// after the colon; ok is false when t is not an entry the fast path
// takes.
func fastSplitKey(t string) (key, rest string, ok bool) {
	if t == "" || t[0] == ' ' {
		return "", "", false
	}
	switch t[0] {
	case '"', '\'':
		v, n, good := fastQuoted(t, true)
		if !good || n >= len(t) || t[n] != ':' || (n+1 < len(t) && t[n+1] != ' ') {
			return "", "", false
		}
		return v, strings.TrimLeft(t[n+1:], " "), true
	}
	if fastKeyStart[t[0]] {
		return "", "", false
	}
	i := strings.Index(t, ": ")
	if i < 0 {
		if !strings.HasSuffix(t, ":") {
			return "", "", false
		}
		i = len(t) - 1
	}
	key = t[:i]
	if strings.HasSuffix(key, " ") || hasCommentOrTab(key) {
		return "", "", false
	}
	return key, strings.TrimLeft(t[i+1:], " "), true
}

// fastKeyStart marks the bytes that may not start a plain key the fast
// path takes.
var fastKeyStart = byteSet("-?:,[]{}#&*!|>%@`<~")

// fastScalarStart marks the bytes that may not start a plain scalar the
// fast path takes.
var fastScalarStart = byteSet("|>&*!%@`#?,]}")

func byteSet(chars string) (set [256]bool) {
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return set
}

// hasCommentOrTab reports whether t contains " #" or a tab.
func hasCommentOrTab(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] == '\t' || t[i] == '#' && i > 0 && t[i-1] == ' ' {
			return true
		}
	}
	return false
}

// quotedPlain reports whether the double-quoted scalar t has no escape
// and none of the runes writeJSONString escapes (DEL, U+2028, U+2029).
func quotedPlain(t string) bool {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\\', 0x7f:
			return false
		case 0xe2: // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
			if i+2 < len(t) && t[i+1] == 0x80 && (t[i+2] == 0xa8 || t[i+2] == 0xa9) {
				return false
			}
		}
	}
	return true
}

// fastQuoted reads the quoted scalar at the start of t: its value (decoded
// only when want is set or it is single-quoted), the length of its text,
// and whether the fast path takes it (single-line, double-quoted with
// only the escapes JSON and YAML read alike — \" \\ \b \f \n \r \t and
// \u outside the surrogates —, or single-quoted). A double-quoted scalar
// so checked is a JSON string literal as it stands.
func fastQuoted(t string, want bool) (value string, n int, ok bool) {
	if t[0] == '\'' {
		var b strings.Builder
		for i := 1; i < len(t); i++ {
			if t[i] == '\'' {
				if i+1 < len(t) && t[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				return b.String(), i + 1, true
			}
			b.WriteByte(t[i])
		}
		return "", 0, false
	}
	escaped := false
	for i := 1; i < len(t); i++ {
		switch c := t[i]; {
		case c == '"':
			switch {
			case !want:
			case !escaped:
				value = t[1:i] // JSON's value, as it has no escape
			case json.Unmarshal([]byte(t[:i+1]), &value) != nil:
				return "", 0, false
			}
			return value, i + 1, true
		case c == '\\':
			escaped = true
			if i+1 >= len(t) {
				return "", 0, false
			}
			switch t[i+1] {
			case '"', '\\', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				// A surrogate half is a pair in JSON and an error in YAML.
				if i+5 >= len(t) || !strings.ContainsRune("0123456789abcABC", rune(t[i+2])) {
					return "", 0, false
				}
				for _, h := range t[i+3 : i+6] {
					if !strings.ContainsRune("0123456789abcdefABCDEF", h) {
						return "", 0, false
					}
				}
				i += 5
			default:
				return "", 0, false
			}
		case c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// mapping converts the block mapping whose keys sit at column ind.
func (fc *fastConverter) mapping(ind int) bool {
	if fc.depth++; fc.depth > fastMaxDepth {
		return false
	}
	defer func() { fc.depth-- }()
	fc.out.WriteByte('{')
	base := len(fc.keys)
	defer func() { fc.keys = fc.keys[:base] }()
	for {
		fc.skip()
		if fc.i >= len(fc.lines) || fc.lines[fc.i].indent < ind {
			break
		}
		ln := fc.lines[fc.i]
		t := fc.text(ln)
		if ln.indent > ind || fastSeqEntry(t) {
			return false
		}
		key, rest, ok := fastSplitKey(t)
		if !ok || slices.Contains(fc.keys[base:], key) {
			return false
		}
		fc.keys = append(fc.keys, key)
		if len(fc.keys) > base+1 {
			fc.out.WriteByte(',')
		}
		writeJSONString(&fc.out, key)
		fc.out.WriteByte(':')
		top := fc.depth == 1 && (key == "kind" || key == "apiVersion")
		if !fc.value(rest, ind, top, key) {
			return false
		}
	}
	fc.out.WriteByte('}')
	return true
}

// value converts the value of a mapping entry at column ind whose text
// after the colon is rest. With top set it records a top-level kind or
// apiVersion.
func (fc *fastConverter) value(rest string, ind int, top bool, key string) bool {
	switch {
	case top && (rest == "" || rest == "|" || rest == "|-"):
		fc.top.bad = true
		return false
	case rest == "":
		fc.i++
		fc.skip()
		if fc.i < len(fc.lines) {
			ln := fc.lines[fc.i]
			t := fc.text(ln)
			switch {
			case ln.indent > ind && fastSeqEntry(t):
				return fc.sequence(ln.indent)
			case ln.indent > ind:
				return fc.isKey(t) && fc.mapping(ln.indent)
			case ln.indent == ind && fastSeqEntry(t):
				return fc.sequence(ind)
			}
		}
		fc.out.WriteString("null")
		return true
	case rest == "|" || rest == "|-":
		return fc.block(ind, rest == "|-")
	}
	s, isStr, ok := fc.scalar(rest, top)
	if !ok {
		return false
	}
	if top {
		if !isStr {
			fc.top.bad = true
		} else if key == "kind" {
			fc.top.kind, fc.top.hasKind = fc.strs.internString(s), true
		} else {
			fc.top.apiVersion, fc.top.hasAPIVersion = fc.strs.internString(s), true
		}
	}
	fc.i++
	fc.skip()
	// A more indented line would continue the scalar.
	return fc.i >= len(fc.lines) || fc.lines[fc.i].indent <= ind
}

// sequence converts the block sequence whose "- " sit at column ind.
func (fc *fastConverter) sequence(ind int) bool {
	if fc.depth++; fc.depth > fastMaxDepth {
		return false
	}
	defer func() { fc.depth-- }()
	fc.out.WriteByte('[')
	n := 0
	for {
		fc.skip()
		if fc.i >= len(fc.lines) || fc.lines[fc.i].indent < ind {
			break
		}
		ln := &fc.lines[fc.i]
		t := fc.text(*ln)
		if ln.indent > ind {
			return false
		}
		if !fastSeqEntry(t) {
			break // the next key of the mapping this sequence is the value of
		}
		if t == "-" {
			return false
		}
		if n++; n > 1 {
			fc.out.WriteByte(',')
		}
		// The entry's content continues at the column after "- ".
		j := 1
		for j < len(t) && t[j] == ' ' {
			j++
		}
		ln.content += j
		ln.indent += j
		item := t[j:]
		switch {
		case fastSeqEntry(item):
			if !fc.sequence(ln.indent) {
				return false
			}
		case fc.isKey(item):
			if !fc.mapping(ln.indent) {
				return false
			}
		default:
			if _, _, ok := fc.scalar(item, false); !ok {
				return false
			}
			fc.i++
			fc.skip()
			if fc.i < len(fc.lines) && fc.lines[fc.i].indent > ind {
				return false
			}
		}
	}
	fc.out.WriteByte(']')
	return true
}

// scalar converts a scalar, "{}" or "[]", and tells whether it is a
// string; with want set, it returns the string's value.
func (fc *fastConverter) scalar(t string, want bool) (value string, isStr, ok bool) {
	switch t[0] {
	case '"':
		// Escapes and the runes writeJSONString escapes are decoded and
		// written again, so that the JSON is the slow path's, byte for
		// byte (opaque fields keep those bytes).
		plain := quotedPlain(t)
		v, n, ok := fastQuoted(t, want || !plain)
		if !ok || n != len(t) {
			return "", false, false
		}
		if plain {
			fc.out.WriteString(t)
		} else {
			writeJSONString(&fc.out, v)
		}
		return v, true, true
	case '\'':
		v, n, ok := fastQuoted(t, false)
		if !ok || n != len(t) {
			return "", false, false
		}
		writeJSONString(&fc.out, v)
		return v, true, true
	case '{', '[':
		if t != "{}" && t != "[]" {
			return "", false, false
		}
		fc.out.WriteString(t)
		return "", false, true
	}
	if fastScalarStart[t[0]] || t == "-" || strings.HasPrefix(t, "- ") || hasCommentOrTab(t) ||
		strings.Contains(t, ": ") || strings.HasSuffix(t, ":") {
		return "", false, false
	}
	switch t {
	case "true", "True", "TRUE":
		fc.out.WriteString("true")
		return "", false, true
	case "false", "False", "FALSE":
		fc.out.WriteString("false")
		return "", false, true
	case "null", "Null", "NULL", "~":
		fc.out.WriteString("null")
		return "", false, true
	}
	switch {
	case fastDecimalInt(t):
		fc.out.WriteString(t)
		return "", false, true
	case t[0] == '<' || fastYAMLNumber(t):
		return "", false, false
	}
	writeJSONString(&fc.out, t)
	return t, true, true
}

// fastYAMLFloat is the form of the floats YAML reads (yaml.v3's
// yamlStyleFloat).
var fastYAMLFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// fastYAMLNumber reports whether the YAML decoder may read the plain scalar t
// as a number (or a special float) rather than a string, as yaml.v3's
// resolve does for scalars that start with a sign, a digit or a dot:
// integers in any base, with or without underscores, and floats. Other
// such scalars (IP addresses, versions, timestamps, durations) are
// strings.
func fastYAMLNumber(t string) bool {
	switch t[0] {
	case '.':
		_, err := strconv.ParseFloat(t, 64)
		return err == nil || strings.EqualFold(t, ".nan") || strings.EqualFold(t, ".inf")
	case '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		return false
	}
	plain := strings.ReplaceAll(t, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if fastYAMLFloat.MatchString(plain) {
		return true
	}
	for _, p := range []string{"0b", "-0b", "0o", "-0o", "+.", "-."} {
		if strings.HasPrefix(plain, p) {
			return true
		}
	}
	return false
}

// fastDecimalInt reports whether t is an integer YAML reads as written:
// optional minus, no leading zero, at most 18 digits.
func fastDecimalInt(t string) bool {
	d := strings.TrimPrefix(t, "-")
	if d == "" || len(d) > 18 || (d[0] == '0' && len(d) > 1) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// block converts the literal block scalar ("|" to keep one final line
// break, "|-" to keep none) that is the value of an entry at column ind.
func (fc *fastConverter) block(ind int, strip bool) bool {
	fc.i++
	var lines []string
	indent := -1
	for ; fc.i < len(fc.lines); fc.i++ {
		ln := fc.lines[fc.i]
		if ln.blank {
			if indent < 0 || ln.end-ln.start > indent {
				return false // leading or over-indented blank lines: let YAML decide
			}
			lines = append(lines, "")
			continue
		}
		if ln.indent <= ind {
			break
		}
		if indent < 0 {
			indent = ln.indent
		}
		if ln.indent < indent {
			return false
		}
		lines = append(lines, fc.src[ln.start+indent:ln.end])
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	v := strings.Join(lines, "\n")
	if !strip && v != "" {
		v += "\n"
	}
	writeJSONString(&fc.out, v)
	return true
}

// printableASCII marks the ASCII bytes YAML allows in a stream: the
// printable ones, tab, line feed and carriage return.
var printableASCII = func() (set [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		set[c] = true
	}
	set['\t'], set['\n'], set['\r'] = true, true, true
	return set
}()

// fastPrintable reports whether text holds only the characters a YAML
// stream may (tab, line breaks, printable ASCII, and the printable
// non-ASCII ranges); the YAML decoder rejects the others.
func fastPrintable(text []byte) bool {
	for i := 0; i < len(text); {
		i += printableRun(text[i:])
		if i == len(text) {
			break
		}
		if c := text[i]; c < 0x80 {
			if !printableASCII[c] {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size == 1,
			r < 0xA0 && r != 0x85,
			r >= 0xD800 && r <= 0xDFFF,
			r == 0xFFFE, r == 0xFFFF:
			return false
		}
		i += size
	}
	return true
}

// printableRun returns the length of the run of printable ASCII bytes
// (0x20 to 0x7e) at the start of b, eight bytes at a step, as plainRun.
func printableRun(b []byte) int {
	n := 0
	for ; len(b)-n >= 8; n += 8 {
		w := binary.LittleEndian.Uint64(b[n:])
		del := w ^ (lsb8 * 0x7f)
		special := ((w-lsb8*0x20)&^w | (del-lsb8)&^del | w) & msb8
		if special != 0 {
			return n + bits.TrailingZeros64(special)/8
		}
	}
	for n < len(b) && b[n] >= 0x20 && b[n] < 0x7f {
		n++
	}
	return n
}
