package taints

import "strconv"

// String renders the taint as kubectl prints it: "key=value:Effect", or
// "key:Effect" when the value is empty. A taint without an effect renders
// as "key=value:" or "key". It mirrors v1.Taint.ToString; the format is
// stable.
func (t Taint) String() string {
	switch {
	case t.Effect == "" && t.Value == "":
		return t.Key
	case t.Effect == "":
		return t.Key + "=" + t.Value + ":"
	case t.Value == "":
		return t.Key + ":" + string(t.Effect)
	default:
		return t.Key + "=" + t.Value + ":" + string(t.Effect)
	}
}

// String renders the toleration as kubectl describe prints it:
// "key=value:Effect", then " op=Exists" for an Exists toleration without a
// value, then " for Ns" when TolerationSeconds is set. The toleration that
// tolerates everything renders as "op=Exists". The Equal, Lt and Gt
// operators are not shown, as in kubectl. It mirrors
// printTolerationsMultilineWithIndent in k8s.io/kubectl describe; the format
// is stable.
func (t Toleration) String() string {
	s := t.Key
	if t.Value != "" {
		s += "=" + t.Value
	}
	if t.Effect != "" {
		s += ":" + string(t.Effect)
	}
	if t.Operator == OpExists && t.Value == "" {
		if s != "" {
			s += " "
		}
		s += "op=Exists"
	}
	if t.TolerationSeconds != nil {
		s += " for " + strconv.FormatInt(*t.TolerationSeconds, 10) + "s"
	}
	return s
}
