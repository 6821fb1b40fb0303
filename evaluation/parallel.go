package evaluation

import (
	"fmt"
	"strings"

	"vigie"
	"vigie/models/pairs"
	"vigie/text"
)

// ParallelResult is how the rules do on one language of Vigie's parallel
// corpus (models/pairs): loaded sentences should be flagged, their neutral
// rewrites not.
type ParallelResult struct {
	Lang string `json:"lang"`
	// PreFlagged is the share of loaded sentences flagged, PostFlagged of
	// neutral rewrites; Detected the share where a finding covers a word the
	// rewrite changed.
	PairsResult
	ByFamily []GroupFlagged `json:"by_family"`
	// ByLean compares loaded wording from the left and from the right: a
	// balanced checker flags both as often.
	ByLean []GroupFlagged `json:"by_lean"`
	// SuggestionUsed: of the findings on loaded sentences that offer
	// suggestions, where the rewrite no longer has the flagged words, the
	// share where the rewrite uses one of the suggestions: how often the
	// rules propose what an independent rewrite chose.
	SuggestionUsed Share `json:"suggestion_used"`
}

// GroupFlagged is the share of loaded and of neutral sentences flagged in
// one group of pairs.
type GroupFlagged struct {
	Name    string `json:"name"`
	Loaded  Share  `json:"loaded_flagged"`
	Neutral Share  `json:"neutral_flagged"`
}

// Parallel checks both sides of the pairs of one language.
func Parallel(rs *vigie.Ruleset, ps []pairs.Pair, lang string, opts vigie.Options) (ParallelResult, error) {
	opts.Lang = lang
	res := ParallelResult{Lang: lang}
	var edits []Pair
	var pre, post [][]Hit
	type counts struct{ n, loaded, neutral int }
	byFamily, byLean := map[string]*counts{}, map[string]*counts{}
	var used, offered int
	for _, p := range ps {
		if p.Lang != lang {
			continue
		}
		a, err := rs.Check(p.Loaded, opts)
		if err != nil {
			return res, fmt.Errorf("%s (loaded): %w", p.ID, err)
		}
		b, err := rs.Check(p.Neutral, opts)
		if err != nil {
			return res, fmt.Errorf("%s (neutral): %w", p.ID, err)
		}
		edits = append(edits, Pair{Pre: p.Loaded, Post: p.Neutral})
		pre, post = append(pre, toHits(a)), append(post, toHits(b))
		for _, g := range []struct {
			m   map[string]*counts
			key string
		}{{byFamily, p.Family}, {byLean, p.Lean}} {
			c := g.m[g.key]
			if c == nil {
				c = &counts{}
				g.m[g.key] = c
			}
			c.n++
			if len(a.Findings) > 0 {
				c.loaded++
			}
			if len(b.Findings) > 0 {
				c.neutral++
			}
		}
		rewrite := text.Fold(p.Neutral, text.FoldAll)
		for _, f := range a.Findings {
			if len(f.Suggestions) == 0 || strings.Contains(rewrite, text.Fold(f.Text, text.FoldAll)) {
				continue
			}
			offered++
			for _, s := range f.Suggestions {
				if strings.Contains(rewrite, text.Fold(s, text.FoldAll)) {
					used++
					break
				}
			}
		}
	}
	res.PairsResult = ScorePairs(edits, pre, post)
	res.SuggestionUsed = NewShare(used, offered)
	group := func(names []string, m map[string]*counts) []GroupFlagged {
		var out []GroupFlagged
		for _, n := range names {
			if c := m[n]; c != nil {
				out = append(out, GroupFlagged{Name: n, Loaded: NewShare(c.loaded, c.n), Neutral: NewShare(c.neutral, c.n)})
			}
		}
		return out
	}
	res.ByFamily = group(pairs.Families, byFamily)
	res.ByLean = group(pairs.Leans, byLean)
	return res, nil
}

func toHits(rep *vigie.Report) []Hit {
	out := make([]Hit, len(rep.Findings))
	for i, f := range rep.Findings {
		out[i] = Hit{f.Start, f.End, f.Rule}
	}
	return out
}
