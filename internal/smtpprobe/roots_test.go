package smtpprobe_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// childAddr names the server a child process probes with the system roots.
const childAddr = "STSGATE_SMTPPROBE_CHILD_ADDR"

// TestSystemRootsHonourSSLCertFile: without Options.Roots the probe
// trusts the system roots, and SSL_CERT_FILE replaces them, as for every
// TLS client in stsgate. The system pool is loaded once per process, so
// each probe runs in a child process of the test binary.
func TestSystemRootsHonourSSLCertFile(t *testing.T) {
	if addr := os.Getenv(childAddr); addr != "" {
		probeAsChild(t, addr)
		return
	}
	t.Parallel()
	ca := fetchtest.Must(fetchtest.NewCA())
	other := fetchtest.Must(fetchtest.NewCA())
	cert := fetchtest.Must(ca.Leaf(mxHost))
	srv := startSMTP(t, &cert, nil)
	dir, emptyDir := t.TempDir(), t.TempDir()
	for _, tc := range []struct {
		name string
		pem  []byte
		want string
	}{{"the CA", ca.PEM(), `""`}, {"another CA", other.PEM(), `"certificate-not-trusted"`}} {
		file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".pem")
		if err := os.WriteFile(file, tc.pem, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestSystemRootsHonourSSLCertFile$")
		cmd.Env = append(os.Environ(), childAddr+"="+srv.addr.String(), "SSL_CERT_FILE="+file, "SSL_CERT_DIR="+emptyDir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child with SSL_CERT_FILE holding %s: %v\n%s", tc.name, err, out)
		}
		if got := string(out); !strings.Contains(got, "result type "+tc.want+"\n") {
			t.Errorf("child with SSL_CERT_FILE holding %s printed:\n%s\nwant result type %s", tc.name, got, tc.want)
		}
	}
}

// probeAsChild probes addr with the system roots and prints the result
// type for the parent.
func probeAsChild(t *testing.T, addr string) {
	ap := netip.MustParseAddrPort(addr)
	p, err := smtpprobe.New(smtpprobe.Options{Port: int(ap.Port())})
	if err != nil {
		t.Fatal(err)
	}
	hr := p.ProbeHost(context.Background(), smtpprobe.Host{Name: mxHost, Addrs: []netip.Addr{ap.Addr()}})
	if len(hr.Results) != 1 || hr.Results[0].Err != nil {
		t.Fatalf("ProbeHost = %+v", hr)
	}
	fmt.Printf("result type %q\n", hr.Results[0].ResultType())
}
