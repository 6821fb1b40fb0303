package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"vigie/site/server"
)

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fs.String("dir", "public", "the built portal to serve (make public builds it)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vigie serve [flags]\n\nServes the built portal and checker on your machine. Nothing is logged\nor sent anywhere; the checker runs in the browser.\n\nFlags:")
		fs.PrintDefaults()
	}
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if _, err := os.Stat(filepath.Join(*dir, "vigie", "vigie.wasm")); err != nil {
		return fmt.Errorf("%s has no vigie/vigie.wasm: build it first with `make public`", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Serving %s on http://%s/ (the checker: http://%s/checker/). Ctrl-C to stop.\n", *dir, ln.Addr(), ln.Addr())
	srv := &http.Server{Handler: server.Handler(os.DirFS(*dir)), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
