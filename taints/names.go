package taints

import (
	"strconv"
	"strings"
)

// The messages below are upstream's, byte for byte (content.IsLabelKey,
// content.IsLabelValue and content.IsDNS1123Subdomain in
// k8s.io/apimachinery/pkg/api/validate/content), including the doubled
// space that RegexError puts between examples.

const (
	labelKeyFmt      = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	labelKeyErrMsg   = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	labelValueFmt    = "(" + labelKeyFmt + ")?"
	labelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	labelMaxLength   = 63

	dns1123LabelFmt          = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dns1123SubdomainFmt      = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
	dns1123SubdomainErrorMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
	dns1123SubdomainMax      = 253

	emptyErrMsg          = "must be non-empty"
	decimalIntegerErrMsg = "must be a valid decimal integer in canonical form"
)

// regexError mirrors content.RegexError.
func regexError(msg, re string, examples ...string) string {
	if len(examples) == 0 {
		return msg + " (regex used for validation is '" + re + "')"
	}
	msg += " (e.g. "
	for i, e := range examples {
		if i > 0 {
			msg += " or "
		}
		msg += "'" + e + "', "
	}
	return msg + "regex used for validation is '" + re + "')"
}

// maxLenError mirrors content.MaxLenError.
func maxLenError(n int) string {
	return "must be no more than " + strconv.Itoa(n) + " bytes"
}

// qualifiedNameErrors returns the problems with a label key, or nil. It
// mirrors validation.IsQualifiedName (content.IsLabelKey).
func qualifiedNameErrors(value string) []string {
	var errs []string
	var name string
	switch parts := strings.Split(value, "/"); len(parts) {
	case 1:
		name = parts[0]
	case 2:
		prefix := parts[0]
		name = parts[1]
		if prefix == "" {
			errs = append(errs, "prefix part "+emptyErrMsg)
		} else {
			for _, msg := range dns1123SubdomainErrors(prefix) {
				errs = append(errs, "prefix part "+msg)
			}
		}
	default:
		return append(errs, "a valid label key "+regexError(labelKeyErrMsg, labelKeyFmt, "MyName", "my.name", "123-abc")+
			" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
	}
	if name == "" {
		errs = append(errs, "name part "+emptyErrMsg)
	} else if len(name) > labelMaxLength {
		errs = append(errs, "name part "+maxLenError(labelMaxLength))
	}
	if !isLabelName(name) {
		errs = append(errs, "name part "+regexError(labelKeyErrMsg, labelKeyFmt, "MyName", "my.name", "123-abc"))
	}
	return errs
}

// labelValueErrors returns the problems with a label value, or nil. It
// mirrors validation.IsValidLabelValue (content.IsLabelValue).
func labelValueErrors(value string) []string {
	var errs []string
	if len(value) > labelMaxLength {
		errs = append(errs, maxLenError(labelMaxLength))
	}
	if value != "" && !isLabelName(value) {
		errs = append(errs, regexError(labelValueErrMsg, labelValueFmt, "MyValue", "my_value", "12345"))
	}
	return errs
}

// dns1123SubdomainErrors mirrors content.IsDNS1123Subdomain. Its labels are
// not limited to 63 characters, as upstream's regular expression does not
// limit them either.
func dns1123SubdomainErrors(value string) []string {
	var errs []string
	if len(value) > dns1123SubdomainMax {
		errs = append(errs, maxLenError(dns1123SubdomainMax))
	}
	if !isDNS1123Subdomain(value) {
		errs = append(errs, regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, "example.com"))
	}
	return errs
}

// isLabelName matches labelKeyFmt: alphanumeric at both ends, and
// alphanumerics, '-', '_' or '.' between.
func isLabelName(s string) bool {
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

// isDNS1123Subdomain matches dns1123SubdomainFmt: non-empty labels of lower
// case alphanumerics and '-', each starting and ending with an
// alphanumeric, separated by single dots.
func isDNS1123Subdomain(s string) bool {
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || !isLowerAlnum(label[0]) || !isLowerAlnum(label[len(label)-1]) {
			return false
		}
		for i := 1; i < len(label)-1; i++ {
			if c := label[i]; !isLowerAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLowerAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}
