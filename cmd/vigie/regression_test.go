package main

import (
	"os"
	"strings"
	"testing"

	"vigie"
	"vigie/evaluation"
	vigiepairs "vigie/models/pairs"
	"vigie/rulepack"
)

// Margins by which the fast suites may fall behind the published figures
// (eval/results.json) before the build fails. After a deliberate change,
// `make eval` publishes new figures.
const (
	rateMargin      = 0.3  // findings per 1,000 words, on each neutral corpus
	shareMargin     = 0.02 // WNC: edited words found, neutral edits flagged
	precisionMargin = 0.03 // hand-judged precision on the repository's corpora
)

func TestNoRegressionAgainstPublishedFigures(t *testing.T) {
	t.Chdir("../..")
	data, err := os.ReadFile("eval/results.json")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := evaluation.ReadResults(data)
	if err != nil {
		t.Fatalf("eval/results.json: %v", err)
	}
	if pub.MinSeverity != vigie.DefaultMinSeverity.String() {
		t.Fatalf("published figures count findings from %s, not from the default %s", pub.MinSeverity, vigie.DefaultMinSeverity)
	}
	rs, err := vigie.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range pub.Rates {
		if !strings.HasPrefix(c.File, "testdata/") {
			continue // python3-pattern's corpora: make eval only
		}
		text, err := os.ReadFile(c.File)
		if err != nil {
			t.Fatal(err)
		}
		r, err := evaluation.FindingRate(rs, string(text), vigie.Options{Lang: c.Lang})
		if err != nil {
			t.Fatal(err)
		}
		if r.Per1000 > c.Per1000+rateMargin {
			t.Errorf("%s: %.2f findings per 1,000 words, published %.2f (margin %.1f); top rules %v", c.File, r.Per1000, c.Per1000, rateMargin, r.ByRule[:min(5, len(r.ByRule))])
		}
	}

	var pairs []evaluation.Pair
	for _, split := range wncSplits {
		pre, err := os.ReadFile(strings.Replace(split, "%s", "pre", 1))
		if err != nil {
			t.Fatal(err)
		}
		post, err := os.ReadFile(strings.Replace(split, "%s", "post", 1))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := evaluation.ReadPairs(pre, post)
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, ps...)
	}
	// The parallel corpus: loaded sentences must stay flagged and neutral
	// rewrites unflagged, in each language, within the same margin.
	corpus, err := vigiepairs.Load(os.DirFS("models/pairs"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Parallel) != 2 {
		t.Fatalf("eval/results.json has %d languages of parallel-corpus figures, want 2", len(pub.Parallel))
	}
	for _, p := range pub.Parallel {
		got, err := evaluation.Parallel(rs, corpus, p.Lang, vigie.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Pairs != p.Pairs {
			t.Errorf("parallel corpus (%s): %d pairs, published figures are for %d: run make eval", p.Lang, got.Pairs, p.Pairs)
		}
		if got.PreFlagged.Value < p.PreFlagged.Value-shareMargin {
			t.Errorf("parallel corpus (%s): loaded sentences flagged %s, published %s", p.Lang, got.PreFlagged, p.PreFlagged)
		}
		if got.PostFlagged.Value > p.PostFlagged.Value+shareMargin {
			t.Errorf("parallel corpus (%s): neutral rewrites flagged %s, published %s; rules %v", p.Lang, got.PostFlagged, p.PostFlagged, got.PostBy[:min(5, len(got.PostBy))])
		}
	}

	w, err := evaluation.Pairs(rs, pairs, vigie.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if pub.WNC == nil {
		t.Fatal("eval/results.json has no WNC figures")
	}
	if w.Detected.Value < pub.WNC.Detected.Value-shareMargin {
		t.Errorf("WNC: edited word found %s, published %s (margin %.0f points)", w.Detected, pub.WNC.Detected, 100*shareMargin)
	}
	if w.PostFlagged.Value > pub.WNC.PostFlagged.Value+shareMargin {
		t.Errorf("WNC: neutral edits flagged %s, published %s (margin %.0f points); rules %v", w.PostFlagged, pub.WNC.PostFlagged, 100*shareMargin, w.PostBy[:min(5, len(w.PostBy))])
	}

	judged, err := readJudgements(judgementsFile)
	if err != nil {
		t.Fatal(err)
	}
	if pub.PrecisionRepo == nil || len(judged) == 0 {
		t.Log("no published precision to compare with")
		return
	}
	docs, err := evalDocs("", os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	all, err := evaluation.Findings(rs, docs, vigie.Options{MinSeverity: rulepack.Info})
	if err != nil {
		t.Fatal(err)
	}
	p := evaluation.Precision(all, repoJudgements(judged))
	if p.Overall.Value < pub.PrecisionRepo.Overall.Value-precisionMargin {
		t.Errorf("precision on the judged findings %s, published %s (margin %.0f points)", p.Overall, pub.PrecisionRepo.Overall, 100*precisionMargin)
	}
	// A judged finding that was right and that the rules no longer make is
	// recall lost: allow as many as the margin allows in precision.
	lost := 0
	live := map[string]bool{}
	for _, s := range all {
		live[s.ID+" "+s.Rule] = true
	}
	for _, j := range repoJudgements(judged) {
		if j.Verdict == evaluation.Correct && !live[j.ID+" "+j.Rule] {
			lost++
		}
	}
	if max := int(precisionMargin * float64(pub.PrecisionRepo.Judged)); lost > max {
		t.Errorf("%d findings judged correct are no longer made (at most %d allowed)", lost, max)
	}
}
