package tlsrpt

import (
	"fmt"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var asOf = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

var testingMX = []string{"version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"}

// wreport returns a report for example.com from org on date (days
// before asOf's date) with the given entries.
func wreport(org, id string, daysAgo, length int, entries ...PolicyResult) Report {
	start := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -daysAgo)
	return Report{Organization: org, ReportID: id, Key: "id:" + org + "\x00" + id,
		Start: start, End: start.AddDate(0, 0, length), Policies: entries}
}

func wsts(ok, failed int64, details ...FailureDetail) PolicyResult {
	return PolicyResult{Type: "sts", Domain: "example.com", PolicyString: testingMX, Successful: ok, Failed: failed, Details: details}
}

func wdetail(rt, ip, mx string, n int64) FailureDetail {
	d := FailureDetail{ResultType: rt, ReceivingMX: mx, Sessions: n}
	if ip != "" {
		d.SendingIP = netip.MustParseAddr(ip)
	}
	return d
}

// cleanDays returns daily clean reports from google for the days
// [from, to] days ago.
func cleanDays(from, to int) []Report {
	var out []Report
	for ago := from; ago >= to; ago-- {
		out = append(out, wreport("Google Inc.", fmt.Sprintf("g%d", ago), ago, 1, wsts(100, 0)))
	}
	return out
}

func with(reports []Report, more ...Report) []Report {
	return append(append([]Report{}, reports...), more...)
}

type windowSummary struct {
	Clean   bool
	Streak  int
	Last    string
	Covered int
	Reasons []string
}

func summarize(w Window) windowSummary {
	return windowSummary{w.Clean, w.CleanStreak, w.LastDay, w.CoveredDays, w.Reasons}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	failing := func(ago int, rt, org, ip string) Report {
		return wreport(org, fmt.Sprintf("f%d%s", ago, org), ago, 1, wsts(90, 10, wdetail(rt, ip, "mx1.example.com", 10)))
	}
	tests := []struct {
		name    string
		reports []Report
		opts    Options
		want    windowSummary
	}{
		{"14 clean days", cleanDays(14, 1), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"no reports", nil, Options{},
			windowSummary{false, 0, "", 0, []string{ReasonNoReports}}},
		{"13 clean days", cleanDays(13, 1), Options{},
			windowSummary{false, 13, "2026-11-27", 13, []string{ReasonStreakShort}}},
		{"gaps: every other day, enough coverage", everyNth(20, 2, 2), Options{},
			windowSummary{true, 19, "2026-11-26", 7, []string{}}},
		{"gaps: every third day, too little coverage", everyNth(23, 2, 3), Options{},
			windowSummary{false, 22, "2026-11-26", 5, []string{ReasonCoverageLow}}},
		{"multi-day report covers all its days", with(cleanDays(7, 1), wreport("Example Mail", "week", 14, 7, wsts(700, 0))), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"multi-day failing report dirties all its days", with(cleanDays(7, 1), wreport("Example Mail", "week", 14, 7, wsts(690, 10, wdetail("starttls-not-supported", "192.0.2.1", "mx2.example.com", 10)))), Options{},
			windowSummary{false, 7, "2026-11-27", 14, []string{ReasonStreakShort}}},
		{"stale: last report four days ago", cleanDays(17, 4), Options{},
			windowSummary{false, 14, "2026-11-24", 14, []string{ReasonReportsStale}}},
		{"not stale: last report three days ago", cleanDays(16, 3), Options{},
			windowSummary{true, 14, "2026-11-25", 14, []string{}}},
		{"dirty day just outside the window", with(cleanDays(15, 1), failing(15, "certificate-expired", "Google Inc.", "192.0.2.1")), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"dirty day just inside the window", with(cleanDays(15, 1), failing(14, "certificate-expired", "Google Inc.", "192.0.2.1")), Options{},
			windowSummary{false, 13, "2026-11-27", 14, []string{ReasonStreakShort}}},
		{"validation-failure from an unknown sender does not block", with(cleanDays(14, 1), failing(5, "validation-failure", "Exotic Mail", "198.51.100.9")), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"validation-failure from a known sender blocks", with(cleanDays(14, 1), failing(5, "validation-failure", "Exotic Mail", "198.51.100.9")),
			Options{KnownSenders: []Sender{{Org: "exotic mail"}}},
			windowSummary{false, 4, "2026-11-27", 14, []string{ReasonStreakShort}}},
		{"validation-failure from a known sender IP blocks", with(cleanDays(14, 1), failing(5, "validation-failure", "Exotic Mail", "198.51.100.9")),
			Options{KnownSenders: []Sender{{Prefix: netip.MustParsePrefix("198.51.100.0/24")}}},
			windowSummary{false, 4, "2026-11-27", 14, []string{ReasonStreakShort}}},
		{"ignore rule removes our-side failure", with(cleanDays(14, 1), failing(5, "certificate-host-mismatch", "Legacy Relay", "203.0.113.7")),
			Options{Ignore: []IgnoreRule{{Prefix: netip.MustParsePrefix("203.0.113.7/32"), Reason: "known scanner"}}},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"J8 no-policy-found blocks", with(cleanDays(14, 1), wreport("Postfix", "npf", 3, 1, PolicyResult{Type: "no-policy-found", Domain: "example.com", Successful: 5})), Options{},
			windowSummary{false, 2, "2026-11-27", 14, []string{ReasonStreakShort}}},
		{"J27 entries for another mx set are not coverage", otherPolicy(14, 1), Options{},
			windowSummary{false, 0, "", 0, []string{ReasonNoReports}}},
		{"empty policy-string counts", emptyPolicyString(14, 1), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"J22 duplicates count once", with(cleanDays(14, 1), cleanDays(14, 1)...), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"J7 another policy-domain is not ours", with(cleanDays(13, 1), wreport("Google Inc.", "other", 14, 1, PolicyResult{Type: "sts", Domain: "example.org", Successful: 5})), Options{},
			windowSummary{false, 13, "2026-11-27", 13, []string{ReasonStreakShort}}},
		{"reports after as-of are ignored", with(cleanDays(14, 1), failing(-1, "certificate-expired", "Google Inc.", "192.0.2.1")), Options{},
			windowSummary{true, 14, "2026-11-27", 14, []string{}}},
		{"unexplained failures of a known sender block", with(cleanDays(14, 1), wreport("Microsoft", "u", 2, 1, wsts(10, 4))),
			Options{KnownSenders: []Sender{{Org: "Microsoft"}}},
			windowSummary{false, 1, "2026-11-27", 14, []string{ReasonStreakShort}}},
		{"tlsa entries are no coverage", tlsaOnly(14, 1), Options{},
			windowSummary{false, 0, "", 0, []string{ReasonNoReports}}},
		{"today's dirty report ends the streak", with(cleanDays(14, 1), failing(0, "sts-policy-fetch-error", "Google Inc.", "")), Options{},
			windowSummary{false, 0, "2026-11-28", 14, []string{ReasonStreakShort}}},
		{"seven clean days suffice with clean_days 7", cleanDays(7, 1), Options{CleanDays: 7},
			windowSummary{true, 7, "2026-11-27", 7, []string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.opts.AsOf = asOf
			a := NewAggregator(tc.opts, map[string][]string{"example.com": {"mx1.example.com", "MX2.example.com"}})
			for _, r := range tc.reports {
				a.Add(r)
			}
			w := a.Window("example.com")
			if diff := cmp.Diff(tc.want, summarize(w)); diff != "" {
				t.Errorf("Window mismatch (-want +got):\n%s", diff)
			}
			// The days shown are the clean_days + max_report_lag days
			// ending at the as-of date.
			if n := w.Settings.CleanDays + 3; len(w.Days) != n || w.Days[n-1].Date != "2026-11-28" {
				t.Errorf("Days = %d ending %v, want %d ending 2026-11-28", len(w.Days), w.Days[len(w.Days)-1], n)
			}
		})
	}
}

