package cli

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// TestActionInputsMatchActionYML holds the inputs the code reads to those
// action.yml declares, in the same order.
func TestActionInputsMatchActionYML(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var declared []string
	inInputs := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !strings.HasPrefix(line, " ") && strings.HasSuffix(line, ":"):
			inInputs = line == "inputs:"
		case inInputs && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":"):
			declared = append(declared, strings.TrimSuffix(strings.TrimSpace(line), ":"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(actionInputNames(), declared); diff != "" {
		t.Errorf("inputs read by the code (-) and declared in action.yml (+) differ:\n%s", diff)
	}
}

func TestReadInputs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    inputs
		wantErr string
	}{
		{name: "empty: everything from the configuration", want: inputs{failOn: diag.Error, filterMode: filterChanged}},
		{name: "lists and numbers", env: map[string]string{
			"reports": "reports/\n https://r.example/a.json.gz , more/", "clean_days": "21",
			"fail_on": "warning", "dry_run": "true", "mode": "gate", "parallel": "4", "filter_mode": "all",
		}, want: inputs{reports: []string{"reports/", "https://r.example/a.json.gz", "more/"},
			cleanDays: 21, failOn: diag.Warning, dryRun: true, mode: "gate", parallel: 4, filterMode: filterAll}},
		{name: "bad number", env: map[string]string{"clean_days": "two weeks"}, wantErr: "input clean_days"},
		{name: "out of range", env: map[string]string{"stale_days": "0"}, wantErr: "input stale_days"},
		{name: "bad bool", env: map[string]string{"dry_run": "yes please"}, wantErr: "input dry_run"},
		{name: "notice cannot fail", env: map[string]string{"fail_on": "notice"}, wantErr: "input fail_on"},
		{name: "bad mode", env: map[string]string{"mode": "enforce"}, wantErr: "input mode"},
		{name: "bad filter mode", env: map[string]string{"filter_mode": "added"}, wantErr: "input filter_mode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := readInputs(func(name string) string { return tc.env[name] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(inputs{})); diff != "" {
				t.Errorf("inputs mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActionMode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		input, event, want string
	}{
		{"", "pull_request", "gate"},
		{"auto", "merge_group", "gate"},
		{"", "push", "check"},
		{"", "schedule", "remind"},
		{"", "workflow_dispatch", "remind"},
		{"", "release", "check"},
		{"check", "pull_request", "check"},
		{"gate", "push", ""},                  // usage error: no base to judge against
		{"remind", "pull_request", ""},        // the pull request's files must not steer issue writes
		{"remind", "pull_request_target", ""}, // nor through the base's workflow
		{"remind", "workflow_dispatch", "remind"},
		{"collect", "schedule", "collect"},
		{"collect", "pull_request", ""}, // no secrets for the pull request's files
	} {
		got, err := actionMode(tc.input, event{Name: tc.event})
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("actionMode(%q, %q) = %q, %v; want %q", tc.input, tc.event, got, err, tc.want)
		}
	}
}

