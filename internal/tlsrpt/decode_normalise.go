package tlsrpt

import (
	"cmp"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
)

// maxRange bounds a report's date-range. RFC 8460 §4.1 has reports cover
// one UTC day; a Google-style reporter sent seven (J4). A range of years
// would make one forged report cover a whole clean window.
const maxRange = 31 * 24 * time.Hour

// reportDiags adds the diagnostics of one report, positioned at the
// report's opening brace.
type reportDiags struct {
	d   *Decoder
	src string
	at  diag.Pos
}

func (r reportDiags) add(code diag.Code, msg, hint string) {
	r.d.add(r.src, diag.New(code, msg, hint).At(r.at, diag.Pos{}))
}

// normalise turns a decoded report into a Report, smoothing out the
// quirks of real reporters (reference §4). It returns false when the
// report cannot count at all.
func (r reportDiags) normalise(w *reportWire) (Report, bool) {
	start, end, ok := r.dateRange(w.DateRange)
	if !ok {
		return Report{}, false
	}
	if w.Policies == nil {
		r.add(diag.ReportFieldMissing, "The report has no \"policies\" array, so it says nothing about any domain.",
			"Nothing to do for a received report; it cannot count as evidence.")
		return Report{}, false
	}
	if strings.TrimSpace(w.Organization) == "" {
		r.add(diag.ReportOrganizationEmpty, "The report has no organization-name: its failures cannot be matched to a known sender.",
			"Nothing to do for a received report; known_senders can still match it by sending IP.")
	}
	if w.ReportID == "" {
		r.add(diag.ReportIDMissing, "The report has no report-id: a copy of it that differs in any byte is counted twice.",
			"Keep each report only once in the report sources.")
	}
	if w.cutPolicies > 0 {
		r.d.cuts[limitPolicies] = true
	}
	rep := Report{
		Organization: r.str(w.Organization),
		ReportID:     r.str(w.ReportID),
		ContactInfo:  r.str(w.ContactInfo),
		Start:        start,
		End:          end,
		Policies:     r.d.policySlice(len(w.Policies)),
	}
	for i := range w.Policies {
		if p, ok := r.policy(i, &w.Policies[i]); ok {
			rep.Policies = append(rep.Policies, p)
		}
	}
	return rep, true
}

// dateRange parses and normalises a report's date-range: UTC, End
// exclusive (J3).
func (r reportDiags) dateRange(w dateRangeWire) (start, end time.Time, ok bool) {
	if w.Start == "" || w.End == "" {
		r.add(diag.ReportFieldMissing, "The report has no date-range start-datetime and end-datetime, so its results belong to no day.",
			"Nothing to do for a received report; it cannot count as evidence.")
		return start, end, false
	}
	start, zonedStart, okStart := parseDateTime(w.Start)
	end, zonedEnd, okEnd := parseDateTime(w.End)
	for _, bad := range []struct {
		ok          bool
		name, value string
	}{{okStart, "start-datetime", w.Start}, {okEnd, "end-datetime", w.End}} {
		if !bad.ok {
			r.add(diag.ReportDateInvalid, fmt.Sprintf("The report's %s %q is not an RFC 3339 date-time, so its results belong to no day.", bad.name, clip(bad.value)),
				"Nothing to do for a received report; it cannot count as evidence.")
		}
	}
	if !okStart || !okEnd {
		return start, end, false
	}
	if !zonedStart || !zonedEnd {
		r.add(diag.ReportNoTimezone, "The report's date-range has no time zone (Microsoft did this until 2023); it is read as UTC.",
			"Nothing to do.")
	}
	end = exclusiveEnd(end)
	start, end = start.UTC(), end.UTC()
	return start, end, r.checkRange(start, end)
}

// checkRange rejects reversed and overlong ranges.
func (r reportDiags) checkRange(start, end time.Time) bool {
	switch {
	case end.Before(start):
		r.add(diag.ReportDateReversed, fmt.Sprintf("The report's date-range ends (%s) before it starts (%s), so its results belong to no day.",
			end.Format(time.RFC3339), start.Format(time.RFC3339)),
			"Nothing to do for a received report; it cannot count as evidence.")
		return false
	case end.Sub(start) > maxRange:
		r.add(diag.ReportRangeTooLong, fmt.Sprintf("The report's date-range covers %d days; more than 31 days is not a TLS-RPT report period (RFC 8460 §4.1 has one day).",
			int(end.Sub(start).Hours()/24)),
			"Check where the report comes from; it is not counted.")
		return false
	}
	return true
}

