package remind

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// textDiffCases are pairs of texts; want is what `diff -u` prints for
// them, less its two header lines (checked against GNU diff 3.8 when it is
// installed: TestTextDiffMatchesDiff).
var textDiffCases = []struct {
	name, a, b, want string
}{
	{"equal", "version: STSv1\nmode: testing\n", "version: STSv1\nmode: testing\n", ""},
	{"one line changed", "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n",
		"version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n",
		"@@ -1,4 +1,4 @@\n version: STSv1\n-mode: testing\n+mode: enforce\n mx: mx1.example.com\n max_age: 86400\n"},
	{"line added at the end", "version: STSv1\nmode: testing\n", "version: STSv1\nmode: testing\nmx: mx2.example.com\n",
		"@@ -1,2 +1,3 @@\n version: STSv1\n mode: testing\n+mx: mx2.example.com\n"},
	{"from nothing", "", "version: STSv1\n", "@@ -0,0 +1 @@\n+version: STSv1\n"},
	{"two hunks", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n", "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n",
		"@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n@@ -9,4 +9,4 @@\n i\n j\n k\n-l\n+L\n"},
	{"reordered", "mx: a\nmx: b\nmode: testing\n", "mode: testing\nmx: a\nmx: b\n",
		"@@ -1,3 +1,3 @@\n+mode: testing\n mx: a\n mx: b\n-mode: testing\n"},
}

// unifiedBody drops diff -u's headers and writes its one-line ranges
// as ",1"-less, as diff does.
func TestTextDiff(t *testing.T) {
	t.Parallel()
	for _, tc := range textDiffCases {
		got := textDiff("served", "repo", splitFile(tc.a), splitFile(tc.b))
		want := ""
		if tc.want != "" {
			want = "--- served\n+++ repo\n" + oneLineRanges(tc.want)
		}
		if diff := cmp.Diff(want, oneLineRanges(got)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
}

// oneLineRanges writes "-1,1" and "+1,1" ranges as diff -u does ("-1").
func oneLineRanges(s string) string {
	return strings.NewReplacer(",1 +", " +", ",1 @@", " @@").Replace(s)
}

// TestTextDiffMatchesDiff compares textDiff with GNU diff -u, when the
// machine has it.
func TestTextDiffMatchesDiff(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("no diff")
	}
	dir := t.TempDir()
	for i, tc := range textDiffCases {
		a, b := filepath.Join(dir, fmt.Sprint(i, "a")), filepath.Join(dir, fmt.Sprint(i, "b"))
		os.WriteFile(a, []byte(tc.a), 0o644)
		os.WriteFile(b, []byte(tc.b), 0o644)
		out, _ := exec.Command("diff", "-u", a, b).Output()
		lines := strings.SplitAfterN(string(out), "\n", 3)
		got := ""
		if len(lines) == 3 {
			got = lines[2]
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: the case's want is not what diff -u says (-want +diff):\n%s", tc.name, diff)
		}
	}
}

// TestTextDiffHostile checks that a served text cannot break out of its
// line or grow the issue: hidden characters escaped, lines and the diff
// cut, huge texts not compared.
func TestTextDiffHostile(t *testing.T) {
	t.Parallel()
	got := textDiff("a", "b", []string{"mode: testing\u202e", strings.Repeat("x", 5000)}, []string{"mode: enforce"})
	if strings.Contains(got, "\u202e") || !strings.Contains(got, `\u202e`) || len(got) > 600 {
		t.Errorf("hostile lines not escaped or cut:\n%s", got)
	}
	many := strings.Split(strings.Repeat("mx: x\n", maxDiffLines+1), "\n")
	if got := textDiff("a", "b", many, nil); !strings.Contains(got, "too long to compare") {
		t.Errorf("a text of %d lines was compared:\n%.200s", len(many), got)
	}
	var a, b []string
	for i := range 200 {
		a, b = append(a, fmt.Sprint("a", i)), append(b, fmt.Sprint("b", i))
	}
	if got := textDiff("a", "b", a, b); strings.Count(got, "\n") > maxDiffOutput+3 || !strings.Contains(got, "more lines of diff") {
		t.Errorf("a diff of %d lines was not cut", strings.Count(got, "\n"))
	}
}
