package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/sentences"
	"github.com/clipperhouse/uax29/v2/words"
)

// Span is a half-open range of byte offsets.
type Span struct{ Start, End int }

// Token is one word of a document.
type Token struct {
	Start, End int    // byte offsets in Doc.Text
	Key        string // the word folded without case or accents
	Sentence   int    // index in Doc.Sentences
	// Gap is set when a punctuation mark other than a quotation mark stands
	// between this word and the previous one: patterns do not match across it.
	Gap   bool
	Quote int // innermost quotation containing the word, or -1
}

// Doc is a segmented text.
type Doc struct {
	Text      string
	Lang      string
	Tokens    []Token
	Sentences []Span
	Quotes    []Quote
}

// Word returns the text of token i as written.
func (d *Doc) Word(i int) string { return d.Text[d.Tokens[i].Start:d.Tokens[i].End] }

// Hyphens join compounds into one word: islamo-gauchisme, so-called, peut-être.
var hyphenJoiners = &words.Joiners[string]{Middle: []rune("-‐‑")}

// Segment splits text (already normalised) into sentences, words and
// quotations. lang ("fr" or "en") selects the clitics that are split off.
func Segment(s, lang string) *Doc {
	d := &Doc{Text: s, Lang: lang}
	d.Sentences = splitSentences(s)
	// Keys are folded into one buffer, and cut into strings at the end:
	// keyEnds[i] is where the key of token i ends (it starts where the
	// previous one ends).
	keys := make([]byte, 0, len(s))
	keyEnds := make([]int32, 0, len(s)/5)
	d.Tokens = make([]Token, 0, len(s)/5)

	var q quoteScanner
	sent, gap := 0, false
	newlines := 0 // since the last word or mark: two make a paragraph end
	add := func(start, end int) {
		for sent < len(d.Sentences)-1 && start >= d.Sentences[sent].End {
			sent++
		}
		keys = AppendFold(keys, s[start:end], FoldAll)
		keyEnds = append(keyEnds, int32(len(keys)))
		d.Tokens = append(d.Tokens, Token{Start: start, End: end, Sentence: sent, Gap: gap, Quote: -1})
		gap = false
	}
	it := words.FromString(s)
	it.Joiners(hyphenJoiners)
	joinedTo := 0 // end of the last word extended over what follows it
	for it.Next() {
		seg, start, end := it.Value(), it.Start(), it.End()
		if start < joinedTo {
			continue
		}
		if !isSpace(seg) {
			newlines = 0
		}
		switch {
		case isWord(seg):
			if lang == "fr" {
				if n := parenthesisedEnding(s[end:]); n > 0 {
					end += n
					joinedTo = end
				}
			}
			if lang == "fr" {
				if cut := elision(seg); cut > 0 {
					add(start, start+cut)
					start += cut
				}
			} else if cut := englishClitic(seg); cut > 0 {
				add(start, start+cut)
				start += cut
			}
			add(start, end)
		case isSpace(seg):
			if strings.IndexByte(seg, '\n') >= 0 {
				newlines += strings.Count(seg, "\n")
			}
			if newlines >= 2 {
				q.paragraphEnd(start)
			}
		default:
			r, _ := utf8.DecodeRuneInString(seg)
			if len(seg) == utf8.RuneLen(r) && isQuoteMark(r) {
				q.mark(r, start, end)
			} else {
				gap = true
			}
		}
	}
	q.paragraphEnd(len(s))
	arena := string(keys)
	prev := int32(0)
	for i, end := range keyEnds {
		d.Tokens[i].Key = arena[prev:end]
		prev = end
	}
	d.Quotes = q.quotes
	d.assignQuotes()
	return d
}

// parenthesisedEnding returns the length of a French feminine or plural
// ending in parentheses at the start of rest, "(e)s" in "étudiant(e)s",
// or 0. Such a word is one word, as "étudiant·e·s" is.
func parenthesisedEnding(rest string) int {
	if !strings.HasPrefix(rest, "(") {
		return 0
	}
	close := strings.IndexByte(rest, ')')
	if close < 2 || close > 6 || !allLower(rest[1:close]) {
		return 0
	}
	n := close + 1
	for n < len(rest) {
		r, size := utf8.DecodeRuneInString(rest[n:])
		if !unicode.IsLower(r) {
			break
		}
		n += size
	}
	return n
}

