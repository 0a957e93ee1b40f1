package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/remind"
	"github.com/stsgate/stsgate/internal/report"
)

// TestReminderLinks: the job summary links the issues the reminder run
// wrote to, then those of the domains it left alone.
func TestReminderLinks(t *testing.T) {
	t.Parallel()
	const repo = "https://github.com/o/r"
	out := &remind.Outcome{
		Domains: []remind.DomainOutcome{
			{Domain: "a.example", Kind: remind.KindReady},
			{Domain: "b.example", Kind: remind.KindResolved, Number: 3},
			{Domain: "c.example", Kind: remind.KindBlocked, Number: 5},
		},
		Planned: []remind.Write{
			{Action: remind.ActionCreate, Domain: "a.example"},
			{Action: remind.ActionClose, Domain: "b.example", Number: 3},
		},
		Applied: []remind.Write{
			{Action: remind.ActionCreate, Domain: "a.example", Number: 8},
			{Action: remind.ActionClose, Domain: "b.example", Number: 3},
		},
	}
	for _, tc := range []struct {
		name    string
		dryRun  bool
		repoURL string
		want    []report.IssueLink
	}{
		{"writes made", false, repo, []report.IssueLink{
			{Domain: "a.example", Number: 8, URL: repo + "/issues/8", Status: "opened"},
			{Domain: "b.example", Number: 3, URL: repo + "/issues/3", Status: "closed"},
			{Domain: "c.example", Number: 5, URL: repo + "/issues/5", Status: "up to date"},
		}},
		{"dry run: existing issues only", true, repo, []report.IssueLink{
			{Domain: "b.example", Number: 3, URL: repo + "/issues/3", Status: "would be closed"},
			{Domain: "c.example", Number: 5, URL: repo + "/issues/5", Status: "up to date"},
		}},
		{"no repository URL: no links", false, "", []report.IssueLink{
			{Domain: "a.example", Number: 8, Status: "opened"},
			{Domain: "b.example", Number: 3, Status: "closed"},
			{Domain: "c.example", Number: 5, Status: "up to date"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, reminderLinks(out, tc.dryRun, tc.repoURL)); diff != "" {
				t.Errorf("reminderLinks mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSummaryLinks: files and issues are linked under the repository the
// runner names, with the commit for files.
func TestSummaryLinks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		env            map[string]string
		repo, linkBase string
	}{
		{"all known", map[string]string{"GITHUB_SERVER_URL": "https://github.com/", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "abc"},
			"https://github.com/o/r", "https://github.com/o/r/blob/abc"},
		{"no commit", map[string]string{"GITHUB_SERVER_URL": "https://ghe.example", "GITHUB_REPOSITORY": "o/r"},
			"https://ghe.example/o/r", ""},
		{"no repository", map[string]string{"GITHUB_SERVER_URL": "https://github.com", "GITHUB_SHA": "abc"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &actionRun{env: Env{Getenv: func(k string) string { return tc.env[k] }}}
			if got := [2]string{a.repoURL(), a.linkBase()}; got != [2]string{tc.repo, tc.linkBase} {
				t.Errorf("repoURL, linkBase = %q, want %q, %q", got, tc.repo, tc.linkBase)
			}
		})
	}
}
