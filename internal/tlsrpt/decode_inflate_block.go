package tlsrpt

import (
	"encoding/binary"
	"math/bits"
)

// inflate appends the data of the deflate stream at the start of in
// (RFC 1951) to out and returns it and the number of bytes of in the
// stream takes.
func (f *inflater) inflate(in, out []byte, maxOut int) ([]byte, int, bool) {
	f.in, f.pos, f.bitBuf, f.nBits, f.over = in, 0, 0, 0, 0
	defer func() { f.in = nil }() // do not keep the caller's input
	start := len(out)
	for final := false; !final; {
		if !f.refill() {
			return out, 0, false
		}
		final = f.bitBuf&1 != 0
		typ := f.bitBuf >> 1 & 3
		f.consume(3)
		ok := false
		switch typ {
		case 0:
			out, ok = f.stored(out, maxOut)
		case 1:
			f.fixedTables()
			out, ok = f.codes(out, start, maxOut)
		case 2:
			if ok = f.dynamicTables(); ok {
				out, ok = f.codes(out, start, maxOut)
			}
		}
		if !ok {
			return out, 0, false
		}
	}
	// The last byte may be partly used; bytes past the end of in must
	// not be.
	used := f.pos + f.over - int(f.nBits/8)
	if used > len(in) {
		return out, 0, false
	}
	return out, used, true
}

// refill loads input bytes until at least 57 bits are buffered, the
// bytes past the end of in as zeros; false once that has gone on for 8
// bytes (the stream is truncated).
func (f *inflater) refill() bool {
	if f.pos+8 <= len(f.in) {
		f.bitBuf |= binary.LittleEndian.Uint64(f.in[f.pos:]) << f.nBits
		f.pos += int((63 - f.nBits) >> 3)
		f.nBits |= 56
		return true
	}
	for f.nBits <= 56 {
		if f.pos < len(f.in) {
			f.bitBuf |= uint64(f.in[f.pos]) << f.nBits
			f.pos++
		} else {
			f.over++
		}
		f.nBits += 8
	}
	return f.over <= 8
}

func (f *inflater) consume(n uint) {
	f.bitBuf >>= n
	f.nBits -= n
}

// take returns the next n bits (n <= 16); the caller has refilled.
func (f *inflater) take(n uint) int {
	v := int(f.bitBuf & (1<<n - 1))
	f.consume(n)
	return v
}

