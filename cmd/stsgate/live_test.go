package main

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/stsgate/stsgate/internal/cli"
	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

// startLive starts the loopback servers a script asks for, before it runs:
//
//	live/dns.zone       records served by a dnstest server (one per line,
//	                    zone-file text, "{spki ADDR}" and "{ca}" as startSMTP
//	                    says); "; servfail NAME" makes NAME fail, "; secure
//	                    NAME" sets the AD bit on its answers
//	live/<host>/body    the policy served for https://<host>/.well-known/mta-sts.txt
//	live/<host>/headers "Status: 301", "Content-Type: ...", "Location: ..."
//	live/<host>/files/F served at https://<host>/F, only with the bearer
//	                    token in live/<host>/token when that file exists
//	live/smtp           SMTP servers on loopback addresses (startSMTP)
//
// It exports STSGATE_TEST_DNS, STSGATE_TEST_HTTPS_PORT and
// STSGATE_TEST_ROOTS for the test command (testNetwork).
func startLive(t *testing.T, env *testscript.Env) error {
	zone := filepath.Join(env.WorkDir, "live", "dns.zone")
	if _, err := os.Stat(zone); err != nil {
		return nil
	}
	ca, err := fetchtest.NewCA()
	if err != nil {
		return err
	}
	hashes, err := startSMTP(env, ca)
	if err != nil {
		return err
	}
	z, err := readZone(zone, hashes)
	if err != nil {
		return err
	}
	dns := dnstest.New(t, z.records...)
	for _, name := range z.servfail {
		dns.ServFail(name)
	}
	for _, name := range z.secure {
		dns.Secure(name)
	}
	hosts, _ := filepath.Glob(filepath.Join(env.WorkDir, "live", "*.*"))
	var names []string
	for _, h := range hosts {
		names = append(names, filepath.Base(h))
	}
	leaf, err := ca.Leaf(append(names, "mta-sts.invalid")...)
	if err != nil {
		return err
	}
	srv := fetchtest.NewServer(policyHandler(filepath.Join(env.WorkDir, "live")), leaf)
	env.Defer(srv.Close)
	if err := startIMAP(env, leaf); err != nil {
		return err
	}
	roots := filepath.Join(env.WorkDir, "ca.pem")
	if err := os.WriteFile(roots, ca.PEM(), 0o644); err != nil {
		return err
	}
	env.Setenv("STSGATE_TEST_DNS", dns.Addr)
	env.Setenv("STSGATE_TEST_HTTPS_PORT", strconv.Itoa(fetchtest.Port(srv)))
	env.Setenv("STSGATE_TEST_ROOTS", roots)
	return nil
}

// liveZone is live/dns.zone: its records, and the names whose answers
// fail ("; servfail NAME") or carry the AD bit ("; secure NAME").
type liveZone struct{ records, servfail, secure []string }

// readZone reads live/dns.zone, putting the values of hashes in place of
// their keys.
func readZone(name string, hashes map[string]string) (liveZone, error) {
	var z liveZone
	lines, err := readLines(name)
	if err != nil {
		return z, err
	}
	for _, line := range lines {
		if name, ok := strings.CutPrefix(line, "; servfail "); ok {
			z.servfail = append(z.servfail, name)
		} else if name, ok := strings.CutPrefix(line, "; secure "); ok {
			z.secure = append(z.secure, name)
		} else if !strings.HasPrefix(line, ";") {
			for k, v := range hashes {
				line = strings.ReplaceAll(line, k, v)
			}
			z.records = append(z.records, line)
		}
	}
	return z, nil
}

// policyHandler serves live/<host>/body with the status and headers of
// live/<host>/headers.
func policyHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.TLS.ServerName
		if r.URL.Path != "/.well-known/mta-sts.txt" {
			serveFile(w, r, filepath.Join(dir, host))
			return
		}
		body, err := os.ReadFile(filepath.Join(dir, host, "body"))
		if err != nil || r.URL.Path != "/.well-known/mta-sts.txt" {
			http.NotFound(w, r)
			return
		}
		status := http.StatusOK
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		headers, _ := os.ReadFile(filepath.Join(dir, host, "headers"))
		for _, line := range strings.Split(string(headers), "\n") {
			k, v, ok := strings.Cut(line, ":")
			switch {
			case !ok:
			case k == "Status":
				status, _ = strconv.Atoi(strings.TrimSpace(v))
			default:
				w.Header().Set(k, strings.TrimSpace(v))
			}
		}
		w.WriteHeader(status)
		w.Write(body)
	})
}

// testEnv is the environment of the test command: the real CLI, with the
// network pointed at the script's loopback servers and a fixed clock.
func testEnv() cli.Env {
	env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if now := os.Getenv("STSGATE_TEST_NOW"); now != "" {
		t, err := time.Parse(time.RFC3339, now)
		if err != nil {
			panic(fmt.Sprintf("STSGATE_TEST_NOW: %v", err))
		}
		env.Now = func() time.Time { return t }
	}
	if addr := os.Getenv("STSGATE_TEST_DNS"); addr != "" {
		env.NewNetwork = testNetwork(addr)
	}
	env.IMAP = testIMAP()
	return env
}

func testNetwork(addr string) func(cli.NetworkOptions) (*cli.Network, error) {
	return func(o cli.NetworkOptions) (*cli.Network, error) {
		if o.Resolver == "" {
			o.Resolver = addr
		}
		o.HTTPSPort, _ = strconv.Atoi(os.Getenv("STSGATE_TEST_HTTPS_PORT"))
		o.SMTPPort = smtpPort()
		pem, err := os.ReadFile(os.Getenv("STSGATE_TEST_ROOTS"))
		if err != nil {
			return nil, err
		}
		o.Roots = x509.NewCertPool()
		o.Roots.AppendCertsFromPEM(pem)
		o.DNSTimeout = time.Second
		return cli.NewNetwork(o)
	}
}

// serveFile serves a report file, checking the bearer token if one is set.
func serveFile(w http.ResponseWriter, r *http.Request, dir string) {
	if token, err := os.ReadFile(filepath.Join(dir, "token")); err == nil &&
		r.Header.Get("Authorization") != "Bearer "+strings.TrimSpace(string(token)) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	http.ServeFile(w, r, filepath.Join(dir, "files", filepath.Base(r.URL.Path)))
}
