package dnsx_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
)

// BenchmarkLookupTXTConcurrent looks up the _mta-sts TXT record of 500
// domains at once against a server that answers each query after 50 ms,
// the load of the live-check benchmark. One operation is the whole batch:
// about 50 ms when nothing serialises, 25 s when everything does.
func BenchmarkLookupTXTConcurrent(b *testing.B) {
	const domains = 500
	s := dnstest.New(b)
	names := make([]string, domains)
	for i := range names {
		names[i] = fmt.Sprintf("_mta-sts.d%d.example", i)
		s.Add(b, fmt.Sprintf(`%s. TXT "v=STSv1; id=%d"`, names[i], i))
	}
	s.Delay("", 50*time.Millisecond)
	c := newClient(b, s, dnsx.Options{})
	for b.Loop() {
		errs := make([]error, domains)
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Go(func() { _, errs[i] = c.LookupTXT(b.Context(), name) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
