package cli

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// certExpiringWithin is how close a certificate's end may be before the
// probe warns, as for the policy host's certificate.
const certExpiringWithin = 14 * 24 * time.Hour

// judgeProbes turns the probe's results into each target's findings. When
// port 25 is blocked on the way, one notice says so for the whole run and
// no host is blamed for it.
func judgeProbes(targets []probeTarget, byHost map[string]smtpprobe.HostResult, tlsa map[string]tlsaLookup, now time.Time) probeFindings {
	out := probeFindings{diags: make([]diag.List, len(targets)), failures: make([][]string, len(targets))}
	blocked := portBlocked(byHost)
	if blocked {
		out.blocked = diag.List{blockedNotice(byHost)}
	}
	for i, t := range targets {
		for _, h := range t.hosts {
			r, ok := byHost[h]
			if !ok {
				continue
			}
			hj := judgeHost(t, r, now, blocked)
			if l, ok := tlsa[h]; ok {
				if d, ok := daneFinding(r, l, now); ok {
					d.Subject = "MX " + h
					hj.diags.Add(d)
				}
			}
			out.diags[i] = append(out.diags[i], hj.diags.ForDomain(t.domain)...)
			out.failures[i] = append(out.failures[i], hj.failures...)
		}
	}
	return out
}

// portBlocked reports whether every address probed timed out at connect,
// had no route (IPv6 on a runner without it) or was not tried for lack of
// time, at least one timing out: a port 25 that is blocked on the way, as
// on GitHub-hosted runners, rather than MX hosts that are down.
func portBlocked(byHost map[string]smtpprobe.HostResult) bool {
	timedOut := false
	for _, hr := range byHost {
		for _, r := range hr.Results {
			switch r.Connect {
			case smtpprobe.ConnectTimedOut:
				timedOut = true
			case smtpprobe.ConnectNotTried, smtpprobe.ConnectUnreachable:
			default:
				return false
			}
		}
	}
	return timedOut
}

// blockedNotice is the one notice of a run whose connects all timed out.
func blockedNotice(byHost map[string]smtpprobe.HostResult) diag.Diagnostic {
	addrs := 0
	for _, hr := range byHost {
		addrs += len(hr.Results)
	}
	d := diag.New(diag.ProbePort25Blocked,
		fmt.Sprintf("this runner cannot reach port 25: the connections to all %d addresses of the MX hosts timed out, as they do where outbound port 25 is blocked (GitHub-hosted runners, most cloud networks), so the probe could not tell whether enforce would break delivery", addrs),
		"run the workflow on a self-hosted runner that can reach port 25, or run stsgate check --probe-mx from a machine that can; set probe_mx: off to skip the probe")
	d.Subject = "port 25"
	return d
}

// hostJudgement is what the probe of one MX host says for one domain.
type hostJudgement struct {
	diags    diag.List
	failures []string // one line per result type that would fail under enforce
}

// judgeHost judges the probe of one MX host for target t.
func judgeHost(t probeTarget, hr smtpprobe.HostResult, now time.Time, blocked bool) hostJudgement {
	var j hostJudgement
	subject := "MX " + hr.Host
	if hr.Err != nil {
		j.diags.Add(unprobed(hr.Host, fmt.Sprintf("its addresses could not be looked up (%v)", hr.Err), subject))
		return j
	}
	for _, g := range groupFailures(hr.Results) {
		d, line := wouldFail(t, hr.Host, g, len(hr.Results))
		d.Subject = subject
		j.diags.Add(d)
		j.failures = append(j.failures, line)
	}
	if d, ok := expiring(hr, now); ok {
		d.Subject = subject
		j.diags.Add(d)
	}
	if d, ok := notAnswered(hr, blocked); ok {
		d.Subject = subject
		j.diags.Add(d)
	}
	return j
}

// failureGroup is the addresses of a host that fail with one result type.
type failureGroup struct {
	first smtpprobe.Result // the first of them, whose details are shown
	addrs []netip.Addr
}

// groupFailures groups the failing results of a host by the result type
// a sender would report, in the order they were seen.
func groupFailures(results []smtpprobe.Result) []failureGroup {
	var groups []failureGroup
	index := map[smtpprobe.ResultType]int{}
	for _, r := range results {
		typ := r.ResultType()
		if typ == "" {
			continue
		}
		i, ok := index[typ]
		if !ok {
			i = len(groups)
			index[typ] = i
			groups = append(groups, failureGroup{first: r})
		}
		groups[i].addrs = append(groups[i].addrs, r.Addr)
	}
	return groups
}

// wouldFail is the finding for an MX host that fails an MTA-STS sender's
// checks, and its one-line reason for the reminder issue.
func wouldFail(t probeTarget, host string, g failureGroup, addrs int) (diag.Diagnostic, string) {
	typ := g.first.ResultType()
	where := host
	if len(g.addrs) < addrs {
		where = fmt.Sprintf("%s at %s", host, joinAddrs(g.addrs))
	}
	what := failureDetail(g.first)
	var msg string
	sev := diag.Error
	switch {
	case t.flip:
		// RFC 8461 §5.1: under enforce, senders do not deliver to an MX
		// that fails §4.2's checks.
		msg = fmt.Sprintf("enforce would break delivery to %s: %s (senders would report %s)", where, what, typ)
	case t.mode == policy.ModeEnforce:
		msg = fmt.Sprintf("senders that apply the enforce policy defer mail to %s: %s (their TLS-RPT reports show %s)", where, what, typ)
	default:
		// RFC 8461 §5: in testing mode senders deliver anyway and report
		// the failure (RFC 8460 §4.3).
		sev = diag.Warning
		if t.mode != policy.ModeTesting {
			sev = diag.Notice
		}
		msg = fmt.Sprintf("enforce would break delivery to %s: %s; without enforce senders still deliver, and report %s in TLS-RPT", where, what, typ)
	}
	d := diag.New(diag.ProbeMXWouldFail, msg, failureFix(typ, host)).As(sev)
	return d, fmt.Sprintf("%s: %s (%s)", where, what, typ)
}

