package cli

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/dane"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// tlsaResolver looks up TLSA records; dnsx.Client is the real one. A
// resolver without it (a test's) leaves DANE unchecked.
type tlsaResolver interface {
	LookupTLSA(ctx context.Context, name string) (dnsx.TLSAAnswer, error)
}

// tlsaLookup is the TLSA RRset of an MX host, or why it could not be had.
type tlsaLookup struct {
	answer dnsx.TLSAAnswer
	err    error
}

// tlsaName is where the TLSA records of an MX host's SMTP service are
// (RFC 7672 §2.2.3, RFC 6698 §3). The MX host name is taken as the TLSA
// base domain: its own CNAME expansion, which RFC 7672 §2.2.2 allows only
// when DNSSEC proves it, is not followed.
func tlsaName(host string) string { return "_25._tcp." + host }

// lookupTLSA looks up the TLSA records of every host that sent a
// certificate, at most parallel lookups at once.
func lookupTLSA(ctx context.Context, r check.Resolver, results []smtpprobe.HostResult, parallel int) map[string]tlsaLookup {
	tr, ok := r.(tlsaResolver)
	if !ok {
		return nil
	}
	out := map[string]tlsaLookup{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(parallel, 1))
	for _, hr := range results {
		if !sentCertificate(hr) {
			continue
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			ans, err := tr.LookupTLSA(ctx, tlsaName(hr.Host))
			mu.Lock()
			defer mu.Unlock()
			out[hr.Host] = tlsaLookup{ans, err}
		})
	}
	wg.Wait()
	return out
}

func sentCertificate(hr smtpprobe.HostResult) bool {
	for _, r := range hr.Results {
		if r.TLS != nil && len(r.TLS.Sent) > 0 {
			return true
		}
	}
	return false
}

// daneFinding is the finding on how the certificates an MX host sent
// compare with its TLSA records, if it has any. It is never an error: the
// gate is about MTA-STS, and senders that do DANE prefer it to MTA-STS
// (RFC 8461 §2), so the MTA-STS verdict does not depend on it. A mismatch
// is a warning, since DANE senders defer mail to that host now; the rest
// are notices.
func daneFinding(hr smtpprobe.HostResult, l tlsaLookup, now time.Time) (diag.Diagnostic, bool) {
	name := tlsaName(hr.Host)
	switch {
	case dnsx.IsNotFound(l.err):
		return diag.Diagnostic{}, false
	case l.err != nil:
		// RFC 7672 §2.2: a TLSA lookup that fails (not "no record") makes
		// a DANE sender skip the MX, and so defer the mail.
		return diag.New(diag.ProbeMXDANEUnknown,
			fmt.Sprintf("the TLSA records of MX host %s at %s could not be looked up (%v); senders that do DANE defer mail to it while the lookup fails", hr.Host, name, l.err),
			fmt.Sprintf("check that the name servers of %s answer TLSA queries with valid DNSSEC signatures, and run the check again", hr.Host)), true
	}
	records := daneRecords(l.answer.Records)
	verdicts := judgeDANE(hr, records, now)
	if len(verdicts) == 0 {
		return diag.Diagnostic{}, false
	}
	d := daneNotice(hr, name, verdicts)
	if !l.answer.Secure && d.Code != diag.ProbeMXDANEUnusable {
		d.Message += fmt.Sprintf("; the resolver that answered did not mark the records as DNSSEC-validated (no AD bit), and senders use TLSA records only when their own resolver validates them (RFC 7672 §2.2): check that the zone of %s is signed", name)
	}
	return d, true
}

// addrVerdict is the DANE verdict on the certificates one address sent.
type addrVerdict struct {
	addr netip.Addr
	v    dane.Verdict
	leaf *smtpprobe.TLSInfo
}

// judgeDANE verifies what each address of hr sent against records.
func judgeDANE(hr smtpprobe.HostResult, records []dane.Record, now time.Time) []addrVerdict {
	var out []addrVerdict
	for _, r := range hr.Results {
		if r.TLS != nil && len(r.TLS.Sent) > 0 {
			out = append(out, addrVerdict{r.Addr, dane.Verify(records, r.TLS.Sent, hr.Host, now), r.TLS})
		}
	}
	return out
}

// daneNotice words the verdicts of a host's addresses: a mismatch at any
// address first, then unusable records, then a match.
func daneNotice(hr smtpprobe.HostResult, name string, verdicts []addrVerdict) diag.Diagnostic {
	byOutcome := map[dane.Outcome][]addrVerdict{}
	for _, av := range verdicts {
		byOutcome[av.v.Outcome] = append(byOutcome[av.v.Outcome], av)
	}
	if bad := byOutcome[dane.Mismatch]; len(bad) > 0 {
		return daneMismatch(hr.Host, name, bad, len(hr.Results))
	}
	if un := byOutcome[dane.Unusable]; len(un) > 0 {
		return diag.New(diag.ProbeMXDANEUnusable,
			fmt.Sprintf("the TLSA records of MX host %s at %s are all unusable for SMTP: %s; senders that do DANE treat it as if it had none", hr.Host, name, un[0].v.Reason),
			fmt.Sprintf("publish DANE-EE (3 1 1) or DANE-TA (2 1 1) records at %s, the kinds RFC 7672 §3.1 recommends for SMTP, or remove the records", name))
	}
	ok := byOutcome[dane.Match]
	return diag.New(diag.ProbeMXDANEMatch,
		fmt.Sprintf("MX host %s has TLSA records at %s and the certificate it sends matches %s: senders that do DANE authenticate it that way, ahead of MTA-STS", hr.Host, name, ok[0].v.Record.Short()),
		fmt.Sprintf("none needed; before the certificate or key of %s changes, publish the TLSA record of the new one next to the old (RFC 7671 §8.1)", hr.Host))
}

// daneMismatch is the notice for addresses whose certificates match no
// TLSA record. The fix names the DANE-EE record of the certificate sent.
func daneMismatch(host, name string, bad []addrVerdict, addrs int) diag.Diagnostic {
	where := host
	if len(bad) < addrs {
		addrList := make([]netip.Addr, len(bad))
		for i, av := range bad {
			addrList[i] = av.addr
		}
		where = fmt.Sprintf("%s at %s", host, joinAddrs(addrList))
	}
	sum := sha256.Sum256(bad[0].leaf.Sent[0].RawSubjectPublicKeyInfo)
	ee := dane.Record{Usage: 3, Selector: 1, MatchingType: 1, Data: sum[:]}
	// RFC 7672 §2.2: with usable TLSA records a DANE sender authenticates
	// the server by them, and defers the mail when none matches.
	return diag.New(diag.ProbeMXDANEMismatch,
		fmt.Sprintf("the certificate of MX host %s does not match its TLSA records at %s: %s; senders that do DANE defer mail to it and report the failure in TLS-RPT, whatever the MTA-STS mode", where, name, bad[0].v.Reason),
		fmt.Sprintf("publish the record of the key it sends, %s. IN TLSA %s, keeping the old record until the change has been in place for the records' TTL, or install the certificate the records name", name, ee))
}

// daneRecords converts the looked-up records for package dane.
func daneRecords(rs []dnsx.TLSA) []dane.Record {
	out := make([]dane.Record, len(rs))
	for i, r := range rs {
		out[i] = dane.Record{Usage: r.Usage, Selector: r.Selector, MatchingType: r.MatchingType, Data: r.Data}
	}
	return out
}
