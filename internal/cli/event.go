package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// event is the part of a workflow run's event payload (GITHUB_EVENT_PATH)
// that stsgate uses. Only package ghapi imports go-github, so the payload
// is read into these few fields rather than into go-github's event types.
type event struct {
	Name        string // GITHUB_EVENT_NAME
	Number      int    // the pull request; 0 when there is none
	BaseSHA     string // the commit the pull request or queue entry is judged against
	BaseRef     string // the base branch
	Labels      []string
	LabelsKnown bool // Labels came with the payload (pull_request); else ask the API
	Fork        bool // the pull request comes from another repository
	Repository  string
	Private     bool
	// HeadCommitTime is the time of the pushed commit (push); zero
	// otherwise.
	HeadCommitTime time.Time
	// HeadSHA is the pull request's head commit, or the merge queue
	// entry's; MergeSHA is the pull request's test merge commit. The
	// workspace must hold one of them for the gate to judge it.
	HeadSHA, MergeSHA string
}

// eventPayload mirrors the JSON of the pull_request, merge_group, push,
// schedule and workflow_dispatch payloads, only where event reads it.
type eventPayload struct {
	PullRequest *struct {
		Number         int    `json:"number"`
		MergeCommitSHA string `json:"merge_commit_sha"`
		Base           struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA  string `json:"sha"`
			Repo *struct {
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"head"`
		Labels []struct {
			Name string `json:"name"`
		} `json:"labels"`
	} `json:"pull_request"`
	MergeGroup *struct {
		HeadSHA string `json:"head_sha"`
		HeadRef string `json:"head_ref"`
		BaseSHA string `json:"base_sha"`
		BaseRef string `json:"base_ref"`
	} `json:"merge_group"`
	Repository *struct {
		FullName string `json:"full_name"`
		Private  bool   `json:"private"`
	} `json:"repository"`
	HeadCommit *struct {
		Timestamp time.Time `json:"timestamp"`
	} `json:"head_commit"`
}

// readEvent reads the event of the run from the runner's environment. A
// missing payload file is no error (workflow_dispatch from a test, a
// local run); a malformed one is.
func readEvent(getenv func(string) string) (event, error) {
	ev := event{Name: getenv("GITHUB_EVENT_NAME"), Repository: getenv("GITHUB_REPOSITORY")}
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return ev, nil
	}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ev, nil
	}
	if err != nil {
		return ev, fmt.Errorf("reading the event payload: %w", err)
	}
	if err := ev.parse(b); err != nil {
		return ev, fmt.Errorf("the event payload %s: %w", path, err)
	}
	return ev, nil
}

// parse fills ev from the payload b.
func (ev *event) parse(b []byte) error {
	var p eventPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	ev.fill(p)
	return nil
}

func (ev *event) fill(p eventPayload) {
	if p.Repository != nil {
		if ev.Repository == "" {
			ev.Repository = p.Repository.FullName
		}
		ev.Private = p.Repository.Private
	}
	if pr := p.PullRequest; pr != nil {
		ev.Number, ev.BaseSHA, ev.BaseRef = pr.Number, pr.Base.SHA, pr.Base.Ref
		ev.HeadSHA, ev.MergeSHA = strings.ToLower(pr.Head.SHA), strings.ToLower(pr.MergeCommitSHA)
		ev.LabelsKnown = true
		for _, l := range pr.Labels {
			ev.Labels = append(ev.Labels, l.Name)
		}
		ev.Fork = pr.Head.Repo != nil && p.Repository != nil && pr.Head.Repo.FullName != p.Repository.FullName
	}
	if p.HeadCommit != nil {
		ev.HeadCommitTime = p.HeadCommit.Timestamp
	}
	if mg := p.MergeGroup; mg != nil {
		ev.BaseSHA, ev.BaseRef, ev.HeadSHA = mg.BaseSHA, mg.BaseRef, strings.ToLower(mg.HeadSHA)
		ev.Number = queuedPullRequest(mg.HeadRef)
	}
}

// queueBranch matches the branch of a merge queue entry,
// gh-readonly-queue/<base>/pr-<N>-<sha> (DESIGN §1.5).
var queueBranch = regexp.MustCompile(`gh-readonly-queue/.+/pr-([0-9]+)-[0-9a-f]+$`)

// queuedPullRequest returns the pull request number named by a merge
// queue branch, or 0.
func queuedPullRequest(headRef string) int {
	m := queueBranch.FindStringSubmatch(headRef)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0
	}
	return n
}

// isGateEvent reports whether the event is judged by the pull-request gate.
func (ev event) isGateEvent() bool {
	switch ev.Name {
	case "pull_request", "pull_request_target", "merge_group":
		return true
	}
	return false
}
