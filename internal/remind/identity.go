package remind

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/stsgate/stsgate/internal/diag"
)

// identify sets BotLogin, unless given, to the login the token writes as,
// once per run. GET /user answers for a personal access token. The
// Actions GITHUB_TOKEN and other GitHub App installation tokens get 403
// "Resource not accessible by integration" there; GraphQL's viewer names
// their bot (github-actions[bot], or <app-slug>[bot]), which REST cannot:
// GET /app needs the app's JWT. When neither answers, DefaultBotLogin is
// assumed and a notice says so. A rejected token (401) is a warning that
// ends the run, as for any call; any other failure of GET /user, such as
// a rate limit, is an error, so that no run adopts issues under a guessed
// login because GitHub was briefly unwell.
func (a *applier) identify(ctx context.Context) error {
	if a.opts.BotLogin != "" {
		return nil
	}
	u, err := a.api.AuthenticatedUser(ctx)
	if err == nil && u.Login != "" {
		a.opts.BotLogin = u.Login
		return nil
	}
	var perm *PermissionError
	switch {
	case err == nil, errors.Is(err, ErrNotFound):
	case !errors.As(err, &perm):
		return fmt.Errorf("remind: %w", err)
	case perm.Status == http.StatusUnauthorized:
		return a.fail(err)
	}
	v, verr := a.api.Viewer(ctx)
	if verr == nil {
		a.opts.BotLogin = v.Login
		return nil
	}
	a.opts.BotLogin = DefaultBotLogin
	a.out.Notices.Add(assumedLogin(err, verr))
	return nil
}

// assumedLogin says that DefaultBotLogin was assumed because GET /user
// and the GraphQL viewer failed with these errors.
func assumedLogin(userErr, viewerErr error) diag.Diagnostic {
	return diag.New(diag.IssueIdentityAssumed,
		fmt.Sprintf("stsgate could not look up the account its token writes as (GET /user: %s; GraphQL viewer: %s), so it assumed %s, the account of the workflow's GITHUB_TOKEN, and adopts only the reminder issues that account opened",
			briefly(userErr), briefly(viewerErr), DefaultBotLogin),
		"nothing to do with the default github_token; with another token, let it read its own account (GET /user for a personal access token, the GraphQL API for a GitHub App's), or stsgate will not recognise the issues it opens and will open new ones")
}

// noticeForeign reports, once per run each, the issues that carry the
// marker of domain but were opened by another account: they were left
// alone.
func (a *applier) noticeForeign(domain string, foreign []TrackedIssue) {
	for _, is := range foreign {
		if a.noticed[is.Number] {
			continue
		}
		a.noticed[is.Number] = true
		d := diag.New(diag.IssueForeign,
			fmt.Sprintf("issue #%d carries the hidden marker of %s but was opened by %s, not by %s, the account stsgate writes as, so stsgate left it alone: anyone who can open an issue can copy the marker, and adopting the copy would let its author close or snooze the reminders, or get the real issue closed as a duplicate",
				is.Number, domain, cmp.Or(is.Author, "an unknown account"), a.opts.BotLogin),
			fmt.Sprintf("nothing to do: stsgate keeps its own issue for %s; if #%d is an old reminder opened with another token, close it; to silence this notice, remove the marker line or the label from #%d", domain, is.Number, is.Number))
		d.Domain = domain
		a.out.Notices.Add(d)
	}
}

// briefly describes a lookup's failure: the status and message of a
// refusal, else the error.
func briefly(err error) string {
	var perm *PermissionError
	switch {
	case err == nil:
		return "no login in the answer"
	case errors.As(err, &perm):
		return fmt.Sprintf("HTTP %d %s", perm.Status, perm.Message)
	}
	return err.Error()
}
