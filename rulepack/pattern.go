package rulepack

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"vigie/text"
)

// AltKind says what one alternative of a pattern element matches.
type AltKind int

// The kinds of alternative.
const (
	Literal  AltKind = iota + 1 // one word, folded
	Stem                        // any inflection of a word: same Snowball stem
	ClassRef                    // any word of a named class
	Any                         // any one word
	Suffix                      // any word ending with a suffix (classes only)
)

// Alt is one alternative of a pattern element.
type Alt struct {
	Kind AltKind
	// Key is what a word is compared with: the folded word (Literal), its
	// stem key (Stem), the class name (ClassRef), or the lower-case suffix.
	Key string
	// Word is the alternative as written, for rules that tell case or accents apart.
	Word string
}

// Element is one position of a pattern: a word matches it if it matches any
// of its alternatives.
type Element []Alt

// minStem is the shortest stem an inflected word may have: shorter stems
// would join unrelated words.
const minStem = 3

// ParsePattern reads a pattern (see lexicons/SCHEMA.md) in lang.
func ParsePattern(src, lang string) ([]Element, error) {
	var out []Element
	for _, field := range strings.Fields(src) {
		if strings.Contains(field, "|") {
			var el Element
			for _, a := range strings.Split(field, "|") {
				alts, err := parseWord(a, lang)
				if err != nil {
					return nil, err
				}
				if len(alts) != 1 {
					return nil, fmt.Errorf("alternative %q is %d words; put it in a pattern of its own", a, len(alts))
				}
				el = append(el, alts[0])
			}
			out = append(out, el)
			continue
		}
		alts, err := parseWord(field, lang)
		if err != nil {
			return nil, err
		}
		for _, a := range alts {
			out = append(out, Element{a})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty pattern")
	}
	if isAny(out[0]) || isAny(out[len(out)-1]) {
		return nil, fmt.Errorf("pattern %q: {*} cannot be its first or last word", src)
	}
	return out, nil
}

func isAny(e Element) bool {
	for _, a := range e {
		if a.Kind == Any {
			return true
		}
	}
	return false
}

// parseWord reads one space-free piece of a pattern. A literal may give
// several words (l'élite is l' + élite); the other forms give one.
func parseWord(w, lang string) ([]Alt, error) {
	switch {
	case w == "":
		return nil, fmt.Errorf("empty alternative (check the | signs)")
	case w == "{*}":
		return []Alt{{Kind: Any, Word: w}}, nil
	case strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}"):
		name := w[1 : len(w)-1]
		if !slugPattern.MatchString(name) {
			return nil, fmt.Errorf("bad class reference %q: want {name} with lower-case letters, digits and -", w)
		}
		return []Alt{{Kind: ClassRef, Key: name, Word: w}}, nil
	case strings.ContainsAny(w, "{}"):
		return nil, fmt.Errorf("bad slot %q: want {name} or {*}", w)
	case strings.HasPrefix(w, "*"):
		return nil, fmt.Errorf("%q: a *suffix is only allowed in a class", w)
	case strings.HasSuffix(w, "~"):
		base := strings.TrimSuffix(w, "~")
		words, err := literalWords(base, lang)
		if err != nil {
			return nil, err
		}
		if len(words) != 1 {
			return nil, fmt.Errorf("%q: only one word can take ~ (here %d words)", w, len(words))
		}
		key := text.StemKey(lang, base)
		if utf8.RuneCountInString(key) < minStem {
			return nil, fmt.Errorf("%q: its stem %q is too short to match inflections safely; list the forms instead", w, key)
		}
		return []Alt{{Kind: Stem, Key: key, Word: base}}, nil
	}
	words, err := literalWords(w, lang)
	if err != nil {
		return nil, err
	}
	alts := make([]Alt, len(words))
	for i, x := range words {
		alts[i] = Alt{Kind: Literal, Key: text.Fold(x, text.FoldAll), Word: x}
	}
	return alts, nil
}

// literalWords splits w as the engine splits text, and refuses punctuation,
// which patterns never match.
func literalWords(w, lang string) ([]string, error) {
	if lang == "en" && text.IsEnglishClitic(w) || lang == "fr" && text.IsElision(w) {
		return []string{w}, nil // 's, n't, qu', l': words of their own in text
	}
	if plainLatinWord(w) {
		return []string{w}, nil // most words: no need to run the segmenter
	}
	doc := text.Segment(text.Normalize(w).Text, lang)
	if len(doc.Tokens) == 0 {
		return nil, fmt.Errorf("%q has no word in it", w)
	}
	var words []string
	n := 0
	for i := range doc.Tokens {
		words = append(words, doc.Word(i))
		n += len(doc.Word(i))
	}
	if n != len(doc.Text) {
		return nil, fmt.Errorf("%q: punctuation is not matched by patterns; remove it", w)
	}
	return words, nil
}

// ParseClassWord reads one entry of a class: a word, word~ or *suffix.
func ParseClassWord(w, lang string) (Alt, error) {
	if strings.HasPrefix(w, "*") {
		suf := text.Fold(strings.TrimPrefix(w, "*"), text.FoldCase)
		if suf == "" || strings.ContainsAny(suf, " *{}|~") {
			return Alt{}, fmt.Errorf("bad suffix %q", w)
		}
		return Alt{Kind: Suffix, Key: suf, Word: w}, nil
	}
	if strings.ContainsAny(w, "{}| ") {
		return Alt{}, fmt.Errorf("class entry %q: want a word, word~ or *suffix", w)
	}
	alts, err := parseWord(w, lang)
	if err != nil {
		return Alt{}, err
	}
	if len(alts) != 1 {
		return Alt{}, fmt.Errorf("class entry %q is %d words; a class holds single words", w, len(alts))
	}
	return alts[0], nil
}

// CheckClasses reports the first {class} of els that is not in classes.
func CheckClasses(els []Element, classes map[string][]Alt) error {
	for _, el := range els {
		for _, a := range el {
			if _, ok := classes[a.Key]; a.Kind == ClassRef && !ok {
				return fmt.Errorf("unknown class %s", a.Word)
			}
		}
	}
	return nil
}

// plainLatinWord reports whether w is made only of Latin letters, in NFC:
// the segmenter would keep it as one word, unchanged.
func plainLatinWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if r >= 0x250 || !unicode.IsLetter(r) {
			return false
		}
	}
	return norm.NFC.IsNormalString(w)
}
