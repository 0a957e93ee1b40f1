package dnsx

import "github.com/miekg/dns"

// Internals for the fuzz tests of package dnsx_test.

// ParseResolvConf exposes parseResolvConf.
func ParseResolvConf(data []byte) (string, bool) { return parseResolvConf(data) }

// JoinTXT exposes joinTXT.
func JoinTXT(strs []string) string { return joinTXT(strs) }

// Answer applies to raw the checks and the CNAME walk a lookup applies
// to the answer to a query with id for name and qtype, and returns the
// records found.
func Answer(raw []byte, id uint16, name string, qtype uint16) ([]dns.RR, error) {
	req := new(dns.Msg)
	req.SetQuestion(name, qtype)
	req.Id = id
	resp, lerr := checkResponse(raw, req)
	if lerr != nil {
		return nil, lerr
	}
	rrs, _, lerr := newChain(name, DefaultMaxCNAME).follow(resp.Answer, name, qtype)
	if lerr != nil {
		return nil, lerr
	}
	return rrs, nil
}
