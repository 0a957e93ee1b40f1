package tlsrpt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFailureClassOrder checks that a failure group reported under both
// an sts and a tlsa entry (or as a no-policy-found entry and as an sts
// detail of that result type) gets one class whatever the order the
// reports are read in: the CLI reads sources in parallel, and summaries
// give their reports in a different order than the mails came in.
func TestFailureClassOrder(t *testing.T) {
	t.Parallel()
	detail := wdetail("starttls-not-supported", "198.51.100.7", "mx1.example.com", 3)
	tlsa := PolicyResult{Type: "tlsa", Domain: "example.com", Failed: 3, Details: []FailureDetail{detail}}
	npf := PolicyResult{Type: "no-policy-found", Domain: "example.com", Successful: 2}
	npfDetail := wdetail("no-policy-found", "", "", 1)
	reports := []Report{
		wreport("Odd Sender", "a", 3, 1, tlsa),
		wreport("Odd Sender", "b", 2, 1, wsts(10, 3, detail)),
		wreport("Odd Sender", "c", 2, 1, npf),
		wreport("Odd Sender", "d", 1, 1, wsts(10, 1, npfDetail)),
	}
	window := func(order ...int) []Failure {
		a := NewAggregator(Options{AsOf: asOf}, nil)
		for _, i := range order {
			a.Add(reports[i])
		}
		return a.Window("example.com").Failures
	}
	want := window(1, 0, 2, 3)
	for _, got := range [][]Failure{window(0, 1, 3, 2), window(3, 0, 2, 1)} {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("failures depend on the order of reading (-want +got):\n%s", diff)
		}
	}
	for _, f := range want {
		if !f.Blocking {
			t.Errorf("failure %+v does not block; a failure that blocks in one report blocks its group", f)
		}
	}
}
