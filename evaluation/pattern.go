package evaluation

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
)

// The corpora of Debian's python3-pattern package used by `vigie eval
// --external` and by the sentence model's evaluation: marked there for personal use, so they are read from where
// scripts/fetch-pattern.sh unpacks them and never committed.
const (
	PatternWikinews = "tagged-fr-wikinews.txt"
	PatternConll    = "uncertainty-conll2010.csv"
	PatternAmazon   = "polarity-fr-amazon.csv"
)

// AmazonReviews reads the French book reviews (text,label): opinionated
// French text, where loaded wording is expected, to sample findings from.
func AmazonReviews(data []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = 2
	records, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(records))
	for i, rec := range records {
		out[i] = strings.ReplaceAll(rec[0], "\n", " ")
	}
	return out, nil
}

// WikinewsText turns the POS-tagged Wikinews sentences (word/TAG ...) back
// into plain French text, one sentence per paragraph.
func WikinewsText(data []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		prevJoins := true // no space at the start of a line
		for _, tok := range strings.Fields(line) {
			w := tok
			if i := strings.LastIndexByte(tok, '/'); i > 0 {
				w = tok[:i]
			}
			if !prevJoins && !strings.ContainsAny(w[:1], ",.;:!?)") {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			prevJoins = w == "(" || strings.HasSuffix(w, "'") || strings.HasSuffix(w, "’")
		}
		// A blank line after each sentence: they are unrelated, and a stray
		// quotation mark must not run on into the next one.
		b.WriteString("\n\n")
	}
	return b.String()
}

// ConllSentences reads the CoNLL-2010 Wikipedia sentences: label,sentence
// with label 1 for certain and -1 for uncertain (weasel) wording.
func ConllSentences(data []byte) ([]Labelled, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = 2
	records, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	out := make([]Labelled, 0, len(records))
	for i, rec := range records {
		switch rec[0] {
		case "1", "-1":
			if strings.TrimSpace(rec[1]) == "" {
				continue
			}
			out = append(out, Labelled{Text: rec[1], Biased: rec[0] == "-1"})
		default:
			return nil, fmt.Errorf("line %d: label %q, want 1 or -1", i+1, rec[0])
		}
	}
	return out, nil
}
