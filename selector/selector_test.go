package selector_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daemonsim/daemonsim/selector"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		reason string
	}{
		{in: "", want: ""},
		{in: " \t\r\n", want: ""},
		{in: "a", want: "a"},
		{in: "! a", want: "!a"},
		{in: "a = x", want: "a=x"},
		{in: "a==x", want: "a==x", reason: "== is kept in the canonical form"},
		{in: "a!=", want: "a!=", reason: "a missing value is the empty value"},
		{in: "a=,b", want: "a=,b"},
		{in: "a in (y, x)", want: "a in (x,y)"},
		{in: "a in(x,,y)", want: "a in (,x,y)"},
		{in: "a in ()", want: "a in ()"},
		{in: "a in (,)", want: "a in ()"},
		{in: "a notin (x,)", want: "a notin (,x)"},
		{in: "a in (x,x)", want: "a in (x)", reason: "values are de-duplicated"},
		{in: "in in (in,notin)", want: "in in (in,notin)", reason: "keywords work as keys and values"},
		{in: "notin", want: "notin"},
		{in: "a=in", want: "a=in"},
		{in: "a > 1", want: "a>1"},
		{in: "a<007", want: "a<007"},
		{in: "a>9223372036854775807", want: "a>9223372036854775807"},
		{in: "c=x,b=x,a=x", want: "a=x,b=x,c=x"},
		{in: "b,a=2,!b,a=1", want: "a=2,a=1,b,!b", reason: "the sort by key is stable"},
		{in: "example.com/zone in (x),A", want: "A,example.com/zone in (x)"},
		{in: "a \x00 garbage", want: "a", reason: "a NUL byte between tokens ends the input, as upstream's lexer reads it"},
		{in: "a=\x00b", want: "a=b", reason: "a NUL byte inside a token is skipped"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			sel, err := selector.Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v, want nil", tc.in, err)
			}
			if got := sel.String(); got != tc.want {
				t.Errorf("Parse(%q).String() = %q, want %q %s", tc.in, got, tc.want, tc.reason)
			}
			// The canonical form is a fixed point.
			again, err := selector.Parse(sel.String())
			if err != nil || again.String() != sel.String() {
				t.Errorf("Parse(%q) = %q, %v; want the same selector back", sel.String(), again.String(), err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const prefix = "unable to parse requirement: "
	tests := []struct {
		in      string
		wantErr string
	}{
		{",a", "found ',', expected: !, identifier, or 'end of string'"},
		{"(a)", "found '(', expected: !, identifier, or 'end of string'"},
		{"a,", "found '', expected: identifier after ','"},
		{"a,,b", "found ',', expected: identifier after ','"},
		{"a=b c", "found 'c', expected: ',' or 'end of string'"},
		{"a=b=c", "found '=', expected: ',' or 'end of string'"},
		{"!a=b", "found '=', expected: ',' or 'end of string'"},
		{"a in (x)y", "found 'y', expected: ',' or 'end of string'"},
		{"!", prefix + "found '', expected: identifier"},
		{"!,a", prefix + "found ',', expected: identifier"},
		{"a!", prefix + "found '!', expected: in, notin, =, ==, !=, gt, lt"},
		{"a b", prefix + "found 'b', expected: in, notin, =, ==, !=, gt, lt"},
		{"a IN (x)", prefix + "found 'IN', expected: in, notin, =, ==, !=, gt, lt"},
		{"a (x)", prefix + "found '(', expected: in, notin, =, ==, !=, gt, lt"},
		{"a in", prefix + "found '' expected: '('"},
		{"a in x", prefix + "found 'x' expected: '('"},
		{"a in ((x))", prefix + "found '(', expected: ',', ')' or identifier"},
		{"a in (x", prefix + "found '', expected: ',' or ')'"},
		{"a in (x y)", prefix + "found 'y', expected: ',' or ')'"},
		{"a in (x,", prefix + "found '', expected: ',', or identifier"},
		{"a in (x,=)", prefix + "found '=', expected: ',', or identifier"},
		{"a=(x)", prefix + "found '(', expected: identifier"},
		{"a===x", prefix + "found '=', expected: identifier"},
		{"a>=1", prefix + "found '=', expected: identifier"},
		{"a<>1", prefix + "found '>', expected: identifier"},
		{"a>x", prefix + `values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`},
		{"a>", prefix + `values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`},
		{"a>9223372036854775808", prefix + `values[0]: Invalid value: "9223372036854775808": for 'Gt', 'Lt' operators, the value must be an integer`},
		{"a>-1", prefix + `values[0][a]: Invalid value: "-1": ` + valueRegexMsg},
		{"a=x/y", prefix + `values[0][a]: Invalid value: "x/y": ` + valueRegexMsg},
		{"a in (-x,y-)", prefix + `[values[0][a]: Invalid value: "-x": ` + valueRegexMsg + `, values[1][a]: Invalid value: "y-": ` + valueRegexMsg + `]`},
		{"a=" + strings.Repeat("v", 64), prefix + `values[0][a]: Invalid value: "` + strings.Repeat("v", 64) + `": must be no more than 63 bytes`},
		{"-a", prefix + `<nil>: Invalid value: "-a": name part ` + nameRegexMsg},
		{"a/", prefix + `<nil>: Invalid value: "a/": name part must be non-empty; name part ` + nameRegexMsg},
		{"a/b/c=x", prefix + `<nil>: Invalid value: "a/b/c": ` + tooManySlashes},
		{"ü", prefix + `<nil>: Invalid value: "ü": name part ` + nameRegexMsg},
		{"a\x00b", prefix + "found 'b', expected: in, notin, =, ==, !=, gt, lt"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			sel, err := selector.Parse(tc.in)
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("Parse(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			if !sel.Empty() {
				t.Errorf("Parse(%q) returned %q with its error, want the zero Selector", tc.in, sel)
			}
		})
	}
}

func TestEverythingAndNothing(t *testing.T) {
	labels := []selector.Labels{nil, selector.Set(nil), selector.Set{}, selector.Set{"a": "b"}}
	var zero selector.Selector
	for _, l := range labels {
		if !zero.Matches(l) || !selector.Everything().Matches(l) {
			t.Errorf("Everything does not match %v", l)
		}
		if selector.Nothing().Matches(l) {
			t.Errorf("Nothing matches %v", l)
		}
	}
	if !selector.Everything().Empty() || selector.Nothing().Empty() {
		t.Error("want Everything empty and Nothing not empty")
	}
	if selector.Everything().String() != "" || selector.Nothing().String() != "" {
		t.Error("want Everything and Nothing to print as \"\"")
	}
	if selector.Everything().Requirements() != nil || selector.Nothing().Requirements() != nil {
		t.Error("want no requirements for Everything and Nothing")
	}
	r, _ := selector.NewRequirement("a", selector.Exists, nil)
	if n := selector.Nothing().Add(r); n.Matches(selector.Set{"a": ""}) || n.Empty() || n.String() != "" {
		t.Errorf("Nothing().Add(a) = %q, want Nothing", n)
	}
}

func TestSelectorAdd(t *testing.T) {
	base, err := selector.Parse("b=1,a")
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := selector.NewRequirement("b", selector.NotEquals, []string{"2"})
	r2, _ := selector.NewRequirement("a", selector.DoesNotExist, nil)
	got := base.Add(r1, r2)
	if want := "a,!a,b=1,b!=2"; got.String() != want {
		t.Errorf("Add() = %q, want %q", got, want)
	}
	if want := "a,b=1"; base.String() != want {
		t.Errorf("Add changed its receiver to %q, want %q", base, want)
	}
	if got.Empty() {
		t.Error("want a selector with requirements not Empty")
	}
	reqs := got.Requirements()
	var keys []string
	for _, r := range reqs {
		keys = append(keys, r.Key()+" "+string(r.Operator()))
	}
	if diff := cmp.Diff([]string{"a exists", "a !", "b =", "b !="}, keys); diff != "" {
		t.Errorf("Requirements() mismatch (-want +got):\n%s", diff)
	}
	reqs[0] = r1 // the slice is the caller's
	if got.String() != "a,!a,b=1,b!=2" {
		t.Errorf("Requirements() shares the selector's slice: %q", got)
	}
}

func TestSelectorFromSet(t *testing.T) {
	tests := []struct {
		set   selector.Set
		want  string
		match selector.Set
		miss  selector.Set
	}{
		{set: nil, want: "", match: selector.Set{"x": "y"}},
		{set: selector.Set{}, want: "", match: nil},
		{set: selector.Set{"b": "2", "a": "1"}, want: "a=1,b=2", match: selector.Set{"a": "1", "b": "2", "c": "3"}, miss: selector.Set{"a": "1"}},
		{set: selector.Set{"a": ""}, want: "a=", match: selector.Set{"a": ""}, miss: selector.Set{}},
		{set: selector.Set{"-bad": "x y"}, want: "-bad=x y", match: selector.Set{"-bad": "x y"}, miss: selector.Set{"-bad": "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			sel := selector.SelectorFromSet(tc.set)
			if got := sel.String(); got != tc.want {
				t.Errorf("SelectorFromSet(%v) = %q, want %q", tc.set, got, tc.want)
			}
			if !sel.Matches(tc.match) {
				t.Errorf("SelectorFromSet(%v) does not match %v", tc.set, tc.match)
			}
			if tc.miss != nil && sel.Matches(tc.miss) {
				t.Errorf("SelectorFromSet(%v) matches %v", tc.set, tc.miss)
			}
			if got := sel.Empty(); got != (len(tc.set) == 0) {
				t.Errorf("SelectorFromSet(%v).Empty() = %v", tc.set, got)
			}
		})
	}
}

func TestSelectorMatches(t *testing.T) {
	tests := []struct {
		sel    string
		labels selector.Set
		want   bool
	}{
		{"a=x,b in (1,2),!c,d notin (z),e>3", selector.Set{"a": "x", "b": "2", "e": "4"}, true},
		{"a=x,b in (1,2),!c,d notin (z),e>3", selector.Set{"a": "x", "b": "2", "e": "4", "d": "z"}, false},
		{"a=x,b in (1,2),!c,d notin (z),e>3", selector.Set{"a": "x", "b": "2", "e": "4", "c": ""}, false},
		{"a=x,b in (1,2),!c,d notin (z),e>3", selector.Set{"a": "x", "b": "3", "e": "4"}, false},
		{"a=x,b in (1,2),!c,d notin (z),e>3", selector.Set{"a": "x", "b": "1", "e": "3"}, false},
		{"a=x,a=y", selector.Set{"a": "x"}, false},
		{"a in (),b notin ()", selector.Set{"a": "", "b": "x"}, true},
		{"a in ()", selector.Set{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.sel, func(t *testing.T) {
			sel, err := selector.Parse(tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := sel.Matches(tc.labels); got != tc.want {
				t.Errorf("Parse(%q).Matches(%v) = %v, want %v", tc.sel, tc.labels, got, tc.want)
			}
		})
	}
}

// TestParseStableSortBeyondTwelve checks the stable sort where Go's
// unstable sort would no longer happen to be stable (more than 12
// elements).
func TestParseStableSortBeyondTwelve(t *testing.T) {
	var in, wantA, wantB []string
	for i := range 20 {
		v := strings.Repeat("x", 20-i) // values in reverse order of length
		in = append(in, "b="+v, "a="+v)
		wantA = append(wantA, "a="+v)
		wantB = append(wantB, "b="+v)
	}
	sel, err := selector.Parse(strings.Join(in, ","))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(append(wantA, wantB...), ",")
	if got := sel.String(); got != want {
		t.Errorf("Parse(%q).String() =\n%q, want\n%q", strings.Join(in, ","), got, want)
	}
}
