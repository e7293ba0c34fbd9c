// Package field describes validation errors the way the Kubernetes API server
// reports them: a dotted field path, an error type, the offending value and a
// detail, rendered as
//
//	FIELD: TYPE[: VALUE][: DETAIL]
//
// for example
//
//	spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
//
// The wording of [ErrorType.String] and of [Error.Error] matches
// k8s.io/apimachinery/pkg/util/validation/field byte for byte, so that error
// text produced by this module can be compared with upstream's.
//
// # Determinism
//
// Everything here is a pure function of its inputs. Composite bad values are
// rendered as JSON, whose map keys encoding/json sorts.
package field

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Path is a field path such as spec.template.spec.containers[0].name. The
// zero value and nil are the empty path. Paths are immutable: Child, Index
// and Key return new paths that share their parent. Building a path is
// cheap (one small allocation); it is rendered only by String.
type Path struct {
	name   string // a field name, or the key of a Key step
	index  int    // the index of an Index step
	step   uint8  // stepName, stepIndex or stepKey
	parent *Path
}

const (
	stepName uint8 = iota
	stepIndex
	stepKey
)

// NewPath returns the path made of name followed by more.
func NewPath(name string, more ...string) *Path {
	p := &Path{name: name}
	for _, m := range more {
		p = &Path{name: m, parent: p}
	}
	return p
}

// Child returns the path of a named field below p.
func (p *Path) Child(name string, more ...string) *Path {
	c := &Path{name: name, parent: p}
	for _, m := range more {
		c = &Path{name: m, parent: c}
	}
	return c
}

// Index returns the path of the i-th element of the list at p.
func (p *Path) Index(i int) *Path {
	return &Path{index: i, step: stepIndex, parent: p}
}

// Key returns the path of the map entry k of the map at p.
func (p *Path) Key(k string) *Path {
	return &Path{name: k, step: stepKey, parent: p}
}

