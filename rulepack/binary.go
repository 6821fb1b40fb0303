package rulepack

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The binary form of packs: what the default packs are embedded as, so that
// starting the engine (in a browser above all) does not run a YAML parser.
// It is a plain sequence of varints and length-prefixed strings, in the
// order of the fields below; Encode and Decode are its whole definition.

const binaryMagic = "VGP2"

// Encode writes packs in the binary form.
func Encode(packs []*Pack) []byte {
	w := &binWriter{buf: []byte(binaryMagic)}
	w.int(len(packs))
	for _, p := range packs {
		w.str(p.File)
		w.str(p.Lang)
		w.str(p.Family)
		w.int(len(p.Classes))
		for _, c := range p.Classes {
			w.str(c.Name)
			w.str(c.Lang)
			w.strs(c.Words)
			w.str(c.File)
			w.int(c.Line)
			w.ints(c.Lines)
		}
		w.int(len(p.Conventions))
		for _, c := range p.Conventions {
			w.str(c.ID)
			w.str(c.Lang)
			w.str(c.Name.FR)
			w.str(c.Name.EN)
			w.str(c.Explanation.FR)
			w.str(c.Explanation.EN)
			w.sources(c.Sources)
			w.str(c.File)
			w.int(c.Line)
		}
		w.int(len(p.Rules))
		for _, r := range p.Rules {
			w.str(r.ID)
			w.str(r.Lang)
			w.str(r.Family)
			w.str(r.Category)
			w.int(int(r.Severity))
			w.strs(r.Patterns)
			w.strs(r.Exceptions)
			w.str(r.ExceptionScope)
			w.int(r.NegationWindow)
			w.bool(r.CaseSensitive)
			w.bool(r.AccentSensitive)
			w.str(r.Message.FR)
			w.str(r.Message.EN)
			w.str(r.Explanation.FR)
			w.str(r.Explanation.EN)
			w.strs(r.Suggestions)
			w.sources(r.Sources)
			w.strs(r.Tags)
			w.strs(r.Conventions)
			w.strs(r.Examples.Fire)
			w.strs(r.Examples.Pass)
			w.str(r.File)
			w.int(r.Line)
			w.ints(r.PatternLines)
			w.ints(r.ExceptionLines)
			w.ints(r.FireLines)
			w.ints(r.PassLines)
		}
	}
	return w.buf
}

// Decode reads packs written by Encode.
func Decode(data []byte) (packs []*Pack, err error) {
	if len(data) < len(binaryMagic) || string(data[:len(binaryMagic)]) != binaryMagic {
		return nil, errors.New("not a binary rule pack")
	}
	r := &binReader{buf: data[len(binaryMagic):]}
	defer func() {
		if r.err != nil {
			packs, err = nil, fmt.Errorf("binary rule pack: %w", r.err)
		}
	}()
	packs = make([]*Pack, r.int())
	for i := range packs {
		p := &Pack{File: r.str(), Lang: r.str(), Family: r.str()}
		p.Classes = make([]*Class, r.count())
		for k := range p.Classes {
			p.Classes[k] = &Class{Name: r.str(), Lang: r.str(), Words: r.strs(), File: r.str(), Line: r.int(), Lines: r.ints()}
		}
		p.Conventions = make([]*Convention, r.count())
		for k := range p.Conventions {
			c := &Convention{ID: r.str(), Lang: r.str()}
			c.Name = Text{FR: r.str(), EN: r.str()}
			c.Explanation = Text{FR: r.str(), EN: r.str()}
			c.Sources = r.sources()
			c.File, c.Line = r.str(), r.int()
			p.Conventions[k] = c
		}
		p.Rules = make([]*Rule, r.count())
		for k := range p.Rules {
			x := &Rule{ID: r.str(), Lang: r.str(), Family: r.str(), Category: r.str(), Severity: Severity(r.int()),
				Patterns: r.strs(), Exceptions: r.strs(), ExceptionScope: r.str(), NegationWindow: r.int(),
				CaseSensitive: r.bool(), AccentSensitive: r.bool()}
			x.Message = Text{FR: r.str(), EN: r.str()}
			x.Explanation = Text{FR: r.str(), EN: r.str()}
			x.Suggestions = r.strs()
			x.Sources = r.sources()
			x.Tags = r.strs()
			x.Conventions = r.strs()
			x.Examples = Examples{Fire: r.strs(), Pass: r.strs()}
			x.File, x.Line = r.str(), r.int()
			x.PatternLines, x.ExceptionLines, x.FireLines, x.PassLines = r.ints(), r.ints(), r.ints(), r.ints()
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
	if r.err == nil && len(r.buf) > 0 {
		r.err = errors.New("trailing bytes")
	}
	return packs, nil
}

type binWriter struct{ buf []byte }

func (w *binWriter) int(n int) { w.buf = binary.AppendUvarint(w.buf, uint64(n)) }
func (w *binWriter) str(s string) {
	w.int(len(s))
	w.buf = append(w.buf, s...)
}
func (w *binWriter) bool(b bool) {
	if b {
		w.int(1)
	} else {
		w.int(0)
	}
}
func (w *binWriter) strs(ss []string) {
	w.int(len(ss))
	for _, s := range ss {
		w.str(s)
	}
}
func (w *binWriter) sources(ss []Source) {
	w.int(len(ss))
	for _, s := range ss {
		w.str(s.Title)
		w.str(s.URL)
		w.str(s.Locator)
	}
}
func (w *binWriter) ints(ns []int) {
	w.int(len(ns))
	for _, n := range ns {
		w.int(n)
	}
}

// binReader reads what binWriter wrote; after the first error every read
// returns a zero value and err keeps that error.
type binReader struct {
	buf []byte
	err error
}

func (r *binReader) int() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf)
	if n <= 0 || v > 1<<31 {
		r.err = errors.New("truncated or corrupt")
		return 0
	}
	r.buf = r.buf[n:]
	return int(v)
}

// count reads a length, refusing one larger than the bytes left.
func (r *binReader) count() int {
	n := r.int()
	if n > len(r.buf) {
		r.err = errors.New("truncated or corrupt")
		return 0
	}
	return n
}

func (r *binReader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := string(r.buf[:n])
	r.buf = r.buf[n:]
	return s
}

func (r *binReader) bool() bool { return r.int() != 0 }

func (r *binReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *binReader) ints() []int {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = r.int()
	}
	return out
}

func (r *binReader) sources() []Source {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]Source, n)
	for i := range out {
		out[i] = Source{Title: r.str(), URL: r.str(), Locator: r.str()}
	}
	return out
}
