package ghfake_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

// get sends a GET to the fake and returns status, Link header and body.
func get(t *testing.T, s *ghfake.Server, path string, header ...string) (int, string, string) {
	t.Helper()
	status, h, body := getHeader(t, s, path, header...)
	return status, h.Get("Link"), body
}

// getHeader sends a GET to the fake and returns status, header and body.
func getHeader(t *testing.T, s *ghfake.Server, path string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL()+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// client is a go-github client for the fake.
func client(t *testing.T, s *ghfake.Server) *github.Client {
	t.Helper()
	gh, err := github.NewClient(s.Client()).WithAuthToken("tok").WithEnterpriseURLs(s.URL(), s.URL())
	if err != nil {
		t.Fatal(err)
	}
	return gh
}

func TestPagination(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	for i := range 45 {
		r.AddIssue(ghfake.Issue{Title: fmt.Sprint(i)})
	}
	base := s.URL() + "/repos/o/r/issues"
	tests := []struct {
		query    string
		wantLink string
		wantN    int
	}{
		{"", `<` + base + `?page=2&per_page=30>; rel="next", <` + base + `?page=2&per_page=30>; rel="last"`, 30},
		{"?page=2", `<` + base + `?page=1&per_page=30>; rel="first", <` + base + `?page=1&per_page=30>; rel="prev"`, 15},
		{"?per_page=500", "", 45},
		{"?per_page=20&page=9", `<` + base + `?page=1&per_page=20>; rel="first", <` + base + `?page=3&per_page=20>; rel="prev"`, 0},
	}
	for _, tt := range tests {
		status, link, body := get(t, s, "/repos/o/r/issues"+tt.query)
		if status != http.StatusOK || link != tt.wantLink {
			t.Errorf("%q: status %d, Link %q, want %q", tt.query, status, link, tt.wantLink)
		}
		if n := strings.Count(body, `"number":`); n != tt.wantN {
			t.Errorf("%q: %d issues, want %d", tt.query, n, tt.wantN)
		}
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	s.Repo("o", "r").SetFile("main", "f", "x")
	s.Fail(ghfake.ServerError().On("GET", "/repos/*/*/contents/*").Repeat(2))
	s.Fail(ghfake.Fault{Header: ghfake.QuotaHeader(3, time.Unix(100, 0))})
	var got []int
	for range 4 {
		status, _, _ := get(t, s, "/repos/o/r/contents/f")
		got = append(got, status)
	}
	if diff := cmp.Diff([]int{500, 500, 200, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	resp, err := s.Client().Get(s.URL() + "/repos/o/r/contents/f")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-RateLimit-Remaining") != "" {
		t.Errorf("header-only fault applied more than once")
	}
}

func TestReadOnlyAndToken(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	s.Repo("o", "r")
	gh := client(t, s)
	ctx := context.Background()
	s.SetReadOnly(true)
	_, resp, err := gh.Issues.Create(ctx, "o", "r", &github.IssueRequest{Title: github.String("t")})
	if err == nil || resp.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "Resource not accessible by integration") {
		t.Errorf("read-only create: %v", err)
	}
	if _, _, err := gh.Issues.ListByRepo(ctx, "o", "r", nil); err != nil {
		t.Errorf("read-only list: %v", err)
	}
	s.SetReadOnly(false)
	s.RequireToken("other")
	if _, resp, _ := gh.Issues.ListByRepo(ctx, "o", "r", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d", resp.StatusCode)
	}
	reqs := s.Requests()
	if reqs[0].Token != "tok" || reqs[0].Status != http.StatusForbidden || s.Writes() != 1 {
		t.Errorf("requests %+v, writes %d", reqs, s.Writes())
	}
}

func TestUnhandled(t *testing.T) {
	t.Parallel()
	s := ghfake.Start()
	defer s.Close()
	s.Repo("o", "r")
	for _, u := range []string{s.URL() + "/repos/o/r/hooks", strings.TrimSuffix(s.URL(), "/api/v3") + "/repos/o/r/issues"} {
		resp, err := s.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{"GET /api/v3/repos/o/r/hooks", "GET /repos/o/r/issues"}
	if diff := cmp.Diff(want, s.Unhandled()); diff != "" {
		t.Errorf("unhandled (-want +got):\n%s", diff)
	}
}

func TestContentsShapes(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	big := strings.Repeat("a", ghfake.LargeFile+1)
	r.SetFiles("main", map[string]string{"big": big, "d/one": "1", "d/sub/two": "2"})
	gh := client(t, s)
	ctx := context.Background()
	f, _, _, err := gh.Repositories.GetContents(ctx, "o", "r", "big", nil)
	if err != nil || f.GetEncoding() != "none" || f.GetSize() != len(big) {
		t.Errorf("big file: %v, %v", f, err)
	}
	_, dir, _, err := gh.Repositories.GetContents(ctx, "o", "r", "d", nil)
	var names []string
	for _, e := range dir {
		names = append(names, e.GetType()+" "+e.GetPath())
	}
	if diff := cmp.Diff([]string{"file d/one", "dir d/sub"}, names); err != nil || diff != "" {
		t.Errorf("dir listing %v (-want +got):\n%s", err, diff)
	}
	status, _, body := get(t, s, "/repos/o/r/contents/d/one", "Accept", "application/vnd.github.raw+json")
	if status != http.StatusOK || body != "1" {
		t.Errorf("raw: %d %q", status, body)
	}
}

// TestConcurrentCreates creates issues in parallel: numbers stay unique.
func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	gh := client(t, s)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			req := &github.IssueRequest{Title: github.String(fmt.Sprint(i)), Labels: &[]string{"mta-sts"}}
			if _, _, err := gh.Issues.Create(context.Background(), "o", "r", req); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, is := range r.Issues() {
		seen[is.Number] = true
	}
	if len(seen) != 20 || s.Writes() != 20 || len(r.Labels()) != 1 {
		t.Errorf("%d distinct issues, %d writes, labels %v", len(seen), s.Writes(), r.Labels())
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	r.AddIssue(ghfake.Issue{Title: "open one", Labels: []string{"mta-sts"}, Comments: []ghfake.Comment{{Body: "c"}}})
	r.AddPullRequest(0, "x")
	r.AddIssue(ghfake.Issue{Title: "closed one", State: "closed", StateReason: "not_planned"})
	want := "#1 open [mta-sts] open one (1 comments)\n#3 closed/not_planned [] closed one (0 comments)\n"
	if diff := cmp.Diff(want, r.Summary()); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
}

// TestStateReason: GitHub's description says state_reason is "ignored
// unless `state` is changed", and accepts duplicate.
func TestStateReason(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	open := r.AddIssue(ghfake.Issue{Title: "open"})
	closed := r.AddIssue(ghfake.Issue{Title: "closed", State: "closed", StateReason: "not_planned"})
	gh := client(t, s)
	ctx := context.Background()
	edit := func(n int, req *github.IssueRequest) {
		if _, _, err := gh.Issues.Edit(ctx, "o", "r", n, req); err != nil {
			t.Fatalf("edit #%d: %v", n, err)
		}
	}
	edit(closed, &github.IssueRequest{StateReason: github.String("completed")})
	edit(closed, &github.IssueRequest{State: github.String("closed"), StateReason: github.String("completed")})
	edit(open, &github.IssueRequest{State: github.String("closed"), StateReason: github.String("duplicate")})
	var got []string
	for _, is := range r.Issues() {
		got = append(got, is.State+"/"+is.StateReason)
	}
	if want := []string{"closed/duplicate", "closed/not_planned"}; !cmp.Equal(want, got) {
		t.Errorf("states = %v, want %v", got, want)
	}
}

// TestNoPushDropsLabels: without push access, labels sent with a new
// issue or an edit are silently dropped.
func TestNoPushDropsLabels(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	s.SetNoPush(true)
	gh := client(t, s)
	ctx := context.Background()
	labels := []string{"mta-sts"}
	is, _, err := gh.Issues.Create(ctx, "o", "r", &github.IssueRequest{Title: github.String("t"), Labels: &labels})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gh.Issues.Edit(ctx, "o", "r", is.GetNumber(), &github.IssueRequest{Labels: &labels}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Issue(is.GetNumber()); len(got.Labels) != 0 || len(is.Labels) != 0 {
		t.Errorf("labels = %v (answer %v), want none", got.Labels, is.Labels)
	}
}

// TestConditionalGET: every GET answer carries an ETag, and a request
// naming it answers 304 Not Modified without a body until the resource
// changes.
func TestConditionalGET(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	n := r.AddIssue(ghfake.Issue{Title: "t"})
	path := fmt.Sprintf("/repos/o/r/issues/%d", n)
	etagOf := func(header ...string) (int, string, string) {
		t.Helper()
		status, h, body := getHeader(t, s, path, header...)
		return status, h.Get("ETag"), body
	}
	status, etag, _ := etagOf()
	if status != http.StatusOK || !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("first GET: %d, ETag %q", status, etag)
	}
	if status, again, body := etagOf("If-None-Match", etag); status != http.StatusNotModified || again != etag || body != "" {
		t.Errorf("conditional GET: %d, ETag %q, body %q; want 304, the same ETag, no body", status, again, body)
	}
	gh := client(t, s)
	if _, _, err := gh.Issues.Edit(context.Background(), "o", "r", n, &github.IssueRequest{Title: github.String("u")}); err != nil {
		t.Fatal(err)
	}
	if status, changed, _ := etagOf("If-None-Match", etag); status != http.StatusOK || changed == etag {
		t.Errorf("after a change: %d, ETag %q; want 200 and a new ETag", status, changed)
	}
}
