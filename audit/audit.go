// Package audit compares how loaded the wording of a language model's
// answers is from one group to another: answers to the same questions about
// different parties, religions, origins, genders... (see package probe).
// It reads answers one at a time and keeps bounded state, so that a million
// answers need no more memory than a thousand.
package audit

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"vigie"
	"vigie/evaluation"
)

// Answer is one model's answer to one prompt.
type Answer struct {
	Model    string `json:"model"`
	PromptID string `json:"prompt_id"`
	Template string `json:"template"`
	Axis     string `json:"axis"`
	Group    string `json:"group"`
	Lang     string `json:"lang"`
	Text     string `json:"text"`
}

// Options tune an audit.
type Options struct {
	// Check holds the checks' options (families, severity...); Lang comes
	// from each answer. With Check.Sentences set, the audit also compares
	// the share of sentences the model marks (GroupResult.Model).
	Check     vigie.Options
	Seed      uint64 // of the bootstrap and of the reservoirs
	Resamples int    // bootstrap resamples; 0 means 1,000
	// Reservoir is how many answers per group the bootstrap draws from (a
	// uniform sample of them when there are more); 0 means 5,000. Above it,
	// the intervals are wider than they need be: conservative.
	Reservoir int
}

// obs is what the bootstrap needs of one answer.
type obs struct{ words, findings, sentences, marked int32 }

type tally struct {
	Answers, Words, Findings int
	Sentences, Marked        int // sentences, and those the sentence model marked
	byFamily                 map[string]int
	byRule                   map[string]int
}

func newTally() *tally { return &tally{byFamily: map[string]int{}, byRule: map[string]int{}} }

func (t *tally) add(words int, rep *vigie.Report) {
	t.Answers++
	t.Words += words
	t.Findings += len(rep.Findings)
	t.Sentences += rep.Stats.Sentences
	t.Marked += len(rep.Sentences)
	for _, f := range rep.Findings {
		t.byFamily[f.Family]++
		t.byRule[f.Rule]++
	}
}

// cell is one group of one axis for one model.
type cell struct {
	tally
	templates map[string]*tally
	seen      int                // answers offered to the reservoir
	sample    []obs              // reservoir of answers for the bootstrap
	example   map[string]*Answer // per template, the answer with the most findings per word
	exRate    map[string]float64
}

type cellKey struct{ model, axis, group string }

// Auditor accumulates answers; it is not safe for concurrent use.
type Auditor struct {
	rs    *vigie.Ruleset
	opts  Options
	rng   *rand.Rand
	cells map[cellKey]*cell
	langs map[cellKey]string
}

// New returns an Auditor that checks answers with rs.
func New(rs *vigie.Ruleset, opts Options) *Auditor {
	if opts.Resamples <= 0 {
		opts.Resamples = 1000
	}
	if opts.Reservoir <= 0 {
		opts.Reservoir = 5000
	}
	return &Auditor{rs: rs, opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), cells: map[cellKey]*cell{}, langs: map[cellKey]string{}}
}

// Add checks one answer and counts it. An answer without model, axis,
// group, template or text, or that the engine refuses, is an error and is
// not counted.
func (a *Auditor) Add(ans Answer) error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"model", ans.Model}, {"axis", ans.Axis}, {"group", ans.Group}, {"template", ans.Template}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s (give them, or a prompt_id found in --prompts)", strings.Join(missing, ", "))
	}
	o := a.opts.Check
	o.Lang = ans.Lang
	rep, err := a.rs.Check(ans.Text, o)
	if err != nil {
		return err
	}
	k := cellKey{ans.Model, ans.Axis, ans.Group}
	c := a.cells[k]
	if c == nil {
		c = &cell{tally: *newTally(), templates: map[string]*tally{}, example: map[string]*Answer{}, exRate: map[string]float64{}}
		a.cells[k] = c
		a.langs[k] = rep.Lang
	}
	words := rep.Stats.Words
	c.add(words, rep)
	t := c.templates[ans.Template]
	if t == nil {
		t = newTally()
		c.templates[ans.Template] = t
	}
	t.add(words, rep)
	// Reservoir sampling keeps a uniform sample of bounded size.
	c.seen++
	o2 := obs{int32(words), int32(len(rep.Findings)), int32(rep.Stats.Sentences), int32(len(rep.Sentences))}
	if len(c.sample) < a.opts.Reservoir {
		c.sample = append(c.sample, o2)
	} else if j := a.rng.IntN(c.seen); j < a.opts.Reservoir {
		c.sample[j] = o2
	}
	if r := rate(len(rep.Findings), words); c.example[ans.Template] == nil || r > c.exRate[ans.Template] {
		cp := ans
		c.example[ans.Template], c.exRate[ans.Template] = &cp, r
	}
	return nil
}

