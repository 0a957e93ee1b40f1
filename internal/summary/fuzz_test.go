package summary

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// FuzzDecode checks that parseDocument reads what encoding/json reads,
// that Decode never panics, gives at most one
// diagnostic and, for a document it accepts, that folding its reports
// renders a document that decodes to as many reports and renders again
// to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, pattern := range []string{"testdata/*.json", "testdata/invalid/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	// A key given twice: encoding/json decodes the second list of
	// objects into the first's.
	f.Add([]byte(`{"schema_version":1,"kind":"stsgate-tlsrpt-summary","domain":"a.b","month":"2026-11",` +
		`"days":[{"date":"2026-11-01","orgs":[{"org":"x","reports":[]}]}],"days":[{"date":"2026-11-02"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if doc, ok := parseDocument(data); ok {
			var want Document
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("parseDocument read what encoding/json rejects: %v", err)
			}
			if diff := cmp.Diff(want, doc, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("parseDocument and encoding/json disagree (-json +parseDocument):\n%s", diff)
			}
		}
		var reps []tlsrpt.Report
		dl := Decode("fuzz.json", data, tlsrpt.Limits{}, func(r tlsrpt.Report) { reps = append(reps, r) })
		var notes diag.List // the DKIM verdicts of reports read
		dl = slices.DeleteFunc(dl, func(d diag.Diagnostic) bool {
			dkim := d.Code == diag.ReportDKIMFailed || d.Code == diag.ReportDKIMUnverified
			if dkim {
				notes.Add(d)
			}
			return dkim
		})
		if len(notes) > 2 || len(notes) > 0 && len(reps) == 0 {
			t.Fatalf("Decode gave %d DKIM notes for %d reports; want at most one per verdict, and reports", len(notes), len(reps))
		}
		if len(dl) > 1 || (len(dl) == 1 && len(reps) > 0) {
			t.Fatalf("Decode gave %d diagnostics and %d reports; want one diagnostic or reports", len(dl), len(reps))
		}
		if len(dl) > 0 {
			return
		}
		var s Set
		id, dl := s.Load("fuzz.json", data, tlsrpt.Limits{})
		if len(dl) > 0 {
			t.Fatalf("Load rejected what Decode read: %v", dl)
		}
		once := s.Render(id)
		var again Set
		if _, dl := again.Load("once.json", once, tlsrpt.Limits{}); len(dl) > 0 {
			t.Fatalf("the rendered document does not decode: %v\n%s", dl, once)
		}
		if twice := again.Render(id); !bytes.Equal(once, twice) {
			t.Fatalf("rendering is not stable:\n%s\n---\n%s", once, twice)
		}
	})
}
