package policy

import (
	"fmt"
	"strings"

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

// ParseRecord parses the text of one TXT record found at
// _mta-sts.<domain>, its character-strings already joined without spaces
// (RFC 8461 §3.1). isSTS reports whether the text is meant as an MTA-STS
// record at all; when it is false the record is someone else's and the
// diagnostics are empty. rec is nil when the record has errors that make
// senders discard it. Positions are on line 1, columns into txt.
func ParseRecord(txt string) (rec *Record, isSTS bool, diags diag.List) {
	fields, problems := txtfield.Split(txt)
	if !looksSTS(fields) {
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

// looksSTS reports whether a record is intended as MTA-STS: its first
// field, or any field, is v=STS... in any case. RFC 8461 §3.1 has senders
// discard records that do not begin with "v=STSv1;", so "V=STSv1" or
// "id=1; v=STSv1" are diagnosed as broken STS records rather than ignored
// as unrelated TXT.
func looksSTS(fields []txtfield.Field) bool {
	for _, f := range fields {
		if strings.EqualFold(f.Name, "v") && len(f.Value) >= 3 && strings.EqualFold(f.Value[:3], "sts") {
			return true
		}
	}
	return false
}

type recordParser struct {
	txt   string
	rec   Record
	seen  bool // an id was seen
	diags diag.List
}

func (p *recordParser) add(code diag.Code, start, end int, msg, hint string) {
	p.diags.Add(diag.New(code, msg, hint).At(diag.Pos{Line: 1, Column: start + 1}, diag.Pos{Line: 1, Column: end + 1}))
}

// checkASCII enforces RFC 8461 §3.1: the record is US-ASCII. A zero-width
// space pasted from a web page is invisible and breaks the record.
func (p *recordParser) checkASCII() {
	if i := txtfield.FirstNonASCII(p.txt); i >= 0 {
		p.add(diag.STSRecordSyntax, i, i+1,
			fmt.Sprintf("the record contains the byte 0x%02x, which is not printable US-ASCII; senders discard the record and see no MTA-STS policy", p.txt[i]),
			"retype the record by hand; copy-pasted text often carries invisible characters")
	}
}

func (p *recordParser) checkDelimiters(problems []txtfield.Problem) {
	for _, pr := range problems {
		switch pr.Kind {
		case txtfield.SpaceBeforeFirstDelim:
			// RFC 8461 §3.1, Errata 6285: the ABNF allows "v=STSv1 ;", but the
			// discard rule keeps only records beginning with "v=STSv1;".
			p.add(diag.STSRecordSpaceBeforeSemi, pr.Start, pr.End,
				"whitespace between v=STSv1 and ';': senders applying the discard rule literally ignore this record",
				`write "v=STSv1;" with no space before the semicolon`)
		case txtfield.EmptyField:
			p.add(diag.STSRecordSyntax, pr.Start, pr.End,
				"empty field between semicolons; the record grammar has no empty fields, so strict senders discard the record",
				"remove the extra ';'")
		case txtfield.TrailingSpace:
			p.add(diag.STSRecordSyntax, pr.Start, pr.End,
				"trailing whitespace after the last field; the grammar only allows it after a ';', so strict senders discard the record",
				"remove the trailing whitespace or end the record with ';'")
		case txtfield.LeadingSpace:
			p.add(diag.STSRecordSyntax, pr.Start, pr.End,
				`whitespace before "v=STSv1"; senders only accept records that begin with "v=STSv1;"`,
				"remove the leading whitespace")
		}
	}
}

// checkVersion enforces RFC 8461 §3.1: the record begins with the field
// v=STSv1, case-sensitively.
func (p *recordParser) checkVersion(f txtfield.Field) bool {
	switch {
	case f.Name == "v" && f.Value == "STSv1":
		return true
	case strings.EqualFold(f.Name, "v"):
		p.add(diag.STSRecordVersionInvalid, f.Start, f.End,
			fmt.Sprintf("the record starts with %q, but senders only recognise exactly \"v=STSv1\" (case-sensitive); they see no MTA-STS policy", f.Name+"="+f.Value),
			`begin the record with "v=STSv1;"`)
	default:
		p.add(diag.STSRecordSyntax, f.Start, f.End,
			"the record does not begin with v=STSv1; senders discard records that do not, and see no MTA-STS policy",
			`move "v=STSv1;" to the front of the record`)
	}
	return false
}

func (p *recordParser) fields(fields []txtfield.Field) {
	for _, f := range fields {
		switch {
		case !f.HasEquals:
			p.add(diag.STSRecordSyntax, f.Start, f.End,
				fmt.Sprintf("field %q has no '='; senders discard the record", f.Name),
				"write fields as name=value separated by ';'")
		case f.Name == "id":
			p.id(f)
		default:
			p.extension(f)
		}
	}
	if !p.seen {
		p.add(diag.STSRecordIDMissing, 0, len(p.txt),
			"the record has no id=; senders discard it and see no MTA-STS policy",
			"add an id such as id=20261128T103000 and change it whenever the policy changes")
	}
}

// id enforces RFC 8461 §3.1: sts-id = %s"id=" 1*32(ALPHA / DIGIT). For
// repeated fields other than mx, RFC 8461 §3.2 says duplicates after the
// first are ignored, so the first id is the one senders use.
func (p *recordParser) id(f txtfield.Field) {
	if p.seen {
		p.add(diag.STSRecordIDDuplicate, f.Start, f.End,
			fmt.Sprintf("a second id (%q) is ignored by senders, who use the first (%q); some checkers reject the record", f.Value, p.rec.ID),
			"keep exactly one id= field")
		return
	}
	p.seen = true
	if len(f.Value) > 32 || !txtfield.IsAlnum(f.Value) {
		p.add(diag.STSRecordIDInvalid, f.ValueStart, f.End,
			fmt.Sprintf("id %q is not 1 to 32 letters and digits; senders discard the record", f.Value),
			"use only letters and digits, such as a timestamp 20261128T103000")
		return
	}
	p.rec.ID = f.Value
}

// extension enforces the sts-extension grammar of RFC 8461 §3.1. Valid
// extensions are ignored by senders and so only noted.
func (p *recordParser) extension(f txtfield.Field) {
	if !txtfield.ValidName(f.Name) || !txtfield.ValidValue(f.Value) {
		p.add(diag.STSRecordExtensionInvalid, f.Start, f.End,
			fmt.Sprintf("field %q is not a valid extension (name: letters, digits, '_', '-', '.'; value: printable ASCII without spaces, ';' or '='); strict senders discard the record", f.Name+"="+f.Value),
			"remove the field or fix its name and value")
		return
	}
	p.rec.Extensions = append(p.rec.Extensions, Extension{f.Name, f.Value})
	p.add(diag.STSRecordExtension, f.Start, f.End,
		fmt.Sprintf("extension field %q is ignored by senders", f.Name),
		"remove it unless a tool of yours reads it")
}
