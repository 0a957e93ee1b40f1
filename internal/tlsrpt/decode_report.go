package tlsrpt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// jsonReport decodes one report object, doc, which starts at position at
// of its document, and emits it unless it is unusable.
func (d *Decoder) jsonReport(src string, doc []byte, at diag.Pos) {
	w := &d.wire
	err := d.decodeWire(doc, w)
	d.scan.restore()
	if err != nil {
		d.jsonError(src, doc, at, err)
		return
	}
	d.emitReport(src, doc, at, w)
}

// jsonReportUncut decodes and emits the report object at the start of
// the scanner's unread bytes without cutting it out of the stream first
// (extent, a pass over its bytes), and returns its length. It returns
// false, having done nothing, when fastParser cannot decode the object
// from the bytes read so far: the object is not all read yet, or it
// needs the general way (extent, then jsonReport). Either way the
// report, its diagnostics and what is read from the stream are the
// same.
func (d *Decoder) jsonReportUncut(src string, at diag.Pos) (int, bool) {
	s := &d.scan
	if s.mode != decodeFast {
		return 0, false
	}
	w := &d.wire
	pols := reusable(w.Policies)
	*w = reportWire{}
	end, ok := s.fast.prefix(s.buf[s.pos:s.n], w, pols)
	if !ok {
		*w = reportWire{Policies: pols}
		return 0, false
	}
	d.emitReport(src, s.buf[s.pos:s.pos+end], at, w)
	return end, true
}

// emitReport normalises a decoded report and emits it, unless it is
// unusable; doc is its JSON.
func (d *Decoder) emitReport(src string, doc []byte, at diag.Pos, w *reportWire) {
	d.policies, d.details = reusable(d.policies)[:0], reusable(d.details)[:0]
	r := reportDiags{d: d, src: src, at: at}
	rep, ok := r.normalise(w)
	d.reportCuts(src)
	if !ok {
		return
	}
	rep.Source = src
	rep.Key = reportKey(w, doc, d.lim.MaxString)
	rep.Auth = d.auth
	d.emitted++
	d.emit(rep)
}

// decodeWire decodes doc into w: with fastParser, or, where that gives
// up, with encoding/json, which finds the error and where it is. The
// backing array of w's policies is reused from the last report.
func (d *Decoder) decodeWire(doc []byte, w *reportWire) error {
	s := &d.scan
	s.cut++
	pols := reusable(w.Policies)
	*w = reportWire{}
	if s.mode != decodeStd {
		if s.fast.report(doc, w, pols) {
			return nil
		}
		s.fallbacks++
		*w = reportWire{}
	}
	return d.std.report(doc, w)
}

// policySlice returns an empty slice with room for n policy entries
// of a report: a new one, or with ReuseReports, the decoder's.
func (d *Decoder) policySlice(n int) []PolicyResult {
	if !d.ReuseReports {
		return make([]PolicyResult, 0, n)
	}
	d.policies = slices.Grow(d.policies[:0], n)
	return d.policies
}

// detailSlice returns n failure details for an entry of a report: new
// ones, or with ReuseReports, the next ones of the decoder's, which the
// entries of a report share.
func (d *Decoder) detailSlice(n int) []FailureDetail {
	if !d.ReuseReports {
		return make([]FailureDetail, n)
	}
	start := len(d.details)
	d.details = slices.Grow(d.details, n)[:start+n]
	return d.details[start : start+n : start+n]
}

// reusable returns s for its backing array to be reused, or nil when
// that is too large to keep around after an unusual report.
func reusable[T any](s []T) []T {
	if cap(s) > maxReused {
		return nil
	}
	return s
}

// maxReused bounds the policies and failure details kept for reuse.
const maxReused = 64

// reportKey returns the deduplication key of a report: its reporter and
// report-id (RFC 8460 §4.4 makes report-id unique per reporter), or a
// hash of its JSON when it has no report-id (J5, J22). Reporter and
// report-id longer than limit together are hashed too: uncut, so that
// two reports whose long ids agree in their first bytes stay apart.
func reportKey(w *reportWire, doc []byte, limit int) string {
	id := "id:" + w.Organization + "\x00" + w.ReportID
	switch {
	case w.ReportID == "":
	case len(id) <= limit:
		return id
	default:
		sum := sha256.Sum256([]byte(id))
		return "id-sha256:" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256(doc)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// jsonError reports why encoding/json rejected a report.
func (d *Decoder) jsonError(src string, doc []byte, at diag.Pos, err error) {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset is just past the offending byte, or the length of doc
		// when the input ends early.
		off := min(max(int(syntax.Offset)-1, 0), len(doc))
		if strings.HasSuffix(syntax.Error(), "unexpected end of JSON input") {
			off = len(doc)
		}
		end := off + 1
		if off == len(doc) || doc[off] == '\n' {
			end = off
		}
		d.add(src, diag.New(diag.ReportJSONInvalid,
			fmt.Sprintf("The report is not valid JSON (%v), so none of its results count.", strings.TrimPrefix(err.Error(), "json: ")),
			"Check that the file is complete and not damaged; fetch or export it again.").
			At(posIn(doc, at, off), posIn(doc, at, end)))
	case errors.As(err, &typ):
		off := min(max(int(typ.Offset), 0), len(doc))
		d.add(src, diag.New(diag.ReportFieldInvalid,
			fmt.Sprintf("In the report, %s is a JSON %s where RFC 8460 §4.4 has %s, so none of the report's results count.",
				fieldPath(typ.Field), typ.Value, wantedJSON(typ.Type)),
			"Nothing to do for a received report but to tell its sender; it cannot count as evidence.").
			At(posIn(doc, at, valueStart(doc, off)), posIn(doc, at, off)))
	default:
		d.add(src, diag.New(diag.ReportJSONInvalid,
			fmt.Sprintf("The report cannot be decoded (%v), so none of its results count.", err),
			"Check that the file is a TLS-RPT report.").At(at, diag.Pos{}))
	}
}

// fieldPath renders encoding/json's dotted field path, or "the report"
// for the top level.
func fieldPath(f string) string {
	if f == "" {
		return "the report"
	}
	return `"` + f + `"`
}

// wantedJSON names the JSON type that decodes into t.
func wantedJSON(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return "a " + t.Kind().String()
}

// valueStart returns where the JSON value that ends at off starts:
// encoding/json reports a type error after an object's or array's
// opening bracket, and after the end of a string or literal.
func valueStart(doc []byte, off int) int {
	if off <= 0 {
		return 0
	}
	switch c := doc[off-1]; {
	case c == '{' || c == '[':
		return off - 1
	case c == '"':
		for i := off - 2; i >= 0; i-- {
			if doc[i] == '"' && !escaped(doc, i) {
				return i
			}
		}
		return off - 1
	}
	i := off
	for i > 0 && strings.IndexByte("+-.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", doc[i-1]) >= 0 {
		i--
	}
	return i
}

// escaped reports whether doc[i] is preceded by an odd number of
// backslashes.
func escaped(doc []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && doc[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}
