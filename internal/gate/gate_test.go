package gate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/zone"
)

const (
	policyFile = ".well-known/mta-sts.txt"
	zoneFile   = "example.com.zone"

	// Lines: version 1, mode 2, mx 3 and 4, max_age 5.
	testingPolicy = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n"
	enforcePolicy = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 1209600\n"
	nonePolicy    = "version: STSv1\nmode: none\nmax_age: 86400\n"

	tlsrptRecord = "_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.net\"\n"
	policyHost   = "mta-sts IN CNAME example.github.io.\n"
	twoMX        = "@ IN MX 10 mx1.example.com.\n@ IN MX 20 mx2.example.com.\n"
)

// stsRecord is line 1 of a zone; its id= field starts at column 27.
func stsRecord(id string) string { return fmt.Sprintf("_mta-sts IN TXT \"v=STSv1; id=%s\"\n", id) }

// zoneWith is a healthy zone whose _mta-sts id is id.
func zoneWith(id string) string { return stsRecord(id) + tlsrptRecord + policyHost + twoMX }

// side runs the static checks on a policy text ("" for no file) and a
// zone text ("" for no DNS declaration), as the command does.
func side(t *testing.T, policyText, zoneText string) Side {
	t.Helper()
	r := check.Repo{Domain: "example.com", PolicyFile: policyFile}
	if policyText != "" {
		r.Policy = []byte(policyText)
	}
	if zoneText != "" {
		decl, _ := zone.ParseFile(zoneFile, []byte(zoneText), "example.com")
		r.DNS = &decl
	}
	return Side{Static: check.Lint(r), DNS: r.DNS}
}

// short renders diagnostics, in order, as "where:line:col severity code".
func short(l diag.List) []string {
	var out []string
	for _, d := range l {
		where := d.File
		if where == "" {
			where = d.Subject
		}
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s", where, d.Start.Line, d.Start.Column, d.Severity, d.Code))
	}
	return out
}

func cleanWindow() *tlsrpt.Window {
	return &tlsrpt.Window{Clean: true, CleanStreak: 20, LastDay: "2026-11-24", CoveredDays: 14, Reasons: []string{},
		Settings: tlsrpt.WindowArgs{CleanDays: 14, MinReportDays: 10, MaxLagDays: 3, AsOf: "2026-11-25"}}
}

func dirtyWindow(reasons ...string) *tlsrpt.Window {
	w := cleanWindow()
	w.Clean, w.CleanStreak, w.CoveredDays, w.Reasons = false, 9, 7, reasons
	w.Failures = []tlsrpt.Failure{{ResultType: "certificate-expired", Org: "Google", MX: "mx1.example.com",
		Sessions: 4, Class: "ours", Blocking: true, FirstDay: "2026-11-15", LastDay: "2026-11-15"}}
	return w
}

// unrecognizedWindow is clean, with a validation-failure from a sender
// not in known_senders (G6).
func unrecognizedWindow() *tlsrpt.Window {
	w := cleanWindow()
	w.Failures = []tlsrpt.Failure{{ResultType: "validation-failure", Org: "Exotic Mail", SendingIP: "203.0.113.9",
		MX: "mx2.example.com", Sessions: 2, Class: tlsrpt.ClassUnrecognized, FirstDay: "2026-11-20", LastDay: "2026-11-20"}}
	return w
}

