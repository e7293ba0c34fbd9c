package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/daemonset"
	"github.com/daemonsim/daemonsim/replicaset"
)

// DecodeResult is what [DecodeLenient] and [DecodeWith] return.
type DecodeResult struct {
	// Objects are the decoded objects, in input order.
	Objects []cluster.Object
	// Lines holds, for each object, the line of the input where it
	// starts (0 when it is not known).
	Lines []int
	// Skipped counts, by kind, the objects of unsupported kinds that
	// lenient decoding skipped; nil when none were.
	Skipped map[string]int
}

// DecodeOptions configure [DecodeWith].
type DecodeOptions struct {
	// Name is the input's file name, used in error messages.
	Name string
	// Lenient ignores unknown fields and skips (and counts) objects of
	// unsupported kinds, as needed for `kubectl get -o yaml` dumps, which
	// carry managedFields, status details and kinds the simulator does
	// not model. Wrong types are errors in both modes.
	Lenient bool
	// MaxDocumentBytes bounds each document; 0 means [MaxDocumentBytes].
	MaxDocumentBytes int
}

// SupportedKinds lists the kinds a manifest may have, in order.
var SupportedKinds = []string{"ControllerRevision", "DaemonSet", "Endpoints", "List", "Namespace", "Node", "Pod",
	"ReplicaSet", "ReplicationController", "Service"}

// Decode decodes YAML or JSON manifests strictly: one or more documents,
// each an object or a `kind: List` (or a typed list such as PodList) with
// items. The kind is chosen by an explicit switch:
//
//   - Node, Pod, Namespace (apiVersion v1): [cluster.Node], [cluster.Pod],
//     [cluster.Namespace];
//   - DaemonSet (apiVersion apps/v1; extensions/v1beta1 and apps/v1beta2
//     also decode, and the cluster's profile decides whether the API
//     accepts them): [daemonset.DaemonSet];
//   - ControllerRevision (apiVersion apps/v1): [daemonset.ControllerRevision].
//
// Each manifest goes from the YAML node tree to JSON and through
// encoding/json with DisallowUnknownFields, so the Kubernetes json tags
// name the fields. Unknown fields, wrong types, duplicate keys, unknown
// kinds and versions are errors that carry the line of the offending node
// ("line 12: DaemonSet: unknown field \"spec.templat\""). Field names match
// exactly (encoding/json alone would match them case-insensitively, the
// API server does not). YAML aliases and merge keys are resolved, within
// [MaxAliasNodes]; documents are bounded by [MaxDocumentBytes].
func Decode(data []byte) ([]cluster.Object, error) {
	r, err := DecodeWith(data, DecodeOptions{})
	if err != nil {
		return nil, err
	}
	return r.Objects, nil
}

// DecodeLenient decodes manifests as [Decode] does, but ignores unknown
// fields and skips objects of unsupported kinds, counting them by kind.
// It is meant for `kubectl get … -o yaml` dumps.
func DecodeLenient(data []byte) (*DecodeResult, error) {
	return DecodeWith(data, DecodeOptions{Lenient: true})
}

// DecodeWith decodes manifests as configured by opts.
func DecodeWith(data []byte, opts DecodeOptions) (*DecodeResult, error) {
	docs, err := parseDocuments(opts.Name, data, opts.MaxDocumentBytes)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: opts.Name, lenient: opts.Lenient}
	res := &DecodeResult{}
	for _, doc := range docs {
		d.cv = newConverter(opts.Name)
		root := doc
		if root.Kind == yaml.DocumentNode {
			if len(root.Content) == 0 {
				continue
			}
			root = root.Content[0]
		}
		if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
			continue
		}
		if err := d.manifest(root, "", "", &res.Objects); err != nil {
			return nil, err
		}
	}
	res.Skipped = d.skipped
	res.Lines = d.lines
	return res, nil
}

// decoder decodes manifests from YAML nodes.
type decoder struct {
	file    string
	lenient bool
	lines   []int // the line of each decoded object
	cv      *converter
	skipped map[string]int
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: d.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// mapValue returns the value of key in mapping n (its own keys only).
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolveAlias(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return resolveAlias(n.Content[i+1])
		}
	}
	return nil
}

