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
// Not implemented here: looking the record up in DNS (package dnsx), the
// report JSON of RFC 8460 §4 and its delivery by mail or HTTPS (§5), and
// the DKIM requirement on report mail.
//
// The package is pure: it imports only the standard library, diag and
// txtfield, and does no I/O.
package tlsrpt
