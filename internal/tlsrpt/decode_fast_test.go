package tlsrpt

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

// decoded is everything Decode makes of an input.
type decoded struct {
	Reports   []Report
	Diags     diag.List
	cut       int // reports cut out of the stream before decoding
	fallbacks int // reports fastParser left to encoding/json
}

// decodeWith decodes src in the given mode; decodeStd is the decoder
// as it was before fastParser.
func decodeWith(src []byte, lim Limits, mode decodeMode) decoded {
	d := NewDecoder(lim)
	d.scan.mode = mode
	var out decoded
	out.Diags = d.Decode("in", bytes.NewReader(src), func(r Report) { out.Reports = append(out.Reports, r) })
	out.cut, out.fallbacks = d.scan.cut, d.scan.fallbacks
	return out
}

// exactOpts compare reports strictly: nil and empty lists differ, and
// times must have the same location.
var exactOpts = cmp.Options{
	cmpopts.EquateComparable(netip.Addr{}),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() }),
}

// sameAsStd fails unless fastParser, on reports cut out of the stream
// first or not, makes the same reports and diagnostics of src as
// encoding/json. It returns what the default mode made.
func sameAsStd(t *testing.T, src []byte, lim Limits) decoded {
	t.Helper()
	std := decodeWith(src, lim, decodeStd)
	var fast decoded
	for _, mode := range []decodeMode{decodeCut, decodeFast} {
		fast = decodeWith(src, lim, mode)
		if diff := cmp.Diff(std.Reports, fast.Reports, exactOpts); diff != "" {
			t.Errorf("mode %d: reports of %q (-encoding/json +fast):\n%s", mode, clipTest(src), diff)
		}
		if diff := cmp.Diff(std.Diags, fast.Diags); diff != "" {
			t.Errorf("mode %d: diagnostics of %q (-encoding/json +fast):\n%s", mode, clipTest(src), diff)
		}
	}
	return fast
}