// manifest decodes one object or list node. kind and apiVersion, when
// set, are inherited from a typed list (PodList items carry neither).
func (d *decoder) manifest(n *yaml.Node, kind, apiVersion string, out *[]cluster.Object) error {
	if n.Kind != yaml.MappingNode {
		return d.errorf(n, "a manifest must be a mapping, not %s", describeNode(n))
	}
	ps, err := d.cv.pairs(n)
	if err != nil {
		return err
	}
	var kindNode, avNode *yaml.Node
	for _, p := range ps {
		switch p.key {
		case "kind":
			kindNode = resolveAlias(p.value)
		case "apiVersion":
			avNode = resolveAlias(p.value)
		}
	}
	pos := n
	if kindNode != nil {
		pos = kindNode
		if kindNode.Kind != yaml.ScalarNode || kindNode.ShortTag() != "!!str" {
			return d.errorf(kindNode, "kind: want a string, got %s", describeNode(kindNode))
		}
		kind = kindNode.Value
	}
	if avNode != nil {
		if avNode.Kind != yaml.ScalarNode || avNode.ShortTag() != "!!str" {
			return d.errorf(avNode, "apiVersion: want a string, got %s", describeNode(avNode))
		}
		apiVersion = avNode.Value
	}
	switch {
	case kind == "" && apiVersion == "":
		return d.errorf(n, "apiVersion not set, kind not set")
	case kind == "":
		return d.errorf(n, "kind not set")
	case apiVersion == "":
		return d.errorf(pos, "apiVersion not set")
	}
	if kind == "List" || (strings.HasSuffix(kind, "List") && slices.Contains(SupportedKinds, strings.TrimSuffix(kind, "List"))) {
		return d.list(n, kind, apiVersion, out)
	}
	obj, err := newObject(kind, apiVersion)
	if err != nil {
		if _, unsupported := err.(unsupportedKind); unsupported && d.lenient {
			if d.skipped == nil {
				d.skipped = map[string]int{}
			}
			d.skipped[kind]++
			return nil
		}
		return d.errorf(pos, "%v", err)
	}
	// Convert first, then check types over the same expansion: the
	// check may spend the alias budget again, but no more than the
	// conversion did.
	before := d.cv.budget
	data, err := d.cv.toJSON(n)
	if err != nil {
		return err
	}
	after := d.cv.budget
	d.cv.budget = before
	if err := d.checkType(n, reflect.TypeOf(obj).Elem(), ""); err != nil {
		if e, ok := err.(*Error); ok {
			e.Msg = kind + ": " + e.Msg
		}
		return err
	}
	d.cv.budget = after
	dec := json.NewDecoder(bytes.NewReader(data))
	if !d.lenient {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(obj); err != nil {
		return d.errorf(n, "%s: %v", kind, err)
	}
	if tm := typeMeta(obj); tm != nil {
		tm.Kind, tm.APIVersion = kind, apiVersion
	}
	*out = append(*out, obj)
	d.lines = append(d.lines, n.Line)
	return nil
}

func (d *decoder) list(n *yaml.Node, kind, apiVersion string, out *[]cluster.Object) error {
	var itemKind, itemVersion string
	if kind != "List" {
		itemKind, itemVersion = strings.TrimSuffix(kind, "List"), apiVersion
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolveAlias(n.Content[i])
		switch k.Value {
		case "apiVersion", "kind", "metadata":
		case "items":
		default:
			if !d.lenient {
				return d.errorf(k, "%s: unknown field %q", kind, k.Value)
			}
		}
	}
	items := mapValue(n, "items")
	if items == nil || (items.Kind == yaml.ScalarNode && items.ShortTag() == "!!null") {
		return nil
	}
	if items.Kind != yaml.SequenceNode {
		return d.errorf(items, "%s: items: want a list, got %s", kind, describeNode(items))
	}
	for _, item := range items.Content {
		item, err := d.cv.deref(item)
		if err != nil {
			return err
		}
		if item.Kind == yaml.MappingNode {
			if k := mapValue(item, "kind"); k != nil && k.Kind == yaml.ScalarNode && strings.HasSuffix(k.Value, "List") {
				return d.errorf(k, "a list item cannot be a list (%s)", k.Value)
			}
		}
		if err := d.manifest(item, itemKind, itemVersion, out); err != nil {
			return err
		}
	}
	return nil
}

// unsupportedKind is the error of [newObject] for a kind it does not know.
type unsupportedKind string

func (e unsupportedKind) Error() string {
	return fmt.Sprintf("unsupported kind %q (supported: %s)", string(e), strings.Join(SupportedKinds, ", "))
}

// newObject returns a new object of kind in apiVersion.
func newObject(kind, apiVersion string) (cluster.Object, error) {
	var obj cluster.Object
	var versions []string
	switch kind {
	case "Node":
		obj, versions = &cluster.Node{}, []string{"v1"}
	case "Pod":
		obj, versions = &cluster.Pod{}, []string{"v1"}
	case "Namespace":
		obj, versions = &cluster.Namespace{}, []string{"v1"}
	case "DaemonSet":
		obj, versions = &daemonset.DaemonSet{}, []string{daemonset.APIVersion, daemonset.APIVersionExtensionsV1beta1, daemonset.APIVersionAppsV1beta2}
	case "ControllerRevision":
		obj, versions = &daemonset.ControllerRevision{}, []string{"apps/v1", "apps/v1beta2", "apps/v1beta1"}
	case "Service":
		obj, versions = &cluster.Service{}, []string{"v1"}
	case "Endpoints":
		obj, versions = &cluster.Endpoints{}, []string{"v1"}
	case "ReplicaSet":
		obj, versions = &replicaset.ReplicaSet{}, []string{replicaset.APIVersion}
	case "ReplicationController":
		obj, versions = &replicaset.ReplicationController{}, []string{"v1"}
	default:
		return nil, unsupportedKind(kind)
	}
	if !slices.Contains(versions, apiVersion) {
		return nil, fmt.Errorf("no matches for kind %q in version %q", kind, apiVersion)
	}
	return obj, nil
}

// typeMeta returns the TypeMeta of a decoded object.
func typeMeta(obj cluster.Object) *cluster.TypeMeta {
	switch o := obj.(type) {
	case *cluster.Node:
		return &o.TypeMeta
	case *cluster.Pod:
		return &o.TypeMeta
	case *cluster.Namespace:
		return &o.TypeMeta
	case *daemonset.DaemonSet:
		return &o.TypeMeta
	case *daemonset.ControllerRevision:
		return &o.TypeMeta
	case interface{ TypeMetaPtr() *cluster.TypeMeta }:
		return o.TypeMetaPtr()
	}
	return nil
}

// describeNode names the YAML type of n for messages: "a string", "a
// mapping", …
func describeNode(n *yaml.Node) string {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp", "!!binary":
			return "a string"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		case "!!null":
			return "null"
		}
		return "a scalar"
	}
	return "a node"
}

