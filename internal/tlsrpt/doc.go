// Package tlsrpt implements the parts of SMTP TLS Reporting (RFC 8460) that
// stsgate checks.
//
// Implemented so far: the TXT record at _smtp._tls.<policy-domain>
// (RFC 8460 §3). ParseRecord parses one record with positions (line 1,
// 1-based byte columns into the record text, end exclusive) and reports
// every problem it finds, not only the first; ParseRecordSet applies the
// RRset rules: records that are not TLS-RPT are discarded (and noted), and
// unless exactly one TLS-RPT record remains, senders send no reports.
//
// Beyond the grammar, the record checks flag what real senders read
// differently: whitespace before the first ';' (the discard rule keeps
// only records beginning with "v=TLSRPTv1;"), a second rua= field (allowed
// by the grammar, rejected by some checkers), destinations with a scheme
// other than mailto or https, mailto destinations without local@domain,
// https destinations without a host, and the DMARC size suffix ("!10m"),
// which TLS-RPT does not have.
//
// Decode reads TLS-RPT reports (RFC 8460 §4) from bytes, whatever form
// they were delivered or stored in (§5): JSON, an array of reports or
// NDJSON, gzip, zip, report mail (.eml) and mbox, recognised by content,
// never by name. It normalises each report into a Report (UTC dates with
// an exclusive end, lower-case domains, lenient counts and lists) and
// tolerates the quirks real reporters have (reference §4 and vectors
// J1-J26): missing time zones, mx-host as a string, null contact-info,
// missing policy-domain, details that add up to more than the total,
// mislabelled MIME parts. What it cannot read becomes a diagnostic, with
// the line and column inside the JSON where there is one; one bad report
// never stops the others. Limits bound the memory and time an input may
// take, whatever it holds (RFC 8460 §7: reports are untrusted): gzip and
// zip bombs, mail headers, nesting, policy entries, failure details,
// list items and string lengths. Reading is linear in the input; each
// limit that cuts something says so once per source. Field names are
// matched exactly as RFC 8460 §4.4 spells them: encoding/json's
// case-insensitive matching is switched off by hiding keys that differ
// only in case.
//
// Not implemented here: looking the record up in DNS (package dnsx),
// walking directories and fetching report URLs (the caller hands Decode
// an io.Reader), and the DKIM requirement on report mail.
//
// The package is pure: it imports only the standard library, diag and
// txtfield, and does no I/O of its own.
package tlsrpt
