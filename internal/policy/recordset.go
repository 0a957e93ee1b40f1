package policy

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
)

// RecordSet is what senders make of the TXT RRset at _mta-sts.<domain>.
type RecordSet struct {
	Record  *Record     // the one record senders use; nil when they see none
	Index   int         // its index in the input; -1 when none
	Records []diag.List // diagnostics for each input record, in input order
	Set     diag.List   // diagnostics about the set as a whole, without position
}

// ParseRecordSet applies the RRset rules of RFC 8461 §3.1 to the texts of
// the TXT records at _mta-sts.<domain>: records that are not MTA-STS are
// discarded (noted with a warning, since some tools break on them), and
// unless exactly one valid MTA-STS record remains, senders see no policy.
func ParseRecordSet(texts []string) RecordSet {
	set := RecordSet{Index: -1, Records: make([]diag.List, len(texts))}
	var sts []int
	for i, txt := range texts {
		rec, isSTS, diags := ParseRecord(txt)
		set.Records[i] = diags
		if !isSTS {
			set.Records[i].Add(diag.New(diag.STSRecordUnrelated,
				"a TXT record that is not MTA-STS sits at _mta-sts; senders ignore it, but some checkers and libraries stumble over it",
				"move the record to the name it belongs to").At(diag.Pos{Line: 1, Column: 1}, diag.Pos{Line: 1, Column: len(txt) + 1}))
			continue
		}
		sts = append(sts, i)
		if rec != nil && set.Record == nil {
			set.Record, set.Index = rec, i
		}
	}
	switch {
	case len(sts) == 0:
		set.Set.Add(diag.New(diag.STSRecordMissing,
			"there is no v=STSv1 TXT record at _mta-sts; senders do not look for a policy, so MTA-STS is off",
			`publish _mta-sts.<domain> TXT "v=STSv1; id=<new id>"`))
	case len(sts) > 1:
		// RFC 8461 §3.1: if the number of remaining records is not one,
		// senders assume the domain has no available policy.
		for _, i := range sts[1:] {
			set.Records[i].Add(diag.New(diag.STSRecordMultiple,
				fmt.Sprintf("%d v=STSv1 records at _mta-sts; with more than one, senders assume there is no policy at all", len(sts)),
				"keep exactly one v=STSv1 record").At(diag.Pos{Line: 1, Column: 1}, diag.Pos{Line: 1, Column: len(texts[i]) + 1}))
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
