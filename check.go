package vigie

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"vigie/lang"
	"vigie/match"
	"vigie/rulepack"
	"vigie/text"
)

// DefaultMinSeverity is the mildest severity reported when Options leave it
// unset. Quoted findings are lowered one step, so a quoted "suggestion" is
// not shown by default: the words belong to the speaker.
const DefaultMinSeverity = rulepack.Suggestion

// MaxInputBytes bounds one text. Larger inputs get an error rather than
// using memory without bound; split them (one line of JSONL per document).
const MaxInputBytes = 64 << 20

// Errors returned by Check for bad input. They are wrapped with details.
var (
	ErrEmpty       = errors.New("empty text")
	ErrInvalidUTF8 = errors.New("text is not valid UTF-8")
	ErrTooLarge    = errors.New("text too large")
	ErrOption      = errors.New("bad option")
	// ErrModel is wrapped by the errors of a SentenceScorer.
	ErrModel = errors.New("sentence model")
)

// ErrorCode names the kind of error Check returned, for answers in JSON:
// empty, invalid-utf8, too-large or option; "" for any other error.
func ErrorCode(err error) string {
	switch {
	case errors.Is(err, ErrEmpty):
		return "empty"
	case errors.Is(err, ErrInvalidUTF8):
		return "invalid-utf8"
	case errors.Is(err, ErrTooLarge):
		return "too-large"
	case errors.Is(err, ErrOption):
		return "option"
	case errors.Is(err, ErrModel):
		return "model"
	}
	return ""
}

// Options tune one check. The zero value checks with every rule of the
// detected language at the default minimum severity.
type Options struct {
	// Lang is "fr", "en", or "" / "auto" to detect it.
	Lang string
	// Families keeps only the findings of these families; empty keeps all.
	Families []string
	// MinSeverity drops findings below it; 0 means DefaultMinSeverity.
	MinSeverity rulepack.Severity
	// UILang is the language of messages ("fr" or "en"); "" means the text's.
	UILang string
	// Conventions selects writing conventions (see Ruleset.Conventions).
	// Rules that belong to conventions run only when one of theirs is
	// selected; every other rule runs whatever this says.
	Conventions []string
	// Sentences, when set, scores every sentence as a whole and marks those
	// it finds loaded (Report.Sentences).
	Sentences SentenceScorer

	only int // 1 + index of the single rule to run, for examples
}

// Report is the result of checking one text.
type Report struct {
	Version string `json:"version"`
	Ruleset string `json:"ruleset"`
	Lang    string `json:"lang"`
	// Conventions are the writing conventions the check applied.
	Conventions []string  `json:"conventions,omitempty"`
	Findings    []Finding `json:"findings"`
	// SentenceModel names the model that scored the sentences, when one did,
	// and Sentences are the sentences it marked, in order.
	SentenceModel string         `json:"sentence_model,omitempty"`
	Sentences     []SentenceMark `json:"sentences,omitempty"`
	Stats         Stats          `json:"stats"`
}

// Finding is one span of the text that a rule flags.
type Finding struct {
	Start       int               `json:"start"`   // byte offset in the input
	End         int               `json:"end"`     // byte offset in the input, exclusive
	Start16     int               `json:"start16"` // the same in UTF-16 code units, for the DOM
	End16       int               `json:"end16"`
	Text        string            `json:"text"`
	Rule        string            `json:"rule"`
	Family      string            `json:"family"`
	Category    string            `json:"category"`
	Severity    rulepack.Severity `json:"severity"`
	Message     string            `json:"message"`
	Suggestions []string          `json:"suggestions"`
	Quoted      bool              `json:"quoted"`
	Speaker     string            `json:"speaker,omitempty"` // who is quoted, when known
	Page        string            `json:"page"`              // the rule's page on the portal, relative to its root
}

