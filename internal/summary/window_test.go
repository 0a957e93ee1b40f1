package summary

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// outcome is everything an aggregator says about its evidence, but the
// names of the sources it came from.
type outcome struct {
	Domains     []string
	Windows     []tlsrpt.Window
	Diagnostics diag.List
	Conflicts   []tlsrpt.Conflict
}

// aggregate folds reps like the CLI does: read everything, and once more
// into the aggregator's recount when it counted a report that lost a
// conflict.
func aggregate(opts tlsrpt.Options, policies map[string][]string, reps []tlsrpt.Report) outcome {
	agg := tlsrpt.NewAggregator(opts, policies)
	for _, r := range reps {
		agg.Add(r)
	}
	if re := agg.Recount(); re != nil {
		for _, r := range reps {
			re.Add(r)
		}
		agg = re
	}
	o := outcome{Domains: agg.Domains(), Diagnostics: agg.Diagnostics(), Conflicts: agg.Conflicts()}
	for _, d := range o.Domains {
		o.Windows = append(o.Windows, agg.Window(d))
	}
	return o
}

// viaSummaries folds reps into summaries, renders them, and decodes the
// rendered documents back into reports.
func viaSummaries(t testing.TB, reps []tlsrpt.Report) []tlsrpt.Report {
	t.Helper()
	var s Set
	for _, r := range reps {
		s.Add(r)
	}
	var out []tlsrpt.Report
	for _, id := range s.Changed() {
		dl := Decode(id.Path(), s.Render(id), tlsrpt.Limits{}, func(r tlsrpt.Report) { out = append(out, r) })
		for _, d := range dl {
			if d.Code != diag.ReportDKIMFailed && d.Code != diag.ReportDKIMUnverified {
				t.Fatalf("Decode(%s): %v", id.Path(), dl)
			}
		}
	}
	return out
}

type windowCase struct {
	name     string
	opts     tlsrpt.Options
	policies map[string][]string
	// capped: there are more failure groups than MaxFailureGroups, and
	// which are listed depends on the order of reading, raw reports or
	// not; only the number listed is compared.
	capped bool
}

func windowCases() []windowCase {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	return []windowCase{
		{name: "defaults, every domain", opts: tlsrpt.Options{AsOf: at("2026-12-01T00:00:00Z")}},
		{name: "known senders, ignore rules, policy mx set", policies: map[string][]string{
			"example.com": {"mx1.example.com", "mx2.example.com"}, "example.net": nil},
			opts: tlsrpt.Options{AsOf: at("2026-11-20T08:00:00Z"), CleanDays: 7,
				KnownSenders: []tlsrpt.Sender{{Org: "partner mail inc."}, {Prefix: netip.MustParsePrefix("198.51.100.0/26")}},
				Ignore: []tlsrpt.IgnoreRule{{ResultType: "certificate-expired", Reason: "old MX, gone"},
					{Org: "Odd Sender", MX: "mx2.example.com", Reason: "their bug"}}}},
		{name: "as-of inside multi-day reports, other mx set", policies: map[string][]string{"example.com": {"old-mx.example.com"}},
			opts: tlsrpt.Options{AsOf: at("2026-11-02T12:00:00Z"), CleanDays: 3, MaxLagDays: 1}},
		{name: "fixture dates", opts: tlsrpt.Options{AsOf: at("2026-03-04T00:00:00Z"), CleanDays: 2}},
		{name: "few groups", capped: true, policies: map[string][]string{"example.com": nil},
			opts: tlsrpt.Options{AsOf: at("2026-11-30T00:00:00Z"), Limits: tlsrpt.Limits{MaxFailureGroups: 5}}},
	}
}

// TestWindowFromSummaries is the property of DESIGN §1.10: the window
// from the summaries of some reports is the window from the reports,
// for any options, and reading the reports beside their summaries
// counts each once.
func TestWindowFromSummaries(t *testing.T) {
	t.Parallel()
	reps := append(fixtureReports(t), corpusReports(t, 300)...)
	for seed := range uint64(4) {
		reps = append(reps, generated(seed, 150)...)
	}
	summarized := viaSummaries(t, reps)
	ignoreSources := cmpopts.IgnoreFields(tlsrpt.Conflict{}, "Counted", "Other")
	for _, tc := range windowCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := aggregate(tc.opts, tc.policies, reps)
			ignoreSources := ignoreSources
			if tc.capped {
				ignoreSources = cmp.Options{ignoreSources, cmp.Transformer("count", func(fs []tlsrpt.Failure) int { return len(fs) })}
			}
			if len(want.Windows) == 0 {
				t.Fatal("no window: the case tests nothing")
			}
			if diff := cmp.Diff(want, aggregate(tc.opts, tc.policies, summarized), ignoreSources, cmpopts.IgnoreUnexported(tlsrpt.Conflict{})); diff != "" {
				t.Errorf("window from summaries differs from the reports' (-reports +summaries):\n%s", diff)
			}
			both := append(append([]tlsrpt.Report{}, summarized...), reps...)
			if diff := cmp.Diff(want, aggregate(tc.opts, tc.policies, both), ignoreSources, cmpopts.IgnoreUnexported(tlsrpt.Conflict{})); diff != "" {
				t.Errorf("summaries read with their reports count some twice (-reports +both):\n%s", diff)
			}
		})
	}
}
