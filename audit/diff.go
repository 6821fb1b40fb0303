package audit

import (
	"sort"

	"vigie"
)

// Diff says what two texts (two answers to the same question, say) do not
// share in terms of findings.
type Diff struct {
	Sides  [2]Side  `json:"sides"`
	OnlyA  []string `json:"only_a"` // rules that fire on A and not on B
	OnlyB  []string `json:"only_b"`
	Shared []string `json:"shared"`
}

// Side sums up one text's findings.
type Side struct {
	Words    int            `json:"words"`
	Findings int            `json:"findings"`
	Per1000  float64        `json:"per_1000_words"`
	ByFamily map[string]int `json:"by_family"`
	// Spans lists, per rule, the words it flagged.
	Spans map[string][]string `json:"spans"`
}

// Compare compares the reports of two texts.
func Compare(a, b *vigie.Report) Diff {
	side := func(r *vigie.Report) Side {
		s := Side{Words: r.Stats.Words, Findings: len(r.Findings), Per1000: rate(len(r.Findings), r.Stats.Words), ByFamily: map[string]int{}, Spans: map[string][]string{}}
		for _, f := range r.Findings {
			s.ByFamily[f.Family]++
			s.Spans[f.Rule] = append(s.Spans[f.Rule], f.Text)
		}
		return s
	}
	d := Diff{Sides: [2]Side{side(a), side(b)}}
	for rule := range d.Sides[0].Spans {
		if _, ok := d.Sides[1].Spans[rule]; ok {
			d.Shared = append(d.Shared, rule)
		} else {
			d.OnlyA = append(d.OnlyA, rule)
		}
	}
	for rule := range d.Sides[1].Spans {
		if _, ok := d.Sides[0].Spans[rule]; !ok {
			d.OnlyB = append(d.OnlyB, rule)
		}
	}
	sort.Strings(d.OnlyA)
	sort.Strings(d.OnlyB)
	sort.Strings(d.Shared)
	return d
}
