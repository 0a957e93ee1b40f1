package diag

// DNS declaration codes: the zone file or the inline records of the config.
const (
	ZoneSyntax           Code = "zone-syntax"
	ZoneInclude          Code = "zone-include"
	ZoneDomainOutside    Code = "zone-domain-outside"
	PolicyHostUndeclared Code = "policy-host-undeclared"
	MXInvalid            Code = "mx-invalid"
	MXTargetCNAME        Code = "mx-target-cname"
	// ZoneTXTUnquoted is an unquoted MTA-STS or TLS-RPT record whose
	// ';' starts a comment, so that DNS serves only its first field.
	ZoneTXTUnquoted Code = "zone-txt-unquoted"
	// ZoneBareCR is a carriage return not followed by a line feed.
	ZoneBareCR Code = "zone-bare-cr"
)

var zoneCodes = []Info{
	{ZoneSyntax, Error, "Zone file does not parse", "RFC 1035 §5"},
	{ZoneBareCR, Warning, "Carriage return not followed by a line feed", ""},
	{ZoneTXTUnquoted, Error, "Unquoted TXT record cut short: ';' starts a comment in a zone file", "RFC 1035 §5.1"},
	{ZoneInclude, Error, "$INCLUDE is refused", ""},
	{ZoneDomainOutside, Error, "Policy domain is not inside the zone file's origin", ""},
	{PolicyHostUndeclared, Warning, "No address or CNAME for mta-sts.<domain> in the declaration", "RFC 8461 §3.3"},
	{MXInvalid, Error, "Declared MX host is not a host name", "RFC 5321 §2.3.5"},
	{MXTargetCNAME, Warning, "Declared MX host is a CNAME", "RFC 5321 §5.1"},
}
