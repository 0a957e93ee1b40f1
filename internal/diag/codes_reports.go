package diag

// TLS-RPT report decoding codes (RFC 8460 §4 and §5). Reports come from
// third parties: an input that cannot be read is an error for that input
// only, and quirks that real reporters are known to have are tolerated
// with a notice or a warning.
const (
	ReportUnreadable        Code = "report-unreadable"
	ReportFormatUnknown     Code = "report-format-unknown"
	ReportNotFound          Code = "report-not-found"
	ReportSkipped           Code = "report-skipped"
	ReportTooLarge          Code = "report-too-large"
	ReportTooManyParts      Code = "report-too-many-parts"
	ReportProblemsCapped    Code = "report-findings-capped"
	ReportJSONInvalid       Code = "report-json-invalid"
	ReportFieldInvalid      Code = "report-field-invalid"
	ReportFieldMissing      Code = "report-field-missing"
	ReportDateInvalid       Code = "report-date-invalid"
	ReportDateReversed      Code = "report-date-reversed"
	ReportRangeTooLong      Code = "report-range-too-long"
	ReportNoTimezone        Code = "report-no-timezone"
	ReportTrailingData      Code = "report-trailing-data"
	ReportBOM               Code = "report-bom"
	ReportOrganizationEmpty Code = "report-organization-missing"
	ReportIDMissing         Code = "report-id-missing"
	ReportPolicyInvalid     Code = "report-policy-invalid"
	ReportPolicyDomainEmpty Code = "report-policy-domain-missing"
	ReportMXHostString      Code = "report-mx-host-string"
	ReportCountMissing      Code = "report-count-missing"
	ReportFailuresExceed    Code = "report-failures-exceed-total"
	ReportAddressInvalid    Code = "report-address-invalid"
	ReportCountSaturated    Code = "report-count-saturated"
	ReportMIMEUnterminated  Code = "report-mime-unterminated"
	ReportGzipTrailingData  Code = "report-gzip-trailing-data"
	ReportHeaderTooLarge    Code = "report-header-too-large"
	ReportPoliciesCapped    Code = "report-policies-capped"
	ReportDetailsCapped     Code = "report-details-capped"
	ReportListCapped        Code = "report-list-capped"
	ReportStringCut         Code = "report-string-cut"
	ReportGroupsCapped      Code = "report-failure-groups-capped"
)

const (
	rfc8460p44 = "RFC 8460 §4.4"
	rfc8460p5  = "RFC 8460 §5"
)

var reportCodes = []Info{
	{ReportUnreadable, Error, "Report input cannot be read (corrupt gzip, zip, MIME or transfer encoding)", rfc8460p5},
	{ReportFormatUnknown, Error, "Input is not JSON, gzip, zip, a mail message or an mbox", "RFC 8460 §5.1"},
	{ReportNotFound, Error, "Input holds no TLS-RPT report", "RFC 8460 §5.3"},
	{ReportSkipped, Notice, "Archive member or mailbox message without a TLS-RPT report was skipped", "RFC 8460 §5.3"},
	{ReportTooLarge, Error, "Report or source larger than the limit after decompression", "RFC 8460 §7"},
	{ReportTooManyParts, Error, "Source has more archive members, messages or MIME parts than the limit", "RFC 8460 §7"},
	{ReportProblemsCapped, Notice, "More than 100 findings of one code in one source; the rest are not listed", ""},
	{ReportJSONInvalid, Error, "Report is not valid JSON, or not a JSON object", rfc8460p44},
	{ReportFieldInvalid, Error, "Report field has the wrong JSON type", rfc8460p44},
	{ReportFieldMissing, Error, "Report lacks date-range or policies", rfc8460p44},
	{ReportDateInvalid, Error, "Report date-time is not an RFC 3339 date-time", rfc8460p44},
	{ReportDateReversed, Error, "Report end-datetime is before its start-datetime", "RFC 8460 §4.1"},
	{ReportRangeTooLong, Error, "Report date-range covers more than 31 days", "RFC 8460 §4.1"},
	{ReportNoTimezone, Notice, "Report date-time has no time zone; read as UTC", rfc8460p44},
	{ReportTrailingData, Warning, "Data after the report's JSON was ignored", rfc8460p44},
	{ReportBOM, Warning, "Byte order mark before the report's JSON was ignored", "RFC 8259 §8.1"},
	{ReportOrganizationEmpty, Warning, "Report has no organization-name", rfc8460p44},
	{ReportIDMissing, Warning, "Report has no report-id; duplicates are found by content only", rfc8460p44},
	{ReportPolicyInvalid, Warning, "Policy entry with invalid counts or lists was skipped", rfc8460p44},
	{ReportPolicyDomainEmpty, Notice, "Policy entry has no policy-domain and counts for no domain", rfc8460p44},
	{ReportMXHostString, Notice, "mx-host is a string, not an array; read as a one-element list", "RFC 8460 §4.4, Errata 6241"},
	{ReportCountMissing, Notice, "Session count missing from a policy entry", "RFC 8460 §4.2"},
	{ReportFailuresExceed, Notice, "failure-details add up to more than total-failure-session-count; the total is counted", "RFC 8460 §4.2"},
	{ReportAddressInvalid, Warning, "sending-mta-ip or receiving-ip is not an IP address; ignored", rfc8460p44},
	{ReportCountSaturated, Warning, "Session counts add up to more than 2^63-1; the sums are held there", rfc8460p44},
	{ReportMIMEUnterminated, Notice, "Report mail ends without its closing MIME delimiter; read to its end", "RFC 2046 §5.1.1"},
	{ReportGzipTrailingData, Notice, "Data after the end of the gzip stream was ignored", "RFC 1952 §2.2"},
	{ReportHeaderTooLarge, Error, "Report mail's header block is larger than the limit; the mail is not read", "RFC 8460 §7"},
	{ReportPoliciesCapped, Warning, "Report has more policy entries than the limit; the rest are not counted", "RFC 8460 §7"},
	{ReportDetailsCapped, Warning, "Policy entry has more failure-details than the limit; the rest count only as totals", "RFC 8460 §7"},
	{ReportListCapped, Warning, "policy-string or mx-host has more items than the limit; cut", "RFC 8460 §7"},
	{ReportStringCut, Notice, "Report field longer than the limit was cut", "RFC 8460 §7"},
	{ReportGroupsCapped, Warning, "Domain has more failure groups than the limit; the rest count only in the day totals", "RFC 8460 §7"},
}
