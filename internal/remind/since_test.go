package remind

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// fakeHistory serves a policy file's versions, newest first, and counts
// calls.
type fakeHistory struct {
	mu        sync.Mutex
	versions  []string // content per commit, newest first; "" = file absent
	listErr   error
	readErr   map[int]error // by commit index
	listLimit int
	reads     int
}

func commitDate(i int) time.Time { return now.AddDate(0, 0, -10*(i+1)) }

func (f *fakeHistory) PathCommits(_ context.Context, q CommitQuery) (CommitPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listLimit = q.Limit
	if f.listErr != nil {
		return CommitPage{}, f.listErr
	}
	var out []Commit
	for i := range f.versions[:min(q.Limit, len(f.versions))] {
		out = append(out, Commit{SHA: fmt.Sprintf("c%d", i), Date: commitDate(i)})
	}
	return CommitPage{Commits: out}, nil
}

func (f *fakeHistory) FileAt(_ context.Context, _, _, ref, _ string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	var i int
	fmt.Sscanf(ref, "c%d", &i)
	if err := f.readErr[i]; err != nil {
		return nil, err
	}
	if f.versions[i] == "" {
		return nil, fmt.Errorf("read: %w", ErrNotFound)
	}
	return []byte(f.versions[i]), nil
}

// TestTestingSince walks the history within its bound and falls back to
// the reports.
func TestTestingSince(t *testing.T) {
	t.Parallel()
	const T, E, N = testingPolicy, enforcePolicy, "version: STSv1\nmode: none\nmax_age: 86400\n"
	reportDay := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	rep := Since{Time: reportDay, Source: SinceReports}
	many := make([]string, 15)
	for i := range many {
		many[i] = T
	}
	denied := &PermissionError{Op: "list commits", Status: 403}
	tests := []struct {
		name     string
		h        *fakeHistory
		want     Since
		wantErr  bool
		maxReads int
	}{
		{"streak after enforce", &fakeHistory{versions: []string{T, T, E, T}}, Since{commitDate(1), SinceCommits, false}, false, 3},
		{"streak after none", &fakeHistory{versions: []string{T, N}}, Since{commitDate(0), SinceCommits, false}, false, 2},
		{"created in testing", &fakeHistory{versions: []string{T, T, T}}, Since{commitDate(2), SinceCommits, false}, false, 3},
		{"file absent before", &fakeHistory{versions: []string{T, ""}}, Since{commitDate(0), SinceCommits, false}, false, 2},
		{"longer than the bound", &fakeHistory{versions: many}, Since{commitDate(9), SinceCommits, true}, false, 10},
		{"exactly the bound", &fakeHistory{versions: many[:10]}, Since{commitDate(9), SinceCommits, false}, false, 10},
		{"not testing now: reports", &fakeHistory{versions: []string{E, T}}, rep, false, 1},
		{"no commits: reports", &fakeHistory{}, rep, false, 0},
		{"list denied: reports", &fakeHistory{listErr: denied}, rep, true, 0},
		{"read fails midway: lower bound", &fakeHistory{versions: []string{T, T, T}, readErr: map[int]error{2: errors.New("boom")}},
			Since{commitDate(1), SinceCommits, true}, true, 3},
		{"first read fails: reports", &fakeHistory{versions: []string{T}, readErr: map[int]error{0: errors.New("boom")}}, rep, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := TestingSince(context.Background(), tc.h, SinceQuery{Path: defaultPolicyFile, ReportDay: reportDay})
			if (err != nil) != tc.wantErr {
				t.Fatalf("TestingSince error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("TestingSince mismatch (-want +got):\n%s", diff)
			}
			if tc.h.reads > tc.maxReads || tc.h.listErr == nil && tc.h.listLimit != DefaultMaxCommits+1 {
				t.Errorf("%d file reads (at most %d), list limit %d", tc.h.reads, tc.maxReads, tc.h.listLimit)
			}
		})
	}
	got, err := TestingSince(context.Background(), &fakeHistory{}, SinceQuery{})
	if err != nil || got.Known() {
		t.Errorf("no history, no reports: TestingSince = %+v, %v; want unknown", got, err)
	}
	if d := HistoryFinding(domain, denied); d.Code != diag.HistoryUnavailable || d.Domain != domain {
		t.Errorf("HistoryFinding = %+v", d)
	}
}
