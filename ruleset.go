// Package vigie checks French and English text for loaded, one-sided,
// stereotyping or unsupported wording.
//
// A Ruleset is compiled once from rule packs (see package rulepack and
// lexicons/SCHEMA.md); its Check method takes a text and returns a Report of
// findings, each with its span, rule, message, suggestions and context. The
// package does no I/O: the command line, the browser module and the portal
// are thin shells around it.
package vigie

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"vigie/internal/binform"
	"vigie/match"
	"vigie/rulepack"
	"vigie/text"
)

// Version is the engine's version, carried by every report.
const Version = "0.1.0"

// Ruleset is a compiled set of rules, ready to check texts. It is safe for
// concurrent use.
type Ruleset struct {
	rules       []*rulepack.Rule       // sorted by id
	conventions []*rulepack.Convention // sorted by language, then id
	byID        map[string]int
	langs       map[string]*langRules
	hash        string
	// offAt[s] marks the rules a check at minimum severity s leaves out
	// when it names no family and no convention: the usual case, worked
	// out once rather than at every check (see Ruleset.off).
	offAt [rulepack.Warning + 1][]bool
}

// langRules is the part of a ruleset that checks texts in one language.
type langRules struct {
	matcher  *match.Matcher
	payloads []payload // indexed by match.Pattern.Payload
}

type payload struct {
	rule      int // index in Ruleset.rules
	exception bool
}

// Compile validates packs together (unique ids, known classes, valid
// patterns, examples that behave as declared) and compiles them. All the
// problems found are returned as rulepack.Errors, each at its file and line.
func Compile(packs ...*rulepack.Pack) (*Ruleset, error) {
	return compile(packs, func(*rulepack.Rule) bool { return true })
}