// Stats summarises a report.
type Stats struct {
	Words      int            `json:"words"`
	Sentences  int            `json:"sentences"`
	Findings   int            `json:"findings"`
	Per1000    float64        `json:"per_1000_words"`
	ByFamily   map[string]int `json:"by_family"`
	BySeverity map[string]int `json:"by_severity"`
	// LangDetected is true when the language was detected rather than given,
	// and LangConfidence the share of function words that decided it.
	LangDetected   bool    `json:"lang_detected"`
	LangConfidence float64 `json:"lang_confidence,omitempty"`
}

// RulePage is the path of a rule's page on the portal, in the interface
// language uiLang, relative to the portal's root.
func RulePage(uiLang, id string) string { return uiLang + "/rules/" + id + ".html" }

// Negation words, folded, for rules with a negation window.
var negations = map[string]map[string]bool{
	"fr": {"ne": true, "n'": true, "pas": true, "jamais": true, "aucun": true, "aucune": true,
		"nullement": true, "guere": true, "ni": true, "sans": true},
	"en": {"not": true, "n't": true, "never": true, "no": true, "without": true, "nor": true,
		"neither": true, "hardly": true, "cannot": true},
}

// Validate reports an unknown language, family or severity, wrapped in
// ErrOption.
func (o Options) Validate() error { return o.normalize() }

// normalize validates o and fills in its defaults.
func (o *Options) normalize() error {
	if o.Lang == "auto" {
		o.Lang = ""
	}
	if o.Lang != "" && !lang.IsSupported(o.Lang) {
		return fmt.Errorf("%w: unknown language %q (want fr, en or auto)", ErrOption, o.Lang)
	}
	if o.UILang != "" && !lang.IsSupported(o.UILang) {
		return fmt.Errorf("%w: unknown interface language %q (want fr or en)", ErrOption, o.UILang)
	}
	for _, f := range o.Families {
		if !rulepack.IsFamily(f) {
			return fmt.Errorf("%w: unknown family %q (want %s)", ErrOption, f, strings.Join(rulepack.Families, ", "))
		}
	}
	if o.MinSeverity == 0 {
		o.MinSeverity = DefaultMinSeverity
	}
	if o.MinSeverity < rulepack.Info || o.MinSeverity > rulepack.Warning {
		return fmt.Errorf("%w: unknown minimum severity %d", ErrOption, o.MinSeverity)
	}
	if o.Sentences != nil {
		if t := o.Sentences.Threshold(); !(t >= 0 && t <= 1) {
			return fmt.Errorf("%w: sentence threshold %v: want a score from 0 to 1", ErrOption, t)
		}
	}
	return nil
}

// ValidateOptions is Options.Validate, which also reports a convention
// this ruleset does not define.
func (rs *Ruleset) ValidateOptions(o Options) error {
	if err := o.normalize(); err != nil {
		return err
	}
	for _, c := range o.Conventions {
		if _, ok := rs.Convention(c); !ok {
			ids := make([]string, len(rs.conventions))
			for i, c := range rs.conventions {
				ids[i] = c.ID
			}
			known := "none are defined"
			if len(ids) > 0 {
				known = "want " + strings.Join(ids, ", ")
			}
			return fmt.Errorf("%w: unknown convention %q (%s)", ErrOption, c, known)
		}
	}
	return nil
}

