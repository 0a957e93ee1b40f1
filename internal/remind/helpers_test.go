package remind

import (
	"flag"
	"fmt"
	"time"

	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// now is the time of every test run: 2026-11-28 10:30 UTC.
var now = time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)

const (
	domain   = "example.com"
	oldID    = "20261001T000000"
	zoneFile = "dns/example.com.zone"
)

// testingPolicy is a policy in testing mode with a short max_age.
const testingPolicy = "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmx: *.mx.example.net\r\nmax_age: 86400\r\n"

// enforcePolicy is the same policy switched to enforce.
const enforcePolicy = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.mx.example.net\nmax_age: 1209600\n"

// days returns n days ending on last (a date), every one clean except
// those listed as dirty.
func days(last string, n int, dirty ...string) []tlsrpt.Day {
	end, _ := time.Parse(time.DateOnly, last)
	out := make([]tlsrpt.Day, 0, n)
	for i := n - 1; i >= 0; i-- {
		d := end.AddDate(0, 0, -i).Format(time.DateOnly)
		day := tlsrpt.Day{Date: d, Reports: 3, Successful: 800, Status: tlsrpt.DayClean}
		for _, x := range dirty {
			if x == d {
				day.Failed, day.Blocking, day.Status = 4, 4, tlsrpt.DayDirty
			}
		}
		out = append(out, day)
	}
	return out
}

// cleanWindow is a clean window of 21 days through 2026-11-27.
func cleanWindow() *tlsrpt.Window {
	return &tlsrpt.Window{Domain: domain, Clean: true, CleanStreak: 21, LastDay: "2026-11-27", CoveredDays: 14,
		Reasons: []string{}, Days: days("2026-11-27", 17), Failures: []tlsrpt.Failure{
			{ResultType: "validation-failure", Org: "Exotic Mail | <b>Ltd</b>", SendingIP: "203.0.113.9", MX: "mail.example.com",
				Sessions: 2, Class: tlsrpt.ClassUnrecognized, FirstDay: "2026-11-20", LastDay: "2026-11-21"},
		}, Ignored: []tlsrpt.Failure{}, Settings: windowArgs}
}

// dirtyWindow is a window with a blocking failure on 2026-11-20.
func dirtyWindow() *tlsrpt.Window {
	return &tlsrpt.Window{Domain: domain, CleanStreak: 7, LastDay: "2026-11-27", CoveredDays: 14,
		Reasons: []string{tlsrpt.ReasonStreakShort}, Days: days("2026-11-27", 17, "2026-11-20"), Failures: []tlsrpt.Failure{
			{ResultType: "certificate-expired", Org: "Google Inc.", SendingIP: "209.85.220.41", MX: "mail.example.com",
				Sessions: 4, Class: tlsrpt.ClassOurs, Blocking: true, FirstDay: "2026-11-20", LastDay: "2026-11-20"},
		}, Ignored: []tlsrpt.Failure{}, Settings: windowArgs}
}

// windowArgs are the settings the test windows were computed with.
var windowArgs = tlsrpt.WindowArgs{CleanDays: 14, MinReportDays: 7, MaxLagDays: 3, AsOf: "2026-11-28"}

// manyFailures is a window with n blocking failure groups.
func manyFailures(n int) *tlsrpt.Window {
	w := dirtyWindow()
	w.Failures = nil
	for i := range n {
		w.Failures = append(w.Failures, tlsrpt.Failure{ResultType: "starttls-not-supported",
			Org:       fmt.Sprintf("Sender %05d with a rather long organisation name to fill the table", i),
			SendingIP: fmt.Sprintf("198.51.%d.%d", i/250, i%250), MX: "mail.example.com", Sessions: int64(n - i),
			Class: tlsrpt.ClassOurs, Blocking: true, FirstDay: "2026-11-20", LastDay: "2026-11-20"})
	}
	return w
}

// readyState is a domain in testing since 2026-10-01 with a clean window,
// everything live as declared.
func readyState() State {
	return State{
		Domain: domain, PolicyFile: ".well-known/mta-sts.txt", PolicyText: []byte(testingPolicy), RepoMode: policy.ModeTesting,
		DNS:               Declared{File: zoneFile, Line: 7, LineText: `_mta-sts        3600 IN TXT "v=STSv1; id=` + oldID + `"`, ID: oldID},
		LivePolicyMatches: true, LiveMode: policy.ModeTesting, LiveID: oldID, TLSRPT: true,
		Window:       cleanWindow(),
		TestingSince: Since{Time: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), Source: SinceCommits},
		Now:          now, StaleDays: 30, CleanDays: 14, SnoozeDays: 30,
	}
}

// with returns s changed by f.
func with(s State, f func(*State)) State {
	f(&s)
	return s
}

// domainStates returns readyState for each of domains.
func domainStates(domains ...string) []State {
	states := make([]State, 0, len(domains))
	for _, d := range domains {
		states = append(states, with(readyState(), func(s *State) { s.Domain = d }))
	}
	return states
}
