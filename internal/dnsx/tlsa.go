package dnsx

import (
	"context"
	"encoding/hex"

	"github.com/miekg/dns"
)

// TLSA is the data of a TLSA record (RFC 6698 §2.1).
type TLSA struct {
	Usage        uint8
	Selector     uint8
	MatchingType uint8
	Data         []byte // the certificate association data
}

// TLSAAnswer is the TLSA RRset of a name and whether the resolver
// vouched for it.
type TLSAAnswer struct {
	Records []TLSA
	// Secure is true when the resolver set the AD bit on every answer
	// on the way (RFC 4035 §3.2.3). RFC 7672 §2.2: DANE senders use TLSA
	// records only from a DNSSEC-validated answer.
	Secure bool
}

// LookupTLSA returns the TLSA records at name, following CNAMEs, such as
// "_25._tcp.mx.example.com" for an MX host (RFC 7672 §2.2.3). No record
// is an error for which IsNotFound is true.
func (c *Client) LookupTLSA(ctx context.Context, name string) (TLSAAnswer, error) {
	fqdn, lerr := absolute(name)
	if lerr != nil {
		return TLSAAnswer{}, c.dnsError(name, lerr)
	}
	rrs, secure, lerr := c.resolveSecure(ctx, fqdn, dns.TypeTLSA)
	if lerr != nil {
		return TLSAAnswer{}, c.dnsError(fqdn, lerr)
	}
	ans := TLSAAnswer{Secure: secure}
	for _, rr := range rrs {
		t, ok := rr.(*dns.TLSA)
		if !ok {
			continue
		}
		// miekg/dns holds the data as the hex of the wire bytes.
		data, err := hex.DecodeString(t.Certificate)
		if err != nil {
			continue
		}
		ans.Records = append(ans.Records, TLSA{t.Usage, t.Selector, t.MatchingType, data})
	}
	if len(ans.Records) == 0 {
		return TLSAAnswer{}, c.dnsError(fqdn, notFound(dns.RcodeSuccess, dns.TypeTLSA))
	}
	return ans, nil
}