func everyNth(from, to, step int) []Report {
	var out []Report
	for ago := to; ago <= from; ago += step {
		out = append(out, cleanDays(ago, ago)...)
	}
	return out
}

func otherPolicy(from, to int) []Report {
	out := cleanDays(from, to)
	for i := range out {
		out[i].Policies[0].PolicyString = []string{"version: STSv1", "mode: enforce", "mx: old.example.com", "max_age: 86400"}
	}
	return out
}

func emptyPolicyString(from, to int) []Report {
	out := cleanDays(from, to)
	for i := range out {
		out[i].Policies[0].PolicyString = nil
	}
	return out
}

func tlsaOnly(from, to int) []Report {
	out := cleanDays(from, to)
	for i := range out {
		out[i].Policies[0].Type = "tlsa"
	}
	return out
}

// TestWindowDetails checks the per-day rows, the failure groups and
// the ignored and other-policy lists.
func TestWindowDetails(t *testing.T) {
	t.Parallel()
	a := NewAggregator(Options{AsOf: asOf, Ignore: []IgnoreRule{{ResultType: "validation-failure", Org: "Legacy Relay", Reason: "retired"}}},
		map[string][]string{"example.com": {"mx1.example.com", "mx2.example.com"}})
	reports := with(cleanDays(3, 1),
		wreport("Comcast", "c1", 2, 1, wsts(50, 3, wdetail("certificate-host-mismatch", "96.114.1.1", "mx1.example.com", 3))),
		wreport("Legacy Relay", "l1", 2, 1, wsts(0, 2, wdetail("validation-failure", "203.0.113.7", "mx2.example.com", 2))),
		wreport("Exotic", "e1", 1, 1, wsts(1, 1, wdetail("validation-failure", "198.51.100.9", "mx2.example.com", 1))),
		wreport("Old", "o1", 1, 1, PolicyResult{Type: "sts", Domain: "example.com", PolicyString: []string{"mx: old.example.com"}, Successful: 9}),
		wreport("Nobody", "n1", 1, 1, PolicyResult{Type: "sts", Successful: 9}),
	)
	for _, r := range reports {
		a.Add(r)
	}
	w := a.Window("example.com")
	wantDays := []Day{
		{"2026-11-25", 1, 100, 0, 0, DayClean},
		{"2026-11-26", 3, 150, 5, 3, DayDirty},
		{"2026-11-27", 2, 101, 1, 0, DayClean},
		{"2026-11-28", 0, 0, 0, 0, DayUncovered},
	}
	if diff := cmp.Diff(wantDays, w.Days[len(w.Days)-4:]); diff != "" {
		t.Errorf("Days mismatch (-want +got):\n%s", diff)
	}
	wantFailures := []Failure{
		{ResultType: "certificate-host-mismatch", Org: "Comcast", SendingIP: "96.114.1.1", MX: "mx1.example.com", Sessions: 3, Class: ClassOurs, Blocking: true, FirstDay: "2026-11-26", LastDay: "2026-11-26"},
		{ResultType: "validation-failure", Org: "Exotic", SendingIP: "198.51.100.9", MX: "mx2.example.com", Sessions: 1, Class: ClassUnrecognized, FirstDay: "2026-11-27", LastDay: "2026-11-27"},
	}
	if diff := cmp.Diff(wantFailures, w.Failures); diff != "" {
		t.Errorf("Failures mismatch (-want +got):\n%s", diff)
	}
	wantIgnored := []Failure{{ResultType: "validation-failure", Org: "Legacy Relay", SendingIP: "203.0.113.7", MX: "mx2.example.com", Sessions: 2, Class: ClassUnrecognized, FirstDay: "2026-11-26", LastDay: "2026-11-26", Reason: "retired"}}
	if diff := cmp.Diff(wantIgnored, w.Ignored); diff != "" {
		t.Errorf("Ignored mismatch (-want +got):\n%s", diff)
	}
	if len(w.OtherPolicies) != 1 || w.OtherPolicies[0].Sessions != 9 {
		t.Errorf("OtherPolicies = %+v, want one with 9 sessions", w.OtherPolicies)
	}
	if reports, dups, unassigned := a.Counts(); reports != 8 || dups != 0 || unassigned != 1 {
		t.Errorf("Counts = %d, %d, %d; want 8, 0, 1", reports, dups, unassigned)
	}
}

