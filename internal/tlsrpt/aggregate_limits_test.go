package tlsrpt

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// TestSaturation checks that session counts too large to add up hold
// at 2^63-1 in every sum (a day's counts, failure groups, other
// policies, shards merged) instead of wrapping around to negative
// numbers, and that the aggregator says so once per domain.
func TestSaturation(t *testing.T) {
	t.Parallel()
	const huge = math.MaxInt64
	expired := wdetail("certificate-expired", "192.0.2.1", "mx1.example.com", huge)
	reports := []Report{
		wreport("A", "1", 1, 1, wsts(huge, huge, expired)),
		wreport("B", "2", 1, 1, wsts(huge, huge, expired)),
		wreport("A", "3", 2, 1, PolicyResult{Type: "no-policy-found", Domain: "example.com", Successful: huge, Failed: huge}),
		wreport("C", "4", 3, 1, PolicyResult{Type: "sts", Domain: "example.com", PolicyString: []string{"mx: other.example.net"}, Successful: huge, Failed: huge}),
	}
	mx := map[string][]string{"example.com": {"mx1.example.com", "mx2.example.com"}}
	one := NewAggregator(Options{AsOf: asOf}, mx)
	for _, r := range reports {
		one.Add(r)
	}
	sharded := NewAggregator(Options{AsOf: asOf}, mx)
	for _, r := range reports {
		s := sharded.Shard()
		s.Add(r)
		s.Flush()
	}
	for name, agg := range map[string]*Aggregator{"one by one": one, "shards": sharded} {
		w := agg.Window("example.com")
		day := w.dayOf("2026-11-27")
		if day.Successful != huge || day.Failed != huge || day.Blocking != huge || day.Status != DayDirty {
			t.Errorf("%s: 2026-11-27 %+v, want counts held at 2^63-1", name, day)
		}
		if day := w.dayOf("2026-11-26"); day.Blocking != huge {
			t.Errorf("%s: 2026-11-26 (no-policy-found) %+v", name, day)
		}
		for _, f := range append(w.Failures, w.OtherPolicies...) {
			if f.Sessions < 0 {
				t.Errorf("%s: failure group %+v wrapped around", name, f)
			}
		}
		if diff := cmp.Diff([]diag.Code{diag.ReportCountSaturated}, agg.Diagnostics().Codes()); diff != "" {
			t.Errorf("%s: diagnostics (-want +got):\n%s", name, diff)
		}
		if d := agg.Diagnostics(); len(d) == 1 && d[0].Domain != "example.com" {
			t.Errorf("%s: diagnostic for domain %q", name, d[0].Domain)
		}
	}
	calm := NewAggregator(Options{AsOf: asOf}, nil)
	calm.Add(wreport("A", "1", 1, 1, wsts(huge, 0)))
	if d := calm.Diagnostics(); len(d) != 0 {
		t.Errorf("no sum saturated, but %v", d)
	}
}

