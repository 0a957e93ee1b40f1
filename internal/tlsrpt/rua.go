package tlsrpt

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/txtfield"
)

// rua parses one rua= field. RFC 8460 §3:
//
//	tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//
// Spec note: the grammar allows several rua= fields. Like mox, we collect
// the destinations of all of them; the repetition is still a warning
// because some checkers (checkdmarc) reject the record and some tools read
// only the first field.
func (p *recordParser) rua(f txtfield.Field) {
	if p.seenRUA {
		p.Add(diag.TLSRPTRUARepeated, f.Start, f.End,
			"a second rua= field; senders following the grammar use the destinations of both, but some checkers reject the record and some tools read only the first",
			"put all destinations in one rua= field, separated by ','")
	}
	p.seenRUA = true
	if f.Value == "" {
		p.Add(diag.TLSRPTRUAInvalid, f.Start, f.End,
			"rua= has no destination; senders have nowhere to send reports and discard the record",
			"give at least one destination, such as rua=mailto:tlsrpt@example.net")
		return
	}
	if n := len(f.Value) - len(strings.TrimLeft(f.Value, " \t")); n > 0 {
		p.Add(diag.TLSRPTRecordSyntax, f.ValueStart, f.ValueStart+n,
			"whitespace after rua=; the grammar puts the first destination right after '=', so strict senders discard the record",
			"remove the whitespace after rua=")
	}
	emptySeen := false
	for _, e := range splitList(f.Value, f.ValueStart) {
		switch {
		case e.text == "" && !emptySeen:
			emptySeen = true
			p.Add(diag.TLSRPTRUAInvalid, e.start, e.end,
				"empty destination in the rua= list (a ',' with no URI beside it); the grammar has none, so strict senders discard the record",
				"remove the extra ','")
		case e.text == "":
		default:
			p.destination(e)
		}
	}
}

// destination checks one URI of a rua= list and keeps it when it is valid.
func (p *recordParser) destination(e listEntry) {
	if d, bad := checkURI(e.text); bad {
		p.Diags.Add(txtfield.At(d, e.start, e.end))
		return
	}
	p.rec.RUA = append(p.rec.RUA, e.text)
	p.ruaSpans = append(p.ruaSpans, span{e.start, e.end})
}

// checkMultiple notes a record with several destinations. RFC 8460 §3
// allows a list of rua URIs, but a reporter may deliver each report to
// only one of them and counts it delivered once any destination accepts
// it.
func (p *recordParser) checkMultiple() {
	if len(p.rec.RUA) < 2 {
		return
	}
	s := p.ruaSpans[1]
	p.Add(diag.TLSRPTRUAMultiple, s.start, s.end,
		fmt.Sprintf("%d report destinations: a sender may deliver each report to only one of them, so only one destination is guaranteed to receive each report", len(p.rec.RUA)),
		"keep several destinations only if each of them alone is enough to watch the reports")
}

// listEntry is one element of a rua= list, without surrounding whitespace.
// start and end are 0-based byte offsets into the record text; for an
// empty element they span the ',' beside it.
type listEntry struct {
	text       string
	start, end int
}

// splitList splits a comma-separated list that starts at offset in the
// record text, trimming *WSP around each element.
func splitList(value string, offset int) []listEntry {
	var entries []listEntry
	pos := 0
	for {
		end := len(value)
		i := strings.IndexByte(value[pos:], ',')
		if i >= 0 {
			end = pos + i
		}
		seg := value[pos:end]
		left := strings.TrimLeft(seg, " \t")
		body := strings.TrimRight(left, " \t")
		start := offset + pos + len(seg) - len(left)
		e := listEntry{body, start, start + len(body)}
		if body == "" {
			switch {
			case i >= 0: // the ',' after
				e.start, e.end = offset+end, offset+end+1
			case pos > 0: // the ',' before
				e.start, e.end = offset+pos-1, offset+pos
			}
		}
		entries = append(entries, e)
		if i < 0 {
			return entries
		}
		pos = end + 1
	}
}
