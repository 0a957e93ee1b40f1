// Package remind keeps one living reminder issue per MTA-STS policy domain
// (DESIGN §1.6) and checks the publish order after a merge.
//
// The work is split so that almost all of it is pure:
//
//   - State is what the checks found for a domain (repository policy and
//     declared id, live policy and id, TLS-RPT record, clean window,
//     testing-since). The CLI fills it from its checks.
//   - Desired turns a State, and the machine state hidden in the existing
//     issue, into the issue wanted: its kind (ready, blocked, drift,
//     tlsrpt-missing, resolved, quiet, unknown), title and body.
//   - Plan compares the wanted issue with the issues found by label and
//     hidden marker and returns the writes: create, edit, reopen, close,
//     each with the comment that goes with a state change.
//   - Sync lists, plans and applies through IssueTracker, which ghapi
//     implements, within a bound on writes; a denied permission becomes a
//     warning, never an error.
//   - TestingSince reads, with a bounded number of API calls, since when
//     the default branch's policy has been in mode testing.
//   - PostMerge checks, after a push, that the policy host serves the
//     repository's policy before the new id is published (RFC 8461 §8.1).
//
// Decisions where DESIGN §1.6 leaves room:
//
//   - A domain with nothing to do yet (testing for less than stale_days, no
//     drift, TLS-RPT present; mode none; no policy) opens no issue and
//     leaves an existing one alone, with one exception: an open drift or
//     tlsrpt-missing issue is closed with a comment, because the problem it
//     was about is resolved. A stale-testing reminder (ready, blocked) is
//     closed only on resolution (enforce, live state equal to the
//     repository, TLS-RPT present), so that a reset of testing-since does
//     not close it and reopen it weeks later.
//   - A domain whose live state could not be checked (SERVFAIL, timeout)
//     gets no write at all: "could not check" neither opens nor closes.
//   - Testing mode of unknown age is never stale; the issue says "unknown"
//     when it exists for another reason.
//   - Only issues opened by the token's own account are adopted (DESIGN
//     §1.11): the marker and the label are no proof, since anyone who can
//     open an issue can copy the one and a triager can add the other. The
//     account is looked up once per run: GET /user for a personal access
//     token; GraphQL's viewer for an installation token, which GET /user
//     refuses with 403 (the Actions GITHUB_TOKEN writes as
//     github-actions[bot], a GitHub App's token as <app-slug>[bot], and
//     no REST call tells an installation token its app). When neither
//     answers, github-actions[bot] is assumed, with a notice. A marked
//     issue of another account is not edited, closed, counted as a snooze
//     or as a duplicate; it gets one notice per run, and the domain's
//     issue is kept or opened as if it did not exist.
//   - An issue of its own that a person (anyone with triage rights)
//     closed as "not planned" or as a duplicate snoozes the domain for
//     snooze_days from its closed_at; one a person closed as "completed"
//     while the problem remains is reopened on the next run (the body says
//     how to snooze instead).
//   - The issue title and body belong to stsgate: they are rewritten
//     whenever their content changes. Discussion goes in comments.
//   - The suggested new id is kept in the hidden state while the kind stays
//     the same and the id is unused, so reruns do not rewrite the body.
//   - Issues turned off (410 Gone) are one warning, and the run passes.
//     A label GitHub dropped (a token without push access) is a warning,
//     and the marked issue without it is found by its creator, so that no
//     run opens a second one.
//
// The package does not fetch reports, query DNS or fetch policies; the
// checks do, and State carries their outcome.
package remind