func TestSpanOf(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	tests := []struct {
		start, end string
		days       int
	}{
		{"2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", 1}, // next midnight (J3)
		{"2026-11-20T00:00:00Z", "2026-11-20T23:59:59Z", 1}, // inclusive end (J3)
		{"2026-11-14T00:00:00Z", "2026-11-21T00:00:00Z", 7}, // week (J4)
		{"2026-11-20T06:00:00Z", "2026-11-21T06:00:00Z", 2}, // straddles midnight
		{"2026-11-20T00:00:00Z", "2026-11-20T00:00:00Z", 1}, // empty range still names its day
	}
	for _, tc := range tests {
		if got := spanOf(d(tc.start), d(tc.end)).days(); got != tc.days {
			t.Errorf("spanOf(%s, %s) covers %d days, want %d", tc.start, tc.end, got, tc.days)
		}
	}
}

// TestWindowWhy: each reason is explained with the numbers behind it.
func TestWindowWhy(t *testing.T) {
	t.Parallel()
	w := &Window{CleanStreak: 9, LastDay: "2026-11-20", CoveredDays: 5,
		Settings: WindowArgs{CleanDays: 14, MinReportDays: 7, MaxLagDays: 3, AsOf: "2026-11-28"}}
	for reason, want := range map[string]string{
		ReasonNoReports:    "no TLS-RPT report covers the domain",
		ReasonStreakShort:  "9 clean days in a row, 14 needed",
		ReasonReportsStale: "the newest report is for 2026-11-20, more than 3 days before 2026-11-28",
		ReasonCoverageLow:  "5 of the last 14 days have reports, 7 needed",
		"future-reason":    "future-reason",
	} {
		if got := w.Why(reason); got != want {
			t.Errorf("Why(%s) = %q, want %q", reason, got, want)
		}
	}
}

// BenchmarkWindow computes the window of a domain with 30,000 failure
// groups, as the 100,000 reports of scripts/perf-reports.sh leave.
func BenchmarkWindow(b *testing.B) {
	a := NewAggregator(Options{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}, nil)
	types := []string{"validation-failure", "certificate-expired", "starttls-not-supported", "sts-policy-fetch-error"}
	for i := range 30000 {
		ip := netip.AddrFrom4([4]byte{198, 51, byte(i >> 8), byte(i)}).String()
		a.Add(wreport([]string{"Google Inc.", "Microsoft", "Comcast"}[i%3], strconv.Itoa(i), i%20, 1,
			wsts(10, int64(i%7+1), wdetail(types[i%4], ip, "mx1.example.com", int64(i%7+1)))))
	}
	b.ReportAllocs()
	for b.Loop() {
		if w := a.Window("example.com"); len(w.Failures) != 30000 {
			b.Fatalf("%d failures", len(w.Failures))
		}
	}
}
