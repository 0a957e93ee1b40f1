package cli

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

func TestParseAsOf(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":                          now,
		"2026-11-20":                time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		"2026-11-20T12:30:00+01:00": time.Date(2026, 11, 20, 11, 30, 0, 0, time.UTC),
	} {
		got, err := parseAsOf(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseAsOf(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseAsOf("last week", now); err == nil {
		t.Error("parseAsOf(\"last week\") succeeded")
	}
}

// TestFoldNotices: the same notice about many reports is named for the
// first few and counted for the rest; anything else is kept whole.
func TestFoldNotices(t *testing.T) {
	t.Parallel()
	var l diag.List
	for i := range 5 {
		d := diag.New(diag.ReportNoTimezone, "no time zone", "")
		d.Domain, d.Subject = "example.com", fmt.Sprintf("r%d.json", i)
		l = append(l, d)
		w := diag.New(diag.ReportDKIMUnverified, "unsigned", "")
		w.Severity, w.Domain, w.Subject = diag.Warning, "example.com", fmt.Sprintf("m%d.eml", i)
		l = append(l, w)
	}
	other := diag.New(diag.ReportNoTimezone, "no time zone either", "")
	other.Domain, other.Subject = "example.com", "x.json"
	l = append(l, other)
	var got []string
	for _, d := range foldNotices(l, 3) {
		got = append(got, d.Subject+": "+d.Message)
	}
	want := []string{
		"m0.eml: unsigned", "m1.eml: unsigned", "m2.eml: unsigned", "m3.eml: unsigned", "m4.eml: unsigned",
		"r0.json: no time zone", "r1.json: no time zone", "r2.json: no time zone (and 2 more reports like it)",
		"x.json: no time zone either",
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("folded (-want +got):\n%s", diff)
	}
}

// TestErrorsAreOneLine: an error that quotes input (here a --dir that is
// not there) is printed as one line that the runner cannot read as a
// workflow command.
func TestErrorsAreOneLine(t *testing.T) {
	t.Parallel()
	var stdout, stderr strings.Builder
	code := Run(context.Background(), []string{"lint", "--dir", "x\n::error::pwned\r##[warning]y"}, Env{Stdout: &stdout, Stderr: &stderr})
	if code != ExitUsage {
		t.Errorf("exit code %d, want %d", code, ExitUsage)
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.Contains(line, "\r") || strings.Contains(line, "##[warning") {
			t.Errorf("stderr line %q could be a workflow command", line)
		}
	}
	if !strings.Contains(stderr.String(), `x\n::error::pwned`) {
		t.Errorf("stderr does not show the escaped input:\n%s", stderr.String())
	}
}

// TestReportsVerdict: a source that could not be read makes the run one
// that could not evaluate, unless what was read fails it anyway (a short
// streak: the reports not read cannot undo a dirty day).
func TestReportsVerdict(t *testing.T) {
	t.Parallel()
	unread := diag.New(diag.ReportFetchFailed, "https://r.example/x could not be read", "")
	window := func(reasons ...string) []report.Domain {
		return []report.Domain{{Domain: "example.com", Window: &tlsrpt.Window{Clean: len(reasons) == 0, Reasons: reasons}}}
	}
	for _, tc := range []struct {
		name    string
		diags   diag.List
		domains []report.Domain
		want    report.Verdict
	}{
		{"clean", nil, window(), report.Pass},
		{"not clean", nil, window(tlsrpt.ReasonReportsStale), report.Fail},
		{"clean but a source unread", diag.List{unread}, window(), report.Error},
		{"stale and a source unread", diag.List{unread}, window(tlsrpt.ReasonReportsStale, tlsrpt.ReasonCoverageLow), report.Error},
		{"dirty and a source unread", diag.List{unread}, window(tlsrpt.ReasonStreakShort), report.Fail},
		{"an error finding and a source unread", diag.List{unread, diag.New(diag.ReportUnreadable, "x", "")}, window(), report.Fail},
	} {
		if got := reportsVerdict(report.Result{Diagnostics: tc.diags, Domains: tc.domains}, diag.Error); got != tc.want {
			t.Errorf("%s: verdict %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestUsageListsEveryFlag: the usage line of each command names every
// flag that --help lists, as --name.
func TestUsageListsEveryFlag(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"lint", "check", "reports", "gate", "collect"} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			if code := Run(context.Background(), []string{cmd, "--help"}, Env{Stdout: &out, Stderr: &out}); code != ExitPass {
				t.Fatalf("%s --help exited %d:\n%s", cmd, code, out.String())
			}
			synopsis, flags, ok := strings.Cut(out.String(), "\nFlags:\n")
			if !ok {
				t.Fatalf("%s --help has no Flags: section:\n%s", cmd, out.String())
			}
			synopsis, _, _ = strings.Cut(synopsis, "\n\n")
			var missing []string
			for _, line := range strings.Split(flags, "\n") {
				name, ok := strings.CutPrefix(line, "  -")
				if !ok {
					continue
				}
				name = strings.TrimPrefix(name, "-")
				name, _, _ = strings.Cut(name, " ")
				if !strings.Contains(synopsis+" ", "--"+name+" ") && !strings.Contains(synopsis, "--"+name+"]") &&
					!strings.Contains(synopsis, "--"+name+"[=") {
					missing = append(missing, "--"+name)
				}
			}
			if len(missing) > 0 {
				t.Errorf("the usage line of %s lacks %v:\n%s", cmd, missing, synopsis)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{name: "no build info", want: "stsgate (unknown version)"},
		{name: "devel", info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, want: "stsgate (devel)"},
		{name: "release", info: &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, want: "stsgate v1.2.0"},
		{name: "vcs", info: &debug.BuildInfo{Main: debug.Module{Version: "v1.2.1-0.20261204101500-0123456789ab"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.time", Value: "2026-12-04T10:15:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, want: "stsgate v1.2.1-0.20261204101500-0123456789ab (commit 0123456789abcdef0123456789abcdef01234567, 2026-12-04T10:15:00Z, modified)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := versionLine(tc.info, tc.info != nil); got != tc.want {
				t.Errorf("versionLine() = %q, want %q", got, tc.want)
			}
		})
	}
}
