package tlsrpt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
)

// gotDiag is the part of a report diagnostic the tables check.
type gotDiag struct {
	Code      diag.Code
	Severity  diag.Severity
	Subject   string
	Line, Col int
}

func dg(code diag.Code, subject string, line, col int) gotDiag {
	info, _ := diag.Lookup(code)
	return gotDiag{code, info.Severity, subject, line, col}
}

func projectDiags(l diag.List) []gotDiag {
	var out []gotDiag
	for _, d := range l {
		out = append(out, gotDiag{d.Code, d.Severity, d.Subject, d.Start.Line, d.Start.Column})
	}
	return out
}

// decodeCase is one input and what Decode must make of it.
type decodeCase struct {
	name  string
	file  string // under testdata/reports; the source name is the base name
	want  []Report
	diags []gotDiag
}

// Compared with the Source of each report, not its Key (tested apart).
var reportOpts = cmp.Options{
	cmpopts.EquateComparable(netip.Addr{}),
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(Report{}, "Key"),
}

func runDecodeCases(t *testing.T, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := readFixture(t, tc.file)
			var got []Report
			diags := Decode(tc.file, bytes.NewReader(src), DefaultLimits(), func(r Report) { got = append(got, r) })
			if diff := cmp.Diff(tc.want, got, reportOpts); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.diags, projectDiags(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, diags)
			}
		})
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reports", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// day parses a UTC date.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// report is a one-day report from a fixture: date is its UTC day.
func report(src, org, id, contact, date string, ps ...PolicyResult) Report {
	return Report{Organization: org, ReportID: id, ContactInfo: contact, Start: day(date), End: day(date).AddDate(0, 0, 1),
		Policies: ps, Source: src}
}

func sts(domain string, ok, failed int64, details ...FailureDetail) PolicyResult {
	return PolicyResult{Type: "sts", Domain: domain, Successful: ok, Failed: failed, Details: details}
}

// testingPolicy is the policy-string of a testing policy with one mx.
func testingPolicy(mx, maxAge string) []string {
	return []string{"version: STSv1", "mode: testing", "mx: " + mx, "max_age: " + maxAge}
}

