package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

// The repository and token of every GitHub run in the scripts.
const (
	testOwner = "octo"
	testRepo  = "mail"
	testToken = "ghs_testtoken"
)

// fakeKey is where a script's ghfake server is kept in testscript's
// Values.
type fakeKey struct{}

// startGitHub makes a script a run of the Action when it has a
// github/event_name file: it starts a fake GitHub API and sets the
// variables the runner gives a container step.
//
//	github/event_name  the event (pull_request, merge_group, schedule, ...)
//	github/event.json  its payload, real-shaped (GITHUB_EVENT_PATH)
//	ws/                the workspace (GITHUB_WORKSPACE), base/ the base
//	                   revision: both start as a copy of the demo repository
//	                   (files the script holds win) unless github/no-demo exists
//
// The inputs are those of action.yml at their defaults. Scripts load the
// base revision into the fake with "ghbase" once they have edited it. A
// GitHub run always has loopback DNS, so that it never reaches the
// internet.
func startGitHub(env *testscript.Env, demo string) error {
	name, err := os.ReadFile(filepath.Join(env.WorkDir, "github", "event_name"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(env.WorkDir, "github", "no-demo")); os.IsNotExist(err) {
		for _, dir := range []string{"ws", "base"} {
			if err := copyMissing(demo, filepath.Join(env.WorkDir, dir)); err != nil {
				return err
			}
		}
	}
	if err := ensureFile(filepath.Join(env.WorkDir, "live", "dns.zone")); err != nil {
		return err
	}
	fake := ghfake.Start()
	env.Defer(fake.Close)
	fake.RequireToken(testToken)
	fake.Repo(testOwner, testRepo)
	env.Values[fakeKey{}] = fake
	tmp := filepath.Join(env.WorkDir, "github", "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	for k, v := range map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_EVENT_NAME":   strings.TrimSpace(string(name)),
		"GITHUB_EVENT_PATH":   filepath.Join(env.WorkDir, "github", "event.json"),
		"GITHUB_WORKSPACE":    filepath.Join(env.WorkDir, "ws"),
		"GITHUB_OUTPUT":       filepath.Join(env.WorkDir, "github", "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(env.WorkDir, "github", "summary.md"),
		"RUNNER_TEMP":         tmp,
		"GITHUB_API_URL":      fake.URL(),
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_REPOSITORY":   testOwner + "/" + testRepo,
		"GITHUB_SHA":          strings.Repeat("c", 40),
		"INPUT_GITHUB_TOKEN":  testToken,
		"INPUT_MODE":          "auto",
	} {
		env.Setenv(k, v)
	}
	return nil
}

// copyMissing copies the files of src into dst, keeping the files dst
// already has.
func copyMissing(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if _, err := os.Stat(target); err == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func ensureFile(name string) error {
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, nil, 0o644)
}

// githubCmds are the script commands that drive the fake GitHub API.
var githubCmds = map[string]func(*testscript.TestScript, bool, []string){
	"ghbase":   cmdGHBase,
	"ghpr":     cmdGHPR,
	"ghwrites": cmdGHWrites,
	"ghissues": cmdGHIssues,
	"ghfail":   cmdGHFail,
	"ghcommit": cmdGHCommit,
	"ghissue":  cmdGHIssue,
	"ghreadonly": func(ts *testscript.TestScript, neg bool, args []string) {
		fakeOf(ts).SetReadOnly(!neg)
	},
}

func fakeOf(ts *testscript.TestScript) *ghfake.Server {
	fake, ok := ts.Value(fakeKey{}).(*ghfake.Server)
	if !ok {
		ts.Fatalf("no fake GitHub API: the script needs a github/event_name file")
	}
	return fake
}

// cmdGHBase loads the directory base/ (or the one named) into the fake
// repository at the base commit of the event payload, in place of what
// was there:
//
//	ghbase [DIR]
func cmdGHBase(ts *testscript.TestScript, neg bool, args []string) {
	dir := "base"
	if len(args) > 0 {
		dir = args[0]
	}
	sha := baseSHA(ts)
	repo := fakeOf(ts).Repo(testOwner, testRepo)
	repo.ResetFiles(sha)
	root := ts.MkAbs(dir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		repo.SetFile(sha, filepath.ToSlash(rel), string(data))
		return nil
	})
	ts.Check(err)
}

// baseSHA reads the base commit from the event payload.
func baseSHA(ts *testscript.TestScript) string {
	var p struct {
		PullRequest *struct {
			Base struct{ SHA string } `json:"base"`
		} `json:"pull_request"`
		MergeGroup *struct {
			BaseSHA string `json:"base_sha"`
		} `json:"merge_group"`
	}
	ts.Check(json.Unmarshal([]byte(ts.ReadFile("github/event.json")), &p))
	switch {
	case p.PullRequest != nil:
		return p.PullRequest.Base.SHA
	case p.MergeGroup != nil:
		return p.MergeGroup.BaseSHA
	}
	ts.Fatalf("ghbase: the event payload names no base commit")
	return ""
}

// cmdGHPR adds an open pull request with labels: ghpr N [LABEL...]
func cmdGHPR(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: ghpr NUMBER [LABEL...]")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	fakeOf(ts).Repo(testOwner, testRepo).AddPullRequest(n, args[1:]...)
}

// cmdGHWrites checks how many write requests the fake has served:
// ghwrites N
func cmdGHWrites(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: ghwrites N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if got := fakeOf(ts).Writes(); (got == want) == neg {
		ts.Fatalf("the fake GitHub API served %d writes, want %d", got, want)
	}
}

// cmdGHIssues writes the repository's issues, one line each and then
// their bodies, to FILE for grep and cmp: ghissues FILE
func cmdGHIssues(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: ghissues FILE")
	}
	repo := fakeOf(ts).Repo(testOwner, testRepo)
	var b strings.Builder
	b.WriteString(repo.Summary())
	for _, is := range repo.Issues() {
		if !is.PullRequest {
			fmt.Fprintf(&b, "\n== #%d body\n%s\n", is.Number, is.Body)
		}
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o644))
}