// checkPair checks the value of mapping pair p; a value merged in with
// "<<" is charged to the alias budget like an alias.
func (d *decoder) checkPair(p pair, t reflect.Type, path string) error {
	if p.fromMerged {
		d.cv.inAlias++
		defer func() { d.cv.inAlias-- }()
	}
	return d.checkType(p.value, t, path)
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
)

// checkType checks node n against Go type t the way the API server's
// strict decoding would, and reports the first problem at its line:
// unknown fields (unless lenient), values of the wrong type, and values
// that a type's own UnmarshalJSON rejects (quantities, timestamps).
// path is the field path so far ("spec.template").
func (d *decoder) checkType(n *yaml.Node, t reflect.Type, path string) error {
	if err := d.cv.enter(n); err != nil {
		return err
	}
	defer func() { d.cv.depth-- }()
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return d.errorf(n, "yaml: unknown anchor %q", n.Value)
		}
		d.cv.inAlias++
		defer func() { d.cv.inAlias-- }()
		return d.checkType(n.Alias, t, path)
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil
	}
	if t == rawMessageType {
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		sub := newConverter(d.file)
		data, err := sub.toJSON(n)
		if err != nil {
			return err
		}
		v := reflect.New(t).Interface().(json.Unmarshaler)
		if err := v.UnmarshalJSON(data); err != nil {
			return d.errorf(n, "%s: %v", fieldName(path), err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return d.checkType(n, t.Elem(), path)
	case reflect.Interface:
		return nil
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return d.wrongType(n, path, "a mapping")
		}
		fields := infoOf(t).fields.byName
		ps, err := d.cv.pairs(n)
		if err != nil {
			return err
		}
		for _, p := range ps {
			f, ok := fields[p.key]
			sub := joinPath(path, p.key)
			if !ok {
				if d.lenient {
					continue
				}
				return d.errorf(p.keyNode, "unknown field %q", sub)
			}
			if err := d.checkPair(p, f.typ, sub); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return d.wrongType(n, path, "a mapping")
		}
		ps, err := d.cv.pairs(n)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := d.checkPair(p, t.Elem(), path+"["+p.key+"]"); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return d.scalarType(n, path, "a string", "!!str", "!!binary")
		}
		if n.Kind != yaml.SequenceNode {
			return d.wrongType(n, path, "a list")
		}
		for i, c := range n.Content {
			if err := d.checkType(c, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		return d.scalarType(n, path, "a string", "!!str", "!!timestamp", "!!binary")
	case reflect.Bool:
		return d.scalarType(n, path, "a boolean", "!!bool")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if err := d.scalarType(n, path, "an integer", "!!int"); err != nil {
			return err
		}
		s, err := intLiteral(n)
		if err != nil {
			return d.errorf(n, "%s: %v", fieldName(path), err)
		}
		if _, err := strconv.ParseInt(s, 10, t.Bits()); err != nil {
			return d.errorf(n, "%s: %s does not fit in %s", fieldName(path), n.Value, t.Kind())
		}
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if err := d.scalarType(n, path, "an integer", "!!int"); err != nil {
			return err
		}
		s, err := intLiteral(n)
		if err != nil {
			return d.errorf(n, "%s: %v", fieldName(path), err)
		}
		if _, err := strconv.ParseUint(s, 10, t.Bits()); err != nil {
			return d.errorf(n, "%s: %s does not fit in %s", fieldName(path), n.Value, t.Kind())
		}
		return nil
	case reflect.Float32, reflect.Float64:
		return d.scalarType(n, path, "a number", "!!int", "!!float")
	}
	return nil
}

func (d *decoder) scalarType(n *yaml.Node, path, want string, tags ...string) error {
	if n.Kind == yaml.ScalarNode && slices.Contains(tags, n.ShortTag()) {
		return nil
	}
	return d.wrongType(n, path, want)
}

func (d *decoder) wrongType(n *yaml.Node, path, want string) error {
	return d.errorf(n, "%s: want %s, got %s", fieldName(path), want, describeNode(n))
}

func fieldName(path string) string {
	if path == "" {
		return "object"
	}
	return path
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonField is a field of a struct as encoding/json names it.
type jsonField struct {
	name       string // the JSON name
	opts       string // the tag's options, after the name
	field      reflect.StructField
	index      []int // the index path from the outer struct
	viaPointer bool  // promoted through an embedded pointer
}

// eachJSONField calls fn for each field of struct type t as
// encoding/json names them: fields tagged "-" and unexported ones are
// left out, and the fields of an embedded struct without a JSON name
// are promoted (also through a pointer), in declaration order.
func eachJSONField(t reflect.Type, fn func(jsonField)) {
	var walk func(t reflect.Type, prefix []int, viaPointer bool, depth int)
	walk = func(t reflect.Type, prefix []int, viaPointer bool, depth int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			index := append(slices.Clone(prefix), i)
			if f.Anonymous && name == "" {
				ft, ptr := f.Type, false
				if ft.Kind() == reflect.Pointer {
					ft, ptr = ft.Elem(), true
				}
				if ft.Kind() == reflect.Struct && depth < maxEmbedDepth {
					walk(ft, index, viaPointer || ptr, depth+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fn(jsonField{name: name, opts: opts, field: f, index: index, viaPointer: viaPointer})
		}
	}
	walk(t, nil, false, 0)
}

// maxEmbedDepth bounds the promotion of embedded structs, which a type
// embedding a pointer to itself would make endless.
const maxEmbedDepth = 8
