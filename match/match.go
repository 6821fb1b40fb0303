// Package match finds every pattern of a rule set in a segmented text in one
// pass.
//
// The patterns are compiled into a trie keyed by word: each edge is a folded
// word, a stem key, a suffix or a wildcard. From each word of the text the
// matcher walks the trie as far as the words allow, so the cost grows with
// the length of the text and the depth of the patterns, not with their number.
package match

import (
	"strings"

	"vigie/rulepack"
	"vigie/text"
)

// Pattern is one compiled pattern, with class references already expanded.
type Pattern struct {
	Elements []rulepack.Element
	// Mode is the folding the pattern's literals are compared with:
	// text.FoldAll unless its rule tells case or accents apart.
	Mode int
	// Payload is returned with each match (the caller's rule and pattern ids).
	Payload int
}

// Match is one occurrence of a pattern: words First to End-1 of the document.
type Match struct {
	First, End int
	Payload    int
}

type suffixEdge struct {
	suffix string
	next   *node
}

type node struct {
	words    map[string]*node
	stems    map[string]*node
	suffixes []suffixEdge
	any      *node
	outs     []int // indexes into Matcher.patterns
}

// Matcher holds a compiled set of patterns for one language.
type Matcher struct {
	lang     string
	root     *node
	patterns []Pattern
	// A stem is its word less a suffix, the last letter of the stem sometimes
	// changed (happy: happi). So a word whose key does not start with some
	// stem less its last letter (a "head") cannot match a stem edge, and is
	// never stemmed. heads holds those heads; headPrefixes every prefix of
	// them, to stop the search early.
	heads        map[string]bool
	headPrefixes map[string]bool
	needsLower   bool
}

// Compile builds a matcher for patterns written in lang.
func Compile(lang string, patterns []Pattern) *Matcher {
	m := &Matcher{lang: lang, root: &node{}, patterns: patterns, heads: map[string]bool{}, headPrefixes: map[string]bool{}}
	for i, p := range patterns {
		frontier := []*node{m.root}
		for _, el := range p.Elements {
			var next []*node
			for _, n := range frontier {
				for _, a := range el {
					next = append(next, m.edge(n, a))
				}
			}
			frontier = dedupe(next)
		}
		for _, n := range frontier {
			n.outs = append(n.outs, i)
		}
	}
	return m
}

func dedupe(ns []*node) []*node {
	seen := make(map[*node]bool, len(ns))
	out := ns[:0]
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// edge returns the child of n reached through alternative a, creating it.
func (m *Matcher) edge(n *node, a rulepack.Alt) *node {
	get := func(mp *map[string]*node, key string) *node {
		if *mp == nil {
			*mp = map[string]*node{}
		}
		c := (*mp)[key]
		if c == nil {
			c = &node{}
			(*mp)[key] = c
		}
		return c
	}
	switch a.Kind {
	case rulepack.Stem:
		m.addHead(a.Key)
		return get(&n.stems, a.Key)
	case rulepack.Suffix:
		m.needsLower = true
		for _, e := range n.suffixes {
			if e.suffix == a.Key {
				return e.next
			}
		}
		c := &node{}
		n.suffixes = append(n.suffixes, suffixEdge{a.Key, c})
		return c
	case rulepack.Any:
		if n.any == nil {
			n.any = &node{}
		}
		return n.any
	default:
		return get(&n.words, a.Key)
	}
}

// minHead is the shortest head: stems have at least three letters.
const minHead = 3

func (m *Matcher) addHead(stem string) {
	head := stem
	if len(stem) > minHead {
		head = stem[:len(stem)-1]
	}
	m.heads[head] = true
	for l := minHead; l < len(head); l++ {
		m.headPrefixes[head[:l]] = true
	}
}

// mayStem reports whether a word with this key can have one of the stems.
func (m *Matcher) mayStem(key string) bool {
	for l := minHead; l <= len(key); l++ {
		p := key[:l]
		if m.heads[p] {
			return true
		}
		if !m.headPrefixes[p] {
			return false
		}
	}
	return false
}

// scratch holds the per-document word forms the matcher computes lazily.
type scratch struct {
	doc   *text.Doc
	stems []string // "" until computed; "\x00" for words not worth stemming
	lower []string
	// Stemming is the costliest step, and texts repeat their words:
	// stems by word as written, for this document.
	byWord map[string]string
}

func (s *scratch) stem(m *Matcher, i int) string {
	if s.stems[i] == "" {
		word := s.doc.Word(i)
		st, ok := s.byWord[word]
		if !ok {
			st = "\x00"
			if m.mayStem(s.doc.Tokens[i].Key) {
				st = text.StemKey(m.lang, word)
			}
			s.byWord[word] = st
		}
		s.stems[i] = st
	}
	return s.stems[i]
}

func (s *scratch) lowered(i int) string {
	if s.lower[i] == "" {
		s.lower[i] = text.Fold(s.doc.Word(i), text.FoldCase)
	}
	return s.lower[i]
}

// Find calls emit for every occurrence of every pattern in doc, in order of
// first word. Overlapping occurrences are all reported.
func (m *Matcher) Find(doc *text.Doc, emit func(Match)) {
	s := &scratch{doc: doc, stems: make([]string, len(doc.Tokens)), byWord: map[string]string{}}
	if m.needsLower {
		s.lower = make([]string, len(doc.Tokens))
	}
	for i := range doc.Tokens {
		m.walk(s, m.root, i, i, emit)
	}
}

// walk follows the edges of n that word j matches; first is where the
// occurrence started.
func (m *Matcher) walk(s *scratch, n *node, first, j int, emit func(Match)) {
	toks := s.doc.Tokens
	if j >= len(toks) || (j > first && (toks[j].Gap || toks[j].Sentence != toks[first].Sentence)) {
		return
	}
	step := func(c *node) {
		for _, pi := range c.outs {
			if m.verify(s, pi, first, j+1) {
				emit(Match{First: first, End: j + 1, Payload: m.patterns[pi].Payload})
			}
		}
		if c.words != nil || c.stems != nil || c.suffixes != nil || c.any != nil {
			m.walk(s, c, first, j+1, emit)
		}
	}
	if c := n.words[toks[j].Key]; c != nil {
		step(c)
	}
	if n.stems != nil {
		if c := n.stems[s.stem(m, j)]; c != nil {
			step(c)
		}
	}
	for _, e := range n.suffixes {
		w := s.lowered(j)
		if len(w) > len(e.suffix) && strings.HasSuffix(w, e.suffix) {
			step(e.next)
		}
	}
	if n.any != nil {
		step(n.any)
	}
}

// verify checks the literals of a case- or accent-sensitive pattern against
// the words as written.
func (m *Matcher) verify(s *scratch, pi, first, end int) bool {
	p := &m.patterns[pi]
	if p.Mode == text.FoldAll {
		return true
	}
	for k, el := range p.Elements {
		w := text.Fold(s.doc.Word(first+k), p.Mode)
		ok, literal := false, false
		for _, a := range el {
			if a.Kind != rulepack.Literal {
				ok = true // non-literal alternatives are not refined
				continue
			}
			literal = true
			if text.Fold(a.Word, p.Mode) == w {
				ok = true
			}
		}
		if literal && !ok {
			return false
		}
	}
	return true
}
