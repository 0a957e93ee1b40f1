package report

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
)

// MaxSummaryBytes is GitHub's limit on a step's job summary: above it the
// whole summary is dropped (github-actions.md §3.5).
const MaxSummaryBytes = 1 << 20

// ErrNoFileCommand is returned, wrapped, when the environment names no
// file for a file command: the program is not running as an Action step
// (a local run, a test, act without a summary file).
var ErrNoFileCommand = errors.New("not running in GitHub Actions")

// FileCommands appends to the files the runner reads after a step:
// GITHUB_OUTPUT for step outputs and GITHUB_STEP_SUMMARY for the job
// summary. Unlike go-githubactions' SetOutput and AddStepSummary, which
// panic when the variable is unset and use a fixed heredoc delimiter, it
// returns errors, for the caller to log as a warning, and uses a fresh
// random delimiter for every value.
type FileCommands struct {
	getenv func(string) string
	// token returns an unguessable string; a test can make it
	// predictable.
	token func() string
}

// NewFileCommands returns a FileCommands that finds the files through
// getenv (os.Getenv in production).
func NewFileCommands(getenv func(string) string) *FileCommands {
	return &FileCommands{getenv: getenv, token: rand.Text}
}

// SetOutput sets the step output name to value, made one PlainLine:
// the outputs of action.yml are single words, numbers and a path, and a
// later step may print them in a run: script, where a line break or a
// leading "::" would be read as a workflow command. Names are letters,
// digits, '-' and '_'.
func (f *FileCommands) SetOutput(name, value string) error {
	value = PlainLine(value)
	if !validOutputName(name) {
		return fmt.Errorf("output name %q: want letters, digits, '-' and '_'", name)
	}
	if f == nil {
		return fmt.Errorf("GITHUB_OUTPUT is not set: %w", ErrNoFileCommand)
	}
	delim, err := f.delimiter(value)
	if err != nil {
		return fmt.Errorf("output %s: %w", name, err)
	}
	return f.appendTo("GITHUB_OUTPUT", name+"<<"+delim+"\n"+value+"\n"+delim+"\n", 0)
}

// AppendSummary appends markdown to the job summary. It refuses, writing
// nothing, when the summary would grow over MaxSummaryBytes, since GitHub
// would then drop all of it.
func (f *FileCommands) AppendSummary(markdown string) error {
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	return f.appendTo("GITHUB_STEP_SUMMARY", markdown, MaxSummaryBytes)
}

// delimiter returns a heredoc delimiter that occurs nowhere in value
// (google-github-actions/run-gemini-cli#526: a guessable delimiter lets a
// value set other outputs).
func (f *FileCommands) delimiter(value string) (string, error) {
	token := rand.Text
	if f.token != nil {
		token = f.token
	}
	for range 3 {
		d := "ghadelimiter_" + token()
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
	return "", errors.New("the value contains every delimiter tried")
}

// appendTo appends data to the file named by the variable env with one
// write; limit, when positive, caps the file's size after the write.
func (f *FileCommands) appendTo(env, data string, limit int64) (err error) {
	name := ""
	if f != nil && f.getenv != nil {
		name = f.getenv(env)
	}
	if name == "" {
		return fmt.Errorf("%s is not set: %w", env, ErrNoFileCommand)
	}
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	defer func() {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", env, cerr)
		}
	}()
	if limit > 0 {
		if info, err := file.Stat(); err == nil && info.Size()+int64(len(data)) > limit {
			return fmt.Errorf("%s: %d bytes would take the summary over %d bytes", env, len(data), limit)
		}
	}
	if _, err := file.WriteString(data); err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	return nil
}

func validOutputName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		ok := c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}
