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

// ParseRecord parses the text of one TXT record found at
// _smtp._tls.<domain>, its character-strings already joined without
// spaces (RFC 8460 §3). isTLSRPT reports whether the text is meant as a
// TLS-RPT record at all; when it is false the record is someone else's and
// the diagnostics are empty. rec is nil when the record has errors that
// make senders discard it. Positions are on line 1, columns into txt.
func ParseRecord(txt string) (rec *Record, isTLSRPT bool, diags diag.List) {
	fields, problems := txtfield.Split(txt)
	if !looksTLSRPT(fields) {
		return nil, false, nil
	}
	p := recordParser{txt: txt}
	p.checkASCII()
	p.checkDelimiters(problems)
	if p.checkVersion(fields[0]) {
		p.fields(fields[1:])
	}
	if p.diags.Max() >= diag.Error {
		return nil, true, p.diags
	}
	return &p.rec, true, p.diags
}

// looksTLSRPT reports whether a record is intended as TLS-RPT: any of its
// fields is v=TLSRPT... in any case. RFC 8460 §3 has senders discard
// records that do not begin with "v=TLSRPTv1;", so "v=tlsrptv1" or
// "rua=...; v=TLSRPTv1" are diagnosed as broken TLS-RPT records rather
// than ignored as unrelated TXT.
func looksTLSRPT(fields []txtfield.Field) bool {
	for _, f := range fields {
		if strings.EqualFold(f.Name, "v") && len(f.Value) >= 6 && strings.EqualFold(f.Value[:6], "tlsrpt") {
			return true
		}
	}
	return false
}

type recordParser struct {
	txt      string
	rec      Record
	seenRUA  bool   // a rua= field was seen
	ruaSpans []span // positions of the destinations in rec.RUA
	diags    diag.List
}

// span is a 0-based byte range [start, end) of the record text.
type span struct{ start, end int }

func (p *recordParser) add(code diag.Code, start, end int, msg, hint string) {
	p.diags.Add(at(diag.New(code, msg, hint), start, end))
}

// at positions d on the 0-based byte range [start, end) of the record text.
func at(d diag.Diagnostic, start, end int) diag.Diagnostic {
	return d.At(diag.Pos{Line: 1, Column: start + 1}, diag.Pos{Line: 1, Column: end + 1})
}

// checkASCII enforces RFC 8460 §3: the record is US-ASCII. A zero-width
// space pasted from a web page is invisible and breaks the record.
func (p *recordParser) checkASCII() {
	if i := txtfield.FirstNonASCII(p.txt); i >= 0 {
		p.add(diag.TLSRPTRecordSyntax, i, i+1,
			fmt.Sprintf("the record contains the byte 0x%02x, which is not printable US-ASCII; senders discard the record and send no TLS reports", p.txt[i]),
			"retype the record by hand; copy-pasted text often carries invisible characters")
	}
}

func (p *recordParser) checkDelimiters(problems []txtfield.Problem) {
	for _, pr := range problems {
		switch pr.Kind {
		case txtfield.SpaceBeforeFirstDelim:
			// RFC 8460 §3: the ABNF allows "v=TLSRPTv1 ;", but when several
			// TXT records exist senders keep only those beginning with
			// "v=TLSRPTv1;" (the conflict of RFC 8461 Errata 6285).
			p.add(diag.TLSRPTRecordSpaceBeforeSemi, pr.Start, pr.End,
				"whitespace between v=TLSRPTv1 and ';': senders applying the discard rule literally ignore this record and send no reports",
				`write "v=TLSRPTv1;" with no space before the semicolon`)
		case txtfield.EmptyField:
			p.add(diag.TLSRPTRecordSyntax, pr.Start, pr.End,
				"empty field between semicolons; the record grammar has no empty fields, so strict senders discard the record",
				"remove the extra ';'")
		case txtfield.TrailingSpace:
			p.add(diag.TLSRPTRecordSyntax, pr.Start, pr.End,
				"trailing whitespace after the last field; the grammar only allows it after a ';', so strict senders discard the record",
				"remove the trailing whitespace or end the record with ';'")
		case txtfield.LeadingSpace:
			p.add(diag.TLSRPTRecordSyntax, pr.Start, pr.End,
				`whitespace before "v=TLSRPTv1"; senders only accept records that begin with "v=TLSRPTv1;"`,
				"remove the leading whitespace")
		}
	}
}

// checkVersion enforces RFC 8460 §3: the record begins with the field
// v=TLSRPTv1, case-sensitively.
func (p *recordParser) checkVersion(f txtfield.Field) bool {
	switch {
	case f.Name == "v" && f.Value == "TLSRPTv1":
		return true
	case strings.EqualFold(f.Name, "v"):
		p.add(diag.TLSRPTRecordVersionInvalid, f.Start, f.End,
			fmt.Sprintf("the record starts with %q, but senders only recognise exactly \"v=TLSRPTv1\" (case-sensitive); they send no TLS reports", f.Name+"="+f.Value),
			`begin the record with "v=TLSRPTv1;"`)
	default:
		p.add(diag.TLSRPTRecordSyntax, f.Start, f.End,
			"the record does not begin with v=TLSRPTv1; senders discard records that do not, and send no TLS reports",
			`move "v=TLSRPTv1;" to the front of the record`)
	}
	return false
}

func (p *recordParser) fields(fields []txtfield.Field) {
	for _, f := range fields {
		switch {
		case !f.HasEquals:
			p.add(diag.TLSRPTRecordSyntax, f.Start, f.End,
				fmt.Sprintf("field %q has no '='; senders discard the record", f.Name),
				"write fields as name=value separated by ';'")
		case f.Name == "rua":
			p.rua(f)
		default:
			p.extension(f)
		}
	}
	if !p.seenRUA {
		// RFC 8460 §3: rua is required.
		p.add(diag.TLSRPTRUAMissing, 0, len(p.txt),
			"the record has no rua=; senders have nowhere to send reports and discard it",
			"add a destination such as rua=mailto:tlsrpt@example.net or rua=https://reports.example.net/tlsrpt")
	}
	p.checkMultiple()
}

// extension enforces the tlsrpt-extension grammar of RFC 8460 §3 (the same
// as MTA-STS). Valid extensions are ignored by senders and so only noted.
func (p *recordParser) extension(f txtfield.Field) {
	if !txtfield.ValidName(f.Name) || !txtfield.ValidValue(f.Value) {
		p.add(diag.TLSRPTRecordExtensionInvalid, f.Start, f.End,
			fmt.Sprintf("field %q is not a valid extension (name: letters, digits, '_', '-', '.'; value: printable ASCII without spaces, ';' or '='); strict senders discard the record", f.Name+"="+f.Value),
			"remove the field or fix its name and value")
		return
	}
	p.rec.Extensions = append(p.rec.Extensions, Extension{f.Name, f.Value})
	if strings.EqualFold(f.Name, "rua") {
		// Field names are case-sensitive (%s"rua=" in the ABNF).
		p.diags.Add(at(diag.New(diag.TLSRPTRecordExtension,
			fmt.Sprintf("field %q is not rua= (field names are case-sensitive), so senders ignore it as an unknown extension", f.Name),
			`write the field name in lower case: "rua="`), f.Start, f.End).As(diag.Warning))
		return
	}
	p.add(diag.TLSRPTRecordExtension, f.Start, f.End,
		fmt.Sprintf("extension field %q is ignored by senders", f.Name),
		"remove it unless a tool of yours reads it")
}
