package smtpprobe

import (
	"crypto/tls"
	"crypto/x509"
	"net/netip"
	"time"
)

// ResultType is a TLS-RPT result type (RFC 8460 §4.3), the name a sending
// MTA would give the failure in its report.
type ResultType string

// The negotiation result types of RFC 8460 §4.3.1 the probe can observe.
const (
	StartTLSNotSupported    ResultType = "starttls-not-supported"
	CertificateHostMismatch ResultType = "certificate-host-mismatch"
	CertificateExpired      ResultType = "certificate-expired"
	CertificateNotTrusted   ResultType = "certificate-not-trusted"
	ValidationFailure       ResultType = "validation-failure"
)

// Problem is one reason an MTA-STS sender would not deliver to an address:
// its result type and a short reason, like a report's failure-reason-code.
type Problem struct {
	Type   ResultType
	Reason string
}

// Stage is a step of the SMTP conversation.
type Stage string

// The steps, in order. A Result's Stage is the step the probe ended in:
// StageDone when it got as far as QUIT.
const (
	StageConnect   Stage = "connect"
	StageGreeting  Stage = "greeting"
	StageEHLO      Stage = "ehlo"
	StageSTARTTLS  Stage = "starttls"
	StageHandshake Stage = "handshake"
	StageDone      Stage = "done"
)

// ConnectFailure says why the TCP connect to an address failed.
type ConnectFailure string

// The connect failures. A port 25 blocked on the way (most cloud networks
// and GitHub-hosted runners) shows as ConnectTimedOut on every address.
const (
	ConnectOK          ConnectFailure = ""            // connected
	ConnectTimedOut    ConnectFailure = "timeout"     // no answer within the connect timeout
	ConnectRefused     ConnectFailure = "refused"     // reset: nothing listens, or a firewall rejects
	ConnectUnreachable ConnectFailure = "unreachable" // no route to the network or host (often IPv6)
	ConnectError       ConnectFailure = "error"       // any other failure to connect
	ConnectNotTried    ConnectFailure = "not-tried"   // the host's deadline passed before this address's turn
)

// Result is what the probe of one address of an MX host found.
type Result struct {
	Host    string // the MX host name: lower case, no trailing dot
	Addr    netip.Addr
	Stage   Stage          // where the probe ended; StageDone if it reached QUIT
	Connect ConnectFailure // ConnectOK once connected
	// Err says why the conversation ended before QUIT: a failed connect, a
	// reply that was not the expected one, a malformed or over-long reply,
	// a timeout (TimedOut), a failed handshake. Nil when it reached QUIT.
	Err      error
	Greeting string   // the first line of the greeting, after the code
	STARTTLS bool     // the EHLO reply offered STARTTLS
	TLS      *TLSInfo // nil unless the handshake completed
	// Problems are what an MTA-STS sender would fail on, the one it
	// would report first at the front; empty when it would deliver.
	Problems []Problem
}

// ResultType returns the result type a sender would report for this
// address, or "" when it would deliver or when the probe could not tell
// (a timeout or a refused service is a transient failure that RFC 8460
// §4.3.4 does not ask senders to report).
func (r Result) ResultType() ResultType {
	if len(r.Problems) == 0 {
		return ""
	}
	return r.Problems[0].Type
}

// TimedOut reports whether the probe ended because a connect or step
// timeout, or the host's deadline, ran out.
func (r Result) TimedOut() bool { return isTimeout(r.Err) }

// TLSInfo describes the TLS session the probe negotiated.
type TLSInfo struct {
	Version     uint16      // tls.VersionTLS12, ...
	CipherSuite uint16      // tls.TLS_AES_128_GCM_SHA256, ...
	Leaf        Certificate // the server's certificate
	// Sent are the certificates the server sent, its own first, as
	// received: what a DANE check matches TLSA records against (RFC 7672
	// §3.1) and what a report would quote.
	Sent []*x509.Certificate
}

// VersionName returns the TLS version as text, such as "TLS 1.3".
func (t TLSInfo) VersionName() string { return tls.VersionName(t.Version) }

// CipherSuiteName returns the cipher suite as text.
func (t TLSInfo) CipherSuiteName() string { return tls.CipherSuiteName(t.CipherSuite) }

// Certificate is what a report needs of the server's certificate.
type Certificate struct {
	CommonName string   // the subject's CN: not used for matching (RFC 8461 §4.2)
	DNSNames   []string // the subject alternative names of type dNSName
	Issuer     string   // the issuer's distinguished name
	NotBefore  time.Time
	NotAfter   time.Time
}

// HostResult is what the probe of one MX host found at each address.
type HostResult struct {
	Host string // lower case, no trailing dot
	// Err is set, and Results empty, when the host's addresses could
	// not be found (the Resolver's error, unchanged) or ctx ended before
	// the probe of the host began.
	Err     error
	Results []Result
}
