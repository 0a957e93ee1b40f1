package cli

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

const benchPolicy = "version: STSv1\nmode: testing\nmx: mx1.%[1]s\nmx: mx2.%[1]s\nmax_age: 604800\n"

// BenchmarkCheck500 checks 500 domains against a loopback DNS server that
// answers every query after 50 ms, and a loopback HTTPS policy host, with
// parallel 64: the path of stsgate check (DESIGN §1.3; issue 4 target: at
// most 5 s, against about 500 × several lookups × 50 ms sequentially).
func BenchmarkCheck500(b *testing.B) {
	const n = 500
	var records, hosts []string
	fsys := fstest.MapFS{}
	var domains []config.Domain
	for i := range n {
		d := fmt.Sprintf("d%03d.example", i)
		records = append(records,
			fmt.Sprintf(`_mta-sts.%s. TXT "v=STSv1; id=1"`, d),
			fmt.Sprintf(`_smtp._tls.%s. TXT "v=TLSRPTv1; rua=mailto:r@example.net"`, d),
			fmt.Sprintf("%[1]s. MX 10 mx1.%[1]s.", d), fmt.Sprintf("%[1]s. MX 20 mx2.%[1]s.", d),
			fmt.Sprintf("mta-sts.%s. A 127.0.0.1", d))
		hosts = append(hosts, "mta-sts."+d)
		fsys[d+".txt"] = &fstest.MapFile{Data: fmt.Appendf(nil, benchPolicy, d)}
		domains = append(domains, config.Domain{Name: d, Policy: d + ".txt"})
	}
	dns := dnstest.New(b, records...)
	dns.Delay("", 50*time.Millisecond)
	ca := fetchtest.Must(fetchtest.NewCA())
	srv := fetchtest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, benchPolicy, r.TLS.ServerName[len("mta-sts."):])
	}), fetchtest.Must(ca.Leaf(hosts...)))
	defer srv.Close()
	net, err := NewNetwork(NetworkOptions{Resolver: dns.Addr, DNSTimeout: 5 * time.Second, FetchTimeout: time.Minute,
		HTTPSPort: fetchtest.Port(srv), Roots: ca.Pool})
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.Parallel = 64
	r := &repo{fsys: fsys, cfg: cfg, domains: domains}
	b.ResetTimer()
	for range b.N {
		res, unverified := collect(checkDomains(context.Background(), Env{}, r, net, &checkFlags{}, time.Now()))
		if unverified || res.Diagnostics.Max() > diag.Notice {
			b.Fatalf("unexpected findings: %v", res.Diagnostics)
		}
	}
}
