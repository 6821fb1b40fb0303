// Package match finds every pattern of a rule set in a segmented text in one
// pass.
//
// The patterns are compiled into a trie keyed by word: each edge is a folded
// word, a stem key, a suffix or a wildcard. From each word of the text the
// matcher walks the trie as far as the words allow, so the cost grows with
// the length of the text and the depth of the patterns, not with their number.
package match

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"vigie/rulepack"
	"vigie/text"
)

// Pattern is one compiled pattern. Its {class} alternatives refer to the
// classes given to Compile.
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

// edges maps keys to child nodes. Most nodes have a handful of children,
// for which a short list is smaller and faster than a map: the map is made
// only past maxFew children (the root, the first words of phrases).
type edges struct {
	few []keyEdge
	all map[string]*node
}

type keyEdge struct {
	key  string
	next *node
}

const maxFew = 8

func (e *edges) get(key string) *node {
	if e.all != nil {
		return e.all[key]
	}
	for i := range e.few {
		if e.few[i].key == key {
			return e.few[i].next
		}
	}
	return nil
}

// add returns the child for key, creating it.
func (e *edges) add(key string) *node {
	if c := e.get(key); c != nil {
		return c
	}
	c := &node{}
	switch {
	case e.all != nil:
		e.all[key] = c
	case len(e.few) < maxFew:
		e.few = append(e.few, keyEdge{key, c})
	default:
		e.all = make(map[string]*node, 2*maxFew)
		for _, k := range e.few {
			e.all[k.key] = k.next
		}
		e.few = nil
		e.all[key] = c
	}
	return c
}

func (e *edges) empty() bool { return e.all == nil && e.few == nil }

// node is one state of the trie. Most of the tens of thousands of nodes
// only have word edges and matches, so the other edges sit in a rarer
// extension: it nearly halves the trie, which the browser's memory notices.
type node struct {
	words edges
	outs  []int32 // indexes into Matcher.patterns
	x     *nodeExt
}

type nodeExt struct {
	stems   edges
	classes []classEdge
	any     *node
}

// ext returns n's extension, creating it.
func (n *node) ext() *nodeExt {
	if n.x == nil {
		n.x = &nodeExt{}
	}
	return n.x
}

// A class is one edge, not one edge per word: "les {groupe} sont" makes one
// path whatever the size of the class, and every pattern that names the
// class after the same words shares it.
type classEdge struct {
	class *class
	next  *node
}

// class is a named word class. Which classes a word belongs to is worked
// out once per word of the text (see scratch.inClass).
type class struct {
	id   int
	name string
	// bySuffix holds the class's suffixes (lower case), and lens their
	// distinct byte lengths: a word is looked up once per length rather than
	// compared with each, and only when the class is asked for.
	bySuffix map[string]bool
	lens     []int
}

func (c *class) addSuffix(suffix string) {
	if c.bySuffix == nil {
		c.bySuffix = map[string]bool{}
	}
	c.bySuffix[suffix] = true
	if !slices.Contains(c.lens, len(suffix)) {
		c.lens = append(c.lens, len(suffix))
	}
}

// hasSuffixOf reports whether w is longer than one of c's suffixes and ends
// with it, without case (accents count), either apostrophe matching '.
func (c *class) hasSuffixOf(w string) bool {
	if strings.Contains(w, "’") {
		w = strings.ReplaceAll(w, "’", "'")
	}
	for _, n := range c.lens {
		if len(w) > n && c.bySuffix[lower(w[len(w)-n:])] {
			return true
		}
	}
	return false
}

// lower is strings.ToLower without its copy when s has no capital, as
// nearly all word endings have none.
func lower(s string) string {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return strings.ToLower(s)
		}
	}
	return s
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
	classes      map[string]*class
	// Class membership by folded word and by stem key; classWords is the
	// number of uint64 a word's membership takes.
	wordClasses map[string][]int
	stemClasses map[string][]int
	classWords  int
}

// Compile builds a matcher for patterns written in lang. classes holds the
// words of each class the patterns refer to.
func Compile(lang string, patterns []Pattern, classes map[string][]rulepack.Alt) *Matcher {
	m := &Matcher{lang: lang, root: &node{}, patterns: patterns, heads: map[string]bool{}, headPrefixes: map[string]bool{},
		classes: map[string]*class{}, wordClasses: map[string][]int{}, stemClasses: map[string][]int{}}
	names := make([]string, 0, len(classes))
	for name := range classes {
		names = append(names, name)
	}
	sort.Strings(names) // class ids do not depend on map order
	for id, name := range names {
		m.classes[name] = &class{id: id, name: name}
		for _, a := range classes[name] {
			switch a.Kind {
			case rulepack.Literal:
				m.wordClasses[a.Key] = append(m.wordClasses[a.Key], id)
			case rulepack.Stem:
				m.stemClasses[a.Key] = append(m.stemClasses[a.Key], id)
				m.addHead(a.Key)
			case rulepack.Suffix:
				m.classes[name].addSuffix(a.Key)
			}
		}
	}
	m.classWords = (len(names) + 63) / 64
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
			n.outs = append(n.outs, int32(i))
		}
	}
	return m
}

