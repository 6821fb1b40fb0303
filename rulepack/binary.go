package rulepack

import (
	"errors"
	"fmt"

	"vigie/internal/binform"
)

// The binary form of packs: what the default packs are embedded as, so that
// starting the engine (in a browser above all) does not run a YAML parser.
// It is a plain sequence of varints and length-prefixed strings, in the
// order of the fields below; Encode and Decode are its whole definition.

const binaryMagic = "VGP2"

// Encode writes packs in the binary form.
func Encode(packs []*Pack) []byte {
	w := &binWriter{binform.Writer{Buf: []byte(binaryMagic)}}
	w.Int(len(packs))
	for _, p := range packs {
		w.Str(p.File)
		w.Str(p.Lang)
		w.Str(p.Family)
		w.Int(len(p.Classes))
		for _, c := range p.Classes {
			w.Str(c.Name)
			w.Str(c.Lang)
			w.Strs(c.Words)
			w.Str(c.File)
			w.Int(c.Line)
			w.Ints(c.Lines)
		}
		w.Int(len(p.Conventions))
		for _, c := range p.Conventions {
			w.Str(c.ID)
			w.Str(c.Lang)
			w.Str(c.Name.FR)
			w.Str(c.Name.EN)
			w.Str(c.Explanation.FR)
			w.Str(c.Explanation.EN)
			w.sources(c.Sources)
			w.Str(c.File)
			w.Int(c.Line)
		}
		w.Int(len(p.Rules))
		for _, r := range p.Rules {
			w.Str(r.ID)
			w.Str(r.Lang)
			w.Str(r.Family)
			w.Str(r.Category)
			w.Int(int(r.Severity))
			w.Strs(r.Patterns)
			w.Strs(r.Exceptions)
			w.Str(r.ExceptionScope)
			w.Int(r.NegationWindow)
			w.Bool(r.CaseSensitive)
			w.Bool(r.AccentSensitive)
			w.Str(r.Message.FR)
			w.Str(r.Message.EN)
			w.Str(r.Explanation.FR)
			w.Str(r.Explanation.EN)
			w.Strs(r.Suggestions)
			w.sources(r.Sources)
			w.Strs(r.Tags)
			w.Strs(r.Conventions)
			w.Strs(r.Examples.Fire)
			w.Strs(r.Examples.Pass)
			w.Str(r.File)
			w.Int(r.Line)
			w.Ints(r.PatternLines)
			w.Ints(r.ExceptionLines)
			w.Ints(r.FireLines)
			w.Ints(r.PassLines)
		}
	}
	return w.Buf
}

// Decode reads packs written by Encode.
func Decode(data []byte) (packs []*Pack, err error) {
	if len(data) < len(binaryMagic) || string(data[:len(binaryMagic)]) != binaryMagic {
		return nil, errors.New("not a binary rule pack")
	}
	r := &binReader{binform.Reader{Buf: data[len(binaryMagic):]}}
	defer func() {
		if r.Err != nil {
			packs, err = nil, fmt.Errorf("binary rule pack: %w", r.Err)
		}
	}()
	packs = make([]*Pack, r.Int())
	for i := range packs {
		p := &Pack{File: r.Str(), Lang: r.Str(), Family: r.Str()}
		p.Classes = make([]*Class, r.Count())
		for k := range p.Classes {
			p.Classes[k] = &Class{Name: r.Str(), Lang: r.Str(), Words: r.Strs(), File: r.Str(), Line: r.Int(), Lines: r.Ints()}
		}
		p.Conventions = make([]*Convention, r.Count())
		for k := range p.Conventions {
			c := &Convention{ID: r.Str(), Lang: r.Str()}
			c.Name = Text{FR: r.Str(), EN: r.Str()}
			c.Explanation = Text{FR: r.Str(), EN: r.Str()}
			c.Sources = r.sources()
			c.File, c.Line = r.Str(), r.Int()
			p.Conventions[k] = c
		}
		p.Rules = make([]*Rule, r.Count())
		for k := range p.Rules {
			x := &Rule{ID: r.Str(), Lang: r.Str(), Family: r.Str(), Category: r.Str(), Severity: Severity(r.Int()),
				Patterns: r.Strs(), Exceptions: r.Strs(), ExceptionScope: r.Str(), NegationWindow: r.Int(),
				CaseSensitive: r.Bool(), AccentSensitive: r.Bool()}
			x.Message = Text{FR: r.Str(), EN: r.Str()}
			x.Explanation = Text{FR: r.Str(), EN: r.Str()}
			x.Suggestions = r.Strs()
			x.Sources = r.sources()
			x.Tags = r.Strs()
			x.Conventions = r.Strs()
			x.Examples = Examples{Fire: r.Strs(), Pass: r.Strs()}
			x.File, x.Line = r.Str(), r.Int()
			x.PatternLines, x.ExceptionLines, x.FireLines, x.PassLines = r.Ints(), r.Ints(), r.Ints(), r.Ints()
			p.Rules[k] = x
		}
		if len(p.Classes) == 0 {
			p.Classes = nil
		}
		if len(p.Conventions) == 0 {
			p.Conventions = nil
		}
		if len(p.Rules) == 0 {
			p.Rules = nil
		}
		packs[i] = p
	}
	if r.Err == nil && len(r.Buf) > 0 {
		r.Err = errors.New("trailing bytes")
	}
	return packs, nil
}

// binWriter and binReader add the packs' sources to the shared form.
type binWriter struct{ binform.Writer }

func (w *binWriter) sources(ss []Source) {
	w.Int(len(ss))
	for _, s := range ss {
		w.Str(s.Title)
		w.Str(s.URL)
		w.Str(s.Locator)
	}
}

type binReader struct{ binform.Reader }

func (r *binReader) sources() []Source {
	n := r.Count()
	if n == 0 {
		return nil
	}
	out := make([]Source, n)
	for i := range out {
		out[i] = Source{Title: r.Str(), URL: r.Str(), Locator: r.Str()}
	}
	return out
}
