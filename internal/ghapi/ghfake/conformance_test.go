package ghfake

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// loadDescription reads the extract of GitHub's REST description.
func loadDescription(t *testing.T) *Description {
	t.Helper()
	d, err := LoadDescription("testdata/rest-api-extract.json")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDescribedOperations: the operations of the extract and those the
// fake serves are the same, at the same paths.
func TestDescribedOperations(t *testing.T) {
	t.Parallel()
	d := loadDescription(t)
	s := New(t)
	var served, described []string
	for _, e := range s.endpoints() {
		served = append(served, e.method+" "+strings.ReplaceAll(e.path, "...}", "}"))
	}
	for path, ops := range d.Paths {
		for method := range ops {
			described = append(described, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(served)
	slices.Sort(described)
	if diff := cmp.Diff(described, served); diff != "" {
		t.Errorf("operations described (-) and served by ghfake (+) differ:\n%s", diff)
	}
}

// TestDescribedEnums holds the values the fake accepts to the
// description's enums.
func TestDescribedEnums(t *testing.T) {
	t.Parallel()
	d := loadDescription(t)
	issues, issue := d.Paths[repoPath+"/issues"], d.Paths[repoPath+"/issues/{issue_number}"]
	tests := []struct {
		name      string
		described []string
		fake      []string
	}{
		{"list state", issues["get"].Parameters["state"].Enum, listStates()},
		{"list sort", issues["get"].Parameters["sort"].Enum, listSorts()},
		{"update state", issue["patch"].RequestBody.Properties["state"].Enum, issueStates()},
		{"update state_reason", issue["patch"].RequestBody.Properties["state_reason"].Enum, stateReasons()},
	}
	for _, tt := range tests {
		if len(tt.described) == 0 {
			t.Errorf("%s: no enum in the extract", tt.name)
		}
		if diff := cmp.Diff(tt.described, tt.fake); diff != "" {
			t.Errorf("%s: the fake's values differ from GitHub's description (-described +fake):\n%s", tt.name, diff)
		}
	}
}

// exchange is one request of the conformance scenario.
type exchange struct {
	name         string
	method, path string
	body         string
	header       []string // name, value pairs
	want         int
}

// TestDescribedStatuses sends requests that reach each documented
// situation and checks each answer's status is the one GitHub gives and
// one the description lists for the operation.
func TestDescribedStatuses(t *testing.T) {
	t.Parallel()
	d := loadDescription(t)
	s := New(t)
	seedConformance(s)
	for _, x := range conformanceExchanges() {
		if got := send(t, s, x); got != x.want {
			t.Errorf("%s: %s %s answered %d, want %d", x.name, x.method, x.path, got, x.want)
		}
	}
	for _, r := range s.Requests() {
		op, tmpl, ok := d.Match(r.Method, r.Path)
		if r.IfNoneMatch != "" && r.Status == http.StatusNotModified {
			// GitHub answers any conditional GET whose ETag still matches
			// with 304 (its best practices: conditional requests); the
			// description lists 304 on some operations only.
			continue
		}
		if ok && op.Responses[strconv.Itoa(r.Status)] == "" {
			t.Errorf("%s %s answered %d, which the description does not list for %s %s", r.Method, r.Path, r.Status, r.Method, tmpl)
		}
	}
}

// seedConformance sets up the repositories the exchanges use.
func seedConformance(s *Server) {
	r := s.Repo("o", "r")
	r.SetFile(DefaultBranch, "a.txt", "a")
	r.SetTooLarge(DefaultBranch, "huge.bin")
	r.AddCommit(DefaultBranch, "a.txt", Commit{SHA: strings.Repeat("1", 40)})
	r.AddIssue(Issue{Title: "one"})
	r.AddIssue(Issue{Title: "closed", State: "closed", StateReason: "not_planned"})
	r.AddLabel(Label{Name: "MTA-STS"})
	s.Repo("o", "empty").SetEmpty()
	s.Repo("o", "noissues").DisableIssues()
	s.Repo("o", "new").RenamedFrom("o", "old")
}

func conformanceExchanges() []exchange {
	return []exchange{
		{"list", "GET", "/repos/o/r/issues?state=all&labels=mta-sts&sort=created&direction=asc", "", nil, 200},
		{"list, bad state", "GET", "/repos/o/r/issues?state=gone", "", nil, 422},
		{"create", "POST", "/repos/o/r/issues", `{"title":"t","labels":["mta-sts"]}`, nil, 201},
		{"create without title", "POST", "/repos/o/r/issues", `{"body":"b"}`, nil, 422},
		{"create, bad JSON", "POST", "/repos/o/r/issues", `{`, nil, 400},
		{"get", "GET", "/repos/o/r/issues/1", "", nil, 200},
		{"get, none", "GET", "/repos/o/r/issues/99", "", nil, 404},
		{"close as duplicate", "PATCH", "/repos/o/r/issues/1", `{"state":"closed","state_reason":"duplicate"}`, nil, 200},
		{"reason without a state change", "PATCH", "/repos/o/r/issues/2", `{"state_reason":"completed"}`, nil, 200},
		{"bad reason", "PATCH", "/repos/o/r/issues/1", `{"state":"open","state_reason":"wontfix"}`, nil, 422},
		{"comment", "POST", "/repos/o/r/issues/1/comments", `{"body":"b"}`, nil, 201},
		{"empty comment", "POST", "/repos/o/r/issues/1/comments", `{"body":""}`, nil, 422},
		{"label, any case", "GET", "/repos/o/r/labels/mta-sts", "", nil, 200},
		{"label, none", "GET", "/repos/o/r/labels/other", "", nil, 404},
		{"create label", "POST", "/repos/o/r/labels", `{"name":"new","color":"ededed"}`, nil, 201},
		{"create label, exists in another case", "POST", "/repos/o/r/labels", `{"name":"mta-STS"}`, nil, 422},
		{"commits", "GET", "/repos/o/r/commits?path=a.txt&per_page=11", "", nil, 200},
		{"commits, unknown branch", "GET", "/repos/o/r/commits?sha=nope", "", nil, 404},
		{"commits, empty repository", "GET", "/repos/o/empty/commits", "", nil, 409},
		{"contents", "GET", "/repos/o/r/contents/a.txt?ref=main", "", nil, 200},
		{"contents, none", "GET", "/repos/o/r/contents/b.txt", "", nil, 404},
		{"contents, over 100 MB", "GET", "/repos/o/r/contents/huge.bin", "", nil, 403},
		{"issues disabled: list is empty", "GET", "/repos/o/noissues/issues", "", nil, 200},
		{"issues disabled: create", "POST", "/repos/o/noissues/issues", `{"title":"t"}`, nil, 410},
		{"issues disabled: comment", "POST", "/repos/o/noissues/issues/1/comments", `{"body":"b"}`, nil, 410},
		{"renamed: list", "GET", "/repos/o/old/issues", "", nil, 301},
		{"renamed: update", "PATCH", "/repos/o/old/issues/1", `{"title":"x"}`, nil, 301},
		{"pull request, an issue", "GET", "/repos/o/r/pulls/1", "", nil, 404},
		{"tree", "GET", "/repos/o/r/git/trees/main?recursive=1", "", nil, 200},
		{"blob, none", "GET", "/repos/o/r/git/blobs/" + strings.Repeat("0", 40), "", nil, 404},
	}
}

// send makes one exchange without following redirects and returns the
// status.
func send(t *testing.T, s *Server, x exchange) int {
	t.Helper()
	req, err := http.NewRequest(x.method, s.URL()+x.path, strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(x.header); i += 2 {
		req.Header.Set(x.header[i], x.header[i+1])
	}
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
