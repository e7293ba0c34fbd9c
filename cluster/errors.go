package cluster

import (
	"errors"
	"fmt"

	"github.com/daemonsim/daemonsim/field"
)

// Reason classifies an API error, with the Kubernetes StatusReason values.
type Reason string

// The API error reasons the simulated API server returns.
const (
	ReasonNotFound      Reason = "NotFound"
	ReasonAlreadyExists Reason = "AlreadyExists"
	ReasonConflict      Reason = "Conflict"
	ReasonInvalid       Reason = "Invalid"
	ReasonForbidden     Reason = "Forbidden"
	ReasonBadRequest    Reason = "BadRequest"
	ReasonInternal      Reason = "InternalError"
)

// Sentinels for errors.Is: every [*StatusError] matches the sentinel of its
// Reason.
var (
	ErrNotFound      = errors.New("cluster: not found")
	ErrAlreadyExists = errors.New("cluster: already exists")
	ErrConflict      = errors.New("cluster: conflict")
	ErrInvalid       = errors.New("cluster: invalid")
	ErrForbidden     = errors.New("cluster: forbidden")
	ErrBadRequest    = errors.New("cluster: bad request")
)

// StatusError is an error of the simulated API server. Its message is the
// kube-apiserver's, word for word; errors.Is matches it against the
// sentinel of its Reason.
type StatusError struct {
	Reason  Reason
	Message string
	// Causes holds the field errors of an Invalid error.
	Causes field.ErrorList
}

// Error returns the API server's message.
func (e *StatusError) Error() string { return e.Message }

// Is reports whether target is the sentinel of e's Reason.
func (e *StatusError) Is(target error) bool {
	switch e.Reason {
	case ReasonNotFound:
		return target == ErrNotFound
	case ReasonAlreadyExists:
		return target == ErrAlreadyExists
	case ReasonConflict:
		return target == ErrConflict
	case ReasonInvalid:
		return target == ErrInvalid
	case ReasonForbidden:
		return target == ErrForbidden
	case ReasonBadRequest:
		return target == ErrBadRequest
	}
	return false
}

// NewNotFound returns the error for a missing object:
// `pods "x" not found`, `daemonsets.apps "x" not found`.
func NewNotFound(t *Type, name string) *StatusError {
	return &StatusError{Reason: ReasonNotFound, Message: fmt.Sprintf("%s %q not found", t.GroupResource(), name)}
}

// NewAlreadyExists returns the error for a name that is taken:
// `pods "x" already exists`.
func NewAlreadyExists(t *Type, name string) *StatusError {
	return &StatusError{Reason: ReasonAlreadyExists, Message: fmt.Sprintf("%s %q already exists", t.GroupResource(), name)}
}

// NewConflict returns the error for a write based on a stale object.
func NewConflict(t *Type, name string, detail string) *StatusError {
	return &StatusError{Reason: ReasonConflict, Message: fmt.Sprintf("Operation cannot be fulfilled on %s %q: %s", t.GroupResource(), name, detail)}
}

// NewInvalid returns the error for an object that fails validation:
// `DaemonSet.apps "x" is invalid: spec.selector: Invalid value: …`.
func NewInvalid(t *Type, name string, errs field.ErrorList) *StatusError {
	agg := errs.ToAggregate()
	msg := fmt.Sprintf("%s %q is invalid", t.GroupKind(), name)
	if agg != nil {
		msg += ": " + agg.Error()
	}
	return &StatusError{Reason: ReasonInvalid, Message: msg, Causes: errs}
}

// NewForbidden returns the error for a request the API server refuses:
// `pods "x" is forbidden: reason`.
func NewForbidden(t *Type, name string, reason string) *StatusError {
	return &StatusError{Reason: ReasonForbidden, Message: fmt.Sprintf("%s %q is forbidden: %s", t.GroupResource(), name, reason)}
}

// NewBadRequest returns an error for a malformed request.
func NewBadRequest(msg string) *StatusError {
	return &StatusError{Reason: ReasonBadRequest, Message: msg}
}

// IsNotFound reports whether err is or wraps a NotFound API error.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsAlreadyExists reports whether err is or wraps an AlreadyExists API
// error.
func IsAlreadyExists(err error) bool { return errors.Is(err, ErrAlreadyExists) }

// IsConflict reports whether err is or wraps a Conflict API error.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsInvalid reports whether err is or wraps an Invalid API error.
func IsInvalid(err error) bool { return errors.Is(err, ErrInvalid) }
