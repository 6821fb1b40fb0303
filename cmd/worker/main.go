//go:build !js

package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"vigie/edgeapi"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8787", "address to serve the API on")
	flag.Parse()
	cfg, err := config(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(2)
	}
	srv := &http.Server{Addr: *addr, Handler: edgeapi.New(cfg), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "Vigie API on http://%s/v1/ (no request is logged)\n", *addr)
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}
