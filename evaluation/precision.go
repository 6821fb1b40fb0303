package evaluation

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"vigie"
)

// Doc is one document of a corpus: a whole text, or one sentence of a
// corpus of sentences.
type Doc struct {
	Corpus string // short name: sotu, udhr-en, wnc-pre...
	Lang   string
	Index  int // position in the corpus, from 0
	Text   string
}

// Sample is one finding on a corpus, with what a judge needs to decide
// whether it is right.
type Sample struct {
	// ID names the finding's place: corpus:document:byte offset. It stays
	// the same while the corpus does, whatever the rules become.
	ID       string `json:"id"`
	Rule     string `json:"rule"`
	Corpus   string `json:"corpus"`
	Span     string `json:"span"`
	Severity string `json:"severity"`          // the finding's, after the quotation guard
	Context  string `json:"context,omitempty"` // the sentence around it
	Message  string `json:"message,omitempty"`
}

// Judgement is a judge's verdict on a sample: whether a careful editor
// would agree the wording deserves the rule's message.
type Judgement struct {
	ID      string `json:"id"`
	Rule    string `json:"rule"`
	Corpus  string `json:"corpus"`
	Span    string `json:"span"`
	Verdict string `json:"verdict"` // correct or wrong
	Reason  string `json:"reason"`
}

// Verdicts a judgement may carry.
const (
	Correct = "correct"
	Wrong   = "wrong"
)

// Findings returns every finding of the rules on docs, in corpus order.
func Findings(rs *vigie.Ruleset, docs []Doc, opts vigie.Options) ([]Sample, error) {
	var out []Sample
	for _, d := range docs {
		o := opts
		o.Lang = d.Lang
		rep, err := rs.Check(d.Text, o)
		if err != nil {
			return nil, fmt.Errorf("%s, document %d: %w", d.Corpus, d.Index+1, err)
		}
		for _, f := range rep.Findings {
			out = append(out, Sample{
				ID:       fmt.Sprintf("%s:%d:%d", d.Corpus, d.Index, f.Start),
				Rule:     f.Rule,
				Corpus:   d.Corpus,
				Span:     f.Text,
				Severity: f.Severity.String(),
				Context:  sentenceAround(d.Text, f.Start, f.End),
				Message:  f.Message,
			})
		}
	}
	return out, nil
}

// sentenceAround returns the sentence that holds text[start:end], cut to a
// few hundred bytes on each side.
func sentenceAround(text string, start, end int) string {
	const reach = 300
	from := max(0, start-reach)
	if i := strings.LastIndexAny(text[from:start], ".!?\n"); i >= 0 {
		from += i + 1
	}
	to := min(len(text), end+reach)
	if i := strings.IndexAny(text[end:to], ".!?\n"); i >= 0 {
		to = end + i + 1
	}
	return strings.TrimSpace(strings.ToValidUTF8(text[from:to], ""))
}

// Stratified draws up to perRule samples of each rule, the same ones for
// the same seed, leaving out those already judged for that rule.
func Stratified(all []Sample, perRule int, seed uint64, judged []Judgement) []Sample {
	done := map[string]bool{}
	for _, j := range judged {
		done[j.ID+" "+j.Rule] = true
	}
	byRule := map[string][]Sample{}
	for _, s := range all {
		if !done[s.ID+" "+s.Rule] {
			byRule[s.Rule] = append(byRule[s.Rule], s)
		}
	}
	key := func(s Sample) uint64 {
		h := fnv.New64a()
		binary.Write(h, binary.LittleEndian, seed)
		h.Write([]byte(s.ID + " " + s.Rule))
		return h.Sum64()
	}
	var out []Sample
	for _, ss := range byRule {
		sort.Slice(ss, func(i, j int) bool { return key(ss[i]) < key(ss[j]) })
		out = append(out, ss[:min(perRule, len(ss))]...)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Rule < out[j].Rule || out[i].Rule == out[j].Rule && out[i].ID < out[j].ID
	})
	return out
}

// RulePrecision is the judged precision of one rule or family.
type RulePrecision struct {
	Name string `json:"name"`
	Share
}

// PrecisionResult is what the judgements say about the current rules.
type PrecisionResult struct {
	Judged  int             `json:"judged"` // judgements that still match a finding
	Overall Share           `json:"overall"`
	ByLang  []RulePrecision `json:"by_lang"`
	// BySeverity splits the findings shown by default (suggestion and
	// warning) from those shown on request (info).
	BySeverity []RulePrecision `json:"by_severity"`
	ByFamily   []RulePrecision `json:"by_family"` // named lang/family
	ByRule     []RulePrecision `json:"by_rule"`
	// Stale counts judgements of findings the rules no longer make (the
	// rule changed, or the finding was one it should not have made).
	Stale int `json:"stale"`
	// AsJudged is the share of correct verdicts among all judgements: the
	// precision of the rules as they were when the findings were judged.
	AsJudged Share `json:"as_judged"`
}

// Precision turns the judgements of findings that the rules still make
// into precision per rule, per language and family, and overall. Rule ids
// are <lang>.<family>.<name>.
func Precision(current []Sample, judged []Judgement) PrecisionResult {
	live := map[string]string{} // severity of each finding still made
	for _, s := range current {
		live[s.ID+" "+s.Rule] = s.Severity
	}
	type tally struct{ k, n int }
	var all tally
	rules, families, langs, sevs := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	add := func(m map[string]*tally, name string, ok bool) {
		t := m[name]
		if t == nil {
			t = &tally{}
			m[name] = t
		}
		t.n++
		if ok {
			t.k++
		}
	}
	var res PrecisionResult
	right := 0
	for _, j := range judged {
		if j.Verdict == Correct {
			right++
		}
	}
	res.AsJudged = NewShare(right, len(judged))
	for _, j := range judged {
		sev, isLive := live[j.ID+" "+j.Rule]
		if !isLive {
			res.Stale++
			continue
		}
		ok := j.Verdict == Correct
		if sev == "info" {
			add(sevs, "info", ok)
		} else {
			add(sevs, "default", ok)
		}
		parts := strings.SplitN(j.Rule, ".", 3)
		add(rules, j.Rule, ok)
		if len(parts) == 3 {
			add(families, parts[0]+"/"+parts[1], ok)
			add(langs, parts[0], ok)
		}
		all.n++
		if ok {
			all.k++
		}
	}
	list := func(m map[string]*tally) []RulePrecision {
		out := make([]RulePrecision, 0, len(m))
		for name, t := range m {
			out = append(out, RulePrecision{name, NewShare(t.k, t.n)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out
	}
	res.Judged, res.Overall = all.n, NewShare(all.k, all.n)
	res.ByLang, res.ByFamily, res.ByRule, res.BySeverity = list(langs), list(families), list(rules), list(sevs)
	return res
}

// CheckJudgement reports what is wrong with a judgement, if anything.
func CheckJudgement(j Judgement) error {
	switch {
	case j.ID == "" || j.Rule == "":
		return fmt.Errorf("a judgement needs an id and a rule")
	case j.Verdict != Correct && j.Verdict != Wrong:
		return fmt.Errorf("verdict %q: want %q or %q", j.Verdict, Correct, Wrong)
	case strings.TrimSpace(j.Reason) == "":
		return fmt.Errorf("verdict without a reason")
	}
	return nil
}
