package tlsrpt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// jsonReport decodes one report object, doc, which starts at position at
// of its document, and emits it unless it is unusable.
func (d *Decoder) jsonReport(src string, doc []byte, at diag.Pos) {
	w := &d.wire
	*w = reportWire{}
	err := json.Unmarshal(doc, w)
	d.scan.restore()
	if err != nil {
		d.jsonError(src, doc, at, err)
		return
	}
	r := reportDiags{d: d, src: src, at: at}
	rep, ok := r.normalise(w)
	if !ok {
		return
	}
	rep.Source = src
	rep.Key = reportKey(w, doc)
	d.emitted++
	d.emit(rep)
}

// reportKey returns the deduplication key of a report: its reporter and
// report-id (RFC 8460 §4.4 makes report-id unique per reporter), or a
// hash of its JSON when it has no report-id (J5, J22).
func reportKey(w *reportWire, doc []byte) string {
	if w.ReportID != "" {
		return "id:" + w.Organization + "\x00" + w.ReportID
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