func TestReadEvent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pr := write("pr.json", `{"action":"labeled","number":7,"pull_request":{"number":7,
		"labels":[{"name":"mta-sts-override"}],"base":{"ref":"main","sha":"aaa111"},
		"head":{"repo":{"full_name":"someone/mail-policy"}}},
		"repository":{"full_name":"acme/mail-policy","private":false}}`)
	mq := write("mq.json", `{"merge_group":{"head_ref":"refs/heads/gh-readonly-queue/main/pr-42-0123abcd","base_sha":"bbb222","base_ref":"main"}}`)
	bad := write("bad.json", `{"pull_request":`)
	for _, tc := range []struct {
		name, path, event string
		want              event
		wantErr           bool
	}{
		{name: "fork pull request", path: pr, event: "pull_request", want: event{Name: "pull_request", Number: 7,
			BaseSHA: "aaa111", BaseRef: "main", Labels: []string{"mta-sts-override"}, LabelsKnown: true,
			Fork: true, Repository: "acme/mail-policy"}},
		{name: "merge queue", path: mq, event: "merge_group", want: event{Name: "merge_group", Number: 42, BaseSHA: "bbb222", BaseRef: "main"}},
		{name: "no payload file", path: filepath.Join(dir, "missing.json"), event: "schedule", want: event{Name: "schedule"}},
		{name: "malformed payload", path: bad, event: "pull_request", wantErr: true},
	} {
		env := map[string]string{"GITHUB_EVENT_PATH": tc.path, "GITHUB_EVENT_NAME": tc.event}
		got, err := readEvent(func(k string) string { return env[k] })
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(event{})); !tc.wantErr && diff != "" {
			t.Errorf("%s: event mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// FuzzEventPayload feeds the payload reader anything: it must not panic
// or make up a negative pull request number.
func FuzzEventPayload(f *testing.F) {
	seeds, err := filepath.Glob("testdata/events/*.json")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata/events: %v", err)
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ev := event{Name: "merge_group"}
		if err := ev.parse(b); err != nil {
			return
		}
		if ev.Number < 0 {
			t.Errorf("negative pull request number %d", ev.Number)
		}
	})
}

// TestEventPayloads reads the real-shaped payloads in testdata/events.
func TestEventPayloads(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]event{
		"pull_request": {Number: 12, BaseSHA: strings.Repeat("b", 40), BaseRef: "main", LabelsKnown: true, Repository: "octo/mail",
			HeadSHA: strings.Repeat("c", 40), MergeSHA: strings.Repeat("e", 40)},
		"pull_request_target": {Number: 12, BaseSHA: strings.Repeat("b", 40), BaseRef: "main", LabelsKnown: true, Repository: "octo/mail",
			HeadSHA: strings.Repeat("c", 40), Fork: true},
		"merge_group": {Number: 42, BaseSHA: strings.Repeat("b", 40), BaseRef: "refs/heads/main", Repository: "octo/mail", Private: true,
			HeadSHA: strings.Repeat("d", 40)},
		"schedule": {Repository: "octo/mail"},
		"push":     {Repository: "octo/mail", HeadCommitTime: time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)},
	} {
		want.Name = name
		env := map[string]string{"GITHUB_EVENT_PATH": filepath.Join("testdata", "events", name+".json"), "GITHUB_EVENT_NAME": name}
		got, err := readEvent(func(k string) string { return env[k] })
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(event{})); diff != "" {
			t.Errorf("%s: event mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// FuzzActionInputs: whatever the inputs, readInputs either refuses them
// with a usage error or returns values inside their documented ranges.
func FuzzActionInputs(f *testing.F) {
	f.Add("14", "30", "16", "true", "warning", "auto", "reports/\nhttps://r.example/x.json.gz, a.json")
	f.Add("", "", "", "", "", "", "")
	f.Add("0", "366", "257", "yes", "notice", "enforce", ",,\n")
	f.Fuzz(func(t *testing.T, clean, stale, parallel, dryRun, failOn, mode, reports string) {
		values := map[string]string{"clean_days": clean, "stale_days": stale, "parallel": parallel,
			"dry_run": dryRun, "fail_on": failOn, "mode": mode, "reports": reports}
		in, err := readInputs(func(name string) string { return values[name] })
		if err != nil {
			var usage *usageError
			if !errors.As(err, &usage) {
				t.Fatalf("error %v is not a usage error", err)
			}
			return
		}
		if in.cleanDays < 0 || in.cleanDays > 365 || in.staleDays < 0 || in.staleDays > 365 || in.parallel < 0 || in.parallel > 256 {
			t.Errorf("out of range: clean %d stale %d parallel %d", in.cleanDays, in.staleDays, in.parallel)
		}
		if in.failOn != diag.Error && in.failOn != diag.Warning {
			t.Errorf("fail_on %v", in.failOn)
		}
		for _, r := range in.reports {
			if r == "" || strings.ContainsAny(r, ",\n") || strings.TrimSpace(r) != r {
				t.Errorf("report source %q", r)
			}
		}
	})
}