func withPolicy(p PolicyResult, policy []string, mxHost ...string) PolicyResult {
	p.PolicyString, p.MXHost = policy, mxHost
	return p
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// TestDecodeQuirks covers the report vectors J1-J15 and J26 of
// reference §6.6 and the other JSON rules, one fixture each.
func TestDecodeQuirks(t *testing.T) {
	t.Parallel()
	const (
		cloud   = "tlsrpt-noreply@cloud.example"
		google  = "smtp-tls-reporting@example.net"
		relay   = "relay.example.net"
		example = "example.com"
	)
	exampleInc := func(src, date string, ok int64) Report {
		return report(src, "Example Inc.", date+"T00:00:00Z_example.com", google, date, sts(example, ok, 0))
	}
	cases := []decodeCase{
		{name: "J1 mx-host string", file: "j01-mx-host-string.json",
			want: []Report{report("j01-mx-host-string.json", "Example Sender", "a1b2c3d4-0001", "tlsrpt@sender.example", "2026-03-02",
				withPolicy(sts(example, 812, 4, FailureDetail{ResultType: "certificate-expired", SendingIP: ip("2001:db8:5::1"),
					ReceivingMX: "mx1.mail.example.com", Sessions: 4}), testingPolicy("*.mail.example.com", "604800"), "*.mail.example.com"))},
			diags: []gotDiag{dg(diag.ReportMXHostString, "j01-mx-host-string.json", 1, 1)}},
		{name: "J2 no time zone", file: "j02-no-timezone.json",
			want: []Report{report("j02-no-timezone.json", "Example Cloud Mail", "738261549201837465+example.com", cloud, "2026-03-03",
				withPolicy(sts(example, 5, 0), testingPolicy("mx.example.com", "86400")))},
			diags: []gotDiag{dg(diag.ReportNoTimezone, "j02-no-timezone.json", 1, 1)}},
		{name: "J3 end 23:59:59Z", file: "j03-inclusive-end.json",
			want: []Report{report("j03-inclusive-end.json", "Example Inc.", "2026-03-04T00:00:00Z_example.com", google, "2026-03-04",
				withPolicy(sts(example, 17, 0), testingPolicy("mx.example.com", "86400"), "mx.example.com"))}},
		{name: "J3 end next midnight", file: "j03-exclusive-end.json",
			want: []Report{report("j03-exclusive-end.json", "Example Portal", "0f5e2c71-8a4b-4d2e-9c1a-3b7d6e5f4a21@corp.example.org",
				"tls-reports@corp.example.org", "2026-03-04", sts(example, 9, 0))}},
		{name: "J4 seven days", file: "j04-seven-days.json",
			want: []Report{{Organization: "Weekly Reporter", ReportID: "2026-W10_example.com", ContactInfo: "tlsrpt@weekly.example",
				Start: day("2026-03-01"), End: day("2026-03-08"), Source: "j04-seven-days.json",
				Policies: []PolicyResult{withPolicy(sts(example, 140, 0), testingPolicy("mx.example.com", "86400"), "mx.example.com")}}}},
		{name: "J5 contact-info null", file: "j05-contact-null.json",
			want: []Report{report("j05-contact-null.json", relay, "1772755200_4815162342", "", "2026-03-06", sts(example, 3, 0))}},
		{name: "J5 no report-id", file: "j05-no-report-id.json",
			want:  []Report{report("j05-no-report-id.json", "Anonymous Relay", "", "postmaster@anon.example", "2026-03-06", sts(example, 2, 0))},
			diags: []gotDiag{dg(diag.ReportIDMissing, "j05-no-report-id.json", 1, 1)}},
		{name: "J5 empty organization-name", file: "j05-empty-organization.json",
			want:  []Report{report("j05-empty-organization.json", "", "r-0006", "postmaster@anon.example", "2026-03-06", sts(example, 2, 0))},
			diags: []gotDiag{dg(diag.ReportOrganizationEmpty, "j05-empty-organization.json", 1, 1)}},
		{name: "J6 no policy-domain", file: "j06-no-policy-domain.json",
			want: []Report{report("j06-no-policy-domain.json", "mta.example.org", "2026-03-07T00:00:00Z_idx1_example.com", "tlsrpt@example.org", "2026-03-07",
				PolicyResult{Type: "no-policy-found", Successful: 6}, sts(example, 1, 0))},
			diags: []gotDiag{dg(diag.ReportPolicyDomainEmpty, "j06-no-policy-domain.json", 1, 1)}},
		{name: "J9 unknown types", file: "j09-unknown-types.json",
			want: []Report{report("j09-unknown-types.json", "Future Mail", "fm-20260308", "reports@future.example", "2026-03-08",
				PolicyResult{Type: "sts-v2", Domain: example, Successful: 10, Failed: 2, Details: []FailureDetail{{ResultType: "quantum-handshake-timeout",
					SendingIP: ip("192.0.2.10"), ReceivingMX: "mx.example.com", ReceivingIP: ip("198.51.100.25"), Sessions: 2, ReasonCode: "X-NEW-REASON"}}})}},
		{name: "J10 details exceed total", file: "j10-details-exceed-total.json",
			want: []Report{report("j10-details-exceed-total.json", "Example Portal", "7c9e6679-7425-40de-944b-e07fc1f90ae7@portal.example",
				"tls_support@portal.example", "2026-03-09", sts(example, 0, 1,
					FailureDetail{ResultType: "sts-policy-fetch-error", Sessions: 2, ReasonCode: "bad https response code: 404"},
					FailureDetail{ResultType: "sts-policy-fetch-error", Sessions: 1, ReasonCode: "bad https response code: 503"}))},
			diags: []gotDiag{dg(diag.ReportFailuresExceed, "j10-details-exceed-total.json", 1, 1)}},
		{name: "J11 total without details", file: "j11-total-without-details.json",
			want: []Report{report("j11-total-without-details.json", "Example Inc.", "2026-03-10T00:00:00Z_example.com", google, "2026-03-10",
				withPolicy(sts(example, 40, 7), testingPolicy("mx.example.com", "86400"), "mx.example.com"))}},
		{name: "J12 missing total", file: "j12-missing-total.json",
			want: []Report{report("j12-missing-total.json", relay, "1773187200_99", "postmaster@relay.example.net", "2026-03-11",
				sts(example, 12, 3, FailureDetail{ResultType: "certificate-host-mismatch", SendingIP: ip("203.0.113.9"),
					ReceivingMX: "mx.example.com", ReceivingIP: ip("198.51.100.25"), Sessions: 3}),
				sts("example.org", 4, 0))},
			diags: []gotDiag{dg(diag.ReportCountMissing, "j12-missing-total.json", 1, 1), dg(diag.ReportCountMissing, "j12-missing-total.json", 1, 1)}},
		{name: "J13 invalid counts", file: "j13-counts-invalid.json",
			want: []Report{report("j13-counts-invalid.json", "Sloppy Sender", "sloppy-0312", "tlsrpt@sloppy.example", "2026-03-12", sts("d.example", 15, 0))},
			diags: []gotDiag{dg(diag.ReportPolicyInvalid, "j13-counts-invalid.json", 1, 1), dg(diag.ReportPolicyInvalid, "j13-counts-invalid.json", 1, 1),
				dg(diag.ReportPolicyInvalid, "j13-counts-invalid.json", 1, 1)}},
		{name: "J14 details without addresses", file: "j14-details-without-addresses.json",
			want: []Report{report("j14-details-without-addresses.json", "Example Cloud Mail", "9876543210+", cloud, "2026-03-13",
				sts(example, 0, 5, FailureDetail{ResultType: "sts-policy-fetch-error", Sessions: 5}))}},
		{name: "J15 tlsa policy-string", file: "j15-tlsa-policy-string.json",
			want: []Report{report("j15-tlsa-policy-string.json", "Example Cloud Mail", "246813579135792468+example.com", cloud, "2026-03-14",
				withPolicy(sts(example, 3, 0), testingPolicy("*.example.com", "604800")),
				PolicyResult{Type: "tlsa", Domain: example, Successful: 3, PolicyString: []string{
					`["3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF","3 1 1 FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"]`}})}},
		{name: "J26 trailing data", file: "j26-trailing-data.json",
			want:  []Report{exampleInc("j26-trailing-data.json", "2026-03-15", 8)},
			diags: []gotDiag{dg(diag.ReportTrailingData, "j26-trailing-data.json", 2, 1)}},
		{name: "J26 byte order mark", file: "j26-bom.json",
			want:  []Report{exampleInc("j26-bom.json", "2026-03-16", 8)},
			diags: []gotDiag{dg(diag.ReportBOM, "j26-bom.json", 1, 1)}},
		{name: "array of reports", file: "array.json",
			want: []Report{exampleInc("array.json", "2026-03-17", 21), report("array.json", "Example Inc.", "2026-03-18T00:00:00Z_example.com", google, "2026-03-18",
				sts(example, 19, 1, FailureDetail{ResultType: "starttls-not-supported", SendingIP: ip("192.0.2.44"),
					ReceivingMX: "mx.example.com", ReceivingIP: ip("198.51.100.25"), Sessions: 1}))}},
		{name: "NDJSON with a bad line", file: "reports.ndjson",
			want:  []Report{exampleInc("reports.ndjson", "2026-03-19", 30), exampleInc("reports.ndjson", "2026-03-21", 28)},
			diags: []gotDiag{dg(diag.ReportFieldInvalid, "reports.ndjson", 2, 236)}},
		{name: "policies not an array", file: "policies-not-array.json",
			diags: []gotDiag{dg(diag.ReportFieldInvalid, "policies-not-array.json", 6, 15)}},
		{name: "date unparseable", file: "date-unparseable.json",
			diags: []gotDiag{dg(diag.ReportDateInvalid, "date-unparseable.json", 1, 1)}},
		{name: "end before start", file: "end-before-start.json",
			diags: []gotDiag{dg(diag.ReportDateReversed, "end-before-start.json", 1, 1)}},
		{name: "unknown fields, case variants, aliases, offsets", file: "extra-fields.json",
			want: []Report{{Organization: "Verbose Sender", ReportID: "verbose-1", ContactInfo: "tlsrpt@verbose.example",
				Start: day("2026-03-24").Add(123 * time.Millisecond), End: day("2026-03-25"), Source: "extra-fields.json",
				Policies: []PolicyResult{
					withPolicy(sts(example, 100, 1, FailureDetail{ResultType: "validation-failure", SendingIP: ip("192.0.2.7"),
						ReceivingMX: "mx.example.com", ReceivingHELO: "mx.example.com", Sessions: 1,
						ReasonCode: "X509_V_ERR_CERT_UNTRUSTED", AdditionalInfo: "https://verbose.example/why/1"}),
						testingPolicy("mx.example.com", "86400"), "mx.example.com"),
					sts("example.org", 5, 0),
				}}},
			diags: []gotDiag{dg(diag.ReportAddressInvalid, "extra-fields.json", 1, 1)}},
	}
	runDecodeCases(t, cases)
}

// TestDecodeKey checks the deduplication key: reporter and report-id, or
// the hash of the report's JSON without what surrounds it (J5, J22).
func TestDecodeKey(t *testing.T) {
	t.Parallel()
	noID := readFixture(t, "j05-no-report-id.json")
	sum := sha256.Sum256(bytes.TrimSpace(noID))
	for _, tc := range []struct {
		file string
		src  []byte
		want []string
	}{
		{"j03-inclusive-end.json", nil, []string{"id:Example Inc.\x002026-03-04T00:00:00Z_example.com"}},
		{"j05-no-report-id.json", nil, []string{"sha256:" + hex.EncodeToString(sum[:])}},
		{"padded", append(append([]byte("\n\n  "), noID...), "\n\n"...), []string{"sha256:" + hex.EncodeToString(sum[:])}},
		{"array.json", nil, []string{"id:Example Inc.\x002026-03-17T00:00:00Z_example.com", "id:Example Inc.\x002026-03-18T00:00:00Z_example.com"}},
	} {
		src := tc.src
		if src == nil {
			src = readFixture(t, tc.file)
		}
		var got []string
		Decode(tc.file, bytes.NewReader(src), DefaultLimits(), func(r Report) { got = append(got, r.Key) })
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: keys (-want +got):\n%s", tc.file, diff)
		}
	}
}