func allLower(s string) bool {
	for _, r := range s {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

func isWord(seg string) bool {
	for _, r := range seg {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func isSpace(seg string) bool {
	for _, r := range seg {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// French elided words that are written joined to the next word.
var elisions = []string{"jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "qu", "l", "d", "j", "m", "n", "s", "t", "c"}

// elision returns the byte length of an elided prefix of w (l', qu', jusqu'...),
// or 0 when w does not start with one.
func elision(w string) int {
	head := w
	if len(head) > 9 {
		head = head[:9] // jusqu’ is the longest: 5 letters and 3 bytes of ’
	}
	if strings.IndexByte(head, '\'') < 0 && !strings.Contains(head, "’") {
		return 0
	}
	for _, p := range elisions {
		if len(w) <= len(p) || !strings.EqualFold(w[:len(p)], p) {
			continue
		}
		r, size := utf8.DecodeRuneInString(w[len(p):])
		if isApostrophe(r) && len(w) > len(p)+size {
			return len(p) + size
		}
	}
	return 0
}

// English clitics split off their host: do|n't, people|'s, they|'re.
var englishClitics = []string{"n't", "'s", "'re", "'ve", "'ll", "'d", "'m"}

// IsElision reports whether w, on its own, is a French elided word (l', qu',
// jusqu'...), which segmentation splits off the next word, so that a pattern
// can name it.
func IsElision(w string) bool {
	return len(w) > 1 && elision(w+"x") == len(w)
}

// IsEnglishClitic reports whether w, on its own, is one of the clitics that
// segmentation splits off English words ('s, n't...), so that a pattern can
// name it.
func IsEnglishClitic(w string) bool {
	f := Fold(w, FoldCase)
	for _, c := range englishClitics {
		if f == c {
			return true
		}
	}
	return false
}

// englishClitic returns where a trailing clitic of w starts, or 0.
func englishClitic(w string) int {
	if strings.IndexByte(w, '\'') < 0 && !strings.Contains(w, "’") {
		return 0
	}
	f := Fold(w, FoldCase)
	for _, c := range englishClitics {
		if len(f) > len(c) && strings.HasSuffix(f, c) {
			// Folding maps ’ (3 bytes) to ' (1 byte): count back in w itself.
			n := utf8.RuneCountInString(c)
			cut := len(w)
			for ; n > 0; n-- {
				_, size := utf8.DecodeLastRuneInString(w[:cut])
				cut -= size
			}
			return cut
		}
	}
	return 0
}

// Abbreviations after which a full stop does not end a sentence.
var abbreviations = map[string]bool{
	"m": true, "mm": true, "mme": true, "mmes": true, "mlle": true, "mlles": true, "dr": true,
	"pr": true, "me": true, "mgr": true, "st": true, "ste": true, "mr": true, "mrs": true,
	"ms": true, "messrs": true, "prof": true, "gen": true, "sen": true, "rep": true, "gov": true,
	"lt": true, "col": true, "sgt": true, "capt": true, "jr": true, "sr": true, "vs": true,
	"cf": true, "ex": true, "art": true, "al": true, "fig": true, "no": true, "vol": true,
	"u.s": true, "u.k": true, "e.g": true, "i.e": true, "p": true, "env": true, "av": true,
}

// splitSentences applies the Unicode sentence rules, then joins the pieces
// that those rules split after an abbreviation or at a hard line wrap.
func splitSentences(s string) []Span {
	var out []Span
	it := sentences.FromString(s)
	for it.Next() {
		sp := Span{it.Start(), it.End()}
		if n := len(out); n > 0 && (isSpace(s[sp.Start:sp.End]) || continues(s, out[n-1], sp)) {
			out[n-1].End = sp.End
			continue
		}
		out = append(out, sp)
	}
	return out
}

// continues reports whether next is the rest of the sentence prev.
func continues(s string, prev, next Span) bool {
	body := s[prev.Start:prev.End]
	trimmed := strings.TrimRightFunc(body, unicode.IsSpace)
	trail := body[len(trimmed):]
	if strings.Count(trail, "\n") >= 2 || trimmed == "" {
		return false // paragraph end
	}
	nr, _ := utf8.DecodeRuneInString(s[next.Start:])
	if strings.Contains(trail, "\n") {
		// A hard wrap in the middle of a sentence: the line stops on a
		// letter or comma and the next starts in lower case.
		last, _ := utf8.DecodeLastRuneInString(trimmed)
		return (unicode.IsLetter(last) || last == ',') && unicode.IsLower(nr)
	}
	if !strings.HasSuffix(trimmed, ".") {
		return false
	}
	w := trimmed[:len(trimmed)-1]
	i := strings.LastIndexFunc(w, func(r rune) bool { return !(unicode.IsLetter(r) || r == '.') })
	w = w[i+1:]
	if utf8.RuneCountInString(w) == 1 {
		return true // an initial: J. Smith
	}
	return abbreviations[Fold(w, FoldAll)]
}
