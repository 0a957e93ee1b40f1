package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// checkFile checks stsgate's JSON output in path: exactly one JSON
// document (RFC 8259), read as a stream however large, and no negative
// number in it (every number stsgate writes is a count, a day number or
// a version: a negative one is an overflow).
func checkFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := checkJSON(bufio.NewReaderSize(f, 1<<16)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func checkJSON(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	depth, values := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("not valid JSON: %w", err)
		}
		if depth == 0 && values == 1 {
			return fmt.Errorf("more than one JSON value (at byte %d)", dec.InputOffset())
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if n, ok := tok.(json.Number); ok && strings.HasPrefix(string(n), "-") {
			return fmt.Errorf("negative number %s before byte %d", n, dec.InputOffset())
		}
		if depth == 0 {
			values++
		}
	}
	switch {
	case depth > 0:
		return errors.New("not valid JSON: the input ends inside a value")
	case values == 0:
		return errors.New("no JSON value")
	}
	return nil
}
