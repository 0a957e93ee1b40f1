package tlsrpt

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math"
	"net/netip"
	"slices"
	"sync"
)

// A report's key (organization-name and report-id, RFC 8460 §4.4)
// identifies it, so the aggregator counts a report once however many
// copies arrive. But anyone can send a report under the key of another:
// a forged copy with fewer failures, read first, would hide the real
// one's. So the aggregator keeps, per key, a hash of what it counted, and
// when two reports share a key but differ, the one with more failed
// sessions is the one that counts (ties: the smaller hash, so that the
// choice does not depend on the order of reading).

// keyInfo is what the aggregator keeps of the report it counted for a
// key. It holds no pointer, so that the garbage collector need not look
// into the set of keys.
type keyInfo struct {
	content  uint64 // contentHash
	failures int64  // failedSessions
	source   uint32 // index in sourceNames
}

// sourceNames are the names of the sources of the reports added, each
// named by its index; a shard adds a name once for all its consecutive
// reports from one source.
type sourceNames struct {
	mu    sync.Mutex
	names []string
}

func (n *sourceNames) add(name string) uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.names = append(n.names, name)
	return uint32(len(n.names) - 1)
}

func (n *sourceNames) name(i uint32) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.names[i]
}

// scratch is what a caller of admit keeps from one report to the next.
type scratch struct {
	buf        []byte // for contentHash
	lastSource string
	lastIndex  uint32
	named      bool
}

// sourceIndex returns the index of r's source, adding its name unless the
// last report seen through sc came from the same source.
func (a *Aggregator) sourceIndex(sc *scratch, source string) uint32 {
	if !sc.named || source != sc.lastSource {
		sc.lastSource, sc.lastIndex, sc.named = source, a.sources.add(source), true
	}
	return sc.lastIndex
}

// Conflict is a pair of reports with one key and different contents.
type Conflict struct {
	Organization, ReportID string
	// Counted is the source of the report that counts in the end, with
	// its failed sessions; Other the one that does not.
	Counted, Other                 string
	CountedFailures, OtherFailures int64

	key dedupKey
}

// wins reports whether the report i should be counted rather than j.
func (i keyInfo) wins(j keyInfo) bool {
	if i.failures != j.failures {
		return i.failures > j.failures
	}
	return i.content < j.content
}

// info returns what the aggregator keeps of r.
func (a *Aggregator) info(sc *scratch, r *Report) keyInfo {
	return keyInfo{content: a.contentHash(&sc.buf, r), failures: failedSessions(r), source: a.sourceIndex(sc, r.Source)}
}

// failedSessions is the sum of the failed sessions of r's policies,
// held at the largest int64.
func failedSessions(r *Report) int64 {
	var n int64
	for i := range r.Policies {
		if f := r.Policies[i].Failed; f > 0 {
			n = min(n, math.MaxInt64-f) + f
		}
	}
	return n
}

// contentHash hashes what r says that the window counts (not where it
// came from, nor contact-info, receiving IP, HELO name, reason code and
// additional information, which change nothing counted: a summary that
// leaves them out is the same report), with the aggregator's secret
// seed, so that a forged report cannot be made to look the same as the
// real one. buf is scratch space, reused.
func (a *Aggregator) contentHash(buf *[]byte, r *Report) uint64 {
	b := (*buf)[:0]
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(n int64) { b = binary.AppendVarint(b, n) }
	addr := func(ip netip.Addr) { b, _ = ip.AppendBinary(b); num(int64(ip.BitLen())) }
	str(r.Organization)
	str(r.ReportID)
	num(r.Start.UnixNano())
	num(r.End.UnixNano())
	for i := range r.Policies {
		p := &r.Policies[i]
		str(p.Type)
		str(p.Domain)
		num(int64(len(p.PolicyString)))
		for _, s := range p.PolicyString {
			str(s)
		}
		num(int64(len(p.MXHost)))
		for _, s := range p.MXHost {
			str(s)
		}
		num(p.Successful)
		num(p.Failed)
		num(int64(len(p.Details)))
		for _, f := range p.Details {
			str(f.ResultType)
			addr(f.SendingIP)
			str(f.ReceivingMX)
			num(f.Sessions)
		}
	}
	*buf = b
	return maphash.Bytes(a.keySeeds[0], b)
}

