package tlsrpt

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// shardReports are reports for the shard test: corpus reports (some
// twice, as duplicates) and reports that take the other paths of the
// aggregation: another policy, no-policy-found, DANE, no policy-domain,
// an ignored failure, a report after the as-of time.
func shardReports(t *testing.T) []Report {
	t.Helper()
	dec := NewDecoder(DefaultLimits())
	var out []Report
	for i, f := range corpusFiles(t, 400) {
		dec.DecodeBytes("corpus", f, func(r Report) { out = append(out, r) })
		if i%7 == 0 {
			dec.DecodeBytes("again", f, func(r Report) { out = append(out, r) })
		}
	}
	other := wsts(10, 1, wdetail("validation-failure", "192.0.2.1", "mx9.example.com", 1))
	other.PolicyString = []string{"mx: mx9.example.com"}
	return append(out,
		wreport("Other Policy Inc.", "o1", 3, 1, other),
		wreport("Google Inc.", "n1", 2, 1, PolicyResult{Type: "no-policy-found", Domain: "example.com", Successful: 4}),
		wreport("Google Inc.", "d1", 2, 1, PolicyResult{Type: "tlsa", Domain: "example.com", Failed: 2,
			Details: []FailureDetail{wdetail("dane-required", "192.0.2.7", "mx1.example.com", 2)}}),
		wreport("Postfix", "u1", 2, 1, PolicyResult{Type: "no-policy-found", Successful: 1}),
		wreport("Relay", "i1", 5, 7, wsts(5, 3, wdetail("certificate-expired", "203.0.113.9", "mx1.example.com", 3))),
		wreport("Late", "l1", -2, 1, wsts(1, 0)),
		wreport("Two Domains", "t1", 1, 1, wsts(1, 0), PolicyResult{Type: "sts", Domain: "example.org", Successful: 2}),
	)
}

// TestShards checks that adding reports through shards from several
// goroutines, some straight to the aggregator, gives what adding them
// one by one gives: the same windows, counts and duplicates.
func TestShards(t *testing.T) {
	t.Parallel()
	reports := shardReports(t)
	opts := Options{AsOf: asOf, KnownSenders: []Sender{{Org: "Comcast"}, {Prefix: netip.MustParsePrefix("198.51.100.0/28")}},
		Ignore: []IgnoreRule{{ResultType: "certificate-expired", Org: "relay", Reason: "retired"}}}
	for _, domains := range []map[string][]string{nil, {"example.com": {"mx1.example.com", "mx2.example.com"}}} {
		one := NewAggregator(opts, domains)
		for _, r := range reports {
			one.Add(r)
		}
		sharded := NewAggregator(opts, domains)
		const workers = 3
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				s := sharded.Shard()
				for i := w; i < len(reports); i += workers + 1 {
					s.Add(reports[i])
				}
				s.Flush()
			})
		}
		for i := workers; i < len(reports); i += workers + 1 {
			sharded.Add(reports[i])
		}
		wg.Wait()
		if diff := cmp.Diff(one.Domains(), sharded.Domains()); diff != "" {
			t.Fatalf("domains (-one by one +sharded):\n%s", diff)
		}
		for _, d := range one.Domains() {
			if diff := cmp.Diff(one.Window(d), sharded.Window(d)); diff != "" {
				t.Errorf("window of %s (-one by one +sharded):\n%s", d, diff)
			}
		}
		if w := one.Window("example.com"); len(w.Ignored) == 0 || domains != nil && len(w.OtherPolicies) == 0 {
			t.Errorf("the reports do not cover ignored failures and other policies: %+v", w)
		}
		r1, d1, u1 := one.Counts()
		r2, d2, u2 := sharded.Counts()
		if r1 != r2 || d1 != d2 || u1 != u2 || d1 == 0 || u1 == 0 {
			t.Errorf("counts one by one %d %d %d, sharded %d %d %d", r1, d1, u1, r2, d2, u2)
		}
	}
}