// TestFailureGroupsCapped checks MaxFailureGroups: once a domain has
// that many failure groups, new ones are not listed, but their sessions
// still count in the days' failed and blocking totals, so that filling
// the list with junk can never make a dirty day look clean; and the
// aggregator says so once per domain.
func TestFailureGroupsCapped(t *testing.T) {
	t.Parallel()
	opts := Options{AsOf: asOf, Limits: Limits{MaxFailureGroups: 3},
		Ignore: []IgnoreRule{{ResultType: "dnssec-invalid", Reason: "no DNSSEC"}}}
	junk := func(i int) Report {
		return wreport("Junk", "j"+strconv.Itoa(i), 3, 1, wsts(1, 1, wdetail("validation-failure", "192.0.2."+strconv.Itoa(i), "mx1.example.com", 1)))
	}
	expired := wreport("Comcast", "c1", 1, 1, wsts(10, 4, wdetail("certificate-expired", "198.51.100.7", "mx1.example.com", 4)))
	nopolicy := wreport("Google Inc.", "n1", 2, 1, PolicyResult{Type: "no-policy-found", Domain: "example.com", Successful: 5})
	ignored := wreport("X", "x1", 4, 1, wsts(1, 1, wdetail("dnssec-invalid", "192.0.2.9", "mx1.example.com", 1)))
	reports := []Report{junk(1), junk(2), junk(3), junk(4), expired, nopolicy, ignored}
	one := NewAggregator(opts, nil)
	for _, r := range reports {
		one.Add(r)
	}
	sharded := NewAggregator(opts, nil)
	for _, part := range [][]Report{reports[:2], reports[2:5], reports[5:]} {
		s := sharded.Shard()
		for _, r := range part {
			s.Add(r)
		}
		s.Flush()
	}
	for name, agg := range map[string]*Aggregator{"one by one": one, "shards": sharded} {
		w := agg.Window("example.com")
		if len(w.Failures)+len(w.Ignored) > 3 {
			t.Errorf("%s: %d failure groups listed, cap 3", name, len(w.Failures)+len(w.Ignored))
		}
		for date, want := range map[string]Day{
			"2026-11-27": {Date: "2026-11-27", Reports: 1, Successful: 10, Failed: 4, Blocking: 4, Status: DayDirty},
			"2026-11-26": {Date: "2026-11-26", Reports: 1, Blocking: 5, Status: DayDirty},
			"2026-11-25": {Date: "2026-11-25", Reports: 4, Successful: 4, Failed: 4, Status: DayClean},
		} {
			if diff := cmp.Diff(want, w.dayOf(date)); diff != "" {
				t.Errorf("%s: %s (-want +got):\n%s", name, date, diff)
			}
		}
		if w.Clean {
			t.Errorf("%s: window clean", name)
		}
		diags := agg.Diagnostics()
		if diff := cmp.Diff([]diag.Code{diag.ReportGroupsCapped}, diags.Codes()); diff != "" {
			t.Fatalf("%s: diagnostics (-want +got):\n%s", name, diff)
		}
		if diags[0].Domain != "example.com" || !strings.Contains(diags[0].Message, "more than 3 failure groups") {
			t.Errorf("%s: %v", name, diags[0])
		}
	}
}

// TestFailureGroupsCappedMemory checks that failures beyond
// MaxFailureGroups keep nothing of their names.
func TestFailureGroupsCappedMemory(t *testing.T) {
	t.Parallel()
	agg := NewAggregator(Options{AsOf: asOf, Limits: Limits{MaxFailureGroups: 10}}, nil)
	for i := range 1000 {
		org := strings.Repeat("junk ", 200) + strconv.Itoa(i)
		agg.Add(wreport(org, "j", 3, 1, wsts(1, 1, wdetail("x-"+org, "192.0.2.1", org+".example", 1))))
	}
	d := agg.tally.domains["example.com"]
	if len(d.failures) != 10 || len(d.names.names) > 40 || d.unlisted != 990 {
		t.Errorf("%d groups, %d names, %d unlisted", len(d.failures), len(d.names.names), d.unlisted)
	}
	w := agg.Window("example.com")
	if day := w.dayOf("2026-11-25"); day.Failed != 1000 {
		t.Errorf("day %+v, want 1000 failed sessions", day)
	}
}

// TestIgnoreUnsigned: with IgnoreUnsigned, reports from mails without a
// DKIM pass cover no day and are counted in one notice (RFC 8460 §3);
// without it they count.
func TestIgnoreUnsigned(t *testing.T) {
	t.Parallel()
	asOf := time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC)
	signed := report("a.eml", "Org", "r1", "", "2026-04-01", sts("example.com", 10, 0))
	signed.Key, signed.Auth = "k1", AuthPass
	forged := report("b.eml", "Org", "r2", "", "2026-04-02", sts("example.com", 10, 0))
	forged.Key, forged.Auth = "k2", AuthFail
	plain := report("c.json", "Org", "r3", "", "2026-04-02", sts("example.com", 5, 0))
	plain.Key = "k3" // not from a mail
	for _, ignore := range []bool{false, true} {
		a := NewAggregator(Options{AsOf: asOf, IgnoreUnsigned: ignore}, nil)
		sh := a.Shard()
		for _, r := range []Report{signed, forged, plain} {
			sh.Add(r)
		}
		sh.Flush()
		w := a.Window("example.com")
		var got []int
		for _, d := range w.Days {
			got = append(got, d.Reports)
		}
		want := []int{1, 2}
		if ignore {
			want = []int{1, 1}
		}
		if len(got) < 2 || got[len(got)-3] != want[0] || got[len(got)-2] != want[1] {
			t.Errorf("ignore=%v: reports per day %v, want ... %v, 0", ignore, got, want)
		}
		notes := a.Diagnostics()
		if has := notes.Has(diag.ReportUnsignedIgnored); has != ignore {
			t.Errorf("ignore=%v: diagnostics %v", ignore, notes)
		}
	}
}
