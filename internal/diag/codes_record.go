package diag

// _mta-sts TXT record codes (RFC 8461 §3.1).
const (
	STSRecordMissing          Code = "sts-record-missing"
	STSRecordMultiple         Code = "sts-record-multiple"
	STSRecordUnrelated        Code = "sts-record-unrelated"
	STSRecordVersionInvalid   Code = "sts-record-version-invalid"
	STSRecordSyntax           Code = "sts-record-syntax"
	STSRecordSpaceBeforeSemi  Code = "sts-record-space-before-delimiter"
	STSRecordIDMissing        Code = "sts-record-id-missing"
	STSRecordIDInvalid        Code = "sts-record-id-invalid"
	STSRecordIDDuplicate      Code = "sts-record-id-duplicate"
	STSRecordExtension        Code = "sts-record-extension"
	STSRecordExtensionInvalid Code = "sts-record-extension-invalid"
	STSRecordMisplaced        Code = "sts-record-misplaced"
)

// _smtp._tls TXT record codes (RFC 8460 §3).
const (
	TLSRPTRecordMissing          Code = "tlsrpt-record-missing"
	TLSRPTRecordMultiple         Code = "tlsrpt-record-multiple"
	TLSRPTRecordUnrelated        Code = "tlsrpt-record-unrelated"
	TLSRPTRecordVersionInvalid   Code = "tlsrpt-record-version-invalid"
	TLSRPTRecordSyntax           Code = "tlsrpt-record-syntax"
	TLSRPTRecordSpaceBeforeSemi  Code = "tlsrpt-record-space-before-delimiter"
	TLSRPTRecordExtension        Code = "tlsrpt-record-extension"
	TLSRPTRecordExtensionInvalid Code = "tlsrpt-record-extension-invalid"
	TLSRPTRecordMisplaced        Code = "tlsrpt-record-misplaced"
	TLSRPTRUAMissing             Code = "tlsrpt-rua-missing"
	TLSRPTRUAInvalid             Code = "tlsrpt-rua-invalid"
	TLSRPTRUAScheme              Code = "tlsrpt-rua-scheme"
	TLSRPTRUARepeated            Code = "tlsrpt-rua-repeated"
	TLSRPTRUAMultiple            Code = "tlsrpt-rua-multiple"
)

const (
	rfc8461p31 = "RFC 8461 §3.1"
	rfc8460p3  = "RFC 8460 §3"
)

var stsRecordCodes = []Info{
	{STSRecordMissing, Error, "No v=STSv1 TXT record at _mta-sts", rfc8461p31},
	{STSRecordMultiple, Error, "More than one v=STSv1 TXT record: senders see no policy", rfc8461p31},
	{STSRecordUnrelated, Warning, "Other TXT records at _mta-sts", rfc8461p31},
	{STSRecordVersionInvalid, Error, "Record looks like MTA-STS but does not start with exactly v=STSv1", rfc8461p31},
	{STSRecordSyntax, Error, "_mta-sts record outside the grammar", rfc8461p31},
	{STSRecordSpaceBeforeSemi, Warning, "Whitespace before the first ';' (errata 6285)", "RFC 8461 §3.1, Errata 6285"},
	{STSRecordIDMissing, Error, "_mta-sts record has no id", rfc8461p31},
	{STSRecordIDInvalid, Error, "id is not 1 to 32 letters and digits", rfc8461p31},
	{STSRecordIDDuplicate, Warning, "id given more than once", rfc8461p31},
	{STSRecordExtension, Notice, "Extension field that senders ignore", rfc8461p31},
	{STSRecordExtensionInvalid, Error, "Extension field outside the grammar", rfc8461p31},
	{STSRecordMisplaced, Error, "v=STSv1 record at a name other than _mta-sts", rfc8461p31},
}

var tlsrptRecordCodes = []Info{
	{TLSRPTRecordMissing, Error, "No v=TLSRPTv1 TXT record at _smtp._tls", rfc8460p3},
	{TLSRPTRecordMultiple, Error, "More than one v=TLSRPTv1 TXT record: senders send no reports", rfc8460p3},
	{TLSRPTRecordUnrelated, Warning, "Other TXT records at _smtp._tls", rfc8460p3},
	{TLSRPTRecordVersionInvalid, Error, "Record looks like TLS-RPT but does not start with exactly v=TLSRPTv1", rfc8460p3},
	{TLSRPTRecordSyntax, Error, "_smtp._tls record outside the grammar", rfc8460p3},
	{TLSRPTRecordSpaceBeforeSemi, Warning, "Whitespace before the first ';'", rfc8460p3},
	{TLSRPTRecordExtension, Notice, "Extension field that senders ignore", rfc8460p3},
	{TLSRPTRecordExtensionInvalid, Error, "Extension field outside the grammar", rfc8460p3},
	{TLSRPTRecordMisplaced, Error, "v=TLSRPTv1 record at a name other than _smtp._tls", rfc8460p3},
	{TLSRPTRUAMissing, Error, "No rua= destination", rfc8460p3},
	{TLSRPTRUAInvalid, Error, "rua= destination is not a valid URI", rfc8460p3},
	{TLSRPTRUAScheme, Error, "rua= scheme other than mailto or https", rfc8460p3},
	{TLSRPTRUARepeated, Warning, "rua= field given more than once", rfc8460p3},
	{TLSRPTRUAMultiple, Notice, "Several destinations: only one is guaranteed to get each report", "RFC 8460 §3"},
}
