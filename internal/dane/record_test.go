package dane

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRecordString(t *testing.T) {
	t.Parallel()
	data := []byte{0xa1, 0xb2, 0xc3, 0xd4, 0xe5}
	tests := []struct {
		r           Record
		full, short string
	}{
		{Record{3, 1, 1, data}, "3 1 1 a1b2c3d4e5", "3 1 1 a1b2c3d4…"},
		{Record{2, 0, 2, data[:4]}, "2 0 2 a1b2c3d4", "2 0 2 a1b2c3d4"},
		{Record{255, 255, 255, []byte{0x0f}}, "255 255 255 0f", "255 255 255 0f"},
		{Record{3, 1, 1, nil}, "3 1 1", "3 1 1"},
	}
	for _, tc := range tests {
		if got := tc.r.String(); got != tc.full {
			t.Errorf("Record%v.String() = %q, want %q", []any{tc.r.Usage, tc.r.Selector, tc.r.MatchingType}, got, tc.full)
		}
		if got := tc.r.Short(); got != tc.short {
			t.Errorf("Record%v.Short() = %q, want %q", []any{tc.r.Usage, tc.r.Selector, tc.r.MatchingType}, got, tc.short)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	t.Parallel()
	got := []string{Unusable.String(), Match.String(), Mismatch.String(), Outcome(7).String()}
	if diff := cmp.Diff([]string{"unusable", "match", "mismatch", "Outcome(7)"}, got); diff != "" {
		t.Errorf("Outcome.String mismatch (-want +got):\n%s", diff)
	}
}

// TestUnusable covers every reason a record is unusable, and how the
// reasons of several records are put together.
func TestUnusable(t *testing.T) {
	t.Parallel()
	sha256 := bytes.Repeat([]byte{0xab}, 32)
	short := Record{3, 1, 1, sha256[:31]}.Short()
	tests := []struct {
		name    string
		records []Record
		want    string
	}{
		{"PKIX-EE", []Record{{1, 1, 1, sha256}}, "the record uses PKIX-EE, which SMTP clients treat as unusable (RFC 7672 §3.1.3)"},
		{"two PKIX-TA", []Record{{0, 1, 1, sha256}, {0, 0, 1, sha256}}, "the records use PKIX-TA, which SMTP clients treat as unusable (RFC 7672 §3.1.3)"},
		{"PKIX-EE before PKIX-TA", []Record{{1, 1, 1, sha256}, {0, 0, 1, sha256}}, "the records use PKIX-TA/PKIX-EE, which SMTP clients treat as unusable (RFC 7672 §3.1.3)"},
		{"unknown usage", []Record{{4, 1, 1, sha256}}, "the record 4 1 1 abababab… has an unknown usage 4"},
		{"unknown selector", []Record{{2, 2, 1, sha256}}, "the record 2 2 1 abababab… has an unknown selector 2"},
		{"unknown matching type", []Record{{3, 1, 255, sha256}}, "the record 3 1 255 abababab… has an unknown matching type 255"},
		{"short SHA2-256", []Record{{3, 1, 1, sha256[:31]}}, "the record " + short + " has 31 bytes of SHA2-256 data, not 32"},
		{"SHA2-256 length for SHA2-512", []Record{{3, 1, 2, sha256}}, "the record 3 1 2 abababab… has 32 bytes of SHA2-512 data, not 64"},
		{"empty SHA2-256", []Record{{3, 1, 1, nil}}, "the record 3 1 1 has 0 bytes of SHA2-256 data, not 32"},
		{"full data not a certificate", []Record{{3, 0, 0, sha256}}, "the record 3 0 0 abababab… has full data that is not a DER certificate"},
		{"full data not a key", []Record{{2, 1, 0, []byte{0x30, 0x00}}}, "the record 2 1 0 3000 has full data that is not a DER SubjectPublicKeyInfo"},
		{"full data with trailing bytes", []Record{{2, 1, 0, []byte{0x30, 0x03, 0x02, 0x01, 0x00, 0x00}}}, "the record 2 1 0 30030201… has full data that is not a DER SubjectPublicKeyInfo"},
		{"PKIX and others", []Record{{1, 1, 1, sha256}, {3, 1, 1, sha256[:31]}, {1, 0, 1, sha256}},
			"2 records use PKIX-EE, which SMTP clients treat as unusable (RFC 7672 §3.1.3); the record " + short + " has 31 bytes of SHA2-256 data, not 32"},
		{"one PKIX and others", []Record{{0, 1, 1, sha256}, {3, 1, 1, sha256[:31]}},
			"1 record uses PKIX-TA, which SMTP clients treat as unusable (RFC 7672 §3.1.3); the record " + short + " has 31 bytes of SHA2-256 data, not 32"},
		{"the same problem once", []Record{{3, 1, 1, sha256[:31]}, {3, 1, 1, sha256[:31]}}, "the record " + short + " has 31 bytes of SHA2-256 data, not 32"},
		{"at most three others", []Record{{4, 1, 1, sha256}, {5, 1, 1, sha256}, {6, 1, 1, sha256}, {7, 1, 1, sha256}, {8, 1, 1, sha256}},
			"the record 4 1 1 abababab… has an unknown usage 4; the record 5 1 1 abababab… has an unknown usage 5; the record 6 1 1 abababab… has an unknown usage 6; and 2 more"},
	}
	for _, tc := range tests {
		got := Verify(tc.records, nil, "mx.example.com", fixedNow)
		want := Verdict{Outcome: Unusable, Reason: tc.want}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Verify mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestQuote checks that names from a certificate reach a message only as
// printable ASCII.
func TestQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"mx.example.com":  "mx.example.com",
		"*.example.com":   "*.example.com",
		"":                `""`,
		"mx\x1b[31m.evil": `"mx\x1b[31m.evil"`,
		"mx\u202e.evil":   `"mx\u202e.evil"`,
		"bücher.example":  `"b\u00fccher.example"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
		if strings.ContainsFunc(quote(in), func(r rune) bool { return r < ' ' || r > '~' }) {
			t.Errorf("quote(%q) = %q is not printable ASCII", in, quote(in))
		}
	}
}
