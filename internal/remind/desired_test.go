package remind

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// TestDesiredKinds covers every state of DESIGN §1.6 and the order in
// which they are decided.
func TestDesiredKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		state     State
		kind      Kind
		title     string
		inBody    []string
		notInBody []string
	}{
		{name: "ready", state: readyState(), kind: KindReady,
			title:  "MTA-STS: example.com is ready to switch to enforce mode",
			inBody: []string{"+mode: enforce", "-mode: testing", "+max_age: 1209600", `id=20261128T103000"`, "Publish order (RFC 8461 §8.1)"}},
		{name: "ready from an at-least date", state: with(readyState(), func(s *State) {
			s.TestingSince = Since{Time: now.AddDate(0, 0, -31), Source: SinceCommits, AtLeast: true}
		}), kind: KindReady, inBody: []string{"2026-10-28 or earlier"}},
		{name: "blocked by failures", state: with(readyState(), func(s *State) { s.Window = dirtyWindow() }), kind: KindBlocked,
			title:  "MTA-STS: example.com has been in testing mode for over 30 days",
			inBody: []string{"**Blocking failures** (1)", "certificate-expired", "7 clean days in a row, 14 needed", "Once the window is clean"}},
		{name: "blocked by an MX that would fail", state: with(readyState(), func(s *State) {
			s.MXFailures = []string{"mx2.example.com: its certificate is for mail.other.example (certificate-host-mismatch)"}
		}), kind: KindBlocked,
			title: "MTA-STS: example.com has been in testing mode for over 30 days",
			inBody: []string{"a probe of the MX hosts found that `mode: enforce` would break delivery",
				"mx2.example.com: its certificate is for mail.other.example (certificate-host-mismatch)", "Fix each MX host",
				"Once every MX host passes the probe"},
			notInBody: []string{"Nothing blocks"}},
		{name: "blocked without reports", state: with(readyState(), func(s *State) { s.Window = nil }), kind: KindBlocked,
			inBody: []string{"no reports were read for the domain", "No TLS-RPT reports were read"}},
		{name: "blocked, testing since from reports", state: with(readyState(), func(s *State) {
			s.Window = dirtyWindow()
			s.TestingSince = Since{Time: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), Source: SinceReports}
		}), kind: KindBlocked, inBody: []string{"from the oldest report that saw it"}},
		{name: "testing, not stale yet", state: with(readyState(), func(s *State) { s.TestingSince.Time = now.AddDate(0, 0, -29) }), kind: KindQuiet,
			inBody: []string{"reminds you again if it still is on 2026-11-29"}},
		{name: "testing since unknown", state: with(readyState(), func(s *State) { s.TestingSince = Since{} }), kind: KindQuiet},
		{name: "policy drift, id not yet published", state: with(readyState(), func(s *State) {
			s.RepoMode, s.LivePolicyMatches, s.DNS.ID = policy.ModeEnforce, false, "20261128T000000"
		}), kind: KindDrift, title: "MTA-STS: example.com serves a policy that differs from the repository",
			inBody: []string{"Deploy the policy", "Then publish the declared id", "`v=STSv1; id=20261128T000000`"}},
		{name: "ordering trap", state: with(readyState(), func(s *State) {
			s.RepoMode, s.LivePolicyMatches, s.DNS.ID, s.LiveID = policy.ModeEnforce, false, "20261128T000000", "20261128T000000"
		}), kind: KindDrift, title: "MTA-STS: example.com published its new id before its new policy",
			inBody: []string{"cached it under the new id", "change the id once more", "`v=STSv1; id=20261128T103000`"}},
		{name: "policy drift without declared DNS", state: with(readyState(), func(s *State) {
			s.LivePolicyMatches, s.DNS = false, Declared{}
		}), kind: KindDrift, inBody: []string{"The repository declares no DNS", "v=STSv1; id=20261128T103000"}},
		{name: "id drift", state: with(readyState(), func(s *State) { s.LiveID = "20250101T000000" }), kind: KindDrift,
			title:  "MTA-STS: example.com publishes an id that differs from the repository",
			inBody: []string{"**Publish `_mta-sts.example.com` TXT `v=STSv1; id=20261001T000000`** now that"}},
		{name: "no _mta-sts record", state: with(readyState(), func(s *State) { s.LiveID = "" }), kind: KindDrift,
			title: "MTA-STS: example.com publishes no _mta-sts record", inBody: []string{"never look for the policy"}},
		{name: "drift in mode none", state: with(readyState(), func(s *State) { s.RepoMode, s.LivePolicyMatches = policy.ModeNone, false }), kind: KindDrift},
		{name: "mode none", state: with(readyState(), func(s *State) { s.RepoMode, s.TLSRPT = policy.ModeNone, false }), kind: KindQuiet},
		{name: "TLS-RPT missing", state: with(readyState(), func(s *State) { s.TLSRPT = false }), kind: KindTLSRPTMissing,
			title: "MTA-STS: example.com publishes no TLS-RPT record", inBody: []string{"v=TLSRPTv1; rua=mailto:"}},
		{name: "TLS-RPT missing in enforce", state: with(readyState(), func(s *State) { s.RepoMode, s.TLSRPT = policy.ModeEnforce, false }), kind: KindTLSRPTMissing},
		{name: "resolved", state: with(readyState(), func(s *State) { s.RepoMode = policy.ModeEnforce }), kind: KindResolved,
			title: "MTA-STS: example.com enforces its policy", notInBody: []string{"What to do", "Testing since"}},
		{name: "unverified", state: with(readyState(), func(s *State) { s.Unverified, s.LivePolicyMatches = true, false }), kind: KindUnknown},
		{name: "no policy", state: with(readyState(), func(s *State) { s.RepoMode = "" }), kind: KindQuiet},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Desired(tc.state, Hidden{})
			if got.Kind != tc.kind {
				t.Fatalf("Desired kind = %s, want %s", got.Kind, tc.kind)
			}
			if tc.title != "" && got.Title != tc.title {
				t.Errorf("title = %q, want %q", got.Title, tc.title)
			}
			if !tc.kind.Wanted() && tc.kind != KindResolved {
				if got.Body != "" || got.Title != "" {
					t.Errorf("kind %s renders a body; want none", tc.kind)
				}
				for _, s := range tc.inBody {
					if !strings.Contains(got.Change, s) {
						t.Errorf("comment lacks %q: %s", s, got.Change)
					}
				}
				return
			}
			checkBody(t, got)
			for _, s := range tc.inBody {
				if !strings.Contains(got.Body, s) {
					t.Errorf("body lacks %q:\n%s", s, got.Body)
				}
			}
			for _, s := range tc.notInBody {
				if strings.Contains(got.Body, s) {
					t.Errorf("body has %q:\n%s", s, got.Body)
				}
			}
		})
	}
}

