package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"vigie"
	"vigie/audit"
	"vigie/evaluation"
	"vigie/models/pairs"
	"vigie/site"
)

func runSite(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "build" {
		return fmt.Errorf("usage: vigie site build [-o DIR] [--wasm FILE] [--changelog FILE] [--base-url URL] [--results FILE] [--audit-example GLOB] [--pairs DIR]")
	}
	fs := flag.NewFlagSet("site build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "public", "the folder to write (emptied first)")
	wasm := fs.String("wasm", "bin/vigie.wasm", "the browser module (make wasm builds it)")
	changelog := fs.String("changelog", "CHANGELOG.md", "the changelog to publish")
	baseURL := fs.String("base-url", "", "the site's public address, to make the sitemap's addresses absolute")
	resultsFile := fs.String("results", "eval/results.json", "the published evaluation figures (make eval writes them)")
	auditGlob := fs.String("audit-example", "probe/examples/*.jsonl", "the answers audited for the worked example of the audits page")
	pairsDir := fs.String("pairs", "models/pairs", "the parallel corpus, for its data card and open data")
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	module, err := os.ReadFile(*wasm)
	if err != nil {
		return fmt.Errorf("the browser module: %v (build it with `make wasm`)", err)
	}
	log, err := os.ReadFile(*changelog)
	if err != nil {
		return err
	}
	rs, err := vigie.Default()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(*resultsFile)
	if err != nil {
		return fmt.Errorf("the evaluation figures: %v (make eval writes them)", err)
	}
	results, err := evaluation.ReadResults(data)
	if err != nil {
		return fmt.Errorf("%s: %v", *resultsFile, err)
	}
	example, err := auditExample(rs, *auditGlob)
	if err != nil {
		return err
	}
	corpus, err := pairs.Load(os.DirFS(*pairsDir), ".")
	if err != nil {
		return fmt.Errorf("the parallel corpus: %v", err)
	}
	if len(corpus) == 0 {
		return fmt.Errorf("the parallel corpus: no pairs in %s", *pairsDir)
	}
	start := time.Now()
	res, err := site.Build(site.Options{Out: *out, Rules: rs, Module: module, Changelog: log, BaseURL: *baseURL, Results: results, Audit: example, Pairs: corpus})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d pages, %d files in %v\n", *out, res.Pages, len(res.Files), time.Since(start).Round(time.Millisecond))
	return nil
}

// auditExample audits the answers of the worked example; every line must
// be a complete answer.
func auditExample(rs *vigie.Ruleset, glob string) (*audit.Result, error) {
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("the audit example: no file matches %q", glob)
	}
	a := audit.New(rs, audit.Options{Seed: 1})
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for n, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if err := addAnswer(a, []byte(line), nil); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", f, n+1, err)
			}
		}
	}
	return a.Result()
}