func rate(findings, words int) float64 {
	if words == 0 {
		return 0
	}
	return float64(findings) * 1000 / float64(words)
}

// Result is an audit's figures.
type Result struct {
	Answers int `json:"answers"`
	// Skipped counts the answers that could not be read or checked, and
	// Problems names the first of them, each with its file and line.
	Skipped   int      `json:"skipped"`
	Problems  []string `json:"problems,omitempty"`
	Resamples int      `json:"resamples"`
	// SentenceModel names the sentence model that scored the answers, if any.
	SentenceModel string        `json:"sentence_model,omitempty"`
	Models        []ModelResult `json:"models"`
}

// ModelResult holds one model's axes.
type ModelResult struct {
	Model string       `json:"model"`
	Axes  []AxisResult `json:"axes"`
}

// AxisResult compares the groups of one axis for one model.
type AxisResult struct {
	Axis   string        `json:"axis"`
	Lang   string        `json:"lang"`
	Groups []GroupResult `json:"groups"`
	// Spread is the highest group rate minus the lowest, per 1,000 words.
	Spread float64 `json:"spread"`
	// Focus is the group whose gap to the others is the largest; the
	// templates, rules and example pairs below explain its gap.
	Focus     string        `json:"focus"`
	Templates []TemplateGap `json:"templates"`
	Rules     []RuleGap     `json:"rules"`
	Pairs     []Pair        `json:"pairs"`
}

// GroupResult is one group's findings, and how far it stands from the
// other groups of its axis.
type GroupResult struct {
	Group    string              `json:"group"`
	Answers  int                 `json:"answers"`
	Words    int                 `json:"words"`
	Findings int                 `json:"findings"`
	Per1000  float64             `json:"per_1000_words"`
	CI       evaluation.Interval `json:"ci"`
	ByFamily map[string]float64  `json:"by_family_per_1000_words"`
	// Gap is this group's rate minus the rate of the other groups pooled,
	// with a bootstrap interval widened for the number of groups compared
	// (Bonferroni); Significant when that interval excludes zero and the
	// group and the others each have at least MinAnswers answers.
	Gap         float64             `json:"gap"`
	GapCI       evaluation.Interval `json:"gap_ci"`
	Significant bool                `json:"significant"`
	// Model is the share of the group's sentences that the sentence model
	// marks, when the audit used one, compared in the same way.
	Model *ModelShare `json:"sentence_model,omitempty"`
}

// ModelShare is the share of a group's sentences that the sentence model
// marks as loaded (Wilson interval), and its gap to the other groups pooled
// in percentage points, with a bootstrap interval over answers (Bonferroni).
type ModelShare struct {
	Sentences   int                 `json:"sentences"`
	Marked      int                 `json:"marked"`
	Share       evaluation.Share    `json:"share"`
	Gap         float64             `json:"gap_points"`
	GapCI       evaluation.Interval `json:"gap_ci"`
	Significant bool                `json:"significant"`
}

// TemplateGap is how one template contributes to the focus group's gap.
type TemplateGap struct {
	Template string  `json:"template"`
	Group    float64 `json:"group_per_1000_words"`
	Others   float64 `json:"others_per_1000_words"`
}

// RuleGap is how one rule contributes to the focus group's gap.
type RuleGap struct {
	Rule   string  `json:"rule"`
	Group  float64 `json:"group_per_1000_words"`
	Others float64 `json:"others_per_1000_words"`
}

// Pair is two answers to the same template about two groups, side by side.
type Pair struct {
	Template string            `json:"template"`
	Answers  []AnswerWithMarks `json:"answers"`
}

// AnswerWithMarks is an answer and its findings.
type AnswerWithMarks struct {
	Group    string          `json:"group"`
	PromptID string          `json:"prompt_id,omitempty"`
	Text     string          `json:"text"`
	Findings []vigie.Finding `json:"findings"`
}

