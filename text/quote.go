package text

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote is a quotation: the words between two quotation marks belong to
// someone other than the author.
type Quote struct {
	Start, End int    // byte offsets, marks included
	Speaker    string // who is quoted, when the text says so next to the quotation
}

func isQuoteMark(r rune) bool {
	switch r {
	case '«', '»', '“', '”', '„', '‹', '›', '"', '‘', '’':
		return true
	}
	return false
}

// closerOf gives, for each closing mark, the opening marks it closes.
var closerOf = map[rune]string{'»': "«", '”': "“„", '›': "‹", '’': "‘", '“': "„"}

type openMark struct {
	r     rune
	start int
}

// quoteScanner pairs quotation marks as the words are read.
type quoteScanner struct {
	open   []openMark
	quotes []Quote
}

func (q *quoteScanner) mark(r rune, start, end int) {
	if openers, ok := closerOf[r]; ok {
		for i := len(q.open) - 1; i >= 0; i-- {
			if strings.ContainsRune(openers, q.open[i].r) {
				for j := len(q.open) - 1; j >= i; j-- {
					q.quotes = append(q.quotes, Quote{Start: q.open[j].start, End: end})
				}
				q.open = q.open[:i]
				return
			}
		}
		if r != '“' {
			return // a closing mark with nothing to close: ignore it
		}
	}
	if r == '"' && len(q.open) > 0 && q.open[len(q.open)-1].r == '"' {
		q.quotes = append(q.quotes, Quote{Start: q.open[len(q.open)-1].start, End: end})
		q.open = q.open[:len(q.open)-1]
		return
	}
	if r == '’' {
		return
	}
	q.open = append(q.open, openMark{r, start})
}

// paragraphEnd closes the quotations still open at a paragraph end. French
// and English typography leave a quotation that runs over several paragraphs
// open at each paragraph end; a lone straight quote or ‘ is more often an
// inch mark or an apostrophe, so those are dropped instead.
func (q *quoteScanner) paragraphEnd(at int) {
	for i := len(q.open) - 1; i >= 0; i-- {
		if o := q.open[i]; o.r != '"' && o.r != '‘' {
			q.quotes = append(q.quotes, Quote{Start: o.start, End: at})
		}
	}
	q.open = q.open[:0]
}

// assignQuotes sorts the quotations and marks each token with the innermost
// one that contains it, then looks for each quotation's speaker.
func (d *Doc) assignQuotes() {
	if len(d.Quotes) == 0 {
		return
	}
	sort.Slice(d.Quotes, func(i, j int) bool { return d.Quotes[i].Start < d.Quotes[j].Start })
	for qi, q := range d.Quotes {
		i := sort.Search(len(d.Tokens), func(i int) bool { return d.Tokens[i].Start >= q.Start })
		for ; i < len(d.Tokens) && d.Tokens[i].End <= q.End; i++ {
			d.Tokens[i].Quote = qi // later (inner) quotations overwrite outer ones
		}
	}
	for qi := range d.Quotes {
		d.Quotes[qi].Speaker = d.speaker(qi)
	}
}

// Verbs of saying, folded, that attach a speaker to a quotation.
var speechVerbs = map[string]map[string]bool{
	"fr": set("dit", "declare", "affirme", "explique", "ajoute", "estime", "souligne", "assure",
		"lance", "repond", "confie", "indique", "precise", "ecrit", "martele", "insiste", "raconte",
		"rappelle", "poursuit", "conclut", "denonce", "tweete", "avertit", "reconnait", "admet",
		"declaree", "affirmee", "expliquee", "ajoutee", "estimee", "soulignee", "assuree",
		"lancee", "repondu", "confiee", "indiquee", "precisee", "ecrite", "martelee", "insistee",
		"racontee", "rappelee", "poursuivi", "denoncee", "reconnu", "admis", "selon",
		"declarent", "affirment", "expliquent", "ajoutent", "estiment", "soulignent", "assurent", "disent"),
	"en": set("said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "wrote",
		"writes", "explained", "explains", "argued", "argues", "insisted", "insists", "declared",
		"declares", "claimed", "claims", "noted", "notes", "asked", "asks", "replied", "replies",
		"tweeted", "posted", "warned", "warns", "according", "admitted", "conceded", "recalled"),
}