func clipTest(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// trickyReports are reports that take the odd paths of the JSON
// grammar and of encoding/json's decoding: each is decoded both ways.
func trickyReports() []string {
	const (
		head   = `{"organization-name":"Org","date-range":{"start-datetime":"2026-05-01T00:00:00Z","end-datetime":"2026-05-01T23:59:59Z"},"report-id":"r1",`
		policy = `"policy":{"policy-type":"sts","policy-domain":"example.com"}`
		sum    = `"summary":{"total-successful-session-count":1,"total-failure-session-count":2}`
	)
	// withDetail is a report whose one failure detail has the members
	// given.
	withDetail := func(members string) string {
		return head + `"policies":[{` + policy + `,` + sum + `,"failure-details":[{` + members + `}]}]}`
	}
	withPolicy := func(members string) string {
		return head + `"policies":[{"policy":{` + members + `},` + sum + `}]}`
	}
	withSummary := func(members string) string {
		return head + `"policies":[{` + policy + `,"summary":{` + members + `}}]}`
	}
	cases := []string{
		minimal,
		" \r\n\t" + minimal + " \n",
		strings.ReplaceAll(minimal, ",", " ,\n\t"),
		strings.ReplaceAll(strings.ReplaceAll(minimal, ":", " : "), "{", "{ "),
		// Keys: escapes, case variants (hidden by jsonScanner), aliases.
		strings.Replace(minimal, `"organization-name"`, `"organization\u002dname"`, 1),
		strings.Replace(minimal, `"organization-name"`, `"Organization-Name"`, 1),
		strings.Replace(minimal, `"policies"`, `"POLICIES"`, 1),
		strings.Replace(minimal, `"policies"`, `"\u0070olicies"`, 1),
		strings.Replace(minimal, `"policies"`, `"\u0050olicies"`, 1),
		strings.Replace(minimal, `"summary"`, `"ſummary"`, 1),
		strings.Replace(minimal, `"summary"`, `"\u017fummary"`, 1),
		strings.Replace(minimal, `"policy-type"`, `"policy-type\u0000"`, 1),
		withPolicy(`"policy-type":"sts","policy-domain":"example.com","mx-host-pattern":"*.example.com"`),
		withPolicy(`"policy-type":"sts","mx-host":[],"mx-host-pattern":["mx.example.com"]`),
		withPolicy(`"policy-type":"sts","mx-host":null,"mx-host-pattern":["mx.example.com"]`),
		withDetail(`"result-type":"x","additional-info-uri":"u","additional-information":""`),
		withDetail(`"result-type":"x","additional-info-uri":"u","additional-information":"i"`),
		withDetail(`"Result-Type":"x","failed-\u0073ession-count":2`),
		// Duplicate members: encoding/json merges them.
		minimal[:len(minimal)-1] + `,"policies":[{"summary":{"total-failure-session-count":5}}]}`,
		minimal[:len(minimal)-1] + `,"policies":[{"policy":{"policy-domain":"b.example"}},{}]}`,
		minimal[:len(minimal)-1] + `,"policies":[]}`,
		minimal[:len(minimal)-1] + `,"policies":null}`,
		minimal[:len(minimal)-1] + `,"organization-name":null,"report-id":"r2"}`,
		minimal[:len(minimal)-1] + `,"date-range":{"end-datetime":"2026-05-02T00:00:00Z"}}`,
		withPolicy(`"mx-host":["a","b"],"mx-host":["c",null]`),
		withPolicy(`"mx-host":["a","b"],"mx-host":"c"`),
		withPolicy(`"mx-host":"a","mx-host":["b"]`),
		withPolicy(`"mx-host":1,"mx-host":["b"]`),
		withSummary(`"total-failure-session-count":"x","total-failure-session-count":3`),
		withSummary(`"total-failure-session-count":3,"total-failure-session-count":null`),
		withDetail(`"failed-session-count":1,"failed-session-count":2,"receiving-mx-helo":"a","receiving-mx-helo":7`),
		// Nulls.
		head + `"policies":[null,{` + policy + `,` + sum + `}]}`,
		head + `"policies":[{"policy":null,"summary":null,"failure-details":null}]}`,
		`{"organization-name":null,"date-range":null,"contact-info":null,"report-id":null,"policies":null}`,
		withPolicy(`"policy-type":null,"policy-string":null,"policy-domain":null,"mx-host":null`),
		withSummary(`"total-successful-session-count":null,"total-failure-session-count":null`),
		withDetail(`"result-type":null,"sending-mta-ip":null,"receiving-mx-hostname":null,"receiving-mx-helo":null,` +
			`"receiving-ip":null,"failed-session-count":null,"additional-information":null,"failure-reason-code":null`),
		head + `"policies":[{` + policy + `,` + sum + `,"failure-details":[null,{"result-type":"a"},null]}]}`,
		head + `"policies":[{` + policy + `,` + sum + `,"failure-details":[]}]}`,
		head + `"policies":[]}`,
		head + `"policies":[{}]}`,
		// Lenient values.
		withSummary(`"total-successful-session-count":"3","total-failure-session-count":-1`),
		withSummary(`"total-successful-session-count":1.5,"total-failure-session-count":1e3`),
		withSummary(`"total-successful-session-count":9223372036854775807,"total-failure-session-count":9223372036854775808`),
		withSummary(`"total-successful-session-count":true,"total-failure-session-count":[1, 2]`),
		withSummary(`"total-successful-session-count":{"a" : [1,2,3], "Policies":{}},"total-failure-session-count":0`),
		withSummary(`"total-successful-session-count":-0,"total-failure-session-count":0.0`),
		withSummary(`"total-successful-session-count":12345678901234567890123,"total-failure-session-count":00`),
		withDetail(`"failure-reason-code":421,"receiving-mx-helo":{"a": 1, "Policies" : [true]},"additional-information":[1,"x"]`),
		withDetail(`"failure-reason-code":false,"receiving-mx-helo":` + `"` + strings.Repeat("h", 300) + `"`),
		withDetail(`"additional-information":{"x":"` + strings.Repeat("é", 150) + `"}`),
		withDetail(`"failure-reason-code":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00"`),
		withPolicy(`"policy-string":["a","b\n","c\u0041"],"mx-host":[ ]`),
		withPolicy(`"policy-string":[null,"x",null],"mx-host":[1]`),
		withPolicy(`"policy-string":["x",["y"]],"mx-host":{"a":1}`),
		withPolicy(`"policy-string":"one","mx-host":true`),
		withPolicy(`"policy-string":["x", {}],"mx-host":[null]`),
		// Strings encoding/json repairs.
		strings.Replace(minimal, `"Org"`, `"O\xffrg"`, 1),
		strings.Replace(minimal, `"Org"`, `"O\xed\xa0\x80rg"`, 1),
		strings.Replace(minimal, `"Org"`, `"\ud800"`, 1),
		strings.Replace(minimal, `"Org"`, `"\udc00\ud800"`, 1),
		strings.Replace(minimal, `"Org"`, `"\ud800\u0041"`, 1),
		strings.Replace(minimal, `"Org"`, `"\ud800\ud800\udc00"`, 1),
		strings.Replace(minimal, `"Org"`, `"\uDBFF\uDFFF"`, 1),
		strings.Replace(minimal, `"Org"`, `"\u0000\u001f\u007f\uffff"`, 1),
		strings.Replace(minimal, `"Org"`, `"Ünïcødé ✓ 😀"`, 1),
		strings.Replace(minimal, `"Org"`, `"\ufffd"`, 1),
		strings.Replace(minimal, `"Org"`, "\"\xef\xbf\xbd\"", 1),
		strings.Replace(minimal, `"policy-domain"`, `"policy-domain\xff"`, 1),
		strings.Replace(minimal, `"r1"`, `"\xff"`, 1),
		strings.Replace(minimal, `"sts"`, `"\xff"`, 1),
		withDetail(`"x-unknown":"\xff\xfe","y":["\ud800"]`),
		// Wrong types: encoding/json's errors.
		strings.Replace(minimal, `"Org"`, `42`, 1),
		strings.Replace(minimal, `"Org"`, `["Org"]`, 1),
		strings.Replace(minimal, `"Org"`, `{"a":"Org"}`, 1),
		strings.Replace(minimal, `"Org"`, `true`, 1),
		strings.Replace(minimal, `"r1"`, `1.5e3`, 1),
		`{"date-range":"today","policies":[]}`,
		`{"date-range":[],"policies":[]}`,
		`{"date-range":{"start-datetime":1},"policies":[]}`,
		head + `"policies":{}}`,
		head + `"policies":"none"}`,
		head + `"policies":[1]}`,
		head + `"policies":[[]]}`,
		head + `"policies":["x", {"policy": 3}]}`,
		head + `"policies":[{"policy":{"policy-type":1}, "summary":"x"}]}`,
		head + `"policies":[{"failure-details":{}}]}`,
		head + `"policies":[{"failure-details":[3]}]}`,
		withDetail(`"sending-mta-ip":{"v":4}`),
		withDetail(`"result-type":1,"receiving-ip":2`),
		// Syntax errors.
		`{"a":1,}`,
		`{"a" 1}`,
		`{"a":}`,
		`{,"a":1}`,
		`{"a":1 "b":2}`,
		`{"a":nul}`,
		`{"a":tru}`,
		`{"a":flase}`,
		`{"a":01}`,
		`{"a":1.}`,
		`{"a":-}`,
		`{"a":1e}`,
		`{"a":1e+}`,
		`{"a":.5}`,
		`{"a":+1}`,
		`{"a":[1,]}`,
		`{"a":[,1]}`,
		`{"a":[1 2]}`,
		`{"a":"x` + "\x01" + `"}`,
		`{"a":"x` + "\t" + `"}`,
		`{"a":"\x"}`,
		`{"a":"\u12G4"}`,
		`{"a":"\u12"}`,
		`{"a":'x'}`,
		`{a:1}`,
		`{"a":1}}`,
		`{"a":[}`,
		`{"a":{]}`,
		`{"organization-name":"x",`,
		`{"organization-name":"x`,
		`{"organization-name"`,
		`{"a":[1,{"b":[2,{"c":"d"}]}],"e":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
		`{"a":` + strings.Repeat(`{"b":`, 100) + "1" + strings.Repeat("}", 100) + `}`,
		"{\"a\":1}\x00",
		"{\"a\":\"\x00\"}",
	}
	cases = append(cases, "["+strings.Join(cases, ",")+"]", strings.Join(cases, "\n"))
	return cases
}

// TestFastMatchesStd decodes the tricky reports, the fixtures and the
// samples with fastParser and with encoding/json alone: reports and
// diagnostics must be the same.
func TestFastMatchesStd(t *testing.T) {
	t.Parallel()
	small := Limits{MaxReport: 300, MaxSource: 5000, MaxParts: 3} // limits hit mid-report
	for _, src := range trickyReports() {
		sameAsStd(t, []byte(src), DefaultLimits())
		sameAsStd(t, []byte(src), small)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	for _, name := range append(files, sampleFiles(t)...) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sameAsStd(t, b, DefaultLimits())
		sameAsStd(t, b, small)
	}
}

// TestFastTakesReports checks that fastParser decodes well-formed
// reports itself, rather than leaving them to encoding/json, and that it
// decodes a report file (JSON or gzip) without cutting the report out
// of the stream first.
func TestFastTakesReports(t *testing.T) {
	t.Parallel()
	check := func(name string, src []byte) {
		t.Helper()
		got := sameAsStd(t, src, DefaultLimits())
		if got.fallbacks != 0 || len(got.Reports) == 0 || got.cut != 0 {
			t.Errorf("%s: %d reports, %d cut out first, %d left to encoding/json", name, len(got.Reports), got.cut, got.fallbacks)
		}
	}
	for _, name := range []string{"j01-mx-host-string.json", "j05-contact-null.json", "j13-counts-invalid.json",
		"j15-tlsa-policy-string.json", "extra-fields.json", "array.json", "j17-report.json.gz", "reports.zip"} {
		check(name, readFixture(t, name))
	}
	c := tlsrpttest.Corpus{Domain: "example.com", First: day("2026-05-01"), Days: 10, Seed: 1}
	for i := range 50 {
		var b bytes.Buffer
		if err := c.WriteGzip(&b, i); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("corpus report %d", i), b.Bytes())
	}
	check("benchReport", benchReport())
	check("benchReport gzipped", gzipped(t, benchReport()))
}

// FuzzDecodeDifferential decodes any input with fastParser and with
// encoding/json alone, and requires the same reports and diagnostics.
func FuzzDecodeDifferential(f *testing.F) {
	for _, src := range trickyReports() {
		f.Add([]byte(src))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	for _, name := range append(files, sampleFiles(f)...) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add(benchReport())
	for _, b := range hostileSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<20 {
			return
		}
		sameAsStd(t, src, fuzzLimits)
	})
}

// TestPlainRun checks the eight-bytes-at-a-time scan of plainRun
// against plain, for every byte value at every position of a word and
// after runs of every length, with plain bytes of every value around it.
func TestPlainRun(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		for at := range 20 {
			b := make([]byte, 24)
			for i := range b {
				b[i] = byte(0x20 + (i*7+c)%0x5f) // plain, but '"' and '\\' avoided below
				if b[i] == '"' || b[i] == '\\' {
					b[i] = 'a'
				}
			}
			b[at] = byte(c)
			want := 0
			for want < len(b) && plain(b[want]) {
				want++
			}
			if got := plainRun(b); got != want {
				t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
			}
			if got := plainRun(b[:at]); got != at {
				t.Fatalf("plainRun(%q) = %d, want %d", b[:at], got, at)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 { // and several stoppers in one word
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(0x20 + rng.IntN(0x60))
			if rng.IntN(12) == 0 {
				b[i] = byte(rng.IntN(256))
			}
		}
		want := 0
		for want < len(b) && plain(b[want]) {
			want++
		}
		if got := plainRun(b); got != want {
			t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
		}
	}
}