func dedupe(ns []*node) []*node {
	out := ns[:0]
	for _, n := range ns {
		dup := false
		for _, m := range out {
			if m == n {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, n)
		}
	}
	return out
}

// edge returns the child of n reached through alternative a, creating it.
func (m *Matcher) edge(n *node, a rulepack.Alt) *node {
	switch a.Kind {
	case rulepack.Stem:
		m.addHead(a.Key)
		return n.ext().stems.add(a.Key)
	case rulepack.Any:
		x := n.ext()
		if x.any == nil {
			x.any = &node{}
		}
		return x.any
	case rulepack.ClassRef:
		x := n.ext()
		for _, e := range x.classes {
			if e.class.name == a.Key {
				return e.next
			}
		}
		c := &node{}
		x.classes = append(x.classes, classEdge{m.classes[a.Key], c})
		return c
	default:
		return n.words.add(a.Key)
	}
}

// minHead is the shortest head: stems have at least three letters.
const minHead = 3

func (m *Matcher) addHead(stem string) {
	head := stem
	if len(stem) > minHead {
		head = stem[:len(stem)-1]
	}
	m.addHeadKey(head)
}

// addHeadKey records a head and its prefixes.
func (m *Matcher) addHeadKey(head string) {
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
	// classes[j*classWords:] is the set of classes of word j, once
	// classDone[j] is set; a class with suffixes is in it once tested, and
	// tested[j*classWords:] says which were: tens of suffixes per class
	// are worth testing once per word, not at every visit.
	classes   []uint64
	tested    []uint64
	classDone []bool
	// Stemming is the costliest step, and texts repeat their words: the
	// stems of the words that may have one, by word as written.
	byWord map[string]string
}

func (s *scratch) stem(m *Matcher, i int) string {
	if s.stems[i] == "" {
		st := "\x00"
		if m.mayStem(s.doc.Tokens[i].Key) {
			word := s.doc.Word(i)
			var ok bool
			if st, ok = s.byWord[word]; !ok {
				st = text.StemKey(m.lang, word)
				s.byWord[word] = st
			}
		}
		s.stems[i] = st
	}
	return s.stems[i]
}

// inClass reports whether word j belongs to class c. The classes a word
// belongs to by its form or its stem are found together, once per word.
func (s *scratch) inClass(m *Matcher, c *class, j int) bool {
	row := s.classes[j*m.classWords : (j+1)*m.classWords]
	if !s.classDone[j] {
		s.classDone[j] = true
		for _, id := range m.wordClasses[s.doc.Tokens[j].Key] {
			row[id/64] |= 1 << (id % 64)
		}
		if len(m.stemClasses) > 0 {
			for _, id := range m.stemClasses[s.stem(m, j)] {
				row[id/64] |= 1 << (id % 64)
			}
		}
	}
	bit := uint64(1) << (c.id % 64)
	if row[c.id/64]&bit != 0 || len(c.bySuffix) == 0 {
		return row[c.id/64]&bit != 0
	}
	tested := s.tested[j*m.classWords : (j+1)*m.classWords]
	if tested[c.id/64]&bit == 0 {
		tested[c.id/64] |= bit
		if c.hasSuffixOf(s.doc.Word(j)) {
			row[c.id/64] |= bit
		}
	}
	return row[c.id/64]&bit != 0
}

// Find calls emit for every occurrence of every pattern in doc, in order of
// first word. Overlapping occurrences are all reported.
func (m *Matcher) Find(doc *text.Doc, emit func(Match)) {
	s := &scratch{doc: doc, stems: make([]string, len(doc.Tokens)), byWord: map[string]string{}}
	if m.classWords > 0 {
		s.classes = make([]uint64, len(doc.Tokens)*m.classWords)
		s.tested = make([]uint64, len(doc.Tokens)*m.classWords)
		s.classDone = make([]bool, len(doc.Tokens))
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
			if m.verify(s, int(pi), first, j+1) {
				emit(Match{First: first, End: j + 1, Payload: m.patterns[pi].Payload})
			}
		}
		if !c.words.empty() || c.x != nil && (!c.x.stems.empty() || c.x.classes != nil || c.x.any != nil) {
			m.walk(s, c, first, j+1, emit)
		}
	}
	if c := n.words.get(toks[j].Key); c != nil {
		step(c)
	}
	x := n.x
	if x == nil {
		return
	}
	if !x.stems.empty() {
		if c := x.stems.get(s.stem(m, j)); c != nil {
			step(c)
		}
	}
	for _, e := range x.classes {
		if s.inClass(m, e.class, j) {
			step(e.next)
		}
	}
	if x.any != nil {
		step(x.any)
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
