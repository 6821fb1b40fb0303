// Package sentence scores whole sentences: the probability that a
// sentence's wording is loaded (opinionated, one-sided, stereotyping or
// unsupported) rather than neutral. The model is fastText-like: hashed word
// and character n-grams are averaged in an embedding bag, then a small dense
// layer gives two class probabilities. It is stored as a standard ONNX file
// and run here by a small evaluator of exactly the operators it uses, so the
// same code runs natively and in the browser module.
package sentence

import (
	"unicode"
	"unicode/utf8"
)

// Features says how a sentence becomes embedding rows. It is stored in the
// model file's metadata (key MetadataFeatures) and written out as the
// sidecar features.json, so another runtime can reproduce the input.
type Features struct {
	// Buckets is the number of embedding rows; a feature's row is the
	// 64-bit FNV-1a hash of its string, modulo Buckets.
	Buckets int `json:"buckets"`
	// WordNgrams is 1 for words only, 2 for words and pairs of adjacent words.
	WordNgrams int `json:"word_ngrams"`
	// CharMin and CharMax bound the character n-grams taken from each word
	// written between "<" and ">"; CharMax 0 means none.
	CharMin int `json:"char_min"`
	CharMax int `json:"char_max"`
	// MinWords is the shortest sentence, in words, that is scored.
	MinWords int `json:"min_words"`
}

// Words splits a sentence into the words the features are built from:
// lowercased runs of letters, digits and combining marks; every digit
// becomes 0 and every other character separates words (so apostrophes split
// "l'immigration" into "l" and "immigration").
func Words(s string) []string {
	// One buffer for the whole sentence, cut into words at the end.
	buf := make([]byte, 0, len(s))
	var ends []int
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			if r <= '9' {
				r = '0'
			}
			buf = append(buf, byte(r))
			continue
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			buf = append(buf, byte(r+'a'-'A'))
			continue
		case unicode.IsDigit(r):
			buf = append(buf, '0')
			continue
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
			continue
		}
		if len(ends) == 0 && len(buf) > 0 || len(ends) > 0 && ends[len(ends)-1] < len(buf) {
			ends = append(ends, len(buf))
		}
	}
	if len(ends) == 0 && len(buf) > 0 || len(ends) > 0 && ends[len(ends)-1] < len(buf) {
		ends = append(ends, len(buf))
	}
	if len(ends) == 0 {
		return nil
	}
	all := string(buf)
	words := make([]string, len(ends))
	from := 0
	for i, e := range ends {
		words[i] = all[from:e]
		from = e
	}
	return words
}

// Rows returns the embedding rows of a sentence's features, in this order:
// for each word, "w " + word, then its character n-grams "c " + n-gram by
// increasing length and position; then "b " + word + " " + next word for
// each pair. A feature repeated in the sentence appears as often as it occurs.
func (f Features) Rows(words []string) []int64 {
	// The exact count, so that rows is allocated once.
	count := 2 * len(words)
	if f.CharMax > 0 {
		for _, w := range words {
			marked := utf8.RuneCountInString(w) + 2
			for n := f.CharMin; n <= f.CharMax; n++ {
				count += max(0, marked-n+1)
			}
		}
	}
	rows := make([]int64, 0, count)
	buckets := uint64(f.Buckets)
	var starts []int // byte offsets of the runes of "<word>", and its length
	for _, w := range words {
		rows = append(rows, int64(fnvString(fnvString(fnvOffset, "w "), w)%buckets))
		if f.CharMax == 0 {
			continue
		}
		marked := "<" + w + ">"
		starts = starts[:0]
		for i := range marked {
			starts = append(starts, i)
		}
		starts = append(starts, len(marked))
		runes := len(starts) - 1
		for n := f.CharMin; n <= f.CharMax; n++ {
			for i := 0; i+n <= runes; i++ {
				h := fnvString(fnvOffset, "c ")
				rows = append(rows, int64(fnvString(h, marked[starts[i]:starts[i+n]])%buckets))
			}
		}
	}
	if f.WordNgrams >= 2 {
		for i := 0; i+1 < len(words); i++ {
			h := fnvString(fnvString(fnvString(fnvOffset, "b "), words[i]), " ")
			rows = append(rows, int64(fnvString(h, words[i+1])%buckets))
		}
	}
	return rows
}

// 64-bit FNV-1a, as hash/fnv computes it, without allocating.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}
