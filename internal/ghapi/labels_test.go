package ghapi_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/remind"
)

func TestEnsureLabel(t *testing.T) {
	t.Parallel()
	label := remind.Label{Name: "mta-sts", Color: "0e8a16", Description: "stsgate reminders"}
	tests := []struct {
		name        string
		seed        func(e env)
		wantCreated bool
		wantPerm    int // status of the expected *PermissionError, 0 for none
		wantLabels  []ghfake.Label
	}{
		{name: "exists", seed: func(e env) { e.repo.AddLabel(ghfake.Label{Name: "MTA-STS", Color: "ffffff"}) },
			wantLabels: []ghfake.Label{{Name: "MTA-STS", Color: "ffffff"}}},
		{name: "missing", seed: func(env) {}, wantCreated: true,
			wantLabels: []ghfake.Label{{Name: "mta-sts", Color: "0e8a16", Description: "stsgate reminders"}}},
		{name: "create forbidden", seed: func(e env) { e.srv.Fail(ghfake.NotAccessible().On("POST", "/repos/*/*/labels")) },
			wantPerm: http.StatusForbidden, wantLabels: []ghfake.Label{}},
		{name: "created meanwhile", seed: func(e env) {
			e.repo.AddLabel(ghfake.Label{Name: "mta-sts", Color: "000000"})
			e.srv.Fail(ghfake.Fault{Method: "GET", Path: "/repos/*/*/labels/*", Status: http.StatusNotFound})
		}, wantLabels: []ghfake.Label{{Name: "mta-sts", Color: "000000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			tt.seed(e)
			created, err := e.c.EnsureLabel(context.Background(), owner, name, label)
			var perm *ghapi.PermissionError
			switch {
			case tt.wantPerm != 0 && (!errors.As(err, &perm) || perm.Status != tt.wantPerm || perm.Permission != "issues: write"):
				t.Errorf("err = %v, want a %d *PermissionError", err, tt.wantPerm)
			case tt.wantPerm == 0 && err != nil:
				t.Errorf("err = %v", err)
			}
			if created != tt.wantCreated {
				t.Errorf("created = %t, want %t", created, tt.wantCreated)
			}
			if diff := cmp.Diff(tt.wantLabels, e.repo.Labels()); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
		})
	}
}
