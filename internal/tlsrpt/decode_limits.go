package tlsrpt

import (
	"cmp"
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
)

// Limits bound the work done for one input. Fields that are zero or
// negative take their default.
type Limits struct {
	// MaxReport bounds the decompressed bytes of one report (J23);
	// default 20 MiB. mox accepts 20 MB; RFC 8460 §5.2 notes that
	// receivers commonly limit mail to 10 MB.
	MaxReport int64
	// MaxSource bounds the bytes read and decompressed for one source
	// (a file or a URL) in total; default 200 MiB.
	MaxSource int64
	// MaxParts bounds the archive members, mbox messages and MIME parts
	// of one source, together; default 100000.
	MaxParts int
	// MaxDepth bounds how deep archives, compression, messages and MIME
	// parts may nest; default 12. A report mail is three levels deep
	// (message, multipart, gzip).
	MaxDepth int
	// MaxHeaderBytes bounds the header block of a mail, forwarded or in
	// an mbox; default 1 MiB, as net/http's. Mail servers refuse far
	// smaller ones (Postfix: 100 KiB), so a larger one is not a report
	// mail; it is not read.
	MaxHeaderBytes int
	// MaxPolicies bounds the policy entries read of one report; default
	// 1000. RFC 8460 §4 has a report cover one policy domain, so real
	// reports have one to three entries (sts, tlsa, no-policy-found).
	// Entries beyond it are not counted at all.
	MaxPolicies int
	// MaxDetails bounds the failure-details kept of one policy entry;
	// default 1000. MaxReportDetails bounds them in all entries of a
	// report together; default 10000. The details beyond them are
	// summed up: their sessions still count, per result type for the
	// types that decide a failure's class on their own (our MX hosts'
	// failures, DANE), and as failures without details for the others.
	MaxDetails       int
	MaxReportDetails int
	// MaxListItems bounds the items kept of a policy-string or mx-host
	// list; default 100. A cut policy-string is dropped, so that the
	// entry is not compared with the policy by a part of its mx lines.
	MaxListItems int
	// MaxString bounds the bytes kept of a string field of a report
	// (organization-name, report-id, contact-info, policy-type,
	// policy-domain, policy-string and mx-host items, result-type,
	// receiving-mx-hostname, receiving-mx-helo, failure-reason-code,
	// additional-information); default 1024. A longer one is cut on a
	// UTF-8 boundary and ends in "…".
	MaxString int
	// MaxFailureGroups bounds the failure groups (result type,
	// organization, sending IP, MX host; ignored failures and entries
	// of other policies too) an Aggregator lists for one domain; default
	// 50000. Failures beyond it still count in their days' failed and
	// blocking sessions, and still make a day dirty: only their row in
	// Window.Failures is missing.
	MaxFailureGroups int
}

// Default limits.
const (
	DefaultMaxReport = 20 << 20
	DefaultMaxSource = 200 << 20
	DefaultMaxParts  = 100000
	DefaultMaxDepth  = 12

	DefaultMaxHeaderBytes = 1 << 20

	DefaultMaxPolicies      = 1000
	DefaultMaxDetails       = 1000
	DefaultMaxReportDetails = 10000
	DefaultMaxListItems     = 100
	DefaultMaxString        = 1024

	DefaultMaxFailureGroups = 50000
)

// DefaultLimits returns the default limits (see the Default constants).
func DefaultLimits() Limits {
	return Limits{}.withDefaults()
}

// withDefaults returns l with its unset fields set to the defaults.
func (l Limits) withDefaults() Limits {
	l.MaxReport = cmp.Or(max(l.MaxReport, 0), DefaultMaxReport)
	l.MaxSource = cmp.Or(max(l.MaxSource, 0), DefaultMaxSource)
	l.MaxParts = cmp.Or(max(l.MaxParts, 0), DefaultMaxParts)
	l.MaxDepth = cmp.Or(max(l.MaxDepth, 0), DefaultMaxDepth)
	l.MaxHeaderBytes = cmp.Or(max(l.MaxHeaderBytes, 0), DefaultMaxHeaderBytes)
	l.MaxPolicies = cmp.Or(max(l.MaxPolicies, 0), DefaultMaxPolicies)
	l.MaxDetails = cmp.Or(max(l.MaxDetails, 0), DefaultMaxDetails)
	l.MaxReportDetails = cmp.Or(max(l.MaxReportDetails, 0), DefaultMaxReportDetails)
	l.MaxListItems = cmp.Or(max(l.MaxListItems, 0), DefaultMaxListItems)
	l.MaxString = cmp.Or(max(l.MaxString, 0), DefaultMaxString)
	l.MaxFailureGroups = cmp.Or(max(l.MaxFailureGroups, 0), DefaultMaxFailureGroups)
	return l
}

// wireCaps are the limits that apply while a report's JSON is decoded.
type wireCaps struct {
	policies, details, reportDetails, listItems int
}

func (l Limits) caps() wireCaps {
	l = l.withDefaults()
	return wireCaps{l.MaxPolicies, l.MaxDetails, l.MaxReportDetails, l.MaxListItems}
}

