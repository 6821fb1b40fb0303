package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"vigie"
	"vigie/lang"
	"vigie/rulepack"
	"vigie/text"
)

func runRules(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		langFlag = fs.String("lang", "", "only rules for this language: fr or en")
		asJSON   = fs.Bool("json", false, "print the rules as a JSON array, every field included")
		uiLang   = fs.String("ui-lang", "en", "language of the messages: fr or en")
		rules    ruleFlags
	)
	rules.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vigie rules [flags] [QUERY]\n\nLists the rules whose id, category, patterns, message or suggestions\ncontain QUERY (without case or accents).\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *langFlag != "" && !lang.IsSupported(*langFlag) {
		return fmt.Errorf("unknown --lang %q (want fr or en, or leave it out for both)", *langFlag)
	}
	if err := (vigie.Options{Lang: *langFlag, Families: rules.families, UILang: *uiLang}).Validate(); err != nil {
		return err
	}
	rs, err := rules.load()
	if err != nil {
		return err
	}
	query := text.Fold(strings.Join(pos, " "), text.FoldAll)
	var out []*rulepack.Rule
	for _, r := range rs.Rules() {
		if (*langFlag == "" || r.Lang == *langFlag) && (len(rules.families) == 0 || slices.Contains(rules.families, r.Family)) && matchesQuery(r, query) {
			out = append(out, r)
		}
	}
	if *asJSON {
		if out == nil {
			out = []*rulepack.Rule{}
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	inConvention := map[string]int{}
	for _, r := range out {
		fmt.Fprintf(stdout, "%-40s %-10s %-12s %s\n", r.ID, r.Severity, r.Category, r.Message.In(*uiLang))
		for _, c := range r.Conventions {
			inConvention[r.Lang+" "+c]++
		}
	}
	fmt.Fprintf(stdout, "%d rule(s); ruleset %s\n", len(out), rs.Hash())
	for _, c := range rs.Conventions() {
		if n := inConvention[c.Lang+" "+c.ID]; n > 0 {
			fmt.Fprintf(stdout, "convention %s (%s, off unless chosen with --convention %s): %d of these rules\n", c.ID, c.Name.In(*uiLang), c.ID, n)
		}
	}
	return nil
}

func matchesQuery(r *rulepack.Rule, query string) bool {
	if query == "" {
		return true
	}
	fields := append([]string{r.ID, r.Category, r.Message.FR, r.Message.EN}, r.Patterns...)
	fields = append(fields, r.Suggestions...)
	for _, f := range fields {
		if strings.Contains(text.Fold(f, text.FoldAll), query) {
			return true
		}
	}
	return false
}

func runVersion(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("takes no arguments")
	}
	rs, err := vigie.Default()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "vigie %s, ruleset %s (%d rules)\n", vigie.Version, rs.Hash(), len(rs.Rules()))
	return nil
}
