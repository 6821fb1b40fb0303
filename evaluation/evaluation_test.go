package evaluation

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"vigie"
	"vigie/rulepack"
)

func TestPoisson(t *testing.T) {
	// Reference values of the exact (Garwood) 95% interval; above 300 the
	// approximation must stay within 0.1% of the exact chi-square values.
	for _, c := range []struct {
		n      int
		lo, hi float64
	}{{0, 0, 3.689}, {1, 0.0253, 5.572}, {10, 4.795, 18.39}, {400, 361.8, 441.2}, {1000, 938.9, 1063.6}} {
		iv := Poisson(c.n)
		if math.Abs(iv.Lo-c.lo) > 0.01+c.lo/1000 || math.Abs(iv.Hi-c.hi) > 0.01+c.hi/1000 {
			t.Errorf("n=%d: [%.4f, %.4f], want [%.4f, %.4f]", c.n, iv.Lo, iv.Hi, c.lo, c.hi)
		}
	}
}

func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{{0, 10, 0, 0.2775}, {5, 10, 0.2366, 0.7634}, {10, 10, 0.7225, 1}, {0, 0, 0, 1}} {
		iv := Wilson(c.k, c.n)
		if math.Abs(iv.Lo-c.lo) > 0.0005 || math.Abs(iv.Hi-c.hi) > 0.0005 {
			t.Errorf("%d/%d: [%.4f, %.4f], want [%.4f, %.4f]", c.k, c.n, iv.Lo, iv.Hi, c.lo, c.hi)
		}
	}
}

func TestRemovedWords(t *testing.T) {
	pre := "he is a critically acclaimed actor , and a writer ."
	post := "he is an actor and a writer ."
	var got []string
	for _, s := range removedWords(pre, post) {
		got = append(got, pre[s[0]:s[1]])
	}
	if want := "a critically acclaimed"; len(got) != 3 || got[0]+" "+got[1]+" "+got[2] != want {
		t.Errorf("removed %q, want the words of %q (punctuation ignored)", got, want)
	}
}

const pack = `lang: en
family: framing
rules:
  - id: en.framing.acclaimed
    category: puffery
    severity: suggestion
    patterns: [acclaimed, legendary]
    message: {fr: Élogieux., en: Puffery.}
    explanation: {fr: Éloge., en: Praise.}
    sources: [{title: Evaluation test pack}]
    examples:
      fire: ["A [legendary] actor."]
      pass: ["An actor."]
`

func TestPairs(t *testing.T) {
	p, err := rulepack.Parse("pack.yaml", []byte(pack))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := vigie.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	pairs := []Pair{
		{"he is an acclaimed actor .", "he is an actor ."},             // found
		{"a legendary and famous singer .", "a legendary singer ."},    // flagged, but not on the edited word
		{"she is a brilliant writer .", "she is a writer ."},           // missed
		{"a legendary band .", "a legendary band , founded in 1970 ."}, // nothing removed: not counted
	}
	res, err := Pairs(rs, pairs, vigie.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pairs != 4 || res.Detected.K != 1 || res.Detected.N != 3 || res.PreFlagged.K != 3 || res.PostFlagged.K != 2 {
		t.Errorf("result %+v", res)
	}
	if len(res.DetectedBy) != 1 || res.DetectedBy[0] != (RuleCount{"en.framing.acclaimed", 1}) || res.PostBy[0].Count != 2 {
		t.Errorf("by rule: %+v %+v", res.DetectedBy, res.PostBy)
	}
	if _, err := Pairs(rs, []Pair{{"", "x"}}, vigie.Options{Lang: "en"}); err == nil {
		t.Error("an empty sentence should be an error naming the pair")
	}
}

func TestFindingRate(t *testing.T) {
	p, _ := rulepack.Parse("pack.yaml", []byte(pack))
	rs, err := vigie.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	r, err := FindingRate(rs, "A legendary actor met a legendary singer and an acclaimed writer.", vigie.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Words != 11 || r.Findings != 3 || math.Abs(r.Per1000-3000.0/11) > 1e-9 || r.ByRule[0].Count != 3 || r.CI.Lo >= r.Per1000 || r.CI.Hi <= r.Per1000 {
		t.Errorf("rate %+v", r)
	}
}

func TestSentences(t *testing.T) {
	p, _ := rulepack.Parse("pack.yaml", []byte(pack))
	rs, err := vigie.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Sentences(rs, []Labelled{
		{"A legendary actor.", true}, {"An actor.", true}, {"An acclaimed actor.", false}, {"An actor.", false}, {"A singer.", false},
	}, vigie.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sentences != 5 || res.FlaggedBiased != NewShare(1, 2) || res.FlaggedNeutral != NewShare(1, 3) || res.BiasedBy[0].Count != 1 {
		t.Errorf("%+v", res)
	}
}

func TestStratifiedAndPrecision(t *testing.T) {
	var all []Sample
	for i := range 10 {
		all = append(all, Sample{ID: "c:0:" + string(rune('a'+i)), Rule: "en.framing.a", Severity: "suggestion"})
	}
	all = append(all, Sample{ID: "c:1:0", Rule: "fr.toxicity.b", Severity: "info"})
	judged := []Judgement{
		{ID: "c:0:a", Rule: "en.framing.a", Verdict: Correct, Reason: "r"},
		{ID: "c:0:b", Rule: "en.framing.a", Verdict: Wrong, Reason: "r"},
		{ID: "c:1:0", Rule: "fr.toxicity.b", Verdict: Correct, Reason: "r"},
		{ID: "c:9:9", Rule: "en.framing.a", Verdict: Correct, Reason: "no longer found"},
	}
	s1, s2 := Stratified(all, 3, 7, judged), Stratified(all, 3, 7, judged)
	if len(s1) != 3 || fmt.Sprint(s1) != fmt.Sprint(s2) {
		t.Errorf("draw %v, then %v", s1, s2)
	}
	for _, s := range s1 {
		if s.ID == "c:0:a" || s.ID == "c:0:b" || s.Rule != "en.framing.a" {
			t.Errorf("drew %v, judged already or of an exhausted rule", s)
		}
	}
	if other := Stratified(all, 3, 8, judged); fmt.Sprint(other) == fmt.Sprint(s1) {
		t.Log("another seed drew the same sample (possible, unlikely)")
	}
	p := Precision(all, judged)
	if p.Judged != 3 || p.Stale != 1 || p.Overall != NewShare(2, 3) || len(p.ByRule) != 2 || p.ByRule[0] != (RulePrecision{"en.framing.a", NewShare(1, 2)}) ||
		len(p.ByFamily) != 2 || p.ByFamily[1].Name != "fr/toxicity" || len(p.ByLang) != 2 ||
		len(p.BySeverity) != 2 || p.BySeverity[0] != (RulePrecision{"default", NewShare(1, 2)}) || p.BySeverity[1] != (RulePrecision{"info", NewShare(1, 1)}) {
		t.Errorf("%+v", p)
	}
	for _, bad := range []Judgement{{Rule: "x", Verdict: Correct, Reason: "r"}, {ID: "i", Rule: "x", Verdict: "maybe", Reason: "r"}, {ID: "i", Rule: "x", Verdict: Wrong}} {
		if CheckJudgement(bad) == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestSentenceAround(t *testing.T) {
	text := "First one. The second sentence is here! Third."
	i := strings.Index(text, "second")
	if got := sentenceAround(text, i, i+6); got != "The second sentence is here!" {
		t.Errorf("%q", got)
	}
}