// limitKind is a limit that can cut what a source gives, or a count
// held at its maximum. Whatever the number of reports, parts or fields
// it cuts, each says so once per source (see Decoder.limit).
type limitKind uint8

const (
	limitSaturated limitKind = iota
	limitDepth
	limitHeader
	limitPolicies
	limitDetails
	limitLists
	limitStrings
	numLimits
)

// limitHit is what a Decode call recorded about one limitKind: the
// times it was hit, where its diagnostic is in the list (index+1; 0
// when it was not listed), and its severity.
type limitHit struct {
	n, at int
	sev   diag.Severity
}

// limit records that limit k cut something in src (or held a count).
// The first time, it adds the limit's diagnostic; later times only
// count, and end rewrites the message with the count.
func (d *Decoder) limit(src string, k limitKind) {
	h := &d.hits[k]
	if h.n++; h.n > 1 {
		if h.sev >= diag.Error {
			d.errs++ // as add would, for quiet
		}
		return
	}
	dg := d.limitDiag(k, 1)
	h.sev = dg.Severity
	before := len(d.diags)
	d.add(src, dg)
	if len(d.diags) > before {
		h.at = len(d.diags)
	}
}

// countLimits rewrites the message of every limit hit more than once
// with its count.
func (d *Decoder) countLimits() {
	for k := range d.hits {
		if h := &d.hits[k]; h.n > 1 && h.at > 0 {
			d.diags[h.at-1].Message = d.limitDiag(limitKind(k), h.n).Message
		}
	}
}

// limitDiag is the diagnostic of limit k hit n times.
func (d *Decoder) limitDiag(k limitKind, n int) diag.Diagnostic {
	switch k {
	case limitSaturated:
		return diag.New(diag.ReportCountSaturated,
			fmt.Sprintf("In %s, failed-session-counts add up to more than 2^63-1, the largest count there is; the sum is held there rather than wrapped around to a negative number. No mail server sends that many sessions: the report is not genuine.",
				times(n, "one policy entry", "policy entries")),
			"Check where the report comes from, and remove it from the report sources if it is not genuine.")
	case limitDepth:
		return diag.New(diag.ReportUnreadable,
			fmt.Sprintf("The source has %s nested more than %d levels deep in archives, compression and messages; they are not read, and any report in them is lost.",
				times(n, "one input", "inputs"), d.lim.MaxDepth),
			"Unpack the report so that it is at most a message with a gzip attachment.")
	case limitHeader:
		return diag.New(diag.ReportHeaderTooLarge,
			fmt.Sprintf("The source has %s with a header block larger than %d bytes; such a mail is not read (no mail server passes it on), and any report in it is lost.",
				times(n, "a mail", "mails"), d.lim.MaxHeaderBytes),
			"Check where the mail comes from; give the report itself (JSON or .json.gz) if it is genuine.")
	case limitPolicies:
		return diag.New(diag.ReportPoliciesCapped,
			fmt.Sprintf("%s more than %d policy entries; only the first %d of each are read, so the sessions and failures of the others are not counted: the evidence may be incomplete.",
				hasHave(n, "a report", "reports"), d.lim.MaxPolicies, d.lim.MaxPolicies),
			"Check where the reports come from: real reports cover one policy domain in one to three entries.")
	case limitDetails:
		return diag.New(diag.ReportDetailsCapped,
			fmt.Sprintf("%s more than %d failure-details (or its report more than %d failure-details in all); the rest are kept only as sums: their sessions still count, and our MX hosts' failures among them still block, but their senders, addresses and MX hosts are not listed.",
				hasHave(n, "a policy entry", "policy entries"), d.lim.MaxDetails, d.lim.MaxReportDetails),
			"Nothing to do for a genuine report; check where the report comes from if the numbers are absurd.")
	case limitLists:
		return diag.New(diag.ReportListCapped,
			fmt.Sprintf("%s lists longer than %d items (policy-string, mx-host); they are cut, and a cut policy-string is dropped, so its entry counts without being compared with the policy.",
				hasHave(n, "a report", "reports"), d.lim.MaxListItems),
			"Check where the reports come from: a policy has a few lines.")
	case limitStrings:
		return diag.New(diag.ReportStringCut,
			fmt.Sprintf("%s fields longer than %d bytes; they are cut and end in \"…\". Failures whose names agree in the first %d bytes are counted as one group.",
				hasHave(n, "a report", "reports"), d.lim.MaxString, d.lim.MaxString),
			"Nothing to do; check where the reports come from if the names are absurd.")
	}
	panic(fmt.Sprintf("tlsrpt: unknown limit %d", k))
}

// hasHave says "<one> has" for n == 1, else "<n> <many> have".
func hasHave(n int, one, many string) string {
	if n == 1 {
		return one + " has"
	}
	return fmt.Sprintf("%d %s have", n, many)
}

// times says "one" for n == 1, else "<n> many".
func times(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf("%d %s", n, many)
}