// cmdGHFail makes the fake answer the next requests with an error:
//
//	ghfail STATUS METHOD PATH-PATTERN [TIMES]
func cmdGHFail(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 3 {
		ts.Fatalf("usage: ghfail STATUS METHOD PATH-PATTERN [TIMES]")
	}
	status, err := strconv.Atoi(args[0])
	ts.Check(err)
	times := 1
	if len(args) > 3 {
		times, err = strconv.Atoi(args[3])
		ts.Check(err)
	}
	f := ghfake.Fault{Method: args[1], Path: args[2], Times: times, Status: status}
	if status == 403 {
		f = ghfake.NotAccessible().On(args[1], args[2]).Repeat(times)
	}
	fakeOf(ts).Fail(f)
}

// cmdGHCommit records a commit on the default branch that changed PATH,
// with the content of FILE (default ws/PATH) at that commit:
//
//	ghcommit SHA RFC3339-TIME PATH [FILE]
func cmdGHCommit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 3 {
		ts.Fatalf("usage: ghcommit SHA TIME PATH [FILE]")
	}
	sha, path := args[0], args[2]
	date, err := time.Parse(time.RFC3339, args[1])
	ts.Check(err)
	file := "ws/" + path
	if len(args) > 3 {
		file = args[3]
	}
	repo := fakeOf(ts).Repo(testOwner, testRepo)
	repo.AddCommit(ghfake.DefaultBranch, path, ghfake.Commit{SHA: sha, Date: date, Message: "change " + path})
	repo.SetFile(sha, path, ts.ReadFile(file))
}

// cmdGHIssue adds an issue labelled mta-sts, opened by AUTHOR, with the
// first line of FILE as its title and the rest as its body; with REASON
// and a time it is closed, by AUTHOR, as REASON (completed, not_planned):
//
//	ghissue AUTHOR FILE [REASON RFC3339-TIME]
func cmdGHIssue(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 && len(args) != 4 {
		ts.Fatalf("usage: ghissue AUTHOR FILE [REASON TIME]")
	}
	title, body, _ := strings.Cut(ts.ReadFile(args[1]), "\n")
	is := ghfake.Issue{Title: title, Body: body, Labels: []string{"mta-sts"}, Author: args[0]}
	if len(args) == 4 {
		closed, err := time.Parse(time.RFC3339, args[3])
		ts.Check(err)
		is.State, is.StateReason, is.ClosedBy, is.ClosedAt = "closed", args[2], args[0], closed
		is.CreatedAt = closed.Add(-time.Hour)
	}
	fakeOf(ts).Repo(testOwner, testRepo).AddIssue(is)
}
