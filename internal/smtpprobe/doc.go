// Package smtpprobe probes the MX hosts of a domain the way a sending MTA
// that applies an MTA-STS policy in enforce mode would reach them (RFC 8461
// §4.2, §5.1), so that stsgate can predict, before a flip to enforce, which
// MX hosts such senders would defer mail to.
//
// For every address of an MX host the probe connects to port 25, reads the
// greeting, sends EHLO and STARTTLS, does the TLS handshake with the MX host
// name as SNI (RFC 8461 §7.1) and says QUIT. No mail is sent. The
// certificate is then judged as an MTA-STS sender judges it: a chain to a
// trusted root (the system roots, which honour SSL_CERT_FILE, or a pool the
// caller passes), a DNS-ID matching the MX host name with a wildcard only as
// the whole leftmost label (RFC 8461 §4.2, RFC 6125 §6.4.3), not expired,
// and TLS 1.2 or newer (RFC 8461 §7.2). Each problem is mapped to the result
// type a sender would put into its TLS-RPT report (RFC 8460 §4.3).
//
// The probe is polite and bounded: one connection per address at a time
// (across every probe of one Prober), at most Options.Concurrency hosts at
// once, a timeout for the connect and for every step, a deadline for the
// whole host, replies read with caps on line length and line count, and an
// EHLO name the caller chooses.
//
// A probe that cannot connect is kept apart from one that connected and
// then failed: Result.Connect says whether the TCP connect timed out (port
// 25 blocked on the way, as on most cloud networks), was refused or found
// no route, so that the caller can say once that this machine cannot reach
// port 25 instead of reporting every MX as broken.
//
// The package returns data, never diagnostics: strings in a Result (reply
// texts, certificate names) are as the server sent them, within the caps,
// and must be escaped by whoever prints them.
//
// Not done here: DANE (RFC 7672), revocation checks, a second EHLO after
// STARTTLS, delivery of any message.
package smtpprobe
