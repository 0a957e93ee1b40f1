package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func sample() Result {
	pos := func(l, c int) diag.Pos { return diag.Pos{Line: l, Column: c} }
	dup := diag.New(diag.PolicyModeDuplicate, "mode is given again (first on line 2)", "keep one mode line").At(pos(3, 1), pos(3, 14))
	dup.File, dup.Domain = ".well-known/mta-sts.txt", "example.com"
	missing := diag.New(diag.TLSRPTRecordMissing, "there is no v=TLSRPTv1 record", "publish one")
	missing.File, missing.Domain = "dns/example.com.zone", "example.com"
	undeclared := diag.New(diag.DNSUndeclared, "no DNS declared", "")
	undeclared.Domain = "example.org"
	subject := diag.New(diag.STSRecordUnrelated, "unrelated TXT", "move it")
	subject.Subject, subject.Domain = "TXT _mta-sts.example.org", "example.org"
	return Result{
		Verdict: Fail,
		Domains: []Domain{
			{Domain: "example.com", Mode: "testing", ID: "20261101T000000", MX: []string{"mx1.example.com"}, TLSRPT: []string{"mailto:r@example.net"}},
			{Domain: "example.org"},
		},
		Diagnostics: diag.List{undeclared, missing, subject, dup},
	}
}

func TestWriters(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer, Result) error{
		"sample.txt":  func(b *bytes.Buffer, r Result) error { return WriteText(b, r) },
		"sample.json": func(b *bytes.Buffer, r Result) error { return WriteJSON(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b, sample()); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, b.Bytes()) {
			t.Errorf("%s mismatch; got:\n%s", name, b.String())
		}
	}
}

// TestJSONSchema checks the fields DESIGN §1.7 promises scripts.
func TestJSONSchema(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int    `json:"schema_version"`
		Verdict       string `json:"verdict"`
		Domains       []struct {
			Domain, Mode, ID string
		} `json:"domains"`
		Diagnostics []map[string]any `json:"diagnostics"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != SchemaVersion || doc.Verdict != "fail" || len(doc.Domains) != 2 || doc.Domains[0].ID != "20261101T000000" {
		t.Errorf("document = %+v", doc)
	}
	first := doc.Diagnostics[0]
	for _, key := range []string{"code", "severity", "domain", "file", "line", "column", "end_line", "end_column", "message", "hint", "ref"} {
		if _, ok := first[key]; !ok {
			t.Errorf("first diagnostic lacks %q: %v", key, first)
		}
	}
}

func TestVerdictFor(t *testing.T) {
	warn := diag.List{diag.New(diag.PolicyMXWildcard, "m", "h")}
	if VerdictFor(warn, diag.Error) != Pass || VerdictFor(warn, diag.Warning) != Fail || VerdictFor(nil, diag.Warning) != Pass {
		t.Error("VerdictFor does not compare against fail_on")
	}
}
