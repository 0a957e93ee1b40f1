package imapsource_test

import (
	"context"
	"testing"

	"github.com/stsgate/stsgate/internal/imapsource"
)

// benchMessages is the benchmark size: 10,000 report mails.
const benchMessages = 10000

// BenchmarkRead collects 10,000 report mails from a loopback server.
// Issue 13's budget: at most 10 s and 200 MB RSS on 2 cores
// (go test -bench Read -cpu 2, RSS measured with /usr/bin/time -v).
func BenchmarkRead(b *testing.B) {
	benchRead(b, nil, benchMessages)
}

// BenchmarkReadKnown is the second run: every Message-ID is known, so no
// body is downloaded. Budget: under 1 s.
func BenchmarkReadKnown(b *testing.B) {
	benchRead(b, func(string) bool { return true }, 0)
}

func benchRead(b *testing.B, skip func(string) bool, want int) {
	ts := newServer(b, implicitTLS, copies(b, benchMessages)...)
	o := ts.options("imaps")
	o.Skip = skip
	b.ReportAllocs()
	for b.Loop() {
		st, err := imapsource.Read(context.Background(), o, func(imapsource.Message) error { return nil })
		if err != nil || st.Read != want || st.Found != benchMessages {
			b.Fatalf("stats %+v, err %v; want %d read of %d", st, err, want, benchMessages)
		}
	}
}
