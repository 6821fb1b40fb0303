package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"vigie"
	"vigie/rulepack"
)

// The corpora of the false-alarm rates, with their language: neutral legal
// text (UDHR) and political speeches (State of the Union).
var evalCorpora = []struct{ file, lang string }{
	{"testdata/corpus/udhr-fr.txt", "fr"},
	{"testdata/corpus/udhr-en.txt", "en"},
	{"testdata/corpus/sotu-2002-2021.txt", "en"},
}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	minSev := fs.String("min-severity", vigie.DefaultMinSeverity.String(), "count findings of at least this severity")
	top := fs.Int("top", 5, "how many of the most frequent rules to list per corpus")
	var rf ruleFlags
	rf.register(fs)
	var conv listFlag
	fs.Var(&conv, "convention", conventionUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vigie eval [flags] [FILE:LANG ...]\n\nPrints the rate of findings per 1,000 words, with a 95% interval, and the\nrules behind them, on the test corpora (or on the files given, each with\nits language: speech.txt:en). On neutral text every finding is a false alarm.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	sev, err := rulepack.ParseSeverity(*minSev)
	if err != nil {
		return fmt.Errorf("--min-severity: %v", err)
	}
	corpora := evalCorpora
	if len(pos) > 0 {
		corpora = nil
		for _, p := range pos {
			i := strings.LastIndexByte(p, ':')
			if i < 0 || (p[i+1:] != "fr" && p[i+1:] != "en") {
				return fmt.Errorf("%q: give each file with its language, as FILE:fr or FILE:en", p)
			}
			corpora = append(corpora, struct{ file, lang string }{p[:i], p[i+1:]})
		}
	}
	rs, err := rf.load()
	if err != nil {
		return err
	}
	if err := rs.ValidateOptions(vigie.Options{Families: rf.families, Conventions: conv}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ruleset %s, findings of severity %s and above\n\n", rs.Hash(), sev)
	fmt.Fprintf(stdout, "%-28s %-4s %8s %8s %16s\n", "corpus", "lang", "words", "findings", "per 1,000 words")
	for _, c := range corpora {
		data, err := os.ReadFile(c.file)
		if err != nil {
			return err
		}
		rep, err := rs.Check(string(data), vigie.Options{Lang: c.lang, MinSeverity: sev, Families: rf.families, Conventions: conv})
		if err != nil {
			return fmt.Errorf("%s: %v", c.file, err)
		}
		n, words := len(rep.Findings), rep.Stats.Words
		lo, hi := poissonInterval(n)
		rate := func(k float64) float64 { return k * 1000 / float64(words) }
		fmt.Fprintf(stdout, "%-28s %-4s %8d %8d %6.2f [%.2f, %.2f]\n", filepath.Base(c.file), c.lang, words, n, rate(float64(n)), rate(lo), rate(hi))
		byRule := map[string]int{}
		for _, f := range rep.Findings {
			byRule[f.Rule]++
		}
		ids := make([]string, 0, len(byRule))
		for id := range byRule {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			return byRule[ids[i]] > byRule[ids[j]] || byRule[ids[i]] == byRule[ids[j]] && ids[i] < ids[j]
		})
		for _, id := range ids[:min(*top, len(ids))] {
			fmt.Fprintf(stdout, "    %5d  %s\n", byRule[id], id)
		}
	}
	return nil
}

// poissonInterval is an exact 95% interval for a Poisson count n
// (Garwood), found by bisection on the Poisson distribution function.
func poissonInterval(n int) (lo, hi float64) {
	cdf := func(k int, mu float64) float64 { // P(X <= k)
		sum, term := 0.0, math.Exp(-mu)
		for i := 0; i <= k; i++ {
			if i > 0 {
				term *= mu / float64(i)
			}
			sum += term
		}
		return sum
	}
	solve := func(f func(float64) float64, a, b float64) float64 {
		for range 100 {
			m := (a + b) / 2
			if f(m) > 0 {
				a = m
			} else {
				b = m
			}
		}
		return (a + b) / 2
	}
	upper := float64(n) + 10*math.Sqrt(float64(n)+1) + 10
	if n > 0 {
		// The mean for which P(X >= n) = 0.025.
		lo = solve(func(mu float64) float64 { return 0.025 - (1 - cdf(n-1, mu)) }, 0, float64(n))
	}
	// The mean for which P(X <= n) = 0.025.
	hi = solve(func(mu float64) float64 { return cdf(n, mu) - 0.025 }, float64(n), upper)
	return lo, hi
}