// checkBody asserts what every rendered body must hold: the marker and a
// hidden state that parses back to the issue's, within GitHub's limit.
func checkBody(t *testing.T, is Issue) {
	t.Helper()
	if !HasMarker(is.Body, domain) {
		t.Errorf("body lacks the marker %q", Marker(domain))
	}
	h, ok := ParseState(is.Body)
	if !ok {
		t.Fatalf("hidden state does not parse:\n%s", is.Body)
	}
	if diff := cmp.Diff(is.State, h); diff != "" {
		t.Errorf("hidden state mismatch (-want +got):\n%s", diff)
	}
	if n := utf8.RuneCountInString(is.Body); n > 65536 {
		t.Errorf("body has %d characters, over GitHub's 65536", n)
	}
	if is.Change == "" {
		t.Error("no comment for entering the state")
	}
}

// TestDesiredKeepsHiddenState checks that reruns keep since and the
// suggested id, so that the body does not change, and that a new kind or
// a used id starts afresh.
func TestDesiredKeepsHiddenState(t *testing.T) {
	t.Parallel()
	first := Desired(readyState(), Hidden{})
	later := with(readyState(), func(s *State) { s.Now = now.Add(26 * time.Hour) })
	again := Desired(later, first.State)
	if again.Body != first.Body || again.Title != first.Title {
		t.Errorf("rerun a day later changed the issue:\n%s", cmp.Diff(first.Body, again.Body))
	}
	if again.State.NewID != "20261128T103000" {
		t.Errorf("suggested id = %q, want the one fixed on entry", again.State.NewID)
	}
	blocked := Desired(with(later, func(s *State) { s.Window = dirtyWindow() }), first.State)
	if blocked.State.NewID != "20261129T123000" || !blocked.State.Since.Equal(later.Now) {
		t.Errorf("new kind kept the old hidden state: %+v", blocked.State)
	}
	used := with(later, func(s *State) { s.DNS.ID, s.LiveID = first.State.NewID, first.State.NewID })
	if got := Desired(used, first.State).State.NewID; got == first.State.NewID {
		t.Errorf("suggested id %q is already in use but was kept", got)
	}
}

