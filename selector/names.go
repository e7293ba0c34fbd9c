package selector

import (
	"strconv"
	"strings"
)

// The limits of label keys and values, in bytes.
const (
	// LabelValueMaxLength is the longest label value.
	LabelValueMaxLength = 63
	// LabelNameMaxLength is the longest name part of a label key.
	LabelNameMaxLength = 63
	// DNS1123LabelMaxLength is the longest DNS-1123 label.
	DNS1123LabelMaxLength = 63
	// DNS1123SubdomainMaxLength is the longest DNS-1123 subdomain, and so
	// the longest prefix of a label key.
	DNS1123SubdomainMaxLength = 253
)

// The patterns and the wording below are those of
// k8s.io/apimachinery/pkg/api/validate/content (kube.go, dns.go,
// errors.go); the messages must match upstream byte for byte.
const (
	nameFmt    = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	nameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

	valueFmt    = "(" + nameFmt + ")?"
	valueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

	dnsLabelFmt    = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dnsLabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"

	dnsSubdomainFmt    = dnsLabelFmt + "(\\." + dnsLabelFmt + ")*"
	dnsSubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
)

// The matchers below test the patterns above by hand, which is much faster
// than package regexp; a test checks that they agree with the patterns.

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// isName reports whether s matches nameFmt.
func isName(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isValue reports whether s matches valueFmt.
func isValue(s string) bool { return s == "" || isName(s) }

// isDNSLabel reports whether s matches dnsLabelFmt.
func isDNSLabel(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// isDNSSubdomain reports whether s matches dnsSubdomainFmt: DNS labels
// joined by dots.
func isDNSSubdomain(s string) bool {
	for {
		label, rest, more := strings.Cut(s, ".")
		if !isDNSLabel(label) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// maxLenMsg is the message for a string longer than n bytes.
func maxLenMsg(n int) string {
	return "must be no more than " + strconv.Itoa(n) + " bytes"
}

// regexMsg is the message for a string that does not match the pattern re,
// with examples of strings that do.
func regexMsg(msg, re string, examples ...string) string {
	var b strings.Builder
	b.WriteString(msg)
	b.WriteString(" (e.g. ")
	for i, e := range examples {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString("'" + e + "', ")
	}
	b.WriteString("regex used for validation is '" + re + "')")
	return b.String()
}

// emptyMsg is the message for an empty string that must not be empty.
const emptyMsg = "must be non-empty"

// IsQualifiedName reports what is wrong with s as a label key (a
// "qualified name"), or nil when it is valid. A key is an optional prefix
// and a slash followed by a name. The prefix is a DNS-1123 subdomain of at
// most 253 bytes; its dot-separated parts have no length limit of their own.
// The name is 1 to 63 bytes of ASCII letters, digits, '-', '_' and '.',
// starting and ending with a letter or digit.
//
// Mirrors validation.IsQualifiedName (content.IsLabelKey) in
// k8s.io/apimachinery, messages included.
func IsQualifiedName(s string) []string {
	var msgs []string
	name := s
	switch strings.Count(s, "/") {
	case 0:
	case 1:
		var prefix string
		prefix, name, _ = strings.Cut(s, "/")
		if prefix == "" {
			msgs = append(msgs, "prefix part "+emptyMsg)
		} else {
			for _, m := range IsDNS1123Subdomain(prefix) {
				msgs = append(msgs, "prefix part "+m)
			}
		}
	default:
		return append(msgs, "a valid label key "+regexMsg(nameErrMsg, nameFmt, "MyName", "my.name", "123-abc")+
			" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
	}
	if name == "" {
		msgs = append(msgs, "name part "+emptyMsg)
	} else if len(name) > LabelNameMaxLength {
		msgs = append(msgs, "name part "+maxLenMsg(LabelNameMaxLength))
	}
	if !isName(name) {
		msgs = append(msgs, "name part "+regexMsg(nameErrMsg, nameFmt, "MyName", "my.name", "123-abc"))
	}
	return msgs
}

// IsValidLabelValue reports what is wrong with s as a label value, or nil
// when it is valid: empty, or at most 63 bytes of ASCII letters, digits,
// '-', '_' and '.', starting and ending with a letter or digit.
//
// Mirrors validation.IsValidLabelValue in k8s.io/apimachinery.
func IsValidLabelValue(s string) []string {
	var msgs []string
	if len(s) > LabelValueMaxLength {
		msgs = append(msgs, maxLenMsg(LabelValueMaxLength))
	}
	if !isValue(s) {
		msgs = append(msgs, regexMsg(valueErrMsg, valueFmt, "MyValue", "my_value", "12345"))
	}
	return msgs
}

// IsDNS1123Label reports what is wrong with s as a DNS-1123 label, or nil
// when it is valid: at most 63 bytes of lower-case letters, digits and '-',
// starting and ending with a letter or digit.
//
// Mirrors validation.IsDNS1123Label in k8s.io/apimachinery.
func IsDNS1123Label(s string) []string {
	var msgs []string
	if len(s) > DNS1123LabelMaxLength {
		msgs = append(msgs, maxLenMsg(DNS1123LabelMaxLength))
	}
	if !isDNSLabel(s) {
		if isDNSSubdomain(s) {
			// A subdomain that is not a label has dots (the length was
			// checked above).
			msgs = append(msgs, "must not contain dots")
		} else {
			msgs = append(msgs, regexMsg(dnsLabelErrMsg, dnsLabelFmt, "my-name", "123-abc"))
		}
	}
	return msgs
}

// IsDNS1123Subdomain reports what is wrong with s as a DNS-1123 subdomain,
// or nil when it is valid: at most 253 bytes of dot-separated DNS-1123
// labels (whose own length is not limited).
//
// Mirrors validation.IsDNS1123Subdomain in k8s.io/apimachinery.
func IsDNS1123Subdomain(s string) []string {
	var msgs []string
	if len(s) > DNS1123SubdomainMaxLength {
		msgs = append(msgs, maxLenMsg(DNS1123SubdomainMaxLength))
	}
	if !isDNSSubdomain(s) {
		msgs = append(msgs, regexMsg(dnsSubdomainErrMsg, dnsSubdomainFmt, "example.com"))
	}
	return msgs
}
