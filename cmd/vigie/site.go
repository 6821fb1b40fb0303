package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"vigie"
	"vigie/evaluation"
	"vigie/site"
)

func runSite(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "build" {
		return fmt.Errorf("usage: vigie site build [-o DIR] [--wasm FILE] [--changelog FILE] [--base-url URL] [--results FILE]")
	}
	fs := flag.NewFlagSet("site build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "public", "the folder to write (emptied first)")
	wasm := fs.String("wasm", "bin/vigie.wasm", "the browser module (make wasm builds it)")
	changelog := fs.String("changelog", "CHANGELOG.md", "the changelog to publish")
	baseURL := fs.String("base-url", "", "the site's public address, to make the sitemap's addresses absolute")
	resultsFile := fs.String("results", "eval/results.json", "the published evaluation figures (make eval writes them)")
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
	start := time.Now()
	res, err := site.Build(site.Options{Out: *out, Rules: rs, Module: module, Changelog: log, BaseURL: *baseURL, Results: results})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d pages, %d files in %v\n", *out, res.Pages, len(res.Files), time.Since(start).Round(time.Millisecond))
	return nil
}
