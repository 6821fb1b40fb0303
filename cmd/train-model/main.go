// Command train-model trains Vigie's sentence model (package
// models/sentence) on the parallel corpus and the rules' examples, writes it
// to models/loaded/ (model.onnx, features.json) and measures it into
// models/loaded/metrics.json. Run it with `make model`. The same data gives
// the same bytes.
//
// With --external DIR (the python3-pattern corpora, see
// scripts/fetch-pattern.sh) it also scores the held-out external sets, which
// are never trained on.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"vigie"
	"vigie/evaluation"
	"vigie/models/loaded"
	"vigie/models/pairs"
	"vigie/models/sentence"
	"vigie/rulepack"
)

// The model's shape and training. Changing any of these changes the model
// file; `make model` and the reproducibility test use these values.
var config = sentence.Config{
	Features: sentence.Features{Buckets: 1 << 15, WordNgrams: 2, CharMin: 3, CharMax: 5, MinWords: 4},
	Dim:      8,
	Epochs:   25,
	Rate:     0.2,
	Seed:     2026,
}

// Name is the model's name and version, shown with every mark.
const Name = "vigie-sentence-1"

// targetPrecision is the precision on the development pairs from which a
// sentence is marked: the threshold is the lowest score that reaches it.
// The pairs are half loaded; real text is mostly neutral, where a lower
// target would mark too many sentences (measured on neutral corpora below).
const targetPrecision = 0.95

// The Wiki Neutrality Corpus sample in testdata/ (MIT, from Wikipedia): its
// neutralised sentences (post) of the train part are neutral training
// examples, so that the model sees encyclopedic text and not only the
// corpus's rewrites; its test part is an English held-out set.
const wncSample = "testdata/corpus/wnc-sample/"

// neutralCorpora are the texts on which the model's false alarms are
// measured: the share of their sentences it marks.
var neutralCorpora = []struct{ file, lang, name string }{
	{"testdata/corpus/udhr-fr.txt", "fr", "Déclaration universelle des droits de l'homme"},
	{"testdata/corpus/udhr-en.txt", "en", "Universal Declaration of Human Rights"},
	{"testdata/corpus/sotu-2002-2021.txt", "en", "State of the Union 2002–2021 (political speeches)"},
}

func main() {
	out := flag.String("out", "models/loaded", "folder to write model.onnx, features.json and metrics.json to")
	corpus := flag.String("pairs", "models/pairs", "folder of the parallel corpus")
	external := flag.String("external", "", "folder of python3-pattern's test corpora, for the held-out external sets")
	flag.Parse()
	if err := run(*out, *corpus, *external, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "train-model:", err)
		os.Exit(1)
	}
}

