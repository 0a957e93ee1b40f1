package dane

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Record is a TLSA record's RDATA (RFC 6698 §2.1).
type Record struct {
	Usage        uint8  // 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE
	Selector     uint8  // 0 Cert, 1 SPKI
	MatchingType uint8  // 0 Full, 1 SHA2-256, 2 SHA2-512
	Data         []byte // certificate association data
}

// The parameter values of RFC 6698 §2.1.1–§2.1.3, named as in RFC 7218 §2.
const (
	usagePKIXTA  = 0
	usagePKIXEE  = 1
	usageDANETA  = 2
	usageDANEEE  = 3
	selectorCert = 0
	selectorSPKI = 1
	matchFull    = 0
	matchSHA256  = 1
	matchSHA512  = 2
)

// String returns the record in presentation form (RFC 6698 §2.2): "3 1 1 "
// and the data in lower-case hex; "3 1 1" alone when there is no data.
func (r Record) String() string {
	if len(r.Data) == 0 {
		return r.params()
	}
	return r.params() + " " + hex.EncodeToString(r.Data)
}

// Short returns the record for a message: "3 1 1" and the first 8 hex
// digits of the data and "…" when longer, e.g. "3 1 1 a1b2c3d4…".
func (r Record) Short() string {
	if len(r.Data) > 4 {
		return r.params() + " " + hex.EncodeToString(r.Data[:4]) + "…"
	}
	return r.String()
}

func (r Record) params() string {
	return fmt.Sprintf("%d %d %d", r.Usage, r.Selector, r.MatchingType)
}

// usageName returns the RFC 7218 §2.1 name of a certificate usage.
func usageName(u uint8) string {
	switch u {
	case usagePKIXTA:
		return "PKIX-TA"
	case usagePKIXEE:
		return "PKIX-EE"
	case usageDANETA:
		return "DANE-TA"
	case usageDANEEE:
		return "DANE-EE"
	}
	return "usage " + strconv.Itoa(int(u))
}

// problem returns why an SMTP client cannot use r, or "" when it can.
func problem(r Record) string {
	switch {
	// RFC 7672 §3.1.3: SMTP clients treat PKIX-TA(0) and PKIX-EE(1)
	// records as unusable.
	case r.Usage == usagePKIXTA || r.Usage == usagePKIXEE:
		return fmt.Sprintf("the record %s uses %s", r.Short(), usageName(r.Usage))
	// RFC 6698 §4.1, RFC 7671 §4: records with parameters the client
	// does not know are unusable.
	case r.Usage > usageDANEEE:
		return fmt.Sprintf("the record %s has an unknown usage %d", r.Short(), r.Usage)
	case r.Selector > selectorSPKI:
		return fmt.Sprintf("the record %s has an unknown selector %d", r.Short(), r.Selector)
	case r.MatchingType > matchSHA512:
		return fmt.Sprintf("the record %s has an unknown matching type %d", r.Short(), r.MatchingType)
	}
	return dataProblem(r)
}

// dataProblem returns why r's data is malformed, or "" when it is not.
// RFC 6698 §4.1, RFC 7671 §4: records with malformed data are unusable.
func dataProblem(r Record) string {
	switch {
	case r.MatchingType == matchSHA256 && len(r.Data) != 32:
		return fmt.Sprintf("the record %s has %d bytes of SHA2-256 data, not 32", r.Short(), len(r.Data))
	case r.MatchingType == matchSHA512 && len(r.Data) != 64:
		return fmt.Sprintf("the record %s has %d bytes of SHA2-512 data, not 64", r.Short(), len(r.Data))
	case r.MatchingType == matchFull && r.Selector == selectorCert && !isDER(r.Data, &certificateDER{}):
		return fmt.Sprintf("the record %s has full data that is not a DER certificate", r.Short())
	case r.MatchingType == matchFull && r.Selector == selectorSPKI && !isDER(r.Data, &spkiDER{}):
		return fmt.Sprintf("the record %s has full data that is not a DER SubjectPublicKeyInfo", r.Short())
	}
	return ""
}

// certificateDER and spkiDER are the outer structures of a certificate
// and a SubjectPublicKeyInfo (RFC 5280 §4.1).
//
// Spec note: full data is checked for its structure only, as OpenSSL
// (used by Postfix and Exim) rejects full data it cannot decode; a
// structure that parses but holds a key no client supports is kept, and
// simply matches nothing the server sends.
type certificateDER struct {
	TBS       asn1.RawValue
	Algorithm pkix.AlgorithmIdentifier
	Signature asn1.BitString
}

type spkiDER struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

func isDER(data []byte, v any) bool {
	rest, err := asn1.Unmarshal(data, v)
	return err == nil && len(rest) == 0
}

// unusableReason says why none of records is usable: the PKIX usages
// together, then up to three other problems.
func unusableReason(records []Record) string {
	if len(records) == 0 {
		return "there are no TLSA records"
	}
	var pkix []uint8
	var others []string
	for _, r := range records {
		if r.Usage == usagePKIXTA || r.Usage == usagePKIXEE {
			pkix = append(pkix, r.Usage)
		} else if p := problem(r); !slices.Contains(others, p) {
			others = append(others, p)
		}
	}
	var parts []string
	if len(pkix) > 0 {
		parts = append(parts, pkixReason(pkix, len(others) == 0))
	}
	const most = 3
	if len(others) > most {
		others = append(others[:most], fmt.Sprintf("and %d more", len(others)-most))
	}
	return strings.Join(append(parts, others...), "; ")
}

// pkixReason says that records with the usages given use PKIX-TA or
// PKIX-EE; with all, they are all of the records.
func pkixReason(usages []uint8, all bool) string {
	var names []string
	for _, u := range []uint8{usagePKIXTA, usagePKIXEE} {
		if slices.Contains(usages, u) {
			names = append(names, usageName(u))
		}
	}
	subject := fmt.Sprintf("%d records use", len(usages))
	switch {
	case all && len(usages) == 1:
		subject = "the record uses"
	case all:
		subject = "the records use"
	case len(usages) == 1:
		subject = "1 record uses"
	}
	return subject + " " + strings.Join(names, "/") + ", which SMTP clients treat as unusable (RFC 7672 §3.1.3)"
}
