package tlsrpt

import "github.com/stsgate/stsgate/internal/txtfield"

// RecordSet is what senders make of the TXT RRset at _smtp._tls.<domain>:
// the one record they use (nil when none), its index, the diagnostics of
// each record and those of the set as a whole.
type RecordSet = txtfield.Set[Record]

// ParseRecordSet applies the RRset rules of RFC 8460 §3 to the texts of
// the TXT records at _smtp._tls.<domain>: records that are not TLS-RPT are
// discarded (noted with a warning), and unless exactly one valid TLS-RPT
// record remains, senders assume the domain does not implement TLS-RPT.
func ParseRecordSet(texts []string) RecordSet {
	return txtfield.ParseSet(&rptKind, texts, ParseRecord)
}
