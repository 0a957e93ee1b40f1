package tlsrpt

import (
	"bytes"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
)

// mailReport is the shape of the reports in the mail and archive
// fixtures (testdata/reports/README.md).
func mailReport(src, org, id, date string, ok int64) Report {
	contact := map[string]string{
		"Example Inc.": "tlsrpt@example-inc.example", "Example Cloud Mail": "tlsrpt@example-cloud-mail.example",
	}[org]
	if contact == "" {
		contact = "tlsrpt@" + map[string]string{
			"Plain Sender": "plain-sender", "Label Sender": "label-sender", "Octet Sender": "octet-sender",
			"Gzip Sender": "gzip-sender", "QP Sender": "qp-sender", "Armoured Sender": "armoured-sender",
			"Single Sender": "single-sender", "Mbox Sender": "mbox-sender", "Zip Sender": "zip-sender",
		}[org] + ".example"
	}
	return report(src, org, id, contact, date,
		withPolicy(sts("example.com", ok, 0), testingPolicy("mx.example.com", "86400"), "mx.example.com"))
}

// TestDecodeMail covers J16-J21 and J24: report mails as RFC 8460 §5.3 describes
// them and as real reporters send them, mailboxes and archives.
func TestDecodeMail(t *testing.T) {
	t.Parallel()
	const googleFile = "example.net!example.org!1774396800!1774483199!001.json.gz"
	mbox3 := mailReport("reports.mbox#3#2", "Mbox Sender", "mbox-3", "2026-04-02", 13)
	mbox3.Policies[0].Failed = 1
	mbox3.Policies[0].Details = []FailureDetail{{ResultType: "certificate-not-trusted", SendingIP: ip("192.0.2.99"),
		ReceivingMX: "mx.example.com", Sessions: 1}}
	cases := []decodeCase{
		{name: "J16 tlsrpt+gzip part holding plain JSON", file: "gzip-label-plain-json.eml",
			want: []Report{mailReport("gzip-label-plain-json.eml#sender.example!example.com!1774656000!1774742399.json.gz",
				"Plain Sender", "plain-20260328", "2026-03-28", 11)}},
		{name: "J17 gzip file", file: "j17-report.json.gz",
			want: []Report{mailReport("j17-report.json.gz", "Example Inc.", "gz-1", "2026-04-03", 9)}},
		{name: "J17 gzip named .json", file: "j17-gzip-named.json",
			want: []Report{mailReport("j17-gzip-named.json", "Example Inc.", "gz-2", "2026-04-04", 9)}},
		{name: "J17 JSON named .json.gz", file: "j17-json-named.json.gz",
			want: []Report{mailReport("j17-json-named.json.gz", "Example Inc.", "gz-3", "2026-04-05", 9)}},
		{name: "J17 zip", file: "reports.zip",
			want: []Report{
				mailReport("reports.zip#reports/a.json", "Zip Sender", "zip-a", "2026-04-06", 1),
				mailReport("reports.zip#reports/b.json.gz", "Zip Sender", "zip-b", "2026-04-07", 2),
				mailReport("reports.zip#reports/c.eml", "Single Sender", "single-1", "2026-03-31", 8),
			},
			diags: []gotDiag{dg(diag.ReportSkipped, "reports.zip#README.txt", 0, 0)}},
		{name: "J18 text/html first part, no time zone", file: "microsoft-html.eml",
			want: []Report{withAuth(report("microsoft-html.eml#cloud.example!example.com!1774569600!1774655999!111222333444555666.json.gz",
				"Example Cloud Mail", "111222333444555666+example.com", "tlsrpt@example-cloud-mail.example", "2026-03-27",
				withPolicy(sts("example.com", 2, 0), testingPolicy("mx.example.com", "86400"), "mx.example.com")), AuthPass)},
			diags: []gotDiag{dg(diag.ReportNoTimezone, "microsoft-html.eml#cloud.example!example.com!1774569600!1774655999!111222333444555666.json.gz", 1, 1)}},
		{name: "J19 single-part message", file: "single-part.eml",
			want: []Report{mailReport("single-part.eml", "Single Sender", "single-1", "2026-03-31", 8)}},
		{name: "J20 application/tlsrpt", file: "application-tlsrpt.eml",
			want: []Report{mailReport("application-tlsrpt.eml#2", "Label Sender", "label-1", "2026-03-29", 3)}},
		{name: "J20 application/octet-stream .json.gz", file: "octet-stream.eml",
			want: []Report{mailReport("octet-stream.eml#octet.example!example.com!1774742400!1774828799.json.gz", "Octet Sender", "octet-1", "2026-03-29", 4)}},
		{name: "J20 application/gzip", file: "application-gzip.eml",
			want: []Report{mailReport("application-gzip.eml#report.json.gz", "Gzip Sender", "gzip-1", "2026-03-29", 5)}},
		{name: "J20 quoted-printable JSON", file: "quoted-printable.eml",
			want: []Report{mailReport("quoted-printable.eml#2", "QP Sender", "qp-1", "2026-03-30", 6)}},
		{name: "J20 base64 without Content-Transfer-Encoding", file: "base64-unlabelled.eml",
			want: []Report{mailReport("base64-unlabelled.eml#2", "Armoured Sender", "b64-1", "2026-03-30", 7)}},
		{name: "J21 subject and file name disagree: the JSON wins", file: "google-gzip.eml",
			want: []Report{withAuth(mailReport("google-gzip.eml#"+googleFile, "Example Inc.", "2026-03-26T00:00:00Z_example.com", "2026-03-26", 64), AuthPass)}},
		{name: "J24 no Authentication-Results: counted, noted", file: "j24-no-authentication-results.eml",
			want:  []Report{withAuth(mailReport("j24-no-authentication-results.eml#"+googleFile, "Example Inc.", "2026-03-26T00:00:00Z_example.com", "2026-03-26", 64), AuthUnverified)},
			diags: []gotDiag{dg(diag.ReportDKIMUnverified, "j24-no-authentication-results.eml", 0, 0)}},
		{name: "J24 DKIM failed: counted, warned", file: "j24-dkim-fail.eml",
			want:  []Report{withAuth(mailReport("j24-dkim-fail.eml#"+googleFile, "Example Inc.", "2026-03-26T00:00:00Z_example.com", "2026-03-26", 64), AuthFail)},
			diags: []gotDiag{dg(diag.ReportDKIMFailed, "j24-dkim-fail.eml", 0, 0)}},
		{name: "J24 a pass only in a header the receiving server did not write: warned", file: "j24-forged-pass.eml",
			want:  []Report{withAuth(mailReport("j24-forged-pass.eml#"+googleFile, "Example Inc.", "2026-03-26T00:00:00Z_example.com", "2026-03-26", 64), AuthFail)},
			diags: []gotDiag{dg(diag.ReportDKIMFailed, "j24-forged-pass.eml", 0, 0)}},
		{name: "forwarded as message/rfc822", file: "forwarded.eml",
			want: []Report{withAuth(mailReport("forwarded.eml#2#"+googleFile, "Example Inc.", "2026-03-26T00:00:00Z_example.com", "2026-03-26", 64), AuthPass)}},
		{name: "mbox with a DMARC message and a >From line", file: "reports.mbox",
			want:  []Report{mailReport("reports.mbox#1#mbox1.json.gz", "Mbox Sender", "mbox-1", "2026-04-01", 12), mbox3},
			diags: []gotDiag{dg(diag.ReportSkipped, "reports.mbox#2", 0, 0)}},
		{name: "multipart/report of another report-type", file: "not-tlsrpt.eml",
			diags: []gotDiag{dg(diag.ReportNotFound, "not-tlsrpt.eml", 0, 0)}},
	}
	runDecodeCases(t, cases)
}