// TestShardUnflushed checks that a shard's reports count only once it
// is flushed, and that a flushed shard can be used again.
func TestShardUnflushed(t *testing.T) {
	t.Parallel()
	a := NewAggregator(Options{AsOf: asOf}, nil)
	s := a.Shard()
	if !s.Add(wreport("Google Inc.", "1", 1, 1, wsts(5, 0))) || s.Add(wreport("Google Inc.", "1", 1, 1, wsts(5, 0))) {
		t.Fatal("a new report not added, or a duplicate added")
	}
	if n, dups, _ := a.Counts(); n != 0 || dups != 1 || len(a.Domains()) != 0 {
		t.Errorf("before the flush: %d reports, %d duplicates, domains %v", n, dups, a.Domains())
	}
	s.Flush()
	s.Add(wreport("Google Inc.", "2", 2, 1, wsts(7, 0)))
	s.Flush()
	if n, _, _ := a.Counts(); n != 2 {
		t.Errorf("after the flushes: %d reports", n)
	}
	if w := a.Window("example.com"); w.CoveredDays != 2 {
		t.Errorf("after the flushes: %d covered days", w.CoveredDays)
	}
}

// BenchmarkAggregatorAdd adds decoded corpus reports to a shard that
// has seen them before under other report-ids, as in the middle of a
// run of 100,000 reports: one op is one report.
func BenchmarkAggregatorAdd(b *testing.B) {
	dec := NewDecoder(DefaultLimits())
	var reports []Report
	for _, f := range corpusFiles(b, 4096) {
		dec.DecodeBytes("corpus", f, func(r Report) { reports = append(reports, r) })
	}
	const run = 100000
	keys := make([]string, run)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	var s *Shard
	for i := 0; b.Loop(); i++ {
		if i%run == 0 {
			b.StopTimer()
			s = NewAggregator(Options{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}, nil).Shard()
			for _, r := range reports {
				s.Add(r)
			}
			b.StartTimer()
		}
		r := reports[i%len(reports)]
		r.Key = keys[i%run]
		s.Add(r)
	}
}

// TestPermute checks the in-place permutation that orders a window's
// failures against building the ordered list anew.
func TestPermute(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for n := range 40 {
		rows := make([]Failure, n)
		for i := range rows {
			rows[i].Sessions = int64(i)
		}
		order := make([]int32, n)
		for i, p := range rng.Perm(n) {
			order[i] = int32(p)
		}
		want := make([]Failure, n)
		for i, p := range order {
			want[i] = rows[p]
		}
		permute(rows, order)
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Fatalf("n=%d (-want +got):\n%s", n, diff)
		}
	}
}

// TestReuseReports checks that a decoder reusing its reports' slices
// gives an aggregator the same evidence as one handing out new ones,
// and that it does reuse them.
func TestReuseReports(t *testing.T) {
	t.Parallel()
	opts := Options{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	fresh, reused := NewAggregator(opts, nil), NewAggregator(opts, nil)
	plain, reusing := NewDecoder(DefaultLimits()), NewDecoder(DefaultLimits())
	reusing.ReuseReports = true
	var details []*FailureDetail
	for _, f := range corpusFiles(t, 300) {
		plain.DecodeBytes("corpus", f, func(r Report) { fresh.Add(r) })
		reusing.DecodeBytes("corpus", f, func(r Report) {
			reused.Add(r)
			for i := range r.Policies {
				if len(r.Policies[i].Details) > 0 {
					details = append(details, &r.Policies[i].Details[0])
				}
			}
		})
	}
	if diff := cmp.Diff(fresh.Window("example.com"), reused.Window("example.com")); diff != "" {
		t.Errorf("window (-new slices +reused):\n%s", diff)
	}
	distinct := map[*FailureDetail]bool{}
	for _, d := range details {
		distinct[d] = true
	}
	if len(details) < 100 || len(distinct) > len(details)/10 {
		t.Errorf("%d reports' details in %d places: not reused", len(details), len(distinct))
	}
}
