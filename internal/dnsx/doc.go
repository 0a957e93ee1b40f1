// Package dnsx looks up the DNS records stsgate compares with the
// repository: the _mta-sts and _smtp._tls TXT records (RFC 8461 §3.1,
// RFC 8460 §3), MX hosts (RFC 8461 §4) and the addresses of the policy
// host. It is the only package besides zone that imports miekg/dns, and
// its answers cross the package boundary as standard-library types
// ([]string, []*net.MX, []netip.Addr, *net.DNSError).
//
// A Client asks one configured recursive resolver (from the dns_resolver
// input or /etc/resolv.conf) for absolute names only: no search list, no
// hosts file. Queries go over UDP with EDNS0 and are repeated over TCP
// when the answer is truncated; every try has a timeout and the number of
// tries is bounded; CNAME chains are followed with a length bound and loop
// detection.
//
// Every lookup error is a *net.DNSError in one of two classes, which the
// rules must keep apart (reference T20):
//
//   - no record (IsNotFound): NXDOMAIN, or NODATA (the name exists without
//     a record of the type). For _mta-sts this means the domain does not
//     use MTA-STS.
//   - could not check: SERVFAIL, REFUSED, a malformed answer or one with
//     another message id, a CNAME loop or over-long chain (IsTemporary); a
//     timeout (IsTimeout and IsTemporary); a cancelled context (neither
//     flag, as in package net; errors.Is finds context.Canceled); a name
//     that is not a valid domain name (neither flag). Such a result is
//     neither "valid" nor "invalid".
//
// IsNotFound and CouldNotCheck test the classes; CouldNotCheck is true for
// every error that is not "no record". Nothing else is wrapped.
//
// Not done here: DNSSEC validation (the resolver's job), IDNA conversion
// (callers pass A-labels), the hosts file.
package dnsx
