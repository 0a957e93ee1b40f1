package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type recordCase struct {
	name    string
	rrset   []string
	verdict string
	id      string   // the id senders use; "" when they see no record
	diags   []string // "record-index line:col severity code"; set-level as "set ..."
}

// recordVectors are the vectors of reference/mta-sts-and-tlsrpt.md §6.2.
// T3 (two character-strings) is a join done by the DNS layers; here the
// strings arrive joined. T17, T20 are live-only; T18 is a zone test.
var recordVectors = []recordCase{
	{"T1 RFC example", []string{"v=STSv1; id=20160831085700Z;"}, "valid", "20160831085700Z", nil},
	{"T2 no spaces", []string{"v=STSv1;id=20240101"}, "valid", "20240101", nil},
	{"T2 one-char id", []string{"v=STSv1; id=a"}, "valid", "a", nil},
	{"T3 joined strings", []string{"v=STSv1; id=" + "policy1;"}, "valid", "policy1", nil},
	{"T4 version only", []string{"v=STSv1"}, "error", "", []string{"0 1:1 error sts-record-id-missing"}},
	{"T4 version and delimiter", []string{"v=STSv1;"}, "error", "", []string{"0 1:1 error sts-record-id-missing"}},
	{"T4 extension only", []string{"v=STSv1; ext=1"}, "error", "", []string{"0 1:1 error sts-record-id-missing", "0 1:10 notice sts-record-extension"}},
	{"T5 empty id", []string{"v=STSv1; id="}, "error", "", []string{"0 1:13 error sts-record-id-invalid"}},
	{"T5 33-char id", []string{"v=STSv1; id=" + strings.Repeat("a", 33)}, "error", "", []string{"0 1:13 error sts-record-id-invalid"}},
	{"T5 id with dashes", []string{"v=STSv1; id=2016-08-31"}, "error", "", []string{"0 1:13 error sts-record-id-invalid"}},
	{"T5 id with underscore", []string{"v=STSv1; id=test_1"}, "error", "", []string{"0 1:13 error sts-record-id-invalid"}},
	{"T6 32-char id", []string{"v=STSv1; id=" + strings.Repeat("Z9", 16)}, "valid", strings.Repeat("Z9", 16), nil},
	{"T7 id first", []string{"id=abc; v=STSv1"}, "error", "", []string{"0 1:1 error sts-record-syntax"}},
	{"T8 capital V", []string{"V=STSv1; id=a"}, "error", "", []string{"0 1:1 error sts-record-version-invalid"}},
	{"T8 lower-case version", []string{"v=stsv1; id=a"}, "error", "", []string{"0 1:1 error sts-record-version-invalid"}},
	{"T8 STSv10", []string{"v=STSv10; id=a"}, "error", "", []string{"0 1:1 error sts-record-version-invalid"}},
	{"T9 space before delimiter", []string{"v=STSv1 ; id=a"}, "warning", "a", []string{"0 1:8 warning sts-record-space-before-delimiter"}},
	{"T10 double delimiter", []string{"v=STSv1; id=a;;"}, "error", "", []string{"0 1:15 error sts-record-syntax"}},
	{"T11 trailing space", []string{"v=STSv1; id=a "}, "error", "", []string{"0 1:14 error sts-record-syntax"}},
	{"T12 two ids", []string{"v=STSv1; id=a; id=b"}, "warning", "a", []string{"0 1:16 warning sts-record-id-duplicate"}},
	{"T13 extension", []string{"v=STSv1; id=a; foo=bar"}, "valid", "a", []string{"0 1:16 notice sts-record-extension"}},
	{"T13 empty extension value", []string{"v=STSv1; id=a; foo="}, "error", "", []string{"0 1:16 error sts-record-extension-invalid"}},
	{"T13 space in extension value", []string{"v=STSv1; id=a; foo=a b"}, "error", "", []string{"0 1:16 error sts-record-extension-invalid"}},
	{"T13 non-ASCII extension value", []string{"v=STSv1; id=a; note=café"}, "error", "", []string{"0 1:16 error sts-record-extension-invalid", "0 1:24 error sts-record-syntax"}},
	{"T14 two records", []string{"v=STSv1; id=1", "v=STSv1; id=2"}, "error", "", []string{"1 1:1 error sts-record-multiple"}},
	{"T15 unrelated record", []string{"v=STSv1; id=1", "google-site-verification=abc"}, "warning", "1", []string{"1 1:1 warning sts-record-unrelated"}},
	{"T16 only SPF", []string{"v=spf1 -all"}, "error", "", []string{"0 1:1 warning sts-record-unrelated", "set 0:0 error sts-record-missing"}},
	{"T16 empty RRset", nil, "error", "", []string{"set 0:0 error sts-record-missing"}},
	{"T19 zero-width space", []string{"v=STSv1; id=a\u200b"}, "error", "", []string{"0 1:13 error sts-record-id-invalid", "0 1:14 error sts-record-syntax"}},
	{"leading space", []string{" v=STSv1; id=a"}, "error", "", []string{"0 1:1 error sts-record-syntax"}},
	{"field without equals", []string{"v=STSv1; id=a; junk"}, "error", "", []string{"0 1:16 error sts-record-syntax"}},
	{"invalid first record, valid second", []string{"v=STSv1; id=", "v=STSv1; id=b"}, "error", "", []string{"0 1:13 error sts-record-id-invalid", "1 1:1 error sts-record-multiple"}},
}

func TestParseRecordSet(t *testing.T) {
	t.Parallel()
	for _, tc := range recordVectors {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := ParseRecordSet(tc.rrset)
			var got []string
			var all []string
			for i, l := range set.Records {
				l.Sort()
				for _, p := range project(l) {
					got = append(got, string(rune('0'+i))+" "+p)
				}
				all = append(all, project(l)...)
				checkRecordPositions(t, tc.rrset[i], l)
			}
			for _, p := range project(set.Set) {
				got = append(got, "set "+p)
			}
			if diff := cmp.Diff(tc.diags, got); diff != "" {
				t.Errorf("ParseRecordSet(%q) diagnostics mismatch (-want +got):\n%s", tc.rrset, diff)
			}
			id := ""
			if set.Record != nil {
				id = set.Record.ID
			}
			if id != tc.id {
				t.Errorf("ParseRecordSet(%q) id = %q, want %q", tc.rrset, id, tc.id)
			}
			var allDiags = append(set.Set, flatten(set.Records)...)
			if got := verdict(allDiags); got != tc.verdict {
				t.Errorf("ParseRecordSet(%q) verdict = %s, want %s", tc.rrset, got, tc.verdict)
			}
		})
	}
}
