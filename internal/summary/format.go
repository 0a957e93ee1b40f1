package summary

import (
	"net/netip"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Format identification, written first in every document.
const (
	SchemaVersion = 1
	Kind          = "stsgate-tlsrpt-summary"
)

// Document is the JSON form of one month of one domain.
type Document struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	Domain        string `json:"domain"`
	Month         string `json:"month"` // YYYY-MM
	Days          []Day  `json:"days"`
}

// Day holds the reports whose date range starts on Date (UTC).
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD
	Orgs []Org  `json:"orgs"`
}

// Org holds one reporting organization's reports of a day.
type Org struct {
	Org     string   `json:"org"`
	Reports []Record `json:"reports"`
}

// Record is one report, as tlsrpt normalised it. Key is left out when it
// is the one tlsrpt derives from organization and report-id; Start when
// it is the midnight that begins the record's day, End when it is a day
// after Start.
type Record struct {
	ID       string   `json:"id,omitempty"`
	Key      string   `json:"key,omitempty"`
	Start    string   `json:"start,omitempty"` // RFC 3339, UTC
	End      string   `json:"end,omitempty"`   // RFC 3339, UTC, exclusive
	Contact  string   `json:"contact,omitempty"`
	Policies []Policy `json:"policies"`
	// DKIM is the verdict on the DKIM signature of the mail the report
	// came in (tlsrpt.Auth.String): "fail" or "unverified", or left out
	// for a pass or a report that did not come in a mail. RFC 8460 §3
	// says receivers must ignore reports without a valid signature; the
	// summary keeps the verdict so that every later reader warns, as a
	// reader of the mail does.
	DKIM string `json:"dkim,omitempty"`
	// MessageIDs are the Message-IDs (without angle brackets) of the
	// mails the report came in, sorted, so that collect knows them
	// without downloading them again. Not part of the report's content.
	MessageIDs []string `json:"message_ids,omitempty"`
}

// maxMessageIDs is how many mails one record remembers: a report resent
// more often than that is downloaded again, and changes nothing.
const maxMessageIDs = 8

// Policy is one policy entry of a report.
type Policy struct {
	Type         string    `json:"type"`
	Domain       string    `json:"domain,omitempty"`
	PolicyString []string  `json:"policy_string,omitempty"`
	MXHost       []string  `json:"mx_host,omitempty"`
	Successful   int64     `json:"successful"`
	Failed       int64     `json:"failed"`
	Failures     []Failure `json:"failures,omitempty"`
}

// Failure is one failure detail of a policy entry.
type Failure struct {
	ResultType     string `json:"result_type,omitempty"`
	SendingIP      string `json:"sending_ip,omitempty"`
	ReceivingMX    string `json:"receiving_mx,omitempty"`
	ReceivingIP    string `json:"receiving_ip,omitempty"`
	ReceivingHELO  string `json:"receiving_helo,omitempty"`
	Sessions       int64  `json:"sessions"`
	ReasonCode     string `json:"reason_code,omitempty"`
	AdditionalInfo string `json:"additional_info,omitempty"`
}

// idKey is the key tlsrpt gives a report with a report-id short enough
// to be kept whole.
func idKey(org, id string) string {
	var b strings.Builder
	writeIDKey(&b, org, id)
	return b.String()
}

func writeIDKey(b *strings.Builder, org, id string) {
	b.WriteString("id:")
	b.WriteString(org)
	b.WriteByte(0)
	b.WriteString(id)
}

// record returns r as a record.
func record(r *tlsrpt.Report) Record {
	rec := Record{ID: r.ReportID, Key: r.Key, Contact: r.ContactInfo, DKIM: r.Auth.String()}
	// Most reports cover one whole UTC day (RFC 8460 §4.1).
	if !r.Start.Equal(dayStart(r.Start)) {
		rec.Start = stamp(r.Start)
	}
	if !r.End.Equal(r.Start.Add(24 * time.Hour)) {
		rec.End = stamp(r.End)
	}
	if r.ReportID != "" && r.Key == idKey(r.Organization, r.ReportID) {
		rec.Key = ""
	}
	rec.Policies = make([]Policy, len(r.Policies))
	for i, p := range r.Policies {
		rp := Policy{Type: p.Type, Domain: p.Domain, PolicyString: p.PolicyString, MXHost: p.MXHost,
			Successful: p.Successful, Failed: p.Failed}
		for _, f := range p.Details {
			rp.Failures = append(rp.Failures, Failure{ResultType: f.ResultType, SendingIP: addr(f.SendingIP),
				ReceivingMX: f.ReceivingMX, ReceivingIP: addr(f.ReceivingIP), ReceivingHELO: f.ReceivingHELO,
				Sessions: f.Sessions, ReasonCode: f.ReasonCode, AdditionalInfo: f.AdditionalInfo})
		}
		rec.Policies[i] = rp
	}
	return rec
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func addr(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
