package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"vigie"
	"vigie/evaluation"
	"vigie/models/pairs"
	"vigie/rulepack"
)

// The corpora of the false-alarm rates, with their language: neutral legal
// text (UDHR) and political speeches (State of the Union).
var evalCorpora = []corpus{
	{"testdata/corpus/udhr-fr.txt", "fr"},
	{"testdata/corpus/udhr-en.txt", "en"},
	{"testdata/corpus/sotu-2002-2021.txt", "en"},
}

// The Wiki Neutrality Corpus sample: biased sentences and their
// neutralised edits, one pair per line number.
var wncSplits = []string{"testdata/corpus/wnc-sample/%s.train", "testdata/corpus/wnc-sample/%s.test"}

type corpus struct{ file, lang string }

// toolHits is what scripts/eval-alex.mjs writes: another tool's messages
// as byte spans, on the WNC sample (train then test) and on corpora.
type toolHits struct {
	Tool string `json:"tool"`
	WNC  struct {
		Pre, Post [][]evaluation.Hit
	} `json:"wnc"`
	Corpora map[string][]evaluation.Hit `json:"corpora"`
}

func runEval(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "sample" {
		return runEvalSample(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sev := minSeverityFlag(fs, "count findings of at least this `severity`")
	top := fs.Int("top", 5, "how many of the most frequent rules to list per corpus")
	external := fs.String("external", "", "folder of python3-pattern's test corpora (scripts/fetch-pattern.sh unpacks them): adds French Wikinews and CoNLL-2010")
	compare := fs.String("compare", "", "also score another tool's messages, from a file written by scripts/eval-alex.sh")
	pairsDir := fs.String("pairs", "models/pairs", "the parallel corpus: loaded sentences and their neutral rewrites")
	judgements := fs.String("judgements", judgementsFile, "turn the judgements of this file into precision per rule and family")
	out := fs.String("out", "", "also write every figure, with the engine version, ruleset hash, date and inputs' hashes, to this JSON file")
	var rf ruleFlags
	rf.register(fs)
	var conv listFlag
	fs.Var(&conv, "convention", conventionUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: vigie eval [flags] [FILE:LANG ...]

Measures the rules, each figure with its count and a 95% interval:
  - the rule examples, per language and family (they must all behave);
  - false alarms: findings per 1,000 words on neutral text (the UDHR) and
    on political speeches (State of the Union 2002-2021);
  - the Wiki Neutrality Corpus sample: the share of biased sentences where a
    finding covers the word the editor changed, and the share of sentences
    flagged before and after the edit;
  - Vigie's parallel corpus (models/pairs): the same, per language, family
    and political side, and how often a suggestion is what the rewrite chose.
Given files (each with its language: speech.txt:en), only their finding
rates are measured.

Flags:`)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	corpora, suites := evalCorpora, true
	if len(pos) > 0 {
		corpora, suites = nil, false
		for _, p := range pos {
			i := strings.LastIndexByte(p, ':')
			if i < 0 || (p[i+1:] != "fr" && p[i+1:] != "en") {
				return fmt.Errorf("%q: give each file with its language, as FILE:fr or FILE:en", p)
			}
			corpora = append(corpora, corpus{p[:i], p[i+1:]})
		}
	}
	rs, err := rf.load()
	if err != nil {
		return err
	}
	opts := vigie.Options{MinSeverity: *sev, Families: rf.families, Conventions: conv}
	if err := rs.ValidateOptions(opts); err != nil {
		return err
	}
	res := evaluation.Results{Engine: vigie.Version, Ruleset: rs.Hash(), Date: time.Now().UTC().Format(time.RFC3339),
		MinSeverity: sev.String(), Inputs: map[string]string{}}
	read := func(file string) ([]byte, error) {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		res.Inputs[file] = hex.EncodeToString(sum[:])
		return data, nil
	}
	fmt.Fprintf(stdout, "ruleset %s, findings of severity %s and above\n", rs.Hash(), sev)
	var other *toolHits
	if *compare != "" {
		data, err := read(*compare)
		if err != nil {
			return err
		}
		other = &toolHits{}
		if err := json.Unmarshal(data, other); err != nil {
			return fmt.Errorf("%s: %v", *compare, err)
		}
		res.Compare = &evaluation.Comparison{Tool: other.Tool}
	}

	if suites {
		res.Examples = ruleExamples(rs, rf.families)
		fmt.Fprintf(stdout, "\nRule examples (checked by the tests: every one behaves)\n%-4s %-18s %6s %6s %6s\n", "lang", "family", "rules", "fire", "pass")
		for _, e := range res.Examples {
			fmt.Fprintf(stdout, "%-4s %-18s %6d %6d %6d\n", e.Lang, e.Family, e.Rules, e.Fire, e.Pass)
		}
	}

	fmt.Fprintf(stdout, "\nFindings per 1,000 words (false alarms on neutral text)\n%-28s %-4s %8s %8s %16s\n", "corpus", "lang", "words", "findings", "per 1,000 words")
	for _, c := range corpora {
		data, err := read(c.file)
		if err != nil {
			return err
		}
		o := opts
		o.Lang = c.lang
		r, err := evaluation.FindingRate(rs, string(data), o)
		if err != nil {
			return fmt.Errorf("%s: %v", c.file, err)
		}
		res.Rates = append(res.Rates, evaluation.CorpusRate{File: c.file, Lang: c.lang, Rate: r})
		fmt.Fprintf(stdout, "%-28s %-4s %8d %8d %6.2f [%.2f, %.2f]\n", filepath.Base(c.file), c.lang, r.Words, r.Findings, r.Per1000, r.CI.Lo, r.CI.Hi)
		printTop(stdout, r.ByRule, *top)
		if hs, ok := other.corpus(c.file); ok {
			o := evaluation.RateOf(hs, r.Words)
			res.Compare.Rates = append(res.Compare.Rates, evaluation.CorpusRate{File: c.file, Lang: c.lang, Rate: o})
			fmt.Fprintf(stdout, "  %-26s %-4s %8d %8d %6.2f [%.2f, %.2f]\n", other.Tool, c.lang, o.Words, o.Findings, o.Per1000, o.CI.Lo, o.CI.Hi)
			printTop(stdout, o.ByRule, *top)
		}
	}

	if *external != "" {
		data, err := read(filepath.Join(*external, evaluation.PatternWikinews))
		if err != nil {
			return err
		}
		o := opts
		o.Lang = "fr"
		r, err := evaluation.FindingRate(rs, evaluation.WikinewsText(data), o)
		if err != nil {
			return fmt.Errorf("%s: %v", evaluation.PatternWikinews, err)
		}
		res.Rates = append(res.Rates, evaluation.CorpusRate{File: filepath.Join(*external, evaluation.PatternWikinews), Lang: "fr", Rate: r})
		fmt.Fprintf(stdout, "%-28s %-4s %8d %8d %6.2f [%.2f, %.2f]\n", "fr-wikinews (pattern)", "fr", r.Words, r.Findings, r.Per1000, r.CI.Lo, r.CI.Hi)
		printTop(stdout, r.ByRule, *top)

		if data, err = read(filepath.Join(*external, evaluation.PatternConll)); err != nil {
			return err
		}
		ss, err := evaluation.ConllSentences(data)
		if err != nil {
			return fmt.Errorf("%s: %v", evaluation.PatternConll, err)
		}
		o.Lang = "en"
		c, err := evaluation.Sentences(rs, ss, o)
		if err != nil {
			return fmt.Errorf("%s: %v", evaluation.PatternConll, err)
		}
		res.Conll = &c
		fmt.Fprintf(stdout, "\nCoNLL-2010 Wikipedia sentences (python3-pattern), %d sentences\n", c.Sentences)
		fmt.Fprintf(stdout, "  uncertain (weasel) sentences flagged %s\n", c.FlaggedBiased)
		fmt.Fprintf(stdout, "  certain sentences flagged            %s\n", c.FlaggedNeutral)
		printTop(stdout, c.BiasedBy, *top)
	}

	if suites {
		var pairs []evaluation.Pair
		for _, split := range wncSplits {
			pre, err := read(fmt.Sprintf(split, "pre"))
			if err != nil {
				return err
			}
			post, err := read(fmt.Sprintf(split, "post"))
			if err != nil {
				return err
			}
			ps, err := evaluation.ReadPairs(pre, post)
			if err != nil {
				return fmt.Errorf("%s: %v", fmt.Sprintf(split, "pre|post"), err)
			}
			pairs = append(pairs, ps...)
		}
		o := opts
		o.Lang = "en"
		w, err := evaluation.Pairs(rs, pairs, o)
		if err != nil {
			return fmt.Errorf("wnc-sample: %v", err)
		}
		res.WNC = &w
		fmt.Fprintf(stdout, "\nWiki Neutrality Corpus sample (Pryzant et al. 2020), %d sentence pairs\n", w.Pairs)
		fmt.Fprintf(stdout, "  edited word found        %s\n", w.Detected)
		fmt.Fprintf(stdout, "  biased sentences flagged %s\n", w.PreFlagged)
		fmt.Fprintf(stdout, "  neutral edits flagged    %s\n", w.PostFlagged)
		fmt.Fprintln(stdout, "  rules that found edited words:")
		printTop(stdout, w.DetectedBy, *top)
		fmt.Fprintln(stdout, "  rules that fired on the neutral edits:")
		printTop(stdout, w.PostBy, *top)
		if other != nil {
			if len(other.WNC.Pre) != len(pairs) || len(other.WNC.Post) != len(pairs) {
				return fmt.Errorf("%s: %d and %d WNC sentences, want %d pairs", *compare, len(other.WNC.Pre), len(other.WNC.Post), len(pairs))
			}
			o := evaluation.ScorePairs(pairs, other.WNC.Pre, other.WNC.Post)
			res.Compare.WNC = &o
			fmt.Fprintf(stdout, "  %s on the same pairs:\n", other.Tool)
			fmt.Fprintf(stdout, "  edited word found        %s\n", o.Detected)
			fmt.Fprintf(stdout, "  biased sentences flagged %s\n", o.PreFlagged)
			fmt.Fprintf(stdout, "  neutral edits flagged    %s\n", o.PostFlagged)
		}
	}

	if suites {
		ps, err := pairs.Load(os.DirFS(*pairsDir), ".")
		if err != nil {
			return fmt.Errorf("%s: %v", *pairsDir, err)
		}
		for _, lang := range []string{"fr", "en"} {
			p, err := evaluation.Parallel(rs, ps, lang, opts)
			if err != nil {
				return fmt.Errorf("%s: %v", *pairsDir, err)
			}
			res.Parallel = append(res.Parallel, p)
			fmt.Fprintf(stdout, "\nParallel corpus (%s), %d pairs\n", lang, p.Pairs)
			fmt.Fprintf(stdout, "  loaded sentences flagged   %s\n", p.PreFlagged)
			fmt.Fprintf(stdout, "  neutral rewrites flagged   %s\n", p.PostFlagged)
			fmt.Fprintf(stdout, "  changed word found         %s\n", p.Detected)
			fmt.Fprintf(stdout, "  suggestion used by rewrite %s\n", p.SuggestionUsed)
			for _, g := range append(p.ByLean, p.ByFamily...) {
				fmt.Fprintf(stdout, "  %-18s loaded flagged %s, neutral flagged %s\n", g.Name, g.Loaded, g.Neutral)
			}
		}
	}

	if suites {
		judged, err := readJudgements(*judgements)
		if err != nil {
			return err
		}
		if len(judged) == 0 {
			fmt.Fprintf(stdout, "\nNo judgements in %s: no precision figures.\n", *judgements)
		} else {
			if _, err := read(*judgements); err != nil {
				return err
			}
			docs, err := evalDocs(*external, read)
			if err != nil {
				return err
			}
			// Judgements are of a rule firing, whatever the threshold at which
			// it is shown: every finding counts, info included.
			all := opts
			all.MinSeverity = rulepack.Info
			found, err := evaluation.Findings(rs, docs, all)
			if err != nil {
				return err
			}
			p := evaluation.Precision(found, judged)
			res.Precision = &p
			inRepo := evaluation.Precision(found, repoJudgements(judged))
			res.PrecisionRepo = &inRepo
			fmt.Fprintf(stdout, "\nPrecision judged by hand (%s): %d findings still made, %d judgements of findings no longer made\n", *judgements, p.Judged, p.Stale)
			fmt.Fprintf(stdout, "  as judged (the rules of the time, all judgements) %s\n", p.AsJudged)
			fmt.Fprintf(stdout, "  overall %s\n", p.Overall)
			for _, l := range p.BySeverity {
				fmt.Fprintf(stdout, "  %-22s %s\n", "severity "+l.Name, l.Share)
			}
			for _, l := range p.ByLang {
				fmt.Fprintf(stdout, "  %-22s %s\n", l.Name, l.Share)
			}
			for _, f := range p.ByFamily {
				fmt.Fprintf(stdout, "  %-22s %s\n", f.Name, f.Share)
			}
		}
	}

	if *out != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// corpus returns the tool's messages on file, if it ran on it.
func (t *toolHits) corpus(file string) ([]evaluation.Hit, bool) {
	if t == nil {
		return nil, false
	}
	hs, ok := t.Corpora[file]
	return hs, ok
}

func printTop(w io.Writer, counts []evaluation.RuleCount, top int) {
	for _, c := range counts[:min(top, len(counts))] {
		fmt.Fprintf(w, "    %5d  %s\n", c.Count, c.Rule)
	}
}

// ruleExamples counts the rules and their examples per language and family.
func ruleExamples(rs *vigie.Ruleset, families []string) []evaluation.FamilyExamples {
	var out []evaluation.FamilyExamples
	for _, lang := range rulepack.Languages {
		for _, fam := range rulepack.Families {
			if len(families) > 0 && !slices.Contains(families, fam) {
				continue
			}
			e := evaluation.FamilyExamples{Lang: lang, Family: fam}
			for _, r := range rs.Rules() {
				if r.Lang == lang && r.Family == fam {
					e.Rules++
					e.Fire += len(r.Examples.Fire)
					e.Pass += len(r.Examples.Pass)
				}
			}
			if e.Rules > 0 {
				out = append(out, e)
			}
		}
	}
	return out
}
