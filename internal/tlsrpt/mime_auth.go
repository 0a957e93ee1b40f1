package tlsrpt

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// checkAuthentication applies RFC 8460 §3 (J24): report mails must carry
// a valid DKIM signature of the reporting domain, and receivers must
// ignore reports without one. stsgate cannot verify signatures of mails
// committed to a repository (keys rotate, DNS is not at hand), so it
// reads the verdict the receiving server recorded in
// Authentication-Results (RFC 8601). The report is still counted: the
// finding, which a summary keeps, lets the owner decide whether to trust
// it.
func (d *Decoder) checkAuthentication(src string, h mail.Header) Auth {
	submitter := submitterDomain(h)
	if submitter == "" {
		return AuthNone // not a TLS-RPT mail (or a wrapper around one)
	}
	results := h["Authentication-Results"]
	if len(results) == 0 {
		d.add(src, diag.New(diag.ReportDKIMUnverified,
			fmt.Sprintf("the report mail from %s has no Authentication-Results header, so whether its DKIM signature was valid is unknown; RFC 8460 says unsigned reports must be ignored", diag.Excerpt(submitter)),
			"commit report mails with the headers your mail server added, or fetch reports from a mailbox that verifies DKIM"))
		return AuthUnverified
	}
	trusted := d.TrustedAuthServIDs
	if len(trusted) == 0 {
		trusted = []string{authServID(results[0])}
	}
	if dkimPass(results, trusted, submitter) {
		return AuthPass
	}
	receiver := diag.Excerpt(strings.Join(trusted, ", "))
	msg := fmt.Sprintf("the receiving server's Authentication-Results (%s) records no dkim=pass for %s; the report may be forged, and RFC 8460 says such reports must be ignored", receiver, diag.Excerpt(submitter))
	if dkimPass(results, nil, submitter) {
		msg = fmt.Sprintf("only an Authentication-Results header that the receiving server (%s) did not write claims dkim=pass for %s: anyone can add such a header to a mail, so the report may be forged, and RFC 8460 says such reports must be ignored", receiver, diag.Excerpt(submitter))
	}
	d.add(src, diag.New(diag.ReportDKIMFailed, msg,
		"remove the report if you do not trust it, or add the sender's IP to an ignore rule"))
	return AuthFail
}

// submitterDomain is the domain the report claims to come from: the
// TLS-Report-Submitter header (RFC 8460 §5.3).
func submitterDomain(h mail.Header) string {
	if s := strings.TrimSpace(h.Get("TLS-Report-Submitter")); s != "" {
		return strings.ToLower(strings.TrimSuffix(s, "."))
	}
	return ""
}

// authServID returns the authserv-id of an Authentication-Results value:
// the name of the server that wrote it (RFC 8601 §2.2), lower-cased.
func authServID(result string) string {
	id, _, _ := strings.Cut(result, ";")
	if f := strings.Fields(id); len(f) > 0 {
		return strings.ToLower(f[0])
	}
	return ""
}

// dkimPass reports whether an Authentication-Results value written by
// one of the trusted servers (nil for any) holds "dkim=pass" with a
// signing domain (header.d, or the domain of header.i) equal to
// submitter or a parent of it.
//
// RFC 8601 §5, §7.1: only the receiving server's own results can be
// trusted; the sender can put any Authentication-Results header into its
// mail. Each server on the way adds its header on top of those already
// there, so without Decoder.TrustedAuthServIDs the first one is taken as
// the receiving server's.
func dkimPass(results, trusted []string, submitter string) bool {
	for _, r := range results {
		if trusted != nil && !slices.Contains(trusted, authServID(r)) {
			continue
		}
		_, resinfo, _ := strings.Cut(r, ";")
		for _, clause := range strings.Split(resinfo, ";") {
			if signedBy(clause, submitter) {
				return true
			}
		}
	}
	return false
}

// signedBy reports whether one resinfo clause is a DKIM pass by submitter
// or a parent domain of it.
func signedBy(clause, submitter string) bool {
	fields := strings.Fields(strings.ToLower(clause))
	if len(fields) == 0 || fields[0] != "dkim=pass" {
		return false
	}
	for _, f := range fields[1:] {
		v, ok := strings.CutPrefix(f, "header.d=")
		if !ok {
			if v, ok = strings.CutPrefix(f, "header.i="); ok {
				_, v, _ = strings.Cut(v, "@")
			}
		}
		if ok && strings.Contains(v, ".") && (v == submitter || strings.HasSuffix(submitter, "."+v)) {
			return true
		}
	}
	return false
}
