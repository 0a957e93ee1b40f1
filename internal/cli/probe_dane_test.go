package cli

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"net"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// TestDANEFinding: the notice names the addresses whose certificate does
// not match when others do, and says nothing for a host without records.
func TestDANEFinding(t *testing.T) {
	ca := fetchtest.Must(fetchtest.NewCA())
	oldCert := fetchtest.Must(ca.Leaf("mx.example.com")).Leaf
	newCert := fetchtest.Must(ca.Leaf("mx.example.com")).Leaf
	sent := func(c *x509.Certificate) func(*smtpprobe.Result) {
		return func(r *smtpprobe.Result) { r.TLS.Sent = []*x509.Certificate{c} }
	}
	hr := smtpprobe.HostResult{Host: "mx.example.com", Results: []smtpprobe.Result{
		probed("mx.example.com", "192.0.2.1", sent(oldCert)),
		probed("mx.example.com", "192.0.2.2", sent(newCert)),
	}}
	sum := sha256.Sum256(oldCert.RawSubjectPublicKeyInfo)
	records := dnsx.TLSAAnswer{Records: []dnsx.TLSA{{Usage: 3, Selector: 1, MatchingType: 1, Data: sum[:]}}, Secure: true}

	d, ok := daneFinding(hr, tlsaLookup{answer: records}, probeNow)
	if !ok || d.Code != diag.ProbeMXDANEMismatch {
		t.Fatalf("got %v %v, want a %s notice", ok, d, diag.ProbeMXDANEMismatch)
	}
	if !strings.Contains(d.Message, "mx.example.com at 192.0.2.2 does not match") || strings.Contains(d.Message, "192.0.2.1") {
		t.Errorf("message %q: want it to name 192.0.2.2 only", d.Message)
	}
	newSum := sha256.Sum256(newCert.RawSubjectPublicKeyInfo)
	if want := "TLSA 3 1 1 " + hex.EncodeToString(newSum[:]); !strings.Contains(d.Hint, want) {
		t.Errorf("fix %q: want the record of the key sent, %s", d.Hint, want)
	}
	if strings.Contains(d.Message, "AD bit") {
		t.Errorf("message %q speaks of the AD bit of a validated answer", d.Message)
	}

	hr.Results = hr.Results[:1]
	if d, _ := daneFinding(hr, tlsaLookup{answer: records}, probeNow); d.Code != diag.ProbeMXDANEMatch {
		t.Errorf("one address, matching: got %s, want %s", d.Code, diag.ProbeMXDANEMatch)
	}
	noRecords := tlsaLookup{err: &net.DNSError{Err: "no TLSA record (NODATA)", IsNotFound: true}}
	if d, ok := daneFinding(hr, noRecords, probeNow); ok {
		t.Errorf("no TLSA records: got %v, want no notice", d)
	}
}
