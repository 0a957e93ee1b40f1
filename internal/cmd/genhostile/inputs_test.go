package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
)

// TestInputs checks the inputs at a small scale: the manifest gives
// their sizes, the JSON ones are valid JSON, the mails hold a valid
// report in their first report part, and a second run writes the same
// bytes.
func TestInputs(t *testing.T) {
	t.Parallel()
	dir, again := t.TempDir(), t.TempDir()
	for _, d := range []string{dir, again} {
		if err := writeAll(d, 0.001); err != nil {
			t.Fatal(err)
		}
	}
	manifest := readFile(t, filepath.Join(dir, "MANIFEST.tsv"))
	lines := strings.Split(strings.TrimSuffix(string(manifest), "\n"), "\n")
	if len(lines) != len(inputs()) {
		t.Fatalf("MANIFEST.tsv has %d lines, want one per input (%d)", len(lines), len(inputs()))
	}
	for _, line := range lines {
		f := strings.Split(line, "\t")
		t.Run(f[0], func(t *testing.T) {
			onDisk := readFile(t, filepath.Join(dir, f[0]))
			if !bytes.Equal(onDisk, readFile(t, filepath.Join(again, f[0]))) {
				t.Error("a second run wrote other bytes")
			}
			content := decompressed(t, f[0], onDisk)
			if diff := cmp.Diff([]string{f[1], f[2]}, []string{strconv.Itoa(len(onDisk)), strconv.Itoa(len(content))}); diff != "" {
				t.Errorf("sizes on disk and decompressed: manifest mismatch (-manifest +files):\n%s", diff)
			}
			if strings.Contains(f[0], ".eml") {
				content = mailReport(t, content)
			}
			if !json.Valid(content) {
				t.Errorf("the report is not valid JSON: %.200q", content)
			}
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decompressed(t *testing.T, name string, b []byte) []byte {
	t.Helper()
	if !strings.HasSuffix(name, ".gz") {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mailReport returns the JSON of the first application/tlsrpt+gzip part
// of a multipart/report mail.
func mailReport(t *testing.T, b []byte) []byte {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/report" || params["report-type"] != "tlsrpt" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no application/tlsrpt+gzip part: %v", err)
		}
		if p.Header.Get("Content-Type") == "application/tlsrpt+gzip" {
			gz, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			if err != nil {
				t.Fatal(err)
			}
			return decompressed(t, ".gz", gz)
		}
	}
}