// compile is Compile, running the examples of the rules for which
// checkExamples is true only: the default packs' examples run in the tests,
// not at every start of the command line or the browser module.
func compile(packs []*rulepack.Pack, checkExamples func(*rulepack.Rule) bool) (*Ruleset, error) {
	var errs rulepack.Errors
	errorf := func(file string, line int, format string, args ...any) {
		errs = append(errs, rulepack.Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}

	classes := map[string]map[string]*rulepack.Class{}
	rs := &Ruleset{byID: map[string]int{}, langs: map[string]*langRules{}}
	seen := map[string]*rulepack.Rule{}
	conventions := map[string]*rulepack.Convention{} // by lang + " " + id
	for _, p := range packs {
		for _, c := range p.Conventions {
			if prev := conventions[c.Lang+" "+c.ID]; prev != nil {
				errorf(c.File, c.Line, "convention %q already defined at %s:%d", c.ID, prev.File, prev.Line)
				continue
			}
			conventions[c.Lang+" "+c.ID] = c
			rs.conventions = append(rs.conventions, c)
		}
		for _, c := range p.Classes {
			if classes[c.Lang] == nil {
				classes[c.Lang] = map[string]*rulepack.Class{}
			}
			if prev := classes[c.Lang][c.Name]; prev != nil {
				errorf(c.File, c.Line, "class %q already defined at %s:%d", c.Name, prev.File, prev.Line)
				continue
			}
			classes[c.Lang][c.Name] = c
		}
		for _, r := range p.Rules {
			if prev := seen[r.ID]; prev != nil {
				errorf(r.File, r.Line, "duplicate rule id %q (first at %s:%d)", r.ID, prev.File, prev.Line)
				continue
			}
			seen[r.ID] = r
			rs.rules = append(rs.rules, r)
		}
	}
	rs.index()
	for _, r := range rs.rules {
		for _, c := range r.Conventions {
			if conventions[r.Lang+" "+c] == nil {
				errorf(r.File, r.Line, "rule %s: unknown convention %q (define it under conventions: in a %s pack)", r.ID, c, r.Lang)
			}
		}
	}

	// Parse each class once.
	expanded := map[string]map[string][]rulepack.Alt{}
	for lang, cs := range classes {
		expanded[lang] = map[string][]rulepack.Alt{}
		for name, c := range cs {
			for k, w := range c.Words {
				a, err := rulepack.ParseClassWord(w, lang)
				if err != nil {
					errorf(c.File, c.Lines[k], "class %q: %v", name, err)
					continue
				}
				expanded[lang][name] = append(expanded[lang][name], a)
			}
		}
	}

	patterns := map[string][]match.Pattern{}
	for i, r := range rs.rules {
		lr := rs.langs[r.Lang]
		if lr == nil {
			lr = &langRules{}
			rs.langs[r.Lang] = lr
		}
		mode := text.FoldAll
		if r.CaseSensitive {
			mode &^= text.FoldCase
		}
		if r.AccentSensitive {
			mode &^= text.FoldAccents
		}
		add := func(srcs []string, lines []int, exception bool) {
			for k, src := range srcs {
				els, err := rulepack.ParsePattern(src, r.Lang)
				if err == nil {
					err = rulepack.CheckClasses(els, expanded[r.Lang])
				}
				if err != nil {
					errorf(r.File, lines[k], "rule %s: bad pattern: %v", r.ID, err)
					continue
				}
				patterns[r.Lang] = append(patterns[r.Lang], match.Pattern{Elements: els, Mode: mode, Payload: len(lr.payloads)})
				lr.payloads = append(lr.payloads, payload{rule: i, exception: exception})
			}
		}
		add(r.Patterns, r.PatternLines, false)
		add(r.Exceptions, r.ExceptionLines, true)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for lang, lr := range rs.langs {
		lr.matcher = match.Compile(lang, patterns[lang], expanded[lang])
	}
	rs.hash = hashRules(rs.rules, classes, rs.conventions)
	if err := rs.checkExamples(checkExamples); err != nil {
		return nil, err
	}
	return rs, nil
}

// hashRules is a content hash of everything that can change a report.
func hashRules(rules []*rulepack.Rule, classes map[string]map[string]*rulepack.Class, conventions []*rulepack.Convention) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, r := range rules {
		enc.Encode(r) // sorted by id; encoding a plain struct cannot fail
	}
	var cs []*rulepack.Class
	for _, m := range classes {
		for _, c := range m {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Lang+cs[i].Name < cs[j].Lang+cs[j].Name })
	for _, c := range cs {
		enc.Encode(c)
	}
	for _, c := range conventions {
		enc.Encode(c)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Hash is the ruleset's content hash, carried by every report.
func (rs *Ruleset) Hash() string { return rs.hash }

// Rules returns the rules, sorted by id. The caller must not modify them.
func (rs *Ruleset) Rules() []*rulepack.Rule { return rs.rules }

// Conventions returns the writing conventions the rules may belong to,
// sorted by language, then id. The caller must not modify them.
func (rs *Ruleset) Conventions() []*rulepack.Convention { return rs.conventions }

// Convention returns the convention with the given id.
func (rs *Ruleset) Convention(id string) (*rulepack.Convention, bool) {
	for _, c := range rs.conventions {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Rule returns the rule with the given id.
func (rs *Ruleset) Rule(id string) (*rulepack.Rule, bool) {
	i, ok := rs.byID[id]
	if !ok {
		return nil, false
	}
	return rs.rules[i], true
}

// checkExamples runs the selected rules on their own examples.
func (rs *Ruleset) checkExamples(selected func(*rulepack.Rule) bool) error {
	var errs rulepack.Errors
	for i, r := range rs.rules {
		if !selected(r) {
			continue
		}
		opts := Options{Lang: r.Lang, MinSeverity: rulepack.Info, Conventions: r.Conventions, only: i + 1}
		for k, ex := range r.Examples.Fire {
			plain, want, marked := stripMarks(ex)
			rep, err := rs.Check(plain, opts)
			if err != nil {
				errs = append(errs, rulepack.Error{File: r.File, Line: r.FireLines[k], Msg: fmt.Sprintf("rule %s: example %q: %v", r.ID, ex, err)})
				continue
			}
			switch {
			case len(rep.Findings) == 0:
				errs = append(errs, rulepack.Error{File: r.File, Line: r.FireLines[k], Msg: fmt.Sprintf("rule %s: example should fire but does not: %q", r.ID, ex)})
			case marked && !hasSpan(rep.Findings, want):
				errs = append(errs, rulepack.Error{File: r.File, Line: r.FireLines[k], Msg: fmt.Sprintf("rule %s: example fires on %q, not on the marked %q", r.ID, rep.Findings[0].Text, plain[want.Start:want.End])})
			}
		}
		for k, ex := range r.Examples.Pass {
			rep, err := rs.Check(ex, opts)
			if err != nil {
				errs = append(errs, rulepack.Error{File: r.File, Line: r.PassLines[k], Msg: fmt.Sprintf("rule %s: example %q: %v", r.ID, ex, err)})
				continue
			}
			if len(rep.Findings) > 0 {
				errs = append(errs, rulepack.Error{File: r.File, Line: r.PassLines[k], Msg: fmt.Sprintf("rule %s: example should not fire but fires on %q: %q", r.ID, rep.Findings[0].Text, ex)})
			}
		}
	}
	return errs.Err()
}

// stripMarks removes the [ ] that mark the expected span of an example.
func stripMarks(ex string) (plain string, span text.Span, marked bool) {
	open := strings.IndexByte(ex, '[')
	if open < 0 {
		return ex, text.Span{}, false
	}
	close := strings.IndexByte(ex[open:], ']')
	if close < 0 {
		return ex, text.Span{}, false
	}
	close += open
	plain = ex[:open] + ex[open+1:close] + ex[close+1:]
	return plain, text.Span{Start: open, End: close - 1}, true
}

func hasSpan(fs []Finding, s text.Span) bool {
	for _, f := range fs {
		if f.Start == s.Start && f.End == s.End {
			return true
		}
	}
	return false
}

// index sorts the rules and conventions, and works out what derives from
// them: rules by id, and the rules each minimum severity leaves out.
func (rs *Ruleset) index() {
	sort.Slice(rs.rules, func(i, j int) bool { return rs.rules[i].ID < rs.rules[j].ID })
	for i, r := range rs.rules {
		rs.byID[r.ID] = i
	}
	sort.Slice(rs.conventions, func(i, j int) bool {
		a, b := rs.conventions[i], rs.conventions[j]
		return a.Lang < b.Lang || a.Lang == b.Lang && a.ID < b.ID
	})
	for sev := rulepack.Info; sev <= rulepack.Warning; sev++ {
		rs.offAt[sev] = rs.computeOff(Options{MinSeverity: sev})
	}
}

// compiledMagic starts the binary form of a compiled ruleset.
const compiledMagic = "VGC1"

// MarshalBinary writes the compiled ruleset: its matchers and hash, not its
// rules, which come from the packs it was compiled from. `go generate
// ./lexicons` stores the default one, so that starting (in a browser above
// all) does not compile patterns.
func (rs *Ruleset) MarshalBinary() ([]byte, error) {
	w := &binform.Writer{Buf: []byte(compiledMagic)}
	w.Str(rs.hash)
	w.Int(len(rs.rules))
	langs := make([]string, 0, len(rs.langs))
	for l := range rs.langs {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	w.Int(len(langs))
	for _, l := range langs {
		lr := rs.langs[l]
		w.Str(l)
		w.Int(len(lr.payloads))
		for _, p := range lr.payloads {
			w.Int(p.rule)
			w.Bool(p.exception)
		}
		lr.matcher.Write(w)
	}
	return w.Buf, nil
}

// fromCompiled rebuilds the ruleset of packs from the binary form of its
// compiled self (see MarshalBinary).
func fromCompiled(packs []*rulepack.Pack, data []byte) (*Ruleset, error) {
	if !strings.HasPrefix(string(data[:min(len(data), len(compiledMagic))]), compiledMagic) {
		return nil, fmt.Errorf("not a compiled ruleset")
	}
	rs := &Ruleset{byID: map[string]int{}, langs: map[string]*langRules{}}
	for _, p := range packs {
		rs.rules = append(rs.rules, p.Rules...)
		rs.conventions = append(rs.conventions, p.Conventions...)
	}
	rs.index()
	r := &binform.Reader{Buf: data[len(compiledMagic):]}
	rs.hash = r.Str()
	if n := r.Int(); r.Err == nil && n != len(rs.rules) {
		return nil, fmt.Errorf("compiled ruleset: %d rules, the packs have %d", n, len(rs.rules))
	}
	for range r.Count() {
		lang, lr := r.Str(), &langRules{}
		lr.payloads = make([]payload, r.Count())
		for i := range lr.payloads {
			lr.payloads[i] = payload{rule: r.Int(), exception: r.Bool()}
			if lr.payloads[i].rule >= len(rs.rules) {
				return nil, fmt.Errorf("compiled ruleset: %w", binform.ErrCorrupt)
			}
		}
		lr.matcher = match.Read(r)
		rs.langs[lang] = lr
	}
	if r.Err == nil && len(r.Buf) > 0 {
		r.Err = fmt.Errorf("trailing bytes")
	}
	if r.Err != nil {
		return nil, fmt.Errorf("compiled ruleset: %w", r.Err)
	}
	return rs, nil
}
