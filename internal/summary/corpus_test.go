package summary

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

// reportDir holds tlsrpt's report fixtures: every quirk the decoder
// tolerates, read here as the summary must keep it.
const reportDir = "../tlsrpt/testdata/reports"

// fixtureReports decodes every file of reportDir.
func fixtureReports(t testing.TB) []tlsrpt.Report {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(reportDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []tlsrpt.Report
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tlsrpt.NewDecoder(tlsrpt.Limits{}).DecodeBytes(filepath.Base(f), data, func(r tlsrpt.Report) { out = append(out, r) })
	}
	if len(out) < 20 {
		t.Fatalf("decoded %d fixture reports, want the whole set", len(out))
	}
	return out
}

// corpusReports decodes n reports of tlsrpttest's corpus, from the
// end of October into November.
func corpusReports(t testing.TB, n int) []tlsrpt.Report {
	t.Helper()
	c := tlsrpttest.Corpus{Domain: "example.com", First: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), Days: 40, Seed: 7}
	var out []tlsrpt.Report
	dec := tlsrpt.NewDecoder(tlsrpt.Limits{})
	for i := range n {
		dec.DecodeBytes(fmt.Sprint("corpus-", i), c.Report(i), func(r tlsrpt.Report) { out = append(out, r) })
	}
	return out
}

var (
	genOrgs    = []string{"Google Inc.", "Microsoft Corporation", "Partner Mail Inc.", "Odd Sender"}
	genTypes   = []string{"starttls-not-supported", "certificate-expired", "validation-failure", "sts-policy-fetch-error", "tlsa-invalid", "brand-new-type", ""}
	genStrings = [][]string{
		{"version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"},
		{"version: STSv1", "mode: enforce", "mx: old-mx.example.com", "max_age: 86400"},
		nil,
	}
)

// generated returns n reports with every kind of evidence the window
// knows: one- and multi-day ranges across the October/November
// boundary, sts entries under the evaluated and other mx sets,
// no-policy-found and tlsa entries, unknown policy types, failures of
// every class, details that add up to more or less than the total,
// entries without a domain, reports for two domains, copies of a report
// and reports that share a key but not their content.
func generated(seed uint64, n int) []tlsrpt.Report {
	r := rand.New(rand.NewPCG(seed, 1))
	var out []tlsrpt.Report
	for i := range n {
		org := genOrgs[r.IntN(len(genOrgs))]
		start := time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(40))
		days := 1
		if r.IntN(6) == 0 {
			days = 2 + r.IntN(6)
		}
		id := fmt.Sprint("gen-", seed, "-", i)
		rep := tlsrpt.Report{Organization: org, ReportID: id, Key: idKey(org, id), ContactInfo: "tlsrpt@" + org,
			Start: start, End: start.AddDate(0, 0, days)}
		for range 1 + r.IntN(3) {
			rep.Policies = append(rep.Policies, genPolicy(r))
		}
		out = append(out, rep)
		switch r.IntN(10) {
		case 0: // the same report again
			out = append(out, rep)
		case 1: // another report under the same key, with more failures
			other := rep
			other.Policies = append([]tlsrpt.PolicyResult{{Type: "sts", Domain: "example.com", Failed: 1000 + int64(i),
				Details: []tlsrpt.FailureDetail{{ResultType: "certificate-expired", Sessions: 1000 + int64(i)}}}}, rep.Policies...)
			out = append(out, other)
		}
	}
	return out
}

func genPolicy(r *rand.Rand) tlsrpt.PolicyResult {
	domain := []string{"example.com", "example.com", "example.com", "example.net", ""}[r.IntN(5)]
	p := tlsrpt.PolicyResult{Type: []string{"sts", "sts", "sts", "no-policy-found", "tlsa", "odd-type"}[r.IntN(6)], Domain: domain,
		PolicyString: genStrings[r.IntN(len(genStrings))], Successful: r.Int64N(500)}
	if r.IntN(3) == 0 {
		p.Successful = 0
	}
	var explained int64
	for range r.IntN(4) {
		d := tlsrpt.FailureDetail{ResultType: genTypes[r.IntN(len(genTypes))], Sessions: 1 + r.Int64N(20),
			ReceivingMX: []string{"mx1.example.com", "mx2.example.com", ""}[r.IntN(3)], ReasonCode: "code"}
		if r.IntN(3) > 0 {
			d.SendingIP = netip.AddrFrom4([4]byte{198, 51, 100, byte(r.IntN(128))})
		}
		explained += d.Sessions
		p.Details = append(p.Details, d)
	}
	p.Failed = max(explained+r.Int64N(10)-5, 0) // sometimes fewer than the details (J10), sometimes more (J11)
	return p
}
