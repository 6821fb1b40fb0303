package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"vigie"
	"vigie/rulepack"
)

// reporter writes the results of a check in one output format.
type reporter interface {
	report(in input, rep *vigie.Report, rs *vigie.Ruleset)
	fail(in input, err error) // the input could not be checked
	finish(rs *vigie.Ruleset) error
}

// position is a 1-based line and column (in characters).
type position struct{ line, col int }

// positions maps byte offsets of s to lines and columns in one pass.
func positions(s string, offsets []int) map[int]position {
	sorted := append([]int(nil), offsets...)
	sort.Ints(sorted)
	m := make(map[int]position, len(sorted))
	p, i := position{1, 1}, 0
	for _, off := range sorted {
		for i < off && i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if r == '\n' {
				p.line, p.col = p.line+1, 1
			} else {
				p.col++
			}
		}
		m[off] = p
	}
	return m
}

func findingOffsets(rep *vigie.Report) []int {
	var offs []int
	for _, f := range rep.Findings {
		offs = append(offs, f.Start, f.End)
	}
	for _, m := range rep.Sentences {
		offs = append(offs, m.Start, m.End)
	}
	return offs
}

// textReporter writes one finding per line, as compilers do:
// file:line:col: severity: "span": message [rule]
type textReporter struct{ w io.Writer }

func (t *textReporter) report(in input, rep *vigie.Report, rs *vigie.Ruleset) {
	pos := positions(in.text, findingOffsets(rep))
	for _, f := range rep.Findings {
		p := pos[f.Start]
		fmt.Fprintf(t.w, "%s:%d:%d: %s: %q: %s [%s]\n", in.name, p.line, p.col, f.Severity, oneLine(f.Text), f.Message, f.Rule)
		if len(f.Suggestions) > 0 {
			fmt.Fprintf(t.w, "    → %s\n", strings.Join(f.Suggestions, " | "))
		}
		if f.Quoted {
			if f.Speaker != "" {
				fmt.Fprintf(t.w, "    (quoted: %s)\n", f.Speaker)
			} else {
				fmt.Fprintf(t.w, "    (quoted)\n")
			}
		}
	}
	for _, m := range rep.Sentences {
		p := pos[m.Start]
		fmt.Fprintf(t.w, "%s:%d:%d: sentence: %q: loaded wording, score %.2f [%s]\n", in.name, p.line, p.col, oneLine(m.Text), m.Score, rep.SentenceModel)
		switch {
		case m.Quoted && m.Speaker != "":
			fmt.Fprintf(t.w, "    (quoted: %s)\n", m.Speaker)
		case m.Quoted:
			fmt.Fprintf(t.w, "    (quoted)\n")
		}
	}
	if rep.SentenceModel != "" {
		fmt.Fprintf(t.w, "%s: %d finding(s) and %d marked sentence(s) in %d words (%s; ruleset %s; model %s)\n", in.name, len(rep.Findings), len(rep.Sentences), rep.Stats.Words, rep.Lang, rep.Ruleset, rep.SentenceModel)
		return
	}
	fmt.Fprintf(t.w, "%s: %d finding(s) in %d words (%s; ruleset %s)\n", in.name, len(rep.Findings), rep.Stats.Words, rep.Lang, rep.Ruleset)
}

func (t *textReporter) fail(input, error) {}

func (t *textReporter) finish(*vigie.Ruleset) error { return nil }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// jsonReporter writes one indented JSON object per input.
type jsonReporter struct{ w io.Writer }

type fileReport struct {
	File string `json:"file,omitempty"`
	*vigie.Report
}

func (j *jsonReporter) report(in input, rep *vigie.Report, _ *vigie.Ruleset) {
	name := in.name
	if name == "<stdin>" {
		name = ""
	}
	b, _ := json.MarshalIndent(fileReport{name, rep}, "", "  ")
	fmt.Fprintf(j.w, "%s\n", b)
}

func (j *jsonReporter) fail(input, error) {}

func (j *jsonReporter) finish(*vigie.Ruleset) error { return nil }

// jsonlReporter writes one compact JSON line per input, with its id, so that
// results line up with inputs even when one fails.
type jsonlReporter struct{ w io.Writer }

type lineReport struct {
	ID json.RawMessage `json:"id"`
	*vigie.Report
	Error string `json:"error,omitempty"`
}

func (j *jsonlReporter) report(in input, rep *vigie.Report, _ *vigie.Ruleset) {
	j.write(lineReport{ID: idOrNull(in.id), Report: rep})
}

func (j *jsonlReporter) fail(in input, err error) {
	j.write(lineReport{ID: idOrNull(in.id), Error: in.name + ": " + err.Error()})
}

func (j *jsonlReporter) write(l lineReport) {
	b, _ := json.Marshal(l)
	fmt.Fprintf(j.w, "%s\n", b)
}

func (j *jsonlReporter) finish(*vigie.Ruleset) error { return nil }

func idOrNull(id json.RawMessage) json.RawMessage {
	if len(id) == 0 {
		return json.RawMessage("null")
	}
	return id
}

