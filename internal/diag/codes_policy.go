package diag

// Policy file codes (RFC 8461 §3.2).
const (
	PolicyTooLarge          Code = "policy-too-large"
	PolicyEmpty             Code = "policy-empty"
	PolicyBOM               Code = "policy-bom"
	PolicyBareCR            Code = "policy-bare-cr"
	PolicyBlankLine         Code = "policy-blank-line"
	PolicyLeadingSpace      Code = "policy-leading-space"
	PolicyLineSyntax        Code = "policy-line-syntax"
	PolicyVersionMissing    Code = "policy-version-missing"
	PolicyVersionInvalid    Code = "policy-version-invalid"
	PolicyVersionDuplicate  Code = "policy-version-duplicate"
	PolicyVersionNotFirst   Code = "policy-version-not-first"
	PolicyModeMissing       Code = "policy-mode-missing"
	PolicyModeInvalid       Code = "policy-mode-invalid"
	PolicyModeDuplicate     Code = "policy-mode-duplicate"
	PolicyMaxAgeMissing     Code = "policy-max-age-missing"
	PolicyMaxAgeInvalid     Code = "policy-max-age-invalid"
	PolicyMaxAgeDuplicate   Code = "policy-max-age-duplicate"
	PolicyMaxAgeLeadingZero Code = "policy-max-age-leading-zero"
	PolicyMaxAgeUnderDay    Code = "policy-max-age-under-day"
	PolicyMaxAgeShort       Code = "policy-max-age-short"
	PolicyMXMissing         Code = "policy-mx-missing"
	PolicyMXInvalid         Code = "policy-mx-invalid"
	PolicyMXWildcard        Code = "policy-mx-wildcard"
	PolicyMXDuplicate       Code = "policy-mx-duplicate"
	PolicyMXIDNA            Code = "policy-mx-idna"
	PolicyKeyTypo           Code = "policy-key-typo"
	PolicyExtension         Code = "policy-extension"
	PolicyExtensionInvalid  Code = "policy-extension-invalid"
)

const rfc8461p32 = "RFC 8461 §3.2"

var policyCodes = []Info{
	{PolicyTooLarge, Error, "Policy file larger than 64 KiB", "RFC 8461 §3.3"},
	{PolicyEmpty, Error, "Policy file is empty", rfc8461p32},
	{PolicyBOM, Error, "Byte order mark before the first key", rfc8461p32},
	{PolicyBareCR, Error, "Carriage return not followed by a line feed", rfc8461p32},
	{PolicyBlankLine, Error, "Blank line in the policy file", rfc8461p32},
	{PolicyLeadingSpace, Error, "Whitespace before a key", rfc8461p32},
	{PolicyLineSyntax, Error, "Line is not a key: value pair", rfc8461p32},
	{PolicyVersionMissing, Error, "No version: STSv1 line", rfc8461p32},
	{PolicyVersionInvalid, Error, "version is not STSv1", rfc8461p32},
	{PolicyVersionDuplicate, Error, "version given more than once", rfc8461p32},
	{PolicyVersionNotFirst, Warning, "version is not the first line", rfc8461p32},
	{PolicyModeMissing, Error, "No mode line", rfc8461p32},
	{PolicyModeInvalid, Error, "mode is not enforce, testing or none", rfc8461p32},
	{PolicyModeDuplicate, Error, "mode given more than once", rfc8461p32},
	{PolicyMaxAgeMissing, Error, "No max_age line", rfc8461p32},
	{PolicyMaxAgeInvalid, Error, "max_age is not 0..31557600 in at most 10 digits", rfc8461p32},
	{PolicyMaxAgeDuplicate, Error, "max_age given more than once", rfc8461p32},
	{PolicyMaxAgeLeadingZero, Warning, "max_age has leading zeros", rfc8461p32},
	{PolicyMaxAgeUnderDay, Error, "max_age under one day (error in enforce, warning in testing)", "RFC 8461 §10.2"},
	{PolicyMaxAgeShort, Warning, "max_age under 14 days in enforce mode", "RFC 8461 §10.2"},
	{PolicyMXMissing, Error, "No mx line in enforce or testing mode", rfc8461p32},
	{PolicyMXInvalid, Error, "mx is not a host name or a one-label wildcard", rfc8461p32},
	{PolicyMXWildcard, Warning, "mx wildcard lets any host in the zone receive mail", "RFC 8461 §10.4"},
	{PolicyMXDuplicate, Warning, "The same mx pattern is listed twice", rfc8461p32},
	{PolicyMXIDNA, Warning, "mx is not a valid IDNA 2008 name (reserved \"--\" label or bad xn-- label)", "RFC 5891 §4.2.3"},
	{PolicyKeyTypo, Warning, "Unknown key that looks like a misspelt known key", rfc8461p32},
	{PolicyExtension, Notice, "Extension key that senders ignore", rfc8461p32},
	{PolicyExtensionInvalid, Error, "Extension key or value outside the grammar", rfc8461p32},
}
