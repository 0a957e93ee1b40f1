package tlsrpt

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
)

// benchReport returns a report of about 2 KB: a Google-style daily
// report with two policies and a handful of failure details.
func benchReport() []byte {
	var details []string
	for i := range 3 {
		details = append(details, fmt.Sprintf(`{"result-type":"validation-failure","sending-mta-ip":"192.0.2.%d",`+
			`"receiving-mx-hostname":"mx%d.example.com","receiving-ip":"198.51.100.%d","failed-session-count":%d,`+
			`"failure-reason-code":"X509_V_ERR_CERT_HAS_EXPIRED"}`, i+1, i%2+1, i+20, i+1))
	}
	policy := func(domain string) string {
		return `{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: testing",` +
			`"mx: mx1.` + domain + `","mx: mx2.` + domain + `","max_age: 604800"],"policy-domain":"` + domain + `",` +
			`"mx-host":["mx1.` + domain + `","mx2.` + domain + `"]},` +
			`"summary":{"total-successful-session-count":4821,"total-failure-session-count":21},` +
			`"failure-details":[` + strings.Join(details, ",") + `]}`
	}
	return []byte(`{"organization-name":"Example Inc.","date-range":{"start-datetime":"2026-03-04T00:00:00Z",` +
		`"end-datetime":"2026-03-04T23:59:59Z"},"contact-info":"smtp-tls-reporting@example.net",` +
		`"report-id":"2026-03-04T00:00:00Z_example.com","policies":[` + policy("example.com") + `,` + policy("example.org") + `]}`)
}

func gzipped(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkDecodeGzip decodes one gzipped report of about 2 KB per
// iteration through the package function Decode.
func BenchmarkDecodeGzip(b *testing.B) {
	benchDecode(b, gzipped(b, benchReport()), func(src []byte, emit func(Report)) {
		Decode("report.json.gz", bytes.NewReader(src), DefaultLimits(), emit)
	})
}

// BenchmarkDecoderGzip is BenchmarkDecodeGzip with one Decoder reused,
// as a worker that reads many files would.
func BenchmarkDecoderGzip(b *testing.B) {
	dec := NewDecoder(DefaultLimits())
	benchDecode(b, gzipped(b, benchReport()), func(src []byte, emit func(Report)) {
		dec.Decode("report.json.gz", bytes.NewReader(src), emit)
	})
}

// BenchmarkDecoderJSON decodes the same report uncompressed.
func BenchmarkDecoderJSON(b *testing.B) {
	dec := NewDecoder(DefaultLimits())
	benchDecode(b, benchReport(), func(src []byte, emit func(Report)) {
		dec.Decode("report.json", bytes.NewReader(src), emit)
	})
}

func benchDecode(b *testing.B, src []byte, decode func([]byte, func(Report))) {
	b.Helper()
	n := 0
	emit := func(Report) { n++ }
	b.SetBytes(int64(len(benchReport())))
	b.ReportAllocs()
	for b.Loop() {
		decode(src, emit)
	}
	if n == 0 {
		b.Fatal("no report decoded")
	}
}
