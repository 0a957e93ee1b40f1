package dane

import (
	"slices"
	"testing"
)

// FuzzVerify drives two records, their parameters and data, against the
// fixed chain of testdata/chain.pem (made once with fetchtest: a CA and a
// server certificate for mx.example.com, certificates only). Verify must
// not panic, and may say Match only for a record it was given, only when
// some record is usable.
func FuzzVerify(f *testing.F) {
	seeds := readSeeds(f)
	for i, s := range seeds {
		a, b := s.record, seeds[(i+1)%len(seeds)].record
		f.Add(a.Usage, a.Selector, a.MatchingType, a.Data, b.Usage, b.Selector, b.MatchingType, b.Data)
	}
	chain := readChain(f)
	f.Fuzz(func(t *testing.T, u1, s1, m1 uint8, d1 []byte, u2, s2, m2 uint8, d2 []byte) {
		records := []Record{{u1, s1, m1, d1}, {u2, s2, m2, d2}}
		v := Verify(records, chain, "mx.example.com", fixedNow)
		if v.Outcome == Match && !slices.ContainsFunc(records, func(r Record) bool { return equal(r, v.Record) }) {
			t.Errorf("Verify(%v) = Match with %v, not one of the records", records, v.Record)
		}
		if (v.Outcome == Unusable) != (v.Usable == 0) {
			t.Errorf("Verify(%v) = %v with %d usable records", records, v.Outcome, v.Usable)
		}
		if (v.Outcome == Match) != (v.Reason == "") {
			t.Errorf("Verify(%v) = %v with reason %q", records, v.Outcome, v.Reason)
		}
	})
}

func equal(a, b Record) bool {
	return a.Usage == b.Usage && a.Selector == b.Selector && a.MatchingType == b.MatchingType && string(a.Data) == string(b.Data)
}
