package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

func TestWriteIndented(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `{"a":[]}`, `{"a":{},"b":[1,2,{"c":null}]}`, `"x"`, `17`,
		`{"a\"b:{[,":"c\\\\","d":"\u003c{}\u003e"}`, `[[[]],[{}],""]`,
		`["a\\\"b]","\\",{"\\\\":""}]`,
	} {
		want := indentWithStdlib(t, []byte(in))
		if got := indented(t, []byte(in)); !bytes.Equal(got, want) {
			t.Errorf("writeIndented(%s) =\n%s\nwant\n%s", in, got, want)
		}
	}
}

// FuzzWriteIndented holds writeIndented to json.Indent on every valid
// JSON value, compacted as json.Marshal would leave it.
func FuzzWriteIndented(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c\"]"}],"d":{}}`))
	if b, err := os.ReadFile(filepath.Join("testdata", "sample.json")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, in) != nil {
			return
		}
		want := indentWithStdlib(t, compact.Bytes())
		if got := indented(t, compact.Bytes()); !bytes.Equal(got, want) {
			t.Fatalf("writeIndented(%q) =\n%q\nwant\n%q", compact.Bytes(), got, want)
		}
	})
}

func indented(t *testing.T, compact []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeIndented(&b, compact); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func indentWithStdlib(t *testing.T, compact []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkWriteJSON writes the JSON document of a window with 30,000
// failure groups, as a 100,000-report run of scripts/perf-reports.sh
// gives.
func BenchmarkWriteJSON(b *testing.B) {
	w := &tlsrpt.Window{Reasons: []string{}, Ignored: []tlsrpt.Failure{}}
	for i := range 30000 {
		w.Failures = append(w.Failures, tlsrpt.Failure{
			ResultType: "certificate-expired", Org: "Example Mail Inc.", SendingIP: fmt.Sprintf("203.0.%d.%d", i/250, i%250),
			MX: "mx1.example.com", Sessions: int64(i), Class: "unknown-sender", Blocking: true, FirstDay: "2026-10-01", LastDay: "2026-10-02",
		})
	}
	r := Result{InlineWindow: true, Domains: []Domain{{Domain: "example.com", Window: w}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
