package tlsrpt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConflictingReports: a forged report under the key of a real one
// cannot hide its failures, whichever is read first (issue 12): the one
// with more failed sessions counts, after a recount when it was read
// second, and the pair is reported. Plain copies are no conflict.
func TestConflictingReports(t *testing.T) {
	t.Parallel()
	real := wreport("Google Inc.", "r1", 3, 1, wsts(100, 4, wdetail("certificate-expired", "192.0.2.1", "mx1.example.com", 4)))
	real.Source = "reports/real.json"
	forged := wreport("Google Inc.", "r1", 3, 1, wsts(100, 0))
	forged.Source = "reports/forged.json"
	third := wreport("Google Inc.", "r1", 3, 1, wsts(100, 1, wdetail("starttls-not-supported", "192.0.2.2", "mx1.example.com", 1)))
	third.Source = "reports/third.json"
	want := []Conflict{
		{Organization: "Google Inc.", ReportID: "r1", Counted: "reports/real.json", CountedFailures: 4, Other: "reports/forged.json"},
		{Organization: "Google Inc.", ReportID: "r1", Counted: "reports/real.json", CountedFailures: 4, Other: "reports/third.json", OtherFailures: 1},
	}
	for _, order := range [][]Report{
		{forged, real, third}, {real, forged, third}, {third, forged, real, real}, {forged, forged, third, real},
	} {
		agg := NewAggregator(Options{AsOf: asOf}, map[string][]string{"example.com": nil})
		for _, r := range order {
			agg.Add(r)
		}
		if diff := cmp.Diff(want, agg.Conflicts(), cmp.AllowUnexported(Conflict{}), cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".key" }, cmp.Ignore())); diff != "" {
			t.Errorf("Conflicts after %s... (-want +got):\n%s", order[0].Source, diff)
		}
		if next := agg.Recount(); next != nil {
			if order[0].Source == "reports/real.json" {
				t.Errorf("Recount after reading the winner first = %v, want nil", next)
			}
			for i := len(order) - 1; i >= 0; i-- { // another order
				next.Add(order[i])
			}
			agg = next
		}
		w := agg.Window("example.com")
		day := w.Days[len(w.Days)-4]
		if day.Failed != 4 || day.Blocking != 4 || day.Reports != 1 {
			t.Errorf("after %s...: day %s = %+v, want the real report's 4 failures", order[0].Source, day.Date, day)
		}
	}
	copies := NewAggregator(Options{AsOf: asOf}, nil)
	copies.Add(real)
	again := real
	again.Source = "reports/copy.json"
	copies.Add(again)
	if c := copies.Conflicts(); len(c) != 0 || copies.Recount() != nil {
		t.Errorf("two copies of one report conflict: %v", c)
	}
}
