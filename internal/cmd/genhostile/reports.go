package main

import (
	"bufio"
	"fmt"
	"math"
)

// day is the day every report covers (RFC 8460 §4.4 date-range);
// scripts/hostile-inputs.sh evaluates the window as of the next day.
const day = "2026-11-01"

// groups is the number of failure groups of a long-strings report.
const groups = 20

// text is a JSON string: prefix, then pad bytes of filler. Prefixes
// hold no character that JSON escapes.
type text struct {
	prefix string
	pad    int64
}

func short(s string) text { return text{prefix: s} }

// filler is what long strings are made of: valid in host names, and
// not a run of one byte, which a decoder could shortcut.
const filler = "0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcdefghijklmnopq"

// fill writes n bytes of filler.
func fill(w *bufio.Writer, n int64) {
	for n > 0 {
		k := min(n, int64(len(filler)))
		w.WriteString(filler[:k])
		n -= k
	}
}

func str(w *bufio.Writer, t text) {
	w.WriteByte('"')
	w.WriteString(t.prefix)
	fill(w, t.pad)
	w.WriteByte('"')
}

// head writes a report's members (RFC 8460 §4.4) up to the opening of
// its policies array.
func head(w *bufio.Writer, org text, id string) {
	w.WriteString(`{"organization-name":`)
	str(w, org)
	fmt.Fprintf(w, `,"date-range":{"start-datetime":"%[1]sT00:00:00Z","end-datetime":"%[1]sT23:59:59Z"},`, day)
	w.WriteString(`"contact-info":"smtp-tls-reporting@sender.example","report-id":`)
	str(w, short(id))
	w.WriteString(`,"policies":[`)
}

// policy writes the start of an sts policy entry for example.com, up to
// its summary: the caller adds failure-details, if any, and the closing
// brace.
func policy(w *bufio.Writer, successful, failed int64) {
	w.WriteString(`{"policy":{"policy-type":"sts","policy-domain":"example.com","mx-host":["mx.example.com"]},`)
	fmt.Fprintf(w, `"summary":{"total-successful-session-count":%d,"total-failure-session-count":%d}`, successful, failed)
}

// failure is one failure-details entry; members with a zero text are
// left out.
type failure struct {
	result                                         string
	sendingIP, mx, helo, receivingIP, reason, info text
	sessions                                       int64
}

func (f failure) write(w *bufio.Writer) {
	fmt.Fprintf(w, `{"result-type":%q`, f.result)
	for _, m := range []struct {
		name string
		v    text
	}{
		{"sending-mta-ip", f.sendingIP}, {"receiving-mx-hostname", f.mx}, {"receiving-mx-helo", f.helo},
		{"receiving-ip", f.receivingIP}, {"failure-reason-code", f.reason}, {"additional-information", f.info},
	} {
		if m.v != (text{}) {
			fmt.Fprintf(w, `,%q:`, m.name)
			str(w, m.v)
		}
	}
	fmt.Fprintf(w, `,"failed-session-count":%d}`, f.sessions)
}

// smallReport writes a valid report of 100 successful sessions and one
// failed one.
func smallReport(w *bufio.Writer, org, id string) {
	head(w, short(org), id)
	policy(w, 100, 1)
	w.WriteString(`,"failure-details":[`)
	failure{result: "certificate-expired", sendingIP: short("198.51.100.7"), mx: short("mx.example.com"),
		receivingIP: short("192.0.2.25"), sessions: 1}.write(w)
	w.WriteString(`]}]}`)
}

func control(w *bufio.Writer, _ sizes) {
	smallReport(w, "Control Mail Inc.", "control-1")
	w.WriteByte('\n')
}

// manyReports writes a JSON array of tiny reports, each from another
// organization and with another report-id, so that none is a duplicate.
func manyReports(w *bufio.Writer, s sizes) {
	w.WriteByte('[')
	for i := range s.of(7_000_000) {
		if i > 0 {
			w.WriteByte(',')
		}
		head(w, short(fmt.Sprintf("Sender %d", i)), fmt.Sprintf("many-%d", i))
		policy(w, 1+i%9, 0)
		w.WriteString(`}]}`)
	}
	w.WriteString("]\n")
}

// emptyPolicies writes one report with as many policies "{}" as fit in
// MaxReport.
func emptyPolicies(w *bufio.Writer, s sizes) {
	head(w, short("Empty Policies Inc."), "empty-policies-1")
	for i := range s.of((maxReport - 4<<10) / 3) {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("{}")
	}
	w.WriteString("]}\n")
}

// longStrings writes as many reports as fit in MaxSource, each just under
// MaxReport, of strings as long as that allows.
func longStrings(w *bufio.Writer, s sizes) {
	const stringsPerReport = 1 + groups*6
	pad := s.of((maxReport - 64<<10) / stringsPerReport)
	w.WriteByte('[')
	for i := range maxSource/maxReport - 1 {
		if i > 0 {
			w.WriteByte(',')
		}
		longReport(w, fmt.Sprintf("r%d-", i), pad)
	}
	w.WriteString("]\n")
}

// longStringsOver writes one report of strings of 2 MiB each.
func longStringsOver(w *bufio.Writer, s sizes) {
	longReport(w, "over-", s.of(2<<20))
	w.WriteByte('\n')
}

// longReport writes a report whose organization and failure groups are
// made of strings of pad bytes after a prefix that makes each distinct.
func longReport(w *bufio.Writer, tag string, pad int64) {
	head(w, text{"Long Strings " + tag, pad}, "long-strings-"+tag)
	policy(w, 10, groups)
	w.WriteString(`,"failure-details":[`)
	for g := range groups {
		if g > 0 {
			w.WriteByte(',')
		}
		p := fmt.Sprintf("%sg%d-", tag, g)
		failure{result: "validation-failure", sendingIP: text{"198.51.100." + p, pad}, mx: text{"mx." + p, pad},
			helo: text{"helo." + p, pad}, receivingIP: text{"192.0.2." + p, pad}, reason: text{"reason-" + p, pad},
			info: text{"info-" + p, pad}, sessions: 1}.write(w)
	}
	w.WriteString(`]}]}`)
}

// bigOrg writes a report whose organization-name is 15 MiB, with 50
// failure groups: an output that repeats the name per group is 50 times
// larger than the input.
func bigOrg(w *bufio.Writer, s sizes) {
	const n = 50
	head(w, text{"Big Org ", s.of(15 << 20)}, "big-org-1")
	policy(w, 10, n)
	w.WriteString(`,"failure-details":[`)
	for i := range n {
		if i > 0 {
			w.WriteByte(',')
		}
		failure{result: "certificate-expired", sendingIP: short(fmt.Sprintf("198.51.100.%d", i+1)),
			mx: short("mx.example.com"), sessions: 1}.write(w)
	}
	w.WriteString("]}]}\n")
}

// int64Overflow writes two reports of the same day whose successful
// sessions add up to more than an int64 holds.
func int64Overflow(w *bufio.Writer, _ sizes) {
	w.WriteByte('[')
	for i := range 2 {
		if i > 0 {
			w.WriteByte(',')
		}
		head(w, short("Overflow Inc."), fmt.Sprintf("overflow-%d", i))
		policy(w, math.MaxInt64, 0)
		w.WriteString(`}]}`)
	}
	w.WriteString("]\n")
}
