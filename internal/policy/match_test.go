package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

func flatten(ls []diag.List) diag.List {
	var all diag.List
	for _, l := range ls {
		all = append(all, l...)
	}
	return all
}

// TestMatchMX covers reference/mta-sts-and-tlsrpt.md §6.5 M1–M5.
func TestMatchMX(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, host string
		want          bool
	}{
		{"mail.example.com", "mail.example.com.", true},          // M1
		{"mail.example.com", "MAIL.Example.COM.", true},          // M1
		{"MAIL.example.com", "mail.example.com", true},           // P31
		{"*.example.com", "mx1.example.com", true},               // M2
		{"*.example.com", "MX1.EXAMPLE.COM.", true},              // M2
		{"*.example.com", "example.com", false},                  // M3
		{"*.example.com", "a.b.example.com", false},              // M4
		{"*.example.com", ".example.com", false},                 // empty label
		{"mail.example.com", "mail.example.com.evil.net", false}, // M5
		{"mail.example.com", "notmail.example.com", false},       // M5
		{"mail.example.com", "mail.example.co", false},
	}
	for _, tc := range tests {
		if got := MatchMX(tc.pattern, tc.host); got != tc.want {
			t.Errorf("MatchMX(%q, %q) = %v, want %v", tc.pattern, tc.host, got, tc.want)
		}
	}
	p := &Policy{MX: []string{"mx1.example.com", "*.backup.example.net"}}
	for host, want := range map[string]bool{"mx1.example.com.": true, "b1.backup.example.net": true, "mx2.example.com": false} {
		if got := p.Matches(host); got != want {
			t.Errorf("Matches(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	base := "version: STSv1\nmode: testing\nmx: a.example.com\nmx: b.example.com\nmax_age: 604800\n"
	tests := []struct {
		name  string
		other string
		equal bool
	}{
		{"same", base, true},
		{"CRLF and reordered mx", "version: STSv1\r\nmode: testing\r\nmx: B.example.com\r\nmx: a.example.com\r\nmax_age: 604800\r\n", true},
		{"version moved", "mode: testing\nversion: STSv1\nmx: a.example.com\nmx: b.example.com\nmax_age: 604800\n", true},
		{"mode changed", "version: STSv1\nmode: enforce\nmx: a.example.com\nmx: b.example.com\nmax_age: 604800\n", false},
		{"max_age changed", "version: STSv1\nmode: testing\nmx: a.example.com\nmx: b.example.com\nmax_age: 604801\n", false},
		{"mx removed", "version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 604800\n", false},
		{"extension added", base + "x-note: hi\n", false},
	}
	a, _ := Parse([]byte(base))
	for _, tc := range tests {
		b, _ := Parse([]byte(tc.other))
		if got := Equal(a, b); got != tc.equal {
			t.Errorf("%s: Equal = %v, want %v", tc.name, got, tc.equal)
		}
	}
	if diff := cmp.Diff([]string{"a.example.com", "b.example.com"}, a.MXSet()); diff != "" {
		t.Errorf("MXSet mismatch (-want +got):\n%s", diff)
	}
}
