// Command loadgen sends a bounded number of POST /v1/check requests to a
// Vigie API from several connections at once, and prints throughput and
// latency percentiles. scripts/bench-worker.sh runs it against workerd and
// against the native server, on the same texts.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8787", "the API's address")
	n := flag.Int("n", 2000, "requests to send")
	c := flag.Int("c", 8, "requests in flight at once")
	corpus := flag.String("corpus", "testdata/corpus/sotu-2002-2021.txt", "text to cut into requests")
	words := flag.Int("words", 200, "words per request")
	flag.Parse()
	data, err := os.ReadFile(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	all := strings.Fields(string(data))
	var bodies [][]byte
	for i := 0; i+*words <= len(all) && len(bodies) < 500; i += *words {
		b, _ := json.Marshal(map[string]string{"text": strings.Join(all[i:i+*words], " "), "lang": "en"})
		bodies = append(bodies, b)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c}}
	lat := make([]time.Duration, *n)
	var failures int
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range *c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				resp, err := client.Post(*url+"/v1/check", "application/json", bytes.NewReader(bodies[i%len(bodies)]))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != 200 {
					mu.Lock()
					failures++
					mu.Unlock()
				}
			}
		}()
	}
	for i := range *n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	fmt.Printf("%s: %d requests of %d words, %d at once: %.0f requests/s, %.0f words/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms; %d failed\n",
		*url, *n, *words, *c, float64(*n)/elapsed.Seconds(), float64(*n**words)/elapsed.Seconds(), pct(0.5), pct(0.9), pct(0.99), failures)
	if failures > 0 {
		os.Exit(1)
	}
}
