package txtfield

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// Kind describes one of the two record types that share this grammar:
// its owner name, its version and the codes its findings carry.
type Kind struct {
	Owner   string // "_mta-sts" or "_smtp._tls"
	Version string // "STSv1" or "TLSRPTv1"
	// Loss says what senders lose when they discard the record, as in
	// "senders discard the record and <Loss>".
	Loss string
	// Example is a minimal valid record, for hints.
	Example string
	Codes   Codes
}

// Codes are the diagnostic codes of one record kind.
type Codes struct {
	Syntax, SpaceBeforeDelim, VersionInvalid diag.Code
	Extension, ExtensionInvalid              diag.Code
	Unrelated, Missing, Multiple             diag.Code
}

// Looks reports whether a record is intended as one of this kind: one of
// its fields is v=<version prefix> in any case. Senders discard records
// that do not begin exactly with "v=<Version>;", so "V=STSv1" or
// "id=1; v=STSv1" are diagnosed as broken records of the kind rather than
// ignored as unrelated TXT.
func (k *Kind) Looks(fields []Field) bool {
	prefix := strings.TrimSuffix(strings.ToLower(k.Version), "v1")
	for _, f := range fields {
		if strings.EqualFold(f.Name, "v") && strings.HasPrefix(strings.ToLower(f.Value), prefix) {
			return true
		}
	}
	return false
}

// Checker collects the diagnostics of one record of a kind. Positions are
// on line 1, 1-based byte columns into the record text.
type Checker struct {
	Kind  *Kind
	Text  string
	Diags diag.List
}

// Add adds a diagnostic on the 0-based byte range [start, end) of the text.
func (c *Checker) Add(code diag.Code, start, end int, msg, hint string) {
	c.Diags.Add(At(diag.New(code, msg, hint), start, end))
}

// At positions d on the 0-based byte range [start, end) of a record text.
func At(d diag.Diagnostic, start, end int) diag.Diagnostic {
	return d.At(diag.Pos{Line: 1, Column: start + 1}, diag.Pos{Line: 1, Column: end + 1})
}

// ASCII enforces RFC 8461 §3.1 and RFC 8460 §3: the record is US-ASCII. A
// zero-width space pasted from a web page is invisible and breaks it.
func (c *Checker) ASCII() {
	if i := FirstNonASCII(c.Text); i >= 0 {
		c.Add(c.Kind.Codes.Syntax, i, i+1,
			fmt.Sprintf("the record contains the byte 0x%02x, which is not printable US-ASCII; senders discard the record and %s", c.Text[i], c.Kind.Loss),
			"retype the record by hand; copy-pasted text often carries invisible characters")
	}
}

// Delimiters reports the problems of the delimiter grammar.
func (c *Checker) Delimiters(problems []Problem) {
	v, codes := "v="+c.Kind.Version, c.Kind.Codes
	for _, pr := range problems {
		switch pr.Kind {
		case SpaceBeforeFirstDelim:
			// RFC 8461 §3.1, Errata 6285 (and the same rule of RFC 8460
			// §3): the ABNF allows "v=STSv1 ;", but the discard rule keeps
			// only records beginning with "v=STSv1;".
			c.Add(codes.SpaceBeforeDelim, pr.Start, pr.End,
				fmt.Sprintf("whitespace between %s and ';': senders applying the discard rule literally ignore this record and %s", v, c.Kind.Loss),
				fmt.Sprintf("write %q with no space before the semicolon", v+";"))
		case EmptyField:
			c.Add(codes.Syntax, pr.Start, pr.End,
				"empty field between semicolons; the record grammar has no empty fields, so strict senders discard the record",
				"remove the extra ';'")
		case TrailingSpace:
			c.Add(codes.Syntax, pr.Start, pr.End,
				"trailing whitespace after the last field; the grammar only allows it after a ';', so strict senders discard the record",
				"remove the trailing whitespace or end the record with ';'")
		case LeadingSpace:
			c.Add(codes.Syntax, pr.Start, pr.End,
				fmt.Sprintf("whitespace before %q; senders only accept records that begin with %q", v, v+";"),
				"remove the leading whitespace")
		}
	}
}