func mode(p string, m policy.Mode) string {
	return strings.Replace(p, "mode: testing", "mode: "+string(m), 1)
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	const (
		idA = "20261101T000000"
		idB = "20261201T000000"
	)
	var (
		zoneA          = zoneWith(idA)
		zoneB          = zoneWith(idB)
		enforceMX1     = strings.Replace(enforcePolicy, "mx: mx2.example.com\n", "", 1)
		reordered      = "version: STSv1\nmode: testing\nmx: mx2.example.com\nmx: MX1.example.com\nmax_age: 604800\n"
		longerTesting  = strings.Replace(testingPolicy, "604800", "1209600", 1)
		movedMX        = strings.Replace(testingPolicy, "mx2.example.com", "mx3.example.com", 1)
		zoneNoTLSRPT   = stsRecord(idB) + policyHost + twoMX
		zoneNoRecord   = tlsrptRecord + policyHost + twoMX
		zoneBackupMX   = zoneA + "@ IN MX 90 backup.example.net.\n"
		zoneOnlyMX1B   = stsRecord(idB) + tlsrptRecord + policyHost + "@ IN MX 10 mx1.example.com.\n"
		zoneSplitB     = "_mta-sts IN TXT \"v=STSv1; \" \"id=" + idB + "\"\n" + tlsrptRecord + policyHost + twoMX
		zoneDelegated  = "_mta-sts IN CNAME _mta-sts.provider.example.\n" + tlsrptRecord + policyHost + twoMX
		zoneLoc        = zoneFile + ":1:27"
		modeLoc        = policyFile + ":2:1"
		maxAgeLoc      = policyFile + ":5:1"
		wholePolicyLoc = policyFile + ":0:0"
	)
	tests := []struct {
		name                 string
		basePolicy, baseZone string
		headPolicy, headZone string
		window               *tlsrpt.Window
		liveMX               []string
		liveMode             policy.Mode
		override             bool
		want                 []string
		wantOverridden       bool
	}{
		{name: "no change", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: testingPolicy, headZone: zoneA},
		{name: "no change in enforce with a dirty window", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneA,
			window: dirtyWindow(tlsrpt.ReasonStreakShort)},
		{name: "mx order and case are no change", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: reordered, headZone: zoneA},
		{name: "G1 flip to enforce, id unchanged", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneA,
			window: cleanWindow(),
			want:   []string{zoneLoc + " error gate-id-unchanged"}},
		{name: "G2 max_age change, id unchanged", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: longerTesting, headZone: zoneA,
			want: []string{zoneLoc + " error gate-id-unchanged"}},
		{name: "G2 mx change, id unchanged", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: movedMX, headZone: zoneA,
			want: []string{zoneLoc + " error gate-id-unchanged"}},
		{name: "G3 id change alone", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: testingPolicy, headZone: zoneB,
			want: []string{zoneLoc + " notice gate-id-bump-only"}},
		{name: "G3 record of several strings points at its line", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: testingPolicy, headZone: zoneSplitB,
			want: []string{zoneFile + ":1:0 notice gate-id-bump-only"}},
		{name: "G4 flip with a clean window and a new id", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: cleanWindow(),
			want:   []string{zoneLoc + " notice gate-publish-order"}},
		{name: "G4 flip from no policy", baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: cleanWindow(),
			want:   []string{zoneLoc + " notice gate-publish-order"}},
		{name: "G5 flip with a blocking failure", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: dirtyWindow(tlsrpt.ReasonStreakShort),
			want:   []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-enforce-unproven"}},
		{name: "G6 flip with only an unrecognized sender's failures", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: unrecognizedWindow(),
			want:   []string{zoneLoc + " notice gate-publish-order", modeLoc + " warning gate-unrecognized-failures"}},
		{name: "G7 flip with gaps and stale reports", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: dirtyWindow(tlsrpt.ReasonReportsStale, tlsrpt.ReasonCoverageLow),
			want:   []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-enforce-unproven"}},
		{name: "G8 flip with no reports", basePolicy: mode(testingPolicy, policy.ModeNone), baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: dirtyWindow(tlsrpt.ReasonNoReports),
			want:   []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-enforce-unproven"}},
		{name: "flip without report sources", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			want: []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-reports-unconfigured"}},
		{name: "G9 flip without a TLS-RPT record", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneNoTLSRPT,
			window: cleanWindow(),
			want:   []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-tlsrpt-missing"}},
		{name: "G10 live MX not covered", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneB,
			window: cleanWindow(), liveMX: []string{"mx1.example.com", "MX2.example.com.", "mx3.example.net", ""},
			want: []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-mx-not-covered"}},
		{name: "G10 declared MX is left to the static checks", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneBackupMX},
		{name: "G10 testing policy needs no coverage", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: testingPolicy, headZone: zoneB,
			liveMX: []string{"mx3.example.net"},
			want:   []string{zoneLoc + " notice gate-id-bump-only"}},
		{name: "G11 enforce policy file removed", basePolicy: enforcePolicy, baseZone: zoneA, headZone: zoneA,
			want: []string{wholePolicyLoc + " error gate-removal-without-none"}},
		{name: "G11 _mta-sts record removed", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneNoRecord,
			want: []string{zoneFile + ":0:0 error gate-removal-without-none"}},
		{name: "G11 live policy enforces while the repository tests", basePolicy: testingPolicy, baseZone: zoneA, headZone: zoneNoRecord,
			liveMode: policy.ModeEnforce,
			want:     []string{wholePolicyLoc + " error gate-removal-without-none"}},
		{name: "G11 removal after a none phase", basePolicy: nonePolicy, baseZone: zoneA, headZone: zoneNoRecord, liveMode: policy.ModeNone},
		{name: "G12 mx dropped while still an MX", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: enforceMX1, headZone: zoneB,
			want: []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-mx-dropped"}},
		{name: "G12 mx dropped while still a live MX", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: enforceMX1, headZone: zoneOnlyMX1B,
			liveMX: []string{"mx1.example.com", "mx2.example.com"},
			want:   []string{zoneLoc + " notice gate-publish-order", modeLoc + " error gate-mx-dropped"}},
		{name: "G12 mx dropped after the MX record", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: enforceMX1, headZone: zoneOnlyMX1B,
			liveMX: []string{"mx1.example.com"},
			want:   []string{zoneLoc + " notice gate-publish-order"}},
		{name: "G13 policy and id in one change", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: longerTesting, headZone: zoneB,
			want: []string{zoneLoc + " notice gate-publish-order"}},
		{name: "G13 policy and record published together", baseZone: tlsrptRecord + policyHost + twoMX, headPolicy: testingPolicy, headZone: zoneB,
			want: []string{zoneLoc + " notice gate-publish-order"}},
		{name: "G14 enforce to testing with a new id", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: testingPolicy, headZone: zoneB,
			want: []string{zoneLoc + " notice gate-publish-order", modeLoc + " notice gate-rollback-cached"}},
		{name: "G14 enforce to none without a new id", basePolicy: enforcePolicy, baseZone: zoneA, headPolicy: nonePolicy, headZone: zoneA,
			want: []string{zoneLoc + " error gate-id-unchanged", modeLoc + " notice gate-rollback-cached"}},
		{name: "no DNS: policy change", basePolicy: testingPolicy, headPolicy: longerTesting,
			want: []string{maxAgeLoc + " warning gate-id-unverified"}},
		{name: "no DNS: flip to enforce", basePolicy: testingPolicy, headPolicy: enforcePolicy, window: cleanWindow(),
			want: []string{modeLoc + " error gate-id-unverified"}},
		{name: "no DNS: no change", basePolicy: testingPolicy, headPolicy: testingPolicy},
		{name: "delegated record: policy change", basePolicy: testingPolicy, baseZone: zoneDelegated, headPolicy: longerTesting, headZone: zoneDelegated,
			want: []string{maxAgeLoc + " warning gate-id-unverified"}},
		{name: "override lowers gate errors", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: enforcePolicy, headZone: zoneA,
			window: dirtyWindow(tlsrpt.ReasonStreakShort), override: true,
			want:           []string{":0:0 warning gate-override", zoneLoc + " warning gate-id-unchanged", modeLoc + " warning gate-enforce-unproven"},
			wantOverridden: true},
		{name: "override with nothing to override", basePolicy: testingPolicy, baseZone: zoneA, headPolicy: testingPolicy, headZone: zoneB,
			override: true,
			want:     []string{zoneLoc + " notice gate-id-bump-only"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := Input{
				Domain:   "example.com",
				Base:     side(t, tc.basePolicy, tc.baseZone),
				Head:     side(t, tc.headPolicy, tc.headZone),
				Window:   tc.window,
				LiveMX:   tc.liveMX,
				LiveMode: tc.liveMode,
				Override: tc.override,
			}
			res := Evaluate(in)
			if diff := cmp.Diff(tc.want, short(res.Diags)); diff != "" {
				t.Errorf("Evaluate diagnostics mismatch (-want +got):\n%s", diff)
			}
			if res.Overridden != tc.wantOverridden {
				t.Errorf("Evaluate Overridden = %v, want %v", res.Overridden, tc.wantOverridden)
			}
			checkComplete(t, res.Diags)
		})
	}
}

// checkComplete checks what every gate diagnostic must carry.
func checkComplete(t *testing.T, l diag.List) {
	t.Helper()
	for _, d := range l {
		if d.Domain != "example.com" || d.Message == "" || d.Hint == "" {
			t.Errorf("incomplete diagnostic %+v", d)
		}
		if d.Code != diag.GateOverride && d.Ref == "" {
			t.Errorf("%s has no reference", d)
		}
	}
}

func TestEvaluateFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		base, head               Side
		policyChanged, idChanged bool
		flip                     bool
	}{
		{"flip with a new id", side(t, testingPolicy, zoneWith("a")), side(t, enforcePolicy, zoneWith("b")), true, true, true},
		{"id only", side(t, enforcePolicy, zoneWith("a")), side(t, enforcePolicy, zoneWith("b")), false, true, false},
		{"rollback", side(t, enforcePolicy, zoneWith("a")), side(t, testingPolicy, zoneWith("a")), true, false, false},
		{"policy added", side(t, "", zoneWith("a")), side(t, testingPolicy, zoneWith("a")), true, false, false},
		{"broken head is no flip", side(t, testingPolicy, zoneWith("a")), side(t, "mode: enforce\n", zoneWith("a")), true, false, false},
	}
	for _, tc := range tests {
		res := Evaluate(Input{Domain: "example.com", Base: tc.base, Head: tc.head, Window: cleanWindow()})
		if res.PolicyChanged != tc.policyChanged || res.IDChanged != tc.idChanged || res.Flip != tc.flip {
			t.Errorf("%s: Evaluate = PolicyChanged %v, IDChanged %v, Flip %v; want %v, %v, %v",
				tc.name, res.PolicyChanged, res.IDChanged, res.Flip, tc.policyChanged, tc.idChanged, tc.flip)
		}
	}
}

// TestEvaluateMessages checks that findings carry the evidence a reviewer
// needs: what changed, the window's reasons, the host and the pattern.
func TestEvaluateMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Input
		code diag.Code
		want []string
	}{
		{"changes listed", Input{Base: side(t, testingPolicy, zoneWith("a")), Head: side(t, enforcePolicy, zoneWith("a")), Window: cleanWindow()},
			diag.GateIDUnchanged, []string{"mode testing → enforce", "max_age 604800 → 1209600", "stays a"}},
		{"window reasons", Input{Base: side(t, testingPolicy, zoneWith("a")), Head: side(t, enforcePolicy, zoneWith("b")),
			Window: dirtyWindow(tlsrpt.ReasonStreakShort, tlsrpt.ReasonCoverageLow, tlsrpt.ReasonReportsStale)},
			diag.GateEnforceUnproven, []string{"clean_streak 9 of clean_days 14", "streak-short: 9 clean days in a row, 14 needed",
				"coverage-low: 7 of the last 14 days have reports, 10 needed", "reports-stale: the newest report is for 2026-11-24, more than 3 days before 2026-11-25",
				"certificate-expired reported by Google for mx1.example.com on 2026-11-15"}},
		{"no DNS flip says how to declare the id", Input{Base: side(t, testingPolicy, ""), Head: side(t, enforcePolicy, ""), Window: cleanWindow()},
			diag.GateIDUnverified, []string{"declares no DNS", "records: with mta_sts:", "zone:"}},
		{"dropped pattern", Input{Base: side(t, enforcePolicy, zoneWith("a")), Head: side(t, strings.Replace(enforcePolicy, "mx: mx2.example.com\n", "", 1), zoneWith("b"))},
			diag.GateMXDropped, []string{`drops "mx: mx2.example.com"`, "mx2.example.com is still an MX host", "max_age 1209600"}},
		{"removal", Input{Base: side(t, enforcePolicy, zoneWith("a")), Head: side(t, "", zoneWith("a"))},
			diag.GateRemovalWithoutNone, []string{"removes the policy file", "14 days", "mode: none"}},
	}
	for _, tc := range tests {
		tc.in.Domain = "example.com"
		var found bool
		for _, d := range Evaluate(tc.in).Diags {
			if d.Code != tc.code {
				continue
			}
			found = true
			for _, w := range tc.want {
				if !strings.Contains(d.Message+" | "+d.Hint, w) {
					t.Errorf("%s: %s lacks %q:\n%s\nfix: %s", tc.name, d.Code, w, d.Message, d.Hint)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s", tc.name, tc.code)
		}
	}
}

// TestEvaluateInlineRecords checks that a finding about a record declared
// without a file names the record instead.
func TestEvaluateInlineRecords(t *testing.T) {
	t.Parallel()
	inline := func(id string) *zone.Declaration {
		decl, _ := zone.FromInline("example.com",
			&zone.TXT{Text: "v=STSv1; id=" + id, Pos: diag.Pos{Line: 7, Column: 14}, Exact: true},
			&zone.TXT{Text: "v=TLSRPTv1; rua=mailto:r@example.net"},
			[]zone.MX{{Host: "mx1.example.com"}, {Host: "mx2.example.com"}})
		return &decl
	}
	sideOf := func(p string, d *zone.Declaration) Side {
		r := check.Repo{Domain: "example.com", PolicyFile: policyFile, Policy: []byte(p), DNS: d}
		return Side{Static: check.Lint(r), DNS: d}
	}
	res := Evaluate(Input{Domain: "example.com", Base: sideOf(testingPolicy, inline("a")), Head: sideOf(enforcePolicy, inline("a")), Window: cleanWindow()})
	want := []string{"TXT _mta-sts.example.com:0:0 error gate-id-unchanged"}
	if diff := cmp.Diff(want, short(res.Diags)); diff != "" {
		t.Errorf("Evaluate diagnostics mismatch (-want +got):\n%s", diff)
	}
}

func TestDays(t *testing.T) {
	t.Parallel()
	for in, want := range map[int64]string{3600: "under a day", 86400: "1 day", 1209600: "14 days", 31557600: "365.25 days", 1000000: "11.57 days"} {
		if got := days(in); got != want {
			t.Errorf("days(%d) = %q, want %q", in, got, want)
		}
	}
}
