package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/diag"
)

const day = 24 * time.Hour

// parseDuration parses Nd, Nh, Nm (3d, 36h, 90m), Go durations (5s,
// 1m30s) and days followed by a Go duration (1d12h).
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("it is empty")
	}
	if allDigits(s) {
		return 0, fmt.Errorf("it has no unit (write %sd, %sh, %sm or %ss)", s, s, s, s)
	}
	var days time.Duration
	rest := s
	if before, after, ok := strings.Cut(s, "d"); ok {
		if !allDigits(before) || len(before) > 5 {
			return 0, errors.New("the number of days must be a whole number of at most 5 digits")
		}
		n, _ := strconv.Atoi(before)
		days, rest = time.Duration(n)*day, after
	}
	if rest == "" {
		return days, nil
	}
	t, err := time.ParseDuration(rest)
	if err != nil {
		return 0, errors.New("the units are d, h, m and s (also ms, us, ns)")
	}
	if t < 0 {
		return 0, errors.New("it is negative")
	}
	return days + t, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatDuration writes whole days as Nd, other durations as Go does.
func formatDuration(t time.Duration) string {
	if t >= day && t%day == 0 {
		return fmt.Sprintf("%dd", t/day)
	}
	return t.String()
}

// normalizeHost lower-cases a domain name and strips one trailing dot.
func normalizeHost(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// hostProblem returns why name (normalized) is not an LDH host name of at
// least two labels (RFC 1123 §2.1, RFC 5890 §2.3.1), or "".
func hostProblem(name string) string {
	if name == "" {
		return "it is empty"
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return r >= utf8.RuneSelf }); i >= 0 {
		return "it contains non-ASCII characters; internationalized names must be written as A-labels (xn--...), the form DNS, MTA-STS and TLS-RPT reports use"
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return "it is an IP address, not a domain name"
	}
	if len(name) > 253 {
		return "it is longer than 253 characters"
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return "it has a single label; write the full name, such as example.com"
	}
	for _, l := range labels {
		if p := labelProblem(l); p != "" {
			return p
		}
	}
	if allDigits(labels[len(labels)-1]) {
		return "its last label is all digits, which no top-level domain is"
	}
	return ""
}

func labelProblem(l string) string {
	switch {
	case l == "":
		return "it has an empty label (two dots in a row, or a leading dot)"
	case len(l) > 63:
		return fmt.Sprintf("label %s is longer than 63 characters", diag.Excerpt(l))
	case l[0] == '-' || l[len(l)-1] == '-':
		return fmt.Sprintf("label %s starts or ends with a hyphen", diag.Excerpt(l))
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Sprintf("label %q contains %q; host names have only letters, digits and hyphens", l, c)
		}
	}
	return ""
}

// parsePrefix parses an IP address (stored as a /32 or /128 prefix) or a
// CIDR block. The problem is "" on success; hint may suggest a fix.
func parsePrefix(s string) (p netip.Prefix, problem, hint string) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, "it is not a CIDR block", "Write a network as 198.51.100.0/24 or 2001:db8::/32."
		}
		if m := p.Masked(); m != p {
			return p, "it has bits set after the prefix length", fmt.Sprintf("Write the network address: %s.", m)
		}
		return p, "", ""
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return p, "it is not an IP address", "Write an address as 198.51.100.7 or 2001:db8::7, or a network as 198.51.100.0/24."
	}
	a = a.Unmap() // TLS-RPT reports write IPv4 senders in dotted form
	return netip.PrefixFrom(a, a.BitLen()), "", ""
}

// labelNameProblem checks a GitHub label name, or returns "".
func labelNameProblem(s string) string {
	switch {
	case strings.TrimSpace(s) != s:
		return "it starts or ends with whitespace, which GitHub trims"
	case utf8.RuneCountInString(s) > 50:
		return "it is longer than the 50 characters GitHub allows"
	case strings.Contains(s, ","):
		// The issue list API takes labels as a comma-separated list.
		return "it contains a comma, so the issue list API would read it as two labels"
	}
	return ""
}

// envNameProblem checks an environment variable name, or returns "".
func envNameProblem(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return "it is not an environment variable name (letters, digits and _, not starting with a digit)"
		}
	}
	return ""
}

// Suggest returns the candidate closest to word when it is within edit
// distance 2 (1 for words of up to 3 bytes), ignoring case and treating
// '-' like '_'; otherwise "".
func Suggest(word string, candidates []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	w := norm(word)
	best, bestDist := "", 3
	for _, c := range candidates {
		dist := editDistance(w, norm(c))
		if dist < bestDist && dist < len(word) && (dist <= 1 || len(word) > 3) {
			best, bestDist = c, dist
		}
	}
	return best
}

// editDistance is the optimal string alignment distance of a and b:
// insertions, deletions, substitutions and transpositions of neighbours.
// Inputs longer than 64 bytes are compared as unequal.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := 1
			if a[i-1] == b[j-1] {
				sub = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+sub)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
