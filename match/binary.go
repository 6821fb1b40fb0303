package match

import (
	"maps"
	"slices"

	"vigie/internal/binform"
	"vigie/rulepack"
)

// A matcher's binary form lets the default rules start without compiling
// their patterns: a browser spends most of its start-up there. Write and
// Read are its whole definition; maps are written in key order, so the same
// matcher always gives the same bytes.

// Write appends m to w.
func (m *Matcher) Write(w *binform.Writer) {
	w.Str(m.lang)
	w.Int(len(m.patterns))
	for _, p := range m.patterns {
		w.Int(len(p.Elements))
		for _, el := range p.Elements {
			w.Int(len(el))
			for _, a := range el {
				w.Int(int(a.Kind))
				w.Str(a.Key)
				w.Str(a.Word)
			}
		}
		w.Int(p.Mode)
		w.Int(p.Payload)
	}
	classes := make([]*class, len(m.classes))
	for _, c := range m.classes {
		classes[c.id] = c
	}
	w.Int(len(classes))
	for _, c := range classes {
		w.Str(c.name)
		w.Strs(slices.Sorted(maps.Keys(c.bySuffix)))
	}
	for _, byKey := range []map[string][]int{m.wordClasses, m.stemClasses} {
		w.Int(len(byKey))
		for _, k := range slices.Sorted(maps.Keys(byKey)) {
			w.Str(k)
			w.Ints(byKey[k])
		}
	}
	w.Strs(slices.Sorted(maps.Keys(m.heads)))
	writeNode(w, m.root)
}

func writeNode(w *binform.Writer, n *node) {
	writeEdges(w, &n.words)
	w.Int(len(n.outs))
	for _, o := range n.outs {
		w.Int(int(o))
	}
	w.Bool(n.x != nil)
	if n.x == nil {
		return
	}
	writeEdges(w, &n.x.stems)
	w.Int(len(n.x.classes))
	for _, e := range n.x.classes {
		w.Int(e.class.id)
		writeNode(w, e.next)
	}
	w.Bool(n.x.any != nil)
	if n.x.any != nil {
		writeNode(w, n.x.any)
	}
}

func writeEdges(w *binform.Writer, e *edges) {
	if e.all != nil {
		w.Int(len(e.all))
		for _, k := range slices.Sorted(maps.Keys(e.all)) {
			w.Str(k)
			writeNode(w, e.all[k])
		}
		return
	}
	w.Int(len(e.few))
	for _, k := range e.few {
		w.Str(k.key)
		writeNode(w, k.next)
	}
}

// Read reads a matcher that Write wrote; r.Err says whether it could.
func Read(r *binform.Reader) *Matcher {
	m := &Matcher{lang: r.Str(), heads: map[string]bool{}, headPrefixes: map[string]bool{},
		classes: map[string]*class{}, wordClasses: map[string][]int{}, stemClasses: map[string][]int{}}
	m.patterns = make([]Pattern, r.Count())
	for i := range m.patterns {
		p := &m.patterns[i]
		p.Elements = make([]rulepack.Element, r.Count())
		for k := range p.Elements {
			el := make(rulepack.Element, r.Count())
			for j := range el {
				el[j] = rulepack.Alt{Kind: rulepack.AltKind(r.Int()), Key: r.Str(), Word: r.Str()}
			}
			p.Elements[k] = el
		}
		p.Mode, p.Payload = r.Int(), r.Int()
	}
	byID := make([]*class, r.Count())
	for id := range byID {
		c := &class{id: id, name: r.Str()}
		for _, s := range r.Strs() {
			c.addSuffix(s)
		}
		byID[id] = c
		m.classes[c.name] = c
	}
	m.classWords = (len(byID) + 63) / 64
	for _, byKey := range []map[string][]int{m.wordClasses, m.stemClasses} {
		for range r.Count() {
			k := r.Str()
			byKey[k] = r.Ints()
		}
	}
	for _, h := range r.Strs() {
		m.addHeadKey(h)
	}
	m.root = readNode(r, byID, 0)
	return m
}

// maxDepth bounds the trie's depth when reading, so corrupt data cannot
// recurse without end: patterns are short.
const maxDepth = 64

func readNode(r *binform.Reader, classes []*class, depth int) *node {
	if depth > maxDepth {
		r.Err = binform.ErrCorrupt
	}
	if r.Err != nil {
		return &node{}
	}
	n := &node{}
	readEdges(r, &n.words, classes, depth)
	if k := r.Count(); k > 0 {
		n.outs = make([]int32, k)
		for i := range n.outs {
			n.outs[i] = int32(r.Int())
		}
	}
	if !r.Bool() {
		return n
	}
	x := n.ext()
	readEdges(r, &x.stems, classes, depth)
	for range r.Count() {
		id := r.Int()
		if id >= len(classes) {
			r.Err = binform.ErrCorrupt
			return n
		}
		x.classes = append(x.classes, classEdge{classes[id], readNode(r, classes, depth+1)})
	}
	if r.Bool() {
		x.any = readNode(r, classes, depth+1)
	}
	return n
}

func readEdges(r *binform.Reader, e *edges, classes []*class, depth int) {
	k := r.Count()
	if k > maxFew {
		e.all = make(map[string]*node, k)
	}
	for range k {
		key := r.Str()
		c := readNode(r, classes, depth+1)
		if e.all != nil {
			e.all[key] = c
		} else {
			e.few = append(e.few, keyEdge{key, c})
		}
	}
}
