package policy

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/txtfield"
)

// Record is a parsed _mta-sts TXT record (RFC 8461 §3.1).
type Record struct {
	ID         string
	Extensions []Extension
}

// Extension is a key/value pair the specification does not define.
type Extension struct {
	Name  string
	Value string
}

// stsKind is the _mta-sts record for the shared TXT grammar.
var stsKind = txtfield.Kind{
	Owner:   "_mta-sts",
	Version: "STSv1",
	Loss:    "see no MTA-STS policy",
	Example: "v=STSv1; id=<new id>",
	Codes: txtfield.Codes{
		Syntax: diag.STSRecordSyntax, SpaceBeforeDelim: diag.STSRecordSpaceBeforeSemi,
		VersionInvalid: diag.STSRecordVersionInvalid, Extension: diag.STSRecordExtension,
		ExtensionInvalid: diag.STSRecordExtensionInvalid, Unrelated: diag.STSRecordUnrelated,
		Missing: diag.STSRecordMissing, Multiple: diag.STSRecordMultiple,
	},
}

// ParseRecord parses the text of one TXT record found at
// _mta-sts.<domain>, its character-strings already joined without spaces
// (RFC 8461 §3.1). isSTS reports whether the text is meant as an MTA-STS
// record at all; when it is false the record is someone else's and the
// diagnostics are empty. rec is nil when the record has errors that make
// senders discard it. Positions are on line 1, columns into txt.
func ParseRecord(txt string) (rec *Record, isSTS bool, diags diag.List) {
	fields, problems := txtfield.Split(txt)
	if !stsKind.Looks(fields) {
		return nil, false, nil
	}
	p := recordParser{Checker: txtfield.Checker{Kind: &stsKind, Text: txt}}
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
	rec  Record
	seen bool // an id was seen
}

func (p *recordParser) fields(fields []txtfield.Field) {
	for _, f := range fields {
		switch {
		case !f.HasEquals:
			p.NoEquals(f)
		case f.Name == "id":
			p.id(f)
		case p.Extension(f):
			p.rec.Extensions = append(p.rec.Extensions, Extension{f.Name, f.Value})
		}
	}
	if !p.seen {
		p.Add(diag.STSRecordIDMissing, 0, len(p.Text),
			"the record has no id=; senders discard it and see no MTA-STS policy",
			"add an id such as id=20261128T103000 and change it whenever the policy changes")
	}
}

// id enforces RFC 8461 §3.1: sts-id = %s"id=" 1*32(ALPHA / DIGIT). For
// repeated fields other than mx, RFC 8461 §3.2 says duplicates after the
// first are ignored, so the first id is the one senders use.
func (p *recordParser) id(f txtfield.Field) {
	if p.seen {
		p.Add(diag.STSRecordIDDuplicate, f.Start, f.End,
			fmt.Sprintf("a second id (%s) is ignored by senders, who use the first (%q); some checkers reject the record", diag.Excerpt(f.Value), p.rec.ID),
			"keep exactly one id= field")
		return
	}
	p.seen = true
	if len(f.Value) > 32 || !txtfield.IsAlnum(f.Value) {
		p.Add(diag.STSRecordIDInvalid, f.ValueStart, f.End,
			fmt.Sprintf("id %s is not 1 to 32 letters and digits; senders discard the record", diag.Excerpt(f.Value)),
			"use only letters and digits, such as a timestamp 20261128T103000")
		return
	}
	p.rec.ID = f.Value
}
