package remind

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUnifiedDiff checks hunks: merged when their context meets, split
// otherwise, clipped at the file's ends.
func TestUnifiedDiff(t *testing.T) {
	t.Parallel()
	lines := strings.Split("a b c d e f g h i j k l m n o p q r s t", " ")
	tests := []struct {
		name    string
		changes []lineChange
		want    string
	}{
		{"first line", []lineChange{{1, "A"}}, "@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n"},
		{"merged", []lineChange{{5, "E"}, {12, "L"}}, "@@ -2,14 +2,14 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n i\n j\n k\n-l\n+L\n m\n n\n o\n"},
		{"split", []lineChange{{2, "B"}, {19, "S"}}, "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -16,5 +16,5 @@\n p\n q\n r\n-s\n+S\n t\n"},
		{"unchanged and out of range dropped", []lineChange{{3, "c"}, {40, "x"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := unifiedDiff("f.txt", lines, tc.changes)
			if tc.want != "" {
				tc.want = "--- a/f.txt\n+++ b/f.txt\n" + tc.want
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("unifiedDiff mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReplaceID replaces only a whole id.
func TestReplaceID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, old string
		want      string
		ok        bool
	}{
		{`_mta-sts IN TXT "v=STSv1; id=1"`, "1", `_mta-sts IN TXT "v=STSv1; id=NEW"`, true},
		{`x id=12 id=1;`, "1", `x id=12 id=NEW;`, true},
		{`mta_sts: "v=STSv1; id=abc"`, "abc", `mta_sts: "v=STSv1; id=NEW"`, true},
		{`x id=12`, "1", "", false},
		{`x`, "", "", false},
	}
	for _, tc := range tests {
		got, ok := replaceID(tc.line, tc.old, "NEW")
		if got != tc.want || ok != tc.ok {
			t.Errorf("replaceID(%q, %q) = %q, %v; want %q, %v", tc.line, tc.old, got, ok, tc.want, tc.ok)
		}
	}
}

// TestFit cuts at a line, closes an open code block and keeps the head.
func TestFit(t *testing.T) {
	t.Parallel()
	body := "<!-- head -->\n   ```diff\n" + strings.Repeat("+line\n", 2000) + "   ```\n"
	got := fit(body, 1000)
	if len(got) > 1000 {
		t.Errorf("fit gave %d bytes, limit 1000", len(got))
	}
	if !strings.HasPrefix(got, "<!-- head -->\n") || !strings.HasSuffix(got, cutNotice) {
		t.Errorf("fit lost the head or the notice:\n%s", got)
	}
	if openFence(got) != "" {
		t.Errorf("fit left a code block open:\n%s", got)
	}
	if short := "short\n"; fit(short, 1000) != short {
		t.Error("fit changed a body under the limit")
	}
}

// TestFenced picks a fence longer than any backtick run inside.
func TestFenced(t *testing.T) {
	t.Parallel()
	if got, want := fenced("diff", "a ```` b"), "`````diff\na ```` b\n`````\n"; got != want {
		t.Errorf("fenced = %q, want %q", got, want)
	}
	if got := fitTitle(strings.Repeat("é", 300)); len([]rune(got)) != maxTitle {
		t.Errorf("fitTitle kept %d characters, want %d", len([]rune(got)), maxTitle)
	}
}
