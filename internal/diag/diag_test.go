package diag

import "testing"

func TestClause(t *testing.T) {
	for in, want := range map[string]string{
		"The zone file is broken.":        "the zone file is broken",
		"MX host is bad.":                 "MX host is bad",
		"already fine":                    "already fine",
		"Nothing to do; Mail.ru does so.": "nothing to do; Mail.ru does so",
		"wait...":                         "wait...",
		"":                                "",
		"A":                               "A",
	} {
		if got := clause(in); got != want {
			t.Errorf("clause(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPosOffset(t *testing.T) {
	base := Pos{Line: 5, Column: 20}
	for _, tc := range []struct{ in, want Pos }{
		{Pos{1, 1}, Pos{5, 20}},
		{Pos{1, 10}, Pos{5, 29}},
		{Pos{2, 3}, Pos{6, 3}},
		{Pos{}, base},
		{Pos{1, 0}, Pos{5, 0}},
	} {
		if got := tc.in.Offset(base); got != tc.want {
			t.Errorf("%v.Offset(%v) = %v, want %v", tc.in, base, got, tc.want)
		}
	}
}
