package tlsrpt

import "encoding/binary"

// internTable returns one string for equal byte strings, so that the
// values every report repeats (reporters, dates, policy types and
// strings, MX names, result types) are allocated once rather than once
// per report. It is a direct-mapped cache: a string evicts the one in
// its slot, so memory stays bounded whatever the input. The table is
// only made after the first strings (about one report's), so that a
// Decoder used once does not pay for it.
type internTable struct {
	slots  *[internSlots]string
	before int // strings got before the table was made
}

const (
	internBits   = 10
	internSlots  = 1 << internBits
	maxInternLen = 128
	internAfter  = 64
)

func (t *internTable) get(b []byte) string {
	if len(b) > maxInternLen {
		return string(b)
	}
	if t.slots == nil {
		if t.before++; t.before <= internAfter {
			return string(b)
		}
		t.slots = new([internSlots]string)
	}
	slot := &t.slots[internHash(b)]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

// internHash picks the slot of b from its length and its first and last
// eight bytes: cheaper than hashing it all, and collisions only cost an
// allocation.
func internHash(b []byte) uint {
	const mul = 0x9E3779B97F4A7C15
	h := uint64(len(b)) * mul
	if len(b) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * mul
		h = (h ^ binary.LittleEndian.Uint64(b[len(b)-8:])) * mul
	} else {
		for _, c := range b {
			h = (h ^ uint64(c)) * mul
		}
	}
	return uint(h >> (64 - internBits))
}
