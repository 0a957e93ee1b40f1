package policy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
)

func FuzzParse(f *testing.F) {
	for _, tc := range append(policyVectors, moreCases...) {
		f.Add([]byte(tc.in))
	}
	files, _ := filepath.Glob("testdata/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, diags := Parse(body)
		checkPositions(t, string(body), diags)
		if diags.Max() == diag.Error {
			return
		}
		// A policy without errors formats to text that parses to an
		// equal policy, again without errors.
		again, diags2 := Parse([]byte(p.Format()))
		if diags2.Max() == diag.Error {
			t.Fatalf("Format() of %q = %q does not parse: %v", body, p.Format(), diags2)
		}
		if !Equal(p, again) {
			t.Fatalf("Format() round trip of %q changed the policy: %v -> %v", body, p, again)
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	for _, tc := range recordVectors {
		for _, r := range tc.rrset {
			f.Add(r)
		}
	}
	f.Fuzz(func(t *testing.T, txt string) {
		rec, isSTS, diags := ParseRecord(txt)
		checkRecordPositions(t, txt, diags)
		if !isSTS && (rec != nil || len(diags) > 0) {
			t.Fatalf("ParseRecord(%q): not STS but rec=%v diags=%v", txt, rec, diags)
		}
		if rec != nil && diags.Max() == diag.Error {
			t.Fatalf("ParseRecord(%q) returned a record with errors: %v", txt, diags)
		}
		if rec == nil {
			return
		}
		again, _, diags2 := ParseRecord("v=STSv1; id=" + rec.ID)
		if again == nil || again.ID != rec.ID || diags2.Max() == diag.Error {
			t.Fatalf("id %q of %q does not round-trip: %v", rec.ID, txt, diags2)
		}
	})
}

// checkRecordPositions asserts that every diagnostic lies inside the
// one-line record text.
func checkRecordPositions(t *testing.T, txt string, diags diag.List) {
	t.Helper()
	for _, d := range diags {
		for _, p := range []diag.Pos{d.Start, d.End} {
			if p.Line != 1 || p.Column < 1 || p.Column > len(txt)+1 {
				t.Errorf("%s: position %d:%d outside the record of %d bytes", d, p.Line, p.Column, len(txt))
			}
		}
	}
}