// Result computes the figures of the answers added so far.
func (a *Auditor) Result() (*Result, error) {
	res := &Result{Resamples: a.opts.Resamples}
	if a.opts.Check.Sentences != nil {
		res.SentenceModel = a.opts.Check.Sentences.Name()
	}
	byModel := map[string]map[string][]cellKey{}
	for k, c := range a.cells {
		res.Answers += c.Answers
		if byModel[k.model] == nil {
			byModel[k.model] = map[string][]cellKey{}
		}
		byModel[k.model][k.axis] = append(byModel[k.model][k.axis], k)
	}
	for _, model := range slices.Sorted(maps.Keys(byModel)) {
		mr := ModelResult{Model: model}
		for _, axis := range slices.Sorted(maps.Keys(byModel[model])) {
			keys := byModel[model][axis]
			sort.Slice(keys, func(i, j int) bool { return keys[i].group < keys[j].group })
			ar, err := a.axis(keys)
			if err != nil {
				return nil, err
			}
			mr.Axes = append(mr.Axes, ar)
		}
		res.Models = append(res.Models, mr)
	}
	return res, nil
}

func (a *Auditor) axis(keys []cellKey) (AxisResult, error) {
	ar := AxisResult{Axis: keys[0].axis, Lang: a.langs[keys[0]]}
	cells := make([]*cell, len(keys))
	for i, k := range keys {
		cells[i] = a.cells[k]
	}
	gaps := a.bootstrap(cells, func(o obs) (float64, float64) { return float64(o.findings) * 1000, float64(o.words) })
	var modelGaps []evaluation.Interval
	if a.opts.Check.Sentences != nil {
		modelGaps = a.bootstrap(cells, func(o obs) (float64, float64) { return float64(o.marked) * 100, float64(o.sentences) })
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	best := -1
	for i, c := range cells {
		g := GroupResult{Group: keys[i].group, Answers: c.Answers, Words: c.Words, Findings: c.Findings, Per1000: rate(c.Findings, c.Words), ByFamily: map[string]float64{}}
		ci := evaluation.Poisson(c.Findings)
		g.CI = evaluation.Interval{Lo: ci.Lo * 1000 / float64(max(c.Words, 1)), Hi: ci.Hi * 1000 / float64(max(c.Words, 1))}
		for f, n := range c.byFamily {
			g.ByFamily[f] = rate(n, c.Words)
		}
		var restF, restW int
		for j, o := range cells {
			if j != i {
				restF += o.Findings
				restW += o.Words
			}
		}
		g.Gap = g.Per1000 - rate(restF, restW)
		g.GapCI = gaps[i]
		enough := len(cells) > 1 && c.Answers >= MinAnswers && a.answersBut(cells, i) >= MinAnswers
		g.Significant = enough && (g.GapCI.Lo > 0 || g.GapCI.Hi < 0)
		if modelGaps != nil {
			var restM, restS int
			for j, o := range cells {
				if j != i {
					restM += o.Marked
					restS += o.Sentences
				}
			}
			m := &ModelShare{Sentences: c.Sentences, Marked: c.Marked, Share: evaluation.NewShare(c.Marked, c.Sentences), GapCI: modelGaps[i]}
			if restS > 0 {
				m.Gap = 100 * (m.Share.Value - float64(restM)/float64(restS))
			}
			m.Significant = enough && (m.GapCI.Lo > 0 || m.GapCI.Hi < 0)
			g.Model = m
		}
		lo, hi = math.Min(lo, g.Per1000), math.Max(hi, g.Per1000)
		// The largest gap; between equal ones (two groups always tie), the
		// most loaded group.
		if best < 0 || math.Abs(g.Gap) > math.Abs(ar.Groups[best].Gap)+1e-9 ||
			math.Abs(math.Abs(g.Gap)-math.Abs(ar.Groups[best].Gap)) <= 1e-9 && g.Per1000 > ar.Groups[best].Per1000 {
			best = i
		}
		ar.Groups = append(ar.Groups, g)
	}
	ar.Spread = hi - lo
	if best < 0 || len(cells) < 2 || ar.Spread == 0 {
		return ar, nil // no gap to explain
	}
	ar.Focus = keys[best].group
	focus := cells[best]
	others := func(get func(*cell) (int, int)) float64 {
		var f, w int
		for j, o := range cells {
			if j != best {
				df, dw := get(o)
				f, w = f+df, w+dw
			}
		}
		return rate(f, w)
	}
	for _, t := range slices.Sorted(maps.Keys(focus.templates)) {
		ft := focus.templates[t]
		ar.Templates = append(ar.Templates, TemplateGap{Template: t, Group: rate(ft.Findings, ft.Words),
			Others: others(func(o *cell) (int, int) {
				if ot := o.templates[t]; ot != nil {
					return ot.Findings, ot.Words
				}
				return 0, 0
			})})
	}
	sort.SliceStable(ar.Templates, func(i, j int) bool {
		return math.Abs(ar.Templates[i].Group-ar.Templates[i].Others) > math.Abs(ar.Templates[j].Group-ar.Templates[j].Others)
	})
	rules := map[string]bool{}
	for _, c := range cells {
		for r := range c.byRule {
			rules[r] = true
		}
	}
	for _, r := range slices.Sorted(maps.Keys(rules)) {
		ar.Rules = append(ar.Rules, RuleGap{Rule: r, Group: rate(focus.byRule[r], focus.Words),
			Others: others(func(o *cell) (int, int) { return o.byRule[r], o.Words })})
	}
	sort.SliceStable(ar.Rules, func(i, j int) bool {
		return math.Abs(ar.Rules[i].Group-ar.Rules[i].Others) > math.Abs(ar.Rules[j].Group-ar.Rules[j].Others)
	})
	ar.Rules = ar.Rules[:min(10, len(ar.Rules))]
	// Side by side: for the templates that drive the gap most, the focus
	// group's most loaded answer beside the answer about the group that
	// stands furthest from it on the same template.
	for _, tg := range ar.Templates[:min(3, len(ar.Templates))] {
		fa := focus.example[tg.Template]
		var other *Answer
		far := -1.0
		for j, o := range cells {
			if j == best || o.example[tg.Template] == nil {
				continue
			}
			ot := o.templates[tg.Template]
			if d := math.Abs(rate(ot.Findings, ot.Words) - tg.Group); d > far {
				far, other = d, o.example[tg.Template]
			}
		}
		if fa == nil || other == nil {
			continue
		}
		p := Pair{Template: tg.Template}
		for _, ans := range []*Answer{fa, other} {
			o := a.opts.Check
			o.Lang = ans.Lang
			rep, err := a.rs.Check(ans.Text, o)
			if err != nil {
				return ar, err
			}
			p.Answers = append(p.Answers, AnswerWithMarks{Group: ans.Group, PromptID: ans.PromptID, Text: ans.Text, Findings: rep.Findings})
		}
		ar.Pairs = append(ar.Pairs, p)
	}
	return ar, nil
}

// MinAnswers is how many answers a group, and the other groups together,
// need before a gap may be called significant: with fewer, answers written
// alike make the bootstrap interval too narrow to mean anything.
const MinAnswers = 10

func (a *Auditor) answersBut(cells []*cell, i int) int {
	n := 0
	for j, c := range cells {
		if j != i {
			n += c.Answers
		}
	}
	return n
}

// bootstrap returns, for each group, the interval of its gap to the other
// groups pooled, for the ratio of the sums of stat's two values (findings
// per 1,000 words, or the percentage of sentences marked): answers are
// resampled within each group, and the interval is widened for the number
// of groups compared (Bonferroni).
func (a *Auditor) bootstrap(cells []*cell, stat func(obs) (num, den float64)) []evaluation.Interval {
	k := len(cells)
	out := make([]evaluation.Interval, k)
	if k < 2 {
		return out
	}
	B := a.opts.Resamples
	gaps := make([][]float64, k)
	f, w := make([]float64, k), make([]float64, k)
	for b := 0; b < B; b++ {
		var totF, totW float64
		for i, c := range cells {
			// Resample as many answers as the group has, from its reservoir,
			// and scale the sums back to the group's size.
			var sf, sw float64
			n := len(c.sample)
			for range n {
				num, den := stat(c.sample[a.rng.IntN(n)])
				sf += num
				sw += den
			}
			scale := float64(c.Answers) / float64(max(n, 1))
			f[i], w[i] = sf*scale, sw*scale
			totF += f[i]
			totW += w[i]
		}
		for i := range cells {
			r := 0.0
			if w[i] > 0 {
				r = f[i] / w[i]
			}
			rest := 0.0
			if totW-w[i] > 0 {
				rest = (totF - f[i]) / (totW - w[i])
			}
			gaps[i] = append(gaps[i], r-rest)
		}
	}
	alpha := 0.05 / float64(k)
	for i := range cells {
		sort.Float64s(gaps[i])
		out[i] = evaluation.Interval{Lo: quantile(gaps[i], alpha/2), Hi: quantile(gaps[i], 1-alpha/2)}
	}
	return out
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(i)
	return sorted[i]*(1-frac) + sorted[i+1]*frac
}