// TestDecodeAddressInvalid checks that an unreadable address is
// dropped with a warning that says what that costs for its field.
func TestDecodeAddressInvalid(t *testing.T) {
	t.Parallel()
	src := `{"organization-name":"Example","report-id":"a1","contact-info":"x@example.net",
		"date-range":{"start-datetime":"2026-03-01T00:00:00Z","end-datetime":"2026-03-01T23:59:59Z"},
		"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},
			"summary":{"total-successful-session-count":1,"total-failure-session-count":1},
			"failure-details":[{"result-type":"validation-failure","sending-mta-ip":"mail.example.net",
				"receiving-ip":"300.1.2.3","receiving-mx-hostname":"mx.example.com","failed-session-count":1}]}]}`
	var got []Report
	diags := NewDecoder(DefaultLimits()).DecodeBytes("in.json", []byte(src), func(r Report) { got = append(got, r) })
	if len(got) != 1 || got[0].Policies[0].Details[0].SendingIP.IsValid() || got[0].Policies[0].Details[0].ReceivingIP.IsValid() {
		t.Fatalf("reports %+v", got)
	}
	var messages []string
	for _, d := range diags {
		if d.Code == diag.ReportAddressInvalid {
			messages = append(messages, d.Message)
		}
	}
	if len(messages) != 2 || !strings.Contains(messages[0], `sending-mta-ip "mail.example.net"`) || !strings.Contains(messages[0], "known_senders") ||
		!strings.Contains(messages[1], `receiving-ip "300.1.2.3"`) || strings.Contains(messages[1], "known_senders") {
		t.Errorf("address diagnostics: %q", messages)
	}
}
