// Package evaluation measures a ruleset on corpora: how often it finds the
// wording an editor judged biased, and how often it cries wolf on neutral
// text. Every figure comes with its count and a 95% interval. The package
// does no I/O: the command line reads the corpora and writes the results.
package evaluation

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"

	"vigie"
)

// Interval is a 95% confidence interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// Share is K successes out of N trials, with a Wilson score interval.
type Share struct {
	K     int      `json:"k"`
	N     int      `json:"n"`
	Value float64  `json:"value"`
	CI    Interval `json:"ci"`
}

// NewShare returns k out of n with its interval.
func NewShare(k, n int) Share {
	s := Share{K: k, N: n, CI: Wilson(k, n)}
	if n > 0 {
		s.Value = float64(k) / float64(n)
	}
	return s
}

func (s Share) String() string {
	return fmt.Sprintf("%5.1f%% [%.1f, %.1f] (%d/%d)", 100*s.Value, 100*s.CI.Lo, 100*s.CI.Hi, s.K, s.N)
}

// RuleCount is how many findings one rule made.
type RuleCount struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// Rate is the rate of findings on a text, per 1,000 words.
type Rate struct {
	Words    int         `json:"words"`
	Findings int         `json:"findings"`
	Per1000  float64     `json:"per_1000_words"`
	CI       Interval    `json:"ci"` // exact Poisson interval, per 1,000 words
	ByRule   []RuleCount `json:"by_rule"`
}

// FindingRate checks text and returns its rate of findings. On neutral text
// every finding is a false alarm.
func FindingRate(rs *vigie.Ruleset, text string, opts vigie.Options) (Rate, error) {
	rep, err := rs.Check(text, opts)
	if err != nil {
		return Rate{}, err
	}
	hs := make([]Hit, len(rep.Findings))
	for i, f := range rep.Findings {
		hs[i] = Hit{f.Start, f.End, f.Rule}
	}
	return RateOf(hs, rep.Stats.Words), nil
}

// RateOf is the rate of hits in a text of that many words.
func RateOf(hs []Hit, words int) Rate {
	n := len(hs)
	ci := Poisson(n)
	per := func(k float64) float64 { return k * 1000 / float64(max(words, 1)) }
	counts := map[string]int{}
	for _, h := range hs {
		counts[h.Rule]++
	}
	return Rate{Words: words, Findings: n, Per1000: per(float64(n)), CI: Interval{per(ci.Lo), per(ci.Hi)}, ByRule: sortCounts(counts)}
}

// Pair is a sentence as written (Pre) and after an editor removed its bias
// (Post), as in the Wiki Neutrality Corpus.
type Pair struct{ Pre, Post string }

// ReadPairs pairs the lines of pre and post (the WNC sample's files), which
// must have as many.
func ReadPairs(pre, post []byte) ([]Pair, error) {
	lines := func(b []byte) []string {
		var out []string
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			out = append(out, sc.Text())
		}
		return out
	}
	a, b := lines(pre), lines(post)
	if len(a) != len(b) {
		return nil, fmt.Errorf("%d lines before the edit and %d after: they must pair up", len(a), len(b))
	}
	pairs := make([]Pair, len(a))
	for i := range a {
		pairs[i] = Pair{Pre: a[i], Post: b[i]}
	}
	return pairs, nil
}

// PairsResult says how the rules do on edited pairs.
type PairsResult struct {
	Pairs int `json:"pairs"`
	// Detected: of the pairs where the editor removed or replaced words, the
	// share where a finding on Pre covers one of them.
	Detected Share `json:"detected"`
	// PreFlagged and PostFlagged: the share of sentences with any finding,
	// before and after the edit. A good checker flags Pre and not Post.
	PreFlagged  Share `json:"pre_flagged"`
	PostFlagged Share `json:"post_flagged"`
	// DetectedBy counts the rules whose findings covered an edited word.
	DetectedBy []RuleCount `json:"detected_by"`
	// PostBy counts the rules that fired on the neutral Post sentences.
	PostBy []RuleCount `json:"post_by"`
}

// Hit is one finding, by the rules or by another tool: a byte span of a
// sentence and the rule that flagged it.
type Hit struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Rule  string `json:"rule"`
}

// Pairs checks both sides of each pair and scores the findings (see
// ScorePairs).
func Pairs(rs *vigie.Ruleset, pairs []Pair, opts vigie.Options) (PairsResult, error) {
	pre, post := make([][]Hit, len(pairs)), make([][]Hit, len(pairs))
	for i, p := range pairs {
		var err error
		if pre[i], err = hits(rs, p.Pre, opts); err != nil {
			return PairsResult{}, fmt.Errorf("pair %d (pre): %w", i+1, err)
		}
		if post[i], err = hits(rs, p.Post, opts); err != nil {
			return PairsResult{}, fmt.Errorf("pair %d (post): %w", i+1, err)
		}
	}
	return ScorePairs(pairs, pre, post), nil
}

func hits(rs *vigie.Ruleset, text string, opts vigie.Options) ([]Hit, error) {
	rep, err := rs.Check(text, opts)
	if err != nil {
		return nil, err
	}
	return toHits(rep), nil
}