// failureDetail says in a few words why a sender would fail at r.
func failureDetail(r smtpprobe.Result) string {
	p := r.Problems[0]
	switch {
	case p.Type == smtpprobe.CertificateHostMismatch && r.TLS != nil:
		return "its certificate is for " + certNames(r.TLS.Leaf)
	case p.Type == smtpprobe.CertificateNotTrusted && r.TLS != nil:
		detail := fmt.Sprintf("its certificate, issued by %s, does not chain to a root CA senders trust", diag.Excerpt(r.TLS.Leaf.Issuer))
		if strings.Contains(p.Reason, "intermediate") {
			detail += " (the server sends only its own certificate: is the intermediate missing?)"
		}
		return detail
	}
	return strings.Replace(p.Reason, "the certificate ", "its certificate ", 1)
}

// certNames lists the names a certificate is for.
func certNames(c smtpprobe.Certificate) string {
	names := c.DNSNames
	if len(names) == 0 {
		return "no DNS name (common name " + diag.Excerpt(c.CommonName) + ", which senders do not match)"
	}
	if len(names) > 4 {
		names = append(names[:4:4], fmt.Sprintf("%d more", len(names)-4))
	}
	return strings.Join(names, ", ")
}

// failureFix says how to repair an MX host that fails with typ.
func failureFix(typ smtpprobe.ResultType, host string) string {
	switch typ {
	case smtpprobe.StartTLSNotSupported:
		return fmt.Sprintf("enable STARTTLS on %s with a certificate from a public CA that names %s", host, host)
	case smtpprobe.CertificateHostMismatch:
		return fmt.Sprintf("install a certificate on %s whose subject alternative names include %s, or point the MX record at a name the certificate covers and list that name in the policy", host, host)
	case smtpprobe.CertificateExpired:
		return fmt.Sprintf("renew the certificate of %s and reload the mail server, and automate the renewal", host)
	case smtpprobe.CertificateNotTrusted:
		return fmt.Sprintf("use a certificate for %s from a CA in the public WebPKI, and configure the server to send the intermediate certificates with it", host)
	}
	return fmt.Sprintf("offer TLS 1.2 or newer on %s with a certificate that validates for %s", host, host)
}

// expiring warns when the certificate of a host that passes now ends
// within certExpiringWithin.
func expiring(hr smtpprobe.HostResult, now time.Time) (diag.Diagnostic, bool) {
	for _, r := range hr.Results {
		if r.TLS == nil || len(r.Problems) > 0 {
			continue
		}
		end := r.TLS.Leaf.NotAfter
		if left := end.Sub(now); left < certExpiringWithin {
			// RFC 8461 §4.2: an expired certificate fails the sender's
			// checks; RFC 8460 §4.3.1 names it certificate-expired.
			return diag.New(diag.ProbeMXCertExpiring,
				fmt.Sprintf("the certificate of MX host %s expires on %s, in %d days; then senders that apply an enforce policy defer mail to it (certificate-expired)",
					hr.Host, end.UTC().Format(time.DateOnly), int(left.Hours()/24)),
				fmt.Sprintf("renew the certificate of %s now, and check that its renewal is automated", hr.Host)), true
		}
	}
	return diag.Diagnostic{}, false
}

// notAnswered notes the addresses of a host that the probe could not
// judge (refused, unreachable, a timeout, a broken reply), unless port 25
// is blocked for the whole run and the one notice says so.
func notAnswered(hr smtpprobe.HostResult, blocked bool) (diag.Diagnostic, bool) {
	var addrs []netip.Addr
	var first error
	for _, r := range hr.Results {
		if r.Err == nil || len(r.Problems) > 0 || blocked && r.Connect != smtpprobe.ConnectOK {
			continue
		}
		addrs = append(addrs, r.Addr)
		if first == nil {
			first = r.Err
		}
	}
	if len(addrs) == 0 {
		return diag.Diagnostic{}, false
	}
	return unprobed(hr.Host, fmt.Sprintf("the probe of %s ended early (%v)", joinAddrs(addrs), first), ""), true
}

// unprobed is the notice for a host, or some of its addresses, that the
// probe could not judge. RFC 8460 §4.3.4: such transient failures are not
// what senders report as policy failures, so this is no verdict.
func unprobed(host, why, subject string) diag.Diagnostic {
	d := diag.New(diag.ProbeMXUnprobed,
		fmt.Sprintf("could not probe MX host %s: %s; this says nothing about whether enforce would break delivery to it", host, why),
		fmt.Sprintf("check that %s accepts connections on port 25 from this machine, and run the check again", host))
	d.Subject = subject
	return d
}

func joinAddrs(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