// String renders the path: names joined by dots, indexes and keys in
// brackets, as in "spec.containers[0].ports[http]".
func (p *Path) String() string {
	if p == nil {
		return "<nil>"
	}
	var steps []*Path
	for q := p; q != nil; q = q.parent {
		steps = append(steps, q)
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		s := steps[i]
		switch s.step {
		case stepIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case stepKey:
			b.WriteByte('[')
			b.WriteString(s.name)
			b.WriteByte(']')
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
	}
	return b.String()
}

// ErrorType is the machine-readable kind of a validation error. Its values
// are the Kubernetes CauseType strings ("FieldValueRequired", …).
type ErrorType string

// The error types, with the Kubernetes values.
const (
	ErrorTypeNotFound     ErrorType = "FieldValueNotFound"
	ErrorTypeRequired     ErrorType = "FieldValueRequired"
	ErrorTypeDuplicate    ErrorType = "FieldValueDuplicate"
	ErrorTypeInvalid      ErrorType = "FieldValueInvalid"
	ErrorTypeNotSupported ErrorType = "FieldValueNotSupported"
	ErrorTypeForbidden    ErrorType = "FieldValueForbidden"
	ErrorTypeTooLong      ErrorType = "FieldValueTooLong"
	ErrorTypeTooMany      ErrorType = "FieldValueTooMany"
	ErrorTypeInternal     ErrorType = "InternalError"
	ErrorTypeTypeInvalid  ErrorType = "FieldValueTypeInvalid"
)

// String returns the phrase the API server prints for t, such as
// "Required value" or "Unsupported value".
func (t ErrorType) String() string {
	switch t {
	case ErrorTypeNotFound:
		return "Not found"
	case ErrorTypeRequired:
		return "Required value"
	case ErrorTypeDuplicate:
		return "Duplicate value"
	case ErrorTypeInvalid, ErrorTypeTypeInvalid:
		return "Invalid value"
	case ErrorTypeNotSupported:
		return "Unsupported value"
	case ErrorTypeForbidden:
		return "Forbidden"
	case ErrorTypeTooLong:
		return "Too long"
	case ErrorTypeTooMany:
		return "Too many"
	case ErrorTypeInternal:
		return "Internal error"
	default:
		return string(t)
	}
}

// Error is one field-level validation error.
type Error struct {
	Type     ErrorType
	Field    string
	BadValue any
	Detail   string
}

// omit marks a BadValue that is not printed.
type omit struct{}

// Error renders the error as "FIELD: BODY".
func (e *Error) Error() string {
	return e.Field + ": " + e.ErrorBody()
}

// ErrorBody renders the error without its field: the type phrase, the bad
// value where the type shows one, and the detail.
//
// Values are printed as upstream prints them: strings quoted, numbers and
// booleans plain, nil as null, types with a String method through it, and
// anything else as JSON.
func (e *Error) ErrorBody() string {
	s := e.Type.String()
	switch e.Type {
	case ErrorTypeRequired, ErrorTypeForbidden, ErrorTypeTooLong, ErrorTypeInternal:
	default:
		if _, ok := e.BadValue.(omit); !ok {
			s += ": " + renderValue(e.BadValue)
		}
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func renderValue(v any) string {
	if v == nil {
		return "null"
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "null"
		}
		if s, ok := v.(fmt.Stringer); ok {
			return s.String()
		}
		v = rv.Elem().Interface()
	}
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case fmt.Stringer:
		return t.String()
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return fmt.Sprint(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// Required reports a missing value.
func Required(p *Path, detail string) *Error {
	return &Error{Type: ErrorTypeRequired, Field: p.String(), BadValue: "", Detail: detail}
}

// Invalid reports a malformed value.
func Invalid(p *Path, value any, detail string) *Error {
	return &Error{Type: ErrorTypeInvalid, Field: p.String(), BadValue: value, Detail: detail}
}

// NotSupported reports a value outside an enumeration; the detail lists the
// supported values, quoted, in the order given.
func NotSupported(p *Path, value any, valid []string) *Error {
	detail := ""
	if len(valid) > 0 {
		q := make([]string, len(valid))
		for i, v := range valid {
			q[i] = strconv.Quote(v)
		}
		detail = "supported values: " + strings.Join(q, ", ")
	}
	return &Error{Type: ErrorTypeNotSupported, Field: p.String(), BadValue: value, Detail: detail}
}

// Forbidden reports a value that is well formed but not allowed here.
func Forbidden(p *Path, detail string) *Error {
	return &Error{Type: ErrorTypeForbidden, Field: p.String(), BadValue: "", Detail: detail}
}

// Duplicate reports a value that must be unique but is not.
func Duplicate(p *Path, value any) *Error {
	return &Error{Type: ErrorTypeDuplicate, Field: p.String(), BadValue: value}
}

// NotFound reports a value that refers to something that does not exist.
func NotFound(p *Path, value any) *Error {
	return &Error{Type: ErrorTypeNotFound, Field: p.String(), BadValue: value}
}

// TooLong reports a value longer than maxLength bytes.
func TooLong(p *Path, value any, maxLength int) *Error {
	return &Error{Type: ErrorTypeTooLong, Field: p.String(), BadValue: value,
		Detail: fmt.Sprintf("must have at most %d bytes", maxLength)}
}

// TooMany reports a list with more than maxQuantity items.
func TooMany(p *Path, actual, maxQuantity int) *Error {
	return &Error{Type: ErrorTypeTooMany, Field: p.String(), BadValue: actual,
		Detail: fmt.Sprintf("must have at most %d items", maxQuantity)}
}

// InternalError reports a failure that is not the input's fault.
func InternalError(p *Path, err error) *Error {
	return &Error{Type: ErrorTypeInternal, Field: p.String(), Detail: err.Error()}
}

// ErrorList is a list of validation errors, in the order they were found.
type ErrorList []*Error

// ToAggregate returns nil for an empty list, and otherwise an error whose
// text is the single message, or "[a, b, …]" for several distinct
// messages, as apimachinery's aggregate prints them. Repeated messages are
// kept once. The result unwraps to the individual *Error values.
func (l ErrorList) ToAggregate() error {
	if len(l) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(l))
	agg := make(Aggregate, 0, len(l))
	for _, e := range l {
		msg := e.Error()
		if seen[msg] {
			continue
		}
		seen[msg] = true
		agg = append(agg, e)
	}
	return agg
}

// Aggregate is several validation errors reported as one.
type Aggregate ErrorList

// Error renders one error as itself and several as "[a, b]".
func (a Aggregate) Error() string {
	if len(a) == 1 {
		return a[0].Error()
	}
	msgs := make([]string, len(a))
	for i, e := range a {
		msgs[i] = e.Error()
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// Unwrap returns the individual errors, for errors.As and errors.Is.
func (a Aggregate) Unwrap() []error {
	errs := make([]error, len(a))
	for i, e := range a {
		errs[i] = e
	}
	return errs
}

// Errors returns the errors held by err: the list of an [Aggregate], the
// single [*Error] err is or wraps, or nil.
func Errors(err error) ErrorList {
	var agg Aggregate
	if errors.As(err, &agg) {
		return ErrorList(agg)
	}
	var fe *Error
	if errors.As(err, &fe) {
		return ErrorList{fe}
	}
	return nil
}