func run(out, corpus, external string, stdout io.Writer) error {
	ps, err := pairs.Load(os.DirFS(corpus), ".")
	if err != nil {
		return err
	}
	rs, err := vigie.Default()
	if err != nil {
		return err
	}
	wnc, err := readWNC("train")
	if err != nil {
		return err
	}
	neutral := make([]string, len(wnc))
	for i, p := range wnc {
		neutral[i] = p.Post
	}
	train, counts := Examples(ps, rs.Rules(), neutral, "train")
	params := sentence.Train(train, config)
	// A first file to measure the development pairs with the quantised
	// weights, then the final one with the threshold they give.
	threshold := 0.5
	model, err := build(params, threshold)
	if err != nil {
		return err
	}
	dev, err := scorePairs(model, rs, ps, "dev", "")
	if err != nil {
		return err
	}
	if t, _, ok := evaluation.ThresholdFor(dev, targetPrecision, false); ok {
		threshold = math.Round(t*100) / 100
	}
	model, err = build(params, threshold)
	if err != nil {
		return err
	}
	onnx := sentence.Encode(params.File(Name, doc, threshold))
	m := loaded.Metrics{Model: Name, Threshold: threshold, TargetPrecision: targetPrecision, Config: config, Bytes: len(onnx), RuleWeight: ruleWeight}
	m.Data.Train = counts
	m.Data.Pairs = map[string]int{}
	for _, p := range ps {
		m.Data.Pairs[p.Lang+"/"+p.Split()]++
	}
	for _, lang := range []string{"fr", "en"} {
		test, err := scorePairs(model, rs, ps, "test", lang)
		if err != nil {
			return err
		}
		lm := loaded.LangMetrics{Lang: lang, Pairs: evaluation.Classify(test, threshold)}
		lm.Added = added(test, threshold)
		if external != "" {
			ext, err := externalSet(rs, model, external, lang)
			if err != nil {
				return err
			}
			lm.External = append(lm.External, *ext)
			if lang == "fr" {
				data, err := os.ReadFile(filepath.Join(external, evaluation.PatternWikinews))
				if err != nil {
					return err
				}
				fa, err := marked(rs, model, "Wikinews (python3-pattern)", "fr", evaluation.WikinewsText(data))
				if err != nil {
					return err
				}
				lm.FalseAlarms = append(lm.FalseAlarms, fa)
			}
		}
		if lang == "en" {
			w, err := wncTest(model)
			if err != nil {
				return err
			}
			lm.External = append(lm.External, *w)
		}
		for _, c := range neutralCorpora {
			if c.lang != lang {
				continue
			}
			data, err := os.ReadFile(c.file)
			if err != nil {
				return err
			}
			fa, err := marked(rs, model, c.name, lang, string(data))
			if err != nil {
				return err
			}
			lm.FalseAlarms = append(lm.FalseAlarms, fa)
		}
		m.Langs = append(m.Langs, lm)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	features, _ := json.MarshalIndent(Sidecar{Features: config.Features, Model: Name, Description: sidecarText}, "", "  ")
	metrics, _ := json.MarshalIndent(m, "", "  ")
	for name, data := range map[string][]byte{"model.onnx": onnx, "features.json": append(features, '\n'), "metrics.json": append(metrics, '\n')} {
		if name == "metrics.json" && external == "" {
			fmt.Fprintln(os.Stderr, "train-model: no --external folder; metrics.json left alone")
			continue
		}
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

const doc = "Vigie's sentence model: the probability that a sentence's wording is loaded rather than neutral. " +
	"Inputs: rows (int64 [batch, n], embedding rows of hashed word and character n-grams, see features.json) " +
	"and weights (float [batch, n], 1/n per row, 0 for padding). Output: probabilities [batch, 2] (neutral, loaded)."

const sidecarText = "A sentence becomes embedding rows as follows. Words: lowercase the text (Unicode), turn every digit into 0, " +
	"and cut it into maximal runs of letters, digits and combining marks (every other character, apostrophes included, separates words). " +
	"Features, in this order: for each word, the string \"w \" + word, then its character n-grams of char_min to char_max characters " +
	"taken from \"<\" + word + \">\" by increasing length and position, each as \"c \" + n-gram; then, when word_ngrams is 2, " +
	"\"b \" + word + \" \" + next word for each pair of adjacent words. A feature's row is the 64-bit FNV-1a hash of its UTF-8 bytes, " +
	"modulo buckets; repeated features count as often as they occur. Sentences of fewer than min_words words are not scored. " +
	"Feed the rows as input \"rows\" and 1/n for each of the n rows as input \"weights\"; output \"probabilities\" is [neutral, loaded]."

// Sidecar is features.json.
type Sidecar struct {
	Model       string            `json:"model"`
	Features    sentence.Features `json:"features"`
	Description string            `json:"description"`
}

// ruleWeight is how much a rule example counts against a sentence of the
// corpus. Rule examples are short and many; at full weight they pulled the
// model towards the rules' own vocabulary and lowered its recall on the
// development pairs (measured while choosing this value).
const ruleWeight = 0.25

// Examples are the training sentences: both sides of the pairs in split;
// the examples of the rules on by default outside conventions, the
// sentences they must flag as loaded and those they must leave alone as
// neutral, at ruleWeight; and the neutral WNC sentences. It also counts
// them by source, for metrics.json.
func Examples(ps []pairs.Pair, rules []*rulepack.Rule, wnc []string, split string) ([]sentence.Example, map[string]int) {
	var out []sentence.Example
	counts := map[string]int{}
	add := func(source, text string, loaded bool, weight float32) {
		out = append(out, sentence.Example{Text: text, Loaded: loaded, Weight: weight})
		if loaded {
			counts[source+"_loaded"]++
		} else {
			counts[source+"_neutral"]++
		}
	}
	for _, p := range ps {
		if p.Split() == split {
			add("pairs", p.Loaded, true, 0)
			add("pairs", p.Neutral, false, 0)
		}
	}
	for _, r := range rules {
		if r.Severity < vigie.DefaultMinSeverity || len(r.Conventions) > 0 {
			continue
		}
		for _, s := range r.Examples.Fire {
			add("rule_examples", unmark(s), true, ruleWeight)
		}
		for _, s := range r.Examples.Pass {
			add("rule_examples", unmark(s), false, ruleWeight)
		}
	}
	for _, s := range wnc {
		add("wnc", s, false, 0)
	}
	return out, counts
}

// unmark drops the brackets that mark the flagged span in a rule example.
func unmark(s string) string { return strings.NewReplacer("[", "", "]", "").Replace(s) }

func build(p *sentence.Params, threshold float64) (*sentence.Model, error) {
	return sentence.Load(sentence.Encode(p.File(Name, doc, threshold)))
}

// scorePairs scores both sentences of the pairs in split (and lang, if
// given) and notes whether the rules flag them.
func scorePairs(m *sentence.Model, rs *vigie.Ruleset, ps []pairs.Pair, split, lang string) ([]evaluation.Scored, error) {
	var texts []string
	var labels []bool
	for _, p := range ps {
		if p.Split() == split && (lang == "" || p.Lang == lang) {
			texts = append(texts, p.Loaded, p.Neutral)
			labels = append(labels, true, false)
		}
	}
	scores, err := m.Score(texts)
	if err != nil {
		return nil, err
	}
	out := make([]evaluation.Scored, len(texts))
	for i, t := range texts {
		rep, err := rs.Check(t, vigie.Options{Lang: lang})
		if err != nil {
			return nil, err
		}
		out[i] = evaluation.Scored{Score: scores[i], Loaded: labels[i], Rules: len(rep.Findings) > 0}
	}
	return out, nil
}

func added(ss []evaluation.Scored, threshold float64) loaded.Added {
	rules := make([]evaluation.Scored, len(ss))
	for i, s := range ss {
		rules[i] = evaluation.Scored{Score: 0, Loaded: s.Loaded}
		if s.Rules {
			rules[i].Score = 1
		}
	}
	a := loaded.Added{Rules: evaluation.Classify(rules, 1)}
	a.Rules.Calibration = nil
	a.Threshold, a.Recall, a.Reached = evaluation.ThresholdFor(ss, a.Rules.Precision.Value, true)
	either := make([]evaluation.Scored, len(ss))
	for i, s := range ss {
		either[i] = evaluation.Scored{Score: 0, Loaded: s.Loaded}
		if s.Rules || s.Score >= threshold {
			either[i].Score = 1
		}
	}
	a.Both = evaluation.Classify(either, 1)
	a.Both.Calibration = nil
	return a
}

// externalSet scores python3-pattern's sets: for English the CoNLL-2010
// Wikipedia sentences (uncertain ones count as loaded), for French the
// sentences of the Amazon.fr reviews (loaded) against Wikinews (neutral).
func externalSet(rs *vigie.Ruleset, m *sentence.Model, dir, lang string) (*loaded.External, error) {
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	var texts []string
	var labels []bool
	var name string
	var ss []evaluation.Scored
	switch lang {
	case "en":
		name = "CoNLL-2010 Wikipedia uncertainty (uncertain = loaded)"
		data, err := read(evaluation.PatternConll)
		if err != nil {
			return nil, err
		}
		ss, err := evaluation.ConllSentences(data)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			texts, labels = append(texts, s.Text), append(labels, s.Biased)
		}
	case "fr":
		name = "Amazon.fr review sentences (loaded) vs Wikinews sentences (neutral)"
		data, err := read(evaluation.PatternAmazon)
		if err != nil {
			return nil, err
		}
		reviews, err := evaluation.AmazonReviews(data)
		if err != nil {
			return nil, err
		}
		for _, r := range reviews {
			scores, err := sentenceScores(rs, m, r, "fr")
			if err != nil {
				return nil, err
			}
			for _, s := range scores {
				ss = append(ss, evaluation.Scored{Score: s, Loaded: true})
			}
		}
		if data, err = read(evaluation.PatternWikinews); err != nil {
			return nil, err
		}
		scores, err := sentenceScores(rs, m, evaluation.WikinewsText(data), "fr")
		if err != nil {
			return nil, err
		}
		for _, s := range scores {
			ss = append(ss, evaluation.Scored{Score: s})
		}
	}
	scores, err := m.Score(texts)
	if err != nil {
		return nil, err
	}
	for i, s := range scores {
		if !math.IsNaN(s) { // too short to score
			ss = append(ss, evaluation.Scored{Score: s, Loaded: labels[i]})
		}
	}
	return &loaded.External{Name: name, Result: evaluation.Classify(ss, m.Threshold())}, nil
}

// readWNC reads a part ("train" or "test") of the WNC sample.
func readWNC(part string) ([]evaluation.Pair, error) {
	pre, err := os.ReadFile(wncSample + "pre." + part)
	if err != nil {
		return nil, err
	}
	post, err := os.ReadFile(wncSample + "post." + part)
	if err != nil {
		return nil, err
	}
	return evaluation.ReadPairs(pre, post)
}

// sentenceScores checks text as a user would, with the model marking every
// sentence it scores (threshold 0): the engine's sentences, the engine's
// scores. An empty text has none.
func sentenceScores(rs *vigie.Ruleset, m *sentence.Model, text, lang string) ([]float64, error) {
	rep, err := rs.Check(text, vigie.Options{Lang: lang, Sentences: vigie.WithThreshold(m, 0)})
	if errors.Is(err, vigie.ErrEmpty) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	scores := make([]float64, len(rep.Sentences))
	for i, s := range rep.Sentences {
		scores[i] = s.Score
	}
	return scores, nil
}

// marked measures the share of a text's sentences the model marks.
func marked(rs *vigie.Ruleset, m *sentence.Model, name, lang, text string) (loaded.FalseAlarm, error) {
	scores, err := sentenceScores(rs, m, text, lang)
	if err != nil {
		return loaded.FalseAlarm{}, err
	}
	k := 0
	for _, s := range scores {
		if s >= m.Threshold() {
			k++
		}
	}
	return loaded.FalseAlarm{Name: name, Marked: evaluation.NewShare(k, len(scores))}, nil
}

// wncTest scores the test part of the WNC sample: sentences as written
// (loaded) against the same sentences after an editor's neutralising edit.
func wncTest(m *sentence.Model) (*loaded.External, error) {
	ps, err := readWNC("test")
	if err != nil {
		return nil, err
	}
	pre, post := make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		pre[i], post[i] = p.Pre, p.Post
	}
	a, err := m.Score(pre)
	if err != nil {
		return nil, err
	}
	b, err := m.Score(post)
	if err != nil {
		return nil, err
	}
	var ss []evaluation.Scored
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			ss = append(ss, evaluation.Scored{Score: a[i], Loaded: true}, evaluation.Scored{Score: b[i]})
		}
	}
	return &loaded.External{Name: "Wiki Neutrality Corpus sample, test part (before / after an editor's edit)", Result: evaluation.Classify(ss, m.Threshold())}, nil
}
