package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// TestWorkspaceCommit reads the checked-out commit from .git the way git
// does, without git (the Action's image has none), and falls back to
// GITHUB_SHA where there is no work tree to read.
func TestWorkspaceCommit(t *testing.T) {
	t.Parallel()
	head := strings.Repeat("c", 40)
	other := strings.Repeat("a", 40)
	for _, tc := range []struct {
		name  string
		files map[string]string // below the work tree
		sub   string            // the directory judged, below the work tree
		want  checkout
	}{
		{name: "detached", files: map[string]string{".git/HEAD": head + "\n"}, want: checkout{head, ".git/HEAD"}},
		{name: "upper case", files: map[string]string{".git/HEAD": strings.ToUpper(head)}, want: checkout{head, ".git/HEAD"}},
		{name: "loose branch", files: map[string]string{".git/HEAD": "ref: refs/heads/pr\n", ".git/refs/heads/pr": head + "\n"}, want: checkout{head, ".git/HEAD"}},
		{name: "packed branch", files: map[string]string{".git/HEAD": "ref: refs/heads/pr\n",
			".git/packed-refs": "# pack-refs with: peeled fully-peeled sorted\n" + other + " refs/heads/main\n" + head + " refs/heads/pr\n^" + other + "\n"},
			want: checkout{head, ".git/HEAD"}},
		{name: "loose wins over packed", files: map[string]string{".git/HEAD": "ref: refs/heads/pr", ".git/refs/heads/pr": head, ".git/packed-refs": other + " refs/heads/pr\n"}, want: checkout{head, ".git/HEAD"}},
		{name: "subdirectory", sub: "sites/mail", files: map[string]string{".git/HEAD": head, "sites/mail/x": ""}, want: checkout{head, ".git/HEAD"}},
		{name: "linked work tree", files: map[string]string{".git": "gitdir: main/.git/worktrees/pr\n", "main/.git/worktrees/pr/HEAD": "ref: refs/heads/pr\n",
			"main/.git/worktrees/pr/commondir": "../..\n", "main/.git/refs/heads/pr": head}, want: checkout{head, ".git/HEAD"}},
		{name: "no work tree", want: checkout{other, "GITHUB_SHA"}},
		{name: "unborn branch", files: map[string]string{".git/HEAD": "ref: refs/heads/main\n"}, want: checkout{other, "GITHUB_SHA"}},
		{name: "not a commit", files: map[string]string{".git/HEAD": "hello\n"}, want: checkout{other, "GITHUB_SHA"}},
		{name: "ref leaves the git directory", files: map[string]string{".git/HEAD": "ref: refs/../../x\n", "x": head}, want: checkout{other, "GITHUB_SHA"}},
		{name: "ref loop", files: map[string]string{".git/HEAD": "ref: refs/heads/a\n", ".git/refs/heads/a": "ref: refs/heads/a\n"}, want: checkout{other, "GITHUB_SHA"}},
	} {
		dir := t.TempDir()
		for name, text := range tc.files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		env := map[string]string{"GITHUB_SHA": other}
		got := workspaceCommit(filepath.Join(dir, filepath.FromSlash(tc.sub)), func(k string) string { return env[k] })
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(checkout{})); diff != "" {
			t.Errorf("%s: workspaceCommit mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestCheckoutError: the gate judges the workspace only when it holds the
// pull request (DESIGN §1.5): its head or merge commit; on pull_request
// and merge_group also GITHUB_SHA, which is the merge commit or the queue
// entry, but not on pull_request_target, where it is the base branch.
func TestCheckoutError(t *testing.T) {
	t.Parallel()
	sha := func(c string) string { return strings.Repeat(c, 40) }
	pr := event{HeadSHA: sha("c"), MergeSHA: sha("e")}
	for _, tc := range []struct {
		name, event, at, githubSHA string
		ev                         event
		want                       string // in the error; "" for none
	}{
		{name: "pull_request merge commit", event: "pull_request", ev: pr, at: sha("e"), githubSHA: sha("e")},
		{name: "pull_request head", event: "pull_request", ev: pr, at: sha("c"), githubSHA: sha("e")},
		{name: "pull_request GITHUB_SHA", event: "pull_request", ev: pr, at: sha("f"), githubSHA: sha("f")},
		{name: "pull_request other", event: "pull_request", ev: pr, at: sha("a"), githubSHA: sha("e"),
			want: "the workspace holds aaaaaaaaaaaa (.git/HEAD), not the pull request's head cccccccccccc or merge commit eeeeeeeeeeee"},
		{name: "target head", event: "pull_request_target", ev: pr, at: sha("c"), githubSHA: sha("a")},
		{name: "target merge commit", event: "pull_request_target", ev: pr, at: sha("e"), githubSHA: sha("a")},
		{name: "target default checkout", event: "pull_request_target", ev: pr, at: sha("a"), githubSHA: sha("a"),
			want: "ref: ${{ github.event.pull_request.head.sha }}"},
		{name: "merge queue", event: "merge_group", ev: event{HeadSHA: sha("d")}, at: sha("d"), githubSHA: sha("d")},
		{name: "merge queue other", event: "merge_group", ev: event{HeadSHA: sha("d")}, at: sha("a"), githubSHA: sha("d"),
			want: "not the merge queue entry dddddddddddd"},
		{name: "no head in the payload", event: "pull_request_target", at: sha("a"), githubSHA: sha("a"), want: "names no head commit"},
		{name: "unknown", event: "pull_request", ev: pr, want: "cannot tell which commit the workspace holds"},
	} {
		ev := tc.ev
		ev.Name = tc.event
		err := checkoutError(ev, checkout{sha: tc.at, from: ".git/HEAD"}, tc.githubSHA)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		case err != nil && len(err.Error()) > 1000:
			t.Errorf("%s: error of %d bytes; the job summary shows at most 1024", tc.name, len(err.Error()))
		}
	}
}

// TestPreexisting: with filter mode changed, a warning or error that the
// base revision has too, in a file the pull request does not change, is
// a pre-existing notice; everything else the pull request brings or
// leaves broken in what it changes is kept as it is.
func TestPreexisting(t *testing.T) {
	t.Parallel()
	dir, sha := gitRepo(t, map[string]string{"a.zone": "a", "b.zone": "b", "c.zone": "c"})
	write(t, filepath.Join(dir, "b.zone"), "b changed")
	rev := gitRevision{ctx: context.Background(), dir: dir, rev: sha}
	at := func(file string, sev diag.Severity, msg string) diag.Diagnostic {
		d := diag.New(diag.FileUnreadable, msg, "fix it").As(sev).At(diag.Pos{Line: 4, Column: 2}, diag.Pos{})
		d.File, d.Domain = file, "example.com"
		return d
	}
	old := func(d diag.Diagnostic, sev string) diag.Diagnostic {
		d.Message = "pre-existing " + sev + ", not counted because the pull request does not change this file; " + d.Message
		return d.As(diag.Notice)
	}
	base := diag.List{at("a.zone", diag.Error, "broken"), at("a.zone", diag.Warning, "odd"), at("a.zone", diag.Notice, "fyi"),
		at("b.zone", diag.Error, "broken"), at("", diag.Error, "no file"), at("gone.zone", diag.Error, "broken")}
	head := diag.List{at("a.zone", diag.Error, "broken"), at("a.zone", diag.Warning, "odd"), at("a.zone", diag.Notice, "fyi"),
		at("a.zone", diag.Error, "new, from a change elsewhere"), at("b.zone", diag.Error, "broken"), at("c.zone", diag.Error, "new"),
		at("", diag.Error, "no file"), at("gone.zone", diag.Error, "broken"), at("/abs/x.zone", diag.Error, "broken")}
	want := diag.List{old(head[0], "error"), old(head[1], "warning")}
	want = append(want, head[2:]...)
	if diff := cmp.Diff(want, newBaseChanges(filterChanged, rev, dir).preexisting(head, base)); diff != "" {
		t.Errorf("filter mode changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(head, newBaseChanges(filterAll, rev, dir).preexisting(head, base)); diff != "" {
		t.Errorf("filter mode all (-want +got):\n%s", diff)
	}
}

// FuzzGitHead feeds the .git reader any HEAD and packed-refs: it must not
// panic, and what it returns is a lower-case commit id.
func FuzzGitHead(f *testing.F) {
	seeds, err := filepath.Glob("testdata/githead/*")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata/githead: %v", err)
	}
	for _, dir := range seeds {
		head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
		if err != nil {
			f.Fatal(err)
		}
		packed, err := os.ReadFile(filepath.Join(dir, "packed-refs"))
		if err != nil && !os.IsNotExist(err) {
			f.Fatal(err)
		}
		f.Add(head, packed)
	}
	f.Fuzz(func(t *testing.T, head, packed []byte) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, ".git", "HEAD"), string(head))
		write(t, filepath.Join(dir, ".git", "packed-refs"), string(packed))
		sha, ok := gitHead(dir)
		if ok && (!isCommitID(sha) || sha != strings.ToLower(sha)) {
			t.Errorf("gitHead = %q, not a lower-case commit id", sha)
		}
	})
}
