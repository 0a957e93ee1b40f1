package tlsrpt

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
)

// RecordSet is what senders make of the TXT RRset at _smtp._tls.<domain>.
type RecordSet struct {
	Record  *Record     // the one record senders use; nil when they use none
	Index   int         // its index in the input; -1 when none
	Records []diag.List // diagnostics for each input record, in input order
	Set     diag.List   // diagnostics about the set as a whole, without position
}

// ParseRecordSet applies the RRset rules of RFC 8460 §3 to the texts of the
// TXT records at _smtp._tls.<domain>: records that are not TLS-RPT are
// discarded (noted with a warning, since some tools break on them), and
// unless exactly one valid TLS-RPT record remains, senders send no reports.
func ParseRecordSet(texts []string) RecordSet {
	set := RecordSet{Index: -1, Records: make([]diag.List, len(texts))}
	var rpt []int
	for i, txt := range texts {
		rec, isTLSRPT, diags := ParseRecord(txt)
		set.Records[i] = diags
		if !isTLSRPT {
			set.Records[i].Add(at(diag.New(diag.TLSRPTRecordUnrelated,
				"a TXT record that is not TLS-RPT sits at _smtp._tls; senders ignore it, but some checkers and libraries stumble over it",
				"move the record to the name it belongs to"), 0, len(txt)))
			continue
		}
		rpt = append(rpt, i)
		if rec != nil && set.Record == nil {
			set.Record, set.Index = rec, i
		}
	}
	switch {
	case len(rpt) == 0:
		set.Set.Add(diag.New(diag.TLSRPTRecordMissing,
			"there is no v=TLSRPTv1 TXT record at _smtp._tls; senders send no TLS reports, so failures of MTA-STS stay invisible",
			`publish _smtp._tls.<domain> TXT "v=TLSRPTv1; rua=mailto:<mailbox>"`))
	case len(rpt) > 1:
		// RFC 8460 §3: if the number of remaining records is not one,
		// senders assume the domain does not implement TLS-RPT.
		for _, i := range rpt[1:] {
			set.Records[i].Add(at(diag.New(diag.TLSRPTRecordMultiple,
				fmt.Sprintf("%d v=TLSRPTv1 records at _smtp._tls; with more than one, senders send no TLS reports at all", len(rpt)),
				"keep exactly one v=TLSRPTv1 record; list several destinations in its rua= field if you need them"), 0, len(texts[i])))
		}
		set.Record, set.Index = nil, -1
	}
	return set
}

// Diagnostics returns all diagnostics of the set, those of each record
// positioned by pos(i), the position at which record i's text starts.
func (s RecordSet) Diagnostics(pos func(i int) (file string, start diag.Pos)) diag.List {
	var all diag.List
	for i, l := range s.Records {
		file, start := pos(i)
		all = append(all, l.InFile(file, start)...)
	}
	return append(all, s.Set...)
}
