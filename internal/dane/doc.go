// Package dane judges an SMTP server's certificate chain against the TLSA
// records of its MX host the way a DANE SMTP client does (RFC 7672 §3),
// so that stsgate can say whether mail from DANE senders would reach the
// MX.
//
// The records are the RDATA of the TLSA RRset at _25._tcp.<mx host>
// (RFC 6698 §2.1, RFC 7672 §2.2.3); the names of their parameters are
// those of RFC 7218 (PKIX-TA, PKIX-EE, DANE-TA, DANE-EE; Cert, SPKI; Full,
// SHA2-256, SHA2-512). The chain is what the server sent in its TLS
// handshake, its own certificate first. The package does no I/O: the
// caller looks the records up (with DNSSEC: RFC 7672 §2.1 ignores TLSA
// records that are not secure) and probes the server.
//
// Verify first keeps the records an SMTP client can use: DANE-TA(2) and
// DANE-EE(3) with a known selector and matching type and well-formed data
// (RFC 7672 §3.1.3, RFC 6698 §4.1, RFC 7671 §4). A DANE-EE record
// authenticates the server when it matches the server's own certificate,
// whatever its names and validity period (RFC 7672 §3.1.1, §3.2.1). A
// DANE-TA record authenticates it when it matches a certificate the server
// sent, the server's certificate chains to that one, names the MX host
// (with a wildcard only as the whole leftmost label) and is within its
// validity period (RFC 7672 §3.1.2, §3.2.2, §3.2.3).
//
// The verdict is Match, Mismatch (a DANE sender does not deliver, and
// reports tlsa-invalid, RFC 8460 §4.3.2.1), or Unusable (no record is
// usable: DANE senders cannot authenticate the server and treat the MX as
// if it had no TLSA records). Its Reason may quote names from the
// certificate; non-printable characters in them are escaped.
//
// Not done here: DNS lookups and DNSSEC validation, the TLSA base domain of
// a CNAME-expanded MX host (RFC 7672 §2.2.3: the caller passes the name
// to check), DANE-TA "2 1 0" records used as a bare public key when the
// server does not send the anchor's certificate (RFC 7672 §3.1.2), a
// name in the subject common name only (crypto/x509 matches the DNS names
// of the subject alternative name), and revocation.
package dane