// sarifReporter collects every result into one SARIF 2.1.0 log, for code
// review tools and CI annotations.
type sarifReporter struct {
	w       io.Writer
	results []sarifResult
	used    map[string]bool
	model   string // the sentence model, when one marked sentences
}

type sarifResult struct {
	RuleID     string           `json:"ruleId"`
	Level      string           `json:"level"`
	Message    sarifText        `json:"message"`
	Locations  []sarifLocation  `json:"locations"`
	Properties map[string]any   `json:"properties,omitempty"`
	Fixes      []map[string]any `json:"fixes,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	Physical struct {
		Artifact struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region sarifRegion `json:"region"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
	ByteOffset  int `json:"byteOffset"`
	ByteLength  int `json:"byteLength"`
}

var sarifLevels = map[rulepack.Severity]string{rulepack.Info: "note", rulepack.Suggestion: "note", rulepack.Warning: "warning"}

func (s *sarifReporter) report(in input, rep *vigie.Report, _ *vigie.Ruleset) {
	if s.used == nil {
		s.used = map[string]bool{}
	}
	pos := positions(in.text, findingOffsets(rep))
	for _, f := range rep.Findings {
		s.used[f.Rule] = true
		var loc sarifLocation
		loc.Physical.Artifact.URI = in.name
		start, end := pos[f.Start], pos[f.End]
		loc.Physical.Region = sarifRegion{start.line, start.col, end.line, end.col, f.Start, f.End - f.Start}
		res := sarifResult{
			RuleID: f.Rule, Level: sarifLevels[f.Severity], Message: sarifText{f.Message},
			Locations:  []sarifLocation{loc},
			Properties: map[string]any{"family": f.Family, "category": f.Category, "severity": f.Severity.String(), "quoted": f.Quoted, "lang": rep.Lang, "ruleset": rep.Ruleset},
		}
		if f.Speaker != "" {
			res.Properties["speaker"] = f.Speaker
		}
		for _, sug := range f.Suggestions {
			res.Fixes = append(res.Fixes, map[string]any{
				"description": sarifText{sug},
				"artifactChanges": []map[string]any{{
					"artifactLocation": map[string]string{"uri": in.name},
					"replacements": []map[string]any{{
						"deletedRegion":   map[string]int{"byteOffset": f.Start, "byteLength": f.End - f.Start},
						"insertedContent": sarifText{sug},
					}},
				}},
			})
		}
		s.results = append(s.results, res)
	}
	// Sentence marks are results of a rule named after the model.
	for _, m := range rep.Sentences {
		var loc sarifLocation
		loc.Physical.Artifact.URI = in.name
		start, end := pos[m.Start], pos[m.End]
		loc.Physical.Region = sarifRegion{start.line, start.col, end.line, end.col, m.Start, m.End - m.Start}
		s.results = append(s.results, sarifResult{
			RuleID: sentenceRuleID, Level: "note",
			Message:    sarifText{fmt.Sprintf("The sentence model %s finds this sentence's wording loaded (score %.2f).", rep.SentenceModel, m.Score)},
			Locations:  []sarifLocation{loc},
			Properties: map[string]any{"model": rep.SentenceModel, "score": m.Score, "lang": rep.Lang},
		})
		s.model = rep.SentenceModel
	}
}

// sentenceRuleID names the sentence model's results in SARIF.
const sentenceRuleID = "vigie.sentence-model"

func (s *sarifReporter) fail(input, error) {}

func (s *sarifReporter) finish(rs *vigie.Ruleset) error {
	var rules []map[string]any
	for _, r := range rs.Rules() {
		if !s.used[r.ID] {
			continue
		}
		rules = append(rules, map[string]any{
			"id":               r.ID,
			"shortDescription": sarifText{r.Message.EN},
			"fullDescription":  sarifText{r.Explanation.EN},
			"defaultConfiguration": map[string]string{
				"level": sarifLevels[r.Severity],
			},
			"properties": map[string]any{"family": r.Family, "category": r.Category, "lang": r.Lang},
		})
	}
	if s.model != "" {
		rules = append(rules, map[string]any{
			"id":                   sentenceRuleID,
			"shortDescription":     sarifText{"A sentence the sentence model finds loaded, as a whole."},
			"fullDescription":      sarifText{"A statistical judgement on the whole sentence, not on one of its words: read it again, the model can be wrong. Model: " + s.model + "."},
			"defaultConfiguration": map[string]string{"level": "note"},
		})
	}
	if s.results == nil {
		s.results = []sarifResult{}
	}
	log := map[string]any{
		"version": "2.1.0",
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"runs": []map[string]any{{
			"tool": map[string]any{"driver": map[string]any{
				"name": "vigie", "version": vigie.Version, "semanticVersion": vigie.Version,
				"rules": rules, "properties": map[string]string{"ruleset": rs.Hash()},
			}},
			"columnKind": "unicodeCodePoints",
			"results":    s.results,
		}},
	}
	b, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.w, "%s\n", b)
	return err
}
