package tlsrpt

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// checkAuthentication applies RFC 8460 §3 (J24): report mails must carry
// a valid DKIM signature of the reporting domain, and receivers must
// ignore reports without one. stsgate cannot verify signatures of mails
// committed to a repository (keys rotate, DNS is not at hand), so it
// reads the verdict the receiving server recorded in
// Authentication-Results (RFC 8601). The report is still counted: the
// finding lets the owner decide whether to trust it.
func (d *Decoder) checkAuthentication(src string, h mail.Header) {
	submitter := submitterDomain(h)
	if submitter == "" {
		return // not a TLS-RPT mail (or a wrapper around one)
	}
	results := h["Authentication-Results"]
	if len(results) == 0 {
		d.add(src, diag.New(diag.ReportDKIMUnverified,
			fmt.Sprintf("the report mail from %s has no Authentication-Results header, so whether its DKIM signature was valid is unknown; RFC 8460 says unsigned reports must be ignored", submitter),
			"commit report mails with the headers your mail server added, or fetch reports from a mailbox that verifies DKIM"))
		return
	}
	if !dkimPass(results, submitter) {
		d.add(src, diag.New(diag.ReportDKIMFailed,
			fmt.Sprintf("no Authentication-Results header records dkim=pass for %s; the report may be forged, and RFC 8460 says such reports must be ignored", submitter),
			"remove the report if you do not trust it, or add the sender's IP to an ignore rule"))
	}
}

// submitterDomain is the domain the report claims to come from: the
// TLS-Report-Submitter header (RFC 8460 §5.3), else the From domain.
func submitterDomain(h mail.Header) string {
	if s := strings.TrimSpace(h.Get("TLS-Report-Submitter")); s != "" {
		return strings.ToLower(strings.TrimSuffix(s, "."))
	}
	return ""
}

// dkimPass reports whether one of the Authentication-Results values holds
// "dkim=pass" with a signing domain (header.d, or the domain of header.i)
// equal to submitter or a parent of it.
func dkimPass(results []string, submitter string) bool {
	for _, r := range results {
		for _, clause := range strings.Split(r, ";") {
			fields := strings.Fields(strings.ToLower(clause))
			if len(fields) == 0 || fields[0] != "dkim=pass" {
				continue
			}
			for _, f := range fields[1:] {
				v, ok := strings.CutPrefix(f, "header.d=")
				if !ok {
					if v, ok = strings.CutPrefix(f, "header.i="); ok {
						_, v, _ = strings.Cut(v, "@")
					}
				}
				if ok && (v == submitter || strings.HasSuffix(submitter, "."+v)) {
					return true
				}
			}
		}
	}
	return false
}
