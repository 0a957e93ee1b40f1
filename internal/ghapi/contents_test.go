package ghapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

func TestFileAt(t *testing.T) {
	t.Parallel()
	large := strings.Repeat("mx: mail.example.com\n", ghfake.LargeFile/20) // just over 1 MiB
	tests := []struct {
		name, ref, path string
		want            string
		wantErr         error // matched with errors.Is; nil means success
		wantRequests    []string
	}{
		{name: "ok", ref: "base", path: ".well-known/mta-sts.txt", want: "version: STSv1\nmode: testing\n",
			wantRequests: []string{"GET /repos/octo/mail/contents/.well-known/mta-sts.txt 200"}},
		{name: "empty file", ref: "base", path: "empty.txt", want: ""},
		{name: "missing file", ref: "base", path: "nope.txt", wantErr: ghapi.ErrNotFound},
		{name: "missing ref", ref: "other", path: ".well-known/mta-sts.txt", wantErr: ghapi.ErrNotFound},
		{name: "large file", ref: "base", path: "big.txt", want: large, wantRequests: []string{
			"GET /repos/octo/mail/contents/big.txt 200", "GET /repos/octo/mail/contents/big.txt 200"}},
		{name: "space in name", ref: "base", path: "dir/a b.txt", want: "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.repo.SetFiles("base", map[string]string{
				".well-known/mta-sts.txt": "version: STSv1\nmode: testing\n", "empty.txt": "",
				"big.txt": large, "dir/a b.txt": "x",
			})
			got, err := e.c.FileAt(context.Background(), owner, name, tt.ref, tt.path)
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Fatalf("FileAt error = %v, want %v", err, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("FileAt = %d bytes, want %d", len(got), len(tt.want))
			}
			if tt.wantRequests != nil {
				if diff := cmp.Diff(tt.wantRequests, e.requests()); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestFileAtRejects(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.repo.SetFile("base", "dir/file.txt", "x")
	for _, path := range []string{"dir", "../etc/passwd"} {
		if _, err := e.c.FileAt(context.Background(), owner, name, "base", path); err == nil || errors.Is(err, ghapi.ErrNotFound) {
			t.Errorf("FileAt(%q) error = %v, want a non-not-found error", path, err)
		}
	}
	if got := e.srv.Requests(); len(got) != 1 {
		t.Errorf("requests = %v, want only the directory one (.. is refused locally)", got)
	}
}

func TestPullRequestLabels(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.repo.AddPullRequest(7, "mta-sts-override", "dns")
	e.repo.AddIssue(ghfake.Issue{Number: 8, Title: "not a pull request"})
	got, err := e.c.PullRequestLabels(context.Background(), owner, name, 7)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"mta-sts-override", "dns"}, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	for _, n := range []int{8, 99} {
		if _, err := e.c.PullRequestLabels(context.Background(), owner, name, n); !errors.Is(err, ghapi.ErrNotFound) {
			t.Errorf("PullRequestLabels(%d) error = %v, want ErrNotFound", n, err)
		}
	}
}
