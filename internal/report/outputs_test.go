package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fileEnv returns a getenv that names a fresh temporary file for every
// file command, and the file's path.
func fileEnv(t *testing.T, name string) (func(string) string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return func(key string) string {
		if key == name {
			return path
		}
		return ""
	}, path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tokens returns the given tokens in turn.
func tokens(list ...string) func() string {
	return func() string {
		s := list[0]
		list = list[1:]
		return s
	}
}

func TestFileCommandsUnset(t *testing.T) {
	t.Parallel()
	for name, fc := range map[string]*FileCommands{
		"empty env":  NewFileCommands(func(string) string { return "" }),
		"nil getenv": NewFileCommands(nil),
		"zero value": {},
		"nil":        nil,
	} {
		if err := fc.SetOutput("verdict", "pass"); !errors.Is(err, ErrNoFileCommand) {
			t.Errorf("%s: SetOutput error = %v, want ErrNoFileCommand", name, err)
		}
		if err := fc.AppendSummary("# hi"); !errors.Is(err, ErrNoFileCommand) {
			t.Errorf("%s: AppendSummary error = %v, want ErrNoFileCommand", name, err)
		}
	}
}

func TestFileCommandsUnopenable(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "file")
	fc := NewFileCommands(func(string) string { return missing })
	if err := fc.SetOutput("verdict", "pass"); err == nil || errors.Is(err, ErrNoFileCommand) {
		t.Errorf("SetOutput to %s: error = %v, want an open error", missing, err)
	}
	if err := fc.AppendSummary("x"); err == nil {
		t.Error("AppendSummary to a missing directory succeeded")
	}
}

func TestSetOutput(t *testing.T) {
	t.Parallel()
	getenv, path := fileEnv(t, "GITHUB_OUTPUT")
	fc := NewFileCommands(getenv)
	fc.token = tokens("AAA", "BBB", "CCC")
	for _, kv := range [][2]string{{"verdict", "fail"}, {"report_json", "line 1\nline 2\r\nverdict=pass"}, {"empty", ""}} {
		if err := fc.SetOutput(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	want := "verdict<<ghadelimiter_AAA\nfail\nghadelimiter_AAA\n" +
		"report_json<<ghadelimiter_BBB\n" + `line 1\nline 2\r\nverdict=pass` + "\nghadelimiter_BBB\n" +
		"empty<<ghadelimiter_CCC\n\nghadelimiter_CCC\n"
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Errorf("GITHUB_OUTPUT (-want +got):\n%s", diff)
	}
}

// TestSetOutputDelimiterInValue: a value that holds the delimiter would
// end the value early and set other outputs; another one is chosen.
func TestSetOutputDelimiterInValue(t *testing.T) {
	t.Parallel()
	getenv, path := fileEnv(t, "GITHUB_OUTPUT")
	fc := NewFileCommands(getenv)
	fc.token = tokens("AAA", "BBB")
	value := "x\nghadelimiter_AAA\nverdict<<EOF\npass\nEOF"
	if err := fc.SetOutput("mode", value); err != nil {
		t.Fatal(err)
	}
	want := "mode<<ghadelimiter_BBB\n" + `x\nghadelimiter_AAA\nverdict<<EOF\npass\nEOF` + "\nghadelimiter_BBB\n"
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Errorf("GITHUB_OUTPUT (-want +got):\n%s", diff)
	}
	fc.token = tokens("AAA", "AAA", "AAA")
	if err := fc.SetOutput("mode", value); err == nil {
		t.Error("SetOutput wrote a value that contains every delimiter")
	}
	if got := readFile(t, path); got != want {
		t.Errorf("the refused value was written:\n%s", got)
	}
}

// TestSetOutputHostile: a value is one PlainLine, whatever it holds, so
// that a later step that prints the output in a run: script prints no
// line break, hidden text or workflow command.
func TestSetOutputHostile(t *testing.T) {
	t.Parallel()
	for _, s := range injections() {
		getenv, path := fileEnv(t, "GITHUB_OUTPUT")
		if err := NewFileCommands(getenv).SetOutput("mode", s); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(readFile(t, path), "\n"), "\n")
		if len(lines) != 3 || lines[1] != PlainLine(s) {
			t.Errorf("SetOutput(%q) wrote %q, want three lines", s, lines)
		}
		checkLines(t, "outputs", lines[1])
	}
}

func TestSetOutputRandomDelimiter(t *testing.T) {
	t.Parallel()
	getenv, path := fileEnv(t, "GITHUB_OUTPUT")
	fc := NewFileCommands(getenv)
	for range 2 {
		if err := fc.SetOutput("v", "1"); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(readFile(t, path), "\n")
	first, second := strings.TrimPrefix(lines[0], "v<<"), strings.TrimPrefix(lines[3], "v<<")
	if !strings.HasPrefix(first, "ghadelimiter_") || len(first) < len("ghadelimiter_")+20 || first == second || lines[2] != first {
		t.Errorf("delimiters %q and %q: want two different random ones", first, second)
	}
}

func TestSetOutputBadName(t *testing.T) {
	t.Parallel()
	getenv, path := fileEnv(t, "GITHUB_OUTPUT")
	fc := NewFileCommands(getenv)
	for _, name := range []string{"", "a=b", "a<<b", "a\nb", "a b", "ü"} {
		if err := fc.SetOutput(name, "v"); err == nil {
			t.Errorf("SetOutput(%q) succeeded", name)
		}
	}
	if got := readFile(t, path); got != "" {
		t.Errorf("bad names wrote %q", got)
	}
}

func TestAppendSummary(t *testing.T) {
	t.Parallel()
	getenv, path := fileEnv(t, "GITHUB_STEP_SUMMARY")
	fc := NewFileCommands(getenv)
	if err := fc.AppendSummary("## one"); err != nil {
		t.Fatal(err)
	}
	if err := fc.AppendSummary("two\n"); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, path), "## one\ntwo\n"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if err := fc.AppendSummary(strings.Repeat("x", MaxSummaryBytes)); err == nil {
		t.Error("AppendSummary took the summary over 1 MiB")
	}
	if got := readFile(t, path); len(got) != len("## one\ntwo\n") {
		t.Errorf("the refused summary was written: %d bytes", len(got))
	}
}