// Version enforces that the record begins with v=<Version>,
// case-sensitively, and reports whether it does.
func (c *Checker) Version(f Field) bool {
	v := "v=" + c.Kind.Version
	switch {
	case f.Name == "v" && f.Value == c.Kind.Version:
		return true
	case strings.EqualFold(f.Name, "v"):
		c.Add(c.Kind.Codes.VersionInvalid, f.Start, f.End,
			fmt.Sprintf("the record starts with %s, but senders only recognise exactly %q (case-sensitive); they %s", diag.Excerpt(f.Name+"="+f.Value), v, c.Kind.Loss),
			fmt.Sprintf("begin the record with %q", v+";"))
	default:
		c.Add(c.Kind.Codes.Syntax, f.Start, f.End,
			fmt.Sprintf("the record does not begin with %s; senders discard records that do not, and %s", v, c.Kind.Loss),
			fmt.Sprintf("move %q to the front of the record", v+";"))
	}
	return false
}

// NoEquals reports a field without '='.
func (c *Checker) NoEquals(f Field) {
	c.Add(c.Kind.Codes.Syntax, f.Start, f.End,
		fmt.Sprintf("field %s has no '='; senders discard the record", diag.Excerpt(f.Name)),
		"write fields as name=value separated by ';'")
}

// Extension checks an extension field (RFC 8461 §3.1, RFC 8460 §3: the
// same grammar) and reports whether it is valid. A valid extension is
// ignored by senders and only noted.
func (c *Checker) Extension(f Field) bool {
	if !ValidName(f.Name) || !ValidValue(f.Value) {
		c.Add(c.Kind.Codes.ExtensionInvalid, f.Start, f.End,
			fmt.Sprintf("field %s is not a valid extension (name: letters, digits, '_', '-', '.'; value: printable ASCII without spaces, ';' or '='); strict senders discard the record", diag.Excerpt(f.Name+"="+f.Value)),
			"remove the field or fix its name and value")
		return false
	}
	c.Add(c.Kind.Codes.Extension, f.Start, f.End,
		fmt.Sprintf("extension field %s is ignored by senders", diag.Excerpt(f.Name)),
		"remove it unless a tool of yours reads it")
	return true
}

// Set is what senders make of the TXT RRset at a kind's owner name.
type Set[T any] struct {
	Record  *T          // the one record senders use; nil when they use none
	Index   int         // its index in the input; -1 when none
	Records []diag.List // diagnostics for each input record, in input order
	Set     diag.List   // diagnostics about the set as a whole, without position
}

// ParseSet applies the RRset rules of RFC 8461 §3.1 and RFC 8460 §3:
// records that are not of the kind are discarded (noted with a warning,
// since some tools break on them), and unless exactly one valid record
// remains, senders use none. parse is the kind's record parser.
func ParseSet[T any](k *Kind, texts []string, parse func(string) (*T, bool, diag.List)) Set[T] {
	set := Set[T]{Index: -1, Records: make([]diag.List, len(texts))}
	var ours []int
	for i, txt := range texts {
		rec, isOurs, diags := parse(txt)
		set.Records[i] = diags
		if !isOurs {
			set.Records[i].Add(At(diag.New(k.Codes.Unrelated,
				fmt.Sprintf("a TXT record that is not v=%s sits at %s; senders ignore it, but some checkers and libraries stumble over it", k.Version, k.Owner),
				"move the record to the name it belongs to"), 0, len(txt)))
			continue
		}
		ours = append(ours, i)
		if rec != nil && set.Record == nil {
			set.Record, set.Index = rec, i
		}
	}
	switch {
	case len(ours) == 0:
		set.Set.Add(diag.New(k.Codes.Missing,
			fmt.Sprintf("there is no v=%s TXT record at %s; senders %s", k.Version, k.Owner, k.Loss),
			fmt.Sprintf("publish %s.<domain> TXT %q", k.Owner, k.Example)))
	case len(ours) > 1:
		for _, i := range ours[1:] {
			set.Records[i].Add(At(diag.New(k.Codes.Multiple,
				fmt.Sprintf("%d v=%s records at %s; with more than one, senders %s", len(ours), k.Version, k.Owner, k.Loss),
				fmt.Sprintf("keep exactly one v=%s record", k.Version)), 0, len(texts[i])))
		}
		set.Record, set.Index = nil, -1
	}
	return set
}

// Diagnostics returns all diagnostics of the set, those of each record
// placed in file at pos(i), the position where record i's text starts.
func (s Set[T]) Diagnostics(pos func(i int) (file string, start diag.Pos)) diag.List {
	var all diag.List
	for i, l := range s.Records {
		file, start := pos(i)
		all = append(all, l.InFile(file, start)...)
	}
	return append(all, s.Set...)
}