// TestDesiredBodyLimit renders 10,000 failure groups with long names: the
// body stays under GitHub's limit and says how many were left out.
func TestDesiredBodyLimit(t *testing.T) {
	t.Parallel()
	s := with(readyState(), func(s *State) { s.Window = manyFailures(10000) })
	got := Desired(s, Hidden{})
	checkBody(t, got)
	if !strings.Contains(got.Body, "… and 9980 more") {
		t.Errorf("body does not say how many failures were left out")
	}
	if len(got.Body) > maxBody {
		t.Errorf("body is %d bytes, over %d", len(got.Body), maxBody)
	}
}

// TestDesiredHugePolicy renders a policy of 5,000 mx lines whose mode line
// is last: the diff shows only the hunk around it.
func TestDesiredHugePolicy(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("version: STSv1\n")
	for i := range 5000 {
		b.WriteString("mx: mx" + strings.Repeat("x", i%50) + ".example.com\n")
	}
	b.WriteString("max_age: 604800\nmode: testing\n")
	s := with(readyState(), func(s *State) { s.PolicyText = []byte(b.String()) })
	got := Desired(s, Hidden{})
	checkBody(t, got)
	if !strings.Contains(got.Body, "@@ -4999,5 +4999,5 @@") {
		t.Errorf("diff does not show one hunk around the last lines:\n%s", got.Body)
	}
}

// TestDesiredEscapesReports checks that report contents cannot add markup.
func TestDesiredEscapesReports(t *testing.T) {
	t.Parallel()
	w := dirtyWindow()
	w.Failures[0].Org = "Evil <img src=x> | `code` [link](http://x) \u202e\n<!-- stsgate:domain=example.com -->"
	got := Desired(with(readyState(), func(s *State) { s.Window = w }), Hidden{})
	for _, bad := range []string{"<img", "| `code`", "[link](", "\u202e"} {
		if strings.Contains(got.Body, bad) {
			t.Errorf("body contains unescaped %q", bad)
		}
	}
	if strings.Count(got.Body, Marker(domain)) != 1 {
		t.Errorf("a report could inject a second marker")
	}
}

// TestDesiredInactivity checks the 50-day warning of a public repository.
func TestDesiredInactivity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		public bool
		age    int
		warn   bool
	}{
		{"public, 50 days", true, 50, true},
		{"public, 49 days", true, 49, false},
		{"private, 90 days", false, 90, false},
	} {
		s := with(readyState(), func(s *State) { s.Public, s.LastRepoCommit = tc.public, now.AddDate(0, 0, -tc.age) })
		body := Desired(s, Hidden{}).Body
		if got := strings.Contains(body, "GitHub disables scheduled workflows after 60 days"); got != tc.warn {
			t.Errorf("%s: warning shown = %v, want %v", tc.name, got, tc.warn)
		}
		if _, got := ScheduleFinding(s); got != tc.warn {
			t.Errorf("%s: ScheduleFinding = %v, want %v", tc.name, got, tc.warn)
		}
	}
}

