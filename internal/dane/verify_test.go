package dane

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ca := fetchtest.Must(fetchtest.NewCA())
	otherCA := fetchtest.Must(fetchtest.NewCA())
	leaf := fetchtest.Must(ca.Leaf("mx.example.com")).Leaf
	otherName := fetchtest.Must(ca.Leaf("mail.other.example")).Leaf
	expired := fetchtest.Must(ca.Issue(now.AddDate(0, 0, -90), now.AddDate(0, 0, -1), "mx.example.com")).Leaf
	notYet := fetchtest.Must(ca.Issue(now.AddDate(0, 0, 1), now.AddDate(0, 0, 90), "mx.example.com")).Leaf
	badAndExpired := fetchtest.Must(ca.Issue(now.AddDate(0, 0, -90), now.AddDate(0, 0, -1), "mail.other.example")).Leaf
	wildcard := fetchtest.Must(ca.Leaf("*.example.com")).Leaf
	foreign := fetchtest.Must(otherCA.Leaf("mx.example.com")).Leaf
	selfSigned := fetchtest.Must(fetchtest.SelfSigned("mx.example.com")).Leaf

	eeSPKI := record(3, 1, 1, leaf)
	taCA := record(2, 0, 1, ca.Cert)
	taOther := record(2, 1, 1, otherCA.Cert)
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	noMatch := "no usable record matches the server's certificate or its public key"
	noAnchor := "no DANE-TA record matches a certificate the server sent (the server must send its trust anchor too)"
	byIssuer := "the DANE-TA record " + taCA.Short() + " matches an issuer, but "

	tests := []struct {
		name    string
		records []Record
		chain   []*x509.Certificate
		host    string
		want    Verdict
	}{
		{"3 1 1", []Record{eeSPKI}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Match, eeSPKI, 1, ""}},
		{"3 0 1", []Record{record(3, 0, 1, leaf)}, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Match, record(3, 0, 1, leaf), 1, ""}},
		{"3 0 0", []Record{record(3, 0, 0, leaf)}, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Match, record(3, 0, 0, leaf), 1, ""}},
		{"3 1 0", []Record{record(3, 1, 0, leaf)}, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Match, record(3, 1, 0, leaf), 1, ""}},
		{"3 1 2", []Record{record(3, 1, 2, leaf)}, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Match, record(3, 1, 2, leaf), 1, ""}},
		{"3 1 1 of another key", []Record{record(3, 1, 1, otherName)}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Mismatch, Record{}, 1, noMatch}},
		{"3 1 1 of the CA matches the leaf only", []Record{record(3, 1, 1, ca.Cert)}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Mismatch, Record{}, 1, noMatch}},
		// RFC 7672 §3.1.1, §3.2.1: no name or validity check for DANE-EE.
		{"DANE-EE ignores name and expiry", []Record{record(3, 1, 1, badAndExpired)}, []*x509.Certificate{badAndExpired}, "mx.example.com", Verdict{Match, record(3, 1, 1, badAndExpired), 1, ""}},
		{"DANE-EE of a self-signed certificate", []Record{record(3, 1, 1, selfSigned)}, []*x509.Certificate{selfSigned}, "mx.example.com", Verdict{Match, record(3, 1, 1, selfSigned), 1, ""}},
		{"2 0 1 of the CA sent", []Record{taCA}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Match, taCA, 1, ""}},
		{"2 1 2 of the CA sent", []Record{record(2, 1, 2, ca.Cert)}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Match, record(2, 1, 2, ca.Cert), 1, ""}},
		{"2 0 0 of the CA sent", []Record{record(2, 0, 0, ca.Cert)}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Match, record(2, 0, 0, ca.Cert), 1, ""}},
		{"DANE-TA wildcard", []Record{taCA}, []*x509.Certificate{wildcard, ca.Cert}, "mx.example.com", Verdict{Match, taCA, 1, ""}},
		{"DANE-TA wildcard one label only", []Record{taCA}, []*x509.Certificate{wildcard, ca.Cert}, "a.mx.example.com",
			Verdict{Mismatch, Record{}, 1, byIssuer + "the certificate is for *.example.com, not a.mx.example.com"}},
		{"DANE-TA wrong name", []Record{taCA}, []*x509.Certificate{otherName, ca.Cert}, "mx.example.com",
			Verdict{Mismatch, Record{}, 1, byIssuer + "the certificate is for mail.other.example, not mx.example.com"}},
		{"DANE-TA expired", []Record{taCA}, []*x509.Certificate{expired, ca.Cert}, "mx.example.com",
			Verdict{Mismatch, Record{}, 1, byIssuer + "the certificate expired on " + day(expired.NotAfter)}},
		{"DANE-TA not yet valid", []Record{taCA}, []*x509.Certificate{notYet, ca.Cert}, "mx.example.com",
			Verdict{Mismatch, Record{}, 1, byIssuer + "the certificate is not valid before " + day(notYet.NotBefore)}},
		{"DANE-TA wrong name and expired", []Record{taCA}, []*x509.Certificate{badAndExpired, ca.Cert}, "mx.example.com",
			Verdict{Mismatch, Record{}, 1, byIssuer + "the certificate is for mail.other.example, not mx.example.com, and the certificate expired on " + day(badAndExpired.NotAfter)}},
		{"DANE-TA of a CA not sent", []Record{taCA}, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Mismatch, Record{}, 1, noAnchor}},
		{"DANE-TA of another CA", []Record{taOther}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Mismatch, Record{}, 1, noAnchor}},
		{"DANE-TA of a CA sent that did not issue the leaf", []Record{taCA}, []*x509.Certificate{foreign, ca.Cert}, "mx.example.com",
			Verdict{Mismatch, Record{}, 1, "the DANE-TA record " + taCA.Short() + " matches a certificate the server sent, but the server's certificate does not chain to it through the certificates the server sent"}},
		{"DANE-TA of the leaf itself", []Record{record(2, 1, 1, leaf)}, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Match, record(2, 1, 1, leaf), 1, ""}},
		{"DANE-TA of the leaf itself, wrong name", []Record{record(2, 1, 1, otherName)}, []*x509.Certificate{otherName}, "mx.example.com",
			Verdict{Mismatch, Record{}, 1, "the DANE-TA record " + record(2, 1, 1, otherName).Short() + " matches the server's own certificate, but the certificate is for mail.other.example, not mx.example.com"}},
		{"DANE-TA failure over no match", []Record{eeSPKI, taCA}, []*x509.Certificate{otherName, ca.Cert}, "mx.example.com",
			Verdict{Mismatch, Record{}, 2, byIssuer + "the certificate is for mail.other.example, not mx.example.com"}},
		{"DANE-EE match over DANE-TA failure", []Record{taCA, record(3, 1, 1, otherName)}, []*x509.Certificate{otherName, ca.Cert}, "mx.example.com",
			Verdict{Match, record(3, 1, 1, otherName), 2, ""}},
		{"one of two matches", []Record{record(3, 1, 1, otherName), eeSPKI}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com", Verdict{Match, eeSPKI, 2, ""}},
		{"only PKIX usages", []Record{record(0, 0, 1, ca.Cert), record(1, 1, 1, leaf)}, []*x509.Certificate{leaf, ca.Cert}, "mx.example.com",
			Verdict{Unusable, Record{}, 0, "the records use PKIX-TA/PKIX-EE, which SMTP clients treat as unusable (RFC 7672 §3.1.3)"}},
		{"unknown selector", []Record{{3, 2, 1, eeSPKI.Data}}, []*x509.Certificate{leaf}, "mx.example.com",
			Verdict{Unusable, Record{}, 0, "the record " + Record{3, 2, 1, eeSPKI.Data}.Short() + " has an unknown selector 2"}},
		{"unknown matching type", []Record{{3, 1, 3, eeSPKI.Data}}, []*x509.Certificate{leaf}, "mx.example.com",
			Verdict{Unusable, Record{}, 0, "the record " + Record{3, 1, 3, eeSPKI.Data}.Short() + " has an unknown matching type 3"}},
		{"31 bytes of SHA2-256", []Record{{3, 1, 1, eeSPKI.Data[:31]}}, []*x509.Certificate{leaf}, "mx.example.com",
			Verdict{Unusable, Record{}, 0, "the record " + eeSPKI.Short() + " has 31 bytes of SHA2-256 data, not 32"}},
		{"unusable and usable", []Record{{3, 1, 1, eeSPKI.Data[:31]}, {3, 2, 1, eeSPKI.Data}, {1, 1, 1, eeSPKI.Data}, eeSPKI}, []*x509.Certificate{leaf}, "mx.example.com",
			Verdict{Match, eeSPKI, 1, ""}},
		{"no records", nil, []*x509.Certificate{leaf}, "mx.example.com", Verdict{Unusable, Record{}, 0, "there are no TLSA records"}},
		{"empty chain", []Record{eeSPKI, {1, 1, 1, eeSPKI.Data}}, nil, "mx.example.com", Verdict{Mismatch, Record{}, 1, "the server sent no certificate"}},
		{"nil certificate", []Record{eeSPKI}, []*x509.Certificate{nil}, "mx.example.com", Verdict{Mismatch, Record{}, 1, "the server sent no certificate"}},
		{"host in upper case with a trailing dot", []Record{taCA}, []*x509.Certificate{leaf, ca.Cert}, "MX.Example.COM.", Verdict{Match, taCA, 1, ""}},
		{"name check reports the host as given, in lower case", []Record{taCA}, []*x509.Certificate{otherName, ca.Cert}, "MX.Example.COM.",
			Verdict{Mismatch, Record{}, 1, byIssuer + "the certificate is for mail.other.example, not mx.example.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Verify(tc.records, tc.chain, tc.host, now)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Verify(%v, %d certificates, %q) mismatch (-want +got):\n%s", tc.records, len(tc.chain), tc.host, diff)
			}
		})
	}
}

// TestTestdata holds each record of testdata/tlsa.txt to the outcome it
// stands under there, so that the fuzz seeds cover every outcome.
func TestTestdata(t *testing.T) {
	t.Parallel()
	chain := readChain(t)
	seen := map[string]bool{}
	for _, s := range readSeeds(t) {
		got := Verify([]Record{s.record}, chain, "mx.example.com", fixedNow)
		if got.Outcome.String() != s.outcome {
			t.Errorf("testdata/tlsa.txt:%d: %s: outcome %v (%s), want %s", s.line, s.record, got.Outcome, got.Reason, s.outcome)
		}
		seen[s.outcome] = true
	}
	if diff := cmp.Diff(map[string]bool{"match": true, "mismatch": true, "unusable": true}, seen); diff != "" {
		t.Errorf("testdata/tlsa.txt outcomes (-want +got):\n%s", diff)
	}
}
