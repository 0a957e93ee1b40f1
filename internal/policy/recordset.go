package policy

import "github.com/stsgate/stsgate/internal/txtfield"

// RecordSet is what senders make of the TXT RRset at _mta-sts.<domain>:
// the one record they use (nil when none), its index, the diagnostics of
// each record and those of the set as a whole.
type RecordSet = txtfield.Set[Record]

// ParseRecordSet applies the RRset rules of RFC 8461 §3.1 to the texts of
// the TXT records at _mta-sts.<domain>: records that are not MTA-STS are
// discarded (noted with a warning), and unless exactly one valid MTA-STS
// record remains, senders assume the domain has no available policy.
func ParseRecordSet(texts []string) RecordSet {
	return txtfield.ParseSet(&stsKind, texts, ParseRecord)
}
