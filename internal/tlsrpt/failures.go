package tlsrpt

import "net/netip"

// failureSet groups a domain's failures by failureKey, as a
// map[failureKey]*failureAgg would, for the lookup that every failure
// detail of every report makes. The key's strings (result type,
// organization, MX host) become a number from a nameTable, so that the
// map hashes and compares a small fixed-size key, the aggregate sits
// beside it in the same slot, and nothing in the map is a pointer for
// the garbage collector to follow: a large run keeps tens of thousands
// of groups per worker.
type failureSet map[failureID]failureAgg

// failureID is a failureKey with its strings numbered by a nameTable:
// 24 bytes, so that more of a large set stays in the cache.
type failureID struct {
	ip     [16]byte
	names  uint32 // of the nameTuple of result type, org, MX host and zone
	ipBits uint8  // 0: no address, 32: IPv4, 128: IPv6
}

// nameTuple numbers the strings of a failure key: result type,
// organization, MX host and the zone of the sending address.
type nameTuple [4]uint32

// nameTable numbers the strings of failure keys. A failure detail's
// result type, organization and MX host are nearly always among the
// last few seen, so those are compared first, without hashing: strings
// the decoder interned compare by pointer.
type nameTable struct {
	ids    map[string]uint32
	names  []string
	recent [8]uint32 // ids of the last strings numbered, 0: none
	next   int

	tupleIDs  map[nameTuple]uint32
	tuples    []nameTuple
	lastTuple uint32 // id of the last tuple numbered
}

func newNameTable() nameTable {
	return nameTable{
		ids: map[string]uint32{"": 0}, names: []string{""},
		tupleIDs: map[nameTuple]uint32{{}: 0}, tuples: []nameTuple{{}},
	}
}

// tuple returns the number of n, numbering it if it is new.
func (t *nameTable) tuple(n nameTuple) uint32 {
	if t.tuples[t.lastTuple] == n {
		return t.lastTuple
	}
	id, ok := t.tupleIDs[n]
	if !ok {
		id = uint32(len(t.tuples))
		t.tupleIDs[n] = id
		t.tuples = append(t.tuples, n)
	}
	t.lastTuple = id
	return id
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

// renumber numbers the name tuples of o in t: the result maps each
// number of o to the number of the same names in t.
func (t *nameTable) renumber(o *nameTable) []uint32 {
	out := make([]uint32, len(o.tuples))
	for i, n := range o.tuples {
		for j, id := range n {
			n[j] = t.id(o.names[id])
		}
		out[i] = t.tuple(n)
	}
	return out
}

// failureID numbers k.
func (t *nameTable) failureID(k failureKey) failureID {
	n := nameTuple{t.id(k.resultType), t.id(k.org), t.id(k.mx)}
	var id failureID
	if a := k.sendingIP; a.IsValid() {
		id.ip, id.ipBits, n[3] = a.As16(), uint8(a.BitLen()), t.id(a.Zone())
	}
	id.names = t.tuple(n)
	return id
}

// known returns the number of k without numbering anything: false when
// one of its names, or their tuple, has no number yet.
func (t *nameTable) known(k failureKey) (failureID, bool) {
	var id failureID
	var n nameTuple
	zone := ""
	if a := k.sendingIP; a.IsValid() {
		id.ip, id.ipBits, zone = a.As16(), uint8(a.BitLen()), a.Zone()
	}
	for i, s := range [...]string{k.resultType, k.org, k.mx, zone} {
		v, ok := t.ids[s]
		if !ok {
			return id, false
		}
		n[i] = v
	}
	var ok bool
	id.names, ok = t.tupleIDs[n]
	return id, ok
}

// key returns the failureKey that id numbers.
func (t *nameTable) key(id failureID) failureKey {
	n := t.tuples[id.names]
	k := failureKey{resultType: t.names[n[0]], org: t.names[n[1]], mx: t.names[n[2]]}
	switch id.ipBits {
	case 32:
		k.sendingIP = netip.AddrFrom16(id.ip).Unmap()
	case 128:
		k.sendingIP = netip.AddrFrom16(id.ip).WithZone(t.names[n[3]])
	}
	return k
}
