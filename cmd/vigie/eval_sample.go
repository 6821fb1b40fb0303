package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"vigie"
	"vigie/evaluation"
)

// judgementsFile is where the committed judgements live.
const judgementsFile = "eval/judgements.jsonl"

// evalDocs returns the documents of every corpus a finding may be sampled
// from, reading each file through read (which records its hash).
func evalDocs(external string, read func(string) ([]byte, error)) ([]evaluation.Doc, error) {
	var docs []evaluation.Doc
	addLines := func(corpus, lang, text string) {
		i := 0
		for _, line := range strings.Split(text, "\n") {
			if strings.TrimSpace(line) != "" {
				docs = append(docs, evaluation.Doc{Corpus: corpus, Lang: lang, Index: i, Text: line})
			}
			i++
		}
	}
	for _, c := range evalCorpora {
		data, err := read(c.file)
		if err != nil {
			return nil, err
		}
		addLines(strings.TrimSuffix(filepath.Base(c.file), ".txt"), c.lang, string(data))
	}
	for _, side := range []string{"pre", "post"} {
		var all []string
		for _, split := range wncSplits {
			data, err := read(fmt.Sprintf(split, side))
			if err != nil {
				return nil, err
			}
			all = append(all, strings.TrimSuffix(string(data), "\n"))
		}
		addLines("wnc-"+side, "en", strings.Join(all, "\n"))
	}
	if external != "" {
		data, err := read(filepath.Join(external, evaluation.PatternWikinews))
		if err != nil {
			return nil, err
		}
		addLines("fr-wikinews", "fr", evaluation.WikinewsText(data))
		if data, err = read(filepath.Join(external, evaluation.PatternConll)); err != nil {
			return nil, err
		}
		ss, err := evaluation.ConllSentences(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", evaluation.PatternConll, err)
		}
		for i, s := range ss {
			docs = append(docs, evaluation.Doc{Corpus: "conll2010", Lang: "en", Index: i, Text: s.Text})
		}
		if data, err = read(filepath.Join(external, evaluation.PatternAmazon)); err != nil {
			return nil, err
		}
		reviews, err := evaluation.AmazonReviews(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", evaluation.PatternAmazon, err)
		}
		for i, r := range reviews {
			if strings.TrimSpace(r) != "" {
				docs = append(docs, evaluation.Doc{Corpus: "fr-amazon", Lang: "fr", Index: i, Text: r})
			}
		}
	}
	return docs, nil
}

// repoJudgements keeps the judgements of findings on the corpora in the
// repository (not python3-pattern's).
func repoJudgements(js []evaluation.Judgement) []evaluation.Judgement {
	var out []evaluation.Judgement
	for _, j := range js {
		if j.Corpus != "fr-wikinews" && j.Corpus != "fr-amazon" && j.Corpus != "conll2010" {
			out = append(out, j)
		}
	}
	return out
}

// readJudgements reads a judgements file, one JSON object per line; a
// missing file is no judgement.
func readJudgements(file string) ([]evaluation.Judgement, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []evaluation.Judgement
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var j evaluation.Judgement
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, n, err)
		}
		if err := evaluation.CheckJudgement(j); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, n, err)
		}
		if prev, ok := seen[j.ID+" "+j.Rule]; ok {
			return nil, fmt.Errorf("%s:%d: %s judged again for %s (first at line %d)", file, n, j.ID, j.Rule, prev)
		}
		seen[j.ID+" "+j.Rule] = n
		out = append(out, j)
	}
	return out, sc.Err()
}

// runEvalSample writes a stratified sample of findings to judge.
func runEvalSample(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	perRule := fs.Int("per-rule", 5, "at most this many findings of each rule")
	seed := fs.Uint64("seed", 1, "the seed of the draw: the same seed draws the same findings")
	judgements := fs.String("judgements", judgementsFile, "leave out the findings judged in this file")
	external := fs.String("external", "", "folder of python3-pattern's test corpora (scripts/fetch-pattern.sh): sample from them too")
	sev := minSeverityFlag(fs, "sample findings of at least this `severity`")
	var rf ruleFlags
	rf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: vigie eval sample [flags] > to-judge.jsonl

Draws a sample of the findings on the evaluation corpora, stratified by rule,
leaving out those already judged, and writes one JSON object per line with
the finding's id, rule, span, sentence and message. To judge one, add
"verdict": "correct" or "wrong" and a one-line "reason", drop "context" and
"message", and append the line to eval/judgements.jsonl (see eval/README.md).

Flags:`)
		fs.PrintDefaults()
	}
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *perRule < 1 {
		return fmt.Errorf("--per-rule must be at least 1")
	}
	rs, err := rf.load()
	if err != nil {
		return err
	}
	judged, err := readJudgements(*judgements)
	if err != nil {
		return err
	}
	docs, err := evalDocs(*external, os.ReadFile)
	if err != nil {
		return err
	}
	all, err := evaluation.Findings(rs, docs, vigie.Options{MinSeverity: *sev, Families: rf.families, UILang: "en"})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	sample := evaluation.Stratified(all, *perRule, *seed, judged)
	for _, s := range sample {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "%d findings on the corpora, %d judged already, %d drawn\n", len(all), len(judged), len(sample))
	return nil
}
