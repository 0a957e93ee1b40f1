package ghapi_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

const (
	owner = "octo"
	name  = "mail"
	token = "ghs_testtoken123"
)

// now is the clock of the client and the fake.
var now = time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)

// env is a client talking to a fresh fake.
type env struct {
	c     *ghapi.Client
	srv   *ghfake.Server
	repo  *ghfake.Repo
	sleep *ghfake.Sleeper
}

// setup starts a fake that requires the token and a client for it.
func setup(t *testing.T) env {
	t.Helper()
	srv := ghfake.New(t)
	srv.RequireToken(token)
	srv.SetNow(func() time.Time { return now })
	e := env{srv: srv, repo: srv.Repo(owner, name), sleep: &ghfake.Sleeper{}}
	c, err := ghapi.New(ghapi.Options{
		Token: token, BaseURL: srv.URL(), HTTPClient: srv.Client(),
		Retry: ghapi.Retry{Sleep: e.sleep.Sleep, Now: func() time.Time { return now }},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

// requests returns "METHOD path status" for every request the fake got.
func (e env) requests() []string {
	var out []string
	for _, r := range e.srv.Requests() {
		out = append(out, r.Method+" "+r.Path+" "+strconv.Itoa(r.Status))
	}
	return out
}

// noToken fails the test if err's message shows the token.
func noToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), token) {
		t.Errorf("error shows the token: %v", err)
	}
}

// asPermission is errors.As for *ghapi.PermissionError.
func asPermission(err error, target **ghapi.PermissionError) bool {
	return errors.As(err, target)
}
