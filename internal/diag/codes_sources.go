package diag

// Report source codes: where reports come from (files, directories, globs,
// https:// URLs), before any report is decoded.
const (
	ReportSourceUnreadable Code = "report-source-unreadable"
	ReportFetchFailed      Code = "report-fetch-failed"
)

var sourceCodes = []Info{
	{ReportSourceUnreadable, Error, "A report source names nothing readable", ""},
	{ReportFetchFailed, Error, "A report URL could not be fetched", "RFC 8460 §5.4"},
}
