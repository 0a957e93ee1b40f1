package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
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
// JSON value, compacted as json.Marshal would leave it, and made safe as
// jsonSafe does.
func FuzzWriteIndented(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c\"]"}],"d":{}}`))
	f.Add([]byte("[\"##[add-mask]x\",\"\x7f\u0085\u202e\",\"###[[\"]"))
	if b, err := os.ReadFile(filepath.Join("testdata", "sample.json")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, in) != nil {
			return
		}
		want := jsonSafe(indentWithStdlib(t, compact.Bytes()))
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

// TestWriteJSONRows checks the document written with the failure lists
// streamed row by row against the one encoding/json writes for it.
func TestWriteJSONRows(t *testing.T) {
	t.Parallel()
	row := func(rt, org string) tlsrpt.Failure {
		return tlsrpt.Failure{ResultType: rt, Org: org, SendingIP: "192.0.2.1", MX: "mx.example.com", Sessions: 3, Class: "ours", Blocking: true, FirstDay: "2026-11-01", LastDay: "2026-11-02"}
	}
	full := &tlsrpt.Window{
		Reasons: []string{"streak-short"}, Days: []tlsrpt.Day{{Date: "2026-11-01", Reports: 1}},
		Failures: []tlsrpt.Failure{row("certificate-expired", "<Org> & \u2028 \"quoted\" -0e-1000000000"), row("sts-policy-invalid", "")},
		Ignored: []tlsrpt.Failure{{ResultType: "validation-failure", Reason: "known \\ exotic ##[add-mask]x"},
			{ResultType: "x\x00\x1f\x7f", Org: "caf\u00e9 \xff\xfe \u0085\u202e\u2069", SendingIP: "2001:db8::1", Sessions: -1, Reason: "\t\n"}},
		OtherPolicies: []tlsrpt.Failure{{ResultType: "other-policy", Reason: "policy-string names mx a b"}},
	}
	for _, r := range []Result{
		{InlineWindow: true, Domains: []Domain{{Domain: "a.example", Window: full}, {Domain: "b.example", Window: &tlsrpt.Window{Failures: []tlsrpt.Failure{}}}, {Domain: "c.example", Window: &tlsrpt.Window{}}, {Domain: "d.example"}}},
		{Domains: []Domain{{Domain: "a.example", Window: full}}},
		{Diagnostics: diag.List{diag.New(diag.ReportUnreadable, "-0e-1000000000 in a message", "")}},
	} {
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		want := jsonSafe(indentWithStdlib(t, stdlibDocument(t, r)))
		if !bytes.Equal(got.Bytes(), append(want, '\n')) {
			t.Errorf("WriteJSON =\n%s\nwant\n%s", got.Bytes(), want)
		}
	}
}

// TestAppendFailureFields fails when tlsrpt.Failure changes: then
// appendFailure, which writes its fields by hand, must change with it.
func TestAppendFailureFields(t *testing.T) {
	var names []string
	ft := reflect.TypeFor[tlsrpt.Failure]()
	for i := range ft.NumField() {
		names = append(names, ft.Field(i).Tag.Get("json"))
	}
	want := []string{"result_type", "org", "sending_ip,omitempty", "mx,omitempty", "sessions", "class", "blocking", "first_day", "last_day", "reason,omitempty"}
	if !slices.Equal(names, want) {
		t.Errorf("tlsrpt.Failure has the fields %q; appendFailure writes %q", names, want)
	}
}

// stdlibDocument is the document of r as encoding/json marshals it,
// with the window's own failure lists; the diagnostics as WriteJSON
// writes them without the domains.
func stdlibDocument(t *testing.T, r Result) []byte {
	t.Helper()
	type plainDomain struct {
		Domain
		*tlsrpt.Window
		Placed *tlsrpt.Window `json:"window,omitempty"`
	}
	doc := struct {
		SchemaVersion int             `json:"schema_version"`
		Verdict       Verdict         `json:"verdict"`
		Domains       []plainDomain   `json:"domains"`
		Diagnostics   json.RawMessage `json:"diagnostics"`
	}{SchemaVersion: SchemaVersion, Verdict: r.Verdict, Domains: []plainDomain{}}
	var b bytes.Buffer
	if err := WriteJSON(&b, Result{Verdict: r.Verdict, Diagnostics: r.Diagnostics}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	doc.Domains = []plainDomain{}
	for _, d := range r.Domains {
		pd := plainDomain{Domain: d}
		// The window in its place, after the entry's other fields, and
		// with InlineWindow its fields in the entry too (schema 1 of
		// stsgate reports).
		pd.Placed, pd.Domain.Window = d.Window, nil
		if r.InlineWindow {
			pd.Window = d.Window
		}
		doc.Domains = append(doc.Domains, pd)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonSafe is what appendSafeJSON should make of encoding/json's output,
// written another way: DEL, the C1 controls, the bidirectional controls
// and the "[" of "##[" as \u escapes.
func jsonSafe(b []byte) []byte {
	pairs := []string{"##[", `##\u005b`}
	for _, span := range [][2]rune{{0x7f, 0x9f}, {0x061c, 0x061c}, {0x200e, 0x200f}, {0x2028, 0x2029}, {0x202a, 0x202e}, {0x2066, 0x2069}} {
		for r := span[0]; r <= span[1]; r++ {
			pairs = append(pairs, string(r), fmt.Sprintf(`\u%04x`, r))
		}
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(b)))
}

// FuzzAppendJSONString holds appendJSONString to encoding/json made safe
// by jsonSafe: the same string in JSON, with more of it escaped.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "mx1.example.com", "<&>", "\"\\", "\x00\x7f", "caf\u00e9", "\xff", "\u2028",
		"##[add-mask]x", "###[", "#[", "\u0085\u009b", "\u202e\u2066\u200f\u061c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		want = jsonSafe(want)
		got := appendJSONString([]byte("x"), s)
		if !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got[1:], want)
		}
		var back string
		if err := json.Unmarshal(got[1:], &back); err != nil || utf8.ValidString(s) && back != s {
			t.Errorf("appendJSONString(%q) = %s reads back as %q, %v", s, got[1:], back, err)
		}
		if bytes.Contains(got, []byte("##[")) || bytes.IndexFunc(got, markdown.Hidden) >= 0 {
			t.Errorf("appendJSONString(%q) = %q shows a command or a hidden character", s, got[1:])
		}
	})
}