// ScorePairs scores the findings on each side of each pair (pre[i] and
// post[i] for pairs[i]), whoever made them. The edited words are the words
// of Pre off a longest common subsequence with Post, both compared as
// space-separated words, as the corpus is tokenised.
func ScorePairs(pairs []Pair, pre, post [][]Hit) PairsResult {
	var edited, detected, preFlagged, postFlagged int
	by, postBy := map[string]int{}, map[string]int{}
	for i, p := range pairs {
		if len(pre[i]) > 0 {
			preFlagged++
		}
		if len(post[i]) > 0 {
			postFlagged++
			for _, h := range post[i] {
				postBy[h.Rule]++
			}
		}
		spans := removedWords(p.Pre, p.Post)
		if len(spans) == 0 {
			continue
		}
		edited++
		found := false
		for _, h := range pre[i] {
			for _, s := range spans {
				if h.Start < s[1] && s[0] < h.End {
					by[h.Rule]++
					found = true
					break
				}
			}
		}
		if found {
			detected++
		}
	}
	return PairsResult{
		Pairs:       len(pairs),
		Detected:    NewShare(detected, edited),
		PreFlagged:  NewShare(preFlagged, len(pairs)),
		PostFlagged: NewShare(postFlagged, len(pairs)),
		DetectedBy:  sortCounts(by),
		PostBy:      sortCounts(postBy),
	}
}

// removedWords returns the byte spans of the words of pre that are not in
// a longest common subsequence of the words of pre and post: the words the
// editor removed or replaced.
func removedWords(pre, post string) [][2]int {
	a, b := strings.Fields(pre), strings.Fields(post)
	// lcs[i][j] is the length of an LCS of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	// Walk an LCS: a word of pre off it was removed or replaced.
	starts := make([]int, len(a))
	pos := 0
	for i, w := range a {
		starts[i] = pos + strings.Index(pre[pos:], w)
		pos = starts[i] + len(w)
	}
	var spans [][2]int
	for i, j := 0, 0; i < len(a); {
		switch {
		case j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && lcs[i][j+1] > lcs[i+1][j]:
			j++ // a word the editor added
		default:
			if !isPunct(a[i]) {
				spans = append(spans, [2]int{starts[i], starts[i] + len(a[i])})
			}
			i++
		}
	}
	return spans
}

func isPunct(w string) bool {
	for _, r := range w {
		if !strings.ContainsRune(".,;:!?'\"()-–—[]", r) {
			return false
		}
	}
	return true
}

func sortCounts(m map[string]int) []RuleCount {
	out := make([]RuleCount, 0, len(m))
	for r, n := range m {
		out = append(out, RuleCount{r, n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Rule < out[j].Rule
	})
	return out
}

// Wilson is the Wilson score 95% interval for k successes in n trials.
func Wilson(k, n int) Interval {
	if n == 0 {
		return Interval{0, 1}
	}
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	return Interval{max(0, centre-half), min(1, centre+half)}
}

// Poisson is an exact 95% interval for a Poisson count n (Garwood), found
// by bisection on the Poisson distribution function.
func Poisson(n int) Interval {
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
	if n > 300 {
		// Far out, the bisection's sums underflow; the Wilson–Hilferty
		// approximation is accurate to well under 0.1% there.
		const z = 1.959963984540054
		a, b := float64(n), float64(n+1)
		return Interval{a * math.Pow(1-1/(9*a)-z/(3*math.Sqrt(a)), 3), b * math.Pow(1-1/(9*b)+z/(3*math.Sqrt(b)), 3)}
	}
	var iv Interval
	upper := float64(n) + 10*math.Sqrt(float64(n)+1) + 10
	if n > 0 {
		// The mean for which P(X >= n) = 0.025.
		iv.Lo = solve(func(mu float64) float64 { return 0.025 - (1 - cdf(n-1, mu)) }, 0, float64(n))
	}
	// The mean for which P(X <= n) = 0.025.
	iv.Hi = solve(func(mu float64) float64 { return cdf(n, mu) - 0.025 }, float64(n), upper)
	return iv
}

// Labelled is a sentence and whether an annotator marked it as biased (or,
// in CoNLL-2010, as uncertain).
type Labelled struct {
	Text   string
	Biased bool
}

// LabelledResult says how often the rules flag the biased sentences and the
// others.
type LabelledResult struct {
	Sentences int `json:"sentences"`
	// FlaggedBiased and FlaggedNeutral are the shares of each kind of
	// sentence with at least one finding.
	FlaggedBiased  Share       `json:"flagged_biased"`
	FlaggedNeutral Share       `json:"flagged_neutral"`
	BiasedBy       []RuleCount `json:"biased_by"`
	NeutralBy      []RuleCount `json:"neutral_by"`
}

// Sentences checks each labelled sentence.
func Sentences(rs *vigie.Ruleset, ss []Labelled, opts vigie.Options) (LabelledResult, error) {
	var biased, neutral, flaggedB, flaggedN int
	byB, byN := map[string]int{}, map[string]int{}
	for i, s := range ss {
		hs, err := hits(rs, s.Text, opts)
		if err != nil {
			return LabelledResult{}, fmt.Errorf("sentence %d: %w", i+1, err)
		}
		count, by := &neutral, byN
		flagged := &flaggedN
		if s.Biased {
			count, by, flagged = &biased, byB, &flaggedB
		}
		*count++
		if len(hs) > 0 {
			*flagged++
		}
		for _, h := range hs {
			by[h.Rule]++
		}
	}
	return LabelledResult{Sentences: len(ss), FlaggedBiased: NewShare(flaggedB, biased), FlaggedNeutral: NewShare(flaggedN, neutral),
		BiasedBy: sortCounts(byB), NeutralBy: sortCounts(byN)}, nil
}
