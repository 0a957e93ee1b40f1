// Package fetchtest is a throwaway PKI and a fake resolver for tests of
// HTTPS clients: a CA that issues ECDSA P-256 leaf certificates for given
// names and validity, self-signed leaves, and TLS test servers that present
// them. Nothing here touches the network beyond loopback listeners.
package fetchtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"time"
)

// CA is a throwaway certificate authority.
type CA struct {
	Cert *x509.Certificate
	Pool *x509.CertPool // holds only Cert: pass it as the client's roots
	key  *ecdsa.PrivateKey
}

// NewCA returns a new CA named "stsgate test CA", valid from a day ago for
// ten years.
func NewCA() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "stsgate test CA"},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{Cert: cert, Pool: pool, key: key}, nil
}

// PEM returns the CA certificate in PEM, for an SSL_CERT_FILE.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// Leaf issues a server certificate for names (host names, wildcards such
// as "*.example.com", or IP addresses), valid from an hour ago for 90 days.
func (ca *CA) Leaf(names ...string) (tls.Certificate, error) {
	now := time.Now()
	return ca.Issue(now.Add(-time.Hour), now.AddDate(0, 0, 90), names...)
}

// Issue issues a server certificate for names, valid from notBefore to
// notAfter. A notAfter in the past makes an expired certificate.
func (ca *CA) Issue(notBefore, notAfter time.Time, names ...string) (tls.Certificate, error) {
	return issue(leafTemplate(notBefore, notAfter, names), ca.Cert, ca.key)
}

// SelfSigned returns a certificate for names that signs itself, valid from
// an hour ago for 90 days: no client that trusts a CA accepts it.
func SelfSigned(names ...string) (tls.Certificate, error) {
	now := time.Now()
	tmpl := leafTemplate(now.Add(-time.Hour), now.AddDate(0, 0, 90), names)
	return issue(tmpl, nil, nil)
}

// issue signs tmpl with a fresh key: by parent and parentKey, or by
// itself when parent is nil.
func issue(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func leafTemplate(notBefore, notAfter time.Time, names []string) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if len(names) > 0 {
		tmpl.Subject.CommonName = names[0]
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	return tmpl
}

// serial returns a random 128-bit serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n
}

// Must returns v, and panics if err is not nil; for test set-up:
// fetchtest.Must(ca.Leaf("mta-sts.example.com")).
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
