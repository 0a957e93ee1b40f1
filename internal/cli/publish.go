package cli

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/remind"
	"github.com/stsgate/stsgate/internal/report"
)

// publish writes what the runner shows of a run (DESIGN §1.7): the
// annotations, the whole text report in a collapsed log group, the job
// summary and the step outputs. Problems with the runner's files are
// warnings: they never change the verdict or the exit code.
func (a *actionRun) publish(res report.Result) {
	out := a.env.Stdout
	if _, err := report.WriteAnnotations(out, res.Diagnostics, report.AnnotationsPerSeverity); err != nil {
		a.warnf("writing annotations: %v", err)
	}
	a.logReport(res)
	if a.reminders != nil {
		for _, line := range reminderLines(a.reminders, a.in.dryRun) {
			fmt.Fprintln(out, report.PlainLine("stsgate: reminder issues: "+line))
		}
	}
	files := report.NewFileCommands(a.env.getenv)
	summary := report.Summary(res, report.SummaryOptions{
		Run:      a.runName(),
		Override: a.appliedOverride(res),
		LinkBase: a.linkBase(),
		Issues:   a.issueLinks(),
		Stopped:  a.stoppedText(),
	})
	summary += a.reminderSection() + a.collectSection()
	if err := files.AppendSummary(summary); err != nil {
		a.fileCommandFailed("the job summary", err)
	}
	for _, o := range a.outputs(res) {
		if err := files.SetOutput(o.name, o.value); err != nil {
			a.fileCommandFailed("output "+o.name, err)
		}
	}
}

// logReport prints the text report inside a log group. Policy and report
// contents are untrusted and must not be read as workflow commands: the
// runner ignores commands between ::stop-commands::T and ::T:: for an
// unguessable T (github-actions.md §3.4).
func (a *actionRun) logReport(res report.Result) {
	out := a.env.Stdout
	token := rand.Text()
	fmt.Fprintf(out, "::group::stsgate report\n::stop-commands::%s\n", token)
	if err := report.WriteText(out, res); err != nil {
		a.env.Stderr.Write([]byte("stsgate: writing the report: " + err.Error() + "\n"))
	}
	fmt.Fprintf(out, "::%s::\n::endgroup::\n", token)
}

// warnf writes a warning annotation that is not a finding.
func (a *actionRun) warnf(format string, args ...any) {
	a.gha.Warningf(format, args...)
}

// fileCommandFailed warns about a runner file that could not be written;
// its absence (a local run of `stsgate action`) is not worth a warning.
func (a *actionRun) fileCommandFailed(what string, err error) {
	if errors.Is(err, report.ErrNoFileCommand) {
		return
	}
	a.warnf("stsgate could not write %s: %v", what, err)
}

// runName names the run in the summary's heading.
func (a *actionRun) runName() string {
	switch a.mode {
	case "gate":
		return "pull request gate"
	case "remind":
		return "scheduled check"
	}
	return "check"
}

// appliedOverride is the override label when the gate applied it.
func (a *actionRun) appliedOverride(res report.Result) string {
	if a.mode != "gate" || !res.Diagnostics.Has(diag.GateOverride) {
		return ""
	}
	return a.overrideLabel
}

// repoURL is the repository's page, such as https://github.com/o/r; ""
// when the runner does not say.
func (a *actionRun) repoURL() string {
	server, repo := a.env.getenv("GITHUB_SERVER_URL"), a.env.getenv("GITHUB_REPOSITORY")
	if server == "" || repo == "" {
		return ""
	}
	return strings.TrimRight(server, "/") + "/" + repo
}

// linkBase is the address files are linked from in the summary.
func (a *actionRun) linkBase() string {
	base, sha := a.repoURL(), a.env.getenv("GITHUB_SHA")
	if base == "" || sha == "" {
		return ""
	}
	return base + "/blob/" + sha
}

// stoppedText is the error that stopped the run, or "".
func (a *actionRun) stoppedText() string {
	if a.stopped == nil {
		return ""
	}
	return a.stopped.Error()
}

// issueLinks are the reminder issues the run wrote to, or found up to
// date, for the top of the job summary.
func (a *actionRun) issueLinks() []report.IssueLink {
	if a.reminders == nil {
		return nil
	}
	return reminderLinks(a.reminders, a.in.dryRun, a.repoURL())
}

// reminderLinks lists the issues of the writes made (on a dry run, of
// those planned to existing issues), then the issues of domains without
// a write. Issues get a URL under repoURL when it is known.
func reminderLinks(out *remind.Outcome, dryRun bool, repoURL string) []report.IssueLink {
	writes, prefix := out.Applied, ""
	if dryRun {
		writes, prefix = out.Planned, "would be "
	}
	var links []report.IssueLink
	written := map[string]bool{}
	for _, w := range writes {
		if w.Number > 0 {
			links = append(links, issueLink(repoURL, w.Domain, w.Number, prefix+issueVerb(w.Action)))
			written[w.Domain] = true
		}
	}
	for _, d := range out.Domains {
		if !written[d.Domain] && d.Number > 0 {
			links = append(links, issueLink(repoURL, d.Domain, d.Number, "up to date"))
		}
	}
	return links
}

func issueLink(repoURL, domain string, number int, status string) report.IssueLink {
	l := report.IssueLink{Domain: domain, Number: number, Status: status}
	if repoURL != "" {
		l.URL = repoURL + "/issues/" + strconv.Itoa(number)
	}
	return l
}

// issueVerb says what a write did to its issue.
func issueVerb(a remind.Action) string {
	switch a {
	case remind.ActionCreate:
		return "opened"
	case remind.ActionEdit:
		return "updated"
	case remind.ActionReopen:
		return "reopened"
	case remind.ActionClose:
		return "closed"
	}
	return string(a)
}

type output struct{ name, value string }

// outputs are the step outputs of action.yml. They describe the first
// domain; report_json holds them all.
func (a *actionRun) outputs(res report.Result) []output {
	outs := []output{
		{"verdict", string(res.Verdict)},
		{"errors", strconv.Itoa(res.Diagnostics.Count(diag.Error))},
		{"warnings", strconv.Itoa(res.Diagnostics.Count(diag.Warning))},
	}
	var mode, streak string
	if len(res.Domains) > 0 {
		d := res.Domains[0]
		mode = d.Mode
		if d.Window != nil {
			streak = strconv.Itoa(d.Window.CleanStreak)
		}
	}
	outs = append(outs, output{"mode", mode}, output{"clean_streak", streak})
	path, err := a.writeJSON(res)
	if err != nil {
		a.warnf("stsgate could not write the JSON report: %v", err)
	}
	return append(outs, output{"report_json", path})
}

// writeJSON writes the JSON report under RUNNER_TEMP (else the system's
// temporary directory) and returns its path.
func (a *actionRun) writeJSON(res report.Result) (string, error) {
	dir := a.env.getenv("RUNNER_TEMP")
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "stsgate-*.json")
	if err != nil {
		return "", err
	}
	werr := report.WriteJSON(f, res)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", werr
	}
	return filepath.ToSlash(f.Name()), nil
}

// reminderSection is the job summary's account of the reminder issues.
func (a *actionRun) reminderSection() string {
	if a.reminders == nil {
		return ""
	}
	lines := reminderLines(a.reminders, a.in.dryRun)
	if len(lines) == 0 {
		lines = []string{"nothing to do"}
	}
	var b strings.Builder
	b.WriteString("\n### Reminder issues\n\n")
	for _, l := range lines {
		b.WriteString("- " + report.MarkdownText(l) + "\n")
	}
	return b.String()
}
