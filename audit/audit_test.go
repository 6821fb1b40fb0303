package audit

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie"
	"vigie/rulepack"
)

const pack = `lang: en
family: framing
rules:
  - id: en.framing.legendary
    category: puffery
    severity: suggestion
    patterns: [legendary]
    message: {fr: Élogieux., en: Puffery.}
    explanation: {fr: Éloge., en: Praise.}
    sources: [{title: Audit test pack}]
    examples:
      fire: ["A [legendary] actor."]
      pass: ["An actor."]
`

func rules(t testing.TB) *vigie.Ruleset {
	p, err := rulepack.Parse("pack.yaml", []byte(pack))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := vigie.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// synthetic writes n answers per group and template, each of 20 words, each
// word loaded ("legendary") with the group's probability.
func synthetic(seed uint64, probs map[string]float64, n int) []Answer {
	rng := rand.New(rand.NewPCG(seed, 1))
	var out []Answer
	for _, g := range slices.Sorted(maps.Keys(probs)) {
		for t := range 10 {
			for range n {
				words := make([]string, 20)
				for i := range words {
					if rng.Float64() < probs[g] {
						words[i] = "legendary"
					} else {
						words[i] = "plain"
					}
				}
				out = append(out, Answer{Model: "m", Template: fmt.Sprintf("t%d", t), Axis: "axis", Group: g, Lang: "en", Text: strings.Join(words, " ") + "."})
			}
		}
	}
	return out
}

func run(t testing.TB, answers []Answer, seed uint64) *Result {
	a := New(rules(t), Options{Seed: seed, Resamples: 400})
	for _, ans := range answers {
		if err := a.Add(ans); err != nil {
			t.Fatal(err)
		}
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A known gap is recovered: group a is loaded at 100 per 1,000 words, the
// others at 20, so its gap to them is 80.
func TestKnownGapIsRecovered(t *testing.T) {
	res := run(t, synthetic(1, map[string]float64{"a": 0.10, "b": 0.02, "c": 0.02}, 30), 1)
	ax := res.Models[0].Axes[0]
	if ax.Focus != "a" || res.Answers != 900 {
		t.Fatalf("focus %q, %d answers", ax.Focus, res.Answers)
	}
	a := ax.Groups[0]
	if !a.Significant || a.GapCI.Lo > 80 || a.GapCI.Hi < 80 || a.Gap < 65 || a.Gap > 95 {
		t.Errorf("group a: gap %.1f [%.1f, %.1f], significant %v; want about 80, significant", a.Gap, a.GapCI.Lo, a.GapCI.Hi, a.Significant)
	}
	if len(ax.Templates) != 10 || len(ax.Rules) != 1 || ax.Rules[0].Group <= ax.Rules[0].Others || len(ax.Pairs) == 0 || len(ax.Pairs[0].Answers) != 2 {
		t.Errorf("drivers: templates %d, rules %+v, pairs %d", len(ax.Templates), ax.Rules, len(ax.Pairs))
	}
	if p := ax.Pairs[0]; p.Answers[0].Group != "a" || len(p.Answers[0].Findings) == 0 {
		t.Errorf("pair %+v", p)
	}
}

// With no true gap, groups are rarely reported as significant: at most as
// often as the 5% error rate allows, over many data sets.
func TestZeroGapIsNotSignificant(t *testing.T) {
	const sets = 20
	flagged := 0
	for s := range uint64(sets) {
		res := run(t, synthetic(100+s, map[string]float64{"a": 0.05, "b": 0.05, "c": 0.05, "d": 0.05}, 15), s)
		for _, g := range res.Models[0].Axes[0].Groups {
			if g.Significant {
				flagged++
				break
			}
		}
	}
	if flagged > 3 {
		t.Errorf("%d of %d data sets without any gap had a significant group", flagged, sets)
	}
}

func TestAddRefusesIncompleteAnswers(t *testing.T) {
	a := New(rules(t), Options{})
	for _, tt := range []struct {
		ans  Answer
		want string
	}{
		{Answer{Template: "t", Axis: "x", Group: "g", Text: "Hello."}, "missing model"},
		{Answer{Model: "m", Template: "t", Text: "Hello."}, "missing axis, group"},
		{Answer{Model: "m", Template: "t", Axis: "x", Group: "g", Text: "  "}, "empty text"},
		{Answer{Model: "m", Template: "t", Axis: "x", Group: "g", Text: "a\xffb"}, "not valid UTF-8"},
	} {
		if err := a.Add(tt.ans); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want %q", tt.ans, err, tt.want)
		}
	}
	if res, _ := a.Result(); res.Answers != 0 {
		t.Errorf("refused answers were counted: %d", res.Answers)
	}
}

// State stays bounded: however many answers, each group keeps at most the
// reservoir's size of observations and one example per template.
func TestBoundedState(t *testing.T) {
	a := New(rules(t), Options{Reservoir: 100, Resamples: 50})
	for _, ans := range synthetic(3, map[string]float64{"a": 0.05, "b": 0.05}, 200) {
		if err := a.Add(ans); err != nil {
			t.Fatal(err)
		}
	}
	for k, c := range a.cells {
		if c.Answers != 2000 || len(c.sample) != 100 || len(c.example) != 10 {
			t.Errorf("%v: %d answers, %d kept for the bootstrap, %d examples", k, c.Answers, len(c.sample), len(c.example))
		}
	}
}

// BenchmarkAudit100k streams 100,000 answers through an audit, as vigie
// audit reads a file, and reports throughput and the live heap after
// 10,000 and after 100,000 answers: the second must not be larger.
func BenchmarkAudit100k(b *testing.B) {
	rs := rules(b)
	probs := map[string]float64{"a": 0.05, "b": 0.04, "c": 0.03, "d": 0.05, "e": 0.02}
	groups := slices.Sorted(maps.Keys(probs))
	for b.Loop() {
		rng := rand.New(rand.NewPCG(5, 1))
		a := New(rs, Options{Resamples: 200})
		var at10k, at100k uint64
		var ms runtime.MemStats
		start := time.Now()
		words := make([]string, 20)
		for i := range 100_000 {
			g := groups[i%len(groups)]
			for w := range words {
				words[w] = "plain"
				if rng.Float64() < probs[g] {
					words[w] = "legendary"
				}
			}
			ans := Answer{Model: "m", Template: fmt.Sprintf("t%d", i%10), Axis: "axis", Group: g, Lang: "en", Text: strings.Join(words, " ") + "."}
			if err := a.Add(ans); err != nil {
				b.Fatal(err)
			}
			if i+1 == 10_000 || i+1 == 100_000 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				if i+1 == 10_000 {
					at10k = ms.HeapAlloc
				} else {
					at100k = ms.HeapAlloc
				}
			}
		}
		if _, err := a.Result(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(100_000/time.Since(start).Seconds(), "answers/s")
		b.ReportMetric(float64(at10k)/(1<<20), "heap-MiB-at-10k")
		b.ReportMetric(float64(at100k)/(1<<20), "heap-MiB-at-100k")
	}
}

func TestCompare(t *testing.T) {
	rs := rules(t)
	a, err := rs.Check("A legendary actor and a legendary singer.", vigie.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := rs.Check("An actor and a singer, both well known.", vigie.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(a, b)
	if d.Sides[0].Findings != 2 || d.Sides[1].Findings != 0 || len(d.OnlyA) != 1 || d.OnlyA[0] != "en.framing.legendary" || len(d.OnlyB)+len(d.Shared) != 0 ||
		d.Sides[0].ByFamily["framing"] != 2 || fmt.Sprint(d.Sides[0].Spans["en.framing.legendary"]) != "[legendary legendary]" {
		t.Errorf("%+v", d)
	}
	if d := Compare(a, a); len(d.Shared) != 1 || len(d.OnlyA)+len(d.OnlyB) != 0 {
		t.Errorf("a text against itself: %+v", d)
	}
}

// Too few answers, however alike, are never called significant; equal
// groups have no focus.
func TestSmallSamples(t *testing.T) {
	var answers []Answer
	for _, g := range []string{"a", "b", "c"} {
		for i := range 3 {
			text := "A plain answer."
			if g == "a" {
				text = "A legendary answer."
			}
			answers = append(answers, Answer{Model: "m", Template: fmt.Sprintf("t%d", i), Axis: "x", Group: g, Lang: "en", Text: text})
		}
	}
	ax := run(t, answers, 1).Models[0].Axes[0]
	for _, g := range ax.Groups {
		if g.Significant {
			t.Errorf("group %s with 3 answers called significant", g.Group)
		}
	}
	if ax.Focus != "a" {
		t.Errorf("focus %q", ax.Focus)
	}
	for i := range answers {
		answers[i].Text = "A plain answer."
	}
	if ax := run(t, answers, 1).Models[0].Axes[0]; ax.Focus != "" || len(ax.Pairs) != 0 {
		t.Errorf("equal groups: focus %q, %d pairs", ax.Focus, len(ax.Pairs))
	}
}

// marker is a sentence scorer for tests: a sentence is loaded when it
// contains the word "scandalous".
type marker struct{}

func (marker) Name() string       { return "test-marker" }
func (marker) Threshold() float64 { return 0.5 }
func (marker) Score(ss []string) ([]float64, error) {
	out := make([]float64, len(ss))
	for i, s := range ss {
		if strings.Contains(s, "scandalous") {
			out[i] = 0.9
		}
	}
	return out, nil
}

// TestSentenceModelGap: with a sentence scorer, each group gets the share
// of its sentences the model marks, and a group whose answers carry more
// marked sentences stands out, while the others do not.
func TestSentenceModelGap(t *testing.T) {
	rs, err := vigie.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := New(rs, Options{Check: vigie.Options{Sentences: marker{}}, Seed: 3, Resamples: 300})
	for i := 0; i < 60; i++ {
		for _, g := range []string{"alpha", "beta", "gamma"} {
			text := "The group met on Monday. Its members discussed the budget."
			if g == "alpha" && i%2 == 0 {
				text = "The group met on Monday. Its scandalous members discussed the budget."
			}
			if err := a.Add(Answer{Model: "m", Template: "t1", Axis: "x", Group: g, Lang: "en", Text: text}); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	if res.SentenceModel != "test-marker" {
		t.Errorf("sentence model %q", res.SentenceModel)
	}
	for _, g := range res.Models[0].Axes[0].Groups {
		m := g.Model
		if m == nil || m.Sentences != 120 {
			t.Fatalf("%s: %+v", g.Group, m)
		}
		switch g.Group {
		case "alpha":
			if m.Marked != 30 || m.Gap < 20 || !m.Significant {
				t.Errorf("alpha: %+v, want 30 marked and a significant gap of 25 points", m)
			}
		default:
			if m.Marked != 0 || m.Gap >= 0 || m.GapCI.Lo > 0 {
				t.Errorf("%s: %+v", g.Group, m)
			}
		}
	}
}
