package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"vigie"
	"vigie/audit"
	"vigie/rulepack"
)

func runDiff(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	langFlag := fs.String("lang", "auto", "language of the texts: fr, en or auto")
	format := fs.String("format", "text", "output: text or json")
	sev := minSeverityFlag(fs, "count findings of at least this `severity`")
	uiLang := fs.String("ui-lang", "", "language of the output: fr or en (default: the texts')")
	var rf ruleFlags
	rf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: vigie diff [flags] A B

Compares the findings of two texts, two chatbots' answers to the same
question say: density, findings by family, and the rules that fire on one
and not on the other. Either file may be - for standard input.

Flags:`)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return fmt.Errorf("give two files to compare, not %d", len(files))
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("unknown --format %q (want text or json)", *format)
	}
	rs, err := rf.load()
	if err != nil {
		return err
	}
	opts := vigie.Options{Lang: *langFlag, Families: rf.families, MinSeverity: *sev, UILang: *uiLang}
	if err := rs.ValidateOptions(opts); err != nil {
		return err
	}
	var reps [2]*vigie.Report
	for i, f := range files {
		in, err := readInput(f, stdin)
		if err != nil {
			return err
		}
		if reps[i], err = rs.Check(in.text, opts); err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
	}
	d := audit.Compare(reps[0], reps[1])
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	fr := *uiLang == "fr" || *uiLang == "" && reps[0].Lang == "fr"
	say := func(frText, enText string) string {
		if fr {
			return frText
		}
		return enText
	}
	w := func(format string, args ...any) { fmt.Fprintf(stdout, format, args...) }
	w("%-22s %12s %12s\n", "", "A", "B")
	w("%-22s %12d %12d\n", say("mots", "words"), d.Sides[0].Words, d.Sides[1].Words)
	w("%-22s %12d %12d\n", say("signalements", "findings"), d.Sides[0].Findings, d.Sides[1].Findings)
	w("%-22s %12.2f %12.2f\n", say("pour 1 000 mots", "per 1,000 words"), d.Sides[0].Per1000, d.Sides[1].Per1000)
	for _, fam := range rulepack.Families {
		if a, b := d.Sides[0].ByFamily[fam], d.Sides[1].ByFamily[fam]; a+b > 0 {
			w("%-22s %12d %12d\n", "  "+fam, a, b)
		}
	}
	list := func(title string, rules []string, side int) {
		if len(rules) == 0 {
			return
		}
		w("\n%s\n", title)
		for _, r := range rules {
			spans := d.Sides[side].Spans[r]
			if side < 0 {
				spans = append(append([]string{}, d.Sides[0].Spans[r]...), d.Sides[1].Spans[r]...)
			}
			w("  %-40s %s\n", r, strings.Join(quoteAll(spans), ", "))
		}
	}
	list(say("Seulement dans A :", "Only in A:"), d.OnlyA, 0)
	list(say("Seulement dans B :", "Only in B:"), d.OnlyB, 1)
	list(say("Dans les deux :", "In both:"), d.Shared, -1)
	return nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
