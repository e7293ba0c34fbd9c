package cluster

import (
	"strings"
	"testing"
)

func TestParseQuantity(t *testing.T) {
	for _, tc := range []struct {
		in    string
		milli int64
		err   string
	}{
		{in: "0", milli: 0},
		{in: "2", milli: 2000},
		{in: "+2", milli: 2000},
		{in: "-1", milli: -1000},
		{in: "100m", milli: 100},
		{in: "7910m", milli: 7910},
		{in: "1.5", milli: 1500},
		{in: "0.0001", milli: 1}, // rounded up
		{in: "1n", milli: 1},
		{in: "16Mi", milli: 16 << 20 * 1000},
		{in: "95Gi", milli: 95 << 30 * 1000},
		{in: "3k", milli: 3e6},
		{in: "1e3", milli: 1e6},
		{in: "2E-3", milli: 2},
		{in: "110", milli: 110000},
		{in: "8Ei", err: "too large"},
		{in: "999999999999999Ti", err: "too large"},
		{in: "1Qi", err: "suffix"},
		{in: "", err: "regular expression"},
		{in: "1.2.3", err: "regular expression"},
		{in: "--1", err: "regular expression"},
	} {
		q, err := ParseQuantity(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseQuantity(%q) error = %v, want one containing %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseQuantity(%q): %v", tc.in, err)
		case q.MilliValue() != tc.milli || q.String() != tc.in:
			t.Errorf("ParseQuantity(%q) = %d (%s), want %d", tc.in, q.MilliValue(), q, tc.milli)
		}
	}
}

func TestQuantityUnmarshalJSON(t *testing.T) {
	for in, want := range map[string]int64{`"16Mi"`: 16 << 20 * 1000, `"100m"`: 100, `2`: 2000, `"\u0031"`: 1000, ` "3" `: 3000} {
		var q Quantity
		if err := q.UnmarshalJSON([]byte(strings.TrimSpace(in))); err != nil || q.MilliValue() != want {
			t.Errorf("UnmarshalJSON(%s) = %d, %v; want %d", in, q.MilliValue(), err, want)
		}
	}
	var q Quantity
	if err := q.UnmarshalJSON([]byte(`"abc"`)); err == nil {
		t.Errorf(`UnmarshalJSON("abc") succeeded`)
	}
}

// FuzzParseQuantity checks the integer fast path of ParseQuantity against
// exact rational arithmetic: where the fast path takes a quantity, both
// give the same thousandths.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"0", "-7", "100m", "16Mi", "95Gi", "9223372036854Ti", "123456789012345", "+3k", "1.5", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		num, suffix := splitQuantity(s)
		fast, ok := exactMilli(num, suffix)
		if !ok {
			return
		}
		exact, err := bigMilli(num, suffix)
		if err != nil || exact != fast {
			t.Fatalf("%q: fast path %d, exact %d (%v)", s, fast, exact, err)
		}
	})
}
