package policy

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// CheckMXPattern validates an mx pattern of RFC 8461 §3.2: a fully
// qualified RFC 5321 Domain, optionally with "*." as its whole leftmost
// label. It returns "" when the pattern is valid, otherwise the reason.
func CheckMXPattern(pattern string) string {
	host, wildcard := strings.CutPrefix(pattern, "*.")
	switch {
	case pattern == "":
		return "the pattern is empty"
	case !wildcard && strings.Contains(pattern, "*"):
		return "a wildcard must be the whole leftmost label, as in *.example.com"
	case strings.HasSuffix(pattern, "."):
		return "a trailing dot is not part of an RFC 5321 domain; senders compare without it"
	case strings.HasPrefix(pattern, "."):
		return "a leading dot is pre-RFC syntax; write *.example.com for a wildcard"
	}
	return checkHostName(host)
}

// checkHostName validates an RFC 5321 Domain: LDH labels of 1 to 63
// characters, not starting or ending with '-', at most 253 characters, no
// IP literal, A-labels only.
func checkHostName(host string) string {
	if strings.Contains(host, "*") {
		return "a wildcard must be the whole leftmost label, as in *.example.com"
	}
	if i := strings.IndexFunc(host, func(r rune) bool { return r > 0x7f }); i >= 0 {
		return "internationalised names must be written as A-labels (xn--...), not U-labels"
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return fmt.Sprintf("%s is an IP address; MTA-STS matches MX host names only", ip)
	}
	if len(host) > 253 {
		return "the name is longer than 253 characters"
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if why := checkLabel(l); why != "" {
			return why
		}
	}
	if isNumeric(labels[len(labels)-1]) {
		return "the last label is numeric, so this is not a host name"
	}
	return ""
}

func checkLabel(l string) string {
	switch {
	case l == "":
		return "the name has an empty label"
	case len(l) > 63:
		return fmt.Sprintf("the label %s is longer than 63 characters", diag.Excerpt(l))
	case l[0] == '-' || l[len(l)-1] == '-':
		return fmt.Sprintf("the label %s starts or ends with '-'", diag.Excerpt(l))
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Sprintf("the label %q contains %q; host names use letters, digits and '-'", l, c)
		}
	}
	return ""
}

func isNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizeHost lower-cases a DNS host name and removes a trailing dot,
// the form in which MX host names are compared.
func NormalizeHost(host string) string {
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// MatchMX reports whether the MX host name matches pattern. RFC 8461 §4.1:
// a wildcard matches exactly one leftmost label ("*.example.com" matches
// "mail.example.com", not "example.com" nor "a.b.example.com"); comparison
// is case-insensitive and ignores a trailing dot on the host.
func MatchMX(pattern, host string) bool {
	pattern, host = strings.ToLower(pattern), NormalizeHost(host)
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		label, parent, found := strings.Cut(host, ".")
		return found && label != "" && parent == rest
	}
	return pattern == host
}

// Matches reports whether host matches one of the policy's mx patterns.
func (p *Policy) Matches(host string) bool {
	for _, pat := range p.MX {
		if MatchMX(pat, host) {
			return true
		}
	}
	return false
}
