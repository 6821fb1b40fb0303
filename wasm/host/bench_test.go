package host

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func benchText(b *testing.B, n int) []byte {
	words := strings.Fields(string(corpus(b, "sotu-2002-2021.txt")))
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(words[i%len(words)])
	}
	return []byte(sb.String())
}

// BenchmarkInstantiate measures starting an instance from the compiled
// module: the Go runtime's start and the compilation of the default rules.
func BenchmarkInstantiate(b *testing.B) {
	rt, err := shared()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		m, err := rt.Instantiate(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Version(ctx); err != nil { // the rules compile on first use
			b.Fatal(err)
		}
		m.Close(ctx)
	}
}

// BenchmarkCheck checks 1k, 10k and 100k words of English in the module.
// The browser budget is 20 ms for 10,000 words.
func BenchmarkCheck(b *testing.B) {
	m := instance(b)
	ctx := context.Background()
	opts := []byte(`{"lang":"en"}`)
	for _, n := range []int{1_000, 10_000, 100_000} {
		text := benchText(b, n)
		b.Run(fmt.Sprintf("words=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := m.Check(ctx, text, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
		})
	}
}