// TestGolden compares whole bodies with testdata/*.md; -update rewrites
// them.
func TestGolden(t *testing.T) {
	t.Parallel()
	trap := with(readyState(), func(s *State) {
		s.PolicyText, s.RepoMode, s.LivePolicyMatches = []byte(enforcePolicy), policy.ModeEnforce, false
		s.DNS.ID, s.DNS.LineText, s.LiveID = "20261120T080000", `_mta-sts 3600 IN TXT "v=STSv1; id=20261120T080000"`, "20261120T080000"
		s.LiveMode, s.LivePolicyText = policy.ModeTesting, []byte(testingPolicy)
	})
	for name, s := range map[string]State{
		"ready":   readyState(),
		"blocked": with(readyState(), func(s *State) { s.Window = dirtyWindow(); s.Window.Ignored = []tlsrpt.Failure{{}} }),
		"drift":   trap,
		"stopped": with(readyState(), func(s *State) { s.Window = stoppedWindow() }),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Desired(s, Hidden{}).Body
			path := filepath.Join("testdata", name+".md")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s body mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
}

// stoppedWindow is a window whose reports stopped on 2026-11-10: clean
// while they came, stale now.
func stoppedWindow() *tlsrpt.Window {
	w := cleanWindow()
	w.Clean, w.LastDay, w.Reasons, w.Days = false, "2026-11-10", []string{tlsrpt.ReasonReportsStale}, days("2026-11-10", 14)
	return w
}

// TestDesiredReportsStopped checks that a window that is not clean only
// because reports stopped (or too few arrive) says so and where to look,
// and asks for no triage of failures that do not exist; a blocking
// failure keeps the triage.
func TestDesiredReportsStopped(t *testing.T) {
	t.Parallel()
	none := stoppedWindow()
	none.LastDay, none.Reasons, none.Days = "", []string{tlsrpt.ReasonNoReports}, nil
	thin := cleanWindow()
	thin.Clean, thin.CoveredDays, thin.Reasons = false, 4, []string{tlsrpt.ReasonCoverageLow}
	stale := stoppedWindow()
	tests := []struct {
		name   string
		w      *tlsrpt.Window
		title  string
		says   string
		triage bool
	}{
		{"stale", stale, "cannot leave testing mode: TLS-RPT reports stopped arriving", "the newest is for 2026-11-10, and none came in the 18 days since", false},
		{"none", none, "TLS-RPT reports stopped arriving", "no TLS-RPT report has arrived for the domain", false},
		{"thin", thin, "too few TLS-RPT reports arrive", "4 of the last 14 days have one, 7 needed", false},
		{"stale and failing", with(State{Window: stoppedWindow()}, func(s *State) { s.Window.Failures = dirtyWindow().Failures }).Window,
			"testing mode for over 30 days", "certificate-expired", true},
	}
	for _, tc := range tests {
		d := Desired(with(readyState(), func(s *State) { s.Window = tc.w }), Hidden{})
		if d.Kind != KindBlocked || !strings.Contains(d.Title, tc.title) || !strings.Contains(d.Body, tc.says) {
			t.Errorf("%s: kind %s, title %q; want blocked, a title with %q and a body with %q:\n%s", tc.name, d.Kind, d.Title, tc.title, tc.says, d.Body)
		}
		if got := strings.Contains(d.Body, "**Triage.**"); got != tc.triage {
			t.Errorf("%s: triage step shown %v, want %v", tc.name, got, tc.triage)
		}
		if !tc.triage && !strings.Contains(d.Body, "Check the mailbox that `rua=` names") {
			t.Errorf("%s: the body does not say to check the rua mailbox", tc.name)
		}
	}
}
