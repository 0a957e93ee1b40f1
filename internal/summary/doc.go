// Package summary is the committed form of TLS-RPT evidence (DESIGN
// §1.10): one versioned JSON document per policy domain and UTC month,
// e.g. reports/summary/example.com/2026-11.json, that the PR gate reads
// instead of the raw report mails.
//
// A document lists, per UTC day and reporting organization, every
// report folded in, each as the normalised tlsrpt.Report it was read as:
// date range, session counts, policy strings, failure details. Reading a
// summary (Decode) gives back exactly those reports, with their keys, so
// the clean window computed from summaries is the window computed from
// the raw reports, for any tlsrpt.Options, and a raw report read beside
// the summary that holds it counts once.
//
// Spec note: the issue asked for per-day, per-organization sums (session
// counts and failure groups added up). They cannot give the same window
// for every configuration: the aggregator spreads each multi-day entry's
// counts over its days on its own (the sum of two entries' daily shares
// is not the share of their sum), caps an entry's blocking sessions at
// its own total (RFC 8460 §4.2, J10), counts each entry's unexplained
// failures (J11) by itself, and counts a report on a day only when one
// of its entries matches the evaluated policy's mx set, which is
// configuration. So each report is kept whole; since real reporters send
// one report per day and domain, that is still one record per day and
// organization. Fields that do not bear on the window (contact-info,
// receiving IP and HELO, additional-information) are kept too, so that a
// report and its record agree on content and the aggregator's conflict
// check (two reports with one key that differ) sees no false conflict.
//
// Folding (Set.Add) is idempotent: a record is identified by the
// report's key and a SHA-256 digest of its content, so the same report
// folded twice changes nothing, while two different reports under one
// key are both kept for the aggregator to choose between, as it does
// for raw reports. Rendering (Set.Render) is deterministic: days, orgs
// and records sorted, so an unchanged month gives identical bytes and a
// new day shows in a diff as added lines only.
//
// A record also lists the Message-IDs of the mails its report came in
// (Set.AddMail), up to eight: not content, so the gate ignores them,
// but collect asks Set.Known before downloading a mail, which makes a
// second run over the same mailbox fetch no message body.
//
// Summaries are recognised by content: Is tells a summary from a report
// by its "kind", and the caller hands it to Decode instead of the report
// decoder. Decode reads with a small parser of its own (parse.go), as the
// gate reads hundreds of summaries on every run, and falls back to
// encoding/json, which words the errors, for anything unusual. A file
// that cannot be read, or that breaks the format in any field, gives one
// diagnostic (summary-invalid, summary-version-unknown) and no report.
//
// The package imports only the standard library, diag and tlsrpt; its
// only I/O is WriteFile.
package summary
