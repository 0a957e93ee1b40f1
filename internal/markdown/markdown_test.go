package markdown

import (
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text, with (parens).": "plain text, with (parens).",
		"a|b":                        `a\|b`,
		"<script>alert(1)</script>":  "&lt;script&gt;alert(1)&lt;/script&gt;",
		"`code`":                     "\\`code\\`",
		"line\nbreak\r\n# heading":   `line break  \# heading`,
		"[link](http://x) ![img](y)": `\[link\](http://x) \!\[img\](y)`,
		"*bold* _it_ ~s~ $x$ \\":     `\*bold\* \_it\_ \~s\~ \$x\$ \\`,
		"cc @octo/admins":            `cc \@octo/admins`,
		"a&amp;b":                    "a&amp;amp;b",
		"nul\x00 bidi\u202e esc\x1b": "nul\ufffd bidi\ufffd esc\ufffd",
		"bad \xff utf8":              "bad \ufffd utf8",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
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
	for _, s := range []string{"a|b", "<b>x</b>", "`x`", `\|`, `\\|`, "line\nbreak", "[a](b)", "![i](j)", "\u202e", "@team"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if strings.ContainsAny(got, "\r\n<>") {
			t.Fatalf("Text(%q) = %q keeps a line break or an angle bracket", s, got)
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
