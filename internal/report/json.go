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

// jsonDomain is a domain entry. Its window is in "window" in every
// command's document; with Result.InlineWindow its fields are also
// inlined in the entry, as stsgate reports wrote them before "window" was
// added there (schema 1 keeps both).
type jsonDomain struct {
	Domain
	jsonWindow
	// Placed shadows Domain.Window: the window with its lists streamed.
	Placed *jsonWindow `json:"window,omitempty"`
}

// jsonWindow is a window whose failure lists, which can hold tens of
// thousands of rows, are shadowed by fields holding placeholders for them
// (see indenter).
type jsonWindow struct {
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
		if d.Window != nil {
			placed := out.window(d.Window)
			jd.Placed = &placed
		}
		if r.InlineWindow && d.Window != nil {
			jd.jsonWindow = out.window(d.Window)
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

// window is w with placeholders for its failure lists.
func (x *indenter) window(w *tlsrpt.Window) jsonWindow {
	return jsonWindow{Window: w,
		Failures:      x.list(w.Failures, false),
		Ignored:       x.list(w.Ignored, false),
		OtherPolicies: x.list(w.OtherPolicies, true),
	}
}
