package tlsrpt

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// inflater decompresses a gzip stream that is wholly in memory (RFC 1952
// around RFC 1951) in one call. Reports are small files of one deflate
// block, where a streaming reader spends much of its time building its
// decoding tables and moving bytes between buffers; this one builds
// smaller tables, decodes from a 64-bit bit buffer and writes straight
// into its output.
//
// It is only a shortcut: it succeeds where github.com/klauspost/compress/gzip
// reads the same input to exactly the same bytes and a clean end, and
// gives up (returns false) wherever the input is invalid or unusual
// (a corrupt or truncated stream, a bad checksum, trailing data, output
// larger than the cap). The caller then reads the input with that
// package, which finds the error and says what it is. A differential
// fuzz test holds the two to this.
type inflater struct {
	lit   [litTableSize]uint32 // literal/length code: main table, then subtables
	dist  [distTableSize]uint32
	pre   [1 << preBits]uint32 // code length code
	lens  [maxLitSyms + maxDistSyms]uint8
	fixed bool // lit and dist hold the fixed codes of RFC 1951 §3.2.6

	// Input and bit buffer (LSB first). Bits of bitBuf above nBits are
	// zero or the bits of in[pos:], so reloading them is harmless.
	in     []byte
	pos    int // next byte of in to load
	bitBuf uint64
	nBits  uint
	over   int // zero bytes loaded past the end of in
}

const (
	litBits  = 10 // bits of the main literal/length table
	distBits = 8
	preBits  = 7 // code length codes are at most 7 bits: no subtables

	maxLitSyms  = 288
	maxDistSyms = 32
	maxCodeBits = 15

	// Sizes of a main table with all the subtables a complete code can
	// need (zlib's "enough" bounds, rounded up).
	litTableSize  = 1<<litBits + 512
	distTableSize = 1<<distBits + 256

	// A table entry: the bits to consume (low 4), the kind, the extra
	// bits of a length or distance (or the bits of a subtable), and the
	// value (a literal, a base, or the index of a subtable).
	entryBitsMask = 0xF
	kindShift     = 4
	kindMask      = 0x7 << kindShift
	extraShift    = 8
	valueShift    = 16

	kindLiteral = 0 << kindShift
	kindLength  = 1 << kindShift // also a distance
	kindEnd     = 2 << kindShift
	kindInvalid = 3 << kindShift
	kindSub     = 4 << kindShift
)

// RFC 1951 §3.2.5: bases and extra bits of lengths and distances.
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// codeOrder is the order of the code length code lengths (§3.2.7).
	codeOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// litEntries, distEntries and preEntries are the table entries of the
// symbols, without their lengths.
var (
	litEntries  = symbolEntries(maxLitSyms, litEntry)
	distEntries = symbolEntries(maxDistSyms, distEntry)
	preEntries  = symbolEntries(19, func(sym int) uint32 { return kindLiteral | uint32(sym)<<valueShift })
)

func symbolEntries(n int, entry func(int) uint32) []uint32 {
	e := make([]uint32, n)
	for i := range e {
		e[i] = entry(i)
	}
	return e
}

func litEntry(sym int) uint32 {
	switch {
	case sym < 256:
		return kindLiteral | uint32(sym)<<valueShift
	case sym == 256:
		return kindEnd
	case sym < 286:
		i := sym - 257
		return kindLength | uint32(lengthExtra[i])<<extraShift | uint32(lengthBase[i])<<valueShift
	}
	return kindInvalid // 286 and 287 are only in the fixed code
}

func distEntry(sym int) uint32 {
	if sym < 30 {
		return kindLength | uint32(distExtra[sym])<<extraShift | uint32(distBase[sym])<<valueShift
	}
	return kindInvalid // 30 and 31 are only in the fixed code
}

// gunzip appends the data of the gzip members in to out and returns it;
// false when it gives up (see inflater) or the data would grow out past
// maxOut bytes.
func (f *inflater) gunzip(in, out []byte, maxOut int) ([]byte, bool) {
	for first := true; first || len(in) > 0; first = false {
		hdr, ok := gzipHeader(in)
		if !ok {
			return out, false
		}
		start := len(out)
		var used int
		if out, used, ok = f.inflate(in[hdr:], out, maxOut); !ok {
			return out, false
		}
		// RFC 1952 §2.3.1: CRC-32 and size (mod 2^32) of the data.
		t := in[hdr+used:]
		if len(t) < 8 || binary.LittleEndian.Uint32(t) != crc32.ChecksumIEEE(out[start:]) ||
			binary.LittleEndian.Uint32(t[4:]) != uint32(len(out)-start) {
			return out, false
		}
		in = t[8:]
	}
	return out, true
}

// gzipHeader returns the length of the member header at the start of in
// (RFC 1952 §2.3), with the checks klauspost/compress/gzip makes.
func gzipHeader(in []byte) (int, bool) {
	const (
		flagHdrCrc  = 1 << 1
		flagExtra   = 1 << 2
		flagName    = 1 << 3
		flagComment = 1 << 4
	)
	if len(in) < 10 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8 || in[3]>>5 != 0 {
		return 0, false
	}
	flg, n := in[3], 10
	if flg&flagExtra != 0 {
		if len(in) < n+2 {
			return 0, false
		}
		n += 2 + int(binary.LittleEndian.Uint16(in[n:]))
	}
	for _, f := range []byte{flagName, flagComment} {
		if flg&f == 0 || n > len(in) {
			continue
		}
		// The reader takes at most 511 bytes and the NUL.
		i := bytes.IndexByte(in[n:min(len(in), n+512)], 0)
		if i < 0 {
			return 0, false
		}
		n += i + 1
	}
	if flg&flagHdrCrc != 0 {
		if len(in) < n+2 || binary.LittleEndian.Uint16(in[n:]) != uint16(crc32.ChecksumIEEE(in[:n])) {
			return 0, false
		}
		n += 2
	}
	if n > len(in) {
		return 0, false
	}
	return n, true
}