// stored copies a stored block (RFC 1951 §3.2.4).
func (f *inflater) stored(out []byte, maxOut int) ([]byte, bool) {
	f.consume(f.nBits & 7) // to the byte boundary
	at := f.pos - int(f.nBits/8)
	f.bitBuf, f.nBits = 0, 0
	if f.over > 0 || at+4 > len(f.in) {
		return out, false
	}
	n := int(binary.LittleEndian.Uint16(f.in[at:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(f.in[at+2:]) || at+4+n > len(f.in) || len(out)+n > maxOut {
		return out, false
	}
	f.pos = at + 4 + n
	return append(out, f.in[at+4:f.pos]...), true
}

// fixedTables makes lit and dist the fixed codes (RFC 1951 §3.2.6).
func (f *inflater) fixedTables() {
	if f.fixed {
		return
	}
	var lens [maxLitSyms + maxDistSyms]uint8
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		case i < maxLitSyms:
			lens[i] = 8
		default:
			lens[i] = 5
		}
	}
	buildTable(f.lit[:], lens[:maxLitSyms], countLengths(lens[:maxLitSyms]), litBits, litEntries[:])
	buildTable(f.dist[:], lens[maxLitSyms:], countLengths(lens[maxLitSyms:]), distBits, distEntries[:])
	f.fixed = true
}

// dynamicTables reads the codes of a dynamic block (RFC 1951 §3.2.7),
// with the checks klauspost/compress/flate makes.
func (f *inflater) dynamicTables() bool {
	f.fixed = false
	if !f.refill() {
		return false
	}
	nlit, ndist, nclen := f.take(5)+257, f.take(5)+1, f.take(4)+4
	if nlit > 286 || ndist > 30 {
		return false
	}
	var pre [19]uint8
	for _, sym := range codeOrder[:nclen] {
		if f.nBits < 3 && !f.refill() {
			return false
		}
		pre[sym] = uint8(f.take(3))
	}
	if !buildTable(f.pre[:], pre[:], countLengths(pre[:]), preBits, preEntries[:]) {
		return false
	}
	lens := f.lens[:nlit+ndist]
	litCount, distCount, ok := f.codeLengths(lens, nlit)
	if !ok {
		return false
	}
	return buildTable(f.lit[:], lens[:nlit], litCount, litBits, litEntries[:]) &&
		buildTable(f.dist[:], lens[nlit:], distCount, distBits, distEntries[:])
}

// countLengths counts the codes of each length in lens.
func countLengths(lens []uint8) [maxCodeBits + 1]int {
	var count [maxCodeBits + 1]int
	for _, l := range lens {
		count[l]++
	}
	return count
}

// codeLengths reads the code lengths of a dynamic block into lens
// (RFC 1951 §3.2.7), those of the literal/length code first, and counts
// the lengths of each code as it goes. The bit buffer is kept in local
// variables, as in codes.
func (f *inflater) codeLengths(lens []uint8, nlit int) (litCount, distCount [maxCodeBits + 1]int, ok bool) {
	pos, bb, nb := f.pos, f.bitBuf, f.nBits
	defer func() { f.pos, f.bitBuf, f.nBits = pos, bb, nb }()
	for i := 0; i < len(lens); {
		if nb < preBits+7 {
			if pos, bb, nb, ok = f.refillAt(pos, bb, nb); !ok {
				return litCount, distCount, false
			}
		}
		e := f.pre[bb&(1<<preBits-1)]
		if e&kindMask != kindLiteral {
			return litCount, distCount, false
		}
		bb, nb = bb>>(e&entryBitsMask), nb-uint(e&entryBitsMask)
		sym := uint8(e >> valueShift)
		if sym < 16 {
			lens[i] = sym
			if i < nlit {
				litCount[sym]++
			} else {
				distCount[sym]++
			}
			i++
			continue
		}
		rep, extra := repeatCode(sym, bb)
		bb, nb = bb>>extra, nb-extra
		var val uint8
		if sym == 16 {
			if i == 0 {
				return litCount, distCount, false
			}
			val = lens[i-1]
		}
		if i+rep > len(lens) {
			return litCount, distCount, false
		}
		// A run may cross from the literal/length lengths into the
		// distance lengths.
		inLit := min(max(nlit-i, 0), rep)
		litCount[val] += inLit
		distCount[val] += rep - inLit
		for range rep {
			lens[i] = val
			i++
		}
	}
	return litCount, distCount, true
}

// repeatCode returns how many lengths code length code sym (16, 17 or
// 18) stands for, read from the bits of bb, and how many bits that
// takes (RFC 1951 §3.2.7: 16 repeats the previous length 3-6 times, 17
// and 18 repeat a zero 3-10 and 11-138 times).
func repeatCode(sym uint8, bb uint64) (rep int, extra uint) {
	switch sym {
	case 16:
		return 3 + int(bb&3), 2
	case 17:
		return 3 + int(bb&7), 3
	}
	return 11 + int(bb&0x7f), 7
}

// buildTable fills table with the canonical Huffman code of lens (RFC
// 1951 §3.2.2): a main table indexed by the next mainBits bits, then a
// subtable for each main entry whose codes are longer. count holds the
// number of codes of each length in lens, and entries
// each symbol's entry without its length. It returns false for the codes
// klauspost/compress/flate rejects: over-subscribed or incomplete, except
// a code of a single length-1 symbol and no code at all (whose missing
// entries are invalid).
func buildTable(table []uint32, lens []uint8, count [maxCodeBits + 1]int, mainBits uint, entries []uint32) bool {
	count[0] = 0
	maxLen, complete, ok := checkCode(&count)
	if !ok {
		return false
	}
	mainSize := 1 << mainBits
	if !complete {
		for i := range table[:mainSize] {
			table[i] = kindInvalid
		}
	}
	var sorted [maxLitSyms]uint16
	syms := sortSymbols(lens, &count, sorted[:])
	code, prevLen, size := 0, 0, 2
	short := 0 // syms[:short] have codes of up to mainBits bits
	for l := 1; l <= int(mainBits); l++ {
		// Such codes take every entry their bits start: the entries
		// of shorter codes are copied up as the table grows to the
		// next length.
		if count[l] == 0 {
			continue
		}
		for ; size < 1<<l; size <<= 1 {
			copy(table[size:2*size], table[:size])
		}
		code <<= l - prevLen
		prevLen = l
		for _, s := range syms[short : short+count[l]] {
			table[bits.Reverse16(uint16(code))>>(16-l)] = entries[s] | uint32(l)
			code++
		}
		short += count[l]
		count[l] = 0
	}
	syms = syms[short:]
	for ; size < mainSize; size <<= 1 {
		copy(table[size:2*size], table[:size])
	}
	return buildSubtables(table, lens, syms, mainBits, code, prevLen, maxLen, count, entries)
}

// checkCode checks the number of codes of each length of a Huffman
// code: it refuses an over-subscribed code and an incomplete one, except
// a code of a single length-1 symbol and no code at all, as
// klauspost/compress/flate does. It returns the longest length and
// whether the code is complete.
func checkCode(count *[maxCodeBits + 1]int) (maxLen int, complete, ok bool) {
	left := 1 // codes of the current length not yet taken
	for l := 1; l <= maxCodeBits; l++ {
		if left = left<<1 - count[l]; left < 0 {
			return 0, false, false
		}
		if count[l] > 0 {
			maxLen = l
		}
	}
	if left > 0 && maxLen != 0 && (maxLen != 1 || count[1] != 1) {
		return 0, false, false
	}
	return maxLen, left == 0, true
}

// sortSymbols returns, in sorted, the symbols that have a code, by
// code length and then by symbol: the order of their canonical codes
// (RFC 1951 §3.2.2).
func sortSymbols(lens []uint8, count *[maxCodeBits + 1]int, sorted []uint16) []uint16 {
	var offs [maxCodeBits + 2]int
	for l := 1; l <= maxCodeBits; l++ {
		offs[l+1] = offs[l] + count[l]
	}
	for s, l := range lens {
		if l != 0 {
			sorted[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	return sorted[:offs[maxCodeBits+1]]
}

// buildSubtables adds to table the codes of syms, which are longer than
// mainBits; code is the canonical code after the last shorter one, of
// length prevLen, and count the number of codes of each length left.
func buildSubtables(table []uint32, lens []uint8, syms []uint16, mainBits uint, code, prevLen, maxLen int, count [maxCodeBits + 1]int, entries []uint32) bool {
	next, prefix, subStart, subBits := 1<<mainBits, -1, 0, 0
	for _, s := range syms {
		l := int(lens[s])
		code <<= l - prevLen
		prevLen = l
		rev := int(bits.Reverse16(uint16(code)) >> (16 - l))
		code++
		count[l]--
		if p := rev & (1<<mainBits - 1); p != prefix {
			// A new subtable, as large as the codes left with this
			// prefix need (zlib's inflate_table).
			prefix, subStart, subBits = p, next, l-int(mainBits)
			for need := 1<<subBits - (count[l] + 1); subBits+int(mainBits) < maxLen && need > 0; {
				subBits++
				need = need<<1 - count[subBits+int(mainBits)]
			}
			if next += 1 << subBits; next > len(table) {
				return false
			}
			table[p] = kindSub | uint32(subBits)<<extraShift | uint32(subStart)<<valueShift | uint32(mainBits)
		}
		for i := rev >> mainBits; i < 1<<subBits; i += 1 << (l - int(mainBits)) {
			table[subStart+i] = entries[s] | uint32(l-int(mainBits))
		}
	}
	return true
}

// codes decodes the literals and matches of a Huffman block up to its
// end of block code (RFC 1951 §3.2.5); start is where the output of the
// member begins, which matches may not reach behind. The bit buffer and
// the output are kept in local variables for the loop, where the
// compiler keeps them in registers, and written back at the end; the
// loop, where inflating spends most of its time, is one function for
// the same reason.
func (f *inflater) codes(out []byte, start, maxOut int) ([]byte, bool) {
	lit, dist := &f.lit, &f.dist
	pos, bb, nb := f.pos, f.bitBuf, f.nBits
	o, buf := len(out), out[:min(cap(out), maxOut)]
	ok := false
	for {
		// A literal/length code takes at most 15 bits, then its extra
		// bits and a distance code with its extra bits at most
		// 5+15+13 = 33 bits: the buffer is refilled (to 56 bits or
		// more) only when fewer are left, so that runs of literals go
		// without.
		if nb < 15 {
			if pos, bb, nb, ok = f.refillAt(pos, bb, nb); !ok {
				break
			}
		}
		e := lit[bb&(1<<litBits-1)]
		if e&kindMask == kindSub {
			bb, nb = bb>>litBits, nb-litBits
			e = lit[e>>valueShift+uint32(bb)&(1<<(e>>extraShift&0xF)-1)]
		}
		bb, nb = bb>>(e&entryBitsMask), nb-uint(e&entryBitsMask)
		if e&kindMask == kindLiteral {
			if o >= len(buf) {
				if buf, ok = grow(buf, o+1, maxOut); !ok {
					break
				}
			}
			buf[o] = byte(e >> valueShift)
			o++
			// Literals come in runs: take the next ones without going
			// round the loop while their codes are at hand.
			for e = lit[bb&(1<<litBits-1)]; nb >= 15 && e&kindMask == kindLiteral && o < len(buf); e = lit[bb&(1<<litBits-1)] {
				bb, nb = bb>>(e&entryBitsMask), nb-uint(e&entryBitsMask)
				buf[o] = byte(e >> valueShift)
				o++
			}
			continue
		}
		ok = false
		if e&kindMask != kindLength {
			ok = e&kindMask == kindEnd
			break
		}
		if nb < 33 {
			if pos, bb, nb, ok = f.refillAt(pos, bb, nb); !ok {
				break
			}
			ok = false
		}
		x := e >> extraShift & 0xF
		length := int(e>>valueShift) + int(bb&(1<<x-1))
		bb, nb = bb>>x, nb-uint(x)
		e = dist[bb&(1<<distBits-1)]
		if e&kindMask == kindSub {
			bb, nb = bb>>distBits, nb-distBits
			e = dist[e>>valueShift+uint32(bb)&(1<<(e>>extraShift&0xF)-1)]
		}
		bb, nb = bb>>(e&entryBitsMask), nb-uint(e&entryBitsMask)
		if e&kindMask != kindLength {
			break
		}
		x = e >> extraShift & 0xF
		d := int(e>>valueShift) + int(bb&(1<<x-1))
		bb, nb = bb>>x, nb-uint(x)
		if d > o-start {
			break
		}
		if o+length > len(buf) {
			if buf, ok = grow(buf, o+length, maxOut); !ok {
				break
			}
			ok = false
		}
		copyMatch(buf, o, d, length)
		o += length
	}
	f.pos, f.bitBuf, f.nBits = pos, bb, nb
	return buf[:o], ok
}

// grow returns buf, or a copy of it, at least need bytes long and at
// most maxOut; false when need is larger than maxOut.
func grow(buf []byte, need, maxOut int) ([]byte, bool) {
	switch {
	case need > maxOut:
		return buf, false
	case need <= cap(buf):
		return buf[:min(cap(buf), maxOut)], true
	}
	grown := append(buf[:cap(buf)], make([]byte, max(need-cap(buf), cap(buf), 512))...)
	return grown[:min(cap(grown), maxOut)], true
}

// refillAt is refill for the bit buffer that codes keeps in local
// variables.
func (f *inflater) refillAt(pos int, bb uint64, nb uint) (int, uint64, uint, bool) {
	if in := f.in; pos+8 <= len(in) {
		bb |= binary.LittleEndian.Uint64(in[pos:]) << nb
		return pos + int((63-nb)>>3), bb, nb | 56, true
	}
	f.pos, f.bitBuf, f.nBits = pos, bb, nb
	ok := f.refill()
	return f.pos, f.bitBuf, f.nBits, ok
}

// copyMatch copies the length bytes that start d bytes before buf[o]
// to buf[o:] (RFC 1951 §3.2.3: they may overlap the bytes being
// written); buf has room for them.
func copyMatch(buf []byte, o, d, length int) {
	if d >= 8 && o+length+8 <= len(buf) {
		// Eight bytes at a time: each word read was written before
		// (d >= 8); the bytes written past the end are overwritten by
		// what follows, or are not part of the output.
		for i := o; i < o+length; i += 8 {
			binary.LittleEndian.PutUint64(buf[i:], binary.LittleEndian.Uint64(buf[i-d:]))
		}
		return
	}
	if d >= length {
		copy(buf[o:o+length], buf[o-d:])
		return
	}
	for i := o; i < o+length; i++ {
		buf[i] = buf[i-d]
	}
}
