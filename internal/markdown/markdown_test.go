package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text, with (parens).":  "plain text, with (parens).",
		"a|b":                         `a\|b`,
		"<script>alert(1)</script>":   "&lt;script&gt;alert(1)&lt;/script&gt;",
		"`code`":                      "\\`code\\`",
		"line\nbreak\r\n# heading":    `line\\nbreak\\r\\n\# heading`,
		"[link](http://x) ![img](y)":  `\[link\](http://x) \!\[img\](y)`,
		"*bold* _it_ ~s~ $x$ \\":      `\*bold\* \_it\_ \~s\~ \$x\$ \\`,
		"cc @octo/admins":             `cc \@octo/admins`,
		"a&amp;b":                     "a&amp;amp;b",
		"nul\x00 bidi\u202e esc\x1b":  `nul\\x00 bidi\\u202e esc\\x1b`,
		"bad \xff utf8":               `bad \\xff utf8`,
		"sep\u2028 par\u2029 tab\t":   `sep\\u2028 par\\u2029 tab\\t`,
		"del\x7f nel\u0085 lri\u2066": `del\\x7f nel\\u0085 lri\\u2066`,
		"<!-- x --> <b>":              `&lt;\!-- x --&gt; &lt;b&gt;`,
		"\ufffd stays":                "\ufffd stays",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVisible(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"mx1.example.com":             "mx1.example.com",
		"café 例え \\ \"q\"":            "café 例え \\ \"q\"",
		"x\n::error::pwned":           `x\n::error::pwned`,
		"x\r::add-mask::y":            `x\r::add-mask::y`,
		"\u2028::warning::z\u2029":    `\u2028::warning::z\u2029`,
		"\t\x00\x1b[31m\x7f":          `\t\x00\x1b[31m\x7f`,
		"nel\u0085 csi\u009b":         `nel\u0085 csi\u009b`,
		"\u202aa\u202eb\u2066c\u2069": `\u202aa\u202eb\u2066c\u2069`,
		"lrm\u200e alm\u061c":         `lrm\u200e alm\u061c`,
		"bad \xff\xfe utf8":           `bad \xff\xfe utf8`,
		"\ufffd nbsp\u00a0":           "\ufffd nbsp\u00a0",
	} {
		if got := Visible(in); got != want {
			t.Errorf("Visible(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2026-11-28": "`2026-11-28`",
		"a`b":        "a\\`b",
		"_mta-sts":   "`_mta-sts`",
		"x|y":        `x\|y`,
		"bad\xe2":    `bad\\xe2`,
		"a\u2028b":   `a\\u2028b`,
		"":           "",
	} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"abcdefghij", 6, "abc…"},
		{"ééééé", 6, "é…"}, // never cuts a rune in half
		{"abc", 0, "…"},
	} {
		if got := Truncate(tc.in, tc.limit); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

func TestDayStrip(t *testing.T) {
	t.Parallel()
	days := []tlsrpt.Day{
		{Date: "2026-11-25", Status: tlsrpt.DayDirty},
		{Date: "2026-11-26", Status: tlsrpt.DayUncovered},
		{Date: "2026-11-27", Status: tlsrpt.DayClean},
	}
	got := DayStrip(days, 2)
	if want := "`2026-11-26` ⬜🟩 `2026-11-27`<br>\n"; !strings.HasPrefix(got, want) {
		t.Errorf("DayStrip = %q, want it to start with %q", got, want)
	}
	if DayStrip(nil, 5) != "" {
		t.Error("DayStrip of no days is not empty")
	}
}

// FuzzText: escaped text stays on its line and inside its table cell,
// and opens no HTML, code span, link, image or mention: every markup
// character follows an odd number of backslashes.
func FuzzText(f *testing.F) {
	for _, s := range []string{"a|b", "<b>x</b>", "`x`", `\|`, `\\|`, "line\nbreak", "[a](b)", "![i](j)", "\u202e", "@team", "\u2028x\x00", "\xff\\|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if strings.ContainsAny(got, "\r\n<>") {
			t.Fatalf("Text(%q) = %q keeps a line break or an angle bracket", s, got)
		}
		if i := strings.IndexFunc(got, Hidden); i >= 0 || !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q keeps a hidden rune or invalid UTF-8", s, got)
		}
		if c := Code(s); strings.IndexFunc(c, Hidden) >= 0 || !utf8.ValidString(c) {
			t.Fatalf("Code(%q) = %q keeps a hidden rune or invalid UTF-8", s, c)
		}
		for i := 0; i < len(got); i++ {
			if strings.IndexByte("|`[]*_~#!$@", got[i]) < 0 {
				continue
			}
			backslashes := 0
			for j := i - 1; j >= 0 && got[j] == '\\'; j-- {
				backslashes++
			}
			if backslashes%2 == 0 {
				t.Fatalf("Text(%q) = %q leaves %q at %d unescaped", s, got, got[i], i)
			}
		}
	})
}

// FuzzVisible: visible text is valid UTF-8 on one line with nothing
// hidden, and it keeps s unchanged when nothing in s is hidden.
func FuzzVisible(f *testing.F) {
	for _, s := range []string{"", "plain", "x\n::error::pwned", "\u2028", "\xff", "\u202e", "\x1b[0m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Visible(s)
		if i := strings.IndexFunc(got, Hidden); i >= 0 || !utf8.ValidString(got) {
			t.Fatalf("Visible(%q) = %q keeps a hidden rune or invalid UTF-8", s, got)
		}
		if utf8.ValidString(s) && strings.IndexFunc(s, Hidden) < 0 && got != s {
			t.Fatalf("Visible(%q) = %q changed text with nothing hidden", s, got)
		}
	})
}
