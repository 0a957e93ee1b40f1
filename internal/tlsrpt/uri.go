package tlsrpt

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// checkURI validates one rua destination: a URI (RFC 3986) in which ',',
// '!' and ';' are percent-encoded, with the scheme mailto (local@domain)
// or https (with a host), RFC 8460 §3. It returns the unpositioned
// diagnostic and true when uri is not acceptable.
func checkURI(uri string) (diag.Diagnostic, bool) {
	if d, bad := checkURIChars(uri); bad {
		return d, true
	}
	scheme, ok := uriScheme(uri)
	if !ok {
		return noScheme(uri), true
	}
	u, err := url.Parse(uri)
	if err != nil {
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("destination %q is not a valid URI (%v); senders discard the record", uri, err),
			"write a mailto:local@domain or https://host/path URI"), true
	}
	// RFC 8460 §3: "mailto" and "https" are the only schemes supported.
	// RFC 3986 §3.1: schemes are case-insensitive.
	switch strings.ToLower(scheme) {
	case "mailto":
		return checkMailto(uri, u)
	case "https":
		return checkHTTPS(uri, u)
	case "http":
		return diag.New(diag.TLSRPTRUAScheme,
			fmt.Sprintf("destination %q uses plain http:; TLS-RPT reports are only delivered to mailto: and https: destinations, so none reach this one", uri),
			"use https:// instead of http://"), true
	}
	return diag.New(diag.TLSRPTRUAScheme,
		fmt.Sprintf("destination %q uses the scheme %q; TLS-RPT reports are only delivered to mailto: and https: destinations, so none reach this one", uri, scheme),
		"use a mailto: or https:// destination"), true
}

// noScheme explains a destination without a scheme, such as a bare
// address (sys4/tlsrpt-reporter#54: its reporter crashed on one).
func noScheme(uri string) diag.Diagnostic {
	hint := "write a mailto: or https:// URI"
	if strings.Contains(uri, "@") {
		hint = "write rua=mailto:" + uri
	}
	return diag.New(diag.TLSRPTRUAInvalid,
		fmt.Sprintf("destination %q has no scheme, so it is not a URI; senders cannot tell how to deliver reports and discard the record (some reporting software crashes on it)", uri),
		hint)
}

// checkURIChars enforces the character rules: only RFC 3986 characters,
// '%' followed by two hex digits, and RFC 8460 §3: ',', '!' and ';' inside
// a URI MUST be percent-encoded. (The record splitter has already cut at
// every ';' and ',', so only '!' can still be there.)
func checkURIChars(uri string) (diag.Diagnostic, bool) {
	if strings.ContainsAny(uri, " \t") {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("destination %q contains whitespace, which a URI cannot; senders fail to parse the record and send no reports", uri),
			"separate destinations with ',', remove stray text after the URI, and write a space inside a URI as %20"), true
	}
	if i := strings.IndexByte(uri, '!'); i >= 0 {
		return bangProblem(uri, i), true
	}
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case c >= 0x80:
			return diag.New(diag.TLSRPTRUAInvalid,
				fmt.Sprintf("destination %q contains a non-ASCII character, which a URI cannot; senders discard the record", uri),
				"write domain names as A-labels (xn--...) and percent-encode other non-ASCII characters"), true
		case !isURIChar(c):
			return diag.New(diag.TLSRPTRUAInvalid,
				fmt.Sprintf("destination %q contains the byte 0x%02x, which is not allowed in a URI; senders discard the record", uri, c),
				fmt.Sprintf("percent-encode it as %%%02X", c)), true
		case c == '%' && !(i+2 < len(uri) && isHex(uri[i+1]) && isHex(uri[i+2])):
			return diag.New(diag.TLSRPTRUAInvalid,
				fmt.Sprintf("destination %q has a '%%' that is not followed by two hex digits; senders discard the record", uri),
				"write a literal '%' as %25"), true
		}
	}
	return diag.Diagnostic{}, false
}

