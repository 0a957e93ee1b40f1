package main

import (
	"bufio"
	"fmt"

	"github.com/stsgate/stsgate/internal/summary"
)

// Summaries (DESIGN §1.10) are read by every gate run, and a repository's
// files are hostile input (§1.11): a few bytes of JSON become a large
// parsed value, so a summary is bounded by its bytes and by its counts
// of objects and values before it is parsed.

// summaryHead writes a summary document for example.com up to the
// opening of the record list of one organization on the reports' day.
func summaryHead(w *bufio.Writer) {
	fmt.Fprintf(w, `{"schema_version":%d,"kind":%q,"domain":"example.com","month":%q,"days":[{"date":%q,"orgs":[{"org":"Hostile","reports":[`,
		summary.SchemaVersion, summary.Kind, day[:7], day)
}

const summaryTail = `]}]}]}` + "\n"

// summaryEmptyFailures is one record whose failure list holds empty
// objects up to just under MaxDocument.
func summaryEmptyFailures(w *bufio.Writer, s sizes) {
	summaryHead(w)
	w.WriteString(`{"id":"r1","policies":[{"type":"sts","domain":"example.com","successful":1,"failed":0,"failures":[{}`)
	for range s.of(summary.MaxDocument/3 - 100) {
		w.WriteString(`,{}`)
	}
	w.WriteString(`]}]}` + summaryTail)
}

// summaryEmptyStrings is one record whose policy_string holds empty
// strings up to just under MaxDocument.
func summaryEmptyStrings(w *bufio.Writer, s sizes) {
	summaryHead(w)
	w.WriteString(`{"id":"r1","policies":[{"type":"sts","domain":"example.com","policy_string":[""`)
	for range s.of(summary.MaxDocument/3 - 100) {
		w.WriteString(`,""`)
	}
	w.WriteString(`],"successful":1,"failed":0}]}` + summaryTail)
}

// summaryManyRecords is the largest summary within the bounds: small
// valid records, each a report that counts, up to about 90% of the
// bound on objects.
func summaryManyRecords(w *bufio.Writer, s sizes) {
	summaryHead(w)
	for i := range s.of(230_000) {
		if i > 0 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, `{"id":"r%07d","policies":[{"type":"sts","domain":"example.com","successful":1,"failed":0}]}`, i)
	}
	w.WriteString(summaryTail)
}

// summaryOver is a summary larger than MaxDocument: its records padded
// with white space, which costs nothing parsed.
func summaryOver(w *bufio.Writer, s sizes) {
	summaryHead(w)
	w.WriteString(`{"id":"r1","policies":[{"type":"sts","domain":"example.com","successful":1,"failed":0}]}`)
	pad := []byte("                                                                ")
	for range s.of(summary.MaxDocument/int64(len(pad)) + 1) {
		w.Write(pad)
	}
	w.WriteString(summaryTail)
}