// Check checks one text.
func (rs *Ruleset) Check(input string, opts Options) (*Report, error) {
	if err := rs.ValidateOptions(opts); err != nil {
		return nil, err
	}
	opts.normalize()
	if len(input) > MaxInputBytes {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d; split it into documents", ErrTooLarge, len(input), MaxInputBytes)
	}
	if !utf8.ValidString(input) {
		return nil, fmt.Errorf("%w: first bad byte at offset %d", ErrInvalidUTF8, firstInvalid(input))
	}
	if strings.TrimSpace(input) == "" {
		return nil, ErrEmpty
	}
	norm := text.Normalize(input)
	rep := &Report{Version: Version, Ruleset: rs.hash, Lang: opts.Lang, Conventions: opts.Conventions, Findings: []Finding{}}
	if rep.Lang == "" {
		rep.Lang, rep.Stats.LangConfidence = lang.Detect(norm.Text)
		rep.Stats.LangDetected = true
	}
	doc := text.Segment(norm.Text, rep.Lang)
	rep.Stats.Words = len(doc.Tokens)
	rep.Stats.Sentences = len(doc.Sentences)
	if lr := rs.langs[rep.Lang]; lr != nil {
		found := rs.find(lr, doc, opts)
		rep.Findings = rs.findings(found, doc, norm, input, opts.UILang, rep.Lang)
	}
	if opts.Sentences != nil {
		marks, err := markSentences(opts.Sentences, doc, norm, input)
		if err != nil {
			return nil, err
		}
		rep.SentenceModel, rep.Sentences = opts.Sentences.Name(), marks
		if rep.Sentences == nil {
			rep.Sentences = []SentenceMark{}
		}
	}
	rep.Stats.fill(rep.Findings)
	return rep, nil
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// hit is a finding before it is turned into output: words first to end-1.
type hit struct {
	rule       int
	first, end int
	severity   rulepack.Severity
	quote      int
}

// find runs the matcher and applies the guards, the filters and the overlap
// policy (see lexicons/SCHEMA.md).
func (rs *Ruleset) find(lr *langRules, doc *text.Doc, opts Options) []hit {
	var hits []hit
	exceptions := map[int][]match.Match{} // by rule
	off := rs.off(opts)
	lr.matcher.Find(doc, func(m match.Match) {
		p := lr.payloads[m.Payload]
		if opts.only != 0 && p.rule != opts.only-1 || off[p.rule] {
			return
		}
		if p.exception {
			exceptions[p.rule] = append(exceptions[p.rule], m)
			return
		}
		hits = append(hits, hit{rule: p.rule, first: m.First, end: m.End})
	})

	// Leftmost-longest without overlap, per rule.
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.rule != b.rule {
			return a.rule < b.rule
		}
		if a.first != b.first {
			return a.first < b.first
		}
		return a.end > b.end
	})
	kept := hits[:0]
	for i, h := range hits {
		if i > 0 && len(kept) > 0 {
			last := kept[len(kept)-1]
			if last.rule == h.rule && h.first < last.end {
				continue
			}
		}
		kept = append(kept, h)
	}
	hits = kept

	kept = hits[:0]
	for _, h := range hits {
		r := rs.rules[h.rule]
		if cancelled(r, h, exceptions[h.rule], doc) || negated(r, h, doc) {
			continue
		}
		h.severity = r.Severity
		h.quote = doc.Tokens[h.first].Quote
		if h.quote >= 0 {
			h.severity = h.severity.Lower()
		}
		if h.severity < opts.MinSeverity {
			continue
		}
		kept = append(kept, h)
	}
	return rs.resolveOverlaps(kept)
}

// off returns, by rule index, the rules that opts leaves out: other
// families, conventions not selected, and severities below the minimum (a
// quotation only ever lowers a severity). Their matches are dropped as
// they come, before any work is spent on them.
func (rs *Ruleset) off(opts Options) []bool {
	if len(opts.Families) == 0 && len(opts.Conventions) == 0 && rs.offAt[opts.MinSeverity] != nil {
		return rs.offAt[opts.MinSeverity]
	}
	return rs.computeOff(opts)
}

func (rs *Ruleset) computeOff(opts Options) []bool {
	off := make([]bool, len(rs.rules))
	for i, r := range rs.rules {
		off[i] = r.Severity < opts.MinSeverity ||
			len(opts.Families) > 0 && !slices.Contains(opts.Families, r.Family) ||
			len(r.Conventions) > 0 && !slices.ContainsFunc(r.Conventions, func(c string) bool { return slices.Contains(opts.Conventions, c) })
	}
	return off
}