// bangProblem explains a raw '!' at uri[i]. A DMARC rua (RFC 7489 §6.2)
// may end in a size limit such as "!10m"; TLS-RPT has no such suffix.
func bangProblem(uri string, i int) diag.Diagnostic {
	if isSizeLimit(uri[i+1:]) {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("destination %q ends in the DMARC size limit %q, which TLS-RPT does not have; a '!' inside a TLS-RPT URI must be written %%21, so senders discard the record", uri, uri[i:]),
			fmt.Sprintf("remove %q: TLS-RPT has no size limit suffix", uri[i:]))
	}
	return diag.New(diag.TLSRPTRUAInvalid,
		fmt.Sprintf("destination %q contains '!', which TLS-RPT requires to be percent-encoded as %%21; senders discard the record", uri),
		"write '!' as %21")
}

// isSizeLimit reports whether s is a DMARC size limit: 1*DIGIT [ "k" / "m"
// / "g" / "t" ].
func isSizeLimit(s string) bool {
	s = strings.TrimRight(s, "kmgtKMGT")
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

// uriScheme returns the scheme of uri, RFC 3986 §3.1:
// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func uriScheme(uri string) (string, bool) {
	scheme, _, ok := strings.Cut(uri, ":")
	if !ok || scheme == "" || !isAlpha(scheme[0]) {
		return "", false
	}
	for i := 1; i < len(scheme); i++ {
		if c := scheme[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return "", false
		}
	}
	return scheme, true
}

// checkMailto requires mailto:local@domain (RFC 6068 §2); reports are
// mailed to that address.
func checkMailto(uri string, u *url.URL) (diag.Diagnostic, bool) {
	if u.Opaque == "" {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("destination %q has no address right after mailto:; senders have nowhere to mail reports and discard the record", uri),
			"write mailto:local@domain, without '/'"), true
	}
	addr, err := url.PathUnescape(u.Opaque)
	i := strings.LastIndexByte(addr, '@')
	if err != nil || i <= 0 || i == len(addr)-1 {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("destination %q is not mailto:local@domain; senders cannot mail reports to it and discard the record", uri),
			"write the full address, such as mailto:tlsrpt@example.net"), true
	}
	if domain := addr[i+1:]; !validMailDomain(domain) {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("the domain %q of destination %q is not a valid host name; senders cannot mail reports to it and discard the record", domain, uri),
			"write the mail domain as a host name in A-labels, such as mailto:tlsrpt@example.net"), true
	}
	return diag.Diagnostic{}, false
}

// checkHTTPS requires https://host[:port]/...; reports are POSTed there
// (RFC 8460 §5.4).
func checkHTTPS(uri string, u *url.URL) (diag.Diagnostic, bool) {
	host := u.Hostname()
	if u.Opaque != "" || host == "" {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("destination %q has no host name; senders cannot POST reports to it and discard the record", uri),
			"write https://host/path"), true
	}
	if _, err := netip.ParseAddr(host); err != nil && !validHostName(host) {
		return diag.New(diag.TLSRPTRUAInvalid,
			fmt.Sprintf("the host %q of destination %q is not a valid host name; senders cannot POST reports to it and discard the record", host, uri),
			"write the host name in A-labels, such as https://reports.example.net/tlsrpt"), true
	}
	return diag.Diagnostic{}, false
}

// validMailDomain accepts a host name or an address literal such as
// [192.0.2.1] or [IPv6:2001:db8::1] (RFC 5321 §4.1.3).
func validMailDomain(d string) bool {
	if lit, ok := strings.CutPrefix(d, "["); ok {
		lit, ok = strings.CutSuffix(lit, "]")
		lit = strings.TrimPrefix(lit, "IPv6:")
		_, err := netip.ParseAddr(lit)
		return ok && err == nil
	}
	return validHostName(d)
}

// validHostName reports whether h is a host name in LDH syntax: dot-separated
// labels of 1 to 63 letters, digits and '-', not starting or ending with '-'.
func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isAlpha(c) && !isDigit(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// isURIChar reports whether c may appear in a URI: RFC 3986 §2 unreserved,
// reserved and '%'.
func isURIChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
