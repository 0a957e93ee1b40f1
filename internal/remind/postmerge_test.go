package remind

import (
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

// TestPostMerge checks the publish order after a push: policy first, with
// a grace period for the deploy, then the id.
func TestPostMerge(t *testing.T) {
	t.Parallel()
	merged := with(readyState(), func(s *State) {
		s.RepoMode, s.DNS.ID = policy.ModeEnforce, "20261128T100000"
	})
	tests := []struct {
		name     string
		state    State
		deploy   Deploy
		code     diag.Code
		severity diag.Severity
		hint     string
	}{
		{"all live", with(merged, func(s *State) { s.LiveID = s.DNS.ID }), Deploy{}, "", 0, ""},
		{"deploying", with(merged, func(s *State) { s.LivePolicyMatches = false }), Deploy{PolicyCommitted: now.Add(-10 * time.Minute)},
			diag.DeployPolicyPending, diag.Notice, "do not publish the new _mta-sts id until"},
		{"deploy overdue", with(merged, func(s *State) { s.LivePolicyMatches = false }), Deploy{PolicyCommitted: now.Add(-31 * time.Minute)},
			diag.DeployPolicyOverdue, diag.Error, "check the deployment"},
		{"custom grace", with(merged, func(s *State) { s.LivePolicyMatches = false }), Deploy{PolicyCommitted: now.Add(-31 * time.Minute), Grace: time.Hour},
			diag.DeployPolicyPending, diag.Notice, ""},
		{"commit time unknown", with(merged, func(s *State) { s.LivePolicyMatches = false }), Deploy{}, diag.DeployPolicyOverdue, diag.Error, ""},
		{"policy live, id not yet", merged, Deploy{PolicyCommitted: now.Add(-5 * time.Minute)}, diag.DeployPublishID, diag.Warning,
			`publish _mta-sts.example.com TXT "v=STSv1; id=20261128T100000" now that the new policy is live`},
		{"no record published", with(merged, func(s *State) { s.LiveID = "" }), Deploy{}, diag.DeployPublishID, diag.Warning, "now that the new policy is live"},
		{"id before policy", with(merged, func(s *State) { s.LivePolicyMatches, s.LiveID = false, s.DNS.ID }), Deploy{PolicyCommitted: now.Add(-time.Minute)},
			diag.LiveIDBeforePolicy, diag.Error, `"v=STSv1; id=20261128T103000"`},
		{"unverified", with(merged, func(s *State) { s.Unverified, s.LivePolicyMatches = true, false }), Deploy{}, "", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := PostMerge(tc.state, tc.deploy)
			if tc.code == "" {
				if len(got) != 0 {
					t.Errorf("PostMerge = %v, want nothing", got)
				}
				return
			}
			if len(got) != 1 || got[0].Code != tc.code || got[0].Severity != tc.severity || got[0].Domain != domain {
				t.Fatalf("PostMerge = %v, want one %s %s", got, tc.severity, tc.code)
			}
			if !strings.Contains(got[0].Hint, tc.hint) || got[0].Subject == "" || got[0].Ref == "" {
				t.Errorf("PostMerge hint %q (subject %q, ref %q), want it to contain %q", got[0].Hint, got[0].Subject, got[0].Ref, tc.hint)
			}
		})
	}
}
