package check

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/zone"
)

// declaredCoverage checks the policy against the declared MX hosts.
func declaredCoverage(p *policy.Policy, dns *zone.Declaration) diag.List {
	if p.Mode == policy.ModeNone {
		return nil
	}
	if len(dns.MX) == 0 {
		return diag.List{inFile(diag.New(diag.MXDeclaredNone,
			"the DNS declaration has no MX records, so stsgate cannot check that the policy covers them",
			"declare the domain's MX records in the zone file or in records.mx"), dns.Source, diag.Pos{})}
	}
	out := coverage(p, dns.MX, "declared")
	for i := range out {
		if out[i].Code != diag.MXPatternStale {
			out[i].File = dns.Source
		}
	}
	return out
}

// coverage checks the policy's mx patterns against MX hosts, "declared"
// or "published" ones (RFC 8461 §4.1; reference §6.5 M3, M4, M6, M7, M8).
// Findings about the policy carry its line; the caller places the others.
func coverage(p *policy.Policy, mxs []zone.MX, which string) diag.List {
	var out diag.List
	if p.Mode == policy.ModeNone {
		return nil
	}
	for _, mx := range mxs {
		out = append(out, coverMX(p, mx, "")...)
	}
	for _, pattern := range p.MX {
		if !matchesAny(pattern, mxs) {
			out.Add(inFile(diag.New(diag.MXPatternStale,
				fmt.Sprintf("mx %q matches none of the %s MX hosts; a stale pattern lets a host you no longer use receive mail under the policy", pattern, which),
				"remove the line, or add the MX record it was meant for"), "", diag.Pos{Line: lineOf(p, pattern), Column: 1}))
		}
	}
	return out
}

func coverMX(p *policy.Policy, mx zone.MX, source string) diag.List {
	var out diag.List
	switch {
	case mx.Host == "":
		// RFC 7505 §3: a null MX says the domain accepts no mail, which
		// contradicts publishing a policy for receiving it.
		out.Add(inFile(diag.New(diag.MXNull,
			fmt.Sprintf("the domain declares a null MX (accepts no mail) but publishes an MTA-STS policy in %s mode", p.Mode),
			"remove the MTA-STS policy and records, or replace the null MX with real MX hosts"), source, mx.Pos))
	case !p.Matches(mx.Host):
		// RFC 8461 §4.1 and §8.4: every MX host, backup ones too, must
		// match a pattern, or senders refuse it under enforce.
		d := diag.New(diag.MXNotCovered,
			fmt.Sprintf("MX host %s (preference %d) matches no mx line of the policy; in enforce mode senders refuse to deliver to it, which shows only when the hosts before it fail", mx.Host, mx.Preference),
			fmt.Sprintf("add \"mx: %s\" to the policy, change the id, or remove the MX record", mx.Host))
		if p.Mode == policy.ModeTesting {
			d = d.As(diag.Warning)
		}
		out.Add(inFile(d, source, mx.Pos))
	}
	return out
}

func matchesAny(pattern string, mxs []zone.MX) bool {
	for _, mx := range mxs {
		if mx.Host != "" && policy.MatchMX(pattern, mx.Host) {
			return true
		}
	}
	return false
}

func lineOf(p *policy.Policy, pattern string) int {
	for _, f := range p.Fields {
		if f.Key == "mx" && f.Value == pattern {
			return f.Line
		}
	}
	return 0
}

// inFile sets the file and start of d. An empty file is filled in later
// with the policy file (diag.List.InFile).
func inFile(d diag.Diagnostic, file string, at diag.Pos) diag.Diagnostic {
	d.File = file
	d.Start = at
	return d
}

// reportingDomain warns when TLS-RPT reports go by mail to the policy
// domain itself while it enforces MTA-STS (reference §6.3 R15): when TLS
// to the domain is broken, the reports about it may not arrive either.
func reportingDomain(domain string, p *policy.Policy, rec *tlsrpt.Record, dns *zone.Declaration) diag.List {
	if rec == nil || p.Mode != policy.ModeEnforce {
		return nil
	}
	var out diag.List
	for _, rua := range rec.RUA {
		host := mailtoDomain(rua)
		if host == domain || strings.HasSuffix(host, "."+domain) {
			var at diag.Pos
			if len(dns.TLSRPT) > 0 {
				at = dns.TLSRPT[0].Pos
			}
			out.Add(inFile(diag.New(diag.TLSRPTRUASameDomain,
				fmt.Sprintf("TLS-RPT reports go to %s, inside %s, which enforces MTA-STS; when TLS to your MX hosts fails, the reports saying so may not be delivered", rua, domain),
				"add a destination outside the domain, such as an https: endpoint or a mailbox at another domain"), dns.Source, at))
		}
	}
	return out
}

func mailtoDomain(rua string) string {
	u, err := url.Parse(rua)
	if err != nil || !strings.EqualFold(u.Scheme, "mailto") {
		return ""
	}
	addr, err := mail.ParseAddress(u.Opaque)
	if err != nil {
		return ""
	}
	_, host, _ := strings.Cut(addr.Address, "@")
	return strings.ToLower(host)
}
