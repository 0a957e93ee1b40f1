package tlsrpt

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// FuzzParseRecord checks, for any text: no panic; non-TLS-RPT text gives
// neither a record nor diagnostics; every diagnostic is in the catalog
// and lies on line 1 inside the text; a record is returned exactly when
// there is no error; and a valid record's destinations survive rendering
// them back into a record.
func FuzzParseRecord(f *testing.F) {
	for _, tc := range recordCases() {
		f.Add(tc.txt)
	}
	for _, tc := range setCases() {
		for _, txt := range tc.texts {
			f.Add(txt)
		}
	}
	f.Fuzz(func(t *testing.T, txt string) {
		rec, isTLSRPT, diags := ParseRecord(txt)
		if !isTLSRPT && (rec != nil || len(diags) > 0) {
			t.Fatalf("ParseRecord(%q): not TLS-RPT but record %v, diagnostics %v", txt, rec, diags)
		}
		checkPositions(t, txt, diags)
		if (rec == nil) != (isTLSRPT && diags.Max() >= diag.Error || !isTLSRPT) {
			t.Fatalf("ParseRecord(%q): record %v with highest severity %v", txt, rec, diags.Max())
		}
		if rec == nil {
			return
		}
		again := "v=TLSRPTv1; rua=" + strings.Join(rec.RUA, ",")
		rec2, _, diags2 := ParseRecord(again)
		if rec2 == nil {
			t.Fatalf("ParseRecord(%q) valid, but the rendered %q is not: %v", txt, again, diags2)
		}
		if diff := cmp.Diff(rec.RUA, rec2.RUA); diff != "" {
			t.Fatalf("ParseRecord(%q) RUA changed after rendering as %q (-first +second):\n%s", txt, again, diff)
		}
	})
}

func checkPositions(t *testing.T, txt string, diags diag.List) {
	t.Helper()
	for _, d := range diags {
		if _, ok := diag.Lookup(d.Code); !ok {
			t.Fatalf("ParseRecord(%q): code %q not in the catalog", txt, d.Code)
		}
		if d.Start.Line != 1 || d.End.Line != 1 {
			t.Fatalf("ParseRecord(%q): %s not on line 1: %v-%v", txt, d.Code, d.Start, d.End)
		}
		if d.Start.Column < 1 || d.Start.Column > len(txt)+1 || d.End.Column < d.Start.Column || d.End.Column > len(txt)+1 {
			t.Fatalf("ParseRecord(%q): %s span %d-%d outside 1..%d", txt, d.Code, d.Start.Column, d.End.Column, len(txt)+1)
		}
	}
}
