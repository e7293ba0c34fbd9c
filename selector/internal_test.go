package selector

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestParseInt64(t *testing.T) {
	inputs := []string{
		"", "+", "-", "0", "-0", "+0", "007", "1", "-1", "+1", "42", "1_000", "0x10", "1e3", " 1", "1 ",
		"1.5", "abc", "١", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "+9223372036854775807", "99999999999999999999", "--1", "+-1", "00000000000000000000001",
	}
	for _, s := range inputs {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := parseInt64(s)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("parseInt64(%q) = (%d, %v), want strconv's (%d, %v)", s, got, ok, want, err)
		}
	}
}

func FuzzParseInt64(f *testing.F) {
	for _, s := range []string{"0", "-1", "+5", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1_0", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := parseInt64(s)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("parseInt64(%q) = (%d, %v), want strconv's (%d, %v)", s, got, ok, want, err)
		}
	})
}

// TestLexer checks the tokens of inputs whose handling is not obvious.
func TestLexer(t *testing.T) {
	tests := []struct {
		in   string
		want string // kinds and texts
	}{
		{"a!=b", "ident(a) notEq(!=) ident(b) end"},
		{"a===b", "ident(a) dEq(==) eq(=) ident(b) end"},
		{"a<>b", "ident(a) lt(<) gt(>) ident(b) end"},
		{"!!a", "bang(!) bang(!) ident(a) end"},
		{"in notin inn", "in(in) notin(notin) ident(inn) end"},
		{"(x,y)", "open(() ident(x) comma(,) ident(y) close()) end"},
		{" \t\r\na\n", "ident(a) end"},
		{"a\x00b", "ident(a) ident(b) end"},
		{"a \x00 b", "ident(a) end"},
		{"=\x00=", "eq(=) eq(=) end"},
		{"ü=x", "ident(ü) eq(=) ident(x) end"},
	}
	names := map[tokenKind]string{
		tokError: "error", tokEnd: "end", tokCloseParen: "close", tokComma: "comma", tokBang: "bang",
		tokDoubleEq: "dEq", tokEq: "eq", tokGreater: "gt", tokIdent: "ident", tokIn: "in", tokLess: "lt",
		tokNotEq: "notEq", tokNotIn: "notin", tokOpenParen: "open",
	}
	for _, tc := range tests {
		t.Run(strconv.Quote(tc.in), func(t *testing.T) {
			var got string
			for _, tok := range newParser(tc.in).toks {
				if got != "" {
					got += " "
				}
				got += names[tok.kind]
				if tok.kind != tokEnd {
					got += "(" + tok.text + ")"
				}
			}
			if got != tc.want {
				t.Errorf("tokens of %q = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

// The patterns upstream validates with; the hand-written matchers must
// agree with them on every input.
var (
	nameRE         = regexp.MustCompile("^" + nameFmt + "$")
	valueRE        = regexp.MustCompile("^" + valueFmt + "$")
	dnsLabelRE     = regexp.MustCompile("^" + dnsLabelFmt + "$")
	dnsSubdomainRE = regexp.MustCompile("^" + dnsSubdomainFmt + "$")
)

func checkMatchersAgree(t *testing.T, s string) {
	t.Helper()
	for _, m := range []struct {
		name string
		re   *regexp.Regexp
		f    func(string) bool
	}{
		{"isName", nameRE, isName},
		{"isValue", valueRE, isValue},
		{"isDNSLabel", dnsLabelRE, isDNSLabel},
		{"isDNSSubdomain", dnsSubdomainRE, isDNSSubdomain},
	} {
		if got, want := m.f(s), m.re.MatchString(s); got != want {
			t.Errorf("%s(%q) = %v, but the pattern %s says %v", m.name, s, got, m.re, want)
		}
	}
}

func TestMatchersAgreeWithPatterns(t *testing.T) {
	alphabet := []string{"a", "Z", "0", "-", "_", ".", "/", " ", "\n", "\x00", "ü"}
	// Every string of up to four symbols of the alphabet.
	var gen func(prefix string, n int)
	count := 0
	gen = func(prefix string, n int) {
		checkMatchersAgree(t, prefix)
		count++
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			gen(prefix+a, n-1)
		}
	}
	gen("", 4)
	for _, s := range []string{"a..b", "a.b.", ".a", "a-.b", "a.-b", strings.Repeat("a", 300), "x\ny"} {
		checkMatchersAgree(t, s)
	}
	t.Logf("checked %d strings", count)
}

func FuzzMatchersAgreeWithPatterns(f *testing.F) {
	for _, s := range []string{"", "a", "a.b", "-a", "a_b", "A.b-c", "a..b", "ü"} {
		f.Add(s)
	}
	f.Fuzz(checkMatchersAgree)
}
