package dnsx

import (
	"context"
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// chain is the CNAME chain followed from one queried name, with the loop
// and length checks (RFC 1034 §3.6.2 allows chains; nothing bounds them,
// so we do).
type chain struct {
	start   string
	targets []string
	seen    map[string]bool
	max     int
}

func newChain(start string, maxLen int) *chain {
	return &chain{start: start, seen: map[string]bool{canonical(start): true}, max: maxLen}
}

// add records target as the next link and fails on a loop or a chain
// longer than the bound: both leave the record unknown, so they are
// "could not check" failures.
func (ch *chain) add(target string) *lookupErr {
	ch.targets = append(ch.targets, target)
	key := canonical(target)
	if ch.seen[key] {
		return errTemporary("CNAME loop: " + ch.String())
	}
	if len(ch.targets) > ch.max {
		return errTemporary(fmt.Sprintf("CNAME chain longer than %d: %s", ch.max, ch.String()))
	}
	ch.seen[key] = true
	return nil
}

// String renders the chain as "a. -> b. -> c.".
func (ch *chain) String() string {
	return strings.Join(append([]string{ch.start}, ch.targets...), " -> ")
}

// describe adds the chain to the message of a failure met while
// following it, so that the user sees which name failed.
func (ch *chain) describe(lerr *lookupErr) *lookupErr {
	if len(ch.targets) > 0 {
		lerr.msg += " (following CNAME chain " + ch.String() + ")"
	}
	return lerr
}

// follow walks the answer section from name: it returns the records of
// qtype owned by name or, when name is an alias, by the end of its CNAME
// chain within the answer, and the name the walk ended at. With qtype
// CNAME it only follows the chain and returns no records.
func (ch *chain) follow(answer []dns.RR, name string, qtype uint16) ([]dns.RR, string, *lookupErr) {
	for {
		if qtype != dns.TypeCNAME {
			if rrs := ownedBy(answer, name, qtype); len(rrs) > 0 {
				return rrs, name, nil
			}
		}
		target, ok := aliasOf(answer, name)
		if !ok {
			return nil, name, nil
		}
		if lerr := ch.add(target); lerr != nil {
			return nil, "", lerr
		}
		name = target
	}
}

// resolve returns the records of qtype at name, following its CNAME
// chain: first within each answer, then, when an answer ends in an alias
// without the records (a server that did not chase the chain), by asking
// for the alias's target. Every query adds at least one link to the
// bounded chain, so the loop ends.
func (c *Client) resolve(ctx context.Context, name string, qtype uint16) ([]dns.RR, *lookupErr) {
	rrs, _, lerr := c.resolveSecure(ctx, name, qtype)
	return rrs, lerr
}

// resolveSecure is resolve that also says whether the resolver marked
// every answer on the way as DNSSEC-validated: the AD bit (RFC 4035
// §3.2.3), which a validating resolver sets when the query asks for it
// (RFC 6840 §5.7). A resolver that does not validate never sets it.
func (c *Client) resolveSecure(ctx context.Context, name string, qtype uint16) ([]dns.RR, bool, *lookupErr) {
	ch := newChain(name, c.maxCNAME)
	current := name
	secure := true
	for {
		resp, lerr := c.query(ctx, current, qtype)
		if lerr != nil {
			return nil, false, ch.describe(lerr)
		}
		secure = secure && resp.AuthenticatedData
		rrs, end, lerr := ch.follow(resp.Answer, current, qtype)
		if lerr != nil {
			return nil, false, lerr
		}
		if len(rrs) > 0 {
			return rrs, secure, nil
		}
		if end == current || resp.Rcode == dns.RcodeNameError {
			return nil, secure, ch.describe(notFound(resp.Rcode, qtype))
		}
		current = end
	}
}

// notFound describes an answer without records of qtype. RFC 6604 §3:
// the response code of an answer with a CNAME chain is that of the last
// name in the chain.
func notFound(rcode int, qtype uint16) *lookupErr {
	if rcode == dns.RcodeNameError {
		return errNotFound("no such domain (NXDOMAIN)")
	}
	return errNotFound("no " + dns.TypeToString[qtype] + " record (NODATA)")
}

// aliasOf returns the target of the CNAME record owned by name. A name
// with a CNAME has no other data (RFC 1034 §3.6.2); should a broken server
// send several, the first is used.
func aliasOf(rrs []dns.RR, name string) (string, bool) {
	for _, rr := range ownedBy(rrs, name, dns.TypeCNAME) {
		if cname, ok := rr.(*dns.CNAME); ok {
			return cname.Target, true
		}
	}
	return "", false
}

// ownedBy returns the Internet-class records of type rrtype owned by name.
func ownedBy(rrs []dns.RR, name string, rrtype uint16) []dns.RR {
	var out []dns.RR
	for _, rr := range rrs {
		h := rr.Header()
		if h.Rrtype == rrtype && h.Class == dns.ClassINET && sameName(h.Name, name) {
			out = append(out, rr)
		}
	}
	return out
}

// sameName compares domain names the DNS way: ASCII case-insensitively
// (RFC 4343).
func sameName(a, b string) bool { return canonical(a) == canonical(b) }

func canonical(name string) string { return dns.CanonicalName(name) }
