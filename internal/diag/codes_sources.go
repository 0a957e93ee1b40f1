package diag

// Report source codes: where reports come from (files, directories, globs,
// https:// URLs), before any report is decoded.
const (
	ReportSourceUnreadable     Code = "report-source-unreadable"
	ReportSourceEmpty          Code = "report-source-empty"
	ReportKeyConflict          Code = "report-key-conflict"
	ReportMailSkipped          Code = "report-mail-skipped"
	ReportMailboxNoCredentials Code = "report-mailbox-no-credentials"
	ReportFetchFailed          Code = "report-fetch-failed"
	ReportDKIMUnverified       Code = "report-dkim-unverified"
	ReportDKIMFailed           Code = "report-dkim-failed"
	ReportUnsignedIgnored      Code = "report-unsigned-ignored"
)

var sourceCodes = []Info{
	{ReportSourceUnreadable, Error, "A report source names nothing readable", ""},
	{ReportSourceEmpty, Notice, "A report directory holds no files", ""},
	{ReportMailSkipped, Notice, "Mails in a report mailbox that carry no TLS-RPT report were skipped", "RFC 8460 §5.3"},
	{ReportMailboxNoCredentials, Warning, "A report mailbox is not read: no password or token in the environment", ""},
	{ReportKeyConflict, Warning, "Two reports share organization and report-id but differ: the one with more failures counts", "RFC 8460 §4.4"},
	{ReportFetchFailed, Error, "A report URL or mailbox could not be read", "RFC 8460 §5.4"},
	{ReportDKIMUnverified, Notice, "Report mail without Authentication-Results: its DKIM signature cannot be judged", "RFC 8460 §3"},
	{ReportDKIMFailed, Warning, "Report mail without a DKIM pass for its submitter: it may be forged", "RFC 8460 §3"},
	{ReportUnsignedIgnored, Notice, "Reports from mails without a DKIM pass are left out of the window (unsigned_reports: ignore)", "RFC 8460 §3"},
}
