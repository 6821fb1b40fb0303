// Package lang tells French from English.
//
// Two languages with very different function words need no statistical
// model: counting the most frequent function words of each is reliable from
// a few words on, and costs one map lookup per word.
package lang

import (
	"github.com/clipperhouse/uax29/v2/words"
	"slices"

	"vigie/text"
)

// Supported lists the languages Vigie has rules for.
var Supported = []string{"fr", "en"}

// IsSupported reports whether code is one of Supported.
func IsSupported(code string) bool { return slices.Contains(Supported, code) }

// Frequent function words, folded (lower case, no accents), that do not
// exist as words in the other language.
var markers = map[string]map[string]bool{
	"fr": set("le", "la", "les", "des", "du", "une", "est", "et", "que", "qui", "dans", "pour",
		"pas", "sur", "au", "aux", "avec", "ce", "cette", "ces", "sont", "il", "elle", "ils",
		"nous", "vous", "leur", "leurs", "mais", "ou", "donc", "par", "plus", "tout", "tous",
		"ont", "etre", "avoir", "fait", "comme", "selon", "aussi", "tres", "sans", "entre",
		"l'", "d'", "qu'", "n'", "s'", "c'", "j'"),
	"en": set("the", "and", "of", "to", "is", "are", "was", "were", "that", "this", "with",
		"for", "not", "be", "have", "has", "it", "they", "we", "you", "he", "she", "his", "her",
		"their", "but", "or", "by", "from", "at", "which", "who", "will", "would", "all", "been",
		"there", "what", "when", "more", "can", "our", "an", "these", "those", "should"),
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// maxWords bounds the work: the first few thousand words decide.
const maxWords = 5000

// Detect returns "fr" or "en" and a confidence between 0 and 1: the share of
// the marker words seen that belong to the chosen language. A text with no
// marker word at all gets "en" with confidence 0.
func Detect(s string) (code string, confidence float64) {
	var fr, en, n int
	buf := make([]byte, 0, 32)
	it := words.FromString(s)
	for it.Next() && n < maxWords {
		w := it.Value()
		n++
		buf = text.AppendFold(buf[:0], w, text.FoldAll)
		// French elisions stay joined here (l'état): look at the prefix.
		if i := indexApostrophe(buf); i > 0 && i < 6 {
			if markers["fr"][string(buf[:i+1])] {
				fr++
			}
			buf = buf[i+1:]
		}
		if markers["fr"][string(buf)] {
			fr++
		}
		if markers["en"][string(buf)] {
			en++
		}
	}
	switch {
	case fr+en == 0:
		return "en", 0
	case fr > en:
		return "fr", float64(fr) / float64(fr+en)
	default:
		return "en", float64(en) / float64(fr+en)
	}
}

func indexApostrophe(b []byte) int {
	for i, c := range b {
		if c == '\'' {
			return i
		}
	}
	return -1
}
