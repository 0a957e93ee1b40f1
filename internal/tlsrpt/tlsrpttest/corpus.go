// Package tlsrpttest makes deterministic corpora of realistic TLS-RPT
// reports for benchmarks and performance scripts.
package tlsrpttest

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// Corpus describes a generated corpus.
type Corpus struct {
	Domain string    // policy domain of every report
	First  time.Time // UTC midnight of the first day
	Days   int       // reports are spread over this many days
	Seed   uint64
}

var orgs = []string{
	"Google Inc.", "Microsoft Corporation", "Yahoo Inc.", "Mail.ru", "Comcast", "Fastmail Pty Ltd",
	"Proton AG", "Zoho Corporation", "GMX", "Orange", "Example Mail Co", "Partner Mail Inc.",
}

var resultTypes = []string{"validation-failure", "certificate-host-mismatch", "starttls-not-supported", "certificate-expired", "sts-policy-fetch-error"}

// Report returns report number i of the corpus as JSON, about 2 KB:
// deterministic for a given corpus and i.
func (c Corpus) Report(i int) []byte {
	r := rand.New(rand.NewPCG(c.Seed, uint64(i)))
	org := orgs[r.IntN(len(orgs))]
	start := c.First.AddDate(0, 0, i%c.Days)
	mx := []string{"mx1." + c.Domain, "mx2." + c.Domain}
	var details []map[string]any
	failed := 0
	for range r.IntN(8) {
		n := 1 + r.IntN(3)
		failed += n
		details = append(details, map[string]any{
			"result-type":            resultTypes[r.IntN(len(resultTypes))],
			"sending-mta-ip":         fmt.Sprintf("198.51.100.%d", r.IntN(250)+1),
			"receiving-mx-hostname":  mx[r.IntN(2)],
			"receiving-mx-helo":      mx[r.IntN(2)],
			"receiving-ip":           fmt.Sprintf("192.0.2.%d", r.IntN(250)+1),
			"failed-session-count":   n,
			"additional-information": "https://reports.example.net/tlsrpt/details?id=" + fmt.Sprint(r.Uint64()),
			"failure-reason-code":    "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT in certificate chain verification",
		})
	}
	rep := map[string]any{
		"organization-name": org,
		"date-range": map[string]string{
			"start-datetime": start.Format(time.RFC3339),
			"end-datetime":   start.Add(24*time.Hour - time.Second).Format(time.RFC3339),
		},
		"contact-info": "smtp-tls-reporting@" + fmt.Sprint(r.IntN(1000)) + ".reports.example.net",
		"report-id":    fmt.Sprintf("%s_%s_%d", start.Format(time.RFC3339), c.Domain, i),
		"policies": []any{map[string]any{
			"policy": map[string]any{
				"policy-type":   "sts",
				"policy-string": []string{"version: STSv1", "mode: testing", "mx: " + mx[0], "mx: " + mx[1], "max_age: 604800"},
				"policy-domain": c.Domain,
				"mx-host":       mx,
			},
			"summary":         map[string]int{"total-successful-session-count": 50 + r.IntN(5000), "total-failure-session-count": failed},
			"failure-details": details,
		}},
	}
	b, _ := json.Marshal(rep)
	return b
}

// WriteGzip writes report i gzip-compressed to w.
func (c Corpus) WriteGzip(w io.Writer, i int) error {
	zw := gzip.NewWriter(w)
	if _, err := zw.Write(c.Report(i)); err != nil {
		return err
	}
	return zw.Close()
}
