package rulepack

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"vigie/lang"
)

var (
	idPattern   = regexp.MustCompile(`^[a-z]{2}\.[a-z-]+\.[a-z0-9]+(-[a-z0-9]+)*$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	yamlLine    = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)
)

// Parse reads one pack. file names it in error messages. Every problem found
// is returned, as Errors, each with its line.
func Parse(file string, data []byte) (*Pack, error) {
	p := &parser{file: file, pack: &Pack{File: file}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, Errors{{File: file, Msg: "empty pack"}}
	}
	p.top(doc.Content[0])
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.pack, nil
}

type parser struct {
	file string
	pack *Pack
	errs Errors
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var es Errors
		for _, m := range te.Errors {
			es = append(es, p.lineError(m))
		}
		return es
	}
	return Errors{p.lineError(err.Error())}
}

// lineError turns a YAML library message ("yaml: line 4: ...") into an Error.
func (p *parser) lineError(msg string) Error {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch("yaml: " + msg); m != nil && m[1] != "" {
		n, _ := strconv.Atoi(m[1])
		return Error{File: p.file, Line: n, Msg: "invalid YAML: " + m[2]}
	}
	if strings.HasPrefix(msg, "line ") {
		if i := strings.Index(msg, ": "); i > 0 {
			if n, err := strconv.Atoi(msg[5:i]); err == nil {
				return Error{File: p.file, Line: n, Msg: "invalid YAML: " + msg[i+2:]}
			}
		}
	}
	return Error{File: p.file, Msg: "invalid YAML: " + msg}
}

// fields walks a mapping node, calling fn for each key, and reports keys that
// are not in known and keys given twice.
func (p *parser) fields(n *yaml.Node, what string, known []string, fn func(key string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "%s must be a mapping of fields", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			p.errorf(k.Line, "%s: field %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if !slices.Contains(known, k.Value) {
			p.errorf(k.Line, "%s: unknown field %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		fn(k.Value, v)
	}
}

func (p *parser) top(n *yaml.Node) {
	var rulesNode, classesNode, conventionsNode *yaml.Node
	p.fields(n, "pack", []string{"lang", "family", "classes", "conventions", "rules"}, func(key string, v *yaml.Node) {
		switch key {
		case "lang":
			p.pack.Lang = p.str(v, "lang")
		case "family":
			p.pack.Family = p.str(v, "family")
		case "classes":
			classesNode = v
		case "conventions":
			conventionsNode = v
		case "rules":
			rulesNode = v
		}
	})
	line := n.Line
	switch {
	case p.pack.Lang == "":
		p.errorf(line, "pack: missing field \"lang\" (fr or en)")
	case !lang.IsSupported(p.pack.Lang):
		p.errorf(line, "pack: unknown lang %q (want %s)", p.pack.Lang, strings.Join(Languages, " or "))
	}
	if rulesNode != nil {
		switch {
		case p.pack.Family == "":
			p.errorf(line, "pack: missing field \"family\" (one of %s)", strings.Join(Families, ", "))
		case !IsFamily(p.pack.Family):
			p.errorf(line, "pack: unknown family %q (want one of %s)", p.pack.Family, strings.Join(Families, ", "))
		}
	}
	if classesNode != nil {
		p.classes(classesNode)
	}
	if conventionsNode != nil {
		p.conventions(conventionsNode)
	}
	if rulesNode != nil {
		if rulesNode.Kind != yaml.SequenceNode {
			p.errorf(rulesNode.Line, "rules must be a list")
			return
		}
		ids := map[string]int{}
		for _, rn := range rulesNode.Content {
			r := p.rule(rn)
			if r == nil {
				continue
			}
			if prev, ok := ids[r.ID]; ok && r.ID != "" {
				p.errorf(r.Line, "duplicate rule id %q (first at line %d)", r.ID, prev)
				continue
			}
			ids[r.ID] = r.Line
			p.pack.Rules = append(p.pack.Rules, r)
		}
	}
	if rulesNode == nil && classesNode == nil && conventionsNode == nil {
		p.errorf(line, "pack has no rules, classes or conventions")
	}
}

func (p *parser) classes(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "classes must be a mapping of name: [words]")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slugPattern.MatchString(k.Value) {
			p.errorf(k.Line, "class name %q: use lower-case letters, digits and -", k.Value)
		}
		c := &Class{Name: k.Value, Lang: p.pack.Lang, File: p.file, Line: k.Line}
		c.Words, c.Lines = p.strList(v, "class "+k.Value)
		if len(c.Words) == 0 {
			p.errorf(k.Line, "class %q is empty", k.Value)
		}
		p.pack.Classes = append(p.pack.Classes, c)
	}
}

func (p *parser) conventions(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "conventions must be a list of {id, name, explanation, sources}")
		return
	}
	for _, cn := range n.Content {
		c := &Convention{Lang: p.pack.Lang, File: p.file, Line: cn.Line}
		what := fmt.Sprintf("convention at line %d", cn.Line)
		seen := map[string]bool{}
		p.fields(cn, what, []string{"id", "name", "explanation", "sources"}, func(key string, v *yaml.Node) {
			seen[key] = true
			switch key {
			case "id":
				c.ID = p.str(v, "convention id")
				if !slugPattern.MatchString(c.ID) {
					p.errorf(v.Line, "convention id %q: use lower-case letters, digits and -", c.ID)
				}
			case "name":
				c.Name = p.text(v, what+": name")
			case "explanation":
				c.Explanation = p.text(v, what+": explanation")
			case "sources":
				c.Sources = p.sources(v, what)
			}
		})
		for _, req := range []string{"id", "name", "explanation", "sources"} {
			if !seen[req] {
				p.errorf(cn.Line, "%s: missing field %q", what, req)
			}
		}
		if seen["sources"] && len(c.Sources) == 0 {
			p.errorf(cn.Line, "%s: missing source: give at least one reference a reader can look up", what)
		}
		p.pack.Conventions = append(p.pack.Conventions, c)
	}
}

var ruleFields = []string{"id", "category", "severity", "patterns", "exceptions", "exception_scope",
	"negation_window", "case_sensitive", "accent_sensitive", "message", "explanation",
	"suggestions", "sources", "tags", "conventions", "examples"}

func (p *parser) rule(n *yaml.Node) *Rule {
	r := &Rule{Lang: p.pack.Lang, Family: p.pack.Family, File: p.file, Line: n.Line}
	what := fmt.Sprintf("rule at line %d", n.Line)
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" && n.Content[i+1].Kind == yaml.ScalarNode {
				what = "rule " + n.Content[i+1].Value
			}
		}
	}
	seen := map[string]bool{}
	p.fields(n, what, ruleFields, func(key string, v *yaml.Node) {
		seen[key] = true
		switch key {
		case "id":
			r.ID = p.str(v, "id")
		case "category":
			r.Category = p.str(v, "category")
		case "severity":
			s, err := ParseSeverity(p.str(v, "severity"))
			if err != nil {
				p.errorf(v.Line, "%s: %v", what, err)
			}
			r.Severity = s
		case "patterns":
			r.Patterns, r.PatternLines = p.strList(v, what+": patterns")
		case "exceptions":
			r.Exceptions, r.ExceptionLines = p.strList(v, what+": exceptions")
		case "exception_scope":
			r.ExceptionScope = p.str(v, "exception_scope")
			if r.ExceptionScope != "overlap" && r.ExceptionScope != "sentence" {
				p.errorf(v.Line, "%s: exception_scope must be overlap or sentence, not %q", what, r.ExceptionScope)
			}
		case "negation_window":
			if err := v.Decode(&r.NegationWindow); err != nil || r.NegationWindow < 0 || r.NegationWindow > 10 {
				p.errorf(v.Line, "%s: negation_window must be a number of words from 0 to 10", what)
			}
		case "case_sensitive":
			p.decode(v, &r.CaseSensitive, what+": case_sensitive must be true or false")
		case "accent_sensitive":
			p.decode(v, &r.AccentSensitive, what+": accent_sensitive must be true or false")
		case "message":
			r.Message = p.text(v, what+": message")
		case "explanation":
			r.Explanation = p.text(v, what+": explanation")
		case "suggestions":
			r.Suggestions, _ = p.strList(v, what+": suggestions")
		case "sources":
			r.Sources = p.sources(v, what)
		case "tags":
			var lines []int
			r.Tags, lines = p.strList(v, what+": tags")
			for i, t := range r.Tags {
				if !slugPattern.MatchString(t) {
					p.errorf(lines[i], "%s: tag %q: use lower-case letters, digits and -", what, t)
				}
			}
		case "conventions":
			r.Conventions, _ = p.strList(v, what+": conventions")
			if len(r.Conventions) == 0 {
				p.errorf(v.Line, "%s: conventions is empty (leave the field out for a rule that is always on)", what)
			}
		case "examples":
			p.examples(v, r, what)
		}
	})
	for _, req := range []string{"id", "category", "severity", "patterns", "message", "explanation", "sources", "examples"} {
		if !seen[req] {
			p.errorf(n.Line, "%s: missing field %q", what, req)
		}
	}
	if r.ID != "" {
		prefix := r.Lang + "." + r.Family + "."
		switch {
		case !idPattern.MatchString(r.ID):
			p.errorf(n.Line, "rule id %q: want <lang>.<family>.<name> in lower-case letters, digits and -", r.ID)
		case r.Lang != "" && r.Family != "" && !strings.HasPrefix(r.ID, prefix):
			p.errorf(n.Line, "rule id %q: must start with %q (the pack's lang and family)", r.ID, prefix)
		}
	}
	if seen["category"] && !slugPattern.MatchString(r.Category) {
		p.errorf(n.Line, "%s: category %q: use lower-case letters, digits and -", what, r.Category)
	}
	if seen["patterns"] && len(r.Patterns) == 0 {
		p.errorf(n.Line, "%s: patterns is empty", what)
	}
	if seen["sources"] && len(r.Sources) == 0 {
		p.errorf(n.Line, "%s: missing source: give at least one reference a reader can look up", what)
	}
	return r
}

func (p *parser) decode(v *yaml.Node, out any, msg string) {
	if err := v.Decode(out); err != nil {
		p.errorf(v.Line, "%s", msg)
	}
}

func (p *parser) str(v *yaml.Node, what string) string {
	if v.Kind != yaml.ScalarNode {
		p.errorf(v.Line, "%s must be a string", what)
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// strList reads a list of non-empty strings (a single string is taken as a
// one-item list) and the line of each item.
func (p *parser) strList(v *yaml.Node, what string) ([]string, []int) {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	}
	var out []string
	var lines []int
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			p.errorf(it.Line, "%s: each item must be a string (quote it if it starts with [ { * or contains \": \")", what)
			continue
		}
		s := strings.TrimSpace(it.Value)
		if s == "" {
			p.errorf(it.Line, "%s: empty item", what)
			continue
		}
		out = append(out, s)
		lines = append(lines, it.Line)
	}
	return out, lines
}

func (p *parser) text(v *yaml.Node, what string) Text {
	var t Text
	p.fields(v, what, []string{"fr", "en"}, func(key string, n *yaml.Node) {
		s := p.str(n, what+"."+key)
		if key == "fr" {
			t.FR = s
		} else {
			t.EN = s
		}
	})
	if v.Kind == yaml.MappingNode {
		if t.FR == "" {
			p.errorf(v.Line, "%s: missing French text (fr)", what)
		}
		if t.EN == "" {
			p.errorf(v.Line, "%s: missing English text (en)", what)
		}
	}
	return t
}

func (p *parser) sources(v *yaml.Node, what string) []Source {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v.Line, "%s: sources must be a list of {title, url, locator}", what)
		return nil
	}
	var out []Source
	for _, sn := range v.Content {
		var s Source
		p.fields(sn, what+": source", []string{"title", "url", "locator"}, func(key string, n *yaml.Node) {
			val := p.str(n, "source "+key)
			switch key {
			case "title":
				s.Title = val
			case "url":
				s.URL = val
				if !strings.HasPrefix(val, "https://") && !strings.HasPrefix(val, "http://") {
					p.errorf(n.Line, "%s: source url %q must start with https:// or http://", what, val)
				}
			case "locator":
				s.Locator = val
			}
		})
		if s.Title == "" {
			p.errorf(sn.Line, "%s: source without a title", what)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) examples(v *yaml.Node, r *Rule, what string) {
	p.fields(v, what+": examples", []string{"fire", "pass"}, func(key string, n *yaml.Node) {
		list, lines := p.strList(n, what+": examples."+key)
		if key == "fire" {
			r.Examples.Fire, r.FireLines = list, lines
		} else {
			r.Examples.Pass, r.PassLines = list, lines
		}
	})
	if v.Kind == yaml.MappingNode {
		if len(r.Examples.Fire) == 0 {
			p.errorf(v.Line, "%s: examples: give at least one sentence under fire", what)
		}
		if len(r.Examples.Pass) == 0 {
			p.errorf(v.Line, "%s: examples: give at least one sentence under pass", what)
		}
	}
}
