// Command worker serves Vigie's HTTP API (package edgeapi). Compiled to
// WebAssembly (GOOS=js), it runs on Cloudflare Workers with worker.mjs, one
// Go instance per isolate, reused across requests; compiled natively, it
// serves the same API on a local address, for self-hosting and for the
// load figures it is compared with.
//
// Settings come from the environment (Workers variables, see
// wrangler.toml): ALLOW_ORIGINS (comma-separated, or *), MAX_BODY_BYTES,
// MAX_BATCH.
package main

import (
	"fmt"
	"strconv"
	"strings"

	"vigie"
	"vigie/edgeapi"
)

// config builds the API's configuration from its settings; getenv returns
// "" for an unset one.
func config(getenv func(string) string) (edgeapi.Config, error) {
	rs, err := vigie.Default()
	if err != nil {
		return edgeapi.Config{}, err
	}
	cfg := edgeapi.Config{Rules: rs}
	for _, o := range strings.Split(getenv("ALLOW_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.AllowOrigins = append(cfg.AllowOrigins, o)
		}
	}
	if v := getenv("MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return cfg, fmt.Errorf("MAX_BODY_BYTES=%q: want a positive number of bytes", v)
		}
		cfg.MaxBodyBytes = n
	}
	if v := getenv("MAX_BATCH"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return cfg, fmt.Errorf("MAX_BATCH=%q: want a positive number of texts", v)
		}
		cfg.MaxBatch = n
	}
	return cfg, nil
}