// parseDateTime parses an RFC 3339 date-time, with or without fractional
// seconds, with Z or an offset; or, as mox does for Microsoft's reports
// of early 2023 (J2), the same without a zone, as UTC. zoned is false in
// that case.
func parseDateTime(s string) (t time.Time, zoned, ok bool) {
	if len(s) > 10 && (s[10] == 't' || s[10] == ' ') { // RFC 3339 §5.6 allows both
		s = s[:10] + "T" + s[11:]
	}
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1] + "Z"
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, false, true
	}
	return time.Time{}, false, false
}

// exclusiveEnd turns an inclusive end of day (23:59:59, as Google and
// Microsoft write it) into the exclusive next midnight (as Mail.ru and
// Stalwart write it), so that both cover one day (J3). The end of day is
// recognised in the date-time's own offset and in UTC.
func exclusiveEnd(t time.Time) time.Time {
	if lastSecond(t) || lastSecond(t.UTC()) {
		return t.Truncate(time.Second).Add(time.Second)
	}
	return t
}

func lastSecond(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 23 && m == 59 && s == 59
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// policy normalises policies[i]; false when the entry is skipped.
func (r reportDiags) policy(i int, w *policyWire) (PolicyResult, bool) {
	name := policyLabel{i, w}
	if why := invalidPolicy(w); why != "" {
		r.add(diag.ReportPolicyInvalid, fmt.Sprintf("The report's %s is skipped: %s (RFC 8460 §4.4).", name.String(), why),
			"Nothing to do for a received report; the report's other entries still count.")
		return PolicyResult{}, false
	}
	p := PolicyResult{
		// RFC 8460 §4.4 spells the policy types in lower case; a
		// reporter writing "STS" means sts, and must not have its
		// entry dropped as an unknown type without a word.
		Type:         r.str(strings.ToLower(strings.TrimSpace(w.Policy.Type))),
		Domain:       r.str(hostName(w.Policy.Domain)),
		PolicyString: r.policyString(&w.Policy.String),
		MXHost:       r.list(&w.Policy.MXHost),
		Successful:   w.Summary.Successful.n,
	}
	if p.MXHost == nil {
		p.MXHost = r.list(&w.Policy.MXHostPattern)
	}
	if w.Policy.MXHost.fromString {
		r.add(diag.ReportMXHostString, fmt.Sprintf("In the report's %s, mx-host is a string (the RFC 8460 Appendix B example before errata 6241); it is read as a list of one.", name.String()),
			"Nothing to do.")
	}
	if p.Domain == "" {
		r.add(diag.ReportPolicyDomainEmpty, fmt.Sprintf("The report's %s has no policy-domain, so it counts for no domain.", name.String()),
			"Nothing to do; reporters such as Postfix's tlsrpt-reporter leave it out for no-policy-found.")
	}
	var sum int64
	p.Details, sum = r.details(name, w)
	p.Failed = r.failed(name, w.Summary, sum, len(p.Details))
	return p, true
}

// failed returns the failure count of an entry: total-failure-session-
// count, or where a reporter left it out, the sum of the details (J11,
// J12).
func (r reportDiags) failed(name policyLabel, s summaryWire, sum int64, details int) int64 {
	var missing []string
	if !s.Successful.present {
		missing = append(missing, "total-successful-session-count (read as 0)")
	}
	switch {
	case !s.Failed.present && details > 0:
		missing = append(missing, fmt.Sprintf("total-failure-session-count (read as the %d sessions of its failure-details)", sum))
	case !s.Failed.present:
		missing = append(missing, "total-failure-session-count (read as 0: it has no failure-details)")
	}
	if len(missing) > 0 {
		r.add(diag.ReportCountMissing, fmt.Sprintf("The report's %s has no %s.", name.String(), strings.Join(missing, " and no ")),
			"Nothing to do.")
	}
	if !s.Failed.present {
		return sum
	}
	// RFC 8460 §4.2 and §4.4: total-failure-session-count is the number of
	// failed sessions. Details that add up to more (Mail.ru, J10) count
	// some sessions twice; they still say what kind the failures were.
	if sum > s.Failed.n {
		r.add(diag.ReportFailuresExceed, fmt.Sprintf("In the report's %s, the failure-details add up to %d sessions, more than total-failure-session-count %d: the report disagrees with itself. %d failed sessions are counted, as the total says; the details still say what kind of failures they were.",
			name.String(), sum, s.Failed.n, s.Failed.n),
			"Nothing to do; Mail.ru reports do this.")
	}
	return s.Failed.n
}

// details normalises an entry's failure-details, and those the caps
// summed up (cutDetails), and returns their session sum.
func (r reportDiags) details(name policyLabel, pw *policyWire) ([]FailureDetail, int64) {
	ws, cut := pw.Details, &pw.cut
	if len(ws)+cut.n == 0 {
		return nil, 0
	}
	out := r.d.detailSlice(len(ws) + cut.entries())
	for i := range ws {
		w := &ws[i]
		out[i] = FailureDetail{
			ResultType:     r.str(w.ResultType),
			SendingIP:      r.addr(name, i, "sending-mta-ip", w.SendingIP),
			ReceivingMX:    r.str(hostName(w.ReceivingMX)),
			ReceivingIP:    r.addr(name, i, "receiving-ip", w.ReceivingIP),
			ReceivingHELO:  r.str(string(w.ReceivingHELO)),
			Sessions:       w.Sessions.n,
			ReasonCode:     r.str(string(w.ReasonCode)),
			AdditionalInfo: r.str(string(cmp.Or(w.AdditionalInfo, w.AdditionalURI))),
		}
	}
	if cut.n > 0 {
		r.d.limit(r.src, limitDetails)
		cut.fill(out[len(ws):])
	}
	var sum int64
	saturated := cut.saturated
	for i := range out {
		var held bool
		sum, held = addSat(sum, out[i].Sessions)
		saturated = saturated || held
	}
	if saturated {
		r.d.limit(r.src, limitSaturated)
	}
	return out, sum
}

// addr parses an IP address field; absent or invalid gives the zero Addr
// (J14).
func (r reportDiags) addr(name policyLabel, i int, field, s string) netip.Addr {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		r.add(diag.ReportAddressInvalid, fmt.Sprintf("In the report's %s, failure-details[%d] %s %q is not an IP address; it is ignored%s.",
			name.String(), i, field, clip(s), addrConsequence(field)),
			"Nothing to do for a received report.")
		return netip.Addr{}
	}
	return a
}

