package tlsrpt

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/txtfield"
)

// Record is a parsed _smtp._tls TXT record (RFC 8460 §3).
type Record struct {
	RUA        []string // report destinations, in record order, as written
	Extensions []Extension
}

// Extension is a key/value pair the specification does not define.
type Extension struct {
	Name  string
	Value string
}

// rptKind is the _smtp._tls record for the shared TXT grammar.
var rptKind = txtfield.Kind{
	Owner:   "_smtp._tls",
	Version: "TLSRPTv1",
	Loss:    "send no TLS reports",
	Example: "v=TLSRPTv1; rua=mailto:<mailbox>",
	Codes: txtfield.Codes{
		Syntax: diag.TLSRPTRecordSyntax, SpaceBeforeDelim: diag.TLSRPTRecordSpaceBeforeSemi,
		VersionInvalid: diag.TLSRPTRecordVersionInvalid, Extension: diag.TLSRPTRecordExtension,
		ExtensionInvalid: diag.TLSRPTRecordExtensionInvalid, Unrelated: diag.TLSRPTRecordUnrelated,
		Missing: diag.TLSRPTRecordMissing, Multiple: diag.TLSRPTRecordMultiple,
	},
}

// ParseRecord parses the text of one TXT record found at
// _smtp._tls.<domain>, its character-strings already joined without
// spaces (RFC 8460 §3). isTLSRPT reports whether the text is meant as a
// TLS-RPT record at all; when it is false the record is someone else's and
// the diagnostics are empty. rec is nil when the record has errors that
// make senders discard it. Positions are on line 1, columns into txt.
func ParseRecord(txt string) (rec *Record, isTLSRPT bool, diags diag.List) {
	fields, problems := txtfield.Split(txt)
	if !rptKind.Looks(fields) {
		return nil, false, nil
	}
	p := recordParser{Checker: txtfield.Checker{Kind: &rptKind, Text: txt}}
	p.ASCII()
	p.Delimiters(problems)
	if p.Version(fields[0]) {
		p.fields(fields[1:])
	}
	if p.Diags.Max() >= diag.Error {
		return nil, true, p.Diags
	}
	return &p.rec, true, p.Diags
}

type recordParser struct {
	txtfield.Checker
	rec      Record
	seenRUA  bool   // a rua= field was seen
	ruaSpans []span // positions of the destinations in rec.RUA
}

// span is a 0-based byte range [start, end) of the record text.
type span struct{ start, end int }

func (p *recordParser) fields(fields []txtfield.Field) {
	for _, f := range fields {
		switch {
		case !f.HasEquals:
			p.NoEquals(f)
		case f.Name == "rua":
			p.rua(f)
		default:
			p.extension(f)
		}
	}
	if !p.seenRUA {
		// RFC 8460 §3: rua is required.
		p.Add(diag.TLSRPTRUAMissing, 0, len(p.Text),
			"the record has no rua=; senders have nowhere to send reports and discard it",
			"add a destination such as rua=mailto:tlsrpt@example.net or rua=https://reports.example.net/tlsrpt")
	}
	p.checkMultiple()
}

// extension checks an extension field. "RUA=" is grammatical as an
// extension, but field names are case-sensitive (%s"rua=" in the ABNF):
// it is a misspelt rua, not an extension.
func (p *recordParser) extension(f txtfield.Field) {
	if strings.EqualFold(f.Name, "rua") && txtfield.ValidValue(f.Value) {
		p.Diags.Add(txtfield.At(diag.New(diag.TLSRPTRecordExtension,
			fmt.Sprintf("field %s is not rua= (field names are case-sensitive), so senders ignore it as an unknown extension", diag.Excerpt(f.Name)),
			`write the field name in lower case: "rua="`), f.Start, f.End).As(diag.Warning))
		p.rec.Extensions = append(p.rec.Extensions, Extension{f.Name, f.Value})
		return
	}
	if p.Extension(f) {
		p.rec.Extensions = append(p.rec.Extensions, Extension{f.Name, f.Value})
	}
}