// conflict records that info, under key, differs from the report
// counted first, and which of all the reports with the key wins.
func (s *seenKeys) conflict(key dedupKey, r *Report, info keyInfo) {
	st := &s.stripes[key[0]%uint64(len(s.stripes))]
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.winners == nil {
		st.winners, st.losers = map[dedupKey]keyInfo{}, map[dedupKey][]keyInfo{}
	}
	win, ok := st.winners[key]
	if !ok {
		win = st.keys[key]
	}
	for _, l := range st.losers[key] {
		if l.content == info.content {
			return // a copy of a loser
		}
	}
	if info.content == win.content {
		return
	}
	if info.wins(win) {
		win, info = info, win
	}
	st.winners[key] = win
	st.losers[key] = append(st.losers[key], info)
	st.conflicts = append(st.conflicts, Conflict{Organization: r.Organization, ReportID: r.ReportID})
	st.conflicts[len(st.conflicts)-1].key = key
}

// Conflicts returns, for every key with reports that differ, the report
// that counts and each one that does not, in a stable order.
func (a *Aggregator) Conflicts() []Conflict {
	var out []Conflict
	for i := range a.seen.stripes {
		st := &a.seen.stripes[i]
		st.mu.Lock()
		seen := map[dedupKey]bool{}
		for _, c := range st.conflicts {
			if seen[c.key] {
				continue
			}
			seen[c.key] = true
			win := st.winners[c.key]
			for _, l := range st.losers[c.key] {
				out = append(out, Conflict{Organization: c.Organization, ReportID: c.ReportID,
					Counted: a.sources.name(win.source), CountedFailures: win.failures,
					Other: a.sources.name(l.source), OtherFailures: l.failures})
			}
		}
		st.mu.Unlock()
	}
	slices.SortFunc(out, func(x, y Conflict) int {
		return cmp.Or(cmp.Compare(x.Organization, y.Organization), cmp.Compare(x.ReportID, y.ReportID),
			cmp.Compare(x.Counted, y.Counted), cmp.Compare(x.Other, y.Other))
	})
	return out
}

// Recount returns a new, empty aggregator with a's options and the
// choices a made between conflicting reports, when a counted a report
// that lost such a choice: the sources must then be read again into it,
// and it counts of every conflicting key only the winner, whatever the
// order of reading. It returns nil when a counted every winner already.
func (a *Aggregator) Recount() *Aggregator {
	prefer := map[dedupKey]uint64{}
	flipped := false
	for i := range a.seen.stripes {
		st := &a.seen.stripes[i]
		st.mu.Lock()
		for k, win := range st.winners {
			prefer[k] = win.content
			flipped = flipped || st.keys[k].content != win.content
		}
		st.mu.Unlock()
	}
	if !flipped {
		return nil
	}
	b := NewAggregator(a.opts, nil)
	b.policies, b.all, b.keySeeds, b.prefer = a.policies, a.all, a.keySeeds, prefer
	return b
}

// admit records r under key and reports whether to count it: it is the
// first report with the key, and on a recount also the winner. sc is the
// caller's, reused from one report to the next.
func (a *Aggregator) admit(sc *scratch, key dedupKey, r *Report) bool {
	info := a.info(sc, r)
	if want, ok := a.prefer[key]; ok && info.content != want {
		a.seen.dropped(key)
		return false
	}
	first, conflict := a.seen.first(key, info)
	if conflict {
		a.seen.conflict(key, r, info)
	}
	return first
}
