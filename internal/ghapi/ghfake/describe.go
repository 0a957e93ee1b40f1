package ghfake

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Description is an extract of GitHub's REST description
// (github/rest-api-description, api.github.com.2022-11-28.json), such as
// testdata/rest-api-extract.json: the operations, parameters, enums and
// response codes stsgate uses. The fake's conformance test and ghapi's
// tests hold the fake and the client to it.
type Description struct {
	Paths map[string]map[string]Operation `json:"paths"`
}

// Operation is one described method of a path.
type Operation struct {
	ID          string              `json:"operationId"`
	Parameters  map[string]Property `json:"parameters"`
	RequestBody struct {
		Properties map[string]Property `json:"properties"`
	} `json:"requestBody"`
	Responses map[string]string `json:"responses"` // status -> the response's name
}

// Property is a described parameter or body field.
type Property struct {
	In   string   `json:"in"`
	Enum []string `json:"enum"`
}

// LoadDescription reads a description extract.
func LoadDescription(file string) (*Description, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var d Description
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &d, nil
}

// Match returns the described operation of a request (an API path without
// the query, such as /repos/o/r/issues/3) and its path template.
func (d *Description) Match(method, path string) (Operation, string, bool) {
	for tmpl, ops := range d.Paths {
		op, ok := ops[strings.ToLower(method)]
		if ok && templateRE(tmpl).MatchString(path) {
			return op, tmpl, true
		}
	}
	return Operation{}, "", false
}

// templateRE matches the paths of a described path template; {path} and
// {tree_sha} span segments (x-multi-segment).
func templateRE(tmpl string) *regexp.Regexp {
	re := regexp.QuoteMeta(tmpl)
	re = strings.NewReplacer(`\{path\}`, `.+`, `\{tree_sha\}`, `.+`).Replace(re)
	re = regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(re, `[^/]+`)
	return regexp.MustCompile("^" + re + "$")
}
