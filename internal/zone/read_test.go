package zone

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestSplitParseError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want syntaxError
	}{
		{`dns: bad MX Pref: "abc" at line: 1:14`, syntaxError{"bad MX Pref", "abc", 1, 14}},
		{`z.zone: dns: bad TXT Txt: "a: \"b" at line: 2:5`, syntaxError{"bad TXT Txt", `a: "b`, 2, 5}},
		{`dns: x: " at line: 9:9" at line: 3:4`, syntaxError{"x", " at line: 9:9", 3, 4}},
		{`dns: bad: "x" thing: "tok" at line: 1:2`, syntaxError{`bad: "x" thing`, "tok", 1, 2}},
		{`dns: bad initial origin name: "" at line: 0:0`, syntaxError{"bad initial origin name", "", 0, 0}},
		{`dns: unexpected newline: "\n" at line: 8:0`, syntaxError{"unexpected newline", "\n", 8, 0}},
		{`dns: weird at line: -1:2`, syntaxError{`dns: weird at line: -1:2`, "", 0, 0}},
		{`dns: weird at line: 1`, syntaxError{`dns: weird at line: 1`, "", 0, 0}},
		{`read error`, syntaxError{"read error", "", 0, 0}},
	}
	for _, tc := range tests {
		got := splitParseError(tc.in)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(syntaxError{})); diff != "" {
			t.Errorf("splitParseError(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestSplitParseErrorFromParser keeps splitParseError in step with the
// text miekg/dns produces.
func TestSplitParseErrorFromParser(t *testing.T) {
	t.Parallel()
	zp := dns.NewZoneParser(strings.NewReader("a A 192.0.2.1\nb MX x y.\n"), "example.com.", "f.zone")
	zp.SetDefaultTTL(defaultTTL)
	for _, ok := zp.Next(); ok; _, ok = zp.Next() {
	}
	err := zp.Err()
	if err == nil {
		t.Fatal("no parse error")
	}
	want := syntaxError{"bad MX Pref", "x", 2, 7}
	if diff := cmp.Diff(want, splitParseError(err.Error()), cmp.AllowUnexported(syntaxError{})); diff != "" {
		t.Errorf("splitParseError(%q) mismatch (-want +got):\n%s", err, diff)
	}
}

func TestLexEntries(t *testing.T) {
	t.Parallel()
	src := "; comment only\n" +
		"a IN TXT ( \"x;y\" ; note\n \"(z)\" )\n" +
		"\n" +
		"  IN MX 10 b\\ c.\n" +
		"d TXT \"open\n"
	s := newSource([]byte(src))
	var got [][]string
	for _, e := range s.entries {
		var toks []string
		for _, tok := range e.tokens {
			toks = append(toks, s.text(tok))
		}
		got = append(got, toks)
	}
	want := [][]string{
		{"a", "IN", "TXT", `"x;y"`, `"(z)"`},
		{"IN", "MX", "10", `b\ c.`},
		{"d", "TXT", "\"open\n"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
	if !s.entries[1].blankOwner || s.entries[0].blankOwner {
		t.Errorf("blankOwner = %t, %t; want false, true", s.entries[0].blankOwner, s.entries[1].blankOwner)
	}
	if got, want := s.pos(s.entries[1].start), pos(5, 1); got != want {
		t.Errorf("second entry starts at %v, want %v", got, want)
	}
}

func TestUnescape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`plain`:        "plain",
		`a\"b`:         `a"b`,
		`\097\098c`:    "abc",
		`x\\y`:         `x\y`,
		`\09`:          "09",
		`trailing\`:    "trailing",
		`v=STSv1\059x`: "v=STSv1;x",
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsHostName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"mail.example.com":                   true,
		"xn--mx-1ia.example":                 true,
		"a":                                  true,
		"mx.123":                             false,
		"_mx.example.com":                    false,
		"-mx.example.com":                    false,
		"mx..example.com":                    false,
		"m x.example.com":                    false,
		strings.Repeat("a", 64) + ".example": false,
	} {
		if got := isHostName(name); got != want {
			t.Errorf("isHostName(%q) = %t, want %t", name, got, want)
		}
	}
}
