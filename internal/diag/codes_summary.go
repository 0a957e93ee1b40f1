package diag

// Summary file codes (DESIGN §1.10): the committed monthly summaries of
// TLS-RPT reports. A summary that cannot be read is an error for that
// file only; the other sources are still read.
const (
	SummaryInvalid        Code = "summary-invalid"
	SummaryVersionUnknown Code = "summary-version-unknown"
)

var summaryCodes = []Info{
	{SummaryInvalid, Error, "Summary file is not valid JSON or breaks the summary format; none of it is read", "RFC 8460 §4.4"},
	{SummaryVersionUnknown, Error, "Summary file has a schema_version this stsgate does not read; none of it is read", ""},
}