// addrConsequence says what an unreadable address field costs.
func addrConsequence(field string) string {
	if field == "sending-mta-ip" {
		return ", so known_senders and ignore rules cannot match the failure by IP"
	}
	return ": the failure is still grouped by its MX host name"
}

// invalidPolicy says what makes a policy entry unusable (J13), or "".
func invalidPolicy(w *policyWire) string {
	for _, c := range []struct {
		name string
		c    *count
	}{{"total-successful-session-count", &w.Summary.Successful}, {"total-failure-session-count", &w.Summary.Failed}} {
		if c.c.invalid != "" {
			return c.name + " " + describeCount(c.c.invalid)
		}
	}
	for i := range w.Details {
		if v := w.Details[i].Sessions.invalid; v != "" {
			return fmt.Sprintf("failure-details[%d] failed-session-count %s", i, describeCount(v))
		}
	}
	if v := w.cut.invalid; v != "" {
		return fmt.Sprintf("a failure-details failed-session-count %s", describeCount(v))
	}
	for _, l := range []struct {
		name string
		l    *stringList
	}{{"policy-string", &w.Policy.String}, {"mx-host", &w.Policy.MXHost}, {"mx-host-pattern", &w.Policy.MXHostPattern}} {
		if l.l.invalid {
			return l.name + " is not a list of strings"
		}
	}
	return ""
}

// policyLabel names policies[i] in messages; the name is only worked
// out when a message is written.
type policyLabel struct {
	i int
	w *policyWire
}

func (l policyLabel) String() string { return policyName(l.i, l.w) }

// policyName names policies[i] in messages, with its type and domain.
func policyName(i int, w *policyWire) string {
	desc := strings.TrimSpace(clip(w.Policy.Type) + " " + clip(hostName(w.Policy.Domain)))
	if desc == "" {
		return fmt.Sprintf("policies[%d]", i)
	}
	return fmt.Sprintf("policies[%d] (%s)", i, desc)
}

// hostName lower-cases a domain name and drops a trailing dot.
func hostName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// addSat adds two non-negative counts, saturating at the int64 maximum,
// and reports whether it did.
func addSat(a, b int64) (int64, bool) {
	if a > math.MaxInt64-b {
		return math.MaxInt64, true
	}
	return a + b, false
}
