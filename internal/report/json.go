package report

import (
	"encoding/json"
	"io"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

type jsonDocument struct {
	SchemaVersion int              `json:"schema_version"`
	Verdict       Verdict          `json:"verdict"`
	Domains       []jsonDomain     `json:"domains"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

// jsonDomain is a domain entry; an embedded window is inlined. The
// window's failure lists, which can hold tens of thousands of rows, are
// shadowed by fields holding placeholders for them (see indenter).
type jsonDomain struct {
	Domain
	*tlsrpt.Window
	Failures      json.RawMessage `json:"failures,omitempty"`
	Ignored       json.RawMessage `json:"ignored,omitempty"`
	OtherPolicies json.RawMessage `json:"other_policies,omitempty"`
}

type jsonDiagnostic struct {
	Code      diag.Code     `json:"code"`
	Severity  diag.Severity `json:"severity"`
	Domain    string        `json:"domain,omitempty"`
	File      string        `json:"file,omitempty"`
	Line      int           `json:"line,omitempty"`
	Column    int           `json:"column,omitempty"`
	EndLine   int           `json:"end_line,omitempty"`
	EndColumn int           `json:"end_column,omitempty"`
	Subject   string        `json:"subject,omitempty"`
	Message   string        `json:"message"`
	Hint      string        `json:"hint,omitempty"`
	Ref       string        `json:"ref,omitempty"`
}

// WriteJSON writes r as the JSON document of DESIGN §1.7, indented, with
// diagnostics in stable order. Its strings are escaped by appendSafeJSON.
func WriteJSON(w io.Writer, r Result) error {
	r = bounded(r)
	doc := jsonDocument{
		SchemaVersion: SchemaVersion,
		Verdict:       r.Verdict,
		Domains:       []jsonDomain{},
		Diagnostics:   []jsonDiagnostic{},
	}
	out := newIndenter(w)
	for _, d := range r.Domains {
		jd := jsonDomain{Domain: d}
		if r.InlineWindow && d.Window != nil {
			jd.Window, jd.Domain.Window = d.Window, nil
			jd.Failures = out.list(d.Window.Failures, false)
			jd.Ignored = out.list(d.Window.Ignored, false)
			jd.OtherPolicies = out.list(d.Window.OtherPolicies, true)
		}
		doc.Domains = append(doc.Domains, jd)
	}
	diags := append(diag.List(nil), r.Diagnostics...)
	diags.Sort()
	for _, d := range diags {
		doc.Diagnostics = append(doc.Diagnostics, jsonDiagnostic{
			Code: d.Code, Severity: d.Severity, Domain: d.Domain, File: d.File,
			Line: d.Start.Line, Column: d.Start.Column, EndLine: d.End.Line, EndColumn: d.End.Column,
			Subject: d.Subject, Message: d.Message, Hint: d.Hint, Ref: d.Ref,
		})
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	out.value(append(b, '\n'))
	return out.flush()
}
