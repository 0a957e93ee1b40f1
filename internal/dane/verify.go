package dane

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Outcome is what a DANE SMTP client concludes from an MX's TLSA records
// and the server's certificate chain.
type Outcome int

const (
	Unusable Outcome = iota // no record is usable for SMTP: DANE senders treat the MX as if it had no TLSA records
	Match                   // a usable record authenticates the chain
	Mismatch                // usable records exist and none authenticates the chain: DANE senders do not deliver (TLS-RPT tlsa-invalid)
)

// String returns the outcome in lower case: "unusable", "match" or
// "mismatch".
func (o Outcome) String() string {
	switch o {
	case Unusable:
		return "unusable"
	case Match:
		return "match"
	case Mismatch:
		return "mismatch"
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Verdict is what a DANE SMTP client would conclude.
type Verdict struct {
	Outcome Outcome
	Record  Record // the record that authenticated the chain (Match)
	Usable  int    // how many records are usable for SMTP
	// Reason says, for Mismatch, why in a few words that fit into a
	// sentence ("no usable record matches the server's certificate or
	// its public key"; "the DANE-TA record 2 1 1 ab12cd34… matches an issuer, but
	// the certificate is for mail.other.example, not mx.example.com";
	// "... but the certificate expired on 2026-01-02"), and for Unusable
	// why no record is usable ("the records use PKIX-TA/PKIX-EE, which SMTP clients treat as unusable (RFC 7672 §3.1.3)", unknown parameters, malformed data length).
	Reason string
}

// Verify judges chain (the certificates the server sent, its own first)
// against records for the MX host name host, at time now.
//
// Any usable record that authenticates the chain makes a Match, whatever
// the others say (RFC 6698 §4.1: the client tries the usable records
// until one matches). Otherwise the Reason of a Mismatch is the first DANE-TA
// record that matched a certificate the server sent and failed on the
// chain, the name or the validity period, as the most telling; failing
// that, that no record matches.
func Verify(records []Record, chain []*x509.Certificate, host string, now time.Time) Verdict {
	var usable []Record
	for _, r := range records {
		if problem(r) == "" {
			usable = append(usable, r)
		}
	}
	// RFC 7672 §2.2, §2.2.3: with no usable record a DANE client cannot
	// authenticate the server, as if there were no TLSA records.
	//
	// Spec note: RFC 7672 §2.2 still has the client insist on TLS then,
	// without checking the certificate (Postfix's "encrypt" level).
	if len(usable) == 0 {
		return Verdict{Outcome: Unusable, Reason: unusableReason(records)}
	}
	chain = slices.DeleteFunc(slices.Clone(chain), func(c *x509.Certificate) bool { return c == nil })
	v := Verdict{Outcome: Mismatch, Usable: len(usable)}
	if len(chain) == 0 {
		v.Reason = "the server sent no certificate"
		return v
	}
	// RFC 4343 §3: DNS names compare without case; a trailing dot only
	// marks the name as absolute. VerifyHostname does both itself; this
	// is for the host named in a Reason.
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, r := range usable {
		why, ok := authenticate(r, chain, host, now)
		if ok {
			return Verdict{Outcome: Match, Record: r, Usable: len(usable)}
		}
		if v.Reason == "" {
			v.Reason = why
		}
	}
	if v.Reason == "" {
		v.Reason = noMatchReason(usable)
	}
	return v
}

// authenticate says whether the usable record r authenticates chain for
// host at now. When it does not, why is the failure of a DANE-TA record
// that matched a certificate, or "" when r matched nothing.
func authenticate(r Record, chain []*x509.Certificate, host string, now time.Time) (why string, ok bool) {
	// RFC 7672 §3.1.1: a DANE-EE record matches the server's own
	// certificate; §3.1.1, §3.2.1: its names and validity period are not
	// checked.
	if r.Usage == usageDANEEE {
		return "", matches(r, chain[0])
	}
	// RFC 7672 §3.1.2: a DANE-TA record matches a trust anchor the server
	// sends in its chain; the chain must then verify from the server's
	// certificate to it.
	//
	// Spec note: a DANE-TA record that matches the server's own
	// certificate makes it its own anchor, as in OpenSSL's DANE support;
	// its name and validity period are still checked.
	for i, anchor := range chain {
		if !matches(r, anchor) {
			continue
		}
		problems, chained := anchorProblems(chain, anchor, host, now)
		if len(problems) == 0 {
			return "", true
		}
		if why == "" {
			why = "the DANE-TA record " + r.Short() + " matches " + anchorName(i, chained) + ", but " + strings.Join(problems, ", and ")
		}
	}
	return why, false
}

// anchorName names the certificate a DANE-TA record matched, the one at
// index i of the chain: an issuer only when the chain verified to it.
func anchorName(i int, chained bool) string {
	switch {
	case i == 0:
		return "the server's own certificate"
	case !chained:
		return "a certificate the server sent"
	}
	return "an issuer"
}

// matches says whether r's data is the selected part of cert, whole or
// hashed (RFC 6698 §2.1.2, §2.1.3).
func matches(r Record, cert *x509.Certificate) bool {
	selected := cert.Raw
	if r.Selector == selectorSPKI {
		selected = cert.RawSubjectPublicKeyInfo
	}
	switch r.MatchingType {
	case matchSHA256:
		sum := sha256.Sum256(selected)
		return bytes.Equal(sum[:], r.Data)
	case matchSHA512:
		sum := sha512.Sum512(selected)
		return bytes.Equal(sum[:], r.Data)
	}
	return bytes.Equal(selected, r.Data)
}

// noMatchReason says that none of the usable records matched.
func noMatchReason(usable []Record) string {
	if !slices.ContainsFunc(usable, func(r Record) bool { return r.Usage == usageDANEEE }) {
		// RFC 7672 §3.1.2: the server must send the trust anchor's
		// certificate with its own.
		return "no DANE-TA record matches a certificate the server sent (the server must send its trust anchor too)"
	}
	return "no usable record matches the server's certificate or its public key"
}
