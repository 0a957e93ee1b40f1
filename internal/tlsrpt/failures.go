package tlsrpt

import "net/netip"

// failureSet groups a domain's failures by failureKey, as a
// map[failureKey]*failureAgg would, for the lookup that every failure
// detail of every report makes. The key's strings (result type,
// organization, MX host) become small numbers from a nameTable, so that
// the map hashes and compares a fixed-size key, and neither the map nor
// the aggregates hold a pointer for the garbage collector to follow:
// a large run keeps tens of thousands of groups per worker.
type failureSet struct {
	index map[failureID]int32 // position in aggs
	keys  []failureID
	aggs  []failureAgg
}

// failureID is a failureKey with its strings numbered by a nameTable.
type failureID struct {
	ip                        [16]byte
	ipBits                    uint8 // 0: no address, 32: IPv4, 128: IPv6
	resultType, org, mx, zone uint32
}

func newFailureSet() failureSet { return failureSet{index: map[failureID]int32{}} }

func (s *failureSet) len() int { return len(s.aggs) }

// get returns the aggregate of id, and whether it was added (zero) as
// there was none yet; the pointer is valid until the next get.
func (s *failureSet) get(id failureID) (*failureAgg, bool) {
	if i, ok := s.index[id]; ok {
		return &s.aggs[i], false
	}
	s.index[id] = int32(len(s.aggs))
	s.keys = append(s.keys, id)
	s.aggs = append(s.aggs, failureAgg{})
	return &s.aggs[len(s.aggs)-1], true
}

// nameTable numbers the strings of failure keys. A failure detail's
// result type, organization and MX host are nearly always among the
// last few seen, so those are compared first, without hashing: strings
// the decoder interned compare by pointer.
type nameTable struct {
	ids    map[string]uint32
	names  []string
	recent [8]uint32 // ids of the last strings numbered, 0: none
	next   int
}

func newNameTable() nameTable {
	return nameTable{ids: map[string]uint32{"": 0}, names: []string{""}}
}

// id returns the number of s, numbering it if it is new.
func (t *nameTable) id(s string) uint32 {
	if s == "" {
		return 0
	}
	for _, id := range t.recent {
		if id != 0 && t.names[id] == s {
			return id
		}
	}
	id, ok := t.ids[s]
	if !ok {
		id = uint32(len(t.names))
		t.ids[s] = id
		t.names = append(t.names, s)
	}
	t.recent[t.next%len(t.recent)] = id
	t.next++
	return id
}

// failureID numbers k.
func (t *nameTable) failureID(k failureKey) failureID {
	id := failureID{resultType: t.id(k.resultType), org: t.id(k.org), mx: t.id(k.mx)}
	if a := k.sendingIP; a.IsValid() {
		id.ip, id.ipBits, id.zone = a.As16(), uint8(a.BitLen()), t.id(a.Zone())
	}
	return id
}

// key returns the failureKey that id numbers.
func (t *nameTable) key(id failureID) failureKey {
	k := failureKey{resultType: t.names[id.resultType], org: t.names[id.org], mx: t.names[id.mx]}
	switch id.ipBits {
	case 32:
		k.sendingIP = netip.AddrFrom16(id.ip).Unmap()
	case 128:
		k.sendingIP = netip.AddrFrom16(id.ip).WithZone(t.names[id.zone])
	}
	return k
}
