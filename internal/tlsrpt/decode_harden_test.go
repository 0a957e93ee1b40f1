package tlsrpt

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reportWith returns minimal with its policies array replaced by
// policies (the JSON text of the array's elements).
func reportWith(policies string) string {
	i := strings.Index(minimal, `"policies":[`) + len(`"policies":[`)
	return minimal[:i] + policies + "]}"
}

// TestDecodePolicyTypeCase checks that policy-type is compared without
// regard to case: an entry of type "STS" is an sts entry, not an
// unknown type dropped without a word.
func TestDecodePolicyTypeCase(t *testing.T) {
	t.Parallel()
	entry := func(typ string) string {
		return `{"policy":{"policy-type":"` + typ + `","policy-domain":"example.com"},` +
			`"summary":{"total-successful-session-count":3,"total-failure-session-count":0}}`
	}
	src := reportWith(entry("STS") + "," + entry("Tlsa") + "," + entry("No-Policy-Found") + "," + entry(" sts "))
	var types []string
	agg := NewAggregator(Options{AsOf: asOf}, nil)
	diags := NewDecoder(DefaultLimits()).DecodeBytes("in", []byte(src), func(r Report) {
		for _, p := range r.Policies {
			types = append(types, p.Type)
		}
		agg.Add(r)
	})
	if diff := cmp.Diff([]string{"sts", "tlsa", "no-policy-found", "sts"}, types); diff != "" || len(diags) != 0 {
		t.Errorf("types (-want +got):\n%s\n%v", diff, diags)
	}
	w := agg.Window("example.com")
	if day := w.dayOf("2026-05-01"); day.Successful != 6 || day.Status != DayDirty {
		t.Errorf("2026-05-01: %+v, want 6 successful sessions (sts) and dirty (no-policy-found)", day)
	}
}

// dayOf returns the day of w with the given date.
func (w *Window) dayOf(date string) Day {
	for _, d := range w.Days {
		if d.Date == date {
			return d
		}
	}
	return Day{}
}
