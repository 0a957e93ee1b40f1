package zone

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// mxItem is an MX record with the target as written and where it is.
type mxItem struct {
	MX
	raw        string // the target as written, before normalisation
	start, end diag.Pos
}

// checkMX reports MX targets that are not host names and null MX records
// that are not alone or not "0 .".
func checkMX(items []mxItem, domain string) diag.List {
	var l diag.List
	for _, m := range items {
		if m.Host == "" {
			l = append(l, checkNullMX(m, len(items), domain)...)
			continue
		}
		if problem := hostProblem(m.raw, m.Host); problem != "" {
			l.Add(diag.New(diag.MXInvalid,
				fmt.Sprintf("the MX record of %s names %s, which %s. Senders cannot deliver to it, and MTA-STS cannot match it against the policy's mx patterns", domain, diag.Excerpt(m.raw), problem),
				fmt.Sprintf("name the mail server by its host name (such as mail.%s) and give that host A/AAAA records", domain)).
				At(m.start, m.end))
		}
	}
	return l
}

// checkNullMX checks a null MX among n MX records. RFC 7505 §3: the null
// MX has preference 0 and must be the domain's only MX record.
func checkNullMX(m mxItem, n int, domain string) diag.List {
	var l diag.List
	if n > 1 {
		l.Add(diag.New(diag.MXInvalid,
			fmt.Sprintf("%s declares a null MX (\".\": the domain accepts no mail, RFC 7505) together with other MX records; RFC 7505 §3 forbids that, and senders may treat the domain either way", domain),
			"remove the null MX if the domain receives mail, or the other MX records if it does not").
			At(m.start, m.end))
	}
	if m.Preference != 0 {
		l.Add(diag.New(diag.MXInvalid,
			fmt.Sprintf("%s declares a null MX with preference %d; RFC 7505 §3 defines the null MX as \"0 .\"", domain, m.Preference),
			"write the null MX as \"MX 0 .\"").
			At(m.start, m.end))
	}
	return l
}

// hostProblem says why an MX target, as written (raw) and normalised
// (host), is not a host name, or returns "". RFC 5321 §2.3.5 and §5.1:
// the target is a domain name with address records, never an address.
func hostProblem(raw, host string) string {
	if isIPLiteral(raw) || isIPLiteral(host) {
		return "is an IP address, not a host name"
	}
	if !isHostName(host) {
		return "is not a host name (labels of 1 to 63 letters, digits and hyphens)"
	}
	return ""
}

// isIPLiteral reports whether s is an IP address, with or without a
// trailing dot, brackets or the "IPv6:" tag of RFC 5321 §4.1.3.
func isIPLiteral(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return true
	}
	if len(s) > 5 && strings.EqualFold(s[:5], "IPv6:") {
		s = s[5:]
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// isHostName reports whether name (lower-case, no trailing dot) is a host
// name: LDH labels (RFC 1123 §2.1) and a top-level label that is not all
// digits (RFC 3696 §2).
func isHostName(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	labels := strings.Split(name, ".")
	for _, label := range labels {
		if !isLDHLabel(label) {
			return false
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

func isLDHLabel(label string) bool {
	if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
		return false
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