// withAuth is r as it came in a mail with this DKIM verdict.
func withAuth(r Report, a Auth) Report {
	r.Auth = a
	return r
}

// TestDKIMPass: RFC 8601 §5, §7.1: only the receiving server's verdict
// counts, a pass must name the submitter or a parent domain of it, and a
// top-level domain is no signer.
func TestDKIMPass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		results  []string
		receiver string // "" for any
		want     bool
	}{
		{[]string{"mx.example.com; dkim=pass header.d=example.net"}, "mx.example.com", true},
		{[]string{"MX.Example.com 1; DKIM=pass header.i=@reports.example.net"}, "mx.example.com", false}, // the submitter's child, not parent
		{[]string{"mx.example.com; dkim=pass header.i=tlsrpt@example.net"}, "mx.example.com", true},
		{[]string{"mx.example.com; spf=pass; dkim=pass header.d=net"}, "mx.example.com", false},
		{[]string{"mx.example.com; dkim=fail header.d=example.net", "forger.example; dkim=pass header.d=example.net"}, "mx.example.com", false},
		{[]string{"mx.example.com; dkim=fail header.d=example.net", "forger.example; dkim=pass header.d=example.net"}, "", true},
		{[]string{"mx.example.com; dkim=pass header.d=other.example"}, "mx.example.com", false},
	} {
		var trusted []string
		if tc.receiver != "" {
			trusted = []string{tc.receiver}
		}
		if got := dkimPass(tc.results, trusted, "example.net"); got != tc.want {
			t.Errorf("dkimPass(%q, %q) = %v, want %v", tc.results, tc.receiver, got, tc.want)
		}
	}
	if got := authServID("  MX.Example.COM (the receiver) 1; dkim=pass"); got != "mx.example.com" {
		t.Errorf("authServID = %q", got)
	}
}

// TestTrustedAuthServIDs: with the receiving servers named, a pass counts
// only from their headers, wherever those stand.
func TestTrustedAuthServIDs(t *testing.T) {
	t.Parallel()
	src := readFixture(t, "j24-forged-pass.eml")
	for _, tc := range []struct {
		trusted []string
		want    Auth
	}{
		{nil, AuthFail},
		{[]string{"relay.forger.example"}, AuthPass}, // trusted by configuration: the owner's choice
		{[]string{"mx.example.com", "mx2.example.com"}, AuthFail},
	} {
		dec := NewDecoder(DefaultLimits())
		dec.TrustedAuthServIDs = tc.trusted
		var got []Auth
		dec.Decode("j24-forged-pass.eml", bytes.NewReader(src), func(r Report) { got = append(got, r.Auth) })
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("trusted %q: got %v, want [%v]", tc.trusted, got, tc.want)
		}
	}
}
