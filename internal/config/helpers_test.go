package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3d", 72 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"5s", 5 * time.Second, true},
		{"1m30s", 90 * time.Second, true},
		{"1d12h", 36 * time.Hour, true},
		{"0d", 0, true},
		{"250ms", 250 * time.Millisecond, true},
		{"", 0, false},
		{"5", 0, false},
		{"d", 0, false},
		{"-1d", 0, false},
		{"1.5d", 0, false},
		{"-5s", 0, false},
		{"3w", 0, false},
		{"999999d", 0, false},
		{"1d-1h", 0, false},
		{"1dd", 0, false},
	}
	for _, tc := range tests {
		got, err := parseDuration(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestHostProblem(t *testing.T) {
	t.Parallel()
	good := []string{"example.com", "a.b.c.example", "xn--bcher-kva.example", "1.example.com", "a-b.example"}
	bad := []string{"", "localhost", "bücher.example", "a..example", ".example.com", "a_b.example", "-a.example",
		"a-.example", "192.0.2.1", "2001:db8::1", "example.42", "*.example.com", "a b.example",
		string(make([]byte, 64)) + ".example"}
	for _, h := range good {
		if p := hostProblem(h); p != "" {
			t.Errorf("hostProblem(%q) = %q; want none", h, p)
		}
	}
	for _, h := range bad {
		if p := hostProblem(h); p == "" {
			t.Errorf("hostProblem(%q) found no problem", h)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	keys := []string{"domains", "clean_days", "min_report_days", "ip", "org"}
	tests := map[string]string{
		"domain": "domains", "Domains": "domains", "clean-days": "clean_days", "claen_days": "clean_days",
		"min_reports_day": "min_report_days", "min_report_day": "min_report_days", "ipp": "ip", "mx": "", "xyz": "", "or": "org",
	}
	for word, want := range tests {
		if got := Suggest(word, keys); got != want {
			t.Errorf("Suggest(%q) = %q; want %q", word, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"ab", "ba", 1}, {"policy", "polciy", 1}, {"mx", "ip", 2},
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestSourcePositions maps the YAML library's lines (which also end at CR,
// NEL, LS and PS) and character columns to LF lines and byte columns.
func TestSourcePositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text         string
		line, column int // as the YAML library counts
		want         diag.Pos
	}{
		{"ab\ncd", 2, 2, diag.Pos{Line: 2, Column: 2}},
		{"ab\r\ncd", 2, 1, diag.Pos{Line: 2, Column: 1}},
		{"ab\rcd", 2, 1, diag.Pos{Line: 1, Column: 4}},
		{"é\u2028xy\nz", 2, 2, diag.Pos{Line: 1, Column: 7}},
		{"a\u0085b", 2, 1, diag.Pos{Line: 1, Column: 4}},
		{"\uFEFFab", 1, 2, diag.Pos{Line: 1, Column: 5}},
		{"éé: x", 1, 5, diag.Pos{Line: 1, Column: 7}},
		{"ab", 9, 9, diag.Pos{Line: 1, Column: 3}},
		{"ab", 1, 9, diag.Pos{Line: 1, Column: 3}},
	}
	for _, tc := range tests {
		s := newSource(tc.text)
		got := s.pos(s.offset(tc.line, tc.column))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q at %d:%d mismatch (-want +got):\n%s", tc.text, tc.line, tc.column, diff)
		}
	}
}
