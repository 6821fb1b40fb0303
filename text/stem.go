package text

import (
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// StemKey returns the key under which inflected forms of word meet: its
// Snowball stem in lang, folded without case or accents. révéler, révèle and
// révélaient all give "revel".
func StemKey(lang, word string) string {
	w := strings.ToLower(strings.ReplaceAll(word, "’", "'"))
	switch lang {
	case "fr":
		w = french.Stem(w, true)
	default:
		w = english.Stem(w, true)
	}
	return Fold(w, FoldAll)
}