// Words that may precede a name in a speaker phrase: "le ministre", "the senator".
var determiners = set("le", "la", "les", "l'", "un", "une", "the", "a", "an", "son", "sa", "his", "her", "their", "leur")

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// speaker finds who is quoted: a name or noun phrase next to a verb of
// saying just before the quotation ("X a déclaré : « »", "According to X, "…"")
// or just after it ("« », a dit X", ""…", X said").
func (d *Doc) speaker(qi int) string {
	q := d.Quotes[qi]
	verbs := speechVerbs[d.Lang]
	if verbs == nil {
		verbs = speechVerbs["en"]
	}
	first := sort.Search(len(d.Tokens), func(i int) bool { return d.Tokens[i].Start >= q.Start })
	after := sort.Search(len(d.Tokens), func(i int) bool { return d.Tokens[i].Start >= q.End })
	// After the quotation: up to three words to reach the verb.
	for k := after; k < len(d.Tokens) && k < after+3; k++ {
		if d.Tokens[k].Quote >= 0 && d.Tokens[k].Quote != d.Tokens[after].Quote {
			break
		}
		if !verbs[d.Tokens[k].Key] {
			continue
		}
		if name := d.phraseAfter(k + 1); name != "" {
			return name // inverted: « ... », a déclaré Jean Dupont
		}
		if name := d.phraseBefore(k, after); name != "" {
			return name // "...", John Smith said
		}
		break
	}
	// Before the quotation, in the same sentence.
	if first > 0 {
		k := first - 1
		if d.Tokens[k].Key == "to" && k > 0 && d.Tokens[k-1].Key == "according" {
			return ""
		}
		// "selon X, « ... »" and "according to X, "...""
		for j := k; j >= 0 && j > k-6; j-- {
			key := d.Tokens[j].Key
			if key == "selon" || (key == "to" && j > 0 && d.Tokens[j-1].Key == "according") {
				return d.phraseAfter(j + 1)
			}
		}
		if verbs[d.Tokens[k].Key] {
			return d.phraseBefore(k, 0)
		}
	}
	return ""
}

// phraseAfter returns the name or "determiner + noun (+ names)" starting at token i.
func (d *Doc) phraseAfter(i int) string {
	if i >= len(d.Tokens) || d.Tokens[i].Gap && i > 0 && d.Tokens[i].Sentence != d.Tokens[i-1].Sentence {
		return ""
	}
	j := i
	if determiners[d.Tokens[j].Key] {
		j += 2 // the determiner and its noun
		if j > len(d.Tokens) {
			return ""
		}
	}
	for j < len(d.Tokens) && !d.Tokens[j].Gap && isNamePart(d, j) {
		j++
	}
	if j == i {
		return ""
	}
	return d.Text[d.Tokens[i].Start:d.Tokens[j-1].End]
}

// phraseBefore returns the name or determiner phrase that ends just before
// token verb, skipping auxiliaries (a, has, avait, had), not before token min.
func (d *Doc) phraseBefore(verb, min int) string {
	end := verb - 1
	for end >= min && auxiliaries[d.Tokens[end].Key] {
		end--
	}
	if end < min || d.Tokens[end+1].Gap {
		return ""
	}
	start := end
	for start > min && isNamePart(d, start-1) && !d.Tokens[start].Gap {
		start--
	}
	if !isNamePart(d, start) {
		// "le ministre a déclaré": a determiner and one noun
		if start > min && determiners[d.Tokens[start-1].Key] && !d.Tokens[start].Gap {
			start--
		} else {
			return ""
		}
	}
	for start > min && isNamePart(d, start) && determiners[d.Tokens[start-1].Key] && !d.Tokens[start].Gap {
		start--
	}
	return d.Text[d.Tokens[start].Start:d.Tokens[end].End]
}

var auxiliaries = set("a", "ont", "avait", "avaient", "has", "have", "had", "was", "is", "a-t-il", "a-t-elle")

// Particles inside a name: Charles de Gaulle, Ursula von der Leyen.
var nameParticles = set("de", "du", "d'", "von", "van", "der", "den", "la", "le", "al", "bin", "ben")

func isNamePart(d *Doc, i int) bool {
	r, _ := utf8.DecodeRuneInString(d.Word(i))
	if unicode.IsUpper(r) {
		return true
	}
	// A particle counts only between two capitalised words.
	return nameParticles[d.Tokens[i].Key] && i > 0 && i+1 < len(d.Tokens) &&
		isUpperWord(d, i-1) && isUpperWord(d, i+1)
}

func isUpperWord(d *Doc, i int) bool {
	r, _ := utf8.DecodeRuneInString(d.Word(i))
	return unicode.IsUpper(r)
}
