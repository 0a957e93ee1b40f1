package tlsrpt

import (
	"math"
	"testing"

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
