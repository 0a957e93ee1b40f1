package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodePunycode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     string
		ok       bool
	}{
		// RFC 3492 §7.1 samples (A), (B), (L) and (M).
		{"arabic", "egbpdaj6bu4bxfgehfvwxn", "\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F", true},
		{"chinese", "ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文", true},
		{"mixed case basic code points", "3B-ww4c5e180e575a65lsy2b", "3年B組金八先生", true},
		{"basic part with hyphens", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n", "安室奈美恵-with-SUPER-MONKEYS", true},
		{"bücher", "bcher-kva", "bücher", true},
		{"upper-case digits", "BCHER-KVA", "BüCHER", true},
		{"basic only", "abc-", "abc", true},
		{"empty", "", "", true},
		{"truncated integer", "9", "", false},
		{"leading delimiter", "-abc", "", false},
		{"non-basic before the delimiter", "é-kva", "", false},
		{"beyond U+10FFFF", "bb00h", "", false},
		{"32-bit overflow", "99999999999", "", false},
	} {
		got, ok := decodePunycode(tc.in)
		if ok != tc.ok || ok && string(got) != tc.want {
			t.Errorf("%s: decodePunycode(%q) = %q, %v; want %q, %v", tc.name, tc.in, string(got), ok, tc.want, tc.ok)
		}
	}
}

func TestIDNAProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ host, want string }{
		{"mail.example.com", ""},
		{"xn--bcher-kva.example", ""},
		{"XN--BCHER-KVA.example", ""},
		{"xn--ls8h.example", ""},   // an emoji: UTS #46 valid, as golang.org/x/net/idna accepts it
		{"xn--58d.example", ""},    // U+13A0, a Cherokee capital
		{"xn--ab-m1t.example", ""}, // U+200D between letters: its context is not checked
		{"a-b--c.example", ""},     // "--" elsewhere than positions 3 and 4
		{"ab--cd.example.com", `the label "ab--cd" has "--" in its third and fourth characters, which IDNA 2008 reserves for encoded labels such as xn--`},
		{"mx.xn--9.example", `the label "xn--9" starts with xn-- but the rest is not valid Punycode`},
		{"xn--a.example", `the label "xn--a" starts with xn-- but decodes to "\u0080", which contains U+0080, a character IDNA does not allow in names, so it is not a valid A-label`},
		{"xn--wca.example", `the label "xn--wca" starts with xn-- but decodes to "\u00dc", which contains U+00DC, a character IDNA does not allow in names, so it is not a valid A-label`},
		{"xn--a-wbb.example", `the label "xn--a-wbb" starts with xn-- but decodes to "\u0301a", which starts with a combining mark, so it is not a valid A-label`},
		{"xn--ab---3ra.example", `the label "xn--ab---3ra" starts with xn-- but decodes to "ab--\u00fc", which has "--" in its third and fourth characters, so it is not a valid A-label`},
		{"xn----dha.example", `the label "xn----dha" starts with xn-- but decodes to "\u00fc-", which starts or ends with '-', so it is not a valid A-label`},
		{"xn--kba4j.example", `the label "xn--kba4j" starts with xn-- but decodes to "\u00ad\u00e9", which contains U+00AD, a character IDNA does not allow in names, so it is not a valid A-label`},
	} {
		if diff := cmp.Diff(tc.want, idnaProblem(tc.host)); diff != "" {
			t.Errorf("idnaProblem(%q) mismatch (-want +got):\n%s", tc.host, diff)
		}
	}
}
