package dnsx

import (
	"cmp"
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// LookupTXT returns the TXT records at name, following CNAMEs: one string
// per record, its character-strings joined without spaces (RFC 8461 §3.1,
// RFC 8460 §3), with the bytes as published (no escapes).
func (c *Client) LookupTXT(ctx context.Context, name string) ([]string, error) {
	fqdn, rrs, err := c.lookup(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	txts := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		if txt, ok := rr.(*dns.TXT); ok {
			txts = append(txts, joinTXT(txt.Txt))
		}
	}
	if len(txts) == 0 {
		return nil, c.dnsError(fqdn, notFound(dns.RcodeSuccess, dns.TypeTXT))
	}
	return txts, nil
}

// LookupMX returns the MX records of name, following CNAMEs, sorted by
// preference. Hosts keep their trailing dot, as package net returns them;
// a null MX (RFC 7505) is kept as Host ".".
func (c *Client) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	fqdn, rrs, err := c.lookup(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	var mxs []*net.MX
	for _, rr := range rrs {
		if mx, ok := rr.(*dns.MX); ok {
			mxs = append(mxs, &net.MX{Host: mx.Mx, Pref: mx.Preference})
		}
	}
	if len(mxs) == 0 {
		return nil, c.dnsError(fqdn, notFound(dns.RcodeSuccess, dns.TypeMX))
	}
	slices.SortStableFunc(mxs, func(a, b *net.MX) int {
		return cmp.Or(cmp.Compare(a.Pref, b.Pref), cmp.Compare(canonical(a.Host), canonical(b.Host)))
	})
	return mxs, nil
}

// LookupHost returns the IPv4 and then the IPv6 addresses of name,
// following CNAMEs; the A and AAAA queries run concurrently. Addresses of
// one family are enough: a failure of the other is then ignored, as
// package net does.
func (c *Client) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	fqdn, lerr := absolute(name)
	if lerr != nil {
		return nil, c.dnsError(name, lerr)
	}
	types := [2]uint16{dns.TypeA, dns.TypeAAAA}
	var rrs [2][]dns.RR
	var errs [2]*lookupErr
	var wg sync.WaitGroup
	for i, qtype := range types {
		wg.Go(func() { rrs[i], errs[i] = c.resolve(ctx, fqdn, qtype) })
	}
	wg.Wait()
	var addrs []netip.Addr
	for _, rr := range slices.Concat(rrs[0], rrs[1]) {
		switch rr := rr.(type) {
		case *dns.A:
			addrs = appendAddr(addrs, rr.A)
		case *dns.AAAA:
			addrs = appendAddr(addrs, rr.AAAA)
		}
	}
	if len(addrs) > 0 {
		return addrs, nil
	}
	return nil, c.dnsError(fqdn, hostError(errs[0], errs[1]))
}

func appendAddr(addrs []netip.Addr, ip net.IP) []netip.Addr {
	if addr, ok := netip.AddrFromSlice(ip); ok {
		return append(addrs, addr.Unmap())
	}
	return addrs
}

// hostError combines the errors of the A and AAAA lookups when neither
// gave an address: a failure to check beats "no record"; NXDOMAIN is
// about the name, so it speaks for both; two NODATA answers are listed.
func hostError(a, aaaa *lookupErr) *lookupErr {
	switch {
	case a == nil || aaaa == nil:
		// Records of the type without a usable address (cannot happen
		// with a well-formed answer).
		return errNotFound("no A or AAAA record")
	case !a.notFound:
		return a
	case !aaaa.notFound:
		return aaaa
	case strings.Contains(aaaa.msg, "NXDOMAIN"):
		return aaaa
	case strings.Contains(a.msg, "NXDOMAIN"):
		return a
	}
	return errNotFound(a.msg + "; " + aaaa.msg)
}

// LookupCNAME returns the CNAME chain that starts at name: the target of
// each alias in turn, empty when name is not an alias. A chain that ends
// at a name without data is returned as it is; the lookup of the data
// reports that. It fails with "no record" only when name itself does not
// exist.
func (c *Client) LookupCNAME(ctx context.Context, name string) (chain []string, err error) {
	fqdn, lerr := absolute(name)
	if lerr != nil {
		return nil, c.dnsError(name, lerr)
	}
	ch := newChain(fqdn, c.maxCNAME)
	current := fqdn
	for {
		resp, lerr := c.query(ctx, current, dns.TypeCNAME)
		if lerr != nil {
			return nil, c.dnsError(fqdn, ch.describe(lerr))
		}
		_, end, lerr := ch.follow(resp.Answer, current, dns.TypeCNAME)
		if lerr != nil {
			return nil, c.dnsError(fqdn, lerr)
		}
		if end == current {
			if len(ch.targets) == 0 && resp.Rcode == dns.RcodeNameError {
				return nil, c.dnsError(fqdn, notFound(resp.Rcode, dns.TypeCNAME))
			}
			return ch.targets, nil
		}
		current = end
	}
}

// lookup resolves the records of qtype at name, as an absolute name.
func (c *Client) lookup(ctx context.Context, name string, qtype uint16) (string, []dns.RR, error) {
	fqdn, lerr := absolute(name)
	if lerr != nil {
		return name, nil, c.dnsError(name, lerr)
	}
	rrs, lerr := c.resolve(ctx, fqdn, qtype)
	if lerr != nil {
		return fqdn, nil, c.dnsError(fqdn, lerr)
	}
	return fqdn, rrs, nil
}

// absolute returns name as a fully qualified name. Every name is taken
// as absolute: no search list is ever applied, so "example.com" and
// "example.com." are the same query.
func absolute(name string) (string, *lookupErr) {
	fqdn := dns.Fqdn(name)
	if _, ok := dns.IsDomainName(fqdn); name == "" || !ok {
		return "", &lookupErr{msg: "invalid domain name", permanent: true}
	}
	return fqdn, nil
}

// joinTXT concatenates the character-strings of a TXT record, decoding
// the presentation-form escapes miekg/dns puts into them.
func joinTXT(strs []string) string {
	var b strings.Builder
	for _, s := range strs {
		b.WriteString(unescape(s))
	}
	return b.String()
}

// unescape decodes the '\X' and '\DDD' escapes that miekg/dns writes
// into unpacked character-strings (RFC 1035 §5.1) back to the bytes on
// the wire.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b = append(b, s[i])
			continue
		}
		i++
		if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
			b = append(b, (s[i]-'0')*100+(s[i+1]-'0')*10+(s[i+2]-'0'))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