// cancelled reports whether an exception of rule r applies to h.
func cancelled(r *rulepack.Rule, h hit, exs []match.Match, doc *text.Doc) bool {
	for _, e := range exs {
		if r.ExceptionScope == "sentence" {
			if doc.Tokens[e.First].Sentence == doc.Tokens[h.first].Sentence {
				return true
			}
		} else if e.First < h.end && h.first < e.End {
			return true
		}
	}
	return false
}

// negated reports whether a negation stands within the rule's window before h.
func negated(r *rulepack.Rule, h hit, doc *text.Doc) bool {
	if r.NegationWindow == 0 {
		return false
	}
	neg := negations[r.Lang]
	sent := doc.Tokens[h.first].Sentence
	for i := h.first - 1; i >= 0 && i >= h.first-r.NegationWindow; i-- {
		if doc.Tokens[i].Sentence != sent {
			break
		}
		if neg[doc.Tokens[i].Key] {
			return true
		}
	}
	return false
}

// resolveOverlaps drops a finding whose span lies inside another finding of
// the same family, then orders the rest.
func (rs *Ruleset) resolveOverlaps(hits []hit) []hit {
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.first != b.first {
			return a.first < b.first
		}
		if a.end != b.end {
			return a.end > b.end
		}
		if a.severity != b.severity {
			return a.severity > b.severity
		}
		return rs.rules[a.rule].ID < rs.rules[b.rule].ID
	})
	out := hits[:0]
	// For each family, the end of the furthest-reaching span kept so far.
	// Spans are sorted by start, so a span is inside an earlier one exactly
	// when it ends at or before that end.
	reach := map[string]int{}
	for _, h := range hits {
		fam := rs.rules[h.rule].Family
		if end, ok := reach[fam]; ok && h.end <= end {
			continue
		}
		reach[fam] = h.end
		out = append(out, h)
	}
	return out
}

// findings turns hits into output, with offsets into the original input.
func (rs *Ruleset) findings(hits []hit, doc *text.Doc, norm text.Normalized, input, uiLang, textLang string) []Finding {
	if uiLang == "" {
		uiLang = textLang
	}
	out := make([]Finding, 0, len(hits))
	offsets := make([]int, 0, 2*len(hits))
	for _, h := range hits {
		r := rs.rules[h.rule]
		start := norm.Original(doc.Tokens[h.first].Start, false)
		end := norm.Original(doc.Tokens[h.end-1].End, true)
		f := Finding{
			Start: start, End: end, Text: input[start:end],
			Rule: r.ID, Family: r.Family, Category: r.Category, Severity: h.severity,
			Message: r.Message.In(uiLang), Suggestions: r.Suggestions,
			Quoted: h.quote >= 0, Page: RulePage(uiLang, r.ID),
		}
		if f.Suggestions == nil {
			f.Suggestions = []string{}
		}
		if f.Quoted {
			f.Speaker = doc.Quotes[h.quote].Speaker
		}
		out = append(out, f)
		offsets = append(offsets, start, end)
	}
	u16 := utf16Offsets(input, offsets)
	for i := range out {
		out[i].Start16 = u16[out[i].Start]
		out[i].End16 = u16[out[i].End]
	}
	return out
}

// utf16Offsets maps each byte offset to its offset in UTF-16 code units, in
// one pass over the text.
func utf16Offsets(s string, offsets []int) map[int]int {
	sort.Ints(offsets)
	m := make(map[int]int, len(offsets))
	units, pos := 0, 0
	for _, off := range offsets {
		for pos < off {
			r, size := utf8.DecodeRuneInString(s[pos:])
			pos += size
			if r >= 0x10000 {
				units += 2
			} else {
				units++
			}
		}
		m[off] = units
	}
	return m
}

func (s *Stats) fill(fs []Finding) {
	s.Findings = len(fs)
	s.ByFamily = map[string]int{}
	s.BySeverity = map[string]int{}
	for _, f := range fs {
		s.ByFamily[f.Family]++
		s.BySeverity[f.Severity.String()]++
	}
	if s.Words > 0 {
		s.Per1000 = float64(int(float64(s.Findings)*1e6/float64(s.Words)+0.5)) / 1000
	}
}
