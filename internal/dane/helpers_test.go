package dane

import (
	"bufio"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fixedNow is a moment inside the validity of testdata/chain.pem.
var fixedNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// record returns the TLSA record of usage, selector and matching type
// for cert.
func record(usage, selector, matchingType uint8, cert *x509.Certificate) Record {
	data := cert.Raw
	if selector == selectorSPKI {
		data = cert.RawSubjectPublicKeyInfo
	}
	switch matchingType {
	case matchSHA256:
		sum := sha256.Sum256(data)
		data = sum[:]
	case matchSHA512:
		sum := sha512.Sum512(data)
		data = sum[:]
	}
	return Record{usage, selector, matchingType, data}
}

// parseRecord parses a TLSA record in presentation form (RFC 6698 §2.2):
// three decimal numbers, then the data in hex, which may hold spaces.
func parseRecord(s string) (Record, error) {
	f := strings.Fields(s)
	if len(f) < 4 {
		return Record{}, fmt.Errorf("TLSA record %q: want 4 fields", s)
	}
	var params [3]uint8
	for i := range params {
		n, err := strconv.ParseUint(f[i], 10, 8)
		if err != nil {
			return Record{}, fmt.Errorf("TLSA record %q: %w", s, err)
		}
		params[i] = uint8(n)
	}
	data, err := hex.DecodeString(strings.Join(f[3:], ""))
	if err != nil {
		return Record{}, fmt.Errorf("TLSA record %q: %w", s, err)
	}
	return Record{params[0], params[1], params[2], data}, nil
}

// seed is a record of testdata/tlsa.txt with the outcome it stands under.
type seed struct {
	line    int
	record  Record
	outcome string
}

// readSeeds returns the records of testdata/tlsa.txt.
func readSeeds(tb testing.TB) []seed {
	tb.Helper()
	f, err := os.Open("testdata/tlsa.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var seeds []seed
	var outcome string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			outcome = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		default:
			r, err := parseRecord(line)
			if err != nil {
				tb.Fatalf("testdata/tlsa.txt:%d: %v", n, err)
			}
			seeds = append(seeds, seed{n, r, outcome})
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return seeds
}

// readChain returns the certificates of testdata/chain.pem.
func readChain(tb testing.TB) []*x509.Certificate {
	tb.Helper()
	b, err := os.ReadFile("testdata/chain.pem")
	if err != nil {
		tb.Fatal(err)
	}
	var chain []*x509.Certificate
	for block, rest := pem.Decode(b); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			tb.Fatal(err)
		}
		chain = append(chain, c)
	}
	return chain
}
